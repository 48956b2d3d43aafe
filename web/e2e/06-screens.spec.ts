/** Screens not covered elsewhere, photographed for review: change password, org tree on a phone. */
import { expect, test } from '@playwright/test';
import { authFile, shot } from './helpers';

test.use({ storageState: authFile('township') });

test('change password screen', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('user-menu').click();
  await page.getByTestId('menu-change-password').click();
  await expect(page).toHaveURL(/\/password$/);
  await expect(page.getByTestId('password-old')).toBeVisible();
  await shot(page, 'change-password');
});

test.describe('on a phone (390×844)', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  test('org tree and member detail', async ({ page }) => {
    await page.goto('/orgs');
    await expect(page.getByTestId('org-name')).toHaveText('中共溧水县永阳镇委员会');
    await shot(page, 'org-tree-phone');
    await page.goto('/members');
    await page.locator('[data-testid^="member-link-"]').first().click();
    await expect(page.getByTestId('member-name')).toBeVisible();
    await shot(page, 'member-detail-phone');
  });
});
