/**
 * A full rating round in the browser on the seed-city server (吉林市, rounds 2011 and 2012
 * published in full, "today" 2014-01-31; see playwright.config.ts), after 03d's read-only checks:
 *
 * 1. the dashboard's tier card as the city's organization department (zuzhibu) equals the
 *    API's distribution of the latest year published in full;
 * 2. zuzhibu opens the next year's round (2013 on a fresh server) from 评定轮次; opening it
 *    twice shows the API's refusal in the dialog;
 * 3. the township (xiangzhen, 12 villages) sees no 开启 / 审定 / 公布 buttons, scores one village
 *    indicator by indicator (live total and tier, bounded points), proposes another tier —
 *    refused without a reason — meets a concurrent edit (409: message, reload, save again),
 *    and is refused (403) when it forces an approval through the API;
 * 4. zuzhibu approves that village (the township's proposal and reason preset) and a second
 *    one in bulk (已审定 2 / 应评 1383); publishing is refused with the server's "尚有 1381 个村未审定",
 *    a partial publication without a reason is refused, a date in the rated year is refused,
 *    and the reasoned partial publication (部分公布 2 / 1383) goes through;
 * 5. the ledger shows the new year's tiers and downloads as XLSX; a 2012 weak village without
 *    a plan gets its 整改方案 drawn up and closed with evidence;
 * 6. the dashboard card stays on the last year published in full (2012) and says the new
 *    year's partial publication is left out;
 * 7. 撤回公布 of 2012 (a reason required) falls the card back to 2011; 2012 published again
 *    (complete: no reason asked) brings it back, the withdrawn publication kept in 公布记录.
 * Needs a fresh server: the new round's year must be over by "today".
 */
import fs from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { CITY_PASSWORD, CITY_URL, fillDate, shot } from './helpers';

test.use({ baseURL: CITY_URL, storageState: { cookies: [], origins: [] } });
test.describe.configure({ mode: 'serial' });

interface Dist {
  total: number;
  rows: { tier: string; count: number; percent: number }[];
}
interface Round {
  id: number;
  year: number;
  status: string;
  publication?: { kind: string; approved: number; applicable: number } | null;
}
interface Rating {
  org_id: number;
  total: number;
  derived_tier: string;
  proposed_tier?: string | null;
  tier?: string | null;
  status: string;
  version: number;
  scores: Record<string, number>;
}
interface RoundOrgs {
  total: number;
  counts: Record<string, number>;
  items: { org_id: number; org_name: string; status: string; rating?: Rating | null }[];
}
interface Scheme {
  code: string;
  dimensions: { indicators: { code: string; max_points: number }[] }[];
}

const H = { 'X-Requested-With': 'jiceng' };

async function login(browser: Browser, username: string): Promise<Page> {
  const ctx = await browser.newContext({ baseURL: CITY_URL, storageState: { cookies: [], origins: [] }, acceptDownloads: true });
  const page = await ctx.newPage();
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(CITY_PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(`${CITY_URL}/`);
  return page;
}
async function json<T>(page: Page, url: string): Promise<T> {
  const r = await page.request.get(url, { headers: H });
  expect(r.ok(), `${url} → ${r.status()}`).toBeTruthy();
  return (await r.json()) as T;
}
/** The text box of an Element Plus number field (the testid lands on the input or its wrapper). */
function numberInput(page: Page, testid: string) {
  return page.locator(`input[data-testid="${testid}"], [data-testid="${testid}"] input`).first();
}
/** The dashboard card equals the API's distribution for the latest year published in full. */
async function checkDashboardCard(page: Page): Promise<number> {
  const rounds = await json<Round[]>(page, '/api/v1/ratings/rounds');
  const year = Math.max(...rounds.filter((r) => r.status === 'published' && r.publication?.kind === 'full').map((r) => r.year));
  const dist = await json<Dist>(page, `/api/v1/ratings/distribution?year=${year}`);
  await page.goto('/');
  const card = page.getByTestId('home-rating-card');
  await expect(card).toBeVisible();
  await expect(page.getByTestId('home-rating-title')).toHaveText(`${year} 年度分类定级`);
  await expect(page.getByTestId('home-rating-total')).toHaveText(`已审定 ${dist.total} 个`);
  for (const [i, r] of dist.rows.entries()) {
    await expect(page.getByTestId(`home-rating-count-${i}`)).toHaveText(String(r.count));
    await expect(page.getByTestId(`home-rating-percent-${i}`)).toHaveText(`${r.percent}%`);
  }
  return year;
}

let dept: Page;
let town: Page;
let roundId = 0;
let year = 0;
let villageA = 0;
let villageB = 0;

test.beforeAll(async ({ browser }) => {
  dept = await login(browser, 'zuzhibu');
  town = await login(browser, 'xiangzhen');
});
test.afterAll(async () => {
  await dept?.context().close();
  await town?.context().close();
});

test('the dashboard tier card equals the API for the latest year published in full', async () => {
  const y = await checkDashboardCard(dept);
  expect(y).toBeGreaterThanOrEqual(2012);
  await dept.getByTestId('home-rating-card').scrollIntoViewIfNeeded();
  await shot(dept, 'ratings-home-card');
});

test('the organization department opens the next round; twice is refused as worded', async () => {
  const before = await json<Round[]>(dept, '/api/v1/ratings/rounds');
  year = Math.max(...before.map((r) => r.year)) + 1;

  await dept.getByTestId('menu-rating-rounds').click();
  await expect(dept.getByTestId('rounds-heading')).toHaveText('评定轮次');
  for (const r of before) await expect(dept.getByTestId(`round-year-${r.id}`)).toHaveText(String(r.year));
  await dept.getByTestId('rounds-filter-status').click();
  await dept.locator('.el-select-dropdown__item:visible', { hasText: '已公布' }).click();
  await expect(dept).toHaveURL(/status=published/);
  await expect(dept.getByTestId('rounds-table').locator('tbody tr')).toHaveCount(before.filter((r) => r.status === 'published').length);

  await dept.getByTestId('rounds-open').click();
  const dialog = dept.getByTestId('round-open-dialog');
  await expect(dialog).toBeVisible();
  await expect(numberInput(dept, 'round-open-year')).toHaveValue(String(year));
  await shot(dept, 'ratings-round-open');
  await dept.getByTestId('round-open-submit').click();
  await expect(dept).toHaveURL(/\/ratings\/rounds\/\d+/);
  roundId = Number(/rounds\/(\d+)/.exec(dept.url())![1]);
  await expect(dept.getByTestId('round-heading')).toContainText(`${year} 年度分类定级`);
  const all = await json<RoundOrgs>(dept, `/api/v1/ratings/rounds/${roundId}/orgs?page_size=1`);
  expect(all.total).toBe(1383);
  await expect(dept.getByTestId('round-progress')).toHaveText(`共 1383 个：待评分 1383，已评分 0，已审定 0`);
  await expect(dept.getByTestId('round-completeness')).toHaveText('已审定 0 / 应评 1383');
  await expect(dept.getByTestId('round-table').locator('tbody tr')).toHaveCount(50);
  await expect(dept.getByTestId('round-pagination')).toContainText('共 1383 条');

  // The same year again: the API's refusal, in the dialog.
  await dept.getByTestId('round-back').click();
  await dept.getByTestId('rounds-open').click();
  await numberInput(dept, 'round-open-year').fill(String(year));
  await dept.getByTestId('round-open-submit').click();
  await expect(dept.getByTestId('round-open-error')).toContainText(`${year} 年度的评定已开启`);
  await dept.keyboard.press('Escape');
});

test('the township scores a village per indicator and proposes a tier; it cannot approve', async () => {
  const scheme = (await json<Scheme[]>(town, '/api/v1/ratings/schemes')).find((s) => s.code === 'village.five_tier')!;
  const indicators = scheme.dimensions.flatMap((d) => d.indicators);
  // 62 points: 偏弱 by score (55–64); the township proposes 达标.
  let deficit = 100 - 62;
  const scores: Record<string, number> = {};
  for (const i of indicators) {
    const off = Math.min(deficit, i.max_points - 1);
    scores[i.code] = i.max_points - off;
    deficit -= off;
  }
  expect(Object.values(scores).reduce((a, b) => a + b, 0)).toBe(62);

  await town.getByTestId('menu-rating-rounds').click();
  await expect(town.getByTestId('rounds-table')).toBeVisible();
  await expect(town.getByTestId('rounds-open')).toHaveCount(0);
  await town.getByTestId(`round-link-${roundId}`).click();
  const mine = await json<RoundOrgs>(town, `/api/v1/ratings/rounds/${roundId}/orgs?page_size=50`);
  expect(mine.total).toBe(12);
  villageA = mine.items[0]!.org_id;
  villageB = mine.items[1]!.org_id;
  await expect(town.getByTestId('round-progress')).toContainText('共 12 个');
  await expect(town.getByTestId('round-publish')).toHaveCount(0);
  await expect(town.getByTestId('round-approve-selected')).toHaveCount(0);

  await town.getByTestId(`round-score-${villageA}`).click();
  const drawer = town.getByTestId('score-drawer');
  await expect(drawer).toBeVisible();
  await expect(town.getByTestId('score-total')).toHaveText('0');
  // Points are bounded by the indicator's maximum.
  const first = indicators[0]!;
  const box = numberInput(town, `score-${first.code}`);
  await box.fill('99');
  await box.blur();
  await expect(box).toHaveValue(String(first.max_points));
  for (const i of indicators) {
    const input = numberInput(town, `score-${i.code}`);
    await input.fill(String(scores[i.code]));
    await input.blur();
  }
  await town.locator(`input[data-testid="score-comment-${first.code}"], [data-testid="score-comment-${first.code}"] input`).first().fill('书记致富项目台账已查阅');
  await town.locator(`input[data-testid="score-evidence-${first.code}"], [data-testid="score-evidence-${first.code}"] input`).first().fill('村集体经济收入台账、项目合同');
  await expect(town.getByTestId('score-total')).toHaveText('62');
  await expect(town.getByTestId('score-tier')).toHaveText('偏弱');
  await town.getByTestId('score-propose').click();
  await town.locator('.el-select-dropdown__item:visible', { hasText: '达标' }).click();
  await town.getByTestId('score-submit').click();
  await expect(drawer).toContainText('建议定为“达标”与按分数的档次不同，须说明理由');
  await town.getByTestId('score-reason').fill('换届后新班子调整到位，抗洪抢险中表现突出');
  await shot(town, 'ratings-score-form');
  await town.getByTestId('score-submit').click();
  await expect(drawer).toBeHidden();
  await expect(town.getByTestId(`round-status-${villageA}`)).toHaveText('已评分');
  await expect(town.getByTestId(`round-total-${villageA}`)).toHaveText('62');
  await expect(town.getByTestId(`round-derived-${villageA}`)).toHaveText('偏弱');
  await expect(town.getByTestId(`round-proposed-${villageA}`)).toHaveText('达标');
  await expect(town.getByTestId(`round-approve-${villageA}`)).toHaveCount(0);

  // A concurrent edit: the form holds version 1, someone saves version 2 meanwhile.
  await town.getByTestId(`round-score-${villageA}`).click();
  await expect(town.getByTestId('score-total')).toHaveText('62');
  const saved = (await json<RoundOrgs>(town, `/api/v1/ratings/rounds/${roundId}/orgs?org=${villageA}`)).items[0]!.rating!;
  // The evidence (佐证材料) is kept apart from the comment.
  const kept = saved as unknown as { comments: Record<string, string>; evidence: Record<string, string> };
  expect(kept.evidence[first.code]).toBe('村集体经济收入台账、项目合同');
  expect(kept.comments[first.code]).toBe('书记致富项目台账已查阅');
  const other = await town.request.put(`/api/v1/ratings/rounds/${roundId}/orgs/${villageA}`, {
    headers: H,
    data: { version: saved.version, scores, comments: {}, proposed_tier: '达标', reason: '换届后新班子调整到位，抗洪抢险中表现突出' },
  });
  expect(other.status()).toBe(200);
  await town.getByTestId('score-submit').click();
  await expect(town.getByTestId('score-error')).toHaveAttribute('data-conflict', 'true');
  await expect(town.getByTestId('score-error')).toContainText('已被他人修改，已重新载入最新内容');
  await expect(town.getByTestId('score-total')).toHaveText('62');
  await town.getByTestId('score-submit').click();
  await expect(drawer).toBeHidden();
  const now = (await json<RoundOrgs>(town, `/api/v1/ratings/rounds/${roundId}/orgs?org=${villageA}`)).items[0]!.rating!;
  expect(now.version).toBe(saved.version + 2);
  expect(now.total).toBe(62);

  // A second village scored through the API (the department approves it in bulk below).
  const full: Record<string, number> = {};
  for (const i of indicators) full[i.code] = i.max_points;
  const b = await town.request.put(`/api/v1/ratings/rounds/${roundId}/orgs/${villageB}`, { headers: H, data: { scores: full, comments: {} } });
  expect(b.status()).toBe(200);

  // Forcing an approval: refused with the API's Chinese message.
  const forced = await town.request.post(`/api/v1/ratings/rounds/${roundId}/orgs/${villageA}/approve`, { headers: H, data: { version: now.version } });
  expect(forced.status()).toBe(403);
  const problem = (await forced.json()) as { detail: string };
  expect(problem.detail).toMatch(/[\u4e00-\u9fff]/);
  await shot(town, 'ratings-round-township');
});

test('the department approves (one, then in bulk) and publishes with a notice period', async () => {
  await dept.goto(`/ratings/rounds/${roundId}`);
  await expect(dept.getByTestId('round-progress')).toHaveText('共 1383 个：待评分 1381，已评分 2，已审定 0');
  await dept.getByTestId('round-filter-scored').click();
  await expect(dept).toHaveURL(/status=scored/);
  await expect(dept.getByTestId('round-table').locator('tbody tr')).toHaveCount(2);

  await dept.getByTestId(`round-approve-${villageA}`).click();
  const dialog = dept.getByTestId('approve-dialog');
  await expect(dialog).toContainText('换届后新班子调整到位');
  await expect(dept.getByTestId('approve-reason')).toHaveValue('换届后新班子调整到位，抗洪抢险中表现突出');
  await shot(dept, 'ratings-approve');
  await dept.getByTestId('approve-submit').click();
  await expect(dialog).toBeHidden();
  await expect(dept.getByTestId('round-table').locator('tbody tr')).toHaveCount(1);

  // Bulk: select the remaining scored row.
  await dept.getByTestId('round-table').locator('tbody tr').first().locator('.el-checkbox').click();
  await expect(dept.getByTestId('round-approve-selected')).toContainText('审定所选（1）');
  await dept.getByTestId('round-approve-selected').click();
  await dept.locator('.el-message-box').getByRole('button', { name: '确定' }).click();
  await expect(dept.getByTestId('round-progress')).toHaveText('共 1383 个：待评分 1381，已评分 0，已审定 2');

  await dept.getByTestId('round-filter-approved').click();
  await expect(dept.getByTestId(`round-tier-${villageA}`)).toHaveText('达标');
  await expect(dept.getByTestId(`round-tier-${villageB}`)).toHaveText('标兵');
  await expect(dept.getByTestId(`round-status-${villageA}`)).toHaveText('已审定');

  await expect(dept.getByTestId('round-completeness')).toHaveText('已审定 2 / 应评 1383');

  // Incomplete: the dialog says what is missing; publishing is refused as the server words it.
  await dept.getByTestId('round-publish').click();
  const dialog2 = dept.getByTestId('publish-dialog');
  await expect(dept.getByTestId('publish-missing')).toContainText('尚有 1381 个村未审定（已评分待审定 0 个，未评分 1381 个）');
  await expect(dept.getByTestId('publish-date-hint')).toContainText(`${year} 年度的结果不早于 ${year + 1}-01-01 公布`);
  await dept.getByTestId('publish-submit').click();
  await expect(dept.getByTestId('publish-error')).toContainText('尚有 1381 个村未审定（已审定 2 / 应评 1383');
  await shot(dept, 'ratings-publish-refused');
  // Partial: a reason is required.
  await dept.getByTestId('publish-partial').click();
  await dept.getByTestId('publish-submit').click();
  await expect(dept.getByTestId('publish-error')).toContainText('部分公布须说明理由（不少于 10 个字）');
  await dept.getByTestId('publish-reason').fill('其余各村因村“两委”换届推迟考评，先公布已审定的结果');
  // Not before the rated year is over.
  await fillDate(dept.getByTestId('publish-from'), `${year}-12-31`);
  await dept.getByTestId('publish-submit').click();
  await expect(dept.getByTestId('publish-error')).toContainText(`公示开始日期不得早于 ${year + 1}-01-01`);
  await fillDate(dept.getByTestId('publish-from'), `${year + 1}-01-05`);
  await numberInput(dept, 'publish-days').fill('7');
  await shot(dept, 'ratings-publish-partial');
  await dept.getByTestId('publish-submit').click();
  await expect(dialog2).toBeHidden();
  await expect(dept.getByTestId('round-status')).toHaveAttribute('data-status', 'published');
  await expect(dept.getByTestId('round-partial')).toHaveText('部分公布 2 / 1383');
  await expect(dept.getByTestId('round-partial-reason')).toContainText('村“两委”换届推迟考评');
  await expect(dept.getByTestId('round-notice')).toContainText(`${year + 1}-01-05 至`);
  await expect(dept.getByTestId(`round-status-${villageA}`)).toHaveText('已公布');
  await expect(dept.getByTestId('round-publish')).toHaveCount(0);
  await shot(dept, 'ratings-round-published');
});

test('the ledger shows the new tiers and downloads as XLSX; a weak village gets its plan', async () => {
  await dept.goto(`/ratings?year=${year}`);
  await expect(dept.getByTestId('rating-heading')).toContainText(String(year));
  await expect(dept.getByTestId(`rating-tier-${villageA}`)).toHaveText('达标');
  await expect(dept.getByTestId(`rating-tier-${villageB}`)).toHaveText('标兵');
  const [download] = await Promise.all([dept.waitForEvent('download'), dept.getByTestId('rating-export-xlsx').click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`分类管理台账-.*-${year}\\.xlsx$`));
  const file = await download.path();
  expect(fs.readFileSync(file).subarray(0, 2).toString()).toBe('PK');

  // 整改: a 2012 weak village without a plan.
  const plans = await json<{ missing: { org_id: number; org_name: string; tier: string }[] }>(dept, '/api/v1/ratings/rectifications?year=2012');
  expect(plans.missing.length).toBeGreaterThan(0);
  const weak = plans.missing[0]!;
  await dept.goto('/ratings?year=2012&filter=weak');
  await dept.getByTestId(`rating-missing-${weak.org_id}`).click();
  const dialog = dept.getByTestId('plan-dialog');
  await expect(dialog).toContainText(`${weak.org_name}（2012 年度 ${weak.tier}）`);
  await dept.getByTestId('plan-submit').click();
  await expect(dialog).toContainText('此项为必填项');
  await dept.getByTestId('plan-problems').fill('班子软弱，集体经济薄弱，组织生活不正常');
  await dept.getByTestId('plan-measures').fill('选派第一书记，落实“三会一课”，发展特色种植');
  await dept.getByTestId('plan-owner').fill('王书记');
  await dept.getByTestId('plan-helper').fill('李副县长');
  await fillDate(dept.getByTestId('plan-deadline'), '2013-06-30');
  await shot(dept, 'ratings-plan-create');
  await dept.getByTestId('plan-submit').click();
  await expect(dialog).toBeHidden();
  const after = await json<{ plans: { id: number; org_id: number; status: string }[] }>(dept, '/api/v1/ratings/rectifications?year=2012');
  const plan = after.plans.find((p) => p.org_id === weak.org_id)!;
  expect(plan.status).toBe('open');
  await expect(dept.getByTestId('rating-plan-table')).toContainText('选派第一书记');

  // Closing it needs evidence.
  await dept.getByTestId(`rating-plan-edit-${plan.id}`).click();
  await dept.getByTestId('plan-done').click();
  await dept.getByTestId('plan-submit').click();
  await expect(dialog).toContainText('标记完成须填写佐证材料');
  await dept.getByTestId('plan-evidence').fill('验收记录、村集体账目');
  await dept.getByTestId('plan-submit').click();
  await expect(dialog).toBeHidden();
  const closed = await json<{ plans: { id: number; status: string; evidence?: string | null }[] }>(dept, '/api/v1/ratings/rectifications?year=2012');
  expect(closed.plans.find((p) => p.id === plan.id)).toMatchObject({ status: 'done', evidence: '验收记录、村集体账目' });
});

test('the dashboard card stays on the last year published in full; the partial year is named', async () => {
  const last = await checkDashboardCard(dept);
  expect(last).toBe(year - 1);
  await expect(dept.getByTestId('home-rating-partial')).toContainText(`${year} 年度为部分公布（已审定 2 / 1383），未计入`);
  // The rounds list tags the partial publication.
  await dept.getByTestId('menu-rating-rounds').click();
  await expect(dept.getByTestId(`round-kind-${roundId}`)).toHaveText('部分公布 2 / 1383');
  await expect(dept.getByTestId(`round-status-${roundId}`)).toHaveText('已公布');
});

test('withdrawing the last full publication falls the card back; publishing again restores it', async () => {
  const rounds = await json<Round[]>(dept, '/api/v1/ratings/rounds');
  const full = rounds.filter((r) => r.status === 'published' && r.publication?.kind === 'full').sort((a, b) => b.year - a.year);
  const latest = full[0]!;
  const previous = full[1]!;
  await dept.goto(`/ratings/rounds/${latest.id}`);
  await expect(dept.getByTestId('round-completeness')).toHaveText(`已审定 ${latest.publication!.approved} / 应评 ${latest.publication!.applicable}`);
  await expect(dept.getByTestId('round-partial')).toHaveCount(0);
  await dept.getByTestId('round-withdraw').click();
  const dialog = dept.getByTestId('withdraw-dialog');
  await expect(dialog).toBeVisible();
  await dept.getByTestId('withdraw-submit').click();
  await expect(dept.getByTestId('withdraw-error')).toContainText('撤回公布须说明理由（不少于 10 个字）');
  await dept.getByTestId('withdraw-reason').fill('公示期内收到异议，复核后重新公布');
  await shot(dept, 'ratings-withdraw');
  await dept.getByTestId('withdraw-submit').click();
  await expect(dialog).toBeHidden();
  await expect(dept.getByTestId('round-status')).toHaveAttribute('data-status', 'open');
  await expect(dept.getByTestId('round-notice')).toHaveCount(0);
  await expect(dept.getByTestId('round-history')).toContainText('已撤回');
  await expect(dept.getByTestId('round-history')).toContainText('公示期内收到异议，复核后重新公布');

  // The card falls back to the year before.
  expect(await checkDashboardCard(dept)).toBe(previous.year);

  // Published again: complete, so no reason is asked; today is the default first day.
  await dept.goto(`/ratings/rounds/${latest.id}`);
  await dept.getByTestId('round-publish').click();
  await expect(dept.getByTestId('publish-complete')).toContainText(`应评 ${latest.publication!.applicable} 个全部审定`);
  await expect(dept.getByTestId('publish-partial')).toHaveCount(0);
  await dept.getByTestId('publish-submit').click();
  await expect(dept.getByTestId('publish-dialog')).toBeHidden();
  await expect(dept.getByTestId('round-status')).toHaveAttribute('data-status', 'published');
  await expect(dept.getByTestId('round-history').locator('li')).toHaveCount(2);
  await expect(dept.getByTestId('round-history').locator('li[data-withdrawn="true"]')).toHaveCount(1);
  await shot(dept, 'ratings-republished');
  expect(await checkDashboardCard(dept)).toBe(latest.year);
});
