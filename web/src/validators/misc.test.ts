import { describe, expect, it } from 'vitest';
import { ageOn, checkDate, parseYmd } from './date';
import { checkJoinAge } from './joinAge';
import { checkPhone } from './phone';
import { checkMemberName, checkOrgName } from './names';

describe('dates YYYY-MM-DD', () => {
  it('accepts only zero-padded real dates', () => {
    expect(checkDate('2004-12-31')).toEqual({ ok: true, value: '2004-12-31' });
    expect(checkDate('2004-02-29').ok).toBe(true);
    expect(checkDate('2003-02-29')).toMatchObject({ ok: false, key: 'validation.date.invalid' });
    expect(checkDate('2004-13-01')).toMatchObject({ key: 'validation.date.invalid' });
    expect(checkDate('2004-1-1')).toMatchObject({ ok: false, key: 'validation.date.format' });
    expect(checkDate('2004/12/31')).toMatchObject({ key: 'validation.date.format' });
    expect(checkDate('20041231')).toMatchObject({ key: 'validation.date.format' });
    expect(checkDate('')).toMatchObject({ ok: false });
    expect(parseYmd('1900-02-29')).toBeNull();
    expect(parseYmd('2000-02-29')).toEqual({ y: 2000, m: 2, d: 29 });
  });

  it('computes whole years of age like the server', () => {
    const b = parseYmd('1986-07-01')!;
    expect(ageOn(b, parseYmd('2004-06-30')!)).toBe(17);
    expect(ageOn(b, parseYmd('2004-07-01')!)).toBe(18);
    // 29 February birthdays count on 1 March in non-leap years.
    const leap = parseYmd('1988-02-29')!;
    expect(ageOn(leap, parseYmd('2006-02-28')!)).toBe(17);
    expect(ageOn(leap, parseYmd('2006-03-01')!)).toBe(18);
    expect(ageOn(leap, parseYmd('2008-02-29')!)).toBe(20);
  });
});

describe('join age (入党时须年满十八岁)', () => {
  it('accepts 18 exactly on the join date', () => {
    expect(checkJoinAge('1986-07-01', '2004-07-01').ok).toBe(true);
  });
  it('refuses 17 years and 364 days', () => {
    expect(checkJoinAge('1986-07-01', '2004-06-30')).toMatchObject({
      ok: false,
      code: 'member.join_under_18',
      key: 'validation.joinAge.under18',
    });
  });
  it('handles 29 February birthdays', () => {
    expect(checkJoinAge('1988-02-29', '2006-02-28').ok).toBe(false);
    expect(checkJoinAge('1988-02-29', '2006-03-01').ok).toBe(true);
  });
  it('leaves missing or malformed dates to the date validators', () => {
    expect(checkJoinAge('', '2004-07-01').ok).toBe(true);
    expect(checkJoinAge('1986-07-01', 'x').ok).toBe(true);
  });
});

describe('phone', () => {
  it('allows 7–20 digits, - and +, or empty', () => {
    expect(checkPhone('').ok).toBe(true);
    expect(checkPhone('5612345').ok).toBe(true);
    expect(checkPhone('025-57212345').ok).toBe(true);
    expect(checkPhone('+86-13912345678').ok).toBe(true);
    expect(checkPhone(' 13912345678 ')).toEqual({ ok: true, value: '13912345678' });
    expect(checkPhone('12345678901234567890').ok).toBe(true);
    expect(checkPhone('123456')).toMatchObject({ ok: false, code: 'member.phone_invalid' });
    expect(checkPhone('123456789012345678901').ok).toBe(false);
    expect(checkPhone('025 5721234').ok).toBe(false);
    expect(checkPhone('139-1234-567a').ok).toBe(false);
    expect(checkPhone('（025）5721234').ok).toBe(false);
  });
});

describe('names', () => {
  it('member names are 1–50 characters after trimming', () => {
    expect(checkMemberName('张三')).toEqual({ ok: true, value: '张三' });
    expect(checkMemberName('  ').ok).toBe(false);
    expect(checkMemberName('张'.repeat(50)).ok).toBe(true);
    expect(checkMemberName('张'.repeat(51))).toMatchObject({ ok: false, code: 'member.name_invalid' });
    // Characters outside the BMP count once.
    expect(checkMemberName('𠀀'.repeat(50)).ok).toBe(true);
  });
  it('org names are 1–100 characters', () => {
    expect(checkOrgName('中共溧水县委员会').ok).toBe(true);
    expect(checkOrgName('党'.repeat(100)).ok).toBe(true);
    expect(checkOrgName('党'.repeat(101))).toMatchObject({ ok: false, code: 'org.name_invalid' });
    expect(checkOrgName('').ok).toBe(false);
  });
});
