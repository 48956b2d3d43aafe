import { describe, expect, it } from 'vitest';
import type { AnnualTable } from '@/api/types';
import {
  cellLabel,
  cellRef,
  cellTestId,
  isDrillable,
  listsWithPeople,
  parseYear,
  rowLevel,
  showsEvents,
  tableRows,
  tallyChecks,
} from './annual';

const t1: AnnualTable = {
  code: 'T1',
  title: '党员数量变化情况',
  kind: 'reconciliation',
  rows: [
    { key: '1', label: '一、上年底总数' },
    { key: '2', label: '二、本年增加' },
    { key: '3', label: '发展党员' },
    { key: '4', label: '其中：重新入党' },
    { key: '9', label: '三、本年减少' },
    { key: '15', label: '四、本年底应有数' },
    { key: '16', label: '五、本年底实有数' },
    { key: '17', label: '六、实有数与应有数之差' },
  ],
  cols: [{ key: 'A', label: '人数' }],
  cells: [[18026], [485], [266], [0], [77], [18434], [18434], [0]],
  notes: [],
  reason: null,
};

const t2: AnnualTable = {
  code: 'T2',
  title: '党员基本情况',
  kind: 'cells',
  rows: [
    { key: '1', label: '总计' },
    { key: '2', label: '工人（工勤技能人员）' },
  ],
  cols: [
    { key: 'A', label: '总数' },
    { key: 'C', label: '女' },
  ],
  cells: [
    [18434, 2224],
    [1838, 0],
  ],
  notes: ['n'],
  reason: null,
};

const t8: AnnualTable = {
  code: 'T8',
  title: '民主评议党员情况',
  kind: 'not_collected',
  rows: [],
  cols: [],
  cells: [],
  notes: [],
  reason: '尚未登记',
};

describe('annual report cells', () => {
  it('builds the drill-down cell and the test id', () => {
    expect(cellRef('T1', '13', 'A')).toBe('T1/13/A');
    expect(cellTestId('T2', '1', 'C')).toBe('annual-cell-T2-1-C');
  });

  it('opens non-zero cells except the T1 sum rows', () => {
    expect(isDrillable(t1, '3', 266)).toBe(true);
    expect(isDrillable(t1, '1', 18026)).toBe(true);
    expect(isDrillable(t1, '16', 18434)).toBe(true);
    for (const r of ['2', '9', '15']) expect(isDrillable(t1, r, 100)).toBe(false);
    expect(isDrillable(t1, '17', 0)).toBe(false);
    expect(isDrillable(t2, '2', 0)).toBe(false);
    expect(isDrillable(t2, '2', 1838)).toBe(true);
    // Row 2 is a sum only in T1.
    expect(isDrillable(t2, '2', 5)).toBe(true);
    expect(isDrillable(t8, '1', 5)).toBe(false);
  });

  it('lays out rows with grouped numbers', () => {
    const rows = tableRows(t2);
    expect(rows.map((r) => r.key)).toEqual(['1', '2']);
    expect(rows[0]!.cells.map((c) => [c.colKey, c.text, c.ref, c.drillable])).toEqual([
      ['A', '18,434', 'T2/1/A', true],
      ['C', '2,224', 'T2/1/C', true],
    ]);
    expect(rows[1]!.cells[1]).toMatchObject({ value: 0, text: '0', drillable: false });
    const r1 = tableRows(t1);
    expect(r1.find((r) => r.key === '15')!.cells[0]).toMatchObject({ text: '18,434', drillable: false });
    expect(tableRows(t8)).toEqual([]);
  });

  it('indents sub-rows and marks sections', () => {
    expect(rowLevel('一、上年底总数')).toBe('section');
    expect(rowLevel('六、实有数与应有数之差')).toBe('section');
    expect(rowLevel('其中：重新入党')).toBe('sub');
    expect(rowLevel('发展党员')).toBe('row');
    expect(rowLevel('学历：高中、中技')).toBe('row');
    expect(rowLevel('中专、高中')).toBe('row');
    expect(tableRows(t1).map((r) => r.level).slice(0, 4)).toEqual(['section', 'section', 'row', 'sub']);
  });

  it('names a cell for the drawer', () => {
    expect(cellLabel(t1, '3', 'A')).toBe('T1 发展党员');
    expect(cellLabel(t2, '1', 'C')).toBe('T2 总计 · 女');
  });

  it('shows events for the reconciliation', () => {
    expect(showsEvents(t1)).toBe(true);
    expect(showsEvents(t2)).toBe(false);
  });
});

describe('annual report summary', () => {
  it('tallies the checks and the lists', () => {
    expect(
      tallyChecks([
        { rule: 'a', ok: true, failures: [] },
        { rule: 'b', ok: false, failures: ['x'] },
        { rule: 'c', ok: true, failures: [] },
      ]),
    ).toEqual({ total: 3, passed: 2, failed: 1 });
    expect(tallyChecks([])).toEqual({ total: 0, passed: 0, failed: 0 });
    expect(
      listsWithPeople([
        { code: 'T3-1', title: 'x', table: 'T3', total: 2, items: [] },
        { code: 'T1-1', title: 'y', table: 'T1', total: 0, items: [] },
      ]),
    ).toBe(1);
  });

  it('reads the year from the URL', () => {
    expect(parseYear('2004')).toBe(2004);
    expect(parseYear('1900')).toBeNull();
    expect(parseYear('20o4')).toBeNull();
    expect(parseYear(undefined)).toBeNull();
    expect(parseYear(['2004'])).toBeNull();
  });
});
