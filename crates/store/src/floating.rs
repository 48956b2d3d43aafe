//! 流动党员 (issue 5): outbound registrations with the activity
//! certificate (流动党员活动证), the dated contact log (跟踪联络), return and cancellation
//! (回访销号), the out-of-contact (失联) confirmation with a cause code, and the
//! temporary-branch suggestion. The rules and their sources are in
//! `jiceng_domain::floating`; their numbers are rule parameters resolved on the day (central
//! default, or a county overlay).
//!
//! Registering writes the member's `floating_out` event, returning (or cancelling while the
//! member is still away) their `floating_back` event, through the member event machinery in
//! the same transaction; the member stays on their org's roster throughout. While a
//! registration is open, a bare `floating_back` event is refused ([`guard_member_event`]).
//!
//! Scope: a registration belongs to the member's org (the home org: current org, or the org
//! registered for someone who left the roster since) and is visible to whoever may read
//! members there or at the receiving org (404 otherwise). The home org registers, returns,
//! cancels and confirms 失联 (MemberWrite, else 403); either side may log a contact.

use chrono::NaiveDate;
use jiceng_domain::codes::Coded;
use jiceng_domain::floating::{
    self as df, Away, ContactWay, FloatingStatus, LostCause, CERTIFICATE_MAX_MONTHS,
    LOST_CONTACT_MONTHS, TEMPORARY_BRANCH_MIN,
};
use jiceng_domain::member::MemberEventKind;
use jiceng_domain::rules::{resolve, Overlay};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{self, Entry};
use crate::auth::{Action, Scope};
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::member::NewMemberEvent;
use crate::sql::Sql;
use crate::transfer::{member_for_sender, side};
use crate::{opt_trim, parse_date, Page, Paging, Store};

fn bad(code: &'static str, msg: impl Into<String>) -> StoreError {
    StoreError::invalid(code, msg.into())
}

/// An outbound registration as shown.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct FloatingView {
    /// Id.
    pub id: i64,
    /// Member.
    pub member_id: i64,
    /// Member's name.
    pub member_name: String,
    /// Member still on the roster.
    pub member_active: bool,
    /// Home org (the member's org; the registered one after they left the roster).
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// Date the member went away.
    pub out_date: String,
    /// Number of the 流动党员活动证.
    pub certificate_no: String,
    /// Destination as written.
    pub destination: String,
    /// Division code of the destination (GB/T 2260), if given.
    pub region_code: Option<String>,
    /// Why (务工经商, study, …).
    pub reason: String,
    /// Planned end of the absence.
    pub until_date: Option<String>,
    /// Org of the system where the member takes part in org life (流入地党组织).
    pub receiving_org_id: Option<i64>,
    /// Its name.
    pub receiving_org_name: Option<String>,
    /// `away`, `returned` or `cancelled`.
    pub status: String,
    /// Label of the status.
    pub status_zh: String,
    /// Date of return.
    pub return_date: Option<String>,
    /// Date of cancellation.
    pub cancel_date: Option<String>,
    /// Why cancelled.
    pub cancel_reason: Option<String>,
    /// Recorded as out of contact (失联) and not found since.
    pub lost: bool,
    /// Date 失联 was confirmed.
    pub lost_date: Option<String>,
    /// Cause code.
    pub lost_cause: Option<String>,
    /// Label of the cause.
    pub lost_cause_zh: Option<String>,
    /// Note on the cause.
    pub lost_note: Option<String>,
    /// Date contact was made again after 失联.
    pub regained_date: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// Contacts logged.
    pub contacts: i64,
    /// Last contact (the outbound date when there is none).
    pub last_contact: String,
    /// Days from the last contact to today.
    pub days_since_contact: i64,
    /// Day from which the member may be recorded as 失联 (last contact + 6 months).
    pub lost_due_date: Option<String>,
    /// Away, not recorded as 失联, on the roster, and the period without contact complete:
    /// proposed for confirmation.
    pub due_lost_contact: bool,
    /// The planned absence is longer than the certificate is for: transfer the membership
    /// instead (a hint).
    pub transfer_suggested: bool,
    /// Version for optimistic locking.
    pub version: i64,
    /// Recorded at.
    pub created_at: String,
    /// Last changed at.
    pub updated_at: String,
}

/// A contact log entry.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct FloatingContact {
    /// Id.
    pub id: i64,
    /// Registration.
    pub record_id: i64,
    /// Date of the contact.
    pub date: String,
    /// `phone`, `visit`, `online` or `letter`.
    pub way: String,
    /// Label of the way.
    pub way_zh: String,
    /// What was said or done.
    pub note: Option<String>,
    /// User who logged it.
    pub actor_id: Option<i64>,
    /// Logged at.
    pub recorded_at: String,
}

/// A registration with its contact log (oldest first).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FloatingDetail {
    /// The registration.
    pub record: FloatingView,
    /// Its contacts.
    pub contacts: Vec<FloatingContact>,
}

/// An outbound registration to record.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NewFloating {
    /// Member.
    pub member_id: i64,
    /// The member's version as read (stale → 409).
    pub version: i64,
    /// Date the member went away (`YYYY-MM-DD`).
    pub out_date: String,
    /// Number of the 流动党员活动证.
    pub certificate_no: String,
    /// Destination (place, unit).
    pub destination: String,
    /// Division code of the destination (6 or 12 digits, GB/T 2260), optional.
    pub region_code: Option<String>,
    /// Why.
    pub reason: String,
    /// Planned end of the absence.
    pub until_date: Option<String>,
    /// Receiving org of the system, optional.
    pub receiving_org_id: Option<i64>,
    /// Note.
    pub note: Option<String>,
}

/// A contact to log.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NewFloatingContact {
    /// The registration's version as read (stale → 409).
    pub version: i64,
    /// Date of the contact (default today).
    pub date: Option<String>,
    /// `phone`, `visit`, `online` or `letter`.
    pub way: String,
    /// What was said or done.
    pub note: Option<String>,
}

/// Return, cancel or confirm 失联.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct FloatingAction {
    /// The registration's version as read (stale → 409).
    pub version: i64,
    /// Date (default today).
    pub date: Option<String>,
    /// 失联: cause code (`working_away`, `unit_restructured`, `unknown_after_graduation`,
    /// `changed_employer`, `abroad`, `moved_residence`, `other`).
    pub cause: Option<String>,
    /// Cancellation: why (required); otherwise a note.
    pub reason: Option<String>,
    /// Note.
    pub note: Option<String>,
}

/// Filter of the floating-member list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct FloatingFilter {
    /// Org whose subtree is the home side (`out`), the receiving side (`in`), or either.
    pub org: Option<i64>,
    /// `out` (away from the org) or `in` (received by it); either when absent.
    pub direction: Option<String>,
    /// Status code (`away`, `returned`, `cancelled`).
    pub status: Option<String>,
    /// Recorded as 失联 (true) or not (false).
    pub lost: Option<bool>,
    /// Proposed for 失联 confirmation (true) or not (false).
    pub due: Option<bool>,
    /// One member's registrations.
    pub member: Option<i64>,
    /// Page (from 1).
    pub page: Option<i64>,
    /// Page size (≤ 500).
    pub page_size: Option<i64>,
}

/// Members away from one org to one place, enough for a temporary branch.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TemporaryBranchSuggestion {
    /// Home org.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// Destination (as written on the first registration of the group).
    pub destination: String,
    /// Division code the group shares (county level), when grouped by code.
    pub region_code: Option<String>,
    /// Grouping key (`region:XXXXXX` or `text:<normalized destination>`).
    pub key: String,
    /// Members in the group.
    pub count: i64,
    /// The members.
    pub members: Vec<SuggestionMember>,
    /// What to do, in Chinese, with the rule's source.
    pub message: String,
}

/// One member of a suggested group.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SuggestionMember {
    /// Registration.
    pub record_id: i64,
    /// Member.
    pub member_id: i64,
    /// Name.
    pub name: String,
    /// Destination as written.
    pub destination: String,
}

/// Temporary-branch suggestions of a subtree.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TemporaryBranchSuggestions {
    /// Date of the answer.
    pub as_of: String,
    /// Members needed (rule parameter `floating.temporary_branch_min`).
    pub min_members: i64,
    /// Source of the rule.
    pub source: String,
    /// Groups, by home org and size.
    pub items: Vec<TemporaryBranchSuggestion>,
}

const COLS: &str = "r.id, r.member_id, m.name, m.active, h.id, h.name, r.out_date, r.certificate_no, r.destination, r.region_code, r.reason, r.until_date, r.receiving_org_id, ro.name, r.status, r.return_date, r.cancel_date, r.cancel_reason, r.lost, r.lost_date, r.lost_cause, r.lost_note, r.regained_date, r.note, r.version, r.created_at, r.updated_at, \
    (SELECT MAX(c.date) FROM floating_contacts c WHERE c.record_id = r.id), (SELECT COUNT(*) FROM floating_contacts c WHERE c.record_id = r.id), h.path, ro.path, m.floating";
const FROM: &str = " FROM floating_records r JOIN members m ON m.id = r.member_id JOIN orgs h ON h.id = COALESCE(m.org_id, r.org_id) LEFT JOIN orgs ro ON ro.id = r.receiving_org_id";
/// The last contact in SQL (contacts are never dated before the outbound date).
const LAST: &str =
    "COALESCE((SELECT MAX(c.date) FROM floating_contacts c WHERE c.record_id = r.id), r.out_date)";

/// The rule values of the day.
struct Rules {
    today: NaiveDate,
    lost_months: u32,
    lost_source: String,
    cert_months: u32,
}

fn int_param(key: &str, date: NaiveDate, overlays: &[Overlay]) -> (i64, String) {
    match resolve(key, date, overlays) {
        Ok(r) => (r.value.as_int().unwrap_or(0), r.source),
        Err(_) => {
            // Only a date before every set (or a broken overlay): the central default.
            let p = jiceng_domain::floating::FLOATING_RULES
                .param(key)
                .map(|p| (p.default.as_int().unwrap_or(0), p.source.to_string()));
            p.unwrap_or((0, String::new()))
        }
    }
}

struct Loaded {
    view: FloatingView,
    home_path: String,
    receiving_path: Option<String>,
    member_floating: bool,
}

fn opt_date(s: &Option<String>) -> Option<NaiveDate> {
    s.as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

fn load(r: &AnyRow, rules: &Rules) -> Result<Loaded> {
    let status: String = r.try_get(14)?;
    let cause: Option<String> = r.try_get(20)?;
    let out_date: String = r.try_get(6)?;
    let out = NaiveDate::parse_from_str(&out_date, "%Y-%m-%d").unwrap_or(rules.today);
    let last_c: Option<String> = r.try_get(27)?;
    let last = df::last_contact(out, opt_date(&last_c));
    let until: Option<String> = r.try_get(11)?;
    let active = r.try_get::<i64, _>(3)? != 0;
    let lost = r.try_get::<i64, _>(18)? != 0;
    let away = status == FloatingStatus::Away.code();
    let due_date = df::lost_contact_due_date(last, rules.lost_months).ok();
    Ok(Loaded {
        view: FloatingView {
            id: r.try_get(0)?,
            member_id: r.try_get(1)?,
            member_name: r.try_get(2)?,
            member_active: active,
            org_id: r.try_get(4)?,
            org_name: r.try_get(5)?,
            certificate_no: r.try_get(7)?,
            destination: r.try_get(8)?,
            region_code: r.try_get(9)?,
            reason: r.try_get(10)?,
            transfer_suggested: away
                && df::transfer_suggested(out, opt_date(&until), rules.cert_months),
            until_date: until,
            receiving_org_id: r.try_get(12)?,
            receiving_org_name: r.try_get(13)?,
            status_zh: FloatingStatus::from_code(&status)
                .map_or("", |s| s.zh())
                .into(),
            status,
            return_date: r.try_get(15)?,
            cancel_date: r.try_get(16)?,
            cancel_reason: r.try_get(17)?,
            lost,
            lost_date: r.try_get(19)?,
            lost_cause_zh: cause
                .as_deref()
                .and_then(LostCause::from_code)
                .map(|c| c.zh().to_string()),
            lost_cause: cause,
            lost_note: r.try_get(21)?,
            regained_date: r.try_get(22)?,
            note: r.try_get(23)?,
            version: r.try_get(24)?,
            created_at: r.try_get(25)?,
            updated_at: r.try_get(26)?,
            contacts: r.try_get(28)?,
            last_contact: last.to_string(),
            days_since_contact: (rules.today - last).num_days(),
            lost_due_date: due_date.map(|d| d.to_string()),
            due_lost_contact: away
                && !lost
                && active
                && df::is_lost_contact_due(last, rules.today, rules.lost_months),
            out_date,
        },
        home_path: r.try_get(29)?,
        receiving_path: r.try_get(30)?,
        member_floating: r.try_get::<i64, _>(31)? != 0,
    })
}

fn contact_from_row(r: &AnyRow) -> Result<FloatingContact> {
    let way: String = r.try_get(3)?;
    Ok(FloatingContact {
        id: r.try_get(0)?,
        record_id: r.try_get(1)?,
        date: r.try_get(2)?,
        way_zh: ContactWay::from_code(&way).map_or("", |w| w.zh()).into(),
        way,
        note: r.try_get(4)?,
        actor_id: r.try_get(5)?,
        recorded_at: r.try_get(6)?,
    })
}

fn text(s: &Option<String>, max: usize, code: &'static str, what: &str) -> Result<Option<String>> {
    let t = opt_trim(s);
    if t.as_ref().is_some_and(|t| t.chars().count() > max) {
        return Err(bad(code, format!("{what}不超过 {max} 字")));
    }
    Ok(t)
}

fn required(s: &str, max: usize, code: &'static str, what: &str) -> Result<String> {
    text(&Some(s.to_string()), max, code, what)?
        .ok_or_else(|| bad(code, format!("请填写{what}（不超过 {max} 字）")))
}

/// Refuses a bare `floating_back` event while a registration is open (called by the member
/// event machinery, inside its transaction): the return is recorded on the registration.
pub(crate) async fn guard_member_event(
    tx: &mut Tx,
    member_id: i64,
    kind: MemberEventKind,
) -> Result<()> {
    if kind != MemberEventKind::FloatingBack {
        return Ok(());
    }
    let open: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM floating_records WHERE member_id = $1 AND status = 'away' LIMIT 1",
    )
    .bind(member_id)
    .fetch_optional(&mut **tx)
    .await?;
    match open {
        Some(id) => Err(bad(
            "floating.record_open",
            format!("该党员有未办结的外出登记（第 {id} 号），请在流动党员管理中登记返回或注销"),
        )),
        None => Ok(()),
    }
}

/// Who may act on a registration.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    /// The home org only.
    Home,
    /// The home org or the receiving org.
    Either,
}

impl Store {
    async fn floating_rules(&self) -> Result<Rules> {
        let today = self.reference_date().await?;
        let overlays = self.rule_overlays().await?;
        let (lost, lost_source) = int_param(LOST_CONTACT_MONTHS, today, &overlays);
        let (cert, _) = int_param(CERTIFICATE_MAX_MONTHS, today, &overlays);
        Ok(Rules {
            today,
            lost_months: u32::try_from(lost).unwrap_or(6),
            lost_source,
            cert_months: u32::try_from(cert).unwrap_or(6),
        })
    }

    /// One registration with its contact log (404 unless the caller may read members at
    /// the home or the receiving org).
    pub async fn get_floating(&self, scope: &Scope, id: i64) -> Result<FloatingDetail> {
        let rules = self.floating_rules().await?;
        let mut q = Sql::new(&format!("SELECT {COLS}{FROM} WHERE r.id = "));
        q.bind(id).push(" AND (");
        side(&mut q, scope, "h.path", None);
        q.push(" OR ");
        side(&mut q, scope, "ro.path", None);
        q.push(")");
        let r = q
            .query()
            .fetch_optional(self.db.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        let record = load(&r, &rules)?.view;
        let rows = sqlx::query(
            "SELECT id, record_id, date, way, note, actor_id, recorded_at FROM floating_contacts WHERE record_id = $1 ORDER BY date, id",
        )
        .bind(id)
        .fetch_all(self.db.pool())
        .await?;
        let contacts = rows
            .iter()
            .map(contact_from_row)
            .collect::<Result<Vec<_>>>()?;
        Ok(FloatingDetail { record, contacts })
    }

    /// Registrations within the caller's scope (home or receiving side), by home org and
    /// outbound date, with the last contact, the days since and the 失联 proposal.
    pub async fn list_floating(
        &self,
        scope: &Scope,
        f: &FloatingFilter,
    ) -> Result<Page<FloatingView>> {
        let rules = self.floating_rules().await?;
        let page = Paging::new(f.page, f.page_size);
        let under = match f.org {
            Some(id) => Some(self.get_org(scope, id).await?.path),
            None => None,
        };
        let dir = f
            .direction
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty());
        if dir.is_some_and(|d| d != "in" && d != "out") {
            return Err(bad(
                "floating.direction_invalid",
                "direction 应为 out（本组织外出）或 in（流入本组织）",
            ));
        }
        let status =
            match f.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(s) => Some(FloatingStatus::from_code(s).ok_or_else(|| {
                    bad("floating.status_invalid", format!("未知的登记状态：{s}"))
                })?),
                None => None,
            };
        let cutoff = df::lost_contact_cutoff(rules.today, rules.lost_months)
            .map(|d| d.to_string())
            .unwrap_or_default();
        let build = |q: &mut Sql| {
            q.push(FROM).push(" WHERE (");
            let u = under.as_deref();
            match dir {
                Some("in") => side(q, scope, "ro.path", u),
                Some(_) => side(q, scope, "h.path", u),
                None => {
                    side(q, scope, "h.path", u);
                    q.push(" OR ");
                    side(q, scope, "ro.path", u);
                }
            }
            q.push(")");
            if let Some(s) = status {
                q.push(" AND r.status = ").bind(s.code());
            }
            if let Some(l) = f.lost {
                q.push(" AND r.lost = ").bind(i64::from(l));
            }
            if let Some(m) = f.member {
                q.push(" AND r.member_id = ").bind(m);
            }
            if let Some(due) = f.due {
                q.push(if due { " AND (" } else { " AND NOT (" })
                    .push("r.status = 'away' AND r.lost = 0 AND m.active = 1 AND ")
                    .push(LAST)
                    .push(" <= ")
                    .bind(cutoff.as_str())
                    .push(")");
            }
        };
        let mut c = Sql::new("SELECT COUNT(*)");
        build(&mut c);
        let total: i64 = c.scalar::<i64>().fetch_one(self.db.pool()).await?;
        let mut q = Sql::new(&format!("SELECT {COLS}"));
        build(&mut q);
        q.push(" ORDER BY h.path, r.out_date, r.id LIMIT ")
            .bind(page.limit())
            .push(" OFFSET ")
            .bind(page.offset());
        let rows = q.query().fetch_all(self.db.pool()).await?;
        let items = rows
            .iter()
            .map(|r| load(r, &rules).map(|x| x.view))
            .collect::<Result<Vec<_>>>()?;
        Ok(Page::new(items, total, page))
    }

    /// Registers a member going away with an activity certificate; writes their
    /// `floating_out` event on the outbound date (same transaction, audited).
    pub async fn register_floating(
        &self,
        scope: &Scope,
        n: &NewFloating,
    ) -> Result<FloatingDetail> {
        let rules = self.floating_rules().await?;
        let out = parse_date(&n.out_date, "外出")?;
        if out > rules.today {
            return Err(bad("floating.date_future", "日期不能晚于今天"));
        }
        let cert = required(
            &n.certificate_no,
            50,
            "floating.certificate_required",
            "流动党员活动证编号",
        )?;
        let destination = required(
            &n.destination,
            200,
            "floating.destination_required",
            "外出地点（流入地）",
        )?;
        let reason = required(&n.reason, 200, "floating.reason_required", "外出原因")?;
        let region = match opt_trim(&n.region_code) {
            Some(c) => Some(
                jiceng_domain::region::validate(&c)
                    .map_err(|e| StoreError::invalid(e.code(), e.to_string()))?
                    .code,
            ),
            None => None,
        };
        let until = match opt_trim(&n.until_date) {
            Some(u) => {
                let u = parse_date(&u, "预计返回")?;
                if u < out {
                    return Err(bad(
                        "floating.until_before_out",
                        "预计返回日期不能早于外出日期",
                    ));
                }
                Some(u)
            }
            None => None,
        };
        let note = text(&n.note, 500, "floating.note_invalid", "备注")?;
        let mut tx = self.db.begin().await?;
        let m = member_for_sender(&mut tx, scope, n.member_id).await?;
        if m.version != n.version {
            return Err(StoreError::Conflict { current: m.version });
        }
        let home = match (m.active, m.org_id) {
            (true, Some(o)) => o,
            _ => {
                return Err(bad(
                    "floating.member_not_on_roster",
                    "该党员已不在党员名册中，不能登记外出",
                ))
            }
        };
        let open: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM floating_records WHERE member_id = $1 AND status = 'away' LIMIT 1",
        )
        .bind(n.member_id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(id) = open {
            return Err(bad(
                "floating.already_away",
                format!("该党员已有未办结的外出登记（第 {id} 号），请先登记返回或注销"),
            ));
        }
        if let Some(ro) = n.receiving_org_id {
            let r = sqlx::query("SELECT dissolved, kind FROM orgs WHERE id = $1")
                .bind(ro)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| bad("floating.receiving_org_invalid", "流入地党组织不存在"))?;
            if r.try_get::<Option<String>, _>(0)?.is_some() {
                return Err(bad("floating.receiving_org_invalid", "流入地党组织已撤销"));
            }
            // The member takes part in the 流入地 org's life: a branch (often a 临时党支部).
            crate::org::check_holds_members(&r.try_get::<String, _>(1)?)?;
            if ro == home {
                return Err(bad(
                    "floating.receiving_same_org",
                    "流入地党组织不能是党员本人所在的党组织",
                ));
            }
        }
        let used: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM floating_records WHERE certificate_no = $1 AND status = 'away' LIMIT 1",
        )
        .bind(&cert)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(id) = used {
            return Err(bad(
                "floating.certificate_in_use",
                format!("该活动证编号已用于另一条未办结的外出登记（第 {id} 号）"),
            ));
        }
        self.add_member_event_in(
            &mut tx,
            scope,
            n.member_id,
            &NewMemberEvent {
                version: n.version,
                kind: MemberEventKind::FloatingOut.code().into(),
                date: out.to_string(),
                org_id: None,
                letter_no: None,
                note: Some(format!("流动党员活动证 {cert}；外出至 {destination}")),
                probationary: false,
            },
            MemberEventKind::FloatingOut,
            out,
        )
        .await?;
        let now = crate::now_ts();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO floating_records (member_id, org_id, out_date, certificate_no, destination, region_code, reason, until_date, receiving_org_id, status, lost, note, actor_id, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $12, 1, $13, $13) RETURNING id",
        )
        .bind(n.member_id)
        .bind(home)
        .bind(out.to_string())
        .bind(&cert)
        .bind(&destination)
        .bind(region)
        .bind(&reason)
        .bind(until.map(|u| u.to_string()))
        .bind(n.receiving_org_id)
        .bind(FloatingStatus::Away.code())
        .bind(note)
        .bind(scope.user_id)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        let after = Self::floating_in_tx(&mut tx, id, &rules).await?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "floating.register",
                entity: "floating_record",
                entity_id: Some(id.to_string()),
                scope_path: Some(m.path),
                before: None,
                after: Some(serde_json::to_value(&after.view)?),
            },
        )
        .await?;
        tx.commit().await?;
        self.stats_member_changed(n.member_id).await;
        self.get_floating(scope, id).await
    }

    async fn floating_in_tx(tx: &mut Tx, id: i64, rules: &Rules) -> Result<Loaded> {
        let r = sqlx::query(&format!("SELECT {COLS}{FROM} WHERE r.id = $1"))
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        load(&r, rules)
    }

    /// Loads a registration for a write: 404 unless visible, 403 without MemberWrite on the
    /// acting side, 409 on a stale version, 422 unless away.
    async fn floating_for_action(
        tx: &mut Tx,
        scope: &Scope,
        id: i64,
        version: i64,
        who: Side,
        rules: &Rules,
    ) -> Result<Loaded> {
        let l = Self::floating_in_tx(tx, id, rules).await?;
        let may = |a: Action, p: Option<&str>| p.is_some_and(|p| scope.allows(a, p));
        let (home, recv) = (Some(l.home_path.as_str()), l.receiving_path.as_deref());
        if !may(Action::MemberRead, home) && !may(Action::MemberRead, recv) {
            return Err(StoreError::NotFound);
        }
        let writes = may(Action::MemberWrite, home)
            || (who == Side::Either && may(Action::MemberWrite, recv));
        if !writes {
            return Err(StoreError::Forbidden);
        }
        if l.view.version != version {
            return Err(StoreError::Conflict {
                current: l.view.version,
            });
        }
        if l.view.status != FloatingStatus::Away.code() {
            return Err(bad(
                "floating.not_away",
                format!("该外出登记已办结（{}）", l.view.status_zh),
            ));
        }
        Ok(l)
    }

    /// Claims the registration's version and applies `set` (an `UPDATE … SET` fragment with
    /// its values bound from `$3` on).
    async fn claim_floating(
        tx: &mut Tx,
        id: i64,
        version: i64,
        set: &str,
        vals: Vec<Option<String>>,
    ) -> Result<()> {
        let sql = format!(
            "UPDATE floating_records SET {set}, version = version + 1, updated_at = $1 WHERE id = $2 AND version = ${} AND status = 'away'",
            vals.len() + 3
        );
        let mut q = sqlx::query(&sql).bind(crate::now_ts()).bind(id);
        for v in vals {
            q = q.bind(v);
        }
        let done = q.bind(version).execute(&mut **tx).await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                current: version + 1,
            });
        }
        Ok(())
    }

    /// The member's current version (for an event written on behalf of a registration).
    async fn member_version(tx: &mut Tx, id: i64) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT version FROM members WHERE id = $1")
                .bind(id)
                .fetch_one(&mut **tx)
                .await?,
        )
    }

    fn action_date(a: &Option<String>, rules: &Rules, out: &str) -> Result<NaiveDate> {
        let date = match opt_trim(a) {
            Some(d) => parse_date(&d, "办理")?,
            None => rules.today,
        };
        if date > rules.today {
            return Err(bad("floating.date_future", "日期不能晚于今天"));
        }
        if date.to_string().as_str() < out {
            return Err(bad(
                "floating.date_before_out",
                format!("日期不能早于外出日期 {out}"),
            ));
        }
        Ok(date)
    }

    /// Logs a contact (home or receiving org). A contact on or after the 失联 date ends it.
    pub async fn add_floating_contact(
        &self,
        scope: &Scope,
        id: i64,
        c: &NewFloatingContact,
    ) -> Result<FloatingDetail> {
        let rules = self.floating_rules().await?;
        let note = text(&c.note, 500, "floating.note_invalid", "联络情况")?;
        let mut tx = self.db.begin().await?;
        let before =
            Self::floating_for_action(&mut tx, scope, id, c.version, Side::Either, &rules).await?;
        let date = Self::action_date(&c.date, &rules, &before.view.out_date)?;
        let way = ContactWay::parse(&c.way).ok_or_else(|| {
            bad(
                "floating.contact_way_invalid",
                format!(
                    "未知的联络方式：{}（应为 phone、visit、online 或 letter）",
                    c.way
                ),
            )
        })?;
        let regained = before.view.lost
            && before
                .view
                .lost_date
                .as_deref()
                .is_some_and(|l| date.to_string().as_str() >= l);
        if regained {
            Self::claim_floating(
                &mut tx,
                id,
                c.version,
                "lost = 0, regained_date = $3",
                vec![Some(date.to_string())],
            )
            .await?;
        } else {
            Self::claim_floating(&mut tx, id, c.version, "lost = lost", vec![]).await?;
        }
        let cid: i64 = sqlx::query_scalar(
            "INSERT INTO floating_contacts (record_id, date, way, note, actor_id, recorded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(id)
        .bind(date.to_string())
        .bind(way.code())
        .bind(note.clone())
        .bind(scope.user_id)
        .bind(crate::now_ts())
        .fetch_one(&mut *tx)
        .await?;
        let after = Self::floating_in_tx(&mut tx, id, &rules).await?;
        let acting = if scope.allows(Action::MemberWrite, &before.home_path) {
            before.home_path.clone()
        } else {
            before.receiving_path.clone().unwrap_or_default()
        };
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "floating.contact",
                entity: "floating_record",
                entity_id: Some(id.to_string()),
                scope_path: Some(acting),
                before: Some(serde_json::to_value(&before.view)?),
                after: Some(serde_json::json!({
                    "contact": {"id": cid, "date": date.to_string(), "way": way.code(), "note": note},
                    "record": after.view,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        self.get_floating(scope, id).await
    }

    /// The member came back: `floating_back` on the return date (home org).
    pub async fn return_floating(
        &self,
        scope: &Scope,
        id: i64,
        a: &FloatingAction,
    ) -> Result<FloatingDetail> {
        let rules = self.floating_rules().await?;
        let note = text(&a.note, 500, "floating.note_invalid", "备注")?;
        let mut tx = self.db.begin().await?;
        let before =
            Self::floating_for_action(&mut tx, scope, id, a.version, Side::Home, &rules).await?;
        let date = Self::action_date(&a.date, &rules, &before.view.out_date)?;
        Self::claim_floating(
            &mut tx,
            id,
            a.version,
            "status = 'returned', return_date = $3",
            vec![Some(date.to_string())],
        )
        .await?;
        let version = Self::member_version(&mut tx, before.view.member_id).await?;
        self.add_member_event_in(
            &mut tx,
            scope,
            before.view.member_id,
            &NewMemberEvent {
                version,
                kind: MemberEventKind::FloatingBack.code().into(),
                date: date.to_string(),
                org_id: None,
                letter_no: None,
                note: Some(match &note {
                    Some(x) => format!("流动党员返回（外出登记 {id}）；{x}"),
                    None => format!("流动党员返回（外出登记 {id}）"),
                }),
                probationary: false,
            },
            MemberEventKind::FloatingBack,
            date,
        )
        .await?;
        let member_id = before.view.member_id;
        self.finish_floating(tx, scope, id, "floating.return", before, &rules)
            .await?;
        self.stats_member_changed(member_id).await;
        self.get_floating(scope, id).await
    }

    /// Ends a registration without a return (the membership was transferred, the
    /// registration was wrong, …), with a reason; the member's `floating_back` is written
    /// when they are still on the roster as floating.
    pub async fn cancel_floating(
        &self,
        scope: &Scope,
        id: i64,
        a: &FloatingAction,
    ) -> Result<FloatingDetail> {
        let rules = self.floating_rules().await?;
        let reason = text(&a.reason, 500, "floating.reason_invalid", "注销原因")?;
        let mut tx = self.db.begin().await?;
        let before =
            Self::floating_for_action(&mut tx, scope, id, a.version, Side::Home, &rules).await?;
        let reason = reason
            .ok_or_else(|| bad("floating.cancel_reason_required", "注销外出登记须填写原因"))?;
        let date = Self::action_date(&a.date, &rules, &before.view.out_date)?;
        Self::claim_floating(
            &mut tx,
            id,
            a.version,
            "status = 'cancelled', cancel_date = $3, cancel_reason = $4",
            vec![Some(date.to_string()), Some(reason.clone())],
        )
        .await?;
        let member_id = before.view.member_id;
        let event = before.view.member_active && before.member_floating;
        if event {
            let version = Self::member_version(&mut tx, member_id).await?;
            self.add_member_event_in(
                &mut tx,
                scope,
                member_id,
                &NewMemberEvent {
                    version,
                    kind: MemberEventKind::FloatingBack.code().into(),
                    date: date.to_string(),
                    org_id: None,
                    letter_no: None,
                    note: Some(format!("注销外出登记 {id}：{reason}")),
                    probationary: false,
                },
                MemberEventKind::FloatingBack,
                date,
            )
            .await?;
        }
        self.finish_floating(tx, scope, id, "floating.cancel", before, &rules)
            .await?;
        if event {
            self.stats_member_changed(member_id).await;
        }
        self.get_floating(scope, id).await
    }

    /// Confirms 失联 with a cause: only once the period without contact is complete (the
    /// system proposes, a person confirms).
    pub async fn mark_floating_lost(
        &self,
        scope: &Scope,
        id: i64,
        a: &FloatingAction,
    ) -> Result<FloatingDetail> {
        let rules = self.floating_rules().await?;
        let note = text(&a.note, 500, "floating.note_invalid", "备注")?;
        let mut tx = self.db.begin().await?;
        let before =
            Self::floating_for_action(&mut tx, scope, id, a.version, Side::Home, &rules).await?;
        let cause = a
            .cause
            .as_deref()
            .and_then(LostCause::parse)
            .ok_or_else(|| {
                let codes: Vec<&str> = LostCause::ALL.iter().map(|c| c.code()).collect();
                bad(
                    "floating.lost_cause_invalid",
                    format!("请选择失联原因：{}", codes.join("、")),
                )
            })?;
        if before.view.lost {
            return Err(bad("floating.already_lost", "该党员已登记为失联党员"));
        }
        if !before.view.member_active {
            return Err(bad(
                "floating.member_not_on_roster",
                "该党员已不在党员名册中，请注销该外出登记",
            ));
        }
        let date = Self::action_date(&a.date, &rules, &before.view.out_date)?;
        let last = before.view.last_contact.clone();
        let due = before.view.lost_due_date.clone().unwrap_or_default();
        if date.to_string() < due {
            return Err(bad(
                "floating.lost_not_due",
                format!(
                    "最后一次联系为 {last}，满{}个月（{due}）起方可认定为失联（{}）",
                    rules.lost_months, rules.lost_source
                ),
            ));
        }
        Self::claim_floating(
            &mut tx,
            id,
            a.version,
            "lost = 1, lost_date = $3, lost_cause = $4, lost_note = $5, regained_date = NULL",
            vec![Some(date.to_string()), Some(cause.code().into()), note],
        )
        .await?;
        self.finish_floating(tx, scope, id, "floating.lost", before, &rules)
            .await?;
        self.get_floating(scope, id).await
    }

    /// Audits the change of a registration (home org path) and commits.
    async fn finish_floating(
        &self,
        mut tx: Tx,
        scope: &Scope,
        id: i64,
        action: &str,
        before: Loaded,
        rules: &Rules,
    ) -> Result<()> {
        let after = Self::floating_in_tx(&mut tx, id, rules).await?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action,
                entity: "floating_record",
                entity_id: Some(id.to_string()),
                scope_path: Some(before.home_path.clone()),
                before: Some(serde_json::to_value(&before.view)?),
                after: Some(serde_json::to_value(&after.view)?),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Groups of members away from one org to one place, large enough for a temporary
    /// branch (临时党支部 or 党小组), within `org`'s subtree (default: the caller's scope).
    /// Counts members away, on the roster and not recorded as 失联.
    pub async fn floating_suggestions(
        &self,
        scope: &Scope,
        org: Option<i64>,
    ) -> Result<TemporaryBranchSuggestions> {
        let today = self.reference_date().await?;
        let overlays = self.rule_overlays().await?;
        let (min, source) = int_param(TEMPORARY_BRANCH_MIN, today, &overlays);
        let under = match org {
            Some(id) => Some(self.get_org(scope, id).await?.path),
            None => None,
        };
        let mut q = Sql::new(
            "SELECT r.id, r.member_id, m.name, h.id, h.name, r.destination, r.region_code FROM floating_records r JOIN members m ON m.id = r.member_id JOIN orgs h ON h.id = COALESCE(m.org_id, r.org_id) WHERE r.status = 'away' AND r.lost = 0 AND m.active = 1 AND ",
        );
        side(&mut q, scope, "h.path", under.as_deref());
        q.push(" ORDER BY h.path, r.out_date, r.id");
        let rows = q.query().fetch_all(self.db.pool()).await?;
        let mut away = Vec::with_capacity(rows.len());
        let mut names = std::collections::HashMap::new();
        let mut orgs = std::collections::HashMap::new();
        for r in &rows {
            let a = Away {
                record_id: r.try_get(0)?,
                member_id: r.try_get(1)?,
                org_id: r.try_get(3)?,
                destination: r.try_get(5)?,
                region_code: r.try_get(6)?,
            };
            names.insert(a.record_id, r.try_get::<String, _>(2)?);
            orgs.insert(a.org_id, r.try_get::<String, _>(4)?);
            away.push(a);
        }
        let min_n = usize::try_from(min).unwrap_or(3);
        let items = df::temporary_branch_suggestions(&away, min_n)
            .into_iter()
            .map(|g| {
                let first = g.members.first().cloned();
                let destination = first.as_ref().map(|a| a.destination.clone()).unwrap_or_default();
                let region_code = g.key.strip_prefix("region:").map(str::to_string);
                let org_name = orgs.get(&g.org_id).cloned().unwrap_or_default();
                let count = g.members.len() as i64;
                TemporaryBranchSuggestion {
                    message: format!(
                        "{org_name}有 {count} 名党员外出至 {destination}（{min}名以上），可在流入地建立临时党支部或党小组（{source}）"
                    ),
                    org_id: g.org_id,
                    org_name,
                    destination,
                    region_code,
                    key: g.key,
                    count,
                    members: g
                        .members
                        .into_iter()
                        .map(|a| SuggestionMember {
                            record_id: a.record_id,
                            member_id: a.member_id,
                            name: names.get(&a.record_id).cloned().unwrap_or_default(),
                            destination: a.destination,
                        })
                        .collect(),
                }
            })
            .collect();
        Ok(TemporaryBranchSuggestions {
            as_of: today.to_string(),
            min_members: min,
            source,
            items,
        })
    }
}
