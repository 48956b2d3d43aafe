/**
 * ID numbers and the audit log as users see them.
 *
 * 1. The county organization department (zuzhibu) sees every ID number masked
 *    (110***********123X) in the roster and on the member page; 显示 asks for an optional
 *    reason, shows the full number (which masks to the number shown before) and writes one
 *    `member.reveal_id` audit row holding the reason, never the number.
 * 2. The audit log shows actions and entities by their Chinese names: no raw code such as
 *    `dues.record` in the table, the reveal listed as 查看完整身份证号.
 * 3. An org's 组织沿革 names a dissolved former parent (no bare "#11").
 */
import { expect, request as pwRequest, test } from '@playwright/test';
import { authFile, getJson, loginUI, RUN, shot, type OrgRow, type Page_ } from './helpers';

const MASKED = /^\d{3}\*{11}[\dX]{4}$/;

test('organization department: masked everywhere, 显示 reveals one number and is audited', async ({ page, baseURL }) => {
  await loginUI(page, 'zuzhibu');
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/members');
  const cells = page.locator('[data-testid^="member-id-number-"]');
  await expect(cells.first()).toBeVisible();
  const texts = (await cells.allTextContents()).map((s) => s.trim()).filter(Boolean);
  expect(texts.length).toBeGreaterThan(5);
  for (const s of texts) expect(s).toMatch(MASKED);

  const first = cells.first();
  const memberId = Number((await first.getAttribute('data-testid'))!.replace('member-id-number-', ''));
  const masked = (await first.textContent())!.trim();
  await page.goto(`/members/${memberId}`);
  const field = page.getByTestId('member-field-id-number');
  await expect(field).toHaveText(masked);
  await shot(page, 'member-id-masked');

  const reveals: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().includes('/reveal-id')) reveals.push(r.url());
  });
  await page.getByTestId('member-id-reveal').click();
  const box = page.locator('.el-message-box');
  await expect(box).toContainText('审计日志');
  await box.locator('input').fill('核对身份 e2e');
  await box.getByRole('button', { name: '显示' }).click();
  await expect(field).not.toContainText('*');
  const full = (await field.textContent())!.trim();
  expect(full).toMatch(/^\d{17}[\dX]$/);
  expect(full.slice(0, 3) + '*'.repeat(11) + full.slice(14)).toBe(masked);
  expect(reveals).toHaveLength(1);
  await shot(page, 'member-id-revealed');
  await page.getByTestId('member-id-hide').click();
  await expect(field).toHaveText(masked);

  // One audit row, with the reason and without the number (read as the county admin).
  const admin = await pwRequest.newContext({
    baseURL,
    storageState: authFile('admin'),
    extraHTTPHeaders: { 'X-Requested-With': 'jiceng' },
  });
  const log = await (await admin.get(`/api/v1/audit?entity=member&entity_id=${memberId}`)).json();
  const rows = (log.items as { action: string; after: unknown }[]).filter((r) => r.action === 'member.reveal_id');
  expect(rows).toHaveLength(1);
  expect(JSON.stringify(rows[0]!.after)).toContain('核对身份 e2e');
  expect(JSON.stringify(rows[0])).not.toContain(full);
  await admin.dispose();
});

test.describe('audit log as the county admin', () => {
  test.use({ storageState: authFile('admin') });

  test('actions and entities are shown in Chinese, never as raw codes', async ({ page }) => {
    await page.goto('/audit');
    const table = page.getByTestId('audit-table');
    await expect(table.locator('[data-action]').first()).toBeVisible();
    await page.getByTestId('audit-pagination').locator('.el-select').click();
    await page.locator('.el-select-dropdown__item', { hasText: '100' }).click();
    await expect(table.locator('.el-table__row').nth(20)).toBeVisible();
    const actions = table.locator('[data-action]');
    const n = await actions.count();
    for (let i = 0; i < n; i++) {
      const a = actions.nth(i);
      const code = (await a.getAttribute('data-action'))!;
      const text = (await a.textContent())!.trim();
      expect(text, code).not.toBe(code);
      expect(text, code).toMatch(/[\u4e00-\u9fa5]/);
    }
    const body = (await table.textContent()) ?? '';
    expect(body).not.toMatch(/\b[a-z_]+\.[a-z_]+\b/);
    await expect(table).toContainText('查看完整身份证号');
    await shot(page, 'audit-labels');
  });
});

test.describe('org history as the county admin', () => {
  test.use({ storageState: authFile('admin') });

  test('a dissolved former parent is named in the history', async ({ page }) => {
    const rq = page.request;
    const post = async <T>(url: string, data: unknown): Promise<T> => {
      const r = await rq.post(url, { data });
      expect(r.status(), `${url}: ${await r.text()}`).toBeLessThan(300);
      return (await r.json()) as T;
    };
    const towns = await getJson<Page_<OrgRow>>(rq, `/api/v1/orgs?q=${encodeURIComponent('永阳镇委员会')}`);
    const town = towns.items[0]!;
    const oldName = `E2E沿革总支${RUN}`;
    const old = await post<OrgRow & { version: number }>('/api/v1/orgs', {
      parent_id: town.id, name: oldName, kind: 'general_branch', field: 'rural', founded: '2004-01-05',
    });
    const branch = await post<OrgRow & { version: number }>('/api/v1/orgs', {
      parent_id: old.id, name: `E2E沿革支部${RUN}`, kind: 'branch', field: 'rural', founded: '2004-01-06',
    });
    await post(`/api/v1/orgs/${branch.id}/move`, { parent_id: town.id, date: '2004-06-01', version: branch.version });
    const oldNow = await getJson<{ version: number }>(rq, `/api/v1/orgs/${old.id}`);
    await post(`/api/v1/orgs/${old.id}/dissolve`, { date: '2004-09-01', version: oldNow.version });

    await page.goto(`/orgs?org=${branch.id}`);
    await page.getByTestId('org-tab-history').click();
    const history = page.getByTestId('org-events');
    await expect(history).toContainText(oldName);
    await expect(history).toContainText('永阳镇');
    expect((await history.textContent()) ?? '').not.toMatch(/#\d+/);
    await shot(page, 'org-history-dissolved-parent');
  });
});

test.describe('official citations only (county admin)', () => {
  test.use({ storageState: authFile('admin') });
  const INTERNAL = /STATS-TABLES|RULES-SOURCES|SPEC|§|待核|种子文件/;

  test('年报 cites the central form set, no working file', async ({ page }) => {
    await page.goto('/reports/annual');
    await expect(page.getByTestId('annual-heading')).toContainText('年度党内统计年报');
    const text = (await page.locator('main, #app').first().textContent()) ?? '';
    expect(text).not.toMatch(INTERNAL);
    await expect(page.locator('.meta.source')).toContainText('中共中央组织部党内统计年报表式（2017年）');
  });

  test('规则与日历 shows meanings and official citations, not parameter codes or review notes', async ({ page }) => {
    const sets = await getJson<{ code: string; params: { key: string; note: string }[] }[]>(page.request, '/api/v1/rules/sets');
    await page.goto('/system/rules');
    await page.getByTestId('rules-filter').fill('development.');
    const dev = sets.find((s) => s.code === 'development.2014')!;
    const p0 = dev.params[0]!;
    await expect(page.getByTestId(`rules-param-${p0.key}`)).toBeVisible();
    const panel = page.getByTestId('rules-set-development.2014');
    await expect(panel).toContainText(p0.note);
    const text = (await panel.textContent()) ?? '';
    for (const p of dev.params) expect(text, p.key).not.toContain(p.key);
    expect(text).not.toContain('development.2014');
    const all = (await page.locator('#app').textContent()) ?? '';
    expect(all).not.toMatch(INTERNAL);
    await shot(page, 'rules-sets-citations');
  });
});

test.describe('names drawer (county admin)', () => {
  test.use({ storageState: authFile('admin') });

  test('导出 Excel saves the whole list, 打印 prints it', async ({ page, context }) => {
    await page.goto('/');
    const figure = page.getByTestId('stat-village-dual-role');
    const shown = Number((await figure.textContent())!.trim().replace(/,/g, ''));
    expect(shown).toBeGreaterThan(0);
    await figure.click();
    await expect(page.getByTestId('names-total')).toHaveText(String(shown));
    const title = (await page.getByTestId('names-title').textContent())!.trim();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('names-export').click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const file = await download.path();
    const csv = (await import('node:fs')).readFileSync(file!, 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe(`"${title}"`);
    expect(lines[1]).toBe('"序号","姓名","性别","出生日期","所在党组织"');
    expect(lines).toHaveLength(shown + 2);

    await context.addInitScript(() => {
      window.print = () => undefined;
    });
    const [popup] = await Promise.all([context.waitForEvent('page'), page.getByTestId('names-print').click()]);
    await expect(popup.locator('h1')).toHaveText(title);
    await expect(popup.getByTestId('names-print-table').locator('tbody tr')).toHaveCount(shown);
    await popup.close();
  });
});

test('the public ballot on a 375 px phone: every grade, 不合格 included, is on screen', async ({ browser }) => {
  // The county admin opens an appraisal of a small branch and issues one slip (through the API).
  const admin = await browser.newContext({ storageState: authFile('admin') });
  const rq = admin.request;
  const year = 2004;
  const branches = await getJson<Page_<OrgRow>>(rq, `/api/v1/orgs?q=${encodeURIComponent('支部委员会')}&page_size=200`);
  let appraisal: { id: number } | null = null;
  for (const b of branches.items.filter((o) => o.kind === 'branch' && o.id !== 526)) {
    const r = await rq.post('/api/v1/appraisals', { data: { org_id: b.id, year } });
    if (r.ok()) {
      appraisal = (await r.json()) as { id: number };
      break;
    }
  }
  expect(appraisal, 'a branch to appraise').not.toBeNull();
  const issued = await rq.post(`/api/v1/appraisals/${appraisal!.id}/tokens`, { data: { count: 1 } });
  expect(issued.status()).toBe(201);
  const token = ((await issued.json()) as { tokens: string[] }).tokens[0]!;
  await admin.close();

  const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  const page = await phone.newPage();
  await page.goto('/ballot');
  await page.getByTestId('ballot-token').fill(token);
  await page.getByTestId('ballot-lookup').click();
  await expect(page.getByTestId('ballot-slip')).toBeVisible();
  const groups = page.locator('[data-testid^="ballot-member-"][role="radiogroup"]');
  await expect(groups.first()).toBeVisible();
  const options = page.locator('[data-testid$="-unqualified"]');
  const n = await options.count();
  expect(n).toBeGreaterThan(0);
  for (let i = 0; i < n; i++) {
    const o = options.nth(i);
    await o.scrollIntoViewIfNeeded();
    await expect(o).toBeInViewport({ ratio: 1 });
    const box = (await o.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(375);
  }
  // No sideways scrolling of the page.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await options.first().click();
  await expect(options.first().locator('input')).toBeChecked();
  await shot(page, 'ballot-phone-375');
  await phone.close();
});

test.describe('roster search (county admin)', () => {
  test.use({ storageState: authFile('admin') });

  test('digits say what they are looked up in: ID tail and phone', async ({ page }) => {
    await page.goto('/members');
    const box = page.getByTestId('member-search');
    await box.fill('1234');
    await expect(page.getByTestId('member-search-hint')).toHaveText('“1234”同时查找身份证号后4位为 1234 和电话号码中含 1234 的党员');
    await box.fill('13800');
    await expect(page.getByTestId('member-search-hint')).toContainText('按电话号码查找');
    await box.fill('张');
    await expect(page.getByTestId('member-search-hint')).toHaveCount(0);
  });
});
