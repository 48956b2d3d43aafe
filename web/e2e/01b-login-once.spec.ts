/**
 * One login attempt per gesture: Enter in the password field, or a double click on the
 * button, sends exactly one POST /api/v1/auth/login (each attempt counts towards the
 * lock-out after five failures and writes an audit row). An unknown user name is used, so
 * no account the other tests need gathers failures.
 */
import { expect, test, type Page } from '@playwright/test';

function countLogins(page: Page): { n: number } {
  const seen = { n: 0 };
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/auth/login') seen.n++;
  });
  return seen;
}

test('Enter in the password field sends one login request', async ({ page }) => {
  await page.goto('/login');
  const seen = countLogins(page);
  await page.getByTestId('login-username').fill('nobody_e2e');
  await page.getByTestId('login-password').fill('Wrong@2004');
  await page.getByTestId('login-password').press('Enter');
  await expect(page.getByTestId('login-error')).toContainText('用户名或密码错误');
  // the answer is on screen, so any second submission of the same key press has been sent
  await expect(page.getByTestId('login-submit')).toBeEnabled();
  expect(seen.n).toBe(1);
});

test('a double click on 登录 sends one login request', async ({ page }) => {
  await page.goto('/login');
  const seen = countLogins(page);
  await page.getByTestId('login-username').fill('nobody_e2e');
  await page.getByTestId('login-password').fill('Wrong@2004');
  await page.getByTestId('login-submit').dblclick();
  await expect(page.getByTestId('login-error')).toContainText('用户名或密码错误');
  await expect(page.getByTestId('login-submit')).toBeEnabled();
  expect(seen.n).toBe(1);
});
