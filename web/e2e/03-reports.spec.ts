/**
 * Statistics screens: the names behind the dashboard's figures (drawer totals equal the
 * figures), the summary downloads, and the 党内统计年报 screen — T1 reconciles, its 发展党员
 * cell lists the people with their event, T2's total, all checks pass, the exception
 * lists — and the scope: a village branch secretary reads the branch's report but gets
 * the not-found message for the county.
 *
 * Runs before 04-writes (which adds members and events in 2003–2004), so the seed county's
 * figures are untouched: 18,434 members at the end of 2004, 2,224 of them women. With a
 * reused server (E2E_REUSE_SERVER=1) earlier runs have written to the database: then the
 * screens are only compared with the API.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { authFile, getJson, loginUI, shot } from './helpers';

interface Me {
  today: string;
  user: { roles: { org_id: number; org_name: string }[] };
}
interface AnnualTable {
  code: string;
  title: string;
  kind: string;
  rows: { key: string; label: string }[];
  cols: { key: string; label: string }[];
  cells: number[][];
}
interface Annual {
  year: number;
  org_id: number;
  org_name: string;
  tables: AnnualTable[];
  checks: { rule: string; ok: boolean; failures: string[] }[];
  lists: { code: string; title: string; total: number }[];
}

const grouped = (n: number) => n.toLocaleString('en-US');

/** A fresh demo database (see above). */
const SEED = process.env.E2E_REUSE_SERVER !== '1';

function cell(t: AnnualTable, row: string, col: string): number {
  const i = t.rows.findIndex((r) => r.key === row);
  const j = t.cols.findIndex((c) => c.key === col);
  return t.cells[i]![j]!;
}

/** Clicks a figure and checks the drawer: its total is the number shown. */
async function drillFigure(page: Page, figure: Locator): Promise<string> {
  const shown = (await figure.textContent())!.trim();
  await figure.click();
  const drawer = page.getByTestId('names-drawer');
  await expect(drawer).toBeVisible();
  await expect(page.getByTestId('names-total')).toHaveText(shown);
  await expect(page.getByTestId('names-title')).toContainText(grouped(Number(shown)));
  await expect(page.locator('[data-testid^="names-link-"]').first()).toBeVisible();
  return shown;
}

async function closeDrawer(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('names-drawer')).toBeHidden();
}

test.describe('as county admin', () => {
  test.use({ storageState: authFile('admin') });

  test('dashboard figures open the names behind them; the summary downloads', async ({ page }) => {
    const me = await getJson<Me>(page.request, '/api/v1/me');
    const org = me.user.roles[0]!.org_id;
    await page.goto('/');
    await expect(page.getByTestId('home-heading')).toContainText(me.today);

    // 女党员: the card's number, and the drawer's total is that number.
    const female = page.getByTestId('stat-female');
    const shown = await drillFigure(page, female);
    await expect(page.getByTestId('names-title')).toHaveText(`女党员 ${grouped(Number(shown))} 人`);
    const summary = await getJson<{ members: { female: number } }>(
      page.request,
      `/api/v1/stats/summary?org=${org}&as_of=${me.today}`,
    );
    expect(Number(shown)).toBe(summary.members.female);
    if (SEED) expect(shown).toBe('2224');
    // Every name on the page is a woman; the name links to the member's page.
    const genders = await page.getByTestId('names-table').locator('tbody tr td:nth-child(3)').allTextContents();
    expect(genders.length).toBeGreaterThan(0);
    expect(new Set(genders.map((g) => g.trim()))).toEqual(new Set(['女']));
    await shot(page, 'dashboard-drill-female');
    // Next page of names.
    await page.getByTestId('names-pagination').locator('.btn-next').click();
    await expect(page.getByTestId('names-table').locator('tbody tr td:first-child').first()).toHaveText('51');
    await closeDrawer(page);

    // Chart numbers and other cards: each drawer's total equals the figure.
    for (const id of [
      'stat-full',
      'fig-gender-male',
      'fig-age-band-1',
      'fig-age-seed-gt55',
      'fig-education-bachelor',
      'fig-education-seed-college_or_above',
      'fig-occupation-farmer',
      'fig-join-era-1949_10_to_1978_12',
      'fig-field-members-rural',
      'stat-village-cadres',
      'stat-village-secretaries',
      'stat-village-dual-role',
    ]) {
      await drillFigure(page, page.getByTestId(id));
      await closeDrawer(page);
    }

    // A name opens the member's page.
    await drillFigure(page, page.getByTestId('stat-minority'));
    const link = page.locator('[data-testid^="names-link-"]').first();
    const name = (await link.textContent())!.trim();
    await link.click();
    await expect(page).toHaveURL(/\/members\/\d+$/);
    await expect(page.getByTestId('member-name')).toContainText(name);

    // Downloads of the summary for the dashboard's org and date.
    await page.goto('/');
    for (const [id, ext, type] of [
      ['home-export-xlsx', 'xlsx', 'spreadsheetml'],
      ['home-export-csv', 'csv', 'text/csv'],
    ] as const) {
      const href = await page.getByTestId(id).getAttribute('href');
      expect(href).toBe(`/api/v1/stats/summary.${ext}?org=${org}&as_of=${me.today}`);
      const res = await page.request.get(href!);
      expect(res.ok()).toBeTruthy();
      expect(res.headers()['content-type']).toContain(type);
    }
  });

  test('annual report 2004: T1 reconciles, drills to events, T2 total, checks pass', async ({ page }) => {
    const me = await getJson<Me>(page.request, '/api/v1/me');
    const root = me.user.roles[0]!.org_id;
    const api = await getJson<Annual>(page.request, `/api/v1/stats/annual?org=${root}&year=2004`);
    expect(api.year).toBe(2004);
    const t1 = api.tables.find((t) => t.code === 'T1')!;
    const t2 = api.tables.find((t) => t.code === 'T2')!;

    await page.goto('/');
    await page.getByTestId('menu-annual').click();
    await expect(page).toHaveURL(/\/reports\/annual/);
    // Default year from the server: 2004 for the demo's reference date 2004-12-31.
    await expect(page.getByTestId('annual-year').locator('input')).toHaveValue('2004');
    await expect(page.getByTestId('annual-heading')).toHaveText(`${api.org_name} 2004 年度党内统计年报`);
    await expect(page).toHaveURL(new RegExp(`org=${root}&year=2004`));

    // T1: the two-year reconciliation.
    const row = (code: string, key: string) => page.getByTestId(`annual-row-${code}-${key}`);
    await expect(row('T1', '1')).toContainText('上年底总数');
    await expect(page.getByTestId('annual-cell-T1-1-A')).toHaveText(grouped(cell(t1, '1', 'A')));
    await expect(row('T1', '16')).toContainText('本年底实有数');
    await expect(page.getByTestId('annual-cell-T1-16-A')).toHaveText(grouped(cell(t1, '16', 'A')));
    if (SEED) expect(cell(t1, '16', 'A')).toBe(18434);
    await expect(row('T1', '17')).toContainText('实有数与应有数之差');
    await expect(page.getByTestId('annual-cell-T1-17-A')).toHaveText(grouped(cell(t1, '17', 'A')));
    if (SEED) expect(cell(t1, '17', 'A')).toBe(0);
    // Sum rows are not clickable; component rows are.
    for (const k of ['2', '9', '15']) {
      await expect(page.getByTestId(`annual-cell-T1-${k}-A`)).toHaveJSProperty('tagName', 'SPAN');
    }
    await expect(page.getByTestId('annual-notes-T1')).toBeVisible();
    await shot(page, 'annual-t1');

    // 发展党员: the people and their event.
    await expect(row('T1', '3')).toContainText('发展党员');
    const joined = cell(t1, '3', 'A');
    expect(joined).toBeGreaterThan(0);
    await page.getByTestId('annual-cell-T1-3-A').click();
    await expect(page.getByTestId('names-title')).toHaveText(`T1 发展党员 ${grouped(joined)} 人`);
    await expect(page.getByTestId('names-total')).toHaveText(String(joined));
    const events = page.getByTestId('names-event');
    await expect(events.first()).toHaveText('接收为预备党员');
    expect(new Set((await events.allTextContents()).map((e) => e.trim()))).toEqual(new Set(['接收为预备党员']));
    await shot(page, 'annual-t1-drill');
    await closeDrawer(page);

    // T2: 总计 · 总数.
    await page.getByTestId('annual-tab-T2').click();
    await expect(page).toHaveURL(/table=T2/);
    await expect(row('T2', '1')).toContainText('总计');
    await expect(page.getByTestId('annual-table-T2').locator('thead')).toContainText('总数');
    await expect(page.getByTestId('annual-cell-T2-1-A')).toHaveText(grouped(cell(t2, '1', 'A')));
    expect(cell(t2, '1', 'A')).toBe(cell(t1, '16', 'A'));
    if (SEED) expect(cell(t2, '1', 'A')).toBe(18434);
    // CSV of the open table.
    const csv = await page.getByTestId('annual-export-csv').getAttribute('href');
    expect(csv).toBe(`/api/v1/stats/annual.csv?org=${root}&year=2004&table=T2`);
    const body = await (await page.request.get(csv!)).text();
    expect(body).toContain('党员基本情况');
    expect(body).toContain(String(cell(t2, '1', 'A')));
    await shot(page, 'annual-t2');

    // A table that is not collected shows why.
    const nc = api.tables.find((t) => t.kind === 'not_collected');
    if (nc) {
      await page.getByTestId(`annual-tab-${nc.code}`).click();
      await expect(page.getByTestId(`annual-reason-${nc.code}`)).toBeVisible();
    }

    // 审核: every check 通过 (on the seed county).
    const failing = api.checks.filter((c) => !c.ok).length;
    if (SEED) expect(failing).toBe(0);
    await expect(page.getByTestId('annual-verdict')).toHaveAttribute('data-ok', String(failing === 0));
    await page.getByTestId('annual-section-checks').click();
    const checks = page.getByTestId('annual-check');
    await expect(checks).toHaveCount(api.checks.length);
    expect(api.checks.length).toBeGreaterThan(0);
    await expect(page.locator('[data-testid="annual-check"][data-ok="false"]')).toHaveCount(failing);
    const verdicts = await checks.locator('.verdict-tag').allTextContents();
    expect(verdicts.map((v) => v.trim())).toEqual(api.checks.map((c) => (c.ok ? '通过' : '不符')));
    await shot(page, 'annual-checks');

    // 名单: counts, and a list's names in the drawer.
    await page.getByTestId('annual-section-lists').click();
    for (const l of api.lists) {
      await expect(page.getByTestId(`annual-list-count-${l.code}`)).toHaveText(String(l.total));
    }
    const some = api.lists.find((l) => l.total > 0);
    if (some) {
      await page.getByTestId(`annual-list-open-${some.code}`).click();
      await expect(page.getByTestId('names-total')).toHaveText(String(some.total));
      await expect(page.getByTestId('names-title')).toContainText(some.title);
      await shot(page, 'annual-list-drill');
      await closeDrawer(page);
    }

    // Excel of the whole report.
    const xlsx = await page.getByTestId('annual-export-xlsx').getAttribute('href');
    expect(xlsx).toBe(`/api/v1/stats/annual.xlsx?org=${root}&year=2004`);
    const res = await page.request.get(xlsx!);
    expect(res.ok()).toBeTruthy();
    expect(res.headers()['content-type']).toContain('spreadsheetml');

    // Another year through the picker: the report follows, checks as the API has them.
    const prev = await getJson<Annual>(page.request, `/api/v1/stats/annual?org=${root}&year=2003`);
    const input = page.getByTestId('annual-year').locator('input');
    await input.click();
    await input.fill('2003');
    await input.press('Enter');
    await expect(page.getByTestId('annual-heading')).toHaveText(`${api.org_name} 2003 年度党内统计年报`);
    await expect(page).toHaveURL(/year=2003/);
    await page.getByTestId('annual-section-tables').click();
    await page.getByTestId('annual-tab-T1').click();
    const p1 = prev.tables.find((t) => t.code === 'T1')!;
    for (const k of ['1', '16', '17']) {
      await expect(page.getByTestId(`annual-cell-T1-${k}-A`)).toHaveText(grouped(cell(p1, k, 'A')));
    }
    const failed = prev.checks.filter((c) => !c.ok).length;
    await expect(page.getByTestId('annual-verdict')).toHaveAttribute('data-ok', String(failed === 0));
    await page.getByTestId('annual-section-checks').click();
    await expect(page.locator('[data-testid="annual-check"][data-ok="false"]')).toHaveCount(failed);
    await shot(page, 'annual-2003-checks');
  });
});

test.describe('as village branch secretary', () => {
  test('reads the branch report, not the county one', async ({ browser, baseURL }) => {
    // The county root, read as the admin.
    const admin = await browser.newContext({ baseURL, storageState: authFile('admin') });
    const adminMe = await getJson<Me>(admin.request, '/api/v1/me');
    const county = adminMe.user.roles[0]!;
    await admin.close();

    const ctx = await browser.newContext({ baseURL, locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await loginUI(page, 'cun_zhishan');
    await expect(page).toHaveURL(/\/$/);
    const me = await getJson<Me>(page.request, '/api/v1/me');
    const branch = me.user.roles[0]!;
    expect(branch.org_id).not.toBe(county.org_id);

    await page.getByTestId('menu-annual').click();
    await expect(page.getByTestId('annual-heading')).toHaveText(`${branch.org_name} 2004 年度党内统计年报`);
    const api = await getJson<Annual>(page.request, `/api/v1/stats/annual?org=${branch.org_id}&year=2004`);
    const t1 = api.tables.find((t) => t.code === 'T1')!;
    await expect(page.getByTestId('annual-cell-T1-16-A')).toHaveText(grouped(cell(t1, '16', 'A')));
    await expect(page.getByTestId('annual-cell-T1-17-A')).toHaveText(grouped(cell(t1, '17', 'A')));
    if (SEED) expect(cell(t1, '17', 'A')).toBe(0);
    await shot(page, 'annual-branch');

    // The county is outside the branch's scope: the not-found message, no report.
    await page.goto(`/reports/annual?org=${county.org_id}&year=2004`);
    const err = page.getByTestId('annual-error');
    await expect(err).toBeVisible();
    await expect(err).toContainText('该党组织不存在或不在您的管理范围内');
    await expect(err).toContainText('记录不存在');
    await expect(page.getByTestId('annual-heading')).toHaveCount(0);
    await shot(page, 'annual-branch-county-denied');
    await ctx.close();
  });
});
