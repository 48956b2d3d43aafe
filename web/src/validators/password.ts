/**
 * Password policy — mirrors the server's `check_password_strength`: at least 8 characters
 * and at least three of: lower-case letter, upper-case letter, digit, symbol (any character
 * that is not an ASCII letter or digit).
 */
import { fail, pass, type Check } from './result';

export const PASSWORD_MIN_LENGTH = 8;

export function passwordClasses(pw: string): number {
  let n = 0;
  if (/[a-z]/.test(pw)) n++;
  if (/[A-Z]/.test(pw)) n++;
  if (/[0-9]/.test(pw)) n++;
  if ([...pw].some((c) => !/^[A-Za-z0-9]$/.test(c))) n++;
  return n;
}

export function checkPassword(pw: string | null | undefined): Check {
  const p = pw ?? '';
  if ([...p].length < PASSWORD_MIN_LENGTH || passwordClasses(p) < 3) {
    return fail('auth.weak_password', 'validation.password.weak');
  }
  return pass(p);
}
