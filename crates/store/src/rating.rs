//! Rating rounds (分类定级, 升级晋位) in the store: the organization department
//! opens a round for a year and scheme over its subtree; township committees score their
//! orgs and may propose another tier with a reason; the department approves (审定) — a
//! township can never approve its own ratings — and publishes the results with a notice
//! period. The ledger and the distribution read approved tiers.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use jiceng_domain::rating::publication as pb;
use jiceng_domain::rating::{self as dr, movement, Scheme, AWARD_STEPS};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{self, Entry};
use crate::auth::{Action, Scope};
use crate::error::{Result, StoreError};
use crate::sql::{path_upper, Sql};
use crate::{opt_trim, Paging, Store};

fn bad(code: &'static str, msg: impl Into<String>) -> StoreError {
    StoreError::invalid(code, msg.into())
}

fn rating_error(e: dr::RatingError) -> StoreError {
    StoreError::invalid(e.code(), e.to_string())
}

fn publish_error(e: pb::PublishError) -> StoreError {
    StoreError::invalid(e.code(), e.to_string())
}

/// A rating round.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoundView {
    /// Id.
    pub id: i64,
    /// The org whose subtree is rated.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// Year.
    pub year: i32,
    /// Scheme code.
    pub scheme: String,
    /// Scheme name.
    pub scheme_name: String,
    /// `open` or `published`.
    pub status: String,
    /// Notice period (公示) start and end, once published.
    pub notice_from: Option<String>,
    /// End of the notice period.
    pub notice_until: Option<String>,
    /// Version.
    pub version: i64,
    /// The publication in force (full or partial, with its counts), while published.
    pub publication: Option<PublicationView>,
    /// Publications withdrawn so far (撤回公布, kept on record).
    pub withdrawals: i64,
}

/// How much of a round a publication covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PublicationKind {
    /// Every applicable org approved (全部公布).
    Full,
    /// The approved part only, with a reason (部分公布).
    Partial,
    /// Published before completeness was checked (migration 0016): not used as the latest
    /// complete round; withdraw and publish again to have it checked.
    Legacy,
}

impl PublicationKind {
    fn parse(s: &str) -> Self {
        match s {
            "full" => Self::Full,
            "partial" => Self::Partial,
            _ => Self::Legacy,
        }
    }
}

/// A publication of a round (公布), kept when withdrawn.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicationView {
    /// Id.
    pub id: i64,
    /// Full, partial or legacy.
    pub kind: PublicationKind,
    /// First day of the notice period (公示).
    pub notice_from: String,
    /// Last day of the notice period.
    pub notice_until: String,
    /// Orgs approved when published.
    pub approved: i64,
    /// Orgs the round rates (applicable) when published.
    pub applicable: i64,
    /// Why a partial publication.
    pub reason: Option<String>,
    /// When (timestamp).
    pub published_at: String,
    /// When withdrawn (timestamp), if it was.
    pub withdrawn_at: Option<String>,
    /// Why it was withdrawn.
    pub withdraw_reason: Option<String>,
}

/// Publishing a round.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct PublishInput {
    /// First day of the notice period: 1 January after the rated year at the earliest, today
    /// at the latest.
    #[schema(value_type = String, format = Date)]
    pub from: NaiveDate,
    /// Calendar days of the notice period (≥ 1).
    pub notice_days: u32,
    /// Publish the approved part of an incomplete round (部分公布); needs a reason.
    #[serde(default)]
    pub partial: bool,
    /// Why a partial publication (at least 10 characters).
    pub reason: Option<String>,
}

/// Withdrawing a publication.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct WithdrawInput {
    /// Why (at least 10 characters).
    pub reason: Option<String>,
}

/// A round's orgs in the caller's scope: how many it rates and how many are approved or
/// scored (whatever the list's filters).
#[derive(Debug, Clone, Copy, Default, Serialize, utoipa::ToSchema)]
pub struct RoundCompleteness {
    /// Orgs the round rates.
    pub applicable: i64,
    /// Approved (审定).
    pub approved: i64,
    /// Scored, not yet approved.
    pub scored: i64,
    /// Not scored.
    pub pending: i64,
}

/// One org's rating in a round.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RatingView {
    /// Org.
    pub org_id: i64,
    /// Org name.
    pub org_name: String,
    /// Points per indicator.
    pub scores: BTreeMap<String, u32>,
    /// Comments per indicator.
    pub comments: BTreeMap<String, String>,
    /// Evidence per indicator (佐证材料: what was looked at).
    pub evidence: BTreeMap<String, String>,
    /// Total.
    pub total: i64,
    /// Tier the total reaches.
    pub derived_tier: String,
    /// Tier proposed by the township, if different.
    pub proposed_tier: Option<String>,
    /// Why.
    pub proposal_reason: Option<String>,
    /// Approved tier.
    pub tier: Option<String>,
    /// Why the approved tier differs from the score's.
    pub override_reason: Option<String>,
    /// `scored` or `approved`.
    pub status: String,
    /// Version.
    pub version: i64,
}

/// Scores for one org.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ScoreInput {
    /// Version read (absent for the first score).
    pub version: Option<i64>,
    /// Points per indicator code.
    pub scores: BTreeMap<String, u32>,
    /// Comments per indicator code.
    #[serde(default)]
    pub comments: BTreeMap<String, String>,
    /// Evidence per indicator code (佐证材料).
    #[serde(default)]
    pub evidence: BTreeMap<String, String>,
    /// Another tier than the score's, with a reason (换届, floods…).
    pub proposed_tier: Option<String>,
    /// Reason for the proposal.
    pub reason: Option<String>,
}

/// Approval of one org's rating.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ApproveInput {
    /// Version read.
    pub version: i64,
    /// The tier approved (default: the proposal, else the score's tier).
    pub tier: Option<String>,
    /// Required when the approved tier differs from the score's.
    pub reason: Option<String>,
}

/// Tier distribution of a subtree and year.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Distribution {
    /// Year.
    pub year: i32,
    /// Scheme code.
    pub scheme: String,
    /// Orgs with an approved tier.
    pub total: i64,
    /// Count per tier.
    pub tiers: BTreeMap<String, i64>,
    /// Tiers in the scheme's order, with counts and percentages.
    pub rows: Vec<TierRow>,
}

/// One tier of a distribution.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TierRow {
    /// Tier.
    pub tier: String,
    /// Orgs.
    pub count: i64,
    /// Percent of the total, one decimal as the seed prints it.
    pub percent: f64,
}

/// A ledger row (分类管理台账).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LedgerRow {
    /// Org.
    pub org_id: i64,
    /// Org name.
    pub org_name: String,
    /// Tier this year.
    pub tier: String,
    /// Total this year.
    pub total: i64,
    /// Tier last year.
    pub last_tier: Option<String>,
    /// Tiers moved up (negative: down).
    pub movement: Option<i32>,
    /// Moved up two tiers or more (升级晋位先进奖).
    pub award: bool,
    /// In a weak tier (needs a rectification plan).
    pub weak: bool,
}

/// An org to rate in a round, with its rating so far.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoundOrg {
    /// Org.
    pub org_id: i64,
    /// Org name.
    pub org_name: String,
    /// The org above it (the township that scores it).
    pub parent_name: Option<String>,
    /// `pending` (not scored yet), `scored` or `approved`.
    pub status: String,
    /// The rating, once scored.
    pub rating: Option<RatingView>,
}

/// Filters of a round's org list.
#[derive(Debug, Clone, Default)]
pub struct RoundOrgFilter {
    /// `pending`, `scored`, `approved`, or `proposed` (scored with a tier proposal).
    pub status: Option<String>,
    /// Name contains.
    pub q: Option<String>,
    /// One org only.
    pub org: Option<i64>,
}

/// A page of a round's orgs with the counts per status over the whole round (in scope).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoundOrgs {
    /// The round.
    pub round: RoundView,
    /// Orgs of this page, in tree order.
    pub items: Vec<RoundOrg>,
    /// Orgs matching the filters.
    pub total: i64,
    /// Page (from 1).
    pub page: i64,
    /// Page size.
    pub page_size: i64,
    /// Orgs in the round per status (`pending`, `scored`, `approved`), filters other than
    /// the status applied.
    pub counts: BTreeMap<String, i64>,
    /// The whole round in scope (no filters): approved x of y.
    pub completeness: RoundCompleteness,
}

fn round_row(r: &AnyRow) -> Result<RoundView> {
    let scheme: String = r.try_get(4)?;
    Ok(RoundView {
        id: r.try_get(0)?,
        org_id: r.try_get(1)?,
        org_name: r.try_get(2)?,
        year: r.try_get::<i64, _>(3)? as i32,
        scheme_name: dr::scheme(&scheme).map(|s| s.name).unwrap_or_default(),
        scheme,
        status: r.try_get(5)?,
        notice_from: r.try_get(6)?,
        notice_until: r.try_get(7)?,
        version: r.try_get(8)?,
        publication: match r.try_get::<Option<i64>, _>(10)? {
            None => None,
            Some(id) => Some(PublicationView {
                id,
                kind: PublicationKind::parse(&r.try_get::<String, _>(11)?),
                notice_from: r.try_get(12)?,
                notice_until: r.try_get(13)?,
                approved: r.try_get(14)?,
                applicable: r.try_get(15)?,
                reason: r.try_get(16)?,
                published_at: r.try_get(17)?,
                withdrawn_at: None,
                withdraw_reason: None,
            }),
        },
        withdrawals: r.try_get(18)?,
    })
}

fn publication_row(r: &AnyRow) -> Result<PublicationView> {
    Ok(PublicationView {
        id: r.try_get(0)?,
        kind: PublicationKind::parse(&r.try_get::<String, _>(1)?),
        notice_from: r.try_get(2)?,
        notice_until: r.try_get(3)?,
        approved: r.try_get(4)?,
        applicable: r.try_get(5)?,
        reason: r.try_get(6)?,
        published_at: r.try_get(7)?,
        withdrawn_at: r.try_get(8)?,
        withdraw_reason: r.try_get(9)?,
    })
}

fn rating_row(r: &AnyRow) -> Result<RatingView> {
    let scores: String = r.try_get(2)?;
    let comments: Option<String> = r.try_get(3)?;
    Ok(RatingView {
        org_id: r.try_get(0)?,
        org_name: r.try_get(1)?,
        scores: serde_json::from_str(&scores).unwrap_or_default(),
        comments: comments
            .and_then(|c| serde_json::from_str(&c).ok())
            .unwrap_or_default(),
        evidence: r
            .try_get::<Option<String>, _>(12)?
            .and_then(|c| serde_json::from_str(&c).ok())
            .unwrap_or_default(),
        total: r.try_get(4)?,
        derived_tier: r.try_get(5)?,
        proposed_tier: r.try_get(6)?,
        proposal_reason: r.try_get(7)?,
        tier: r.try_get(8)?,
        override_reason: r.try_get(9)?,
        status: r.try_get(10)?,
        version: r.try_get(11)?,
    })
}

const ROUND_COLS: &str =
    "r.id, r.org_id, o.name, r.year, r.scheme, r.status, r.notice_from, r.notice_until, r.version";
/// After `ROUND_COLS, o.path`: the publication in force and the withdrawals (columns 10–18).
const ROUND_PUB_COLS: &str = "p.id, p.kind, p.notice_from, p.notice_until, p.approved, p.applicable, p.reason, p.published_at, (SELECT COUNT(*) FROM rating_publications w WHERE w.round_id = r.id AND w.withdrawn_at IS NOT NULL)";
const ROUND_FROM: &str = "FROM rating_rounds r JOIN orgs o ON o.id = r.org_id LEFT JOIN rating_publications p ON p.round_id = r.id AND p.withdrawn_at IS NULL";
const PUB_COLS: &str = "id, kind, notice_from, notice_until, approved, applicable, reason, published_at, withdrawn_at, withdraw_reason";
const RATING_COLS: &str = "t.org_id, o.name, t.scores, t.comments, t.total, t.derived_tier, t.proposed_tier, t.proposal_reason, t.tier, t.override_reason, t.status, t.version, t.evidence";

/// Organization departments and administrators decide ratings; committees only score.
fn decides(scope: &Scope, path: &str) -> bool {
    scope.is_department(Some(path))
}

impl Store {
    async fn round(&self, scope: &Scope, id: i64) -> Result<(RoundView, String)> {
        let r = sqlx::query(&format!(
            "SELECT {ROUND_COLS}, o.path, {ROUND_PUB_COLS} {ROUND_FROM} WHERE r.id = $1"
        ))
        .bind(id)
        .fetch_optional(self.db.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        let path: String = r.try_get(9)?;
        let v = round_row(&r)?;
        // Visible to whoever may read orgs somewhere inside it.
        let visible = scope.allows(Action::OrgRead, &path)
            || scope
                .roots_for(Action::OrgRead)
                .iter()
                .any(|p| p.starts_with(path.as_str()));
        if !visible {
            return Err(StoreError::NotFound);
        }
        Ok((v, path))
    }

    /// Opens a round over `org_id`'s subtree for `year` with `scheme`.
    pub async fn open_round(
        &self,
        scope: &Scope,
        org_id: i64,
        year: i32,
        scheme: &str,
    ) -> Result<RoundView> {
        let root = self.get_org(scope, org_id).await?;
        if !decides(scope, &root.path) {
            return Err(StoreError::Forbidden);
        }
        let s = dr::scheme(scheme).map_err(rating_error)?;
        if year < s.from_year || !(1949..=2100).contains(&year) {
            return Err(bad(
                "rating.year_invalid",
                format!("评定方案“{}”自 {} 年起使用", s.name, s.from_year),
            ));
        }
        let mut tx = self.db.begin().await?;
        let exists: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM rating_rounds WHERE org_id = $1 AND year = $2 AND scheme = $3",
        )
        .bind(org_id)
        .bind(i64::from(year))
        .bind(scheme)
        .fetch_optional(&mut *tx)
        .await?;
        if exists.is_some() {
            return Err(StoreError::Duplicate(format!("{year} 年度的评定已开启")));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO rating_rounds (org_id, year, scheme, status, opened_by, opened_at, version) VALUES ($1, $2, $3, 'open', $4, $5, 1) RETURNING id",
        )
        .bind(org_id)
        .bind(i64::from(year))
        .bind(scheme)
        .bind(scope.user_id)
        .bind(crate::now_ts())
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "rating.open_round",
                entity: "rating_round",
                entity_id: Some(id.to_string()),
                scope_path: Some(root.path.clone()),
                before: None,
                after: Some(serde_json::json!({"org_id": org_id, "year": year, "scheme": scheme})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(self.round(scope, id).await?.0)
    }

    /// Rounds visible to the caller, newest first.
    pub async fn rounds(&self, scope: &Scope) -> Result<Vec<RoundView>> {
        let rows = sqlx::query(&format!(
            "SELECT {ROUND_COLS}, o.path, {ROUND_PUB_COLS} {ROUND_FROM} ORDER BY r.year DESC, r.id DESC"
        ))
        .fetch_all(self.db.pool())
        .await?;
        let roots = scope.roots_for(Action::OrgRead);
        let mut out = Vec::new();
        for r in rows {
            let path: String = r.try_get(9)?;
            if scope.is_system()
                || roots
                    .iter()
                    .any(|p| path.starts_with(p.as_str()) || p.starts_with(path.as_str()))
            {
                out.push(round_row(&r)?);
            }
        }
        Ok(out)
    }

    /// The ratings of a round within the caller's scope (orgs rated so far).
    pub async fn round_ratings(&self, scope: &Scope, round_id: i64) -> Result<Vec<RatingView>> {
        let (_, _) = self.round(scope, round_id).await?;
        let rows = sqlx::query(&format!(
            "SELECT {RATING_COLS}, o.path FROM ratings t JOIN orgs o ON o.id = t.org_id WHERE t.round_id = $1 ORDER BY o.path"
        ))
        .bind(round_id)
        .fetch_all(self.db.pool())
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let path: String = r.try_get(13)?;
            if scope.allows(Action::OrgRead, &path) {
                out.push(rating_row(&r)?);
            }
        }
        Ok(out)
    }

    /// The orgs of a round within the caller's scope: those the scheme applies to below the
    /// round's org, live, with no live child the scheme also applies to (a township's
    /// villages, not the township), plus any org already rated; with their ratings.
    pub async fn round_orgs(
        &self,
        scope: &Scope,
        round_id: i64,
        f: &RoundOrgFilter,
        paging: Paging,
    ) -> Result<RoundOrgs> {
        let (round, root) = self.round(scope, round_id).await?;
        let scheme = dr::scheme(&round.scheme).map_err(rating_error)?;
        let status = match f.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s @ ("pending" | "scored" | "approved" | "proposed")) => Some(s.to_string()),
            Some(s) => {
                return Err(bad(
                    "rating.status_unknown",
                    format!("未知评定状态：{s}（可用 pending、scored、approved、proposed）"),
                ))
            }
        };
        let applies = |q: &mut Sql, alias: &str| {
            for (col, list) in [
                ("field", &scheme.applies_to.fields),
                ("kind", &scheme.applies_to.kinds),
            ] {
                if list.is_empty() {
                    continue;
                }
                q.push(" AND ")
                    .push(alias)
                    .push(".")
                    .push(col)
                    .push(" IN (");
                for (i, v) in list.iter().enumerate() {
                    if i > 0 {
                        q.push(", ");
                    }
                    q.bind(v.as_str());
                }
                q.push(")");
            }
        };
        let build = |q: &mut Sql, with_status: bool, filtered: bool| {
            q.push(" FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id LEFT JOIN ratings t ON t.round_id = ")
                .bind(round_id)
                .push(" AND t.org_id = o.id WHERE o.path > ")
                .bind(root.as_str())
                .push(" AND o.path < ")
                .bind(path_upper(&root));
            scope.filter_paths(q, "o.path", Action::OrgRead);
            q.push(" AND (t.org_id IS NOT NULL OR (o.dissolved IS NULL");
            applies(q, "o");
            q.push(" AND NOT EXISTS (SELECT 1 FROM orgs c WHERE c.parent_id = o.id AND c.dissolved IS NULL");
            applies(q, "c");
            q.push(")))");
            if !filtered {
                return;
            }
            if let Some(s) = f.q.as_ref().map(|s| s.trim()).filter(|s| !s.is_empty()) {
                q.push(" AND o.name LIKE ").bind(format!("%{s}%"));
            }
            if let Some(id) = f.org {
                q.push(" AND o.id = ").bind(id);
            }
            if with_status {
                match status.as_deref() {
                    Some("pending") => {
                        q.push(" AND t.org_id IS NULL");
                    }
                    Some("proposed") => {
                        q.push(" AND t.proposed_tier IS NOT NULL");
                    }
                    Some(s) => {
                        q.push(" AND t.status = ").bind(s);
                    }
                    None => {}
                }
            }
        };
        let counts_of = |filtered: bool| {
            let mut c = Sql::new("SELECT COALESCE(t.status, 'pending'), COUNT(*)");
            build(&mut c, false, filtered);
            c.push(" GROUP BY COALESCE(t.status, 'pending')");
            c
        };
        let mut counts = BTreeMap::new();
        for r in counts_of(true).query().fetch_all(self.db.pool()).await? {
            counts.insert(r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?);
        }
        let filters = f.q.as_ref().is_some_and(|s| !s.trim().is_empty()) || f.org.is_some();
        let whole = if filters {
            let mut all = BTreeMap::new();
            for r in counts_of(false).query().fetch_all(self.db.pool()).await? {
                all.insert(r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?);
            }
            all
        } else {
            counts.clone()
        };
        let at = |k: &str| whole.get(k).copied().unwrap_or(0);
        let completeness = RoundCompleteness {
            applicable: whole.values().sum(),
            approved: at("approved"),
            scored: at("scored"),
            pending: at("pending"),
        };
        let mut n = Sql::new("SELECT COUNT(*)");
        build(&mut n, true, true);
        let total: i64 = n.scalar::<i64>().fetch_one(self.db.pool()).await?;
        let mut q = Sql::new("SELECT o.id, o.name, p.name, t.status");
        build(&mut q, true, true);
        q.push(" ORDER BY o.path LIMIT ")
            .bind(paging.limit())
            .push(" OFFSET ")
            .bind(paging.offset());
        let mut items = Vec::new();
        let mut rated = Vec::new();
        for r in q.query().fetch_all(self.db.pool()).await? {
            let status: Option<String> = r.try_get(3)?;
            let org_id: i64 = r.try_get(0)?;
            if status.is_some() {
                rated.push(org_id);
            }
            items.push(RoundOrg {
                org_id,
                org_name: r.try_get(1)?,
                parent_name: r.try_get(2)?,
                status: status.unwrap_or_else(|| "pending".into()),
                rating: None,
            });
        }
        if !rated.is_empty() {
            let mut rq = Sql::new("SELECT ");
            rq.push(RATING_COLS)
                .push(" FROM ratings t JOIN orgs o ON o.id = t.org_id WHERE t.round_id = ")
                .bind(round_id)
                .push(" AND t.org_id IN (");
            for (i, id) in rated.iter().enumerate() {
                if i > 0 {
                    rq.push(", ");
                }
                rq.bind(*id);
            }
            rq.push(")");
            let mut by_org = HashMap::new();
            for r in rq.query().fetch_all(self.db.pool()).await? {
                let v = rating_row(&r)?;
                by_org.insert(v.org_id, v);
            }
            for it in &mut items {
                it.rating = by_org.remove(&it.org_id);
            }
        }
        Ok(RoundOrgs {
            round,
            items,
            total,
            page: paging.page,
            page_size: paging.page_size,
            counts,
            completeness,
        })
    }

    async fn round_org(
        &self,
        scope: &Scope,
        round_id: i64,
        org_id: i64,
    ) -> Result<(RoundView, Scheme, String)> {
        let (round, root_path) = self.round(scope, round_id).await?;
        let org = self.get_org(scope, org_id).await?;
        if !org.path.starts_with(root_path.as_str()) {
            return Err(StoreError::NotFound);
        }
        let scheme = dr::scheme(&round.scheme).map_err(rating_error)?;
        if !scheme.applies(&org.field, &org.kind) {
            return Err(bad(
                "rating.not_applicable",
                format!("评定方案“{}”不适用于{}", scheme.name, org.name),
            ));
        }
        Ok((round, scheme, org.path))
    }

    async fn rating_in(&self, round_id: i64, org_id: i64) -> Result<Option<RatingView>> {
        let r = sqlx::query(&format!(
            "SELECT {RATING_COLS} FROM ratings t JOIN orgs o ON o.id = t.org_id WHERE t.round_id = $1 AND t.org_id = $2"
        ))
        .bind(round_id)
        .bind(org_id)
        .fetch_optional(self.db.pool())
        .await?;
        r.map(|r| rating_row(&r)).transpose()
    }

    /// Scores an org (township committee or above, before approval).
    pub async fn score_org(
        &self,
        scope: &Scope,
        round_id: i64,
        org_id: i64,
        s: &ScoreInput,
    ) -> Result<RatingView> {
        let (round, scheme, path) = self.round_org(scope, round_id, org_id).await?;
        // Scored from above (the township): an org never scores itself.
        if !scope.allows_restructure(&path) {
            return Err(StoreError::Forbidden);
        }
        if round.status != "open" {
            return Err(bad("rating.round_closed", "本轮评定已公布，不能再评分"));
        }
        let total = scheme.total(&s.scores).map_err(rating_error)?;
        let derived = scheme.tier_for(total).name.clone();
        let proposed = match s
            .proposed_tier
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            Some(t) if t != derived => {
                scheme.rank(t).map_err(rating_error)?;
                if opt_trim(&s.reason).is_none() {
                    return Err(bad(
                        "rating.reason_required",
                        format!("建议定为“{t}”（按分数为“{derived}”），须说明理由"),
                    ));
                }
                Some(t.to_string())
            }
            _ => None,
        };
        let before = self.rating_in(round_id, org_id).await?;
        if let Some(b) = &before {
            if b.status == "approved" {
                return Err(bad("rating.approved", "已审定，不能再修改评分"));
            }
            if s.version != Some(b.version) {
                return Err(StoreError::Conflict { current: b.version });
            }
        }
        let now = crate::now_ts();
        let mut tx = self.db.begin().await?;
        let scores = serde_json::to_string(&s.scores)?;
        let comments = serde_json::to_string(&s.comments)?;
        // Evidence and comments name indicators of the scheme; blank entries are dropped.
        for code in s.evidence.keys().chain(s.comments.keys()) {
            if !scheme.indicators().any(|i| &i.code == code) {
                return Err(bad(
                    "rating.unknown_indicator",
                    format!("评分方案中没有指标 {code}"),
                ));
            }
        }
        let evidence: BTreeMap<&String, &str> = s
            .evidence
            .iter()
            .map(|(k, v)| (k, v.trim()))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let evidence = serde_json::to_string(&evidence)?;
        let reason = proposed.as_ref().and(opt_trim(&s.reason));
        match &before {
            None => {
                sqlx::query(
                    "INSERT INTO ratings (round_id, org_id, scores, comments, total, derived_tier, proposed_tier, proposal_reason, status, scored_by, scored_at, version, evidence) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'scored', $9, $10, 1, $11)",
                )
                .bind(round_id)
                .bind(org_id)
                .bind(&scores)
                .bind(&comments)
                .bind(i64::from(total))
                .bind(&derived)
                .bind(&proposed)
                .bind(&reason)
                .bind(scope.user_id)
                .bind(&now)
                .bind(&evidence)
                .execute(&mut *tx)
                .await?;
            }
            Some(b) => {
                let done = sqlx::query(
                    "UPDATE ratings SET scores = $1, comments = $2, total = $3, derived_tier = $4, proposed_tier = $5, proposal_reason = $6, scored_by = $7, scored_at = $8, version = version + 1, evidence = $12 WHERE round_id = $9 AND org_id = $10 AND version = $11 AND status = 'scored'",
                )
                .bind(&scores)
                .bind(&comments)
                .bind(i64::from(total))
                .bind(&derived)
                .bind(&proposed)
                .bind(&reason)
                .bind(scope.user_id)
                .bind(&now)
                .bind(round_id)
                .bind(org_id)
                .bind(b.version)
                .bind(&evidence)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::Conflict {
                        current: b.version + 1,
                    });
                }
            }
        }
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "rating.score",
                entity: "rating",
                entity_id: Some(format!("{round_id}/{org_id}")),
                scope_path: Some(path),
                before: before.as_ref().map(|b| serde_json::json!({"total": b.total, "derived_tier": b.derived_tier, "proposed_tier": b.proposed_tier})),
                after: Some(serde_json::json!({"scores": s.scores, "total": total, "derived_tier": derived, "proposed_tier": proposed, "reason": reason})),
            },
        )
        .await?;
        tx.commit().await?;
        self.rating_in(round_id, org_id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Approves (审定) an org's tier: organization departments and administrators only.
    pub async fn approve_rating(
        &self,
        scope: &Scope,
        round_id: i64,
        org_id: i64,
        a: &ApproveInput,
    ) -> Result<RatingView> {
        let (round, scheme, path) = self.round_org(scope, round_id, org_id).await?;
        if !decides(scope, &path) {
            return Err(StoreError::Forbidden);
        }
        if round.status != "open" {
            return Err(bad("rating.round_closed", "本轮评定已公布"));
        }
        let before = self
            .rating_in(round_id, org_id)
            .await?
            .ok_or_else(|| bad("rating.not_scored", "尚未评分，不能审定"))?;
        if before.version != a.version {
            return Err(StoreError::Conflict {
                current: before.version,
            });
        }
        let tier = a
            .tier
            .clone()
            .or(before.proposed_tier.clone())
            .unwrap_or(before.derived_tier.clone());
        scheme.rank(&tier).map_err(rating_error)?;
        let reason = if tier != before.derived_tier {
            Some(
                opt_trim(&a.reason)
                    .or(before.proposal_reason.clone())
                    .ok_or_else(|| {
                        bad(
                            "rating.reason_required",
                            format!(
                                "审定为“{tier}”与按分数的“{}”不同，须说明理由",
                                before.derived_tier
                            ),
                        )
                    })?,
            )
        } else {
            None
        };
        let mut tx = self.db.begin().await?;
        let done = sqlx::query(
            "UPDATE ratings SET tier = $1, override_reason = $2, status = 'approved', approved_by = $3, approved_at = $4, version = version + 1 WHERE round_id = $5 AND org_id = $6 AND version = $7",
        )
        .bind(&tier)
        .bind(&reason)
        .bind(scope.user_id)
        .bind(crate::now_ts())
        .bind(round_id)
        .bind(org_id)
        .bind(a.version)
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
                action: "rating.approve",
                entity: "rating",
                entity_id: Some(format!("{round_id}/{org_id}")),
                scope_path: Some(path),
                before: Some(serde_json::json!({"derived_tier": before.derived_tier, "proposed_tier": before.proposed_tier})),
                after: Some(serde_json::json!({"tier": tier, "reason": reason})),
            },
        )
        .await?;
        tx.commit().await?;
        self.rating_in(round_id, org_id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Publishes a round in full (every applicable org approved), the results posted for
    /// `notice_days` calendar days from `from`. See [`Store::publish_round_with`].
    pub async fn publish_round(
        &self,
        scope: &Scope,
        round_id: i64,
        from: NaiveDate,
        notice_days: u32,
    ) -> Result<RoundView> {
        self.publish_round_with(
            scope,
            round_id,
            &PublishInput {
                from,
                notice_days,
                partial: false,
                reason: None,
            },
        )
        .await
    }

    /// Publishes a round (organization departments and administrators): every applicable
    /// org approved, or — `partial` with a reason — the approved part, the counts recorded;
    /// the notice period starts on 1 January after the rated year at the earliest and
    /// today at the latest (`rating::publication`). The publication is kept as a record.
    #[tracing::instrument(skip(self, scope, p), fields(user = scope.user_id))]
    pub async fn publish_round_with(
        &self,
        scope: &Scope,
        round_id: i64,
        p: &PublishInput,
    ) -> Result<RoundView> {
        let (round, path) = self.round(scope, round_id).await?;
        if !decides(scope, &path) {
            return Err(StoreError::Forbidden);
        }
        if round.status != "open" {
            return Err(bad("rating.round_closed", "本轮评定已公布"));
        }
        let scheme = dr::scheme(&round.scheme).map_err(rating_error)?;
        let whole = self
            .round_orgs(
                scope,
                round_id,
                &RoundOrgFilter::default(),
                Paging::new(Some(1), Some(1)),
            )
            .await?
            .completeness;
        let c = pb::Completeness {
            applicable: whole.applicable,
            approved: whole.approved,
            scored: whole.scored,
        };
        let reason = opt_trim(&p.reason);
        let kind = pb::decide(&c, p.partial, reason.as_deref(), pb::unit(&scheme))
            .map_err(publish_error)?;
        if p.notice_days == 0 {
            return Err(publish_error(pb::PublishError::NoNoticeDays));
        }
        let today = self.reference_date().await?;
        pb::check_dates(round.year, p.from, today).map_err(publish_error)?;
        let until = jiceng_domain::calendar::add_calendar_days(p.from, p.notice_days)
            .map_err(|e| bad("rating.date_invalid", e.to_string()))?;
        let reason = match kind {
            pb::PublicationKind::Partial => reason,
            pb::PublicationKind::Full => None,
        };
        let now = crate::now_ts();
        let mut tx = self.db.begin().await?;
        let done = sqlx::query(
            "UPDATE rating_rounds SET status = 'published', notice_from = $1, notice_until = $2, version = version + 1 WHERE id = $3 AND status = 'open'",
        )
        .bind(p.from.to_string())
        .bind(until.to_string())
        .bind(round_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                current: round.version + 1,
            });
        }
        let pub_id: i64 = sqlx::query_scalar(
            "INSERT INTO rating_publications (round_id, kind, notice_from, notice_until, approved, applicable, reason, published_by, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(round_id)
        .bind(kind.as_str())
        .bind(p.from.to_string())
        .bind(until.to_string())
        .bind(c.approved)
        .bind(c.applicable)
        .bind(&reason)
        .bind(scope.user_id)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "rating.publish",
                entity: "rating_round",
                entity_id: Some(round_id.to_string()),
                scope_path: Some(path),
                before: None,
                after: Some(serde_json::json!({
                    "publication": pub_id,
                    "kind": kind.as_str(),
                    "notice_from": p.from.to_string(),
                    "notice_until": until.to_string(),
                    "approved": c.approved,
                    "applicable": c.applicable,
                    "reason": reason,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(self.round(scope, round_id).await?.0)
    }

    /// Withdraws the publication in force (撤回公布) with a reason (organization departments
    /// and administrators): the publication stays on record, marked withdrawn; the round
    /// goes back to its approved state and may be published again.
    #[tracing::instrument(skip(self, scope, w), fields(user = scope.user_id))]
    pub async fn withdraw_round(
        &self,
        scope: &Scope,
        round_id: i64,
        w: &WithdrawInput,
    ) -> Result<RoundView> {
        let (round, path) = self.round(scope, round_id).await?;
        if !decides(scope, &path) {
            return Err(StoreError::Forbidden);
        }
        let Some(current) = round
            .publication
            .clone()
            .filter(|_| round.status == "published")
        else {
            return Err(bad("rating.not_published", "本轮评定尚未公布，无需撤回"));
        };
        let reason = opt_trim(&w.reason);
        pb::check_withdrawal(reason.as_deref()).map_err(publish_error)?;
        let now = crate::now_ts();
        let mut tx = self.db.begin().await?;
        let done = sqlx::query(
            "UPDATE rating_publications SET withdrawn_by = $1, withdrawn_at = $2, withdraw_reason = $3 WHERE id = $4 AND withdrawn_at IS NULL",
        )
        .bind(scope.user_id)
        .bind(&now)
        .bind(&reason)
        .bind(current.id)
        .execute(&mut *tx)
        .await?;
        let reopened = sqlx::query(
            "UPDATE rating_rounds SET status = 'open', notice_from = NULL, notice_until = NULL, version = version + 1 WHERE id = $1 AND status = 'published' AND version = $2",
        )
        .bind(round_id)
        .bind(round.version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 || reopened.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                current: round.version + 1,
            });
        }
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "rating.withdraw",
                entity: "rating_round",
                entity_id: Some(round_id.to_string()),
                scope_path: Some(path),
                before: Some(serde_json::json!({
                    "publication": current.id,
                    "kind": current.kind,
                    "notice_from": current.notice_from,
                    "notice_until": current.notice_until,
                })),
                after: Some(serde_json::json!({"status": "open", "reason": reason})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(self.round(scope, round_id).await?.0)
    }

    /// The publications of a round, oldest first, withdrawn ones included.
    pub async fn round_publications(
        &self,
        scope: &Scope,
        round_id: i64,
    ) -> Result<Vec<PublicationView>> {
        self.round(scope, round_id).await?;
        let rows = sqlx::query(&format!(
            "SELECT {PUB_COLS} FROM rating_publications WHERE round_id = $1 ORDER BY id"
        ))
        .bind(round_id)
        .fetch_all(self.db.pool())
        .await?;
        rows.iter().map(publication_row).collect()
    }

    /// Approved tiers of a subtree's orgs for a year (latest round per org): org → (name,
    /// tier, total, scheme).
    async fn approved(
        &self,
        root_path: &str,
        year: i32,
    ) -> Result<HashMap<i64, (String, String, i64, String)>> {
        let rows = sqlx::query(
            "SELECT t.org_id, o.name, t.tier, t.total, r.scheme FROM ratings t JOIN rating_rounds r ON r.id = t.round_id JOIN orgs o ON o.id = t.org_id \
             WHERE r.year = $1 AND t.status = 'approved' AND o.path >= $2 AND o.path < $3 ORDER BY r.id",
        )
        .bind(i64::from(year))
        .bind(root_path)
        .bind(path_upper(root_path))
        .fetch_all(self.db.pool())
        .await?;
        let mut out = HashMap::new();
        for r in rows {
            let tier: Option<String> = r.try_get(2)?;
            if let Some(t) = tier {
                out.insert(
                    r.try_get(0)?,
                    (r.try_get(1)?, t, r.try_get(3)?, r.try_get(4)?),
                );
            }
        }
        Ok(out)
    }

    /// Tier distribution of a subtree and year (approved tiers).
    pub async fn rating_distribution(
        &self,
        scope: &Scope,
        org_id: i64,
        year: i32,
    ) -> Result<Distribution> {
        let root = self.get_org(scope, org_id).await?;
        if !scope.allows(Action::StatsRead, &root.path) {
            return Err(StoreError::NotFound);
        }
        let rated = self.approved(&root.path, year).await?;
        let scheme_code = rated
            .values()
            .map(|x| x.3.clone())
            .next()
            .unwrap_or_else(|| "village.five_tier".into());
        let scheme = dr::scheme(&scheme_code).map_err(rating_error)?;
        let mut tiers: BTreeMap<String, i64> = BTreeMap::new();
        for (_, t, _, s) in rated.values() {
            if *s == scheme_code {
                *tiers.entry(t.clone()).or_default() += 1;
            }
        }
        let total: i64 = tiers.values().sum();
        let rows = scheme
            .tiers
            .iter()
            .map(|t| {
                let count = tiers.get(&t.name).copied().unwrap_or(0);
                TierRow {
                    tier: t.name.clone(),
                    count,
                    percent: if total == 0 {
                        0.0
                    } else {
                        (count as f64 * 1000.0 / total as f64).round() / 10.0
                    },
                }
            })
            .collect();
        Ok(Distribution {
            year,
            scheme: scheme_code,
            total,
            tiers,
            rows,
        })
    }

    /// The ledger (分类管理台账) of a subtree for a year: each rated org's tier, last year's,
    /// the movement, the award for two tiers or more, weak tiers.
    pub async fn rating_ledger(
        &self,
        scope: &Scope,
        org_id: i64,
        year: i32,
    ) -> Result<Vec<LedgerRow>> {
        let root = self.get_org(scope, org_id).await?;
        if !scope.allows(Action::StatsRead, &root.path) {
            return Err(StoreError::NotFound);
        }
        let now = self.approved(&root.path, year).await?;
        let last = self.approved(&root.path, year - 1).await?;
        let mut out = Vec::with_capacity(now.len());
        for (org, (name, tier, total, code)) in now {
            let scheme = dr::scheme(&code).map_err(rating_error)?;
            let last_tier = last.get(&org).filter(|l| l.3 == code).map(|l| l.1.clone());
            let mv = match &last_tier {
                Some(l) => Some(movement(&scheme, l, &tier).map_err(rating_error)?),
                None => None,
            };
            out.push(LedgerRow {
                org_id: org,
                org_name: name,
                weak: scheme.is_weak(&tier),
                tier,
                total,
                last_tier,
                movement: mv,
                award: mv.is_some_and(|m| m >= AWARD_STEPS),
            });
        }
        out.sort_by(|a, b| a.org_name.cmp(&b.org_name));
        Ok(out)
    }
}
