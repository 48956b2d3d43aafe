/**
 * Issue 5's acceptance: one person walked through the WHOLE 发展党员 pipeline in the browser,
 * with the due dates right across a holiday week. Runs on the third server (playwright.config.ts
 * `initURL`): a fresh deployment made by `jiceng init` — no demo, no reference_date, so "today"
 * is the real date and the steps of 2024–2026 are allowed.
 *
 * - The first admin logs in through the login screen (no forced password change: `init` does
 *   not make a temporary password).
 * - Fixtures through the API: a township committee and a village branch under the top org,
 *   7 full members of the branch (joined in the 1990s: two introducers, the rest a realistic
 *   base for the votes).
 * - The walk, every step through the person page's step form: application (the 登记入党申请
 *   dialog, 2024) → talk → activist → contacts → thought reports and half-yearly reviews →
 *   candidate (one day short of a year refused, naming 第十三条) → political review → training →
 *   pre-review → 公示 posted on Friday 2025-09-26, across 国庆节、中秋节 (1–8 Oct off, 28 Sep and
 *   11 Oct worked): the hint and the server agree on 2025-10-10, one working day less is refused
 *   with the rule → branch meeting (refused on the 公示's last day, then two introducers and the
 *   vote) → higher-committee talk → approval (one day past 3 months refused, naming 第二十五条)
 *   → oath → after the year of probation the conversion meeting (one day early refused) and its
 *   approval → 正式党员, whose member record shows the join date (the meeting) and the 转正 date
 *   (the end of probation).
 * - After every step, the 下一步/到期 panel is compared with dates this file computes itself
 *   from the State Council's holiday notice and the rules (never read back from the server).
 * - The 规则与日历 screen shows the same 2025 holiday week, and its 工作日计算 tool agrees.
 */
import { expect, test, type Page } from '@playwright/test';
import { fillDate, getJson, INIT_PASSWORD, INIT_URL, pick, RUN, shot, type OrgRow, type Page_ } from './helpers';

test.use({ baseURL: INIT_URL, storageState: { cookies: [], origins: [] } });

// ---------------------------------------------------------------------------------------------
// The calendar and the rules, computed here (not asked of the server).

/**
 * 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）: days off and the
 * make-up working days (调休上班). Only 2025 is needed: every working-day period below lies in it.
 */
const OFF_2025: [string, string][] = [
  ['2025-01-01', '2025-01-01'], // 元旦
  ['2025-01-28', '2025-02-04'], // 春节
  ['2025-04-04', '2025-04-06'], // 清明节
  ['2025-05-01', '2025-05-05'], // 劳动节
  ['2025-05-31', '2025-06-02'], // 端午节
  ['2025-10-01', '2025-10-08'], // 国庆节、中秋节
];
const WORKED_2025 = ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'];

function parse(d: string): Date {
  const [y, m, day] = d.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, day!));
}
function fmt(d: Date): string {
  return d.toISOString().slice(0, 10);
}
function nextDay(d: string): string {
  const x = parse(d);
  x.setUTCDate(x.getUTCDate() + 1);
  return fmt(x);
}
function isWorkingDay(d: string): boolean {
  if (!d.startsWith('2025-')) throw new Error(`no holiday notice transcribed for ${d}`);
  if (WORKED_2025.includes(d)) return true;
  if (OFF_2025.some(([a, b]) => a <= d && d <= b)) return false;
  const wd = parse(d).getUTCDay();
  return wd !== 0 && wd !== 6;
}
/** The N-th working day after `from` (a period starts the day after its first day). */
function addWorkingDays(from: string, n: number): string {
  let d = from;
  for (let left = n; left > 0; ) {
    d = nextDay(d);
    if (isWorkingDay(d)) left--;
  }
  return d;
}
/** The working day before `d`. */
function workingDayBefore(d: string): string {
  let x = dayBefore(d);
  while (!isWorkingDay(x)) x = dayBefore(x);
  return x;
}
/** The same day N months later, or that month's last day when it has none. */
function addMonths(from: string, n: number): string {
  const [y, m, d] = from.split('-').map(Number);
  const first = new Date(Date.UTC(y!, m! - 1 + n, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d!, last));
  return fmt(first);
}
function dayBefore(d: string): string {
  const x = parse(d);
  x.setUTCDate(x.getUTCDate() - 1);
  return fmt(x);
}

/** The rules' numbers (发展党员工作细则 2014, 党章 第七条), as the screens cite them. */
const TALK_MONTHS = 1; // 第七条: talk within a month of the application
const REVIEW_MONTHS = 6; // 培养考察 every half year
const NOTICE_WORKING_DAYS = 5; // 公示 not less than 5 working days
const APPROVAL_MONTHS = 3; // 第二十五条: approval within 3 months of the branch meeting
const PROBATION_MONTHS = 12; // 党章 第七条: one year from the branch meeting
const CONVERSION_APPROVAL_MONTHS = 3;

// The walk's dates (weekdays unless said otherwise).
const D = {
  application: '2024-03-04',
  talk: '2024-03-20',
  activist: '2024-05-06',
  contacts: '2024-05-10',
  report1: '2024-08-05',
  review1: '2024-11-04',
  report2: '2025-02-10',
  review2: '2025-04-28',
  candidate: '2025-05-06', // the anniversary of the activist designation: allowed
  politicalReview: '2025-06-16',
  trainingFrom: '2025-07-07',
  trainingTo: '2025-07-09',
  preReview: '2025-09-01',
  notice: '2025-09-26', // Friday before the 2025 National Day / Mid-Autumn week
  meeting: '2025-10-14',
  higherTalk: '2025-11-20',
  approval: '2026-01-12',
  oath: '2026-01-20',
  report3: '2026-04-15',
  conversionApproval: '2026-11-02',
};

// ---------------------------------------------------------------------------------------------

interface Member {
  id: number;
  name: string;
  status: string | null;
}
interface Person {
  id: number;
  stage: string;
  member_id: number | null;
  steps: { kind: string; date: string }[];
}

const PERSON = `走流程${RUN}`;

/** The native input of a field, whether the test id sits on it or on its wrapper. */
function input(page: Page, testid: string) {
  return page.locator(`[data-testid="${testid}"] input, input[data-testid="${testid}"]`).first();
}
async function chooseKind(page: Page, label: string): Promise<void> {
  await pick(page, page.getByTestId('dev-step-kind'), label);
  await expect(page.getByTestId('dev-step-kind')).toContainText(label);
}
/** Records the step in the form and waits for it in the timeline. */
async function submitStep(page: Page, kind: string, count = 1): Promise<void> {
  await page.getByTestId('dev-step-submit').click();
  await expect(page.getByTestId('dev-step-error')).toHaveCount(0);
  await expect(page.locator(`[data-testid="dev-step"][data-kind="${kind}"]`)).toHaveCount(count);
}
/** A step with only a kind and a date. */
async function simpleStep(page: Page, label: string, kind: string, date: string, count = 1): Promise<void> {
  await chooseKind(page, label);
  await fillDate(page.getByTestId('dev-step-date'), date);
  await submitStep(page, kind, count);
}
/** The 下一步/到期 panel holds exactly these items (step, deadline|earliest, date). */
async function expectDue(page: Page, items: [string, 'deadline' | 'earliest', string][]): Promise<void> {
  const all = page.getByTestId('dev-due-item');
  await expect(all).toHaveCount(items.length);
  if (items.length === 0) await expect(page.getByTestId('dev-due-panel')).toContainText('当前没有到期事项');
  for (const [step, kind, date] of items) {
    const item = page.locator(`[data-testid="dev-due-item"][data-step="${step}"]`);
    await expect(item).toHaveAttribute('data-kind', kind);
    await expect(item).toContainText(kind === 'deadline' ? `应于 ${date} 前完成` : `最早可于 ${date} 进行`);
  }
}

test('one person through every step of the pipeline, across the 2025 National Day week', async ({ page }) => {
  test.setTimeout(360_000);
  const today = new Date().toISOString().slice(0, 10);
  test.skip(today < D.conversionApproval, `the walk needs a real today on or after ${D.conversionApproval}`);

  // The hand-worked 公示 of the issue, checked against this file's calendar first.
  expect(addWorkingDays(D.notice, NOTICE_WORKING_DAYS)).toBe('2025-10-10'); // 9-28, 9-29, 9-30, 10-09, 10-10

  await test.step('the first admin of a fresh deployment logs in (no forced password change)', async () => {
    await page.goto('/login');
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(INIT_PASSWORD);
    await page.getByTestId('login-submit').click();
    await expect(page).toHaveURL(`${INIT_URL}/`);
    await expect(page.getByTestId('user-role')).toContainText('中共测试县委员会');
  });

  // Fixtures through the API.
  const orgs = await getJson<Page_<OrgRow>>(page.request, '/api/v1/orgs?page_size=500');
  const root = orgs.items.find((o) => o.parent_id === null)!;
  expect(root.name).toBe('中共测试县委员会');
  const post = async <T>(url: string, data: unknown): Promise<T> => {
    const r = await page.request.post(url, { data });
    expect(r.status(), `${url}: ${await r.text()}`).toBe(201);
    return (await r.json()) as T;
  };
  const town = await post<OrgRow>('/api/v1/orgs', {
    parent_id: root.id,
    name: `中共测试镇委员会${RUN}`,
    kind: 'committee',
    field: 'rural',
    founded: '1958-09-01',
  });
  const branch = await post<OrgRow>('/api/v1/orgs', {
    parent_id: town.id,
    name: `中共测试村支部委员会${RUN}`,
    kind: 'branch',
    field: 'rural',
    founded: '1960-03-01',
  });
  const members: Member[] = [];
  for (let i = 0; i < 7; i++) {
    members.push(
      await post<Member>('/api/v1/members', {
        org_id: branch.id,
        name: `老党员${i + 1}号${RUN}`,
        gender: i % 2 === 0 ? '1' : '2',
        birth_date: `196${i}-04-1${i}`,
        education: 'high_school',
        occupation: 'farmer',
        join_date: `199${i}-07-01`,
        full_date: `199${i + 1}-07-01`,
      }),
    );
  }
  const full = await getJson<Page_<Member>>(page.request, `/api/v1/members?org=${branch.id}&status=full&page_size=50`);
  expect(full.total).toBe(7);
  const entitled = full.total; // 应到: the full members of the branch (the person never votes)
  const [intro1, intro2] = members;

  let personId = 0;
  await test.step('application (2024) in the 登记入党申请 dialog; talk due within a month', async () => {
    await page.goto(`/development/people?org=${branch.id}`);
    await page.getByTestId('dev-apply').click();
    const dlg = page.getByTestId('dev-apply-dialog');
    await expect(dlg).toBeVisible();
    await expect(dlg.getByTestId('dev-apply-org')).toContainText(branch.name);
    await dlg.getByTestId('dev-apply-name').fill(PERSON);
    await dlg.getByTestId('dev-apply-gender-2').click();
    await fillDate(dlg.getByTestId('dev-apply-birth-date'), '1998-06-15');
    await pick(page, dlg.getByTestId('dev-apply-education'), '大学本科');
    await pick(page, dlg.getByTestId('dev-apply-occupation'), '农牧渔民');
    await fillDate(dlg.getByTestId('dev-apply-date'), D.application);
    await dlg.getByTestId('dev-apply-submit').click();
    await expect(dlg).toBeHidden();
    await expect(page).toHaveURL(/\/development\/people\/\d+$/);
    personId = Number(page.url().split('/').pop());
    await expect(page.getByTestId('dev-person-name')).toHaveText(PERSON);
    await expect(page.getByTestId('dev-person-org')).toHaveText(branch.name);
    await expect(page.getByTestId('dev-person-stage')).toHaveText('入党申请人');
    await expectDue(page, [['talk', 'deadline', addMonths(D.application, TALK_MONTHS)]]);
    // Long past on the real today: overdue.
    await expect(page.locator('[data-testid="dev-due-item"][data-step="talk"]')).toHaveAttribute('data-overdue', 'true');
  });

  await test.step('talk, activist, contacts', async () => {
    await simpleStep(page, '党组织派人谈话', 'talk', D.talk);
    await expectDue(page, []);
    await simpleStep(page, '确定为入党积极分子', 'activist', D.activist);
    await expect(page.getByTestId('dev-person-stage')).toHaveText('入党积极分子');
    await expectDue(page, [
      ['review', 'deadline', addMonths(D.activist, REVIEW_MONTHS)],
      ['candidate', 'earliest', addMonths(D.activist, 12)],
    ]);
    await chooseKind(page, '指定培养联系人');
    await fillDate(page.getByTestId('dev-step-date'), D.contacts);
    await input(page, 'dev-step-contacts').fill('2');
    await submitStep(page, 'contacts');
    await expect(page.locator('[data-testid="dev-step"][data-kind="contacts"]')).toContainText('培养联系人 2 名');
  });

  await test.step('thought reports and a review every half year', async () => {
    await simpleStep(page, '思想汇报', 'thought_report', D.report1);
    await expectDue(page, [
      ['review', 'deadline', addMonths(D.activist, REVIEW_MONTHS)],
      ['candidate', 'earliest', addMonths(D.activist, 12)],
    ]);
    await simpleStep(page, '培养考察（每半年）', 'review', D.review1);
    await expectDue(page, [
      ['review', 'deadline', addMonths(D.review1, REVIEW_MONTHS)],
      ['candidate', 'earliest', addMonths(D.activist, 12)],
    ]);
    await simpleStep(page, '思想汇报', 'thought_report', D.report2, 2);
    await simpleStep(page, '培养考察（每半年）', 'review', D.review2, 2);
    await expectDue(page, [
      ['review', 'deadline', addMonths(D.review2, REVIEW_MONTHS)],
      ['candidate', 'earliest', addMonths(D.activist, 12)],
    ]);
  });

  await test.step('candidate: one day short of a year refused (第十三条), then on the anniversary', async () => {
    const earliest = addMonths(D.activist, 12);
    expect(earliest).toBe(D.candidate);
    await chooseKind(page, '确定为发展对象');
    await fillDate(page.getByTestId('dev-step-date'), dayBefore(earliest));
    await page.getByTestId('dev-step-submit').click();
    const err = page.getByTestId('dev-step-error');
    await expect(err).toContainText('不满1年');
    await expect(err).toContainText('第十三条');
    await expect(err).toContainText(`最早 ${earliest}`);
    await fillDate(page.getByTestId('dev-step-date'), earliest);
    await submitStep(page, 'candidate');
    await expect(page.getByTestId('dev-person-stage')).toHaveText('发展对象');
    await expectDue(page, []);
  });

  await test.step('political review, training (3 days, 24 hours), pre-review', async () => {
    await simpleStep(page, '政治审查', 'political_review', D.politicalReview);
    await chooseKind(page, '集中培训');
    await fillDate(page.getByTestId('dev-step-date'), D.trainingFrom);
    await fillDate(page.getByTestId('dev-step-end-date'), D.trainingTo);
    await input(page, 'dev-step-hours').fill('24');
    await submitStep(page, 'training');
    await expect(page.locator('[data-testid="dev-step"][data-kind="training"]')).toContainText(`${D.trainingFrom} 至 ${D.trainingTo}`);
    await simpleStep(page, '基层党委预审', 'pre_review', D.preReview);
  });

  const noticeEnd = addWorkingDays(D.notice, NOTICE_WORKING_DAYS);
  await test.step('公示 across 国庆节、中秋节 2025: the hint and the server count the holiday week', async () => {
    await chooseKind(page, '发展对象公示');
    await fillDate(page.getByTestId('dev-step-date'), D.notice);
    const hint = page.getByTestId('dev-step-notice-hint');
    await expect(hint).toContainText(`公示 ${NOTICE_WORKING_DAYS} 个工作日（开始当日不计入）的最后一天：${noticeEnd}`);
    // 2025's notice is published: no "counted as weekends" warning.
    await expect(page.getByTestId('dev-step-notice-warning')).toHaveCount(0);
    // One working day short (10-09, right after the holiday): refused, naming the rule.
    const short = workingDayBefore(noticeEnd);
    expect(short).toBe('2025-10-09');
    await fillDate(page.getByTestId('dev-step-end-date'), short);
    await page.getByTestId('dev-step-submit').click();
    const err = page.getByTestId('dev-step-error');
    await expect(err).toContainText(`公示期不少于${NOTICE_WORKING_DAYS}个工作日`);
    await expect(err).toContainText('《中国共产党发展党员工作细则》');
    await expect(err).toContainText(`${D.notice} 开始的公示最早 ${noticeEnd} 期满`);
    await expect(err).toContainText(`至 ${short} 只有 ${NOTICE_WORKING_DAYS - 1} 个工作日`);
    await shot(page, 'pipeline-notice-refused');
    // The hint's date fills the field; now it is accepted.
    await page.getByTestId('dev-step-notice-use').click();
    await expect(input(page, 'dev-step-end-date')).toHaveValue(noticeEnd);
    await submitStep(page, 'notice');
    await expect(page.locator('[data-testid="dev-step"][data-kind="notice"]')).toContainText(`${D.notice} 至 ${noticeEnd}`);
    await shot(page, 'pipeline-notice-recorded');
  });

  await test.step('branch meeting: not on the 公示 last day; two introducers and the vote', async () => {
    await chooseKind(page, '支部大会讨论接收预备党员');
    await fillDate(page.getByTestId('dev-step-date'), noticeEnd);
    for (const m of [intro1!, intro2!]) {
      await input(page, 'dev-step-introducers').fill(m.name);
      await page.getByTestId(`dev-step-introducer-${m.id}`).click();
    }
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('dev-step-introducers')).toContainText(intro1!.name);
    await expect(page.getByTestId('dev-step-introducers')).toContainText(intro2!.name);
    await input(page, 'dev-step-entitled').fill(String(entitled));
    await input(page, 'dev-step-present').fill(String(entitled - 1));
    await input(page, 'dev-step-ayes').fill(String(entitled - 1));
    await page.getByTestId('dev-step-submit').click();
    const err = page.getByTestId('dev-step-error');
    await expect(err).toContainText(`公示至 ${noticeEnd} 结束，支部大会应在公示结束后召开`);
    await fillDate(page.getByTestId('dev-step-date'), D.meeting);
    await submitStep(page, 'branch_meeting');
    const meeting = page.locator('[data-testid="dev-step"][data-kind="branch_meeting"]');
    // Adopted: more than half of those entitled (not of those present) said aye.
    expect(2 * (entitled - 1)).toBeGreaterThan(entitled);
    await expect(meeting.getByTestId('dev-step-vote')).toContainText('通过');
    await expect(meeting.getByTestId('dev-step-vote')).toContainText(String(entitled));
    await expect(meeting.getByTestId('dev-step-introducers-shown')).toContainText(intro1!.name);
    await expect(meeting.getByTestId('dev-step-introducers-shown')).toContainText(intro2!.name);
    await expectDue(page, [['approval', 'deadline', addMonths(D.meeting, APPROVAL_MONTHS)]]);
    await shot(page, 'pipeline-branch-meeting');
  });

  const probationEnd = addMonths(D.meeting, PROBATION_MONTHS);
  await test.step('higher talk; approval one day past 3 months refused (第二十五条), then in time → 预备党员', async () => {
    await simpleStep(page, '上级党组织派人谈话', 'higher_talk', D.higherTalk);
    const latest = addMonths(D.meeting, APPROVAL_MONTHS);
    await chooseKind(page, '基层党委审批');
    await fillDate(page.getByTestId('dev-step-date'), nextDay(latest));
    await page.getByTestId('dev-step-submit').click();
    const err = page.getByTestId('dev-step-error');
    await expect(err).toContainText('第二十五条');
    await expect(err).toContainText(`最迟 ${latest}`);
    expect(D.approval <= latest).toBe(true);
    await fillDate(page.getByTestId('dev-step-date'), D.approval);
    await submitStep(page, 'approval');
    await expect(page.getByTestId('dev-person-stage')).toHaveText('预备党员');
    await expectDue(page, [['conversion_meeting', 'earliest', probationEnd]]);
    await expect(page.getByTestId('dev-person-member-link')).toBeVisible();
  });

  await test.step('oath and a thought report during probation', async () => {
    await simpleStep(page, '入党宣誓', 'oath', D.oath);
    await simpleStep(page, '思想汇报', 'thought_report', D.report3, 3);
    await expectDue(page, [['conversion_meeting', 'earliest', probationEnd]]);
  });

  await test.step('conversion: a day before the end of probation refused, then the vote and the approval', async () => {
    await chooseKind(page, '支部大会讨论转正');
    await fillDate(page.getByTestId('dev-step-date'), dayBefore(probationEnd));
    await input(page, 'dev-step-entitled').fill(String(entitled));
    await input(page, 'dev-step-present').fill(String(entitled));
    await input(page, 'dev-step-ayes').fill(String(entitled));
    await page.getByTestId('dev-step-submit').click();
    const err = page.getByTestId('dev-step-error');
    await expect(err).toContainText(`预备期至 ${probationEnd} 期满`);
    await expect(err).toContainText('第七条');
    await fillDate(page.getByTestId('dev-step-date'), probationEnd);
    await submitStep(page, 'conversion_meeting');
    await expect(page.locator('[data-testid="dev-step"][data-kind="conversion_meeting"]').getByTestId('dev-step-vote')).toContainText('通过');
    await expectDue(page, [['conversion_approval', 'deadline', addMonths(probationEnd, CONVERSION_APPROVAL_MONTHS)]]);
    expect(D.conversionApproval <= addMonths(probationEnd, CONVERSION_APPROVAL_MONTHS)).toBe(true);
    await simpleStep(page, '基层党委审批转正', 'conversion_approval', D.conversionApproval);
    await expect(page.getByTestId('dev-person-stage')).toHaveText('正式党员');
    await expectDue(page, []);
    await shot(page, 'pipeline-full-member');
  });

  await test.step('every step is on record, in order; the member record says 正式党员 from the end of probation', async () => {
    const p = await getJson<Person>(page.request, `/api/v1/development/people/${personId}`);
    expect(p.steps.map((s) => s.kind)).toEqual([
      'application',
      'talk',
      'activist',
      'contacts',
      'thought_report',
      'review',
      'thought_report',
      'review',
      'candidate',
      'political_review',
      'training',
      'pre_review',
      'notice',
      'branch_meeting',
      'higher_talk',
      'approval',
      'oath',
      'thought_report',
      'conversion_meeting',
      'conversion_approval',
    ]);
    await page.getByTestId('dev-person-member-link').click();
    await expect(page).toHaveURL(new RegExp(`/members/${p.member_id}$`));
    await expect(page.getByTestId('member-name')).toHaveText(PERSON);
    await expect(page.getByTestId('member-status')).toHaveText('正式党员');
    await expect(page.getByTestId('member-field-join-date')).toHaveText(D.meeting);
    await expect(page.getByTestId('member-field-full-date')).toHaveText(probationEnd);
    await expect(page.getByTestId('member-field-org')).toContainText(branch.name);
    await shot(page, 'pipeline-member-record');
  });

  await test.step('规则与日历 shows the same 2025 holiday week', async () => {
    await page.goto('/system/rules?tab=calendar');
    await expect(page.getByTestId('calendar-status-2025')).toHaveText('已发布');
    await page.getByTestId('calendar-edit-2025').click();
    const dlg = page.getByTestId('calendar-dialog');
    await expect(dlg).toBeVisible();
    const autumn = OFF_2025[OFF_2025.length - 1]!;
    const rows = dlg.locator('[data-testid^="calendar-holiday-first-"] input');
    const firsts = await rows.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    const i = firsts.indexOf(autumn[0]);
    expect(i).toBeGreaterThanOrEqual(0);
    await expect(input(page, `calendar-holiday-last-${i}`)).toHaveValue(autumn[1]);
    await expect(input(page, `calendar-holiday-name-${i}`)).toHaveValue('国庆节、中秋节');
    const makeups = await dlg
      .locator('[data-testid^="calendar-makeup-date-"] input')
      .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(makeups.sort()).toEqual([...WORKED_2025].sort());
    await dlg.getByRole('button', { name: '取消' }).click();
    await expect(dlg).toBeHidden();
    // The 工作日计算 tool: the same 公示, and the first working day after the holiday week.
    const calc = async (from: string, n: number): Promise<void> => {
      await fillDate(page.getByTestId('calendar-calc-from'), from);
      await input(page, 'calendar-calc-days').fill(String(n));
      await page.getByTestId('calendar-calc-submit').click();
      await expect(page.getByTestId('calendar-calc-result')).toHaveText(`期满日：${addWorkingDays(from, n)}`);
      await expect(page.getByTestId('calendar-calc-warning')).toHaveCount(0);
    };
    await calc(D.notice, NOTICE_WORKING_DAYS);
    await calc('2025-09-30', 1);
    expect(addWorkingDays('2025-09-30', 1)).toBe('2025-10-09');
    await shot(page, 'pipeline-calendar-2025');
  });
});
