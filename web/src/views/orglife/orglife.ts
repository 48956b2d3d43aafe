/**
 * Pure helpers of the 组织生活 screen: attendance lists, dues amounts and months, the checks
 * the removal (除名) form runs before sending (the server checks again and words refusals).
 */

export type AttendanceStatus = 'present' | 'excused' | 'absent';
export const MEETING_KINDS = [
  'theme_day',
  'general_meeting',
  'committee_meeting',
  'group_meeting',
  'lecture',
  'life_meeting',
  'member_appraisal',
] as const;

export interface AttendanceRow {
  member_id: number;
  name: string;
  status: AttendanceStatus;
  reason: string;
  /** What tells namesakes apart (from GET /api/v1/org-life/meetings/roster). */
  who?: Who | null;
}

/** A listed member's identity details (the server's AttendeeInfo). */
export interface Who {
  gender_zh: string;
  birth_year?: number | null;
  id_tail?: string | null;
  org_name?: string | null;
}

/** Ids of the rows whose name occurs more than once in the list. */
export function namesakeIds(rows: readonly { member_id: number; name: string }[]): Set<number> {
  const count = new Map<string, number>();
  for (const r of rows) count.set(r.name, (count.get(r.name) ?? 0) + 1);
  return new Set(rows.filter((r) => (count.get(r.name) ?? 0) > 1).map((r) => r.member_id));
}

/**
 * The identity line of a listed member: gender, year of birth, masked ID tail, org — each
 * part only when known; `born` and `idTail` word the parts (catalogue messages).
 */
export function whoParts(who: Who | null | undefined, born: (year: number) => string, idTail: (tail: string) => string): string[] {
  if (!who) return [];
  const out: string[] = [];
  if (who.gender_zh) out.push(who.gender_zh);
  if (who.birth_year) out.push(born(who.birth_year));
  if (who.id_tail) out.push(idTail(who.id_tail));
  if (who.org_name) out.push(who.org_name);
  return out;
}

/** Rows whose name or org contains the text (all rows for an empty text). */
export function filterRows<T extends { name: string; who?: Who | null }>(rows: readonly T[], text: string): T[] {
  const q = text.trim();
  if (!q) return [...rows];
  return rows.filter((r) => r.name.includes(q) || (r.who?.org_name ?? '').includes(q));
}

/** Counts of a list by status. */
export function tally(rows: AttendanceRow[]): Record<AttendanceStatus, number> {
  const out = { present: 0, excused: 0, absent: 0 };
  for (const r of rows) out[r.status] += 1;
  return out;
}

/** Yuan as typed ("0.5", "1", "12.30") → fen, or null when not a non-negative amount with ≤2 decimals. */
export function yuanToFen(text: string): number | null {
  const s = text.trim();
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return null;
  const [y, f = ''] = s.split('.');
  return Number(y) * 100 + Number((f + '00').slice(0, 2));
}

/** Fen → "0.50" yuan. */
export function fenToYuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** Every month from `from` to `to` (YYYY-MM, inclusive); empty when reversed or malformed. */
export function monthRange(from: string, to: string): string[] {
  const re = /^(\d{4})-(\d{2})$/;
  const a = re.exec(from);
  const b = re.exec(to);
  if (!a || !b) return [];
  let i = Number(a[1]) * 12 + Number(a[2]) - 1;
  const end = Number(b[1]) * 12 + Number(b[2]) - 1;
  const out: string[] = [];
  while (i <= end && out.length < 24) {
    out.push(`${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
    i += 1;
  }
  return out;
}

export interface RemovalForm {
  meeting_date: string;
  entitled: number | null;
  present: number | null;
  ayes: number | null;
  approved_on: string;
  approved_by: string;
  other_grounds: string;
}

/** Catalogue keys of the form's problems, by field. */
export function checkRemoval(f: RemovalForm, today: string): Record<string, string> {
  const p: Record<string, string> = {};
  if (!f.meeting_date) p.meeting_date = 'orgLife.removal.required';
  if (!f.approved_on) p.approved_on = 'orgLife.removal.required';
  else if (f.meeting_date && f.approved_on < f.meeting_date) p.approved_on = 'orgLife.removal.approvedBeforeMeeting';
  else if (today && f.approved_on > today) p.approved_on = 'orgLife.removal.future';
  if (!f.approved_by.trim()) p.approved_by = 'orgLife.removal.required';
  const n = (v: number | null) => v !== null && Number.isInteger(v) && v >= 0;
  if (!n(f.entitled) || (f.entitled ?? 0) < 1) p.entitled = 'orgLife.removal.count';
  if (!n(f.present)) p.present = 'orgLife.removal.count';
  else if (n(f.entitled) && (f.present ?? 0) > (f.entitled ?? 0)) p.present = 'orgLife.removal.presentOverEntitled';
  if (!n(f.ayes)) p.ayes = 'orgLife.removal.count';
  else if (n(f.present) && (f.ayes ?? 0) > (f.present ?? 0)) p.ayes = 'orgLife.removal.ayesOverPresent';
  return p;
}

export interface VoteCounts {
  entitled: number | null;
  present: number | null;
  ayes: number | null;
  written_ayes: number | null;
}

/** Catalogue key of what is wrong with the counts before asking the server, or null. */
export function checkCounts(c: VoteCounts, writtenCount: boolean): string | null {
  const ok = (v: number | null) => v !== null && Number.isInteger(v) && v >= 0;
  if (!ok(c.entitled) || (c.entitled ?? 0) < 1) return 'orgLife.vote.entitledRequired';
  if (!ok(c.present) || !ok(c.ayes)) return 'orgLife.vote.countsRequired';
  if ((c.present ?? 0) > (c.entitled ?? 0)) return 'orgLife.removal.presentOverEntitled';
  if ((c.ayes ?? 0) > (c.present ?? 0)) return 'orgLife.removal.ayesOverPresent';
  const w = writtenCount ? (c.written_ayes ?? 0) : 0;
  if (w < 0 || !Number.isInteger(w)) return 'orgLife.vote.countsRequired';
  if (w > (c.entitled ?? 0) - (c.present ?? 0)) return 'orgLife.vote.writtenOverAbsent';
  return null;
}
