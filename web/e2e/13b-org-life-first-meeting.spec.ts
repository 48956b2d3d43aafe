/**
 * Issue 11 (自行脱党 false positive) in the browser, as the county admin: a branch outside
 * 永阳镇 that has never recorded org life records its first-ever meeting, a 支部党员大会 on
 * 2004-12-08, with one member absent. On 2004-12-31 that member is NOT proposed (the branch
 * held no org life in July–November: no evidence against him); the branch is flagged on the
 * 预警提醒 screen instead, and the alert leads to the branch's meetings.
 */
import { expect, test } from '@playwright/test';
import { allOrgs, authFile, fillDate, getJson, pick, shot } from './helpers';

test.use({ storageState: authFile('admin') });
test.describe.configure({ mode: 'serial' });

interface Proposals {
  as_of: string;
  cadence_months: number;
  basis: string;
  items: { member_id: number; grounds: { code: string }[] }[];
  branches_short: { org_id: number; empty: string[]; held: number; text: string }[];
}

test('one absence at a branch’s first-ever meeting proposes nobody; the branch is flagged', async ({ page }) => {
  // A branch with members and no meeting recorded yet.
  const orgs = await allOrgs(page.request);
  let branch = 0;
  for (const o of orgs.filter((o) => o.kind === 'branch' && (o.member_count ?? 0) >= 3)) {
    const held = await getJson<unknown[]>(page.request, `/api/v1/org-life/meetings?org=${o.id}`);
    if (held.length === 0) {
      branch = o.id;
      break;
    }
  }
  expect(branch, 'a branch without org-life records').toBeGreaterThan(0);

  await page.goto(`/org-life?org=${branch}&tab=meetings`);
  await expect(page.getByTestId('meetings-table')).toBeVisible();
  await page.getByTestId('meeting-new').click();
  const dlg = page.getByTestId('meeting-dialog');
  const first = dlg.locator('[data-testid^="meeting-att-"]').first();
  await expect(first).toBeVisible();
  const absent = Number((await first.getAttribute('data-testid'))!.slice('meeting-att-'.length));
  const listed = Number(await dlg.getByTestId('meeting-form-total').getAttribute('data-total'));
  await pick(page, dlg.getByTestId('meeting-form-kind'), '支部党员大会');
  await fillDate(dlg.getByTestId('meeting-form-date'), '2004-12-08');
  await dlg.locator('[data-testid="meeting-form-topic"] input, input[data-testid="meeting-form-topic"]').first().fill('第四季度党员大会');
  await first.getByText('缺席').click();
  await expect(dlg.getByTestId('meeting-form-counts')).toHaveText(`出席 ${listed - 1} 人，请假 0 人，缺席 1 人`);
  await dlg.getByTestId('meeting-form-submit').click();
  await expect(dlg).toBeHidden();

  // The server: no proposal, the branch short of five months of org life.
  const p = await getJson<Proposals>(page.request, `/api/v1/org-life/self-withdrawal?org=${branch}`);
  expect(p.as_of).toBe('2004-12-31');
  expect(p.items.map((i) => i.member_id)).not.toContain(absent);
  expect(p.items).toHaveLength(0);
  expect(p.cadence_months).toBe(1);
  const short = p.branches_short.find((b) => b.org_id === branch);
  expect(short?.held).toBe(1);
  expect(short?.empty).toEqual([
    '2004-07-01 至 2004-07-31',
    '2004-08-01 至 2004-08-31',
    '2004-09-01 至 2004-09-30',
    '2004-10-01 至 2004-10-31',
    '2004-11-01 至 2004-11-30',
  ]);

  // The 自行脱党处置 tab shows no proposal.
  await page.goto(`/org-life?org=${branch}&tab=lapse`);
  await expect(page.getByTestId('lapse-total')).toHaveText('0');
  await expect(page.getByTestId(`lapse-ground-${absent}-org_life`)).toHaveCount(0);
  await shot(page, 'org-life-first-meeting-no-proposal');

  // The 预警提醒 screen shows the branch's failure and leads to its meetings.
  const alerts = await getJson<{ area: string; code: string; subject_id: number; message: string }[]>(
    page.request,
    `/api/v1/alerts?org=${branch}&days=30`,
  );
  const lapse = alerts.filter((a) => a.area === 'org_life');
  expect(lapse.map((a) => [a.code, a.subject_id])).toEqual([['org_life.branch_short', branch]]);
  await page.goto(`/alerts?org=${branch}&days=30`);
  await expect(page.getByTestId('alerts-count-org_life')).toHaveText('1');
  await page.getByTestId('alerts-area-org_life').click();
  await expect(page.getByTestId('alerts-table')).toContainText('不作为自行脱党的依据');
  await expect(page.getByTestId('alerts-table')).toContainText('2004-07-01 至 2004-07-31');
  await shot(page, 'alerts-branch-short');
  await page.getByTestId(`alert-org_life-${branch}`).click();
  await expect(page).toHaveURL(new RegExp(`/org-life\\?.*org=${branch}`));
  await expect(page).toHaveURL(/tab=meetings/);
});
