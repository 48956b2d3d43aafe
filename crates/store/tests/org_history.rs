//! An org's history names the orgs it refers to — a dissolved former parent included — so
//! the 组织沿革 never shows a bare number. On SQLite and PostgreSQL.
//!
//! `scripts/with-postgres.sh cargo test -p jiceng-store --test org_history` runs both halves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod common;

use common::*;

store_test!(history_names_dissolved_orgs, |store| async move {
    store
        .set_setting(&sys(), "reference_date", "2024-12-31")
        .await
        .unwrap();
    let root = org(&store, None, "中共某县委员会", "committee", "organ").await;
    let old = org(
        &store,
        Some(root.id),
        "中共甲镇委员会",
        "committee",
        "rural",
    )
    .await;
    let new = org(
        &store,
        Some(root.id),
        "中共乙镇委员会",
        "committee",
        "rural",
    )
    .await;
    let b = org(&store, Some(old.id), "甲村党支部", "branch", "rural").await;
    let moved = store
        .move_org(&sys(), b.id, new.id, "2020-03-01", b.version)
        .await
        .unwrap();
    assert_eq!(moved.parent_id, Some(new.id));
    let old_now = store.get_org(&sys(), old.id).await.unwrap();
    store
        .dissolve_org(&sys(), old.id, "2021-06-30", old_now.version)
        .await
        .unwrap();

    let town = user(7, jiceng_store::Role::Committee, &new, None);
    let events = store.org_events(&town, b.id).await.unwrap();
    let created = events.iter().find(|e| e.kind == "created").unwrap();
    assert_eq!(
        created.org_names.get(&old.id).map(String::as_str),
        Some("中共甲镇委员会"),
        "the dissolved first parent is named"
    );
    let mv = events.iter().find(|e| e.kind == "moved").unwrap();
    assert_eq!(
        mv.org_names.get(&old.id).map(String::as_str),
        Some("中共甲镇委员会")
    );
    assert_eq!(
        mv.org_names.get(&new.id).map(String::as_str),
        Some("中共乙镇委员会")
    );
});
