//! Org tree: create, rename, edit, move a whole subtree, dissolve — each a dated
//! event applied to the current-state row in the same transaction, with its audit entry.

use jiceng_domain::codes::Coded;
use jiceng_domain::org::{CommitteeRole, Field, OrgKind, SetupMode};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{self, Entry};
use crate::auth::{Action, Scope};
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::sql::{path_upper, Sql};
use crate::{opt_trim, parse_date, Page, Paging, Store};

/// An org as shown.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrgView {
    /// Id.
    pub id: i64,
    /// Parent org (None for the root).
    pub parent_id: Option<i64>,
    /// Materialized path, e.g. `/1/17/305/`.
    pub path: String,
    /// Depth (root = 0).
    pub depth: i64,
    /// Full name.
    pub name: String,
    /// Short name.
    pub short_name: Option<String>,
    /// Kind code.
    pub kind: String,
    /// Kind label.
    pub kind_zh: String,
    /// Field code.
    pub field: String,
    /// Field label.
    pub field_zh: String,
    /// Setup mode code.
    pub setup_mode: String,
    /// Setup mode label.
    pub setup_mode_zh: String,
    /// Founding date.
    pub founded: String,
    /// Dissolution date, if dissolved.
    pub dissolved: Option<String>,
    /// GB/T 2260 (or 12-digit statistical) division code.
    pub region_code: Option<String>,
    /// Unified social credit code of the unit.
    pub credit_code: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Contact phone.
    pub phone: Option<String>,
    /// Start of the current committee's term.
    pub term_start: Option<String>,
    /// Next re-election due (term start + term length).
    pub reelection_due: Option<String>,
    /// Optimistic-concurrency version.
    pub version: i64,
    /// Members on the roster in the whole subtree (filled by listing calls).
    pub member_count: Option<i64>,
    /// Live child orgs.
    pub child_count: Option<i64>,
    /// A membership org: members can be placed in it (党支部, 临时党支部, 党总支; not 党委,
    /// 党工委 or 党小组). Org pickers for member placement offer only these.
    #[serde(default)]
    pub holds_members: bool,
}

/// The placement check every path that puts a member in an org uses (create, move,
/// transfer in, admission, a floating member's 流入地 org): the org's kind must hold
/// members ([`OrgKind::holds_members`]), else `member.org_cannot_hold_members`.
pub(crate) fn check_holds_members(kind: &str) -> Result<()> {
    let k = OrgKind::from_code(kind).ok_or_else(|| {
        StoreError::invalid(
            "member.org_cannot_hold_members",
            format!("未知的党组织类别 {kind}，不能作为党员的组织关系所在单位"),
        )
    })?;
    k.check_holds_members()
        .map_err(|e| StoreError::invalid(e.code(), e.to_string()))
}

const ORG_COLS: &str = "o.id, o.parent_id, o.path, o.depth, o.name, o.short_name, o.kind, o.field, o.setup_mode, o.founded, o.dissolved, o.region_code, o.credit_code, o.address, o.phone, o.term_start, o.version";

fn org_from_row(r: &AnyRow) -> Result<OrgView> {
    let kind: String = r.try_get(6)?;
    let field: String = r.try_get(7)?;
    let setup: String = r.try_get(8)?;
    let k = OrgKind::from_code(&kind);
    let f = Field::from_code(&field);
    let term_start: Option<String> = r.try_get(15)?;
    let due = match (
        k,
        f,
        term_start.as_deref().and_then(|t| parse_date(t, "").ok()),
    ) {
        (Some(k), Some(f), Some(t)) => {
            Some(jiceng_domain::warnings::reelection_due(t, k, f).to_string())
        }
        _ => None,
    };
    Ok(OrgView {
        id: r.try_get(0)?,
        parent_id: r.try_get(1)?,
        path: r.try_get(2)?,
        depth: r.try_get(3)?,
        name: r.try_get(4)?,
        short_name: r.try_get(5)?,
        kind_zh: k.map(|k| k.zh()).unwrap_or("").to_string(),
        holds_members: k.is_some_and(|k| k.holds_members()),
        kind,
        field_zh: f.map(|f| f.zh()).unwrap_or("").to_string(),
        field,
        setup_mode_zh: SetupMode::from_code(&setup)
            .map(|s| s.zh())
            .unwrap_or("")
            .to_string(),
        setup_mode: setup,
        founded: r.try_get(9)?,
        dissolved: r.try_get(10)?,
        region_code: r.try_get(11)?,
        credit_code: r.try_get(12)?,
        address: r.try_get(13)?,
        phone: r.try_get(14)?,
        term_start,
        reelection_due: due,
        version: r.try_get(16)?,
        member_count: None,
        child_count: None,
    })
}

/// A new org.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewOrg {
    /// Parent (omit only when creating the root, which only the system may do).
    pub parent_id: Option<i64>,
    /// Full name.
    pub name: String,
    /// Short name.
    pub short_name: Option<String>,
    /// Kind code (`committee`, `working_committee`, `general_branch`, `branch`, `temporary_branch`, `group`).
    pub kind: String,
    /// Field code.
    pub field: String,
    /// Setup mode code (default `standalone`).
    pub setup_mode: Option<String>,
    /// Founding date (YYYY-MM-DD).
    pub founded: String,
    /// Division code.
    pub region_code: Option<String>,
    /// Unified social credit code.
    pub credit_code: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Start of the current committee's term.
    pub term_start: Option<String>,
}

/// Changes to an org's attributes. A changed name is recorded as a rename event.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct OrgPatch {
    /// Version the caller read (stale → 409).
    pub version: i64,
    /// Effective date of the change (default today).
    pub date: Option<String>,
    /// New full name.
    pub name: Option<String>,
    /// New short name.
    pub short_name: Option<String>,
    /// New field.
    pub field: Option<String>,
    /// New setup mode.
    pub setup_mode: Option<String>,
    /// New founding date.
    pub founded: Option<String>,
    /// New division code.
    pub region_code: Option<String>,
    /// New credit code.
    pub credit_code: Option<String>,
    /// New address.
    pub address: Option<String>,
    /// New phone.
    pub phone: Option<String>,
    /// New term start.
    pub term_start: Option<String>,
}

/// A dated org event.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrgEvent {
    /// Id.
    pub id: i64,
    /// `created`, `renamed`, `updated`, `moved`, `dissolved`.
    pub kind: String,
    /// Effective date.
    pub date: String,
    /// Details.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    /// Recorded at.
    pub recorded_at: String,
    /// Names of the orgs the details refer to by id (`parent_id`, `from_parent`,
    /// `to_parent`), dissolved ones included, so the history never shows a bare number.
    pub org_names: std::collections::BTreeMap<i64, String>,
}

/// A committee seat (班子成员).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Seat {
    /// Id.
    pub id: i64,
    /// Org.
    pub org_id: i64,
    /// Member holding it (if a member of the system).
    pub member_id: Option<i64>,
    /// Person's name.
    pub person_name: String,
    /// Role code.
    pub role: String,
    /// Role label.
    pub role_zh: String,
    /// Term start.
    pub term_start: String,
    /// Planned term end.
    pub term_end: Option<String>,
    /// Actually ended on.
    pub ended_on: Option<String>,
}

/// A new committee seat.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewSeat {
    /// Member (optional: non-members can hold village posts elsewhere, not here).
    pub member_id: Option<i64>,
    /// Name (taken from the member when omitted).
    pub person_name: Option<String>,
    /// Role code.
    pub role: String,
    /// Term start.
    pub term_start: String,
    /// Planned term end.
    pub term_end: Option<String>,
}

/// Org listing filter.
#[derive(Debug, Clone, Default)]
pub struct OrgFilter {
    /// Limit to this subtree.
    pub under: Option<i64>,
    /// Name contains.
    pub q: Option<String>,
    /// Kind code.
    pub kind: Option<String>,
    /// Field code.
    pub field: Option<String>,
    /// Include dissolved orgs.
    pub include_dissolved: bool,
}

fn parse_kind(s: &str) -> Result<OrgKind> {
    OrgKind::parse(s)
        .ok_or_else(|| StoreError::invalid("org.kind_unknown", format!("未知组织类别：{s}")))
}
fn parse_field(s: &str) -> Result<Field> {
    Field::parse(s)
        .ok_or_else(|| StoreError::invalid("org.field_unknown", format!("未知领域：{s}")))
}
fn parse_setup(s: &str) -> Result<SetupMode> {
    SetupMode::parse(s)
        .ok_or_else(|| StoreError::invalid("org.setup_mode_unknown", format!("未知组建方式：{s}")))
}

fn check_name(name: &str) -> Result<String> {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > 100 {
        return Err(StoreError::invalid(
            "org.name_invalid",
            "组织名称不能为空，且不超过 100 字",
        ));
    }
    Ok(n.to_string())
}

fn check_codes(
    region: &Option<String>,
    credit: &Option<String>,
) -> Result<(Option<String>, Option<String>)> {
    let region = match opt_trim(region) {
        Some(r) => Some(
            jiceng_domain::region::validate(&r)
                .map_err(|e| StoreError::invalid(e.code(), e.to_string()))?
                .code,
        ),
        None => None,
    };
    let credit = match opt_trim(credit) {
        Some(c) => Some(
            jiceng_domain::credit_code::validate(&c)
                .map_err(|e| StoreError::invalid(e.code(), e.to_string()))?,
        ),
        None => None,
    };
    Ok((region, credit))
}

/// Which kinds may sit under which (党小组 only under a branch, branches hold no sub-orgs).
fn check_parent_kind(parent: OrgKind, child: OrgKind) -> Result<()> {
    use OrgKind::*;
    let ok = match parent {
        Committee | WorkingCommittee => true,
        GeneralBranch => matches!(child, Branch | TemporaryBranch | Group),
        Branch | TemporaryBranch => child == Group,
        Group => false,
    };
    if ok {
        Ok(())
    } else {
        Err(StoreError::invalid(
            "org.parent_kind",
            format!("{}下不能设立{}", parent.zh(), child.zh()),
        ))
    }
}

pub(crate) async fn insert_org_event(
    tx: &mut Tx,
    scope: &Scope,
    org_id: i64,
    kind: &str,
    date: &str,
    data: serde_json::Value,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO org_events (org_id, kind, date, data, actor_id, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(org_id)
    .bind(kind)
    .bind(date)
    .bind(data.to_string())
    .bind(scope.user_id)
    .bind(crate::now_ts())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Path and name of an org, unscoped (internal use).
    pub async fn org_path(&self, id: i64) -> Result<Option<(String, String)>> {
        let r = sqlx::query("SELECT path, name FROM orgs WHERE id = $1")
            .bind(id)
            .fetch_optional(self.db.pool())
            .await?;
        match r {
            Some(r) => Ok(Some((r.try_get(0)?, r.try_get(1)?))),
            None => Ok(None),
        }
    }

    /// The root org's id (the word `root` on the CLI).
    pub async fn root_org_id(&self) -> Result<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT id FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1")
                .fetch_optional(self.db.pool())
                .await?,
        )
    }

    async fn org_unscoped_tx(tx: &mut Tx, id: i64) -> Result<Option<OrgView>> {
        let mut q = Sql::new("SELECT ");
        q.push(ORG_COLS).push(" FROM orgs o WHERE o.id = ").bind(id);
        let r = q.query().fetch_optional(&mut **tx).await?;
        r.as_ref().map(org_from_row).transpose()
    }

    /// Reads one org the scope may see (404 otherwise).
    pub async fn get_org(&self, scope: &Scope, id: i64) -> Result<OrgView> {
        let mut q = Sql::new("SELECT ");
        q.push(ORG_COLS).push(" FROM orgs o WHERE o.id = ").bind(id);
        self.filter_org_read(scope, &mut q);
        let r = q.query().fetch_optional(self.db.pool()).await?;
        let mut v = r
            .as_ref()
            .map(org_from_row)
            .transpose()?
            .ok_or(StoreError::NotFound)?;
        self.fill_counts(std::slice::from_mut(&mut v)).await?;
        Ok(v)
    }

    /// Org read filter: subtrees for staff roles, the own org for self-service members.
    fn filter_org_read(&self, scope: &Scope, q: &mut Sql) {
        if scope.is_system() {
            return;
        }
        let member_orgs: Vec<i64> = scope
            .grants
            .iter()
            .filter(|g| g.role == crate::Role::Member)
            .map(|g| g.org_id)
            .collect();
        if member_orgs.is_empty() {
            scope.filter_paths(q, "o.path", Action::OrgRead);
            return;
        }
        q.push(" AND (o.id IN (");
        for (i, id) in member_orgs.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(*id);
        }
        q.push(") OR (1=1");
        scope.filter_paths(q, "o.path", Action::OrgRead);
        q.push("))");
    }

    /// Fills member and child counts for a few orgs.
    async fn fill_counts(&self, orgs: &mut [OrgView]) -> Result<()> {
        for o in orgs.iter_mut() {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM members m JOIN orgs x ON x.id = m.org_id WHERE m.active = $1 AND x.path >= $2 AND x.path < $3",
            )
            .bind(1i64)
            .bind(&o.path)
            .bind(path_upper(&o.path))
            .fetch_one(self.db.pool())
            .await?;
            let c: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM orgs WHERE parent_id = $1 AND dissolved IS NULL",
            )
            .bind(o.id)
            .fetch_one(self.db.pool())
            .await?;
            o.member_count = Some(n);
            o.child_count = Some(c);
        }
        Ok(())
    }

    /// Lists orgs in tree order (depth-first by path), the top of the scope first.
    pub async fn list_orgs(
        &self,
        scope: &Scope,
        f: &OrgFilter,
        page: Paging,
    ) -> Result<Page<OrgView>> {
        let under = match f.under {
            Some(id) => Some(self.get_org(scope, id).await?.path),
            None => None,
        };
        let build = |q: &mut Sql| {
            q.push(" FROM orgs o WHERE 1=1");
            self.filter_org_read(scope, q);
            if let Some(p) = &under {
                q.push(" AND o.path >= ")
                    .bind(p.as_str())
                    .push(" AND o.path < ")
                    .bind(path_upper(p));
            }
            if !f.include_dissolved {
                q.push(" AND o.dissolved IS NULL");
            }
            if let Some(s) = f.q.as_ref().filter(|s| !s.trim().is_empty()) {
                let like = format!("%{}%", s.trim());
                q.push(" AND (o.name LIKE ")
                    .bind(like.clone())
                    .push(" OR o.short_name LIKE ")
                    .bind(like)
                    .push(")");
            }
            if let Some(k) = &f.kind {
                q.push(" AND o.kind = ").bind(k.as_str());
            }
            if let Some(k) = &f.field {
                q.push(" AND o.field = ").bind(k.as_str());
            }
        };
        let mut c = Sql::new("SELECT COUNT(*)");
        build(&mut c);
        let total: i64 = c.scalar::<i64>().fetch_one(self.db.pool()).await?;
        let mut q = Sql::new("SELECT ");
        q.push(ORG_COLS);
        build(&mut q);
        q.push(" ORDER BY o.path LIMIT ")
            .bind(page.limit())
            .push(" OFFSET ")
            .bind(page.offset());
        let rows = q.query().fetch_all(self.db.pool()).await?;
        let mut items = rows.iter().map(org_from_row).collect::<Result<Vec<_>>>()?;
        if items.len() <= 100 {
            self.fill_counts(&mut items).await?;
        }
        Ok(Page::new(items, total, page))
    }

    /// Live children of an org, with counts.
    pub async fn children(&self, scope: &Scope, id: i64) -> Result<Vec<OrgView>> {
        let parent = self.get_org(scope, id).await?;
        let mut q = Sql::new("SELECT ");
        q.push(ORG_COLS)
            .push(" FROM orgs o WHERE o.parent_id = ")
            .bind(parent.id)
            .push(" AND o.dissolved IS NULL");
        self.filter_org_read(scope, &mut q);
        q.push(" ORDER BY o.id");
        let rows = q.query().fetch_all(self.db.pool()).await?;
        let mut items = rows.iter().map(org_from_row).collect::<Result<Vec<_>>>()?;
        self.fill_counts(&mut items).await?;
        Ok(items)
    }

    /// Creates an org (event `created`).
    pub async fn create_org(&self, scope: &Scope, n: &NewOrg) -> Result<OrgView> {
        let name = check_name(&n.name)?;
        let kind = parse_kind(&n.kind)?;
        let field = parse_field(&n.field)?;
        let setup = parse_setup(n.setup_mode.as_deref().unwrap_or("standalone"))?;
        let founded = parse_date(&n.founded, "成立")?;
        if founded > crate::today() {
            return Err(StoreError::invalid(
                "org.founded_future",
                "成立日期不能晚于今天",
            ));
        }
        let term_start = match opt_trim(&n.term_start) {
            Some(t) => Some(parse_date(&t, "本届任期开始")?.to_string()),
            None => None,
        };
        let (region, credit) = check_codes(&n.region_code, &n.credit_code)?;
        let mut tx = self.db.begin().await?;
        let (parent_id, parent_path, depth) = match n.parent_id {
            Some(pid) => {
                let p = Self::org_unscoped_tx(&mut tx, pid)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                if !scope.allows(Action::OrgRead, &p.path) {
                    return Err(StoreError::NotFound);
                }
                if !scope.allows(Action::OrgStructure, &p.path) {
                    return Err(StoreError::Forbidden);
                }
                if p.dissolved.is_some() {
                    return Err(StoreError::invalid(
                        "org.parent_dissolved",
                        "上级组织已撤销",
                    ));
                }
                check_parent_kind(parse_kind(&p.kind)?, kind)?;
                let dup: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM orgs WHERE parent_id = $1 AND name = $2 AND dissolved IS NULL",
                )
                .bind(pid)
                .bind(&name)
                .fetch_one(&mut *tx)
                .await?;
                if dup > 0 {
                    return Err(StoreError::Duplicate(format!(
                        "同一上级下已有名为“{name}”的组织"
                    )));
                }
                (Some(pid), p.path, p.depth + 1)
            }
            None => {
                if !scope.is_system() {
                    return Err(StoreError::Forbidden);
                }
                let roots: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM orgs WHERE parent_id IS NULL")
                        .fetch_one(&mut *tx)
                        .await?;
                if roots > 0 {
                    return Err(StoreError::invalid(
                        "org.root_exists",
                        "已存在顶级组织，新组织须指定上级",
                    ));
                }
                (None, "/".to_string(), 0)
            }
        };
        let now = crate::now_ts();
        let province = region
            .as_ref()
            .map(|r| format!("{}0000", &r[..2.min(r.len())]));
        let tmp = format!("{parent_path}~{}", rand_suffix());
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO orgs (parent_id, path, depth, name, short_name, kind, field, setup_mode, founded, region_code, credit_code, address, phone, term_start, province, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1, $16, $16) RETURNING id",
        )
        .bind(parent_id)
        .bind(&tmp)
        .bind(depth)
        .bind(&name)
        .bind(opt_trim(&n.short_name))
        .bind(kind.code())
        .bind(field.code())
        .bind(setup.code())
        .bind(founded.to_string())
        .bind(region)
        .bind(credit)
        .bind(opt_trim(&n.address))
        .bind(opt_trim(&n.phone))
        .bind(term_start)
        .bind(province)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        let path = format!("{parent_path}{id}/");
        sqlx::query("UPDATE orgs SET path = $1 WHERE id = $2")
            .bind(&path)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let view = Self::org_unscoped_tx(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        insert_org_event(
            &mut tx,
            scope,
            id,
            "created",
            &view.founded,
            serde_json::json!({"parent_id": parent_id, "name": name}),
        )
        .await?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "org.create",
                entity: "org",
                entity_id: Some(id.to_string()),
                scope_path: Some(path),
                before: None,
                after: Some(serde_json::to_value(&view)?),
            },
        )
        .await?;
        tx.commit().await?;
        self.stats_orgs_changed().await;
        Ok(view)
    }

    /// Loads an org for a write, enforcing scope (404) and the caller's version (409).
    async fn org_for_write(
        &self,
        tx: &mut Tx,
        scope: &Scope,
        id: i64,
        version: i64,
        action: Action,
    ) -> Result<OrgView> {
        let o = Self::org_unscoped_tx(tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        if !scope.allows(Action::OrgRead, &o.path) {
            return Err(StoreError::NotFound);
        }
        if !scope.allows(action, &o.path) {
            return Err(StoreError::Forbidden);
        }
        if o.version != version {
            return Err(StoreError::Conflict { current: o.version });
        }
        Ok(o)
    }

    /// Edits attributes; a new name is a `renamed` event, other changes an `updated` event.
    pub async fn update_org(&self, scope: &Scope, id: i64, p: &OrgPatch) -> Result<OrgView> {
        let date = match &p.date {
            Some(d) => parse_date(d, "生效")?,
            None => self.reference_date().await?,
        };
        let mut tx = self.db.begin().await?;
        let before = self
            .org_for_write(&mut tx, scope, id, p.version, Action::OrgEdit)
            .await?;
        if before.dissolved.is_some() {
            return Err(StoreError::invalid(
                "org.dissolved",
                "该组织已撤销，不能修改",
            ));
        }
        let mut after = before.clone();
        if let Some(n) = &p.name {
            after.name = check_name(n)?;
        }
        if p.short_name.is_some() {
            after.short_name = opt_trim(&p.short_name);
        }
        if let Some(f) = &p.field {
            after.field = parse_field(f)?.code().to_string();
        }
        if let Some(s) = &p.setup_mode {
            after.setup_mode = parse_setup(s)?.code().to_string();
        }
        if let Some(f) = &p.founded {
            after.founded = parse_date(f, "成立")?.to_string();
        }
        if p.region_code.is_some() || p.credit_code.is_some() {
            let (r, c) = check_codes(
                &p.region_code.clone().or(before.region_code.clone()),
                &p.credit_code.clone().or(before.credit_code.clone()),
            )?;
            after.region_code = r;
            after.credit_code = c;
        }
        if p.address.is_some() {
            after.address = opt_trim(&p.address);
        }
        if p.phone.is_some() {
            after.phone = opt_trim(&p.phone);
        }
        if let Some(t) = &p.term_start {
            after.term_start = if t.trim().is_empty() {
                None
            } else {
                Some(parse_date(t, "本届任期开始")?.to_string())
            };
        }
        if after.name != before.name {
            let dup: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM orgs WHERE parent_id = $1 AND name = $2 AND dissolved IS NULL AND id <> $3",
            )
            .bind(before.parent_id)
            .bind(&after.name)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            if dup > 0 {
                return Err(StoreError::Duplicate(format!(
                    "同一上级下已有名为“{}”的组织",
                    after.name
                )));
            }
        }
        let res = sqlx::query(
            "UPDATE orgs SET name = $1, short_name = $2, field = $3, setup_mode = $4, founded = $5, region_code = $6, credit_code = $7, address = $8, phone = $9, term_start = $10, version = version + 1, updated_at = $11 WHERE id = $12 AND version = $13",
        )
        .bind(&after.name)
        .bind(after.short_name.clone())
        .bind(&after.field)
        .bind(&after.setup_mode)
        .bind(&after.founded)
        .bind(after.region_code.clone())
        .bind(after.credit_code.clone())
        .bind(after.address.clone())
        .bind(after.phone.clone())
        .bind(after.term_start.clone())
        .bind(crate::now_ts())
        .bind(id)
        .bind(p.version)
        .execute(&mut *tx)
        .await?;
        if res.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                current: before.version,
            });
        }
        if after.name != before.name {
            insert_org_event(
                &mut tx,
                scope,
                id,
                "renamed",
                &date.to_string(),
                serde_json::json!({"from": before.name, "to": after.name}),
            )
            .await?;
        }
        let other_changed = serde_json::to_value(OrgView {
            name: before.name.clone(),
            ..after.clone()
        })? != serde_json::to_value(&before)?;
        if other_changed {
            insert_org_event(
                &mut tx,
                scope,
                id,
                "updated",
                &date.to_string(),
                serde_json::json!({"before": before, "after": after}),
            )
            .await?;
        }
        self.finish_org_write(tx, scope, id, "org.update", &before)
            .await
    }

    /// The common end of every org write: re-read the row, audit before and after in the
    /// same transaction, commit.
    async fn finish_org_write(
        &self,
        mut tx: Tx,
        scope: &Scope,
        id: i64,
        action: &str,
        before: &OrgView,
    ) -> Result<OrgView> {
        let view = Self::org_unscoped_tx(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action,
                entity: "org",
                entity_id: Some(id.to_string()),
                scope_path: Some(view.path.clone()),
                before: Some(serde_json::to_value(before)?),
                after: Some(serde_json::to_value(&view)?),
            },
        )
        .await?;
        tx.commit().await?;
        self.stats_org_written(before, &view).await;
        Ok(view)
    }

    /// Moves an org with its whole subtree under a new parent, in one transaction.
    pub async fn move_org(
        &self,
        scope: &Scope,
        id: i64,
        new_parent: i64,
        date: &str,
        version: i64,
    ) -> Result<OrgView> {
        let date = parse_date(date, "调整")?;
        let mut tx = self.db.begin().await?;
        let before = Self::org_unscoped_tx(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        if !scope.allows(Action::OrgRead, &before.path) {
            return Err(StoreError::NotFound);
        }
        if !scope.allows_restructure(&before.path) {
            return Err(StoreError::Forbidden);
        }
        if before.version != version {
            return Err(StoreError::Conflict {
                current: before.version,
            });
        }
        let target = Self::org_unscoped_tx(&mut tx, new_parent)
            .await?
            .ok_or(StoreError::NotFound)?;
        if !scope.allows(Action::OrgRead, &target.path) {
            return Err(StoreError::NotFound);
        }
        if !scope.allows(Action::OrgStructure, &target.path) {
            return Err(StoreError::Forbidden);
        }
        if target.path.starts_with(&before.path) {
            return Err(StoreError::invalid(
                "org.move_into_self",
                "不能把组织调整到其自身或下级组织之下",
            ));
        }
        if Some(target.id) == before.parent_id {
            return Err(StoreError::invalid(
                "org.move_same_parent",
                "新的上级组织与原上级相同",
            ));
        }
        if target.dissolved.is_some() || before.dissolved.is_some() {
            return Err(StoreError::invalid(
                "org.dissolved",
                "已撤销的组织不能参与调整",
            ));
        }
        check_parent_kind(parse_kind(&target.kind)?, parse_kind(&before.kind)?)?;
        let new_path = format!("{}{}/", target.path, id);
        let delta = target.depth + 1 - before.depth;
        let old_len = before.path.chars().count() as i64;
        let claimed = sqlx::query(
            "UPDATE orgs SET parent_id = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4",
        )
        .bind(target.id)
        .bind(crate::now_ts())
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                current: version + 1,
            });
        }
        sqlx::query(
            "UPDATE orgs SET path = $1 || substr(path, CAST($2 AS INTEGER)), depth = depth + $3 WHERE path >= $4 AND path < $5",
        )
        .bind(&new_path)
        .bind(old_len + 1)
        .bind(delta)
        .bind(&before.path)
        .bind(path_upper(&before.path))
        .execute(&mut *tx)
        .await?;
        insert_org_event(&mut tx, scope, id, "moved", &date.to_string(), serde_json::json!({"from_parent": before.parent_id, "to_parent": target.id, "from_path": before.path, "to_path": new_path})).await?;
        self.finish_org_write(tx, scope, id, "org.move", &before)
            .await
    }

    /// Dissolves an org; refused while it still has members or live sub-orgs.
    pub async fn dissolve_org(
        &self,
        scope: &Scope,
        id: i64,
        date: &str,
        version: i64,
    ) -> Result<OrgView> {
        let date = parse_date(date, "撤销")?;
        let mut tx = self.db.begin().await?;
        let before = Self::org_unscoped_tx(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        if !scope.allows(Action::OrgRead, &before.path) {
            return Err(StoreError::NotFound);
        }
        if !scope.allows_restructure(&before.path) {
            return Err(StoreError::Forbidden);
        }
        if before.version != version {
            return Err(StoreError::Conflict {
                current: before.version,
            });
        }
        if before.dissolved.is_some() {
            return Err(StoreError::invalid("org.dissolved", "该组织已撤销"));
        }
        if date.to_string() < before.founded {
            return Err(StoreError::invalid(
                "org.dissolve_before_founded",
                "撤销日期不能早于成立日期",
            ));
        }
        let members: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM members WHERE org_id = $1 AND active = $2")
                .bind(id)
                .bind(1i64)
                .fetch_one(&mut *tx)
                .await?;
        if members > 0 {
            return Err(StoreError::invalid(
                "org.has_members",
                format!("该组织仍有 {members} 名党员，须先转出或调整"),
            ));
        }
        let kids: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM orgs WHERE parent_id = $1 AND dissolved IS NULL",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        if kids > 0 {
            return Err(StoreError::invalid(
                "org.has_children",
                format!("该组织仍有 {kids} 个下级组织，须先撤销或调整"),
            ));
        }
        let claimed = sqlx::query(
            "UPDATE orgs SET dissolved = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4",
        )
        .bind(date.to_string())
        .bind(crate::now_ts())
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                current: version + 1,
            });
        }
        insert_org_event(
            &mut tx,
            scope,
            id,
            "dissolved",
            &date.to_string(),
            serde_json::json!({}),
        )
        .await?;
        self.finish_org_write(tx, scope, id, "org.dissolve", &before)
            .await
    }

    /// The dated history of an org.
    pub async fn org_events(&self, scope: &Scope, id: i64) -> Result<Vec<OrgEvent>> {
        self.get_org(scope, id).await?;
        let rows = sqlx::query("SELECT id, kind, date, data, recorded_at FROM org_events WHERE org_id = $1 ORDER BY date, id")
            .bind(id)
            .fetch_all(self.db.pool())
            .await?;
        let mut events = rows
            .iter()
            .map(|r| {
                let data: String = r.try_get(3)?;
                Ok(OrgEvent {
                    id: r.try_get(0)?,
                    kind: r.try_get(1)?,
                    date: r.try_get(2)?,
                    data: serde_json::from_str(&data)?,
                    recorded_at: r.try_get(4)?,
                    org_names: Default::default(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        // The orgs an event names by id, read whatever their state (a dissolved former parent
        // keeps its name in the history).
        let mut names: std::collections::BTreeMap<i64, String> = Default::default();
        for e in &mut events {
            for key in ["parent_id", "from_parent", "to_parent"] {
                let Some(oid) = e.data.get(key).and_then(serde_json::Value::as_i64) else {
                    continue;
                };
                let name = match names.get(&oid) {
                    Some(n) => Some(n.clone()),
                    None => {
                        let n: Option<String> =
                            sqlx::query_scalar("SELECT name FROM orgs WHERE id = $1")
                                .bind(oid)
                                .fetch_optional(self.db.pool())
                                .await?;
                        if let Some(n) = &n {
                            names.insert(oid, n.clone());
                        }
                        n
                    }
                };
                if let Some(n) = name {
                    e.org_names.insert(oid, n);
                }
            }
        }
        Ok(events)
    }

    /// The committee (current seats first, then past ones).
    pub async fn committee(&self, scope: &Scope, id: i64) -> Result<Vec<Seat>> {
        self.get_org(scope, id).await?;
        let rows = sqlx::query(
            "SELECT id, org_id, member_id, person_name, role, term_start, term_end, ended_on FROM committee_seats WHERE org_id = $1 ORDER BY CASE WHEN ended_on IS NULL THEN 0 ELSE 1 END, id",
        )
        .bind(id)
        .fetch_all(self.db.pool())
        .await?;
        rows.iter().map(seat_from_row).collect()
    }

    /// Adds a committee seat (audited).
    pub async fn add_seat(&self, scope: &Scope, org_id: i64, s: &NewSeat) -> Result<Seat> {
        let role = CommitteeRole::parse(&s.role).ok_or_else(|| {
            StoreError::invalid(
                "org.committee_role_unknown",
                format!("未知职务：{}", s.role),
            )
        })?;
        let start = parse_date(&s.term_start, "任职开始")?;
        let end = match opt_trim(&s.term_end) {
            Some(e) => {
                let e = parse_date(&e, "任期结束")?;
                if e <= start {
                    return Err(StoreError::invalid(
                        "org.term_end_before_start",
                        "任期结束日期须晚于开始日期",
                    ));
                }
                Some(e.to_string())
            }
            None => None,
        };
        let mut tx = self.db.begin().await?;
        let org = Self::org_unscoped_tx(&mut tx, org_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        if !scope.allows(Action::OrgRead, &org.path) {
            return Err(StoreError::NotFound);
        }
        if !scope.allows(Action::OrgEdit, &org.path) {
            return Err(StoreError::Forbidden);
        }
        let name = match s.member_id {
            Some(mid) => {
                let r = sqlx::query("SELECT m.name, o.path FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id = $1 AND m.active = $2")
                    .bind(mid)
                    .bind(1i64)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or_else(|| StoreError::invalid("org.seat_member_unknown", "任职党员不存在或不在党员名册中"))?;
                let p: String = r.try_get(1)?;
                if !scope.allows(Action::MemberRead, &p) {
                    return Err(StoreError::invalid(
                        "org.seat_member_unknown",
                        "任职党员不存在或不在党员名册中",
                    ));
                }
                r.try_get::<String, _>(0)?
            }
            None => opt_trim(&s.person_name).ok_or_else(|| {
                StoreError::invalid("org.seat_name_required", "请填写任职人员姓名")
            })?,
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO committee_seats (org_id, member_id, person_name, role, term_start, term_end, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(org_id)
        .bind(s.member_id)
        .bind(&name)
        .bind(role.code())
        .bind(start.to_string())
        .bind(end)
        .bind(crate::now_ts())
        .fetch_one(&mut *tx)
        .await?;
        let r = sqlx::query("SELECT id, org_id, member_id, person_name, role, term_start, term_end, ended_on FROM committee_seats WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let seat = seat_from_row(&r)?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "org.seat_add",
                entity: "committee_seat",
                entity_id: Some(id.to_string()),
                scope_path: Some(org.path),
                before: None,
                after: Some(serde_json::to_value(&seat)?),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(seat)
    }

    /// Ends a committee seat on a date (audited).
    pub async fn end_seat(
        &self,
        scope: &Scope,
        org_id: i64,
        seat_id: i64,
        date: &str,
    ) -> Result<Seat> {
        let date = parse_date(date, "离任")?;
        let mut tx = self.db.begin().await?;
        let org = Self::org_unscoped_tx(&mut tx, org_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        if !scope.allows(Action::OrgRead, &org.path) {
            return Err(StoreError::NotFound);
        }
        if !scope.allows(Action::OrgEdit, &org.path) {
            return Err(StoreError::Forbidden);
        }
        let q = "SELECT id, org_id, member_id, person_name, role, term_start, term_end, ended_on FROM committee_seats WHERE id = $1 AND org_id = $2";
        let r = sqlx::query(q)
            .bind(seat_id)
            .bind(org_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let before = seat_from_row(&r)?;
        if before.ended_on.is_some() {
            return Err(StoreError::invalid("org.seat_ended", "该职务已离任"));
        }
        if date.to_string() < before.term_start {
            return Err(StoreError::invalid(
                "org.seat_end_before_start",
                "离任日期不能早于任职日期",
            ));
        }
        sqlx::query("UPDATE committee_seats SET ended_on = $1 WHERE id = $2")
            .bind(date.to_string())
            .bind(seat_id)
            .execute(&mut *tx)
            .await?;
        let r = sqlx::query(q)
            .bind(seat_id)
            .bind(org_id)
            .fetch_one(&mut *tx)
            .await?;
        let after = seat_from_row(&r)?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "org.seat_end",
                entity: "committee_seat",
                entity_id: Some(seat_id.to_string()),
                scope_path: Some(org.path),
                before: Some(serde_json::to_value(&before)?),
                after: Some(serde_json::to_value(&after)?),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// Which orgs a form may offer (the `fit` of an org search).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrgFit {
    /// Any live org.
    #[default]
    Any,
    /// Orgs that hold members directly (`OrgKind::holds_members`: not a 党小组) — what a
    /// member's record, a transfer, a meeting or an applicant names.
    Basic,
}

impl OrgFit {
    /// Parses the query value (`any`, `basic`; empty means `any`).
    pub fn parse(s: Option<&str>) -> Result<OrgFit> {
        match s.map(str::trim).unwrap_or("") {
            "" | "any" => Ok(OrgFit::Any),
            "basic" => Ok(OrgFit::Basic),
            other => Err(StoreError::invalid(
                "org.fit_unknown",
                format!("未知的组织筛选：{other}（应为 any 或 basic）"),
            )),
        }
    }
}

/// An org found by the org picker's search: only what is needed to choose it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrgHit {
    /// Id.
    pub id: i64,
    /// Full name.
    pub name: String,
    /// Kind code.
    pub kind: String,
    /// Kind label.
    pub kind_zh: String,
    /// Whether members may be attached directly to it.
    pub holds_members: bool,
    /// Names from the root down to the org itself (short names where the org has one),
    /// e.g. `高淳县委 / 永阳镇党委 / 芝山村党总支`.
    pub path_names: Vec<String>,
}

/// An org search answer: at most `limit` orgs, best matches first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrgHits {
    /// The orgs found.
    pub items: Vec<OrgHit>,
    /// More orgs match than were answered (type more of the name).
    pub more: bool,
}

/// Largest `limit` of an org search (the default is 20).
pub const ORG_SEARCH_MAX: i64 = 50;
/// Rows a search with a Chinese query reads at most before ranking (tree order).
const ORG_SEARCH_SCAN: i64 = 2000;

/// How well an org matches a query: `None` no match, lower is better.
/// Chinese (or mixed) queries match the name or short name as a substring; ASCII queries
/// also match the pinyin initials (`zsc` → 芝山村…) or the full pinyin (`zhishan`).
pub fn org_match_rank(query: &str, name: &str, short_name: Option<&str>) -> Option<u8> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Some(0);
    }
    let names = std::iter::once(name).chain(short_name);
    let mut best: Option<u8> = None;
    let mut offer = |r: u8| best = Some(best.map_or(r, |b: u8| b.min(r)));
    for n in names {
        let lower = n.to_lowercase();
        if lower.starts_with(&q) {
            offer(0);
        } else if lower.contains(&q) {
            offer(2);
        }
        if q.chars().all(|c| c.is_ascii_alphanumeric()) {
            let initials = jiceng_domain::pinyin_key::initials(n);
            let full = jiceng_domain::pinyin_key::full(n);
            if initials.starts_with(&q) || full.starts_with(&q) {
                offer(1);
            } else if initials.contains(&q) || full.contains(&q) {
                offer(3);
            }
        }
    }
    best
}

/// The ids on a materialized path, root first (`/1/17/305/` → 1, 17, 305).
pub(crate) fn path_ids(path: &str) -> Vec<i64> {
    path.split('/').filter_map(|s| s.parse().ok()).collect()
}

fn like_escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('%');
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

impl Store {
    /// Display names (short name where there is one) of the orgs on these paths, by id.
    /// Unscoped: only names are answered, for showing where a visible org sits.
    pub(crate) async fn path_names_of(
        &self,
        paths: &[&str],
    ) -> Result<std::collections::HashMap<i64, String>> {
        let mut ids: Vec<i64> = paths.iter().flat_map(|p| path_ids(p)).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut out = std::collections::HashMap::new();
        for chunk in ids.chunks(500) {
            let mut q = Sql::new("SELECT id, name, short_name FROM orgs WHERE id IN (");
            for (i, id) in chunk.iter().enumerate() {
                if i > 0 {
                    q.push(", ");
                }
                q.bind(*id);
            }
            q.push(")");
            for r in q.query().fetch_all(self.db.pool()).await? {
                let name: String = r.try_get(1)?;
                let short: Option<String> = r.try_get(2)?;
                let shown = short.filter(|s| !s.trim().is_empty()).unwrap_or(name);
                out.insert(r.try_get::<i64, _>(0)?, shown);
            }
        }
        Ok(out)
    }

    /// The path of names, root first, of the org at `path`.
    pub(crate) fn names_along(
        names: &std::collections::HashMap<i64, String>,
        path: &str,
    ) -> Vec<String> {
        path_ids(path)
            .iter()
            .filter_map(|id| names.get(id).cloned())
            .collect()
    }

    /// The org picker's search within what the scope may see (`GET /orgs/search`): live orgs
    /// whose name, short name, pinyin initials or pinyin match `q`, fitting `fit`, best
    /// matches first, then tree order; at most `limit` (≤ 50). An empty `q` answers the
    /// first fitting orgs in tree order.
    pub async fn search_orgs(
        &self,
        scope: &Scope,
        q: &str,
        fit: OrgFit,
        limit: Option<i64>,
    ) -> Result<OrgHits> {
        self.find_orgs(Some(scope), q, fit, limit).await
    }

    /// Shared by the scoped search and the transfer destination search (`scope: None` =
    /// the whole deployment; the caller has checked the permission).
    pub(crate) async fn find_orgs(
        &self,
        scope: Option<&Scope>,
        q: &str,
        fit: OrgFit,
        limit: Option<i64>,
    ) -> Result<OrgHits> {
        let limit = limit.unwrap_or(20).clamp(1, ORG_SEARCH_MAX) as usize;
        let query = q.trim();
        if query.chars().count() > 50 {
            return Err(StoreError::invalid(
                "org.search_too_long",
                "搜索内容不超过 50 个字",
            ));
        }
        let ascii = query.chars().all(|c| c.is_ascii_alphanumeric());
        let mut sql = Sql::new("SELECT o.id, o.name, o.short_name, o.kind, o.path FROM orgs o WHERE o.dissolved IS NULL");
        if let Some(scope) = scope {
            self.filter_org_read(scope, &mut sql);
        }
        if fit == OrgFit::Basic {
            let kinds: Vec<&str> = OrgKind::ALL
                .iter()
                .filter(|k| k.holds_members())
                .map(|k| k.code())
                .collect();
            sql.push(" AND o.kind IN (");
            for (i, k) in kinds.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(*k);
            }
            sql.push(")");
        }
        if query.is_empty() {
            // Tree order, the top of the scope first.
            sql.push(" ORDER BY o.path LIMIT ").bind(limit as i64 + 1);
        } else if !ascii {
            // A Chinese query narrows in SQL (the scope's path range and the name).
            let like = like_escaped(query);
            sql.push(" AND (o.name LIKE ")
                .bind(like.clone())
                .push(" ESCAPE '\\' OR o.short_name LIKE ")
                .bind(like)
                .push(" ESCAPE '\\') ORDER BY o.path LIMIT ")
                .bind(ORG_SEARCH_SCAN);
        } else {
            // Pinyin is computed here from the names of the scope's orgs (a county has a few
            // thousand orgs; the path range keeps the read to the scope).
            sql.push(" ORDER BY o.path");
        }
        let rows = sql.query().fetch_all(self.db.pool()).await?;
        let mut found: Vec<(u8, i64, String, String, String)> = Vec::new();
        for r in &rows {
            let name: String = r.try_get(1)?;
            let short: Option<String> = r.try_get(2)?;
            if let Some(rank) = org_match_rank(query, &name, short.as_deref()) {
                found.push((rank, r.try_get(0)?, name, r.try_get(3)?, r.try_get(4)?));
            }
        }
        // Stable: equal ranks stay in tree order.
        found.sort_by_key(|f| f.0);
        let more = found.len() > limit;
        found.truncate(limit);
        let paths: Vec<&str> = found.iter().map(|f| f.4.as_str()).collect();
        let names = self.path_names_of(&paths).await?;
        let items = found
            .iter()
            .map(|(_, id, name, kind, path)| {
                let k = OrgKind::from_code(kind);
                OrgHit {
                    id: *id,
                    name: name.clone(),
                    kind: kind.clone(),
                    kind_zh: k.map(|k| k.zh()).unwrap_or("").to_string(),
                    holds_members: k.is_some_and(|k| k.holds_members()),
                    path_names: Self::names_along(&names, path),
                }
            })
            .collect();
        Ok(OrgHits { items, more })
    }
}

fn seat_from_row(r: &AnyRow) -> Result<Seat> {
    let role: String = r.try_get(4)?;
    Ok(Seat {
        id: r.try_get(0)?,
        org_id: r.try_get(1)?,
        member_id: r.try_get(2)?,
        person_name: r.try_get(3)?,
        role_zh: CommitteeRole::from_code(&role)
            .map(|x| x.zh())
            .unwrap_or("")
            .to_string(),
        role,
        term_start: r.try_get(5)?,
        term_end: r.try_get(6)?,
        ended_on: r.try_get(7)?,
    })
}

fn rand_suffix() -> String {
    use rand::Rng;
    format!("{:016x}", rand::thread_rng().gen::<u64>())
}
