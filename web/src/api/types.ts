/**
 * Convenience names for the generated schema types, plus the shapes the OpenAPI document
 * only describes as `object` (the summary report and the code tables).
 */
import type { components } from './schema';

type S = components['schemas'];
export type Me = S['Me'];
export type UserInfo = S['UserInfo'];
export type Grant = S['Grant'];
export type OrgView = S['OrgView'];
export type OrgWarning = S['OrgWarning'];
export type AuditRow = S['AuditRow'];
export type MemberView = S['MemberView'];
export type Problem = S['Problem'];

// 发展党员 (development pipeline)
export type PersonView = S['PersonView'];
export type StepView = S['StepView'];
export type DueView = S['DueView'];
export type DueRow = S['DueRow'];
export type BoardColumn = S['BoardColumn'];
export type NewApplicant = S['NewApplicant'];
export type NewStep = S['NewStep'];
export type TallyInput = S['TallyInput'];

// 两新组织 and coverage
export type NewOrgView = S['NewOrgView'];
export type NewOrgWarning = S['NewOrgWarning'];
export type NewNewOrg = S['NewNewOrg'];
export type NewOrgPatch = S['NewOrgPatch'];
export type CoverageReport = S['CoverageReport'];
export type CoverageRow = S['CoverageRow'];

// Rules and the working-day calendar
export type CalendarAnswer = S['CalendarAnswer'];
export type RuleSetView = S['RuleSetView'];
export type RuleParamView = S['RuleParamView'];

// 组织关系转接, 流动党员, 分类定级
export type TransferView = S['TransferView'];
export type NewTransfer = S['NewTransfer'];
export type TransferAction = S['TransferAction'];
export type InboundPerson = S['InboundPerson'];
export type FloatingView = S['FloatingView'];
export type FloatingDetail = S['FloatingDetail'];
export type FloatingContact = S['FloatingContact'];
export type NewFloating = S['NewFloating'];
export type NewFloatingContact = S['NewFloatingContact'];
export type FloatingAction = S['FloatingAction'];
export type TemporaryBranchSuggestions = S['TemporaryBranchSuggestions'];
export type TemporaryBranchSuggestion = S['TemporaryBranchSuggestion'];
export type Distribution = S['Distribution'];
export type TierRow = S['TierRow'];
export type LedgerRow = S['LedgerRow'];
export type PlansAnswer = S['PlansAnswer'];
export type PlanView = S['PlanView'];
export type MissingPlan = S['MissingPlan'];
export type RoundView = S['RoundView'];
export type RatingView = S['RatingView'];
export type RoundOrgs = S['RoundOrgs'];
export type RoundOrg = S['RoundOrg'];
export type PublicationView = S['PublicationView'];

// 民主评议党员, 双述双评联考, the public ballot page
export type AppraisalView = S['AppraisalView'];
export type AppraisalSummary = S['AppraisalSummary'];
export type ParticipantRow = S['ParticipantRow'];
export type EvalView = S['EvalView'];
export type EvalSummary = S['EvalSummary'];
export type Slip = S['Slip'];

/** `{items,total,page,page_size}` */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

export type Severity = 'overdue' | 'warning' | 'info';

/** A count with its percentage of the subtree total (rounded to 0.01). */
export interface Share {
  count: number;
  percent: number;
}

export interface FieldOrgs {
  general_branches: number;
  branches: number;
  committees: number;
  members: number;
  members_percent: number;
}

/** GET /api/v1/stats/summary (crates/stats/src/summary.rs `Summary`). */
export interface Summary {
  as_of: string;
  org_id: number;
  org_name: string;
  members: {
    total: number;
    probationary: number;
    full: number;
    female: number;
    minority: number;
    /** keys le35, 36_55, gt55 */
    age_seed: Record<string, number>;
    /** keys college_or_above, secondary_or_high_school, junior_high_or_below */
    education_seed: Record<string, number>;
    /** probationary, female, minority and the seed group keys */
    shares: Record<string, Share>;
    /** the eight national age bands, [label, share] */
    age_bands: [string, Share][];
    /** by education code */
    education: Record<string, Share>;
    /** by occupation code */
    occupation: Record<string, Share>;
    /** before_1949_10, 1949_10_to_1978_12, 1978_12_to_2012_11, since_2012_11 (present ones) */
    join_era: Record<string, Share>;
  };
  orgs: {
    basic: number;
    committees: number;
    general_branches: number;
    branches: number;
    by_kind: Record<string, number>;
    by_field: Record<string, FieldOrgs>;
    by_setup_mode: Record<string, number>;
  };
  village_cadres: {
    total: number;
    secretaries: number;
    directors: number;
    dual_role: number;
    dual_role_percent: number;
  };
}

export interface CodeItem {
  code: string;
  label: string;
}

/** GET /api/v1/codes: code tables keyed by name (org_kind, field, education, …). */
export type CodeTables = Record<string, CodeItem[]>;

export type HitRow = S['HitRow'];
export type HitPage = S['HitPage'];

/**
 * The predicate behind a summary figure, as GET /api/v1/stats/members takes it (JSON in
 * `filter`): the summary's counting rules, so the page's `total` equals the figure.
 * Ages are whole years on the as-of date (bounds inclusive); join dates are half-open
 * (`from` ≤ date < `before`).
 */
export type StatsFilter =
  | 'all'
  | 'female'
  | 'minority'
  | 'probationary'
  | { not: StatsFilter }
  | { and: StatsFilter[] }
  | { or: StatsFilter[] }
  | { age: { min?: number; max?: number } }
  | { joined: { from?: string; before?: string } }
  | { education: string[] }
  | { occupation: string[] }
  | { field: string[] }
  | { village_post: string[] };

/** One row or column heading of an annual-report table: `key` is the row number or column letter. */
export interface AnnualLine {
  key: string;
  label: string;
}

export type AnnualTableKind = 'cells' | 'reconciliation' | 'not_collected';

/** One table of the annual report (`cells[row][col]`, empty when not collected). */
export interface AnnualTable {
  code: string;
  title: string;
  kind: AnnualTableKind;
  rows: AnnualLine[];
  cols: AnnualLine[];
  cells: number[][];
  notes: string[];
  reason: string | null;
}

/** One check relationship of the annual report and where it fails. */
export interface AnnualCheck {
  rule: string;
  ok: boolean;
  failures: string[];
}

/** One exception list with its first names (the rest through /stats/annual/drill?list=). */
export interface AnnualList {
  code: string;
  title: string;
  table: string;
  total: number;
  items: HitRow[];
}

/** GET /api/v1/stats/annual (crates/store/src/annual.rs `AnnualWithNames`). */
export interface AnnualReport {
  year: number;
  definition: string;
  source: string;
  org_id: number;
  org_name: string;
  period_start: string;
  period_end: string;
  tables: AnnualTable[];
  checks: AnnualCheck[];
  lists: AnnualList[];
}

/**
 * What a recorded step keeps in `StepView.data` (crates/domain development `Step`, plus the
 * introducers' member ids): the fields the step needed.
 */
export interface StepData {
  end_date?: string | null;
  hours?: number | null;
  contacts?: number | null;
  introducers?: { name: string; full: boolean; rights_suspended?: boolean }[];
  introducer_ids?: number[];
  tally?: { entitled: number; present: number; ayes: number; written_ayes?: number } | null;
  months?: number | null;
  special?: boolean;
}

/** A rule parameter's value: an integer in its unit, or a ratio `num/den`. */
export type ParamValue = number | { num: number; den: number };

/** A local value for a central key (domain rules `OverlayValue`). */
export interface OverlayValue {
  key: string;
  value: ParamValue;
  note?: string | null;
}

/** A local rule with no central counterpart (domain rules `LocalParam`). */
export interface LocalParam {
  key: string;
  value: ParamValue;
  unit: string;
  source: string;
  note?: string | null;
}

/** GET/POST /api/v1/rules/overlays: a local overlay over the central rule sets. */
export interface Overlay {
  code: string;
  name_zh: string;
  effective: string;
  source_document: string;
  params: OverlayValue[];
  added_rules: LocalParam[];
}

/** A holiday period: every day from `first` to `last` (inclusive) is off. */
export interface Holiday {
  name: string;
  first: string;
  last: string;
}

/** A weekend day worked in exchange for a holiday (调休上班). */
export interface MakeUpDay {
  name: string;
  date: string;
}

/** GET /api/v1/calendar/years, PUT /api/v1/calendar/years/{year}: one year's arrangement. */
export interface CalendarYear {
  year: number;
  published: boolean;
  source: string;
  holidays: Holiday[];
  make_up_days: MakeUpDay[];
}
export type MeetingView = S['MeetingView'];
export type DuesView = S['DuesView'];
export type ProposalView = S['ProposalView'];
export type Proposals = S['Proposals'];
export type RemovalView = S['RemovalView'];
export type Alert = S['Alert'];
export type DevStats = S['DevStats'];
export type VoteRuleView = S['VoteRuleView'];
export type VoteCheckAnswer = S['VoteCheckAnswer'];
export type MemberAttendance = S['MemberAttendance'];
