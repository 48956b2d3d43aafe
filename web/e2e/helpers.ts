/** Shared bits of the browser tests: accounts, logins, screenshots, form helpers. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';

const here = path.dirname(fileURLToPath(import.meta.url));

/** ../test-output/screenshots relative to web/, i.e. test-output/screenshots at the repo root. */
export const SCREENSHOTS = path.resolve(here, '../../test-output/screenshots');

export const PASSWORD = 'Jiceng@2004';
export const USERS = {
  admin: 'admin',
  township: 'zhen_yongyang',
} as const;
export type UserKey = keyof typeof USERS;

/** Saved browser state (session cookie) of a logged-in user, written by auth.setup.ts. Keyed by
 * the server's port: two runs side by side (each on its own free ports) must not overwrite each
 * other's sessions — a cookie from another server is a 401 here. */
export function authFile(user: UserKey): string {
  const port = process.env.E2E_PORT ?? 'default';
  return path.join(here, '.auth', `${port}-${user}.json`);
}

/** Logs in through the login screen and waits for the dashboard. */
export async function loginUI(page: Page, username: string, password: string = PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** Screenshot after running transitions (dialog fade-ins, tab bars) have finished. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() =>
    Promise.race([
      Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))),
      new Promise((resolve) => setTimeout(resolve, 1500)),
    ]),
  );
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Types a YYYY-MM-DD date into a date field (the testid is on the wrapper of an Element
 * Plus date picker) and confirms it.
 */
export async function fillDate(field: Locator, value: string): Promise<void> {
  const input = field.locator('input');
  await input.click();
  await input.fill(value);
  await input.press('Enter');
  await expect(input).toHaveValue(value);
}

/** Opens an Element Plus select and picks the option with this exact label. */
export async function pick(page: Page, select: Locator, label: string): Promise<void> {
  await select.click();
  const option = page.locator('.el-select-dropdown__item:visible', { hasText: label }).filter({
    has: page.locator(`text="${label}"`),
  });
  await option.first().click();
}

/** GET JSON with the page's session (same cookies as the UI). */
export async function getJson<T>(request: APIRequestContext, url: string): Promise<T> {
  const res = await request.get(url);
  expect(res.ok(), `${url} → ${res.status()}`).toBeTruthy();
  return (await res.json()) as T;
}

export interface OrgRow {
  id: number;
  parent_id: number | null;
  path: string;
  name: string;
  kind: string;
  version: number;
  member_count?: number | null;
  child_count?: number | null;
}
export interface MemberRow {
  id: number;
  name: string;
  org_id: number | null;
  org_name: string | null;
  version: number;
  phone: string | null;
  id_number: string | null;
  id_masked: boolean;
}
export interface Page_<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

/** Every org the session may see (all pages of GET /api/v1/orgs). */
export async function allOrgs(request: APIRequestContext): Promise<OrgRow[]> {
  const out: OrgRow[] = [];
  for (let page = 1; ; page++) {
    const p = await getJson<Page_<OrgRow>>(request, `/api/v1/orgs?page=${page}&page_size=500`);
    out.push(...p.items);
    if (out.length >= p.total || p.items.length === 0) return out;
  }
}

/** Computes a valid GB 11643 check character for 17 digits. */
export function idCheck(first17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i]!;
  return '10X98765432'[s % 11]!;
}

/** A unique suffix for names created by this run (tests may run against a reused server). */
export const RUN = Date.now().toString(36).slice(-5);

/** The second server (seed-city demo: ratings of 2011 and 2012), see playwright.config.ts. */
export const CITY_URL = `http://127.0.0.1:${process.env.E2E_CITY_PORT ?? Number(process.env.E2E_PORT) + 1}`;
export const CITY_PASSWORD = 'Jiceng@2011';

/** The third server (a fresh `jiceng init` deployment, real "today"), see playwright.config.ts. */
export const INIT_URL = `http://127.0.0.1:${process.env.E2E_INIT_PORT ?? Number(process.env.E2E_PORT) + 2}`;
/** The first admin's password there (start-server.sh's E2E_INIT_PASSWORD default). */
export const INIT_PASSWORD = process.env.E2E_INIT_PASSWORD ?? 'Jiceng@2026';
