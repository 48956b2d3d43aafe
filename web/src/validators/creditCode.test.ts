import { describe, expect, it } from 'vitest';
import { CREDIT_ALPHABET, CREDIT_WEIGHTS, checkCreditCode, creditCheckChar } from './creditCode';

describe('GB 32100 unified social credit code', () => {
  it('uses the 31-character alphabet and weights 3^(i-1) mod 31', () => {
    expect(CREDIT_ALPHABET).toHaveLength(31);
    for (const banned of 'IOSVZ') expect(CREDIT_ALPHABET).not.toContain(banned);
    expect(CREDIT_WEIGHTS).toEqual([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]);
  });

  it('accepts the worked example, trimming and upper-casing', () => {
    expect(creditCheckChar('91110000600037341')).toBe('L');
    expect(checkCreditCode('91110000600037341L')).toEqual({ ok: true, value: '91110000600037341L' });
    expect(checkCreditCode(' 91110000600037341l ')).toEqual({ ok: true, value: '91110000600037341L' });
  });

  it('reports length, charset, region digits and check character in that order', () => {
    expect(checkCreditCode('')).toMatchObject({ code: 'org.credit_code_length' });
    expect(checkCreditCode('91110000600037341')).toMatchObject({ code: 'org.credit_code_length' });
    expect(checkCreditCode('91110000600037341LL')).toMatchObject({ code: 'org.credit_code_length' });
    expect(checkCreditCode('9111000060003734IL')).toMatchObject({ code: 'org.credit_code_charset' });
    expect(checkCreditCode('91110000600037341O')).toMatchObject({ code: 'org.credit_code_charset' });
    expect(checkCreditCode('9111000060003734１L')).toMatchObject({ code: 'org.credit_code_charset' });
    expect(checkCreditCode('911A0000600037341L')).toMatchObject({ code: 'org.credit_code_region' });
    expect(checkCreditCode('911100006000373410')).toMatchObject({
      ok: false,
      code: 'org.credit_code_check_digit',
      params: { expected: 'L' },
    });
  });

  it('accepts letters in the first two positions', () => {
    for (const prefix of ['N2', 'Y1', 'A1', '91', '53']) {
      const first17 = `${prefix}110105MA01ABCDE`;
      const code = first17 + creditCheckChar(first17);
      expect(checkCreditCode(code).ok, code).toBe(true);
    }
  });

  it('rejects every single-character corruption', () => {
    const good = '91110000600037341L';
    for (let i = 0; i < 18; i++) {
      const v = CREDIT_ALPHABET.indexOf(good[i]!);
      const c = CREDIT_ALPHABET[(v + 1) % 31]!;
      const bad = good.slice(0, i) + c + good.slice(i + 1);
      expect(checkCreditCode(bad).ok, bad).toBe(false);
    }
  });
});
