/**
 * Contact phone — mirrors the server: 7–20 characters, only digits, '-' and '+'.
 * Empty is allowed (the field is optional); the value is trimmed.
 */
import { fail, pass, type Check } from './result';

export function checkPhone(input: string | null | undefined): Check {
  const p = (input ?? '').trim();
  if (p === '') return pass(p);
  if (p.length < 7 || p.length > 20 || !/^[0-9+-]+$/.test(p)) {
    return fail('member.phone_invalid', 'validation.phone.invalid');
  }
  return pass(p);
}
