/**
 * 组织生活 and 自行脱党 (issue 5, 党章 第九条) as the 永阳镇 secretary (zhen_yongyang), whose
 * township has meetings and dues of July–December 2004 in the demo:
 * - the 自行脱党处置 tab lists exactly the members the API proposes on 2004-12-31, with the
 *   rule's source and each finding; the 预警提醒 screen counts every area as the API does
 *   and leads from a 自行脱党 alert to the member;
 * - 登记党费 for a member proposed on dues (June–December 2004) takes them off the list; the
 *   same month again is refused in the server's words (409);
 * - 登记会议: a 党课 without lecturer is caught before sending; a theme day with one member on
 *   leave is recorded and listed with its counts (= API);
 * - 支部大会决定 for a member proposed on org life: a vote without a majority of those
 *   entitled is refused with the derivation, a passing one removes the member (left the
 *   roster on the approval date, `self_withdrawal` event) and the list shrinks by one;
 * - 表决计算: the admission vote's quorum and adoption against numbers worked out here.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { authFile, fillDate, getJson, pick, shot } from './helpers';

test.use({ storageState: authFile('township') });
test.describe.configure({ mode: 'serial' });

interface Ground {
  code: string;
  text: string;
}
interface Proposal {
  member_id: number;
  name: string;
  org_id: number;
  org_name: string;
  grounds: Ground[];
  version: number;
}
interface Proposals {
  as_of: string;
  months: number;
  source: string;
  items: Proposal[];
}
interface Meeting {
  id: number;
  held_on: string;
  kind: string;
  topic: string;
  present: number;
  excused: number;
  absent: number;
}
interface Me {
  roles: { org_id: number }[];
}

let town = 0;

/** The native input of a field, whether the test id sits on it or on its wrapper. */
function field(scope: Locator, testid: string): Locator {
  return scope.locator(`[data-testid="${testid}"] input, input[data-testid="${testid}"]`).first();
}

async function proposals(page: Page): Promise<Proposals> {
  return getJson<Proposals>(page.request, `/api/v1/org-life/self-withdrawal?org=${town}`);
}

test('the 自行脱党处置 tab shows the members the records propose', async ({ page }) => {
  town = (await getJson<{ user: Me }>(page.request, '/api/v1/me')).user.roles[0]!.org_id;
  const p = await proposals(page);
  expect(p.as_of).toBe('2004-12-31');
  expect(p.months).toBe(6);
  expect(p.items.length).toBeGreaterThan(0);
  await page.goto('/');
  await page.getByTestId('menu-org-life').click();
  await expect(page).toHaveURL(/\/org-life/);
  await page.getByRole('tab', { name: '自行脱党处置' }).click();
  await expect(page.getByTestId('lapse-total')).toHaveText(String(p.items.length));
  await expect(page.getByTestId('lapse-rule')).toContainText('第九条');
  for (const item of p.items.slice(0, 5)) {
    for (const g of item.grounds) {
      await expect(page.getByTestId(`lapse-ground-${item.member_id}-${g.code}`)).toContainText(g.text);
    }
  }
  await shot(page, 'org-life-lapse');
});

test('the 预警提醒 screen lists them with the other areas (= API) and leads to the member', async ({ page }) => {
  const alerts = await getJson<{ area: string; subject_id: number }[]>(page.request, `/api/v1/alerts?org=${town}&days=30`);
  const p = await proposals(page);
  const lapse = alerts.filter((a) => a.area === 'org_life');
  expect(lapse.map((a) => a.subject_id).sort((a, b) => a - b)).toEqual(p.items.map((i) => i.member_id).sort((a, b) => a - b));
  await page.goto('/');
  await page.getByTestId('menu-alerts').click();
  await expect(page).toHaveURL(/\/alerts/);
  await expect(page.getByTestId('alerts-area-all')).toContainText(String(alerts.length));
  for (const area of ['org', 'development', 'floating', 'org_life', 'transfer', 'rectification']) {
    await expect(page.getByTestId(`alerts-count-${area}`)).toHaveText(String(alerts.filter((a) => a.area === area).length));
  }
  await page.getByTestId('alerts-area-org_life').click();
  await shot(page, 'alerts');
  await page.getByTestId(`alert-org_life-${lapse[0]!.subject_id}`).click();
  await expect(page).toHaveURL(new RegExp(`/members/${lapse[0]!.subject_id}$`));
});

test('recording the missing dues takes a member off the list; a month twice is refused', async ({ page }) => {
  const before = await proposals(page);
  const who = before.items.find((i) => i.grounds.length === 1 && i.grounds[0]!.code === 'dues');
  expect(who, 'a member proposed on dues only').toBeTruthy();
  await page.goto(`/org-life?org=${town}&tab=lapse`);
  await page.getByTestId('dues-new').click();
  const dlg = page.getByTestId('dues-dialog');
  const search = field(dlg, 'dues-form-member');
  await search.click();
  await search.fill(who!.name);
  await page.locator('.member-select-popper .el-select-dropdown__item:visible', { hasText: who!.name }).first().click();
  await expect(dlg.getByTestId('dues-form-ledger')).toContainText('2004-05');
  const from = field(dlg, 'dues-form-from');
  await from.fill('2004-06');
  await from.press('Enter');
  const to = field(dlg, 'dues-form-to');
  await to.fill('2004-12');
  await to.press('Enter');
  await expect(dlg).toContainText('共 7 个月');
  await dlg.getByTestId('dues-form-submit').click();
  await expect(dlg).toContainText('请填写金额');
  await field(dlg, 'dues-form-amount').fill('0.5');
  await shot(page, 'org-life-dues');
  await dlg.getByTestId('dues-form-submit').click();
  await expect(dlg).toBeHidden();
  const ledger = await getJson<{ month: string; amount_fen: number }[]>(page.request, `/api/v1/members/${who!.member_id}/dues`);
  expect(ledger.filter((d) => d.month >= '2004-06').map((d) => d.amount_fen)).toEqual(Array(7).fill(50));
  const after = await proposals(page);
  expect(after.items.map((i) => i.member_id)).not.toContain(who!.member_id);
  expect(after.items.length).toBe(before.items.length - 1);
  await expect(page.getByTestId('lapse-total')).toHaveText(String(after.items.length));
  // The member's file shows the months now paid.
  await page.goto(`/members/${who!.member_id}`);
  await expect(page.getByTestId('member-dues-summary')).toContainText('最近交纳月份 2004-12');
  await expect(page.getByTestId('member-dues').locator('tbody tr').first()).toContainText('0.50');
  await page.goto(`/org-life?org=${town}&tab=lapse`);

  // The same month again: the server's 409 in its words.
  await page.getByTestId('dues-new').click();
  await search.click();
  await search.fill(who!.name);
  await page.locator('.member-select-popper .el-select-dropdown__item:visible', { hasText: who!.name }).first().click();
  await from.fill('2004-12');
  await from.press('Enter');
  await to.fill('2004-12');
  await to.press('Enter');
  await field(dlg, 'dues-form-amount').fill('0.5');
  await dlg.getByTestId('dues-form-submit').click();
  await expect(dlg.getByTestId('dues-form-error')).toContainText('2004-12 的党费已有记录');
  await dlg.getByRole('button', { name: '取消' }).click();
});

test('a meeting is recorded with its attendance list', async ({ page }) => {
  const p = await proposals(page);
  const branch = p.items[0]!.org_id;
  await page.goto(`/org-life?org=${branch}&tab=meetings`);
  await expect(page.getByTestId('meetings-table')).toBeVisible();
  await page.getByTestId('meeting-new').click();
  const dlg = page.getByTestId('meeting-dialog');
  const first = dlg.locator('[data-testid^="meeting-att-"]').first();
  await expect(first).toBeVisible();
  // Every member of the org is listed (the list is paged on screen; the total says how many).
  const listed = Number(await dlg.getByTestId('meeting-form-total').getAttribute('data-total'));
  expect(listed).toBeGreaterThan(0);
  await pick(page, dlg.getByTestId('meeting-form-kind'), '党课');
  await fillDate(dlg.getByTestId('meeting-form-date'), '2004-12-24');
  await field(dlg, 'meeting-form-topic').fill('学习十六届四中全会精神');
  await dlg.getByTestId('meeting-form-submit').click();
  await expect(dlg).toContainText('党课须写明授课人');
  await pick(page, dlg.getByTestId('meeting-form-kind'), '主题党日');
  await first.getByText('请假').click();
  await expect(dlg.getByTestId('meeting-form-counts')).toHaveText(`出席 ${listed - 1} 人，请假 1 人，缺席 0 人`);
  await shot(page, 'org-life-meeting');
  await dlg.getByTestId('meeting-form-submit').click();
  await expect(dlg).toBeHidden();
  const rows = await getJson<Meeting[]>(page.request, `/api/v1/org-life/meetings?org=${branch}&from=2004-12-24&to=2004-12-24`);
  expect(rows).toHaveLength(1);
  expect([rows[0]!.present, rows[0]!.excused, rows[0]!.absent]).toEqual([listed - 1, 1, 0]);
  await expect(page.getByTestId(`meeting-counts-${rows[0]!.id}`)).toHaveText(`出席 ${listed - 1} 人，请假 1 人，缺席 0 人`);
  // The member on leave: the meeting is in their file with 请假.
  const onLeave = (await getJson<{ attendance: { member_id: number; status: string }[] }>(page.request, `/api/v1/org-life/meetings/${rows[0]!.id}`)).attendance.find(
    (a) => a.status === 'excused',
  )!;
  await page.goto(`/members/${onLeave.member_id}`);
  const file = page.getByTestId('member-meetings');
  await expect(file.locator('tbody tr').first()).toContainText('2004-12-24');
  await expect(file.locator('tbody tr').first()).toContainText('请假');
});

test('the meeting dialog names the org, lists all its members and tells namesakes apart', async ({ page }) => {
  interface Who {
    gender_zh: string;
    birth_year: number | null;
    id_tail: string | null;
    org_name: string | null;
  }
  interface Roster {
    org_name: string;
    path_names: string[];
    total: number;
    cap: number;
    truncated: boolean;
    members: { member_id: number; name: string; who: Who }[];
  }
  const roster = await getJson<Roster>(page.request, `/api/v1/org-life/meetings/roster?org=${town}`);
  // The township holds more members than the 500 the dialog used to load.
  expect(roster.total).toBeGreaterThan(500);
  expect(roster.truncated).toBe(false);
  expect(roster.members).toHaveLength(roster.total);
  await page.goto(`/org-life?org=${town}&tab=meetings`);
  await page.getByTestId('meeting-new').click();
  const dlg = page.getByTestId('meeting-dialog');
  await expect(dlg.getByTestId('meeting-form-org-name')).toHaveText(roster.org_name);
  await expect(dlg.getByTestId('meeting-form-org-path')).toHaveText(roster.path_names.join(' / '));
  await expect(dlg.getByTestId('meeting-form-total')).toContainText(String(roster.total));
  await expect(dlg.getByTestId('meeting-form-counts')).toHaveText(`出席 ${roster.total} 人，请假 0 人，缺席 0 人`);
  await expect(dlg.getByTestId('meeting-form-capped')).toHaveCount(0);
  // Namesakes: filtered by the name, each row says who it is.
  const seen = new Map<string, number>();
  for (const m of roster.members) seen.set(m.name, (seen.get(m.name) ?? 0) + 1);
  const name = [...seen.entries()].find(([, n]) => n > 1)?.[0];
  expect(name, 'two members of the township share a name').toBeTruthy();
  const same = roster.members.filter((m) => m.name === name);
  await field(dlg, 'meeting-form-filter').fill(name!);
  for (const m of same) {
    await expect(dlg.getByTestId(`meeting-name-${m.member_id}`)).toHaveText(name!);
    const who = dlg.getByTestId(`meeting-who-${m.member_id}`);
    await expect(who).toContainText(m.who.gender_zh);
    if (m.who.birth_year) await expect(who).toContainText(`${m.who.birth_year}年生`);
    if (m.who.id_tail) await expect(who).toContainText(m.who.id_tail);
    await expect(who).toContainText(m.who.org_name ?? '');
  }
  await expect(dlg.locator('tr', { hasText: '同名' })).toHaveCount(same.length);
  const texts = await Promise.all(same.map((m) => dlg.getByTestId(`meeting-who-${m.member_id}`).innerText()));
  expect(new Set(texts).size, 'the identity lines differ').toBe(same.length);
  await shot(page, 'org-life-meeting-namesakes');
  await dlg.getByRole('button', { name: '取消' }).click();
});

test('a saved meeting opens in a drawer with its attendance, topic, lecturer and minutes', async ({ page }) => {
  const p = await proposals(page);
  const branch = p.items[0]!.org_id;
  await page.goto(`/org-life?org=${branch}&tab=meetings`);
  await page.getByTestId('meeting-new').click();
  const dlg = page.getByTestId('meeting-dialog');
  const atts = dlg.locator('[data-testid^="meeting-att-"]');
  await expect(atts.first()).toBeVisible();
  const ids = (await atts.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-testid')!.slice('meeting-att-'.length))))).slice(0, 2);
  expect(ids).toHaveLength(2);
  const [excused, absent] = ids as [number, number];
  await pick(page, dlg.getByTestId('meeting-form-kind'), '党课');
  await fillDate(dlg.getByTestId('meeting-form-date'), '2004-12-23');
  const topic = `党课：党章学习 ${Date.now() % 100000}`;
  await field(dlg, 'meeting-form-topic').fill(topic);
  await field(dlg, 'meeting-form-lecturer').fill('支部书记');
  await dlg.locator('textarea[data-testid="meeting-form-minutes"], [data-testid="meeting-form-minutes"] textarea').first().fill('学习党章第三章');
  await dlg.getByTestId(`meeting-att-${excused}`).getByText('请假').click();
  await field(dlg, `meeting-reason-${excused}`).fill('外出务工');
  await dlg.getByTestId(`meeting-att-${absent}`).getByText('缺席').click();
  await dlg.getByTestId('meeting-form-submit').click();
  await expect(dlg).toBeHidden();
  const rows = await getJson<Meeting[]>(page.request, `/api/v1/org-life/meetings?org=${branch}&from=2004-12-23&to=2004-12-23&kind=lecture`);
  const saved = rows.find((r) => r.topic === topic)!;
  expect(saved).toBeTruthy();
  await page.getByTestId(`meeting-topic-${saved.id}`).click();
  const drawer = page.getByTestId('meeting-drawer');
  await expect(drawer.getByTestId('meeting-detail-topic')).toHaveText(topic);
  await expect(drawer.getByTestId('meeting-detail-kind')).toHaveText('党课');
  await expect(drawer.getByTestId('meeting-detail-lecturer')).toHaveText('支部书记');
  await expect(drawer.getByTestId('meeting-detail-minutes')).toHaveText('学习党章第三章');
  await expect(drawer.getByTestId('meeting-detail-counts')).toHaveText(`出席 ${saved.present} 人，请假 1 人，缺席 1 人`);
  await expect(drawer.getByTestId(`meeting-detail-status-${excused}`)).toHaveAttribute('data-status', 'excused');
  await expect(drawer.getByTestId(`meeting-detail-reason-${excused}`)).toHaveText('外出务工');
  await expect(drawer.getByTestId(`meeting-detail-status-${absent}`)).toHaveAttribute('data-status', 'absent');
  await expect(drawer.locator('[data-testid^="meeting-detail-status-"][data-status="present"]')).toHaveCount(saved.present);
  await shot(page, 'org-life-meeting-drawer');
});

test('the branch meeting decides a removal: a failed vote first, then the decision', async ({ page }) => {
  const before = await proposals(page);
  const who = before.items.find((i) => i.grounds.some((g) => g.code === 'org_life'));
  expect(who, 'a member proposed on org life').toBeTruthy();
  await page.goto(`/org-life?org=${town}&tab=lapse`);
  await page.getByTestId(`lapse-decide-${who!.member_id}`).click();
  const dlg = page.getByTestId('removal-dialog');
  await expect(dlg).toContainText(who!.grounds[0]!.text);
  await fillDate(dlg.getByTestId('removal-form-meeting'), '2004-12-20');
  await field(dlg, 'removal-form-entitled').fill('30');
  await field(dlg, 'removal-form-present').fill('26');
  // 15 of 30 entitled is not more than half.
  await field(dlg, 'removal-form-ayes').fill('15');
  await fillDate(dlg.getByTestId('removal-form-approved-on'), '2004-12-28');
  await field(dlg, 'removal-form-approved-by').fill('中共溧水县永阳镇委员会');
  await dlg.getByTestId('removal-form-submit').click();
  await expect(dlg.getByTestId('removal-form-error')).toContainText('支部大会未通过除名决定');
  await field(dlg, 'removal-form-ayes').fill('16');
  await shot(page, 'org-life-removal');
  await dlg.getByTestId('removal-form-submit').click();
  await expect(dlg).toBeHidden();
  await expect(page.getByTestId('removal-done')).toContainText(`${who!.name} 已于 2004-12-28 按自行脱党除名`);
  await expect(page.getByTestId('lapse-total')).toHaveText(String(before.items.length - 1));
  const m = await getJson<{ active: boolean; left_date: string | null }>(page.request, `/api/v1/members/${who!.member_id}`);
  expect(m.active).toBe(false);
  expect(m.left_date).toBe('2004-12-28');
  const events = await getJson<{ kind: string; date: string }[]>(page.request, `/api/v1/members/${who!.member_id}/events`);
  expect(events.at(-1)).toMatchObject({ kind: 'self_withdrawal', date: '2004-12-28' });
});

test('表决计算: the admission vote counts written ayes and compares with those entitled', async ({ page }) => {
  await page.goto(`/org-life?org=${town}&tab=vote`);
  const calc = page.getByTestId('vote-calc');
  await pick(page, calc.getByTestId('vote-rule'), '支部大会讨论接收预备党员');
  await expect(calc.getByTestId('vote-thresholds')).toContainText('半数');
  // The rule, worked out here: quorum present > entitled / 2; adoption (ayes + written) > entitled / 2.
  const cases = [
    { entitled: 31, present: 16, ayes: 15, written: 1 },
    { entitled: 31, present: 16, ayes: 15, written: 0 },
    { entitled: 30, present: 15, ayes: 15, written: 1 },
  ];
  for (const c of cases) {
    await field(calc, 'vote-entitled').fill(String(c.entitled));
    await field(calc, 'vote-present').fill(String(c.present));
    await field(calc, 'vote-ayes').fill(String(c.ayes));
    await field(calc, 'vote-written').fill(String(c.written));
    await calc.getByTestId('vote-check').click();
    const quorum = c.present * 2 > c.entitled;
    const passed = quorum && (c.ayes + c.written) * 2 > c.entitled;
    const result = calc.getByTestId('vote-result');
    await expect(result).toHaveAttribute('data-quorum', quorum ? '1' : '0');
    await expect(result).toHaveAttribute('data-passed', passed ? '1' : '0');
    await expect(result).toContainText(passed ? '通过' : quorum ? '未通过' : '未达到法定人数');
    await expect(calc.getByTestId('vote-derivation')).toContainText(String(c.entitled));
  }
  await shot(page, 'org-life-vote');
  // Written opinions only from absent members.
  await field(calc, 'vote-written').fill('20');
  await calc.getByTestId('vote-check').click();
  await expect(calc.getByTestId('vote-error')).toContainText('书面意见只能来自未到会的党员');
});
