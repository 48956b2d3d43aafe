/**
 * Writes on the 两新组织 and 规则与日历 screens as the county admin:
 * - register a unit (client checks: party members not more than employees, a covering org
 *   for a joint org), find it with the rule its coverage breaks; change its coverage to a
 *   liaison (the effective date is asked for), then to a joint org covered by a basic org;
 * - add a local rule overlay (in force from 2030, so the 2004 data is untouched): a central
 *   key overridden and a local rule added, after the client caught a ratio for a month count
 *   and a local rule without its source;
 * - add a calendar year after the last one (a make-up day on a weekday is caught) and see an
 *   unpublished year with holidays refused before sending.
 */
import { expect, test, type Page } from '@playwright/test';
import { authFile, fillDate, getJson, pick, RUN, shot, type Page_ } from './helpers';

test.use({ storageState: authFile('admin') });
test.describe.configure({ mode: 'serial' });

interface Unit {
  id: number;
  name: string;
  coverage: string;
  covering_org_id: number | null;
  covering_org_name: string | null;
  liaison: string | null;
  warnings: { code: string; message: string }[];
}
interface Coverage {
  rows: { kind: string; registered: number }[];
}

const UNIT = `E2E两新${RUN}科技有限公司`;
/** A fresh demo database (a reused one holds the units of earlier runs, with the same dates). */
const SEED = process.env.E2E_REUSE_SERVER !== '1';

function input(page: Page, testid: string) {
  return page.locator(`[data-testid="${testid}"] input, input[data-testid="${testid}"]`).first();
}

let unitId = 0;

test('register a 两新组织 unit; client checks; it shows the rule its coverage breaks', async ({ page }) => {
  const before = await getJson<Coverage>(page.request, '/api/v1/stats/coverage');
  await page.goto('/new-orgs');
  await page.getByTestId('new-org-create').click();
  const dlg = page.getByTestId('new-org-create-dialog');
  await expect(dlg).toBeVisible();
  await dlg.getByTestId('new-org-form-name').fill(UNIT);
  await dlg.getByTestId('new-org-form-industry').fill('软件和信息技术服务业');
  await input(page, 'new-org-form-headcount').fill('10');
  await input(page, 'new-org-form-full').fill('12');
  await dlg.getByTestId('new-org-form-coverage-joint').click();
  await fillDate(dlg.getByTestId('new-org-form-registered'), '2004-06-01');
  await dlg.getByTestId('new-org-form-submit').click();
  await expect(dlg.getByText('党员人数不能多于从业人员数').first()).toBeVisible();
  await expect(dlg.getByText('单独或联合建立党组织时，须选择覆盖它的党组织')).toBeVisible();
  await shot(page, 'new-org-create-dialog');
  await input(page, 'new-org-form-full').fill('4');
  await dlg.getByTestId('new-org-form-coverage-none').click();
  await dlg.getByTestId('new-org-form-submit').click();
  await expect(dlg).toBeHidden();

  await page.getByTestId('new-org-search').fill(UNIT);
  await page.getByTestId('new-org-search-submit').click();
  await expect(page.getByTestId('new-org-total')).toHaveText('1');
  const found = await getJson<Page_<Unit>>(page.request, `/api/v1/new-orgs?q=${encodeURIComponent(UNIT)}`);
  unitId = found.items[0]!.id;
  await expect(page.getByTestId(`new-org-name-${unitId}`)).toHaveText(UNIT);
  await expect(page.getByTestId(`new-org-coverage-${unitId}`)).toHaveText('未覆盖');
  // 4 full members and no org of its own: the warning, in the server's words.
  await expect(page.getByTestId(`new-org-warning-${unitId}`)).toHaveAttribute('data-code', 'new_org.should_have_own_org');
  await expect(page.getByTestId(`new-org-warning-${unitId}`)).toContainText('应单独建立党组织');
  // One more unit registered on the county's cards.
  const after = await getJson<Coverage>(page.request, '/api/v1/stats/coverage');
  const total = (c: Coverage) => c.rows.find((r) => r.kind === 'total')!.registered;
  expect(total(after)).toBe(total(before) + 1);
  await expect(page.getByTestId('cov-registered')).toHaveText(String(total(after)));
});

test('change the coverage: a liaison (effective date asked for), then a joint org', async ({ page }) => {
  expect(unitId).toBeGreaterThan(0);
  await page.goto(`/new-orgs?q=${encodeURIComponent(UNIT)}`);
  await page.getByTestId(`new-org-edit-${unitId}`).click();
  const dlg = page.getByTestId('new-org-edit-dialog');
  await expect(dlg).toBeVisible();
  await dlg.getByTestId('new-org-form-coverage-liaison').click();
  await dlg.getByTestId('new-org-form-liaison').fill('王建华');
  await expect(dlg.getByTestId('new-org-form-effective')).toBeVisible();
  await dlg.getByTestId('new-org-form-submit').click();
  await expect(dlg.getByText('变更覆盖方式须填写生效日期')).toBeVisible();
  await fillDate(dlg.getByTestId('new-org-form-effective'), '2004-10-01');
  await dlg.getByTestId('new-org-form-submit').click();
  await expect(dlg).toBeHidden();
  await expect(page.getByTestId(`new-org-coverage-${unitId}`)).toHaveText('选派党建指导员/联络员');
  await expect(page.getByTestId('new-org-table')).toContainText('指导员/联络员：王建华');

  // A joint org: the covering org among the basic orgs, found by name.
  const orgs = await getJson<Page_<{ id: number; name: string; kind: string }>>(
    page.request,
    `/api/v1/orgs?q=${encodeURIComponent('永阳镇委员会')}`,
  );
  const covering = orgs.items.find((o) => o.name === '中共溧水县永阳镇委员会')!;
  await page.getByTestId(`new-org-edit-${unitId}`).click();
  await dlg.getByTestId('new-org-form-coverage-joint').click();
  await input(page, 'new-org-form-covering').fill('永阳镇委员会');
  await page.getByTestId(`covering-option-${covering.id}`).click();
  await fillDate(dlg.getByTestId('new-org-form-effective'), '2004-11-01');
  await shot(page, 'new-org-edit-dialog');
  await dlg.getByTestId('new-org-form-submit').click();
  await expect(dlg).toBeHidden();
  await expect(page.getByTestId(`new-org-coverage-${unitId}`)).toHaveText('联合建立党组织');
  await expect(page.getByTestId('new-org-table')).toContainText(covering.name);
  const u = await getJson<Unit>(page.request, `/api/v1/new-orgs/${unitId}`);
  expect(u.coverage).toBe('joint');
  expect(u.covering_org_id).toBe(covering.id);
  // Covered on 2004-11-30, only a liaison on 2004-10-15: the county's joint count follows the date.
  const oct = await getJson<{ rows: { kind: string; joint: number; liaison: number }[] }>(page.request, '/api/v1/stats/coverage?as_of=2004-10-15');
  const nov = await getJson<{ rows: { kind: string; joint: number; liaison: number }[] }>(page.request, '/api/v1/stats/coverage?as_of=2004-11-30');
  const row = (c: { rows: { kind: string; joint: number; liaison: number }[] }) => c.rows.find((r) => r.kind === 'total')!;
  if (SEED) {
    expect(row(nov).joint).toBe(row(oct).joint + 1);
    expect(row(nov).liaison).toBe(row(oct).liaison - 1);
  }
});

test('add a local rule overlay: a central key overridden, a local rule added', async ({ page }) => {
  const code = `county.e2e${RUN}.development`;
  await page.goto('/system/rules?tab=overlays');
  await page.getByTestId('rules-overlay-add').click();
  const dlg = page.getByTestId('overlay-dialog');
  await expect(dlg).toBeVisible();
  await dlg.getByTestId('overlay-code').fill(code);
  await dlg.getByTestId('overlay-name').fill('E2E 发展党员补充规定');
  await fillDate(dlg.getByTestId('overlay-effective'), '2030-01-01');
  await dlg.getByTestId('overlay-document').fill(`溧组发〔2029〕${RUN}号`);
  // Row 1 overrides the central 公示 period: its unit is the central one.
  await pick(page, dlg.getByTestId('overlay-row-key-0'), 'development.notice_working_days');
  await expect(dlg.getByTestId('overlay-row-central-0')).toContainText('覆盖中央规则：5 个工作日');
  await dlg.getByTestId('overlay-row-value-0').fill('7');
  await dlg.getByTestId('overlay-row-source-0').fill('第三条');
  // Row 2 adds a local rule.
  await dlg.getByTestId('overlay-add-row').click();
  await dlg.getByTestId('overlay-row-key-1').click();
  await input(page, 'overlay-row-key-1').fill('local.development.activist_min_months');
  await input(page, 'overlay-row-key-1').press('Enter');
  await dlg.getByTestId('overlay-row-value-1').fill('1/2');
  await pick(page, dlg.getByTestId('overlay-row-unit-1'), '个月');
  await dlg.getByTestId('overlay-submit').click();
  await expect(dlg.getByText('规则参数 local.development.activist_min_months 的取值与单位不符')).toBeVisible();
  await expect(dlg.getByText('地方规则须写明依据条款')).toBeVisible();
  await dlg.getByTestId('overlay-row-value-1').fill('6');
  await dlg.getByTestId('overlay-row-source-1').fill('第二条');
  await shot(page, 'rules-overlay-dialog');
  await dlg.getByTestId('overlay-submit').click();
  await expect(dlg).toBeHidden();

  await expect(page.getByTestId(`rules-overlay-${code}`)).toHaveText(code);
  const all = await getJson<{ code: string; params: { key: string; value: number }[]; added_rules: { key: string; value: number; unit: string }[] }[]>(
    page.request,
    '/api/v1/rules/overlays',
  );
  const o = all.find((x) => x.code === code)!;
  expect(o.params).toEqual([{ key: 'development.notice_working_days', value: 7, note: '第三条' }]);
  expect(o.added_rules.map((a) => [a.key, a.value, a.unit])).toEqual([['local.development.activist_min_months', 6, 'months']]);
  // The row expands to what it overrides and adds.
  await page.getByTestId(`rules-overlay-${code}`).locator('xpath=ancestor::tr').locator('.el-table__expand-icon').click();
  const rows = page.getByTestId(`rules-overlay-rows-${code}`);
  await expect(rows).toContainText('development.notice_working_days');
  await expect(rows).toContainText('中央规定 5');
  await expect(rows).toContainText('local.development.activist_min_months');
  await shot(page, 'rules-overlays');
});

test('add a calendar year; a make-up day on a weekday and an unpublished year with holidays are caught', async ({ page }) => {
  const years = await getJson<{ year: number }[]>(page.request, '/api/v1/calendar/years');
  let year = 2028;
  while (years.some((y) => y.year === year)) year++;
  // A Saturday in late September of that year, and a Monday.
  const sept = new Date(Date.UTC(year, 8, 30));
  const saturday = new Date(sept.getTime() - ((sept.getUTCDay() + 1) % 7) * 86_400_000).toISOString().slice(0, 10);
  const monday = new Date(Date.UTC(year, 8, 30 - ((sept.getUTCDay() + 6) % 7))).toISOString().slice(0, 10);

  await page.goto('/system/rules?tab=calendar');
  await page.getByTestId('calendar-add').click();
  const dlg = page.getByTestId('calendar-dialog');
  await expect(dlg).toBeVisible();
  await input(page, 'calendar-year').fill(String(year));
  await dlg.getByTestId('calendar-source').fill(`国务院办公厅关于${year}年部分节假日安排的通知（E2E ${RUN}）`);
  await dlg.getByTestId('calendar-add-holiday').click();
  await dlg.getByTestId('calendar-holiday-name-0').fill('国庆节');
  await fillDate(dlg.getByTestId('calendar-holiday-first-0'), `${year}-10-01`);
  await fillDate(dlg.getByTestId('calendar-holiday-last-0'), `${year}-10-07`);
  await dlg.getByTestId('calendar-add-makeup').click();
  await dlg.getByTestId('calendar-makeup-name-0').fill('国庆节');
  await fillDate(dlg.getByTestId('calendar-makeup-date-0'), monday);
  await dlg.getByTestId('calendar-submit').click();
  await expect(dlg.getByText(`调休上班日 ${monday} 不是周六或周日`)).toBeVisible();
  await fillDate(dlg.getByTestId('calendar-makeup-date-0'), saturday);
  await shot(page, 'rules-calendar-dialog');
  await dlg.getByTestId('calendar-submit').click();
  await expect(dlg).toBeHidden();
  await expect(page.getByTestId(`calendar-year-${year}`)).toBeVisible();
  await expect(page.getByTestId(`calendar-status-${year}`)).toHaveText('已发布');
  await expect(page.getByTestId(`calendar-summary-${year}`)).toHaveText('放假 7 天 · 调休 1 天');
  // The working days follow: 5 working days after 30 September end after the holiday.
  const add = await getJson<{ date: string; warning: string | null }>(page.request, `/api/v1/calendar/add?from=${year}-09-30&working_days=1`);
  expect(add.date >= `${year}-10-08`).toBe(true);

  // Marked unpublished while holidays are listed: refused before sending, in the server's words.
  await page.getByTestId(`calendar-edit-${year}`).click();
  await dlg.getByTestId('calendar-published').click();
  await dlg.getByTestId('calendar-submit').click();
  await expect(dlg.getByTestId('calendar-holidays-error')).toHaveText(`${year}年节假日安排标记为尚未发布，不能含放假或调休日期`);
  await dlg.getByRole('button', { name: '取消' }).click();
  await expect(dlg).toBeHidden();
});
