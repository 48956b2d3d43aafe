/**
 * The 发展党员统计 screen's logic: the T16 row-1 columns the API sends (总数, 女, 少数民族,
 * then 6 age bands and 6 education levels) split into their groups, and shares.
 */

export type Pair = readonly [string, number];

export interface NewMemberGroups {
  total: number;
  basics: Pair[];
  ages: Pair[];
  education: Pair[];
}

/** Splits T16 row 1 by position (the 年报 definition's column order). */
export function groupNewMembers(cols: readonly Pair[]): NewMemberGroups {
  return {
    total: cols[0]?.[1] ?? 0,
    basics: cols.slice(0, 3),
    ages: cols.slice(3, 9),
    education: cols.slice(9, 15),
  };
}

/** Share of the total in percent with one decimal, as reports print it ("—" without a total). */
export function share(n: number, total: number): string {
  if (total <= 0) return '—';
  return `${(Math.round((n * 1000) / total) / 10).toFixed(1)}%`;
}
