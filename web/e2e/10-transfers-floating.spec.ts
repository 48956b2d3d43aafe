/**
 * 组织关系转接 and 流动党员 (writes):
 * - as a township secretary (zhen_yongyang), issue an internal transfer of a member of one
 *   branch to another branch of the township from the member page; see it in 转出 as 在途
 *   with its letter number and dues month; a second transfer of the same member is refused
 *   in the server's words (transfer.in_transit);
 * - as the county admin, receive it in the receiving branch's 转入 tab; the member's org
 *   changes;
 * - as the township secretary, register a member away (外出登记) from the list, log a contact
 *   in the drawer, and see the row with its contact count.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { authFile, getJson, PASSWORD, RUN, shot, type Page_ } from './helpers';

test.describe.configure({ mode: 'serial' });

interface Member {
  id: number;
  name: string;
  org_id: number | null;
  org_name: string | null;
  version: number;
}
interface Transfer {
  id: number;
  status: string;
  member_id: number;
  to_org_id: number | null;
  letter_no: string | null;
  dues_paid_until: string | null;
}
interface Org {
  id: number;
  name: string;
}

const FROM = 41; // 中共溧水县永阳镇农业服务中心支部委员会
const TO = 42; // 中共溧水县永阳镇财政所支部委员会
const OTHER = 43; // 中共溧水县永阳镇文化广播站支部委员会
const LETTER = `ZJ${RUN}`;

let member: Member;
let transferId = 0;
let toName = '';
let otherName = '';

async function asUser(browser: Browser, user: 'admin' | 'township'): Promise<Page> {
  const ctx = await browser.newContext({ storageState: authFile(user) });
  return ctx.newPage();
}

async function pickOrg(page: Page, picker: string, parent: string, name: string): Promise<void> {
  await page.locator(`.el-select[data-testid="${picker}"]`).click();
  const popper = page.locator('.org-picker-popper:visible');
  await popper.locator('.el-tree-node__content', { hasText: parent }).first().locator('.el-tree-node__expand-icon').click();
  await popper.locator('.el-tree-node__content', { hasText: name }).first().click();
}

test('a township secretary issues an internal transfer; a second one is refused', async ({ browser }) => {
  const page = await asUser(browser, 'township');
  toName = (await getJson<Org>(page.request, `/api/v1/orgs/${TO}`)).name;
  otherName = (await getJson<Org>(page.request, `/api/v1/orgs/${OTHER}`)).name;
  // A member of the sending branch without a pending transfer (the database may be reused).
  const members = await getJson<Page_<Member>>(page.request, `/api/v1/members?org=${FROM}&page_size=50`);
  for (const m of members.items) {
    const open = await getJson<Page_<Transfer>>(page.request, `/api/v1/transfers?member=${m.id}&status=pending`);
    if (open.total === 0 && m.org_id === FROM) {
      member = m;
      break;
    }
  }
  expect(member, 'a member of the sending branch').toBeTruthy();

  await page.goto(`/members/${member.id}`);
  await page.getByTestId('member-transfer').click();
  const dlg = page.getByTestId('transfer-dialog');
  await expect(dlg.getByTestId('transfer-form-member-name')).toContainText(member.name);
  // Sent empty: the receiving org is asked for before anything is sent.
  await dlg.getByTestId('transfer-form-submit').click();
  await expect(dlg).toContainText('请选择接收党组织');
  await pickOrg(page, 'transfer-form-to-org', '永阳镇委员会', toName);
  await dlg.getByTestId('transfer-form-letter').fill(LETTER);
  const dues = dlg.getByTestId('transfer-form-dues').locator('input');
  await dues.click();
  await dues.fill('2004-11');
  await dues.press('Enter');
  await expect(dues).toHaveValue('2004-11');
  await shot(page, 'transfer-dialog');
  await dlg.getByTestId('transfer-form-submit').click();
  await expect(dlg).toBeHidden();

  const mine = await getJson<Page_<Transfer>>(page.request, `/api/v1/transfers?member=${member.id}&status=pending`);
  expect(mine.total).toBe(1);
  transferId = mine.items[0]!.id;
  expect(mine.items[0]!.to_org_id).toBe(TO);
  expect(mine.items[0]!.dues_paid_until).toBe('2004-11');

  // 转出 of the township: in transit, with the letter and the dues month; cancel offered, not receive.
  await page.getByTestId('menu-transfers').click();
  await page.getByTestId('transfer-tab-out').click();
  await expect(page.getByTestId(`transfer-status-${transferId}`)).toHaveText('在途');
  await expect(page.getByTestId(`transfer-letter-${transferId}`)).toHaveText(LETTER);
  await expect(page.getByTestId(`transfer-dues-${transferId}`)).toHaveText('2004-11');
  await expect(page.getByTestId(`transfer-cancel-${transferId}`)).toBeVisible();
  await expect(page.getByTestId(`transfer-receive-${transferId}`)).toHaveCount(0);
  await shot(page, 'transfers-out');

  // A second transfer while in transit: refused in the server's words.
  await page.goto(`/members/${member.id}`);
  await page.getByTestId('member-transfer').click();
  await pickOrg(page, 'transfer-form-to-org', '永阳镇委员会', otherName);
  await dlg.getByTestId('transfer-form-submit').click();
  await expect(dlg.getByTestId('transfer-form-error')).toContainText('该党员的组织关系正在转接中');
  await expect(dlg.getByTestId('transfer-form-error')).toContainText(`转接单 ${transferId}`);
  await shot(page, 'transfer-refused');
  await page.context().close();
});

test('the receiving side (admin) receives it and the member moves', async ({ browser }) => {
  const page = await asUser(browser, 'admin');
  await page.goto(`/transfers?org=${TO}&direction=in`);
  await expect(page.getByTestId(`transfer-status-${transferId}`)).toHaveText('在途');
  await expect(page.getByTestId(`transfer-reject-${transferId}`)).toBeVisible();
  await page.getByTestId(`transfer-receive-${transferId}`).click();
  const dlg = page.getByTestId('transfer-act-dialog');
  await expect(dlg.getByTestId('transfer-act-summary')).toContainText(member.name);
  await expect(dlg.getByTestId('transfer-act-date').locator('input')).toHaveValue('2004-12-31');
  await dlg.getByTestId('transfer-act-submit').click();
  await expect(dlg).toBeHidden();
  await expect(page.getByTestId(`transfer-status-${transferId}`)).toHaveText('已接收');
  await expect(page.getByTestId(`transfer-receive-${transferId}`)).toHaveCount(0);

  const m = await getJson<Member>(page.request, `/api/v1/members/${member.id}`);
  expect(m.org_id).toBe(TO);
  await page.getByTestId(`transfer-member-${transferId}`).click();
  await expect(page.getByTestId('member-field-org')).toHaveText(toName);
  await shot(page, 'transfer-received-member');
  await page.context().close();
});

test('a township secretary registers a floating member and logs a contact', async ({ browser }) => {
  const page = await asUser(browser, 'township');
  // A member of the township not away already.
  const members = await getJson<Page_<Member>>(page.request, `/api/v1/members?org=${OTHER}&page_size=50`);
  let who: Member | undefined;
  for (const m of members.items) {
    const open = await getJson<Page_<{ id: number }>>(page.request, `/api/v1/floating?member=${m.id}&status=away`);
    if (open.total === 0) {
      who = m;
      break;
    }
  }
  expect(who, 'a member at home').toBeTruthy();
  const cert = `LD${RUN}`;

  await page.goto('/');
  await page.getByTestId('menu-floating').click();
  await expect(page).toHaveURL(/\/floating/);
  await expect(page.getByTestId('floating-suggestions')).toBeVisible();
  await page.getByTestId('floating-new').click();
  const dlg = page.getByTestId('floating-dialog');
  await dlg.getByTestId('floating-form-submit').click();
  await expect(dlg).toContainText('请填写流动党员活动证编号');
  const search = dlg.getByTestId('floating-form-member').locator('input');
  await search.click();
  await search.fill(who!.name);
  await page.locator('.member-select-popper .el-select-dropdown__item:visible', { hasText: who!.org_name ?? '' }).filter({ hasText: who!.name }).first().click();
  await dlg.getByTestId('floating-form-certificate').fill(cert);
  await dlg.getByTestId('floating-form-destination').fill('江苏省苏州市工业园区');
  await dlg.getByTestId('floating-form-region').fill('320571');
  await dlg.getByTestId('floating-form-reason').fill('务工经商');
  // The 流入地 org is searched over the whole deployment, branches only: a 柘塘镇 branch
  // (outside the township's own scope) is offered with its path.
  const dest = await getJson<{ items: { id: number; name: string; holds_members: boolean; path_names: string[] }[] }>(
    page.request,
    `/api/v1/transfers/destinations?q=${encodeURIComponent('柘塘')}&limit=50`,
  );
  const inflow = dest.items.find((h) => h.holds_members && h.path_names.length >= 3 && h.path_names[1]!.includes('柘塘'));
  expect(inflow, 'a branch under 柘塘镇').toBeTruthy();
  const ro = page.locator('.el-select[data-testid="floating-form-receiving"]');
  await ro.click();
  await ro.locator('input').fill(inflow!.name);
  await page.getByTestId(`org-hit-${inflow!.id}`).click();
  await expect(dlg.getByTestId('floating-form-receiving-path')).toContainText('柘塘');
  await shot(page, 'floating-dialog');
  await dlg.getByTestId('floating-form-submit').click();
  await expect(dlg).toBeHidden();

  const reg = await getJson<Page_<{ id: number; member_id: number; days_since_contact: number }>>(
    page.request,
    `/api/v1/floating?member=${who!.id}&status=away`,
  );
  expect(reg.total).toBe(1);
  expect((reg.items[0] as unknown as { receiving_org_id: number | null }).receiving_org_id).toBe(inflow!.id);
  const id = reg.items[0]!.id;
  await expect(page.getByTestId(`floating-open-${id}`)).toHaveText(who!.name);
  await expect(page.getByTestId(`floating-days-${id}`)).toContainText('0 天未联系');
  await expect(page.getByTestId(`floating-contacts-${id}`)).toHaveText('0');

  await page.getByTestId(`floating-open-${id}`).click();
  const drawer = page.getByTestId('floating-drawer');
  await expect(drawer.getByTestId('floating-detail-status')).toHaveText('外出中');
  await drawer.getByTestId('floating-contact-note').fill('电话联系，工作稳定');
  await drawer.getByTestId('floating-contact-submit').click();
  await expect(drawer.getByTestId('floating-contact')).toHaveCount(1);
  await expect(drawer.getByTestId('floating-contact')).toContainText('电话联系，工作稳定');
  await expect(drawer.getByTestId('floating-act-return')).toBeVisible();
  await expect(drawer.getByTestId('floating-act-lost')).toHaveCount(0);
  await shot(page, 'floating-drawer');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId(`floating-contacts-${id}`)).toHaveText('1');
  await shot(page, 'floating-list');
  await page.context().close();
});

test('from the inbox: a transfer rejected by the receiving side (reason required), another cancelled by the sender', async ({ browser }) => {
  const page = await asUser(browser, 'township');
  const members = await getJson<Page_<Member>>(page.request, `/api/v1/members?org=${FROM}&page_size=50`);
  let who: Member | undefined;
  for (const m of members.items) {
    const open = await getJson<Page_<Transfer>>(page.request, `/api/v1/transfers?member=${m.id}&status=pending`);
    if (open.total === 0 && m.org_id === FROM && m.id !== member.id) {
      who = m;
      break;
    }
  }
  expect(who, 'another member of the sending branch').toBeTruthy();

  async function issue(): Promise<number> {
    // The township's inbox (its default org): both sides of a transfer between two of its branches.
    await page.goto('/transfers?direction=out');
    await page.getByTestId('transfer-new').click();
    const dlg = page.getByTestId('transfer-dialog');
    const search = dlg.getByTestId('transfer-form-member').locator('input');
    await search.click();
    await search.fill(who!.name);
    await page
      .locator('.member-select-popper .el-select-dropdown__item:visible')
      .filter({ hasText: who!.name })
      .filter({ hasText: who!.org_name ?? '' })
      .first()
      .click();
    await pickOrg(page, 'transfer-form-to-org', '永阳镇委员会', toName);
    await dlg.getByTestId('transfer-form-submit').click();
    await expect(dlg).toBeHidden();
    const open = await getJson<Page_<Transfer>>(page.request, `/api/v1/transfers?member=${who!.id}&status=pending`);
    expect(open.total).toBe(1);
    return open.items[0]!.id;
  }

  // Rejected by the receiving branch (here the township, which holds both sides).
  const first = await issue();
  await page.getByTestId('transfer-tab-in').click();
  await page.getByTestId(`transfer-reject-${first}`).click();
  const act = page.getByTestId('transfer-act-dialog');
  await act.getByTestId('transfer-act-submit').click();
  await expect(act.getByTestId('transfer-act-problem')).toHaveText('退回须填写原因');
  await act.getByTestId('transfer-act-reason').fill('介绍信抬头有误');
  await act.getByTestId('transfer-act-submit').click();
  await expect(act).toBeHidden();
  await expect(page.getByTestId(`transfer-status-${first}`)).toHaveText('已退回');
  await expect(page.getByTestId(`transfer-reason-${first}`)).toHaveText('介绍信抬头有误');

  // Issued again and withdrawn by the sender.
  const second = await issue();
  await expect(page.getByTestId(`transfer-reject-${second}`)).toHaveCount(0);
  await page.getByTestId(`transfer-cancel-${second}`).click();
  await act.getByTestId('transfer-act-reason').fill('党员本人暂缓转接');
  await act.getByTestId('transfer-act-submit').click();
  await expect(act).toBeHidden();
  await expect(page.getByTestId(`transfer-status-${second}`)).toHaveText('已撤销');
  await page.getByTestId('transfer-filter-status').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '已撤销' }).first().click();
  await expect(page.getByTestId(`transfer-status-${first}`)).toHaveCount(0);
  await expect(page.getByTestId(`transfer-status-${second}`)).toBeVisible();
  await shot(page, 'transfers-cancelled');
  const m = await getJson<Member>(page.request, `/api/v1/members/${who!.id}`);
  expect(m.org_id).toBe(FROM);
  await page.context().close();
});

test('永阳镇 transfers a member to a branch of another township (柘塘镇), which receives it from its 转入 tab', async ({ browser }) => {
  interface Hit {
    id: number;
    name: string;
    holds_members: boolean;
    path_names: string[];
  }
  const page = await asUser(browser, 'township');
  // The destination: a branch of 柘塘镇, found by the destination search (whole deployment) —
  // outside the township's own scope.
  const dest = await getJson<{ items: Hit[] }>(page.request, `/api/v1/transfers/destinations?q=${encodeURIComponent('柘塘')}&limit=50`);
  const target = dest.items.find((h) => h.holds_members && h.path_names.length >= 3 && h.path_names[1]!.includes('柘塘'));
  expect(target, 'a branch under 柘塘镇').toBeTruthy();
  expect((await page.request.get(`/api/v1/orgs/${target!.id}`)).status(), 'outside the township scope').toBe(404);
  const members = await getJson<Page_<Member>>(page.request, `/api/v1/members?org=${OTHER}&page_size=50`);
  let who: Member | undefined;
  for (const m of members.items) {
    const open = await getJson<Page_<Transfer>>(page.request, `/api/v1/transfers?member=${m.id}&status=pending`);
    if (open.total === 0 && m.org_id === OTHER) {
      who = m;
      break;
    }
  }
  expect(who, 'a member of the township without a pending transfer').toBeTruthy();

  await page.goto(`/members/${who!.id}`);
  await page.getByTestId('member-transfer').click();
  const dlg = page.getByTestId('transfer-dialog');
  await expect(dlg.getByTestId('transfer-form-to-org-hint')).toBeVisible();
  const to = page.locator('.el-select[data-testid="transfer-form-to-org"]');
  await to.click();
  await to.locator('input').fill(target!.name);
  await page.getByTestId(`org-hit-${target!.id}`).click();
  await expect(dlg.getByTestId('transfer-form-to-org-path')).toHaveText(target!.path_names.join(' / '));
  await dlg.getByTestId('transfer-form-letter').fill(`KX${RUN}`);
  await shot(page, 'transfer-other-township');
  await dlg.getByTestId('transfer-form-submit').click();
  await expect(dlg).toBeHidden();
  const issued = await getJson<Page_<Transfer>>(page.request, `/api/v1/transfers?member=${who!.id}&status=pending`);
  expect(issued.total).toBe(1);
  expect(issued.items[0]!.to_org_id).toBe(target!.id);
  const tid = issued.items[0]!.id;
  await page.context().close();

  // 柘塘镇's secretary: the inbox opens on 转入 with the pending count, and receives it.
  const ctx = await browser.newContext();
  const other = await ctx.newPage();
  const login = await other.request.post('/api/v1/auth/login', { data: { username: 'zhen_zhetang', password: PASSWORD } });
  expect(login.ok(), `login ${login.status()}`).toBeTruthy();
  const me = await getJson<{ user: { roles: { org_id: number }[] } }>(other.request, '/api/v1/me');
  const town = me.user.roles[0]!.org_id;
  const pending = await getJson<Page_<Transfer>>(other.request, `/api/v1/transfers?org=${town}&direction=in&status=pending&page_size=1`);
  expect(pending.total).toBeGreaterThan(0);
  await other.goto('/transfers');
  await expect(other.getByTestId('transfer-tab-in-count')).toHaveText(String(pending.total));
  await expect(other.locator('.el-tabs__item.is-active')).toContainText('转入');
  await expect(other).toHaveURL(/direction=in/);
  await expect(other.getByTestId(`transfer-status-${tid}`)).toHaveText('在途');
  await shot(other, 'transfers-in-badge');
  await other.getByTestId(`transfer-receive-${tid}`).click();
  const act = other.getByTestId('transfer-act-dialog');
  await act.getByTestId('transfer-act-submit').click();
  await expect(act).toBeHidden();
  await expect(other.getByTestId(`transfer-status-${tid}`)).toHaveText('已接收');
  if (pending.total > 1) await expect(other.getByTestId('transfer-tab-in-count')).toHaveText(String(pending.total - 1));
  else await expect(other.getByTestId('transfer-tab-in-count')).toHaveCount(0);
  const moved = await getJson<Member>(other.request, `/api/v1/members/${who!.id}`);
  expect(moved.org_id).toBe(target!.id);
  await ctx.close();
});
