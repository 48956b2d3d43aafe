import { describe, expect, it } from 'vitest';
import { checkPassword, passwordClasses } from './password';

describe('password policy', () => {
  it('needs 8 characters and 3 of 4 classes', () => {
    expect(checkPassword('Jiceng@2004').ok).toBe(true);
    expect(checkPassword('Abcdefg1').ok).toBe(true); // exactly 8, upper+lower+digit
    expect(checkPassword('abcdef1!').ok).toBe(true); // lower+digit+symbol
    expect(checkPassword('ABCDEF1!').ok).toBe(true);
    expect(checkPassword('Abcdef1')).toMatchObject({ ok: false, code: 'auth.weak_password' }); // 7 chars
    expect(checkPassword('abcdefgh1').ok).toBe(false); // two classes
    expect(checkPassword('ABCDEFGHabcdefgh').ok).toBe(false);
    expect(checkPassword('').ok).toBe(false);
    expect(checkPassword(undefined).ok).toBe(false);
  });

  it('counts any non-alphanumeric character, spaces and CJK included, as a symbol', () => {
    expect(passwordClasses('abc DEF')).toBe(3);
    expect(passwordClasses('密码abc123')).toBe(3);
    expect(checkPassword('密码abc123').ok).toBe(true);
  });
});
