/**
 * 评议考评 logic without component state:
 * - 民主评议党员: the four grades, the starting decision (the branch's grade, else the ballots'
 *   suggestion, else 合格), the live 优秀 ≤ ⅓ check (inclusive: 1 of 3, 2 of 6) the server
 *   enforces too;
 * - 双述双评联考: the weighted result of the three groups (each group's mean points × its
 *   weight, groups without ballots left out and the others reweighted), the grade by
 *   thresholds, and the lines of the evaluation sheet — the same computation as
 *   jiceng_domain::secretary_eval::Scheme::outcome.
 * Labels are catalogue keys (eval.appraisalGrades.*, eval.evalGrades.*, eval.groups.*).
 */

export const APPRAISAL_GRADES = ['excellent', 'qualified', 'basically_qualified', 'unqualified'] as const;
export type AppraisalGrade = (typeof APPRAISAL_GRADES)[number];

export const EVAL_GRADES = ['excellent', 'competent', 'basically_competent', 'incompetent'] as const;
export type EvalGrade = (typeof EVAL_GRADES)[number];

/** Rater groups in tally order: the township leadership (named), members, villager representatives. */
export const EVAL_GROUPS = ['leadership', 'members', 'representatives'] as const;
export type EvalGroup = (typeof EVAL_GROUPS)[number];

/** The groups that vote with anonymous slips. */
export const SLIP_GROUPS = ['members', 'representatives'] as const;

export function appraisalGradeKey(code: string | null | undefined): string {
  return (APPRAISAL_GRADES as readonly string[]).includes(code ?? '') ? `eval.appraisalGrades.${code}` : 'common.none';
}

export function evalGradeKey(code: string | null | undefined): string {
  return (EVAL_GRADES as readonly string[]).includes(code ?? '') ? `eval.evalGrades.${code}` : 'common.none';
}

export function groupKey(code: string | null | undefined): string {
  return (EVAL_GROUPS as readonly string[]).includes(code ?? '') ? `eval.groups.${code}` : 'common.none';
}

// ---------------------------------------------------------------------------------------
// 民主评议党员

/** Most members that may be graded 优秀: one third, rounded down (2 of 6, 1 of 5). */
export function excellentLimit(participants: number): number {
  return Math.floor(Math.max(0, participants) / 3);
}

export interface ExcellentCheck {
  count: number;
  limit: number;
  ok: boolean;
}

/** Counts 优秀 in a decision and compares with the limit (count × 3 ≤ participants). */
export function checkExcellent(grades: Record<number, string | undefined>, participants: number): ExcellentCheck {
  const count = Object.values(grades).filter((g) => g === 'excellent').length;
  return { count, limit: excellentLimit(participants), ok: count * 3 <= participants };
}

export interface ParticipantLike {
  member_id: number;
  suggested?: string | null;
  grade?: string | null;
}

/** The decision to start from: the recorded grade, else the ballots' suggestion, else 合格. */
export function initialDecision(ps: ParticipantLike[]): Record<number, AppraisalGrade> {
  const out: Record<number, AppraisalGrade> = {};
  for (const p of ps) {
    const g = [p.grade, p.suggested].find((x) => (APPRAISAL_GRADES as readonly string[]).includes(x ?? ''));
    out[p.member_id] = (g as AppraisalGrade | undefined) ?? 'qualified';
  }
  return out;
}

/** Every participant has a grade. */
export function gradedAll(grades: Record<number, string | undefined>, ps: ParticipantLike[]): boolean {
  return ps.every((p) => (APPRAISAL_GRADES as readonly string[]).includes(grades[p.member_id] ?? ''));
}

/** Ballots in a tally. */
export function tallyTotal(t: readonly number[] | undefined): number {
  return (t ?? []).reduce((a, b) => a + b, 0);
}

// ---------------------------------------------------------------------------------------
// 双述双评联考

export interface EvalScheme {
  /** Weight in percent of each group (leadership, members, representatives); sum 100. */
  weights: number[];
  /** Points of each ballot grade (优秀, 称职, 基本称职, 不称职). */
  points: number[];
  /** Lowest score of 优秀, 称职, 基本称职 (≥). */
  thresholds: number[];
}

/** The platform's default: 40 / 30 / 30, ballots 100 / 80 / 60 / 0, grades at 90 / 75 / 60. */
export const DEFAULT_SCHEME: EvalScheme = { weights: [40, 30, 30], points: [100, 80, 60, 0], thresholds: [90, 75, 60] };

/** Reads a scheme from the API's object; anything malformed gives the default. */
export function schemeOf(v: unknown): EvalScheme {
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  const nums = (x: unknown, n: number) => Array.isArray(x) && x.length === n && x.every((y) => typeof y === 'number');
  if (nums(o.weights, 3) && nums(o.points, 4) && nums(o.thresholds, 3)) {
    return { weights: o.weights as number[], points: o.points as number[], thresholds: o.thresholds as number[] };
  }
  return DEFAULT_SCHEME;
}

export interface GroupLine {
  group: EvalGroup;
  ballots: number;
  /** Ballots per grade. */
  tally: number[];
  /** Mean points (null without ballots). */
  mean: number | null;
  /** Weight in percent as the scheme gives it. */
  weight: number;
  /** mean × weight / (sum of the weights of the groups that voted), null without ballots. */
  contribution: number | null;
}

export interface WeightedResult {
  lines: GroupLine[];
  /** Sum of the weights of the groups with ballots (100 when all voted). */
  usedWeight: number;
  /** Weighted score rounded to 0.01. */
  score: number;
  grade: EvalGrade;
  /** Any ballot at all. */
  any: boolean;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function evalGrade(score: number, scheme: EvalScheme = DEFAULT_SCHEME): EvalGrade {
  const i = scheme.thresholds.findIndex((t) => score >= t);
  return i < 0 ? 'incompetent' : (EVAL_GRADES[i] ?? 'incompetent');
}

/** The weighted result of the three groups' tallies (rows: leadership, members, representatives). */
export function weightedResult(tallies: readonly (readonly number[])[], scheme: EvalScheme = DEFAULT_SCHEME): WeightedResult {
  const lines: GroupLine[] = EVAL_GROUPS.map((group, g) => {
    const tally = EVAL_GRADES.map((_, i) => tallies[g]?.[i] ?? 0);
    const ballots = tallyTotal(tally);
    const mean = ballots === 0 ? null : tally.reduce((s, c, i) => s + c * (scheme.points[i] ?? 0), 0) / ballots;
    return { group, ballots, tally, mean, weight: scheme.weights[g] ?? 0, contribution: null };
  });
  const usedWeight = lines.filter((l) => l.mean !== null).reduce((s, l) => s + l.weight, 0);
  let weighted = 0;
  for (const l of lines) {
    if (l.mean === null || usedWeight === 0) continue;
    l.contribution = (l.mean * l.weight) / usedWeight;
    weighted += l.mean * l.weight;
  }
  const score = usedWeight === 0 ? 0 : round2(weighted / usedWeight);
  return { lines, usedWeight, score, grade: evalGrade(score, scheme), any: usedWeight > 0 };
}

/** Two decimals, as on the sheet. */
export function fixed2(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '' : x.toFixed(2);
}

/** Normalizes a typed slip token (spaces, lower case) to what was printed. */
export function normalizeToken(s: string): string {
  return s.replace(/\s+/g, '').toUpperCase();
}
