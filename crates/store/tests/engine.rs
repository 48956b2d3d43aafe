//! The in-memory statistics engine against the plain-SQL summary, on SQLite and
//! PostgreSQL: data written through the store, the engine loaded with
//! `Store::load_engine`, every org's summary compared on many dates; then writes
//! (events, attribute changes, a new org and member, a subtree move) applied to the
//! engine the way the write path will, and compared again.
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
            let sql = store.summary(&sys(), *id, day).await.unwrap();
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
    // Several members per branch with lifecycles generated by a fixed rule, enough to put
    // figures in every bucket; every org compared on a yearly grid.
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
    let engine = store.load_engine().await.unwrap();
    let years: Vec<String> = (1960..=2025)
        .step_by(5)
        .map(|y| format!("{y}-07-01"))
        .collect();
    let years: Vec<&str> = years.iter().map(String::as_str).collect();
    compare(&store, &engine, &years).await;
    let figs = engine.rollup(d("2020-07-01"));
    for f in figs {
        let sql = store.summary(&s, f.org_id, d("2020-07-01")).await.unwrap();
        assert_eq!(i64::from(f.members), sql.members.total);
        assert_eq!(i64::from(f.probationary), sql.members.probationary);
        assert_eq!(i64::from(f.female), sql.members.female);
    }
});
