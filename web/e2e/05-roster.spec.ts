/**
 * The roster's controls as the county admin: filters give the API's totals, the export
 * downloads the current view, the column choice survives a reload, and on a phone the
 * table scrolls sideways inside the page.
 */
import { expect, test } from '@playwright/test';
import { authFile, getJson, pick, shot, type MemberRow, type Page_ } from './helpers';

test.use({ storageState: authFile('admin') });

test('filters, sort and export follow the API', async ({ page }) => {
  await page.goto('/members');
  const all = await getJson<Page_<MemberRow>>(page.request, '/api/v1/members?org=1&page_size=1');
  await expect(page.getByTestId('member-total')).toHaveText(String(all.total));
  await shot(page, 'roster');

  await page.getByTestId('member-more-filters').click();
  await pick(page, page.getByTestId('filter-gender'), '女');
  await pick(page, page.getByTestId('filter-ethnicity'), '少数民族（全部）');
  const minorityWomen = await getJson<Page_<MemberRow>>(
    page.request,
    '/api/v1/members?org=1&gender=2&ethnicity=minority&page_size=1',
  );
  await expect(page.getByTestId('member-total')).toHaveText(String(minorityWomen.total));
  expect(minorityWomen.total).toBeGreaterThan(0);
  expect(minorityWomen.total).toBeLessThan(all.total);
  await expect(page).toHaveURL(/gender=2/);
  await expect(page).toHaveURL(/ethnicity=minority/);

  await pick(page, page.getByTestId('filter-village-post'), '任一村干部职务');
  const cadres = await getJson<Page_<MemberRow>>(
    page.request,
    '/api/v1/members?org=1&gender=2&ethnicity=minority&village_post=any&page_size=1',
  );
  await expect(page.getByTestId('member-total')).toHaveText(String(cadres.total));

  // Sorting by name asks the API for sort=name.
  await page.getByTestId('member-reset').click();
  await expect(page.getByTestId('member-total')).toHaveText(String(all.total));
  await page.getByTestId('member-table').locator('th', { hasText: '姓名' }).click();
  await expect(page).toHaveURL(/sort=name/);
  const byName = await getJson<Page_<MemberRow>>(page.request, '/api/v1/members?org=1&sort=name&page_size=20');
  await expect(page.locator('[data-testid^="member-link-"]').first()).toHaveAttribute(
    'data-testid',
    `member-link-${byName.items[0]!.id}`,
  );

  // The export downloads an XLSX of the current view.
  const href = await page.getByTestId('member-export').getAttribute('href');
  expect(href).toBe('/api/v1/members/export.xlsx?org=1&sort=name');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('member-export').click()]);
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
});

test('the column choice is kept across reloads', async ({ page }) => {
  await page.goto('/members');
  const header = page.getByTestId('member-table').locator('thead');
  await expect(header).toContainText('联系电话');
  await expect(header).not.toContainText('职业类别');
  await page.getByTestId('member-columns').click();
  await page.getByTestId('member-column-phone').click();
  await page.getByTestId('member-column-occupation').click();
  await expect(header).not.toContainText('联系电话');
  await expect(header).toContainText('职业类别');
  const saved = await page.evaluate(() => localStorage.getItem('jiceng.members.columns'));
  expect(JSON.parse(saved!)).toContain('occupation');
  await page.reload();
  await expect(page.getByTestId('member-table').locator('thead')).toContainText('职业类别');
  await expect(page.getByTestId('member-table').locator('thead')).not.toContainText('联系电话');
});

test.describe('on a phone (390×844)', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  test('the roster table scrolls sideways within the page', async ({ page }) => {
    await page.goto('/members');
    await expect(page.locator('[data-testid^="member-link-"]').first()).toBeVisible();
    const box = await page.getByTestId('member-table-scroll').evaluate((el) => ({
      client: el.clientWidth,
      scroll: el.querySelector('.el-table')!.scrollWidth,
    }));
    expect(box.client).toBeLessThanOrEqual(390);
    expect(box.scroll).toBeGreaterThan(box.client);
    const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(pageWidth).toBeLessThanOrEqual(390);
    await shot(page, 'roster-phone');
    // Dialogs take the whole screen on a phone.
    await page.getByTestId('member-create').click();
    const dlg = page.getByTestId('member-create-dialog');
    await expect(dlg).toBeVisible();
    const w = await dlg.evaluate((el) => el.getBoundingClientRect().width);
    expect(w).toBeLessThanOrEqual(390);
    await shot(page, 'member-create-phone');
  });
});
