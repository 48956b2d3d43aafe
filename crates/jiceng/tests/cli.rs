//! The binary end to end: demo county → summary figures of seed 000, a data change moves
//! the figures, audit tampering is detected, init + user add on a fresh database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::io::Write;
use std::process::{Command, Stdio};

/// The demo's name lists, to check that every name reads as its person's gender.
#[allow(dead_code)]
#[path = "../src/demo/names.rs"]
mod names;

fn jiceng() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jiceng"));
    c.env_remove("JICENG_KEY")
        .env_remove("JICENG_DB")
        .env("JICENG_LOG", "warn");
    c
}

fn run_ok(args: &[&str]) -> String {
    let out = jiceng().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "jiceng {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn summary(db: &str, as_of: &str) -> serde_json::Value {
    let out = run_ok(&[
        "report", "summary", "--db", db, "--org", "root", "--as-of", as_of, "--format", "json",
    ]);
    serde_json::from_str(&out).unwrap()
}

fn with_stdin(args: &[&str], input: &str) -> std::process::Output {
    let mut child = jiceng()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn seed_county_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/demo.db", dir.path().display());
    let out = run_ok(&["demo", "--profile", "seed-county", "--db", &db]);
    assert!(out.contains("admin"), "prints the admin login: {out}");

    // The figures of seed 000 §一, computed from the stored data.
    let s = summary(&db, "2004-12-31");
    let expect = serde_json::json!({
        "as_of": "2004-12-31",
        "members": {"total": 18434, "probationary": 272, "female": 2224,
            "age_seed": {"le35": 2182, "36_55": 8842, "gt55": 7410},
            "education_seed": {"college_or_above": 3153, "secondary_or_high_school": 5334, "junior_high_or_below": 9947}},
        "orgs": {"general_branches": 113, "branches": 901,
            "by_field": {"rural": {"general_branches": 84, "branches": 297, "members": 8992},
                "private_enterprise": {"general_branches": 7, "branches": 148, "members": 1498},
                "community": {"general_branches": 11, "branches": 33, "members": 703}}},
        "village_cadres": {"total": 499, "secretaries": 91, "directors": 91, "dual_role": 22}
    });
    assert_subset(&expect, &s, "");

    // History exists: a year earlier the figures differ.
    let earlier = summary(&db, "2003-12-31");
    assert_ne!(earlier["members"]["total"], s["members"]["total"]);

    // The annual report of 2004: T1 reconciles 2003's year-end total with 2004's by the
    // events, T2 equals the summary, every check holds; CSV and XLSX are written.
    let annual: serde_json::Value = serde_json::from_str(&run_ok(&[
        "report", "annual", "--db", &db, "--year", "2004", "--format", "json",
    ]))
    .unwrap();
    let cell = |t: &str, row: usize, col: usize| {
        let t = annual["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["code"] == t)
            .unwrap();
        t["cells"][row][col].as_i64().unwrap()
    };
    assert_eq!(
        cell("T1", 0, 0),
        earlier["members"]["total"].as_i64().unwrap()
    );
    assert_eq!(cell("T1", 15, 0), 18434);
    assert_eq!(cell("T1", 14, 0), 18434, "应有数 = 实有数");
    assert_eq!(cell("T1", 16, 0), 0);
    assert_eq!(cell("T2", 0, 0), 18434);
    assert_eq!(cell("T2", 0, 1), 272);
    assert_eq!(cell("T2", 0, 2), 2224);
    assert_eq!(
        cell("T5", 0, 1),
        8992,
        "建制村 = the rural members of the summary"
    );
    assert_eq!(cell("T5", 0, 6), 22, "一肩挑");
    for c in annual["checks"].as_array().unwrap() {
        assert_eq!(c["ok"], true, "{c}");
    }
    let csv = run_ok(&[
        "report", "annual", "--db", &db, "--year", "2004", "--format", "csv", "--table", "T1",
    ]);
    assert!(csv.contains("五、本年底实有数,16,18434"), "{csv}");
    let xlsx = dir.path().join("annual.xlsx");
    run_ok(&[
        "report",
        "annual",
        "--db",
        &db,
        "--year",
        "2004",
        "--format",
        "xlsx",
        "--out",
        xlsx.to_str().unwrap(),
    ]);
    assert_eq!(
        &std::fs::read(&xlsx).unwrap()[..2],
        b"PK",
        "an XLSX (zip) file"
    );
    let sum_csv = run_ok(&[
        "report",
        "summary",
        "--db",
        &db,
        "--as-of",
        "2004-12-31",
        "--format",
        "csv",
        "--no-engine",
    ]);
    assert!(sum_csv.contains("党员,预备党员,272,1.48"), "{sum_csv}");

    people_are_plausible(&dir.path().join("demo.db"));
    board_agrees_with_roster(&db, &dir.path().join("demo.db.key"));

    // Refuses to overwrite a used database.
    let again = jiceng()
        .args(["demo", "--profile", "seed-county", "--db", &db])
        .output()
        .unwrap();
    assert!(!again.status.success());

    // The audit chain is intact, then a tampered row is named.
    let ok = jiceng()
        .args(["audit", "verify", "--db", &db])
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let path = dir.path().join("demo.db");
    let conn = rusqlite_like_update(
        &path,
        "UPDATE audit_log SET after_json = '{\"tampered\":true}' WHERE seq = 1234",
    );
    assert_eq!(conn, 1);
    let bad = jiceng()
        .args(["audit", "verify", "--db", &db])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("seq=1234"), "names the first bad row: {err}");
}

/// A data change moves the figure: one more woman, aged 30, joins in 2004.
#[test]
fn figures_follow_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/demo.db", dir.path().display());
    run_ok(&["demo", "--profile", "seed-county", "--db", &db]);
    let before = summary(&db, "2004-12-31");
    let before_2003 = summary(&db, "2003-12-31");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let key =
            jiceng_store::crypto::Crypto::load_or_create(&dir.path().join("demo.db.key")).unwrap();
        let store = jiceng_store::Store::open(&db, key).await.unwrap();
        let sys = jiceng_store::Scope::system("test");
        let branch = store
            .list_orgs(
                &sys,
                &jiceng_store::org::OrgFilter {
                    kind: Some("branch".into()),
                    ..Default::default()
                },
                jiceng_store::Paging::default(),
            )
            .await
            .unwrap()
            .items[0]
            .id;
        store
            .create_member(
                &sys,
                &jiceng_store::member::NewMember {
                    org_id: branch,
                    name: "测试新党员".into(),
                    gender: "2".into(),
                    birth_date: "1974-06-01".into(),
                    education: "bachelor".into(),
                    occupation: "professional".into(),
                    join_date: "2004-07-01".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        store.db.close().await;
    });
    let after = summary(&db, "2004-12-31");
    let n = |v: &serde_json::Value, p: &[&str]| p.iter().fold(v, |v, k| &v[*k]).as_i64().unwrap();
    assert_eq!(
        n(&after, &["members", "total"]),
        n(&before, &["members", "total"]) + 1
    );
    assert_eq!(
        n(&after, &["members", "female"]),
        n(&before, &["members", "female"]) + 1
    );
    assert_eq!(
        n(&after, &["members", "probationary"]),
        n(&before, &["members", "probationary"]) + 1
    );
    assert_eq!(
        n(&after, &["members", "age_seed", "le35"]),
        n(&before, &["members", "age_seed", "le35"]) + 1
    );
    assert_eq!(
        n(&after, &["members", "education_seed", "college_or_above"]),
        n(&before, &["members", "education_seed", "college_or_above"]) + 1
    );
    // Not yet a member at the end of 2003.
    let earlier = summary(&db, "2003-12-31");
    assert_eq!(earlier, before_2003);
}

#[test]
fn init_then_user_add() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/new.db", dir.path().display());
    let out = with_stdin(
        &[
            "init",
            "--db",
            &db,
            "--org-name",
            "中共示例县委员会",
            "--founded",
            "1950-01-01",
            "--password-stdin",
        ],
        "Admin@2026\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = with_stdin(
        &[
            "user",
            "add",
            "--db",
            &db,
            "--username",
            "zzb",
            "--role",
            "org_dept",
            "--org",
            "root",
            "--password-stdin",
        ],
        "Zzb@20261\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let weak = with_stdin(
        &[
            "user",
            "add",
            "--db",
            &db,
            "--username",
            "weak",
            "--role",
            "branch",
            "--org",
            "root",
            "--password-stdin",
        ],
        "123\n",
    );
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("密码至少 8 位"));
    let again = with_stdin(
        &[
            "init",
            "--db",
            &db,
            "--org-name",
            "x",
            "--founded",
            "1950-01-01",
            "--password-stdin",
        ],
        "Admin@2026\n",
    );
    assert!(!again.status.success(), "init refuses a used database");
    // The key file was created beside the database, owner-only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("new.db.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Opening with another key is refused rather than silently producing unreadable data.
    let wrong = jiceng()
        .env("JICENG_KEY", "11".repeat(32))
        .args(["report", "summary", "--db", &db])
        .output()
        .unwrap();
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("密钥"));
}

/// Rows of one query on a SQLite file, every column read as text.
fn sqlite_rows(path: &std::path::Path, sql: &str) -> Vec<Vec<Option<String>>> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        use sqlx::{Connection, Row};
        let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        let rows = sqlx::query(sql).fetch_all(&mut c).await.unwrap();
        rows.iter()
            .map(|r| {
                (0..r.columns().len())
                    .map(|i| {
                        r.try_get::<Option<String>, _>(i).unwrap_or_else(|_| {
                            r.try_get::<Option<i64>, _>(i)
                                .unwrap()
                                .map(|n| n.to_string())
                        })
                    })
                    .collect()
            })
            .collect()
    })
}

/// Members and people in the development pipeline: the name reads as the recorded gender
/// (given-name characters from that gender's list), the ID number's gender digit agrees,
/// and no name occurs twice with the same birth date.
fn people_are_plausible(path: &std::path::Path) {
    let rows = sqlite_rows(
        path,
        "SELECT name, gender, birth_date, id_tail FROM members \
         UNION ALL SELECT name, gender, birth_date, id_tail FROM dev_people",
    );
    assert!(rows.len() > 1000, "{} people", rows.len());
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for r in &rows {
        let (name, gender, birth) = (
            r[0].clone().unwrap(),
            r[1].clone().unwrap(),
            r[2].clone().unwrap(),
        );
        let female = gender == "2";
        let (_, given) = names::split(&name);
        let by_name = names::gender_of_given(given);
        assert_eq!(
            by_name.map(|g| g == jiceng_domain::member::Gender::Female),
            Some(female),
            "{name} is recorded with gender {gender}"
        );
        if let Some(tail) = &r[3] {
            // The tail is the last four characters; the gender digit is the third of them.
            let digit: u32 = tail[2..3].parse().unwrap();
            assert_eq!(digit % 2 == 0, female, "{name}: ID number ends {tail}");
        }
        *seen.entry((name, birth)).or_default() += 1;
    }
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "same name and birth date: {twice:?}");
}

/// The development board's 预备党员 column equals the roster's probationary members for
/// every township committee and for the whole county.
fn board_agrees_with_roster(db: &str, key: &std::path::Path) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let key = jiceng_store::crypto::Crypto::load_or_create(key).unwrap();
        let store = jiceng_store::Store::open(db, key).await.unwrap();
        let sys = jiceng_store::Scope::system("test");
        let committees = store
            .list_orgs(
                &sys,
                &jiceng_store::org::OrgFilter {
                    kind: Some("committee".into()),
                    ..Default::default()
                },
                jiceng_store::Paging {
                    page: 1,
                    page_size: 500,
                },
            )
            .await
            .unwrap()
            .items;
        assert!(committees.len() > 8);
        let mut with_probationary = 0;
        for c in &committees {
            let board = store.dev_board(&sys, c.id).await.unwrap();
            let on_board = board
                .iter()
                .find(|b| b.stage == "probationary")
                .unwrap()
                .count;
            let roster = store
                .list_members(
                    &sys,
                    &jiceng_store::member::MemberFilter {
                        org: Some(c.id),
                        status: Some("probationary".into()),
                        page_size: Some(1),
                        ..Default::default()
                    },
                )
                .await
                .unwrap()
                .total;
            assert_eq!(on_board, roster, "{}", c.name);
            with_probationary += usize::from(roster > 0);
        }
        assert!(with_probationary > 5, "townships with probationary members");
        store.db.close().await;
    });
}

fn assert_subset(expect: &serde_json::Value, got: &serde_json::Value, at: &str) {
    match expect {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                assert_subset(v, &got[k], &format!("{at}.{k}"));
            }
        }
        _ => assert_eq!(expect, got, "at {at}"),
    }
}

/// Runs one UPDATE on a SQLite file through sqlx (no extra dependency) and returns the
/// number of rows changed.
fn rusqlite_like_update(path: &std::path::Path, sql: &str) -> u64 {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        use sqlx::Connection;
        let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        let r = sqlx::query(sql).execute(&mut c).await.unwrap();
        r.rows_affected()
    })
}

/// `make build` and `make run` first run scripts/check-prereqs.sh: with a Rust or a Node.js
/// older than the project needs (Debian 12's packages) it lists each missing piece with how
/// to get it and fails; with new enough tools it passes.
#[test]
fn prerequisite_check_names_what_is_missing() {
    use std::os::unix::fs::PermissionsExt;
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/check-prereqs.sh");
    let run = |rust: &str, node: &str| {
        let dir = tempfile::tempdir().unwrap();
        for (tool, out) in [
            ("rustc", format!("rustc {rust} (debian)")),
            ("cargo", format!("cargo {rust}")),
            ("node", format!("v{node}")),
            ("npm", "9.2.0".to_string()),
            ("cc", String::new()),
            ("make", String::new()),
        ] {
            let p = dir.path().join(tool);
            std::fs::write(&p, format!("#!/bin/sh\necho '{out}'\n")).unwrap();
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let out = Command::new("bash")
            .arg(&script)
            .env("PATH", format!("{}:/usr/bin:/bin", dir.path().display()))
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
        )
    };
    let (ok, out) = run("1.63.0", "18.19.0");
    assert!(!ok, "{out}");
    assert!(
        out.contains("MISSING  Rust 1.85 or newer (found 1.63.0)"),
        "{out}"
    );
    assert!(out.contains("rustup"), "{out}");
    assert!(
        out.contains("MISSING  Node.js 20.19.0 or newer (found 18.19.0)"),
        "{out}"
    );
    assert!(out.contains("nvm install"), "{out}");
    let (ok, out) = run("1.85.0", "20.19.0");
    assert!(ok, "{out}");
    assert!(!out.contains("MISSING"), "{out}");
}

/// The web client's types are generated from web/openapi.json; it must match the API.
#[test]
fn committed_openapi_is_current() {
    let out = run_ok(&["openapi"]);
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../web/openapi.json"
    ))
    .unwrap();
    assert!(
        out.trim() == committed.trim(),
        "web/openapi.json is stale: run `make openapi` and commit the result"
    );
}

/// The city of seed 002: 1 383 villages rated in 2011 exactly as the seed reports, and a
/// 2012 round in which villages move.
#[test]
fn seed_city_ratings() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/city.db", dir.path().display());
    let out = run_ok(&["demo", "--profile", "seed-city", "--db", &db]);
    assert!(out.contains("1383"), "{out}");
    let y2011: serde_json::Value = serde_json::from_str(&run_ok(&[
        "report", "ratings", "--db", &db, "--org", "root", "--year", "2011", "--format", "json",
    ]))
    .unwrap();
    assert_subset(
        &serde_json::json!({"year": 2011, "total": 1383,
            "tiers": {"标兵": 172, "先进": 339, "达标": 617, "偏弱": 177, "薄弱": 78}}),
        &y2011,
        "",
    );
    let y2012: serde_json::Value = serde_json::from_str(&run_ok(&[
        "report", "ratings", "--db", &db, "--year", "2012",
    ]))
    .unwrap();
    assert_eq!(y2012["total"], 1383);
    assert_ne!(y2012["tiers"], y2011["tiers"], "villages moved in 2012");
    assert!(
        y2012["tiers"]["标兵"].as_i64().unwrap() > 172,
        "more model villages after a year of 升级晋位: {y2012}"
    );

    // Members: seed 002's rural figures of 2010 (76 100 at the end of the year, 1 338 new,
    // 735 of them aged 35 or under and 584 with high school or more).
    let s = summary(&db, "2010-12-31");
    assert_eq!(s["members"]["total"], 76100, "{}", s["members"]);
    let annual: serde_json::Value = serde_json::from_str(&run_ok(&[
        "report", "annual", "--db", &db, "--year", "2010", "--format", "json",
    ]))
    .unwrap();
    let t16 = annual["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "T16")
        .unwrap();
    let col = |label: &str| {
        let i = t16["cols"]
            .as_array()
            .unwrap()
            .iter()
            .position(|c| c["label"].as_str().unwrap().contains(label))
            .unwrap();
        t16["cells"][0][i].as_i64().unwrap()
    };
    assert_eq!(col("总数"), 1338);
    assert_eq!(col("25岁及以下") + col("26至30岁") + col("31至35岁"), 735);
    assert_eq!(
        col("研究生") + col("大学本科") + col("大学专科") + col("中专") + col("高中"),
        584
    );

    let path = dir.path().join("city.db");
    people_are_plausible(&path);
    // Every village branch has 3 full members or more (no "正式党员仅 N 名" warning).
    let thin = sqlite_rows(
        &path,
        "SELECT o.name, (SELECT COUNT(*) FROM members m WHERE m.org_id = o.id AND m.active = 1 \
         AND m.status = 'full') AS n FROM orgs o WHERE o.kind = 'branch' AND n < 3",
    );
    assert!(
        thin.is_empty(),
        "villages with fewer than 3 full members: {thin:?}"
    );
    // …and its branch committee (elected in 2011, three seats of full members).
    let no_committee = sqlite_rows(
        &path,
        "SELECT o.name FROM orgs o WHERE o.kind = 'branch' AND \
         (SELECT COUNT(*) FROM committee_seats s WHERE s.org_id = o.id AND s.member_id IS NOT NULL) < 3",
    );
    assert!(
        no_committee.is_empty(),
        "villages without a committee: {no_committee:?}"
    );
    // Every score lies inside the band of its tier.
    let scheme = jiceng_domain::rating::scheme("village.five_tier").unwrap();
    let rows = sqlite_rows(&path, "SELECT total, tier FROM ratings");
    assert_eq!(rows.len(), 2 * 1383);
    for r in rows {
        let total: u32 = r[0].as_deref().unwrap().parse().unwrap();
        let tier = r[1].clone().unwrap();
        let rank = scheme.tiers.iter().position(|t| t.name == tier).unwrap();
        let hi = if rank == 0 {
            scheme.max_total()
        } else {
            scheme.tiers[rank - 1].min_score - 1
        };
        assert!(
            (scheme.tiers[rank].min_score..=hi).contains(&total),
            "{tier} scored {total}"
        );
    }
}

/// A fresh deployment (`jiceng init`) in a temp dir; returns the dir and the database URL.
fn fresh_deployment() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/acc.db", dir.path().display());
    let out = with_stdin(
        &[
            "init",
            "--db",
            &db,
            "--org-name",
            "中共示例县委员会",
            "--founded",
            "1950-01-01",
            "--password-stdin",
        ],
        "Admin@2026\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, db)
}

/// Issue 11 (S3): accounts are disabled, enabled, re-roled, reset and unlocked from the CLI.
#[test]
fn user_admin_commands() {
    let (_dir, db) = fresh_deployment();
    let out = with_stdin(
        &[
            "user",
            "add",
            "--db",
            &db,
            "--username",
            "bob",
            "--role",
            "branch",
            "--org",
            "root",
            "--password-stdin",
        ],
        "Bob@20261x\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = |list: &str| -> String {
        list.lines()
            .find(|l| l.split('\t').nth(1) == Some("bob"))
            .unwrap_or_else(|| panic!("bob not listed: {list}"))
            .to_string()
    };
    assert!(line(&run_ok(&["user", "list", "--db", &db])).ends_with("正常"));
    run_ok(&[
        "user",
        "disable",
        "--db",
        &db,
        "--username",
        "bob",
        "--reason",
        "调离本县",
    ]);
    assert!(line(&run_ok(&["user", "list", "--db", &db])).contains("已停用（调离本县）"));
    run_ok(&["user", "enable", "--db", &db, "--username", "bob"]);
    assert!(!line(&run_ok(&["user", "list", "--db", &db])).contains("已停用"));
    let roles = run_ok(&[
        "user",
        "set-roles",
        "--db",
        &db,
        "--username",
        "bob",
        "--grant",
        "org_dept:root",
        "--grant",
        "committee:root",
    ]);
    assert!(
        roles.contains("org_dept:") && roles.contains("committee:"),
        "{roles}"
    );
    let pw = run_ok(&["user", "reset-password", "--db", &db, "--username", "bob"]);
    let pw = pw.trim();
    assert_eq!(
        pw.chars().count(),
        16,
        "one temporary password on stdout: {pw}"
    );
    assert!(line(&run_ok(&["user", "list", "--db", &db])).contains("须修改密码"));
    run_ok(&["user", "unlock", "--db", &db, "--username", "bob"]);
    let nobody = jiceng()
        .args([
            "user",
            "disable",
            "--db",
            &db,
            "--username",
            "nobody",
            "--reason",
            "x",
        ])
        .output()
        .unwrap();
    assert!(!nobody.status.success());
    assert!(String::from_utf8_lossy(&nobody.stderr).contains("用户不存在"));
    let no_reason = jiceng()
        .args([
            "user",
            "disable",
            "--db",
            &db,
            "--username",
            "bob",
            "--reason",
            " ",
        ])
        .output()
        .unwrap();
    assert!(!no_reason.status.success());
    assert!(run_ok(&["audit", "verify", "--db", &db]).contains("哈希链校验通过"));
}

/// Issue 11 (S4 e, f): the database and key files are private; a key file others can read
/// is warned about; a missing key file for a database that already has a key is refused
/// without creating one or touching the database.
#[cfg(unix)]
#[test]
fn key_and_database_files() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, db) = fresh_deployment();
    let file = dir.path().join("acc.db");
    let key = dir.path().join("acc.db.key");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&file), 0o600, "the SQLite file is created owner-only");
    assert_eq!(mode(&key), 0o600);
    // Another key file that does not exist: refused, and not created.
    let other = dir.path().join("other.key");
    // What the database holds, read logically (SQLite may fold its WAL into the file on any
    // open, so the file's bytes are not the measure).
    let state = || {
        (
            run_ok(&["user", "list", "--db", &db]),
            run_ok(&["audit", "verify", "--db", &db]),
        )
    };
    let before = state();
    let out = jiceng()
        .args(["user", "list", "--db", &db, "--key-file"])
        .arg(&other)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("密钥") && err.contains("未生成新密钥"),
        "{err}"
    );
    assert!(
        !other.exists(),
        "no key file is created for a database that has a key"
    );
    // The default key file moved away: the same, and it is not re-created.
    let saved = dir.path().join("saved.key");
    std::fs::rename(&key, &saved).unwrap();
    let out = jiceng()
        .args(["user", "list", "--db", &db])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(!key.exists(), "the default key file is not re-created");
    std::fs::rename(&saved, &key).unwrap();
    assert_eq!(
        state(),
        before,
        "the database is untouched and still opens with its own key"
    );
    // A key file others can read still works, with a warning.
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = jiceng()
        .args(["user", "list", "--db", &db])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("可被其他用户读取"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
