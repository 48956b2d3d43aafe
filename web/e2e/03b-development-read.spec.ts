/**
 * Read-only checks of the 发展党员, 两新组织 and 规则与日历 screens against the API (before
 * 04-writes and 08-development, which change the data): the board's counts per stage and a
 * click through to the list of a stage; the 发展党员统计 of 2004 (= API); the due list with the candidates awaiting approval
 * (the seed county has 25 of them, overdue since early 2004); a person's page; the
 * coverage figures and table; the central rules and the calendar; and the scope of a
 * village branch secretary (only the branch's people, no 规则与日历).
 *
 * With a fresh demo database the seed figures are checked too (299 people in the pipeline,
 * 25 approvals overdue); with a reused server (E2E_REUSE_SERVER=1) only screen = API.
 */
import { expect, test } from '@playwright/test';
import { authFile, getJson, loginUI, shot, type Page_ } from './helpers';

const SEED = process.env.E2E_REUSE_SERVER !== '1';

interface Me {
  today: string;
  user: { roles: { org_id: number; org_name: string; path: string }[] };
}
interface BoardColumn {
  stage: string;
  label: string;
  count: number;
}
interface DueRow {
  person_id: number;
  name: string;
  org_name: string;
  stage_label: string;
  due: { step: string; label: string; date: string; kind: string; source: string; overdue: boolean };
}
interface Person {
  id: number;
  org_id: number;
  org_name: string;
  name: string;
  stage: string;
  stage_label: string;
  steps: { kind: string; date: string }[];
  due: DueRow['due'][];
}
interface CoverageRow {
  kind: string;
  label: string;
  registered: number;
  own: number;
  joint: number;
  liaison: number;
  none: number;
  org_rate: number;
  work_rate: number;
  above_scale: number;
  above_scale_covered: number;
  above_scale_rate: number;
  members: number;
}
interface Coverage {
  as_of: string;
  org_id: number;
  org_name: string;
  rows: CoverageRow[];
  warned: number;
}

/** The server's rounded percentage as the UI prints it (no trailing zeros). */
const pct = (n: number) => String(Math.round(n * 100) / 100);

test.describe('as county admin', () => {
  test.use({ storageState: authFile('admin') });

  test('发展党员统计 of 2004 equals the API (the 年报 computation)', async ({ page }) => {
    const me = await getJson<Me>(page.request, '/api/v1/me');
    const top = me.user.roles[0]!;
    const s = await getJson<{
      new_members: [string, number][];
      by_occupation: [string, number][];
      converted: number;
      extended: number;
      cancelled: number;
      on_time_rate: number;
      pipeline: BoardColumn[];
    }>(page.request, `/api/v1/development/stats?org=${top.org_id}&year=2004`);
    await page.goto('/development');
    await page.getByTestId('dev-open-stats').click();
    await expect(page).toHaveURL(/\/development\/stats\?.*year=2004/);
    await expect(page.getByTestId('dev-stats-total')).toHaveText(String(s.new_members[0]![1]));
    // 35岁及以下 = the bands up to 35; 高中及以上 = every level but 初中及以下 (seed 002's figures).
    const young = s.new_members.slice(3, 6).reduce((n, p) => n + p[1], 0);
    const educated = s.new_members.slice(9, 14).reduce((n, p) => n + p[1], 0);
    expect(s.new_members[5]![0]).toContain('35');
    expect(s.new_members[14]![0]).toContain('初中');
    await expect(page.getByTestId('dev-stats-derived')).toContainText(`其中35岁及以下 ${young} 人`);
    await expect(page.getByTestId('dev-stats-derived')).toContainText(`高中及以上学历 ${educated} 人`);
    // 女 and 少数民族 first, then the age bands and education levels, in the API's order.
    for (const [i, p] of s.new_members.slice(1).entries()) {
      await expect(page.getByTestId(`dev-stats-fig-${i}`)).toHaveText(String(p[1]));
    }
    for (const [i, p] of s.by_occupation.entries()) {
      await expect(page.getByTestId(`dev-stats-occ-${i}`)).toHaveText(String(p[1]));
    }
    await expect(page.getByTestId('dev-stats-converted')).toHaveText(String(s.converted));
    await expect(page.getByTestId('dev-stats-extended')).toHaveText(String(s.extended));
    await expect(page.getByTestId('dev-stats-cancelled')).toHaveText(String(s.cancelled));
    if (s.converted + s.extended + s.cancelled > 0) {
      await expect(page.getByTestId('dev-stats-rate')).toHaveText(`${s.on_time_rate.toFixed(1)}%`);
    }
    for (const c of s.pipeline) {
      await expect(page.getByTestId(`dev-stats-stage-${c.stage}`)).toHaveText(String(c.count));
    }
    if (SEED) expect(s.new_members[0]![1]).toBeGreaterThan(0);
    await shot(page, 'development-stats');
  });

  test('发展党员 board: counts per stage equal the API; a stage opens its list', async ({ page }) => {
    const me = await getJson<Me>(page.request, '/api/v1/me');
    const top = me.user.roles[0]!;
    const board = await getJson<BoardColumn[]>(page.request, `/api/v1/development/board?org=${top.org_id}`);
    await page.goto('/');
    await page.getByTestId('menu-development').click();
    await expect(page).toHaveURL(/\/development/);
    await expect(page.getByTestId('dev-heading')).toHaveText(`${top.org_name} · 发展党员`);
    for (const c of board) {
      await expect(page.getByTestId(`dev-board-count-${c.stage}`)).toHaveText(String(c.count));
      await expect(page.getByTestId(`dev-board-${c.stage}`)).toContainText(c.label);
    }
    const inPipeline = board.filter((c) => !['full', 'stopped'].includes(c.stage)).reduce((n, c) => n + c.count, 0);
    await expect(page.getByTestId('dev-board-pipeline')).toHaveText(String(inPipeline));
    if (SEED) {
      // 预备党员 are counted on the roster: seed 000's 272 probationary members at 2004-12-31
      // (none of them has a pipeline record); the 299 people before admission are the demo's
      // pipeline.
      const probationary = board.find((c) => c.stage === 'probationary')!.count;
      expect(probationary).toBe(272);
      expect(inPipeline - probationary).toBe(299);
      expect(board.find((c) => c.stage === 'candidate')!.count).toBe(100);
    }
    await shot(page, 'development-board');

    // 预备党员 → the roster filtered to probationary members, as many as the card said.
    const prob = board.find((c) => c.stage === 'probationary')!;
    await page.getByTestId('dev-board-probationary').click();
    await expect(page).toHaveURL(/\/members\?.*status=probationary/);
    await expect(page.getByTestId('member-total')).toHaveText(String(prob.count));
    await page.goBack();
    await expect(page.getByTestId('dev-board-count-candidate')).toBeVisible();

    // 发展对象 → the list of that stage, as many as the card said.
    const candidates = board.find((c) => c.stage === 'candidate')!;
    await page.getByTestId('dev-board-candidate').click();
    await expect(page).toHaveURL(/\/development\/people\?.*stage=candidate/);
    await expect(page.getByTestId('dev-list-total')).toHaveText(String(candidates.count));
    const list = await getJson<Page_<Person>>(page.request, `/api/v1/development/people?org=${top.org_id}&stage=candidate`);
    const first = list.items[0]!;
    await expect(page.getByTestId(`dev-link-${first.id}`)).toHaveText(first.name);
    await expect(page.getByTestId(`dev-stage-${first.id}`)).toHaveText('发展对象');
    await shot(page, 'development-list');

    // Search by name narrows the list to what the API finds.
    const byName = await getJson<Page_<Person>>(
      page.request,
      `/api/v1/development/people?org=${top.org_id}&stage=candidate&q=${encodeURIComponent(first.name)}`,
    );
    await page.getByTestId('dev-list-search').fill(first.name);
    await page.getByTestId('dev-list-search-submit').click();
    await expect(page).toHaveURL(/q=/);
    await expect(page.getByTestId('dev-list-total')).toHaveText(String(byName.total));
    await expect(page.getByTestId(`dev-link-${first.id}`)).toBeVisible();
  });

  test('due list: overdue first, the candidates awaiting approval, the person’s due panel', async ({ page }) => {
    const me = await getJson<Me>(page.request, '/api/v1/me');
    const top = me.user.roles[0]!;
    const due = await getJson<DueRow[]>(page.request, `/api/v1/development/due?org=${top.org_id}&days=30`);
    const approvals = due.filter((r) => r.due.step === 'approval');
    const overdue = due.filter((r) => r.due.overdue);
    if (SEED) {
      expect(approvals).toHaveLength(25);
      expect(approvals.every((r) => r.due.overdue && r.stage_label === '发展对象')).toBe(true);
    }
    await page.goto(`/development?org=${top.org_id}`);
    await expect(page.getByTestId('dev-due-total')).toHaveText(String(due.length));
    await expect(page.getByTestId('dev-due-overdue')).toHaveText(String(overdue.length));
    await expect(page.getByTestId('dev-due-count-approval')).toHaveText(String(approvals.length));
    await expect(page.getByTestId('dev-due-overdue-approval')).toHaveText(String(approvals.filter((r) => r.due.overdue).length));
    // Overdue items come first and are marked.
    const states = page.getByTestId('dev-due-state');
    await expect(states.first()).toHaveAttribute('data-overdue', 'true');
    await expect(states.first()).toHaveText('已逾期');

    // Only the approvals: each row is one of the API's, all overdue, with its link.
    await page.getByTestId('dev-due-filter-approval').click();
    await expect(states).toHaveCount(Math.min(20, approvals.length));
    for (let i = 0; i < Math.min(20, approvals.length); i++) {
      await expect(states.nth(i)).toHaveAttribute('data-step', 'approval');
    }
    const a = approvals[0]!;
    await expect(page.getByTestId(`dev-due-link-${a.person_id}`).first()).toHaveText(a.name);
    await expect(page.getByTestId('dev-due-table')).toContainText(a.due.source.slice(0, 20));
    await shot(page, 'development-due-approvals');

    // The person: stage, the branch meeting in the timeline, approval overdue in the panel with its rule.
    await page.getByTestId(`dev-due-link-${a.person_id}`).first().click();
    await expect(page).toHaveURL(new RegExp(`/development/people/${a.person_id}$`));
    const p = await getJson<Person>(page.request, `/api/v1/development/people/${a.person_id}`);
    await expect(page.getByTestId('dev-person-name')).toHaveText(p.name);
    await expect(page.getByTestId('dev-person-stage')).toHaveText(p.stage_label);
    await expect(page.getByTestId('dev-person-org')).toHaveText(p.org_name);
    await expect(page.getByTestId('dev-step')).toHaveCount(p.steps.length);
    await expect(page.locator('[data-testid="dev-step"][data-kind="branch_meeting"]')).toBeVisible();
    const item = page.locator('[data-testid="dev-due-item"][data-step="approval"]');
    await expect(item).toHaveAttribute('data-overdue', 'true');
    await expect(item).toContainText(`应于 ${a.due.date} 前完成`);
    await expect(item).toContainText('第二十五条');
    // The form offers the next step on the main line: the higher-level talk.
    await expect(page.getByTestId('dev-step-kind')).toContainText('上级党组织派人谈话');
    await shot(page, 'development-person');
  });

  test('两新组织: the coverage cards and table show the API’s figures', async ({ page }) => {
    const me = await getJson<Me>(page.request, '/api/v1/me');
    const top = me.user.roles[0]!;
    const cov = await getJson<Coverage>(page.request, `/api/v1/stats/coverage?org=${top.org_id}&as_of=${me.today}`);
    const total = cov.rows.find((r) => r.kind === 'total')!;
    await page.goto('/');
    await page.getByTestId('menu-new-orgs').click();
    await expect(page.getByTestId('cov-heading')).toHaveText(`${cov.org_name} · 两新组织党建覆盖 · 截至 ${cov.as_of}`);
    await expect(page.getByTestId('cov-org-rate')).toHaveText(pct(total.org_rate));
    await expect(page.getByTestId('cov-work-rate')).toHaveText(pct(total.work_rate));
    await expect(page.getByTestId('cov-above-rate')).toHaveText(pct(total.above_scale_rate));
    await expect(page.getByTestId('cov-registered')).toHaveText(String(total.registered));
    await expect(page.getByTestId('cov-warned')).toHaveText(String(cov.warned));
    for (const r of cov.rows) {
      for (const c of ['registered', 'own', 'joint', 'liaison', 'none', 'above_scale', 'above_scale_covered', 'members'] as const) {
        await expect(page.getByTestId(`cov-cell-${r.kind}-${c}`)).toHaveText(String(r[c]));
      }
      for (const c of ['org_rate', 'work_rate', 'above_scale_rate'] as const) {
        await expect(page.getByTestId(`cov-cell-${r.kind}-${c}`)).toHaveText(pct(r[c]));
      }
    }
    if (SEED) {
      expect(total.registered).toBe(269);
      expect(pct(total.org_rate)).toBe('71.75');
    }
    await shot(page, 'new-orgs-coverage');

    // The registry: everything, then only the units with a warning (each shows its rule).
    const all = await getJson<Page_<unknown>>(page.request, `/api/v1/new-orgs?org=${top.org_id}`);
    await expect(page.getByTestId('new-org-total')).toHaveText(String(all.total));
    const warned = await getJson<Page_<{ id: number; warnings: { code: string; message: string }[] }>>(
      page.request,
      `/api/v1/new-orgs?org=${top.org_id}&warned=true`,
    );
    await page.getByTestId('cov-warned-card').click();
    await expect(page).toHaveURL(/warned=1/);
    await expect(page.getByTestId('new-org-total')).toHaveText(String(warned.total));
    const u = warned.items[0]!;
    await expect(page.getByTestId(`new-org-warning-${u.id}`).first()).toHaveText(u.warnings[0]!.message);
    await shot(page, 'new-orgs-warned');

    // An earlier date: the figures follow the API for that day.
    const early = await getJson<Coverage>(page.request, `/api/v1/stats/coverage?org=${top.org_id}&as_of=2003-12-31`);
    await page.goto(`/new-orgs?as_of=2003-12-31`);
    await expect(page.getByTestId('cov-heading')).toContainText('截至 2003-12-31');
    await expect(page.getByTestId('cov-registered')).toHaveText(String(early.rows.find((r) => r.kind === 'total')!.registered));
  });

  test('规则与日历: central parameters and the calendar years as the API gives them', async ({ page }) => {
    const sets = await getJson<{ code: string; params: { key: string; default: unknown; unit_zh: string }[] }[]>(
      page.request,
      '/api/v1/rules/sets',
    );
    await page.goto('/');
    await expect(page.getByTestId('menu-system')).toBeVisible();
    await page.getByTestId('menu-rules').click();
    await expect(page).toHaveURL(/\/system\/rules/);
    await page.getByTestId('rules-filter').fill('development.');
    const dev = sets.find((s) => s.code === 'development.2014')!;
    for (const p of dev.params) {
      await expect(page.getByTestId(`rules-param-${p.key}`)).toHaveText(String(p.default));
      await expect(page.getByTestId(`rules-param-unit-${p.key}`)).toHaveText(p.unit_zh);
    }
    await expect(page.getByTestId('rules-param-development.notice_working_days')).toHaveText('5');
    await expect(page.getByTestId('rules-param-unit-development.notice_working_days')).toHaveText('个工作日');
    await shot(page, 'rules-sets');

    const years = await getJson<{ year: number; published: boolean }[]>(page.request, '/api/v1/calendar/years');
    await page.getByTestId('rules-tab-calendar').click();
    await expect(page).toHaveURL(/tab=calendar/);
    for (const y of years) {
      await expect(page.getByTestId(`calendar-year-${y.year}`)).toBeVisible();
      await expect(page.getByTestId(`calendar-status-${y.year}`)).toHaveText(y.published ? '已发布' : '尚未发布');
    }
    // 2004 is not in the calendar: weekends only.
    await expect(page.getByTestId('calendar-year-2004')).toHaveCount(0);
    await shot(page, 'rules-calendar');
  });
});

test.describe('as village branch secretary', () => {
  test('sees only the branch’s people and no 规则与日历', async ({ browser, baseURL }) => {
    const admin = await browser.newContext({ baseURL, storageState: authFile('admin') });
    const county = await getJson<Page_<Person>>(admin.request, '/api/v1/development/people?page_size=100');
    await admin.close();

    const ctx = await browser.newContext({ baseURL, locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await loginUI(page, 'cun_zhishan');
    await expect(page).toHaveURL(/\/$/);
    const me = await getJson<Me>(page.request, '/api/v1/me');
    const branch = me.user.roles[0]!;
    await expect(page.getByTestId('menu-development')).toBeVisible();
    await expect(page.getByTestId('menu-new-orgs')).toBeVisible();
    await expect(page.getByTestId('menu-rules')).toHaveCount(0);

    await page.getByTestId('menu-development').click();
    await expect(page.getByTestId('dev-heading')).toHaveText(`${branch.org_name} · 发展党员`);
    const board = await getJson<BoardColumn[]>(page.request, '/api/v1/development/board');
    for (const c of board) await expect(page.getByTestId(`dev-board-count-${c.stage}`)).toHaveText(String(c.count));
    const mine = await getJson<Page_<Person>>(page.request, '/api/v1/development/people?page_size=100');
    if (SEED) expect(board.reduce((n, c) => n + c.count, 0)).toBe(1);
    await page.getByTestId('dev-open-list').click();
    await expect(page.getByTestId('dev-list-total')).toHaveText(String(mine.total));
    for (const p of mine.items) await expect(page.getByTestId(`dev-link-${p.id}`)).toBeVisible();
    // Every one of them belongs to an org of the branch's subtree.
    for (const p of mine.items) {
      const org = await getJson<{ path: string }>(page.request, `/api/v1/orgs/${p.org_id}`);
      expect(org.path.startsWith(branch.path)).toBe(true);
    }
    await shot(page, 'development-branch');

    // Someone of another branch is not found.
    const other = county.items.find((p) => !mine.items.some((m) => m.id === p.id))!;
    await page.goto(`/development/people/${other.id}`);
    await expect(page.getByTestId('dev-person-error')).toContainText('记录不存在');
    await expect(page.getByTestId('dev-person-name')).toHaveCount(0);

    // 规则与日历 is not theirs: back to the dashboard.
    await page.goto('/system/rules');
    await expect(page).toHaveURL(/\/$/);
    await ctx.close();
  });
});
