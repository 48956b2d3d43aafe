/** The dashboard's figures are the API's summary for the same org and date. */
import { expect, test, type Page } from '@playwright/test';
import { authFile, getJson, shot } from './helpers';

interface Me {
  today: string;
  user: { roles: { org_id: number }[] };
}
interface Summary {
  org_id: number;
  org_name: string;
  as_of: string;
  members: {
    total: number;
    probationary: number;
    full: number;
    female: number;
    minority: number;
    shares: Record<string, { count: number; percent: number }>;
  };
  orgs: { basic: number; committees: number; general_branches: number; branches: number };
  village_cadres: { total: number; secretaries: number; directors: number; dual_role: number };
}

async function compare(page: Page, screenshot?: string): Promise<void> {
  const me = await getJson<Me>(page.request, '/api/v1/me');
  const org = me.user.roles[0]!.org_id;
  // The dashboard opens on the user's first role org and the deployment's "today".
  await page.goto('/');
  const s = await getJson<Summary>(page.request, `/api/v1/stats/summary?org=${org}&as_of=${me.today}`);
  expect(s.org_id).toBe(org);
  await expect(page.getByTestId('home-heading')).toContainText(s.org_name);
  await expect(page.getByTestId('home-heading')).toContainText(me.today);
  expect(s.members.total).toBeGreaterThan(0);
  const expected: Record<string, number> = {
    'stat-members-total': s.members.total,
    'stat-full': s.members.full,
    'stat-probationary': s.members.probationary,
    'stat-female': s.members.female,
    'stat-minority': s.members.minority,
    'stat-orgs-basic': s.orgs.basic,
    'stat-orgs-committees': s.orgs.committees,
    'stat-orgs-general-branches': s.orgs.general_branches,
    'stat-orgs-branches': s.orgs.branches,
    'stat-village-cadres': s.village_cadres.total,
    'stat-village-secretaries': s.village_cadres.secretaries,
    'stat-village-directors': s.village_cadres.directors,
    'stat-village-dual-role': s.village_cadres.dual_role,
  };
  for (const [id, n] of Object.entries(expected)) {
    await expect(page.getByTestId(id), id).toHaveText(String(n));
  }
  await expect(page.getByTestId('stat-female-percent')).toHaveText(
    String(Math.round(s.members.shares.female!.percent * 100) / 100),
  );
  if (screenshot) await shot(page, screenshot);
}

test.describe('as county admin', () => {
  test.use({ storageState: authFile('admin') });
  test('dashboard figures equal /api/v1/stats/summary', async ({ page }) => {
    await compare(page, 'dashboard');
  });
});

test.describe('as township secretary', () => {
  test.use({ storageState: authFile('township') });
  test('dashboard figures equal /api/v1/stats/summary', async ({ page }) => {
    await compare(page);
  });
});
