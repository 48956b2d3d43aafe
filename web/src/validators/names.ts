/**
 * Names — mirror the server: a member's name is 1–50 characters, an org's name 1–100
 * characters, after trimming (counted in Unicode characters, not UTF-16 units).
 */
import { fail, pass, type Check } from './result';

export const MEMBER_NAME_MAX = 50;
export const ORG_NAME_MAX = 100;

function lengthOk(s: string, max: number): boolean {
  const n = [...s].length;
  return n >= 1 && n <= max;
}

export function checkMemberName(input: string | null | undefined): Check {
  const n = (input ?? '').trim();
  return lengthOk(n, MEMBER_NAME_MAX) ? pass(n) : fail('member.name_invalid', 'validation.name.member');
}

export function checkOrgName(input: string | null | undefined): Check {
  const n = (input ?? '').trim();
  return lengthOk(n, ORG_NAME_MAX) ? pass(n) : fail('org.name_invalid', 'validation.name.org');
}
