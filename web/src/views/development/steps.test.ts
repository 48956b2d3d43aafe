import { describe, expect, it } from 'vitest';
import type { BoardColumn, DueRow, StepView } from '@/api/types';
import { te } from '@/i18n';
import {
  checkStepForm,
  emptyStepForm,
  fieldsFor,
  introducerIds,
  kindsForStage,
  lastStepDate,
  stepBody,
  stepDetails,
  suggestedKind,
  tooYoungToApply,
  type StepForm,
} from './steps';
import { dueCounts, dueState, dueTagType, filterDue, inPipeline, orderedColumns } from './board';

function steps(...kinds: string[]): Pick<StepView, 'kind'>[] {
  return kinds.map((kind) => ({ kind }));
}

/** A recorded step with only the fields the helpers read. */
function rec(o: { kind: string; date: string; data: unknown; vote: string | null }): StepView {
  return o as unknown as StepView;
}

function form(over: Partial<StepForm>): StepForm {
  return { ...emptyStepForm(), ...over };
}

describe('step kinds per stage (mirrors the server’s stage checks)', () => {
  it('offers what each stage allows, in pipeline order, never the application', () => {
    expect(kindsForStage('applicant')).toEqual(['talk', 'activist', 'thought_report', 'stop']);
    expect(kindsForStage('activist')).toEqual(['contacts', 'thought_report', 'review', 'candidate', 'training', 'stop']);
    expect(kindsForStage('candidate')).toEqual([
      'contacts',
      'thought_report',
      'review',
      'political_review',
      'training',
      'pre_review',
      'notice',
      'branch_meeting',
      'higher_talk',
      'approval',
      'stop',
    ]);
    expect(kindsForStage('probationary')).toEqual([
      'thought_report',
      'oath',
      'extension',
      'conversion_meeting',
      'conversion_approval',
      'cancellation',
    ]);
    expect(kindsForStage('full')).toEqual([]);
    expect(kindsForStage('stopped')).toEqual([]);
  });

  it('suggests the next step on the main line', () => {
    expect(suggestedKind('applicant', steps('application'))).toBe('talk');
    expect(suggestedKind('applicant', steps('application', 'talk'))).toBe('activist');
    expect(suggestedKind('activist', steps('application', 'talk', 'activist'))).toBe('contacts');
    expect(suggestedKind('activist', steps('application', 'talk', 'activist', 'contacts', 'review'))).toBe('candidate');
    const toNotice = steps('application', 'talk', 'activist', 'contacts', 'candidate', 'political_review', 'training', 'pre_review');
    expect(suggestedKind('candidate', toNotice)).toBe('notice');
    expect(suggestedKind('candidate', [...toNotice, ...steps('notice')])).toBe('branch_meeting');
    expect(suggestedKind('candidate', [...toNotice, ...steps('notice', 'branch_meeting')])).toBe('higher_talk');
    expect(suggestedKind('candidate', [...toNotice, ...steps('notice', 'branch_meeting', 'higher_talk')])).toBe('approval');
    expect(suggestedKind('probationary', [...toNotice, ...steps('notice', 'branch_meeting', 'higher_talk', 'approval')])).toBe('oath');
    expect(suggestedKind('full', steps('application'))).toBeNull();
  });
});

describe('fields per step kind', () => {
  it('asks each kind for what it needs', () => {
    expect(fieldsFor('talk')).toEqual([]);
    expect(fieldsFor('notice')).toEqual(['end_date']);
    expect(fieldsFor('training')).toEqual(['end_date', 'hours']);
    expect(fieldsFor('contacts')).toEqual(['contacts']);
    expect(fieldsFor('branch_meeting')).toEqual(['introducers', 'tally']);
    expect(fieldsFor('conversion_meeting')).toEqual(['tally']);
    expect(fieldsFor('extension')).toEqual(['months']);
    expect(fieldsFor('approval')).toEqual(['special']);
  });

  it('sends only the fields of the kind', () => {
    const f = form({
      kind: 'talk',
      date: '2004-01-05',
      end_date: '2004-01-09',
      hours: 30,
      introducer_ids: [1, 2],
      entitled: 9,
      months: 6,
      note: '  谈话  ',
    });
    expect(stepBody(f, 3)).toEqual({ version: 3, kind: 'talk', date: '2004-01-05', introducer_ids: [], special: false, note: '谈话' });
    expect(stepBody({ ...f, kind: 'notice' }, 3)).toEqual({
      version: 3,
      kind: 'notice',
      date: '2004-01-05',
      end_date: '2004-01-09',
      introducer_ids: [],
      special: false,
      note: '谈话',
    });
    const meeting = stepBody(
      form({ kind: 'branch_meeting', date: '2004-12-10', introducer_ids: [7, 9], entitled: 9, present: 8, ayes: 5, written_ayes: null }),
      11,
    );
    expect(meeting).toEqual({
      version: 11,
      kind: 'branch_meeting',
      date: '2004-12-10',
      introducer_ids: [7, 9],
      tally: { entitled: 9, present: 8, ayes: 5, written_ayes: 0 },
      special: false,
    });
    expect(stepBody(form({ kind: 'approval', date: '2004-12-20', special: true }), 1).special).toBe(true);
    expect(stepBody(form({ kind: 'extension', date: '2004-12-20', months: 6 }), 1).months).toBe(6);
    expect(stepBody(form({ kind: 'training', date: '2004-12-01', end_date: '2004-12-03', hours: null }), 1)).not.toHaveProperty('hours');
  });
});

describe('client-side checks', () => {
  const ctx = { today: '2004-12-31', lastDate: '2003-11-21' };
  const keys = (f: StepForm, c = ctx) => checkStepForm(f, c).map((p) => `${p.field}:${p.key.split('.').pop()}`);

  it('wants a kind and a real date, not after today nor before the last step', () => {
    expect(keys(form({}))).toEqual(['kind:kind', 'date:date']);
    expect(keys(form({ kind: 'talk', date: '2004-02-30' }))).toEqual(['date:date']);
    expect(keys(form({ kind: 'talk', date: '2005-01-01' }))).toEqual(['date:future']);
    expect(keys(form({ kind: 'talk', date: '2003-11-20' }))).toEqual(['date:beforeLast']);
    expect(checkStepForm(form({ kind: 'talk', date: '2003-11-20' }), ctx)[0]?.params).toEqual({ date: '2003-11-21' });
    expect(keys(form({ kind: 'talk', date: '2003-11-21' }))).toEqual([]);
  });

  it('wants the last day of 公示 and training, not before the first', () => {
    expect(keys(form({ kind: 'notice', date: '2004-12-01' }))).toEqual(['end_date:endDate']);
    expect(keys(form({ kind: 'notice', date: '2004-12-01', end_date: '2004-11-30' }))).toEqual(['end_date:endBeforeStart']);
    // Too short a 公示 is the server's call (working days, holidays): it passes here.
    expect(keys(form({ kind: 'notice', date: '2004-12-01', end_date: '2004-12-03' }))).toEqual([]);
    expect(keys(form({ kind: 'training', date: '2004-12-01', end_date: '2004-12-01', hours: 1.5 }))).toEqual(['hours:count']);
  });

  it('checks the meeting: introducers chosen once each, counts that add up', () => {
    const ok = form({ kind: 'branch_meeting', date: '2004-12-10', introducer_ids: [1, 2], entitled: 9, present: 8, ayes: 3 });
    // A failing vote (3 of 9) is for the server to refuse with its derivation.
    expect(keys(ok)).toEqual([]);
    expect(keys({ ...ok, introducer_ids: [] })).toEqual(['introducer_ids:introducers']);
    expect(keys({ ...ok, introducer_ids: [1, 1] })).toEqual(['introducer_ids:introducersTwice']);
    expect(keys({ ...ok, entitled: null, present: null, ayes: null })).toEqual(['entitled:entitled', 'present:count', 'ayes:count']);
    expect(keys({ ...ok, present: 10 })).toEqual(['present:presentOverEntitled']);
    expect(keys({ ...ok, ayes: 9 })).toEqual(['ayes:ayesOverPresent']);
    expect(keys({ ...ok, written_ayes: 2 })).toEqual(['written_ayes:writtenOverAbsent']);
    expect(keys({ ...ok, written_ayes: 1 })).toEqual([]);
    expect(keys(form({ kind: 'conversion_meeting', date: '2004-12-10', entitled: 9, present: 8, ayes: 6 }))).toEqual([]);
  });

  it('wants contacts and months where the kind takes them', () => {
    expect(keys(form({ kind: 'contacts', date: '2004-12-10' }))).toEqual(['contacts:contacts']);
    expect(keys(form({ kind: 'contacts', date: '2004-12-10', contacts: 2 }))).toEqual([]);
    expect(keys(form({ kind: 'extension', date: '2004-12-10', months: 0 }))).toEqual(['months:months']);
    // 6–12 months is the rule in force, checked (and worded) by the server.
    expect(keys(form({ kind: 'extension', date: '2004-12-10', months: 3 }))).toEqual([]);
  });
});

describe('helpers', () => {
  it('finds the last step date', () => {
    expect(lastStepDate({ steps: [] })).toBeNull();
    const s = (date: string) => ({ date }) as StepView;
    expect(lastStepDate({ steps: [s('2003-01-01'), s('2003-11-21'), s('2003-05-01')] })).toBe('2003-11-21');
  });

  it('mirrors the age-18 rule of the application', () => {
    expect(tooYoungToApply('1986-12-31', '2004-12-30')).toBe(true);
    expect(tooYoungToApply('1986-12-31', '2004-12-31')).toBe(false);
    expect(tooYoungToApply('', '2004-12-31')).toBe(false);
  });

  it('describes a recorded step from its data', () => {
    const notice = rec({ kind: 'notice', date: '2003-11-21', data: { end_date: '2003-11-30' }, vote: null });
    expect(stepDetails(notice)).toEqual([{ key: 'dev.detail.period', params: { from: '2003-11-21', to: '2003-11-30' } }]);
    const meeting = rec({
      kind: 'branch_meeting',
      date: '2004-12-10',
      data: {
        introducers: [
          { name: '甲', full: true },
          { name: '乙', full: true },
        ],
        introducer_ids: [4, 5],
        tally: { entitled: 9, present: 8, ayes: 6, written_ayes: 0 },
      },
      vote: '应到 9 人 … → 通过',
    });
    // The vote's derivation replaces the bare counts.
    expect(stepDetails(meeting).map((d) => d.key)).toEqual(['dev.detail.introducers']);
    expect(stepDetails(meeting)[0]?.params.names).toBe('甲、乙');
    expect(introducerIds(meeting)).toEqual([4, 5]);
    expect(stepDetails({ ...meeting, vote: null }).map((d) => d.key)).toEqual(['dev.detail.introducers', 'dev.detail.tally']);
    const ext = rec({ kind: 'extension', date: '2004-12-10', data: { months: 6 }, vote: null });
    expect(stepDetails(ext)).toEqual([{ key: 'dev.detail.months', params: { n: 6 } }]);
    expect(stepDetails(rec({ kind: 'approval', date: '2004-12-10', data: { special: true }, vote: null }))[0]?.key).toBe(
      'dev.detail.special',
    );
    expect(stepDetails(rec({ kind: 'talk', date: '2004-12-10', data: null, vote: null }))).toEqual([]);
  });
});

describe('board and due list', () => {
  const col = (stage: string, count: number): BoardColumn => ({ stage, label: stage, count });

  it('orders the columns along the pipeline and counts who is in it', () => {
    const cols = [col('full', 2), col('applicant', 124), col('stopped', 1), col('candidate', 100), col('activist', 75)];
    expect(orderedColumns(cols).map((c) => c.stage)).toEqual(['applicant', 'activist', 'candidate', 'full', 'stopped']);
    expect(inPipeline(cols)).toBe(299);
  });

  const due = (step: string, overdue: boolean, kind = 'deadline', date = '2004-01-13'): DueRow => ({
    person_id: 1,
    name: 'x',
    org_name: 'o',
    stage_label: 's',
    due: { step, label: `L-${step}`, date, kind, source: 'src', overdue },
  });

  it('counts the due items per step, overdue steps first', () => {
    const rows = [due('approval', true), due('approval', true), due('talk', true), due('candidate', false, 'earliest'), due('candidate', false, 'earliest'), due('candidate', false, 'earliest'), due('review', false)];
    expect(dueCounts(rows)).toEqual([
      { step: 'approval', label: 'L-approval', count: 2, overdue: 2 },
      { step: 'talk', label: 'L-talk', count: 1, overdue: 1 },
      { step: 'candidate', label: 'L-candidate', count: 3, overdue: 0 },
      { step: 'review', label: 'L-review', count: 1, overdue: 0 },
    ]);
    expect(filterDue(rows, 'approval')).toHaveLength(2);
    expect(filterDue(rows, '')).toHaveLength(7);
  });

  it('reads a due item as overdue, deadline or earliest', () => {
    expect(dueState({ kind: 'deadline', overdue: true })).toBe('overdue');
    expect(dueState({ kind: 'deadline', overdue: false })).toBe('deadline');
    expect(dueState({ kind: 'earliest', overdue: false })).toBe('earliest');
    expect(dueTagType('overdue')).toBe('danger');
    expect(dueTagType('deadline')).toBe('warning');
    expect(dueTagType('earliest')).toBe('info');
  });
});

describe('catalogue keys of the step form', () => {
  it('exist for every problem and detail', () => {
    const problems = [
      ...checkStepForm(form({}), { today: '2004-12-31' }),
      ...checkStepForm(form({ kind: 'talk', date: '2005-01-01' }), { today: '2004-12-31' }),
      ...checkStepForm(form({ kind: 'talk', date: '2003-01-01' }), { today: '2004-12-31', lastDate: '2004-01-01' }),
      ...checkStepForm(form({ kind: 'notice', date: '2004-12-01' }), { today: '2004-12-31' }),
      ...checkStepForm(form({ kind: 'notice', date: '2004-12-01', end_date: '2004-11-01' }), { today: '2004-12-31' }),
      ...checkStepForm(form({ kind: 'training', date: '2004-12-01', end_date: '2004-12-02', hours: -1 }), { today: '2004-12-31' }),
      ...checkStepForm(form({ kind: 'contacts', date: '2004-12-01' }), { today: '2004-12-31' }),
      ...checkStepForm(form({ kind: 'branch_meeting', date: '2004-12-01' }), { today: '2004-12-31' }),
      ...checkStepForm(form({ kind: 'branch_meeting', date: '2004-12-01', introducer_ids: [1, 1], entitled: 3, present: 4, ayes: 5, written_ayes: 9 }), {
        today: '2004-12-31',
      }),
      ...checkStepForm(form({ kind: 'extension', date: '2004-12-01' }), { today: '2004-12-31' }),
    ].map((p) => p.key);
    const details = stepDetails(
      rec({
        kind: 'contacts',
        date: '2004-01-01',
        data: { end_date: '2004-01-02', hours: 3, contacts: 2, introducers: [{ name: 'a', full: true }], tally: { entitled: 1, present: 1, ayes: 1 }, months: 6, special: true },
        vote: null,
      }),
    ).map((d) => d.key);
    const all = [...new Set([...problems, ...details])];
    expect(all.length).toBeGreaterThan(20);
    expect(all.filter((k) => !te(k))).toEqual([]);
  });
});
