/**
 * Logs in through the UI as the county admin and as a township secretary, checks who the
 * app says is logged in, and keeps each session for the other tests (one login each keeps
 * well under the server's 20 logins per minute per address).
 */
import { expect, test as setup } from '@playwright/test';
import { authFile, loginUI, USERS } from './helpers';

setup('login as county admin (admin)', async ({ page }) => {
  await loginUI(page, USERS.admin);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('user-name')).toHaveText('县委组织部管理员');
  await expect(page.getByTestId('user-role')).toContainText('中共溧水县委员会');
  await expect(page.getByTestId('menu-audit')).toBeVisible();
  await page.context().storageState({ path: authFile('admin') });
});

setup('login as township secretary (zhen_yongyang)', async ({ page }) => {
  await loginUI(page, USERS.township);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('user-name')).toHaveText('永阳镇党委书记');
  await expect(page.getByTestId('user-role')).toContainText('永阳镇');
  // Township secretaries may not read the audit log.
  await expect(page.getByTestId('menu-orgs')).toBeVisible();
  await expect(page.getByTestId('menu-audit')).toHaveCount(0);
  await page.context().storageState({ path: authFile('township') });
});
