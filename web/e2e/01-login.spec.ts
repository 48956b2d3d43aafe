/** The login screen: a wrong password is refused with the server's Chinese message. */
import { expect, test } from '@playwright/test';
import { loginUI, shot } from './helpers';

test('wrong password shows the Chinese error and stays on the login page', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByTestId('product-name')).toHaveText('基层党建综合管理平台');
  await shot(page, 'login');
  // zuzhibu is not used elsewhere: one failure here cannot lock an account the tests need.
  await loginUI(page, 'zuzhibu', 'Wrong@2004');
  await expect(page.getByTestId('login-error')).toContainText('用户名或密码错误');
  await expect(page).toHaveURL(/\/login/);
  await shot(page, 'login-error');
});

test('pages need a session: the roster sends a stranger to the login page', async ({ page }) => {
  await page.goto('/members');
  await expect(page).toHaveURL(/\/login\?redirect=(%2F|\/)members$/);
});
