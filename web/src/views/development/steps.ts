/**
 * The 发展党员 step form's logic, without component state: which steps may be recorded at
 * which stage (mirrors crates/domain development `check_step`'s stage checks), which step
 * to suggest next, which fields each kind needs, the client-side checks that mirror the
 * server's structural ones (the rule checks — 1 year as activist, 5 working days of 公示,
 * 2 full introducers, the votes, the approval deadline — are left to the server, whose
 * refusal names the rule and article and is shown as worded), the request body, and the
 * details a recorded step shows in the timeline.
 */
import type { NewStep, PersonView, StepData, StepView } from '@/api/types';
import { t } from '@/i18n';
import { ageOn, parseYmd } from '@/validators';

/** Every step kind, in pipeline order (labels: code table `dev_step`). */
export const STEP_KINDS = [
  'application',
  'talk',
  'activist',
  'contacts',
  'thought_report',
  'review',
  'candidate',
  'political_review',
  'training',
  'pre_review',
  'notice',
  'branch_meeting',
  'higher_talk',
  'approval',
  'oath',
  'extension',
  'conversion_meeting',
  'conversion_approval',
  'cancellation',
  'stop',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** Stages in order (labels: code table `dev_stage`). */
export const STAGES = ['applicant', 'activist', 'candidate', 'probationary', 'full', 'stopped'] as const;
export type Stage = (typeof STAGES)[number];

/** The stages in which a step may be recorded (the server's `stage_is`). */
const ALLOWED: Record<Exclude<StepKind, 'application'>, readonly Stage[]> = {
  talk: ['applicant'],
  activist: ['applicant'],
  contacts: ['activist', 'candidate'],
  thought_report: ['applicant', 'activist', 'candidate', 'probationary'],
  review: ['activist', 'candidate'],
  candidate: ['activist'],
  political_review: ['candidate'],
  training: ['activist', 'candidate'],
  pre_review: ['candidate'],
  notice: ['candidate'],
  branch_meeting: ['candidate'],
  higher_talk: ['candidate'],
  approval: ['candidate'],
  oath: ['probationary'],
  extension: ['probationary'],
  conversion_meeting: ['probationary'],
  conversion_approval: ['probationary'],
  cancellation: ['probationary'],
  stop: ['applicant', 'activist', 'candidate'],
};

/** Step kinds that may be recorded at a stage, in pipeline order (the application is its own dialog). */
export function kindsForStage(stage: string): StepKind[] {
  return STEP_KINDS.filter((k) => k !== 'application' && (ALLOWED[k] as readonly string[]).includes(stage));
}

/** The main line of the pipeline: the step suggested is the first of these not yet taken. */
const MAIN_LINE: readonly StepKind[] = [
  'talk',
  'activist',
  'contacts',
  'candidate',
  'political_review',
  'training',
  'pre_review',
  'notice',
  'branch_meeting',
  'higher_talk',
  'approval',
  'oath',
  'conversion_meeting',
  'conversion_approval',
];

/** The step to offer first: the next one on the main line that the stage allows. */
export function suggestedKind(stage: string, steps: readonly Pick<StepView, 'kind'>[]): StepKind | null {
  const allowed = kindsForStage(stage);
  const done = new Set(steps.map((s) => s.kind));
  return MAIN_LINE.find((k) => allowed.includes(k) && !done.has(k)) ?? allowed[0] ?? null;
}

/** Form fields beyond the date and the note. */
export type StepField = 'end_date' | 'hours' | 'contacts' | 'introducers' | 'tally' | 'months' | 'special';

/** The fields a kind needs (the rest are hidden and not sent). */
export function fieldsFor(kind: string): StepField[] {
  switch (kind) {
    case 'training':
      return ['end_date', 'hours'];
    case 'notice':
      return ['end_date'];
    case 'contacts':
      return ['contacts'];
    case 'branch_meeting':
      return ['introducers', 'tally'];
    case 'conversion_meeting':
      return ['tally'];
    case 'extension':
      return ['months'];
    case 'approval':
      return ['special'];
    default:
      return [];
  }
}

/** Whether a kind's date is the first day of a period (公示, training). */
export function isPeriod(kind: string): boolean {
  return kind === 'notice' || kind === 'training';
}

/** 公示 lasts at least this many working days (development.notice_working_days; the server checks the rule in force). */
export const NOTICE_WORKING_DAYS = 5;

/** The form's state. */
export interface StepForm {
  kind: string;
  date: string;
  end_date: string;
  hours: number | null;
  contacts: number | null;
  introducer_ids: number[];
  entitled: number | null;
  present: number | null;
  ayes: number | null;
  written_ayes: number | null;
  months: number | null;
  special: boolean;
  note: string;
}

export function emptyStepForm(kind = ''): StepForm {
  return {
    kind,
    date: '',
    end_date: '',
    hours: null,
    contacts: null,
    introducer_ids: [],
    entitled: null,
    present: null,
    ayes: null,
    written_ayes: null,
    months: null,
    special: false,
    note: '',
  };
}

/** A failed client-side check: the field, the catalogue key and its parameters. */
export interface FormProblem {
  field: keyof StepForm;
  key: string;
  params?: Record<string, string | number>;
}

function count(v: number | null): v is number {
  return v !== null && Number.isInteger(v) && v >= 0;
}

/**
 * The structural checks the server would refuse too: required fields of the kind, dates
 * well-formed, not after today and not before the last step (development.date_order),
 * periods that end after they start, vote counts that add up.
 */
export function checkStepForm(f: StepForm, ctx: { today: string; lastDate?: string | null }): FormProblem[] {
  const out: FormProblem[] = [];
  const fields = fieldsFor(f.kind);
  if (!f.kind) out.push({ field: 'kind', key: 'dev.step.problems.kind' });
  const date = parseYmd(f.date);
  if (!date) out.push({ field: 'date', key: 'dev.step.problems.date' });
  else if (ctx.today && f.date > ctx.today) out.push({ field: 'date', key: 'dev.step.problems.future' });
  else if (ctx.lastDate && f.date < ctx.lastDate) {
    out.push({ field: 'date', key: 'dev.step.problems.beforeLast', params: { date: ctx.lastDate } });
  }
  if (fields.includes('end_date')) {
    if (!parseYmd(f.end_date)) out.push({ field: 'end_date', key: 'dev.step.problems.endDate' });
    else if (date && f.end_date < f.date) out.push({ field: 'end_date', key: 'dev.step.problems.endBeforeStart' });
  }
  if (fields.includes('hours') && f.hours !== null && !count(f.hours)) {
    out.push({ field: 'hours', key: 'dev.step.problems.count' });
  }
  if (fields.includes('contacts') && !count(f.contacts)) {
    out.push({ field: 'contacts', key: 'dev.step.problems.contacts' });
  }
  if (fields.includes('introducers')) {
    if (f.introducer_ids.length === 0) out.push({ field: 'introducer_ids', key: 'dev.step.problems.introducers' });
    else if (new Set(f.introducer_ids).size !== f.introducer_ids.length) {
      out.push({ field: 'introducer_ids', key: 'dev.step.problems.introducersTwice' });
    }
  }
  if (fields.includes('tally')) {
    if (!count(f.entitled) || f.entitled === 0) out.push({ field: 'entitled', key: 'dev.step.problems.entitled' });
    if (!count(f.present)) out.push({ field: 'present', key: 'dev.step.problems.count' });
    if (!count(f.ayes)) out.push({ field: 'ayes', key: 'dev.step.problems.count' });
    if (f.written_ayes !== null && !count(f.written_ayes)) out.push({ field: 'written_ayes', key: 'dev.step.problems.count' });
    if (count(f.entitled) && count(f.present) && f.present > f.entitled) {
      out.push({ field: 'present', key: 'dev.step.problems.presentOverEntitled' });
    }
    if (count(f.present) && count(f.ayes) && f.ayes > f.present) {
      out.push({ field: 'ayes', key: 'dev.step.problems.ayesOverPresent' });
    }
    const written = f.written_ayes ?? 0;
    if (count(f.entitled) && count(f.present) && count(written) && written > f.entitled - Math.min(f.present, f.entitled)) {
      out.push({ field: 'written_ayes', key: 'dev.step.problems.writtenOverAbsent' });
    }
  }
  if (fields.includes('months') && (!count(f.months) || f.months === 0)) {
    out.push({ field: 'months', key: 'dev.step.problems.months' });
  }
  return out;
}

/** The request body: only the fields the kind needs. */
export function stepBody(f: StepForm, version: number): NewStep {
  const fields = fieldsFor(f.kind);
  const body: NewStep = { version, kind: f.kind, date: f.date.trim(), introducer_ids: [], special: false };
  if (fields.includes('end_date')) body.end_date = f.end_date.trim() || null;
  if (fields.includes('hours') && f.hours !== null) body.hours = f.hours;
  if (fields.includes('contacts')) body.contacts = f.contacts;
  if (fields.includes('introducers')) body.introducer_ids = [...f.introducer_ids];
  if (fields.includes('tally')) {
    body.tally = {
      entitled: f.entitled ?? 0,
      present: f.present ?? 0,
      ayes: f.ayes ?? 0,
      written_ayes: f.written_ayes ?? 0,
    };
  }
  if (fields.includes('months')) body.months = f.months;
  if (fields.includes('special')) body.special = f.special;
  const note = f.note.trim();
  if (note) body.note = note;
  return body;
}

/** The date of the last recorded step (the next may not be earlier). */
export function lastStepDate(p: Pick<PersonView, 'steps'>): string | null {
  return p.steps.reduce<string | null>((m, s) => (m === null || s.date > m ? s.date : m), null);
}

/** One detail of a recorded step for the timeline: a catalogue key and its parameters. */
export interface StepDetail {
  key: string;
  params: Record<string, string | number>;
}

/** What a recorded step shows besides its date and label (its `data`; the vote separately). */
export function stepDetails(s: Pick<StepView, 'kind' | 'date' | 'data' | 'vote'>): StepDetail[] {
  const d = (s.data ?? {}) as StepData;
  const out: StepDetail[] = [];
  if (d.end_date) out.push({ key: 'dev.detail.period', params: { from: s.date, to: d.end_date } });
  if (d.hours) out.push({ key: 'dev.detail.hours', params: { n: d.hours } });
  if (d.contacts !== null && d.contacts !== undefined && s.kind === 'contacts') {
    out.push({ key: 'dev.detail.contacts', params: { n: d.contacts } });
  }
  if (d.introducers && d.introducers.length) {
    out.push({ key: 'dev.detail.introducers', params: { names: d.introducers.map((i) => i.name).join(t('dev.detail.sep')) } });
  }
  if (d.tally && !s.vote) {
    out.push({
      key: 'dev.detail.tally',
      params: { entitled: d.tally.entitled, present: d.tally.present, ayes: d.tally.ayes, written: d.tally.written_ayes ?? 0 },
    });
  }
  if (d.months) out.push({ key: 'dev.detail.months', params: { n: d.months } });
  if (d.special) out.push({ key: 'dev.detail.special', params: {} });
  return out;
}

/** Member ids of the introducers recorded with a step (links to their pages). */
export function introducerIds(s: Pick<StepView, 'data'>): number[] {
  const d = (s.data ?? {}) as StepData;
  return Array.isArray(d.introducer_ids) ? d.introducer_ids.filter((n) => Number.isInteger(n)) : [];
}

/** 递交入党申请书时须年满十八岁 (党章第一条): mirrors the server's development.too_young. */
export const MIN_APPLICATION_AGE = 18;

export function tooYoungToApply(birth: string | null | undefined, applied: string | null | undefined): boolean {
  const b = parseYmd(birth);
  const a = parseYmd(applied);
  return !!b && !!a && ageOn(b, a) < MIN_APPLICATION_AGE;
}

/** Element Plus tag type of a stage. */
export function stageTagType(stage: string): 'primary' | 'success' | 'warning' | 'info' | 'danger' {
  switch (stage) {
    case 'applicant':
      return 'info';
    case 'activist':
      return 'warning';
    case 'candidate':
      return 'danger';
    case 'probationary':
      return 'primary';
    case 'full':
      return 'success';
    default:
      return 'info';
  }
}
