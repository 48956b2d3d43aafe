/**
 * 评议考评 (writes, last so earlier specs keep the seed figures; nothing here changes members):
 * - 民主评议党员: the county admin opens the appraisal of a small branch (8 members in the
 *   seed), issues two slips
 *   (shown once, with the warning), a slip holder votes on the public /ballot page in a fresh
 *   browser context without any session (no cookie is sent), a second use of the slip is
 *   refused in the server's words; the admin sees the ballot in the tally, decides with one
 *   优秀 more than a third (the live indicator turns red and the server refuses), then within
 *   the limit (recorded);
 * - 双述双评联考: the admin opens a village secretary's evaluation, records the two reports,
 *   two named leadership ballots, issues a members' slip and a representatives' slip, both are
 *   cast anonymously on /ballot, closes it: 100 × 40% + 80 × 30% + 80 × 30% = 88 → 称职, and
 *   the evaluation sheet shows the derivation and the grade.
 */
import { expect, test, type Browser, type Page, type Request } from '@playwright/test';
import { authFile, fillDate, getJson, RUN, shot, type OrgRow, type Page_ } from './helpers';

test.describe.configure({ mode: 'serial' });

const YEAR = 2004;

interface Member {
  id: number;
  name: string;
  org_id: number | null;
}

async function asAdmin(browser: Browser): Promise<Page> {
  const ctx = await browser.newContext({ storageState: authFile('admin') });
  return ctx.newPage();
}

/** A fresh context with no stored session; every request it makes is recorded. */
async function anonymous(browser: Browser): Promise<{ page: Page; requests: Request[] }> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const requests: Request[] = [];
  page.on('request', (r) => requests.push(r));
  return { page, requests };
}

async function members(page: Page, org: number): Promise<Member[]> {
  const p = await getJson<Page_<Member>>(page.request, `/api/v1/members?org=${org}&page_size=100`);
  return p.items.filter((m) => m.org_id === org);
}

async function issueSlips(page: Page, button: string, count: number): Promise<string[]> {
  await page.getByTestId(button).click();
  const dialog = page.getByTestId('slips-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('slips-warning')).toContainText('只在此显示一次');
  await expect(dialog.getByTestId('slip-token')).toHaveCount(count);
  const tokens = await dialog.getByTestId('slip-token').allTextContents();
  for (const tok of tokens) expect(tok).toMatch(/^[2-9A-HJ-NP-Z]{10}$/);
  await shot(page, `11-slips-${button}`);
  await dialog.getByTestId('slips-close').click();
  await expect(dialog).toBeHidden();
  return tokens;
}

async function openSlip(page: Page, token: string): Promise<void> {
  await page.getByTestId('ballot-token').fill(token);
  await page.getByTestId('ballot-lookup').click();
}

function noIdentity(requests: Request[]): void {
  const api = requests.filter((r) => r.url().includes('/api/'));
  expect(api.length).toBeGreaterThan(0);
  for (const r of api) {
    expect(r.url(), 'the ballot page never asks who is logged in').not.toContain('/api/v1/me');
    expect(r.headers()['cookie'], `${r.url()} carries no cookie`).toBeUndefined();
  }
}

// Seed-county orgs: the smallest branches have 8 members (the limit is then 2 优秀); a village.
const BRANCH = 526; // 中共溧水县大华包装有限公司第一支部委员会
const VILLAGE = 163; // 中共沙塘村第一支部委员会

let branch: OrgRow;
let village: OrgRow;

test('the branch and the village of these tests exist', async ({ browser }) => {
  const page = await asAdmin(browser);
  await page.goto('/');
  branch = await getJson<OrgRow>(page.request, `/api/v1/orgs/${BRANCH}`);
  village = await getJson<OrgRow>(page.request, `/api/v1/orgs/${VILLAGE}`);
  expect(branch.kind).toBe('branch');
  expect(village.name).toContain('村');
  expect((await members(page, BRANCH)).length).toBeGreaterThanOrEqual(3);
  await page.context().close();
});

test('民主评议党员: open, slips, an anonymous ballot, reuse refused, the ⅓ limit, the decision', async ({ browser }) => {
  const page = await asAdmin(browser);
  const roster = await members(page, branch.id);
  const n = roster.length;
  await page.goto(`/evaluations?tab=appraisal&org=${branch.id}&year=${YEAR}`);
  await expect(page.getByTestId('eval-heading')).toHaveText('评议考评');
  await expect(page.getByTestId('menu-evaluations')).toBeVisible();
  await page.getByTestId('appraisal-new').click();
  const detail = page.getByTestId('appraisal-detail');
  await expect(detail).toHaveAttribute('data-status', 'open');
  await expect(page.getByTestId('appraisal-participants')).toHaveText(String(n));
  await expect(page.getByTestId('appraisal-heading')).toContainText(`${YEAR} 年度民主评议党员`);
  for (const m of roster) await expect(page.getByTestId(`appraisal-name-${m.id}`)).toHaveText(m.name);
  // The list endpoint finds it.
  const list = await getJson<Page_<{ id: number; org_id: number; participants: number }>>(
    page.request,
    `/api/v1/appraisals?org=${branch.id}&year=${YEAR}`,
  );
  expect(list.total).toBe(1);
  expect(list.items[0]!.participants).toBe(n);

  // 个人自评 and 党员互评 of the first member, named and dated.
  const first = roster[0]!;
  await expect(page.getByTestId(`appraisal-reviews-${first.id}`)).toContainText('未自评');
  await page.getByTestId(`appraisal-review-${first.id}`).click();
  const rdlg = page.getByTestId('review-dialog');
  await fillDate(rdlg.getByTestId('review-date'), `${YEAR}-12-10`);
  await rdlg.getByTestId('review-text').fill('学习党章不够经常，今后加强');
  await rdlg.getByTestId('review-submit').click();
  await expect(rdlg).toBeHidden();
  await expect(page.getByTestId(`appraisal-reviews-${first.id}`)).toContainText(`已自评 ${YEAR}-12-10`);
  await page.getByTestId(`appraisal-review-${first.id}`).click();
  await rdlg.getByText('党员互评意见').click();
  await fillDate(rdlg.getByTestId('review-date'), `${YEAR}-12-10`);
  await rdlg.getByTestId('review-text').fill('带头参加义务劳动');
  await rdlg.getByTestId('review-submit').click();
  await expect(rdlg).toBeHidden();
  await expect(page.getByTestId(`appraisal-reviews-${first.id}`)).toContainText('互评意见 1 条');
  const reviewed = await getJson<{ participants: { member_id: number; self_review: { text: string } | null; peer_reviews: unknown[] }[] }>(
    page.request,
    `/api/v1/appraisals/${list.items[0]!.id}`,
  );
  const mine = reviewed.participants.find((p) => p.member_id === first.id)!;
  expect(mine.self_review?.text).toBe('学习党章不够经常，今后加强');
  expect(mine.peer_reviews).toHaveLength(1);

  await page.getByTestId('appraisal-slip-count').locator('input').fill('2');
  const tokens = await issueSlips(page, 'appraisal-issue', 2);
  await expect(page.getByTestId('appraisal-tokens')).toHaveText('2');

  // A slip holder votes in a browser that has never logged in.
  const anon = await anonymous(browser);
  const ballot = anon.page;
  await ballot.goto('/ballot');
  await expect(ballot).toHaveURL(/\/ballot$/);
  expect(await ballot.context().cookies()).toEqual([]);
  await openSlip(ballot, tokens[0]!.toLowerCase());
  await expect(ballot.getByTestId('ballot-slip')).toHaveAttribute('data-kind', 'appraisal');
  await expect(ballot.getByTestId('ballot-what')).toContainText(`${branch.name} ${YEAR} 年度民主评议党员`);
  // Not every member graded yet: the page asks for all.
  await ballot.getByTestId(`ballot-member-${roster[0]!.id}-excellent`).click();
  await ballot.getByTestId('ballot-submit').click();
  await expect(ballot.getByTestId('ballot-error')).toContainText('请为每一名党员选择评价等次');
  for (const m of roster.slice(1)) await ballot.getByTestId(`ballot-member-${m.id}-qualified`).click();
  await shot(ballot, '11-ballot-appraisal');
  await ballot.getByTestId('ballot-submit').click();
  await expect(ballot.getByTestId('ballot-done')).toBeVisible();
  // The same slip again: refused in the server's words.
  await ballot.getByTestId('ballot-again').click();
  await openSlip(ballot, tokens[0]!);
  await expect(ballot.getByTestId('ballot-error')).toHaveText('这张测评票已经投过票，每张票只能使用一次');
  await expect(ballot.getByTestId('ballot-slip')).toHaveCount(0);
  const reuse = await ballot.request.post('/api/v1/appraisals/ballots', {
    data: { token: tokens[0], grades: { [String(roster[0]!.id)]: 'qualified' } },
    headers: { 'X-Requested-With': 'jiceng' },
  });
  expect(reuse.status()).toBe(409);
  expect((await reuse.json()).detail).toBe('这张测评票已经投过票，每张票只能使用一次');
  await shot(ballot, '11-ballot-used');
  noIdentity(anon.requests);
  expect(await ballot.context().cookies()).toEqual([]);
  await ballot.context().close();

  // The tally shows the ballot; decide.
  await page.reload();
  await expect(page.getByTestId('appraisal-ballots')).toHaveText('1');
  await expect(page.getByTestId(`appraisal-tally-${roster[0]!.id}-excellent`)).toHaveText('1');
  await expect(page.getByTestId(`appraisal-tally-${roster[1]!.id}-qualified`)).toHaveText('1');
  // One 优秀 more than a third: shown red live, refused by the server in its words.
  const limitN = Math.floor(n / 3);
  const best = roster.slice(0, limitN + 1);
  for (const m of roster) await page.getByTestId(`appraisal-decide-${m.id}-qualified`).click();
  for (const m of best) await page.getByTestId(`appraisal-decide-${m.id}-excellent`).click();
  const limit = page.getByTestId('appraisal-limit');
  await expect(limit).toHaveAttribute('data-ok', '0');
  await expect(limit).toContainText(`优秀 ${limitN + 1} 名，上限 ${limitN} 名（参评 ${n} 名的三分之一）`);
  await page.getByTestId('appraisal-decide').click();
  await expect(page.getByTestId('appraisal-decide-error')).toContainText(`评为优秀的党员 ${limitN + 1} 名，超过参评党员 ${n} 名的三分之一`);
  await expect(detail).toHaveAttribute('data-status', 'open');
  await shot(page, '11-appraisal-refused');
  const last = best[best.length - 1]!;
  await page.getByTestId(`appraisal-decide-${last.id}-basically_qualified`).click();
  await expect(limit).toHaveAttribute('data-ok', '1');
  await expect(limit).toContainText(`优秀 ${limitN} 名，上限 ${limitN} 名`);
  await page.getByTestId('appraisal-decide').click();
  await expect(detail).toHaveAttribute('data-status', 'decided');
  await expect(page.getByTestId(`appraisal-grade-${roster[0]!.id}`)).toHaveText('优秀');
  await expect(page.getByTestId(`appraisal-grade-${last.id}`)).toHaveText('基本合格');
  await expect(page.getByTestId('appraisal-vote')).toContainText('通过');
  await shot(page, '11-appraisal-decided');
  // The second slip is void once decided.
  const late = await page.request.post('/api/v1/ballots/slip', { data: { token: tokens[1] } });
  expect(late.status()).toBe(422);
  await page.context().close();
});

test('双述双评联考: reports, named and anonymous ballots, close, the evaluation sheet', async ({ browser }) => {
  const page = await asAdmin(browser);
  const secretary = `张${RUN}`;
  await page.goto(`/evaluations?tab=secretary&org=${village.id}&year=${YEAR}`);
  await page.getByTestId('secretary-name').fill(secretary);
  await page.getByTestId('secretary-new').click();
  const detail = page.getByTestId('secretary-detail');
  await expect(detail).toHaveAttribute('data-status', 'open');
  await expect(page.getByTestId('secretary-heading')).toContainText(secretary);

  await fillDate(page.getByTestId('secretary-higher-date'), '2004-12-20');
  await page.getByTestId('secretary-higher').fill('向镇党委述职：班子建设、集体经济、民生实事');
  await fillDate(page.getByTestId('secretary-members-date'), '2004-12-22');
  await page.getByTestId('secretary-members').fill('向党员和村民代表述职并接受评议');
  await page.getByTestId('secretary-save-reports').click();
  await expect(page.locator('.el-message--success')).toBeVisible();

  for (const rater of ['镇党委书记', '镇长']) {
    await page.getByTestId('secretary-rater').fill(rater);
    await page.getByTestId('secretary-rater-grade-excellent').click();
    await page.getByTestId('secretary-add-named').click();
    await expect(page.getByTestId('secretary-rater')).toHaveValue('');
  }
  await expect(page.getByTestId('secretary-ballots-leadership')).toHaveText('2');
  // The same rater twice is refused.
  await page.getByTestId('secretary-rater').fill('镇长');
  await page.getByTestId('secretary-add-named').click();
  await expect(page.getByTestId('secretary-action-error')).toContainText('镇长 已经评价过');

  await page.getByTestId('secretary-slip-count').locator('input').fill('1');
  await page.getByTestId('secretary-slip-group-members').click();
  const [memberToken] = await issueSlips(page, 'secretary-issue', 1);
  await page.getByTestId('secretary-slip-group-representatives').click();
  const [repToken] = await issueSlips(page, 'secretary-issue', 1);
  await expect(page.getByTestId('secretary-issued')).toHaveText('已发：党员 1 张，村民代表 1 张');

  const anon = await anonymous(browser);
  const ballot = anon.page;
  await ballot.goto('/ballot');
  for (const [tok, group] of [
    [memberToken!, '党员'],
    [repToken!, '村民代表'],
  ] as const) {
    await openSlip(ballot, tok);
    await expect(ballot.getByTestId('ballot-slip')).toHaveAttribute('data-kind', 'secretary_eval');
    await expect(ballot.getByTestId('ballot-secretary')).toContainText(secretary);
    await expect(ballot.getByTestId('ballot-secretary')).toContainText(group);
    await ballot.getByTestId('ballot-grade-competent').click();
    await ballot.getByTestId('ballot-submit').click();
    await expect(ballot.getByTestId('ballot-done')).toBeVisible();
    await ballot.getByTestId('ballot-again').click();
  }
  await openSlip(ballot, repToken!);
  await expect(ballot.getByTestId('ballot-error')).toHaveText('这张测评票已经投过票，每张票只能使用一次');
  noIdentity(anon.requests);
  await ballot.context().close();

  await page.reload();
  await expect(page.getByTestId('secretary-tally-members-competent')).toHaveText('1');
  await expect(page.getByTestId('secretary-tally-representatives-competent')).toHaveText('1');
  await expect(page.getByTestId('secretary-score')).toHaveText('88.00');
  await expect(page.getByTestId('secretary-grade')).toHaveText('称职');
  await page.getByTestId('secretary-close').click();
  await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click();
  await expect(detail).toHaveAttribute('data-status', 'closed');
  await expect(page.getByTestId('secretary-derivation')).toContainText('加权得分 88.00 → 称职');

  await page.getByTestId('secretary-sheet').click();
  const sheet = page.getByTestId('sheet-dialog');
  await expect(sheet).toBeVisible();
  await expect(sheet.getByTestId('sheet-secretary')).toHaveText(secretary);
  await expect(sheet.getByTestId('sheet-org')).toHaveText(village.name);
  await expect(sheet.getByTestId('sheet-contribution-leadership')).toHaveText('100.00 × 40% = 40.00');
  await expect(sheet.getByTestId('sheet-contribution-members')).toHaveText('80.00 × 30% = 24.00');
  await expect(sheet.getByTestId('sheet-contribution-representatives')).toHaveText('80.00 × 30% = 24.00');
  await expect(sheet.getByTestId('sheet-score')).toHaveText('88.00');
  await expect(sheet.getByTestId('sheet-grade')).toHaveText('称职');
  await expect(sheet.getByTestId('sheet-derivation')).toContainText('乡镇党委领导班子 2 票平均 100.00 分 × 40%');
  await shot(page, '11-secretary-sheet');

  // The list shows the closed evaluation with its grade.
  const list = await getJson<Page_<{ id: number; status: string; grade: string | null; score: number | null }>>(
    page.request,
    `/api/v1/secretary-evals?org=${village.id}&year=${YEAR}`,
  );
  expect(list.items.map((e) => [e.status, e.grade, e.score])).toEqual([['closed', 'competent', 88]]);
  await page.context().close();
});
