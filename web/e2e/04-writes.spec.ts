/**
 * Writes through the UI as the county admin, in order: create an org (client-side checks,
 * server refusal shown as worded), find it; create a member (a wrong ID check digit is
 * caught before sending), find it; record an event; a stale edit shows the conflict
 * message; the audit log lists these writes.
 */
import { expect, test } from '@playwright/test';
import { authFile, fillDate, getJson, idCheck, pick, RUN, shot, type MemberRow, type OrgRow, type Page_ } from './helpers';

test.use({ storageState: authFile('admin') });
test.describe.configure({ mode: 'serial' });

const ORG_NAME = `中共永阳镇E2E测试${RUN}支部委员会`;
const MEMBER_NAME = `测试${RUN}`;
// Born 1980-03-15; the sequence varies per run (a reused server keeps earlier members)
// and is even: female.
const ID17 = `32012419800315${String((Date.now() % 500) * 2).padStart(3, '0')}`;
const ID_OK = ID17 + idCheck(ID17);
const ID_BAD = ID17 + (idCheck(ID17) === '1' ? '2' : '1');

let orgId = 0;
let memberId = 0;

test('create an org through the dialog and find it', async ({ page }) => {
  const parents = await getJson<Page_<OrgRow>>(page.request, `/api/v1/orgs?q=${encodeURIComponent('永阳镇委员会')}`);
  const parent = parents.items.find((o) => o.name === '中共溧水县永阳镇委员会')!;
  await page.goto(`/orgs?org=${parent.id}`);
  await expect(page.getByTestId('org-name')).toHaveText(parent.name);

  await page.getByTestId('org-create-child').click();
  const dlg = page.getByTestId('org-form-dialog');
  await expect(dlg).toBeVisible();
  await dlg.getByTestId('org-form-name').fill(ORG_NAME);
  await dlg.getByTestId('org-form-short-name').fill(`E2E${RUN}支部`);
  await fillDate(dlg.getByTestId('org-form-founded'), '2004-06-01');
  // Client-side checks: a bad credit code check character and a bad region code.
  await dlg.getByTestId('org-form-credit-code').fill('911100006000373410');
  await dlg.getByTestId('org-form-region-code').fill('3201241');
  await dlg.getByTestId('org-form-submit').click();
  await expect(dlg.getByText('统一社会信用代码校验位错误，应为 L')).toBeVisible();
  await expect(dlg.getByText('行政区划代码位数不正确')).toBeVisible();
  await shot(page, 'org-create-dialog');
  await dlg.getByTestId('org-form-credit-code').fill('91110000600037341L');
  await dlg.getByTestId('org-form-region-code').fill('320124100203');
  await dlg.getByTestId('org-form-phone').fill('025-57210000');
  await fillDate(dlg.getByTestId('org-form-term-start'), '2004-06-01');
  await dlg.getByTestId('org-form-submit').click();
  await expect(dlg).toBeHidden();
  await expect(page.getByTestId('org-name')).toHaveText(ORG_NAME);
  await expect(page.getByTestId('org-kind')).toHaveText('党支部');
  await expect(page.getByTestId('org-field')).toHaveText('农村');
  await expect(page.getByTestId('org-credit-code')).toHaveText('91110000600037341L');
  // Term started 2004-06-01: re-election is years away, so it is not highlighted.
  await expect(page.getByTestId('org-reelection-due')).toHaveAttribute('data-state', 'ok');
  orgId = Number(new URL(page.url()).searchParams.get('org'));
  expect(orgId).toBeGreaterThan(0);
  await expect(page.getByTestId(`org-node-${orgId}`)).toBeVisible();

  // The server refuses a second org of the same name under the same parent: its words are shown.
  await page.getByTestId(`org-node-${parent.id}`).click();
  await expect(page.getByTestId('org-name')).toHaveText(parent.name);
  await page.getByTestId('org-create-child').click();
  await dlg.getByTestId('org-form-name').fill(ORG_NAME);
  await fillDate(dlg.getByTestId('org-form-founded'), '2004-06-01');
  await dlg.getByTestId('org-form-submit').click();
  await expect(dlg.getByTestId('org-form-error')).toContainText(`同一上级下已有名为“${ORG_NAME}”的组织`);
  await dlg.getByRole('button', { name: '取消' }).click();

  // Found again through the search box.
  await page.goto('/orgs');
  await page.getByTestId('org-search').fill(`E2E测试${RUN}`);
  await page.getByTestId(`org-search-item-${orgId}`).click();
  await expect(page.getByTestId('org-name')).toHaveText(ORG_NAME);
  await expect(page).toHaveURL(new RegExp(`org=${orgId}`));
  await expect(page.getByTestId(`org-node-${orgId}`)).toBeVisible();
  await page.getByTestId('org-tab-history').click();
  await expect(page.getByTestId('org-events')).toContainText('成立');
  await page.getByTestId('org-tab-committee').click();
  await shot(page, 'org-tree');
});

test('create a member through the dialog: wrong ID check digit is caught, then found', async ({ page }) => {
  expect(orgId).toBeGreaterThan(0);
  await page.goto(`/members?org=${orgId}`);
  await expect(page.getByTestId('member-total')).toHaveText('0');
  await page.getByTestId('member-create').click();
  const dlg = page.getByTestId('member-create-dialog');
  await expect(dlg).toBeVisible();
  await dlg.getByTestId('member-form-name').fill(MEMBER_NAME);
  await dlg.getByTestId('member-form-gender-2').click();
  await fillDate(dlg.getByTestId('member-form-birth-date'), '1980-03-15');
  await dlg.getByTestId('member-form-id-number').fill(ID_BAD);
  await dlg.getByTestId('member-form-id-number').blur();
  await expect(dlg.getByText(`身份证号码校验位错误，应为 ${idCheck(ID17)}`)).toBeVisible();
  // Nothing is sent while the form is invalid.
  await dlg.getByTestId('member-form-submit').click();
  await expect(dlg).toBeVisible();
  await expect(dlg.getByText('请填写学历')).toBeVisible();
  await shot(page, 'member-create-dialog');

  await dlg.getByTestId('member-form-id-number').fill(ID_OK);
  await dlg.getByTestId('member-form-id-number').blur();
  await expect(dlg.getByText('身份证号码校验位错误')).toHaveCount(0);
  await pick(page, dlg.getByTestId('member-form-education'), '大学本科');
  await pick(page, dlg.getByTestId('member-form-occupation'), '专业技术人员');
  await dlg.getByTestId('member-form-phone').fill('13900000001');
  // Joining at 17 is refused on the form (入党须年满十八岁).
  await fillDate(dlg.getByTestId('member-form-join-date'), '1998-03-14');
  await expect(dlg.getByText('入党时须年满十八岁')).toBeVisible();
  await fillDate(dlg.getByTestId('member-form-join-date'), '2003-07-01');
  await fillDate(dlg.getByTestId('member-form-full-date'), '2004-07-01');
  await dlg.getByTestId('member-form-submit').click();
  await expect(dlg).toBeHidden();

  await expect(page).toHaveURL(/\/members\/\d+$/);
  memberId = Number(page.url().split('/').pop());
  await expect(page.getByTestId('member-name')).toHaveText(MEMBER_NAME);
  await expect(page.getByTestId('member-field-gender')).toHaveText('女');
  await expect(page.getByTestId('member-field-education')).toHaveText('大学本科');
  await expect(page.getByTestId('member-field-org')).toHaveText(ORG_NAME);
  await expect(page.getByTestId('member-status')).toHaveText('正式党员');
  await expect(page.getByTestId('member-timeline')).toContainText('接收为预备党员');
  await expect(page.getByTestId('member-timeline')).toContainText('转为正式党员');

  // Found on the roster by name, pinyin-free ID tail and in the org's subtree.
  await page.goto('/members');
  await page.getByTestId('member-search').fill(MEMBER_NAME);
  await page.getByTestId('member-search-submit').click();
  await expect(page.getByTestId('member-total')).toHaveText('1');
  await expect(page.getByTestId(`member-link-${memberId}`)).toHaveText(MEMBER_NAME);
  await page.getByTestId('member-search').fill(ID_OK);
  await page.getByTestId('member-search-submit').click();
  await expect(page.getByTestId(`member-link-${memberId}`)).toBeVisible();
  const api = await getJson<Page_<MemberRow>>(page.request, `/api/v1/members?org=${orgId}`);
  expect(api.items.map((m) => m.id)).toEqual([memberId]);
});

test('record an event; the server refusal is shown, then it is recorded', async ({ page }) => {
  expect(memberId).toBeGreaterThan(0);
  await page.goto(`/members/${memberId}`);
  await page.getByTestId('member-record-event').click();
  const dlg = page.getByTestId('member-event-dialog');
  await pick(page, dlg.getByTestId('member-event-kind'), '外出流动');
  await fillDate(dlg.getByTestId('member-event-date'), '2004-01-01');
  await dlg.getByTestId('member-event-submit').click();
  await expect(dlg.getByTestId('member-event-error')).toContainText('事项日期不能早于最近一次记载的日期 2004-07-01');
  await fillDate(dlg.getByTestId('member-event-date'), '2004-10-01');
  await dlg.getByTestId('member-event-note').fill('赴苏州务工');
  await dlg.getByTestId('member-event-submit').click();
  await expect(dlg).toBeHidden();
  await expect(page.getByTestId('member-field-floating')).toHaveText('是');
  const first = page.locator('[data-testid^="member-event-"][data-kind]').first();
  await expect(first).toHaveAttribute('data-kind', 'floating_out');
  await expect(first).toContainText('外出流动');
  await expect(first).toContainText('赴苏州务工');
});

test('editing a stale record shows the conflict message and offers a reload', async ({ page }) => {
  expect(memberId).toBeGreaterThan(0);
  await page.goto(`/members/${memberId}`);
  await expect(page.getByTestId('member-name')).toHaveText(MEMBER_NAME);
  await page.getByTestId('member-edit').click();
  const dlg = page.getByTestId('member-edit-dialog');
  await expect(dlg).toBeVisible();
  await dlg.getByTestId('member-form-phone').fill('13900000002');

  // Someone else saves first, behind the UI's back.
  const current = await getJson<MemberRow>(page.request, `/api/v1/members/${memberId}`);
  const res = await page.request.patch(`/api/v1/members/${memberId}`, {
    data: { version: current.version, address: '永阳镇E2E路1号' },
  });
  expect(res.status()).toBe(200);

  await dlg.getByTestId('member-form-submit').click();
  await expect(dlg.getByTestId('member-form-error')).toHaveText(/已被他人修改，请刷新/);
  await expect(dlg.getByTestId('member-form-error')).toHaveAttribute('data-conflict', 'true');
  await shot(page, 'member-edit-conflict');

  // Reload brings the other change in; saving again works.
  await dlg.getByTestId('member-form-error-reload').click();
  await expect(dlg.getByTestId('member-form-address')).toHaveValue('永阳镇E2E路1号');
  await expect(dlg.getByTestId('member-form-error')).toHaveCount(0);
  await dlg.getByTestId('member-form-phone').fill('13900000002');
  await dlg.getByTestId('member-form-submit').click();
  await expect(dlg).toBeHidden();
  await expect(page.getByTestId('member-field-phone')).toHaveText('13900000002');
  await expect(page.getByTestId('member-field-address')).toHaveText('永阳镇E2E路1号');
  await expect(page.getByTestId('member-timeline')).toContainText('联系电话：13900000001 → 13900000002');
  await shot(page, 'member-detail');
});

test('committee seat, move and a refused dissolution on the org', async ({ page }) => {
  expect(orgId * memberId).toBeGreaterThan(0);
  await page.goto(`/orgs?org=${orgId}`);
  await expect(page.getByTestId('org-name')).toHaveText(ORG_NAME);

  // A seat held by the new member, then ended.
  await page.getByTestId('seat-add').click();
  const seat = page.getByTestId('seat-add-dialog');
  await seat.getByTestId('seat-add-member').locator('input').fill(MEMBER_NAME);
  await page.getByTestId(`seat-add-member-${memberId}`).click();
  await pick(page, seat.getByTestId('seat-add-role'), '书记');
  await fillDate(seat.getByTestId('seat-add-term-start'), '2004-07-01');
  await seat.getByTestId('seat-add-submit').click();
  await expect(seat).toBeHidden();
  const table = page.getByTestId('committee-table');
  await expect(table.locator('tr.el-table__row')).toHaveCount(1);
  await expect(table).toContainText(MEMBER_NAME);
  await expect(table).toContainText('在任');
  const seatId = await table.locator('[data-testid^="seat-end-"]').first().getAttribute('data-testid');
  await page.getByTestId(seatId!).click();
  const end = page.getByTestId('seat-end-dialog');
  await fillDate(end.getByTestId('seat-end-date'), '2004-12-01');
  await end.getByTestId('seat-end-submit').click();
  await expect(end).toBeHidden();
  await expect(table).toContainText('2004-12-01');
  await expect(table.locator('[data-testid^="seat-end-"]')).toHaveCount(0);

  // Edit: only the changed field is sent, and the history shows it.
  await page.getByTestId('org-edit').click();
  const edit = page.getByTestId('org-form-dialog');
  await expect(edit.getByTestId('org-form-name')).toHaveValue(ORG_NAME);
  await edit.getByTestId('org-form-short-name').fill(`E2E${RUN}党支部`);
  await edit.getByTestId('org-form-submit').click();
  await expect(edit).toBeHidden();
  await expect(page.getByTestId('org-short-name')).toHaveText(`E2E${RUN}党支部`);
  await page.getByTestId('org-tab-history').click();
  await expect(page.getByTestId('org-events')).toContainText(`简称：E2E${RUN}支部 → E2E${RUN}党支部`);

  // Move under another township through the parent picker.
  const target = (await getJson<Page_<OrgRow>>(page.request, `/api/v1/orgs?q=${encodeURIComponent('柘塘镇委员会')}`))
    .items[0]!;
  await page.getByTestId('org-move').click();
  const move = page.getByTestId('org-move-dialog');
  await move.getByTestId('org-move-parent').click();
  const popper = page.locator('.org-picker-popper:visible');
  await popper.locator('.el-tree-node__content', { hasText: '中共溧水县委员会' }).locator('.el-tree-node__expand-icon').click();
  await popper.locator('.el-tree-node__content', { hasText: target.name }).click();
  await fillDate(move.getByTestId('org-move-date'), '2004-12-01');
  await shot(page, 'org-move-dialog');
  await move.getByTestId('org-move-submit').click();
  await expect(move).toBeHidden();
  await expect(page.getByTestId('org-parent')).toHaveText(target.name);
  await expect(page.getByTestId(`org-node-${orgId}`)).toBeVisible();
  const moved = await getJson<OrgRow>(page.request, `/api/v1/orgs/${orgId}`);
  expect(moved.parent_id).toBe(target.id);
  await page.getByTestId('org-tab-history').click();
  await expect(page.getByTestId('org-events')).toContainText('调整隶属关系');

  // Dissolving an org that still has a member is refused, in the server's words.
  await page.getByTestId('org-dissolve').click();
  const dissolve = page.getByTestId('org-dissolve-dialog');
  await fillDate(dissolve.getByTestId('org-dissolve-date'), '2004-12-31');
  await expect(dissolve.getByTestId('org-dissolve-submit')).toBeDisabled();
  await dissolve.getByTestId('org-dissolve-confirm').click();
  await dissolve.getByTestId('org-dissolve-submit').click();
  await expect(dissolve.getByTestId('org-dissolve-error')).toContainText('该组织仍有 1 名党员，须先转出或调整');
  await shot(page, 'org-dissolve-refused');
  await dissolve.getByRole('button', { name: '取消' }).click();
  await expect(page.getByTestId('org-dissolved-tag')).toHaveCount(0);
});

test('the audit log lists the writes just made', async ({ page }) => {
  expect(orgId * memberId).toBeGreaterThan(0);
  await page.goto('/audit');
  const table = page.getByTestId('audit-table');
  const row = (action: string, id: number) =>
    table.locator('tr.el-table__row', { has: page.locator(`[data-action="${action}"]`) }).filter({
      has: page.locator('td', { hasText: new RegExp(`^${id}$`) }),
    });
  await expect(row('org.create', orgId)).toHaveCount(1);
  await expect(row('member.create', memberId)).toHaveCount(1);
  await expect(row('member.event', memberId)).toHaveCount(1);
  await expect(row('member.update', memberId)).toHaveCount(2);
  await expect(row('org.move', orgId)).toHaveCount(1);
  await expect(row('org.update', orgId)).toHaveCount(1);
  await expect(table.locator('[data-action="org.seat_add"]').first()).toBeVisible();
  await expect(table.locator('[data-action="org.seat_end"]').first()).toBeVisible();
  await expect(row('org.create', orgId)).toContainText('admin');
  await expect(row('org.create', orgId)).toContainText('成立党组织');
  await shot(page, 'audit');
});
