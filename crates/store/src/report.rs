//! Reports and warnings read from the store: the as-of snapshot behind the summary
//! (members folded from their events, orgs alive on the date) and the 预警 list.

use std::collections::HashMap;

use chrono::NaiveDate;
use jiceng_domain::codes::Coded;
use jiceng_domain::member::{self as dm, Education, Gender, Occupation, VillagePost};
use jiceng_domain::org::{Field, OrgKind, SetupMode};
use jiceng_domain::warnings::{self as dw, OrgFacts, StructureParams};
use jiceng_stats::summary::{self, MemberSnap, OrgSnap, Summary};
use serde::Serialize;
use sqlx::Row;

use crate::auth::{Action, Scope};
use crate::error::{Result, StoreError};
use crate::member::event_lite;
use crate::sql::path_upper;
use crate::Store;

/// Attributes of a person the summary needs.
type Person = (
    Gender,
    NaiveDate,
    String,
    Education,
    Occupation,
    Option<VillagePost>,
    Option<NaiveDate>,
);

/// A warning about one org.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrgWarning {
    /// Org.
    pub org_id: i64,
    /// Org name.
    pub org_name: String,
    /// Org path.
    pub org_path: String,
    /// Stable code.
    pub code: String,
    /// `info`, `warning` or `overdue`.
    pub severity: String,
    /// Chinese message.
    pub message: String,
    /// Deadline concerned.
    pub due: Option<String>,
}

impl Store {
    /// The roster snapshot of a subtree on `as_of`: orgs alive that day and the members on
    /// the roster in them (suspended members excluded, as the 年报 counts them apart).
    pub async fn snapshot(
        &self,
        scope: &Scope,
        org_id: i64,
        as_of: NaiveDate,
    ) -> Result<(String, Vec<OrgSnap>, Vec<MemberSnap>)> {
        let root = self.get_org(scope, org_id).await?;
        if !scope.allows(Action::StatsRead, &root.path) {
            return Err(StoreError::NotFound);
        }
        let d = as_of.to_string();
        let (lo, hi) = (root.path.clone(), path_upper(&root.path));
        let rows = sqlx::query(
            "SELECT id, kind, field, setup_mode, founded, dissolved FROM orgs WHERE path >= $1 AND path < $2",
        )
        .bind(&lo)
        .bind(&hi)
        .fetch_all(self.db.pool())
        .await?;
        let mut orgs = Vec::new();
        let mut alive: HashMap<i64, ()> = HashMap::new();
        let mut in_tree: HashMap<i64, ()> = HashMap::new();
        for r in rows {
            let id: i64 = r.try_get(0)?;
            in_tree.insert(id, ());
            let founded: String = r.try_get(4)?;
            let dissolved: Option<String> = r.try_get(5)?;
            if founded > d || dissolved.as_deref().is_some_and(|x| x <= d.as_str()) {
                continue;
            }
            let (Some(kind), Some(field), Some(setup_mode)) = (
                OrgKind::from_code(&r.try_get::<String, _>(1)?),
                Field::from_code(&r.try_get::<String, _>(2)?),
                SetupMode::from_code(&r.try_get::<String, _>(3)?),
            ) else {
                continue;
            };
            alive.insert(id, ());
            orgs.push(OrgSnap {
                id,
                kind,
                field,
                setup_mode,
            });
        }
        // The whole tree needs no membership filter (and SQLite plans the IN poorly).
        let sub = if root.parent_id.is_none() {
            "SELECT id FROM members WHERE $1 <> $2"
        } else {
            "SELECT DISTINCT e2.member_id FROM member_events e2 JOIN orgs o ON o.id = e2.org_id WHERE o.path >= $1 AND o.path < $2"
        };
        let attrs = sqlx::query(&format!(
            "SELECT id, gender, birth_date, ethnicity, education, occupation, village_post, join_date FROM members WHERE id IN ({sub})"
        ))
        .bind(&lo)
        .bind(&hi)
        .fetch_all(self.db.pool())
        .await?;
        let mut people: HashMap<i64, Person> = HashMap::new();
        for r in attrs {
            let id: i64 = r.try_get(0)?;
            let gender = Gender::from_code(&r.try_get::<String, _>(1)?);
            let birth = NaiveDate::parse_from_str(&r.try_get::<String, _>(2)?, "%Y-%m-%d").ok();
            let edu = Education::from_code(&r.try_get::<String, _>(4)?);
            let occ = Occupation::from_code(&r.try_get::<String, _>(5)?);
            let vp: Option<String> = r.try_get(6)?;
            let jd: Option<String> = r.try_get(7)?;
            let jd = jd.and_then(|j| NaiveDate::parse_from_str(&j, "%Y-%m-%d").ok());
            if let (Some(g), Some(b), Some(e), Some(o)) = (gender, birth, edu, occ) {
                people.insert(
                    id,
                    (
                        g,
                        b,
                        r.try_get(3)?,
                        e,
                        o,
                        vp.as_deref().and_then(VillagePost::from_code),
                        jd,
                    ),
                );
            }
        }
        let evrows = sqlx::query(&format!(
            "SELECT member_id, kind, date, org_id, data FROM member_events WHERE date <= $3 AND member_id IN ({sub}) ORDER BY member_id, date, id"
        ))
        .bind(&lo)
        .bind(&hi)
        .bind(&d)
        .fetch_all(self.db.pool())
        .await?;
        let mut members = Vec::new();
        let mut cur: Option<i64> = None;
        let mut evs: Vec<dm::EventLite> = Vec::new();
        let mut flush = |mid: Option<i64>, evs: &mut Vec<dm::EventLite>| {
            if let Some(mid) = mid {
                if let (Some(st), Some(p)) = (dm::state_at(evs, Some(as_of)), people.get(&mid)) {
                    if !st.suspended && alive.contains_key(&st.org) && in_tree.contains_key(&st.org)
                    {
                        members.push(MemberSnap {
                            org_id: st.org,
                            probationary: st.probationary,
                            gender: p.0,
                            birth: p.1,
                            ethnicity: p.2.clone(),
                            education: p.3,
                            occupation: p.4,
                            village_post: p.5,
                            join_date: evs
                                .iter()
                                .find(|e| e.kind == dm::MemberEventKind::Joined)
                                .map(|e| e.date)
                                .or(p.6),
                        });
                    }
                }
            }
            evs.clear();
        };
        for r in evrows {
            let mid: i64 = r.try_get(0)?;
            if cur != Some(mid) {
                flush(cur, &mut evs);
                cur = Some(mid);
            }
            let kind: String = r.try_get(1)?;
            let date: String = r.try_get(2)?;
            let data: String = r.try_get(4)?;
            if let Some(e) = event_lite(&kind, &date, r.try_get(3)?, &data) {
                evs.push(e);
            }
        }
        flush(cur, &mut evs);
        Ok((root.name, orgs, members))
    }

    /// The summary report for a subtree on a date: from the statistics engine when it is
    /// enabled and current (see [`crate::stats_handle`]), else from SQL
    /// ([`Store::summary_sql`]). Same result and the same scope check either way.
    pub async fn summary(&self, scope: &Scope, org_id: i64, as_of: NaiveDate) -> Result<Summary> {
        if self.stats.is_ready() {
            let root = self.get_org(scope, org_id).await?;
            if !scope.allows(Action::StatsRead, &root.path) {
                return Err(StoreError::NotFound);
            }
            if let Some(s) = self.stats.summary(org_id, &root.name, as_of).await {
                return Ok(s);
            }
        }
        self.summary_sql(scope, org_id, as_of).await
    }

    /// The summary report computed from the database (the as-of snapshot), never from the
    /// engine: the reference the engine is tested against, and the fallback.
    pub async fn summary_sql(
        &self,
        scope: &Scope,
        org_id: i64,
        as_of: NaiveDate,
    ) -> Result<Summary> {
        let (name, orgs, members) = self.snapshot(scope, org_id, as_of).await?;
        Ok(summary::compute(as_of, org_id, &name, &orgs, &members))
    }

    /// Structural and re-election warnings for live orgs in scope, as of `today`.
    pub async fn warnings(
        &self,
        scope: &Scope,
        under: Option<i64>,
        today: NaiveDate,
    ) -> Result<Vec<OrgWarning>> {
        let top = match under {
            Some(id) => vec![self.get_org(scope, id).await?.path],
            None if scope.is_system() => vec!["/".to_string()],
            None => scope.roots_for(Action::OrgRead),
        };
        let params = StructureParams::default();
        let mut out = Vec::new();
        for p in top {
            let rows = sqlx::query(
                "SELECT id, name, path, kind, field, term_start FROM orgs WHERE path >= $1 AND path < $2 AND dissolved IS NULL ORDER BY path",
            )
            .bind(&p)
            .bind(path_upper(&p))
            .fetch_all(self.db.pool())
            .await?;
            let counts = sqlx::query(
                "SELECT o.path, m.status, COUNT(*) FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.active = $1 AND o.path >= $2 AND o.path < $3 GROUP BY o.path, m.status",
            )
            .bind(1i64)
            .bind(&p)
            .bind(path_upper(&p))
            .fetch_all(self.db.pool())
            .await?;
            let mut direct: HashMap<String, (u32, u32)> = HashMap::new();
            for r in counts {
                let path: String = r.try_get(0)?;
                let status: Option<String> = r.try_get(1)?;
                let n: i64 = r.try_get(2)?;
                let e = direct.entry(path).or_default();
                e.0 += n as u32;
                if status.as_deref() == Some("full") {
                    e.1 += n as u32;
                }
            }
            let seats = sqlx::query(
                "SELECT s.org_id, COUNT(*) FROM committee_seats s JOIN orgs o ON o.id = s.org_id WHERE s.ended_on IS NULL AND o.path >= $1 AND o.path < $2 GROUP BY s.org_id",
            )
            .bind(&p)
            .bind(path_upper(&p))
            .fetch_all(self.db.pool())
            .await?;
            let mut seat_n: HashMap<i64, i64> = HashMap::new();
            for r in seats {
                seat_n.insert(r.try_get(0)?, r.try_get(1)?);
            }
            for r in rows {
                let id: i64 = r.try_get(0)?;
                let name: String = r.try_get(1)?;
                let path: String = r.try_get(2)?;
                if !scope.allows(Action::OrgRead, &path) {
                    continue;
                }
                let (Some(kind), Some(field)) = (
                    OrgKind::from_code(&r.try_get::<String, _>(3)?),
                    Field::from_code(&r.try_get::<String, _>(4)?),
                ) else {
                    continue;
                };
                let term: Option<String> = r.try_get(5)?;
                let (members, full) = if kind == OrgKind::Branch || kind == OrgKind::TemporaryBranch
                {
                    direct.get(&path).copied().unwrap_or_default()
                } else {
                    direct
                        .iter()
                        .filter(|(k, _)| k.starts_with(&path))
                        .fold((0, 0), |a, (_, v)| (a.0 + v.0, a.1 + v.1))
                };
                let facts = OrgFacts {
                    kind,
                    members,
                    full_members: full,
                    has_committee: seat_n.get(&id).copied().unwrap_or(0) >= 3,
                    reelection_due: term
                        .as_deref()
                        .and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
                        .map(|t| dw::reelection_due(t, kind, field)),
                };
                for w in dw::check_org(&facts, &params, today) {
                    out.push(OrgWarning {
                        org_id: id,
                        org_name: name.clone(),
                        org_path: path.clone(),
                        code: w.code.to_string(),
                        severity: serde_json::to_value(w.severity)?
                            .as_str()
                            .unwrap_or("warning")
                            .to_string(),
                        message: w.message,
                        due: w.due.map(|d| d.to_string()),
                    });
                }
            }
        }
        Ok(out)
    }
}
