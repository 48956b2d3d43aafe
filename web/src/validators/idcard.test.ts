import { describe, expect, it } from 'vitest';
import { checkIdNumber, idCheckDigit, parseIdNumber } from './idcard';

/** Builds a valid number like the server's `generate` (odd sequence = male). */
function make(region: string, birth: string, seq: number): string {
  const first17 = `${region}${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  return first17 + idCheckDigit(first17);
}

describe('GB 11643 ID number', () => {
  it('accepts the worked example and decodes it', () => {
    expect(idCheckDigit('11010519491231002')).toBe('X');
    const r = parseIdNumber('11010519491231002X');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.normalized).toBe('11010519491231002X');
      expect(r.value.birth).toEqual({ y: 1949, m: 12, d: 31 });
      expect(r.value.gender).toBe('2');
      expect(r.value.region).toBe('110105');
    }
  });

  it('accepts lower-case x and surrounding whitespace, normalizing to upper case', () => {
    const r = checkIdNumber('  11010519491231002x\t');
    expect(r).toEqual({ ok: true, value: '11010519491231002X' });
  });

  it('rejects a wrong check character and names the right one', () => {
    const r = parseIdNumber('110105194912310021');
    expect(r).toMatchObject({ ok: false, code: 'member.id_card_check_digit', params: { expected: 'X' } });
  });

  it('rejects every single-digit corruption of a valid number', () => {
    const good = '11010519491231002X';
    for (let i = 0; i < 17; i++) {
      const d = Number(good[i]);
      const bad = good.slice(0, i) + String((d + 1) % 10) + good.slice(i + 1);
      expect(parseIdNumber(bad).ok, bad).toBe(false);
    }
    expect(parseIdNumber('110105194912310020').ok).toBe(false);
  });

  it('checks length before format', () => {
    expect(parseIdNumber('')).toMatchObject({ ok: false, code: 'member.id_card_length' });
    expect(parseIdNumber(null)).toMatchObject({ ok: false, code: 'member.id_card_length' });
    expect(parseIdNumber('11010519491231002')).toMatchObject({ code: 'member.id_card_length' });
    expect(parseIdNumber('11010519491231002X1')).toMatchObject({ code: 'member.id_card_length' });
    expect(parseIdNumber('110105491231002')).toMatchObject({ code: 'member.id_card_length' });
    expect(parseIdNumber('1101051949123100X2')).toMatchObject({ code: 'member.id_card_format' });
    expect(parseIdNumber('11010519491231002Y')).toMatchObject({ code: 'member.id_card_format' });
    expect(parseIdNumber('11010519491231002Ｘ')).toMatchObject({ code: 'member.id_card_format' });
    expect(parseIdNumber('一1010519491231002X')).toMatchObject({ code: 'member.id_card_format' });
  });

  it('rejects impossible birth dates even with a correct check character', () => {
    expect(parseIdNumber(make('110105', '1949-02-29', 2))).toMatchObject({ code: 'member.id_card_birth_date' });
    expect(parseIdNumber(make('110105', '1948-02-29', 2)).ok).toBe(true);
    for (const bad of ['1879-12-31', '1949-13-01', '1949-01-00', '1949-04-31']) {
      expect(parseIdNumber(make('110105', bad, 2)), bad).toMatchObject({ code: 'member.id_card_birth_date' });
    }
    expect(parseIdNumber(make('110105', '1880-01-01', 1)).ok).toBe(true);
  });

  it('derives gender from the parity of the 17th digit', () => {
    const male = parseIdNumber(make('320124', '1990-05-06', 13));
    const female = parseIdNumber(make('320124', '1990-05-06', 14));
    expect(male.ok && male.value.gender).toBe('1');
    expect(female.ok && female.value.gender).toBe('2');
  });

  it('cross-checks birth date and gender entered on the form', () => {
    const id = '11010519491231002X';
    expect(checkIdNumber(id, '1949-12-31', '2').ok).toBe(true);
    expect(checkIdNumber(id, '1949-12-30', '1')).toMatchObject({
      ok: false,
      code: 'member.id_card_birth_mismatch',
      params: { inId: '1949-12-31' },
    });
    expect(checkIdNumber(id, '1949-12-31', '1')).toMatchObject({
      ok: false,
      code: 'member.id_card_gender_mismatch',
    });
    // Fields not filled in yet are not cross-checked.
    expect(checkIdNumber(id, '', '').ok).toBe(true);
    expect(checkIdNumber(id, undefined, null).ok).toBe(true);
  });

  it('accepts residence permits and old or unknown address codes', () => {
    for (const region of ['810000', '820000', '830000', '999999', '000000']) {
      expect(parseIdNumber(make(region, '1990-05-06', 13)).ok, region).toBe(true);
    }
  });
});
