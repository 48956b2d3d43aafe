//! 组织关系转接 (transfer in/out with the introduction letter number): a member's formal membership moving to another org.
//!
//! - **internal** (系统内): the sending org (MemberWrite on the member's org) issues; the
//!   member stays on the sender's roster while the transfer is `pending` (在途, listed in both
//!   inboxes); the receiving org (MemberWrite on `to_org`) receives it — a `moved` member
//!   event dated the receipt, written through the member event machinery in the same
//!   transaction — or rejects it with a reason (nothing moves); the sender may cancel while
//!   pending. The member is therefore on exactly one roster on every date.
//! - **outbound** (转出系统外): issued with the letter number and the destination; the
//!   member leaves the roster on the issue date (`transferred_out`); the transfer is
//!   `received` when the receipt slip (回执) comes back, on its date.
//! - **inbound** (从系统外转入): received with the letter number: a new member record
//!   (`create_member`, entry `transferred_in`) or, for someone who left earlier, a
//!   `transferred_in` event on their record.
//!
//! A member has at most one pending transfer, and while one is pending no other `moved` or
//! `transferred_out` event is accepted ([`guard_member_event`], called by the member event
//! machinery). The dues paid-up month (党费交至.3: dues are paid to the
//! branch holding the formal membership) travels with the transfer. Every write is audited
//! in its transaction; a stale `version` gets 409.
//!
//! Scope: a transfer is visible to whoever may read members on either side (404 otherwise);
//! acting needs MemberWrite on the acting side (403 otherwise). The receiving org of an
//! internal transfer may lie outside the sender's scope: the sender names it, and sees its
//! name on the transfer, nothing more.

use chrono::NaiveDate;
use jiceng_domain::codes::Coded;
use jiceng_domain::member::MemberEventKind;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{self, Entry};
use crate::auth::{Action, Grant, Scope};
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::member::{NewMember, NewMemberEvent};
use crate::sql::{path_upper, Sql};
use crate::{opt_trim, parse_date, Page, Paging, Role, Store};

jiceng_domain::coded_enum! {
    /// Kind of transfer.
    TransferKind {
        /// Between two orgs of the system (系统内转接).
        Internal = ("internal", "系统内转接"),
        /// To an org outside the system (转出).
        Outbound = ("outbound", "转出系统外"),
        /// From an org outside the system (转入).
        Inbound = ("inbound", "从系统外转入"),
    }
}

jiceng_domain::coded_enum! {
    /// Where a transfer stands.
    TransferStatus {
        /// Issued, not yet received (在途; for outbound: receipt slip not back yet).
        Pending = ("pending", "待接收"),
        /// Received (for outbound: receipt slip back).
        Received = ("received", "已接收"),
        /// Refused by the receiving org (退回).
        Rejected = ("rejected", "已退回"),
        /// Withdrawn by the sending org (撤销).
        Cancelled = ("cancelled", "已撤销"),
    }
}

fn bad(code: &'static str, msg: impl Into<String>) -> StoreError {
    StoreError::invalid(code, msg.into())
}

/// A transfer as shown.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct TransferView {
    /// Id.
    pub id: i64,
    /// `internal`, `outbound` or `inbound`.
    pub kind: String,
    /// Label of the kind.
    pub kind_zh: String,
    /// `pending`, `received`, `rejected` or `cancelled`.
    pub status: String,
    /// Label of the status.
    pub status_zh: String,
    /// Member.
    pub member_id: i64,
    /// Member's name.
    pub member_name: String,
    /// Sending org (none for inbound).
    pub from_org_id: Option<i64>,
    /// Its name.
    pub from_org_name: Option<String>,
    /// Receiving org (none for outbound).
    pub to_org_id: Option<i64>,
    /// Its name.
    pub to_org_name: Option<String>,
    /// Inbound: the sending org outside the system.
    pub origin: Option<String>,
    /// Outbound: the receiving org outside the system.
    pub destination: Option<String>,
    /// Introduction letter number (介绍信编号).
    pub letter_no: Option<String>,
    /// Dues paid up to this month (党费交至, `YYYY-MM`).
    pub dues_paid_until: Option<String>,
    /// Inbound: arrived as a probationary member.
    pub probationary: bool,
    /// Date the letter was issued.
    pub issued: String,
    /// Date received (outbound: date the receipt slip came back).
    pub received: Option<String>,
    /// Date rejected or cancelled.
    pub settled: Option<String>,
    /// Why it was rejected or cancelled.
    pub reason: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// User who issued or recorded it.
    pub issued_by: Option<i64>,
    /// User who received, rejected or cancelled it.
    pub settled_by: Option<i64>,
    /// Version for optimistic locking.
    pub version: i64,
    /// Recorded at.
    pub created_at: String,
    /// Last changed at.
    pub updated_at: String,
}

/// A person arriving from outside the system (a new member record).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct InboundPerson {
    /// Name.
    pub name: String,
    /// Gender code or label.
    pub gender: String,
    /// Ethnicity code or name (default 汉族).
    pub ethnicity: Option<String>,
    /// Birth date.
    pub birth_date: String,
    /// ID number (GB 11643), optional.
    pub id_number: Option<String>,
    /// Native place.
    pub native_place: Option<String>,
    /// Education code or label.
    pub education: String,
    /// Occupation code or label.
    pub occupation: String,
    /// Phone.
    pub phone: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Date admitted as probationary member.
    pub join_date: String,
    /// Date became full member (required unless probationary).
    pub full_date: Option<String>,
    /// Village post.
    pub village_post: Option<String>,
    /// Retired.
    #[serde(default)]
    pub retired: bool,
    /// In difficulty.
    #[serde(default)]
    pub in_difficulty: bool,
    /// Holds an office.
    #[serde(default)]
    pub holds_office: bool,
}

/// A transfer to issue (internal, outbound) or record (inbound).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NewTransfer {
    /// `internal`, `outbound` or `inbound`.
    pub kind: String,
    /// Member (internal, outbound; inbound for someone who left the system earlier).
    pub member_id: Option<i64>,
    /// The member's version as read (required with `member_id`; stale → 409).
    pub version: Option<i64>,
    /// Receiving org (internal, inbound).
    pub to_org_id: Option<i64>,
    /// Introduction letter number (required for outbound and inbound).
    pub letter_no: Option<String>,
    /// Dues paid up to this month, `YYYY-MM`.
    pub dues_paid_until: Option<String>,
    /// Outbound: the receiving org outside the system (required).
    pub destination: Option<String>,
    /// Inbound: the sending org outside the system (required).
    pub origin: Option<String>,
    /// Date the letter was issued (`YYYY-MM-DD`).
    pub issued: String,
    /// Inbound: date the member was received (default: `issued`).
    pub received: Option<String>,
    /// Inbound: arrives as a probationary member.
    #[serde(default)]
    pub probationary: bool,
    /// Inbound: the person, when they have no record yet.
    pub person: Option<InboundPerson>,
    /// Note.
    pub note: Option<String>,
}

/// Receive, reject or cancel a transfer.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct TransferAction {
    /// The transfer's version as read (stale → 409).
    pub version: i64,
    /// Date of the receipt, refusal or withdrawal (default today).
    pub date: Option<String>,
    /// Why (required to reject).
    pub reason: Option<String>,
    /// Note (kept with the member event on receipt).
    pub note: Option<String>,
}

/// Inbox filter.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct TransferFilter {
    /// Org whose subtree is one side of the transfer.
    pub org: Option<i64>,
    /// `in` (the org receives), `out` (the org sends); both when absent.
    pub direction: Option<String>,
    /// Status code.
    pub status: Option<String>,
    /// Kind code.
    pub kind: Option<String>,
    /// One member's transfers.
    pub member: Option<i64>,
    /// Page (from 1).
    pub page: Option<i64>,
    /// Page size (≤ 500).
    pub page_size: Option<i64>,
}

const COLS: &str = "t.id, t.kind, t.status, t.member_id, m.name, t.from_org_id, f.name, t.to_org_id, g.name, t.origin, t.destination, t.letter_no, t.dues_paid_until, t.probationary, t.issued, t.received, t.settled, t.reason, t.note, t.issued_by, t.settled_by, t.version, t.created_at, t.updated_at, f.path, g.path";
const FROM: &str = " FROM transfers t JOIN members m ON m.id = t.member_id LEFT JOIN orgs f ON f.id = t.from_org_id LEFT JOIN orgs g ON g.id = t.to_org_id";

/// A row with the two sides' paths (for permission checks).
struct Loaded {
    view: TransferView,
    from_path: Option<String>,
    to_path: Option<String>,
}

fn row(r: &AnyRow) -> Result<Loaded> {
    let kind: String = r.try_get(1)?;
    let status: String = r.try_get(2)?;
    Ok(Loaded {
        view: TransferView {
            id: r.try_get(0)?,
            kind_zh: TransferKind::from_code(&kind).map_or("", |k| k.zh()).into(),
            kind,
            status_zh: TransferStatus::from_code(&status)
                .map_or("", |s| s.zh())
                .into(),
            status,
            member_id: r.try_get(3)?,
            member_name: r.try_get(4)?,
            from_org_id: r.try_get(5)?,
            from_org_name: r.try_get(6)?,
            to_org_id: r.try_get(7)?,
            to_org_name: r.try_get(8)?,
            origin: r.try_get(9)?,
            destination: r.try_get(10)?,
            letter_no: r.try_get(11)?,
            dues_paid_until: r.try_get(12)?,
            probationary: r.try_get::<i64, _>(13)? != 0,
            issued: r.try_get(14)?,
            received: r.try_get(15)?,
            settled: r.try_get(16)?,
            reason: r.try_get(17)?,
            note: r.try_get(18)?,
            issued_by: r.try_get(19)?,
            settled_by: r.try_get(20)?,
            version: r.try_get(21)?,
            created_at: r.try_get(22)?,
            updated_at: r.try_get(23)?,
        },
        from_path: r.try_get(24)?,
        to_path: r.try_get(25)?,
    })
}

/// `(col IS NOT NULL [AND col in the subtree of under] [AND col in a MemberRead root])`.
pub(crate) fn side(q: &mut Sql, scope: &Scope, col: &str, under: Option<&str>) {
    q.push("(").push(col).push(" IS NOT NULL");
    if let Some(p) = under {
        q.push(" AND ")
            .push(col)
            .push(" >= ")
            .bind(p)
            .push(" AND ")
            .push(col)
            .push(" < ")
            .bind(path_upper(p));
    }
    if !scope.is_system() {
        q.push(" AND (1=0");
        for r in scope.roots_for(Action::MemberRead) {
            q.push(" OR (")
                .push(col)
                .push(" >= ")
                .bind(r.as_str())
                .push(" AND ")
                .push(col)
                .push(" < ")
                .bind(path_upper(&r))
                .push(")");
        }
        q.push(")");
    }
    q.push(")");
}

/// `YYYY-MM` (党费交至).
pub fn parse_dues_month(s: &Option<String>) -> Result<Option<String>> {
    let Some(t) = opt_trim(s) else {
        return Ok(None);
    };
    let ok = t.len() == 7
        && t.as_bytes()[4] == b'-'
        && t[..4]
            .parse::<i32>()
            .is_ok_and(|y| (1921..=2200).contains(&y))
        && t[5..].parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
        && t.bytes()
            .enumerate()
            .all(|(i, b)| i == 4 || b.is_ascii_digit());
    if !ok {
        return Err(bad(
            "transfer.dues_month_invalid",
            format!("党费交至月份格式应为 YYYY-MM：{t}"),
        ));
    }
    Ok(Some(t))
}

fn text(s: &Option<String>, max: usize, code: &'static str, what: &str) -> Result<Option<String>> {
    let t = opt_trim(s);
    if t.as_ref().is_some_and(|t| t.chars().count() > max) {
        return Err(bad(code, format!("{what}不超过 {max} 字")));
    }
    Ok(t)
}

fn in_transit(id: i64, issued: &str) -> StoreError {
    bad(
        "transfer.in_transit",
        format!(
            "该党员的组织关系正在转接中（转接单 {id}，{issued} 开具），须待对方接收、退回或本方撤销后，才能再调整或转出组织关系"
        ),
    )
}

async fn pending_of(tx: &mut Tx, member_id: i64) -> Result<Option<(i64, String)>> {
    let r = sqlx::query(
        "SELECT id, issued FROM transfers WHERE member_id = $1 AND status = 'pending' AND kind = 'internal' ORDER BY id LIMIT 1",
    )
    .bind(member_id)
    .fetch_optional(&mut **tx)
    .await?;
    r.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}

/// Refuses `moved` and `transferred_out` for a member whose internal transfer is in transit
/// (called by the member event machinery, inside its transaction).
pub(crate) async fn guard_member_event(
    tx: &mut Tx,
    member_id: i64,
    kind: MemberEventKind,
) -> Result<()> {
    if !matches!(
        kind,
        MemberEventKind::Moved | MemberEventKind::TransferredOut
    ) {
        return Ok(());
    }
    match pending_of(tx, member_id).await? {
        Some((id, issued)) => Err(in_transit(id, &issued)),
        None => Ok(()),
    }
}

/// A member as a transfer needs it: governing org (current, or the last one for someone
/// who left), its path, on the roster or not, version.
pub(crate) struct MemberRef {
    pub(crate) org_id: Option<i64>,
    pub(crate) path: String,
    pub(crate) active: bool,
    pub(crate) version: i64,
}

/// Loads a member for a write by their own org's side (sender of a transfer, home org of a
/// floating member): 404 outside MemberRead, 403 without
/// MemberWrite on the governing org.
pub(crate) async fn member_for_sender(tx: &mut Tx, scope: &Scope, id: i64) -> Result<MemberRef> {
    let r = sqlx::query(
        "SELECT m.org_id, mo.path, m.active, m.version FROM members m LEFT JOIN orgs mo ON mo.id = COALESCE(m.org_id, (SELECT e.org_id FROM member_events e WHERE e.member_id = m.id AND e.org_id IS NOT NULL ORDER BY e.date DESC, e.id DESC LIMIT 1)) WHERE m.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    let path: Option<String> = r.try_get(1)?;
    let path = path.ok_or(StoreError::NotFound)?;
    if !scope.allows(Action::MemberRead, &path) {
        return Err(StoreError::NotFound);
    }
    if !scope.allows(Action::MemberWrite, &path) {
        return Err(StoreError::Forbidden);
    }
    Ok(MemberRef {
        org_id: r.try_get(0)?,
        path,
        active: r.try_get::<i64, _>(2)? != 0,
        version: r.try_get(3)?,
    })
}

/// Claims the member's version (a row lock on PostgreSQL; 409 when stale).
async fn claim_member(tx: &mut Tx, id: i64, version: i64, current: i64) -> Result<()> {
    let done = sqlx::query(
        "UPDATE members SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3",
    )
    .bind(crate::now_ts())
    .bind(id)
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict { current });
    }
    Ok(())
}

/// An org of the system that can hold the membership: exists, not dissolved, a membership
/// org (`OrgKind::holds_members`).
/// Returns its path. The org need not be in the caller's scope (the target of a transfer).
async fn receiving_org(tx: &mut Tx, id: i64) -> Result<String> {
    let r = sqlx::query("SELECT path, kind, dissolved FROM orgs WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| bad("transfer.to_org_invalid", "接收党组织不存在"))?;
    let kind: String = r.try_get(1)?;
    let dissolved: Option<String> = r.try_get(2)?;
    if dissolved.is_some() {
        return Err(bad(
            "transfer.to_org_invalid",
            "接收党组织已撤销，不能接收党员",
        ));
    }
    crate::org::check_holds_members(&kind)?;
    Ok(r.try_get(0)?)
}

async fn last_event_date(tx: &mut Tx, member_id: i64) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT MAX(date) FROM member_events WHERE member_id = $1 AND kind <> 'updated'",
    )
    .bind(member_id)
    .fetch_one(&mut **tx)
    .await?)
}

async fn view_in_tx(tx: &mut Tx, id: i64) -> Result<Loaded> {
    let r = sqlx::query(&format!("SELECT {COLS}{FROM} WHERE t.id = $1"))
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    row(&r)
}

/// The date of an action: given or today, not in the future, not before the letter.
fn action_date(a: &TransferAction, today: NaiveDate, issued: &str) -> Result<NaiveDate> {
    let date = match opt_trim(&a.date) {
        Some(d) => parse_date(&d, "办理")?,
        None => today,
    };
    if date > today {
        return Err(bad("transfer.date_future", "日期不能晚于今天"));
    }
    if date.to_string().as_str() < issued {
        return Err(bad(
            "transfer.date_before_issue",
            format!("日期不能早于介绍信开具日期 {issued}"),
        ));
    }
    Ok(date)
}

/// Which side acts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Act {
    Receive,
    Reject,
    Cancel,
}

impl Store {
    /// One transfer (404 unless the caller may read members on one of its sides).
    pub async fn get_transfer(&self, scope: &Scope, id: i64) -> Result<TransferView> {
        let mut q = Sql::new(&format!("SELECT {COLS}{FROM} WHERE t.id = "));
        q.bind(id).push(" AND (");
        side(&mut q, scope, "f.path", None);
        q.push(" OR ");
        side(&mut q, scope, "g.path", None);
        q.push(")");
        let r = q
            .query()
            .fetch_optional(self.db.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(row(&r)?.view)
    }

    /// The inboxes: transfers into (`in`) or out of (`out`) an org's subtree, or both,
    /// within the caller's scope; newest first.
    pub async fn list_transfers(
        &self,
        scope: &Scope,
        f: &TransferFilter,
    ) -> Result<Page<TransferView>> {
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
        if let Some(d) = dir {
            if d != "in" && d != "out" {
                return Err(bad(
                    "transfer.direction_invalid",
                    "direction 应为 in（转入）或 out（转出）",
                ));
            }
        }
        let status =
            match f.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(s) => Some(TransferStatus::from_code(s).ok_or_else(|| {
                    bad("transfer.status_invalid", format!("未知的转接状态：{s}"))
                })?),
                None => None,
            };
        let kind = match f.kind.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => Some(
                TransferKind::from_code(s)
                    .ok_or_else(|| bad("transfer.kind_invalid", format!("未知的转接类别：{s}")))?,
            ),
            None => None,
        };
        let build = |q: &mut Sql| {
            q.push(FROM).push(" WHERE (");
            let u = under.as_deref();
            match dir {
                Some("in") => side(q, scope, "g.path", u),
                Some(_) => side(q, scope, "f.path", u),
                None => {
                    side(q, scope, "f.path", u);
                    q.push(" OR ");
                    side(q, scope, "g.path", u);
                }
            }
            q.push(")");
            if let Some(s) = status {
                q.push(" AND t.status = ").bind(s.code());
            }
            if let Some(k) = kind {
                q.push(" AND t.kind = ").bind(k.code());
            }
            if let Some(m) = f.member {
                q.push(" AND t.member_id = ").bind(m);
            }
        };
        let mut c = Sql::new("SELECT COUNT(*)");
        build(&mut c);
        let total: i64 = c.scalar::<i64>().fetch_one(self.db.pool()).await?;
        let mut q = Sql::new(&format!("SELECT {COLS}"));
        build(&mut q);
        q.push(" ORDER BY t.issued DESC, t.id DESC LIMIT ")
            .bind(page.limit())
            .push(" OFFSET ")
            .bind(page.offset());
        let rows = q.query().fetch_all(self.db.pool()).await?;
        let items = rows
            .iter()
            .map(|r| row(r).map(|x| x.view))
            .collect::<Result<Vec<_>>>()?;
        Ok(Page::new(items, total, page))
    }

    /// Issues an internal or outbound transfer, or records an inbound one (see the module).
    pub async fn create_transfer(&self, scope: &Scope, n: &NewTransfer) -> Result<TransferView> {
        let kind = TransferKind::from_code(n.kind.trim()).ok_or_else(|| {
            bad(
                "transfer.kind_invalid",
                format!(
                    "未知的转接类别：{}（应为 internal、outbound 或 inbound）",
                    n.kind
                ),
            )
        })?;
        let today = self.reference_date().await?;
        let issued = parse_date(&n.issued, "开具")?;
        if issued > today {
            return Err(bad("transfer.date_future", "日期不能晚于今天"));
        }
        let letter = text(&n.letter_no, 50, "transfer.letter_invalid", "介绍信编号")?;
        let mut dues = parse_dues_month(&n.dues_paid_until)?;
        // Not given for a member leaving: the last month of their dues ledger in Jiceng.
        if let (None, TransferKind::Internal | TransferKind::Outbound, Some(m)) =
            (&dues, kind, n.member_id)
        {
            dues = sqlx::query_scalar::<_, Option<String>>(
                "SELECT MAX(month) FROM dues_payments WHERE member_id = $1",
            )
            .bind(m)
            .fetch_one(self.db.pool())
            .await?;
        }
        let note = text(&n.note, 500, "transfer.note_invalid", "备注")?;
        if kind != TransferKind::Internal && letter.is_none() {
            return Err(bad(
                "transfer.letter_required",
                "转出、转入系统外须填写组织关系介绍信编号",
            ));
        }
        match kind {
            TransferKind::Internal => {
                self.issue_internal(scope, n, issued, letter, dues, note)
                    .await
            }
            TransferKind::Outbound => {
                self.issue_outbound(scope, n, issued, letter, dues, note)
                    .await
            }
            TransferKind::Inbound => {
                self.record_inbound(scope, n, today, issued, letter, dues, note)
                    .await
            }
        }
    }

    async fn issue_internal(
        &self,
        scope: &Scope,
        n: &NewTransfer,
        issued: NaiveDate,
        letter: Option<String>,
        dues: Option<String>,
        note: Option<String>,
    ) -> Result<TransferView> {
        let member_id = n
            .member_id
            .ok_or_else(|| bad("transfer.member_required", "请指定转出的党员"))?;
        let version = n
            .version
            .ok_or_else(|| bad("transfer.version_required", "请提供党员记录的版本号"))?;
        let to = n
            .to_org_id
            .ok_or_else(|| bad("transfer.to_org_required", "请指定接收党组织"))?;
        let mut tx = self.db.begin().await?;
        let m = member_for_sender(&mut tx, scope, member_id).await?;
        claim_member(&mut tx, member_id, version, m.version).await?;
        let from = match (m.active, m.org_id) {
            (true, Some(o)) => o,
            _ => {
                return Err(bad(
                    "transfer.member_not_on_roster",
                    "该党员已不在党员名册中，不能转接组织关系",
                ))
            }
        };
        if let Some((id, d)) = pending_of(&mut tx, member_id).await? {
            return Err(in_transit(id, &d));
        }
        receiving_org(&mut tx, to).await?;
        if to == from {
            return Err(bad("transfer.same_org", "接收党组织与现所在党组织相同"));
        }
        if let Some(last) = last_event_date(&mut tx, member_id).await? {
            if issued.to_string() < last {
                return Err(bad(
                    "transfer.date_out_of_order",
                    format!("开具日期不能早于该党员最近一次记载的日期 {last}"),
                ));
            }
        }
        let id = self
            .insert_transfer(
                &mut tx,
                scope,
                TransferKind::Internal,
                TransferStatus::Pending,
                member_id,
                Some(from),
                Some(to),
                None,
                None,
                letter,
                dues,
                false,
                issued,
                None,
                note,
            )
            .await?;
        let v = view_in_tx(&mut tx, id).await?.view;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "transfer.issue",
                entity: "transfer",
                entity_id: Some(id.to_string()),
                scope_path: Some(m.path),
                before: None,
                after: Some(serde_json::to_value(&v)?),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(v)
    }

    async fn issue_outbound(
        &self,
        scope: &Scope,
        n: &NewTransfer,
        issued: NaiveDate,
        letter: Option<String>,
        dues: Option<String>,
        note: Option<String>,
    ) -> Result<TransferView> {
        let member_id = n
            .member_id
            .ok_or_else(|| bad("transfer.member_required", "请指定转出的党员"))?;
        let version = n
            .version
            .ok_or_else(|| bad("transfer.version_required", "请提供党员记录的版本号"))?;
        let destination = text(
            &n.destination,
            200,
            "transfer.destination_invalid",
            "转往单位",
        )?
        .ok_or_else(|| {
            bad(
                "transfer.destination_required",
                "转出系统外须填写转往的党组织（介绍信抬头）",
            )
        })?;
        if n.to_org_id.is_some() {
            return Err(bad(
                "transfer.to_org_unexpected",
                "转往系统内党组织请使用系统内转接（internal）",
            ));
        }
        let mut tx = self.db.begin().await?;
        let m = member_for_sender(&mut tx, scope, member_id).await?;
        if m.version != version {
            return Err(StoreError::Conflict { current: m.version });
        }
        if let Some((id, d)) = pending_of(&mut tx, member_id).await? {
            return Err(in_transit(id, &d));
        }
        let from = m.org_id.filter(|_| m.active);
        // The member leaves the roster on the issue date, through the event machinery (scope,
        // version claim, order and transition checks, audit `member.event`).
        let event_note = match &note {
            Some(x) => format!("转往：{destination}；{x}"),
            None => format!("转往：{destination}"),
        };
        self.add_member_event_in(
            &mut tx,
            scope,
            member_id,
            &NewMemberEvent {
                version,
                kind: MemberEventKind::TransferredOut.code().into(),
                date: issued.to_string(),
                org_id: None,
                letter_no: letter.clone(),
                note: Some(event_note),
                probationary: false,
            },
            MemberEventKind::TransferredOut,
            issued,
        )
        .await?;
        let id = self
            .insert_transfer(
                &mut tx,
                scope,
                TransferKind::Outbound,
                TransferStatus::Pending,
                member_id,
                from,
                None,
                None,
                Some(destination),
                letter,
                dues,
                false,
                issued,
                None,
                note,
            )
            .await?;
        let v = view_in_tx(&mut tx, id).await?.view;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "transfer.issue",
                entity: "transfer",
                entity_id: Some(id.to_string()),
                scope_path: Some(m.path),
                before: None,
                after: Some(serde_json::to_value(&v)?),
            },
        )
        .await?;
        tx.commit().await?;
        self.stats_member_changed(member_id).await;
        Ok(v)
    }

    #[allow(clippy::too_many_arguments)]
    async fn record_inbound(
        &self,
        scope: &Scope,
        n: &NewTransfer,
        today: NaiveDate,
        issued: NaiveDate,
        letter: Option<String>,
        dues: Option<String>,
        note: Option<String>,
    ) -> Result<TransferView> {
        let to = n
            .to_org_id
            .ok_or_else(|| bad("transfer.to_org_required", "请指定接收党组织"))?;
        let origin =
            text(&n.origin, 200, "transfer.origin_invalid", "转出单位")?.ok_or_else(|| {
                bad(
                    "transfer.origin_required",
                    "从系统外转入须填写开具介绍信的党组织",
                )
            })?;
        let received = match opt_trim(&n.received) {
            Some(r) => parse_date(&r, "接收")?,
            None => issued,
        };
        if received > today {
            return Err(bad("transfer.date_future", "日期不能晚于今天"));
        }
        if received < issued {
            return Err(bad(
                "transfer.received_before_issue",
                "接收日期不能早于介绍信开具日期",
            ));
        }
        let mut tx = self.db.begin().await?;
        let to_path: Option<String> = sqlx::query_scalar("SELECT path FROM orgs WHERE id = $1")
            .bind(to)
            .fetch_optional(&mut *tx)
            .await?;
        let to_path = to_path.ok_or(StoreError::NotFound)?;
        if !scope.allows(Action::OrgRead, &to_path) {
            return Err(StoreError::NotFound);
        }
        if !scope.allows(Action::MemberWrite, &to_path) {
            return Err(StoreError::Forbidden);
        }
        let member_id = match (&n.person, n.member_id) {
            (Some(p), None) => {
                let full = match opt_trim(&p.full_date) {
                    Some(f) => Some(parse_date(&f, "转正")?),
                    None => None,
                };
                let full_on_arrival = full.is_some_and(|f| f <= received);
                if n.probationary && full_on_arrival {
                    return Err(bad(
                        "transfer.probationary_mismatch",
                        "转正日期早于接收日期，该党员转入时已是正式党员",
                    ));
                }
                if !n.probationary && !full_on_arrival {
                    return Err(bad(
                        "transfer.full_date_required",
                        "正式党员转入须填写不晚于接收日期的转正日期",
                    ));
                }
                let nm = NewMember {
                    org_id: to,
                    name: p.name.clone(),
                    gender: p.gender.clone(),
                    ethnicity: p.ethnicity.clone(),
                    birth_date: p.birth_date.clone(),
                    id_number: p.id_number.clone(),
                    native_place: p.native_place.clone(),
                    education: p.education.clone(),
                    occupation: p.occupation.clone(),
                    phone: p.phone.clone(),
                    address: p.address.clone(),
                    join_date: p.join_date.clone(),
                    full_date: p.full_date.clone(),
                    entry: Some("transferred_in".into()),
                    entry_date: Some(received.to_string()),
                    letter_no: letter.clone(),
                    village_post: p.village_post.clone(),
                    retired: p.retired,
                    in_difficulty: p.in_difficulty,
                    holds_office: p.holds_office,
                };
                self.create_member_in(&mut tx, scope, &nm, today).await?
            }
            (None, Some(id)) => {
                let version = n.version.ok_or_else(|| {
                    bad("transfer.version_required", "请提供党员记录的版本号")
                })?;
                self.add_member_event_in(
                    &mut tx,
                    scope,
                    id,
                    &NewMemberEvent {
                        version,
                        kind: MemberEventKind::TransferredIn.code().into(),
                        date: received.to_string(),
                        org_id: Some(to),
                        letter_no: letter.clone(),
                        note: Some(format!("自 {origin} 转入")),
                        probationary: n.probationary,
                    },
                    MemberEventKind::TransferredIn,
                    received,
                )
                .await?;
                id
            }
            _ => {
                return Err(bad(
                    "transfer.person_required",
                    "从系统外转入须填写党员信息（person），或指定曾在本系统的党员记录（member_id），二者选一",
                ))
            }
        };
        let id = self
            .insert_transfer(
                &mut tx,
                scope,
                TransferKind::Inbound,
                TransferStatus::Received,
                member_id,
                None,
                Some(to),
                Some(origin),
                None,
                letter,
                dues,
                n.probationary,
                issued,
                Some(received),
                note,
            )
            .await?;
        let r = view_in_tx(&mut tx, id).await?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "transfer.inbound",
                entity: "transfer",
                entity_id: Some(id.to_string()),
                scope_path: r.to_path.clone(),
                before: None,
                after: Some(serde_json::to_value(&r.view)?),
            },
        )
        .await?;
        tx.commit().await?;
        self.stats_member_changed(member_id).await;
        Ok(r.view)
    }

    #[allow(clippy::too_many_arguments)]
    async fn insert_transfer(
        &self,
        tx: &mut Tx,
        scope: &Scope,
        kind: TransferKind,
        status: TransferStatus,
        member_id: i64,
        from: Option<i64>,
        to: Option<i64>,
        origin: Option<String>,
        destination: Option<String>,
        letter: Option<String>,
        dues: Option<String>,
        probationary: bool,
        issued: NaiveDate,
        received: Option<NaiveDate>,
        note: Option<String>,
    ) -> Result<i64> {
        let now = crate::now_ts();
        Ok(sqlx::query_scalar(
            "INSERT INTO transfers (member_id, kind, status, from_org_id, to_org_id, origin, destination, letter_no, dues_paid_until, probationary, issued, received, note, issued_by, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, $15, $15) RETURNING id",
        )
        .bind(member_id)
        .bind(kind.code())
        .bind(status.code())
        .bind(from)
        .bind(to)
        .bind(origin)
        .bind(destination)
        .bind(letter)
        .bind(dues)
        .bind(i64::from(probationary))
        .bind(issued.to_string())
        .bind(received.map(|d| d.to_string()))
        .bind(note)
        .bind(scope.user_id)
        .bind(now)
        .fetch_one(&mut **tx)
        .await?)
    }

    /// Loads a transfer for an action: 404 unless visible, 403 without MemberWrite on the
    /// acting side (receiving side to receive or reject; sending side to cancel, and for
    /// an outbound transfer to record the receipt slip), 409 on a stale version, 422 unless
    /// pending.
    async fn transfer_for_action(
        &self,
        tx: &mut Tx,
        scope: &Scope,
        id: i64,
        version: i64,
        act: Act,
    ) -> Result<(Loaded, String)> {
        let r = sqlx::query(&format!("SELECT {COLS}{FROM} WHERE t.id = $1"))
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let r = row(&r)?;
        let readable = |p: &Option<String>| {
            p.as_deref()
                .is_some_and(|p| scope.allows(Action::MemberRead, p))
        };
        if !readable(&r.from_path) && !readable(&r.to_path) {
            return Err(StoreError::NotFound);
        }
        let acting = match act {
            Act::Receive | Act::Reject => r.to_path.clone().or_else(|| r.from_path.clone()),
            Act::Cancel => r.from_path.clone().or_else(|| r.to_path.clone()),
        }
        .unwrap_or_default();
        if !scope.allows(Action::MemberWrite, &acting) {
            return Err(StoreError::Forbidden);
        }
        if r.view.version != version {
            return Err(StoreError::Conflict {
                current: r.view.version,
            });
        }
        let kind = TransferKind::from_code(&r.view.kind);
        if act != Act::Receive && kind != Some(TransferKind::Internal) {
            return Err(bad(
                "transfer.not_internal",
                "只有系统内转接可以退回或撤销；转出系统外的，如需更正请登记转入",
            ));
        }
        if r.view.status != TransferStatus::Pending.code() {
            return Err(bad(
                "transfer.not_pending",
                format!("该转接已办结（{}），不能再办理", r.view.status_zh),
            ));
        }
        Ok((r, acting))
    }

    /// Settles a pending transfer: claims its version (409 when another request got there
    /// first) and sets the new status with its date.
    #[allow(clippy::too_many_arguments)]
    async fn settle(
        tx: &mut Tx,
        scope: &Scope,
        id: i64,
        version: i64,
        status: TransferStatus,
        received: Option<NaiveDate>,
        settled: Option<NaiveDate>,
        reason: Option<String>,
    ) -> Result<()> {
        let done = sqlx::query(
            "UPDATE transfers SET status = $1, received = COALESCE($2, received), settled = $3, reason = $4, settled_by = $5, version = version + 1, updated_at = $6 WHERE id = $7 AND version = $8 AND status = 'pending'",
        )
        .bind(status.code())
        .bind(received.map(|d| d.to_string()))
        .bind(settled.map(|d| d.to_string()))
        .bind(reason)
        .bind(scope.user_id)
        .bind(crate::now_ts())
        .bind(id)
        .bind(version)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                current: version + 1,
            });
        }
        Ok(())
    }

    /// Receives a transfer. Internal: the receiving org confirms; the member moves on the
    /// receipt date (`moved` event, same transaction). Outbound: the sending org records the
    /// receipt slip (回执) and its date.
    pub async fn receive_transfer(
        &self,
        scope: &Scope,
        id: i64,
        a: &TransferAction,
    ) -> Result<TransferView> {
        let today = self.reference_date().await?;
        let note = text(&a.note, 500, "transfer.note_invalid", "备注")?;
        let mut tx = self.db.begin().await?;
        let (r, acting) = self
            .transfer_for_action(&mut tx, scope, id, a.version, Act::Receive)
            .await?;
        let date = action_date(a, today, &r.view.issued)?;
        Self::settle(
            &mut tx,
            scope,
            id,
            a.version,
            TransferStatus::Received,
            Some(date),
            None,
            None,
        )
        .await?;
        let member_id = r.view.member_id;
        let internal = r.view.kind == TransferKind::Internal.code();
        if internal {
            let (from, to) = (r.view.from_org_id, r.view.to_org_id);
            let m = sqlx::query("SELECT org_id, active, version FROM members WHERE id = $1")
                .bind(member_id)
                .fetch_one(&mut *tx)
                .await?;
            let (org, active, version): (Option<i64>, i64, i64) =
                (m.try_get(0)?, m.try_get(1)?, m.try_get(2)?);
            if active == 0 || org != from {
                return Err(bad(
                    "transfer.member_changed",
                    "该党员的组织关系已发生变化（已不在转出党组织），不能接收，请退回",
                ));
            }
            // The pending transfer entitles the receiving side to record this one move of a
            // member still on the sender's roster: the event machinery runs with the caller's
            // identity plus a member-write grant on the sending org for this call only.
            let mut acting_scope = scope.clone();
            if let (Some(fid), Some(fpath)) = (from, r.from_path.clone()) {
                acting_scope.grants.push(Grant {
                    role: Role::Branch,
                    org_id: fid,
                    path: fpath,
                    org_name: r.view.from_org_name.clone().unwrap_or_default(),
                });
            }
            let mut event_note = format!("组织关系转接单 {id}");
            if let Some(d) = &r.view.dues_paid_until {
                event_note.push_str(&format!("；党费交至 {d}"));
            }
            if let Some(x) = &note {
                event_note.push_str(&format!("；{x}"));
            }
            self.add_member_event_in(
                &mut tx,
                &acting_scope,
                member_id,
                &NewMemberEvent {
                    version,
                    kind: MemberEventKind::Moved.code().into(),
                    date: date.to_string(),
                    org_id: to,
                    letter_no: r.view.letter_no.clone(),
                    note: Some(event_note),
                    probationary: false,
                },
                MemberEventKind::Moved,
                date,
            )
            .await?;
        }
        let after = view_in_tx(&mut tx, id).await?.view;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "transfer.receive",
                entity: "transfer",
                entity_id: Some(id.to_string()),
                scope_path: Some(acting),
                before: Some(serde_json::to_value(&r.view)?),
                after: Some(serde_json::to_value(&after)?),
            },
        )
        .await?;
        tx.commit().await?;
        if internal {
            self.stats_member_changed(member_id).await;
        }
        Ok(after)
    }

    /// The receiving org refuses an internal transfer (退回), with a reason; nothing moves.
    pub async fn reject_transfer(
        &self,
        scope: &Scope,
        id: i64,
        a: &TransferAction,
    ) -> Result<TransferView> {
        self.close_transfer(scope, id, a, Act::Reject).await
    }

    /// The sending org withdraws an internal transfer while it is pending (撤销).
    pub async fn cancel_transfer(
        &self,
        scope: &Scope,
        id: i64,
        a: &TransferAction,
    ) -> Result<TransferView> {
        self.close_transfer(scope, id, a, Act::Cancel).await
    }

    async fn close_transfer(
        &self,
        scope: &Scope,
        id: i64,
        a: &TransferAction,
        act: Act,
    ) -> Result<TransferView> {
        let today = self.reference_date().await?;
        let reason = text(&a.reason, 500, "transfer.reason_invalid", "原因")?;
        let mut tx = self.db.begin().await?;
        let (r, acting) = self
            .transfer_for_action(&mut tx, scope, id, a.version, act)
            .await?;
        let date = action_date(a, today, &r.view.issued)?;
        if act == Act::Reject && reason.is_none() {
            return Err(bad("transfer.reason_required", "退回须填写原因"));
        }
        let (status, action) = match act {
            Act::Reject => (TransferStatus::Rejected, "transfer.reject"),
            _ => (TransferStatus::Cancelled, "transfer.cancel"),
        };
        Self::settle(
            &mut tx,
            scope,
            id,
            a.version,
            status,
            None,
            Some(date),
            reason,
        )
        .await?;
        let after = view_in_tx(&mut tx, id).await?.view;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action,
                entity: "transfer",
                entity_id: Some(id.to_string()),
                scope_path: Some(acting),
                before: Some(serde_json::to_value(&r.view)?),
                after: Some(serde_json::to_value(&after)?),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

impl Store {
    /// Where an internal transfer may go (`GET /transfers/destinations`): live orgs of the
    /// WHOLE deployment that hold members, matched like the org picker (name, short name,
    /// pinyin), answering only what is needed to choose one (id, name, kind, path names) —
    /// the receiving org need not be in the sender's scope. Only callers who may issue a
    /// transfer (MemberWrite somewhere) may search; others get 403.
    pub async fn transfer_destinations(
        &self,
        scope: &Scope,
        q: &str,
        limit: Option<i64>,
    ) -> Result<crate::org::OrgHits> {
        if !scope.is_system() && scope.roots_for(Action::MemberWrite).is_empty() {
            return Err(StoreError::Forbidden);
        }
        self.find_orgs(None, q, crate::org::OrgFit::Basic, limit)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dues_months() {
        let ok = |s: &str| parse_dues_month(&Some(s.to_string()));
        assert_eq!(ok("2024-05").unwrap(), Some("2024-05".into()));
        assert_eq!(ok(" 2024-12 ").unwrap(), Some("2024-12".into()));
        assert_eq!(parse_dues_month(&Some("  ".into())).unwrap(), None);
        assert_eq!(parse_dues_month(&None).unwrap(), None);
        for bad in [
            "2024-13",
            "2024-00",
            "2024/05",
            "24-05",
            "2024-5",
            "1900-01",
            "2024-0a",
            "２０２４-05",
        ] {
            assert!(ok(bad).is_err(), "{bad}");
        }
    }
}
