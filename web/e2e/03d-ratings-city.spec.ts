/**
 * 分类定级 with data: a second server runs the seed-city demo (吉林市, 1383 villages rated in
 * 2011 and 2012, "today" 2014-01-31; see playwright.config.ts). As the city's organization
 * department (zuzhibu / Jiceng@2011), 定级台账 opens on the latest year published in full
 * (2012): the 2012 distribution's counts and percentages equal the
 * API's; the ledger's 升级晋位 and 后进 filters count what the API marks (award for two tiers
 * up, weak tiers) and show the ↑ steps and tags; the weak orgs without a rectification plan
 * are listed. Read only.
 */
import { expect, test } from '@playwright/test';
import { CITY_PASSWORD, CITY_URL, shot } from './helpers';

test.use({ baseURL: CITY_URL, storageState: { cookies: [], origins: [] } });

interface Dist {
  total: number;
  rows: { tier: string; count: number; percent: number }[];
}
interface Ledger {
  org_id: number;
  tier: string;
  last_tier?: string | null;
  movement?: number | null;
  award: boolean;
  weak: boolean;
}

test('the seed-city 2012 ratings: distribution, movement from 2011, ledger filters, plans missing', async ({ page }) => {
  await page.goto('/login');
  await page.getByTestId('login-username').fill('zuzhibu');
  await page.getByTestId('login-password').fill(CITY_PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(`${CITY_URL}/`);

  const json = async <T>(url: string): Promise<T> => {
    const r = await page.request.get(url, { headers: { 'X-Requested-With': 'jiceng' } });
    expect(r.ok(), url).toBeTruthy();
    return (await r.json()) as T;
  };
  const dist = await json<Dist>('/api/v1/ratings/distribution?org=1&year=2012');
  const ledger = await json<Ledger[]>('/api/v1/ratings/ledger?org=1&year=2012');
  const plans = await json<{ plans: unknown[]; missing: unknown[] }>('/api/v1/ratings/rectifications?org=1&year=2012');
  expect(dist.total).toBeGreaterThan(0);

  await page.getByTestId('menu-ratings').click();
  await expect(page.getByTestId('rating-heading')).toContainText('2012');
  await expect(page.getByTestId('rating-empty')).toHaveCount(0);
  await expect(page.getByTestId('rating-distribution')).toContainText(`已审定 ${dist.total} 个`);
  for (const [i, r] of dist.rows.entries()) {
    await expect(page.getByTestId(`rating-dist-count-${i}`)).toHaveText(String(r.count));
    await expect(page.getByTestId(`rating-dist-percent-${i}`)).toHaveText(`${r.percent}%`);
  }

  // 档次变化 2011 → 2012: every cell of last year × this year, counted here from the ledger.
  const tiers = dist.rows.map((r) => r.tier);
  const from: (string | null)[] = [...tiers, null];
  for (const [i, f] of from.entries()) {
    for (const [j, tier] of tiers.entries()) {
      const n = ledger.filter((r) => (r.last_tier ?? null) === f && r.tier === tier).length;
      await expect(page.getByTestId(`rating-moves-${i}-${j}`)).toHaveText(String(n));
    }
  }
  const moved = (sign: number) => ledger.filter((r) => r.last_tier && Math.sign(r.movement ?? 0) === sign).length;
  await expect(page.getByTestId('rating-moves')).toContainText(`升级 ${moved(1)} 个，持平 ${moved(0)} 个，降级 ${moved(-1)} 个`);
  expect(moved(1) + moved(-1)).toBeGreaterThan(0);

  const awards = ledger.filter((r) => r.award);
  const weak = ledger.filter((r) => r.weak);
  await expect(page.getByTestId('rating-filter-all')).toContainText(`（${ledger.length}）`);
  await expect(page.getByTestId('rating-filter-award')).toContainText(`（${awards.length}）`);
  await expect(page.getByTestId('rating-filter-weak')).toContainText(`（${weak.length}）`);
  await shot(page, 'ratings-city');

  await page.getByTestId('rating-filter-award').click();
  const a = awards[0]!;
  await expect(page.getByTestId(`rating-award-${a.org_id}`)).toBeVisible();
  await expect(page.getByTestId(`rating-move-${a.org_id}`)).toHaveText(`↑${a.movement}`);
  await expect(page.getByTestId('rating-ledger-table').locator('tbody tr')).toHaveCount(Math.min(50, awards.length));

  await page.getByTestId('rating-filter-weak').click();
  const w = weak[0]!;
  await expect(page.getByTestId(`rating-weak-${w.org_id}`)).toBeVisible();
  await expect(page.getByTestId(`rating-tier-${w.org_id}`)).toHaveText(w.tier);
  await expect(page).toHaveURL(/filter=weak/);

  if (plans.missing.length) {
    await expect(page.getByTestId('rating-missing')).toContainText(`${plans.missing.length} 个后进党组织尚未制定整改方案`);
  }
  await shot(page, 'ratings-city-weak');
});
