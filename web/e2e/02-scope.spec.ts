/**
 * A township secretary sees only the township: the org tree holds its subtree alone and
 * the roster lists only members of it, with the same total the API gives that user —
 * fewer than the county admin's.
 */
import { expect, request as pwRequest, test } from '@playwright/test';
import { allOrgs, authFile, getJson, shot, type MemberRow, type Page_ } from './helpers';

test.use({ storageState: authFile('township') });

test('org tree contains only the township', async ({ page }) => {
  const orgs = await allOrgs(page.request);
  const ids = new Set(orgs.map((o) => o.id));
  const tops = orgs.filter((o) => o.parent_id === null || !ids.has(o.parent_id));
  expect(tops.map((o) => o.name)).toEqual(['中共溧水县永阳镇委员会']);
  const top = tops[0]!;
  expect(orgs.every((o) => o.path.startsWith(top.path))).toBe(true);

  await page.goto('/orgs');
  await expect(page.getByTestId('org-name')).toHaveText(top.name);
  // Exactly one root node: the township; its children are open below it.
  const roots = page.locator('[data-testid="org-tree"] > .el-tree-node');
  await expect(roots).toHaveCount(1);
  await expect(roots.first().locator('> .el-tree-node__content [data-testid^="org-node-"]')).toHaveAttribute(
    'data-org-id',
    String(top.id),
  );
  const children = await getJson<{ id: number }[]>(page.request, `/api/v1/orgs/${top.id}/children`);
  await expect(page.locator(`[data-testid="org-node-${children[0]!.id}"]`)).toBeVisible();
  const shown = await page.locator('[data-testid^="org-node-"]').evaluateAll((els) =>
    els.map((e) => Number(e.getAttribute('data-org-id'))),
  );
  expect(shown.length).toBe(children.length + 1);
  for (const id of shown) expect(ids.has(id), `org ${id} in the township`).toBe(true);
  // The tree shows the member count of the township as the API counts it.
  await expect(page.getByTestId(`org-node-${top.id}`)).toHaveAttribute('data-members', String(top.member_count));

  // The search finds orgs of the township only.
  await page.getByTestId('org-search').fill('支部');
  const items = page.locator('[data-testid^="org-search-item-"]');
  await expect(items.first()).toBeVisible();
  const found = await items.evaluateAll((els) =>
    els.map((e) => Number(e.getAttribute('data-testid')!.replace('org-search-item-', ''))),
  );
  for (const id of found) expect(ids.has(id)).toBe(true);
});

test('an org due for re-election is highlighted, with its warnings', async ({ page }) => {
  interface Warning {
    org_id: number;
    org_name: string;
    code: string;
    message: string;
    due: string | null;
  }
  const warnings = await getJson<Warning[]>(page.request, '/api/v1/warnings');
  const w = warnings.find((x) => x.code === 'org.reelection_due_soon');
  expect(w, 'the demo township has a re-election due soon').toBeTruthy();
  // Opened by link (as the dashboard's warnings do): the tree opens down to the org.
  await page.goto(`/orgs?org=${w!.org_id}`);
  await expect(page.getByTestId('org-name')).toHaveText(w!.org_name);
  await expect(page.getByTestId(`org-node-${w!.org_id}`)).toBeVisible();
  await expect(page.locator('.el-tree-node.is-current [data-testid^="org-node-"]')).toHaveAttribute(
    'data-org-id',
    String(w!.org_id),
  );
  const due = page.getByTestId('org-reelection-due');
  await expect(due).toHaveAttribute('data-state', 'soon');
  await expect(due).toContainText(w!.due!);
  await expect(due).toContainText('6个月内到期');
  await page.getByTestId('org-tab-warnings').click();
  const own = warnings.filter((x) => x.org_id === w!.org_id);
  await expect(page.getByTestId('org-warnings').locator('tr.el-table__row')).toHaveCount(own.length);
  await expect(page.getByTestId('org-warnings')).toContainText(w!.message);
  await shot(page, 'org-reelection-due');
});

test('roster lists only township members, with the API total', async ({ page, baseURL }) => {
  const orgs = await allOrgs(page.request);
  const ids = new Set(orgs.map((o) => o.id));
  const mine = await getJson<Page_<MemberRow>>(page.request, '/api/v1/members?page_size=1');

  await page.goto('/members');
  await expect(page.getByTestId('member-total')).toHaveText(String(mine.total));
  await expect(page).toHaveURL(/org=2/);
  await page.getByTestId('member-pagination').locator('.el-select').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '100' }).click();
  await expect(page.locator('[data-testid^="member-org-"]')).toHaveCount(100);
  const orgIds = await page
    .locator('[data-testid^="member-org-"]')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-org-id'))));
  for (const id of orgIds) expect(ids.has(id), `member's org ${id} in the township`).toBe(true);
  await shot(page, 'roster-township');

  // The county admin sees more.
  const admin = await pwRequest.newContext({ baseURL, storageState: authFile('admin') });
  const all = await getJson<Page_<MemberRow>>(admin, '/api/v1/members?page_size=1');
  await admin.dispose();
  expect(mine.total).toBeGreaterThan(0);
  expect(mine.total).toBeLessThan(all.total);
});
