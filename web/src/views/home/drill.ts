/**
 * Which members stand behind each member figure of the dashboard: the figure → predicate
 * mapping for GET /api/v1/stats/members (`filter`, JSON). The server counts a predicate
 * exactly as the summary counts the figure, so the drill-down's `total` equals the
 * number shown. Every mapping is listed here (and unit-tested in drill.test.ts).
 */
import type { StatsFilter } from '@/api/types';

/** Headline member figures (the cards and the status / gender charts). */
export type MemberFigure = 'total' | 'full' | 'probationary' | 'female' | 'male' | 'minority';

export function memberFilter(key: MemberFigure): StatsFilter {
  switch (key) {
    case 'total':
      return 'all';
    case 'full':
      return { not: 'probationary' };
    case 'probationary':
      return 'probationary';
    case 'female':
      return 'female';
    case 'male':
      // The summary counts men as everyone not counted as female.
      return { not: 'female' };
    case 'minority':
      return 'minority';
  }
}

/**
 * The eight national age bands of the summary, in its order (≤30, 31–35, 36–40, 41–45,
 * 46–50, 51–55, 56–60, ≥61): whole years on the as-of date, bounds inclusive.
 */
export const AGE_BANDS: readonly { min?: number; max?: number }[] = [
  { max: 30 },
  { min: 31, max: 35 },
  { min: 36, max: 40 },
  { min: 41, max: 45 },
  { min: 46, max: 50 },
  { min: 51, max: 55 },
  { min: 56, max: 60 },
  { min: 61 },
];

/** The `index`-th age band of `members.age_bands`; null for an index the mapping does not know. */
export function ageBandFilter(index: number): StatsFilter | null {
  const band = AGE_BANDS[index];
  return band ? { age: { ...band } } : null;
}

/** The three seed age groups (`members.age_seed`). */
export const AGE_SEED: Record<string, { min?: number; max?: number }> = {
  le35: { max: 35 },
  '36_55': { min: 36, max: 55 },
  gt55: { min: 56 },
};

export function ageSeedFilter(key: string): StatsFilter | null {
  const a = AGE_SEED[key];
  return a ? { age: { ...a } } : null;
}

/** One education code (`members.education[code]`). */
export function educationFilter(code: string): StatsFilter {
  return { education: [code] };
}

/** The three seed education levels (`members.education_seed`) as education codes. */
export const EDUCATION_SEED: Record<string, string[]> = {
  college_or_above: ['postgraduate', 'bachelor', 'college'],
  secondary_or_high_school: ['technical_secondary', 'high_school'],
  junior_high_or_below: ['junior_or_below'],
};

export function educationSeedFilter(key: string): StatsFilter | null {
  const codes = EDUCATION_SEED[key];
  return codes ? { education: [...codes] } : null;
}

/** One occupation code (`members.occupation[code]`). */
export function occupationFilter(code: string): StatsFilter {
  return { occupation: [code] };
}

/**
 * The join eras (`members.join_era`): founding of the PRC 1949-10-01, the Third Plenum
 * 1978-12-18, the 18th Party Congress 2012-11-08; half-open intervals.
 */
export const JOIN_ERAS: Record<string, { from?: string; before?: string }> = {
  before_1949_10: { before: '1949-10-01' },
  '1949_10_to_1978_12': { from: '1949-10-01', before: '1978-12-18' },
  '1978_12_to_2012_11': { from: '1978-12-18', before: '2012-11-08' },
  since_2012_11: { from: '2012-11-08' },
};

export function joinEraFilter(key: string): StatsFilter | null {
  const era = JOIN_ERAS[key];
  return era ? { joined: { ...era } } : null;
}

/** Members of the orgs of one field (`orgs.by_field[code].members`). */
export function fieldFilter(code: string): StatsFilter {
  return { field: [code] };
}

/** Village cadre figures (`village_cadres`). */
export type VillageCadreFigure = 'total' | 'secretaries' | 'directors' | 'dual_role';

/** Every village post code (a member holding any of them is a village cadre). */
export const VILLAGE_POSTS = [
  'secretary',
  'director',
  'secretary_director',
  'deputy_secretary',
  'deputy_director',
  'committee_member',
] as const;

export function villageCadreFilter(key: VillageCadreFigure): StatsFilter {
  switch (key) {
    case 'total':
      return { village_post: [...VILLAGE_POSTS] };
    case 'secretaries':
      return { village_post: ['secretary', 'secretary_director'] };
    case 'directors':
      return { village_post: ['director', 'secretary_director'] };
    case 'dual_role':
      return { village_post: ['secretary_director'] };
  }
}
