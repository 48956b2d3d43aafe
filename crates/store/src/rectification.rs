//! Rectification plans (整改): every org approved into a weak tier of a year gets
//! one plan (一村一策) — problems, measures, owner, higher-level helper, deadline — followed
//! until it is done; overdue plans are warned, and next year's rating shows whether it moved.

use chrono::NaiveDate;
use jiceng_domain::rating as dr;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{self, Entry};
use crate::auth::{Action, Scope};
use crate::error::{Result, StoreError};
use crate::sql::path_upper;
use crate::{opt_trim, parse_date, Store};

fn bad(code: &'static str, msg: impl Into<String>) -> StoreError {
    StoreError::invalid(code, msg.into())
}

/// A plan.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanView {
    /// Id.
    pub id: i64,
    /// Org.
    pub org_id: i64,
    /// Org name.
    pub org_name: String,
    /// Rating year.
    pub year: i32,
    /// Weak tier that called for it.
    pub tier: String,
    /// Problems found.
    pub problems: String,
    /// Measures.
    pub measures: String,
    /// Person responsible.
    pub owner: String,
    /// Higher-level helper (包保).
    pub helper: Option<String>,
    /// Deadline.
    pub deadline: String,
    /// `open` or `done`.
    pub status: String,
    /// Evidence of completion.
    pub evidence: Option<String>,
    /// Completed on.
    pub completed: Option<String>,
    /// Past the deadline and not done on the deployment's today.
    pub overdue: bool,
    /// Next year's approved tier, once rated.
    pub next_tier: Option<String>,
    /// Version.
    pub version: i64,
}

/// A new plan.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NewPlan {
    /// Org (approved into a weak tier that year).
    pub org_id: i64,
    /// Rating year.
    pub year: i32,
    /// Problems found.
    pub problems: String,
    /// Measures.
    pub measures: String,
    /// Person responsible.
    pub owner: String,
    /// Higher-level helper.
    pub helper: Option<String>,
    /// Deadline.
    pub deadline: String,
}

/// Progress on a plan.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PlanUpdate {
    /// Version read.
    pub version: i64,
    /// New measures.
    pub measures: Option<String>,
    /// New deadline.
    pub deadline: Option<String>,
    /// Mark done on this date (evidence required).
    pub completed: Option<String>,
    /// Evidence.
    pub evidence: Option<String>,
}

const COLS: &str = "p.id, p.org_id, o.name, p.year, p.tier, p.problems, p.measures, p.owner, p.helper, p.deadline, p.status, p.evidence, p.completed, p.version, o.path";

fn plan_row(r: &AnyRow, today: NaiveDate) -> Result<(PlanView, String)> {
    let deadline: String = r.try_get(9)?;
    let status: String = r.try_get(10)?;
    let overdue = status == "open"
        && NaiveDate::parse_from_str(&deadline, "%Y-%m-%d").is_ok_and(|d| d < today);
    Ok((
        PlanView {
            id: r.try_get(0)?,
            org_id: r.try_get(1)?,
            org_name: r.try_get(2)?,
            year: r.try_get::<i64, _>(3)? as i32,
            tier: r.try_get(4)?,
            problems: r.try_get(5)?,
            measures: r.try_get(6)?,
            owner: r.try_get(7)?,
            helper: r.try_get(8)?,
            deadline,
            status,
            evidence: r.try_get(11)?,
            completed: r.try_get(12)?,
            overdue,
            next_tier: None,
            version: r.try_get(13)?,
        },
        r.try_get(14)?,
    ))
}

impl Store {
    /// The approved tier of an org in a year, with its scheme.
    async fn approved_tier(&self, org_id: i64, year: i32) -> Result<Option<(String, String)>> {
        let r = sqlx::query(
            "SELECT t.tier, r.scheme FROM ratings t JOIN rating_rounds r ON r.id = t.round_id WHERE t.org_id = $1 AND r.year = $2 AND t.status = 'approved' ORDER BY r.id DESC",
        )
        .bind(org_id)
        .bind(i64::from(year))
        .fetch_optional(self.db.pool())
        .await?;
        Ok(match r {
            Some(r) => r
                .try_get::<Option<String>, _>(0)?
                .map(|t| (t, r.try_get(1).unwrap_or_default())),
            None => None,
        })
    }

    async fn plan(&self, scope: &Scope, id: i64) -> Result<(PlanView, String)> {
        let today = self.reference_date().await?;
        let r = sqlx::query(&format!(
            "SELECT {COLS} FROM rectifications p JOIN orgs o ON o.id = p.org_id WHERE p.id = $1"
        ))
        .bind(id)
        .fetch_optional(self.db.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        let (mut v, path) = plan_row(&r, today)?;
        if !scope.allows(Action::OrgRead, &path) {
            return Err(StoreError::NotFound);
        }
        v.next_tier = self.approved_tier(v.org_id, v.year + 1).await?.map(|x| x.0);
        Ok((v, path))
    }

    /// Draws up the plan of an org rated into a weak tier (township committee or above).
    pub async fn create_plan(&self, scope: &Scope, n: &NewPlan) -> Result<PlanView> {
        let org = self.get_org(scope, n.org_id).await?;
        if !scope.allows(Action::OrgEdit, &org.path) {
            return Err(StoreError::Forbidden);
        }
        let (tier, code) = self.approved_tier(n.org_id, n.year).await?.ok_or_else(|| {
            bad(
                "rectification.not_rated",
                format!("{}年度尚无审定的评定结果", n.year),
            )
        })?;
        let scheme = dr::scheme(&code).map_err(|e| StoreError::invalid(e.code(), e.to_string()))?;
        if !scheme.is_weak(&tier) {
            return Err(bad(
                "rectification.not_weak",
                format!("{}年度评定为“{tier}”，不属于需整改的档次", n.year),
            ));
        }
        let (problems, measures, owner) = (n.problems.trim(), n.measures.trim(), n.owner.trim());
        if problems.is_empty() || measures.is_empty() || owner.is_empty() {
            return Err(bad(
                "rectification.incomplete",
                "整改方案须写明存在问题、整改措施和责任人",
            ));
        }
        let deadline = parse_date(&n.deadline, "整改期限")?;
        let mut tx = self.db.begin().await?;
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM rectifications WHERE org_id = $1 AND year = $2")
                .bind(n.org_id)
                .bind(i64::from(n.year))
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_some() {
            return Err(StoreError::Duplicate(format!(
                "{} {}年度的整改方案已存在（一村一策）",
                org.name, n.year
            )));
        }
        let now = crate::now_ts();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO rectifications (org_id, year, tier, problems, measures, owner, helper, deadline, status, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', 1, $9, $9) RETURNING id",
        )
        .bind(n.org_id)
        .bind(i64::from(n.year))
        .bind(&tier)
        .bind(problems)
        .bind(measures)
        .bind(owner)
        .bind(opt_trim(&n.helper))
        .bind(deadline.to_string())
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "rectification.create",
                entity: "rectification",
                entity_id: Some(id.to_string()),
                scope_path: Some(org.path.clone()),
                before: None,
                after: Some(serde_json::json!({"org_id": n.org_id, "year": n.year, "tier": tier, "deadline": deadline.to_string()})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(self.plan(scope, id).await?.0)
    }

    /// Records progress, or completion with its evidence.
    pub async fn update_plan(&self, scope: &Scope, id: i64, u: &PlanUpdate) -> Result<PlanView> {
        let (before, path) = self.plan(scope, id).await?;
        if !scope.allows(Action::OrgEdit, &path) {
            return Err(StoreError::Forbidden);
        }
        if before.version != u.version {
            return Err(StoreError::Conflict {
                current: before.version,
            });
        }
        if before.status == "done" {
            return Err(bad("rectification.done", "整改已完成"));
        }
        let completed = u
            .completed
            .as_deref()
            .map(|d| parse_date(d, "完成"))
            .transpose()?;
        let evidence = opt_trim(&u.evidence);
        if completed.is_some() && evidence.is_none() {
            return Err(bad(
                "rectification.evidence_required",
                "标记整改完成须附整改成效材料",
            ));
        }
        let deadline = match &u.deadline {
            Some(d) => parse_date(d, "整改期限")?.to_string(),
            None => before.deadline.clone(),
        };
        let measures = opt_trim(&u.measures).unwrap_or(before.measures.clone());
        let mut tx = self.db.begin().await?;
        let done = sqlx::query(
            "UPDATE rectifications SET measures = $1, deadline = $2, status = $3, evidence = $4, completed = $5, version = version + 1, updated_at = $6 WHERE id = $7 AND version = $8",
        )
        .bind(&measures)
        .bind(&deadline)
        .bind(if completed.is_some() { "done" } else { "open" })
        .bind(evidence.or(before.evidence.clone()))
        .bind(completed.map(|d| d.to_string()))
        .bind(crate::now_ts())
        .bind(id)
        .bind(u.version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                current: before.version + 1,
            });
        }
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "rectification.update",
                entity: "rectification",
                entity_id: Some(id.to_string()),
                scope_path: Some(path),
                before: Some(serde_json::json!({"measures": before.measures, "deadline": before.deadline, "status": before.status})),
                after: Some(serde_json::json!({"measures": measures, "deadline": deadline, "completed": completed.map(|d| d.to_string())})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(self.plan(scope, id).await?.0)
    }

    /// The plans of a subtree (a year, or all), overdue first, with the weak orgs of that
    /// year that still have none.
    pub async fn plans(
        &self,
        scope: &Scope,
        org_id: i64,
        year: Option<i32>,
    ) -> Result<(Vec<PlanView>, Vec<(i64, String, String)>)> {
        let root = self.get_org(scope, org_id).await?;
        let today = self.reference_date().await?;
        let rows = sqlx::query(&format!(
            "SELECT {COLS} FROM rectifications p JOIN orgs o ON o.id = p.org_id WHERE o.path >= $1 AND o.path < $2 ORDER BY p.deadline, p.id"
        ))
        .bind(&root.path)
        .bind(path_upper(&root.path))
        .fetch_all(self.db.pool())
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let (mut v, path) = plan_row(&r, today)?;
            if scope.allows(Action::OrgRead, &path) && year.is_none_or(|y| y == v.year) {
                v.next_tier = self.approved_tier(v.org_id, v.year + 1).await?.map(|x| x.0);
                out.push(v);
            }
        }
        out.sort_by(|a, b| (!a.overdue, &a.deadline).cmp(&(!b.overdue, &b.deadline)));
        let mut missing = Vec::new();
        if let Some(y) = year {
            for l in self
                .rating_ledger(scope, org_id, y)
                .await
                .unwrap_or_default()
            {
                if l.weak && !out.iter().any(|p| p.org_id == l.org_id) {
                    missing.push((l.org_id, l.org_name, l.tier));
                }
            }
        }
        Ok((out, missing))
    }
}
