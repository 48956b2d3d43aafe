//! Development of new members (发展党员): the pipeline applicant → activist →
//! candidate → probationary → full as dated steps, the preconditions of each step with the
//! rule and article that refuse it, and the due dates that follow from the steps taken.
//!
//! Every number comes from the rule engine ([`crate::rules::resolve`]) on the step's date,
//! so a county overlay (e.g. a minimum time between application and activist,
//! `local.development.activist_min_months`) changes the check without code, and periods
//! use the one convention of [`crate::calendar`] (a period of N after day D is complete on
//! D + N; working days on the calendar).

use chrono::NaiveDate;

use crate::age::age_on;
use crate::calendar::WorkCalendar;
use crate::coded_enum;
use crate::codes::Coded;
use crate::rules::{due_date_of, resolve, Overlay, Resolved};
use crate::vote::{self, VoteResult};

coded_enum! {
    /// Where a person stands in the pipeline.
    Stage {
        Applicant = ("applicant", "入党申请人"),
        Activist = ("activist", "入党积极分子"),
        Candidate = ("candidate", "发展对象"),
        Probationary = ("probationary", "预备党员"),
        Full = ("full", "正式党员"),
        Stopped = ("stopped", "已终止"),
    }
}

coded_enum! {
    /// A step of the pipeline (《中国共产党发展党员工作细则》, 2014).
    StepKind {
        Application = ("application", "递交入党申请书"),
        Talk = ("talk", "党组织派人谈话"),
        Activist = ("activist", "确定为入党积极分子"),
        Contacts = ("contacts", "指定培养联系人"),
        ThoughtReport = ("thought_report", "思想汇报"),
        Review = ("review", "培养考察（每半年）"),
        Candidate = ("candidate", "确定为发展对象"),
        PoliticalReview = ("political_review", "政治审查"),
        Training = ("training", "集中培训"),
        PreReview = ("pre_review", "基层党委预审"),
        Notice = ("notice", "发展对象公示"),
        BranchMeeting = ("branch_meeting", "支部大会讨论接收预备党员"),
        HigherTalk = ("higher_talk", "上级党组织派人谈话"),
        Approval = ("approval", "基层党委审批"),
        Oath = ("oath", "入党宣誓"),
        Extension = ("extension", "延长预备期"),
        ConversionMeeting = ("conversion_meeting", "支部大会讨论转正"),
        ConversionApproval = ("conversion_approval", "基层党委审批转正"),
        Cancellation = ("cancellation", "取消预备党员资格"),
        Stop = ("stop", "终止培养"),
    }
}

/// An introducer (入党介绍人) as the branch meeting records them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Introducer {
    /// Name.
    pub name: String,
    /// A full member on the meeting date.
    pub full: bool,
    /// Under 留党察看 with rights not restored.
    #[serde(default)]
    pub rights_suspended: bool,
}

/// Counts of a vote at a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tally {
    /// Members entitled to vote (应到).
    pub entitled: u64,
    /// Present (实到).
    pub present: u64,
    /// Ayes at the meeting.
    pub ayes: u64,
    /// Ayes in written opinions of absent members.
    #[serde(default)]
    pub written_ayes: u64,
}

/// One recorded step.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Step {
    /// Which step.
    pub kind: StepKind,
    /// Its date (for 公示 and training: the first day).
    pub date: NaiveDate,
    /// Last day (公示, training).
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    /// Class hours (training).
    #[serde(default)]
    pub hours: Option<u32>,
    /// Training contacts named (contacts).
    #[serde(default)]
    pub contacts: Option<u32>,
    /// Introducers (branch meeting).
    #[serde(default)]
    pub introducers: Vec<Introducer>,
    /// The vote (branch meeting, conversion meeting).
    #[serde(default)]
    pub tally: Option<Tally>,
    /// Months (extension).
    #[serde(default)]
    pub months: Option<u32>,
    /// Approval delayed by a special circumstance such as a re-election (第二十五条).
    #[serde(default)]
    pub special: bool,
}

impl Step {
    /// A step with only kind and date.
    pub fn on(kind: StepKind, date: NaiveDate) -> Step {
        Step {
            kind,
            date,
            end_date: None,
            hours: None,
            contacts: None,
            introducers: Vec::new(),
            tally: None,
            months: None,
            special: false,
        }
    }
}

/// Why a step cannot be recorded: a stable code and a message naming the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Refusal {
    /// Stable code (`development.…`).
    pub code: &'static str,
    /// Chinese message with the rule's document and article.
    pub message: String,
}

fn refuse(code: &'static str, message: impl Into<String>) -> Refusal {
    Refusal {
        code,
        message: message.into(),
    }
}

/// The rules a check reads: local overlays and the working-day calendar.
#[derive(Debug, Clone, Copy)]
pub struct Rules<'a> {
    /// Overlays of the deployment, oldest first.
    pub overlays: &'a [Overlay],
    /// Working days.
    pub calendar: &'a WorkCalendar,
}

impl Rules<'_> {
    /// The value in force on `date`. Before the oldest rule set Jiceng carries (e.g. a step
    /// of 2010, before the 2014 细则), the oldest known value is used and the source says so:
    /// those provisions (age 18, one year as activist, one year of probation…) are older
    /// than the documents that now carry them.
    fn param(&self, key: &str, date: NaiveDate) -> Result<Resolved, Refusal> {
        let missing = |e: crate::rules::RuleError| {
            refuse(
                "development.rule_missing",
                format!("规则 {key} 无法使用：{e}"),
            )
        };
        crate::rules::resolve_or_oldest(key, date, self.overlays).map_err(missing)
    }
    fn int(&self, key: &str, date: NaiveDate) -> Result<(i64, Resolved), Refusal> {
        let r = self.param(key, date)?;
        let v = r
            .value
            .as_int()
            .ok_or_else(|| refuse("development.rule_missing", format!("规则 {key} 不是整数")))?;
        Ok((v, r))
    }
    /// The day a period parameter counted from `from` is complete.
    fn due(&self, key: &str, from: NaiveDate) -> Result<(NaiveDate, Resolved), Refusal> {
        let r = self.param(key, from)?;
        let d = due_date_of(self.calendar, from, &r)
            .map_err(|e| refuse("development.rule_missing", format!("规则 {key}：{e}")))?;
        Ok((d, r))
    }
    /// A local rule, if an overlay adds it.
    fn local(&self, key: &str, date: NaiveDate) -> Option<Resolved> {
        resolve(key, date, self.overlays).ok()
    }
}

fn last(steps: &[Step], kind: StepKind) -> Option<&Step> {
    steps.iter().rev().find(|s| s.kind == kind)
}

/// The stage after the recorded steps (in date order).
pub fn stage(steps: &[Step]) -> Option<Stage> {
    let mut st = None;
    for s in steps {
        st = match s.kind {
            StepKind::Application => Some(Stage::Applicant),
            StepKind::Activist => Some(Stage::Activist),
            StepKind::Candidate => Some(Stage::Candidate),
            StepKind::Approval => Some(Stage::Probationary),
            StepKind::ConversionApproval => Some(Stage::Full),
            StepKind::Cancellation | StepKind::Stop => Some(Stage::Stopped),
            _ => st,
        };
    }
    st
}

/// The last day of probation: one year (党章第七条) from the branch meeting that admitted
/// the member, plus any extension. The member is full from this date once approved.
pub fn probation_end(steps: &[Step], rules: &Rules) -> Result<Option<NaiveDate>, Refusal> {
    let Some(meeting) = last(steps, StepKind::BranchMeeting) else {
        return Ok(None);
    };
    let (mut end, _) = rules.due("member.probation_years", meeting.date)?;
    for e in steps.iter().filter(|s| s.kind == StepKind::Extension) {
        end = crate::calendar::add_months(end, e.months.unwrap_or(0))
            .map_err(|e| refuse("development.date_invalid", e.to_string()))?;
    }
    Ok(Some(end))
}

fn need(steps: &[Step], kind: StepKind, for_what: StepKind) -> Result<&Step, Refusal> {
    last(steps, kind).ok_or_else(|| {
        refuse(
            "development.step_missing",
            format!("须先完成“{}”，才能登记“{}”", kind.zh(), for_what.zh()),
        )
    })
}

fn stage_is(steps: &[Step], allowed: &[Stage], what: StepKind) -> Result<(), Refusal> {
    let st = stage(steps);
    if st.is_some_and(|s| allowed.contains(&s)) {
        return Ok(());
    }
    let now = st.map_or("尚未递交入党申请书", |s| s.zh());
    let need: Vec<&str> = allowed.iter().map(|s| s.zh()).collect();
    Err(refuse(
        "development.wrong_stage",
        format!(
            "“{}”只能在{}阶段登记，当前为：{now}",
            what.zh(),
            need.join("或")
        ),
    ))
}

fn vote(rule: &str, t: Option<Tally>, what: StepKind) -> Result<VoteResult, Refusal> {
    let t = t.ok_or_else(|| {
        refuse(
            "development.vote_missing",
            format!("“{}”须填写表决情况", what.zh()),
        )
    })?;
    let r = vote::vote_rule(rule).ok_or_else(|| {
        refuse(
            "development.rule_missing",
            format!("表决规则 {rule} 不存在"),
        )
    })?;
    let v = vote::check(r, t.entitled, t.present, t.ayes, t.written_ayes)
        .map_err(|e| refuse("development.vote_invalid", e.to_string()))?;
    if !v.passed {
        return Err(refuse(
            "development.vote_failed",
            format!("表决未通过，不能登记“{}”：{}", what.zh(), v.derivation_zh),
        ));
    }
    Ok(v)
}

/// Checks that `new` may follow `steps` (recorded, in date order) for a person born on
/// `birth`. Returns the vote's result for meeting steps.
pub fn check_step(
    birth: NaiveDate,
    steps: &[Step],
    new: &Step,
    rules: &Rules,
) -> Result<Option<VoteResult>, Refusal> {
    use StepKind as K;
    if let Some(prev) = steps.last() {
        if new.date < prev.date {
            return Err(refuse(
                "development.date_order",
                format!(
                    "日期 {} 早于上一步“{}”的日期 {}",
                    new.date,
                    prev.kind.zh(),
                    prev.date
                ),
            ));
        }
    }
    let all_open = [Stage::Applicant, Stage::Activist, Stage::Candidate];
    match new.kind {
        K::Application => {
            if stage(steps).is_some_and(|s| s != Stage::Stopped) {
                return Err(refuse(
                    "development.already_applied",
                    "已在发展流程中，不能重复递交入党申请书",
                ));
            }
            let (min, r) = rules.int("member.min_age", new.date)?;
            let age = age_on(birth, new.date);
            if i64::from(age) < min {
                return Err(refuse(
                    "development.too_young",
                    format!(
                        "递交入党申请书时未满{min}周岁（{}），当日 {age} 周岁",
                        r.source
                    ),
                ));
            }
        }
        K::Talk => stage_is(steps, &[Stage::Applicant], new.kind)?,
        K::Activist => {
            stage_is(steps, &[Stage::Applicant], new.kind)?;
            let app = need(steps, K::Application, new.kind)?;
            if let Some(r) = rules.local("local.development.activist_min_months", new.date) {
                if let Some(m) = r.value.as_int() {
                    let earliest = crate::calendar::add_months(app.date, m as u32)
                        .map_err(|e| refuse("development.date_invalid", e.to_string()))?;
                    if new.date < earliest {
                        return Err(refuse(
                            "development.activist_too_early",
                            format!(
                                "递交入党申请书满{m}个月后方可确定为入党积极分子（{}），最早 {earliest}",
                                r.source
                            ),
                        ));
                    }
                }
            }
        }
        K::Contacts => {
            stage_is(steps, &[Stage::Activist, Stage::Candidate], new.kind)?;
            let (lo, r) = rules.int("development.contacts_min", new.date)?;
            let (hi, _) = rules.int("development.contacts_max", new.date)?;
            let n = i64::from(new.contacts.unwrap_or(0));
            if !(lo..=hi).contains(&n) {
                return Err(refuse(
                    "development.contacts_count",
                    format!(
                        "培养联系人应为{lo}至{hi}名正式党员（{}），填写了 {n} 名",
                        r.source
                    ),
                ));
            }
        }
        K::ThoughtReport => stage_is(
            steps,
            &[
                Stage::Applicant,
                Stage::Activist,
                Stage::Candidate,
                Stage::Probationary,
            ],
            new.kind,
        )?,
        K::Review => stage_is(steps, &[Stage::Activist, Stage::Candidate], new.kind)?,
        K::Candidate => {
            stage_is(steps, &[Stage::Activist], new.kind)?;
            let act = need(steps, K::Activist, new.kind)?;
            let (earliest, r) = rules.due("development.activist_training_years", act.date)?;
            if new.date < earliest {
                return Err(refuse(
                    "development.activist_under_a_year",
                    format!(
                        "确定为入党积极分子（{}）不满1年，经过1年以上培养教育和考察方可列为发展对象（{}），最早 {earliest}",
                        act.date, r.source
                    ),
                ));
            }
        }
        K::PoliticalReview | K::PreReview => stage_is(steps, &[Stage::Candidate], new.kind)?,
        K::Training => {
            stage_is(steps, &[Stage::Activist, Stage::Candidate], new.kind)?;
            let end = new.end_date.unwrap_or(new.date);
            if end < new.date {
                return Err(refuse(
                    "development.date_invalid",
                    "培训结束日期早于开始日期",
                ));
            }
            let days = (end - new.date).num_days() + 1;
            let (min_days, r) = rules.int("development.training_days", new.date)?;
            let (min_hours, _) = rules.int("development.training_hours", new.date)?;
            if days < min_days && i64::from(new.hours.unwrap_or(0)) < min_hours {
                return Err(refuse(
                    "development.training_short",
                    format!(
                        "集中培训时间一般不少于{min_days}天或不少于{min_hours}学时（{}），本次 {days} 天、{} 学时",
                        r.source,
                        new.hours.unwrap_or(0)
                    ),
                ));
            }
        }
        K::Notice => {
            stage_is(steps, &[Stage::Candidate], new.kind)?;
            let end = new
                .end_date
                .ok_or_else(|| refuse("development.notice_end_missing", "公示须填写结束日期"))?;
            // The one convention of every period (crate::calendar): N working days
            // starting the day after the 公示 is posted, complete on the N-th working day.
            let (complete, r) = rules.due("development.notice_working_days", new.date)?;
            if end < complete {
                let min = r.value.as_int().unwrap_or(0);
                let n = rules.calendar.working_days_between(new.date, end);
                let mut msg = format!(
                    "公示期不少于{min}个工作日（{}；公示开始的当日不计入），{} 开始的公示最早 {complete} 期满，至 {end} 只有 {n} 个工作日",
                    r.source, new.date
                );
                if let Some(w) = rules.calendar.warning(new.date, complete) {
                    msg.push_str(&format!("（{w}）"));
                }
                return Err(refuse("development.notice_short", msg));
            }
        }
        K::BranchMeeting => {
            stage_is(steps, &[Stage::Candidate], new.kind)?;
            for k in [K::PoliticalReview, K::Training, K::PreReview, K::Notice] {
                need(steps, k, new.kind)?;
            }
            if let Some(n) = last(steps, K::Notice).and_then(|n| n.end_date) {
                if new.date <= n {
                    return Err(refuse(
                        "development.notice_not_over",
                        format!("公示至 {n} 结束，支部大会应在公示结束后召开"),
                    ));
                }
            }
            let (count, r) = rules.int("development.introducers", new.date)?;
            if new.introducers.len() as i64 != count {
                return Err(refuse(
                    "development.introducers_count",
                    format!("入党介绍人应为{count}名正式党员（{}）", r.source),
                ));
            }
            if let Some(i) = new.introducers.iter().find(|i| !i.full) {
                return Err(refuse(
                    "development.introducer_not_full",
                    format!(
                        "{}不是正式党员，预备党员不能作入党介绍人（{}）",
                        i.name, r.source
                    ),
                ));
            }
            if let Some(i) = new.introducers.iter().find(|i| i.rights_suspended) {
                return Err(refuse(
                    "development.introducer_suspended",
                    format!(
                        "{}受留党察看处分、尚未恢复党员权利，不能作入党介绍人（{}）",
                        i.name, r.source
                    ),
                ));
            }
            return vote("development.admission", new.tally, new.kind).map(Some);
        }
        K::HigherTalk => {
            stage_is(steps, &[Stage::Candidate], new.kind)?;
            need(steps, K::BranchMeeting, new.kind)?;
        }
        K::Approval => {
            stage_is(steps, &[Stage::Candidate], new.kind)?;
            let meeting = need(steps, K::BranchMeeting, new.kind)?;
            need(steps, K::HigherTalk, new.kind)?;
            let key = if new.special {
                "development.approval_months_special"
            } else {
                "development.approval_months"
            };
            let (latest, r) = rules.due(key, meeting.date)?;
            if new.date > latest {
                return Err(refuse(
                    "development.approval_late",
                    format!(
                        "基层党委应在支部大会（{}）后{}个月内审批（{}），最迟 {latest}",
                        meeting.date,
                        r.value.as_int().unwrap_or(0),
                        r.source
                    ),
                ));
            }
        }
        K::Oath => stage_is(steps, &[Stage::Probationary], new.kind)?,
        K::Extension => {
            stage_is(steps, &[Stage::Probationary], new.kind)?;
            let (times, r) = rules.int("development.extension_times", new.date)?;
            let done = steps.iter().filter(|s| s.kind == K::Extension).count() as i64;
            if done >= times {
                return Err(refuse(
                    "development.extension_twice",
                    format!("预备期只能延长{times}次（{}）", r.source),
                ));
            }
            let (lo, r) = rules.int("development.extension_min_months", new.date)?;
            let (hi, _) = rules.int("development.extension_max_months", new.date)?;
            let m = i64::from(new.months.unwrap_or(0));
            if !(lo..=hi).contains(&m) {
                return Err(refuse(
                    "development.extension_months",
                    format!(
                        "延长预备期不少于{lo}个月、最长不超过{hi}个月（{}），填写了 {m} 个月",
                        r.source
                    ),
                ));
            }
        }
        K::ConversionMeeting => {
            stage_is(steps, &[Stage::Probationary], new.kind)?;
            if let Some(end) = probation_end(steps, rules)? {
                if new.date < end {
                    return Err(refuse(
                        "development.probation_not_over",
                        format!(
                            "预备期至 {end} 期满，期满后方可讨论转正（《中国共产党章程》第七条）"
                        ),
                    ));
                }
            }
            return vote("development.conversion", new.tally, new.kind).map(Some);
        }
        K::ConversionApproval => {
            stage_is(steps, &[Stage::Probationary], new.kind)?;
            let meeting = need(steps, K::ConversionMeeting, new.kind)?;
            let (latest, r) = rules.due("development.conversion_approval_months", meeting.date)?;
            if new.date > latest {
                return Err(refuse(
                    "development.approval_late",
                    format!(
                        "上级党委应在支部大会（{}）后3个月内审批转正（{}），最迟 {latest}",
                        meeting.date, r.source
                    ),
                ));
            }
        }
        K::Cancellation => stage_is(steps, &[Stage::Probationary], new.kind)?,
        K::Stop => stage_is(steps, &all_open, new.kind)?,
    }
    Ok(None)
}

/// Something due next for a person, with the rule it comes from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Due {
    /// The step due.
    pub step: StepKind,
    /// Label.
    pub label: String,
    /// Due on (the last day to do it on time, or the first day it is allowed).
    pub date: NaiveDate,
    /// `deadline` (do it by then) or `earliest` (possible from then).
    pub kind: &'static str,
    /// Document and article.
    pub source: String,
}

/// What is due next after `steps`: talk within a month of the application, half-yearly
/// reviews and quarterly thought reports, the first day an activist may become a candidate,
/// approval within 3 months of the branch meeting, the conversion discussion at the end of
/// probation and its approval.
pub fn next_due(steps: &[Step], rules: &Rules) -> Result<Vec<Due>, Refusal> {
    use StepKind as K;
    let mut out = Vec::new();
    let mut push = |step: K, date: NaiveDate, kind: &'static str, r: &Resolved| {
        out.push(Due {
            step,
            label: step.zh().to_string(),
            date,
            kind,
            source: r.source.clone(),
        });
    };
    match stage(steps) {
        Some(Stage::Applicant) if last(steps, K::Talk).is_none() => {
            if let Some(app) = last(steps, K::Application) {
                let (d, r) = rules.due("development.talk_within_months", app.date)?;
                push(K::Talk, d, "deadline", &r);
            }
        }
        Some(Stage::Activist) => {
            if let Some(act) = last(steps, K::Activist) {
                let from = last(steps, K::Review).map_or(act.date, |r| r.date.max(act.date));
                let (d, r) = rules.due("development.activist_review_months", from)?;
                push(K::Review, d, "deadline", &r);
                let (d, r) = rules.due("development.activist_training_years", act.date)?;
                push(K::Candidate, d, "earliest", &r);
            }
        }
        Some(Stage::Candidate) => {
            if let Some(m) = last(steps, K::BranchMeeting) {
                let (d, r) = rules.due("development.approval_months", m.date)?;
                push(K::Approval, d, "deadline", &r);
            }
        }
        Some(Stage::Probationary) => {
            if let Some(end) = probation_end(steps, rules)? {
                let r = rules.param("member.probation_years", end)?;
                match last(steps, K::ConversionMeeting) {
                    Some(m) if m.date >= end => {
                        let (d, r) = rules.due("development.conversion_approval_months", m.date)?;
                        push(K::ConversionApproval, d, "deadline", &r);
                    }
                    _ => push(K::ConversionMeeting, end, "earliest", &r),
                }
            }
        }
        _ => {}
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn rules(cal: &WorkCalendar) -> Rules<'_> {
        Rules {
            overlays: &[],
            calendar: cal,
        }
    }

    fn tally(entitled: u64, present: u64, ayes: u64) -> Option<Tally> {
        Some(Tally {
            entitled,
            present,
            ayes,
            written_ayes: 0,
        })
    }

    fn intro(name: &str, full: bool) -> Introducer {
        Introducer {
            name: name.into(),
            full,
            rights_suspended: false,
        }
    }

    /// A person walked from application to candidate, ready for the branch meeting.
    fn to_candidate() -> Vec<Step> {
        let mut v = vec![
            Step::on(StepKind::Application, d(2023, 3, 1)),
            Step::on(StepKind::Talk, d(2023, 3, 20)),
            Step::on(StepKind::Activist, d(2023, 6, 1)),
            Step::on(StepKind::Candidate, d(2024, 6, 1)),
            Step::on(StepKind::PoliticalReview, d(2024, 7, 1)),
        ];
        let mut t = Step::on(StepKind::Training, d(2024, 7, 10));
        t.end_date = Some(d(2024, 7, 12));
        v.push(t);
        v.push(Step::on(StepKind::PreReview, d(2024, 8, 1)));
        let mut n = Step::on(StepKind::Notice, d(2024, 9, 20));
        n.end_date = Some(d(2024, 9, 27));
        v.push(n);
        v
    }

    fn add(
        cal: &WorkCalendar,
        steps: &mut Vec<Step>,
        s: Step,
    ) -> Result<Option<VoteResult>, Refusal> {
        let r = check_step(d(2000, 1, 1), steps, &s, &rules(cal))?;
        steps.push(s);
        Ok(r)
    }

    #[test]
    fn the_whole_pipeline() {
        let cal = WorkCalendar::central();
        let mut steps = Vec::new();
        for s in to_candidate() {
            add(&cal, &mut steps, s).unwrap();
        }
        assert_eq!(stage(&steps), Some(Stage::Candidate));
        let mut m = Step::on(StepKind::BranchMeeting, d(2024, 10, 10));
        m.introducers = vec![intro("甲", true), intro("乙", true)];
        m.tally = tally(9, 8, 5);
        let v = add(&cal, &mut steps, m).unwrap().unwrap();
        assert!(v.passed);
        let due = next_due(&steps, &rules(&cal)).unwrap();
        assert_eq!(due[0].step, StepKind::Approval);
        assert_eq!(due[0].date, d(2025, 1, 10));
        add(
            &cal,
            &mut steps,
            Step::on(StepKind::HigherTalk, d(2024, 11, 1)),
        )
        .unwrap();
        add(
            &cal,
            &mut steps,
            Step::on(StepKind::Approval, d(2025, 1, 10)),
        )
        .unwrap();
        assert_eq!(stage(&steps), Some(Stage::Probationary));
        assert_eq!(
            probation_end(&steps, &rules(&cal)).unwrap(),
            Some(d(2025, 10, 10))
        );
        let due = next_due(&steps, &rules(&cal)).unwrap();
        assert_eq!(
            (due[0].step, due[0].date),
            (StepKind::ConversionMeeting, d(2025, 10, 10))
        );
        let mut early = Step::on(StepKind::ConversionMeeting, d(2025, 10, 9));
        early.tally = tally(9, 9, 9);
        assert_eq!(
            check_step(d(2000, 1, 1), &steps, &early, &rules(&cal))
                .unwrap_err()
                .code,
            "development.probation_not_over"
        );
        let mut conv = Step::on(StepKind::ConversionMeeting, d(2025, 10, 10));
        conv.tally = tally(9, 9, 9);
        add(&cal, &mut steps, conv).unwrap();
        add(
            &cal,
            &mut steps,
            Step::on(StepKind::ConversionApproval, d(2025, 12, 1)),
        )
        .unwrap();
        assert_eq!(stage(&steps), Some(Stage::Full));
    }

    #[test]
    fn refusals_name_the_rule() {
        let cal = WorkCalendar::central();
        let r = rules(&cal);
        // Under 18 on the day of the application (birthday the next day).
        let e = check_step(
            d(2006, 3, 2),
            &[],
            &Step::on(StepKind::Application, d(2024, 3, 1)),
            &r,
        )
        .unwrap_err();
        assert_eq!(e.code, "development.too_young");
        assert!(e.message.contains("第一条"), "{}", e.message);
        assert!(check_step(
            d(2006, 3, 1),
            &[],
            &Step::on(StepKind::Application, d(2024, 3, 1)),
            &r
        )
        .is_ok());

        // Candidate one day before a full year as activist.
        let steps = vec![
            Step::on(StepKind::Application, d(2023, 1, 1)),
            Step::on(StepKind::Activist, d(2023, 6, 1)),
        ];
        let e = check_step(
            d(2000, 1, 1),
            &steps,
            &Step::on(StepKind::Candidate, d(2024, 5, 31)),
            &r,
        )
        .unwrap_err();
        assert_eq!(e.code, "development.activist_under_a_year");
        assert!(
            e.message.contains("第十三条") && e.message.contains("2024-06-01"),
            "{}",
            e.message
        );
        assert!(check_step(
            d(2000, 1, 1),
            &steps,
            &Step::on(StepKind::Candidate, d(2024, 6, 1)),
            &r
        )
        .is_ok());

        // A probationary introducer, then a failed vote.
        let base = to_candidate();
        let mut m = Step::on(StepKind::BranchMeeting, d(2024, 10, 10));
        m.introducers = vec![intro("甲", true), intro("乙", false)];
        m.tally = tally(9, 8, 8);
        assert_eq!(
            check_step(d(2000, 1, 1), &base, &m, &r).unwrap_err().code,
            "development.introducer_not_full"
        );
        m.introducers = vec![intro("甲", true)];
        assert_eq!(
            check_step(d(2000, 1, 1), &base, &m, &r).unwrap_err().code,
            "development.introducers_count"
        );
        m.introducers = vec![intro("甲", true), intro("乙", true)];
        m.tally = tally(9, 8, 4);
        let e = check_step(d(2000, 1, 1), &base, &m, &r).unwrap_err();
        assert_eq!(e.code, "development.vote_failed");
        assert!(e.message.contains("不通过"), "{}", e.message);
        // The meeting must wait for the end of the 公示.
        m.tally = tally(9, 8, 5);
        m.date = d(2024, 9, 27);
        assert_eq!(
            check_step(d(2000, 1, 1), &base, &m, &r).unwrap_err().code,
            "development.notice_not_over"
        );
    }

    #[test]
    fn notice_counts_working_days_across_a_holiday() {
        let cal = WorkCalendar::central();
        let r = rules(&cal);
        let mut steps = to_candidate();
        steps.pop();
        // Posted on Friday 2024-09-27; the period starts the next day (the convention of
        // every period): 29 Sep (调休 working Sunday), 30 Sep, [国庆 1–7 Oct off], 8, 9 and
        // 10 Oct → complete on 2024-10-10, as docs/rules.md and /calendar/add say.
        let mut n = Step::on(StepKind::Notice, d(2024, 9, 27));
        n.end_date = Some(d(2024, 10, 9));
        let e = check_step(d(2000, 1, 1), &steps, &n, &r).unwrap_err();
        assert_eq!(e.code, "development.notice_short");
        assert!(
            e.message.contains("最早 2024-10-10 期满") && e.message.contains("只有 4 个工作日"),
            "{}",
            e.message
        );
        assert!(e.message.contains("当日不计入"), "{}", e.message);
        n.end_date = Some(d(2024, 10, 10));
        assert!(
            check_step(d(2000, 1, 1), &steps, &n, &r).is_ok(),
            "5 working days"
        );
        // 2025: 国庆节、中秋节 1–8 Oct off, 28 Sep (Sunday) and 11 Oct (Saturday) worked.
        // Posted on Friday 2025-09-26: 28, 29, 30 Sep, 9, 10 Oct → 2025-10-10.
        let mut n = Step::on(StepKind::Notice, d(2025, 9, 26));
        n.end_date = Some(d(2025, 10, 9));
        let e = check_step(d(2000, 1, 1), &steps, &n, &r).unwrap_err();
        assert_eq!(e.code, "development.notice_short");
        assert!(
            e.message.contains("最早 2025-10-10 期满") && e.message.contains("只有 4 个工作日"),
            "{}",
            e.message
        );
        n.end_date = Some(d(2025, 10, 10));
        assert!(check_step(d(2000, 1, 1), &steps, &n, &r).is_ok());
        // The check is the calendar's own addition, whatever the first day.
        for first in d(2025, 9, 20).iter_days().take(30) {
            let complete = cal.add_working_days(first, 5).unwrap();
            let mut n = Step::on(StepKind::Notice, first);
            n.end_date = complete.pred_opt();
            assert!(
                check_step(d(2000, 1, 1), &steps, &n, &r).is_err(),
                "{first}"
            );
            n.end_date = Some(complete);
            assert!(check_step(d(2000, 1, 1), &steps, &n, &r).is_ok(), "{first}");
        }
    }

    #[test]
    fn approval_within_three_months_and_one_extension() {
        let cal = WorkCalendar::central();
        let r = rules(&cal);
        let mut steps = to_candidate();
        let mut m = Step::on(StepKind::BranchMeeting, d(2024, 10, 10));
        m.introducers = vec![intro("甲", true), intro("乙", true)];
        m.tally = tally(9, 8, 5);
        steps.push(m);
        steps.push(Step::on(StepKind::HigherTalk, d(2024, 11, 1)));
        let late = Step::on(StepKind::Approval, d(2025, 1, 11));
        let e = check_step(d(2000, 1, 1), &steps, &late, &r).unwrap_err();
        assert_eq!(e.code, "development.approval_late");
        assert!(
            e.message.contains("第二十五条") && e.message.contains("2025-01-10"),
            "{}",
            e.message
        );
        let mut special = late.clone();
        special.special = true;
        assert!(
            check_step(d(2000, 1, 1), &steps, &special, &r).is_ok(),
            "换届 allows 6 months"
        );
        steps.push(Step::on(StepKind::Approval, d(2025, 1, 10)));
        let mut ext = Step::on(StepKind::Extension, d(2025, 10, 10));
        ext.months = Some(5);
        assert_eq!(
            check_step(d(2000, 1, 1), &steps, &ext, &r)
                .unwrap_err()
                .code,
            "development.extension_months"
        );
        ext.months = Some(6);
        assert!(check_step(d(2000, 1, 1), &steps, &ext, &r).is_ok());
        steps.push(ext.clone());
        assert_eq!(probation_end(&steps, &r).unwrap(), Some(d(2026, 4, 10)));
        ext.date = d(2026, 4, 10);
        assert_eq!(
            check_step(d(2000, 1, 1), &steps, &ext, &r)
                .unwrap_err()
                .code,
            "development.extension_twice"
        );
    }

    #[test]
    fn overlays_add_local_rules() {
        use crate::rules::{LocalParam, ParamValue, Unit};
        let cal = WorkCalendar::central();
        let overlay = Overlay {
            code: "county.test".into(),
            name_zh: "某县发展党员补充规定".into(),
            effective: d(2024, 1, 1),
            source_document: "某县委组织部〔2024〕1号".into(),
            params: vec![],
            added_rules: vec![LocalParam {
                key: "local.development.activist_min_months".into(),
                value: ParamValue::Int(6),
                unit: Unit::Months,
                source: "第三条".into(),
                note: None,
            }],
        };
        let r = Rules {
            overlays: std::slice::from_ref(&overlay),
            calendar: &cal,
        };
        let steps = vec![Step::on(StepKind::Application, d(2024, 3, 1))];
        let e = check_step(
            d(2000, 1, 1),
            &steps,
            &Step::on(StepKind::Activist, d(2024, 8, 31)),
            &r,
        )
        .unwrap_err();
        assert_eq!(e.code, "development.activist_too_early");
        assert!(e.message.contains("某县委组织部"), "{}", e.message);
        assert!(check_step(
            d(2000, 1, 1),
            &steps,
            &Step::on(StepKind::Activist, d(2024, 9, 1)),
            &r
        )
        .is_ok());
        // Without the overlay there is no minimum.
        assert!(check_step(
            d(2000, 1, 1),
            &steps,
            &Step::on(StepKind::Activist, d(2024, 3, 2)),
            &rules(&cal)
        )
        .is_ok());
    }

    #[test]
    fn steps_before_the_2014_rules_are_checked_against_them_with_a_note() {
        let cal = WorkCalendar::central();
        let steps = vec![
            Step::on(StepKind::Application, d(2002, 1, 1)),
            Step::on(StepKind::Activist, d(2002, 6, 1)),
        ];
        let e = check_step(
            d(1980, 1, 1),
            &steps,
            &Step::on(StepKind::Candidate, d(2003, 5, 31)),
            &rules(&cal),
        )
        .unwrap_err();
        assert_eq!(e.code, "development.activist_under_a_year");
        assert!(e.message.contains("2014-05-28 起施行"), "{}", e.message);
        assert!(check_step(
            d(1980, 1, 1),
            &steps,
            &Step::on(StepKind::Candidate, d(2003, 6, 1)),
            &rules(&cal)
        )
        .is_ok());
    }

    proptest! {
        #[test]
        fn candidate_boundary_is_exactly_one_year(days in 0i64..800) {
            let cal = WorkCalendar::central();
            let act = d(2021, 1, 1) + chrono::Days::new(days as u64);
            let steps = vec![Step::on(StepKind::Application, d(2020, 1, 1)), Step::on(StepKind::Activist, act)];
            let year = crate::calendar::add_years(act, 1).unwrap();
            let before = year.pred_opt().unwrap();
            prop_assert!(check_step(d(1990, 1, 1), &steps, &Step::on(StepKind::Candidate, before), &rules(&cal)).is_err());
            prop_assert!(check_step(d(1990, 1, 1), &steps, &Step::on(StepKind::Candidate, year), &rules(&cal)).is_ok());
        }

        #[test]
        fn steps_never_go_back_in_time(back in 1u64..400) {
            let cal = WorkCalendar::central();
            let steps = vec![Step::on(StepKind::Application, d(2024, 6, 1))];
            let s = Step::on(StepKind::Talk, d(2024, 6, 1) - chrono::Days::new(back));
            prop_assert_eq!(check_step(d(1990, 1, 1), &steps, &s, &rules(&cal)).unwrap_err().code, "development.date_order");
        }
    }
}
