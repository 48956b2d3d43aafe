//! Feeding the in-memory statistics engine ([`jiceng_stats::engine`]) from the database:
//! the whole history at start-up (streamed, never held as rows), one member's history for
//! the write path, the org tree for restructures.
//!
//! The decoding here is the same as the plain-SQL snapshot's (`report.rs`): members whose
//! gender, birth date, education or occupation do not parse are never counted, events go
//! through the same `event_lite`, ethnicity through `is_minority`, so both paths see the
//! same data.
//!
//! The bulk read at start-up ([`Store::load_engine_with_progress`]) is one query, events
//! joined with their member's attributes in (member, date, id) order; both databases walk
//! the `member_events_member (member_id, date, id)` index and look the member up by its
//! primary key, so nothing is sorted. It bypasses sqlx's `Any` driver, which copies every
//! value of every row into an owned `String` (and sqlx's SQLite driver, which copies
//! every value into its own allocation: at two million members that was 34 s, mostly
//! `malloc` and lock hand-offs between threads):
//! * SQLite: `rusqlite` (the same bundled libsqlite3 as sqlx) on a dedicated read-only
//!   connection in a blocking thread, column values borrowed from SQLite's row buffer,
//!   decoded there and handed to the loader in batches, so reading and building overlap;
//! * PostgreSQL: `COPY (…) TO STDOUT` in text format on a dedicated connection, split and
//!   parsed in place.
//!
//! The event's JSON `data` is selected only for `transferred_in` events (the only kind
//! whose `probationary` flag is read), the member's attributes are decoded once per
//! member, dates through a fast path for `YYYY-MM-DD`. An in-memory SQLite database (one
//! connection, unreachable from another) is read through the pool.

use std::borrow::Cow;
use std::str::FromStr;

use chrono::NaiveDate;
use futures_util::TryStreamExt;
use jiceng_domain::codes::Coded;
use jiceng_domain::member::{
    Education, EventLite, Gender, MemberEventKind, Occupation, VillagePost,
};
use jiceng_domain::org::{Field, OrgKind, SetupMode};
use jiceng_stats::engine::{Engine, EngineError, Loader, MemberAttrs, OrgRow};
use sqlx::any::AnyRow;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{ConnectOptions, Connection, Row};

use crate::db::{sqlite_path, Backend};
use crate::error::{Result, StoreError};
use crate::member::{event_lite, event_lite_opt, parse_ymd};
use crate::Store;

/// Member columns the engine needs, in this order after the event columns.
const ATTR_COLUMNS: &str =
    "m.gender, m.birth_date, m.ethnicity, m.education, m.occupation, m.village_post, m.join_date";

/// Columns of the bulk read: member id, the event's kind, date, org and (for
/// `transferred_in` only, else NULL) data, then [`ATTR_COLUMNS`].
const STREAM_COLUMNS: usize = 12;

/// Event rows between two calls of the progress callback of
/// [`Store::load_engine_with_progress`].
pub const PROGRESS_ROWS: u64 = 100_000;

fn engine_error(e: EngineError) -> StoreError {
    StoreError::invalid("stats.engine", e.to_string())
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    parse_ymd(s)
}

/// The bulk read (see the module docs).
fn stream_sql() -> String {
    format!(
        "SELECT e.member_id, e.kind, e.date, e.org_id, \
         CASE WHEN e.kind = '{}' THEN e.data END, {ATTR_COLUMNS} \
         FROM member_events e JOIN members m ON m.id = e.member_id \
         ORDER BY e.member_id, e.date, e.id",
        MemberEventKind::TransferredIn.code()
    )
}

/// The stored text of a member's attribute columns ([`ATTR_COLUMNS`]).
struct AttrText<'a> {
    gender: &'a str,
    birth: &'a str,
    ethnicity: &'a str,
    education: &'a str,
    occupation: &'a str,
    village_post: Option<&'a str>,
    join_date: Option<&'a str>,
}

/// The member's attributes; `None` when the snapshot would skip the member.
fn attrs_of(t: &AttrText<'_>) -> Option<MemberAttrs> {
    Some(MemberAttrs {
        gender: Gender::from_code(t.gender)?,
        birth: parse_date(t.birth)?,
        minority: jiceng_domain::ethnicity::is_minority(t.ethnicity),
        education: Education::from_code(t.education)?,
        occupation: Occupation::from_code(t.occupation)?,
        village_post: t.village_post.and_then(VillagePost::from_code),
        join_date: t.join_date.and_then(parse_date),
    })
}

/// Member attributes from the columns of [`ATTR_COLUMNS`] starting at `at`; `None` when
/// the snapshot would skip the member.
fn attrs_at(r: &AnyRow, at: usize) -> Result<Option<MemberAttrs>> {
    Ok(attrs_of(&AttrText {
        gender: r.try_get(at)?,
        birth: r.try_get(at + 1)?,
        ethnicity: r.try_get(at + 2)?,
        education: r.try_get(at + 3)?,
        occupation: r.try_get(at + 4)?,
        village_post: r.try_get(at + 5)?,
        join_date: r.try_get(at + 6)?,
    }))
}

/// An event from the `kind, date, org_id, data` columns starting at `at`.
fn event_at(r: &AnyRow, at: usize) -> Result<Option<EventLite>> {
    Ok(event_lite(
        r.try_get(at)?,
        r.try_get(at + 1)?,
        r.try_get(at + 2)?,
        r.try_get(at + 3)?,
    ))
}

/// Hands the rows of the bulk read to the [`Loader`]: a new member at each change of id
/// (attributes decoded then, once), every event, the progress callback every
/// [`PROGRESS_ROWS`] rows.
struct Feed<P> {
    loader: Loader,
    current: Option<i64>,
    read: u64,
    progress: P,
}

impl<P: FnMut(u64)> Feed<P> {
    /// Counts `rows` read, calling the progress callback on every [`PROGRESS_ROWS`] passed.
    fn counted(&mut self, rows: u64) {
        let before = self.read / PROGRESS_ROWS;
        self.read += rows;
        if self.read / PROGRESS_ROWS != before {
            (self.progress)(self.read);
        }
    }

    /// One row of the bulk read; `attrs` is called only when the member changes.
    fn row(
        &mut self,
        member_id: i64,
        attrs: impl FnOnce() -> Result<Option<MemberAttrs>>,
        event: Option<EventLite>,
    ) -> Result<()> {
        self.counted(1);
        if self.current != Some(member_id) {
            self.loader
                .begin_member(member_id, attrs()?)
                .map_err(engine_error)?;
            self.current = Some(member_id);
        }
        if let Some(e) = event {
            self.loader.push_event(e);
        }
        Ok(())
    }
}

/// What the SQLite reader thread hands over: in stream order, a member starts (with the
/// attributes, decoded once) and their events follow.
enum Rec {
    Member(i64, Option<MemberAttrs>),
    Event(EventLite),
}

/// Records per batch sent from the SQLite reader thread.
const BATCH: usize = 16_384;

fn sqlite_error(e: impl std::fmt::Display) -> StoreError {
    StoreError::invalid("stats.engine", format!("读取 SQLite 数据库出错：{e}"))
}

fn sqlite_text(v: rusqlite::types::ValueRef<'_>) -> Result<&str> {
    v.as_str().map_err(sqlite_error)
}

fn sqlite_opt_text(v: rusqlite::types::ValueRef<'_>) -> Result<Option<&str>> {
    v.as_str_or_null().map_err(sqlite_error)
}

/// The blocking half of the SQLite bulk read: runs [`stream_sql`] on its own read-only
/// connection to `path` and sends the decoded rows in batches of [`BATCH`] records
/// (with the number of rows they came from). Stops when the receiver is gone.
fn sqlite_reader(
    path: &std::path::Path,
    sql: &str,
    out: &tokio::sync::mpsc::Sender<Result<(u64, Vec<Rec>)>>,
) -> Result<()> {
    use rusqlite::OpenFlags;
    let conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sqlite_error)?;
    conn.busy_timeout(std::time::Duration::from_secs(30))
        .map_err(sqlite_error)?;
    // 64 MiB of page cache (a memory map was tried: no faster, and it shows the mapped
    // file as resident memory).
    conn.execute_batch("PRAGMA cache_size = -65536")
        .map_err(sqlite_error)?;
    let mut stmt = conn.prepare(sql).map_err(sqlite_error)?;
    let mut rows = stmt.query([]).map_err(sqlite_error)?;
    let mut current: Option<i64> = None;
    let mut batch = Vec::with_capacity(BATCH + 1);
    let mut read: u64 = 0;
    while let Some(r) = rows.next().map_err(sqlite_error)? {
        let col = |i: usize| r.get_ref(i).map_err(sqlite_error);
        read += 1;
        let member_id = col(0)?.as_i64().map_err(sqlite_error)?;
        if current != Some(member_id) {
            let attrs = attrs_of(&AttrText {
                gender: sqlite_text(col(5)?)?,
                birth: sqlite_text(col(6)?)?,
                ethnicity: sqlite_text(col(7)?)?,
                education: sqlite_text(col(8)?)?,
                occupation: sqlite_text(col(9)?)?,
                village_post: sqlite_opt_text(col(10)?)?,
                join_date: sqlite_opt_text(col(11)?)?,
            });
            batch.push(Rec::Member(member_id, attrs));
            current = Some(member_id);
        }
        let event = event_lite_opt(
            sqlite_text(col(1)?)?,
            sqlite_text(col(2)?)?,
            col(3)?.as_i64_or_null().map_err(sqlite_error)?,
            sqlite_opt_text(col(4)?)?,
        );
        if let Some(e) = event {
            batch.push(Rec::Event(e));
        }
        if batch.len() >= BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH + 1));
            if out.blocking_send(Ok((read, full))).is_err() {
                return Ok(());
            }
            read = 0;
        }
    }
    if read > 0 || !batch.is_empty() {
        let _ = out.blocking_send(Ok((read, batch)));
    }
    Ok(())
}

fn copy_error(message: impl std::fmt::Display) -> StoreError {
    StoreError::invalid("stats.engine", format!("读取 COPY 数据出错：{message}"))
}

/// One field of PostgreSQL's COPY text format: `\N` is NULL, backslash escapes are
/// undone (only when there is a backslash, so plain fields are borrowed).
fn copy_field(raw: &[u8]) -> Result<Option<Cow<'_, str>>> {
    if raw == b"\\N" {
        return Ok(None);
    }
    if !raw.contains(&b'\\') {
        return std::str::from_utf8(raw)
            .map(|s| Some(Cow::Borrowed(s)))
            .map_err(copy_error);
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let c = raw[i];
        i += 1;
        if c != b'\\' || i == raw.len() {
            out.push(c);
            continue;
        }
        let e = raw[i];
        i += 1;
        match e {
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'0'..=b'7' => {
                let mut v = u32::from(e - b'0');
                for _ in 0..2 {
                    match raw.get(i) {
                        Some(d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push((v & 0xff) as u8);
            }
            b'x' if raw.get(i).is_some_and(u8::is_ascii_hexdigit) => {
                let mut v = 0u32;
                for _ in 0..2 {
                    match raw.get(i).and_then(|d| (*d as char).to_digit(16)) {
                        Some(d) => {
                            v = v * 16 + d;
                            i += 1;
                        }
                        None => break,
                    }
                }
                out.push(v as u8);
            }
            other => out.push(other),
        }
    }
    String::from_utf8(out)
        .map(|s| Some(Cow::Owned(s)))
        .map_err(copy_error)
}

/// One line of the COPY output of [`stream_sql`], into `feed`.
fn feed_copy_line<P: FnMut(u64)>(line: &[u8], feed: &mut Feed<P>) -> Result<()> {
    let mut f: [Option<Cow<'_, str>>; STREAM_COLUMNS] = Default::default();
    let mut n = 0;
    for raw in line.split(|c| *c == b'\t') {
        if n == STREAM_COLUMNS {
            return Err(copy_error("列数不符"));
        }
        f[n] = copy_field(raw)?;
        n += 1;
    }
    if n != STREAM_COLUMNS {
        return Err(copy_error("列数不符"));
    }
    let not_null = |i: usize| -> Result<&str> {
        f[i].as_deref()
            .ok_or_else(|| copy_error(format!("第 {} 列为空", i + 1)))
    };
    let int = |s: &str| -> Result<i64> { s.parse().map_err(copy_error) };
    let member_id = int(not_null(0)?)?;
    let org = f[3].as_deref().map(int).transpose()?;
    let event = event_lite_opt(not_null(1)?, not_null(2)?, org, f[4].as_deref());
    feed.row(
        member_id,
        || {
            Ok(attrs_of(&AttrText {
                gender: not_null(5)?,
                birth: not_null(6)?,
                ethnicity: not_null(7)?,
                education: not_null(8)?,
                occupation: not_null(9)?,
                village_post: f[10].as_deref(),
                join_date: f[11].as_deref(),
            }))
        },
        event,
    )
}

impl Store {
    /// The org tree in depth-first order, as the engine takes it. Ordered by path in Rust
    /// (byte order), so the result does not depend on the database's collation. An org
    /// whose codes or founding date do not parse is given an empty life (founded =
    /// dissolved): the snapshot never counts it either.
    pub async fn engine_orgs(&self) -> Result<Vec<OrgRow>> {
        let mut rows = sqlx::query(
            "SELECT id, parent_id, kind, field, setup_mode, founded, dissolved, path FROM orgs",
        )
        .fetch(self.db.pool());
        let mut out: Vec<(String, OrgRow)> = Vec::new();
        while let Some(r) = rows.try_next().await? {
            let founded = parse_date(&r.try_get::<String, _>(5)?);
            let dissolved: Option<String> = r.try_get(6)?;
            let kind = OrgKind::from_code(&r.try_get::<String, _>(2)?);
            let field = Field::from_code(&r.try_get::<String, _>(3)?);
            let setup = SetupMode::from_code(&r.try_get::<String, _>(4)?);
            let parsed = match (kind, field, setup, founded) {
                (Some(k), Some(f), Some(s), Some(d)) => Some((k, f, s, d)),
                _ => None,
            };
            let never = NaiveDate::MIN;
            let (kind, field, setup_mode, founded) =
                parsed.unwrap_or((OrgKind::Branch, Field::Other, SetupMode::Standalone, never));
            out.push((
                r.try_get(7)?,
                OrgRow {
                    id: r.try_get(0)?,
                    parent_id: r.try_get(1)?,
                    kind,
                    field,
                    setup_mode,
                    founded,
                    dissolved: if parsed.is_some() {
                        dissolved.as_deref().and_then(parse_date)
                    } else {
                        Some(never)
                    },
                },
            ));
        }
        out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Ok(out.into_iter().map(|x| x.1).collect())
    }

    /// Builds the statistics engine from the whole database: the org tree, then every
    /// member event joined with its member's attributes, streamed in (member, date, id)
    /// order through one cursor on a dedicated connection (see the module docs). Memory:
    /// the engine plus one member's events.
    pub async fn load_engine(&self) -> Result<Engine> {
        self.load_engine_with_progress(|_| {}).await
    }

    /// [`Store::load_engine`], calling `progress` with the number of event rows read so far
    /// every [`PROGRESS_ROWS`] rows (for a progress bar on the CLI; the total to expect is
    /// [`Store::engine_load_rows`]).
    pub async fn load_engine_with_progress(
        &self,
        progress: impl FnMut(u64) + Send,
    ) -> Result<Engine> {
        let loader = Loader::new(self.engine_orgs().await?).map_err(engine_error)?;
        let mut feed = Feed {
            loader,
            current: None,
            read: 0,
            progress,
        };
        let sql = stream_sql();
        let url = self.db.url();
        match self.db.backend() {
            Backend::Sqlite => match sqlite_path(url) {
                Some(path) => {
                    let (tx, mut rx) = tokio::sync::mpsc::channel(4);
                    let reader = tokio::task::spawn_blocking(move || {
                        if let Err(e) = sqlite_reader(&path, &sql, &tx) {
                            let _ = tx.blocking_send(Err(e));
                        }
                    });
                    while let Some(batch) = rx.recv().await {
                        let (rows, recs) = batch?;
                        for rec in recs {
                            match rec {
                                Rec::Member(id, attrs) => {
                                    feed.loader.begin_member(id, attrs).map_err(engine_error)?
                                }
                                Rec::Event(e) => feed.loader.push_event(e),
                            }
                        }
                        feed.counted(rows);
                    }
                    // The channel also closes when the reader panicked: only a clean end
                    // of the reader means every row was read.
                    reader
                        .await
                        .map_err(|e| sqlite_error(format!("读取线程异常结束：{e}")))?;
                }
                // In memory: only the pool's one connection sees the data.
                None => {
                    let mut rows = sqlx::query(&sql).fetch(self.db.pool());
                    while let Some(r) = rows.try_next().await? {
                        let event = event_lite_opt(
                            r.try_get(1)?,
                            r.try_get(2)?,
                            r.try_get(3)?,
                            r.try_get(4)?,
                        );
                        feed.row(r.try_get(0)?, || attrs_at(&r, 5), event)?;
                    }
                }
            },
            Backend::Postgres => {
                let opts = PgConnectOptions::from_str(url)
                    .map_err(|e| StoreError::Config(format!("数据库地址无效: {e}")))?
                    .disable_statement_logging();
                let mut conn = PgConnection::connect_with(&opts).await?;
                {
                    let mut chunks = conn
                        .copy_out_raw(&format!("COPY ({sql}) TO STDOUT"))
                        .await?;
                    // COPY sends one row per message; a line split across two is joined.
                    let mut carry: Vec<u8> = Vec::new();
                    while let Some(chunk) = chunks.try_next().await? {
                        let mut buf: &[u8] = &chunk;
                        if !carry.is_empty() {
                            let Some(i) = buf.iter().position(|c| *c == b'\n') else {
                                carry.extend_from_slice(buf);
                                continue;
                            };
                            carry.extend_from_slice(&buf[..i]);
                            feed_copy_line(&carry, &mut feed)?;
                            carry.clear();
                            buf = &buf[i + 1..];
                        }
                        while let Some(i) = buf.iter().position(|c| *c == b'\n') {
                            feed_copy_line(&buf[..i], &mut feed)?;
                            buf = &buf[i + 1..];
                        }
                        carry.extend_from_slice(buf);
                    }
                    if !carry.is_empty() {
                        return Err(copy_error("数据不完整"));
                    }
                }
                conn.close().await?;
            }
        }
        feed.loader.finish().map_err(engine_error)
    }

    /// The number of event rows [`Store::load_engine_with_progress`] will read, for a
    /// progress bar: exact on SQLite (`COUNT(*)`, which walks the smallest index), the
    /// planner's estimate on PostgreSQL (`pg_class.reltuples`, instant; a count only when
    /// the table was never analysed), so a bar may end a little before or after 100 %.
    pub async fn engine_load_rows(&self) -> Result<u64> {
        if self.db.backend() == Backend::Postgres {
            let estimate: Option<f64> = sqlx::query_scalar(
                "SELECT reltuples::float8 FROM pg_class WHERE oid = to_regclass('member_events')",
            )
            .fetch_optional(self.db.pool())
            .await?
            .flatten();
            if let Some(n) = estimate.filter(|n| *n > 0.0) {
                return Ok(n as u64);
            }
        }
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM member_events")
            .fetch_one(self.db.pool())
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// One member's attributes (`None` when absent or not countable) and whole history,
    /// for [`Engine::apply_member`] after a write commits.
    pub async fn engine_member(
        &self,
        member_id: i64,
    ) -> Result<(Option<MemberAttrs>, Vec<EventLite>)> {
        let attrs = sqlx::query(&format!(
            "SELECT {ATTR_COLUMNS} FROM members m WHERE m.id = $1"
        ))
        .bind(member_id)
        .fetch_optional(self.db.pool())
        .await?;
        let attrs = match attrs {
            Some(r) => attrs_at(&r, 0)?,
            None => None,
        };
        let rows = sqlx::query(
            "SELECT kind, date, org_id, data FROM member_events WHERE member_id = $1 ORDER BY date, id",
        )
        .bind(member_id)
        .fetch_all(self.db.pool())
        .await?;
        let mut events = Vec::with_capacity(rows.len());
        for r in rows {
            if let Some(e) = event_at(&r, 0)? {
                events.push(e);
            }
        }
        Ok((attrs, events))
    }

    /// Brings the engine up to date with one member after a committed write.
    pub async fn refresh_engine_member(&self, engine: &mut Engine, member_id: i64) -> Result<()> {
        let (attrs, events) = self.engine_member(member_id).await?;
        engine
            .apply_member(member_id, &events, attrs.as_ref())
            .map_err(engine_error)
    }

    /// Gives the engine the current org tree (after an org is created, moved or changed).
    pub async fn refresh_engine_orgs(&self, engine: &mut Engine) -> Result<()> {
        engine
            .rebuild(self.engine_orgs().await?)
            .map_err(engine_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_dates_are_chronos_dates() {
        for s in [
            "2024-12-31",
            "2024-02-29",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "0000-01-01",
            "1949-10-01",
            "2024-1-5",
            " 2024-01-05",
            "2024-01-05 ",
            "2024/01/05",
            "+2024-01-05",
            "２０２４-01-05",
            "20240105",
            "",
        ] {
            assert_eq!(
                parse_ymd(s),
                NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn copy_fields() {
        let f = |b: &[u8]| copy_field(b).unwrap().map(|c| c.into_owned());
        assert_eq!(f(b"\\N"), None);
        assert_eq!(f(b""), Some(String::new()));
        assert_eq!(f("党员".as_bytes()), Some("党员".into()));
        assert_eq!(
            f(br#"{"a":"x\ty\nz\\w"}"#),
            Some("{\"a\":\"x\ty\nz\\w\"}".into())
        );
        assert_eq!(f(b"\\101\\x42\\q"), Some("ABq".into()));
        assert!(copy_field(b"\xff").is_err());
    }

    #[test]
    fn copy_lines_feed_the_loader() {
        let orgs = vec![OrgRow {
            id: 1,
            parent_id: None,
            kind: OrgKind::Branch,
            field: Field::Rural,
            setup_mode: SetupMode::Standalone,
            founded: NaiveDate::from_ymd_opt(1950, 1, 1).unwrap(),
            dissolved: None,
        }];
        let mut feed = Feed {
            loader: Loader::new(orgs).unwrap(),
            current: None,
            read: 0,
            progress: |_| {},
        };
        let attrs = "2\t1980-01-01\t01\tbachelor\tworker\t\\N\t\\N";
        for line in [
            format!("7\ttransferred_in\t2005-03-01\t1\t{{\"probationary\":true,\"note\":\"a\\\\tb\"}}\t{attrs}"),
            format!("7\tconverted\t2006-01-01\t\\N\t\\N\t{attrs}"),
            format!("9\tjoined\t2010-07-01\t1\t\\N\t{attrs}"),
        ] {
            feed_copy_line(line.as_bytes(), &mut feed).unwrap();
        }
        assert!(feed_copy_line(b"9\tjoined\t2010-07-01", &mut feed).is_err());
        assert!(feed_copy_line(
            b"x\tjoined\t2010-07-01\t1\t\\N\tf\tb\te\te\to\t\\N\t\\N",
            &mut feed
        )
        .is_err());
        assert_eq!(feed.read, 3);
        let engine = feed.loader.finish().unwrap();
        let c = engine
            .counts(1, NaiveDate::from_ymd_opt(2005, 7, 1).unwrap())
            .unwrap();
        assert_eq!((c.total, c.probationary), (1, 1));
        let c = engine
            .counts(1, NaiveDate::from_ymd_opt(2011, 1, 1).unwrap())
            .unwrap();
        // Member 9 joined in 2010 and was never converted: probationary.
        assert_eq!((c.total, c.probationary), (2, 1));
    }
}
