import { describe, expect, it } from 'vitest';
import type { CoverageReport, CoverageRow, NewOrgView } from '@/api/types';
import { te } from '@/i18n';
import {
  blankForm,
  checkCounts,
  checkCovering,
  checkName,
  COVERAGE_TARGET,
  coverageChanged,
  coverageChart,
  createBody,
  formOf,
  kindRows,
  meetsTarget,
  needsOrg,
  patchBody,
  patchChanges,
  totalRow,
} from './coverage';

function row(kind: string, over: Partial<CoverageRow> = {}): CoverageRow {
  return {
    kind,
    label: kind,
    registered: 10,
    own: 5,
    joint: 1,
    liaison: 1,
    none: 3,
    org_rate: 60,
    work_rate: 70,
    above_scale: 2,
    above_scale_covered: 2,
    above_scale_rate: 100,
    members: 20,
    ...over,
  };
}

const unit: NewOrgView = {
  id: 7,
  org_id: 4,
  org_name: '中共溧水县东屏镇委员会',
  name: '东屏乡党委第4小微企业',
  credit_code: null,
  kind: 'non_public_enterprise',
  kind_zh: '非公有制企业',
  above_scale: false,
  industry: null,
  address: null,
  headcount: 17,
  full_members: 3,
  probationary_members: 0,
  coverage: 'none',
  coverage_zh: '未覆盖',
  covering_org_id: null,
  covering_org_name: null,
  liaison: null,
  registered: '2003-08-29',
  closed: null,
  version: 2,
  warnings: [],
};

describe('coverage figures', () => {
  const report: CoverageReport = {
    as_of: '2004-12-31',
    org_id: 1,
    org_name: 'x',
    rows: [row('non_public_enterprise'), row('social_org', { org_rate: 0, registered: 19 }), row('total', { org_rate: 71.75 })],
    warned: 19,
  };

  it('splits the total from the kinds', () => {
    expect(totalRow(report)?.org_rate).toBe(71.75);
    expect(kindRows(report).map((r) => r.kind)).toEqual(['non_public_enterprise', 'social_org']);
    expect(totalRow(null)).toBeNull();
    expect(kindRows(null)).toEqual([]);
  });

  it('compares rates with the 60% target (nothing registered: no verdict)', () => {
    expect(COVERAGE_TARGET).toBe(60);
    expect(meetsTarget(60, 10)).toBe(true);
    expect(meetsTarget(59.99, 10)).toBe(false);
    expect(meetsTarget(0, 0)).toBeNull();
  });

  it('charts both rates per kind with the target line', () => {
    const o = coverageChart(report.rows, { orgRate: 'O', workRate: 'W', target: 'T' });
    const series = o.series as { name: string; data: number[]; markLine?: { data: { yAxis: number }[] } }[];
    expect((o.xAxis as { data: string[] }).data).toEqual(['non_public_enterprise', 'social_org']);
    expect(series.map((s) => s.name)).toEqual(['O', 'W']);
    expect(series[0]?.data).toEqual([60, 0]);
    expect(series[0]?.markLine?.data).toEqual([{ yAxis: 60 }]);
  });
});

describe('register / edit checks (mirror the server)', () => {
  it('checks the name, the counts and the covering fields', () => {
    expect(checkName('  ')).toBe('newOrg.problems.name');
    expect(checkName('x'.repeat(201))).toBe('newOrg.problems.name');
    expect(checkName('某公司')).toBeNull();
    expect(checkCounts({ headcount: 10, full_members: 3, probationary_members: 1 })).toBeNull();
    expect(checkCounts({ headcount: 3, full_members: 3, probationary_members: 1 })).toBe('newOrg.problems.membersOverHeadcount');
    expect(checkCounts({ headcount: null, full_members: 0, probationary_members: 0 })).toBe('newOrg.problems.count');
    expect(checkCounts({ headcount: 5, full_members: -1, probationary_members: 0 })).toBe('newOrg.problems.count');
    expect(needsOrg('own')).toBe(true);
    expect(needsOrg('joint')).toBe(true);
    expect(needsOrg('liaison')).toBe(false);
    expect(checkCovering({ coverage: 'joint', covering_org_id: null, liaison: '' })?.field).toBe('covering_org_id');
    expect(checkCovering({ coverage: 'liaison', covering_org_id: null, liaison: ' ' })?.field).toBe('liaison');
    expect(checkCovering({ coverage: 'none', covering_org_id: null, liaison: '' })).toBeNull();
  });

  it('builds the create body: covering org / liaison only where the mode takes them', () => {
    const f = { ...blankForm(4), name: ' 新公司 ', headcount: 12, full_members: 2, coverage: 'liaison', liaison: '王芳', covering_org_id: 9, registered: '2004-06-01', credit_code: '91110000600037341l' };
    expect(createBody(f)).toEqual({
      org_id: 4,
      name: '新公司',
      credit_code: '91110000600037341L',
      kind: 'non_public_enterprise',
      above_scale: false,
      industry: null,
      address: null,
      headcount: 12,
      full_members: 2,
      probationary_members: 0,
      coverage: 'liaison',
      covering_org_id: null,
      liaison: '王芳',
      registered: '2004-06-01',
    });
    expect(createBody({ ...f, coverage: 'own' }).covering_org_id).toBe(9);
    expect(createBody({ ...f, coverage: 'own' }).liaison).toBeNull();
  });
});

describe('edit patch', () => {
  it('sends nothing but the version when nothing changed', () => {
    const p = patchBody(unit, formOf(unit));
    expect(p).toEqual({ version: 2 });
    expect(patchChanges(p)).toBe(false);
  });

  it('sends changed fields only, without touching the coverage', () => {
    const f = { ...formOf(unit), headcount: 20, industry: '制造业', above_scale: true };
    expect(coverageChanged(unit, f)).toBe(false);
    expect(patchBody(unit, f)).toEqual({ version: 2, headcount: 20, industry: '制造业', above_scale: true });
  });

  it('a coverage change carries the covering org and its effective date', () => {
    const f = { ...formOf(unit), coverage: 'joint', covering_org_id: 38, effective: '2004-10-01' };
    expect(coverageChanged(unit, f)).toBe(true);
    expect(patchBody(unit, f)).toEqual({ version: 2, coverage: 'joint', covering_org_id: 38, effective: '2004-10-01' });
    const liaison = { ...formOf(unit), coverage: 'liaison', liaison: ' 李明 ', covering_org_id: 38, effective: '' };
    expect(patchBody(unit, liaison)).toEqual({ version: 2, coverage: 'liaison', liaison: '李明', effective: null });
  });

  it('a new covering org in the same mode is a coverage change too', () => {
    const joint: NewOrgView = { ...unit, coverage: 'joint', covering_org_id: 38, covering_org_name: 'A' };
    expect(coverageChanged(joint, formOf(joint))).toBe(false);
    expect(coverageChanged(joint, { ...formOf(joint), covering_org_id: 39 })).toBe(true);
    const l: NewOrgView = { ...unit, coverage: 'liaison', liaison: '李明' };
    expect(coverageChanged(l, { ...formOf(l), liaison: '王芳' })).toBe(true);
  });

  it('closing sends the date', () => {
    expect(patchBody(unit, { ...formOf(unit), closed: '2004-12-01' })).toEqual({ version: 2, closed: '2004-12-01' });
  });
});

describe('catalogue keys of the form problems', () => {
  it('exist', () => {
    const keys = [
      checkName(''),
      checkCounts({ headcount: null, full_members: 0, probationary_members: 0 }),
      checkCounts({ headcount: 1, full_members: 2, probationary_members: 0 }),
      checkCovering({ coverage: 'own', covering_org_id: null, liaison: '' })?.key,
      checkCovering({ coverage: 'liaison', covering_org_id: null, liaison: '' })?.key,
      'newOrg.problems.effectiveRequired',
      'newOrg.problems.future',
      'newOrg.problems.beforeRegistered',
    ];
    expect(keys.filter((k) => !k || !te(k))).toEqual([]);
  });
});
