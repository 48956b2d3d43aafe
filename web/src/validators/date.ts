import { fail, pass, type Check } from './result';

/** A calendar date without time zone: year, month (1–12), day. */
export interface Ymd {
  y: number;
  m: number;
  d: number;
}

const YMD_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** True when y-m-d is a real Gregorian date (years 1–9999). */
export function isRealDate(y: number, m: number, d: number): boolean {
  return (
    Number.isInteger(y) &&
    Number.isInteger(m) &&
    Number.isInteger(d) &&
    y >= 1 &&
    y <= 9999 &&
    m >= 1 &&
    m <= 12 &&
    d >= 1 &&
    d <= daysInMonth(y, m)
  );
}

/** Parses strict `YYYY-MM-DD` (zero-padded, real date); `null` otherwise. */
export function parseYmd(text: string | null | undefined): Ymd | null {
  const m = YMD_RE.exec((text ?? '').trim());
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return isRealDate(y, mo, d) ? { y, m: mo, d } : null;
}

export function formatYmd(v: Ymd): string {
  return `${String(v.y).padStart(4, '0')}-${String(v.m).padStart(2, '0')}-${String(v.d).padStart(2, '0')}`;
}

/** Compares two dates: negative, zero or positive. */
export function compareYmd(a: Ymd, b: Ymd): number {
  return a.y - b.y || a.m - b.m || a.d - b.d;
}

/**
 * Whole years of age on `asOf` (the birthday counts on its day; a 29 February birthday
 * counts on 1 March in non-leap years), as the server's `age_on`.
 */
export function ageOn(birth: Ymd, asOf: Ymd): number {
  let years = asOf.y - birth.y;
  if (asOf.m < birth.m || (asOf.m === birth.m && asOf.d < birth.d)) years -= 1;
  return years;
}

/** Checks a `YYYY-MM-DD` date (server: `date_invalid`). Returns the trimmed text. */
export function checkDate(text: string | null | undefined): Check {
  const t = (text ?? '').trim();
  if (!YMD_RE.test(t)) return fail('date_invalid', 'validation.date.format');
  if (!parseYmd(t)) return fail('date_invalid', 'validation.date.invalid');
  return pass(t);
}
