/**
 * The annual report (年报) screen's logic, kept out of the components so it is unit-tested:
 * which cells open the names behind them, the cell references the drill-down takes, the
 * rows as the form lays them out, and the checks' tally.
 */
import type { AnnualCheck, AnnualList, AnnualTable } from '@/api/types';
import { grouped } from '@/utils/format';

/**
 * Rows that are sums of other rows: nothing to drill (the component rows are). T1: 二、本年增加
 * (2) = 3 + 5 + 7, 三、本年减少 (9) = 10 … 13, 四、本年底应有数 (15) = 1 + 2 − 9.
 */
export const SUM_ROWS: Record<string, readonly string[]> = {
  T1: ['2', '9', '15'],
};

/** Tables whose drill-downs list events (the reconciliation): event and date columns always shown. */
export function showsEvents(table: Pick<AnnualTable, 'code' | 'kind'>): boolean {
  return table.kind === 'reconciliation';
}

/** `T1/13/A`: the `cell` of /stats/annual/drill. */
export function cellRef(code: string, rowKey: string, colKey: string): string {
  return `${code}/${rowKey}/${colKey}`;
}

/** `annual-cell-T1-13-A`: the data-testid of a cell (its text is the grouped number). */
export function cellTestId(code: string, rowKey: string, colKey: string): string {
  return `annual-cell-${code}-${rowKey}-${colKey}`;
}

/** Whether a number opens the names behind it: non-zero, in a computed table, not a sum row. */
export function isDrillable(table: Pick<AnnualTable, 'code' | 'kind'>, rowKey: string, value: number): boolean {
  if (table.kind === 'not_collected' || value === 0) return false;
  return !(SUM_ROWS[table.code] ?? []).includes(rowKey);
}

/** How a row label sits in the form: a numbered section (一、…), a 其中 sub-row, or a plain row. */
export type RowLevel = 'section' | 'sub' | 'row';

export function rowLevel(label: string): RowLevel {
  // 一、 二、 … 十、: a Chinese numeral and the enumeration comma (U+3001)
  if (/^[\u4e00\u4e8c\u4e09\u56db\u4e94\u516d\u4e03\u516b\u4e5d\u5341]{1,2}\u3001/.test(label)) return 'section';
  // 其中
  if (/^\u5176\u4e2d/.test(label)) return 'sub';
  return 'row';
}

export interface CellView {
  colKey: string;
  value: number;
  text: string;
  ref: string;
  testid: string;
  drillable: boolean;
}

export interface RowView {
  key: string;
  label: string;
  level: RowLevel;
  cells: CellView[];
}

/** The table's rows with their cells, as the grid renders them (empty when not collected). */
export function tableRows(table: AnnualTable): RowView[] {
  if (table.kind === 'not_collected') return [];
  return table.rows.map((r, i) => ({
    key: r.key,
    label: r.label,
    level: rowLevel(r.label),
    cells: table.cols.map((c, j) => {
      const value = table.cells[i]?.[j] ?? 0;
      return {
        colKey: c.key,
        value,
        text: grouped(value),
        ref: cellRef(table.code, r.key, c.key),
        testid: cellTestId(table.code, r.key, c.key),
        drillable: isDrillable(table, r.key, value),
      };
    }),
  }));
}

/**
 * What the names drawer calls a cell: `T2 总计 · 女` — the table, the row and, when the
 * table has more than one column, the column.
 */
export function cellLabel(table: AnnualTable, rowKey: string, colKey: string): string {
  const row = table.rows.find((r) => r.key === rowKey);
  const col = table.cols.find((c) => c.key === colKey);
  const parts = [table.code, row?.label ?? rowKey];
  let label = parts.join(' ');
  if (table.cols.length > 1) label += ` \u00b7 ${col?.label ?? colKey}`;
  return label;
}

export interface ChecksTally {
  total: number;
  passed: number;
  failed: number;
}

export function tallyChecks(checks: AnnualCheck[]): ChecksTally {
  const passed = checks.filter((c) => c.ok).length;
  return { total: checks.length, passed, failed: checks.length - passed };
}

/** Exception lists that have anyone on them. */
export function listsWithPeople(lists: AnnualList[]): number {
  return lists.filter((l) => l.total > 0).length;
}

/** A year from the URL (`?year=2004`), or null. */
export function parseYear(q: unknown): number | null {
  if (typeof q !== 'string' || !/^\d{4}$/.test(q)) return null;
  const y = Number(q);
  return y >= 1921 && y <= 9999 ? y : null;
}
