/**
 * Unified social credit codes (统一社会信用代码), GB 32100-2015 — mirrors the server's
 * `jiceng_domain::credit_code`: 18 characters from a 31-character alphabet (no I, O, S, V,
 * Z), positions 3–8 digits, check character alphabet[(31 − Σ value·3^(i−1) mod 31) mod 31].
 * Letters are accepted in positions 1–2 (N…, Y…, A… codes). Input is trimmed and upper-cased.
 */
import { fail, pass, type Check } from './result';

export const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weights 3^(i−1) mod 31 for positions 1–17. */
export const CREDIT_WEIGHTS: readonly number[] = Array.from({ length: 17 }, (_, i) => {
  let w = 1;
  for (let k = 0; k < i; k++) w = (w * 3) % 31;
  return w;
});

/** Check character over exactly 17 alphabet characters; `null` otherwise. */
export function creditCheckChar(first17: string): string | null {
  if ([...first17].length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_ALPHABET.indexOf(first17[i]!);
    if (v < 0) return null;
    sum += v * CREDIT_WEIGHTS[i]!;
  }
  return CREDIT_ALPHABET[(31 - (sum % 31)) % 31] ?? null;
}

/** Validates a credit code; returns it normalized. */
export function checkCreditCode(input: string | null | undefined): Check {
  const code = (input ?? '').trim().toUpperCase();
  if ([...code].length !== 18) return fail('org.credit_code_length', 'validation.creditCode.length');
  for (const c of code) {
    if (!CREDIT_ALPHABET.includes(c)) return fail('org.credit_code_charset', 'validation.creditCode.charset');
  }
  if (!/^\d{6}$/.test(code.slice(2, 8))) {
    return fail('org.credit_code_region', 'validation.creditCode.region');
  }
  const expected = creditCheckChar(code.slice(0, 17));
  if (expected === null) return fail('org.credit_code_charset', 'validation.creditCode.charset');
  if (code[17] !== expected) {
    return fail('org.credit_code_check_digit', 'validation.creditCode.checkDigit', { expected });
  }
  return pass(code);
}
