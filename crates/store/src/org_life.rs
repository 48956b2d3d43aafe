//! Organizational life (三会一课) and dues (党费) records, and the self-withdrawal proposal
//! they feed (党章 第九条). The rule itself is
//! [`jiceng_domain::org_life::assess`]; its period is the rule parameter
//! `member.lapse_months` (a county overlay may not change the constitution, but the value
//! is read like every other one, so its source is shown).
//!
//! Meetings and payments are facts: recorded once, audited, never edited (a wrong record is
//! answered by a correcting one in a later issue on org life). The decision to remove a
//! member (除名) is the branch meeting's, voted under `member.removal` and approved by the
//! level above; it is written as the member's `self_withdrawal` event in the same
//! transaction, dated the approval.
//!
//! Scope: reading needs MemberRead on the org, recording MemberWrite (branch secretaries
//! record their own branch's life); out of scope answers 404.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use jiceng_domain::codes::Coded;
use jiceng_domain::member::MemberEventKind;
use jiceng_domain::org_life::{self as dl, Attendance, MeetingKind, MemberLife, Month};
use jiceng_domain::rules::resolve_or_oldest;
use jiceng_domain::vote;
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::audit::{self, Entry};
use crate::auth::{Action, Scope};
use crate::error::{Result, StoreError};
use crate::member::{MemberView, NewMemberEvent};
use crate::sql::path_upper;
use crate::{opt_trim, parse_date, Store};

fn bad(code: &'static str, msg: impl Into<String>) -> StoreError {
    StoreError::invalid(code, msg.into())
}

/// A listed member at a meeting.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AttendanceInput {
    /// Member.
    pub member_id: i64,
    /// `present`, `excused` or `absent`.
    pub status: String,
    /// Reason for leave or absence.
    pub reason: Option<String>,
}

/// Recording a meeting.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewMeeting {
    /// Org that held it.
    pub org_id: i64,
    /// Kind code (`general_meeting`, `committee_meeting`, `group_meeting`, `lecture`,
    /// `theme_day`, `life_meeting`, `member_appraisal`).
    pub kind: String,
    /// Date held.
    pub held_on: String,
    /// Topic.
    pub topic: String,
    /// Lecturer (党课).
    pub lecturer: Option<String>,
    /// Minutes.
    pub minutes: Option<String>,
    /// Who was expected and whether they came.
    pub attendance: Vec<AttendanceInput>,
}

/// A listed member's attendance as shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AttendanceView {
    /// Member.
    pub member_id: i64,
    /// Name.
    pub member_name: String,
    /// Status code.
    pub status: String,
    /// Its label.
    pub status_zh: String,
    /// Reason.
    pub reason: Option<String>,
    /// Who the member is, to tell namesakes apart (filled on one meeting's list).
    pub who: Option<AttendeeInfo>,
}

/// What tells two members of the same name apart: gender, birth year, the masked tail of
/// the ID number, the org holding the membership.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AttendeeInfo {
    /// Gender code.
    pub gender: String,
    /// Its label.
    pub gender_zh: String,
    /// Year of birth.
    pub birth_year: Option<i32>,
    /// Last four characters of the ID number, masked before (`****1234`); none when the
    /// record has no ID number.
    pub id_tail: Option<String>,
    /// The org holding the membership now (none when off the roster).
    pub org_id: Option<i64>,
    /// Its name.
    pub org_name: Option<String>,
}

/// A meeting as shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MeetingView {
    /// Id.
    pub id: i64,
    /// Org.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// Kind code.
    pub kind: String,
    /// Its label.
    pub kind_zh: String,
    /// Date held.
    pub held_on: String,
    /// Topic.
    pub topic: String,
    /// Lecturer.
    pub lecturer: Option<String>,
    /// Minutes.
    pub minutes: Option<String>,
    /// Present.
    pub present: i64,
    /// On leave.
    pub excused: i64,
    /// Absent.
    pub absent: i64,
    /// The list (empty in lists of meetings).
    pub attendance: Vec<AttendanceView>,
    /// Recorded at.
    pub created_at: String,
}

/// Meetings of a subtree in a period.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct MeetingFilter {
    /// Subtree root.
    pub org: i64,
    /// From (inclusive).
    pub from: Option<String>,
    /// To (inclusive).
    pub to: Option<String>,
    /// Kind code.
    pub kind: Option<String>,
}

/// A meeting in a member's file.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MemberAttendance {
    /// Meeting.
    pub meeting_id: i64,
    /// Date held.
    pub held_on: String,
    /// Kind code.
    pub kind: String,
    /// Its label.
    pub kind_zh: String,
    /// Topic.
    pub topic: String,
    /// Org that held it.
    pub org_name: String,
    /// `present`, `excused` or `absent`.
    pub status: String,
    /// Its label.
    pub status_zh: String,
    /// Reason given.
    pub reason: Option<String>,
}

/// Recording dues paid.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewDues {
    /// Member.
    pub member_id: i64,
    /// Months paid (`YYYY-MM`), each once.
    pub months: Vec<String>,
    /// Amount per month in fen (分).
    pub amount_fen: i64,
    /// Date paid.
    pub paid_on: String,
    /// Exempted or reduced to nothing by decision (减免), not paid.
    #[serde(default)]
    pub exempt: bool,
    /// Note.
    pub note: Option<String>,
}

/// One month of a member's dues as shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DuesView {
    /// Id.
    pub id: i64,
    /// Member.
    pub member_id: i64,
    /// Org it was paid to.
    pub org_id: i64,
    /// Month (`YYYY-MM`).
    pub month: String,
    /// Amount in fen.
    pub amount_fen: i64,
    /// Exempted.
    pub exempt: bool,
    /// Date paid.
    pub paid_on: String,
    /// Note.
    pub note: Option<String>,
}

/// A member proposed for self-withdrawal, with the findings.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProposalView {
    /// Member.
    pub member_id: i64,
    /// Name.
    pub name: String,
    /// Org.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// `probationary` or `full`.
    pub status: Option<String>,
    /// Working away (流动党员): check with the receiving org before deciding.
    pub floating: bool,
    /// Day the member came to the org.
    pub since: Option<String>,
    /// Last meeting attended.
    pub last_present: Option<String>,
    /// Last month paid.
    pub last_paid: Option<String>,
    /// Findings (code `org_life` / `dues` and a sentence).
    pub grounds: Vec<GroundView>,
    /// Member version (for the decision).
    pub version: i64,
}

/// A finding.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GroundView {
    /// `org_life` or `dues`.
    pub code: String,
    /// The finding in Chinese.
    pub text: String,
}

/// A branch that did not hold the org life it was required to hold in the period: its
/// members' absences then are no ground for a proposal.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BranchShortfallView {
    /// Org.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// Stretches of the period without any meeting (`YYYY-MM-DD 至 YYYY-MM-DD`).
    pub empty: Vec<String>,
    /// Meetings held in the period.
    pub held: usize,
    /// The finding in Chinese.
    pub text: String,
}

/// The proposals of a subtree on a day, with the rule applied.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Proposals {
    /// The day assessed.
    pub as_of: String,
    /// The rule's period in months.
    pub months: u32,
    /// The rhythm in months of the org life a branch must hold (every stretch of the period
    /// this long must hold a meeting the member was called to).
    pub cadence_months: u32,
    /// Where the rule comes from.
    pub source: String,
    /// The ground stated precisely, with the required frequencies and their sources.
    pub basis: String,
    /// Members proposed.
    pub items: Vec<ProposalView>,
    /// Branches of the subtree that fell short of their required org life in the period.
    pub branches_short: Vec<BranchShortfallView>,
}

/// The branch meeting's decision to remove a member as self-withdrawn (除名).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct RemovalDecision {
    /// Member version read (stale → 409).
    pub version: i64,
    /// Date of the branch general meeting.
    pub meeting_date: String,
    /// Members with a vote expected (应到).
    pub entitled: u64,
    /// Present with a vote (实到).
    pub present: u64,
    /// Ayes.
    pub ayes: u64,
    /// Date the level above approved (the member leaves the roster on it).
    pub approved_on: String,
    /// Approving org as written (上级党组织).
    pub approved_by: String,
    /// Facts of another ground (不做党所分配的工作), when the records show none.
    pub other_grounds: Option<String>,
}

/// The decision recorded.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RemovalView {
    /// The member after the event.
    pub member: MemberView,
    /// Grounds the decision rests on.
    pub grounds: Vec<String>,
    /// The vote's derivation.
    pub derivation: String,
}

struct Rule {
    lapse: dl::LapseRule,
    source: String,
    basis: String,
}

/// The required frequencies of the meetings members are called to: their shortest is the
/// rhythm every stretch of the self-withdrawal period must hold.
const MEMBER_MEETING_FREQUENCIES: [(&str, &str); 4] = [
    ("org_life.theme_day_months", "主题党日"),
    ("org_life.group_meeting_months", "党小组会"),
    ("org_life.general_meeting_months", "支部党员大会"),
    ("org_life.lecture_months", "党课"),
];

/// Members a proposal list may assess at once (setting `org_life.max_members` overrides):
/// the assessment reads every member's meetings and dues, fine for a county, not for a
/// province at once.
pub const MAX_ASSESSED_MEMBERS: i64 = 200_000;

impl Store {
    /// The rule on `date`: the period (`member.lapse_months`) and the required rhythm of
    /// org life (the shortest of [`MEMBER_MEETING_FREQUENCIES`]), each read by the resolver
    /// (central default or a local overlay in force on the date).
    async fn lapse_rule(&self, date: NaiveDate) -> Result<Rule> {
        let overlays = self.rule_overlays().await?;
        let int = |key: &str| -> Result<(u32, String)> {
            let r = resolve_or_oldest(key, date, &overlays)
                .map_err(|e| bad("org_life.rule_missing", e.to_string()))?;
            let v = r
                .value
                .as_int()
                .and_then(|v| u32::try_from(v).ok())
                .ok_or_else(|| bad("org_life.rule_missing", format!("规则 {key} 不是整数")))?;
            Ok((v, r.source))
        };
        let (months, source) = int("member.lapse_months")?;
        let mut cadence = u32::MAX;
        let mut required = Vec::new();
        let mut sources: Vec<String> = Vec::new();
        for (key, label) in MEMBER_MEETING_FREQUENCIES {
            let (v, src) = int(key)?;
            let v = v.max(1);
            cadence = cadence.min(v);
            required.push(if v == 1 {
                format!("{label}每月1次")
            } else {
                format!("{label}每{v}个月1次")
            });
            if !sources.contains(&src) {
                sources.push(src);
            }
        }
        let cadence = if cadence == u32::MAX { 1 } else { cadence };
        let basis = format!(
            "连续{months}个月不参加党的组织生活（{source}）：仅当党组织在这{months}个月中{}都召开了通知该党员参加的组织生活（{}；{}），而该党员列入名单的会议全部缺席且未请假时，才提示为自行脱党情形；某个月党组织未召开组织生活或未通知其参加的，不作为依据，改为提示该党组织未按规定开展组织生活。",
            dl::rhythm_zh(cadence),
            required.join("，"),
            sources.join("；")
        );
        Ok(Rule {
            lapse: dl::LapseRule { months, cadence },
            source,
            basis,
        })
    }

    /// A member on the roster and their org, for a write about them: 404 when the member is
    /// out of sight, 403 without MemberWrite on their org, `inactive` when off the roster.
    async fn member_and_org_for_write(
        &self,
        scope: &Scope,
        member_id: i64,
        inactive: &'static str,
    ) -> Result<(MemberView, crate::org::OrgView)> {
        let member = self.get_member(scope, member_id).await?;
        let org_id = member
            .org_id
            .ok_or_else(|| bad(inactive, "该党员已不在党员名册中"))?;
        let org = self.get_org(scope, org_id).await?;
        if !scope.allows(Action::MemberWrite, &org.path) {
            return Err(StoreError::Forbidden);
        }
        Ok((member, org))
    }

    /// Records a meeting with its attendance list, audited.
    pub async fn record_meeting(&self, scope: &Scope, n: &NewMeeting) -> Result<MeetingView> {
        let org = self.get_org(scope, n.org_id).await?;
        if !scope.allows(Action::MemberRead, &org.path) {
            return Err(StoreError::NotFound);
        }
        if !scope.allows(Action::MemberWrite, &org.path) {
            return Err(StoreError::Forbidden);
        }
        let kind: MeetingKind = n.kind.parse().map_err(|_| {
            bad(
                "org_life.kind_unknown",
                format!("未知的会议类型：{}", n.kind),
            )
        })?;
        let held = parse_date(&n.held_on, "会议日期")?;
        if held > self.reference_date().await? {
            return Err(bad("org_life.date_future", "会议日期不能晚于今天"));
        }
        let topic = n.topic.trim();
        if topic.is_empty() {
            return Err(bad("org_life.topic_required", "请填写会议主题"));
        }
        let lecturer = opt_trim(&n.lecturer);
        if kind == MeetingKind::Lecture && lecturer.is_none() {
            return Err(bad("org_life.lecturer_required", "党课须写明授课人"));
        }
        if n.attendance.is_empty() {
            return Err(bad(
                "org_life.attendance_required",
                "请列出应到会党员及出席情况",
            ));
        }
        let mut seen = HashSet::new();
        let mut list = Vec::with_capacity(n.attendance.len());
        for a in &n.attendance {
            if !seen.insert(a.member_id) {
                return Err(bad(
                    "org_life.attendance_duplicate",
                    "同一党员在名单中出现两次",
                ));
            }
            let st: Attendance = a.status.parse().map_err(|_| {
                bad(
                    "org_life.attendance_unknown",
                    format!("未知的出席情况：{}", a.status),
                )
            })?;
            list.push((a.member_id, st, opt_trim(&a.reason)));
        }
        // Everyone listed is on the roster of the org or below it.
        let mut tx = self.db.begin().await?;
        let upper = path_upper(&org.path);
        let mut names = HashMap::new();
        for (id, _, _) in &list {
            let row = sqlx::query(
                "SELECT m.name FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id = $1 AND m.active = 1 AND o.path >= $2 AND o.path < $3",
            )
            .bind(*id)
            .bind(&org.path)
            .bind(&upper)
            .fetch_optional(&mut *tx)
            .await?;
            let name: String = row
                .ok_or_else(|| {
                    bad(
                        "org_life.member_not_in_org",
                        format!("党员（编号 {id}）不在{}的党员名册中", org.name),
                    )
                })?
                .try_get(0)?;
            names.insert(*id, name);
        }
        if kind == MeetingKind::CommitteeMeeting {
            self.check_committee_quorum(&mut tx, n.org_id, held, &list)
                .await?;
        }
        let now = crate::now_ts();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO meetings (org_id, kind, held_on, topic, lecturer, minutes, actor_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(n.org_id)
        .bind(kind.code())
        .bind(held.to_string())
        .bind(topic)
        .bind(lecturer)
        .bind(opt_trim(&n.minutes))
        .bind(scope.user_id)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        for (member, st, reason) in &list {
            sqlx::query("INSERT INTO meeting_attendance (meeting_id, member_id, status, reason) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(*member)
                .bind(st.code())
                .bind(reason.clone())
                .execute(&mut *tx)
                .await?;
        }
        let count = |s: Attendance| list.iter().filter(|(_, a, _)| *a == s).count();
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "org_life.meeting",
                entity: "meeting",
                entity_id: Some(id.to_string()),
                scope_path: Some(org.path.clone()),
                before: None,
                after: Some(serde_json::json!({
                    "org_id": n.org_id, "kind": kind.code(), "held_on": held.to_string(), "topic": topic,
                    "present": count(Attendance::Present), "excused": count(Attendance::Excused), "absent": count(Attendance::Absent),
                })),
            },
        )
        .await?;
        tx.commit().await?;
        self.meeting(scope, id).await
    }

    /// A committee meeting is valid only with more than half of the committee present
    /// (`committee.meeting`, 支部工作条例). Seats without a member on the roster count as
    /// expected and not present.
    async fn check_committee_quorum(
        &self,
        tx: &mut crate::db::Tx,
        org_id: i64,
        held: NaiveDate,
        list: &[(i64, Attendance, Option<String>)],
    ) -> Result<()> {
        let d = held.to_string();
        let seats = sqlx::query(
            "SELECT member_id FROM committee_seats WHERE org_id = $1 AND term_start <= $2 AND (ended_on IS NULL OR ended_on > $2)",
        )
        .bind(org_id)
        .bind(&d)
        .fetch_all(&mut **tx)
        .await?;
        if seats.is_empty() {
            return Ok(());
        }
        let present: HashSet<i64> = list
            .iter()
            .filter(|(_, a, _)| *a == Attendance::Present)
            .map(|(m, _, _)| *m)
            .collect();
        let mut came = 0u64;
        for s in &seats {
            let m: Option<i64> = s.try_get(0)?;
            if m.is_some_and(|m| present.contains(&m)) {
                came += 1;
            }
        }
        let rule = vote::vote_rule("committee.meeting")
            .ok_or_else(|| bad("org_life.rule_missing", "缺少规则 committee.meeting"))?;
        let r = vote::check(rule, seats.len() as u64, came, 0, 0)
            .map_err(|e| bad(e.code(), e.to_string()))?;
        if !r.quorum_met {
            return Err(bad(
                "org_life.committee_quorum",
                format!("支部委员会会议须有半数以上委员到会：{}", r.derivation_zh),
            ));
        }
        Ok(())
    }

    /// One meeting with its list.
    pub async fn meeting(&self, scope: &Scope, id: i64) -> Result<MeetingView> {
        let row = sqlx::query(
            "SELECT mt.id, mt.org_id, o.name, mt.kind, mt.held_on, mt.topic, mt.lecturer, mt.minutes, mt.created_at, o.path FROM meetings mt JOIN orgs o ON o.id = mt.org_id WHERE mt.id = $1",
        )
        .bind(id)
        .fetch_optional(self.db.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        let path: String = row.try_get(9)?;
        if !scope.allows(Action::MemberRead, &path) {
            return Err(StoreError::NotFound);
        }
        let mut v = meeting_from_row(&row)?;
        let rows = sqlx::query(
            "SELECT a.member_id, m.name, a.status, a.reason, m.gender, m.birth_date, m.id_tail, m.org_id, o.name FROM meeting_attendance a JOIN members m ON m.id = a.member_id LEFT JOIN orgs o ON o.id = m.org_id WHERE a.meeting_id = $1 ORDER BY a.member_id",
        )
        .bind(id)
        .fetch_all(self.db.pool())
        .await?;
        for r in rows {
            let status: String = r.try_get(2)?;
            let st: Option<Attendance> = status.parse().ok();
            match st {
                Some(Attendance::Present) => v.present += 1,
                Some(Attendance::Excused) => v.excused += 1,
                _ => v.absent += 1,
            }
            v.attendance.push(AttendanceView {
                member_id: r.try_get(0)?,
                member_name: r.try_get(1)?,
                status_zh: st.map_or("", |s| s.zh()).to_string(),
                status,
                reason: r.try_get(3)?,
                who: Some(attendee_info(&r, 4)?),
            });
        }
        Ok(v)
    }

    /// Meetings of a subtree, newest first (at most 500).
    pub async fn meetings(&self, scope: &Scope, f: &MeetingFilter) -> Result<Vec<MeetingView>> {
        let org = self.get_org(scope, f.org).await?;
        if !scope.allows(Action::MemberRead, &org.path) {
            return Err(StoreError::NotFound);
        }
        let from = match f.from.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => parse_date(s, "起始日期")?.to_string(),
            None => "0000-01-01".to_string(),
        };
        let to = match f.to.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => parse_date(s, "截止日期")?.to_string(),
            None => "9999-12-31".to_string(),
        };
        let kind = f.kind.clone().filter(|k| !k.is_empty()).unwrap_or_default();
        let rows = sqlx::query(
            "SELECT mt.id, mt.org_id, o.name, mt.kind, mt.held_on, mt.topic, mt.lecturer, mt.minutes, mt.created_at, \
               (SELECT COUNT(*) FROM meeting_attendance a WHERE a.meeting_id = mt.id AND a.status = 'present'), \
               (SELECT COUNT(*) FROM meeting_attendance a WHERE a.meeting_id = mt.id AND a.status = 'excused'), \
               (SELECT COUNT(*) FROM meeting_attendance a WHERE a.meeting_id = mt.id AND a.status = 'absent') \
             FROM meetings mt JOIN orgs o ON o.id = mt.org_id \
             WHERE o.path >= $1 AND o.path < $2 AND mt.held_on >= $3 AND mt.held_on <= $4 AND ($5 = '' OR mt.kind = $5) \
             ORDER BY mt.held_on DESC, mt.id DESC LIMIT 500",
        )
        .bind(&org.path)
        .bind(path_upper(&org.path))
        .bind(from)
        .bind(to)
        .bind(kind)
        .fetch_all(self.db.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let mut v = meeting_from_row(r)?;
                v.present = r.try_get(9)?;
                v.excused = r.try_get(10)?;
                v.absent = r.try_get(11)?;
                Ok(v)
            })
            .collect()
    }

    /// The meetings a member was listed for, newest first (at most 200), with their
    /// attendance: the 组织生活 part of the member's file.
    pub async fn member_attendance(
        &self,
        scope: &Scope,
        member_id: i64,
    ) -> Result<Vec<MemberAttendance>> {
        self.get_member(scope, member_id).await?;
        let rows = sqlx::query(
            "SELECT mt.id, mt.held_on, mt.kind, mt.topic, o.name, a.status, a.reason FROM meeting_attendance a \
               JOIN meetings mt ON mt.id = a.meeting_id JOIN orgs o ON o.id = mt.org_id \
             WHERE a.member_id = $1 ORDER BY mt.held_on DESC, mt.id DESC LIMIT 200",
        )
        .bind(member_id)
        .fetch_all(self.db.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get(2)?;
                let status: String = r.try_get(5)?;
                Ok(MemberAttendance {
                    meeting_id: r.try_get(0)?,
                    held_on: r.try_get(1)?,
                    kind_zh: kind
                        .parse::<MeetingKind>()
                        .map_or("", |k| k.zh())
                        .to_string(),
                    kind,
                    topic: r.try_get(3)?,
                    org_name: r.try_get(4)?,
                    status_zh: status
                        .parse::<Attendance>()
                        .map_or("", |a| a.zh())
                        .to_string(),
                    status,
                    reason: r.try_get(6)?,
                })
            })
            .collect()
    }

    /// Records dues for one or more months of a member, audited. A month already recorded
    /// is refused (409): a month is paid once.
    pub async fn record_dues(&self, scope: &Scope, n: &NewDues) -> Result<Vec<DuesView>> {
        let (member, org) = self
            .member_and_org_for_write(scope, n.member_id, "dues.member_inactive")
            .await?;
        let org_id = org.id;
        let paid_on = parse_date(&n.paid_on, "交纳日期")?;
        if paid_on > self.reference_date().await? {
            return Err(bad("dues.date_future", "交纳日期不能晚于今天"));
        }
        if n.months.is_empty() || n.months.len() > 24 {
            return Err(bad(
                "dues.months_invalid",
                "请选择交纳的月份（一次最多24个月）",
            ));
        }
        if n.amount_fen < 0 || (n.amount_fen == 0 && !n.exempt) {
            return Err(bad(
                "dues.amount_invalid",
                "每月交纳金额须大于0（经批准免交的请选择“减免”）",
            ));
        }
        let mut months = Vec::with_capacity(n.months.len());
        for m in &n.months {
            let mm = Month::parse(m)
                .ok_or_else(|| bad("dues.month_invalid", format!("月份格式应为 YYYY-MM：{m}")))?;
            if months.contains(&mm) {
                return Err(bad("dues.month_duplicate", format!("月份 {mm} 重复")));
            }
            months.push(mm);
        }
        months.sort();
        let mut tx = self.db.begin().await?;
        let now = crate::now_ts();
        let mut ids = Vec::with_capacity(months.len());
        for m in &months {
            let exists: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM dues_payments WHERE member_id = $1 AND month = $2",
            )
            .bind(n.member_id)
            .bind(m.to_string())
            .fetch_optional(&mut *tx)
            .await?;
            if exists.is_some() {
                return Err(StoreError::Duplicate(format!(
                    "{} {m} 的党费已有记录",
                    member.name
                )));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO dues_payments (member_id, org_id, month, amount_fen, exempt, paid_on, note, actor_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(n.member_id)
            .bind(org_id)
            .bind(m.to_string())
            .bind(n.amount_fen)
            .bind(i64::from(n.exempt))
            .bind(paid_on.to_string())
            .bind(opt_trim(&n.note))
            .bind(scope.user_id)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
            ids.push(id);
        }
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "dues.record",
                entity: "member",
                entity_id: Some(n.member_id.to_string()),
                scope_path: Some(org.path.clone()),
                before: None,
                after: Some(serde_json::json!({
                    "months": months.iter().map(|m| m.to_string()).collect::<Vec<_>>(),
                    "amount_fen": n.amount_fen, "exempt": n.exempt, "paid_on": paid_on.to_string(),
                })),
            },
        )
        .await?;
        tx.commit().await?;
        let all = self.member_dues(scope, n.member_id).await?;
        Ok(all.into_iter().filter(|d| ids.contains(&d.id)).collect())
    }

    /// A member's dues ledger, newest month first.
    pub async fn member_dues(&self, scope: &Scope, member_id: i64) -> Result<Vec<DuesView>> {
        self.get_member(scope, member_id).await?;
        let rows = sqlx::query(
            "SELECT id, member_id, org_id, month, amount_fen, exempt, paid_on, note FROM dues_payments WHERE member_id = $1 ORDER BY month DESC",
        )
        .bind(member_id)
        .fetch_all(self.db.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DuesView {
                    id: r.try_get(0)?,
                    member_id: r.try_get(1)?,
                    org_id: r.try_get(2)?,
                    month: r.try_get(3)?,
                    amount_fen: r.try_get(4)?,
                    exempt: r.try_get::<i64, _>(5)? != 0,
                    paid_on: r.try_get(6)?,
                    note: r.try_get(7)?,
                })
            })
            .collect()
    }

    /// Members of a subtree whom the records show as self-withdrawn on `as_of` (党章 第九条),
    /// for the branch meeting to decide on. Suspended members are not assessed.
    pub async fn self_withdrawal_proposals(
        &self,
        scope: &Scope,
        org_id: i64,
        as_of: Option<NaiveDate>,
    ) -> Result<Proposals> {
        let org = self.get_org(scope, org_id).await?;
        if !scope.allows(Action::MemberRead, &org.path) {
            return Err(StoreError::NotFound);
        }
        let limit = self
            .setting("org_life.max_members")
            .await?
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(MAX_ASSESSED_MEMBERS);
        // Counted with a bound, so a national root costs at most `limit` rows here.
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT 1 FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.active = 1 AND o.path >= $1 AND o.path < $2 LIMIT $3) t",
        )
        .bind(&org.path)
        .bind(path_upper(&org.path))
        .bind(limit + 1)
        .fetch_one(self.db.pool())
        .await?;
        if n > limit {
            return Err(bad(
                "org_life.scope_too_large",
                format!(
                    "{}的党员超过 {limit} 名，请选择县（市、区）或以下党组织查看自行脱党提示",
                    org.name
                ),
            ));
        }
        let today = self.reference_date().await?;
        let as_of = as_of.unwrap_or(today).min(today);
        let rule = self.lapse_rule(as_of).await?;
        let lives = self.lives_of(&org.path, None, as_of).await?;
        // The orgs whose members are on the roster: the ones a shortfall is looked for in.
        let mut orgs: Vec<(i64, String)> = lives
            .iter()
            .map(|(m, _)| (m.org_id, m.org_name.clone()))
            .collect();
        orgs.sort();
        orgs.dedup();
        let mut items = Vec::new();
        for (m, life) in lives {
            let grounds = dl::assess(&life, as_of, rule.lapse);
            if grounds.is_empty() {
                continue;
            }
            let last_present = dl::last_present(&life, as_of);
            items.push(ProposalView {
                member_id: m.id,
                name: m.name,
                org_id: m.org_id,
                org_name: m.org_name,
                status: m.status,
                floating: m.floating,
                since: life.since.map(|d| d.to_string()),
                last_present: last_present.map(|d| d.to_string()),
                last_paid: life.paid.iter().max().map(|m| m.to_string()),
                grounds: grounds
                    .into_iter()
                    .map(|g| GroundView {
                        code: g.code.to_string(),
                        text: g.text,
                    })
                    .collect(),
                version: m.version,
            });
        }
        items.sort_by(|a, b| (&a.org_name, a.member_id).cmp(&(&b.org_name, b.member_id)));
        let branches_short = self
            .branch_shortfalls(&org.path, &orgs, as_of, rule.lapse)
            .await?;
        Ok(Proposals {
            as_of: as_of.to_string(),
            months: rule.lapse.months,
            cadence_months: rule.lapse.cadence,
            source: rule.source,
            basis: rule.basis,
            items,
            branches_short,
        })
    }

    /// The membership orgs among `orgs` (those with members on the roster) that fell short
    /// of the org life required in the period ending `as_of`: the meetings each held (党小组会
    /// are recorded by the branch, listing the group's members), read by date
    /// ([`dl::branch_shortfall`]).
    async fn branch_shortfalls(
        &self,
        path: &str,
        orgs: &[(i64, String)],
        as_of: NaiveDate,
        rule: dl::LapseRule,
    ) -> Result<Vec<BranchShortfallView>> {
        let rows = sqlx::query(
            "SELECT mt.org_id, mt.held_on FROM meetings mt JOIN orgs o ON o.id = mt.org_id \
             WHERE o.path >= $1 AND o.path < $2 AND mt.held_on <= $3",
        )
        .bind(path)
        .bind(path_upper(path))
        .bind(as_of.to_string())
        .fetch_all(self.db.pool())
        .await?;
        let mut held: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
        for r in &rows {
            let org_id: i64 = r.try_get(0)?;
            let on: String = r.try_get(1)?;
            if let Ok(d) = NaiveDate::parse_from_str(&on, "%Y-%m-%d") {
                held.entry(org_id).or_default().push(d);
            }
        }
        let mut out = Vec::new();
        for (org_id, org_name) in orgs {
            let dates = held.get(org_id).map_or(&[][..], Vec::as_slice);
            if let Some(f) = dl::branch_shortfall(dates, as_of, rule) {
                out.push(BranchShortfallView {
                    org_id: *org_id,
                    org_name: org_name.clone(),
                    empty: f.empty.iter().map(|s| dl::stretch_zh(*s)).collect(),
                    held: f.held,
                    text: f.text(rule),
                });
            }
        }
        out.sort_by(|a, b| (&a.org_name, a.org_id).cmp(&(&b.org_name, b.org_id)));
        Ok(out)
    }

    /// What the rule reads for every active, unsuspended member of a subtree (or one
    /// member when `only` is set).
    async fn lives_of(
        &self,
        path: &str,
        only: Option<i64>,
        as_of: NaiveDate,
    ) -> Result<Vec<(Roster, MemberLife)>> {
        let upper = path_upper(path);
        let only = only.unwrap_or(0);
        let pool = self.db.pool();
        let roster = sqlx::query(
            "SELECT m.id, m.name, m.org_id, o.name, m.status, m.floating, m.version, \
               (SELECT MAX(e.date) FROM member_events e WHERE e.member_id = m.id AND e.kind IN ('joined', 'transferred_in', 'moved')) \
             FROM members m JOIN orgs o ON o.id = m.org_id \
             WHERE m.active = 1 AND m.suspended = 0 AND o.path >= $1 AND o.path < $2 AND ($3 = 0 OR m.id = $3)",
        )
        .bind(path)
        .bind(&upper)
        .bind(only)
        .fetch_all(pool)
        .await?;
        let d = as_of.to_string();
        let att = sqlx::query(
            "SELECT a.member_id, mt.held_on, a.status FROM meeting_attendance a JOIN meetings mt ON mt.id = a.meeting_id \
               JOIN members m ON m.id = a.member_id JOIN orgs o ON o.id = m.org_id \
             WHERE m.active = 1 AND o.path >= $1 AND o.path < $2 AND mt.held_on <= $3 AND ($4 = 0 OR m.id = $4)",
        )
        .bind(path)
        .bind(&upper)
        .bind(&d)
        .bind(only)
        .fetch_all(pool)
        .await?;
        let paid = sqlx::query(
            "SELECT p.member_id, p.month, p.org_id FROM dues_payments p JOIN members m ON m.id = p.member_id JOIN orgs o ON o.id = m.org_id \
             WHERE m.active = 1 AND o.path >= $1 AND o.path < $2 AND ($3 = 0 OR m.id = $3)",
        )
        .bind(path)
        .bind(&upper)
        .bind(only)
        .fetch_all(pool)
        .await?;
        // First month of each org's ledger in the subtree (over everyone who paid to it).
        let ledger_from: HashMap<i64, Month> = sqlx::query(
            "SELECT p.org_id, MIN(p.month) FROM dues_payments p JOIN orgs o ON o.id = p.org_id \
             WHERE o.path >= $1 AND o.path < $2 GROUP BY p.org_id",
        )
        .bind(path)
        .bind(&upper)
        .fetch_all(pool)
        .await?
        .iter()
        .filter_map(|r| {
            let org: i64 = r.try_get(0).ok()?;
            let m: String = r.try_get(1).ok()?;
            Some((org, Month::parse(&m)?))
        })
        .collect();
        let mut lives: HashMap<i64, MemberLife> = HashMap::new();
        for r in &att {
            let held: String = r.try_get(1)?;
            let st: String = r.try_get(2)?;
            if let (Ok(h), Ok(a)) = (NaiveDate::parse_from_str(&held, "%Y-%m-%d"), st.parse()) {
                lives
                    .entry(r.try_get(0)?)
                    .or_default()
                    .attendance
                    .push((h, a));
            }
        }
        for r in &paid {
            let m: String = r.try_get(1)?;
            if let Some(m) = Month::parse(&m) {
                lives.entry(r.try_get(0)?).or_default().paid.push(m);
            }
        }
        let mut out = Vec::with_capacity(roster.len());
        for r in &roster {
            let id: i64 = r.try_get(0)?;
            let org_id: i64 = r.try_get(2)?;
            let since: Option<String> = r.try_get(7)?;
            let mut life = lives.remove(&id).unwrap_or_default();
            life.since = since.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok());
            life.dues_ledger_from = ledger_from.get(&org_id).copied();
            out.push((
                Roster {
                    id,
                    name: r.try_get(1)?,
                    org_id,
                    org_name: r.try_get(3)?,
                    status: r.try_get(4)?,
                    floating: r.try_get::<i64, _>(5)? != 0,
                    version: r.try_get(6)?,
                },
                life,
            ));
        }
        Ok(out)
    }

    /// The branch meeting's removal of a self-withdrawn member (除名), approved by the level
    /// above: checks the grounds on the meeting's date and the vote (`member.removal`),
    /// then writes the `self_withdrawal` event dated the approval, in one transaction.
    pub async fn decide_self_withdrawal(
        &self,
        scope: &Scope,
        member_id: i64,
        d: &RemovalDecision,
    ) -> Result<RemovalView> {
        let (_, org) = self
            .member_and_org_for_write(scope, member_id, "self_withdrawal.member_inactive")
            .await?;
        let meeting = parse_date(&d.meeting_date, "支部大会日期")?;
        let approved = parse_date(&d.approved_on, "上级批准日期")?;
        if approved < meeting {
            return Err(bad(
                "self_withdrawal.approval_before_meeting",
                "上级批准日期不能早于支部大会日期",
            ));
        }
        if approved > self.reference_date().await? {
            return Err(bad("self_withdrawal.date_future", "日期不能晚于今天"));
        }
        let approved_by = d.approved_by.trim();
        if approved_by.is_empty() {
            return Err(bad(
                "self_withdrawal.approver_required",
                "请填写批准的上级党组织",
            ));
        }
        let rule = self.lapse_rule(meeting).await?;
        let lives = self.lives_of(&org.path, Some(member_id), meeting).await?;
        let mut grounds: Vec<String> = lives
            .first()
            .map(|(_, l)| dl::assess(l, meeting, rule.lapse))
            .unwrap_or_default()
            .into_iter()
            .map(|g| g.text)
            .collect();
        if let Some(other) = opt_trim(&d.other_grounds) {
            grounds.push(format!("不做党所分配的工作：{other}"));
        }
        if grounds.is_empty() {
            return Err(bad(
                "self_withdrawal.no_ground",
                format!(
                    "记录显示该党员在 {meeting} 前不符合自行脱党的条件（{}：连续{}个月不参加组织生活、或不交纳党费、或不做党所分配的工作）；如因不做党所分配的工作，请写明事实。{}",
                    rule.source, rule.lapse.months, rule.basis
                ),
            ));
        }
        let vr = vote::vote_rule("member.removal")
            .ok_or_else(|| bad("org_life.rule_missing", "缺少规则 member.removal"))?;
        let v = vote::check(vr, d.entitled, d.present, d.ayes, 0)
            .map_err(|e| bad(e.code(), e.to_string()))?;
        if !v.passed {
            return Err(bad(
                "self_withdrawal.vote_failed",
                format!("支部大会未通过除名决定：{}", v.derivation_zh),
            ));
        }
        let note = format!(
            "{meeting} 支部大会决定除名（{}），{approved} 经{approved_by}批准。依据：{}",
            v.derivation_zh,
            grounds.join("；")
        );
        let e = NewMemberEvent {
            version: d.version,
            kind: MemberEventKind::SelfWithdrawal.code().to_string(),
            date: approved.to_string(),
            org_id: None,
            letter_no: None,
            note: Some(note),
            probationary: false,
        };
        let mut tx = self.db.begin().await?;
        let after = self
            .add_member_event_in(
                &mut tx,
                scope,
                member_id,
                &e,
                MemberEventKind::SelfWithdrawal,
                approved,
            )
            .await?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "self_withdrawal.decide",
                entity: "member",
                entity_id: Some(member_id.to_string()),
                scope_path: Some(org.path.clone()),
                before: None,
                after: Some(serde_json::json!({
                    "meeting_date": meeting.to_string(), "approved_on": approved.to_string(),
                    "approved_by": approved_by, "entitled": d.entitled, "present": d.present, "ayes": d.ayes,
                    "grounds": grounds,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        self.stats_member_changed(member_id).await;
        Ok(RemovalView {
            member: after,
            grounds,
            derivation: v.derivation_zh,
        })
    }
}

/// A roster line read for the assessment.
struct Roster {
    id: i64,
    name: String,
    org_id: i64,
    org_name: String,
    status: Option<String>,
    floating: bool,
    version: i64,
}

fn meeting_from_row(r: &sqlx::any::AnyRow) -> Result<MeetingView> {
    let kind: String = r.try_get(3)?;
    let kind_zh = kind
        .parse::<MeetingKind>()
        .map_or("", |k| k.zh())
        .to_string();
    Ok(MeetingView {
        id: r.try_get(0)?,
        org_id: r.try_get(1)?,
        org_name: r.try_get(2)?,
        kind,
        kind_zh,
        held_on: r.try_get(4)?,
        topic: r.try_get(5)?,
        lecturer: r.try_get(6)?,
        minutes: r.try_get(7)?,
        present: 0,
        excused: 0,
        absent: 0,
        attendance: Vec::new(),
        created_at: r.try_get(8)?,
    })
}

/// Reads an [`AttendeeInfo`] from `gender, birth_date, id_tail, org_id, org_name` starting
/// at column `at`.
fn attendee_info(r: &sqlx::any::AnyRow, at: usize) -> Result<AttendeeInfo> {
    let gender: String = r.try_get(at)?;
    let birth: Option<String> = r.try_get(at + 1)?;
    let tail: Option<String> = r.try_get(at + 2)?;
    Ok(AttendeeInfo {
        gender_zh: jiceng_domain::member::Gender::from_code(&gender)
            .map_or("", |g| g.zh())
            .to_string(),
        gender,
        birth_year: birth
            .as_deref()
            .and_then(|b| b.get(..4))
            .and_then(|y| y.parse().ok()),
        id_tail: tail.filter(|t| !t.is_empty()).map(|t| format!("****{t}")),
        org_id: r.try_get(at + 3)?,
        org_name: r.try_get(at + 4)?,
    })
}

/// Most members a meeting's roster answers; a larger subtree is answered up to this many,
/// with `truncated` set and the total, so the screen says so instead of cutting silently.
pub const MEETING_ROSTER_CAP: i64 = 5000;

/// One member expected at a meeting.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RosterMember {
    /// Member.
    pub member_id: i64,
    /// Name.
    pub name: String,
    /// What tells namesakes apart.
    pub who: AttendeeInfo,
}

/// Everyone a meeting of an org lists (the members on the roster of the org and the orgs
/// below it — the same set `record_meeting` accepts), with the org named by its path.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MeetingRoster {
    /// The org holding the meeting.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// Its kind label.
    pub org_kind_zh: String,
    /// Names from the root down to the org.
    pub path_names: Vec<String>,
    /// Members on the roster (all of them, even beyond the cap).
    pub total: i64,
    /// The most answered ([`MEETING_ROSTER_CAP`]).
    pub cap: i64,
    /// `total` exceeds `cap`: only the first `cap` (tree order, then pinyin) are listed.
    pub truncated: bool,
    /// The members, by org (tree order) then name (pinyin).
    pub members: Vec<RosterMember>,
}

impl Store {
    /// The members a meeting of `org_id` lists (`GET /org-life/meetings/roster`): all of
    /// them up to [`MEETING_ROSTER_CAP`], with the total, so nothing is cut silently.
    /// Needs MemberRead on the org (404 otherwise).
    pub async fn meeting_roster(&self, scope: &Scope, org_id: i64) -> Result<MeetingRoster> {
        self.meeting_roster_capped(scope, org_id, MEETING_ROSTER_CAP)
            .await
    }

    /// [`Store::meeting_roster`] with another cap (tests use a small one).
    pub async fn meeting_roster_capped(
        &self,
        scope: &Scope,
        org_id: i64,
        cap: i64,
    ) -> Result<MeetingRoster> {
        let cap = cap.max(1);
        let org = self.get_org(scope, org_id).await?;
        if !scope.allows(Action::MemberRead, &org.path) {
            return Err(StoreError::NotFound);
        }
        let upper = path_upper(&org.path);
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.active = 1 AND o.path >= $1 AND o.path < $2",
        )
        .bind(&org.path)
        .bind(&upper)
        .fetch_one(self.db.pool())
        .await?;
        let rows = sqlx::query(
            "SELECT m.id, m.name, m.gender, m.birth_date, m.id_tail, m.org_id, o.name FROM members m JOIN orgs o ON o.id = m.org_id \
             WHERE m.active = 1 AND o.path >= $1 AND o.path < $2 ORDER BY o.path, m.name_pinyin, m.id LIMIT $3",
        )
        .bind(&org.path)
        .bind(&upper)
        .bind(cap)
        .fetch_all(self.db.pool())
        .await?;
        let members = rows
            .iter()
            .map(|r| {
                Ok(RosterMember {
                    member_id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    who: attendee_info(r, 2)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let names = self.path_names_of(&[org.path.as_str()]).await?;
        Ok(MeetingRoster {
            org_id: org.id,
            path_names: Self::names_along(&names, &org.path),
            org_name: org.name,
            org_kind_zh: org.kind_zh,
            total,
            cap,
            truncated: total > cap,
            members,
        })
    }
}
