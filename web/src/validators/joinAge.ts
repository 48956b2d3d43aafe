/**
 * 入党时须年满十八岁 (Party Constitution, art. 1) — mirrors the server's
 * `member.join_under_18` check: age on the join date, in whole years, at least 18.
 * Both dates are `YYYY-MM-DD`; when either is missing or malformed this check passes
 * (the date validators report those).
 */
import { ageOn, parseYmd } from './date';
import { fail, pass, type Check } from './result';

export const MIN_JOIN_AGE = 18;

export function checkJoinAge(birth: string | null | undefined, joinDate: string | null | undefined): Check {
  const b = parseYmd(birth);
  const j = parseYmd(joinDate);
  if (!b || !j) return pass(joinDate ?? '');
  if (ageOn(b, j) < MIN_JOIN_AGE) return fail('member.join_under_18', 'validation.joinAge.under18');
  return pass(joinDate ?? '');
}
