import { describe, expect, it } from 'vitest';
import type { RuleSetView } from '@/api/types';
import { te } from '@/i18n';
import {
  belongsTo,
  blankOverlay,
  buildOverlay,
  calendarForm,
  calendarYear,
  centralParams,
  checkCalendar,
  checkOverlay,
  daysBetween,
  daysOff,
  filterParams,
  fitsUnit,
  formatValue,
  isWeekend,
  parseValue,
  unitsOf,
  type CalendarForm,
  type OverlayForm,
} from './rules';

const sets: RuleSetView[] = [
  {
    code: 'development.2014',
    name_zh: '中国共产党发展党员工作细则',
    effective: '2014-05-28',
    source_document: '《中国共产党发展党员工作细则》',
    params: [
      { key: 'development.talk_within_months', default: 1 as never, unit: 'months', unit_zh: '个月', source: '第七条', note: '1个月内谈话' },
      { key: 'development.notice_working_days', default: 5 as never, unit: 'working_days', unit_zh: '个工作日', source: '公示', note: '公示' },
    ],
  },
  {
    code: 'election.2020',
    name_zh: '选举条例',
    effective: '2020-07-13',
    source_document: '《选举工作条例》',
    params: [{ key: 'election.elected', default: { num: 1, den: 2 } as never, unit: 'ratio', unit_zh: '比例', source: '条号待核', note: '过半数' }],
  },
];

describe('rule values', () => {
  it('reads and writes integers and ratios', () => {
    expect(formatValue(5)).toBe('5');
    expect(formatValue({ num: 4, den: 5 })).toBe('4/5');
    expect(formatValue(undefined)).toBe('');
    expect(parseValue(' 12 ')).toBe(12);
    expect(parseValue('-3')).toBe(-3);
    expect(parseValue('1 / 2')).toEqual({ num: 1, den: 2 });
    expect(parseValue('1/0')).toBeNull();
    expect(parseValue('1.5')).toBeNull();
    expect(parseValue('')).toBeNull();
    expect(fitsUnit(3, 'months')).toBe(true);
    expect(fitsUnit(3, 'ratio')).toBe(false);
    expect(fitsUnit({ num: 1, den: 2 }, 'ratio')).toBe(true);
    expect(fitsUnit({ num: 1, den: 2 }, 'count')).toBe(false);
  });

  it('indexes the central parameters and their units', () => {
    const c = centralParams(sets);
    expect(c.get('election.elected')?.set).toBe('election.2020');
    expect(unitsOf(sets)).toEqual([
      { code: 'months', label: '个月' },
      { code: 'working_days', label: '个工作日' },
      { code: 'ratio', label: '比例' },
    ]);
    expect(filterParams(sets[0]!.params, '公示').map((p) => p.key)).toEqual(['development.notice_working_days']);
    expect(filterParams(sets[0]!.params, 'TALK').map((p) => p.key)).toEqual(['development.talk_within_months']);
    expect(filterParams(sets[0]!.params, '')).toHaveLength(2);
  });
});

describe('local overlay form', () => {
  const central = centralParams(sets);
  const base: OverlayForm = {
    code: 'county.320124.development',
    name_zh: '溧水县发展党员补充规定',
    effective: '2005-01-01',
    source_document: '溧组发〔2004〕1号',
    rows: [
      { key: 'development.notice_working_days', value: '7', unit: 'working_days', source: '第三条' },
      { key: 'local.development.activist_min_months', value: '6', unit: 'months', source: '第二条' },
    ],
  };
  const keys = (f: OverlayForm) => checkOverlay(f, central).map((p) => `${p.field}${p.row ?? ''}${p.col ? `.${p.col}` : ''}:${p.key.split('.').pop()}`);

  it('accepts a well-formed overlay and splits overrides from local rules', () => {
    expect(keys(base)).toEqual([]);
    expect(buildOverlay(base, central)).toEqual({
      code: 'county.320124.development',
      name_zh: '溧水县发展党员补充规定',
      effective: '2005-01-01',
      source_document: '溧组发〔2004〕1号',
      params: [{ key: 'development.notice_working_days', value: 7, note: '第三条' }],
      added_rules: [{ key: 'local.development.activist_min_months', value: 6, unit: 'months', source: '第二条', note: null }],
    });
  });

  it('wants the heading fields and at least one row', () => {
    expect(keys(blankOverlay())).toEqual(['code:code', 'name_zh:name', 'effective:effective', 'source_document:document', 'rows0.key:key']);
    expect(keys({ ...base, rows: [] })).toEqual(['rows:noRows']);
  });

  it('refuses what the server refuses: duplicates, values not fitting the unit, local rules without unit or source', () => {
    expect(keys({ ...base, rows: [base.rows[0]!, { ...base.rows[0]!, value: '8' }] })).toEqual(['rows1.key:duplicate']);
    expect(keys({ ...base, rows: [{ key: 'election.elected', value: '3', unit: '', source: '' }] })).toEqual(['rows0.value:valueKind']);
    expect(keys({ ...base, rows: [{ key: 'election.elected', value: '2/3', unit: '', source: '' }] })).toEqual([]);
    expect(keys({ ...base, rows: [{ key: 'local.x', value: 'abc', unit: '', source: '' }] })).toEqual([
      'rows0.value:value',
      'rows0.unit:unit',
      'rows0.source:source',
    ]);
  });
});

describe('calendar year form', () => {
  const y2028: CalendarForm = {
    year: 2028,
    published: true,
    source: '国务院办公厅关于2028年部分节假日安排的通知',
    holidays: [
      { name: '元旦', first: '2027-12-31', last: '2028-01-02' },
      { name: '国庆节', first: '2028-10-01', last: '2028-10-07' },
    ],
    make_up_days: [{ name: '国庆节', date: '2028-09-30' }],
  };
  const keys = (f: CalendarForm) => checkCalendar(f).map((p) => `${p.field}${p.row ?? ''}:${p.key.split('.').pop()}`);

  it('knows weekends, the years a date belongs to, and counts days off', () => {
    expect(isWeekend('2028-09-30')).toBe(true); // Saturday
    expect(isWeekend('2028-10-02')).toBe(false);
    expect(belongsTo(2028, '2027-12-31')).toBe(true);
    expect(belongsTo(2028, '2029-01-02')).toBe(true);
    expect(belongsTo(2028, '2027-11-30')).toBe(false);
    expect(daysBetween('2028-02-28', '2028-03-01')).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
    expect(daysOff(y2028)).toBe(10);
  });

  it('accepts a valid year and round-trips it', () => {
    expect(keys(y2028)).toEqual([]);
    expect(calendarYear(calendarForm(calendarYear(y2028)))).toEqual(calendarYear(y2028));
    expect(calendarForm(null).published).toBe(true);
  });

  it('refuses what the server refuses', () => {
    expect(keys({ ...y2028, year: null })).toEqual(['year:year']);
    expect(keys({ ...y2028, published: false })).toEqual(['holidays:unpublished']);
    expect(keys({ ...y2028, published: false, holidays: [], make_up_days: [] })).toEqual([]);
    expect(keys({ ...y2028, holidays: [{ name: '国庆节', first: '2028-10-07', last: '2028-10-01' }] })).toEqual(['holidays0:inverted']);
    expect(keys({ ...y2028, holidays: [{ name: '国庆节', first: '2029-10-01', last: '2029-10-07' }] })).toEqual(['holidays0:outside']);
    expect(keys({ ...y2028, make_up_days: [{ name: '国庆节', date: '2028-10-09' }] })).toEqual(['make_up_days0:notWeekend']);
    expect(keys({ ...y2028, make_up_days: [{ name: '国庆节', date: '2028-10-01' }] })).toEqual(['make_up_days0:conflict']);
    expect(keys({ ...y2028, source: ' ', holidays: [{ name: '', first: 'x', last: '' }] })).toEqual(['source:source', 'holidays0:name', 'holidays0:date']);
  });
});

describe('catalogue keys of the form problems', () => {
  it('exist', () => {
    const central = centralParams(sets);
    const overlayKeys = [
      ...checkOverlay(blankOverlay(), central),
      ...checkOverlay({ ...blankOverlay(), rows: [] }, central),
      ...checkOverlay({ ...blankOverlay(), rows: [{ key: 'a', value: 'x', unit: '', source: '' }, { key: 'a', value: '1', unit: '', source: '' }] }, central),
      ...checkOverlay({ ...blankOverlay(), rows: [{ key: 'election.elected', value: '1', unit: '', source: '' }] }, central),
    ].map((p) => p.key);
    const calKeys = [
      ...checkCalendar({ year: null, published: true, source: '', holidays: [], make_up_days: [] }),
      ...checkCalendar({ year: 2028, published: false, source: '', holidays: [{ name: '', first: '', last: '' }], make_up_days: [] }),
      ...checkCalendar({
        year: 2028,
        published: true,
        source: '',
        holidays: [
          { name: '', first: 'x', last: '' },
          { name: 'a', first: '2028-10-07', last: '2028-10-01' },
          { name: 'a', first: '2030-10-01', last: '2030-10-02' },
          { name: 'a', first: '2028-10-01', last: '2028-10-02' },
        ],
        make_up_days: [
          { name: '', date: '' },
          { name: 'a', date: '2028-10-09' },
          { name: 'a', date: '2028-10-01' },
          { name: 'a', date: '2030-10-01' },
        ],
      }),
    ].map((p) => p.key);
    const all = [...new Set([...overlayKeys, ...calKeys, 'rules.calendar.problems.taken'])];
    expect(all.length).toBeGreaterThan(15);
    expect(all.filter((k) => !te(k))).toEqual([]);
  });
});
