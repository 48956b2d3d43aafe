import { describe, expect, it } from 'vitest';
import type { Summary } from '@/api/types';
import {
  ageChart,
  educationChart,
  genderChart,
  joinEraChart,
  occupationChart,
  orderedKeys,
  orgFieldChart,
  orgKindChart,
  pct,
  statusChart,
} from './charts';

const s: Summary = {
  as_of: '2004-12-31',
  org_id: 1,
  org_name: 'X',
  members: {
    total: 10,
    probationary: 2,
    full: 8,
    female: 3,
    minority: 1,
    age_seed: { le35: 2, '36_55': 5, gt55: 3 },
    education_seed: { college_or_above: 1, secondary_or_high_school: 4, junior_high_or_below: 5 },
    shares: { probationary: { count: 2, percent: 20 }, female: { count: 3, percent: 30 }, le35: { count: 2, percent: 20 } },
    age_bands: [
      ['30岁及以下', { count: 1, percent: 10 }],
      ['31-35岁', { count: 1, percent: 10 }],
    ],
    education: { bachelor: { count: 1, percent: 10 }, postgraduate: { count: 0, percent: 0 } },
    occupation: {},
    join_era: {},
  },
  orgs: {
    basic: 4,
    committees: 1,
    general_branches: 1,
    branches: 2,
    by_kind: { branch: 2, committee: 1, general_branch: 1 },
    by_field: { rural: { committees: 1, general_branches: 1, branches: 1, members: 8, members_percent: 80 }, organ: { committees: 0, general_branches: 0, branches: 1, members: 2, members_percent: 20 } },
    by_setup_mode: {},
  },
  village_cadres: { total: 0, secretaries: 0, directors: 0, dual_role: 0, dual_role_percent: 0 },
};
const L = { t: (k: string) => k, code: (_t: string, c: string) => `<${c}>` };

describe('dashboard charts', () => {
  it('splits status and gender and keeps the server percentages', () => {
    expect(statusChart(s, L).figures.map((f) => [f.testid, f.count, f.percent])).toEqual([
      ['fig-status-full', 8, 80],
      ['fig-status-probationary', 2, 20],
    ]);
    expect(genderChart(s, L).figures.map((f) => [f.testid, f.count, f.percent])).toEqual([
      ['fig-gender-male', 7, 70],
      ['fig-gender-female', 3, 30],
    ]);
  });
  it('lists the age bands and the three seed groups', () => {
    const a = ageChart(s, L);
    expect(a.figures.map((f) => f.testid)).toEqual(['fig-age-band-0', 'fig-age-band-1']);
    expect(a.seed.map((f) => [f.testid, f.count])).toEqual([
      ['fig-age-seed-le35', 2],
      ['fig-age-seed-36_55', 5],
      ['fig-age-seed-gt55', 3],
    ]);
  });
  it('orders codes like the code table', () => {
    expect(orderedKeys({ b: 1, a: 1, z: 1 }, ['a', 'b'])).toEqual(['a', 'b', 'z']);
    expect(educationChart(s, L, ['postgraduate', 'bachelor']).figures.map((f) => f.key)).toEqual(['postgraduate', 'bachelor']);
    expect(orgKindChart(s, L, []).figures.map((f) => [f.key, f.count])).toEqual([
      ['committee', 1],
      ['general_branch', 1],
      ['branch', 2],
    ]);
  });
  it('totals orgs per field', () => {
    expect(orgFieldChart(s, L, ['rural', 'organ']).figures.map((f) => [f.testid, f.count, f.label])).toEqual([
      ['fig-org-field-rural', 3, '<rural>'],
      ['fig-org-field-organ', 1, '<organ>'],
    ]);
  });
  it('gives every member figure the predicate behind it, and org counts none', () => {
    const f = (figs: { testid: string; filter?: unknown }[]) => figs.map((x) => [x.testid, JSON.stringify(x.filter ?? null)]);
    expect(f(statusChart(s, L).figures)).toEqual([
      ['fig-status-full', '{"not":"probationary"}'],
      ['fig-status-probationary', '"probationary"'],
    ]);
    expect(f(genderChart(s, L).figures)).toEqual([
      ['fig-gender-male', '{"not":"female"}'],
      ['fig-gender-female', '"female"'],
    ]);
    const a = ageChart(s, L);
    expect(f(a.figures)).toEqual([
      ['fig-age-band-0', '{"age":{"max":30}}'],
      ['fig-age-band-1', '{"age":{"min":31,"max":35}}'],
    ]);
    expect(f(a.seed)[2]).toEqual(['fig-age-seed-gt55', '{"age":{"min":56}}']);
    const e = educationChart(s, L, ['postgraduate', 'bachelor']);
    expect(f(e.figures)[1]).toEqual(['fig-education-bachelor', '{"education":["bachelor"]}']);
    expect(f(e.seed)[1]).toEqual(['fig-education-seed-secondary_or_high_school', '{"education":["technical_secondary","high_school"]}']);
    const withOcc = { ...s, members: { ...s.members, occupation: { farmer: { count: 4, percent: 40 } }, join_era: { since_2012_11: { count: 1, percent: 10 } } } };
    expect(f(occupationChart(withOcc, L, []).figures)).toEqual([['fig-occupation-farmer', '{"occupation":["farmer"]}']]);
    expect(f(joinEraChart(withOcc, L).figures)[3]).toEqual(['fig-join-era-since_2012_11', '{"joined":{"from":"2012-11-08"}}']);
    const fields = orgFieldChart(s, L, ['rural', 'organ']);
    expect(fields.figures.every((x) => !x.filter)).toBe(true);
    expect(fields.members.map((x) => [x.testid, x.count, JSON.stringify(x.filter)])).toEqual([
      ['fig-field-members-rural', 8, '{"field":["rural"]}'],
      ['fig-field-members-organ', 2, '{"field":["organ"]}'],
    ]);
    expect(orgKindChart(s, L, []).figures.every((x) => !x.filter)).toBe(true);
  });
  it('names each figure for the drawer title', () => {
    expect(genderChart(s, L).figures.map((x) => x.drillLabel)).toEqual(['home.drill.male', 'home.drill.female']);
    expect(ageChart(s, L).figures[0]!.drillLabel).toBe('home.drill.age');
  });
  it('rounds percentages like the server', () => {
    expect(pct(1, 3)).toBe(33.33);
    expect(pct(0, 0)).toBe(0);
  });
});
