/**
 * Citizen ID numbers (公民身份号码), GB 11643-1999 — mirrors the server's
 * `jiceng_domain::idcard`: 18 characters, 17 digits and a MOD 11-2 check character
 * (digit or X, lower-case x accepted), a real birth date (year ≥ 1880) in positions 7–14,
 * sex from the parity of position 17 (odd = male). The address code is not looked up.
 */
import { isRealDate, type Ymd, formatYmd } from './date';
import { fail, pass, type Check } from './result';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
export const MIN_BIRTH_YEAR = 1880;

/** Gender codes as in the `gender` code table: 1 = male, 2 = female. */
export type GenderCode = '1' | '2';

export interface IdNumber {
  /** 18 characters, upper-case X. */
  normalized: string;
  birth: Ymd;
  gender: GenderCode;
  region: string;
}

/** MOD 11-2 check character over exactly 17 digits; `null` otherwise. */
export function idCheckDigit(first17: string): string | null {
  if (!/^\d{17}$/.test(first17)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11] ?? null;
}

/** Parses and validates an ID number (same order of checks as the server). */
export function parseIdNumber(input: string | null | undefined): Check<IdNumber> {
  const trimmed = (input ?? '').trim();
  if ([...trimmed].length !== 18) return fail('member.id_card_length', 'validation.idcard.length');
  const normalized = trimmed.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(normalized)) {
    return fail('member.id_card_format', 'validation.idcard.format');
  }
  const y = Number(normalized.slice(6, 10));
  const m = Number(normalized.slice(10, 12));
  const d = Number(normalized.slice(12, 14));
  if (y < MIN_BIRTH_YEAR || !isRealDate(y, m, d)) {
    return fail('member.id_card_birth_date', 'validation.idcard.birthDate');
  }
  const expected = idCheckDigit(normalized.slice(0, 17));
  if (expected === null) return fail('member.id_card_format', 'validation.idcard.format');
  if (normalized[17] !== expected) {
    return fail('member.id_card_check_digit', 'validation.idcard.checkDigit', { expected });
  }
  const gender: GenderCode = Number(normalized[16]) % 2 === 1 ? '1' : '2';
  return pass({ normalized, birth: { y, m, d }, gender, region: normalized.slice(0, 6) });
}

/**
 * Validates an ID number and, when given, cross-checks the birth date (`YYYY-MM-DD`) and
 * gender code entered on the same form (birth date first, as the server does).
 * Returns the normalized number.
 */
export function checkIdNumber(
  input: string | null | undefined,
  birth?: string | null,
  gender?: string | null,
): Check {
  const r = parseIdNumber(input);
  if (!r.ok) return r;
  const id = r.value;
  const inId = formatYmd(id.birth);
  if (birth && birth.trim() && birth.trim() !== inId) {
    return fail('member.id_card_birth_mismatch', 'validation.idcard.birthMismatch', { inId });
  }
  if (gender && (gender === '1' || gender === '2') && gender !== id.gender) {
    return fail('member.id_card_gender_mismatch', 'validation.idcard.genderMismatch');
  }
  return pass(id.normalized);
}
