//! The in-memory statistics engine against the plain-SQL summary, on SQLite and
//! PostgreSQL: data written through the store, the engine loaded with
//! `Store::load_engine`, every org's summary compared on many dates; then writes
//! (events, attribute changes, a new org and member, a subtree move) applied to the
//! engine the way the write path does, and compared again. Then the wired-in engine
//! (`Store::enable_engine`): a random sequence of writes through the store, after each of
//! which `Store::summary` (engine) and `Store::summary_sql` never disagree.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod common;

use chrono::NaiveDate;
use common::*;
use jiceng_stats::engine::Engine;
use jiceng_store::member::{MemberPatch, MemberView};
use jiceng_store::Store;

/// Every org (id, name) in the database.
async fn all_orgs(store: &Store) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT id, name FROM orgs ORDER BY id")
        .fetch_all(store.db.pool())
        .await
        .unwrap()
}

/// Engine and SQL agree for every org on every date.
async fn compare(store: &Store, engine: &Engine, dates: &[&str]) {
    let orgs = all_orgs(store).await;
    assert!(!orgs.is_empty());
    for date in dates {
        let day: NaiveDate = d(date);
        for (id, name) in &orgs {
            let sql = store.summary_sql(&sys(), *id, day).await.unwrap();
            let mem = engine
                .summary(*id, name, day)
                .expect("org known to the engine");
            assert_eq!(
                serde_json::to_value(&mem).unwrap(),
                serde_json::to_value(&sql).unwrap(),
                "org {name} ({id}) on {date}"
            );
        }
    }
}

const DATES: &[&str] = &[
    "1999-12-31",
    "2000-03-01",
    "2001-02-28",
    "2001-03-01",
    "2002-12-31",
    "2003-05-01",
    "2003-06-01",
    "2003-06-30",
    "2004-06-01",
    "2004-12-31",
    "2005-03-01",
    "2008-08-08",
    "2012-11-08",
    "2020-01-01",
    "2030-12-31",
];

async fn refresh(store: &Store, engine: &mut Engine, m: &MemberView) {
    store.refresh_engine_member(engine, m.id).await.unwrap();
}

store_test!(engine_equals_sql, |store| async move {
    let s = sys();
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let town = org(&store, Some(root.id), "甲镇党委", "committee", "rural").await;
    let ba = org(&store, Some(town.id), "甲村党支部", "branch", "rural").await;
    let bc = org(&store, Some(town.id), "某社区党支部", "branch", "community").await;
    let bd = org(&store, Some(town.id), "乙村党支部", "branch", "rural").await;
    let gb = org(
        &store,
        Some(root.id),
        "某企业党总支",
        "general_branch",
        "private_enterprise",
    )
    .await;
    let gb1 = org(
        &store,
        Some(gb.id),
        "第一党支部",
        "branch",
        "private_enterprise",
    )
    .await;
    let bn = store
        .create_org(
            &s,
            &jiceng_store::org::NewOrg {
                founded: "2004-01-01".into(),
                ..new_org(Some(root.id), "新建机关党支部", "branch", "organ")
            },
        )
        .await
        .unwrap();

    // Birthdays on report dates, a 一肩挑 village cadre, a minority member.
    let mut n1 = new_member(ba.id, "一", "2", "1969-12-31", "2000-03-01");
    n1.full_date = Some("2001-03-01".into());
    n1.village_post = Some("secretary_director".into());
    store.create_member(&s, &n1).await.unwrap();
    let mut n2 = new_member(bc.id, "二", "1", "1968-12-31", "2000-03-01");
    n2.full_date = Some("2001-03-01".into());
    n2.education = "high_school".into();
    n2.ethnicity = Some("回族".into());
    n2.village_post = Some("committee_member".into());
    store.create_member(&s, &n2).await.unwrap();
    let m3 = member(
        &store,
        ba.id,
        "三",
        "1",
        "1950-05-05",
        "2000-03-01",
        Some("2001-03-01"),
    )
    .await;
    event(&store, &m3, "transferred_out", "2003-05-01", None).await;
    let m4 = member(&store, bn.id, "四", "2", "1980-01-01", "2004-06-01", None).await;
    let m5 = member(
        &store,
        bd.id,
        "五",
        "1",
        "1940-01-01",
        "2000-01-01",
        Some("2001-01-01"),
    )
    .await;
    let m5 = event(&store, &m5, "moved", "2003-06-01", Some(ba.id)).await;
    let bd_now = store.get_org(&s, bd.id).await.unwrap();
    store
        .dissolve_org(&s, bd.id, "2003-06-30", bd_now.version)
        .await
        .unwrap();
    // Arrived by transfer (join date from the record), still probationary on arrival.
    let mut t = new_member(gb1.id, "转入", "2", "1984-07-01", "2004-07-01");
    t.full_date = Some("2005-07-01".into());
    t.entry = Some("transferred_in".into());
    t.entry_date = Some("2005-03-01".into());
    t.occupation = "professional".into();
    store.create_member(&s, &t).await.unwrap();
    // Joined before 1949, suspended and restored, floating.
    let mut old = new_member(gb.id, "老", "1", "1925-03-03", "1945-08-01");
    old.full_date = Some("1946-08-01".into());
    old.education = "junior_or_below".into();
    old.occupation = "retired".into();
    let old = store.create_member(&s, &old).await.unwrap();
    let old = event(&store, &old, "suspended", "2002-01-01", None).await;
    let old = event(&store, &old, "restored", "2003-01-01", None).await;
    let old = event(&store, &old, "floating_out", "2004-01-01", None).await;
    // Since Nov 2012.
    let m6 = member(
        &store,
        gb1.id,
        "六",
        "1",
        "1990-11-08",
        "2012-11-08",
        Some("2013-11-08"),
    )
    .await;

    let mut engine = store.load_engine().await.unwrap();
    assert!(engine.intervals() >= 9, "{}", engine.intervals());
    compare(&store, &engine, DATES).await;

    // The write path: each committed change is applied to the engine.
    let m4 = event(&store, &m4, "converted", "2005-06-01", None).await;
    refresh(&store, &mut engine, &m4).await;
    let m5 = event(&store, &m5, "moved", "2006-01-01", Some(gb1.id)).await;
    refresh(&store, &mut engine, &m5).await;
    let old = event(&store, &old, "died", "2007-02-02", None).await;
    refresh(&store, &mut engine, &old).await;
    let m6 = store
        .update_member(
            &s,
            m6.id,
            &MemberPatch {
                version: m6.version,
                education: Some("postgraduate".into()),
                ethnicity: Some("藏族".into()),
                village_post: Some("director".into()),
                date: Some("2020-01-01".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    refresh(&store, &mut engine, &m6).await;
    compare(&store, &engine, DATES).await;

    // A new org (the tree changes) and a member in it; then a subtree moves.
    let nb = store
        .create_org(
            &s,
            &jiceng_store::org::NewOrg {
                founded: "2008-01-01".into(),
                ..new_org(Some(town.id), "新村党支部", "branch", "rural")
            },
        )
        .await
        .unwrap();
    store.refresh_engine_orgs(&mut engine).await.unwrap();
    let m7 = member(&store, nb.id, "七", "2", "1990-02-28", "2008-08-08", None).await;
    refresh(&store, &mut engine, &m7).await;
    let gb_now = store.get_org(&s, gb.id).await.unwrap();
    store
        .move_org(&s, gb.id, town.id, "2010-01-01", gb_now.version)
        .await
        .unwrap();
    store.refresh_engine_orgs(&mut engine).await.unwrap();
    compare(&store, &engine, DATES).await;

    // And a fresh load agrees with the engine kept current.
    let fresh = store.load_engine().await.unwrap();
    assert_eq!(fresh.intervals(), engine.intervals());
    compare(&store, &fresh, &["2004-12-31", "2020-01-01"]).await;
});

store_test!(engine_with_generated_histories, |store| async move {
    generated_histories(store).await;
});

/// The same on an in-memory SQLite database, which the engine reads through the pool (a
/// file or PostgreSQL is read on a connection of its own, with another driver).
#[tokio::test]
async fn engine_with_generated_histories_in_memory() {
    let store = Store::open(
        "sqlite::memory:",
        jiceng_store::crypto::Crypto::new(&KEY).unwrap(),
    )
    .await
    .unwrap();
    generated_histories(store).await;
}

/// Several members per branch with lifecycles generated by a fixed rule, enough to put
/// figures in every bucket; every org compared on a yearly grid.
async fn generated_histories(store: Store) {
    let s = sys();
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let fields = ["rural", "community", "organ", "school", "state_enterprise"];
    let mut branches = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        let town = org(&store, Some(root.id), &format!("镇{i}"), "committee", f).await;
        for j in 0..2 {
            branches.push(org(&store, Some(town.id), &format!("支部{i}{j}"), "branch", f).await);
        }
    }
    let educations = [
        "postgraduate",
        "bachelor",
        "college",
        "technical_secondary",
        "high_school",
        "junior_or_below",
    ];
    let occupations = [
        "worker",
        "farmer",
        "professional",
        "manager",
        "party_gov_staff",
        "student",
        "other",
        "retired",
    ];
    for k in 0..40usize {
        let b = &branches[k % branches.len()];
        let by = 1935 + (k * 7) % 60;
        let jy = (by + 19 + (k * 3) % 30).min(2018);
        let birth = format!("{by}-{:02}-{:02}", 1 + k % 12, 1 + k % 28);
        let join = format!("{jy}-07-01");
        let mut n = new_member(
            b.id,
            &format!("成员{k}"),
            if k % 3 == 0 { "2" } else { "1" },
            &birth,
            &join,
        );
        n.education = educations[k % educations.len()].into();
        n.occupation = occupations[k % occupations.len()].into();
        if k % 4 != 0 {
            n.full_date = Some(format!("{}-07-01", jy + 1));
        }
        if k % 9 == 0 {
            n.ethnicity = Some("壮族".into());
        }
        let mut m = store.create_member(&s, &n).await.unwrap();
        if k % 5 == 1 {
            let to = &branches[(k + 3) % branches.len()];
            m = event(
                &store,
                &m,
                "moved",
                &format!("{}-01-01", jy + 2),
                Some(to.id),
            )
            .await;
        }
        if k % 7 == 2 {
            event(
                &store,
                &m,
                "transferred_out",
                &format!("{}-03-01", jy + 4),
                None,
            )
            .await;
        }
    }
    // Arrived by transfer, still probationary on arrival (the one event kind whose JSON
    // data the load reads), on the roster on 2005-07-01.
    let mut t = new_member(branches[1].id, "转入", "2", "1984-07-01", "2004-07-01");
    t.full_date = Some("2006-01-01".into());
    t.entry = Some("transferred_in".into());
    t.entry_date = Some("2005-03-01".into());
    store.create_member(&s, &t).await.unwrap();
    let engine = store.load_engine().await.unwrap();
    let years: Vec<String> = (1960..=2025)
        .step_by(5)
        .map(|y| format!("{y}-07-01"))
        .collect();
    let years: Vec<&str> = years.iter().map(String::as_str).collect();
    compare(&store, &engine, &years).await;
    let figs = engine.rollup(d("2020-07-01"));
    for f in figs {
        let sql = store
            .summary_sql(&s, f.org_id, d("2020-07-01"))
            .await
            .unwrap();
        assert_eq!(i64::from(f.members), sql.members.total);
        assert_eq!(i64::from(f.probationary), sql.members.probationary);
        assert_eq!(i64::from(f.female), sql.members.female);
    }
    let probationary = engine
        .summary(root.id, "某县委", d("2005-07-01"))
        .expect("root")
        .members
        .probationary;
    assert!(probationary >= 1, "the transferred-in probationary member");
}

// ---------------------------------------------------------------------------------------
// The wired-in engine: `Store::summary` served by it, kept current by the store's writes.

use jiceng_store::member::NewMemberEvent;
use jiceng_store::org::{OrgPatch, OrgView};
use jiceng_store::stats_handle::EngineStatus;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// `store.summary` (engine, which must be serving) equals `store.summary_sql`.
async fn agree(store: &Store, orgs: &[i64], dates: &[NaiveDate], after: &str) {
    assert_eq!(
        store.stats.status(),
        EngineStatus::Ready,
        "engine not serving after {after}"
    );
    for &o in orgs {
        for &day in dates {
            let eng = store.summary(&sys(), o, day).await.unwrap();
            let sql = store.summary_sql(&sys(), o, day).await.unwrap();
            assert_eq!(
                serde_json::to_value(&eng).unwrap(),
                serde_json::to_value(&sql).unwrap(),
                "org {o} on {day}, after {after}"
            );
        }
    }
}

fn pick<T: Copy>(rng: &mut StdRng, xs: &[T]) -> T {
    xs[rng.gen_range(0..xs.len())]
}

const EDUCATIONS: &[&str] = &[
    "postgraduate",
    "bachelor",
    "college",
    "technical_secondary",
    "high_school",
    "junior_or_below",
];
const OCCUPATIONS: &[&str] = &[
    "worker",
    "farmer",
    "professional",
    "manager",
    "party_gov_staff",
    "student",
    "other",
    "retired",
];
const POSTS: &[&str] = &[
    "",
    "secretary",
    "director",
    "secretary_director",
    "deputy_secretary",
    "committee_member",
];
const FIELDS: &[&str] = &[
    "rural",
    "community",
    "organ",
    "private_enterprise",
    "school",
];
const SETUPS: &[&str] = &["standalone", "joint", "affiliated", "regional"];
const EVENTS: &[&str] = &[
    "converted",
    "converted",
    "moved",
    "moved",
    "transferred_out",
    "transferred_in",
    "died",
    "floating_out",
    "floating_back",
    "suspended",
    "restored",
    "probation_extended",
    "probation_cancelled",
    "expelled",
];

store_test!(engine_never_disagrees_with_sql, |store| async move {
    let s = sys();
    let mut rng = StdRng::seed_from_u64(20_041_231);
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let mut towns: Vec<OrgView> = Vec::new();
    for (i, f) in ["rural", "community"].iter().enumerate() {
        towns.push(org(&store, Some(root.id), &format!("镇{i}"), "committee", f).await);
    }
    towns.push(
        org(
            &store,
            Some(root.id),
            "企业党总支",
            "general_branch",
            "private_enterprise",
        )
        .await,
    );
    let mut branches: Vec<i64> = Vec::new();
    for t in &towns {
        for j in 0..2 {
            branches.push(
                org(
                    &store,
                    Some(t.id),
                    &format!("{}支部{j}", t.name),
                    "branch",
                    &t.field,
                )
                .await
                .id,
            );
        }
    }
    // A few members before the load, so the load path is covered too.
    let mut members: Vec<MemberView> = Vec::new();
    for k in 0..6 {
        let b = branches[k % branches.len()];
        let m = member(
            &store,
            b,
            &format!("初{k}"),
            if k % 2 == 0 { "1" } else { "2" },
            "1960-05-05",
            "1995-07-01",
            Some("1996-07-01"),
        )
        .await;
        members.push(m);
    }
    assert_eq!(store.stats.status(), EngineStatus::Off);
    let info = store.enable_engine().await.unwrap();
    assert_eq!(info.orgs, 1 + towns.len() + branches.len());
    assert!(info.intervals >= 6 && info.bytes > 0, "{info:?}");

    // One clock for every write, so event dates never go backwards.
    let mut clock = d("2000-01-01");
    let mut ok: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut refused = 0usize;
    for step in 0..200 {
        clock += chrono::Duration::days(rng.gen_range(1..60));
        let date = clock.to_string();
        let all_orgs: Vec<i64> = std::iter::once(root.id)
            .chain(towns.iter().map(|t| t.id))
            .chain(branches.iter().copied())
            .collect();
        let mut touched: Vec<i64> = vec![root.id];
        let roll = rng.gen_range(0..100);
        let (what, res): (&str, Result<(), jiceng_store::StoreError>) = if roll < 25
            || members.is_empty()
        {
            // A new member, joined or transferred in.
            let b = pick(&mut rng, &branches);
            touched.push(b);
            let age = rng.gen_range(18..70);
            let birth = clock - chrono::Duration::days(365 * age + rng.gen_range(0..365));
            let mut n = new_member(
                b,
                &format!("人{step}"),
                if rng.gen_bool(0.4) { "2" } else { "1" },
                &birth.to_string(),
                &date,
            );
            n.education = pick(&mut rng, EDUCATIONS).to_string();
            n.occupation = pick(&mut rng, OCCUPATIONS).to_string();
            if rng.gen_bool(0.2) {
                n.ethnicity = Some("壮族".into());
            }
            let post = pick(&mut rng, POSTS);
            if !post.is_empty() {
                n.village_post = Some(post.to_string());
            }
            if rng.gen_bool(0.4) {
                // Joined years ago elsewhere, full member, arrives today.
                let join = clock - chrono::Duration::days(365 * rng.gen_range(1..age.min(40)));
                n.join_date = join.to_string();
                n.full_date = Some((join + chrono::Duration::days(400)).to_string());
                n.entry = Some("transferred_in".into());
                n.entry_date = Some(date.clone());
            }
            match store.create_member(&s, &n).await {
                Ok(m) => {
                    members.push(m);
                    ("create member", Ok(()))
                }
                Err(e) => ("create member", Err(e)),
            }
        } else if roll < 65 {
            // A lifecycle event.
            let i = rng.gen_range(0..members.len());
            let kind = pick(&mut rng, EVENTS);
            let target = pick(&mut rng, &branches);
            let m = &members[i];
            touched.extend(m.org_id);
            let org_id = matches!(kind, "moved" | "transferred_in").then_some(target);
            touched.extend(org_id);
            let e = NewMemberEvent {
                probationary: rng.gen_bool(0.3),
                ..ev(m.version, kind, &date, org_id)
            };
            match store.add_member_event(&s, m.id, &e).await {
                Ok(v) => {
                    members[i] = v;
                    (kind, Ok(()))
                }
                Err(e) => (kind, Err(e)),
            }
        } else if roll < 80 {
            // An attribute patch.
            let i = rng.gen_range(0..members.len());
            let m = &members[i];
            touched.extend(m.org_id);
            let mut p = MemberPatch {
                version: m.version,
                date: Some(date.clone()),
                ..Default::default()
            };
            match rng.gen_range(0..6) {
                0 => p.education = Some(pick(&mut rng, EDUCATIONS).to_string()),
                1 => p.occupation = Some(pick(&mut rng, OCCUPATIONS).to_string()),
                2 => p.village_post = Some(pick(&mut rng, POSTS).to_string()),
                3 => {
                    p.ethnicity = Some(
                        if rng.gen_bool(0.5) {
                            "回族"
                        } else {
                            "汉族"
                        }
                        .into(),
                    )
                }
                4 => p.gender = Some(if m.gender == "1" { "2" } else { "1" }.into()),
                _ => {
                    let b = d(&m.birth_date) - chrono::Duration::days(rng.gen_range(1..4000));
                    p.birth_date = Some(b.to_string());
                }
            }
            match store.update_member(&s, m.id, &p).await {
                Ok(v) => {
                    members[i] = v;
                    ("update member", Ok(()))
                }
                Err(e) => ("update member", Err(e)),
            }
        } else {
            // The tree: a new branch, a move, a dissolution, an edit of dates or field.
            let kind = rng.gen_range(0..4);
            let b = pick(&mut rng, &branches);
            touched.push(b);
            let current = store.get_org(&s, b).await.unwrap();
            match kind {
                0 => {
                    let parent = towns[rng.gen_range(0..towns.len())].clone();
                    touched.push(parent.id);
                    let founded = d("1995-01-01")
                        + chrono::Duration::days(
                            rng.gen_range(0..(clock - d("1995-01-01")).num_days().max(1)),
                        );
                    let n = jiceng_store::org::NewOrg {
                        founded: founded.to_string(),
                        setup_mode: Some(pick(&mut rng, SETUPS).to_string()),
                        ..new_org(
                            Some(parent.id),
                            &format!("新支部{step}"),
                            "branch",
                            pick(&mut rng, FIELDS),
                        )
                    };
                    match store.create_org(&s, &n).await {
                        Ok(o) => {
                            branches.push(o.id);
                            ("create org", Ok(()))
                        }
                        Err(e) => ("create org", Err(e)),
                    }
                }
                1 => {
                    // Sometimes a whole town moves under another, sometimes a branch.
                    let (id, version, to) = if rng.gen_bool(0.3) {
                        let t = store
                            .get_org(&s, towns[rng.gen_range(0..2)].id)
                            .await
                            .unwrap();
                        let other =
                            towns[(towns.iter().position(|x| x.id == t.id).unwrap() + 1) % 2].id;
                        let to = if t.parent_id == Some(root.id) {
                            other
                        } else {
                            root.id
                        };
                        (t.id, t.version, to)
                    } else {
                        (b, current.version, towns[rng.gen_range(0..towns.len())].id)
                    };
                    touched.push(to);
                    let r = store.move_org(&s, id, to, &date, version).await.map(|_| ());
                    ("move org", r)
                }
                2 => {
                    let r = store
                        .dissolve_org(&s, b, &date, current.version)
                        .await
                        .map(|_| ());
                    ("dissolve org", r)
                }
                _ => {
                    let mut p = OrgPatch {
                        version: current.version,
                        date: Some(date.clone()),
                        ..Default::default()
                    };
                    match rng.gen_range(0..4) {
                        0 => p.field = Some(pick(&mut rng, FIELDS).to_string()),
                        1 => p.setup_mode = Some(pick(&mut rng, SETUPS).to_string()),
                        2 => {
                            let f = d("1990-01-01")
                                + chrono::Duration::days(
                                    rng.gen_range(0..(clock - d("1990-01-01")).num_days()),
                                );
                            p.founded = Some(f.to_string());
                        }
                        _ => p.name = Some(format!("改名支部{step}")),
                    }
                    let r = store.update_org(&s, b, &p).await.map(|_| ());
                    ("update org", r)
                }
            }
        };
        match res {
            Ok(()) => *ok.entry(what).or_default() += 1,
            Err(_) => refused += 1,
        }
        // Refreshed views (a move changes a member's org name, an org write its version).
        for m in members.iter_mut() {
            if let Ok(v) = store.get_member(&s, m.id).await {
                *m = v;
            }
        }
        touched.push(pick(&mut rng, &all_orgs));
        touched.sort_unstable();
        touched.dedup();
        let random_day = d("1994-01-01")
            + chrono::Duration::days(rng.gen_range(0..(clock - d("1994-01-01")).num_days() + 400));
        let dates = [
            clock,
            clock - chrono::Duration::days(1),
            random_day,
            d("2030-12-31"),
        ];
        agree(&store, &touched, &dates, &format!("step {step}: {what}")).await;
    }
    // Every kind of write happened, and some writes were refused (also without effect).
    for what in [
        "create member",
        "update member",
        "moved",
        "transferred_out",
        "converted",
        "died",
        "create org",
        "move org",
        "update org",
        "dissolve org",
    ] {
        assert!(
            ok.get(what).copied().unwrap_or(0) > 0,
            "no successful {what}: {ok:?} ({refused} refused)"
        );
    }
    assert!(refused > 0);
    eprintln!("writes applied: {ok:?}; refused: {refused}");
    // The engine kept current equals a fresh load, everywhere.
    let all: Vec<i64> = all_orgs(&store).await.into_iter().map(|x| x.0).collect();
    agree(
        &store,
        &all,
        &[d("2001-07-01"), d("2005-12-31"), clock],
        "the whole sequence",
    )
    .await;
    let fresh = store.load_engine().await.unwrap();
    for (id, name) in all_orgs(&store).await {
        let kept = store.summary(&s, id, clock).await.unwrap();
        let loaded = fresh.summary(id, &name, clock).unwrap();
        assert_eq!(
            serde_json::to_value(&kept).unwrap(),
            serde_json::to_value(&loaded).unwrap()
        );
    }
});

store_test!(engine_concurrent_writers, |store| async move {
    // Writes interleaving at every await point (commits, refreshes) leave the engine equal
    // to the database.
    let s = sys();
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let b1 = org(&store, Some(root.id), "一支部", "branch", "organ").await;
    let b2 = org(&store, Some(root.id), "二支部", "branch", "rural").await;
    store.enable_engine().await.unwrap();
    let creates = (0..12).map(|k| {
        let store = store.clone();
        let n = new_member(
            if k % 2 == 0 { b1.id } else { b2.id },
            &format!("并{k}"),
            "2",
            "1980-01-01",
            "2003-07-01",
        );
        async move { store.create_member(&sys(), &n).await.unwrap() }
    });
    let made = futures_util::future::join_all(creates).await;
    let moves = made.iter().map(|m| {
        let store = store.clone();
        let to = if m.org_id == Some(b1.id) {
            b2.id
        } else {
            b1.id
        };
        let e = ev(m.version, "moved", "2005-01-01", Some(to));
        let id = m.id;
        async move { store.add_member_event(&sys(), id, &e).await.map(|_| ()) }
    });
    let bn = store.get_org(&s, b2.id).await.unwrap();
    let patch = OrgPatch {
        version: bn.version,
        founded: Some("2004-06-01".into()),
        ..Default::default()
    };
    let (moved, edited) = tokio::join!(
        futures_util::future::join_all(moves),
        store.update_org(&s, b2.id, &patch)
    );
    assert!(moved.iter().all(Result::is_ok));
    edited.unwrap();
    agree(
        &store,
        &[root.id, b1.id, b2.id],
        &[d("2004-01-01"), d("2004-12-31"), d("2005-06-01")],
        "concurrent writes",
    )
    .await;
});

store_test!(engine_failure_falls_back_to_sql, |store| async move {
    // A refresh the engine cannot take (a member id beyond its 32-bit column) must not
    // fail the write: the engine turns stale and reports come from SQL, still right.
    let s = sys();
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let b = org(&store, Some(root.id), "一支部", "branch", "organ").await;
    let m = member(&store, b.id, "甲", "1", "1970-01-01", "2000-07-01", None).await;
    store.enable_engine().await.unwrap();
    let days = [d("2004-12-31")];
    agree(&store, &[root.id, b.id], &days, "setup").await;

    // A member record with a huge id, copied column by column from the first.
    let row = sqlx::query("SELECT * FROM members WHERE id = $1")
        .bind(m.id)
        .fetch_one(store.db.pool())
        .await
        .unwrap();
    use sqlx::{Column, Row};
    let cols: Vec<String> = row.columns().iter().map(|c| c.name().to_string()).collect();
    let select: Vec<String> = cols
        .iter()
        .map(|c| {
            if c == "id" {
                "5000000000".to_string()
            } else {
                c.clone()
            }
        })
        .collect();
    sqlx::query(&format!(
        "INSERT INTO members ({}) SELECT {} FROM members WHERE id = $1",
        cols.join(", "),
        select.join(", ")
    ))
    .bind(m.id)
    .execute(store.db.pool())
    .await
    .unwrap();
    let big = 5_000_000_000i64;
    let v: i64 = sqlx::query_scalar("SELECT version FROM members WHERE id = $1")
        .bind(big)
        .fetch_one(store.db.pool())
        .await
        .unwrap();
    store
        .add_member_event(&s, big, &ev(v, "joined", "2003-07-01", Some(b.id)))
        .await
        .expect("the write succeeds although the engine cannot take it");
    assert_eq!(store.stats.status(), EngineStatus::Stale);
    for o in [root.id, b.id] {
        let via = store.summary(&s, o, days[0]).await.unwrap();
        let sql = store.summary_sql(&s, o, days[0]).await.unwrap();
        assert_eq!(via.members.total, 2);
        assert_eq!(
            serde_json::to_value(&via).unwrap(),
            serde_json::to_value(&sql).unwrap()
        );
    }
    // Later writes are fine too; a reload that cannot succeed leaves it stale.
    member(&store, b.id, "乙", "2", "1975-01-01", "2001-07-01", None).await;
    assert!(store.enable_engine().await.is_err());
    assert_eq!(store.stats.status(), EngineStatus::Stale);
    assert_eq!(
        store
            .summary(&s, b.id, days[0])
            .await
            .unwrap()
            .members
            .total,
        3
    );
});
