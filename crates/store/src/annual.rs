//! The annual report (年报) and the drill-down from any figure to the names behind it,
//! read from the store. The counting is [`jiceng_stats::annual`]'s; this file only feeds
//! it the subtree's orgs and its members' histories, and turns member ids into rows a
//! person can read.

use std::collections::HashMap;

use chrono::NaiveDate;
use futures_util::TryStreamExt;
use jiceng_domain::codes::Coded;
use jiceng_domain::member::{
    Education, EventLite, Gender, MemberEventKind, Occupation, VillagePost,
};
use jiceng_domain::org::{CommitteeRole, Field};
use jiceng_stats::annual::{
    self, bit, AnnualReport, Builder, Filter, Hit, OrgInfo, Person, ReportDef, SeatSpan,
};
use serde::Serialize;
use sqlx::Row;

use crate::auth::{Action, Scope};
use crate::error::{Result, StoreError};
use crate::member::event_lite;
use crate::org::OrgView;
use crate::sql::path_upper;
use crate::Store;

/// A member behind a figure, as a list shows them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HitRow {
    /// Member id.
    pub member_id: i64,
    /// Name.
    pub name: String,
    /// Gender label.
    pub gender: String,
    /// Birth date.
    pub birth_date: String,
    /// The org counting them (holding the membership, or handling the event).
    pub org_id: Option<i64>,
    /// Its name.
    pub org_name: Option<String>,
    /// Event date (flows).
    pub date: Option<String>,
    /// Event kind code (flows).
    pub event: Option<String>,
    /// Event label (flows).
    pub event_label: Option<String>,
}

/// One page of a drill-down.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HitPage {
    /// Everyone behind the figure.
    pub total: usize,
    /// This page.
    pub items: Vec<HitRow>,
}

/// An exception list of the annual report with (the first of) its names.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ListRows {
    /// Code, e.g. `T2-1`.
    pub code: String,
    /// Title.
    pub title: String,
    /// The table it belongs to.
    pub table: String,
    /// Everyone on the list.
    pub total: usize,
    /// The first `limit` of them.
    pub items: Vec<HitRow>,
}

/// The annual report as delivered: the computed report with its exception lists named.
#[derive(Debug, Clone, Serialize)]
pub struct AnnualWithNames {
    /// The report (its `lists` replaced by the named lists).
    #[serde(flatten)]
    pub report: AnnualReport,
    /// Exception lists with names.
    pub lists: Vec<ListRows>,
}

/// (path, id, parent, field bit, founded, dissolved) of an org, as read for the report.
type OrgRowLite = (
    String,
    i64,
    Option<i64>,
    u32,
    Option<NaiveDate>,
    Option<NaiveDate>,
);

fn ymd(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn def_error(e: annual::DefError) -> StoreError {
    StoreError::invalid("report.definition", e.to_string())
}

/// The member histories of a subtree, grouped by member.
struct Histories {
    people: HashMap<i64, Person>,
    seats: HashMap<i64, Vec<SeatSpan>>,
    events: Vec<(i64, EventLite)>,
}

impl Histories {
    /// Calls `f` for each countable member with their events (in date order) and seats.
    fn each(&self, mut f: impl FnMut(&Person, &[EventLite], &[SeatSpan])) {
        let mut i = 0;
        let mut evs: Vec<EventLite> = Vec::new();
        while i < self.events.len() {
            let mid = self.events[i].0;
            evs.clear();
            while i < self.events.len() && self.events[i].0 == mid {
                evs.push(self.events[i].1.clone());
                i += 1;
            }
            if let Some(p) = self.people.get(&mid) {
                let seats = self.seats.get(&mid).map(Vec::as_slice).unwrap_or(&[]);
                f(p, &evs, seats);
            }
        }
    }
}

impl Store {
    /// The subtree's root, checked for statistics (and, when `names`, member reading).
    async fn stats_root(&self, scope: &Scope, org_id: i64, names: bool) -> Result<OrgView> {
        let root = self.get_org(scope, org_id).await?;
        if !scope.allows(Action::StatsRead, &root.path)
            || (names && !scope.allows(Action::MemberRead, &root.path))
        {
            return Err(StoreError::NotFound);
        }
        Ok(root)
    }

    /// Every org of the subtree with the fields above it (for the predicates on fields).
    async fn report_orgs(&self, root: &OrgView) -> Result<HashMap<i64, OrgInfo>> {
        // Fields of the orgs above the root: ids are the segments of its path.
        let above: Vec<i64> = root
            .path
            .split('/')
            .filter_map(|x| x.parse().ok())
            .filter(|id| *id != root.id)
            .collect();
        let mut field_of: HashMap<i64, (u32, Option<i64>)> = HashMap::new();
        for id in &above {
            if let Some(r) = sqlx::query("SELECT field, parent_id FROM orgs WHERE id = $1")
                .bind(id)
                .fetch_optional(self.db.pool())
                .await?
            {
                let f = Field::from_code(&r.try_get::<String, _>(0)?).map_or(0, bit);
                field_of.insert(*id, (f, r.try_get(1)?));
            }
        }
        let mut ancestors = 0u32;
        for id in &above {
            ancestors |= field_of.get(id).map_or(0, |x| x.0);
        }
        let parent_field = root
            .parent_id
            .and_then(|p| field_of.get(&p))
            .map_or(0, |x| x.0);
        let rows = sqlx::query(
            "SELECT id, parent_id, field, founded, dissolved, path FROM orgs WHERE path >= $1 AND path < $2",
        )
        .bind(&root.path)
        .bind(path_upper(&root.path))
        .fetch_all(self.db.pool())
        .await?;
        let mut list: Vec<OrgRowLite> = Vec::with_capacity(rows.len());
        for r in rows {
            list.push((
                r.try_get(5)?,
                r.try_get(0)?,
                r.try_get(1)?,
                Field::from_code(&r.try_get::<String, _>(2)?).map_or(0, bit),
                ymd(&r.try_get::<String, _>(3)?),
                r.try_get::<Option<String>, _>(4)?.as_deref().and_then(ymd),
            ));
        }
        // Parents before children.
        list.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut out: HashMap<i64, OrgInfo> = HashMap::with_capacity(list.len());
        for (_, id, parent, field, founded, dissolved) in list {
            let (pf, anc) = match parent.and_then(|p| out.get(&p)) {
                Some(p) => (p.field, p.ancestor_fields),
                None => (parent_field, ancestors),
            };
            // An org whose founding date does not parse never exists (as in the summary).
            let founded = founded.unwrap_or(NaiveDate::MAX);
            out.insert(
                id,
                OrgInfo {
                    field,
                    parent_field: pf,
                    ancestor_fields: anc | field,
                    founded,
                    dissolved,
                },
            );
        }
        Ok(out)
    }

    /// Attributes, seats and events (up to `until`) of every member who ever belonged to
    /// an org of the subtree.
    async fn histories(&self, root: &OrgView, until: NaiveDate) -> Result<Histories> {
        let (lo, hi) = (root.path.clone(), path_upper(&root.path));
        let sub = if root.parent_id.is_none() {
            "SELECT id FROM members WHERE $1 <> $2"
        } else {
            "SELECT DISTINCT e2.member_id FROM member_events e2 JOIN orgs o ON o.id = e2.org_id WHERE o.path >= $1 AND o.path < $2"
        };
        let mut people = HashMap::new();
        let q = format!(
            "SELECT id, gender, birth_date, ethnicity, education, occupation, village_post, join_date FROM members WHERE id IN ({sub})"
        );
        let mut rows = sqlx::query(&q).bind(&lo).bind(&hi).fetch(self.db.pool());
        while let Some(r) = rows.try_next().await? {
            let id: i64 = r.try_get(0)?;
            let gender = Gender::from_code(&r.try_get::<String, _>(1)?);
            let birth = ymd(&r.try_get::<String, _>(2)?);
            let edu = Education::from_code(&r.try_get::<String, _>(4)?);
            let occ = Occupation::from_code(&r.try_get::<String, _>(5)?);
            // The summary's rule: members whose core attributes do not parse are not counted.
            let (Some(g), Some(birth), Some(e), Some(o)) = (gender, birth, edu, occ) else {
                continue;
            };
            let vp: Option<String> = r.try_get(6)?;
            let jd: Option<String> = r.try_get(7)?;
            people.insert(
                id,
                Person {
                    id,
                    female: g == Gender::Female,
                    minority: jiceng_domain::ethnicity::is_minority(&r.try_get::<String, _>(3)?),
                    birth,
                    education: bit(e),
                    occupation: bit(o),
                    village_post: vp
                        .as_deref()
                        .and_then(VillagePost::from_code)
                        .map_or(0, bit),
                    join_date: jd.as_deref().and_then(ymd),
                },
            );
        }
        drop(rows);
        let mut seats: HashMap<i64, Vec<SeatSpan>> = HashMap::new();
        let q = format!(
            "SELECT member_id, role, term_start, ended_on FROM committee_seats WHERE member_id IN ({sub})"
        );
        let mut rows = sqlx::query(&q).bind(&lo).bind(&hi).fetch(self.db.pool());
        while let Some(r) = rows.try_next().await? {
            let mid: i64 = r.try_get(0)?;
            let role = CommitteeRole::from_code(&r.try_get::<String, _>(1)?);
            let from = ymd(&r.try_get::<String, _>(2)?);
            if let (Some(role), Some(from)) = (role, from) {
                let until = r.try_get::<Option<String>, _>(3)?.as_deref().and_then(ymd);
                seats
                    .entry(mid)
                    .or_default()
                    .push(SeatSpan { role, from, until });
            }
        }
        drop(rows);
        let mut events = Vec::new();
        let q = format!(
            "SELECT member_id, kind, date, org_id, data FROM member_events WHERE date <= $3 AND member_id IN ({sub}) ORDER BY member_id, date, id"
        );
        let mut rows = sqlx::query(&q)
            .bind(&lo)
            .bind(&hi)
            .bind(until.to_string())
            .fetch(self.db.pool());
        while let Some(r) = rows.try_next().await? {
            let kind: String = r.try_get(1)?;
            let date: String = r.try_get(2)?;
            let data: String = r.try_get(4)?;
            if let Some(e) = event_lite(&kind, &date, r.try_get(3)?, &data) {
                events.push((r.try_get::<i64, _>(0)?, e));
            }
        }
        Ok(Histories {
            people,
            seats,
            events,
        })
    }

    /// The annual report set of a subtree for report year `year`, with the hits behind
    /// `drill` (a cell `T2/1/C`) when asked. `names`: the caller will see who is behind
    /// the figures (lists, drill-down), so member reading is required too (implied by
    /// `drill`).
    pub async fn annual_report(
        &self,
        scope: &Scope,
        org_id: i64,
        year: i32,
        drill: Option<&str>,
        names: bool,
    ) -> Result<(AnnualReport, Vec<Hit>)> {
        let root = self
            .stats_root(scope, org_id, names || drill.is_some())
            .await?;
        let def = ReportDef::for_year(year).map_err(def_error)?;
        let orgs = self.report_orgs(&root).await?;
        let mut b = Builder::new(def, year, root.id, root.name.clone(), orgs).map_err(def_error)?;
        if let Some(cell) = drill {
            b = b.drill(cell).map_err(def_error)?;
        }
        let end = b.period().end;
        let h = self.histories(&root, end).await?;
        h.each(|p, evs, seats| b.add_member(p, evs, seats));
        Ok(b.finish())
    }

    /// The members on the roster of a subtree on `as_of` who satisfy `filter`: the names
    /// behind a figure of the summary (same counting rules, so the list is as long as the
    /// figure).
    pub async fn stock_hits(
        &self,
        scope: &Scope,
        org_id: i64,
        as_of: NaiveDate,
        filter: &Filter,
    ) -> Result<Vec<Hit>> {
        let root = self.stats_root(scope, org_id, true).await?;
        let pred = filter
            .compile()
            .map_err(|e| StoreError::invalid("stats.filter", e.to_string()))?;
        let orgs = self.report_orgs(&root).await?;
        let h = self.histories(&root, as_of).await?;
        let mut out = Vec::new();
        h.each(|p, evs, seats| {
            if let Some(org) = annual::stock_match(p, evs, seats, &orgs, as_of, &pred) {
                out.push(Hit {
                    member_id: p.id,
                    org_id: Some(org),
                    date: None,
                    event: None,
                });
            }
        });
        Ok(out)
    }

    /// The report with the first `limit` names of each exception list.
    pub async fn name_lists(&self, mut r: AnnualReport, limit: usize) -> Result<AnnualWithNames> {
        let mut lists = Vec::with_capacity(r.lists.len());
        for l in std::mem::take(&mut r.lists) {
            let page = self.hit_page(&l.hits, 0, limit).await?;
            lists.push(ListRows {
                code: l.code,
                title: l.title,
                table: l.table,
                total: page.total,
                items: page.items,
            });
        }
        Ok(AnnualWithNames { report: r, lists })
    }

    /// One page of `hits` as readable rows (names, orgs, events). The hits come from a
    /// scope-checked report of a subtree, so every member in them is in scope.
    pub async fn hit_page(&self, hits: &[Hit], offset: usize, limit: usize) -> Result<HitPage> {
        let page: Vec<&Hit> = hits.iter().skip(offset).take(limit).collect();
        let mut items = Vec::with_capacity(page.len());
        let mut org_names: HashMap<i64, String> = HashMap::new();
        for h in page {
            let Some(r) = sqlx::query("SELECT name, gender, birth_date FROM members WHERE id = $1")
                .bind(h.member_id)
                .fetch_optional(self.db.pool())
                .await?
            else {
                continue;
            };
            let org_name = match h.org_id {
                Some(o) => match org_names.get(&o) {
                    Some(n) => Some(n.clone()),
                    None => {
                        let n = self.org_path(o).await?.map(|x| x.1).unwrap_or_default();
                        org_names.insert(o, n.clone());
                        Some(n)
                    }
                },
                None => None,
            };
            let gender: String = r.try_get(1)?;
            items.push(HitRow {
                member_id: h.member_id,
                name: r.try_get(0)?,
                gender: Gender::from_code(&gender).map_or(gender, |g| g.zh().to_string()),
                birth_date: r.try_get(2)?,
                org_id: h.org_id,
                org_name,
                date: h.date.map(|d| d.to_string()),
                event: h.event.map(|e| e.code().to_string()),
                event_label: h.event.map(|e: MemberEventKind| e.zh().to_string()),
            });
        }
        Ok(HitPage {
            total: hits.len(),
            items,
        })
    }
}
