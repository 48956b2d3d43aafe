import { describe, expect, it } from 'vitest';
import { checkCounts, checkRemoval, fenToYuan, monthRange, tally, yuanToFen, type RemovalForm } from './orglife';
import { filterRows, namesakeIds, whoParts } from './orglife';

describe('组织生活 helpers', () => {
  it('counts attendance by status', () => {
    const rows = [
      { member_id: 1, name: 'a', status: 'present' as const, reason: '' },
      { member_id: 2, name: 'b', status: 'absent' as const, reason: '' },
      { member_id: 3, name: 'c', status: 'present' as const, reason: '' },
      { member_id: 4, name: 'd', status: 'excused' as const, reason: '住院' },
    ];
    expect(tally(rows)).toEqual({ present: 2, excused: 1, absent: 1 });
    expect(tally([])).toEqual({ present: 0, excused: 0, absent: 0 });
  });

  it('converts yuan and fen exactly', () => {
    expect(yuanToFen('0.2')).toBe(20);
    expect(yuanToFen('0.05')).toBe(5);
    expect(yuanToFen('12.30')).toBe(1230);
    expect(yuanToFen('1')).toBe(100);
    expect(yuanToFen('1.234')).toBeNull();
    expect(yuanToFen('-1')).toBeNull();
    expect(yuanToFen('')).toBeNull();
    expect(fenToYuan(5)).toBe('0.05');
    expect(fenToYuan(1230)).toBe('12.30');
    for (const f of [0, 1, 20, 99, 100, 12345]) expect(yuanToFen(fenToYuan(f))).toBe(f);
  });

  it('lists months across a year end, capped at 24', () => {
    expect(monthRange('2004-11', '2005-02')).toEqual(['2004-11', '2004-12', '2005-01', '2005-02']);
    expect(monthRange('2004-05', '2004-05')).toEqual(['2004-05']);
    expect(monthRange('2004-06', '2004-05')).toEqual([]);
    expect(monthRange('2004-6', '2004-07')).toEqual([]);
    expect(monthRange('2000-01', '2010-12')).toHaveLength(24);
  });

  it('checks the removal form before sending', () => {
    const ok: RemovalForm = {
      meeting_date: '2004-12-20',
      entitled: 30,
      present: 25,
      ayes: 20,
      approved_on: '2004-12-28',
      approved_by: '永阳镇党委',
      other_grounds: '',
    };
    expect(checkRemoval(ok, '2004-12-31')).toEqual({});
    expect(checkRemoval({ ...ok, approved_on: '2004-12-19' }, '2004-12-31').approved_on).toBe('orgLife.removal.approvedBeforeMeeting');
    expect(checkRemoval({ ...ok, approved_on: '2005-01-01' }, '2004-12-31').approved_on).toBe('orgLife.removal.future');
    expect(checkRemoval({ ...ok, present: 31 }, '2004-12-31').present).toBe('orgLife.removal.presentOverEntitled');
    expect(checkRemoval({ ...ok, ayes: 26 }, '2004-12-31').ayes).toBe('orgLife.removal.ayesOverPresent');
    expect(checkRemoval({ ...ok, entitled: 0 }, '2004-12-31').entitled).toBe('orgLife.removal.count');
    expect(checkRemoval({ ...ok, approved_by: ' ' }, '2004-12-31').approved_by).toBe('orgLife.removal.required');
  });

  it('checks vote counts before asking the server', () => {
    const c = { entitled: 30, present: 16, ayes: 15, written_ayes: 1 };
    expect(checkCounts(c, true)).toBeNull();
    expect(checkCounts({ ...c, entitled: 0 }, true)).toBe('orgLife.vote.entitledRequired');
    expect(checkCounts({ ...c, present: null }, true)).toBe('orgLife.vote.countsRequired');
    expect(checkCounts({ ...c, present: 31 }, true)).toBe('orgLife.removal.presentOverEntitled');
    expect(checkCounts({ ...c, ayes: 17 }, true)).toBe('orgLife.removal.ayesOverPresent');
    // Written opinions come from absent members only: at most entitled − present.
    expect(checkCounts({ ...c, written_ayes: 14 }, true)).toBeNull();
    expect(checkCounts({ ...c, written_ayes: 15 }, true)).toBe('orgLife.vote.writtenOverAbsent');
    // Where the rule does not count them they are ignored.
    expect(checkCounts({ ...c, written_ayes: 99 }, false)).toBeNull();
  });
});

describe('namesakes and the identity line', () => {
  const a = { member_id: 1, name: 'A', status: 'present' as const, reason: '', who: { gender_zh: 'm', birth_year: 1970, id_tail: '****1234', org_name: 'X' } };
  const b = { member_id: 2, name: 'A', status: 'present' as const, reason: '', who: { gender_zh: 'f', birth_year: null, id_tail: null, org_name: 'Y' } };
  const c = { member_id: 3, name: 'C', status: 'absent' as const, reason: '', who: null };
  it('finds every row whose name occurs more than once', () => {
    expect([...namesakeIds([a, b, c])].sort()).toEqual([1, 2]);
    expect(namesakeIds([a, c]).size).toBe(0);
    expect(namesakeIds([]).size).toBe(0);
  });
  it('words only the known parts', () => {
    const born = (y: number): string => `b${y}`;
    const tail = (s: string): string => `id${s}`;
    expect(whoParts(a.who, born, tail)).toEqual(['m', 'b1970', 'id****1234', 'X']);
    expect(whoParts(b.who, born, tail)).toEqual(['f', 'Y']);
    expect(whoParts(null, born, tail)).toEqual([]);
  });
  it('filters by name or org, everything for an empty text', () => {
    expect(filterRows([a, b, c], '').map((r) => r.member_id)).toEqual([1, 2, 3]);
    expect(filterRows([a, b, c], ' Y ').map((r) => r.member_id)).toEqual([2]);
    expect(filterRows([a, b, c], 'C').map((r) => r.member_id)).toEqual([3]);
    expect(filterRows([a, b, c], 'zz')).toEqual([]);
  });
});
