import { describe, expect, it } from 'vitest';
import type { FormItemRule } from 'element-plus';
import { rules } from './rules';

/** Runs one Element Plus rule's validator; resolves to the error message or ''. */
function run(rule: FormItemRule, value: unknown): Promise<string> {
  return new Promise((resolve) => {
    const v = rule.validator as (r: unknown, v: unknown, cb: (e?: Error) => void) => void;
    v(rule, value, (e?: Error) => resolve(e ? e.message : ''));
  });
}

describe('Element Plus rule helpers', () => {
  it('translate failures with the zh-CN catalogue', async () => {
    expect(await run(rules.idNumber(), '110105194912310021')).toBe('身份证号码校验位错误，应为 X');
    expect(await run(rules.idNumber(() => '1949-12-30'), '11010519491231002X')).toBe(
      '出生日期与身份证号码不一致，身份证号码中为 1949-12-31',
    );
    expect(await run(rules.idNumber(), '11010519491231002x')).toBe('');
    expect(await run(rules.creditCode(), '911100006000373410')).toBe('统一社会信用代码校验位错误，应为 L');
    expect(await run(rules.joinAge(() => '1986-07-01'), '2004-06-30')).toBe('入党时须年满十八岁（《党章》第一条）');
    expect(await run(rules.password(), 'abc')).toContain('密码至少 8 位');
    expect(await run(rules.regionCode(), '117100')).toBe('行政区划代码第 3、4 位 71 不是有效的地级代码');
  });

  it('let optional fields be empty, unless required', async () => {
    expect(await run(rules.phone(), '')).toBe('');
    expect(await run(rules.creditCode(), undefined)).toBe('');
    expect(await run(rules.required(), '')).toBe('此项为必填项');
    expect(await run(rules.required('password.oldPassword'), ' ')).toBe('请填写原密码');
    expect(await run(rules.required(), [])).toBe('此项为必填项');
    expect(await run(rules.required(), 'x')).toBe('');
  });

  it('compare repeated fields', async () => {
    expect(await run(rules.sameAs(() => 'Abc12345!', 'password.mismatch'), 'Abc12345?')).toBe('两次输入的新密码不一致');
    expect(await run(rules.sameAs(() => 'Abc12345!', 'password.mismatch'), 'Abc12345!')).toBe('');
  });
});
