/**
 * Pure helpers of the org-tree screen (no component state): which listed orgs are the top
 * of the caller's scope, which kinds may sit under which, re-election due highlighting and
 * the readable changes of an org's `updated` event.
 */
import type { OrgView } from '@/api/types';
import { compareYmd, formatYmd, parseYmd, type Ymd } from '@/validators';

/**
 * The top-of-scope orgs of a listing in tree order: those whose parent is not in the list
 * (GET /api/v1/orgs answers the caller's orgs only, so a parent outside it is out of scope).
 */
export function topOrgs(items: readonly OrgView[]): OrgView[] {
  const ids = new Set(items.map((o) => o.id));
  return items.filter((o) => o.parent_id === null || o.parent_id === undefined || !ids.has(o.parent_id));
}

/**
 * Drops orgs nested in another org of the list (by materialized path), keeping order:
 * for grants that may overlap.
 */
export function outermost<T extends { path: string }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((o) => {
    if (seen.has(o.path)) return false;
    seen.add(o.path);
    return !items.some((x) => x.path !== o.path && o.path.startsWith(x.path));
  });
}

/** Ids on a materialized path `/1/17/305/` → [1, 17, 305]. */
export function pathIds(path: string): number[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
}

const ALL_KINDS = ['committee', 'working_committee', 'general_branch', 'branch', 'temporary_branch', 'group'];

/**
 * Kinds that may be created under a parent of `parentKind` (mirrors the server's
 * `check_parent_kind`: 党委/党工委 take anything, 党总支 takes branches and groups,
 * branches take 党小组 only, 党小组 takes nothing).
 */
export function allowedChildKinds(parentKind: string | null | undefined): string[] {
  switch (parentKind) {
    case 'committee':
    case 'working_committee':
      return [...ALL_KINDS];
    case 'general_branch':
      return ['branch', 'temporary_branch', 'group'];
    case 'branch':
    case 'temporary_branch':
      return ['group'];
    default:
      return [];
  }
}

/** Whether an org of `kind` may hold members directly (党小组 may not). */
export function holdsMembers(kind: string | null | undefined): boolean {
  return kind !== 'group';
}

function addMonths(d: Ymd, months: number): Ymd {
  const total = d.y * 12 + (d.m - 1) + months;
  const y = Math.floor(total / 12);
  const m = (total % 12) + 1;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { y, m, d: Math.min(d.d, last) };
}

export type ReelectionState = 'overdue' | 'soon' | 'ok';

/**
 * How urgent a re-election is on `today`: `overdue` when the due date has passed, `soon`
 * when it falls within six months of today (inclusive), `ok` otherwise; `null` when either
 * date is missing or malformed.
 */
export function reelectionState(due: string | null | undefined, today: string | null | undefined): ReelectionState | null {
  const d = parseYmd(due);
  const t = parseYmd(today);
  if (!d || !t) return null;
  if (compareYmd(d, t) < 0) return 'overdue';
  if (compareYmd(d, addMonths(t, 6)) <= 0) return 'soon';
  return 'ok';
}

/** `YYYY-MM-DD` six months after a date (or '' when malformed). */
export function sixMonthsAfter(date: string): string {
  const d = parseYmd(date);
  return d ? formatYmd(addMonths(d, 6)) : '';
}

/** Fields of an org whose changes the history shows (labels: `org.fields.<name>`). */
export const ORG_CHANGE_FIELDS = [
  'name',
  'short_name',
  'field',
  'setup_mode',
  'founded',
  'region_code',
  'credit_code',
  'address',
  'phone',
  'term_start',
] as const;

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** The changed fields of an `updated` org event (`data: {before, after}`). */
export function orgEventChanges(data: unknown): FieldChange[] {
  if (typeof data !== 'object' || data === null) return [];
  const { before, after } = data as { before?: Record<string, unknown>; after?: Record<string, unknown> };
  if (!before || !after) return [];
  const out: FieldChange[] = [];
  for (const f of ORG_CHANGE_FIELDS) {
    const a = after[f] ?? null;
    const b = before[f] ?? null;
    if (a !== b) out.push({ field: f, from: b, to: a });
  }
  return out;
}
