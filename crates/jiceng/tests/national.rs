//! `jiceng demo --profile county-synthetic --scale 20000` writes a consistent database, on
//! SQLite and (with `JICENG_TEST_PG_URL`, as scripts/with-postgres.sh sets it) PostgreSQL:
//! the plain-SQL summary equals the engine loaded from the same database for the whole
//! county, a township and a past date; exactly `--scale` members are on the roster on
//! 2024-12-31; orgs by kind follow the 2024 bulletin's shares; every reference resolves;
//! the bulk load left one `demo.bulk_load` audit entry and the chain verifies.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use chrono::NaiveDate;
use jiceng_store::crypto::Crypto;
use jiceng_store::{Scope, Store};
use sqlx::Connection;

const SCALE: i64 = 20_000;

fn demo(db: &str, key: &std::path::Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_jiceng"))
        .env_remove("JICENG_KEY")
        .env_remove("JICENG_DB")
        .env("JICENG_LOG", "warn")
        .args([
            "demo",
            "--profile",
            "county-synthetic",
            "--scale",
            &SCALE.to_string(),
            "--db",
            db,
            "--key-file",
        ])
        .arg(key)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "demo failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("demo.bulk_load"));
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

async fn check(url: &str, key: &std::path::Path) {
    let crypto = Crypto::from_hex(&std::fs::read_to_string(key).unwrap()).unwrap();
    let store = Store::open(url, crypto).await.unwrap();
    let sys = Scope::system("test");
    let pool = store.db.pool();

    // One audit entry for the whole load (plus the reference-date setting), chain intact.
    let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log ORDER BY seq")
        .fetch_all(pool)
        .await
        .unwrap();
    assert_eq!(actions, vec!["settings.set", "demo.bulk_load"]);
    let v = jiceng_store::audit::verify(&store.db).await.unwrap();
    assert!(v.first_bad.is_none(), "{v:?}");

    // Every reference resolves (the load ran with foreign keys unenforced).
    for sql in [
        "SELECT COUNT(*) FROM orgs c LEFT JOIN orgs p ON p.id = c.parent_id WHERE c.parent_id IS NOT NULL AND p.id IS NULL",
        "SELECT COUNT(*) FROM members m LEFT JOIN orgs o ON o.id = m.org_id WHERE m.org_id IS NOT NULL AND o.id IS NULL",
        "SELECT COUNT(*) FROM member_events e LEFT JOIN members m ON m.id = e.member_id WHERE m.id IS NULL",
        "SELECT COUNT(*) FROM member_events e LEFT JOIN orgs o ON o.id = e.org_id WHERE e.org_id IS NOT NULL AND o.id IS NULL",
        "SELECT COUNT(*) FROM orgs c JOIN orgs p ON p.id = c.parent_id WHERE c.path <> p.path || CAST(c.id AS TEXT) || '/' OR c.depth <> p.depth + 1",
        "SELECT COUNT(*) FROM members WHERE id_hash IS NULL OR id_enc IS NULL",
    ] {
        let n: i64 = sqlx::query_scalar(sql).fetch_one(pool).await.unwrap();
        assert_eq!(n, 0, "{sql}");
    }
    // Dropped indexes came back.
    let idx: i64 = sqlx::query_scalar(match store.db.backend() {
        jiceng_store::Backend::Sqlite => {
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN ('members_name', 'members_id_hash', 'member_events_member', 'orgs_parent')"
        }
        jiceng_store::Backend::Postgres => {
            "SELECT COUNT(*) FROM pg_indexes WHERE indexname IN ('members_name', 'members_id_hash', 'member_events_member', 'orgs_parent')"
        }
    })
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(idx, 4);
    // An ID number decrypts to a valid one that matches its blind index.
    let (enc, hash): (String, String) =
        sqlx::query_as("SELECT id_enc, id_hash FROM members WHERE id = 1")
            .fetch_one(pool)
            .await
            .unwrap();
    let id = store.crypto.decrypt(&enc).unwrap();
    assert!(jiceng_domain::idcard::parse(&id).is_ok(), "{id}");
    assert_eq!(store.crypto.blind_index(&id), hash);

    // The SQL summary and the engine agree.
    let root = store.root_org_id().await.unwrap().unwrap();
    let township: i64 = sqlx::query_scalar(
        "SELECT id FROM orgs WHERE depth = 1 AND kind = 'committee' AND field = 'rural' ORDER BY id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let engine = store.load_engine().await.unwrap();
    for (org, date) in [
        (root, "2024-12-31"),
        (township, "2024-12-31"),
        (root, "2015-12-31"),
        (township, "1990-06-30"),
    ] {
        let sql = store.summary_sql(&sys, org, d(date)).await.unwrap();
        let mem = engine.summary(org, &sql.org_name, d(date)).unwrap();
        assert_eq!(
            serde_json::to_value(&mem).unwrap(),
            serde_json::to_value(&sql).unwrap(),
            "org {org} on {date}"
        );
    }
    let s = store
        .summary_sql(&sys, root, d("2024-12-31"))
        .await
        .unwrap();
    assert_eq!(s.members.total, SCALE, "exactly --scale on the roster");
    let active: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM members WHERE active = 1")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(active, SCALE);

    // Bulletin shapes: ~5.25 basic orgs per 100 members; committees : general branches :
    // branches ≈ 5.8 : 6.3 : 87.9 %; women 30.9 %, 大专及以上 57.6 % (loose bounds: one
    // county is a small sample).
    let basic = s.orgs.basic as f64;
    let per_member = basic / SCALE as f64;
    assert!((0.047..0.058).contains(&per_member), "{per_member}");
    let share = |n: i64| n as f64 * 100.0 / basic;
    assert!(
        (4.0..8.0).contains(&share(s.orgs.committees)),
        "{:?}",
        s.orgs
    );
    assert!(
        (4.5..8.5).contains(&share(s.orgs.general_branches)),
        "{:?}",
        s.orgs
    );
    assert!(
        (85.0..91.0).contains(&share(s.orgs.branches)),
        "{:?}",
        s.orgs
    );
    let pct = |n: i64| n as f64 * 100.0 / SCALE as f64;
    assert!((29.0..33.0).contains(&pct(s.members.female)));
    assert!((55.0..60.0).contains(&pct(s.members.education_seed["college_or_above"])));
    assert!(s.village_cadres.secretaries > 100, "{:?}", s.village_cadres);
    store.db.close().await;
}

#[tokio::test]
async fn county_synthetic_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/c.db", dir.path().display());
    let key = dir.path().join("c.key");
    demo(&url, &key);
    check(&url, &key).await;
}

#[tokio::test]
async fn county_synthetic_postgres() {
    let admin = match std::env::var("JICENG_TEST_PG_URL") {
        Ok(u) if !u.trim().is_empty() => u,
        _ => {
            assert!(
                std::env::var("JICENG_REQUIRE_PG").as_deref() != Ok("1"),
                "JICENG_REQUIRE_PG=1 but JICENG_TEST_PG_URL is not set"
            );
            eprintln!("skipping PostgreSQL: JICENG_TEST_PG_URL not set");
            return;
        }
    };
    let name = format!("jn_{:016x}", rand::random::<u64>());
    let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .unwrap();
    let (base, query) = admin.split_once('?').unwrap_or((&admin, ""));
    let host_end = base[base.find("://").map_or(0, |i| i + 3)..]
        .find('/')
        .map_or(base.len(), |i| i + base.find("://").map_or(0, |j| j + 3));
    let url = format!(
        "{}/{name}{}",
        &base[..host_end],
        if query.is_empty() {
            String::new()
        } else {
            format!("?{query}")
        }
    );
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("pg.key");
    // Run on a thread of its own so that a failure still drops the database below.
    let body = {
        let (url, key) = (url.clone(), key.clone());
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                demo(&url, &key);
                check(&url, &key).await;
            })
        })
    };
    let res = body.join();
    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut conn)
        .await;
    if let Err(p) = res {
        std::panic::resume_unwind(p);
    }
}
