// @vitest-environment node
/**
 * Every audit action the store writes, and every entity it names, has a Chinese label in the
 * message catalogue (audit.actions / audit.entities), so the audit log never shows a raw code
 * such as `dues.record`. The codes are found by reading crates/store/src: a literal `"a.b"` is
 * an action when the statement it sits in (the text since the last `;`) assigns or passes an
 * audit action — `action: "…"`, `action: if …`, `let action = match …`, `let (…, action) =
 * match …`, or a call of an audit helper (`finish_…(`, `count_failure(`). A new action without
 * a label fails here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import zhCN from '@/i18n/zh-CN';
import en from '@/i18n/en';
import { actionKey } from './labels';

const storeSrc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../crates/store/src');

function rustFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return rustFiles(p);
    return e.name.endsWith('.rs') ? [p] : [];
  });
}

/** The test module of a file (`#[cfg(test)]` to the end) writes nothing real. */
function withoutTests(src: string): string {
  const i = src.indexOf('#[cfg(test)]');
  return i < 0 ? src : src.slice(0, i);
}

const ACTION_CONTEXT = [
  /action:\s*$/,
  /action:\s*if\b/,
  /let\s+action\s*=\s*match\b/,
  /let\s*\([^)]*\baction\)\s*=\s*match\b/,
  /\bfinish_[a-z_]+\s*\(/,
  /\bcount_failure\s*\(/,
];

export function actionCodes(): Set<string> {
  const out = new Set<string>();
  for (const f of rustFiles(storeSrc)) {
    const src = withoutTests(fs.readFileSync(f, 'utf8'));
    for (const m of src.matchAll(/"([a-z_]+\.[a-z_]+)"/g)) {
      const before = src.slice(0, m.index);
      const statement = before.slice(before.lastIndexOf(';') + 1);
      if (ACTION_CONTEXT.some((re) => re.test(statement))) out.add(m[1]!);
    }
  }
  return out;
}

function entityCodes(): Set<string> {
  const out = new Set<string>();
  for (const f of rustFiles(storeSrc)) {
    const src = withoutTests(fs.readFileSync(f, 'utf8'));
    for (const m of src.matchAll(/entity:\s*"([a-z_]+)"/g)) out.add(m[1]!);
  }
  return out;
}

describe('audit labels', () => {
  const actions = actionCodes();
  it('finds the actions the store writes', () => {
    // a few known ones, so a broken scan cannot pass by finding nothing
    for (const c of ['member.create', 'dues.record', 'appraisal.ballot', 'org.dissolve', 'auth.login_failed', 'auth.locked', 'transfer.reject', 'floating.return']) {
      expect(actions, c).toContain(c);
    }
    expect(actions.size).toBeGreaterThan(40);
  });

  it('every action has a Chinese (and an English) label', () => {
    const zh = zhCN.audit.actions as Record<string, string>;
    const enA = en.audit.actions as Record<string, string>;
    const missing = [...actions].filter((c) => !zh[actionKey(c)]);
    expect(missing, `audit actions without a label in zh-CN.ts audit.actions: ${missing.join(', ')}`).toEqual([]);
    expect([...actions].filter((c) => !enA[actionKey(c)])).toEqual([]);
    for (const c of actions) expect(zh[actionKey(c)]).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('every entity has a label', () => {
    const zh = zhCN.audit.entities as Record<string, string>;
    const missing = [...entityCodes()].filter((c) => !zh[c]);
    expect(missing, `audit entities without a label: ${missing.join(', ')}`).toEqual([]);
  });
});
