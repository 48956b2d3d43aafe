/**
 * Roster filters of the member list: the form state, its API query (GET /api/v1/members
 * and the XLSX export take the same parameters) and its round trip through the URL, so a
 * filtered view can be bookmarked and survives going to a member and back.
 */
import type { MemberFilters } from '@/api/query';

/** Tri-state flag filter: '' = any, 'true' / 'false'. */
export type Flag = '' | 'true' | 'false';

export const FLAG_KEYS = ['floating', 'retired', 'pre1949_veteran', 'in_difficulty', 'holds_office'] as const;
export type FlagKey = (typeof FLAG_KEYS)[number];

/** Sort keys the API knows (`org` is its default: tree order). */
export const SORT_KEYS = ['org', 'name', 'birth_date', 'join_date'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface RosterState {
  org: number | null;
  q: string;
  gender: string;
  ethnicity: string;
  education: string;
  occupation: string;
  status: string;
  village_post: string;
  age_min: number | null;
  age_max: number | null;
  join_from: string;
  join_to: string;
  birth_from: string;
  birth_to: string;
  full_from: string;
  full_to: string;
  native_place: string;
  floating: Flag;
  retired: Flag;
  pre1949_veteran: Flag;
  in_difficulty: Flag;
  holds_office: Flag;
  include_left: boolean;
  sort: SortKey;
  page: number;
  page_size: number;
}

export const PAGE_SIZES = [20, 50, 100, 200] as const;

export function emptyState(org: number | null = null): RosterState {
  return {
    org,
    q: '',
    gender: '',
    ethnicity: '',
    education: '',
    occupation: '',
    status: '',
    village_post: '',
    age_min: null,
    age_max: null,
    join_from: '',
    join_to: '',
    birth_from: '',
    birth_to: '',
    full_from: '',
    full_to: '',
    native_place: '',
    floating: '',
    retired: '',
    pre1949_veteran: '',
    in_difficulty: '',
    holds_office: '',
    include_left: false,
    sort: 'org',
    page: 1,
    page_size: 20,
  };
}

const TEXT_KEYS = [
  'q',
  'gender',
  'ethnicity',
  'education',
  'occupation',
  'status',
  'village_post',
  'join_from',
  'join_to',
  'birth_from',
  'birth_to',
  'full_from',
  'full_to',
  'native_place',
] as const;

function flagValue(f: Flag): boolean | undefined {
  return f === 'true' ? true : f === 'false' ? false : undefined;
}

/** The filters as API query parameters (without paging); empty fields are left out. */
export function toFilters(s: RosterState): MemberFilters {
  const f: Record<string, string | number | boolean> = {};
  if (s.org !== null) f.org = s.org;
  for (const k of TEXT_KEYS) {
    const v = s[k].trim();
    if (v) f[k] = v;
  }
  if (s.age_min !== null && Number.isFinite(s.age_min)) f.age_min = s.age_min;
  if (s.age_max !== null && Number.isFinite(s.age_max)) f.age_max = s.age_max;
  for (const k of FLAG_KEYS) {
    const v = flagValue(s[k]);
    if (v !== undefined) f[k] = v;
  }
  if (s.include_left) f.include_left = true;
  if (s.sort !== 'org') f.sort = s.sort;
  return f as MemberFilters;
}

/** Filters plus paging, for GET /api/v1/members. */
export function toListQuery(s: RosterState): MemberFilters & { page: number; page_size: number } {
  return { ...toFilters(s), page: s.page, page_size: s.page_size };
}

/** Number of filters set besides the org, the search text, sort and paging (for a badge). */
export function activeFilterCount(s: RosterState): number {
  const f = toFilters(s) as Record<string, unknown>;
  return Object.keys(f).filter((k) => !['org', 'q', 'sort'].includes(k)).length;
}

type RouteQuery = Record<string, string | null | (string | null)[] | undefined>;

function first(v: string | null | (string | null)[] | undefined): string {
  if (Array.isArray(v)) return v[0] ?? '';
  return v ?? '';
}

function int(v: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(v)) return null;
  const n = Number(v);
  return n >= min && n <= max ? n : null;
}

/** Reads the state from a route query (unknown or malformed values are ignored). */
export function fromRouteQuery(q: RouteQuery, defaultOrg: number | null): RosterState {
  const s = emptyState(defaultOrg);
  const org = int(first(q.org), 1, Number.MAX_SAFE_INTEGER);
  if (org !== null) s.org = org;
  for (const k of TEXT_KEYS) s[k] = first(q[k]);
  s.age_min = int(first(q.age_min), 0, 150);
  s.age_max = int(first(q.age_max), 0, 150);
  for (const k of FLAG_KEYS) {
    const v = first(q[k]);
    s[k] = v === 'true' || v === 'false' ? v : '';
  }
  s.include_left = first(q.include_left) === 'true';
  const sort = first(q.sort);
  s.sort = (SORT_KEYS as readonly string[]).includes(sort) ? (sort as SortKey) : 'org';
  s.page = int(first(q.page), 1, 1_000_000) ?? 1;
  const size = int(first(q.page_size), 1, 500);
  s.page_size = size !== null && (PAGE_SIZES as readonly number[]).includes(size) ? size : 20;
  return s;
}

/** The state as a route query (strings only; defaults left out). */
export function toRouteQuery(s: RosterState): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(toFilters(s))) out[k] = String(v);
  if (s.page !== 1) out.page = String(s.page);
  if (s.page_size !== 20) out.page_size = String(s.page_size);
  return out;
}

/**
 * What a search text matches besides names, said out loud on the roster (the server's search,
 * GET /api/v1/members?q=): exactly 4 digits are looked up both as the last 4 characters of an
 * ID number and inside phone numbers; 3 digits and X only as an ID tail; other runs of 5 or
 * more digits only inside phone numbers; a full 18-character ID number only as an ID number.
 */
export function searchMatches(q: string): 'id_tail_and_phone' | 'id_tail' | 'phone' | 'id' | null {
  const s = q.trim();
  if (s.length === 18 && /^\d{17}[\dXx]$/.test(s)) return 'id';
  if (/^\d{3}[Xx]$/.test(s)) return 'id_tail';
  if (/^\d{4}$/.test(s)) return 'id_tail_and_phone';
  if (/^\d{5,}$/.test(s)) return 'phone';
  return null;
}
