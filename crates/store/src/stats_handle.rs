//! The statistics engine as the store runs it: one shared [`StatsHandle`] per store (cloned
//! stores share it), loaded by [`Store::enable_engine`], kept current by the store's own
//! writes, consulted by [`Store::summary`].
//!
//! # States
//!
//! `Off` (never enabled: every report takes the SQL path) → `Loading` → `Ready`; any failure
//! to keep the engine current turns it `Stale` (its memory is released, reports fall back to
//! SQL, an error is logged) until [`Store::enable_engine`] loads it again.
//!
//! # Write path
//!
//! After a write commits, the store calls `Store::stats_member_changed` (member writes)
//! or `Store::stats_orgs_changed` (org created, moved, dissolved, or its dates, field or
//! setup mode edited). The refresh re-reads what it needs from the database (the member's
//! whole history, or the org tree) and applies it, so it never depends on what the write
//! computed. Refreshes (and loads) are serialized by one async mutex: the last refresh to
//! run reads after every commit that came before it, so concurrent writes cannot leave the
//! engine behind the database. The refresh runs in its own task, so a request dropped after
//! its commit (client gone) still brings the engine up to date. It never fails the write:
//! an error is logged and the engine is marked stale.
//!
//! Only this process's writes are seen: a second process writing to the same database
//! (another `jiceng serve`, or a script) is not, so such deployments run with `--no-engine`.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use jiceng_stats::engine::Engine;
use jiceng_stats::summary::Summary;

use crate::error::Result;
use crate::org::OrgView;
use crate::Store;

const OFF: u8 = 0;
const LOADING: u8 = 1;
const READY: u8 = 2;
const STALE: u8 = 3;

/// The state of the engine, as [`StatsHandle::status`] reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineStatus {
    /// Never enabled: reports use SQL.
    Off,
    /// Being loaded (reports use SQL until it is ready).
    Loading,
    /// Serving reports.
    Ready,
    /// Failed to stay current; reports use SQL until it is loaded again.
    Stale,
}

/// What a load produced, for the operator's log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EngineInfo {
    /// Orgs in the tree.
    pub orgs: usize,
    /// Member intervals held.
    pub intervals: usize,
    /// Bytes held ([`Engine::resident_bytes`]).
    pub bytes: usize,
    /// Wall time of the load.
    pub elapsed: Duration,
}

struct Inner {
    /// `OFF`, `LOADING`, `READY` or `STALE`; changed only with `writer` held.
    mode: AtomicU8,
    /// The engine while `READY`.
    engine: RwLock<Option<Engine>>,
    /// Serializes loads and refreshes (database read + apply).
    writer: tokio::sync::Mutex<()>,
}

/// A shared handle on the store's statistics engine (cheap to clone).
#[derive(Clone)]
pub struct StatsHandle {
    inner: Arc<Inner>,
}

impl Default for StatsHandle {
    fn default() -> Self {
        StatsHandle {
            inner: Arc::new(Inner {
                mode: AtomicU8::new(OFF),
                engine: RwLock::new(None),
                writer: tokio::sync::Mutex::new(()),
            }),
        }
    }
}

impl std::fmt::Debug for StatsHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StatsHandle({:?})", self.status())
    }
}

impl StatsHandle {
    /// The current state.
    pub fn status(&self) -> EngineStatus {
        match self.inner.mode.load(Ordering::Acquire) {
            OFF => EngineStatus::Off,
            LOADING => EngineStatus::Loading,
            READY => EngineStatus::Ready,
            _ => EngineStatus::Stale,
        }
    }

    /// Whether reports are served by the engine.
    pub fn is_ready(&self) -> bool {
        self.inner.mode.load(Ordering::Acquire) == READY
    }

    /// Whether writes must refresh the engine (it is loaded or being loaded).
    fn wants_refresh(&self) -> bool {
        matches!(self.inner.mode.load(Ordering::Acquire), LOADING | READY)
    }

    /// Bytes held by the engine (0 when not ready).
    pub fn resident_bytes(&self) -> usize {
        match self.inner.engine.read() {
            Ok(g) => g.as_ref().map_or(0, Engine::resident_bytes),
            Err(_) => 0,
        }
    }

    /// The summary from the engine, or `None` when it is not ready or does not know the org
    /// (the caller then takes the SQL path). Scope checks are the caller's. The scan runs on
    /// a blocking thread (it is CPU work, parallel on large subtrees).
    pub async fn summary(&self, org_id: i64, org_name: &str, as_of: NaiveDate) -> Option<Summary> {
        if !self.is_ready() {
            return None;
        }
        let inner = self.inner.clone();
        let name = org_name.to_string();
        tokio::task::spawn_blocking(move || {
            let g = inner.engine.read().ok()?;
            g.as_ref()?.summary(org_id, &name, as_of)
        })
        .await
        .ok()
        .flatten()
    }

    /// Runs `f` on the engine under the write lock, on a blocking thread (a compaction or a
    /// tree rebuild is O(rows)). Marks the engine stale when `f` fails. Call with `writer`
    /// held.
    async fn apply<F>(&self, what: &'static str, f: F)
    where
        F: FnOnce(&mut Engine) -> std::result::Result<(), String> + Send + 'static,
    {
        let inner = self.inner.clone();
        let done = tokio::task::spawn_blocking(move || {
            let mut g = inner
                .engine
                .write()
                .map_err(|_| "lock poisoned".to_string())?;
            match g.as_mut() {
                Some(e) => f(e),
                None => Ok(()),
            }
        })
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r);
        if let Err(e) = done {
            self.mark_stale(what, &e);
        }
    }

    /// Drops the engine and falls back to SQL. Call with `writer` held.
    fn mark_stale(&self, what: &str, error: &str) {
        tracing::error!(
            %error,
            "statistics engine: {what} failed; the engine is now stale and reports use SQL \
             until it is reloaded"
        );
        self.inner.mode.store(STALE, Ordering::Release);
        match self.inner.engine.write() {
            Ok(mut g) => *g = None,
            Err(p) => *p.into_inner() = None,
        }
    }
}

/// Whether an org write changed anything the engine holds about the tree.
fn tree_changed(before: &OrgView, after: &OrgView) -> bool {
    before.parent_id != after.parent_id
        || before.path != after.path
        || before.kind != after.kind
        || before.field != after.field
        || before.setup_mode != after.setup_mode
        || before.founded != after.founded
        || before.dissolved != after.dissolved
}

impl Store {
    /// Loads the statistics engine from the database and serves reports from it from now
    /// on (again, when it was stale or already loaded: a reload). On failure nothing
    /// changes: an engine off or stale stays so (reports keep using SQL), a loaded one keeps
    /// serving.
    pub async fn enable_engine(&self) -> Result<EngineInfo> {
        self.enable_engine_with_progress(|_| {}).await
    }

    /// [`Store::enable_engine`], calling `progress` with the number of event rows read
    /// every [`crate::engine_load::PROGRESS_ROWS`] rows.
    pub async fn enable_engine_with_progress(
        &self,
        progress: impl FnMut(u64) + Send,
    ) -> Result<EngineInfo> {
        let h = &self.stats;
        let _w = h.inner.writer.lock().await;
        let before = h.inner.mode.load(Ordering::Acquire);
        if before != READY {
            // Writes committed from here on queue behind `writer` and are applied after
            // the load; earlier ones are in what the load reads.
            h.inner.mode.store(LOADING, Ordering::Release);
        }
        let t0 = Instant::now();
        let engine = match self.load_engine_with_progress(progress).await {
            Ok(e) => e,
            Err(e) => {
                if before != READY {
                    h.inner.mode.store(before, Ordering::Release);
                }
                return Err(e);
            }
        };
        let info = EngineInfo {
            orgs: engine.tree().len(),
            intervals: engine.intervals(),
            bytes: engine.resident_bytes(),
            elapsed: t0.elapsed(),
        };
        match h.inner.engine.write() {
            Ok(mut g) => *g = Some(engine),
            Err(p) => *p.into_inner() = Some(engine),
        }
        h.inner.mode.store(READY, Ordering::Release);
        Ok(info)
    }

    /// Write path, after a member write commits: brings the engine up to date with that
    /// member. Never fails (see the module docs).
    pub(crate) async fn stats_member_changed(&self, member_id: i64) {
        if !self.stats.wants_refresh() {
            return;
        }
        let store = self.clone();
        let task = tokio::spawn(async move {
            let h = &store.stats;
            let _w = h.inner.writer.lock().await;
            if !h.wants_refresh() {
                return;
            }
            match store.engine_member(member_id).await {
                Ok((attrs, events)) => {
                    h.apply("member refresh", move |e| {
                        e.apply_member(member_id, &events, attrs.as_ref())
                            .map_err(|x| x.to_string())
                    })
                    .await
                }
                Err(e) => h.mark_stale("member refresh", &e.to_string()),
            }
        });
        if let Err(e) = task.await {
            tracing::error!(error = %e, "statistics engine: member refresh task failed");
        }
    }

    /// Write path, after an org write commits: gives the engine the current tree. Never
    /// fails (see the module docs).
    pub(crate) async fn stats_orgs_changed(&self) {
        if !self.stats.wants_refresh() {
            return;
        }
        let store = self.clone();
        let task = tokio::spawn(async move {
            let h = &store.stats;
            let _w = h.inner.writer.lock().await;
            if !h.wants_refresh() {
                return;
            }
            match store.engine_orgs().await {
                Ok(orgs) => {
                    h.apply("tree rebuild", move |e| {
                        e.rebuild(orgs).map_err(|x| x.to_string())
                    })
                    .await
                }
                Err(e) => h.mark_stale("tree rebuild", &e.to_string()),
            }
        });
        if let Err(e) = task.await {
            tracing::error!(error = %e, "statistics engine: tree rebuild task failed");
        }
    }

    /// Write path, after an org update, move or dissolution commits: rebuilds the tree when
    /// the change touched it (a rename or a new phone number does not).
    pub(crate) async fn stats_org_written(&self, before: &OrgView, after: &OrgView) {
        if tree_changed(before, after) {
            self.stats_orgs_changed().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiceng_domain::org::{Field, OrgKind, SetupMode};
    use jiceng_stats::engine::{OrgRow, OrgTree};

    #[tokio::test]
    async fn a_failed_refresh_turns_the_engine_stale() {
        let h = StatsHandle::default();
        let day = NaiveDate::from_ymd_opt(2004, 12, 31).unwrap();
        assert_eq!(h.status(), EngineStatus::Off);
        assert!(h.summary(1, "县委", day).await.is_none());
        let tree = OrgTree::from_dfs(vec![OrgRow {
            id: 1,
            parent_id: None,
            kind: OrgKind::Committee,
            field: Field::Organ,
            setup_mode: SetupMode::Standalone,
            founded: NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
            dissolved: None,
        }])
        .unwrap();
        *h.inner.engine.write().unwrap() = Some(Engine::empty(tree));
        h.inner.mode.store(READY, Ordering::Release);
        let s = h.summary(1, "县委", day).await.unwrap();
        assert_eq!(s.members.total, 0);
        assert!(h.summary(2, "unknown", day).await.is_none());
        assert!(h.resident_bytes() > 0);
        h.apply("test", |_| Err("boom".into())).await;
        assert_eq!(h.status(), EngineStatus::Stale);
        assert!(h.summary(1, "县委", day).await.is_none());
        assert_eq!(h.resident_bytes(), 0);
        assert!(!h.wants_refresh());
    }
}
