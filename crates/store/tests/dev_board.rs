//! The development board's 预备党员 column counts the roster: probationary members admitted
//! through the pipeline, entered directly (before the system was used) or transferred in
//! on probation are all counted, once each, in their subtree. SQLite and PostgreSQL
//! (`store_test!`).
//!
//! `scripts/with-postgres.sh cargo test -p jiceng-store --test dev_board` runs both halves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod common;

use common::*;
use jiceng_store::Store;

async fn probationary_on_board(store: &Store, org: i64) -> i64 {
    store
        .dev_board(&sys(), org)
        .await
        .unwrap()
        .iter()
        .find(|c| c.stage == "probationary")
        .unwrap()
        .count
}

store_test!(
    board_counts_probationary_members_of_the_roster,
    |store: Store| async move {
        let s = sys();
        store
            .set_setting(&s, "reference_date", "2004-12-31")
            .await
            .unwrap();
        let county = org(&store, None, "中共测试县委员会", "committee", "organ").await;
        let town_a = org(
            &store,
            Some(county.id),
            "中共甲镇委员会",
            "committee",
            "rural",
        )
        .await;
        let town_b = org(
            &store,
            Some(county.id),
            "中共乙镇委员会",
            "committee",
            "rural",
        )
        .await;
        let a1 = org(&store, Some(town_a.id), "甲村党支部", "branch", "rural").await;
        let a2 = org(&store, Some(town_a.id), "丙村党支部", "branch", "rural").await;
        let b1 = org(&store, Some(town_b.id), "乙村党支部", "branch", "rural").await;
        // Two probationary members in town A (joined in 2004, no pipeline record), one full
        // member there, one probationary member in town B.
        member(&store, a1.id, "张伟", "1", "1980-03-01", "2004-06-01", None).await;
        member(&store, a2.id, "李静", "2", "1982-05-01", "2004-09-01", None).await;
        member(
            &store,
            a1.id,
            "王强",
            "1",
            "1960-01-01",
            "1990-07-01",
            Some("1991-07-01"),
        )
        .await;
        member(&store, b1.id, "赵敏", "2", "1983-02-01", "2004-03-01", None).await;
        // Converted before "today": no longer on the board.
        let m = member(&store, b1.id, "孙丽", "2", "1981-02-01", "2003-10-01", None).await;
        event(&store, &m, "converted", "2004-10-01", None).await;

        assert_eq!(probationary_on_board(&store, town_a.id).await, 2);
        assert_eq!(probationary_on_board(&store, town_b.id).await, 1);
        assert_eq!(probationary_on_board(&store, county.id).await, 3);
        assert_eq!(probationary_on_board(&store, a2.id).await, 1);
    }
);
