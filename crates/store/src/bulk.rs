//! Bulk loading: orgs, members and their events in big batches, for generated national-scale
//! data (`jiceng demo --profile national`), where the per-record store calls (one
//! transaction, a few queries and an audit row per record) would take days.
//!
//! What is the same as the per-record path:
//! * the rows: orgs carry their materialized path and depth, each org gets its `created`
//!   (and `dissolved`) org event, each member their dated events, and the current-state
//!   columns of `members` are derived from those events by the same fold
//!   ([`jiceng_domain::member::state_at`]) that `refresh_state` uses, so history comes first
//!   and state follows;
//! * ID numbers are encrypted (AES-256-GCM) with the store's key and get their blind index;
//! * every reference (parent org, a member's or event's org) is checked, here in memory
//!   against the orgs loaded so far, before anything is sent.
//!
//! What differs, on purpose:
//! * ids are assigned by the caller (paths need them before insertion);
//! * **audit**: a bulk load writes ONE audit entry, `demo.bulk_load` with the row counts, when
//!   it finishes ([`BulkLoader::finish`]), not one entry per row. A load that fails half-way
//!   leaves its committed batches without that entry; bulk loading is only offered on an
//!   empty database (the demo refuses any other), so the remedy is to start again;
//! * loading into empty tables, their secondary indexes are dropped first and rebuilt by
//!   [`BulkLoader::finish`] (one sort each instead of millions of random B-tree inserts);
//!   until then lookups by name, ID hash, phone… are slow, so finish before serving;
//! * foreign keys are not enforced by the database while loading (SQLite: `foreign_keys =
//!   OFF` on the loading connection; PostgreSQL: `session_replication_role = replica` when
//!   the role may set it, otherwise the triggers run): the in-memory check above stands in.
//!
//! SQLite: one dedicated connection with `journal_mode = WAL`, `synchronous = OFF`, a large
//! page cache, and one `BEGIN IMMEDIATE` transaction per call (callers pass ~50 k members),
//! written as multi-row `INSERT`s of at most [`SQLITE_MAX_VARS`] bound values each.
//! PostgreSQL: `COPY … FROM STDIN` (text format) on a dedicated `PgConnection`, since the
//! `Any` pool cannot COPY.

use std::time::Instant;

use chrono::NaiveDate;
use jiceng_domain::codes::Coded;
use jiceng_domain::member::{
    self as dm, Education, EventLite, Gender, MemberEventKind, MemberStatus, Occupation,
    VillagePost,
};
use jiceng_domain::org::{Field, OrgKind, SetupMode};
use serde::Serialize;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, Executor, QueryBuilder, Sqlite};
use std::str::FromStr;

use crate::audit::{self, Entry};
use crate::auth::Scope;
use crate::db::Backend;
use crate::error::{Result, StoreError};
use crate::Store;

/// SQLite's limit on bound values per statement (`SQLITE_MAX_VARIABLE_NUMBER` since 3.32).
pub const SQLITE_MAX_VARS: usize = 32_766;

const ORG_COLS: &str = "id, parent_id, path, depth, name, short_name, kind, field, setup_mode, founded, dissolved, region_code, term_start, province, version, created_at, updated_at";
const ORG_NCOLS: usize = 17;
const ORG_EVENT_COLS: &str = "org_id, kind, date, data, actor_id, recorded_at";
const ORG_EVENT_NCOLS: usize = 6;
const MEMBER_COLS: &str = "id, org_id, active, status, name, name_initials, name_pinyin, gender, ethnicity, birth_date, id_enc, id_hash, id_tail, native_place, education, occupation, phone, address, join_date, full_date, left_date, left_kind, village_post, floating, suspended, retired, pre1949_veteran, in_difficulty, holds_office, province, version, created_at, updated_at";
const MEMBER_NCOLS: usize = 33;
const EVENT_COLS: &str = "member_id, kind, date, org_id, data, actor_id, recorded_at, province";
const EVENT_NCOLS: usize = 8;

/// Rows per multi-row INSERT: as many as the bound-value limit allows.
const fn rows_per_insert(cols: usize) -> usize {
    SQLITE_MAX_VARS / cols
}

const _: () = assert!(rows_per_insert(MEMBER_NCOLS) * MEMBER_NCOLS <= SQLITE_MAX_VARS);
const _: () = assert!(rows_per_insert(MEMBER_NCOLS) >= 900);

/// An org to load. Ids are the caller's; the parent must have been loaded before.
#[derive(Debug, Clone)]
pub struct BulkOrg {
    /// Id.
    pub id: i64,
    /// Parent (`None` for the root).
    pub parent_id: Option<i64>,
    /// Materialized path, `/1/17/305/` (parent's path + id + `/`).
    pub path: String,
    /// Depth (root = 0).
    pub depth: i64,
    /// Full name.
    pub name: String,
    /// Short name.
    pub short_name: Option<String>,
    /// Kind.
    pub kind: OrgKind,
    /// Field.
    pub field: Field,
    /// Setup mode.
    pub setup_mode: SetupMode,
    /// Founded.
    pub founded: NaiveDate,
    /// Dissolved (a `dissolved` org event is written too).
    pub dissolved: Option<NaiveDate>,
    /// Division code (its first two digits give the `province` column, as in `create_org`).
    pub region_code: Option<String>,
    /// Start of the committee's term.
    pub term_start: Option<NaiveDate>,
}

/// One dated member event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BulkEvent {
    /// Kind.
    pub kind: MemberEventKind,
    /// Effective date.
    pub date: NaiveDate,
    /// Org (`joined`, `transferred_in`, `moved`).
    pub org_id: Option<i64>,
    /// For `transferred_in`: arrives as probationary.
    pub probationary: bool,
}

/// A member to load with their whole history (events sorted by date, in recording order).
#[derive(Debug, Clone)]
pub struct BulkMember {
    /// Id (the caller's; unique).
    pub id: i64,
    /// Name.
    pub name: String,
    /// Gender.
    pub gender: Gender,
    /// Ethnicity code (GB/T 3304, `01` = 汉族).
    pub ethnicity: &'static str,
    /// Birth date.
    pub birth: NaiveDate,
    /// ID number in clear (normalized GB 11643); encrypted and indexed on the way in.
    pub id_number: Option<String>,
    /// Native place.
    pub native_place: Option<String>,
    /// Education.
    pub education: Education,
    /// Occupation.
    pub occupation: Occupation,
    /// Phone.
    pub phone: Option<String>,
    /// Village post.
    pub village_post: Option<VillagePost>,
    /// Retired.
    pub retired: bool,
    /// Join date on the record (used when no `joined` event exists, e.g. transferred in).
    pub join_date: Option<NaiveDate>,
    /// Province column (top-level division of the member's org, for distribution).
    pub province: Option<String>,
    /// History.
    pub events: Vec<BulkEvent>,
}

/// Rows written by a load.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BulkCounts {
    /// Orgs.
    pub orgs: u64,
    /// Org events.
    pub org_events: u64,
    /// Members.
    pub members: u64,
    /// Member events.
    pub member_events: u64,
}

enum Conn {
    Sqlite(Box<SqliteConnection>),
    Postgres(Box<PgConnection>),
}

/// A set of non-negative ids below 2^32 (one bit each).
#[derive(Debug, Default)]
struct IdSet {
    bits: Vec<u64>,
}

impl IdSet {
    fn slot(id: i64) -> Option<(usize, u64)> {
        let id = u32::try_from(id).ok()? as usize;
        Some((id / 64, 1u64 << (id % 64)))
    }
    fn insert(&mut self, id: i64) -> bool {
        let Some((w, b)) = Self::slot(id) else {
            return false;
        };
        if self.bits.len() <= w {
            self.bits.resize(w + 1, 0);
        }
        self.bits[w] |= b;
        true
    }
    fn contains(&self, id: i64) -> bool {
        Self::slot(id).is_some_and(|(w, b)| self.bits.get(w).is_some_and(|x| x & b != 0))
    }
}

/// A member with every column computed, ready for either database.
struct MemberRow<'a> {
    m: &'a BulkMember,
    org_id: Option<i64>,
    active: i64,
    status: Option<&'static str>,
    initials: String,
    pinyin: String,
    id_enc: Option<String>,
    id_hash: Option<String>,
    id_tail: Option<String>,
    join_date: Option<String>,
    full_date: Option<String>,
    left_date: Option<String>,
    left_kind: Option<&'static str>,
    floating: i64,
    suspended: i64,
    pre1949: i64,
    holds_office: i64,
}

struct EventRow<'a> {
    member_id: i64,
    kind: &'static str,
    date: String,
    org_id: Option<i64>,
    data: &'static str,
    province: Option<&'a str>,
}

fn bad(message: String) -> StoreError {
    StoreError::invalid("bulk.invalid", message)
}

/// Loads orgs and members in bulk; see the module docs. Get one with [`Store::bulk_loader`].
pub struct BulkLoader {
    conn: Conn,
    crypto: crate::crypto::Crypto,
    now: String,
    actor_id: Option<i64>,
    orgs_known: IdSet,
    counts: BulkCounts,
    started: Instant,
    /// Secondary indexes dropped for the load (their `CREATE INDEX` statements), rebuilt
    /// by [`BulkLoader::finish`].
    dropped: Vec<String>,
}

/// Tables whose secondary indexes are dropped while loading into them empty.
const TABLES: &str = "'orgs', 'org_events', 'members', 'member_events'";

impl Store {
    /// A bulk loader on a dedicated connection to this store's database.
    pub async fn bulk_loader(&self, scope: &Scope) -> Result<BulkLoader> {
        let url = self.db.url();
        let mut conn = match self.db.backend() {
            Backend::Sqlite => {
                let opts = SqliteConnectOptions::from_str(url)
                    .map_err(|e| StoreError::Config(format!("数据库地址无效: {e}")))?
                    .create_if_missing(false)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Off)
                    .foreign_keys(false)
                    .busy_timeout(std::time::Duration::from_secs(30))
                    .pragma("cache_size", "-524288")
                    .pragma("temp_store", "MEMORY")
                    .disable_statement_logging();
                Conn::Sqlite(Box::new(SqliteConnection::connect_with(&opts).await?))
            }
            Backend::Postgres => {
                let opts = PgConnectOptions::from_str(url)
                    .map_err(|e| StoreError::Config(format!("数据库地址无效: {e}")))?
                    .disable_statement_logging();
                let mut c = PgConnection::connect_with(&opts).await?;
                c.execute("SET synchronous_commit = off").await?;
                // Superusers may skip the foreign-key triggers (checked in memory instead);
                // others keep them.
                if c.execute("SET session_replication_role = replica")
                    .await
                    .is_err()
                {
                    tracing::info!("bulk load: foreign-key triggers stay on (not superuser)");
                }
                Conn::Postgres(Box::new(c))
            }
        };
        // Into empty tables, secondary indexes are built once at the end (a sort) instead of
        // being updated row by row (random inserts into ever larger B-trees).
        let members: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM members")
            .fetch_one(self.db.pool())
            .await?;
        let mut dropped = Vec::new();
        if members == 0 {
            let (list, drop): (String, fn(&str) -> String) = match self.db.backend() {
                Backend::Sqlite => (
                    format!("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({TABLES}) ORDER BY name"),
                    |n| format!("DROP INDEX {n}"),
                ),
                Backend::Postgres => (
                    format!("SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid WHERE NOT i.indisprimary AND NOT i.indisunique AND t.relname IN ({TABLES}) AND t.relnamespace = current_schema()::regnamespace ORDER BY c.relname"),
                    |n| format!("DROP INDEX {n}"),
                ),
            };
            let rows: Vec<(String, String)> = match &mut conn {
                Conn::Sqlite(c) => sqlx::query_as(&list).fetch_all(&mut **c).await?,
                Conn::Postgres(c) => sqlx::query_as(&list).fetch_all(&mut **c).await?,
            };
            for (name, sql) in rows {
                match &mut conn {
                    Conn::Sqlite(c) => {
                        c.execute(drop(&name).as_str()).await?;
                    }
                    Conn::Postgres(c) => {
                        c.execute(drop(&name).as_str()).await?;
                    }
                }
                dropped.push(sql);
            }
        }
        let mut orgs_known = IdSet::default();
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM orgs")
            .fetch_all(self.db.pool())
            .await?;
        for id in ids {
            orgs_known.insert(id);
        }
        Ok(BulkLoader {
            conn,
            crypto: self.crypto.clone(),
            now: crate::now_ts(),
            actor_id: scope.user_id,
            orgs_known,
            counts: BulkCounts::default(),
            started: Instant::now(),
            dropped,
        })
    }
}

fn province_of(region: Option<&str>) -> Option<String> {
    region.map(|r| format!("{}0000", &r[..2.min(r.len())]))
}

fn org_created_data(o: &BulkOrg) -> String {
    serde_json::json!({"parent_id": o.parent_id, "name": o.name}).to_string()
}

impl BulkLoader {
    /// Rows written so far.
    pub fn counts(&self) -> BulkCounts {
        self.counts
    }

    /// Loads orgs (parents before children), with their `created` / `dissolved` events, in
    /// one transaction (SQLite) or one COPY per table (PostgreSQL).
    pub async fn orgs(&mut self, rows: &[BulkOrg]) -> Result<()> {
        for o in rows {
            if let Some(p) = o.parent_id {
                if !self.orgs_known.contains(p) {
                    return Err(bad(format!("组织 {} 的上级 {p} 尚未载入", o.id)));
                }
            }
            if !self.orgs_known.insert(o.id) {
                return Err(bad(format!("组织编号 {} 超出批量载入的范围", o.id)));
            }
        }
        let events: Vec<(i64, &'static str, String, String)> = rows
            .iter()
            .flat_map(|o| {
                let created = (o.id, "created", o.founded.to_string(), org_created_data(o));
                let dissolved = o
                    .dissolved
                    .map(|d| (o.id, "dissolved", d.to_string(), "{}".to_string()));
                std::iter::once(created).chain(dissolved)
            })
            .collect();
        let now = self.now.clone();
        let actor = self.actor_id;
        match &mut self.conn {
            Conn::Sqlite(c) => {
                let mut tx = c.begin_with("BEGIN IMMEDIATE").await?;
                for chunk in rows.chunks(rows_per_insert(ORG_NCOLS)) {
                    let mut qb =
                        QueryBuilder::<Sqlite>::new(format!("INSERT INTO orgs ({ORG_COLS}) "));
                    qb.push_values(chunk, |mut b, o| {
                        b.push_bind(o.id)
                            .push_bind(o.parent_id)
                            .push_bind(o.path.as_str())
                            .push_bind(o.depth)
                            .push_bind(o.name.as_str())
                            .push_bind(o.short_name.as_deref())
                            .push_bind(o.kind.code())
                            .push_bind(o.field.code())
                            .push_bind(o.setup_mode.code())
                            .push_bind(o.founded.to_string())
                            .push_bind(o.dissolved.map(|d| d.to_string()))
                            .push_bind(o.region_code.as_deref())
                            .push_bind(o.term_start.map(|d| d.to_string()))
                            .push_bind(province_of(o.region_code.as_deref()))
                            .push_bind(1i64)
                            .push_bind(now.as_str())
                            .push_bind(now.as_str());
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                for chunk in events.chunks(rows_per_insert(ORG_EVENT_NCOLS)) {
                    let mut qb = QueryBuilder::<Sqlite>::new(format!(
                        "INSERT INTO org_events ({ORG_EVENT_COLS}) "
                    ));
                    qb.push_values(chunk, |mut b, e| {
                        b.push_bind(e.0)
                            .push_bind(e.1)
                            .push_bind(e.2.as_str())
                            .push_bind(e.3.as_str())
                            .push_bind(actor)
                            .push_bind(now.as_str());
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                tx.commit().await?;
            }
            Conn::Postgres(c) => {
                let mut buf = CopyBuf::default();
                for o in rows {
                    buf.i64(o.id)
                        .opt_i64(o.parent_id)
                        .str(&o.path)
                        .i64(o.depth)
                        .str(&o.name)
                        .opt_str(o.short_name.as_deref())
                        .str(o.kind.code())
                        .str(o.field.code())
                        .str(o.setup_mode.code())
                        .str(&o.founded.to_string())
                        .opt_str(o.dissolved.map(|d| d.to_string()).as_deref())
                        .opt_str(o.region_code.as_deref())
                        .opt_str(o.term_start.map(|d| d.to_string()).as_deref())
                        .opt_str(province_of(o.region_code.as_deref()).as_deref())
                        .i64(1)
                        .str(&now)
                        .str(&now)
                        .end();
                }
                copy(c, "orgs", ORG_COLS, buf.0).await?;
                let mut buf = CopyBuf::default();
                for e in &events {
                    buf.i64(e.0)
                        .str(e.1)
                        .str(&e.2)
                        .str(&e.3)
                        .opt_i64(actor)
                        .str(&now)
                        .end();
                }
                copy(c, "org_events", ORG_EVENT_COLS, buf.0).await?;
            }
        }
        self.counts.orgs += rows.len() as u64;
        self.counts.org_events += events.len() as u64;
        Ok(())
    }

    fn member_row<'a>(&self, m: &'a BulkMember) -> Result<MemberRow<'a>> {
        let evs: Vec<EventLite> = m
            .events
            .iter()
            .map(|e| EventLite {
                date: e.date,
                kind: e.kind,
                org: e.org_id,
                probationary: e.probationary,
            })
            .collect();
        for e in &m.events {
            if let Some(o) = e.org_id {
                if !self.orgs_known.contains(o) {
                    return Err(bad(format!("党员 {} 的记载指向未载入的组织 {o}", m.id)));
                }
            }
        }
        if evs.windows(2).any(|w| w[1].date < w[0].date) {
            return Err(bad(format!("党员 {} 的记载未按日期排列", m.id)));
        }
        let st = dm::state_at(&evs, None);
        let last_end = evs.iter().rev().find(|e| e.kind.ends_membership());
        let joined = evs
            .iter()
            .rev()
            .find(|e| e.kind == MemberEventKind::Joined)
            .map(|e| e.date)
            .or(m.join_date);
        let full = evs
            .iter()
            .rev()
            .find(|e| e.kind == MemberEventKind::Converted)
            .map(|e| e.date);
        let (id_enc, id_hash, id_tail) = match &m.id_number {
            Some(id) => (
                Some(self.crypto.encrypt(id)?),
                Some(self.crypto.blind_index(id)),
                Some(id[id.len().saturating_sub(4)..].to_string()),
            ),
            None => (None, None, None),
        };
        let veteran_line = NaiveDate::from_ymd_opt(1949, 10, 1);
        let row = MemberRow {
            m,
            org_id: st.map(|s| s.org),
            active: i64::from(st.is_some()),
            status: st.map(|s| {
                if s.probationary {
                    MemberStatus::Probationary.code()
                } else {
                    MemberStatus::Full.code()
                }
            }),
            initials: jiceng_domain::pinyin_key::initials(&m.name),
            pinyin: jiceng_domain::pinyin_key::full(&m.name),
            id_enc,
            id_hash,
            id_tail,
            join_date: joined.map(|d| d.to_string()),
            full_date: full.map(|d| d.to_string()),
            left_date: if st.is_none() {
                last_end.map(|e| e.date.to_string())
            } else {
                None
            },
            left_kind: if st.is_none() {
                last_end.map(|e| e.kind.code())
            } else {
                None
            },
            floating: i64::from(st.is_some_and(|s| s.floating)),
            suspended: i64::from(st.is_some_and(|s| s.suspended)),
            pre1949: i64::from(joined.zip(veteran_line).is_some_and(|(j, v)| j < v)),
            holds_office: i64::from(m.village_post.is_some()),
        };
        Ok(row)
    }

    /// Loads members with their events: one transaction (SQLite) or one COPY per table
    /// (PostgreSQL) for the whole slice, so pass ~50 k members at a time.
    pub async fn members(&mut self, members: &[BulkMember]) -> Result<()> {
        let mut rows = Vec::with_capacity(members.len());
        for m in members {
            rows.push(self.member_row(m)?);
        }
        let events: Vec<EventRow<'_>> = members
            .iter()
            .flat_map(|m| {
                m.events.iter().map(move |e| EventRow {
                    member_id: m.id,
                    kind: e.kind.code(),
                    date: e.date.to_string(),
                    org_id: e.org_id,
                    data: match (e.kind, e.probationary) {
                        (MemberEventKind::TransferredIn, true) => {
                            r#"{"letter_no":null,"probationary":true}"#
                        }
                        (MemberEventKind::TransferredIn, false) => {
                            r#"{"letter_no":null,"probationary":false}"#
                        }
                        _ => "{}",
                    },
                    province: m.province.as_deref(),
                })
            })
            .collect();
        let now = self.now.clone();
        let actor = self.actor_id;
        match &mut self.conn {
            Conn::Sqlite(c) => {
                let mut tx = c.begin_with("BEGIN IMMEDIATE").await?;
                for chunk in rows.chunks(rows_per_insert(MEMBER_NCOLS)) {
                    let mut qb = QueryBuilder::<Sqlite>::new(format!(
                        "INSERT INTO members ({MEMBER_COLS}) "
                    ));
                    qb.push_values(chunk, |mut b, r| {
                        let m = r.m;
                        b.push_bind(m.id)
                            .push_bind(r.org_id)
                            .push_bind(r.active)
                            .push_bind(r.status)
                            .push_bind(m.name.as_str())
                            .push_bind(r.initials.as_str())
                            .push_bind(r.pinyin.as_str())
                            .push_bind(m.gender.code())
                            .push_bind(m.ethnicity)
                            .push_bind(m.birth.to_string())
                            .push_bind(r.id_enc.as_deref())
                            .push_bind(r.id_hash.as_deref())
                            .push_bind(r.id_tail.as_deref())
                            .push_bind(m.native_place.as_deref())
                            .push_bind(m.education.code())
                            .push_bind(m.occupation.code())
                            .push_bind(m.phone.as_deref())
                            .push_bind(None::<&str>)
                            .push_bind(r.join_date.as_deref())
                            .push_bind(r.full_date.as_deref())
                            .push_bind(r.left_date.as_deref())
                            .push_bind(r.left_kind)
                            .push_bind(m.village_post.map(|p| p.code()))
                            .push_bind(r.floating)
                            .push_bind(r.suspended)
                            .push_bind(i64::from(m.retired))
                            .push_bind(r.pre1949)
                            .push_bind(0i64)
                            .push_bind(r.holds_office)
                            .push_bind(m.province.as_deref())
                            .push_bind(1i64)
                            .push_bind(now.as_str())
                            .push_bind(now.as_str());
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                for chunk in events.chunks(rows_per_insert(EVENT_NCOLS)) {
                    let mut qb = QueryBuilder::<Sqlite>::new(format!(
                        "INSERT INTO member_events ({EVENT_COLS}) "
                    ));
                    qb.push_values(chunk, |mut b, e| {
                        b.push_bind(e.member_id)
                            .push_bind(e.kind)
                            .push_bind(e.date.as_str())
                            .push_bind(e.org_id)
                            .push_bind(e.data)
                            .push_bind(actor)
                            .push_bind(now.as_str())
                            .push_bind(e.province);
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                tx.commit().await?;
            }
            Conn::Postgres(c) => {
                let mut buf = CopyBuf::default();
                for r in &rows {
                    let m = r.m;
                    buf.i64(m.id)
                        .opt_i64(r.org_id)
                        .i64(r.active)
                        .opt_str(r.status)
                        .str(&m.name)
                        .str(&r.initials)
                        .str(&r.pinyin)
                        .str(m.gender.code())
                        .str(m.ethnicity)
                        .str(&m.birth.to_string())
                        .opt_str(r.id_enc.as_deref())
                        .opt_str(r.id_hash.as_deref())
                        .opt_str(r.id_tail.as_deref())
                        .opt_str(m.native_place.as_deref())
                        .str(m.education.code())
                        .str(m.occupation.code())
                        .opt_str(m.phone.as_deref())
                        .opt_str(None)
                        .opt_str(r.join_date.as_deref())
                        .opt_str(r.full_date.as_deref())
                        .opt_str(r.left_date.as_deref())
                        .opt_str(r.left_kind)
                        .opt_str(m.village_post.map(|p| p.code()))
                        .i64(r.floating)
                        .i64(r.suspended)
                        .i64(i64::from(m.retired))
                        .i64(r.pre1949)
                        .i64(0)
                        .i64(r.holds_office)
                        .opt_str(m.province.as_deref())
                        .i64(1)
                        .str(&now)
                        .str(&now)
                        .end();
                }
                copy(c, "members", MEMBER_COLS, buf.0).await?;
                let mut buf = CopyBuf::default();
                for e in &events {
                    buf.i64(e.member_id)
                        .str(e.kind)
                        .str(&e.date)
                        .opt_i64(e.org_id)
                        .str(e.data)
                        .opt_i64(actor)
                        .str(&now)
                        .opt_str(e.province)
                        .end();
                }
                copy(c, "member_events", EVENT_COLS, buf.0).await?;
            }
        }
        self.counts.members += rows.len() as u64;
        self.counts.member_events += events.len() as u64;
        Ok(())
    }

    /// Ends the load: PostgreSQL identity sequences moved past the loaded ids and planner
    /// statistics refreshed; then the ONE audit entry of the load (`demo.bulk_load`, with
    /// the counts, the seconds taken and the caller's `detail`).
    pub async fn finish(
        self,
        store: &Store,
        scope: &Scope,
        detail: serde_json::Value,
    ) -> Result<BulkCounts> {
        let counts = self.counts;
        let seconds = self.started.elapsed().as_secs_f64();
        match self.conn {
            Conn::Sqlite(c) => {
                let mut c = *c;
                for sql in &self.dropped {
                    c.execute(sql.as_str()).await?;
                }
                c.execute("PRAGMA wal_checkpoint(TRUNCATE)").await?;
                c.close().await?;
            }
            Conn::Postgres(c) => {
                let mut c = *c;
                c.execute("SET session_replication_role = origin")
                    .await
                    .ok();
                c.execute("SET maintenance_work_mem = '1GB'").await.ok();
                for sql in &self.dropped {
                    c.execute(sql.as_str()).await?;
                }
                for t in ["orgs", "members"] {
                    c.execute(
                        format!(
                            "SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM {t}), false)"
                        )
                        .as_str(),
                    )
                    .await?;
                }
                c.execute("ANALYZE orgs, org_events, members, member_events")
                    .await?;
                c.close().await?;
            }
        }
        let mut after = serde_json::json!({
            "counts": counts,
            "seconds": (seconds * 10.0).round() / 10.0,
        });
        if let (Some(obj), serde_json::Value::Object(extra)) = (after.as_object_mut(), detail) {
            obj.extend(extra);
        }
        let mut tx = store.db.begin().await?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "demo.bulk_load",
                entity: "bulk_load",
                entity_id: None,
                scope_path: None,
                before: None,
                after: Some(after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(counts)
    }
}

/// Sends one table's rows with `COPY … FROM STDIN` (text format) in pieces of 4 MiB.
async fn copy(c: &mut PgConnection, table: &str, cols: &str, data: Vec<u8>) -> Result<()> {
    if data.is_empty() {
        return Ok(());
    }
    let mut sink = c
        .copy_in_raw(&format!("COPY {table} ({cols}) FROM STDIN"))
        .await?;
    for piece in data.chunks(4 << 20) {
        sink.send(piece).await?;
    }
    sink.finish().await?;
    Ok(())
}

/// Rows in PostgreSQL's COPY text format: tab-separated, `\N` for NULL, backslash escapes.
#[derive(Default)]
struct CopyBuf(Vec<u8>, bool);

impl CopyBuf {
    fn sep(&mut self) {
        if self.1 {
            self.0.push(b'\t');
        }
        self.1 = true;
    }
    fn str(&mut self, s: &str) -> &mut Self {
        self.sep();
        for b in s.bytes() {
            match b {
                b'\\' => self.0.extend_from_slice(b"\\\\"),
                b'\t' => self.0.extend_from_slice(b"\\t"),
                b'\n' => self.0.extend_from_slice(b"\\n"),
                b'\r' => self.0.extend_from_slice(b"\\r"),
                _ => self.0.push(b),
            }
        }
        self
    }
    fn opt_str(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => self.str(s),
            None => {
                self.sep();
                self.0.extend_from_slice(b"\\N");
                self
            }
        }
    }
    fn i64(&mut self, v: i64) -> &mut Self {
        self.sep();
        self.0.extend_from_slice(v.to_string().as_bytes());
        self
    }
    fn opt_i64(&mut self, v: Option<i64>) -> &mut Self {
        match v {
            Some(v) => self.i64(v),
            None => self.opt_str(None),
        }
    }
    fn end(&mut self) {
        self.0.push(b'\n');
        self.1 = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes() {
        let mut b = CopyBuf::default();
        b.str("a\tb\\c\nd").opt_str(None).i64(-3).end();
        assert_eq!(b.0, b"a\\tb\\\\c\\nd\t\\N\t-3\n".to_vec());
    }

    #[test]
    fn id_set() {
        let mut s = IdSet::default();
        assert!(s.insert(0) && s.insert(64) && s.insert(1_000_000));
        assert!(s.contains(64) && s.contains(1_000_000) && !s.contains(63));
        assert!(!s.insert(-1) && !s.contains(-1) && !s.insert(1 << 40));
    }

    #[test]
    fn batches_fit_sqlite_limit() {
        for n in [ORG_NCOLS, ORG_EVENT_NCOLS, MEMBER_NCOLS, EVENT_NCOLS] {
            assert!(rows_per_insert(n) * n <= SQLITE_MAX_VARS);
        }
        assert_eq!(ORG_COLS.split(',').count(), ORG_NCOLS);
        assert_eq!(ORG_EVENT_COLS.split(',').count(), ORG_EVENT_NCOLS);
        assert_eq!(MEMBER_COLS.split(',').count(), MEMBER_NCOLS);
        assert_eq!(EVENT_COLS.split(',').count(), EVENT_NCOLS);
    }
}
