/**
 * 评定轮次 logic without component state: the scheme arithmetic the scoring form shows live
 * (total, the tier a total reaches — the server recomputes both and its answer is
 * authoritative), score bounds, the status of an org in a round (待评分 / 已评分 / 已审定 /
 * 已公布), the body of a score, the round list's filters, and the latest published year the
 * dashboard's tier card shows.
 */
import type { PublicationView, RatingView, RoundView } from '@/api/types';

/** GET /api/v1/ratings/schemes (typed `object` in OpenAPI). */
export interface SchemeIndicator {
  code: string;
  text: string;
  max_points: number;
  evidence?: string;
}
export interface SchemeDimension {
  name: string;
  indicators: SchemeIndicator[];
}
export interface SchemeTier {
  name: string;
  min_score: number;
}
export interface RatingScheme {
  code: string;
  name: string;
  from_year: number;
  /** `scored` (points) or `checklist` (one point per item met). */
  kind: string;
  source: string;
  applies_to?: { fields?: string[]; kinds?: string[] };
  dimensions: SchemeDimension[];
  /** Best first, thresholds inclusive ("≥"). */
  tiers: SchemeTier[];
  weak_tiers?: string[];
}

export function indicatorsOf(s: RatingScheme): SchemeIndicator[] {
  return s.dimensions.flatMap((d) => d.indicators);
}

/** The highest possible total. */
export function maxTotal(s: RatingScheme): number {
  return indicatorsOf(s).reduce((n, i) => n + i.max_points, 0);
}

/** A score kept within 0 … max, whole points (empty / not a number → 0). */
export function clampScore(v: unknown, max: number): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) return 0;
  return Math.min(max, Math.max(0, Math.round(n)));
}

/** Sum of the points given to the scheme's indicators (unknown codes ignored, each bounded). */
export function totalOf(s: RatingScheme, scores: Record<string, number | null | undefined>): number {
  return indicatorsOf(s).reduce((n, i) => n + clampScore(scores[i.code] ?? 0, i.max_points), 0);
}

/** The tier a total reaches: the best whose threshold it meets (≥), else the last. */
export function tierFor(s: RatingScheme, total: number): string {
  const hit = s.tiers.find((t) => total >= t.min_score);
  return (hit ?? s.tiers[s.tiers.length - 1])?.name ?? '';
}

/** Indicators left unscored (no number entered). */
export function unscored(s: RatingScheme, scores: Record<string, number | null | undefined>): string[] {
  return indicatorsOf(s)
    .filter((i) => scores[i.code] === null || scores[i.code] === undefined)
    .map((i) => i.code);
}

export interface ScoreForm {
  scores: Record<string, number | null | undefined>;
  comments: Record<string, string>;
  /** 佐证材料 per indicator. */
  evidence: Record<string, string>;
  /** '' = the tier the score gives. */
  proposedTier: string;
  reason: string;
}

/** Whether a proposal needs a reason: a tier other than the score's. */
export function proposalNeedsReason(s: RatingScheme, f: ScoreForm): boolean {
  return !!f.proposedTier && f.proposedTier !== tierFor(s, totalOf(s, f.scores));
}

/** The PUT body: every indicator's points (bounded), non-empty comments and evidence, the proposal. */
export function scoreBody(
  s: RatingScheme,
  f: ScoreForm,
  version: number | null,
): {
  version?: number;
  scores: Record<string, number>;
  comments: Record<string, string>;
  evidence: Record<string, string>;
  proposed_tier?: string;
  reason?: string;
} {
  const scores: Record<string, number> = {};
  const comments: Record<string, string> = {};
  const evidence: Record<string, string> = {};
  for (const i of indicatorsOf(s)) {
    scores[i.code] = clampScore(f.scores[i.code] ?? 0, i.max_points);
    const c = (f.comments[i.code] ?? '').trim();
    if (c) comments[i.code] = c;
    const e = (f.evidence[i.code] ?? '').trim();
    if (e) evidence[i.code] = e;
  }
  const body: ReturnType<typeof scoreBody> = { scores, comments, evidence };
  if (version !== null) body.version = version;
  if (proposalNeedsReason(s, f)) {
    body.proposed_tier = f.proposedTier;
    body.reason = f.reason.trim();
  }
  return body;
}

/** The form for an org: its saved rating, or empty. */
export function formOf(r: RatingView | null | undefined): ScoreForm {
  return {
    scores: { ...(r?.scores ?? {}) },
    comments: { ...(r?.comments ?? {}) },
    evidence: { ...(r?.evidence ?? {}) },
    proposedTier: r?.proposed_tier ?? '',
    reason: r?.proposal_reason ?? '',
  };
}

export type OrgStatus = 'pending' | 'scored' | 'approved' | 'published';

/** Status of an org in a round: approved ratings of a published round are 已公布. */
export function orgStatus(status: string, roundStatus: string): OrgStatus {
  if (status === 'approved') return roundStatus === 'published' ? 'published' : 'approved';
  if (status === 'scored') return 'scored';
  return 'pending';
}

/** Element Plus tag type per status. */
export function statusTag(s: OrgStatus): 'info' | 'warning' | 'success' | 'primary' {
  return ({ pending: 'info', scored: 'warning', approved: 'success', published: 'primary' } as const)[s];
}

export interface RoundFilter {
  year?: number | null;
  scheme?: string;
  status?: string;
}

export function filterRounds(rows: readonly RoundView[], f: RoundFilter): RoundView[] {
  return rows.filter(
    (r) => (!f.year || r.year === f.year) && (!f.scheme || r.scheme === f.scheme) && (!f.status || r.status === f.status),
  );
}

/** The latest year with a published round, partial or not (null: none). */
export function latestPublishedYear(rows: readonly Pick<RoundView, 'year' | 'status'>[]): number | null {
  let y: number | null = null;
  for (const r of rows) if (r.status === 'published' && (y === null || r.year > y)) y = r.year;
  return y;
}

type Published = Pick<RoundView, 'year' | 'status'> & { publication?: Pick<PublicationView, 'kind' | 'approved' | 'applicable'> | null };

/** A round published in full (every applicable org approved) and not withdrawn. */
export function isComplete(r: Published): boolean {
  return r.status === 'published' && r.publication?.kind === 'full';
}

/**
 * The latest year with a round published in full and not withdrawn (null: none) — what the
 * dashboard's tier card shows. Partial publications (部分公布) and publications made before
 * completeness was checked are never "the latest".
 */
export function latestCompleteYear(rows: readonly Published[]): number | null {
  let y: number | null = null;
  for (const r of rows) if (isComplete(r) && (y === null || r.year > y)) y = r.year;
  return y;
}

/** A partial publication newer than the latest complete year (the card says it is left out). */
export function newerPartial<T extends Published>(rows: readonly T[], complete: number | null): T | null {
  let hit: T | null = null;
  for (const r of rows) {
    if (r.status !== 'published' || r.publication?.kind !== 'partial') continue;
    if (complete !== null && r.year <= complete) continue;
    if (!hit || r.year > hit.year) hit = r;
  }
  return hit;
}

/** The year a new round is opened for by default: the year after the latest round, else this year. */
export function nextRoundYear(rows: readonly Pick<RoundView, 'year'>[], today: string): number {
  const max = rows.reduce((m, r) => Math.max(m, r.year), 0);
  const now = Number(today.slice(0, 4)) || new Date().getFullYear();
  return max ? max + 1 : now;
}

/**
 * How a scheme's orgs are counted in messages (catalogue key under ratingRound.units):
 * villages for a scheme of rural orgs only, as the server words it, else orgs.
 */
export function unitOf(s: Pick<RatingScheme, 'applies_to'> | null | undefined): 'village' | 'org' {
  const f = s?.applies_to?.fields ?? [];
  return f.length === 1 && f[0] === 'rural' ? 'village' : 'org';
}

/** Shortest reason for a partial publication or a withdrawal (characters, trimmed; the server checks it too). */
export const MIN_REASON_CHARS = 10;

export function reasonOk(reason: string): boolean {
  return [...reason.trim()].length >= MIN_REASON_CHARS;
}

/** The first day a round of `year` may be published: 1 January of the next year. */
export function earliestPublication(year: number): string {
  return `${year + 1}-01-01`;
}

/**
 * The default first day of the notice period: today, unless today is still in the rated year
 * (then the first possible day, which the server refuses until it comes).
 */
export function defaultPublishFrom(year: number, today: string): string {
  const earliest = earliestPublication(year);
  return today && today >= earliest ? today : earliest;
}

/** Rows that may be approved in bulk: scored, not yet approved. */
export function approvable<T extends { status: string; rating?: RatingView | null }>(rows: readonly T[]): T[] {
  return rows.filter((r) => r.status === 'scored' && !!r.rating);
}
