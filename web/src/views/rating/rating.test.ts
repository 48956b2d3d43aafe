import { describe, expect, it } from 'vitest';
import type { Distribution, LedgerRow } from '@/api/types';
import { distributionChart, filterLedger, isEmpty, movementChart, movementMatrix, movementOf, pageOf, planByOrg, planProblems } from './rating';

const dist: Distribution = {
  year: 2011,
  scheme: 'village.five_tier',
  total: 8,
  tiers: { 标兵: 2, 先进: 4, 薄弱: 2 },
  rows: [
    { tier: '标兵', count: 2, percent: 25 },
    { tier: '先进', count: 4, percent: 50 },
    { tier: '达标', count: 0, percent: 0 },
    { tier: '偏弱', count: 0, percent: 0 },
    { tier: '薄弱', count: 2, percent: 25 },
  ],
};

function lrow(p: Partial<LedgerRow>): LedgerRow {
  return { org_id: 1, org_name: 'A', tier: '先进', total: 90, award: false, weak: false, ...p };
}

describe('ratings', () => {
  it('is empty without approved tiers', () => {
    expect(isEmpty(null)).toBe(true);
    expect(isEmpty({ ...dist, total: 0, tiers: {}, rows: dist.rows.map((r) => ({ ...r, count: 0, percent: 0 })) })).toBe(true);
    expect(isEmpty(dist)).toBe(false);
  });

  it('draws one bar per tier in scheme order, labelled with count and percent', () => {
    const o = distributionChart(dist, 'count', (n, p) => `${n}|${p}`);
    const x = o.xAxis as { data: string[] };
    expect(x.data).toEqual(['标兵', '先进', '达标', '偏弱', '薄弱']);
    const s = (o.series as { data: number[]; label: { formatter: (p: { dataIndex: number }) => string } }[])[0]!;
    expect(s.data).toEqual([2, 4, 0, 0, 2]);
    expect(s.label.formatter({ dataIndex: 1 })).toBe('4|50');
    expect(s.label.formatter({ dataIndex: 9 })).toBe('');
  });

  it('shows the movement with arrows and steps', () => {
    expect(movementOf(lrow({ last_tier: '达标', movement: 2 }))).toEqual({ dir: 'up', steps: 2, text: '↑2' });
    expect(movementOf(lrow({ last_tier: '标兵', movement: -1 }))).toEqual({ dir: 'down', steps: 1, text: '↓1' });
    expect(movementOf(lrow({ last_tier: '先进', movement: 0 }))).toEqual({ dir: 'same', steps: 0, text: '—' });
    expect(movementOf(lrow({ last_tier: null, movement: null }))).toEqual({ dir: 'new', steps: 0, text: '' });
  });

  it('filters the ledger by weak and award', () => {
    const rows = [lrow({ org_id: 1, weak: true, tier: '薄弱' }), lrow({ org_id: 2, award: true }), lrow({ org_id: 3 })];
    expect(filterLedger(rows, '').map((r) => r.org_id)).toEqual([1, 2, 3]);
    expect(filterLedger(rows, 'weak').map((r) => r.org_id)).toEqual([1]);
    expect(filterLedger(rows, 'award').map((r) => r.org_id)).toEqual([2]);
  });
});

describe('ledger pages', () => {
  it('cuts the list into pages from 1', () => {
    const rows = Array.from({ length: 120 }, (_, i) => i);
    expect(pageOf(rows, 1, 50)).toHaveLength(50);
    expect(pageOf(rows, 3, 50)).toEqual(rows.slice(100));
    expect(pageOf(rows, 0, 50)[0]).toBe(0);
    expect(pageOf(rows, 4, 50)).toEqual([]);
  });
});

describe('rectification plan form', () => {
  const blank = { problems: '', measures: '', owner: '', helper: '', deadline: '', done: false, completed: '', evidence: '' };

  it('asks for problems, measures, owner and a deadline when drawing up', () => {
    expect(Object.keys(planProblems(blank, false)).sort()).toEqual(['deadline', 'measures', 'owner', 'problems']);
    expect(planProblems({ ...blank, problems: 'p', measures: 'm', owner: 'o', deadline: '2013-06-30' }, false)).toEqual({});
  });

  it('asks for the completion date and evidence when marking done', () => {
    const f = { ...blank, measures: 'm', deadline: '2013-06-30' };
    expect(planProblems(f, true)).toEqual({});
    expect(planProblems({ ...f, done: true }, true)).toEqual({ completed: 'validation.required', evidence: 'ratingPlan.evidenceHint' });
    expect(planProblems({ ...f, done: true, completed: '2013-05-01', evidence: ' 验收记录 ' }, true)).toEqual({});
  });

  it('finds the plan of the year per org', () => {
    const m = planByOrg([{ org_id: 1, year: 2012 }, { org_id: 1, year: 2011 }, { org_id: 2, year: 2012 }], 2011);
    expect([...m.keys()]).toEqual([1]);
    expect(m.get(1)?.year).toBe(2011);
  });
});

describe('year-over-year movement', () => {
  const order = ['标兵', '先进', '达标', '偏弱', '薄弱'];
  const rows = [
    { tier: '先进', last_tier: '达标', movement: 1 },
    { tier: '标兵', last_tier: '偏弱', movement: 3 },
    { tier: '达标', last_tier: '达标', movement: 0 },
    { tier: '偏弱', last_tier: '先进', movement: -2 },
    { tier: '达标', last_tier: null, movement: null },
  ];

  it('counts last year × this year with up / same / down / new', () => {
    const m = movementMatrix(rows, order);
    expect(m.tiers).toEqual(order);
    expect(m.from).toEqual([...order, null]);
    expect(m.counts[2]![1]).toBe(1); // 达标 → 先进
    expect(m.counts[3]![0]).toBe(1); // 偏弱 → 标兵
    expect(m.counts[5]![2]).toBe(1); // new → 达标
    expect(m.counts.flat().reduce((a, b) => a + b, 0)).toBe(rows.length);
    expect([m.up, m.same, m.down, m.fresh]).toEqual([2, 1, 1, 1]);
    // Column sums are this year's distribution.
    expect(order.map((_, j) => m.counts.reduce((n, r) => n + r[j]!, 0))).toEqual([1, 1, 2, 1, 0]);
  });

  it('stacks only the origins that occur', () => {
    const m = movementMatrix(rows, order);
    const c = movementChart(m, '新评定', (t) => `上年${t}`);
    const names = (c.series as { name: string }[]).map((s) => s.name);
    expect(names).toEqual(['上年先进', '上年达标', '上年偏弱', '新评定']);
  });
});
