/**
 * 两新组织 logic without component state: the coverage figures against the target, the
 * chart, and the register / edit forms — the checks that mirror the server's
 * (crates/store new_org `check`), the create body, and the patch that sends only what
 * changed (a coverage change carries its effective date; the server treats any of
 * coverage / covering org / liaison in a patch as a coverage change).
 */
import type { CoverageReport, CoverageRow, NewNewOrg, NewOrgPatch, NewOrgView } from '@/api/types';
import type { ChartOption } from '@/components/echarts';
import { PALETTE } from '@/components/echarts';

/** 党组织覆盖率 target (percent) shown as a line on the rates. */
export const COVERAGE_TARGET = 60;

/** Coverage modes that name the covering org (单独建立, 联合建立). */
export const NEEDS_ORG: readonly string[] = ['own', 'joint'];
export function needsOrg(mode: string): boolean {
  return NEEDS_ORG.includes(mode);
}

/** Org kinds that may cover a unit: 基层党委, 党总支, 党支部 (server: new_org.covering_org_invalid). */
export const COVERING_KINDS: readonly string[] = ['committee', 'general_branch', 'branch'];

/** The `total` row of a report (the last one), or null. */
export function totalRow(r: CoverageReport | null): CoverageRow | null {
  if (!r) return null;
  return r.rows.find((x) => x.kind === 'total') ?? r.rows[r.rows.length - 1] ?? null;
}

/** Rows by kind (without the total). */
export function kindRows(r: CoverageReport | null): CoverageRow[] {
  return (r?.rows ?? []).filter((x) => x.kind !== 'total');
}

/** Whether a rate meets the target; null when there is nothing to cover. */
export function meetsTarget(rate: number, registered: number, target = COVERAGE_TARGET): boolean | null {
  if (registered === 0) return null;
  return rate >= target;
}

/** Bars of the organizational and work coverage rates per kind, with the target line. */
export function coverageChart(
  rows: readonly CoverageRow[],
  labels: { orgRate: string; workRate: string; target: string },
  target = COVERAGE_TARGET,
): ChartOption {
  const shown = rows.filter((r) => r.kind !== 'total');
  return {
    color: [PALETTE[0]!, PALETTE[1]!],
    tooltip: { trigger: 'axis', valueFormatter: (v) => `${String(v)}%` },
    legend: { top: 0 },
    grid: { left: 8, right: 48, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: shown.map((r) => r.label) },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      {
        name: labels.orgRate,
        type: 'bar',
        barMaxWidth: 36,
        data: shown.map((r) => r.org_rate),
        label: { show: true, position: 'top', formatter: '{c}%' },
        markLine: {
          symbol: 'none',
          silent: true,
          lineStyle: { color: '#e6a23c', type: 'dashed', width: 2 },
          label: { formatter: labels.target, position: 'insideEndTop' },
          data: [{ yAxis: target }],
        },
      },
      {
        name: labels.workRate,
        type: 'bar',
        barMaxWidth: 36,
        data: shown.map((r) => r.work_rate),
        label: { show: true, position: 'top', formatter: '{c}%' },
      },
    ],
  };
}

/** The register / edit form. */
export interface NewOrgForm {
  org_id: number | null;
  name: string;
  credit_code: string;
  kind: string;
  above_scale: boolean;
  industry: string;
  address: string;
  headcount: number | null;
  full_members: number | null;
  probationary_members: number | null;
  coverage: string;
  covering_org_id: number | null;
  liaison: string;
  registered: string;
  /** Edit: date the coverage change took effect. */
  effective: string;
  /** Edit: 注销 (deregistered) on. */
  closed: string;
}

export function blankForm(orgId: number | null = null): NewOrgForm {
  return {
    org_id: orgId,
    name: '',
    credit_code: '',
    kind: 'non_public_enterprise',
    above_scale: false,
    industry: '',
    address: '',
    headcount: null,
    full_members: 0,
    probationary_members: 0,
    coverage: 'none',
    covering_org_id: null,
    liaison: '',
    registered: '',
    effective: '',
    closed: '',
  };
}

export function formOf(u: NewOrgView): NewOrgForm {
  return {
    org_id: u.org_id,
    name: u.name,
    credit_code: u.credit_code ?? '',
    kind: u.kind,
    above_scale: u.above_scale,
    industry: u.industry ?? '',
    address: u.address ?? '',
    headcount: u.headcount,
    full_members: u.full_members,
    probationary_members: u.probationary_members,
    coverage: u.coverage,
    covering_org_id: u.covering_org_id ?? null,
    liaison: u.liaison ?? '',
    registered: u.registered,
    effective: '',
    closed: u.closed ?? '',
  };
}

/** Whether the form changes the unit's coverage (mode, covering org, or liaison). */
export function coverageChanged(before: NewOrgView, f: NewOrgForm): boolean {
  if (f.coverage !== before.coverage) return true;
  if (needsOrg(f.coverage) && f.covering_org_id !== (before.covering_org_id ?? null)) return true;
  if (f.coverage === 'liaison' && f.liaison.trim() !== (before.liaison ?? '')) return true;
  return false;
}

/** Catalogue key of a check the server would refuse too, or null (mirrors new_org `check`). */
export function checkName(name: string): string | null {
  const n = [...name.trim()].length;
  return n >= 1 && n <= 200 ? null : 'newOrg.problems.name';
}

export function checkCounts(f: Pick<NewOrgForm, 'headcount' | 'full_members' | 'probationary_members'>): string | null {
  const all = [f.headcount, f.full_members, f.probationary_members];
  if (all.some((v) => v === null || !Number.isInteger(v) || v < 0)) return 'newOrg.problems.count';
  if ((f.full_members ?? 0) + (f.probationary_members ?? 0) > (f.headcount ?? 0)) return 'newOrg.problems.membersOverHeadcount';
  return null;
}

export function checkCovering(f: Pick<NewOrgForm, 'coverage' | 'covering_org_id' | 'liaison'>): {
  field: 'covering_org_id' | 'liaison';
  key: string;
} | null {
  if (needsOrg(f.coverage) && f.covering_org_id === null) return { field: 'covering_org_id', key: 'newOrg.problems.coveringRequired' };
  if (f.coverage === 'liaison' && !f.liaison.trim()) return { field: 'liaison', key: 'newOrg.problems.liaisonRequired' };
  return null;
}

function orNull(s: string): string | null {
  const x = s.trim();
  return x ? x : null;
}

/** POST /api/v1/new-orgs body. */
export function createBody(f: NewOrgForm): NewNewOrg {
  return {
    org_id: f.org_id ?? 0,
    name: f.name.trim(),
    credit_code: orNull(f.credit_code)?.toUpperCase() ?? null,
    kind: f.kind,
    above_scale: f.above_scale,
    industry: orNull(f.industry),
    address: orNull(f.address),
    headcount: f.headcount ?? 0,
    full_members: f.full_members ?? 0,
    probationary_members: f.probationary_members ?? 0,
    coverage: f.coverage,
    covering_org_id: needsOrg(f.coverage) ? f.covering_org_id : null,
    liaison: f.coverage === 'liaison' ? orNull(f.liaison) : null,
    registered: f.registered,
  };
}

/** PATCH /api/v1/new-orgs/{id} body: the version and the changed fields only. */
export function patchBody(before: NewOrgView, f: NewOrgForm): NewOrgPatch {
  const p: NewOrgPatch = { version: before.version };
  const text = (v: string, old: string | null | undefined) => (v.trim() !== (old ?? '') ? v.trim() : undefined);
  const name = text(f.name, before.name);
  if (name !== undefined) p.name = name;
  const credit = text(f.credit_code.toUpperCase(), before.credit_code);
  if (credit !== undefined) p.credit_code = credit;
  if (f.above_scale !== before.above_scale) p.above_scale = f.above_scale;
  const industry = text(f.industry, before.industry);
  if (industry !== undefined) p.industry = industry;
  const address = text(f.address, before.address);
  if (address !== undefined) p.address = address;
  if (f.headcount !== null && f.headcount !== before.headcount) p.headcount = f.headcount;
  if (f.full_members !== null && f.full_members !== before.full_members) p.full_members = f.full_members;
  if (f.probationary_members !== null && f.probationary_members !== before.probationary_members) {
    p.probationary_members = f.probationary_members;
  }
  if (coverageChanged(before, f)) {
    p.coverage = f.coverage;
    if (needsOrg(f.coverage)) p.covering_org_id = f.covering_org_id;
    if (f.coverage === 'liaison') p.liaison = f.liaison.trim();
    p.effective = f.effective.trim() || null;
  }
  if (f.closed.trim() && f.closed.trim() !== (before.closed ?? '')) p.closed = f.closed.trim();
  return p;
}

/** Whether a patch changes anything (beyond the version). */
export function patchChanges(p: NewOrgPatch): boolean {
  return Object.keys(p).some((k) => k !== 'version');
}
