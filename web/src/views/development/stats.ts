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
  /** 35岁及以下: the first three age bands (≤25, 26–30, 31–35), as seed 002 reports it. */
  upTo35: number;
  /** 高中及以上: every level but the last (初中及以下). */
  highSchoolOrAbove: number;
}

/** Splits T16 row 1 by position (the 年报 definition's column order). */
export function groupNewMembers(cols: readonly Pair[]): NewMemberGroups {
  const ages = cols.slice(3, 9);
  const education = cols.slice(9, 15);
  const sum = (xs: readonly Pair[]) => xs.reduce((n, p) => n + p[1], 0);
  return {
    total: cols[0]?.[1] ?? 0,
    basics: cols.slice(0, 3),
    ages,
    education,
    upTo35: sum(ages.slice(0, 3)),
    highSchoolOrAbove: sum(education.slice(0, Math.max(0, education.length - 1))),
  };
}

/** Share of the total in percent with one decimal, as reports print it ("—" without a total). */
export function share(n: number, total: number): string {
  if (total <= 0) return '—';
  return `${(Math.round((n * 1000) / total) / 10).toFixed(1)}%`;
}
