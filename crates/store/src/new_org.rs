//! The 两新组织 registry and Party coverage (§4.8 coverage rates).
//!
//! A unit belongs to the org of the tree that oversees it (`org_id`: the township, street
//! or sector committee); scope follows that org (reading needs `OrgRead`, writing
//! `OrgEdit`). The current state is a row; each change of coverage, and registration and
//! closing, is a dated event, so coverage can be reported as of any date.

use std::collections::HashMap;

use chrono::NaiveDate;
use jiceng_domain::codes::Coded;
use jiceng_domain::new_org::{coverage_warning, joint_warning, rate, CoverageMode, NewOrgKind};
use jiceng_domain::org::OrgKind;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{self, Entry};
use crate::auth::{Action, Scope};
use crate::error::{Result, StoreError};
use crate::sql::{path_upper, Sql};
use crate::{opt_trim, parse_date, Page, Paging, Store};

fn bad(code: &'static str, msg: impl Into<String>) -> StoreError {
    StoreError::invalid(code, msg.into())
}

/// A rule the unit's coverage breaks.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct NewOrgWarning {
    /// Stable code.
    pub code: String,
    /// Chinese message.
    pub message: String,
}

/// A registered unit.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct NewOrgView {
    /// Id.
    pub id: i64,
    /// Overseeing org.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// Unit name.
    pub name: String,
    /// Unified social credit code.
    pub credit_code: Option<String>,
    /// `non_public_enterprise`, `social_org` or `cooperative`.
    pub kind: String,
    /// Label of the kind.
    pub kind_zh: String,
    /// Above designated size (规模以上).
    pub above_scale: bool,
    /// Industry.
    pub industry: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Employees.
    pub headcount: i64,
    /// Full members working there.
    pub full_members: i64,
    /// Probationary members working there.
    pub probationary_members: i64,
    /// `own`, `joint`, `liaison` or `none`.
    pub coverage: String,
    /// Label of the coverage.
    pub coverage_zh: String,
    /// The org covering it (own or joint).
    pub covering_org_id: Option<i64>,
    /// Its name.
    pub covering_org_name: Option<String>,
    /// Instructor or liaison (for `liaison`).
    pub liaison: Option<String>,
    /// Registered on.
    pub registered: String,
    /// Closed (deregistered) on.
    pub closed: Option<String>,
    /// Version for optimistic locking.
    pub version: i64,
    /// Rules the coverage breaks.
    pub warnings: Vec<NewOrgWarning>,
}

/// A unit to register.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NewNewOrg {
    /// Overseeing org.
    pub org_id: i64,
    /// Name.
    pub name: String,
    /// Unified social credit code (GB 32100, check digit verified).
    pub credit_code: Option<String>,
    /// Kind code.
    pub kind: String,
    /// Above designated size.
    #[serde(default)]
    pub above_scale: bool,
    /// Industry.
    pub industry: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Employees.
    pub headcount: i64,
    /// Full members working there.
    pub full_members: i64,
    /// Probationary members working there.
    #[serde(default)]
    pub probationary_members: i64,
    /// Coverage code.
    pub coverage: String,
    /// Covering org (required for own and joint).
    pub covering_org_id: Option<i64>,
    /// Liaison (required for liaison).
    pub liaison: Option<String>,
    /// Registered on (YYYY-MM-DD).
    pub registered: String,
}

/// Changes to a unit; `version` must be current (else 409).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NewOrgPatch {
    /// Version read.
    pub version: i64,
    /// Name.
    pub name: Option<String>,
    /// Credit code.
    pub credit_code: Option<String>,
    /// Above designated size.
    pub above_scale: Option<bool>,
    /// Industry.
    pub industry: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Employees.
    pub headcount: Option<i64>,
    /// Full members.
    pub full_members: Option<i64>,
    /// Probationary members.
    pub probationary_members: Option<i64>,
    /// New coverage code.
    pub coverage: Option<String>,
    /// New covering org.
    pub covering_org_id: Option<i64>,
    /// New liaison.
    pub liaison: Option<String>,
    /// Date the coverage change took effect (required with `coverage`).
    pub effective: Option<String>,
    /// Closed (deregistered) on.
    pub closed: Option<String>,
}

/// Filter of the registry list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct NewOrgFilter {
    /// Subtree (units overseen by this org or below).
    pub org: Option<i64>,
    /// Kind code.
    pub kind: Option<String>,
    /// Coverage code.
    pub coverage: Option<String>,
    /// Only units whose coverage breaks a rule.
    pub warned: Option<bool>,
    /// Name contains.
    pub q: Option<String>,
    /// Include closed units.
    pub include_closed: Option<bool>,
    /// Page (from 1).
    pub page: Option<i64>,
    /// Page size.
    pub page_size: Option<i64>,
}

/// Coverage figures of one group of units.
#[derive(Debug, Clone, Default, Serialize, PartialEq, utoipa::ToSchema)]
pub struct CoverageRow {
    /// Kind code (`total` for all).
    pub kind: String,
    /// Label.
    pub label: String,
    /// Units registered and open on the date.
    pub registered: i64,
    /// With their own org.
    pub own: i64,
    /// In a joint org.
    pub joint: i64,
    /// With an instructor or liaison only.
    pub liaison: i64,
    /// Not covered.
    pub none: i64,
    /// Organizational coverage (own + joint) in percent.
    pub org_rate: f64,
    /// Work coverage (own + joint + liaison) in percent.
    pub work_rate: f64,
    /// Above designated size: registered.
    pub above_scale: i64,
    /// Above designated size: organizationally covered.
    pub above_scale_covered: i64,
    /// Above designated size: organizational coverage in percent.
    pub above_scale_rate: f64,
    /// Members working in these units (full + probationary).
    pub members: i64,
}

/// Coverage of a subtree on a date.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CoverageReport {
    /// As-of date.
    pub as_of: String,
    /// Subtree root.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// One row per kind, then the total.
    pub rows: Vec<CoverageRow>,
    /// Units open on the date whose coverage breaks a rule (current attributes).
    pub warned: i64,
}

const COLS: &str = "n.id, n.org_id, o.name, n.name, n.credit_code, n.kind, n.above_scale, n.industry, n.address, n.headcount, n.full_members, n.probationary_members, n.coverage, n.covering_org_id, c.name, n.liaison, n.registered, n.closed, n.version";
const FROM: &str =
    " FROM new_orgs n JOIN orgs o ON o.id = n.org_id LEFT JOIN orgs c ON c.id = n.covering_org_id";

fn flag(r: &AnyRow, i: usize) -> Result<bool> {
    Ok(r.try_get::<i64, _>(i)? != 0)
}

fn view(r: &AnyRow) -> Result<NewOrgView> {
    let kind: String = r.try_get(5)?;
    let coverage: String = r.try_get(12)?;
    let full: i64 = r.try_get(10)?;
    let mode = CoverageMode::from_code(&coverage).unwrap_or(CoverageMode::None);
    let warnings = coverage_warning(u32::try_from(full).unwrap_or(0), mode)
        .map(|(code, message)| NewOrgWarning {
            code: code.to_string(),
            message,
        })
        .into_iter()
        .collect();
    Ok(NewOrgView {
        id: r.try_get(0)?,
        org_id: r.try_get(1)?,
        org_name: r.try_get(2)?,
        name: r.try_get(3)?,
        credit_code: r.try_get(4)?,
        kind_zh: NewOrgKind::from_code(&kind).map_or_else(|| kind.clone(), |k| k.zh().into()),
        kind,
        above_scale: flag(r, 6)?,
        industry: r.try_get(7)?,
        address: r.try_get(8)?,
        headcount: r.try_get(9)?,
        full_members: full,
        probationary_members: r.try_get(11)?,
        coverage_zh: mode.zh().to_string(),
        coverage,
        covering_org_id: r.try_get(13)?,
        covering_org_name: r.try_get(14)?,
        liaison: r.try_get(15)?,
        registered: r.try_get(16)?,
        closed: r.try_get(17)?,
        version: r.try_get(18)?,
        warnings,
    })
}

/// Checked values of a unit (create, or the result of a patch).
struct Checked {
    name: String,
    credit_code: Option<String>,
    kind: NewOrgKind,
    headcount: i64,
    full: i64,
    probationary: i64,
    mode: CoverageMode,
    covering: Option<i64>,
    liaison: Option<String>,
}

fn check(c: &Checked) -> Result<()> {
    if c.name.is_empty() || c.name.chars().count() > 200 {
        return Err(bad(
            "new_org.name_invalid",
            "单位名称不能为空，且不超过 200 字",
        ));
    }
    if c.headcount < 0 || c.full < 0 || c.probationary < 0 {
        return Err(bad("new_org.count_invalid", "人数不能为负数"));
    }
    if c.full + c.probationary > c.headcount {
        return Err(bad(
            "new_org.members_exceed_headcount",
            format!(
                "党员人数（{}）不能多于从业人员数（{}）",
                c.full + c.probationary,
                c.headcount
            ),
        ));
    }
    match (c.mode.needs_org(), c.covering) {
        (true, None) => {
            return Err(bad(
                "new_org.covering_org_required",
                format!("覆盖方式为“{}”时，须选择覆盖它的党组织", c.mode.zh()),
            ))
        }
        (false, Some(_)) => {
            return Err(bad(
                "new_org.covering_org_unexpected",
                format!("覆盖方式为“{}”时，不应填写覆盖它的党组织", c.mode.zh()),
            ))
        }
        _ => {}
    }
    if c.mode == CoverageMode::Liaison && c.liaison.is_none() {
        return Err(bad(
            "new_org.liaison_required",
            "选派党建指导员/联络员时，须填写其姓名",
        ));
    }
    Ok(())
}

impl Store {
    /// The path of `org_id` if `action` is allowed there; 404 otherwise.
    async fn new_org_path(&self, scope: &Scope, org_id: i64, action: Action) -> Result<String> {
        let (path, _) = self.org_path(org_id).await?.ok_or(StoreError::NotFound)?;
        if !scope.allows(Action::OrgRead, &path) {
            return Err(StoreError::NotFound);
        }
        if !scope.allows(action, &path) {
            return Err(StoreError::Forbidden);
        }
        Ok(path)
    }

    /// Checks the covering org: visible to the caller and a basic-level org.
    async fn check_covering(&self, scope: &Scope, covering: Option<i64>) -> Result<()> {
        if let Some(id) = covering {
            let o = self.get_org(scope, id).await.map_err(|e| match e {
                StoreError::NotFound => bad(
                    "new_org.covering_org_invalid",
                    "覆盖它的党组织不存在或不在您的管理范围内",
                ),
                e => e,
            })?;
            let basic = OrgKind::from_code(&o.kind).is_some_and(|k| {
                matches!(
                    k,
                    OrgKind::Committee | OrgKind::GeneralBranch | OrgKind::Branch
                )
            });
            if !basic || o.dissolved.is_some() {
                return Err(bad(
                    "new_org.covering_org_invalid",
                    "覆盖它的应是现有的基层党委、党总支或党支部",
                ));
            }
        }
        Ok(())
    }

    /// One unit (404 outside the caller's scope).
    pub async fn get_new_org(&self, scope: &Scope, id: i64) -> Result<NewOrgView> {
        let mut q = Sql::new(&format!("SELECT {COLS}{FROM} WHERE n.id = "));
        q.bind(id);
        scope.filter_paths(&mut q, "o.path", Action::OrgRead);
        let r = q
            .query()
            .fetch_optional(self.db.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        view(&r)
    }

    /// Registers a unit (audited; a `registered` event and the initial coverage).
    pub async fn create_new_org(&self, scope: &Scope, n: &NewNewOrg) -> Result<NewOrgView> {
        let path = self.new_org_path(scope, n.org_id, Action::OrgEdit).await?;
        let kind = NewOrgKind::from_code(n.kind.trim()).ok_or_else(|| {
            bad(
                "new_org.kind_invalid",
                format!("未知的单位类别：{}", n.kind),
            )
        })?;
        let mode = CoverageMode::from_code(n.coverage.trim()).ok_or_else(|| {
            bad(
                "new_org.coverage_invalid",
                format!("未知的覆盖方式：{}", n.coverage),
            )
        })?;
        let credit_code = match opt_trim(&n.credit_code) {
            Some(c) => Some(
                jiceng_domain::credit_code::validate(&c)
                    .map_err(|e| StoreError::invalid(e.code(), e.to_string()))?,
            ),
            None => None,
        };
        let c = Checked {
            name: n.name.trim().to_string(),
            credit_code,
            kind,
            headcount: n.headcount,
            full: n.full_members,
            probationary: n.probationary_members,
            mode,
            covering: n.covering_org_id,
            liaison: opt_trim(&n.liaison),
        };
        check(&c)?;
        self.check_covering(scope, c.covering).await?;
        let registered = parse_date(&n.registered, "登记")?;
        if registered > self.reference_date().await? {
            return Err(bad("new_org.registered_future", "登记日期不能晚于今天"));
        }
        let now = crate::now_ts();
        let mut tx = self.db.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO new_orgs (org_id, name, credit_code, kind, above_scale, industry, address, headcount, full_members, probationary_members, coverage, covering_org_id, liaison, registered, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, $15, $15) RETURNING id",
        )
        .bind(n.org_id)
        .bind(&c.name)
        .bind(&c.credit_code)
        .bind(c.kind.code())
        .bind(i64::from(n.above_scale))
        .bind(opt_trim(&n.industry))
        .bind(opt_trim(&n.address))
        .bind(c.headcount)
        .bind(c.full)
        .bind(c.probationary)
        .bind(c.mode.code())
        .bind(c.covering)
        .bind(&c.liaison)
        .bind(registered.to_string())
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO new_org_events (new_org_id, kind, date, coverage, covering_org_id, data, actor_id, recorded_at) VALUES ($1, 'registered', $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(registered.to_string())
        .bind(c.mode.code())
        .bind(c.covering)
        .bind(serde_json::json!({ "liaison": c.liaison }).to_string())
        .bind(scope.user_id)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        let r = sqlx::query(&format!("SELECT {COLS}{FROM} WHERE n.id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let v = view(&r)?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "new_org.create",
                entity: "new_org",
                entity_id: Some(id.to_string()),
                scope_path: Some(path),
                before: None,
                after: Some(serde_json::to_value(&v)?),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Changes a unit: attributes in place (audited with before and after), a coverage
    /// change or closing as a dated event. A stale `version` → 409.
    pub async fn update_new_org(
        &self,
        scope: &Scope,
        id: i64,
        p: &NewOrgPatch,
    ) -> Result<NewOrgView> {
        let before = self.get_new_org(scope, id).await?;
        let path = self
            .new_org_path(scope, before.org_id, Action::OrgEdit)
            .await?;
        if p.version != before.version {
            return Err(StoreError::Conflict {
                current: before.version,
            });
        }
        if before.closed.is_some() {
            return Err(bad("new_org.closed", "该单位已注销，不能再修改"));
        }
        let credit_code = match p.credit_code.as_ref() {
            Some(c) if c.trim().is_empty() => None,
            Some(c) => Some(
                jiceng_domain::credit_code::validate(c.trim())
                    .map_err(|e| StoreError::invalid(e.code(), e.to_string()))?,
            ),
            None => before.credit_code.clone(),
        };
        let mode = match &p.coverage {
            Some(m) => CoverageMode::from_code(m.trim())
                .ok_or_else(|| bad("new_org.coverage_invalid", format!("未知的覆盖方式：{m}")))?,
            None => CoverageMode::from_code(&before.coverage).unwrap_or(CoverageMode::None),
        };
        let coverage_changed =
            p.coverage.is_some() || p.covering_org_id.is_some() || p.liaison.is_some();
        let covering = if p.coverage.is_some() {
            p.covering_org_id
        } else {
            p.covering_org_id.or(before.covering_org_id)
        };
        let liaison = match &p.liaison {
            Some(l) => opt_trim(&Some(l.clone())),
            None if mode == CoverageMode::Liaison => before.liaison.clone(),
            None => None,
        };
        let c = Checked {
            name: p.name.as_deref().unwrap_or(&before.name).trim().to_string(),
            credit_code,
            kind: NewOrgKind::from_code(&before.kind).unwrap_or(NewOrgKind::NonPublicEnterprise),
            headcount: p.headcount.unwrap_or(before.headcount),
            full: p.full_members.unwrap_or(before.full_members),
            probationary: p
                .probationary_members
                .unwrap_or(before.probationary_members),
            mode,
            covering: if mode.needs_org() {
                covering
            } else {
                p.covering_org_id
            },
            liaison,
        };
        check(&c)?;
        if coverage_changed {
            self.check_covering(scope, c.covering).await?;
        }
        let today = self.reference_date().await?;
        let effective = match (&p.effective, coverage_changed) {
            (Some(e), _) => Some(parse_date(e, "生效")?),
            (None, true) => {
                return Err(bad(
                    "new_org.effective_required",
                    "变更覆盖方式须填写生效日期",
                ))
            }
            (None, false) => None,
        };
        let closed = p
            .closed
            .as_deref()
            .map(|d| parse_date(d, "注销"))
            .transpose()?;
        let registered = parse_date(&before.registered, "登记")?;
        for d in effective.iter().chain(closed.iter()) {
            if *d > today || *d < registered {
                return Err(bad(
                    "new_org.date_invalid",
                    "日期应在登记日期之后、不晚于今天",
                ));
            }
        }
        let now = crate::now_ts();
        let mut tx = self.db.begin().await?;
        let done = sqlx::query(
            "UPDATE new_orgs SET name = $1, credit_code = $2, above_scale = $3, industry = $4, address = $5, headcount = $6, full_members = $7, probationary_members = $8, coverage = $9, covering_org_id = $10, liaison = $11, closed = $12, version = version + 1, updated_at = $13 WHERE id = $14 AND version = $15",
        )
        .bind(&c.name)
        .bind(&c.credit_code)
        .bind(i64::from(p.above_scale.unwrap_or(before.above_scale)))
        .bind(match &p.industry {
            Some(x) => opt_trim(&Some(x.clone())),
            None => before.industry.clone(),
        })
        .bind(match &p.address {
            Some(x) => opt_trim(&Some(x.clone())),
            None => before.address.clone(),
        })
        .bind(c.headcount)
        .bind(c.full)
        .bind(c.probationary)
        .bind(c.mode.code())
        .bind(c.covering)
        .bind(&c.liaison)
        .bind(closed.map(|d| d.to_string()))
        .bind(&now)
        .bind(id)
        .bind(p.version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                current: before.version + 1,
            });
        }
        let mut events: Vec<(&str, NaiveDate)> = Vec::new();
        if let Some(e) = effective.filter(|_| coverage_changed) {
            events.push(("coverage", e));
        }
        if let Some(d) = closed {
            events.push(("closed", d));
        }
        for (kind, date) in events {
            sqlx::query(
                "INSERT INTO new_org_events (new_org_id, kind, date, coverage, covering_org_id, data, actor_id, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(id)
            .bind(kind)
            .bind(date.to_string())
            .bind(c.mode.code())
            .bind(c.covering)
            .bind(serde_json::json!({ "liaison": c.liaison }).to_string())
            .bind(scope.user_id)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
        let r = sqlx::query(&format!("SELECT {COLS}{FROM} WHERE n.id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let after = view(&r)?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "new_org.update",
                entity: "new_org",
                entity_id: Some(id.to_string()),
                scope_path: Some(path),
                before: Some(serde_json::to_value(&before)?),
                after: Some(serde_json::to_value(&after)?),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The registry within the caller's scope (and `org`'s subtree), by name.
    pub async fn list_new_orgs(&self, scope: &Scope, f: &NewOrgFilter) -> Result<Page<NewOrgView>> {
        let mut q = Sql::new(&format!("SELECT {COLS}{FROM} WHERE 1 = 1"));
        scope.filter_paths(&mut q, "o.path", Action::OrgRead);
        if let Some(org) = f.org {
            let root = self.get_org(scope, org).await?;
            q.push(" AND o.path >= ")
                .bind(root.path.clone())
                .push(" AND o.path < ")
                .bind(path_upper(&root.path));
        }
        if let Some(k) = f.kind.as_deref().filter(|k| !k.is_empty()) {
            q.push(" AND n.kind = ").bind(k.to_string());
        }
        if let Some(c) = f.coverage.as_deref().filter(|c| !c.is_empty()) {
            q.push(" AND n.coverage = ").bind(c.to_string());
        }
        if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            q.push(" AND n.name LIKE ").bind(format!("%{text}%"));
        }
        if !f.include_closed.unwrap_or(false) {
            q.push(" AND n.closed IS NULL");
        }
        q.push(" ORDER BY n.name, n.id");
        let rows = q.query().fetch_all(self.db.pool()).await?;
        let mut all = Vec::with_capacity(rows.len());
        for r in &rows {
            let v = view(r)?;
            if !f.warned.unwrap_or(false) || !v.warnings.is_empty() {
                all.push(v);
            }
        }
        // Joint orgs covering too many units: a warning on each of their units.
        let mut per_joint: HashMap<i64, u32> = HashMap::new();
        for v in &all {
            if v.coverage == CoverageMode::Joint.code() {
                if let Some(c) = v.covering_org_id {
                    *per_joint.entry(c).or_default() += 1;
                }
            }
        }
        for v in all.iter_mut() {
            if let Some(n) = v.covering_org_id.and_then(|c| per_joint.get(&c)) {
                if let Some((code, message)) = joint_warning(*n) {
                    v.warnings.push(NewOrgWarning {
                        code: code.into(),
                        message,
                    });
                }
            }
        }
        let paging = Paging::new(f.page, f.page_size);
        let total = all.len() as i64;
        let items = all
            .into_iter()
            .skip(((paging.page - 1) * paging.page_size) as usize)
            .take(paging.page_size as usize)
            .collect();
        Ok(Page {
            items,
            total,
            page: paging.page,
            page_size: paging.page_size,
        })
    }

    /// Members on the roster now per org: (full, probationary). For the system's own use
    /// (the demo fills its registry from it); not scoped.
    pub async fn roster_counts_by_org(&self) -> Result<HashMap<i64, (i64, i64)>> {
        let mut out: HashMap<i64, (i64, i64)> = HashMap::new();
        let rows = sqlx::query(
            "SELECT org_id, status, COUNT(*) FROM members WHERE active = 1 AND org_id IS NOT NULL GROUP BY org_id, status",
        )
        .fetch_all(self.db.pool())
        .await?;
        for r in rows {
            let e = out.entry(r.try_get(0)?).or_default();
            let n: i64 = r.try_get(2)?;
            if r.try_get::<Option<String>, _>(1)?.as_deref() == Some("full") {
                e.0 += n;
            } else {
                e.1 += n;
            }
        }
        Ok(out)
    }

    /// Coverage of the units overseen in a subtree on a date: registered and open then,
    /// with the coverage their events give on that date.
    pub async fn coverage(
        &self,
        scope: &Scope,
        org_id: i64,
        as_of: NaiveDate,
    ) -> Result<CoverageReport> {
        let root = self.get_org(scope, org_id).await?;
        if !scope.allows(Action::StatsRead, &root.path) {
            return Err(StoreError::NotFound);
        }
        let d = as_of.to_string();
        let rows = sqlx::query(
            "SELECT n.id, n.kind, n.above_scale, n.full_members, n.probationary_members, \
               (SELECT e.coverage FROM new_org_events e WHERE e.new_org_id = n.id AND e.date <= $3 AND e.coverage IS NOT NULL ORDER BY e.date DESC, e.id DESC LIMIT 1) \
             FROM new_orgs n JOIN orgs o ON o.id = n.org_id \
             WHERE o.path >= $1 AND o.path < $2 AND n.registered <= $3 AND (n.closed IS NULL OR n.closed > $3)",
        )
        .bind(&root.path)
        .bind(path_upper(&root.path))
        .bind(&d)
        .fetch_all(self.db.pool())
        .await?;
        let mut by: HashMap<String, CoverageRow> = HashMap::new();
        let mut warned = 0;
        for r in rows {
            let kind: String = r.try_get(1)?;
            let above = flag(&r, 2)?;
            let full: i64 = r.try_get(3)?;
            let prob: i64 = r.try_get(4)?;
            let mode: Option<String> = r.try_get(5)?;
            let mode = mode
                .as_deref()
                .and_then(CoverageMode::from_code)
                .unwrap_or(CoverageMode::None);
            if coverage_warning(u32::try_from(full).unwrap_or(0), mode).is_some() {
                warned += 1;
            }
            for key in [kind.as_str(), "total"] {
                let row = by.entry(key.to_string()).or_default();
                row.registered += 1;
                row.members += full + prob;
                match mode {
                    CoverageMode::Own => row.own += 1,
                    CoverageMode::Joint => row.joint += 1,
                    CoverageMode::Liaison => row.liaison += 1,
                    CoverageMode::None => row.none += 1,
                }
                if above {
                    row.above_scale += 1;
                    if mode.org_covered() {
                        row.above_scale_covered += 1;
                    }
                }
            }
        }
        let mut out = Vec::new();
        let keys = NewOrgKind::ALL
            .iter()
            .map(|k| (k.code(), k.zh()))
            .chain([("total", "合计")]);
        for (code, label) in keys {
            let mut row = by.remove(code).unwrap_or_default();
            row.kind = code.to_string();
            row.label = label.to_string();
            row.org_rate = rate(row.own + row.joint, row.registered);
            row.work_rate = rate(row.own + row.joint + row.liaison, row.registered);
            row.above_scale_rate = rate(row.above_scale_covered, row.above_scale);
            out.push(row);
        }
        Ok(CoverageReport {
            as_of: d,
            org_id: root.id,
            org_name: root.name,
            rows: out,
            warned,
        })
    }
}
