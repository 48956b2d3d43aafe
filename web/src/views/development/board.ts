/**
 * The 发展党员 board's and due list's logic: the board columns in pipeline order, the due
 * list's counts per step (the filter chips) and how each due item is shown.
 */
import type { BoardColumn, DueRow, DueView } from '@/api/types';
import { STAGES } from './steps';

/** Board columns in pipeline order (unknown stages last, as the server sent them). */
export function orderedColumns(cols: readonly BoardColumn[]): BoardColumn[] {
  const rank = (s: string) => {
    const i = (STAGES as readonly string[]).indexOf(s);
    return i < 0 ? STAGES.length : i;
  };
  return cols.map((c, i) => ({ c, i })).sort((a, b) => rank(a.c.stage) - rank(b.c.stage) || a.i - b.i).map((x) => x.c);
}

/** People still in the pipeline (not full members, not stopped): the board's headline. */
export function inPipeline(cols: readonly BoardColumn[]): number {
  return cols.filter((c) => c.stage !== 'full' && c.stage !== 'stopped').reduce((n, c) => n + c.count, 0);
}

/** How a due item reads: past its deadline, a deadline ahead, or the first day a step is possible. */
export type DueState = 'overdue' | 'deadline' | 'earliest';

export function dueState(d: Pick<DueView, 'kind' | 'overdue'>): DueState {
  if (d.overdue) return 'overdue';
  return d.kind === 'earliest' ? 'earliest' : 'deadline';
}

/** Element Plus tag type of a due state (overdue in red). */
export function dueTagType(s: DueState): 'danger' | 'warning' | 'info' {
  return s === 'overdue' ? 'danger' : s === 'deadline' ? 'warning' : 'info';
}

/** One filter chip of the due list: a step, its label, how many items, how many overdue. */
export interface DueCount {
  step: string;
  label: string;
  count: number;
  overdue: number;
}

/** Counts per step, the steps with overdue items first, then by count. */
export function dueCounts(rows: readonly DueRow[]): DueCount[] {
  const by = new Map<string, DueCount>();
  for (const r of rows) {
    const c = by.get(r.due.step) ?? { step: r.due.step, label: r.due.label, count: 0, overdue: 0 };
    c.count += 1;
    if (r.due.overdue) c.overdue += 1;
    by.set(r.due.step, c);
  }
  return [...by.values()].sort((a, b) => b.overdue - a.overdue || b.count - a.count || a.step.localeCompare(b.step));
}

/** The rows of one step ('' = all), keeping the server's order (overdue first, then by date). */
export function filterDue(rows: readonly DueRow[], step: string): DueRow[] {
  return step ? rows.filter((r) => r.due.step === step) : [...rows];
}
