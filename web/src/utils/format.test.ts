import { describe, expect, it } from 'vitest';
import { findTimestamp, formatDateTime, grouped, percent, plain, safeRedirect } from './format';

describe('format helpers', () => {
  it('groups thousands as reports print them', () => {
    expect(grouped(18434)).toBe('18,434');
    expect(grouped(2224)).toBe('2,224');
    expect(grouped(999)).toBe('999');
    expect(grouped(0)).toBe('0');
    expect(grouped(1234567)).toBe('1,234,567');
    expect(grouped(-1200)).toBe('-1,200');
    expect(grouped(null)).toBe('0');
  });
  it('finds the lock-out timestamp in the server message', () => {
    expect(findTimestamp('登录失败次数过多，账号已锁定至 2026-11-25T21:40:00.123Z')).toBe('2026-11-25T21:40:00.123Z');
    expect(findTimestamp('账号已锁定至 2026-11-25T21:40:00+08:00')).toBe('2026-11-25T21:40:00+08:00');
    expect(findTimestamp('no time')).toBeNull();
  });
  it('formats timestamps in local time', () => {
    const s = formatDateTime('2004-12-31T01:02:03Z');
    expect(s).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(formatDateTime('bad')).toBe('bad');
    expect(formatDateTime(null)).toBe('');
  });
  it('prints plain numbers and percentages', () => {
    expect(plain(18434)).toBe('18434');
    expect(plain(undefined)).toBe('0');
    expect(percent(12.06)).toBe('12.06');
    expect(percent(40.2)).toBe('40.2');
    expect(percent(0)).toBe('0');
  });
  it('only follows same-app redirects', () => {
    expect(safeRedirect('/members?q=1')).toBe('/members?q=1');
    expect(safeRedirect('//evil.example')).toBe('/');
    expect(safeRedirect('https://evil.example')).toBe('/');
    expect(safeRedirect('/login?x')).toBe('/');
    expect(safeRedirect(undefined)).toBe('/');
  });
});
