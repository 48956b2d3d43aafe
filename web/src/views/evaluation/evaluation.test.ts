import { describe, expect, it } from 'vitest';
import {
  appraisalGradeKey,
  checkExcellent,
  DEFAULT_SCHEME,
  evalGrade,
  evalGradeKey,
  excellentLimit,
  fixed2,
  gradedAll,
  groupKey,
  initialDecision,
  normalizeToken,
  schemeOf,
  weightedResult,
} from './evaluation';
import zhCN from '@/i18n/zh-CN';
import { t } from '@/i18n';

describe('民主评议党员: 优秀 at most one third', () => {
  it('rounds the limit down and is inclusive', () => {
    expect([0, 1, 2, 3, 5, 6, 7, 9].map(excellentLimit)).toEqual([0, 0, 0, 1, 1, 2, 2, 3]);
    expect(checkExcellent({ 1: 'excellent', 2: 'qualified', 3: 'qualified' }, 3)).toEqual({ count: 1, limit: 1, ok: true });
    expect(checkExcellent({ 1: 'excellent', 2: 'excellent', 3: 'qualified' }, 3)).toEqual({ count: 2, limit: 1, ok: false });
    const six = { 1: 'excellent', 2: 'excellent', 3: 'qualified', 4: 'qualified', 5: 'qualified', 6: 'qualified' };
    expect(checkExcellent(six, 6).ok).toBe(true);
    expect(checkExcellent({ ...six, 3: 'excellent' }, 6)).toEqual({ count: 3, limit: 2, ok: false });
    expect(checkExcellent({ 1: 'excellent' }, 2).ok).toBe(false);
  });

  it('starts from the recorded grade, else the suggestion, else 合格', () => {
    const d = initialDecision([
      { member_id: 1, suggested: 'excellent', grade: null },
      { member_id: 2, suggested: null, grade: null },
      { member_id: 3, suggested: 'basically_qualified', grade: 'unqualified' },
      { member_id: 4, suggested: 'nonsense' },
    ]);
    expect(d).toEqual({ 1: 'excellent', 2: 'qualified', 3: 'unqualified', 4: 'qualified' });
    expect(gradedAll(d, [{ member_id: 1 }, { member_id: 4 }])).toBe(true);
    expect(gradedAll({ 1: 'excellent' }, [{ member_id: 1 }, { member_id: 2 }])).toBe(false);
  });
});

describe('双述双评联考: weighted result', () => {
  it('weights the three groups 40 / 30 / 30 (the store suite example: 88 → 称职)', () => {
    const r = weightedResult([
      [2, 0, 0, 0],
      [0, 2, 0, 0],
      [0, 2, 0, 0],
    ]);
    expect(r.score).toBe(88);
    expect(r.grade).toBe('competent');
    expect(r.usedWeight).toBe(100);
    expect(r.lines.map((l) => [l.group, l.ballots, l.mean, l.weight])).toEqual([
      ['leadership', 2, 100, 40],
      ['members', 2, 80, 30],
      ['representatives', 2, 80, 30],
    ]);
    expect(r.lines.map((l) => fixed2(l.contribution))).toEqual(['40.00', '24.00', '24.00']);
  });

  it('leaves out a group without ballots and reweights the others', () => {
    const r = weightedResult([
      [1, 0, 0, 0],
      [0, 1, 1, 0],
      [0, 0, 0, 0],
    ]);
    // (100 × 40 + 70 × 30) / 70 = 87.142… → 87.14
    expect(r.lines[2]!.mean).toBeNull();
    expect(r.lines[2]!.contribution).toBeNull();
    expect(r.usedWeight).toBe(70);
    expect(r.score).toBe(87.14);
    expect(r.grade).toBe('competent');
  });

  it('grades by thresholds (≥) and says when nobody voted', () => {
    expect(evalGrade(90)).toBe('excellent');
    expect(evalGrade(89.99)).toBe('competent');
    expect(evalGrade(75)).toBe('competent');
    expect(evalGrade(60)).toBe('basically_competent');
    expect(evalGrade(59.99)).toBe('incompetent');
    const none = weightedResult([[], [], []]);
    expect(none.any).toBe(false);
    expect(none.score).toBe(0);
    expect(weightedResult([[0, 0, 0, 1], [], []]).grade).toBe('incompetent');
  });

  it('reads the scheme of the evaluation, the default when malformed', () => {
    expect(schemeOf({ weights: [50, 25, 25], points: [100, 80, 60, 0], thresholds: [90, 75, 60] }).weights).toEqual([50, 25, 25]);
    expect(schemeOf({ weights: [50, 50] })).toEqual(DEFAULT_SCHEME);
    expect(schemeOf(null)).toEqual(DEFAULT_SCHEME);
    const r = weightedResult([[1, 0, 0, 0], [0, 0, 1, 0], []], schemeOf({ weights: [50, 50, 0], points: [100, 80, 60, 0], thresholds: [90, 75, 60] }));
    expect(r.score).toBe(80);
  });
});

describe('labels and tokens', () => {
  it('maps codes to catalogue keys that exist', () => {
    expect(t(appraisalGradeKey('basically_qualified'))).toBe(zhCN.eval.appraisalGrades.basically_qualified);
    expect(t(evalGradeKey('competent'))).toBe('称职');
    expect(t(groupKey('representatives'))).toBe('村民代表');
    expect(appraisalGradeKey('x')).toBe('common.none');
    expect(evalGradeKey(null)).toBe('common.none');
  });

  it('normalizes a typed token', () => {
    expect(normalizeToken(' ab3d e5fg hj ')).toBe('AB3DE5FGHJ');
  });
});
