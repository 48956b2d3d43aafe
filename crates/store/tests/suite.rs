//! Behavioural suite of the store: every test runs on SQLite and on PostgreSQL.
//!
//! `cargo test -p jiceng-store --test suite` runs the SQLite half and skips PostgreSQL
//! unless `JICENG_TEST_PG_URL` is set; `scripts/with-postgres.sh cargo test -p jiceng-store
//! --test suite` runs both (and then a missing server is an error, `JICENG_REQUIRE_PG=1`).
//!
//! until the store is fixed (`-- --ignored` runs them), then the `ignore` goes:
//! `change_password_ends_other_sessions`, `concurrent_events_same_version` (PostgreSQL),
//! `join_eras_count_transferred_members`, `lockout_under_parallel_guessing`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod common;

use std::collections::{BTreeSet, HashMap};

use chrono::{Days, Months};
use common::*;
use jiceng_domain::codes::Coded;
use jiceng_domain::member::{mask_id, state_at, EventLite, MemberEventKind};
use jiceng_store::audit::{self, AuditFilter};
use jiceng_store::auth::{LoginError, LoginPolicy, NewUser};
use jiceng_store::member::{MemberFilter, MemberPatch, MemberView, NewMemberEvent};
use jiceng_store::org::{OrgFilter, OrgPatch, OrgView};
use jiceng_store::{Action, Paging, Role, Scope, Store, StoreError};
use sqlx::Row;

// ---------------------------------------------------------------------------------------
// Small helpers local to the suite.

fn ids<'a>(it: impl IntoIterator<Item = &'a MemberView>) -> BTreeSet<i64> {
    it.into_iter().map(|m| m.id).collect()
}

fn org_ids<'a>(it: impl IntoIterator<Item = &'a OrgView>) -> Vec<i64> {
    it.into_iter().map(|o| o.id).collect()
}

fn set(v: &[i64]) -> BTreeSet<i64> {
    v.iter().copied().collect()
}

/// Members matching a filter, as the system sees them (all on one page).
async fn find(store: &Store, f: MemberFilter) -> BTreeSet<i64> {
    let f = MemberFilter {
        page_size: Some(500),
        ..f
    };
    let p = store.list_members(&sys(), &f).await.unwrap();
    assert_eq!(p.total as usize, p.items.len());
    ids(&p.items)
}

fn q(text: &str) -> MemberFilter {
    MemberFilter {
        q: Some(text.to_string()),
        ..Default::default()
    }
}

fn patch_phone(version: i64, phone: &str) -> MemberPatch {
    MemberPatch {
        version,
        phone: Some(phone.to_string()),
        ..Default::default()
    }
}

async fn all_orgs(store: &Store, scope: &Scope, f: OrgFilter) -> Vec<OrgView> {
    let p = store
        .list_orgs(scope, &f, Paging::new(None, Some(500)))
        .await
        .unwrap();
    assert_eq!(p.total as usize, p.items.len());
    p.items
}

// ---------------------------------------------------------------------------------------
// 1. Org tree

store_test!(org_tree, |store| async move {
    let s = sys();
    let root = org(&store, None, "某县委", "committee", "organ").await;
    assert_eq!(root.parent_id, None);
    assert_eq!(root.depth, 0);
    assert_eq!(root.path, format!("/{}/", root.id));
    assert_eq!(root.kind_zh, "党委");
    assert_eq!(
        invalid_code(
            store
                .create_org(&s, &new_org(None, "另一县委", "committee", "organ"))
                .await
        ),
        "org.root_exists"
    );

    let town_a = org(&store, Some(root.id), "甲镇党委", "committee", "rural").await;
    let town_b = org(&store, Some(root.id), "乙镇党委", "committee", "rural").await;
    let va1 = org(
        &store,
        Some(town_a.id),
        "甲一村党总支",
        "general_branch",
        "rural",
    )
    .await;
    let va2 = org(&store, Some(town_a.id), "甲二村党支部", "branch", "rural").await;
    let b1 = org(&store, Some(va1.id), "甲一村第一党支部", "branch", "rural").await;
    let b2 = org(&store, Some(va1.id), "甲一村第二党支部", "branch", "rural").await;
    let vb1 = org(&store, Some(town_b.id), "乙一村党支部", "branch", "rural").await;
    assert_eq!(b1.path, format!("{}{}/", va1.path, b1.id));
    assert_eq!(b1.depth, 3);
    assert_eq!(b1.parent_id, Some(va1.id));
    assert_eq!(b1.version, 1);

    // Tree order: depth first by path, the root first, every parent before its children.
    let all = all_orgs(&store, &s, OrgFilter::default()).await;
    assert_eq!(all.len(), 8);
    assert_eq!(all[0].id, root.id);
    let paths: Vec<&str> = all.iter().map(|o| o.path.as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    for (i, o) in all.iter().enumerate() {
        if let Some(p) = o.parent_id {
            let pi = all.iter().position(|x| x.id == p).expect("parent listed");
            assert!(pi < i, "parent of {} listed after it", o.name);
        }
        // A subtree is contiguous.
        let n = all.iter().filter(|x| x.path.starts_with(&o.path)).count();
        assert!(all[i..i + n].iter().all(|x| x.path.starts_with(&o.path)));
    }
    assert_eq!(all[0].member_count, Some(0));
    assert_eq!(all[0].child_count, Some(2));

    // A committee on town A: its top first, then only its subtree.
    let ca = user(1, Role::Committee, &town_a, None);
    let la = all_orgs(&store, &ca, OrgFilter::default()).await;
    assert_eq!(la[0].id, town_a.id);
    assert_eq!(
        set(&org_ids(&la)),
        set(&[town_a.id, va1.id, va2.id, b1.id, b2.id])
    );
    assert!(!org_ids(&la).contains(&vb1.id));

    // `under` limits to a subtree; `kind` filters.
    let under = all_orgs(
        &store,
        &s,
        OrgFilter {
            under: Some(va1.id),
            ..Default::default()
        },
    )
    .await;
    let mut want = vec![&va1, &b1, &b2];
    want.sort_by(|a, b| a.path.cmp(&b.path));
    assert_eq!(org_ids(&under), org_ids(want));
    let branches = all_orgs(
        &store,
        &s,
        OrgFilter {
            kind: Some("branch".into()),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(
        set(&org_ids(&branches)),
        set(&[va2.id, b1.id, b2.id, vb1.id])
    );
    // Paging over the listing.
    let p2 = store
        .list_orgs(&s, &OrgFilter::default(), Paging::new(Some(2), Some(3)))
        .await
        .unwrap();
    assert_eq!((p2.total, p2.page, p2.page_size), (8, 2, 3));
    assert_eq!(org_ids(&p2.items), org_ids(&all[3..6]));

    // Children: live children ordered by id, with counts.
    let kids = store.children(&s, town_a.id).await.unwrap();
    assert_eq!(org_ids(&kids), vec![va1.id, va2.id]);
    assert_eq!(kids[0].child_count, Some(2));
    assert_eq!(kids[1].child_count, Some(0));
    assert_eq!(
        store.get_org(&s, va1.id).await.unwrap().child_count,
        Some(2)
    );

    // Rename: a `renamed` event and an audit row; no `updated` event for a name alone.
    let audit_before = audit_rows(&store).await;
    let renamed = store
        .update_org(
            &s,
            va2.id,
            &OrgPatch {
                version: va2.version,
                date: Some("2020-05-01".into()),
                name: Some("甲二村党支部（更名）".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(renamed.name, "甲二村党支部（更名）");
    assert_eq!(renamed.version, va2.version + 1);
    assert_eq!(audit_rows(&store).await, audit_before + 1);
    let evs = store.org_events(&s, va2.id).await.unwrap();
    let kinds: Vec<&str> = evs.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, vec!["created", "renamed"]);
    assert_eq!(evs[1].date, "2020-05-01");
    assert_eq!(evs[1].data["from"], "甲二村党支部");
    assert_eq!(evs[1].data["to"], "甲二村党支部（更名）");
    let log = audit::list(
        &store.db,
        &s,
        &AuditFilter {
            entity: Some("org".into()),
            entity_id: Some(va2.id.to_string()),
            ..Default::default()
        },
        Paging::default(),
    )
    .await
    .unwrap();
    let actions: Vec<&str> = log.items.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, vec!["org.update", "org.create"], "newest first");
    let upd = &log.items[0];
    assert_eq!(upd.before.as_ref().unwrap()["name"], "甲二村党支部");
    assert_eq!(upd.after.as_ref().unwrap()["name"], "甲二村党支部（更名）");
    assert_eq!(upd.actor_name, "test");

    // Stale version → Conflict carrying the current version.
    let stale = store
        .update_org(
            &s,
            va2.id,
            &OrgPatch {
                version: va2.version,
                name: Some("又一个名字".into()),
                ..Default::default()
            },
        )
        .await;
    assert!(
        matches!(stale, Err(StoreError::Conflict { current }) if current == renamed.version),
        "{stale:?}"
    );

    // Another attribute is an `updated` event.
    let phoned = store
        .update_org(
            &s,
            va2.id,
            &OrgPatch {
                version: renamed.version,
                phone: Some("0551-1234567".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(phoned.phone.as_deref(), Some("0551-1234567"));
    let kinds: Vec<String> = store
        .org_events(&s, va2.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, vec!["created", "renamed", "updated"]);

    // Nesting rules.
    let create = |parent: i64, name: &str, kind: &str| {
        let n = new_org(Some(parent), name, kind, "rural");
        let store = store.clone();
        async move { store.create_org(&sys(), &n).await }
    };
    assert_eq!(
        invalid_code(create(b1.id, "支部下的支部", "branch").await),
        "org.parent_kind"
    );
    assert_eq!(
        invalid_code(create(va1.id, "总支下的党委", "committee").await),
        "org.parent_kind"
    );
    let group = create(b1.id, "第一党小组", "group").await.unwrap();
    assert_eq!(group.kind, "group");
    assert_eq!(
        invalid_code(create(group.id, "小组下的小组", "group").await),
        "org.parent_kind"
    );
    assert_eq!(
        invalid_code(create(town_a.id, "无名", "no_such_kind").await),
        "org.kind_unknown"
    );
    assert_eq!(
        invalid_code(create(town_a.id, "   ", "branch").await),
        "org.name_invalid"
    );

    // Duplicate sibling names are refused; the same name elsewhere is fine.
    let dup = create(town_a.id, "甲一村党总支", "general_branch").await;
    assert!(matches!(dup, Err(StoreError::Duplicate(_))), "{dup:?}");
    create(town_b.id, "甲一村党总支", "general_branch")
        .await
        .unwrap();
    let dup_rename = store
        .update_org(
            &s,
            va2.id,
            &OrgPatch {
                version: phoned.version,
                name: Some("甲一村党总支".into()),
                ..Default::default()
            },
        )
        .await;
    assert!(
        matches!(dup_rename, Err(StoreError::Duplicate(_))),
        "{dup_rename:?}"
    );

    // Credit codes: check digit verified.
    let mut n = new_org(
        Some(town_a.id),
        "某公司党支部",
        "branch",
        "private_enterprise",
    );
    n.credit_code = Some("91110000600037341M".into());
    assert_eq!(
        invalid_code(store.create_org(&s, &n).await),
        "org.credit_code_check_digit"
    );
    n.credit_code = Some("91110000600037341L".into());
    n.region_code = Some("340102".into());
    let firm = store.create_org(&s, &n).await.unwrap();
    assert_eq!(firm.credit_code.as_deref(), Some("91110000600037341L"));
    assert_eq!(firm.region_code.as_deref(), Some("340102"));
    assert_eq!(firm.field, "private_enterprise");
    let bad_patch = store
        .update_org(
            &s,
            firm.id,
            &OrgPatch {
                version: firm.version,
                credit_code: Some("91110000600037341X".into()),
                ..Default::default()
            },
        )
        .await;
    assert_eq!(invalid_code(bad_patch), "org.credit_code_check_digit");
});

// ---------------------------------------------------------------------------------------
// 2. Moving a subtree

store_test!(move_subtree, |store| async move {
    let s = sys();
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let town_a = org(&store, Some(root.id), "甲镇党委", "committee", "rural").await;
    let town_b = org(&store, Some(root.id), "乙镇党委", "committee", "rural").await;
    let hub = org(
        &store,
        Some(root.id),
        "城区党工委",
        "working_committee",
        "organ",
    )
    .await;
    let va1 = org(
        &store,
        Some(town_a.id),
        "甲一村党总支",
        "general_branch",
        "rural",
    )
    .await;
    let b1 = org(&store, Some(va1.id), "甲一村第一党支部", "branch", "rural").await;
    let b2 = org(&store, Some(va1.id), "甲一村第二党支部", "branch", "rural").await;
    let va2 = org(&store, Some(town_a.id), "甲二村党支部", "branch", "rural").await;
    let vb1 = org(&store, Some(town_b.id), "乙一村党支部", "branch", "rural").await;
    let m1 = member(&store, b1.id, "张一", "1", "1970-01-01", "2000-01-01", None).await;
    let m2 = member(
        &store,
        va2.id,
        "张二",
        "1",
        "1970-01-01",
        "2000-01-01",
        None,
    )
    .await;
    let m3 = member(
        &store,
        vb1.id,
        "张三",
        "1",
        "1970-01-01",
        "2000-01-01",
        None,
    )
    .await;

    let old: HashMap<i64, OrgView> = [&town_a, &va1, &b1, &b2, &va2]
        .into_iter()
        .map(|o| (o.id, o.clone()))
        .collect();
    let moved = store
        .move_org(&s, town_a.id, hub.id, "2021-01-01", town_a.version)
        .await
        .unwrap();
    assert_eq!(moved.parent_id, Some(hub.id));
    assert_eq!(moved.path, format!("{}{}/", hub.path, town_a.id));
    assert_eq!(moved.depth, 2);
    assert_eq!(moved.version, town_a.version + 1);
    for (id, before) in &old {
        let now = store.get_org(&s, *id).await.unwrap();
        let suffix = before.path.strip_prefix(&town_a.path).unwrap();
        assert_eq!(
            now.path,
            format!("{}{}", moved.path, suffix),
            "{}",
            now.name
        );
        assert_eq!(now.depth, before.depth + 1, "{}", now.name);
    }
    // Nothing is left under the old prefix; the rest of the tree did not move.
    let all = all_orgs(&store, &s, OrgFilter::default()).await;
    assert!(all.iter().all(|o| !o.path.starts_with(&town_a.path)));
    assert_eq!(store.get_org(&s, vb1.id).await.unwrap().path, vb1.path);
    assert_eq!(
        store.get_org(&s, hub.id).await.unwrap().child_count,
        Some(1)
    );
    assert_eq!(
        store.get_org(&s, root.id).await.unwrap().child_count,
        Some(2)
    );

    // Members follow their orgs.
    let under = |id: i64| MemberFilter {
        org: Some(id),
        ..Default::default()
    };
    assert_eq!(find(&store, under(hub.id)).await, set(&[m1.id, m2.id]));
    assert_eq!(find(&store, under(town_a.id)).await, set(&[m1.id, m2.id]));
    assert_eq!(find(&store, under(b1.id)).await, set(&[m1.id]));
    assert_eq!(
        find(&store, under(root.id)).await,
        set(&[m1.id, m2.id, m3.id])
    );
    assert_eq!(
        store.get_org(&s, hub.id).await.unwrap().member_count,
        Some(2)
    );
    // A committee on the new parent now governs them.
    let ch = user(1, Role::Committee, &hub, None);
    assert_eq!(
        store.get_member(&ch, m1.id).await.unwrap().org_id,
        Some(b1.id)
    );
    assert!(matches!(
        store.get_member(&ch, m3.id).await,
        Err(StoreError::NotFound)
    ));

    let evs = store.org_events(&s, town_a.id).await.unwrap();
    let mv = evs.iter().find(|e| e.kind == "moved").expect("moved event");
    assert_eq!(mv.date, "2021-01-01");
    assert_eq!(mv.data["from_parent"], root.id);
    assert_eq!(mv.data["to_parent"], hub.id);

    // Into its own subtree, or under itself: refused.
    let cur = store.get_org(&s, town_a.id).await.unwrap();
    for target in [va1.id, b1.id, town_a.id] {
        assert_eq!(
            invalid_code(
                store
                    .move_org(&s, town_a.id, target, "2021-02-01", cur.version)
                    .await
            ),
            "org.move_into_self"
        );
    }
    assert_eq!(
        invalid_code(
            store
                .move_org(&s, town_a.id, hub.id, "2021-02-01", cur.version)
                .await
        ),
        "org.move_same_parent"
    );
    assert!(matches!(
        store
            .move_org(&s, town_a.id, root.id, "2021-02-01", town_a.version)
            .await,
        Err(StoreError::Conflict { current }) if current == cur.version
    ));
    // A committee under a general branch is refused by kind.
    let va2_now = store.get_org(&s, va2.id).await.unwrap();
    assert_eq!(
        invalid_code(
            store
                .move_org(&s, town_b.id, va1.id, "2021-02-01", town_b.version)
                .await
        ),
        "org.parent_kind"
    );

    // A committee may restructure below its root but not move its root, nor move into
    // what it cannot see.
    let ca = user(2, Role::Committee, &cur, None);
    assert!(matches!(
        store
            .move_org(&ca, town_a.id, root.id, "2021-02-01", cur.version)
            .await,
        Err(StoreError::Forbidden)
    ));
    assert!(matches!(
        store
            .move_org(&ca, va2.id, town_b.id, "2021-02-01", va2_now.version)
            .await,
        Err(StoreError::NotFound)
    ));
    let va2_moved = store
        .move_org(&ca, va2.id, va1.id, "2021-02-01", va2_now.version)
        .await
        .unwrap();
    assert!(va2_moved
        .path
        .starts_with(&store.get_org(&s, va1.id).await.unwrap().path));
    assert_eq!(find(&store, under(va1.id)).await, set(&[m1.id, m2.id]));
});

// ---------------------------------------------------------------------------------------
// 3. Dissolving

store_test!(dissolve, |store| async move {
    let s = sys();
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let town = org(&store, Some(root.id), "甲镇党委", "committee", "rural").await;
    let va = org(
        &store,
        Some(town.id),
        "甲村党总支",
        "general_branch",
        "rural",
    )
    .await;
    let b = org(&store, Some(va.id), "甲村第一党支部", "branch", "rural").await;
    let m = member(
        &store,
        b.id,
        "张三",
        "1",
        "1970-01-01",
        "2000-01-01",
        Some("2001-01-01"),
    )
    .await;

    assert_eq!(
        invalid_code(store.dissolve_org(&s, b.id, "2011-01-01", b.version).await),
        "org.has_members"
    );
    assert_eq!(
        invalid_code(
            store
                .dissolve_org(&s, va.id, "2011-01-01", va.version)
                .await
        ),
        "org.has_children"
    );
    assert!(matches!(
        store
            .dissolve_org(&s, b.id, "2011-01-01", b.version + 5)
            .await,
        Err(StoreError::Conflict { .. })
    ));

    let gone = event(&store, &m, "transferred_out", "2010-01-01", None).await;
    assert!(!gone.active);
    let audit_before = audit_rows(&store).await;
    let db = store
        .dissolve_org(&s, b.id, "2011-01-01", b.version)
        .await
        .unwrap();
    assert_eq!(db.dissolved.as_deref(), Some("2011-01-01"));
    assert_eq!(db.version, b.version + 1);
    assert_eq!(audit_rows(&store).await, audit_before + 1);
    let evs = store.org_events(&s, b.id).await.unwrap();
    let last = evs.last().unwrap();
    assert_eq!(
        (last.kind.as_str(), last.date.as_str()),
        ("dissolved", "2011-01-01")
    );
    let log = audit::list(
        &store.db,
        &s,
        &AuditFilter {
            entity_id: Some(b.id.to_string()),
            entity: Some("org".into()),
            ..Default::default()
        },
        Paging::default(),
    )
    .await
    .unwrap();
    assert_eq!(log.items[0].action, "org.dissolve");

    // Excluded from listings by default, kept on request; still readable by id.
    let live = all_orgs(&store, &s, OrgFilter::default()).await;
    assert!(!org_ids(&live).contains(&b.id));
    let everything = all_orgs(
        &store,
        &s,
        OrgFilter {
            include_dissolved: true,
            ..Default::default()
        },
    )
    .await;
    assert!(org_ids(&everything).contains(&b.id));
    assert!(store.children(&s, va.id).await.unwrap().is_empty());
    assert_eq!(store.get_org(&s, va.id).await.unwrap().child_count, Some(0));
    assert_eq!(
        store.get_org(&s, b.id).await.unwrap().dissolved.as_deref(),
        Some("2011-01-01")
    );

    // A dissolved org takes no new members, edits or children, and is not dissolved twice.
    assert_eq!(
        invalid_code(
            store
                .create_member(
                    &s,
                    &new_member(b.id, "李四", "1", "1970-01-01", "2012-01-01")
                )
                .await
        ),
        "member.org_dissolved"
    );
    assert_eq!(
        invalid_code(
            store
                .update_org(
                    &s,
                    b.id,
                    &OrgPatch {
                        version: db.version,
                        phone: Some("12345678".into()),
                        ..Default::default()
                    }
                )
                .await
        ),
        "org.dissolved"
    );
    assert_eq!(
        invalid_code(store.dissolve_org(&s, b.id, "2012-01-01", db.version).await),
        "org.dissolved"
    );
    // The name is free again among live siblings.
    org(&store, Some(va.id), "甲村第一党支部", "branch", "rural").await;

    // Dissolving before the founding date is refused.
    let young = store
        .create_org(
            &s,
            &jiceng_store::org::NewOrg {
                founded: "2015-01-01".into(),
                ..new_org(Some(town.id), "新建党支部", "branch", "rural")
            },
        )
        .await
        .unwrap();
    assert_eq!(
        invalid_code(
            store
                .dissolve_org(&s, young.id, "2014-12-31", young.version)
                .await
        ),
        "org.dissolve_before_founded"
    );
    store
        .dissolve_org(&s, young.id, "2015-01-01", young.version)
        .await
        .unwrap();
    assert_eq!(
        invalid_code(
            store
                .create_org(&s, &new_org(Some(young.id), "小组", "group", "rural"))
                .await
        ),
        "org.parent_dissolved"
    );
});

// ---------------------------------------------------------------------------------------
// 4. Members, ID numbers, encryption, masking

store_test!(members_and_id_numbers, |store| async move {
    let s = sys();
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let town = org(&store, Some(root.id), "甲镇党委", "committee", "rural").await;
    let b = org(&store, Some(town.id), "甲村党支部", "branch", "rural").await;

    let birth = "1980-05-17";
    let idn = id_for(birth, "1", 123);
    let mut n = new_member(b.id, "张三", "1", birth, "2005-07-01");
    n.id_number = Some(idn.clone());
    n.phone = Some("13800000001".into());
    let m = store.create_member(&s, &n).await.unwrap();
    assert_eq!(m.id_number.as_deref(), Some(idn.as_str()));
    assert!(!m.id_masked);
    assert!(m.active);
    assert_eq!(m.status.as_deref(), Some("probationary"));
    assert_eq!(m.org_id, Some(b.id));
    assert_eq!(m.org_name.as_deref(), Some("甲村党支部"));
    assert_eq!(m.join_date.as_deref(), Some("2005-07-01"));
    assert_eq!(m.full_date, None);
    assert_eq!(m.name_initials, "zs");
    assert_eq!(m.ethnicity, "01");
    assert_eq!(m.gender, "1");

    // ID checks.
    let other = |name: &str, gender: &str, birth: &str, id: &str| {
        let mut n = new_member(b.id, name, gender, birth, "2005-07-01");
        n.id_number = Some(id.to_string());
        let store = store.clone();
        async move { store.create_member(&sys(), &n).await }
    };
    assert_eq!(
        invalid_code(other("李四", "1", "1980-05-18", &idn).await),
        "member.id_card_birth_mismatch"
    );
    assert_eq!(
        invalid_code(other("李四", "2", birth, &idn).await),
        "member.id_card_gender_mismatch"
    );
    let mut bad = idn[..17].to_string();
    bad.push(if idn.ends_with('0') { '1' } else { '0' });
    assert_eq!(
        invalid_code(other("李四", "1", birth, &bad).await),
        "member.id_card_check_digit"
    );
    assert_eq!(
        invalid_code(other("李四", "1", birth, &idn[..17]).await),
        "member.id_card_length"
    );
    let dup = other("李四", "1", birth, &idn).await;
    assert!(matches!(dup, Err(StoreError::Duplicate(_))), "{dup:?}");
    let dup_lower = other("李四", "1", birth, &format!(" {} ", idn.to_lowercase())).await;
    assert!(
        matches!(dup_lower, Err(StoreError::Duplicate(_))),
        "{dup_lower:?}"
    );

    // Joining under 18 is refused; the 18th birthday itself is fine.
    assert_eq!(
        invalid_code(
            store
                .create_member(
                    &s,
                    &new_member(b.id, "王五", "1", "1990-06-01", "2008-05-31")
                )
                .await
        ),
        "member.join_under_18"
    );
    let w = store
        .create_member(
            &s,
            &new_member(b.id, "王五", "1", "1990-06-01", "2008-06-01"),
        )
        .await
        .unwrap();
    assert_eq!(w.id_number, None);
    assert!(!w.id_masked);
    assert_eq!(
        invalid_code(
            store
                .create_member(
                    &s,
                    &new_member(b.id, "赵六", "3", "1990-06-01", "2010-06-01")
                )
                .await
        ),
        "member.gender_invalid"
    );
    let mut early = new_member(b.id, "赵六", "1", "1970-01-01", "2000-01-01");
    early.full_date = Some("2000-12-31".into());
    assert_eq!(
        invalid_code(store.create_member(&s, &early).await),
        "member.full_before_probation_end"
    );

    // More writes, so that the audit log has befores and afters about this member.
    let ca = user(1, Role::Committee, &town, None);
    let m = store
        .update_member(&ca, m.id, &patch_phone(m.version, "13800000002"))
        .await
        .unwrap();
    assert_eq!(m.phone.as_deref(), Some("13800000002"));
    let m = event(&store, &m, "converted", "2006-07-01", None).await;
    assert_eq!(m.status.as_deref(), Some("full"));
    // An edit by a role that sees the number masked keeps the stored number intact.
    assert_eq!(
        store
            .get_member(&s, m.id)
            .await
            .unwrap()
            .id_number
            .as_deref(),
        Some(idn.as_str())
    );

    // At rest: encrypted, blind-indexed, never in clear.
    let row = sqlx::query("SELECT id_enc, id_hash, id_tail FROM members WHERE id = $1")
        .bind(m.id)
        .fetch_one(store.db.pool())
        .await
        .unwrap();
    let enc: String = row.try_get(0).unwrap();
    let hash: String = row.try_get(1).unwrap();
    let tail: String = row.try_get(2).unwrap();
    assert_ne!(enc, idn);
    assert!(!enc.contains(&idn));
    assert_eq!(store.crypto.decrypt(&enc).unwrap(), idn);
    assert_ne!(hash, idn);
    assert!(!hash.contains(&idn));
    assert_eq!(hash, store.crypto.blind_index(&idn));
    assert_eq!(tail, idn[14..]);
    let audit_text: Vec<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT before_json, after_json FROM audit_log ORDER BY seq")
            .fetch_all(store.db.pool())
            .await
            .unwrap();
    assert!(!audit_text.is_empty());
    let mut saw_masked = false;
    for (b4, af) in &audit_text {
        for t in [b4, af].into_iter().flatten() {
            assert!(!t.contains(&idn), "plain ID number in the audit log: {t}");
            saw_masked |= t.contains(&mask_id(&idn));
        }
    }
    assert!(saw_masked, "the audit log keeps the masked number");
    let ev_text: Vec<String> = sqlx::query_scalar("SELECT data FROM member_events")
        .fetch_all(store.db.pool())
        .await
        .unwrap();
    assert!(ev_text.iter().all(|t| !t.contains(&idn)));

    // Masking by role.
    let shown = |scope: Scope| {
        let store = store.clone();
        async move { store.get_member(&scope, m.id).await.unwrap() }
    };
    for scope in [
        user(1, Role::Committee, &town, None),
        user(2, Role::Branch, &b, None),
    ] {
        let v = shown(scope).await;
        assert!(v.id_masked);
        let masked = v.id_number.unwrap();
        assert_eq!(masked, mask_id(&idn));
        assert!(masked.starts_with("110***"));
        assert!(masked.ends_with(&idn[14..]));
        assert_eq!(masked.chars().filter(|c| *c == '*').count(), 11);
    }
    // Admin and the organization department see it masked too: a full number is revealed one
    // at a time, audited (see the reveal_member_id case in tests/masking.rs).
    for scope in [
        user(3, Role::Admin, &root, None),
        user(4, Role::OrgDept, &town, None),
    ] {
        let v = shown(scope).await;
        assert!(v.id_masked);
        assert_eq!(v.id_number.as_deref(), Some(mask_id(&idn).as_str()));
    }
    // Listings mask the same way.
    let listed = store
        .list_members(&ca, &MemberFilter::default())
        .await
        .unwrap();
    let me = listed.items.iter().find(|x| x.id == m.id).unwrap();
    assert!(me.id_masked);
    assert_eq!(me.id_number.as_deref(), Some(mask_id(&idn).as_str()));

    // Clearing the number removes hash and tail too.
    let cleared = store
        .update_member(
            &s,
            m.id,
            &MemberPatch {
                version: m.version,
                id_number: Some(String::new()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(cleared.id_number, None);
    let (e2, h2): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT id_enc, id_hash FROM members WHERE id = $1")
            .bind(m.id)
            .fetch_one(store.db.pool())
            .await
            .unwrap();
    assert_eq!((e2, h2), (None, None));
    // …and frees it for another record.
    other("李四", "1", birth, &idn).await.unwrap();
});

// ---------------------------------------------------------------------------------------
// 5. Search and filters

store_test!(search_and_filters, |store| async move {
    let s = sys();
    store
        .set_setting(&s, "reference_date", "2020-06-30")
        .await
        .unwrap();
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let b1 = org(&store, Some(root.id), "第一党支部", "branch", "organ").await;
    let b2 = org(&store, Some(root.id), "第二党支部", "branch", "organ").await;

    let mk = |org_id: i64,
              name: &str,
              gender: &str,
              birth: &str,
              join: &str,
              full: Option<&str>,
              edu: &str,
              id_seq: Option<u16>,
              phone: Option<&str>,
              post: Option<&str>| {
        let mut n = new_member(org_id, name, gender, birth, join);
        n.full_date = full.map(str::to_string);
        n.education = edu.to_string();
        n.id_number = id_seq.map(|q| id_for(birth, gender, q));
        n.phone = phone.map(str::to_string);
        n.village_post = post.map(str::to_string);
        let store = store.clone();
        async move { store.create_member(&sys(), &n).await.unwrap() }
    };
    // 张三 turns 35 exactly on the reference date; 李四 turns 35 the day after; 王五 turns
    // 36 exactly on the reference date.
    let zs = mk(
        b1.id,
        "张三",
        "1",
        "1985-06-30",
        "2010-01-01",
        Some("2011-01-01"),
        "bachelor",
        Some(11),
        Some("13912345678"),
        None,
    )
    .await;
    let ls = mk(
        b1.id,
        "李四",
        "2",
        "1985-07-01",
        "2019-01-01",
        None,
        "high_school",
        Some(22),
        None,
        Some("secretary"),
    )
    .await;
    let ww = mk(
        b1.id,
        "王五",
        "1",
        "1984-06-30",
        "2005-01-01",
        Some("2006-01-01"),
        "bachelor",
        Some(33),
        None,
        None,
    )
    .await;
    let zl = mk(
        b2.id,
        "赵六",
        "2",
        "1960-01-01",
        "1990-01-01",
        Some("1991-01-01"),
        "junior_or_below",
        None,
        None,
        None,
    )
    .await;
    let qq = mk(
        b2.id,
        "钱七",
        "1",
        "1990-03-03",
        "2020-01-01",
        None,
        "postgraduate",
        None,
        None,
        None,
    )
    .await;
    let everyone = set(&[zs.id, ls.id, ww.id, zl.id, qq.id]);

    // Name substring, pinyin initials and full pinyin.
    assert_eq!(find(&store, q("三")).await, set(&[zs.id]));
    assert_eq!(find(&store, q("张")).await, set(&[zs.id]));
    assert_eq!(find(&store, q("zs")).await, set(&[zs.id]));
    assert_eq!(find(&store, q("ZS")).await, set(&[zs.id]));
    assert_eq!(find(&store, q("zhang")).await, set(&[zs.id]));
    assert_eq!(find(&store, q("ww")).await, set(&[ww.id]));
    assert_eq!(find(&store, q("无此人")).await, set(&[]));
    // Phone, whole or part.
    assert_eq!(find(&store, q("13912345678")).await, set(&[zs.id]));
    assert_eq!(find(&store, q("1234567")).await, set(&[zs.id]));
    // ID tail (4 characters) and the full number through the blind index.
    let ww_id = id_for("1984-06-30", "1", 33);
    let tail = &ww_id[14..];
    assert!(
        !"13912345678".contains(tail),
        "test data: tail must not be in a phone"
    );
    assert_eq!(find(&store, q(tail)).await, set(&[ww.id]));
    assert_eq!(find(&store, q(&tail.to_lowercase())).await, set(&[ww.id]));
    assert_eq!(find(&store, q(&ww_id)).await, set(&[ww.id]));
    assert_eq!(find(&store, q(&ww_id.to_lowercase())).await, set(&[ww.id]));
    let zs_id = id_for("1985-06-30", "1", 11);
    assert_eq!(find(&store, q(&zs_id)).await, set(&[zs.id]));
    let nobody = id_for("1985-06-30", "1", 999);
    assert_eq!(find(&store, q(&nobody)).await, set(&[]));
    // A few middle digits of an ID number find nothing (only the tail is searchable).
    assert_eq!(find(&store, q(&ww_id[6..14])).await, set(&[]));

    // Attribute filters.
    let f = |g: fn(&mut MemberFilter)| {
        let mut x = MemberFilter::default();
        g(&mut x);
        x
    };
    assert_eq!(
        find(&store, f(|x| x.gender = Some("2".into()))).await,
        set(&[ls.id, zl.id])
    );
    assert_eq!(
        find(&store, f(|x| x.gender = Some("女".into()))).await,
        set(&[ls.id, zl.id])
    );
    assert_eq!(
        find(&store, f(|x| x.gender = Some("男".into()))).await,
        set(&[zs.id, ww.id, qq.id])
    );
    assert_eq!(
        find(&store, f(|x| x.education = Some("bachelor".into()))).await,
        set(&[zs.id, ww.id])
    );
    assert_eq!(
        find(&store, f(|x| x.status = Some("probationary".into()))).await,
        set(&[ls.id, qq.id])
    );
    assert_eq!(
        find(&store, f(|x| x.status = Some("full".into()))).await,
        set(&[zs.id, ww.id, zl.id])
    );
    assert_eq!(
        find(&store, f(|x| x.village_post = Some("any".into()))).await,
        set(&[ls.id])
    );
    assert_eq!(
        find(&store, f(|x| x.village_post = Some("secretary".into()))).await,
        set(&[ls.id])
    );
    assert_eq!(
        find(&store, f(|x| x.village_post = Some("director".into()))).await,
        set(&[])
    );
    assert_eq!(
        find(&store, f(|x| x.holds_office = Some(true))).await,
        set(&[ls.id])
    );
    assert_eq!(
        find(&store, f(|x| x.join_from = Some("2010-01-01".into()))).await,
        set(&[zs.id, ls.id, qq.id])
    );
    assert_eq!(
        find(&store, f(|x| x.join_to = Some("2005-01-01".into()))).await,
        set(&[ww.id, zl.id])
    );
    assert_eq!(
        find(
            &store,
            MemberFilter {
                org: Some(b2.id),
                ..Default::default()
            }
        )
        .await,
        set(&[zl.id, qq.id])
    );
    assert_eq!(
        find(
            &store,
            MemberFilter {
                q: Some("z".into()),
                org: Some(b1.id),
                ..Default::default()
            }
        )
        .await,
        set(&[zs.id])
    );

    // Ages on the reference date: a birthday on that very day counts.
    let ages = |min: Option<i32>, max: Option<i32>| MemberFilter {
        age_min: min,
        age_max: max,
        ..Default::default()
    };
    assert_eq!(
        find(&store, ages(Some(35), None)).await,
        set(&[zs.id, ww.id, zl.id])
    );
    assert_eq!(
        find(&store, ages(Some(36), None)).await,
        set(&[ww.id, zl.id])
    );
    assert_eq!(
        find(&store, ages(None, Some(34))).await,
        set(&[ls.id, qq.id])
    );
    assert_eq!(
        find(&store, ages(None, Some(35))).await,
        set(&[zs.id, ls.id, qq.id])
    );
    assert_eq!(find(&store, ages(Some(35), Some(35))).await, set(&[zs.id]));
    assert_eq!(find(&store, ages(Some(36), Some(36))).await, set(&[ww.id]));
    assert_eq!(find(&store, ages(Some(60), Some(60))).await, set(&[zl.id]));
    assert_eq!(find(&store, ages(Some(30), Some(30))).await, set(&[qq.id]));
    assert_eq!(find(&store, ages(None, None)).await, everyone);

    // Paging.
    let page = |p: Option<i64>, size: Option<i64>| MemberFilter {
        page: p,
        page_size: size,
        sort: Some("birth_date".into()),
        ..Default::default()
    };
    let p1 = store
        .list_members(&s, &page(Some(1), Some(2)))
        .await
        .unwrap();
    assert_eq!(
        (p1.total, p1.page, p1.page_size, p1.items.len()),
        (5, 1, 2, 2)
    );
    assert_eq!(ids(&p1.items), set(&[zl.id, ww.id]), "oldest first");
    let p3 = store
        .list_members(&s, &page(Some(3), Some(2)))
        .await
        .unwrap();
    assert_eq!(
        (p3.total, p3.page, p3.page_size, p3.items.len()),
        (5, 3, 2, 1)
    );
    assert_eq!(p3.items[0].id, qq.id);
    let p9 = store
        .list_members(&s, &page(Some(9), Some(2)))
        .await
        .unwrap();
    assert_eq!((p9.total, p9.items.len()), (5, 0));
    let clamped = store
        .list_members(&s, &page(Some(0), Some(10_000)))
        .await
        .unwrap();
    assert_eq!(
        (clamped.page, clamped.page_size, clamped.items.len()),
        (1, 500, 5)
    );
    let default = store
        .list_members(&s, &MemberFilter::default())
        .await
        .unwrap();
    assert_eq!((default.page, default.page_size), (1, 20));
    let mut seen = BTreeSet::new();
    for p in 1..=3 {
        let pg = store
            .list_members(&s, &page(Some(p), Some(2)))
            .await
            .unwrap();
        for m in &pg.items {
            assert!(seen.insert(m.id), "member on two pages");
        }
    }
    assert_eq!(seen, everyone);

    // A bad filter value is an error, not an empty list.
    assert_eq!(
        invalid_code(
            store
                .list_members(&s, &f(|x| x.gender = Some("x".into())))
                .await
        ),
        "member.gender_invalid"
    );
});

// ---------------------------------------------------------------------------------------
// 6. Lifecycle events

store_test!(member_events, |store| async move {
    let s = sys();
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let b1 = org(&store, Some(root.id), "第一党支部", "branch", "organ").await;
    let b2 = org(&store, Some(root.id), "第二党支部", "branch", "organ").await;
    let group = org(&store, Some(b1.id), "第一党小组", "group", "organ").await;
    let m = member(&store, b1.id, "张三", "1", "1980-01-01", "2015-03-01", None).await;
    assert_eq!(m.version, 1);

    let add = |id: i64, e: NewMemberEvent| {
        let store = store.clone();
        async move { store.add_member_event(&sys(), id, &e).await }
    };
    // Probation lasts a year.
    assert_eq!(
        invalid_code(add(m.id, ev(m.version, "converted", "2016-02-29", None)).await),
        "member.convert_before_probation_end"
    );
    let m = add(m.id, ev(m.version, "converted", "2016-03-01", None))
        .await
        .unwrap();
    assert_eq!(m.status.as_deref(), Some("full"));
    assert_eq!(m.full_date.as_deref(), Some("2016-03-01"));
    assert_eq!(m.version, 2);
    assert_eq!(
        invalid_code(add(m.id, ev(m.version, "converted", "2016-04-01", None)).await),
        "member.not_probationary"
    );

    // Moves.
    assert_eq!(
        invalid_code(add(m.id, ev(m.version, "moved", "2017-01-01", None)).await),
        "member.event_org_required"
    );
    assert_eq!(
        invalid_code(add(m.id, ev(m.version, "moved", "2017-01-01", Some(b1.id))).await),
        "member.move_same_org"
    );
    assert_eq!(
        invalid_code(add(m.id, ev(m.version, "moved", "2017-01-01", Some(group.id))).await),
        "member.org_cannot_hold_members"
    );
    let m = add(m.id, ev(m.version, "moved", "2017-01-01", Some(b2.id)))
        .await
        .unwrap();
    assert_eq!(m.org_id, Some(b2.id));
    assert_eq!(m.org_name.as_deref(), Some("第二党支部"));
    assert_eq!(m.status.as_deref(), Some("full"));

    // Dates must not go back, nor lie in the future; versions must be current.
    assert_eq!(
        invalid_code(add(m.id, ev(m.version, "floating_out", "2016-12-31", None)).await),
        "member.event_out_of_order"
    );
    assert_eq!(
        invalid_code(add(m.id, ev(m.version, "floating_out", "2999-01-01", None)).await),
        "member.event_future"
    );
    let stale = add(m.id, ev(m.version - 1, "floating_out", "2017-02-01", None)).await;
    assert!(
        matches!(stale, Err(StoreError::Conflict { current }) if current == m.version),
        "{stale:?}"
    );
    assert_eq!(
        invalid_code(add(m.id, ev(m.version, "no_such_event", "2017-02-01", None)).await),
        "member.event_kind_invalid"
    );
    assert_eq!(
        invalid_code(add(m.id, ev(m.version, "updated", "2017-02-01", None)).await),
        "member.event_kind_invalid"
    );
    // Floating out and back on the same day as the move is fine (same date, not earlier).
    let m = add(m.id, ev(m.version, "floating_out", "2017-01-01", None))
        .await
        .unwrap();
    assert!(m.floating);
    assert_eq!(
        find(
            &store,
            MemberFilter {
                floating: Some(true),
                ..Default::default()
            }
        )
        .await,
        set(&[m.id])
    );
    let m = add(m.id, ev(m.version, "floating_back", "2017-06-01", None))
        .await
        .unwrap();
    assert!(!m.floating);

    // Someone on the roster cannot join again.
    let other = member(&store, b1.id, "李四", "2", "1980-01-01", "2015-03-01", None).await;
    assert_eq!(
        invalid_code(
            add(
                other.id,
                ev(other.version, "joined", "2016-01-01", Some(b1.id))
            )
            .await
        ),
        "member.already_on_roster"
    );
    assert_eq!(
        invalid_code(
            add(
                other.id,
                ev(other.version, "transferred_in", "2016-01-01", Some(b2.id))
            )
            .await
        ),
        "member.already_on_roster"
    );

    // Transfer out: off the roster, out of the default list, kept with include_left.
    let mut out = ev(m.version, "transferred_out", "2018-01-01", None);
    out.letter_no = Some("皖组转〔2018〕12号".into());
    let m = add(m.id, out).await.unwrap();
    assert!(!m.active);
    assert_eq!(m.status, None);
    assert_eq!(m.org_id, None);
    assert_eq!(m.left_kind.as_deref(), Some("transferred_out"));
    assert_eq!(m.left_date.as_deref(), Some("2018-01-01"));
    assert_eq!(m.full_date.as_deref(), Some("2016-03-01"));
    assert!(!find(&store, MemberFilter::default()).await.contains(&m.id));
    let with_left = MemberFilter {
        include_left: Some(true),
        ..Default::default()
    };
    assert!(find(&store, with_left.clone()).await.contains(&m.id));
    // …still under the org of their last event.
    assert!(find(
        &store,
        MemberFilter {
            org: Some(b2.id),
            ..with_left.clone()
        }
    )
    .await
    .contains(&m.id));
    assert!(!find(
        &store,
        MemberFilter {
            org: Some(b1.id),
            ..with_left
        }
    )
    .await
    .contains(&m.id));
    assert_eq!(
        store.get_org(&s, b2.id).await.unwrap().member_count,
        Some(0)
    );
    // Nothing but a new entry can be recorded for someone who left.
    assert_eq!(
        invalid_code(add(m.id, ev(m.version, "floating_out", "2018-02-01", None)).await),
        "member.not_on_roster"
    );

    // Transferred back in as a full member.
    let mut back = ev(m.version, "transferred_in", "2019-01-01", Some(b1.id));
    back.letter_no = Some("2019-001".into());
    let m = add(m.id, back).await.unwrap();
    assert!(m.active);
    assert_eq!(m.status.as_deref(), Some("full"));
    assert_eq!(m.org_id, Some(b1.id));
    assert_eq!(m.left_date, None);
    assert_eq!(m.left_kind, None);

    let evs = store.member_events(&s, m.id).await.unwrap();
    let kinds: Vec<&str> = evs.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        vec![
            "joined",
            "converted",
            "moved",
            "floating_out",
            "floating_back",
            "transferred_out",
            "transferred_in"
        ]
    );
    assert_eq!(evs[2].org_id, Some(b2.id));
    assert_eq!(evs[2].data["from_org"], b1.id);
    assert_eq!(evs[5].data["letter_no"], "皖组转〔2018〕12号");
    assert_eq!(evs[6].org_name.as_deref(), Some("第一党支部"));
    assert_eq!(evs[1].kind_zh, "转为正式党员");

    // A probationary transfer-in is probationary.
    let p = member(&store, b1.id, "王五", "1", "1980-01-01", "2015-03-01", None).await;
    let p = add(p.id, ev(p.version, "transferred_out", "2015-06-01", None))
        .await
        .unwrap();
    let mut pin = ev(p.version, "transferred_in", "2015-09-01", Some(b2.id));
    pin.probationary = true;
    let p = add(p.id, pin).await.unwrap();
    assert_eq!(p.status.as_deref(), Some("probationary"));
    assert_eq!(p.org_id, Some(b2.id));
    // Died: off the roster for good.
    let p = add(p.id, ev(p.version, "died", "2016-01-01", None))
        .await
        .unwrap();
    assert!(!p.active);
    assert_eq!(p.left_kind.as_deref(), Some("died"));
});

// ---------------------------------------------------------------------------------------
// 7. Scope

store_test!(scope_limits, |store| async move {
    let s = sys();
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let town_a = org(&store, Some(root.id), "甲镇党委", "committee", "rural").await;
    let town_b = org(&store, Some(root.id), "乙镇党委", "committee", "rural").await;
    let ba = org(&store, Some(town_a.id), "甲一村党支部", "branch", "rural").await;
    let ba2 = org(&store, Some(town_a.id), "甲二村党支部", "branch", "rural").await;
    let bb = org(&store, Some(town_b.id), "乙一村党支部", "branch", "rural").await;
    let ma = member(
        &store,
        ba.id,
        "甲一",
        "1",
        "1970-01-01",
        "2000-01-01",
        Some("2001-01-01"),
    )
    .await;
    let ma3 = member(
        &store,
        ba.id,
        "甲三",
        "1",
        "1970-01-01",
        "2000-01-01",
        Some("2001-01-01"),
    )
    .await;
    let ma2 = member(
        &store,
        ba2.id,
        "甲二",
        "1",
        "1970-01-01",
        "2000-01-01",
        Some("2001-01-01"),
    )
    .await;
    let mb = member(
        &store,
        bb.id,
        "乙一",
        "1",
        "1970-01-01",
        "2000-01-01",
        Some("2001-01-01"),
    )
    .await;

    let nf = |r: Result<MemberView, StoreError>| {
        assert!(
            matches!(r, Err(StoreError::NotFound)),
            "expected NotFound, got {r:?}"
        );
    };

    // Committee on town A.
    let ca = user(10, Role::Committee, &town_a, None);
    nf(store.get_member(&ca, mb.id).await);
    nf(store
        .update_member(&ca, mb.id, &patch_phone(mb.version, "13800000000"))
        .await);
    nf(store
        .add_member_event(
            &ca,
            mb.id,
            &ev(mb.version, "transferred_out", "2010-01-01", None),
        )
        .await);
    nf(store
        .create_member(
            &ca,
            &new_member(bb.id, "新人", "1", "1970-01-01", "2000-01-01"),
        )
        .await);
    nf(store
        .add_member_event(
            &ca,
            ma.id,
            &ev(ma.version, "moved", "2010-01-01", Some(bb.id)),
        )
        .await);
    assert!(matches!(
        store.member_events(&ca, mb.id).await,
        Err(StoreError::NotFound)
    ));
    let la = store
        .list_members(&ca, &MemberFilter::default())
        .await
        .unwrap();
    assert_eq!(la.total, 3);
    assert_eq!(ids(&la.items), set(&[ma.id, ma2.id, ma3.id]));
    assert!(matches!(
        store
            .list_members(
                &ca,
                &MemberFilter {
                    org: Some(town_b.id),
                    ..Default::default()
                }
            )
            .await,
        Err(StoreError::NotFound)
    ));
    // Searching by the full ID number or name of someone outside finds nothing.
    assert_eq!(store.list_members(&ca, &q("乙一")).await.unwrap().total, 0);
    for id in [town_b.id, bb.id, root.id] {
        assert!(matches!(
            store.get_org(&ca, id).await,
            Err(StoreError::NotFound)
        ));
    }
    assert!(matches!(
        store.children(&ca, town_b.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.org_events(&ca, bb.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.summary(&ca, town_b.id, d("2020-01-01")).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .create_org(&ca, &new_org(Some(bb.id), "小组", "group", "rural"))
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .update_org(
                &ca,
                town_b.id,
                &OrgPatch {
                    version: town_b.version,
                    phone: Some("12345678".into()),
                    ..Default::default()
                }
            )
            .await,
        Err(StoreError::NotFound)
    ));
    let lo = all_orgs(&store, &ca, OrgFilter::default()).await;
    assert_eq!(set(&org_ids(&lo)), set(&[town_a.id, ba.id, ba2.id]));
    // …and may work inside town A.
    let ma = store
        .update_member(&ca, ma.id, &patch_phone(ma.version, "13800000001"))
        .await
        .unwrap();
    assert_eq!(ma.phone.as_deref(), Some("13800000001"));
    let ma2 = store
        .add_member_event(
            &ca,
            ma2.id,
            &ev(ma2.version, "moved", "2010-01-01", Some(ba.id)),
        )
        .await
        .unwrap();
    assert_eq!(ma2.org_id, Some(ba.id));
    let g = store
        .create_org(&ca, &new_org(Some(ba.id), "第一党小组", "group", "rural"))
        .await
        .unwrap();
    assert!(g.path.starts_with(&town_a.path));
    assert!(store.summary(&ca, town_a.id, d("2020-01-01")).await.is_ok());

    // Branch role: edits its members, cannot build structure.
    let br = user(11, Role::Branch, &ba, None);
    assert!(matches!(
        store
            .create_org(&br, &new_org(Some(ba.id), "第二党小组", "group", "rural"))
            .await,
        Err(StoreError::Forbidden)
    ));
    assert!(matches!(
        store.dissolve_org(&br, g.id, "2020-01-01", g.version).await,
        Err(StoreError::Forbidden)
    ));
    let ma = store
        .update_member(&br, ma.id, &patch_phone(ma.version, "13800000002"))
        .await
        .unwrap();
    assert_eq!(ma.phone.as_deref(), Some("13800000002"));
    let ba_now = store.get_org(&br, ba.id).await.unwrap();
    let ba_now = store
        .update_org(
            &br,
            ba.id,
            &OrgPatch {
                version: ba_now.version,
                address: Some("甲一村村部".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(ba_now.address.as_deref(), Some("甲一村村部"));
    nf(store.get_member(&br, mb.id).await);
    let nb = store
        .create_member(
            &br,
            &new_member(ba.id, "新党员", "2", "1990-01-01", "2015-01-01"),
        )
        .await
        .unwrap();
    assert_eq!(nb.org_id, Some(ba.id));
    assert!(matches!(
        store
            .create_org(&br, &new_org(Some(ba.id), "第三党小组", "group", "rural"))
            .await,
        Err(StoreError::Forbidden)
    ));

    // Self-service member: sees only itself and its own org.
    let me = user(12, Role::Member, &ba, Some(ma.id));
    let mine = store
        .list_members(&me, &MemberFilter::default())
        .await
        .unwrap();
    assert_eq!(mine.total, 1);
    assert_eq!(ids(&mine.items), set(&[ma.id]));
    assert_eq!(store.get_member(&me, ma.id).await.unwrap().name, "甲一");
    nf(store.get_member(&me, ma3.id).await);
    nf(store.get_member(&me, mb.id).await);
    let own_edit = store
        .update_member(&me, ma.id, &patch_phone(ma.version, "13800000003"))
        .await;
    assert!(
        matches!(own_edit, Err(StoreError::Forbidden)),
        "{own_edit:?}"
    );
    assert_eq!(store.get_org(&me, ba.id).await.unwrap().id, ba.id);
    assert!(matches!(
        store.get_org(&me, town_a.id).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        org_ids(&all_orgs(&store, &me, OrgFilter::default()).await),
        vec![ba.id]
    );
    assert!(matches!(
        audit::list(&store.db, &me, &AuditFilter::default(), Paging::default()).await,
        Err(StoreError::Forbidden)
    ));

    // No grants at all: nothing.
    let nobody = Scope::user(13, "nobody", vec![], None);
    assert_eq!(
        store
            .list_members(&nobody, &MemberFilter::default())
            .await
            .unwrap()
            .total,
        0
    );
    assert_eq!(
        store
            .list_orgs(&nobody, &OrgFilter::default(), Paging::default())
            .await
            .unwrap()
            .total,
        0
    );
    nf(store.get_member(&nobody, ma.id).await);
    assert!(!nobody.allows(Action::OrgRead, &root.path));
    // The system sees everyone.
    assert_eq!(
        store
            .list_members(&s, &MemberFilter::default())
            .await
            .unwrap()
            .total,
        5
    );
});

// ---------------------------------------------------------------------------------------
// 8. Audit

store_test!(audit_chain_and_scope, |store| async move {
    let s = sys();
    assert_eq!(audit_rows(&store).await, 0);
    assert_eq!(audit::verify(&store.db).await.unwrap().first_bad, None);
    let mut expect = 0;
    let mut step = |n: i64| {
        expect += n;
        expect
    };
    let root = org(&store, None, "某县委", "committee", "organ").await;
    assert_eq!(audit_rows(&store).await, step(1));
    let town_a = org(&store, Some(root.id), "甲镇党委", "committee", "rural").await;
    let town_b = org(&store, Some(root.id), "乙镇党委", "committee", "rural").await;
    let ba = org(&store, Some(town_a.id), "甲村党支部", "branch", "rural").await;
    let bb = org(&store, Some(town_b.id), "乙村党支部", "branch", "rural").await;
    assert_eq!(audit_rows(&store).await, step(4));
    let ma = member(&store, ba.id, "甲一", "1", "1970-01-01", "2000-01-01", None).await;
    let mb = member(&store, bb.id, "乙一", "1", "1970-01-01", "2000-01-01", None).await;
    assert_eq!(audit_rows(&store).await, step(2));
    let ma = store
        .update_member(&s, ma.id, &patch_phone(ma.version, "13800000001"))
        .await
        .unwrap();
    assert_eq!(audit_rows(&store).await, step(1));
    let ma = event(&store, &ma, "converted", "2001-01-01", None).await;
    assert_eq!(audit_rows(&store).await, step(1));
    event(&store, &mb, "converted", "2001-01-01", None).await;
    assert_eq!(audit_rows(&store).await, step(1));
    store
        .set_setting(&s, "reference_date", "2024-01-01")
        .await
        .unwrap();
    assert_eq!(audit_rows(&store).await, step(1));
    store
        .update_org(
            &s,
            ba.id,
            &OrgPatch {
                version: ba.version,
                phone: Some("12345678".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(audit_rows(&store).await, step(1));
    // Refused writes leave no trace.
    let _ = store
        .update_member(&s, ma.id, &patch_phone(ma.version - 1, "13800000009"))
        .await;
    let _ = store
        .create_org(&s, &new_org(Some(ba.id), "支部下的支部", "branch", "rural"))
        .await;
    assert_eq!(audit_rows(&store).await, expect);
    let total = expect;

    let ok = audit::verify(&store.db).await.unwrap();
    assert_eq!(ok.rows, total);
    assert_eq!(ok.first_bad, None);

    // Reading is scoped by the record's org path.
    let all: Vec<(i64, Option<String>)> =
        sqlx::query_as("SELECT seq, scope_path FROM audit_log ORDER BY seq DESC")
            .fetch_all(store.db.pool())
            .await
            .unwrap();
    let in_a: Vec<i64> = all
        .iter()
        .filter(|(_, p)| p.as_deref().is_some_and(|p| p.starts_with(&town_a.path)))
        .map(|(s, _)| *s)
        .collect();
    assert!(
        in_a.len() >= 5,
        "town A, its branch, member create/update/event, org edit"
    );
    assert!(in_a.len() < all.len());
    let od = user(20, Role::OrgDept, &town_a, None);
    let page = audit::list(
        &store.db,
        &od,
        &AuditFilter::default(),
        Paging::new(None, Some(500)),
    )
    .await
    .unwrap();
    let got: Vec<i64> = page.items.iter().map(|r| r.seq).collect();
    assert_eq!(got, in_a, "exactly the rows in town A, newest first");
    assert_eq!(page.total, in_a.len() as i64);
    // Filters combine with the scope.
    let about_ma = audit::list(
        &store.db,
        &od,
        &AuditFilter {
            entity: Some("member".into()),
            entity_id: Some(ma.id.to_string()),
            ..Default::default()
        },
        Paging::default(),
    )
    .await
    .unwrap();
    let acts: Vec<&str> = about_ma.items.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(acts, vec!["member.event", "member.update", "member.create"]);
    let about_mb = audit::list(
        &store.db,
        &od,
        &AuditFilter {
            entity: Some("member".into()),
            entity_id: Some(mb.id.to_string()),
            ..Default::default()
        },
        Paging::default(),
    )
    .await
    .unwrap();
    assert_eq!(about_mb.total, 0);
    let by_actor = audit::list(
        &store.db,
        &s,
        &AuditFilter {
            actor: Some("test".into()),
            ..Default::default()
        },
        Paging::default(),
    )
    .await
    .unwrap();
    assert_eq!(by_actor.total, total);
    let today = jiceng_store::today();
    let dated = audit::list(
        &store.db,
        &s,
        &AuditFilter {
            from: Some((today - Days::new(1)).to_string()),
            to: Some((today + Days::new(1)).to_string()),
            ..Default::default()
        },
        Paging::default(),
    )
    .await
    .unwrap();
    assert_eq!(dated.total, total);
    let ancient = audit::list(
        &store.db,
        &s,
        &AuditFilter {
            to: Some("2000-01-01".into()),
            ..Default::default()
        },
        Paging::default(),
    )
    .await
    .unwrap();
    assert_eq!(ancient.total, 0);
    for role in [Role::Committee, Role::Branch, Role::Member] {
        let sc = user(21, role, &town_a, Some(ma.id));
        assert!(matches!(
            audit::list(&store.db, &sc, &AuditFilter::default(), Paging::default()).await,
            Err(StoreError::Forbidden)
        ));
    }
    let admin = user(22, Role::Admin, &root, None);
    let everything = audit::list(
        &store.db,
        &admin,
        &AuditFilter::default(),
        Paging::new(None, Some(500)),
    )
    .await
    .unwrap();
    // The root's auditor also sees deployment-wide rows (no org path).
    assert_eq!(everything.total, all.len() as i64);

    // Tampering with a row is detected at that row.
    let original: String = sqlx::query_scalar("SELECT after_json FROM audit_log WHERE seq = 2")
        .fetch_one(store.db.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET after_json = '{}' WHERE seq = 2")
        .execute(store.db.pool())
        .await
        .unwrap();
    let bad = audit::verify(&store.db).await.unwrap();
    assert_eq!(bad.first_bad.as_ref().map(|b| b.0), Some(2), "{bad:?}");
    sqlx::query("UPDATE audit_log SET after_json = $1 WHERE seq = 2")
        .bind(&original)
        .execute(store.db.pool())
        .await
        .unwrap();
    assert_eq!(audit::verify(&store.db).await.unwrap().first_bad, None);
    // Rewriting a row together with its hash breaks the link to the next row.
    sqlx::query("UPDATE audit_log SET actor_name = 'mallory', hash = $1 WHERE seq = 3")
        .bind("f".repeat(64))
        .execute(store.db.pool())
        .await
        .unwrap();
    let bad = audit::verify(&store.db).await.unwrap();
    assert_eq!(bad.first_bad.as_ref().map(|b| b.0), Some(3), "{bad:?}");
    sqlx::query("UPDATE audit_log SET actor_name = 'test', hash = (SELECT prev_hash FROM audit_log WHERE seq = 4) WHERE seq = 3")
        .execute(store.db.pool())
        .await
        .unwrap();
    assert_eq!(audit::verify(&store.db).await.unwrap().first_bad, None);

    // Deleting the last row (truncation) is detected.
    sqlx::query("DELETE FROM audit_log WHERE seq = $1")
        .bind(total)
        .execute(store.db.pool())
        .await
        .unwrap();
    let cut = audit::verify(&store.db).await.unwrap();
    assert_eq!(cut.first_bad.as_ref().map(|b| b.0), Some(total), "{cut:?}");
    assert_eq!(cut.rows, total - 1);
    // So is a gap in the middle.
    sqlx::query("DELETE FROM audit_log WHERE seq = 5")
        .execute(store.db.pool())
        .await
        .unwrap();
    let gap = audit::verify(&store.db).await.unwrap();
    assert_eq!(gap.first_bad.as_ref().map(|b| b.0), Some(5), "{gap:?}");
});

// ---------------------------------------------------------------------------------------
// 9. Authentication and sessions (the only tests that hash passwords)

const PW: &str = "Jiceng@2024";

fn new_user(name: &str, role: &str, org_id: i64, password: &str) -> NewUser {
    NewUser {
        username: name.to_string(),
        display_name: format!("{name} 同志"),
        password: password.to_string(),
        role: role.to_string(),
        org_id,
        member_id: None,
        temporary: false,
    }
}

/// The rule code of a refused password change.
fn pw_code(r: Result<(), LoginError>) -> &'static str {
    match r {
        Err(LoginError::Store(e)) => invalid_code::<()>(Err(e)),
        other => panic!("expected a refusal with a code, got {other:?}"),
    }
}

store_test!(auth_sessions, |store| async move {
    let s = sys();
    let policy = LoginPolicy::default();
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let town_a = org(&store, Some(root.id), "甲镇党委", "committee", "rural").await;
    let town_b = org(&store, Some(root.id), "乙镇党委", "committee", "rural").await;

    // Validation happens before any hashing.
    assert_eq!(
        invalid_code(
            store
                .create_user(&s, &new_user("alice", "committee", town_a.id, "short1A"))
                .await
        ),
        "auth.weak_password"
    );
    assert_eq!(
        invalid_code(
            store
                .create_user(
                    &s,
                    &new_user("alice", "committee", town_a.id, "alllowercase")
                )
                .await
        ),
        "auth.weak_password"
    );
    assert_eq!(
        invalid_code(
            store
                .create_user(&s, &new_user("a b", "committee", town_a.id, PW))
                .await
        ),
        "auth.username_invalid"
    );
    assert_eq!(
        invalid_code(
            store
                .create_user(&s, &new_user("alice", "king", town_a.id, PW))
                .await
        ),
        "auth.role_unknown"
    );
    assert_eq!(
        invalid_code(
            store
                .create_user(&s, &new_user("alice", "member", town_a.id, PW))
                .await
        ),
        "auth.member_required"
    );
    // Only user managers may create users, and only in their subtree.
    let od = user(1, Role::OrgDept, &town_a, None);
    assert!(matches!(
        store
            .create_user(&od, &new_user("alice", "committee", town_a.id, PW))
            .await,
        Err(StoreError::NotFound)
    ));

    let alice = store
        .create_user(&s, &new_user("alice", "committee", town_a.id, PW))
        .await
        .unwrap();
    assert_eq!(alice.username, "alice");
    assert_eq!(alice.roles, vec![grant(Role::Committee, &town_a)]);
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(alice.id)
        .fetch_one(store.db.pool())
        .await
        .unwrap();
    assert!(hash.starts_with("$argon2id$") && !hash.contains(PW));
    assert!(matches!(
        store
            .create_user(&s, &new_user("alice", "branch", town_b.id, PW))
            .await,
        Err(StoreError::Duplicate(_))
    ));

    // Login and session.
    let (token, info) = store
        .login("alice", PW, Some("10.0.0.1".into()), &policy)
        .await
        .unwrap();
    assert_eq!(token.len(), 64);
    assert!(token.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(info.id, alice.id);
    assert_eq!(info.roles, alice.roles);
    let (scope, sinfo) = store
        .session(&token, &policy)
        .await
        .unwrap()
        .expect("live session");
    assert_eq!(scope.user_id, Some(alice.id));
    assert_eq!(scope.username, "alice");
    assert_eq!(scope.grants, vec![grant(Role::Committee, &town_a)]);
    assert!(!scope.is_system());
    assert_eq!(sinfo.display_name, "alice 同志");
    assert!(scope.allows(Action::MemberWrite, &town_a.path));
    assert!(!scope.allows(Action::OrgRead, &town_b.path));
    assert_eq!(
        org_ids(&all_orgs(&store, &scope, OrgFilter::default()).await),
        vec![town_a.id]
    );
    assert!(store.session("deadbeef", &policy).await.unwrap().is_none());
    let stored_tokens: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM sessions")
        .fetch_all(store.db.pool())
        .await
        .unwrap();
    assert!(
        !stored_tokens.contains(&token),
        "session tokens are stored hashed"
    );

    // Logout ends it.
    store.logout(&token).await.unwrap();
    assert!(store.session(&token, &policy).await.unwrap().is_none());

    // Idle timeout.
    let (t2, _) = store.login("alice", PW, None, &policy).await.unwrap();
    assert!(store.session(&t2, &policy).await.unwrap().is_some());
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let strict = LoginPolicy {
        idle_minutes: 0,
        ..Default::default()
    };
    assert!(store.session(&t2, &strict).await.unwrap().is_none());
    assert!(
        store.session(&t2, &policy).await.unwrap().is_none(),
        "an idle session is gone for good"
    );
    // Absolute lifetime.
    let (t3, _) = store
        .login(
            "alice",
            PW,
            None,
            &LoginPolicy {
                max_hours: 0,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(store.session(&t3, &policy).await.unwrap().is_none());

    // Lockout after five failures; then even the right password is refused.
    store
        .create_user(&s, &new_user("bob", "branch", town_b.id, PW))
        .await
        .unwrap();
    for i in 1..=4 {
        let r = store.login("bob", "Wrong@pass1", None, &policy).await;
        assert!(
            matches!(r, Err(LoginError::BadCredentials)),
            "attempt {i}: {r:?}"
        );
    }
    let fifth = store.login("bob", "Wrong@pass1", None, &policy).await;
    let until = match fifth {
        Err(LoginError::Locked { until }) => until,
        other => panic!("expected Locked, got {other:?}"),
    };
    assert!(until > jiceng_store::now_ts());
    assert!(matches!(
        store.login("bob", PW, None, &policy).await,
        Err(LoginError::Locked { .. })
    ));
    assert!(matches!(
        store.login("nobody", PW, None, &policy).await,
        Err(LoginError::BadCredentials)
    ));
    // Other users are unaffected.
    let (t4, _) = store.login("alice", PW, None, &policy).await.unwrap();

    // Changing the password.
    let (ascope, _) = store.session(&t4, &policy).await.unwrap().unwrap();
    assert_eq!(
        pw_code(
            store
                .change_password(&ascope, "Wrong@pass1", "Jiceng#2025", None, &policy)
                .await
        ),
        "auth.wrong_password"
    );
    assert_eq!(
        pw_code(store.change_password(&ascope, PW, PW, None, &policy).await),
        "auth.same_password"
    );
    assert_eq!(
        pw_code(
            store
                .change_password(&ascope, PW, "weak", None, &policy)
                .await
        ),
        "auth.weak_password"
    );
    assert!(matches!(
        store
            .change_password(&s, PW, "Jiceng#2025", None, &policy)
            .await,
        Err(LoginError::Store(StoreError::Forbidden))
    ));
    store
        .change_password(&ascope, PW, "Jiceng#2025", None, &policy)
        .await
        .unwrap();
    assert!(matches!(
        store.login("alice", PW, None, &policy).await,
        Err(LoginError::BadCredentials)
    ));
    store
        .login("alice", "Jiceng#2025", None, &policy)
        .await
        .unwrap();

    // All of it is audited.
    let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log ORDER BY seq")
        .fetch_all(store.db.pool())
        .await
        .unwrap();
    for a in [
        "user.create",
        "auth.login",
        "auth.login_failed",
        "auth.locked",
        "auth.change_password",
    ] {
        assert!(actions.iter().any(|x| x == a), "no {a} in the audit log");
    }
    assert_eq!(audit::verify(&store.db).await.unwrap().first_bad, None);
    let users = store
        .list_users(&user(2, Role::Admin, &root, None))
        .await
        .unwrap();
    assert_eq!(
        users
            .iter()
            .map(|u| u.username.as_str())
            .collect::<Vec<_>>(),
        vec!["alice", "bob"]
    );
});

store_test!(change_password_ends_other_sessions, |store| async move {
    let s = sys();
    let policy = LoginPolicy::default();
    let root = org(&store, None, "某县委", "committee", "organ").await;
    store
        .create_user(&s, &new_user("carol", "admin", root.id, PW))
        .await
        .unwrap();
    let (t1, _) = store.login("carol", PW, None, &policy).await.unwrap();
    let (t2, _) = store.login("carol", PW, None, &policy).await.unwrap();
    let (scope, _) = store.session(&t1, &policy).await.unwrap().unwrap();
    store
        .change_password(&scope, PW, "Jiceng#2025", None, &policy)
        .await
        .unwrap();
    assert!(
        store.session(&t2, &policy).await.unwrap().is_none(),
        "a session opened with the old password survives the change"
    );
});

// ---------------------------------------------------------------------------------------
// 10. As-of summary

store_test!(summary_as_of, |store| async move {
    let s = sys();
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let town = org(&store, Some(root.id), "甲镇党委", "committee", "rural").await;
    let ba = org(&store, Some(town.id), "甲村党支部", "branch", "rural").await;
    let bc = org(&store, Some(town.id), "某社区党支部", "branch", "community").await;
    let bd = org(&store, Some(town.id), "乙村党支部", "branch", "rural").await;
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

    // M1 ♀ turns 35 on 2004-12-31; M2 ♂ turns 36 that day.
    let mut n1 = new_member(ba.id, "一", "2", "1969-12-31", "2000-03-01");
    n1.full_date = Some("2001-03-01".into());
    n1.village_post = Some("secretary_director".into());
    store.create_member(&s, &n1).await.unwrap();
    let mut n2 = new_member(bc.id, "二", "1", "1968-12-31", "2000-03-01");
    n2.full_date = Some("2001-03-01".into());
    n2.education = "high_school".into();
    n2.ethnicity = Some("回族".into());
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
    member(&store, bn.id, "四", "2", "1980-01-01", "2004-06-01", None).await;
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
    event(&store, &m5, "moved", "2003-06-01", Some(ba.id)).await;
    let bd_now = store.get_org(&s, bd.id).await.unwrap();
    store
        .dissolve_org(&s, bd.id, "2003-06-30", bd_now.version)
        .await
        .unwrap();

    let at = |id: i64, date: &str| {
        let store = store.clone();
        let date = d(date);
        async move { store.summary(&sys(), id, date).await.unwrap() }
    };

    let y2002 = at(root.id, "2002-12-31").await;
    assert_eq!(y2002.as_of, "2002-12-31");
    assert_eq!(y2002.org_id, root.id);
    assert_eq!(y2002.org_name, "某县委");
    let m = &y2002.members;
    assert_eq!(
        (m.total, m.probationary, m.full, m.female, m.minority),
        (4, 0, 4, 1, 1)
    );
    assert_eq!(m.age_seed["le35"], 2, "M1 33, M2 34");
    assert_eq!(m.age_seed["36_55"], 1, "M3 52");
    assert_eq!(m.age_seed["gt55"], 1, "M5 62");
    assert_eq!(m.education["bachelor"].count, 3);
    assert_eq!(m.education["high_school"].count, 1);
    assert_eq!(m.shares["female"].percent, 25.0);
    let o = &y2002.orgs;
    assert_eq!(
        (o.committees, o.general_branches, o.branches, o.basic),
        (2, 0, 3, 5)
    );
    assert_eq!(o.by_field["organ"].committees, 1);
    assert_eq!(o.by_field["organ"].branches, 0);
    assert_eq!(o.by_field["rural"].committees, 1);
    assert_eq!(o.by_field["rural"].branches, 2, "乙村 still alive");
    assert_eq!(o.by_field["rural"].members, 3);
    assert_eq!(o.by_field["community"].branches, 1);
    assert_eq!(o.by_field["community"].members, 1);
    assert_eq!(o.by_field["organ"].members, 0);
    assert_eq!(y2002.village_cadres.dual_role, 1);

    let y2004 = at(root.id, "2004-12-31").await;
    let m = &y2004.members;
    assert_eq!((m.total, m.probationary, m.full, m.female), (4, 1, 3, 2));
    assert_eq!(m.age_seed["le35"], 2, "M1 exactly 35, M4 24");
    assert_eq!(m.age_seed["36_55"], 1, "M2 exactly 36");
    assert_eq!(m.age_seed["gt55"], 1, "M5 64");
    assert_eq!(m.join_era["1978_12_to_2012_11"].count, 4);
    let o = &y2004.orgs;
    assert_eq!((o.committees, o.branches, o.basic), (2, 3, 5));
    assert_eq!(
        o.by_field["rural"].branches, 1,
        "乙村 dissolved on 2003-06-30"
    );
    assert_eq!(o.by_field["rural"].members, 2);
    assert_eq!(o.by_field["organ"].branches, 1, "新建 founded 2004-01-01");
    assert_eq!(o.by_field["organ"].members, 1);
    assert_eq!(o.by_field["community"].members, 1);
    assert_eq!(o.by_kind["branch"], 3);

    // The dissolution date itself no longer counts the org; the day before does.
    let eve = at(root.id, "2003-06-29").await;
    assert_eq!(eve.orgs.by_field["rural"].branches, 2);
    assert_eq!(eve.members.total, 3, "M3 left on 2003-05-01");
    let day = at(root.id, "2003-06-30").await;
    assert_eq!(day.orgs.by_field["rural"].branches, 1);
    assert_eq!(day.members.total, 3);

    // A subtree counts only its own.
    let t2004 = at(town.id, "2004-12-31").await;
    assert_eq!(t2004.members.total, 3);
    assert_eq!(t2004.orgs.committees, 1);
    assert_eq!(t2004.orgs.branches, 2);
    // Before anyone joined.
    let empty = at(root.id, "1995-01-01").await;
    assert_eq!(empty.members.total, 0);
    assert_eq!(empty.orgs.basic, 5);
});

// ---------------------------------------------------------------------------------------
// 11. Warnings

store_test!(structure_warnings, |store| async move {
    let s = sys();
    let today = d("2024-06-30");
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let town = org(&store, Some(root.id), "甲镇党委", "committee", "rural").await;
    let with_term = |parent: i64, name: &str, field: &str, term: &str| {
        let n = jiceng_store::org::NewOrg {
            term_start: Some(term.to_string()),
            ..new_org(Some(parent), name, "branch", field)
        };
        let store = store.clone();
        async move { store.create_org(&sys(), &n).await.unwrap() }
    };
    // Two full members (and a probationary one): too few.
    let small = with_term(town.id, "小支部", "rural", "2022-01-01").await;
    for name in ["甲", "乙"] {
        member(
            &store,
            small.id,
            name,
            "1",
            "1970-01-01",
            "2000-01-01",
            Some("2001-01-01"),
        )
        .await;
    }
    member(
        &store,
        small.id,
        "丙",
        "1",
        "1970-01-01",
        "2023-01-01",
        None,
    )
    .await;
    // Three full members: enough.
    let ok = with_term(town.id, "达标支部", "rural", "2022-01-01").await;
    for name in ["丁", "戊", "己"] {
        member(
            &store,
            ok.id,
            name,
            "1",
            "1970-01-01",
            "2000-01-01",
            Some("2001-01-01"),
        )
        .await;
    }
    // A rural branch elected a little more than five years ago: overdue.
    let old = with_term(town.id, "老支部", "rural", "2019-06-01").await;
    assert_eq!(old.reelection_due.as_deref(), Some("2024-06-01"));
    // Same start, five-year rural term vs three-year organ term.
    let rural_recent = with_term(town.id, "农村支部", "rural", "2020-06-01").await;
    let organ_recent = with_term(root.id, "机关支部", "organ", "2020-06-01").await;
    assert_eq!(rural_recent.reelection_due.as_deref(), Some("2025-06-01"));
    assert_eq!(organ_recent.reelection_due.as_deref(), Some("2023-06-01"));
    // Due within six months.
    let soon = with_term(root.id, "将届支部", "organ", "2021-10-01").await;

    let ws = store.warnings(&s, Some(root.id), today).await.unwrap();
    let codes = |id: i64| -> BTreeSet<String> {
        ws.iter()
            .filter(|w| w.org_id == id)
            .map(|w| w.code.clone())
            .collect()
    };
    let one = |c: &str| -> BTreeSet<String> { [c.to_string()].into_iter().collect() };
    assert!(codes(small.id).contains("org.branch_too_few_full"));
    assert!(!codes(ok.id).contains("org.branch_too_few_full"));
    assert!(codes(ok.id).is_empty(), "{:?}", codes(ok.id));
    assert!(codes(old.id).contains("org.reelection_overdue"));
    let w = ws
        .iter()
        .find(|w| w.org_id == old.id && w.code == "org.reelection_overdue")
        .unwrap();
    assert_eq!(w.due.as_deref(), Some("2024-06-01"));
    assert_eq!(w.severity, "overdue");
    assert_eq!(w.org_name, "老支部");
    assert!(!codes(rural_recent.id)
        .iter()
        .any(|c| c.starts_with("org.reelection")));
    assert!(codes(organ_recent.id).contains("org.reelection_overdue"));
    assert!(codes(soon.id).contains("org.reelection_due_soon"));
    assert_eq!(
        codes(town.id),
        BTreeSet::new(),
        "committees have no size rule"
    );
    assert_eq!(codes(small.id), one("org.branch_too_few_full"));

    // Scoped: a committee on the town sees only its subtree.
    let ct = user(1, Role::Committee, &town, None);
    let mine = store.warnings(&ct, None, today).await.unwrap();
    assert!(!mine.is_empty());
    assert!(mine.iter().all(|w| w.org_path.starts_with(&town.path)));
    assert!(mine
        .iter()
        .all(|w| w.org_id != organ_recent.id && w.org_id != soon.id));
    assert!(matches!(
        store.warnings(&ct, Some(root.id), today).await,
        Err(StoreError::NotFound)
    ));
});

// ---------------------------------------------------------------------------------------
// 12. Property: current state and as-of summaries are folds of the recorded events

mod event_fold {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    pub enum Op {
        Convert(u16),
        Move(usize, u16),
        Out(u16),
        In(usize, bool, u16),
        Join(usize, u16),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u16..500).prop_map(Op::Convert),
            (0usize..3, 0u16..400).prop_map(|(b, g)| Op::Move(b, g)),
            (0u16..400).prop_map(Op::Out),
            (0usize..3, any::<bool>(), 0u16..400).prop_map(|(b, p, g)| Op::In(b, p, g)),
            (0usize..3, 0u16..400).prop_map(|(b, g)| Op::Join(b, g)),
        ]
    }

    /// One member: first branch, days after 2000-01-01 of joining, then the ops.
    pub type History = (usize, u16, Vec<Op>);

    pub fn input() -> impl Strategy<Value = (Vec<History>, Vec<u16>)> {
        (
            prop::collection::vec(
                (0usize..3, 0u16..365, prop::collection::vec(op(), 0..8)),
                1..4,
            ),
            prop::collection::vec(0u16..6000, 1..5),
        )
    }

    const FIELDS: [&str; 3] = ["rural", "community", "organ"];

    fn status_of(
        st: Option<jiceng_domain::member::RosterState>,
    ) -> (bool, Option<String>, Option<i64>) {
        match st {
            Some(s) => (
                true,
                Some(
                    if s.probationary {
                        "probationary"
                    } else {
                        "full"
                    }
                    .to_string(),
                ),
                Some(s.org),
            ),
            None => (false, None, None),
        }
    }

    async fn row_state(store: &Store, id: i64) -> (bool, Option<String>, Option<i64>) {
        let r = sqlx::query("SELECT active, status, org_id FROM members WHERE id = $1")
            .bind(id)
            .fetch_one(store.db.pool())
            .await
            .unwrap();
        // Flags are 0/1 integers in both dialects.
        (
            r.try_get::<i64, _>(0).unwrap() != 0,
            r.try_get(1).unwrap(),
            r.try_get(2).unwrap(),
        )
    }

    /// The events as the store recorded them, in the fold's input form.
    async fn recorded(store: &Store, id: i64) -> Vec<EventLite> {
        store
            .member_events(&sys(), id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| EventLite {
                date: d(&e.date),
                kind: MemberEventKind::from_code(&e.kind).unwrap(),
                org: e.org_id,
                probationary: e.kind == "transferred_in"
                    && e.data["probationary"].as_bool().unwrap_or(false),
            })
            .collect()
    }

    pub async fn run_case(store: Store, histories: Vec<History>, dates: Vec<u16>) {
        let s = sys();
        let root = org(&store, None, "县委", "committee", "other").await;
        let mut branches = Vec::new();
        for (i, f) in FIELDS.iter().enumerate() {
            branches.push(
                org(&store, Some(root.id), &format!("第{i}支部"), "branch", f)
                    .await
                    .id,
            );
        }
        let base = d("2000-01-01");
        let mut all: Vec<(i64, Vec<EventLite>)> = Vec::new();
        for (mi, (first, offset, ops)) in histories.into_iter().enumerate() {
            let mut date = base + Days::new(u64::from(offset));
            let gender = if mi % 2 == 0 { "1" } else { "2" };
            let mut m = member(
                &store,
                branches[first],
                &format!("党员{mi}"),
                gender,
                "1970-01-01",
                &date.to_string(),
                None,
            )
            .await;
            let mut evs = vec![EventLite {
                date,
                kind: MemberEventKind::Joined,
                org: Some(branches[first]),
                probationary: false,
            }];
            for op in ops {
                let st = state_at(&evs, None);
                let gap = |g: u16| Days::new(u64::from(g));
                let (kind, org, prob) = match (op, st) {
                    (Op::Convert(g), Some(s)) if s.probationary => {
                        date = date + gap(g);
                        if let Some(j) = s.joined {
                            date = date.max(j.checked_add_months(Months::new(12)).unwrap());
                        }
                        (MemberEventKind::Converted, None, false)
                    }
                    (Op::Move(b, g), Some(s)) if branches[b] != s.org => {
                        date = date + gap(g);
                        (MemberEventKind::Moved, Some(branches[b]), false)
                    }
                    (Op::Out(g), Some(_)) => {
                        date = date + gap(g);
                        (MemberEventKind::TransferredOut, None, false)
                    }
                    (Op::In(b, p, g), None) => {
                        date = date + gap(g);
                        (MemberEventKind::TransferredIn, Some(branches[b]), p)
                    }
                    (Op::Join(b, g), None) => {
                        date = date + gap(g);
                        (MemberEventKind::Joined, Some(branches[b]), false)
                    }
                    _ => continue,
                };
                let e = NewMemberEvent {
                    version: m.version,
                    kind: kind.code().to_string(),
                    date: date.to_string(),
                    org_id: org,
                    letter_no: None,
                    note: None,
                    probationary: prob,
                };
                m = store
                    .add_member_event(&s, m.id, &e)
                    .await
                    .unwrap_or_else(|err| panic!("{e:?} after {evs:?}: {err:?}"));
                evs.push(EventLite {
                    date,
                    kind,
                    org,
                    probationary: prob,
                });
                let want = status_of(state_at(&evs, None));
                assert_eq!(row_state(&store, m.id).await, want, "row after {evs:?}");
                assert_eq!(
                    (m.active, m.status.clone(), m.org_id),
                    want,
                    "view after {evs:?}"
                );
            }
            let rec = recorded(&store, m.id).await;
            assert_eq!(rec, evs, "recorded events");
            assert_eq!(
                row_state(&store, m.id).await,
                status_of(state_at(&rec, None))
            );
            all.push((m.id, rec));
        }
        // Summaries at random dates are the fold of everyone's events on that date.
        for off in dates {
            let day = d("1999-06-01") + Days::new(u64::from(off));
            let sum = store.summary(&s, root.id, day).await.unwrap();
            let states: Vec<(usize, jiceng_domain::member::RosterState)> = all
                .iter()
                .enumerate()
                .filter_map(|(i, (_, evs))| state_at(evs, Some(day)).map(|st| (i, st)))
                .collect();
            assert_eq!(sum.members.total, states.len() as i64, "total on {day}");
            assert_eq!(
                sum.members.probationary,
                states.iter().filter(|(_, s)| s.probationary).count() as i64,
                "probationary on {day}"
            );
            assert_eq!(
                sum.members.female,
                states.iter().filter(|(i, _)| i % 2 == 1).count() as i64,
                "female on {day}"
            );
            for (bi, f) in FIELDS.iter().enumerate() {
                let want = states.iter().filter(|(_, s)| s.org == branches[bi]).count() as i64;
                assert_eq!(sum.orgs.by_field[f].members, want, "{f} on {day}");
            }
            let age = jiceng_domain::age::age_on(d("1970-01-01"), day);
            let want_le35 = if age <= 35 { states.len() as i64 } else { 0 };
            assert_eq!(sum.members.age_seed["le35"], want_le35);
        }
    }
}

fn prop_config(cases: u32) -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        cases,
        failure_persistence: None,
        ..Default::default()
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

mod member_histories_fold {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(prop_config(16))]
        #[test]
        fn sqlite((histories, dates) in event_fold::input()) {
            runtime().block_on(async move {
                let db = common::TestDb::sqlite().await;
                common::run(db, |store| event_fold::run_case(store, histories, dates)).await;
            });
        }
    }

    proptest! {
        #![proptest_config(prop_config(16))]
        #[test]
        fn postgres((histories, dates) in event_fold::input()) {
            runtime().block_on(async move {
                if let Some(db) = common::TestDb::postgres().await {
                    common::run(db, |store| event_fold::run_case(store, histories, dates)).await;
                }
            });
        }
    }
}

// ---------------------------------------------------------------------------------------
// 13. Concurrency: optimistic versions and the audit chain hold under parallel writers

store_test!(concurrent_writes, |store| async move {
    use futures_util::future::join_all;
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let mut branches = Vec::new();
    for i in 0..6 {
        branches.push(
            org(
                &store,
                Some(root.id),
                &format!("第{i}党支部"),
                "branch",
                "organ",
            )
            .await,
        );
    }
    // Parallel creates in different orgs: all succeed, the chain does not fork.
    let created = join_all(branches.iter().enumerate().map(|(i, b)| {
        let store = store.clone();
        let n = new_member(b.id, &format!("并发{i}"), "1", "1970-01-01", "2000-01-01");
        async move { store.create_member(&sys(), &n).await }
    }))
    .await;
    assert!(created.iter().all(Result::is_ok), "{created:?}");
    let v = audit::verify(&store.db).await.unwrap();
    assert_eq!(v.first_bad, None, "{v:?}");
    assert_eq!(v.rows, audit_rows(&store).await);

    // Parallel edits from the same version: exactly one wins, the others conflict.
    let m = created[0].as_ref().unwrap().clone();
    let edits = join_all((0..6).map(|i| {
        let store = store.clone();
        let p = patch_phone(m.version, &format!("1380000000{i}"));
        async move { store.update_member(&sys(), m.id, &p).await }
    }))
    .await;
    assert_eq!(edits.iter().filter(|r| r.is_ok()).count(), 1, "{edits:?}");
    assert!(edits
        .iter()
        .all(|r| r.is_ok() || matches!(r, Err(StoreError::Conflict { .. }))));
    assert_eq!(
        store.get_member(&sys(), m.id).await.unwrap().version,
        m.version + 1
    );
    assert_eq!(audit::verify(&store.db).await.unwrap().first_bad, None);
});

store_test!(concurrent_events_same_version, |store| async move {
    use futures_util::future::join_all;
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let b = org(&store, Some(root.id), "党支部", "branch", "organ").await;
    let b2 = org(&store, Some(root.id), "另一党支部", "branch", "organ").await;
    let m = member(
        &store,
        b.id,
        "张三",
        "1",
        "1970-01-01",
        "2000-01-01",
        Some("2001-01-01"),
    )
    .await;
    // Two officers record different events for the same member from the same version.
    let kinds = ["transferred_out", "moved", "died", "floating_out"];
    let results = join_all(kinds.iter().map(|k| {
        let store = store.clone();
        let org = (*k == "moved").then_some(b2.id);
        let e = ev(m.version, k, "2010-01-01", org);
        async move { store.add_member_event(&sys(), m.id, &e).await }
    }))
    .await;
    let ok = results.iter().filter(|r| r.is_ok()).count();
    let evs = store.member_events(&sys(), m.id).await.unwrap();
    assert_eq!(ok, 1, "{results:?}");
    assert_eq!(evs.len(), 3, "joined, converted and one of the four");
});

// ---------------------------------------------------------------------------------------
// 14. Members who arrive by transfer

store_test!(transferred_in_entry, |store| async move {
    let s = sys();
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let b = org(&store, Some(root.id), "党支部", "branch", "organ").await;
    let mut n = new_member(b.id, "转入", "2", "1970-01-01", "1995-07-01");
    n.full_date = Some("1996-07-01".into());
    n.entry = Some("transferred_in".into());
    n.entry_date = Some("2005-03-01".into());
    n.letter_no = Some("转字001号".into());
    let m = store.create_member(&s, &n).await.unwrap();
    assert_eq!(m.status.as_deref(), Some("full"));
    assert_eq!(m.join_date.as_deref(), Some("1995-07-01"));
    assert_eq!(m.full_date.as_deref(), Some("1996-07-01"));
    let kinds: Vec<String> = store
        .member_events(&s, m.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, vec!["transferred_in"]);
    // Still probationary on arrival when the conversion comes later.
    let mut p = new_member(b.id, "预备转入", "1", "1980-01-01", "2004-07-01");
    p.full_date = Some("2005-07-01".into());
    p.entry = Some("transferred_in".into());
    p.entry_date = Some("2005-03-01".into());
    let p = store.create_member(&s, &p).await.unwrap();
    assert_eq!(p.status.as_deref(), Some("full"));
    let before = store.summary(&s, root.id, d("2005-06-30")).await.unwrap();
    assert_eq!((before.members.total, before.members.probationary), (2, 1));
    // Not on the roster before the transfer.
    assert_eq!(
        store
            .summary(&s, root.id, d("2005-02-28"))
            .await
            .unwrap()
            .members
            .total,
        0
    );
    let mut bad = new_member(b.id, "错", "1", "1970-01-01", "2000-01-01");
    bad.entry = Some("transferred_in".into());
    bad.entry_date = Some("1999-12-31".into());
    assert_eq!(
        invalid_code(store.create_member(&s, &bad).await),
        "member.transfer_before_join"
    );
    bad.entry = Some("adopted".into());
    assert_eq!(
        invalid_code(store.create_member(&s, &bad).await),
        "member.entry_invalid"
    );
});

store_test!(join_eras_count_transferred_members, |store| async move {
    let s = sys();
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let b = org(&store, Some(root.id), "党支部", "branch", "organ").await;
    member(
        &store,
        b.id,
        "本地",
        "1",
        "1970-01-01",
        "1995-07-01",
        Some("1996-07-01"),
    )
    .await;
    let mut n = new_member(b.id, "转入", "2", "1970-01-01", "1995-07-01");
    n.full_date = Some("1996-07-01".into());
    n.entry = Some("transferred_in".into());
    n.entry_date = Some("2005-03-01".into());
    store.create_member(&s, &n).await.unwrap();
    let sum = store.summary(&s, root.id, d("2010-12-31")).await.unwrap();
    assert_eq!(sum.members.total, 2);
    let counted: i64 = sum.members.join_era.values().map(|s| s.count).sum();
    assert_eq!(
        counted, 2,
        "every member on the roster has a join date: {:?}",
        sum.members.join_era
    );
});

// ---------------------------------------------------------------------------------------
// 15. Materialized paths: /1/2/ must not cover /1/20/

store_test!(path_prefix_boundaries, |store| async move {
    let s = sys();
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let mut towns = Vec::new();
    for i in 0..22 {
        towns.push(
            org(
                &store,
                Some(root.id),
                &format!("镇{i:02}"),
                "committee",
                "rural",
            )
            .await,
        );
    }
    // Find a town whose id is a textual prefix of another's (e.g. 2 and 20).
    let (short, long) = towns
        .iter()
        .flat_map(|a| towns.iter().map(move |b| (a, b)))
        .find(|(a, b)| a.id != b.id && b.id.to_string().starts_with(&a.id.to_string()))
        .map(|(a, b)| (a.clone(), b.clone()))
        .expect("ids with a common prefix");
    assert!(long.path.starts_with(&short.path[..short.path.len() - 1]));
    let sb = org(&store, Some(short.id), "短支部", "branch", "rural").await;
    let lb = org(&store, Some(long.id), "长支部", "branch", "rural").await;
    let ms = member(
        &store,
        sb.id,
        "短",
        "1",
        "1970-01-01",
        "2000-01-01",
        Some("2001-01-01"),
    )
    .await;
    let ml = member(
        &store,
        lb.id,
        "长",
        "1",
        "1970-01-01",
        "2000-01-01",
        Some("2001-01-01"),
    )
    .await;

    let cs = user(1, Role::Committee, &short, None);
    assert_eq!(
        set(&org_ids(&all_orgs(&store, &cs, OrgFilter::default()).await)),
        set(&[short.id, sb.id])
    );
    assert_eq!(
        ids(&store
            .list_members(&cs, &MemberFilter::default())
            .await
            .unwrap()
            .items),
        set(&[ms.id])
    );
    assert!(matches!(
        store.get_member(&cs, ml.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.get_org(&cs, long.id).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        store.get_org(&s, short.id).await.unwrap().member_count,
        Some(1)
    );
    assert_eq!(
        store
            .summary(&s, short.id, d("2010-01-01"))
            .await
            .unwrap()
            .members
            .total,
        1
    );
    let ws = store.warnings(&cs, None, d("2010-01-01")).await.unwrap();
    assert!(ws.iter().all(|w| w.org_path.starts_with(&short.path)));
    let od = user(2, Role::OrgDept, &short, None);
    let log = audit::list(
        &store.db,
        &od,
        &AuditFilter::default(),
        Paging::new(None, Some(500)),
    )
    .await
    .unwrap();
    assert!(log
        .items
        .iter()
        .all(|r| r.entity_id.as_deref() != Some(&lb.id.to_string())
            && r.entity_id.as_deref() != Some(&long.id.to_string())));
    assert_eq!(log.total, 3, "town, branch and member of the short prefix");
    // Moving the short-id town keeps the long-id town where it was.
    let hub = org(
        &store,
        Some(root.id),
        "党工委",
        "working_committee",
        "organ",
    )
    .await;
    let short_now = store.get_org(&s, short.id).await.unwrap();
    store
        .move_org(&s, short.id, hub.id, "2020-01-01", short_now.version)
        .await
        .unwrap();
    assert_eq!(store.get_org(&s, long.id).await.unwrap().path, long.path);
    assert_eq!(store.get_org(&s, lb.id).await.unwrap().path, lb.path);
    assert!(store
        .get_org(&s, sb.id)
        .await
        .unwrap()
        .path
        .starts_with(&hub.path));
});

// ---------------------------------------------------------------------------------------
// 16. Lockout under parallel guessing

store_test!(lockout_under_parallel_guessing, |store| async move {
    use futures_util::future::join_all;
    let root = org(&store, None, "某县委", "committee", "organ").await;
    store
        .create_user(&sys(), &new_user("dave", "admin", root.id, PW))
        .await
        .unwrap();
    let policy = LoginPolicy::default();
    let tries = join_all((0..10).map(|_| {
        let store = store.clone();
        async move { store.login("dave", "Wrong@pass1", None, &policy).await }
    }))
    .await;
    let locked = tries
        .iter()
        .filter(|r| matches!(r, Err(LoginError::Locked { .. })))
        .count();
    assert!(
        locked >= 1,
        "ten wrong passwords in parallel and no lock: {tries:?}"
    );
    assert!(matches!(
        store.login("dave", PW, None, &policy).await,
        Err(LoginError::Locked { .. })
    ));
});

store_test!(member_file_documents, |store| async move {
    use jiceng_store::member::NewMemberDocument;
    let s = sys();
    let root = org(&store, None, "中共文档县委员会", "committee", "organ").await;
    let town_a = org(&store, Some(root.id), "甲镇党委", "committee", "rural").await;
    let town_b = org(&store, Some(root.id), "乙镇党委", "committee", "rural").await;
    // Members sit in a branch, not in the township committee (党章 第八条).
    let a1 = org(&store, Some(town_a.id), "甲一村党支部", "branch", "rural").await;
    let a = member(
        &store,
        a1.id,
        "王档案",
        "1",
        "1970-01-01",
        "1995-07-01",
        Some("1996-07-01"),
    )
    .await;
    let doc = |kind: &str, title: &str, date: &str| NewMemberDocument {
        kind: kind.into(),
        title: title.into(),
        doc_date: date.into(),
        pages: Some(3),
        location: Some("县委组织部档案室".into()),
        note: None,
    };
    let before = audit_rows(&store).await;
    let d1 = store
        .add_member_document(&s, a.id, &doc("volunteer_form", "入党志愿书", "1995-06-20"))
        .await
        .unwrap();
    assert_eq!(d1.kind_zh, "入党志愿书");
    store
        .add_member_document(&s, a.id, &doc("application", "入党申请书", "1993-03-01"))
        .await
        .unwrap();
    assert_eq!(audit_rows(&store).await, before + 2, "each entry audited");
    let list = store.member_documents(&s, a.id).await.unwrap();
    assert_eq!(
        list.iter().map(|d| d.doc_date.as_str()).collect::<Vec<_>>(),
        vec!["1993-03-01", "1995-06-20"],
        "oldest first"
    );
    assert_eq!(
        invalid_code(
            store
                .add_member_document(&s, a.id, &doc("nonsense", "x", "2000-01-01"))
                .await
        ),
        "member.document_kind_invalid"
    );
    assert_eq!(
        invalid_code(
            store
                .add_member_document(&s, a.id, &doc("other", "  ", "2000-01-01"))
                .await
        ),
        "member.document_title_invalid"
    );
    let outsider = user(90, Role::Committee, &town_b, None);
    assert!(matches!(
        store.member_documents(&outsider, a.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .add_member_document(&outsider, a.id, &doc("other", "x", "2000-01-01"))
            .await,
        Err(StoreError::NotFound)
    ));
    let own = user(91, Role::Member, &town_a, Some(a.id));
    assert_eq!(
        store.member_documents(&own, a.id).await.unwrap().len(),
        2,
        "members see their own file"
    );
    assert!(matches!(
        store
            .add_member_document(&own, a.id, &doc("other", "x", "2000-01-01"))
            .await,
        Err(StoreError::Forbidden)
    ));
});

// ---------------------------------------------------------------------------------------
// Annual report (年报) and drill-down

fn cell(r: &jiceng_stats::annual::AnnualReport, t: &str, row: &str, col: &str) -> i64 {
    let t = r.tables.iter().find(|x| x.code == t).unwrap();
    let ri = t.rows.iter().position(|x| x.key == row).unwrap();
    let ci = t.cols.iter().position(|x| x.key == col).unwrap();
    t.cells[ri][ci]
}

store_test!(annual_report_reconciles_by_events, |store| async move {
    use jiceng_stats::annual::Filter;
    let s = sys();
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let town = org(&store, Some(root.id), "甲镇党委", "committee", "rural").await;
    let va = org(&store, Some(town.id), "甲村党支部", "branch", "rural").await;
    let vb = org(&store, Some(town.id), "乙村党支部", "branch", "rural").await;
    let school = org(&store, Some(root.id), "县中学党支部", "branch", "school").await;

    // Before 2024: three full members in 甲村, one in the school.
    let a = member(
        &store,
        va.id,
        "甲一",
        "2",
        "1960-01-01",
        "1990-01-01",
        Some("1991-01-01"),
    )
    .await;
    let b = member(
        &store,
        va.id,
        "甲二",
        "1",
        "1970-01-01",
        "1995-01-01",
        Some("1996-01-01"),
    )
    .await;
    let c = member(
        &store,
        va.id,
        "甲三",
        "1",
        "1940-01-01",
        "1965-01-01",
        Some("1966-01-01"),
    )
    .await;
    member(
        &store,
        school.id,
        "校一",
        "2",
        "1980-01-01",
        "2005-01-01",
        Some("2006-01-01"),
    )
    .await;
    // 2024: one admitted in 乙村, 甲二 moved to 乙村, 甲三 died, 甲一 transferred out.
    member(&store, vb.id, "乙新", "1", "2000-05-05", "2024-06-01", None).await;
    event(&store, &b, "moved", "2024-03-01", Some(vb.id)).await;
    event(&store, &c, "died", "2024-08-01", None).await;
    event(&store, &a, "transferred_out", "2024-09-01", None).await;

    let (r, _) = store
        .annual_report(&s, root.id, 2024, None, false)
        .await
        .unwrap();
    assert_eq!(cell(&r, "T1", "1", "A"), 4);
    assert_eq!(cell(&r, "T1", "3", "A"), 1);
    assert_eq!(
        cell(&r, "T1", "7", "A"),
        0,
        "a move inside the county is no transfer"
    );
    assert_eq!(cell(&r, "T1", "12", "A"), 1);
    assert_eq!(cell(&r, "T1", "13", "A"), 1);
    assert_eq!(cell(&r, "T1", "16", "A"), 3);
    assert_eq!(cell(&r, "T1", "17", "A"), 0);
    let sum = store.summary(&s, root.id, d("2024-12-31")).await.unwrap();
    assert_eq!(cell(&r, "T2", "1", "A"), sum.members.total);
    assert_eq!(cell(&r, "T2", "1", "C"), sum.members.female);
    assert_eq!(cell(&r, "T2", "1", "B"), sum.members.probationary);
    assert_eq!(cell(&r, "T16", "1", "A"), 1);
    assert_eq!(cell(&r, "T5", "1", "B"), 2, "乙村: 乙新 and 甲二");
    for ch in &r.checks {
        assert!(ch.ok, "{} {:?}", ch.rule, ch.failures);
    }

    // From 甲村's side the move is a transfer out; 乙村 sees it as a transfer in.
    let (ra, _) = store
        .annual_report(&s, va.id, 2024, None, false)
        .await
        .unwrap();
    assert_eq!(cell(&ra, "T1", "1", "A"), 3);
    assert_eq!(cell(&ra, "T1", "13", "A"), 2);
    assert_eq!(cell(&ra, "T1", "16", "A"), 0);
    let (rb, hits) = store
        .annual_report(&s, vb.id, 2024, Some("T1/7/A"), false)
        .await
        .unwrap();
    assert_eq!(cell(&rb, "T1", "7", "A"), 1);
    assert_eq!(hits.len(), 1);
    let page = store.hit_page(&hits, 0, 10).await.unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].name, "甲二");
    assert_eq!(page.items[0].event.as_deref(), Some("moved"));
    assert_eq!(page.items[0].date.as_deref(), Some("2024-03-01"));
    assert_eq!(page.items[0].org_name.as_deref(), Some("乙村党支部"));

    // Drill-down from the summary: the same people as the figure.
    for (f, n) in [
        (Filter::All, sum.members.total),
        (Filter::Female, sum.members.female),
        (Filter::Probationary, sum.members.probationary),
    ] {
        let hits = store
            .stock_hits(&s, root.id, d("2024-12-31"), &f)
            .await
            .unwrap();
        assert_eq!(hits.len() as i64, n, "{f:?}");
    }
    let bands = &sum.members.age_bands;
    let young = store
        .stock_hits(
            &s,
            root.id,
            d("2024-12-31"),
            &Filter::Age {
                min: None,
                max: Some(30),
            },
        )
        .await
        .unwrap();
    assert_eq!(young.len() as i64, bands[0].1.count);

    // Scope: a branch secretary of 乙村 sees 乙村 only; outside is 404.
    let branch = user(70, Role::Branch, &vb, None);
    assert!(store
        .annual_report(&branch, vb.id, 2024, None, true)
        .await
        .is_ok());
    assert!(matches!(
        store
            .annual_report(&branch, root.id, 2024, None, false)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .stock_hits(&branch, va.id, d("2024-12-31"), &Filter::All)
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        invalid_code(
            store
                .annual_report(&s, root.id, 2024, Some("T9/1/A"), false)
                .await
        ),
        "report.definition"
    );
});

// ---------------------------------------------------------------------------------------
// 两新组织 registry and coverage

store_test!(new_org_registry_and_coverage, |store| async move {
    use jiceng_store::new_org::{NewNewOrg, NewOrgFilter, NewOrgPatch};
    let s = sys();
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let town = org(&store, Some(root.id), "甲镇党委", "committee", "rural").await;
    let other = org(&store, Some(root.id), "乙镇党委", "committee", "rural").await;
    let own = org(
        &store,
        Some(town.id),
        "某公司党支部",
        "branch",
        "private_enterprise",
    )
    .await;
    let joint = org(
        &store,
        Some(town.id),
        "联合党支部",
        "branch",
        "private_enterprise",
    )
    .await;
    let unit = |name: &str, full: i64, coverage: &str, covering: Option<i64>| NewNewOrg {
        org_id: town.id,
        name: name.into(),
        kind: "non_public_enterprise".into(),
        headcount: 50,
        full_members: full,
        coverage: coverage.into(),
        covering_org_id: covering,
        liaison: (coverage == "liaison").then(|| "王指导员".to_string()),
        registered: "2020-01-01".into(),
        above_scale: full >= 3,
        ..Default::default()
    };
    let before = audit_rows(&store).await;
    let a = store
        .create_new_org(&s, &unit("甲公司", 5, "own", Some(own.id)))
        .await
        .unwrap();
    assert_eq!(
        audit_rows(&store).await,
        before + 1,
        "audited in the same transaction"
    );
    assert!(a.warnings.is_empty());
    let b = store
        .create_new_org(&s, &unit("乙公司", 2, "joint", Some(joint.id)))
        .await
        .unwrap();
    assert!(b.warnings.is_empty());
    // Three full members in a joint branch: should have its own org.
    let c = store
        .create_new_org(&s, &unit("丙公司", 3, "joint", Some(joint.id)))
        .await
        .unwrap();
    assert_eq!(c.warnings[0].code, "new_org.should_have_own_org");
    let ding = store
        .create_new_org(&s, &unit("丁公司", 1, "liaison", None))
        .await
        .unwrap();
    store
        .create_new_org(&s, &unit("戊公司", 0, "none", None))
        .await
        .unwrap();

    // Bad input is explained.
    assert_eq!(
        invalid_code(store.create_new_org(&s, &unit("己", 1, "own", None)).await),
        "new_org.covering_org_required"
    );
    assert_eq!(
        invalid_code(
            store
                .create_new_org(
                    &s,
                    &NewNewOrg {
                        headcount: 2,
                        ..unit("己", 3, "own", Some(own.id))
                    }
                )
                .await
        ),
        "new_org.members_exceed_headcount"
    );
    assert_eq!(
        invalid_code(
            store
                .create_new_org(
                    &s,
                    &NewNewOrg {
                        credit_code: Some("91320124MA1XXXXX00".into()),
                        ..unit("己", 1, "none", None)
                    }
                )
                .await
        ),
        "org.credit_code_check_digit"
    );

    // Coverage on a date: 5 units, own 1 + joint 2 = 60 %, work coverage 80 %.
    let cov = store.coverage(&s, root.id, d("2024-12-31")).await.unwrap();
    let total = cov.rows.iter().find(|r| r.kind == "total").unwrap();
    assert_eq!(
        (
            total.registered,
            total.own,
            total.joint,
            total.liaison,
            total.none
        ),
        (5, 1, 2, 1, 1)
    );
    assert_eq!(total.org_rate, 60.0);
    assert_eq!(total.work_rate, 80.0);
    assert_eq!((total.above_scale, total.above_scale_covered), (2, 2));
    assert_eq!(cov.warned, 1);

    // 戊 gets its own org from 2025-03-01: history keeps the old coverage.
    let e = store
        .list_new_orgs(
            &s,
            &NewOrgFilter {
                q: Some("戊".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .items
        .remove(0);
    let patch = NewOrgPatch {
        version: e.version,
        coverage: Some("joint".into()),
        covering_org_id: Some(joint.id),
        effective: Some("2025-03-01".into()),
        ..Default::default()
    };
    let e2 = store.update_new_org(&s, e.id, &patch).await.unwrap();
    assert_eq!(e2.coverage, "joint");
    assert!(matches!(
        store.update_new_org(&s, e.id, &patch).await,
        Err(StoreError::Conflict { .. })
    ));
    let old = store.coverage(&s, root.id, d("2024-12-31")).await.unwrap();
    assert_eq!(old.rows.iter().find(|r| r.kind == "total").unwrap().none, 1);
    let now = store.coverage(&s, root.id, d("2025-12-31")).await.unwrap();
    assert_eq!(now.rows.iter().find(|r| r.kind == "total").unwrap().none, 0);
    assert!(matches!(
        invalid_code(
            store
                .update_new_org(
                    &s,
                    ding.id,
                    &NewOrgPatch {
                        version: ding.version,
                        coverage: Some("none".into()),
                        ..Default::default()
                    }
                )
                .await
        ),
        "new_org.effective_required"
    ));

    // Scope: 乙镇 sees none of 甲镇's units and cannot register under 甲镇.
    let outsider = user(80, Role::Committee, &other, None);
    assert_eq!(
        store
            .list_new_orgs(&outsider, &NewOrgFilter::default())
            .await
            .unwrap()
            .total,
        0
    );
    assert!(matches!(
        store.get_new_org(&outsider, a.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .create_new_org(&outsider, &unit("庚", 0, "none", None))
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.coverage(&outsider, town.id, d("2024-12-31")).await,
        Err(StoreError::NotFound)
    ));
    let town_user = user(81, Role::Committee, &town, None);
    assert_eq!(
        store
            .list_new_orgs(&town_user, &NewOrgFilter::default())
            .await
            .unwrap()
            .total,
        5
    );
    let warned = store
        .list_new_orgs(
            &town_user,
            &NewOrgFilter {
                warned: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(warned.total, 1);
    assert_eq!(warned.items[0].name, "丙公司");
});

// ---------------------------------------------------------------------------------------
// Development pipeline (发展党员)

store_test!(development_pipeline_end_to_end, |store| async move {
    use jiceng_store::development::{NewApplicant, NewStep, PersonFilter, TallyInput};
    let s = sys();
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let town = org(&store, Some(root.id), "甲镇党委", "committee", "rural").await;
    let branch = org(&store, Some(town.id), "甲村党支部", "branch", "rural").await;
    let other = org(&store, Some(root.id), "乙镇党委", "committee", "rural").await;
    let i1 = member(
        &store,
        branch.id,
        "介绍人甲",
        "1",
        "1970-01-01",
        "1995-01-01",
        Some("1996-01-01"),
    )
    .await;
    let i2 = member(
        &store,
        branch.id,
        "介绍人乙",
        "2",
        "1975-01-01",
        "2000-01-01",
        Some("2001-01-01"),
    )
    .await;
    let prob = member(
        &store,
        branch.id,
        "预备党员丙",
        "1",
        "1990-01-01",
        "2024-05-01",
        None,
    )
    .await;

    let applicant = NewApplicant {
        org_id: branch.id,
        name: "王小明".into(),
        gender: "1".into(),
        birth_date: "2000-05-05".into(),
        id_number: Some(id_for("2000-05-05", "1", 7)),
        education: "bachelor".into(),
        occupation: "farmer".into(),
        application_date: "2023-03-01".into(),
        ..Default::default()
    };
    // Under 18 is refused with the article.
    let young = NewApplicant {
        birth_date: "2005-03-02".into(),
        id_number: None,
        ..applicant.clone()
    };
    assert_eq!(
        invalid_code(store.create_applicant(&s, &young).await),
        "development.too_young"
    );
    let audit0 = audit_rows(&store).await;
    let p = store.create_applicant(&s, &applicant).await.unwrap();
    assert_eq!(audit_rows(&store).await, audit0 + 1);
    assert_eq!(p.stage, "applicant");
    assert_eq!(p.due[0].step, "talk");
    assert_eq!(p.due[0].date, "2023-04-01");

    let step = |version: i64, kind: &str, date: &str| NewStep {
        version,
        kind: kind.into(),
        date: date.into(),
        ..Default::default()
    };
    let mut v = p.version;
    for (kind, date) in [("talk", "2023-03-20"), ("activist", "2023-06-01")] {
        v = store
            .record_step(&s, p.id, &step(v, kind, date))
            .await
            .unwrap()
            .version;
    }
    // Candidate one day early: refused, naming 第十三条.
    let early = store
        .record_step(&s, p.id, &step(v, "candidate", "2024-05-31"))
        .await;
    assert_eq!(invalid_code(early), "development.activist_under_a_year");
    // A stale version: 409.
    assert!(matches!(
        store
            .record_step(&s, p.id, &step(v - 1, "candidate", "2024-06-01"))
            .await,
        Err(StoreError::Conflict { .. })
    ));
    v = store
        .record_step(&s, p.id, &step(v, "candidate", "2024-06-01"))
        .await
        .unwrap()
        .version;
    v = store
        .record_step(&s, p.id, &step(v, "political_review", "2024-07-01"))
        .await
        .unwrap()
        .version;
    let training = NewStep {
        end_date: Some("2024-07-12".into()),
        ..step(v, "training", "2024-07-10")
    };
    v = store
        .record_step(&s, p.id, &training)
        .await
        .unwrap()
        .version;
    v = store
        .record_step(&s, p.id, &step(v, "pre_review", "2024-08-01"))
        .await
        .unwrap()
        .version;
    // 公示 over the National Day holiday, posted on 29 Sep (调休 working Sunday): the period
    // starts the next day, 30 Sep and 8 Oct are its only working days by 8 Oct.
    let short = NewStep {
        end_date: Some("2024-10-08".into()),
        ..step(v, "notice", "2024-09-29")
    };
    assert_eq!(
        invalid_code(store.record_step(&s, p.id, &short).await),
        "development.notice_short"
    );
    let notice = NewStep {
        end_date: Some("2024-10-11".into()),
        ..step(v, "notice", "2024-09-29")
    };
    v = store.record_step(&s, p.id, &notice).await.unwrap().version;
    // A probationary introducer is refused.
    let meeting = |introducers: Vec<i64>, ayes: u64| NewStep {
        introducer_ids: introducers,
        tally: Some(TallyInput {
            entitled: 9,
            present: 8,
            ayes,
            written_ayes: 0,
        }),
        ..step(v, "branch_meeting", "2024-10-15")
    };
    assert_eq!(
        invalid_code(
            store
                .record_step(&s, p.id, &meeting(vec![i1.id, prob.id], 6))
                .await
        ),
        "development.introducer_not_full"
    );
    assert_eq!(
        invalid_code(
            store
                .record_step(&s, p.id, &meeting(vec![i1.id, i2.id], 4))
                .await
        ),
        "development.vote_failed"
    );
    let after = store
        .record_step(&s, p.id, &meeting(vec![i1.id, i2.id], 6))
        .await
        .unwrap();
    assert!(after
        .steps
        .last()
        .unwrap()
        .vote
        .as_deref()
        .unwrap()
        .contains("通过"));
    assert_eq!(after.due[0].step, "approval");
    assert_eq!(after.due[0].date, "2025-01-15");
    v = after.version;
    v = store
        .record_step(&s, p.id, &step(v, "higher_talk", "2024-11-01"))
        .await
        .unwrap()
        .version;
    let approved = store
        .record_step(&s, p.id, &step(v, "approval", "2024-12-20"))
        .await
        .unwrap();
    assert_eq!(approved.stage, "probationary");
    let mid = approved.member_id.expect("admitted as a member");
    let m = store.get_member(&s, mid).await.unwrap();
    assert_eq!(
        m.join_date.as_deref(),
        Some("2024-10-15"),
        "probation from the branch meeting"
    );
    assert_eq!(m.status.as_deref(), Some("probationary"));
    assert_eq!(approved.due[0].step, "conversion_meeting");
    assert_eq!(approved.due[0].date, "2025-10-15");
    v = approved.version;
    v = store
        .record_step(&s, p.id, &step(v, "oath", "2024-12-25"))
        .await
        .unwrap()
        .version;
    let conv = NewStep {
        tally: Some(TallyInput {
            entitled: 10,
            present: 9,
            ayes: 9,
            written_ayes: 0,
        }),
        ..step(v, "conversion_meeting", "2025-10-20")
    };
    v = store.record_step(&s, p.id, &conv).await.unwrap().version;
    let full = store
        .record_step(&s, p.id, &step(v, "conversion_approval", "2025-12-01"))
        .await
        .unwrap();
    assert_eq!(full.stage, "full");
    let m = store.get_member(&s, mid).await.unwrap();
    assert_eq!(m.status.as_deref(), Some("full"));
    assert_eq!(
        m.full_date.as_deref(),
        Some("2025-10-15"),
        "full from the end of probation"
    );

    // The year's figures, counted as the 年报 counts them.
    let st = store.dev_stats(&s, root.id, 2025).await.unwrap();
    assert_eq!((st.converted, st.extended, st.cancelled), (1, 0, 0));
    assert_eq!(st.on_time_rate, 100.0);
    let st24 = store.dev_stats(&s, root.id, 2024).await.unwrap();
    assert_eq!(
        st24.new_members[0],
        ("总数".to_string(), 2),
        "王小明 and 丙"
    );
    assert_eq!(
        st24.by_occupation
            .iter()
            .find(|(l, _)| l == "农牧渔民")
            .map(|x| x.1),
        Some(1)
    );

    // Board, list and scope.
    let board = store.dev_board(&s, root.id).await.unwrap();
    assert_eq!(board.iter().find(|c| c.stage == "full").unwrap().count, 1);
    let outsider = user(60, Role::Committee, &other, None);
    assert!(matches!(
        store.dev_person(&outsider, p.id).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        store
            .list_dev_people(&outsider, &PersonFilter::default())
            .await
            .unwrap()
            .total,
        0
    );
    let b = user(61, Role::Branch, &branch, None);
    assert_eq!(
        store
            .list_dev_people(&b, &PersonFilter::default())
            .await
            .unwrap()
            .total,
        1
    );
    assert!(matches!(
        store
            .create_applicant(
                &outsider,
                &NewApplicant {
                    id_number: None,
                    ..applicant.clone()
                }
            )
            .await,
        Err(StoreError::NotFound)
    ));

    // The due list of the subtree: a second applicant whose talk is overdue.
    let late = store
        .create_applicant(
            &s,
            &NewApplicant {
                name: "李四".into(),
                id_number: None,
                ..applicant.clone()
            },
        )
        .await
        .unwrap();
    let due = store.dev_due(&s, root.id, 30).await.unwrap();
    let row = due.iter().find(|r| r.person_id == late.id).unwrap();
    assert!(row.due.overdue);
    assert_eq!(row.due.step, "talk");
    // The subtree's 预警 list carries it, overdue first.
    let alerts = store.alerts(&s, root.id, 30).await.unwrap();
    let a = alerts
        .iter()
        .find(|a| a.area == "development" && a.subject_id == late.id)
        .unwrap();
    assert_eq!(
        (a.severity.as_str(), a.code.as_str()),
        ("overdue", "development.talk")
    );
    assert_eq!(alerts[0].severity, "overdue");
});

// ---------------------------------------------------------------------------------------
// Ratings (分类定级, 升级晋位)

store_test!(rating_round_orgs_list_the_villages, |store| async move {
    use jiceng_store::rating::{RoundOrgFilter, ScoreInput};
    use jiceng_store::Paging;
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let town = org(&store, Some(root.id), "甲镇党委", "committee", "rural").await;
    let other = org(&store, Some(root.id), "乙镇党委", "committee", "rural").await;
    let v1 = org(&store, Some(town.id), "一村党支部", "branch", "rural").await;
    let v2 = org(&store, Some(town.id), "二村党支部", "branch", "rural").await;
    let v3 = org(&store, Some(other.id), "三村党支部", "branch", "rural").await;
    let _school = org(&store, Some(root.id), "中学党支部", "branch", "school").await;
    let dept = user(60, Role::OrgDept, &root, None);
    let township = user(61, Role::Committee, &town, None);
    let r = store
        .open_round(&dept, root.id, 2011, "village.five_tier")
        .await
        .unwrap();
    let ids =
        |p: &jiceng_store::rating::RoundOrgs| p.items.iter().map(|o| o.org_id).collect::<Vec<_>>();
    let all = store
        .round_orgs(&dept, r.id, &RoundOrgFilter::default(), Paging::default())
        .await
        .unwrap();
    // Villages only: not the townships (they have villages under them), not the school.
    assert_eq!(ids(&all), vec![v1.id, v2.id, v3.id]);
    assert_eq!(all.total, 3);
    assert_eq!(all.counts.get("pending"), Some(&3));
    assert_eq!(all.items[0].parent_name.as_deref(), Some("甲镇党委"));
    let mine = store
        .round_orgs(
            &township,
            r.id,
            &RoundOrgFilter::default(),
            Paging::default(),
        )
        .await
        .unwrap();
    assert_eq!(ids(&mine), vec![v1.id, v2.id]);
    let scheme = jiceng_domain::rating::scheme("village.five_tier").unwrap();
    let full = scheme
        .indicators()
        .map(|i| (i.code.clone(), i.max_points))
        .collect();
    store
        .score_org(
            &township,
            r.id,
            v2.id,
            &ScoreInput {
                scores: full,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let f = |status: &str| RoundOrgFilter {
        status: Some(status.into()),
        ..Default::default()
    };
    let scored = store
        .round_orgs(&dept, r.id, &f("scored"), Paging::default())
        .await
        .unwrap();
    assert_eq!(ids(&scored), vec![v2.id]);
    assert_eq!(scored.items[0].rating.as_ref().map(|x| x.total), Some(100));
    assert_eq!(scored.counts.get("scored"), Some(&1));
    assert_eq!(scored.counts.get("pending"), Some(&2));
    let pending = store
        .round_orgs(&dept, r.id, &f("pending"), Paging::new(Some(2), Some(1)))
        .await
        .unwrap();
    assert_eq!((ids(&pending), pending.total), (vec![v3.id], 2));
    let named = store
        .round_orgs(
            &dept,
            r.id,
            &RoundOrgFilter {
                q: Some("三村".into()),
                ..Default::default()
            },
            Paging::default(),
        )
        .await
        .unwrap();
    assert_eq!(ids(&named), vec![v3.id]);
    // Completeness is the whole round in scope, whatever the filters.
    assert_eq!(
        (
            named.completeness.applicable,
            named.completeness.scored,
            named.completeness.pending,
            named.completeness.approved
        ),
        (3, 1, 2, 0)
    );
    assert_eq!(mine.completeness.applicable, 2);
    assert_eq!(
        invalid_code(
            store
                .round_orgs(&dept, r.id, &f("nope"), Paging::default())
                .await
        ),
        "rating.status_unknown"
    );
});

store_test!(rating_round_score_approve_publish, |store| async move {
    use jiceng_store::rating::{ApproveInput, ScoreInput};
    use std::collections::BTreeMap;
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let town = org(&store, Some(root.id), "甲镇党委", "committee", "rural").await;
    let v1 = org(&store, Some(town.id), "一村党支部", "branch", "rural").await;
    let v2 = org(&store, Some(town.id), "二村党支部", "branch", "rural").await;
    let school = org(&store, Some(root.id), "中学党支部", "branch", "school").await;
    let dept = user(50, Role::OrgDept, &root, None);
    let township = user(51, Role::Committee, &town, None);

    // Only the department opens rounds.
    assert!(matches!(
        store
            .open_round(&township, root.id, 2011, "village.five_tier")
            .await,
        Err(StoreError::Forbidden) | Err(StoreError::NotFound)
    ));
    let r = store
        .open_round(&dept, root.id, 2011, "village.five_tier")
        .await
        .unwrap();
    assert!(matches!(
        store
            .open_round(&dept, root.id, 2011, "village.five_tier")
            .await,
        Err(StoreError::Duplicate(_))
    ));
    let scheme = jiceng_domain::rating::scheme("village.five_tier").unwrap();
    let full: BTreeMap<String, u32> = scheme
        .indicators()
        .map(|i| (i.code.clone(), i.max_points))
        .collect();
    let mut low = full.clone();
    for v in low.values_mut() {
        *v /= 2;
    }
    // The township scores its villages; a school is outside the scheme.
    let a = store
        .score_org(
            &township,
            r.id,
            v1.id,
            &ScoreInput {
                scores: full.clone(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!((a.total, a.derived_tier.as_str()), (100, "标兵"));
    // Evidence per indicator (佐证材料), apart from comments; blanks dropped, unknown
    // indicators refused.
    let codes: Vec<String> = full.keys().cloned().collect();
    let mut with_evidence = ScoreInput {
        version: Some(a.version),
        scores: full.clone(),
        ..Default::default()
    };
    with_evidence
        .evidence
        .insert(codes[0].clone(), "  村集体经济收入台账（2011年）  ".into());
    with_evidence.evidence.insert(codes[1].clone(), "  ".into());
    let a = store
        .score_org(&township, r.id, v1.id, &with_evidence)
        .await
        .unwrap();
    assert_eq!(a.evidence.len(), 1);
    assert_eq!(a.evidence[&codes[0]], "村集体经济收入台账（2011年）");
    with_evidence.version = Some(a.version);
    with_evidence.evidence.insert("9.9".into(), "x".into());
    assert_eq!(
        invalid_code(
            store
                .score_org(&township, r.id, v1.id, &with_evidence)
                .await
        ),
        "rating.unknown_indicator"
    );
    assert_eq!(
        invalid_code(
            store
                .score_org(
                    &dept,
                    r.id,
                    school.id,
                    &ScoreInput {
                        scores: full.clone(),
                        ..Default::default()
                    }
                )
                .await
        ),
        "rating.not_applicable"
    );
    // A village never scores itself.
    let own = user(53, Role::Branch, &v1, None);
    assert!(matches!(
        store
            .score_org(
                &own,
                r.id,
                v1.id,
                &ScoreInput {
                    version: Some(a.version),
                    scores: full.clone(),
                    ..Default::default()
                }
            )
            .await,
        Err(StoreError::Forbidden)
    ));
    // A proposal above the score's tier needs a reason.
    let no_reason = ScoreInput {
        scores: low.clone(),
        proposed_tier: Some("达标".into()),
        ..Default::default()
    };
    assert_eq!(
        invalid_code(store.score_org(&township, r.id, v2.id, &no_reason).await),
        "rating.reason_required"
    );
    let b = store
        .score_org(
            &township,
            r.id,
            v2.id,
            &ScoreInput {
                reason: Some("抗洪抢险中表现突出".into()),
                ..no_reason
            },
        )
        .await
        .unwrap();
    assert_eq!(b.derived_tier, "薄弱");
    // The township cannot approve its own ratings.
    assert!(matches!(
        store
            .approve_rating(
                &township,
                r.id,
                v1.id,
                &ApproveInput {
                    version: a.version,
                    ..Default::default()
                }
            )
            .await,
        Err(StoreError::Forbidden)
    ));
    // Publishing waits for approvals: nothing approved, nothing to publish.
    assert_eq!(
        invalid_code(store.publish_round(&dept, r.id, d("2012-01-10"), 7).await),
        "rating.nothing_approved"
    );
    store
        .approve_rating(
            &dept,
            r.id,
            v1.id,
            &ApproveInput {
                version: a.version,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let b2 = store
        .approve_rating(
            &dept,
            r.id,
            v2.id,
            &ApproveInput {
                version: b.version,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        b2.tier.as_deref(),
        Some("达标"),
        "the proposal, with its reason"
    );
    assert_eq!(b2.override_reason.as_deref(), Some("抗洪抢险中表现突出"));
    let published = store
        .publish_round(&dept, r.id, d("2012-01-10"), 7)
        .await
        .unwrap();
    assert_eq!(published.notice_until.as_deref(), Some("2012-01-17"));
    assert_eq!(
        invalid_code(
            store
                .score_org(
                    &township,
                    r.id,
                    v1.id,
                    &ScoreInput {
                        version: Some(3),
                        scores: low.clone(),
                        ..Default::default()
                    }
                )
                .await
        ),
        "rating.round_closed"
    );

    // 2012: 二村 moves up two tiers (达标 → 标兵), 一村 stays.
    let r2 = store
        .open_round(&dept, root.id, 2012, "village.five_tier")
        .await
        .unwrap();
    for v in [&v1, &v2] {
        let x = store
            .score_org(
                &township,
                r2.id,
                v.id,
                &ScoreInput {
                    scores: full.clone(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        store
            .approve_rating(
                &dept,
                r2.id,
                v.id,
                &ApproveInput {
                    version: x.version,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }
    let d12 = store
        .rating_distribution(&dept, root.id, 2012)
        .await
        .unwrap();
    assert_eq!((d12.total, d12.tiers["标兵"]), (2, 2));
    let ledger = store.rating_ledger(&dept, root.id, 2012).await.unwrap();
    let two = ledger.iter().find(|l| l.org_id == v2.id).unwrap();
    assert_eq!(
        (two.last_tier.as_deref(), two.movement, two.award),
        (Some("达标"), Some(2), true)
    );
    let one = ledger.iter().find(|l| l.org_id == v1.id).unwrap();
    assert_eq!((one.movement, one.award, one.weak), (Some(0), false, false));
    let d11 = store
        .rating_distribution(&dept, root.id, 2011)
        .await
        .unwrap();
    assert_eq!((d11.tiers["标兵"], d11.tiers["达标"]), (1, 1));
    // Another township sees nothing of it.
    let other = org(&store, Some(root.id), "乙镇党委", "committee", "rural").await;
    let outsider = user(52, Role::Committee, &other, None);
    assert!(matches!(
        store.rating_ledger(&outsider, town.id, 2012).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .score_org(
                &outsider,
                r2.id,
                v1.id,
                &ScoreInput {
                    scores: full.clone(),
                    ..Default::default()
                }
            )
            .await,
        Err(StoreError::NotFound)
    ));
});

store_test!(
    rating_publication_complete_partial_withdrawn,
    |store| async move {
        use jiceng_store::rating::{
            ApproveInput, PublicationKind, PublishInput, RatingView, ScoreInput, WithdrawInput,
        };
        use std::collections::BTreeMap;
        store
            .set_setting(&sys(), "reference_date", "2012-03-31")
            .await
            .unwrap();
        let root = org(&store, None, "某县委", "committee", "organ").await;
        let town = org(&store, Some(root.id), "甲镇党委", "committee", "rural").await;
        let v1 = org(&store, Some(town.id), "一村党支部", "branch", "rural").await;
        let v2 = org(&store, Some(town.id), "二村党支部", "branch", "rural").await;
        let v3 = org(&store, Some(town.id), "三村党支部", "branch", "rural").await;
        let dept = user(70, Role::OrgDept, &root, None);
        let township = user(71, Role::Committee, &town, None);
        let r = store
            .open_round(&dept, root.id, 2011, "village.five_tier")
            .await
            .unwrap();
        let scheme = jiceng_domain::rating::scheme("village.five_tier").unwrap();
        let full: BTreeMap<String, u32> = scheme
            .indicators()
            .map(|i| (i.code.clone(), i.max_points))
            .collect();
        let score = |v: i64| {
            let store = store.clone();
            let township = township.clone();
            let full = full.clone();
            async move {
                store
                    .score_org(
                        &township,
                        r.id,
                        v,
                        &ScoreInput {
                            scores: full,
                            ..Default::default()
                        },
                    )
                    .await
                    .unwrap()
            }
        };
        let approve = |x: RatingView| {
            let store = store.clone();
            let dept = dept.clone();
            async move {
                store
                    .approve_rating(
                        &dept,
                        r.id,
                        x.org_id,
                        &ApproveInput {
                            version: x.version,
                            ..Default::default()
                        },
                    )
                    .await
                    .unwrap()
            }
        };
        // One village of three approved, one scored, one not scored.
        approve(score(v1.id).await).await;
        let s2 = score(v2.id).await;
        let input = |from: &str, partial: bool, reason: Option<&str>| PublishInput {
            from: d(from),
            notice_days: 7,
            partial,
            reason: reason.map(String::from),
        };
        let err = store
            .publish_round_with(&dept, r.id, &input("2012-01-10", false, None))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "rating.incomplete");
        assert!(
            err.to_string()
                .contains("尚有 2 个村未审定（已审定 1 / 应评 3，其中 1 个尚未评分）"),
            "{err}"
        );
        // A partial publication needs a reason of ten characters or more.
        for reason in [
            None,
            Some("乡镇换届未完成"),
            Some("   一二三四五六七八九   "),
        ] {
            assert_eq!(
                invalid_code(
                    store
                        .publish_round_with(&dept, r.id, &input("2012-01-10", true, reason))
                        .await
                ),
                "rating.partial_reason_required"
            );
        }
        let why = "两个村因换届推迟评定，先公布已审定的结果";
        // Dates: not before the year is over, not after today (2012-03-31), at least a day.
        assert_eq!(
            invalid_code(
                store
                    .publish_round_with(&dept, r.id, &input("2011-12-31", true, Some(why)))
                    .await
            ),
            "rating.notice_too_early"
        );
        assert_eq!(
            invalid_code(
                store
                    .publish_round_with(&dept, r.id, &input("2012-04-01", true, Some(why)))
                    .await
            ),
            "rating.notice_in_future"
        );
        assert_eq!(
            invalid_code(
                store
                    .publish_round_with(
                        &dept,
                        r.id,
                        &PublishInput {
                            notice_days: 0,
                            ..input("2012-01-10", true, Some(why))
                        }
                    )
                    .await
            ),
            "rating.notice_days_invalid"
        );
        // The township never publishes.
        assert!(matches!(
            store
                .publish_round_with(&township, r.id, &input("2012-01-01", true, Some(why)))
                .await,
            Err(StoreError::Forbidden)
        ));
        // 1 January after the year: published in part, the counts and reason recorded.
        let p = store
            .publish_round_with(&dept, r.id, &input("2012-01-01", true, Some(why)))
            .await
            .unwrap();
        assert_eq!(p.status, "published");
        let pubd = p.publication.clone().unwrap();
        assert_eq!(
            (pubd.kind, pubd.approved, pubd.applicable),
            (PublicationKind::Partial, 1, 3)
        );
        assert_eq!(pubd.reason.as_deref(), Some(why));
        assert_eq!(
            (pubd.notice_from.as_str(), pubd.notice_until.as_str()),
            ("2012-01-01", "2012-01-08")
        );
        // Published: no more approvals; a second publication is refused.
        assert_eq!(
            invalid_code(
                store
                    .approve_rating(
                        &dept,
                        r.id,
                        v2.id,
                        &ApproveInput {
                            version: s2.version,
                            ..Default::default()
                        }
                    )
                    .await
            ),
            "rating.round_closed"
        );
        assert_eq!(
            invalid_code(
                store
                    .publish_round_with(&dept, r.id, &input("2012-01-02", true, Some(why)))
                    .await
            ),
            "rating.round_closed"
        );

        // Withdrawal: the department only, with a reason; the round goes back to approved.
        assert!(matches!(
            store
                .withdraw_round(
                    &township,
                    r.id,
                    &WithdrawInput {
                        reason: Some(why.into())
                    }
                )
                .await,
            Err(StoreError::Forbidden)
        ));
        assert_eq!(
            invalid_code(
                store
                    .withdraw_round(
                        &dept,
                        r.id,
                        &WithdrawInput {
                            reason: Some("太早".into())
                        }
                    )
                    .await
            ),
            "rating.withdraw_reason_required"
        );
        let back = "部分公布引起误解，待全部审定后再公布";
        let w = store
            .withdraw_round(
                &dept,
                r.id,
                &WithdrawInput {
                    reason: Some(back.into()),
                },
            )
            .await
            .unwrap();
        assert_eq!(w.status, "open");
        assert!(w.publication.is_none() && w.notice_from.is_none());
        assert_eq!(w.withdrawals, 1);
        assert_eq!(
            invalid_code(
                store
                    .withdraw_round(
                        &dept,
                        r.id,
                        &WithdrawInput {
                            reason: Some(back.into())
                        }
                    )
                    .await
            ),
            "rating.not_published"
        );
        // Approvals kept; the rest approved, then published in full (the partial flag is moot).
        approve(s2).await;
        approve(score(v3.id).await).await;
        let full_pub = store
            .publish_round_with(&dept, r.id, &input("2012-03-31", true, None))
            .await
            .unwrap();
        let fp = full_pub.publication.clone().unwrap();
        assert_eq!(
            (fp.kind, fp.approved, fp.applicable, fp.reason),
            (PublicationKind::Full, 3, 3, None)
        );
        assert_eq!(full_pub.withdrawals, 1);
        // Every publication kept, the withdrawn one with its reason.
        let all = store.round_publications(&dept, r.id).await.unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].kind, PublicationKind::Partial);
        assert!(all[0].withdrawn_at.is_some());
        assert_eq!(all[0].withdraw_reason.as_deref(), Some(back));
        assert_eq!(all[1].kind, PublicationKind::Full);
        assert!(all[1].withdrawn_at.is_none());
        // The rounds list carries the publication in force.
        let listed = store.rounds(&dept).await.unwrap();
        let mine = listed.iter().find(|x| x.id == r.id).unwrap();
        assert_eq!(
            mine.publication.as_ref().map(|p| p.kind),
            Some(PublicationKind::Full)
        );
        // Audited: publish, withdraw, publish.
        let log = audit::list(
            &store.db,
            &sys(),
            &AuditFilter {
                entity: Some("rating_round".into()),
                entity_id: Some(r.id.to_string()),
                ..Default::default()
            },
            Paging::default(),
        )
        .await
        .unwrap();
        let actions: Vec<&str> = log.items.iter().map(|x| x.action.as_str()).collect();
        assert_eq!(
            actions,
            vec![
                "rating.publish",
                "rating.withdraw",
                "rating.publish",
                "rating.open_round"
            ]
        );
        assert_eq!(log.items[1].after.as_ref().unwrap()["reason"], back);
        assert_eq!(log.items[2].after.as_ref().unwrap()["kind"], "partial");
        // A round over the township is not seen from the next township: not found.
        let mine = store
            .open_round(&dept, town.id, 2012, "village.five_tier")
            .await
            .unwrap();
        let other = org(&store, Some(root.id), "乙镇党委", "committee", "rural").await;
        let outsider = user(72, Role::Committee, &other, None);
        assert!(matches!(
            store.round_publications(&outsider, mine.id).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .withdraw_round(
                    &outsider,
                    mine.id,
                    &WithdrawInput {
                        reason: Some(back.into())
                    }
                )
                .await,
            Err(StoreError::NotFound)
        ));
    }
);

store_test!(rectification_plans_for_weak_orgs, |store| async move {
    use jiceng_store::rating::{ApproveInput, ScoreInput};
    use jiceng_store::rectification::{NewPlan, PlanUpdate};
    use std::collections::BTreeMap;
    store
        .set_setting(&sys(), "reference_date", "2012-06-30")
        .await
        .unwrap();
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let town = org(&store, Some(root.id), "甲镇党委", "committee", "rural").await;
    let weak = org(&store, Some(town.id), "弱村党支部", "branch", "rural").await;
    let good = org(&store, Some(town.id), "好村党支部", "branch", "rural").await;
    let dept = user(70, Role::OrgDept, &root, None);
    let township = user(71, Role::Committee, &town, None);
    let scheme = jiceng_domain::rating::scheme("village.five_tier").unwrap();
    let sheet = |total: u32| -> BTreeMap<String, u32> {
        let mut left = total;
        scheme
            .indicators()
            .map(|i| {
                let v = i.max_points.min(left);
                left -= v;
                (i.code.clone(), v)
            })
            .collect()
    };
    let r = store
        .open_round(&dept, root.id, 2011, &scheme.code)
        .await
        .unwrap();
    for (o, total) in [(&weak, 50), (&good, 95)] {
        let x = store
            .score_org(
                &township,
                r.id,
                o.id,
                &ScoreInput {
                    scores: sheet(total),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        store
            .approve_rating(
                &dept,
                r.id,
                o.id,
                &ApproveInput {
                    version: x.version,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }
    let (plans, missing) = store.plans(&township, town.id, Some(2011)).await.unwrap();
    assert!(plans.is_empty());
    assert_eq!(missing.len(), 1, "the weak village still needs its plan");
    assert_eq!(missing[0].2, "薄弱");
    let plan = |org_id: i64| NewPlan {
        org_id,
        year: 2011,
        problems: "班子软弱，集体经济空壳".into(),
        measures: "选派第一书记，发展合作社".into(),
        owner: "村党支部书记".into(),
        helper: Some("县委组织部包保干部".into()),
        deadline: "2012-05-31".into(),
    };
    assert_eq!(
        invalid_code(store.create_plan(&township, &plan(good.id)).await),
        "rectification.not_weak"
    );
    let p = store.create_plan(&township, &plan(weak.id)).await.unwrap();
    assert!(p.overdue, "deadline passed on the reference date");
    let alerts = store.alerts(&township, town.id, 30).await.unwrap();
    assert!(alerts
        .iter()
        .any(|a| a.code == "rectification.overdue" && a.subject_id == p.id));
    assert!(matches!(
        store.create_plan(&township, &plan(weak.id)).await,
        Err(StoreError::Duplicate(_))
    ));
    let (plans, missing) = store.plans(&township, town.id, Some(2011)).await.unwrap();
    assert_eq!((plans.len(), missing.len()), (1, 0));
    assert_eq!(
        invalid_code(
            store
                .update_plan(
                    &township,
                    p.id,
                    &PlanUpdate {
                        version: p.version,
                        completed: Some("2012-06-01".into()),
                        ..Default::default()
                    }
                )
                .await
        ),
        "rectification.evidence_required"
    );
    let done = store
        .update_plan(
            &township,
            p.id,
            &PlanUpdate {
                version: p.version,
                completed: Some("2012-06-01".into()),
                evidence: Some("合作社登记证".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!((done.status.as_str(), done.overdue), ("done", false));
    let other = org(&store, Some(root.id), "乙镇党委", "committee", "rural").await;
    let outsider = user(72, Role::Committee, &other, None);
    assert!(matches!(
        store
            .update_plan(
                &outsider,
                p.id,
                &PlanUpdate {
                    version: done.version,
                    ..Default::default()
                }
            )
            .await,
        Err(StoreError::NotFound)
    ));
});

store_test!(
    member_appraisal_with_anonymous_ballots,
    |store| async move {
        use jiceng_store::appraisal::{BallotInput, DecisionInput};
        use sqlx::{Column, Row as _};
        use std::collections::BTreeMap;
        let root = org(&store, None, "某县委", "committee", "organ").await;
        let branch = org(&store, Some(root.id), "甲支部", "branch", "rural").await;
        let m: Vec<MemberView> =
            futures_util::future::join_all(["甲", "乙", "丙"].iter().enumerate().map(|(i, n)| {
                let store = store.clone();
                let b = branch.id;
                async move {
                    member(
                        &store,
                        b,
                        n,
                        "1",
                        &format!("197{i}-01-01"),
                        "2000-01-01",
                        Some("2001-01-01"),
                    )
                    .await
                }
            }))
            .await;
        let secretary = user(80, Role::Branch, &branch, None);
        let a = store
            .open_appraisal(&secretary, branch.id, 2024)
            .await
            .unwrap();
        assert_eq!(a.participants.len(), 3);
        let tokens = store.issue_tokens(&secretary, a.id, 4).await.unwrap();
        assert_eq!(tokens.len(), 4);
        let ballot = |t: &str, g: [&str; 3]| BallotInput {
            token: t.into(),
            grades: m
                .iter()
                .zip(g)
                .map(|(x, g)| (x.id, g.to_string()))
                .collect(),
        };
        store
            .cast_ballot(&ballot(&tokens[0], ["excellent", "qualified", "qualified"]))
            .await
            .unwrap();
        store
            .cast_ballot(&ballot(
                &tokens[1],
                ["excellent", "excellent", "basically_qualified"],
            ))
            .await
            .unwrap();
        store
            .cast_ballot(&ballot(
                &tokens[2],
                ["qualified", "qualified", "basically_qualified"],
            ))
            .await
            .unwrap();
        // One ballot per token.
        match store
            .cast_ballot(&ballot(&tokens[0], ["qualified", "qualified", "qualified"]))
            .await
        {
            Err(StoreError::Duplicate(m)) => assert!(m.contains("已经投过"), "{m}"),
            other => panic!("second use of a token: {other:?}"),
        }
        assert_eq!(
            invalid_code(
                store
                    .cast_ballot(&ballot(
                        "NOTATOKEN1",
                        ["qualified", "qualified", "qualified"]
                    ))
                    .await
            ),
            "appraisal.token_invalid"
        );
        let v = store.appraisal(&secretary, a.id).await.unwrap();
        assert_eq!((v.tokens_issued, v.ballots_cast), (4, 3));
        let first = v
            .participants
            .iter()
            .find(|p| p.member_id == m[0].id)
            .unwrap();
        assert_eq!(first.tally, vec![2, 1, 0, 0]);
        assert_eq!(first.suggested.as_deref(), Some("excellent"));

        // Nothing in the database links a ballot to a voter or a token.
        let cols = |table: &'static str| {
            let store = store.clone();
            async move {
                let r = sqlx::query(&format!("SELECT * FROM {table} LIMIT 1"))
                    .fetch_one(store.db.pool())
                    .await
                    .unwrap();
                r.columns()
                    .iter()
                    .map(|c| c.name().to_string())
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(
            cols("appraisal_ballots").await,
            ["id", "appraisal_id", "member_id", "grade"]
        );
        assert_eq!(
            cols("appraisal_tokens").await,
            ["id", "appraisal_id", "token_hash", "used"]
        );
        let actors: Vec<(Option<i64>, Option<String>)> = sqlx::query_as(
            "SELECT actor_id, client_addr FROM audit_log WHERE action = 'appraisal.ballot'",
        )
        .fetch_all(store.db.pool())
        .await
        .unwrap();
        assert_eq!(actors.len(), 3);
        assert!(actors.iter().all(|(a, c)| a.is_none() && c.is_none()));

        // 个人自评 and 党员互评, named and dated: a later self-review is shown, both kept.
        use jiceng_store::appraisal::ReviewInput;
        let review = |who: i64, kind: &str, date: &str, text: &str| ReviewInput {
            member_id: who,
            kind: kind.into(),
            date: date.into(),
            text: text.into(),
        };
        let before = audit_rows(&store).await;
        for r in [
            review(m[0].id, "self", "2024-12-10", "学习不够深入"),
            review(m[1].id, "peer", "2024-12-10", "带头参加义务劳动"),
            review(m[1].id, "peer", "2024-12-10", "发挥作用不够明显"),
            review(m[0].id, "self", "2024-12-11", "学习不够深入，联系群众不够"),
        ] {
            store
                .add_appraisal_review(&secretary, a.id, &r)
                .await
                .unwrap();
        }
        assert_eq!(audit_rows(&store).await, before + 4);
        let outsider = org(&store, Some(root.id), "丁支部", "branch", "rural").await;
        let stranger = member(
            &store,
            outsider.id,
            "丁",
            "1",
            "1980-01-01",
            "2000-01-01",
            None,
        )
        .await;
        for (r, code) in [
            (
                review(stranger.id, "self", "2024-12-10", "x"),
                "appraisal.not_participant",
            ),
            (
                review(m[2].id, "self", "2024-12-10", "  "),
                "appraisal.review_empty",
            ),
            (
                review(m[2].id, "other", "2024-12-10", "x"),
                "appraisal.review_kind",
            ),
            (
                review(m[2].id, "self", "2099-01-01", "x"),
                "appraisal.date_future",
            ),
        ] {
            assert_eq!(
                invalid_code(store.add_appraisal_review(&secretary, a.id, &r).await),
                code
            );
        }
        let elsewhere = user(81, Role::Branch, &outsider, None);
        assert!(matches!(
            store
                .add_appraisal_review(
                    &elsewhere,
                    a.id,
                    &review(m[2].id, "self", "2024-12-10", "x")
                )
                .await,
            Err(StoreError::NotFound)
        ));
        let v = store.appraisal(&secretary, a.id).await.unwrap();
        let p0 = &v
            .participants
            .iter()
            .find(|p| p.member_id == m[0].id)
            .unwrap();
        assert_eq!(
            p0.self_review.as_ref().map(|r| r.text.as_str()),
            Some("学习不够深入，联系群众不够")
        );
        let p1 = &v
            .participants
            .iter()
            .find(|p| p.member_id == m[1].id)
            .unwrap();
        assert_eq!(p1.peer_reviews.len(), 2);
        assert!(p1.self_review.is_none());
        let kept: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM appraisal_reviews WHERE kind = 'self'")
                .fetch_one(store.db.pool())
                .await
                .unwrap();
        assert_eq!(kept, 2);

        // The decision: 优秀 at most one third, and the committee's vote must pass.
        let decision = |g: [&str; 3], ayes: u64| DecisionInput {
            version: v.version,
            grades: m
                .iter()
                .zip(g)
                .map(|(x, g)| (x.id, g.to_string()))
                .collect::<BTreeMap<_, _>>(),
            entitled: 5,
            present: 5,
            ayes,
        };
        assert_eq!(
            invalid_code(
                store
                    .decide_appraisal(
                        &secretary,
                        a.id,
                        &decision(["excellent", "excellent", "qualified"], 5)
                    )
                    .await
            ),
            "appraisal.too_many_excellent"
        );
        assert_eq!(
            invalid_code(
                store
                    .decide_appraisal(
                        &secretary,
                        a.id,
                        &decision(["excellent", "qualified", "qualified"], 2)
                    )
                    .await
            ),
            "appraisal.vote_failed"
        );
        let done = store
            .decide_appraisal(
                &secretary,
                a.id,
                &decision(["excellent", "qualified", "basically_qualified"], 3),
            )
            .await
            .unwrap();
        assert_eq!(done.status, "decided");
        assert_eq!(
            invalid_code(
                store
                    .add_appraisal_review(
                        &secretary,
                        a.id,
                        &review(m[2].id, "self", "2024-12-20", "补记")
                    )
                    .await
            ),
            "appraisal.closed"
        );
        assert_eq!(
            invalid_code(
                store
                    .cast_ballot(&ballot(&tokens[3], ["qualified", "qualified", "qualified"]))
                    .await
            ),
            "appraisal.closed"
        );
        let other = org(&store, Some(root.id), "乙支部", "branch", "rural").await;
        let outsider = user(81, Role::Branch, &other, None);
        assert!(matches!(
            store.appraisal(&outsider, a.id).await,
            Err(StoreError::NotFound)
        ));
    }
);

store_test!(
    secretary_evaluation_two_reports_three_groups,
    |store| async move {
        use jiceng_store::secretary_eval::{NewEval, Reports};
        let root = org(&store, None, "某县委", "committee", "organ").await;
        let town = org(&store, Some(root.id), "甲镇党委", "committee", "rural").await;
        let village = org(&store, Some(town.id), "一村党支部", "branch", "rural").await;
        let township = user(90, Role::Committee, &town, None);
        let villager = user(91, Role::Branch, &village, None);
        let new = NewEval {
            org_id: village.id,
            year: 2024,
            secretary: "张书记".into(),
            ..Default::default()
        };
        let e = store.open_eval(&township, &new).await.unwrap();
        assert!(matches!(
            store.open_eval(&township, &new).await,
            Err(StoreError::Duplicate(_))
        ));
        let e = store
            .eval_reports(
                &township,
                e.id,
                &Reports {
                    version: e.version,
                    report_higher: Some("向乡镇党委述职".into()),
                    report_higher_date: Some("2024-12-20".into()),
                    report_members: Some("向党员和村民代表述职".into()),
                    report_members_date: Some("2024-12-22".into()),
                },
            )
            .await
            .unwrap();
        for (rater, g) in [("书记甲", "excellent"), ("镇长乙", "excellent")] {
            store.eval_named(&township, e.id, rater, g).await.unwrap();
        }
        assert!(matches!(
            store
                .eval_named(&township, e.id, "书记甲", "competent")
                .await,
            Err(StoreError::Duplicate(_))
        ));
        let members = store
            .eval_tokens(&township, e.id, "members", 2)
            .await
            .unwrap();
        let reps = store
            .eval_tokens(&township, e.id, "representatives", 2)
            .await
            .unwrap();
        assert_eq!(
            invalid_code(store.eval_tokens(&township, e.id, "leadership", 2).await),
            "secretary_eval.group_invalid"
        );
        for t in &members {
            store.eval_ballot(t, "competent").await.unwrap();
        }
        for t in &reps {
            store.eval_ballot(t, "competent").await.unwrap();
        }
        assert!(matches!(
            store.eval_ballot(&members[0], "excellent").await,
            Err(StoreError::Duplicate(_))
        ));
        // 100 × 40 % + 80 × 30 % + 80 × 30 % = 88 → 称职.
        let v = store.eval(&township, e.id).await.unwrap();
        assert_eq!(
            v.tallies,
            vec![vec![2, 0, 0, 0], vec![0, 2, 0, 0], vec![0, 2, 0, 0]]
        );
        assert_eq!(v.outcome.score, 88.0);
        assert_eq!(v.outcome.grade.code(), "competent");
        // The village branch being rated cannot run its own evaluation.
        assert!(matches!(
            store.eval_named(&villager, e.id, "自己", "excellent").await,
            Err(StoreError::Forbidden) | Err(StoreError::NotFound)
        ));
        let closed = store.close_eval(&township, e.id, v.version).await.unwrap();
        assert_eq!(closed.status, "closed");
        assert_eq!(
            invalid_code(store.eval_ballot(&reps[0], "excellent").await),
            "secretary_eval.closed"
        );
        let cols: Vec<String> = {
            use sqlx::{Column, Row as _};
            sqlx::query("SELECT * FROM secretary_eval_ballots LIMIT 1")
                .fetch_one(store.db.pool())
                .await
                .unwrap()
                .columns()
                .iter()
                .map(|c| c.name().to_string())
                .collect()
        };
        assert_eq!(cols, ["id", "eval_id", "rater_group", "grade"]);
    }
);

store_test!(
    appraisal_and_eval_lists_are_subtree_scoped,
    |store| async move {
        use jiceng_store::appraisal::EvalListQuery;
        use jiceng_store::secretary_eval::NewEval;
        let root = org(&store, None, "某县委", "committee", "organ").await;
        let town_a = org(&store, Some(root.id), "甲镇党委", "committee", "rural").await;
        let town_b = org(&store, Some(root.id), "乙镇党委", "committee", "rural").await;
        let v1 = org(&store, Some(town_a.id), "一村党支部", "branch", "rural").await;
        let v2 = org(&store, Some(town_a.id), "二村党支部", "branch", "rural").await;
        let v3 = org(&store, Some(town_b.id), "三村党支部", "branch", "rural").await;
        for (i, b) in [&v1, &v2, &v3].iter().enumerate() {
            for j in 0..2 {
                member(
                    &store,
                    b.id,
                    &format!("党员{i}{j}"),
                    "1",
                    &format!("197{j}-0{}-01", i + 1),
                    "2000-01-01",
                    Some("2001-01-01"),
                )
                .await;
            }
        }
        let county = user(100, Role::OrgDept, &root, None);
        let township = user(101, Role::Committee, &town_a, None);
        let branch = user(102, Role::Branch, &v1, None);
        let other_branch = user(103, Role::Branch, &v3, None);
        let a1 = store.open_appraisal(&county, v1.id, 2023).await.unwrap();
        let a2 = store.open_appraisal(&county, v1.id, 2024).await.unwrap();
        let a3 = store.open_appraisal(&county, v2.id, 2024).await.unwrap();
        let a4 = store.open_appraisal(&county, v3.id, 2024).await.unwrap();
        let tokens = store.issue_tokens(&county, a2.id, 3).await.unwrap();
        store
            .cast_ballot(&jiceng_store::appraisal::BallotInput {
                token: tokens[0].clone(),
                grades: [(a2.participants[0].member_id, "qualified".to_string())].into(),
            })
            .await
            .unwrap();
        let q = |year: Option<i32>| EvalListQuery {
            year,
            ..Default::default()
        };
        // The township sees its two villages, newest year first, with counts.
        let p = store
            .list_appraisals(&township, town_a.id, &q(None))
            .await
            .unwrap();
        assert_eq!(p.total, 3);
        assert_eq!(
            p.items.iter().map(|a| a.id).collect::<Vec<_>>(),
            vec![a2.id, a3.id, a1.id]
        );
        let first = &p.items[0];
        assert_eq!(
            (first.org_name.as_str(), first.year, first.status.as_str()),
            ("一村党支部", 2024, "open")
        );
        assert_eq!(
            (first.participants, first.tokens_issued, first.ballots_cast),
            (2, 3, 1)
        );
        let p = store
            .list_appraisals(&township, town_a.id, &q(Some(2023)))
            .await
            .unwrap();
        assert_eq!(p.items.iter().map(|a| a.id).collect::<Vec<_>>(), [a1.id]);
        // Paging is in the query: one per page, the total stays.
        let p = store
            .list_appraisals(
                &county,
                root.id,
                &EvalListQuery {
                    year: Some(2024),
                    page: Some(2),
                    page_size: Some(1),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!((p.total, p.items.len()), (3, 1));
        assert_eq!(p.items[0].id, a3.id);
        let all = store
            .list_appraisals(&county, root.id, &q(Some(2024)))
            .await
            .unwrap();
        assert!(all.items.iter().any(|a| a.id == a4.id));
        // A branch sees its own; another subtree or a higher org is not found.
        let p = store
            .list_appraisals(&branch, v1.id, &q(None))
            .await
            .unwrap();
        assert_eq!(p.total, 2);
        for (scope, org_id) in [
            (&township, town_b.id),
            (&branch, town_a.id),
            (&other_branch, v1.id),
        ] {
            assert!(matches!(
                store.list_appraisals(scope, org_id, &q(None)).await,
                Err(StoreError::NotFound)
            ));
        }

        // What a slip is for, before it is used; a used slip answers as a second ballot.
        let slip = store.ballot_slip(&tokens[1]).await.unwrap();
        assert_eq!(
            (slip.kind.as_str(), slip.org_name.as_str(), slip.year),
            ("appraisal", "一村党支部", 2024)
        );
        assert_eq!(slip.participants.len(), 2);
        assert!(slip.participants.iter().any(|m| m.name == "党员00"));
        assert!(matches!(
            store.ballot_slip(&tokens[0]).await,
            Err(StoreError::Duplicate(_))
        ));
        assert_eq!(
            invalid_code(store.ballot_slip("NOTATOKEN1").await),
            "ballot.token_invalid"
        );

        // Secretary evaluations: opened by the township for its villages.
        let open = |org_id: i64, year: i32, name: &str| NewEval {
            org_id,
            year,
            secretary: name.into(),
            ..Default::default()
        };
        let e1 = store
            .open_eval(&township, &open(v1.id, 2024, "张书记"))
            .await
            .unwrap();
        let e2 = store
            .open_eval(&township, &open(v2.id, 2024, "李书记"))
            .await
            .unwrap();
        let e3 = store
            .open_eval(&county, &open(v3.id, 2024, "王书记"))
            .await
            .unwrap();
        store
            .eval_named(&township, e1.id, "镇党委书记", "excellent")
            .await
            .unwrap();
        let closed = store.eval(&township, e1.id).await.unwrap();
        store
            .close_eval(&township, e1.id, closed.version)
            .await
            .unwrap();
        let reps = store
            .eval_tokens(&township, e2.id, "representatives", 1)
            .await
            .unwrap();
        let slip = store.ballot_slip(&reps[0]).await.unwrap();
        assert_eq!(
            (
                slip.kind.as_str(),
                slip.secretary.as_deref(),
                slip.group.as_deref()
            ),
            ("secretary_eval", Some("李书记"), Some("representatives"))
        );
        let p = store
            .list_evals(&township, town_a.id, &q(Some(2024)))
            .await
            .unwrap();
        assert_eq!(p.total, 2);
        let got: Vec<_> = p
            .items
            .iter()
            .map(|e| (e.id, e.status.as_str(), e.grade.as_deref(), e.score))
            .collect();
        assert_eq!(
            got,
            vec![
                (e1.id, "closed", Some("excellent"), Some(100.0)),
                (e2.id, "open", None, None)
            ]
        );
        assert_eq!(p.items[0].secretary, "张书记");
        let p = store.list_evals(&county, root.id, &q(None)).await.unwrap();
        assert_eq!(p.total, 3);
        assert!(p.items.iter().any(|e| e.id == e3.id));
        // The village reads its own evaluation; another township's is not found.
        let p = store.list_evals(&branch, v1.id, &q(None)).await.unwrap();
        assert_eq!(p.items.iter().map(|e| e.id).collect::<Vec<_>>(), [e1.id]);
        assert!(matches!(
            store.list_evals(&township, town_b.id, &q(None)).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.list_evals(&other_branch, town_a.id, &q(None)).await,
            Err(StoreError::NotFound)
        ));
    }
);

store_test!(
    secretary_eval_member_stays_in_the_evaluated_org,
    |store| async move {
        use jiceng_store::secretary_eval::NewEval;
        let root = org(&store, None, "某县委", "committee", "organ").await;
        let town_a = org(&store, Some(root.id), "甲镇党委", "committee", "rural").await;
        let town_b = org(&store, Some(root.id), "乙镇党委", "committee", "rural").await;
        let v1 = org(&store, Some(town_a.id), "一村党支部", "branch", "rural").await;
        let v2 = org(&store, Some(town_a.id), "二村党支部", "branch", "rural").await;
        let v3 = org(&store, Some(town_b.id), "三村党支部", "branch", "rural").await;
        let own = member(
            &store,
            v1.id,
            "张书记",
            "1",
            "1970-01-01",
            "1995-01-01",
            Some("1996-01-01"),
        )
        .await;
        let next_door = member(
            &store,
            v2.id,
            "李书记",
            "1",
            "1971-01-01",
            "1995-01-01",
            Some("1996-01-01"),
        )
        .await;
        let other_town = member(
            &store,
            v3.id,
            "王书记",
            "1",
            "1972-01-01",
            "1995-01-01",
            Some("1996-01-01"),
        )
        .await;
        let township = user(110, Role::Committee, &town_a, None);
        let open = |member_id: i64| NewEval {
            org_id: v1.id,
            year: 2024,
            secretary: "张书记".into(),
            member_id: Some(member_id),
            ..Default::default()
        };
        // Another township's member is out of scope: answered as if it did not exist.
        assert!(matches!(
            store.open_eval(&township, &open(other_town.id)).await,
            Err(StoreError::NotFound)
        ));
        // An unknown id is 404, not a foreign-key failure.
        assert!(matches!(
            store
                .open_eval(&township, &open(other_town.id + 1000))
                .await,
            Err(StoreError::NotFound)
        ));
        // In scope but in another village: refused with a reason.
        assert_eq!(
            invalid_code(store.open_eval(&township, &open(next_door.id)).await),
            "secretary_eval.member_outside_org"
        );
        let e = store.open_eval(&township, &open(own.id)).await.unwrap();
        assert_eq!(e.member_id, Some(own.id));
    }
);
