/**
 * Columns of the roster table and the user's choice of them, kept in localStorage so it
 * survives reloads (per browser, not per account: the same person uses the same browser).
 */
export const MEMBER_COLUMNS = [
  'gender',
  'ethnicity',
  'birth_date',
  'id_number',
  'org_name',
  'status',
  'education',
  'occupation',
  'join_date',
  'full_date',
  'phone',
  'village_post',
  'native_place',
  'address',
  'flags',
  'left',
] as const;
export type MemberColumn = (typeof MEMBER_COLUMNS)[number];

export const DEFAULT_COLUMNS: readonly MemberColumn[] = [
  'gender',
  'ethnicity',
  'birth_date',
  'id_number',
  'org_name',
  'status',
  'education',
  'join_date',
  'phone',
];

export const COLUMNS_STORAGE_KEY = 'jiceng.members.columns';

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The saved choice (unknown names dropped, table order kept), or the defaults. */
export function loadColumns(): MemberColumn[] {
  const raw = storage()?.getItem(COLUMNS_STORAGE_KEY);
  if (!raw) return [...DEFAULT_COLUMNS];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [...DEFAULT_COLUMNS];
    const set = new Set(parsed.filter((x): x is string => typeof x === 'string'));
    return MEMBER_COLUMNS.filter((c) => set.has(c));
  } catch {
    return [...DEFAULT_COLUMNS];
  }
}

export function saveColumns(cols: readonly string[]): void {
  const known = MEMBER_COLUMNS.filter((c) => cols.includes(c));
  try {
    storage()?.setItem(COLUMNS_STORAGE_KEY, JSON.stringify(known));
  } catch {
    // storage full or disabled: the choice lasts for this page only
  }
}
