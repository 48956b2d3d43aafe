/**
 * The seed-city demo has its rural party members (seed 002: 76 100 at the end of 2010, 1 338
 * new in 2010, 1 369 village secretaries) and every village branch its committee: as the
 * city's organization department (zuzhibu / Jiceng@2011) the dashboard shows the members,
 * probationary members and village secretaries the summary API gives for "today"; the
 * 2010-12-31 figure is the seed's 76 100; no village branch is flagged for too few full
 * members or a missing committee, on the API or in the 预警 card. Read only.
 */
import { expect, test } from '@playwright/test';
import { CITY_PASSWORD, CITY_URL, shot } from './helpers';

test.use({ baseURL: CITY_URL, storageState: { cookies: [], origins: [] } });

interface Summary {
  members: { total: number; probationary: number };
  village_cadres: { secretaries: number };
}

test('the seed-city dashboard: members from the roster, no thin or committee-less village branch', async ({ page }) => {
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
  const me = await json<{ today: string }>('/api/v1/me');
  const s = await json<Summary>(`/api/v1/stats/summary?org=1&as_of=${me.today}`);
  const end2010 = await json<Summary>('/api/v1/stats/summary?org=1&as_of=2010-12-31');
  expect(end2010.members.total).toBe(76100);
  expect(s.members.total).toBeGreaterThan(end2010.members.total);
  expect(s.members.probationary).toBeGreaterThan(0);
  expect(s.village_cadres.secretaries).toBe(1369);

  for (const [id, n] of Object.entries({
    'stat-members-total': s.members.total,
    'stat-probationary': s.members.probationary,
    'stat-village-secretaries': s.village_cadres.secretaries,
  })) {
    await expect(page.getByTestId(id), id).toHaveText(String(n));
  }

  const warnings = await json<{ code: string }[]>(`/api/v1/warnings?org=1&as_of=${me.today}`);
  const flagged = warnings.filter((w) => w.code === 'org.branch_too_few_full' || w.code === 'org.committee_required');
  expect(flagged).toHaveLength(0);
  await expect(page.getByTestId('warnings')).toBeVisible();
  await expect(page.getByTestId('warnings')).not.toContainText('正式党员仅');
  await expect(page.getByTestId('warnings')).not.toContainText('应选举产生支部委员会');
  await shot(page, 'city-dashboard');
});
