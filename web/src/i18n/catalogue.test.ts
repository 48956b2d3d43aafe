/**
 * Keeps the message catalogue honest:
 * - en.ts and zh-CN.ts have exactly the same keys;
 * - every literal key passed to t()/$t()/te() in src/ exists in zh-CN;
 * - no Chinese text is hard-coded outside src/i18n/ (tests and generated files excepted).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import zhCN from './zh-CN';
import en from './en';
import { t } from './index';

const SRC = path.resolve(__dirname, '..');

function keys(obj: unknown, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null) return [prefix];
  return Object.entries(obj as Record<string, unknown>).flatMap(([k, v]) =>
    keys(v, prefix ? `${prefix}.${k}` : k),
  );
}

function sourceFiles(): string[] {
  return (fs.readdirSync(SRC, { recursive: true }) as string[])
    .map((f) => path.join(SRC, f))
    .filter((f) => /\.(vue|ts)$/.test(f))
    .filter((f) => !f.endsWith('.d.ts'));
}

describe('message catalogue', () => {
  it('en has exactly the keys of zh-CN', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
  });

  it('has no empty zh-CN messages', () => {
    const empty = keys(zhCN).filter((k) => {
      const v = k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], zhCN);
      return typeof v !== 'string' || v.trim() === '';
    });
    expect(empty).toEqual([]);
  });

  it('resolves keys whose last segment starts with a digit', () => {
    expect(t('home.ageSeed.36_55')).toBe('36至55岁');
    expect(t('home.joinEra.1949_10_to_1978_12')).toBe('新中国成立后至党的十一届三中全会前');
  });

  it('knows every literal key used in src/', () => {
    const known = new Set(keys(zhCN));
    const missing: string[] = [];
    const re = /(?<![A-Za-z0-9_])\$?(?:t|te|tk)\(\s*['"`]([A-Za-z0-9_.]+)['"`]/g;
    for (const f of sourceFiles()) {
      if (f.endsWith('.test.ts') || path.relative(SRC, f).startsWith(`i18n${path.sep}`)) continue;
      const text = fs.readFileSync(f, 'utf8');
      for (const m of text.matchAll(re)) {
        const key = m[1]!;
        // Dynamic prefixes like t(`audit.actions.${x}`) are not literal keys.
        if (key.endsWith('.')) continue;
        if (!known.has(key)) missing.push(`${path.relative(SRC, f)}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has no hard-coded Chinese outside src/i18n/', () => {
    const cjk = /[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]/;
    const offenders: string[] = [];
    for (const f of sourceFiles()) {
      const rel = path.relative(SRC, f);
      if (rel.startsWith(`i18n${path.sep}`) || f.endsWith('.test.ts')) continue;
      const raw = fs.readFileSync(f, 'utf8');
      // Comments may speak Chinese; keep line numbers by blanking them out.
      const blank = (m: string) => m.replace(/[^\n]/g, ' ');
      const code = raw.replace(/\/\*[\s\S]*?\*\//g, blank).replace(/<!--[\s\S]*?-->/g, blank);
      const rawLines = raw.split('\n');
      code.split('\n').forEach((line, i) => {
        const noLineComment = line.replace(/(^|[^:])\/\/.*$/, '$1');
        if (cjk.test(noLineComment)) offenders.push(`${rel}:${i + 1}: ${(rawLines[i] ?? '').trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });
});
