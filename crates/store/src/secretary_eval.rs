//! Secretary evaluation (双述双评联考) in the store: the township opens the evaluation of a
//! village secretary for a year, records the two reports, collects named ballots from its
//! leadership and anonymous ballots (one-time tokens, as for member appraisal) from members
//! and villager representatives, and closes it with the weighted result of
//! [`jiceng_domain::secretary_eval`].

use jiceng_domain::codes::Coded;
use jiceng_domain::secretary_eval::{Grade, Outcome, RaterGroup, Scheme, Tally};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::appraisal::{ballot_tokens, token_hash as hash, token_used, EvalListQuery};
use crate::audit::{self, Entry};
use crate::auth::{Action, Scope};
use crate::error::{Result, StoreError};
use crate::sql::path_upper;
use crate::{opt_trim, parse_date, Page, Paging, Store};

fn bad(code: &'static str, msg: impl Into<String>) -> StoreError {
    StoreError::invalid(code, msg.into())
}

/// Opening an evaluation.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NewEval {
    /// The village (or other) org whose secretary is evaluated.
    pub org_id: i64,
    /// Year.
    pub year: i32,
    /// Secretary's name.
    pub secretary: String,
    /// The secretary's member record, if in the system.
    pub member_id: Option<i64>,
    /// Weights, points, thresholds (default: [`Scheme::default`]).
    #[schema(value_type = Option<Object>)]
    pub scheme: Option<Scheme>,
}

/// The two reports (双述).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct Reports {
    /// Version read.
    pub version: i64,
    /// Report to the township committee (述职).
    pub report_higher: Option<String>,
    /// Its date.
    pub report_higher_date: Option<String>,
    /// Report to members and villager representatives.
    pub report_members: Option<String>,
    /// Its date.
    pub report_members_date: Option<String>,
}

/// An evaluation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EvalView {
    /// Id.
    pub id: i64,
    /// Org.
    pub org_id: i64,
    /// Year.
    pub year: i32,
    /// Secretary.
    pub secretary: String,
    /// Member record.
    pub member_id: Option<i64>,
    /// Report to the higher committee.
    pub report_higher: Option<String>,
    /// Its date.
    pub report_higher_date: Option<String>,
    /// Report to members and representatives.
    pub report_members: Option<String>,
    /// Its date.
    pub report_members_date: Option<String>,
    /// `open` or `closed`.
    pub status: String,
    /// Ballots per group (leadership, members, representatives) and rating.
    pub tallies: Vec<Vec<u32>>,
    /// Tokens issued per group (members, representatives).
    pub tokens_issued: Vec<i64>,
    /// The weighted result so far (final once closed).
    #[schema(value_type = Object)]
    pub outcome: Outcome,
    /// Weights, ballot points and grade thresholds of this evaluation.
    #[schema(value_type = Object)]
    pub scheme: Scheme,
    /// Version.
    pub version: i64,
}

/// An evaluation in a list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EvalSummary {
    /// Id.
    pub id: i64,
    /// Org.
    pub org_id: i64,
    /// Org name.
    pub org_name: String,
    /// Year.
    pub year: i32,
    /// Secretary.
    pub secretary: String,
    /// `open` or `closed`.
    pub status: String,
    /// Weighted score kept at closing.
    pub score: Option<f64>,
    /// Grade code kept at closing (`excellent`, `competent`, `basically_competent`,
    /// `incompetent`).
    pub grade: Option<String>,
    /// Version.
    pub version: i64,
}

impl Store {
    /// Secretary evaluations of a subtree, newest year first (readers of the subtree).
    pub async fn list_evals(
        &self,
        scope: &Scope,
        org_id: i64,
        q: &EvalListQuery,
    ) -> Result<Page<EvalSummary>> {
        let root = self.get_org(scope, org_id).await?;
        if !scope.allows(Action::OrgRead, &root.path) {
            return Err(StoreError::NotFound);
        }
        let page = Paging::new(q.page, q.page_size);
        let year = q.year.map(i64::from);
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM secretary_evals e JOIN orgs o ON o.id = e.org_id WHERE o.path >= $1 AND o.path < $2 AND ($3 IS NULL OR e.year = $3)",
        )
        .bind(&root.path)
        .bind(path_upper(&root.path))
        .bind(year)
        .fetch_one(self.db.pool())
        .await?;
        let rows = sqlx::query(
            "SELECT e.id, e.org_id, o.name, e.year, e.secretary, e.status, e.result, e.version \
             FROM secretary_evals e JOIN orgs o ON o.id = e.org_id \
             WHERE o.path >= $1 AND o.path < $2 AND ($3 IS NULL OR e.year = $3) \
             ORDER BY e.year DESC, o.path, e.id LIMIT $4 OFFSET $5",
        )
        .bind(&root.path)
        .bind(path_upper(&root.path))
        .bind(year)
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(self.db.pool())
        .await?;
        let mut items = Vec::with_capacity(rows.len());
        for r in rows {
            let result: Option<serde_json::Value> = r
                .try_get::<Option<String>, _>(6)?
                .and_then(|s| serde_json::from_str(&s).ok());
            items.push(EvalSummary {
                id: r.try_get(0)?,
                org_id: r.try_get(1)?,
                org_name: r.try_get(2)?,
                year: r.try_get::<i64, _>(3)? as i32,
                secretary: r.try_get(4)?,
                status: r.try_get(5)?,
                score: result.as_ref().and_then(|v| v["score"].as_f64()),
                grade: result
                    .as_ref()
                    .and_then(|v| v["grade"].as_str().map(str::to_string)),
                version: r.try_get(7)?,
            });
        }
        Ok(Page::new(items, total, page))
    }

    async fn eval_head(
        &self,
        scope: &Scope,
        id: i64,
        write: bool,
    ) -> Result<(String, Scheme, String, i64)> {
        let r = sqlx::query(
            "SELECT o.path, e.scheme, e.status, e.version FROM secretary_evals e JOIN orgs o ON o.id = e.org_id WHERE e.id = $1",
        )
        .bind(id)
        .fetch_optional(self.db.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        let path: String = r.try_get(0)?;
        if !scope.allows(Action::OrgRead, &path) {
            return Err(StoreError::NotFound);
        }
        // Run from above: the org whose secretary is evaluated never manages its own.
        if write && !scope.allows_restructure(&path) {
            return Err(StoreError::Forbidden);
        }
        let scheme: Scheme = serde_json::from_str(&r.try_get::<String, _>(1)?).unwrap_or_default();
        Ok((path, scheme, r.try_get(2)?, r.try_get(3)?))
    }

    /// The secretary's member record must be one the caller may read (404 otherwise, as for
    /// a record that does not exist) and a member of the evaluated org's subtree: an id must
    /// never carry a record of another township into this one.
    async fn check_secretary_member(
        &self,
        scope: &Scope,
        member_id: i64,
        org_path: &str,
    ) -> Result<()> {
        let m = self.get_member(scope, member_id).await?;
        let inside = match m.org_id {
            Some(oid) => self
                .get_org(scope, oid)
                .await
                .map(|o| o.path.starts_with(org_path))
                .unwrap_or(false),
            None => false,
        };
        if inside {
            Ok(())
        } else {
            Err(bad(
                "secretary_eval.member_outside_org",
                "所选党员不在被评议的党组织内",
            ))
        }
    }

    /// Opens the evaluation of an org's secretary for a year.
    pub async fn open_eval(&self, scope: &Scope, n: &NewEval) -> Result<EvalView> {
        let org = self.get_org(scope, n.org_id).await?;
        if !scope.allows_restructure(&org.path) {
            return Err(StoreError::Forbidden);
        }
        let scheme = n.scheme.clone().unwrap_or_default();
        scheme
            .validate()
            .map_err(|e| bad("secretary_eval.scheme_invalid", e))?;
        let name = n.secretary.trim();
        if name.is_empty() {
            return Err(bad("secretary_eval.name_required", "请填写书记姓名"));
        }
        if let Some(member_id) = n.member_id {
            self.check_secretary_member(scope, member_id, &org.path)
                .await?;
        }
        let mut tx = self.db.begin().await?;
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM secretary_evals WHERE org_id = $1 AND year = $2")
                .bind(n.org_id)
                .bind(i64::from(n.year))
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_some() {
            return Err(StoreError::Duplicate(format!(
                "{} 年度的书记述职评议已开启",
                n.year
            )));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO secretary_evals (org_id, year, secretary, member_id, scheme, status, version, created_at) VALUES ($1, $2, $3, $4, $5, 'open', 1, $6) RETURNING id",
        )
        .bind(n.org_id)
        .bind(i64::from(n.year))
        .bind(name)
        .bind(n.member_id)
        .bind(serde_json::to_string(&scheme)?)
        .bind(crate::now_ts())
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "secretary_eval.open",
                entity: "secretary_eval",
                entity_id: Some(id.to_string()),
                scope_path: Some(org.path.clone()),
                before: None,
                after: Some(serde_json::json!({"org_id": n.org_id, "year": n.year, "secretary": name, "scheme": scheme})),
            },
        )
        .await?;
        tx.commit().await?;
        self.eval(scope, id).await
    }

    /// An evaluation with its tallies and (current or final) result.
    pub async fn eval(&self, scope: &Scope, id: i64) -> Result<EvalView> {
        let (_, scheme, _, _) = self.eval_head(scope, id, false).await?;
        let r = sqlx::query(
            "SELECT org_id, year, secretary, member_id, report_higher, report_higher_date, report_members, report_members_date, status, version FROM secretary_evals WHERE id = $1",
        )
        .bind(id)
        .fetch_one(self.db.pool())
        .await?;
        let mut tallies: [Tally; 3] = [[0; 4]; 3];
        let group = |g: &str| RaterGroup::ALL.iter().position(|x| x.code() == g);
        let grade = |g: &str| Grade::ALL.iter().position(|x| x.code() == g);
        for b in
            sqlx::query("SELECT rater_group, grade FROM secretary_eval_ballots WHERE eval_id = $1")
                .bind(id)
                .fetch_all(self.db.pool())
                .await?
        {
            let (g, r): (String, String) = (b.try_get(0)?, b.try_get(1)?);
            if let (Some(g), Some(r)) = (group(&g), grade(&r)) {
                tallies[g][r] += 1;
            }
        }
        for b in sqlx::query("SELECT grade FROM secretary_eval_named WHERE eval_id = $1")
            .bind(id)
            .fetch_all(self.db.pool())
            .await?
        {
            if let Some(r) = grade(&b.try_get::<String, _>(0)?) {
                tallies[0][r] += 1;
            }
        }
        let mut issued = Vec::new();
        for g in [RaterGroup::Members, RaterGroup::Representatives] {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM secretary_eval_tokens WHERE eval_id = $1 AND rater_group = $2",
            )
            .bind(id)
            .bind(g.code())
            .fetch_one(self.db.pool())
            .await?;
            issued.push(n);
        }
        Ok(EvalView {
            id,
            org_id: r.try_get(0)?,
            year: r.try_get::<i64, _>(1)? as i32,
            secretary: r.try_get(2)?,
            member_id: r.try_get(3)?,
            report_higher: r.try_get(4)?,
            report_higher_date: r.try_get(5)?,
            report_members: r.try_get(6)?,
            report_members_date: r.try_get(7)?,
            status: r.try_get(8)?,
            tallies: tallies.iter().map(|t| t.to_vec()).collect(),
            tokens_issued: issued,
            outcome: scheme.outcome(&tallies),
            scheme,
            version: r.try_get(9)?,
        })
    }

    /// Records the two reports.
    pub async fn eval_reports(&self, scope: &Scope, id: i64, r: &Reports) -> Result<EvalView> {
        let (path, _, status, version) = self.eval_head(scope, id, true).await?;
        if status != "open" {
            return Err(bad("secretary_eval.closed", "评议已结束"));
        }
        if r.version != version {
            return Err(StoreError::Conflict { current: version });
        }
        let d1 = r
            .report_higher_date
            .as_deref()
            .map(|d| parse_date(d, "述职"))
            .transpose()?;
        let d2 = r
            .report_members_date
            .as_deref()
            .map(|d| parse_date(d, "述职"))
            .transpose()?;
        let mut tx = self.db.begin().await?;
        let done = sqlx::query(
            "UPDATE secretary_evals SET report_higher = $1, report_higher_date = $2, report_members = $3, report_members_date = $4, version = version + 1 WHERE id = $5 AND version = $6",
        )
        .bind(opt_trim(&r.report_higher))
        .bind(d1.map(|d| d.to_string()))
        .bind(opt_trim(&r.report_members))
        .bind(d2.map(|d| d.to_string()))
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                current: version + 1,
            });
        }
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "secretary_eval.reports",
                entity: "secretary_eval",
                entity_id: Some(id.to_string()),
                scope_path: Some(path),
                before: None,
                after: Some(serde_json::json!({"report_higher_date": d1.map(|d| d.to_string()), "report_members_date": d2.map(|d| d.to_string())})),
            },
        )
        .await?;
        tx.commit().await?;
        self.eval(scope, id).await
    }

    /// Issues one-time tokens for the anonymous groups (members, representatives).
    pub async fn eval_tokens(
        &self,
        scope: &Scope,
        id: i64,
        group: &str,
        n: u32,
    ) -> Result<Vec<String>> {
        let (path, _, status, _) = self.eval_head(scope, id, true).await?;
        if status != "open" {
            return Err(bad("secretary_eval.closed", "评议已结束"));
        }
        let g = RaterGroup::from_code(group)
            .filter(|g| *g != RaterGroup::Leadership)
            .ok_or_else(|| {
                bad(
                    "secretary_eval.group_invalid",
                    "匿名测评票只发给党员和村民代表",
                )
            })?;
        if !(1..=1000).contains(&n) {
            return Err(bad(
                "secretary_eval.token_count",
                "每次发放 1 至 1000 张测评票",
            ));
        }
        let tokens = ballot_tokens(n);
        let mut tx = self.db.begin().await?;
        for t in &tokens {
            sqlx::query("INSERT INTO secretary_eval_tokens (eval_id, rater_group, token_hash, used) VALUES ($1, $2, $3, 0)")
                .bind(id)
                .bind(g.code())
                .bind(hash(t))
                .execute(&mut *tx)
                .await?;
        }
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "secretary_eval.tokens",
                entity: "secretary_eval",
                entity_id: Some(id.to_string()),
                scope_path: Some(path),
                before: None,
                after: Some(serde_json::json!({"group": g.code(), "issued": n})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(tokens)
    }

    /// An anonymous ballot with a token: the grade, nothing about the voter.
    pub async fn eval_ballot(&self, token: &str, grade: &str) -> Result<()> {
        let grade = Grade::from_code(grade).ok_or_else(|| {
            bad(
                "secretary_eval.grade_invalid",
                format!("未知的评价等次：{grade}"),
            )
        })?;
        let mut tx = self.db.begin().await?;
        let r = sqlx::query(
            "SELECT t.id, t.eval_id, t.rater_group, e.status, o.path FROM secretary_eval_tokens t JOIN secretary_evals e ON e.id = t.eval_id JOIN orgs o ON o.id = e.org_id WHERE t.token_hash = $1",
        )
        .bind(hash(token))
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| bad("secretary_eval.token_invalid", "测评票号无效"))?;
        if r.try_get::<String, _>(3)? != "open" {
            return Err(bad("secretary_eval.closed", "评议已结束，不再收票"));
        }
        let (tid, eval_id, group, path): (i64, i64, String, String) =
            (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(4)?);
        let claimed =
            sqlx::query("UPDATE secretary_eval_tokens SET used = 1 WHERE id = $1 AND used = 0")
                .bind(tid)
                .execute(&mut *tx)
                .await?;
        if claimed.rows_affected() == 0 {
            return Err(token_used());
        }
        sqlx::query(
            "INSERT INTO secretary_eval_ballots (eval_id, rater_group, grade) VALUES ($1, $2, $3)",
        )
        .bind(eval_id)
        .bind(&group)
        .bind(grade.code())
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            &Scope::system("匿名测评票"),
            Entry {
                action: "secretary_eval.ballot",
                entity: "secretary_eval",
                entity_id: Some(eval_id.to_string()),
                scope_path: Some(path),
                before: None,
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A named ballot of a member of the township leadership (one per person).
    pub async fn eval_named(
        &self,
        scope: &Scope,
        id: i64,
        rater: &str,
        grade: &str,
    ) -> Result<EvalView> {
        let (path, _, status, _) = self.eval_head(scope, id, true).await?;
        if status != "open" {
            return Err(bad("secretary_eval.closed", "评议已结束"));
        }
        let grade = Grade::from_code(grade).ok_or_else(|| {
            bad(
                "secretary_eval.grade_invalid",
                format!("未知的评价等次：{grade}"),
            )
        })?;
        let rater = rater.trim();
        if rater.is_empty() {
            return Err(bad("secretary_eval.name_required", "请填写评价人姓名"));
        }
        let mut tx = self.db.begin().await?;
        let exists: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM secretary_eval_named WHERE eval_id = $1 AND rater_name = $2",
        )
        .bind(id)
        .bind(rater)
        .fetch_optional(&mut *tx)
        .await?;
        if exists.is_some() {
            return Err(StoreError::Duplicate(format!("{rater} 已经评价过")));
        }
        sqlx::query(
            "INSERT INTO secretary_eval_named (eval_id, rater_name, grade) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(rater)
        .bind(grade.code())
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "secretary_eval.named",
                entity: "secretary_eval",
                entity_id: Some(id.to_string()),
                scope_path: Some(path),
                before: None,
                after: Some(serde_json::json!({"rater": rater, "grade": grade.code()})),
            },
        )
        .await?;
        tx.commit().await?;
        self.eval(scope, id).await
    }

    /// Closes the evaluation and keeps its result.
    pub async fn close_eval(&self, scope: &Scope, id: i64, version: i64) -> Result<EvalView> {
        let (path, _, status, current) = self.eval_head(scope, id, true).await?;
        if status != "open" {
            return Err(bad("secretary_eval.closed", "评议已结束"));
        }
        if version != current {
            return Err(StoreError::Conflict { current });
        }
        let v = self.eval(scope, id).await?;
        if v.tallies.iter().all(|t| t.iter().sum::<u32>() == 0) {
            return Err(bad("secretary_eval.no_ballots", "还没有测评票"));
        }
        let mut tx = self.db.begin().await?;
        let done = sqlx::query(
            "UPDATE secretary_evals SET status = 'closed', result = $1, version = version + 1 WHERE id = $2 AND version = $3",
        )
        .bind(serde_json::to_string(&v.outcome)?)
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                current: version + 1,
            });
        }
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "secretary_eval.close",
                entity: "secretary_eval",
                entity_id: Some(id.to_string()),
                scope_path: Some(path),
                before: None,
                after: Some(serde_json::to_value(&v.outcome)?),
            },
        )
        .await?;
        tx.commit().await?;
        self.eval(scope, id).await
    }
}
