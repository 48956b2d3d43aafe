//! Feeding the in-memory statistics engine ([`jiceng_stats::engine`]) from the database:
//! the whole history at start-up (streamed, never held as rows), one member's history for
//! the write path, the org tree for restructures.
//!
//! The decoding here is the same as the plain-SQL snapshot's (`report.rs`): members whose
//! gender, birth date, education or occupation do not parse are never counted, events go
//! through the same `event_lite`, ethnicity through `is_minority`, so both paths see the
//! same data.

use chrono::NaiveDate;
use futures_util::TryStreamExt;
use jiceng_domain::codes::Coded;
use jiceng_domain::member::{Education, EventLite, Gender, Occupation, VillagePost};
use jiceng_domain::org::{Field, OrgKind, SetupMode};
use jiceng_stats::engine::{Engine, EngineError, Loader, MemberAttrs, OrgRow};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::{Result, StoreError};
use crate::member::event_lite;
use crate::Store;

/// Member columns the engine needs, in this order after the event columns.
const ATTR_COLUMNS: &str =
    "m.gender, m.birth_date, m.ethnicity, m.education, m.occupation, m.village_post, m.join_date";

/// Event rows between two calls of the progress callback of
/// [`Store::load_engine_with_progress`].
pub const PROGRESS_ROWS: u64 = 1_000_000;

fn engine_error(e: EngineError) -> StoreError {
    StoreError::invalid("stats.engine", e.to_string())
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Member attributes from the columns of [`ATTR_COLUMNS`] starting at `at`; `None` when
/// the snapshot would skip the member.
fn attrs_at(r: &AnyRow, at: usize) -> Result<Option<MemberAttrs>> {
    let gender = Gender::from_code(&r.try_get::<String, _>(at)?);
    let birth = parse_date(&r.try_get::<String, _>(at + 1)?);
    let ethnicity: String = r.try_get(at + 2)?;
    let education = Education::from_code(&r.try_get::<String, _>(at + 3)?);
    let occupation = Occupation::from_code(&r.try_get::<String, _>(at + 4)?);
    let village_post: Option<String> = r.try_get(at + 5)?;
    let join_date: Option<String> = r.try_get(at + 6)?;
    let (Some(gender), Some(birth), Some(education), Some(occupation)) =
        (gender, birth, education, occupation)
    else {
        return Ok(None);
    };
    Ok(Some(MemberAttrs {
        gender,
        birth,
        minority: jiceng_domain::ethnicity::is_minority(&ethnicity),
        education,
        occupation,
        village_post: village_post.as_deref().and_then(VillagePost::from_code),
        join_date: join_date.as_deref().and_then(parse_date),
    }))
}

/// An event from the `kind, date, org_id, data` columns starting at `at`.
fn event_at(r: &AnyRow, at: usize) -> Result<Option<EventLite>> {
    let kind: String = r.try_get(at)?;
    let date: String = r.try_get(at + 1)?;
    let data: String = r.try_get(at + 3)?;
    Ok(event_lite(&kind, &date, r.try_get(at + 2)?, &data))
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
    /// order through one cursor (one connection, so it also works on a single-connection
    /// in-memory SQLite). Memory: the engine plus one member's events.
    pub async fn load_engine(&self) -> Result<Engine> {
        self.load_engine_with_progress(|_| {}).await
    }

    /// [`Store::load_engine`], calling `progress` with the number of event rows read so far
    /// every [`PROGRESS_ROWS`] rows (for a progress line on the CLI).
    pub async fn load_engine_with_progress(
        &self,
        mut progress: impl FnMut(u64) + Send,
    ) -> Result<Engine> {
        let mut loader = Loader::new(self.engine_orgs().await?).map_err(engine_error)?;
        let sql = format!(
            "SELECT e.member_id, e.kind, e.date, e.org_id, e.data, {ATTR_COLUMNS} \
             FROM member_events e JOIN members m ON m.id = e.member_id \
             ORDER BY e.member_id, e.date, e.id"
        );
        let mut rows = sqlx::query(&sql).fetch(self.db.pool());
        let mut current: Option<i64> = None;
        let mut read: u64 = 0;
        while let Some(r) = rows.try_next().await? {
            read += 1;
            if read % PROGRESS_ROWS == 0 {
                progress(read);
            }
            let mid: i64 = r.try_get(0)?;
            if current != Some(mid) {
                loader
                    .begin_member(mid, attrs_at(&r, 5)?)
                    .map_err(engine_error)?;
                current = Some(mid);
            }
            if let Some(e) = event_at(&r, 1)? {
                loader.push_event(e);
            }
        }
        loader.finish().map_err(engine_error)
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
