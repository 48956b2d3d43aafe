/**
 * 分类定级 logic without component state: the distribution chart (bars with count and
 * percent), the ledger's movement (↑ / ↓ with steps), its award / weak filter, and whether a
 * year has any approved tier at all (the empty state).
 */
import type { Distribution, LedgerRow } from '@/api/types';
import type { ChartOption } from '@/components/echarts';
import { PALETTE } from '@/components/echarts';

/** No org of the subtree has an approved tier this year. */
export function isEmpty(d: Distribution | null): boolean {
  return !d || d.total === 0;
}

/** Bars per tier (scheme order) labelled with the count and the percent. */
export function distributionChart(
  d: Distribution,
  countLabel: string,
  barLabel: (count: number, percent: number) => string = (n, p) => `${n} (${p}%)`,
): ChartOption {
  return {
    color: [PALETTE[0]!],
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: d.rows.map((r) => r.tier) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        name: countLabel,
        type: 'bar',
        barMaxWidth: 40,
        data: d.rows.map((r) => r.count),
        label: {
          show: true,
          position: 'top',
          formatter: (p: { dataIndex: number }) => {
            const r = d.rows[p.dataIndex];
            return r ? barLabel(r.count, r.percent) : '';
          },
        },
      },
    ],
  };
}

export interface Movement {
  /** 'up' | 'down' | 'same' | 'new' (no tier last year). */
  dir: 'up' | 'down' | 'same' | 'new';
  steps: number;
  /** Shown text: ↑2, ↓1, —, or '' when new. */
  text: string;
}

export function movementOf(r: Pick<LedgerRow, 'movement' | 'last_tier'>): Movement {
  const m = r.movement;
  if (m === null || m === undefined || !r.last_tier) return { dir: 'new', steps: 0, text: '' };
  if (m > 0) return { dir: 'up', steps: m, text: `↑${m}` };
  if (m < 0) return { dir: 'down', steps: -m, text: `↓${-m}` };
  return { dir: 'same', steps: 0, text: '—' };
}

export type LedgerFilter = '' | 'weak' | 'award';

export function filterLedger(rows: readonly LedgerRow[], f: LedgerFilter): LedgerRow[] {
  if (f === 'weak') return rows.filter((r) => r.weak);
  if (f === 'award') return rows.filter((r) => r.award);
  return [...rows];
}

/** One page (from 1) of a list shown in pages on the client. */
export function pageOf<T>(rows: readonly T[], page: number, size: number): T[] {
  const start = (Math.max(1, page) - 1) * size;
  return rows.slice(start, start + size);
}

/** The 整改方案 form (create: problems, measures, owner, helper, deadline; edit: measures, deadline, completion). */
export interface PlanForm {
  problems: string;
  measures: string;
  owner: string;
  helper: string;
  deadline: string;
  done: boolean;
  completed: string;
  evidence: string;
}

const YMD = /^\d{4}-\d{2}-\d{2}$/;

/** Field → catalogue key of what is missing, before asking the server (which checks again). */
export function planProblems(f: PlanForm, editing: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  if (!editing && !f.problems.trim()) out.problems = 'validation.required';
  if (!f.measures.trim()) out.measures = 'validation.required';
  if (!editing && !f.owner.trim()) out.owner = 'validation.required';
  if (!YMD.test(f.deadline)) out.deadline = 'validation.required';
  if (editing && f.done) {
    if (!YMD.test(f.completed)) out.completed = 'validation.required';
    if (!f.evidence.trim()) out.evidence = 'ratingPlan.evidenceHint';
  }
  return out;
}

/** Weak ledger rows by org: its plan of the year, if drawn up. */
export function planByOrg<T extends { org_id: number; year: number }>(plans: readonly T[], year: number): Map<number, T> {
  const m = new Map<number, T>();
  for (const p of plans) if (p.year === year) m.set(p.org_id, p);
  return m;
}

/** Year-over-year movement: last year's tier (rows; `null` = not rated last year) × this year's. */
export interface MovementMatrix {
  /** This year's tiers in scheme order (columns). */
  tiers: string[];
  /** Last year's tiers in scheme order, then `null` for orgs new to the ledger (rows). */
  from: (string | null)[];
  /** counts[row][column]. */
  counts: number[][];
  up: number;
  same: number;
  down: number;
  fresh: number;
}

/** Counts the ledger's rows by last year's and this year's tier (tiers in `order`). */
export function movementMatrix(rows: readonly Pick<LedgerRow, 'tier' | 'last_tier' | 'movement'>[], order: readonly string[]): MovementMatrix {
  const tiers = [...order];
  for (const r of rows) if (!tiers.includes(r.tier)) tiers.push(r.tier);
  const from: (string | null)[] = [...tiers];
  for (const r of rows) if (r.last_tier && !from.includes(r.last_tier)) from.push(r.last_tier);
  from.push(null);
  const counts = from.map(() => tiers.map(() => 0));
  let up = 0;
  let same = 0;
  let down = 0;
  let fresh = 0;
  for (const r of rows) {
    const i = from.indexOf(r.last_tier ?? null);
    const j = tiers.indexOf(r.tier);
    counts[i]![j]! += 1;
    if (!r.last_tier || r.movement === null || r.movement === undefined) fresh += 1;
    else if (r.movement > 0) up += 1;
    else if (r.movement < 0) down += 1;
    else same += 1;
  }
  return { tiers, from, counts, up, same, down, fresh };
}

/** Stacked bars: one bar per tier this year, stacked by where the orgs came from. */
export function movementChart(m: MovementMatrix, freshLabel: string, lastLabel: (tier: string) => string): ChartOption {
  return {
    color: PALETTE,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: m.tiers },
    yAxis: { type: 'value', minInterval: 1 },
    series: m.from
      .map((f, i) => ({
        name: f === null ? freshLabel : lastLabel(f),
        type: 'bar' as const,
        stack: 'from',
        barMaxWidth: 48,
        data: m.counts[i]!,
      }))
      .filter((s) => s.data.some((n) => n > 0)),
  };
}
