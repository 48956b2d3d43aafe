/**
 * The org picker (issue 11 item 5) as the 永阳镇 secretary (zhen_yongyang):
 * - typing in a form's picker searches (full pinyin, pinyin initials, a Chinese substring):
 *   the hits are what GET /api/v1/orgs/search answers for the same query, each with its path;
 *   on the member form (fit="basic") only orgs that hold members are offered (the demo's
 *   中山社区 general branch and its branches);
 * - picking a hit sets the org and prints its path under the picker (高淳县委 / … style);
 * - a filter picker (fit any) also offers committees, and a search outside the township
 *   answers nothing (scope).
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { authFile, getJson, shot } from './helpers';

test.use({ storageState: authFile('township') });

interface Hit {
  id: number;
  name: string;
  kind: string;
  holds_members: boolean;
  path_names: string[];
}
interface Hits {
  items: Hit[];
  more: boolean;
}

function picker(page: Page, testid: string): Locator {
  return page.locator(`.el-select[data-testid="${testid}"]`);
}

/** Types into a picker and waits for the hit list (the server's answer). */
async function search(page: Page, testid: string, text: string): Promise<Locator> {
  await picker(page, testid).click();
  await picker(page, testid).locator('input').fill(text);
  const hits = page.getByTestId(`${testid}-hits`);
  await expect(hits).toBeVisible();
  await expect(hits).not.toContainText('搜索中');
  return hits;
}

async function hitIds(hits: Locator): Promise<number[]> {
  const ids = await hits.locator('[data-testid^="org-hit-"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-testid')!.slice('org-hit-'.length))));
  return ids;
}

test('the member form picker searches by pinyin and offers only orgs that hold members', async ({ page }) => {
  // 永阳镇 has the 中山社区 (zhongshan) general branch and its branches in the demo.
  const api = await getJson<Hits>(page.request, '/api/v1/orgs/search?q=zhongshan&fit=basic');
  expect(api.items.length, 'the demo township has 中山社区').toBeGreaterThan(0);
  expect(api.items.every((h) => h.holds_members)).toBe(true);
  await page.goto('/members');
  await page.getByTestId('member-create').click();
  const hits = await search(page, 'member-form-org', 'zhongshan');
  expect(await hitIds(hits)).toEqual(api.items.map((h) => h.id));
  const target = api.items[0]!;
  await expect(page.getByTestId(`org-hit-${target.id}`)).toContainText(target.path_names.join(' / '));
  await shot(page, 'org-picker-search');
  await page.getByTestId(`org-hit-${target.id}`).click();
  await expect(page.getByTestId('member-form-org-path')).toHaveText(target.path_names.join(' / '));
  await expect(page.getByTestId('member-form-org-path')).toContainText('永阳');

  // Pinyin initials (中山社区 → zssq): the same answer as the API, each hit fitting the form.
  const initials = await getJson<Hits>(page.request, '/api/v1/orgs/search?q=zssq&fit=basic');
  expect(initials.items.map((h) => h.id)).toContain(target.id);
  const again = await search(page, 'member-form-org', 'zssq');
  expect(await hitIds(again)).toEqual(initials.items.map((h) => h.id));
  // A committee is never offered on a member form.
  const committees = await getJson<Hits>(page.request, '/api/v1/orgs/search?q=%E5%A7%94%E5%91%98%E4%BC%9A');
  const committee = committees.items.find((h) => !h.holds_members);
  expect(committee, 'a committee in the township').toBeTruthy();
  const basic = await search(page, 'member-form-org', '委员会');
  expect(await hitIds(basic)).not.toContain(committee!.id);
});

test('a filter picker offers committees too, and nothing outside the scope', async ({ page }) => {
  await page.goto('/members');
  const api = await getJson<Hits>(page.request, '/api/v1/orgs/search?q=%E6%B0%B8%E9%98%B3');
  expect(api.items.some((h) => !h.holds_members)).toBe(true);
  const hits = await search(page, 'member-org', '永阳');
  expect(await hitIds(hits)).toEqual(api.items.map((h) => h.id));
  // Another township's name: out of scope, nothing found.
  const outside = await search(page, 'member-org', '柘塘');
  await expect(outside.locator('[data-testid^="org-hit-"]')).toHaveCount(0);
  await expect(page.getByTestId('member-org-nomatch')).toBeVisible();
  // Choosing the township's committee filters the list to it.
  const town = api.items.find((h) => !h.holds_members)!;
  await search(page, 'member-org', '永阳');
  await page.getByTestId(`org-hit-${town.id}`).click();
  await expect(page).toHaveURL(new RegExp(`[?&]org=${town.id}(&|$)`));
  await expect(picker(page, 'member-org')).toContainText(town.name);
});
