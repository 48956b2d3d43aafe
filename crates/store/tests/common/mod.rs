//! Shared harness for the store's behavioural suite: one fresh database per test, on
//! SQLite (a file in a temp dir) and on PostgreSQL (a throw-away database on the server
//! named by `JICENG_TEST_PG_URL`), plus small builders for orgs, members and scopes.
#![allow(dead_code)]

use chrono::NaiveDate;
use jiceng_domain::member::Gender;
use jiceng_store::auth::Grant;
use jiceng_store::crypto::Crypto;
use jiceng_store::member::{MemberView, NewMember, NewMemberEvent};
use jiceng_store::org::{NewOrg, OrgView};
use jiceng_store::{Role, Scope, Store, StoreError};
use sqlx::Connection;

/// The master key every test store uses.
pub const KEY: [u8; 32] = [7u8; 32];

/// A store on a fresh database, with what is needed to throw the database away.
pub struct TestDb {
    /// The store under test.
    pub store: Store,
    /// Keeps the SQLite file alive.
    _dir: Option<tempfile::TempDir>,
    /// PostgreSQL: admin URL and database name, to drop it afterwards.
    pg: Option<(String, String)>,
}

impl TestDb {
    /// A fresh SQLite file in a temp dir.
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}/t.db", dir.path().display());
        let store = Store::open(&url, Crypto::new(&KEY).expect("crypto"))
            .await
            .expect("open sqlite store");
        TestDb {
            store,
            _dir: Some(dir),
            pg: None,
        }
    }

    /// A fresh PostgreSQL database, or `None` (with a note) when no server is configured.
    /// Panics when `JICENG_REQUIRE_PG=1` and `JICENG_TEST_PG_URL` is missing.
    pub async fn postgres() -> Option<TestDb> {
        let admin = match std::env::var("JICENG_TEST_PG_URL") {
            Ok(u) if !u.trim().is_empty() => u,
            _ => {
                if std::env::var("JICENG_REQUIRE_PG").as_deref() == Ok("1") {
                    panic!(
                        "JICENG_REQUIRE_PG=1 but JICENG_TEST_PG_URL is not set: run the suite \
                         through scripts/with-postgres.sh or point JICENG_TEST_PG_URL at a \
                         PostgreSQL server (postgres://user@host:port/postgres)"
                    );
                }
                eprintln!("skipping PostgreSQL: JICENG_TEST_PG_URL not set");
                return None;
            }
        };
        let name = format!("jt_{:016x}", rand::random::<u64>());
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to JICENG_TEST_PG_URL: {e}"));
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("CREATE DATABASE {name}: {e}"));
        let _ = conn.close().await;
        let url = with_database(&admin, &name);
        let store = Store::open(&url, Crypto::new(&KEY).expect("crypto"))
            .await
            .expect("open postgres store");
        Some(TestDb {
            store,
            _dir: None,
            pg: Some((admin, name)),
        })
    }

    /// Closes the pool and drops the PostgreSQL database (best effort).
    pub async fn finish(self) {
        self.store.db.close().await;
        if let Some((admin, name)) = self.pg {
            if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await;
                let _ = conn.close().await;
            }
        }
    }
}

/// The same server URL with another database name (query string kept).
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_end = base[after_scheme..]
        .find('/')
        .map(|i| after_scheme + i)
        .unwrap_or(base.len());
    let mut out = format!("{}/{db}", &base[..host_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// Runs one test body on a store, then cleans up even when the body panics.
pub async fn run<F, Fut>(db: TestDb, body: F)
where
    F: FnOnce(Store) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    use futures_util::FutureExt;
    let res = std::panic::AssertUnwindSafe(body(db.store.clone()))
        .catch_unwind()
        .await;
    db.finish().await;
    if let Err(p) = res {
        std::panic::resume_unwind(p);
    }
}

/// Generates `mod name { sqlite(), postgres() }` for one test body.
macro_rules! store_test {
    ($(#[$m:meta])* $name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            $(#[$m])*
            #[tokio::test]
            async fn sqlite() {
                let db = $crate::common::TestDb::sqlite().await;
                $crate::common::run(db, $body).await;
            }

            $(#[$m])*
            #[tokio::test]
            async fn postgres() {
                let Some(db) = $crate::common::TestDb::postgres().await else {
                    return;
                };
                $crate::common::run(db, $body).await;
            }
        }
    };
}

/// The system scope used for setup.
pub fn sys() -> Scope {
    Scope::system("test")
}

/// `YYYY-MM-DD` → date.
pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// A new org with defaults (founded 1990-01-01, standalone).
pub fn new_org(parent: Option<i64>, name: &str, kind: &str, field: &str) -> NewOrg {
    NewOrg {
        parent_id: parent,
        name: name.to_string(),
        short_name: None,
        kind: kind.to_string(),
        field: field.to_string(),
        setup_mode: None,
        founded: "1990-01-01".to_string(),
        region_code: None,
        credit_code: None,
        address: None,
        phone: None,
        term_start: None,
    }
}

/// Creates an org as the system.
pub async fn org(
    store: &Store,
    parent: Option<i64>,
    name: &str,
    kind: &str,
    field: &str,
) -> OrgView {
    store
        .create_org(&sys(), &new_org(parent, name, kind, field))
        .await
        .unwrap_or_else(|e| panic!("create org {name}: {e:?}"))
}

/// A new member with defaults (汉族, 大学本科, 工人), joined on `join`.
pub fn new_member(org_id: i64, name: &str, gender: &str, birth: &str, join: &str) -> NewMember {
    NewMember {
        org_id,
        name: name.to_string(),
        gender: gender.to_string(),
        birth_date: birth.to_string(),
        education: "bachelor".to_string(),
        occupation: "worker".to_string(),
        join_date: join.to_string(),
        ..Default::default()
    }
}

/// Creates a member as the system; `full` converts them on that date.
pub async fn member(
    store: &Store,
    org_id: i64,
    name: &str,
    gender: &str,
    birth: &str,
    join: &str,
    full: Option<&str>,
) -> MemberView {
    let mut n = new_member(org_id, name, gender, birth, join);
    n.full_date = full.map(str::to_string);
    store
        .create_member(&sys(), &n)
        .await
        .unwrap_or_else(|e| panic!("create member {name}: {e:?}"))
}

/// A valid ID number for a birth date and gender code.
pub fn id_for(birth: &str, gender: &str, seq: u16) -> String {
    let g = if gender == "2" {
        Gender::Female
    } else {
        Gender::Male
    };
    jiceng_domain::idcard::generate("110105", d(birth), seq, g)
}

/// A lifecycle event with defaults.
pub fn ev(version: i64, kind: &str, date: &str, org: Option<i64>) -> NewMemberEvent {
    NewMemberEvent {
        version,
        kind: kind.to_string(),
        date: date.to_string(),
        org_id: org,
        letter_no: None,
        note: None,
        probationary: false,
    }
}

/// Records an event as the system.
pub async fn event(
    store: &Store,
    m: &MemberView,
    kind: &str,
    date: &str,
    org: Option<i64>,
) -> MemberView {
    store
        .add_member_event(&sys(), m.id, &ev(m.version, kind, date, org))
        .await
        .unwrap_or_else(|e| panic!("event {kind} on {date} for {}: {e:?}", m.name))
}

/// A grant of `role` on an org.
pub fn grant(role: Role, o: &OrgView) -> Grant {
    Grant {
        role,
        org_id: o.id,
        path: o.path.clone(),
        org_name: o.name.clone(),
    }
}

/// A user scope with one role on one org.
pub fn user(id: i64, role: Role, o: &OrgView, member_id: Option<i64>) -> Scope {
    Scope::user(id, &format!("u{id}"), vec![grant(role, o)], member_id)
}

/// The stable code of an `Invalid` error (panics on any other outcome).
pub fn invalid_code<T: std::fmt::Debug>(r: Result<T, StoreError>) -> &'static str {
    match r {
        Err(StoreError::Invalid { code, .. }) => code,
        other => panic!("expected StoreError::Invalid, got {other:?}"),
    }
}

/// Number of audit rows.
pub async fn audit_rows(store: &Store) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(store.db.pool())
        .await
        .expect("count audit")
}
