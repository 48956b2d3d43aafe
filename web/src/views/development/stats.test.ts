import { describe, expect, it } from 'vitest';
import { groupNewMembers, share, type Pair } from './stats';

describe('发展党员统计 helpers', () => {
  it('splits T16 row 1 into basics, age bands and education levels', () => {
    const cols: Pair[] = [
      ['总数', 40],
      ['女', 12],
      ['少数民族', 1],
      ['25岁及以下', 10],
      ['26至30岁', 9],
      ['31至35岁', 8],
      ['36至40岁', 6],
      ['41至45岁', 4],
      ['46岁及以上', 3],
      ['研究生', 0],
      ['大学本科', 5],
      ['大学专科', 9],
      ['中专', 6],
      ['高中、中技', 12],
      ['初中及以下', 8],
    ];
    const g = groupNewMembers(cols);
    expect(g.total).toBe(40);
    expect(g.basics.map((p) => p[0])).toEqual(['总数', '女', '少数民族']);
    expect(g.ages).toHaveLength(6);
    expect(g.ages.reduce((n, p) => n + p[1], 0)).toBe(40);
    expect(g.education.reduce((n, p) => n + p[1], 0)).toBe(40);
    expect(g.upTo35).toBe(27);
    expect(g.highSchoolOrAbove).toBe(32);
    expect(groupNewMembers([]).total).toBe(0);
    expect(groupNewMembers([]).upTo35).toBe(0);
  });

  it('prints shares with one decimal', () => {
    expect(share(172, 1383)).toBe('12.4%');
    expect(share(30, 30)).toBe('100.0%');
    expect(share(0, 5)).toBe('0.0%');
    expect(share(1, 0)).toBe('—');
  });
});
