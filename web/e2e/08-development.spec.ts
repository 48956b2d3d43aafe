/**
 * 发展党员 writes through the UI as the county admin, in order:
 * - a NEW applicant (applied in 2003, so the steps fit before the reference date
 *   2004-12-31): the dialog catches an applicant under 18 before sending; then talk →
 *   activist → contacts, and a candidate designation less than a year after the activist
 *   one is refused with the server's message naming 第十三条;
 * - an existing demo candidate who has had the 公示: a 公示 of 3 calendar days is refused
 *   (with the hint of the 5th working day after the first day and the calendar's warning that 2004
 *   counts weekends only); the branch meeting with two introducers — first a failing vote
 *   (不通过, with its derivation), then a passing one; a stale version shows
 *   "已被他人修改，请刷新"; the higher-level talk; the approval admits a probationary member,
 *   whose record the person page links to (预备党员, joined on the meeting date).
 * The whole pipeline of a new applicant cannot fit before 2004-12-31 (a year as activist,
 * a year of probation), hence the two people.
 */
import { expect, test, type Page } from '@playwright/test';
import { authFile, fillDate, getJson, pick, RUN, shot, type Page_ } from './helpers';

test.use({ storageState: authFile('admin') });
test.describe.configure({ mode: 'serial' });

interface Step {
  id: number;
  kind: string;
  date: string;
  data: { end_date?: string | null };
}
interface Person {
  id: number;
  org_id: number;
  org_name: string;
  name: string;
  stage: string;
  member_id: number | null;
  version: number;
  steps: Step[];
}
interface Member {
  id: number;
  name: string;
  status: string | null;
  join_date: string | null;
  full_date: string | null;
}

const APPLICANT = `发展测试${RUN}`;

/** The native input of a field, whether the test id sits on it or on its wrapper. */
function input(page: Page, testid: string) {
  return page.locator(`[data-testid="${testid}"] input, input[data-testid="${testid}"]`).first();
}

/** Chooses a step kind in the form by its label. */
async function chooseKind(page: Page, label: string): Promise<void> {
  await pick(page, page.getByTestId('dev-step-kind'), label);
  await expect(page.getByTestId('dev-step-kind')).toContainText(label);
}

/** Records the step shown in the form and waits for it in the timeline. */
async function submitStep(page: Page, kind: string, count: number): Promise<void> {
  await page.getByTestId('dev-step-submit').click();
  await expect(page.locator(`[data-testid="dev-step"][data-kind="${kind}"]`)).toHaveCount(count);
  await expect(page.getByTestId('dev-step-error')).toHaveCount(0);
}

/** A demo candidate with a 公示 and no branch meeting yet, whose last step is before December 2004. */
async function candidateAfterNotice(page: Page): Promise<Person> {
  for (let n = 1; n < 20; n++) {
    const list = await getJson<Page_<Person>>(page.request, `/api/v1/development/people?stage=candidate&page_size=100&page=${n}`);
    for (const item of list.items) {
      const p = await getJson<Person>(page.request, `/api/v1/development/people/${item.id}`);
      const kinds = p.steps.map((s) => s.kind);
      const last = p.steps[p.steps.length - 1]!;
      if (kinds.includes('notice') && !kinds.includes('branch_meeting') && last.date < '2004-11-01') return p;
    }
    if (list.items.length < 100) break;
  }
  throw new Error('no candidate after the 公示 left in the demo data');
}

let applicantId = 0;
let candidate: Person | null = null;

test('a new applicant: under 18 is caught, then talk, activist, contacts; candidate too early is refused (第十三条)', async ({ page }) => {
  candidate = await candidateAfterNotice(page);
  const org = candidate.org_id;
  await page.goto(`/development/people?org=${org}`);
  await page.getByTestId('dev-apply').click();
  const dlg = page.getByTestId('dev-apply-dialog');
  await expect(dlg).toBeVisible();
  await expect(dlg.getByTestId('dev-apply-org')).toContainText(candidate.org_name);
  await dlg.getByTestId('dev-apply-name').fill(APPLICANT);
  await dlg.getByTestId('dev-apply-gender-2').click();
  await fillDate(dlg.getByTestId('dev-apply-birth-date'), '1986-05-01');
  await pick(page, dlg.getByTestId('dev-apply-education'), '高中、中技');
  await pick(page, dlg.getByTestId('dev-apply-occupation'), '农牧渔民');
  await fillDate(dlg.getByTestId('dev-apply-date'), '2003-03-01');
  await dlg.getByTestId('dev-apply-submit').click();
  // 16 on the application date: refused before sending, in the server's words.
  await expect(dlg.getByText('递交入党申请书时须年满十八岁（《中国共产党章程》第一条）')).toBeVisible();
  await shot(page, 'development-apply-dialog');
  await fillDate(dlg.getByTestId('dev-apply-birth-date'), '1980-05-01');
  await dlg.getByTestId('dev-apply-submit').click();
  await expect(dlg).toBeHidden();

  await expect(page).toHaveURL(/\/development\/people\/\d+$/);
  applicantId = Number(page.url().split('/').pop());
  await expect(page.getByTestId('dev-person-name')).toHaveText(APPLICANT);
  await expect(page.getByTestId('dev-person-stage')).toHaveText('入党申请人');
  await expect(page.locator('[data-testid="dev-step"][data-kind="application"]')).toHaveCount(1);
  // Talk due within a month of the application, overdue on 2004-12-31.
  const talkDue = page.locator('[data-testid="dev-due-item"][data-step="talk"]');
  await expect(talkDue).toHaveAttribute('data-overdue', 'true');
  await expect(talkDue).toContainText('应于 2003-04-01 前完成');
  await expect(talkDue).toContainText('第七条');

  // 党组织派人谈话 (offered first).
  await expect(page.getByTestId('dev-step-kind')).toContainText('党组织派人谈话');
  await fillDate(page.getByTestId('dev-step-date'), '2003-03-20');
  await submitStep(page, 'talk', 1);
  // 确定为入党积极分子, next on the main line.
  await expect(page.getByTestId('dev-step-kind')).toContainText('确定为入党积极分子');
  await fillDate(page.getByTestId('dev-step-date'), '2004-03-01');
  await submitStep(page, 'activist', 1);
  await expect(page.getByTestId('dev-person-stage')).toHaveText('入党积极分子');
  const earliest = page.locator('[data-testid="dev-due-item"][data-step="candidate"]');
  await expect(earliest).toHaveAttribute('data-kind', 'earliest');
  await expect(earliest).toContainText('最早可于 2005-03-01 进行');

  // 指定培养联系人: the count is asked for.
  await expect(page.getByTestId('dev-step-kind')).toContainText('指定培养联系人');
  await fillDate(page.getByTestId('dev-step-date'), '2004-03-08');
  await page.getByTestId('dev-step-submit').click();
  await expect(page.getByText('请填写培养联系人数')).toBeVisible();
  await input(page, 'dev-step-contacts').fill('2');
  await submitStep(page, 'contacts', 1);
  await expect(page.locator('[data-testid="dev-step"][data-kind="contacts"]')).toContainText('培养联系人 2 名');

  // 确定为发展对象 after 10 months as activist: the server refuses, naming the rule and article.
  await chooseKind(page, '确定为发展对象');
  await fillDate(page.getByTestId('dev-step-date'), '2004-12-31');
  await page.getByTestId('dev-step-submit').click();
  const err = page.getByTestId('dev-step-error');
  await expect(err).toContainText('不满1年');
  await expect(err).toContainText('第十三条');
  await expect(err).toContainText('最早 2005-03-01');
  await expect(page.getByTestId('dev-person-stage')).toHaveText('入党积极分子');
  await shot(page, 'development-step-refused');

  const api = await getJson<Person>(page.request, `/api/v1/development/people/${applicantId}`);
  expect(api.steps.map((s) => s.kind)).toEqual(['application', 'talk', 'activist', 'contacts']);
  expect(api.stage).toBe('activist');
});

test('a candidate after the 公示: 3-day 公示 refused, branch meeting (a failed vote first), conflict, higher talk, approval → probationary member', async ({
  page,
}) => {
  const p = candidate!;
  expect(p).not.toBeNull();
  const notice = [...p.steps].reverse().find((s) => s.kind === 'notice')!;
  await page.goto(`/development/people/${p.id}`);
  await expect(page.getByTestId('dev-person-name')).toHaveText(p.name);
  await expect(page.getByTestId('dev-person-stage')).toHaveText('发展对象');
  await expect(page.locator('[data-testid="dev-step"][data-kind="notice"]').first()).toContainText(
    `${notice.date} 至 ${notice.data.end_date}`,
  );

  // A 公示 of 3 calendar days: the hint gives the 5th working day, the server refuses.
  await chooseKind(page, '发展对象公示');
  await fillDate(page.getByTestId('dev-step-date'), '2004-12-01');
  // The period starts the day after the first day: 12-02, 12-03, 12-06, 12-07, 12-08.
  await expect(page.getByTestId('dev-step-notice-hint')).toContainText('公示 5 个工作日（开始当日不计入）的最后一天：2004-12-08');
  await expect(page.getByTestId('dev-step-notice-warning')).toContainText('2004年节假日安排未收录，按周末计算');
  await fillDate(page.getByTestId('dev-step-end-date'), '2004-12-03');
  await page.getByTestId('dev-step-submit').click();
  const err = page.getByTestId('dev-step-error');
  await expect(err).toContainText('公示期不少于5个工作日');
  await expect(err).toContainText('2004-12-01 开始的公示最早 2004-12-08 期满，至 2004-12-03 只有 2 个工作日');
  await shot(page, 'development-notice-refused');

  // 支部大会: two full members of the branch as introducers.
  const members = await getJson<Page_<Member>>(page.request, `/api/v1/members?org=${p.org_id}&status=full&page_size=100&sort=name`);
  const introducers = members.items.filter((m) => (m.full_date ?? m.join_date ?? '9999') < '2003-01-01').slice(0, 2);
  expect(introducers).toHaveLength(2);
  await chooseKind(page, '支部大会讨论接收预备党员');
  await fillDate(page.getByTestId('dev-step-date'), '2004-12-10');
  for (const m of introducers) {
    await input(page, 'dev-step-introducers').fill(m.name);
    await page.getByTestId(`dev-step-introducer-${m.id}`).click();
  }
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('dev-step-introducers')).toContainText(introducers[0]!.name);
  await expect(page.getByTestId('dev-step-introducers')).toContainText(introducers[1]!.name);
  // 4 ayes of 9 entitled: not adopted, the derivation says why.
  await input(page, 'dev-step-entitled').fill('9');
  await input(page, 'dev-step-present').fill('8');
  await input(page, 'dev-step-ayes').fill('4');
  await page.getByTestId('dev-step-submit').click();
  await expect(err).toContainText('表决未通过');
  await expect(err).toContainText('4 > 9×1/2 ✘ → 不通过');
  await shot(page, 'development-vote-failed');
  await input(page, 'dev-step-ayes').fill('7');
  await submitStep(page, 'branch_meeting', 1);
  const meeting = page.locator('[data-testid="dev-step"][data-kind="branch_meeting"]');
  await expect(meeting.getByTestId('dev-step-vote')).toContainText('7 > 9×1/2 ✔ → 通过');
  await expect(meeting.getByTestId('dev-step-introducers-shown')).toContainText(introducers[0]!.name);
  await expect(meeting.getByTestId('dev-step-introducers-shown')).toContainText(introducers[1]!.name);
  const approvalDue = page.locator('[data-testid="dev-due-item"][data-step="approval"]');
  await expect(approvalDue).toContainText('应于 2005-03-10 前完成');

  // Someone else records a step first: the form says so and offers a reload.
  await expect(page.getByTestId('dev-step-kind')).toContainText('上级党组织派人谈话');
  await fillDate(page.getByTestId('dev-step-date'), '2004-12-15');
  const current = await getJson<Person>(page.request, `/api/v1/development/people/${p.id}`);
  const behind = await page.request.post(`/api/v1/development/people/${p.id}/steps`, {
    data: { version: current.version, kind: 'thought_report', date: '2004-12-12' },
  });
  expect(behind.status()).toBe(201);
  await page.getByTestId('dev-step-submit').click();
  await expect(err).toHaveText(/已被他人修改，请刷新/);
  await expect(err).toHaveAttribute('data-conflict', 'true');
  await page.getByTestId('dev-step-error-reload').click();
  await expect(page.locator('[data-testid="dev-step"][data-kind="thought_report"]')).toHaveCount(1);
  await expect(err).toHaveCount(0);

  // 上级党组织派人谈话, then 基层党委审批: admitted as a probationary member.
  await expect(page.getByTestId('dev-step-kind')).toContainText('上级党组织派人谈话');
  await fillDate(page.getByTestId('dev-step-date'), '2004-12-15');
  await submitStep(page, 'higher_talk', 1);
  await expect(page.getByTestId('dev-step-kind')).toContainText('基层党委审批');
  await fillDate(page.getByTestId('dev-step-date'), '2004-12-20');
  await submitStep(page, 'approval', 1);
  await expect(page.getByTestId('dev-person-stage')).toHaveText('预备党员');
  const conversion = page.locator('[data-testid="dev-due-item"][data-step="conversion_meeting"]');
  await expect(conversion).toContainText('最早可于 2005-12-10 进行');
  await shot(page, 'development-approved');

  const after = await getJson<Person>(page.request, `/api/v1/development/people/${p.id}`);
  expect(after.member_id).not.toBeNull();
  await page.getByTestId('dev-person-member-link').click();
  await expect(page).toHaveURL(new RegExp(`/members/${after.member_id}$`));
  await expect(page.getByTestId('member-name')).toHaveText(p.name);
  await expect(page.getByTestId('member-status')).toHaveText('预备党员');
  await expect(page.getByTestId('member-field-join-date')).toHaveText('2004-12-10');
  await expect(page.getByTestId('member-field-org')).toContainText(p.org_name);
});

test('the board follows: the admitted member among the probationary, the applicant among the activists', async ({ page }) => {
  const p = candidate!;
  const board = await getJson<{ stage: string; count: number }[]>(page.request, `/api/v1/development/board?org=${p.org_id}`);
  await page.goto(`/development?org=${p.org_id}`);
  for (const c of board) await expect(page.getByTestId(`dev-board-count-${c.stage}`)).toHaveText(String(c.count));
  expect(board.find((c) => c.stage === 'probationary')!.count).toBeGreaterThanOrEqual(1);
  // The card counts the roster's probationary members and opens the roster filtered to them …
  const probationary = board.find((c) => c.stage === 'probationary')!.count;
  await page.getByTestId('dev-board-probationary').click();
  await expect(page).toHaveURL(/\/members\?.*status=probationary/);
  await expect(page.getByTestId('member-total')).toHaveText(String(probationary));
  // … and the pipeline's own list of that stage holds the admitted person.
  await page.goto(`/development/people?org=${p.org_id}&stage=probationary`);
  await expect(page.getByTestId(`dev-link-${p.id}`)).toBeVisible();
  await expect(page.getByTestId(`dev-stage-${p.id}`)).toHaveText('预备党员');
  // The new applicant is listed under the activists of the org.
  await page.goto(`/development/people?org=${p.org_id}&q=${encodeURIComponent(APPLICANT)}`);
  await expect(page.getByTestId('dev-list-total')).toHaveText('1');
  await expect(page.getByTestId(`dev-link-${applicantId}`)).toHaveText(APPLICANT);
  await expect(page.getByTestId(`dev-stage-${applicantId}`)).toHaveText('入党积极分子');
});
