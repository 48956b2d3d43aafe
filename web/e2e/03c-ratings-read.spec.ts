/**
 * 分类定级 on the demo county (read only, before the writes): seed-county has no ratings, so
 * the distribution, the ledger and the rectification list say so plainly — for the county
 * admin and for a township secretary (its own township preselected); the screen's figures
 * equal the API's. The ledger mapping and the chart are covered by src/views/rating/rating.test.ts
 * (the seed-city demo, which has ratings, is not started by these tests).
 */
import { expect, test } from '@playwright/test';
import { authFile, getJson, shot } from './helpers';

interface Dist {
  year: number;
  total: number;
  rows: { tier: string; count: number; percent: number }[];
}

test.describe('ratings as the county admin', () => {
  test.use({ storageState: authFile('admin') });

  test('empty state on the county for 2004, with the five tiers at zero', async ({ page }) => {
    const dist = await getJson<Dist>(page.request, '/api/v1/ratings/distribution?org=1&year=2004');
    expect(dist.total).toBe(0);
    await page.goto('/');
    await page.getByTestId('menu-ratings').click();
    await expect(page).toHaveURL(/\/ratings/);
    await expect(page.getByTestId('rating-heading')).toContainText('2004');
    await expect(page.getByTestId('rating-heading')).toContainText('中共溧水县委员会');
    await expect(page.getByTestId('rating-empty')).toContainText('2004 年度尚无已审定的分类定级结果');
    await expect(page.getByTestId('rating-ledger-table')).toContainText('2004 年度尚无已审定的分类定级结果');
    await expect(page.getByTestId('rating-plan-table')).toContainText('暂无整改方案');
    await expect(page.getByTestId('rating-missing')).toHaveCount(0);
    await expect(page.getByTestId('rating-filter-weak')).toContainText('（0）');
    await expect(page.getByTestId('rating-filter-award')).toContainText('（0）');
    await shot(page, 'ratings-empty');

    // Another year through the URL: still empty, same wording.
    await page.goto('/ratings?org=1&year=2003');
    await expect(page.getByTestId('rating-empty')).toContainText('2003 年度');
  });
});

test.describe('ratings as a township secretary', () => {
  test.use({ storageState: authFile('township') });

  test('the township is preselected and empty too', async ({ page }) => {
    await page.goto('/ratings');
    await expect(page.getByTestId('rating-heading')).toContainText('永阳镇');
    await expect(page.getByTestId('rating-empty')).toBeVisible();
    // The menu groups the roster, transfers and floating members under 党员.
    await expect(page.getByTestId('menu-members-group')).toBeVisible();
    await expect(page.getByTestId('menu-transfers')).toBeVisible();
    await expect(page.getByTestId('menu-floating')).toBeVisible();
  });
});
