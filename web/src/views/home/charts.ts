/**
 * Chart options and figure lists of the dashboard, built from the summary report.
 * Pure functions (labels come in through `L`), so they are unit-tested.
 */
import type { ChartOption } from '@/components/echarts';
import type { Figure } from '@/components/figure';
import type { Share, Summary } from '@/api/types';
import {
  ageBandFilter,
  ageSeedFilter,
  educationFilter,
  educationSeedFilter,
  fieldFilter,
  joinEraFilter,
  memberFilter,
  occupationFilter,
} from './drill';

export interface Labels {
  t: (key: string, params?: Record<string, unknown>) => string;
  code: (table: string, code: string) => string;
}

export const AGE_SEED_KEYS = ['le35', '36_55', 'gt55'] as const;
export const EDUCATION_SEED_KEYS = ['college_or_above', 'secondary_or_high_school', 'junior_high_or_below'] as const;
export const JOIN_ERA_KEYS = ['before_1949_10', '1949_10_to_1978_12', '1978_12_to_2012_11', 'since_2012_11'] as const;
export const ORG_KIND_ORDER = ['committee', 'working_committee', 'general_branch', 'branch', 'temporary_branch', 'group'];

const TOOLTIP_ITEM = { trigger: 'item' as const };

function pie(data: { name: string; value: number }[], seriesName: string, legend = true): ChartOption {
  return {
    tooltip: { ...TOOLTIP_ITEM, formatter: '{b}: {c} ({d}%)' },
    legend: { show: legend, bottom: 0, type: 'scroll' },
    series: [
      {
        name: seriesName,
        type: 'pie',
        radius: ['38%', '62%'],
        center: ['50%', '45%'],
        avoidLabelOverlap: true,
        label: { show: true, formatter: '{b}\n{c} ({d}%)', fontSize: 12, width: 120, overflow: 'break' },
        labelLine: { length: 8, length2: 8 },
        data,
      },
    ],
  };
}

function bar(
  categories: string[],
  values: number[],
  seriesName: string,
  opts: { horizontal?: boolean; percents?: number[]; cursor?: string } = {},
): ChartOption {
  const label = {
    show: true,
    position: opts.horizontal ? ('right' as const) : ('top' as const),
    fontSize: 11,
    lineHeight: 13,
    // Vertical bars are narrow: count and percentage on two lines.
    formatter: opts.percents
      ? (p: { dataIndex: number; value: unknown }) =>
          opts.horizontal
            ? `${p.value} (${opts.percents![p.dataIndex] ?? 0}%)`
            : `${p.value}\n${opts.percents![p.dataIndex] ?? 0}%`
      : '{c}',
  };
  const cat = {
    type: 'category' as const,
    data: categories,
    axisLabel: opts.horizontal ? { width: 110, overflow: 'truncate' as const } : { interval: 0, rotate: categories.length > 6 ? 30 : 0, fontSize: 11 },
    axisTick: { alignWithLabel: true },
  };
  const val = { type: 'value' as const, splitLine: { lineStyle: { type: 'dashed' as const } } };
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: opts.horizontal
      ? { left: 8, right: 70, top: 8, bottom: 8, containLabel: true }
      : { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    xAxis: opts.horizontal ? val : cat,
    yAxis: opts.horizontal ? { ...cat, inverse: true } : val,
    series: [{ name: seriesName, type: 'bar', data: values, barMaxWidth: 36, label, cursor: opts.cursor ?? 'pointer' }],
  };
}

const share0: Share = { count: 0, percent: 0 };

export function statusChart(s: Summary, L: Labels): { option: ChartOption; figures: Figure[] } {
  const m = s.members;
  const figures: Figure[] = [
    {
      key: 'full',
      label: L.t('home.status.full'),
      count: m.full,
      percent: pct(m.full, m.total),
      testid: 'fig-status-full',
      filter: memberFilter('full'),
    },
    {
      key: 'probationary',
      label: L.t('home.status.probationary'),
      count: m.probationary,
      percent: m.shares.probationary?.percent ?? pct(m.probationary, m.total),
      testid: 'fig-status-probationary',
      filter: memberFilter('probationary'),
    },
  ];
  return { option: pie(figures.map((f) => ({ name: f.label, value: f.count })), L.t('home.charts.status')), figures };
}

export function genderChart(s: Summary, L: Labels): { option: ChartOption; figures: Figure[] } {
  const m = s.members;
  const male = m.total - m.female;
  const figures: Figure[] = [
    {
      key: 'male',
      label: L.t('home.gender.male'),
      count: male,
      percent: pct(male, m.total),
      testid: 'fig-gender-male',
      filter: memberFilter('male'),
      drillLabel: L.t('home.drill.male'),
    },
    {
      key: 'female',
      label: L.t('home.gender.female'),
      count: m.female,
      percent: m.shares.female?.percent ?? pct(m.female, m.total),
      testid: 'fig-gender-female',
      filter: memberFilter('female'),
      drillLabel: L.t('home.drill.female'),
    },
  ];
  return { option: pie(figures.map((f) => ({ name: f.label, value: f.count })), L.t('home.charts.gender')), figures };
}

export function ageChart(s: Summary, L: Labels): { option: ChartOption; figures: Figure[]; seed: Figure[] } {
  const figures: Figure[] = s.members.age_bands.map(([label, sh], i) => ({
    key: `band${i}`,
    label,
    count: sh.count,
    percent: sh.percent,
    testid: `fig-age-band-${i}`,
    filter: ageBandFilter(i),
    drillLabel: L.t('home.drill.age', { label }),
  }));
  const seed: Figure[] = AGE_SEED_KEYS.map((k) => ({
    key: k,
    label: L.t(`home.ageSeed.${k}`),
    count: s.members.age_seed[k] ?? 0,
    percent: s.members.shares[k]?.percent ?? 0,
    testid: `fig-age-seed-${k}`,
    filter: ageSeedFilter(k),
    drillLabel: L.t('home.drill.age', { label: L.t(`home.ageSeed.${k}`) }),
  }));
  const option = bar(
    figures.map((f) => f.label),
    figures.map((f) => f.count),
    L.t('home.charts.count'),
    { percents: figures.map((f) => f.percent ?? 0) },
  );
  return { option, figures, seed };
}

export function educationChart(s: Summary, L: Labels, order: string[]): { option: ChartOption; figures: Figure[]; seed: Figure[] } {
  const codes = orderedKeys(s.members.education, order);
  const figures: Figure[] = codes.map((c) => {
    const sh = s.members.education[c] ?? share0;
    const label = L.code('education', c);
    return {
      key: c,
      label,
      count: sh.count,
      percent: sh.percent,
      testid: `fig-education-${c}`,
      filter: educationFilter(c),
      drillLabel: L.t('home.drill.education', { label }),
    };
  });
  const seed: Figure[] = EDUCATION_SEED_KEYS.map((k) => ({
    key: k,
    label: L.t(`home.educationSeed.${k}`),
    count: s.members.education_seed[k] ?? 0,
    percent: s.members.shares[k]?.percent ?? 0,
    testid: `fig-education-seed-${k}`,
    filter: educationSeedFilter(k),
    drillLabel: L.t('home.drill.education', { label: L.t(`home.educationSeed.${k}`) }),
  }));
  const option = bar(
    figures.map((f) => f.label),
    figures.map((f) => f.count),
    L.t('home.charts.count'),
    { percents: figures.map((f) => f.percent ?? 0) },
  );
  return { option, figures, seed };
}

export function occupationChart(s: Summary, L: Labels, order: string[]): { option: ChartOption; figures: Figure[] } {
  const codes = orderedKeys(s.members.occupation, order);
  const figures: Figure[] = codes.map((c) => {
    const sh = s.members.occupation[c] ?? share0;
    const label = L.code('occupation', c);
    return {
      key: c,
      label,
      count: sh.count,
      percent: sh.percent,
      testid: `fig-occupation-${c}`,
      filter: occupationFilter(c),
      drillLabel: L.t('home.drill.occupation', { label }),
    };
  });
  const option = bar(
    figures.map((f) => f.label),
    figures.map((f) => f.count),
    L.t('home.charts.count'),
    { horizontal: true, percents: figures.map((f) => f.percent ?? 0) },
  );
  return { option, figures };
}

export function joinEraChart(s: Summary, L: Labels): { option: ChartOption; figures: Figure[] } {
  const figures: Figure[] = JOIN_ERA_KEYS.map((k) => {
    const sh = s.members.join_era[k] ?? share0;
    const label = L.t(`home.joinEra.${k}`);
    return {
      key: k,
      label,
      count: sh.count,
      percent: sh.percent,
      testid: `fig-join-era-${k}`,
      filter: joinEraFilter(k),
      drillLabel: L.t('home.drill.joinEra', { label }),
    };
  });
  const shown = figures.filter((f) => f.count > 0);
  return { option: pie(shown.map((f) => ({ name: f.label, value: f.count })), L.t('home.charts.joinEra'), false), figures };
}

export function orgKindChart(s: Summary, L: Labels, order: string[]): { option: ChartOption; figures: Figure[] } {
  const codes = orderedKeys(s.orgs.by_kind, order.length ? order : ORG_KIND_ORDER);
  const figures: Figure[] = codes.map((c) => ({
    key: c,
    label: L.code('org_kind', c),
    count: s.orgs.by_kind[c] ?? 0,
    testid: `fig-org-kind-${c}`,
  }));
  // Org counts: nothing to click through to (the member figures are).
  const option = bar(figures.map((f) => f.label), figures.map((f) => f.count), L.t('home.charts.orgCount'), { cursor: 'default' });
  return { option, figures };
}

/**
 * Orgs by field: stacked committees / general branches / branches per field; `members`
 * are the members of each field's orgs (clickable, unlike the org counts).
 */
export function orgFieldChart(
  s: Summary,
  L: Labels,
  order: string[],
): { option: ChartOption; figures: Figure[]; members: Figure[] } {
  const codes = orderedKeys(s.orgs.by_field, order);
  const rows = codes.map((c) => ({ code: c, ...(s.orgs.by_field[c] ?? { committees: 0, general_branches: 0, branches: 0, members: 0, members_percent: 0 }) }));
  const names = rows.map((r) => L.code('field', r.code));
  const series = (
    [
      ['committees', 'home.orgField.committees'],
      ['general_branches', 'home.orgField.generalBranches'],
      ['branches', 'home.orgField.branches'],
    ] as const
  ).map(([k, label]) => ({
    name: L.t(label),
    type: 'bar' as const,
    stack: 'orgs',
    barMaxWidth: 36,
    cursor: 'default',
    label: { show: true, position: 'inside' as const, fontSize: 10, formatter: (p: { value: unknown }) => (Number(p.value) > 0 ? String(p.value) : '') },
    data: rows.map((r) => r[k]),
  }));
  const totals = rows.map((r) => r.committees + r.general_branches + r.branches);
  const option: ChartOption = {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 5 ? 30 : 0, fontSize: 11 } },
    yAxis: { type: 'value', splitLine: { lineStyle: { type: 'dashed' } } },
    series: [
      ...series,
      // Invisible series carrying the total above each stack.
      {
        name: '',
        type: 'bar',
        stack: 'orgs',
        data: totals.map(() => 0),
        label: { show: true, position: 'top', fontSize: 11, fontWeight: 'bold', formatter: (p: { dataIndex: number }) => String(totals[p.dataIndex] ?? '') },
        tooltip: { show: false },
        cursor: 'default',
      },
    ],
  };
  const figures: Figure[] = rows.map((r, i) => ({
    key: r.code,
    label: names[i] ?? r.code,
    count: totals[i] ?? 0,
    testid: `fig-org-field-${r.code}`,
  }));
  const members: Figure[] = rows.map((r, i) => ({
    key: r.code,
    label: names[i] ?? r.code,
    count: r.members,
    percent: r.members_percent,
    testid: `fig-field-members-${r.code}`,
    filter: fieldFilter(r.code),
    drillLabel: L.t('home.drill.field', { label: names[i] ?? r.code }),
  }));
  return { option, figures, members };
}

/** Keys of `obj` in the code table's order, unknown ones after. */
export function orderedKeys(obj: Record<string, unknown>, order: string[]): string[] {
  const keys = Object.keys(obj);
  const known = order.filter((k) => keys.includes(k));
  return [...known, ...keys.filter((k) => !order.includes(k))];
}

/** Percentage with two decimals, as the server rounds. */
export function pct(count: number, total: number): number {
  return total === 0 ? 0 : Math.round((count * 10000) / total) / 100;
}
