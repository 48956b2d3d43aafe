//! The org picker's search (`search_orgs`), the transfer destination search across the
//! whole deployment with a township → other-township transfer, and a meeting's roster (all
//! members, the cap said out loud, namesakes told apart) on SQLite and PostgreSQL.
//!
//! `scripts/with-postgres.sh cargo test -p jiceng-store --test org_picker` runs both halves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod common;

use common::*;
use jiceng_store::org::{org_match_rank, OrgFit, OrgHits, OrgView};
use jiceng_store::org_life::{AttendanceInput, NewMeeting};
use jiceng_store::transfer::{NewTransfer, TransferAction};
use jiceng_store::{Role, Store, StoreError};

struct Tree {
    root: OrgView,
    town: OrgView,
    village: OrgView,
    group: OrgView,
    other_town: OrgView,
    other_village: OrgView,
}

/// 高淳县委 / 永阳镇党委 / 芝山村党总支 (+ a group), and 东坝镇党委 / 芝山村党支部 elsewhere.
async fn tree(store: &Store) -> Tree {
    store
        .set_setting(&sys(), "reference_date", "2024-12-31")
        .await
        .unwrap();
    let root = org(store, None, "中共高淳县委员会", "committee", "organ").await;
    let mut n = new_org(Some(root.id), "中共永阳镇委员会", "committee", "rural");
    n.short_name = Some("永阳镇党委".into());
    let town = store.create_org(&sys(), &n).await.unwrap();
    let village = org(
        store,
        Some(town.id),
        "芝山村党总支",
        "general_branch",
        "rural",
    )
    .await;
    let group = org(store, Some(village.id), "芝山第一党小组", "group", "rural").await;
    let other_town = org(store, Some(root.id), "东坝镇党委", "committee", "rural").await;
    let other_village = org(
        store,
        Some(other_town.id),
        "芝山村党支部",
        "branch",
        "rural",
    )
    .await;
    Tree {
        root,
        town,
        village,
        group,
        other_town,
        other_village,
    }
}

fn ids(h: &OrgHits) -> Vec<i64> {
    h.items.iter().map(|o| o.id).collect()
}

#[test]
fn match_rank_boundaries() {
    assert_eq!(org_match_rank("", "芝山村党总支", None), Some(0));
    assert_eq!(org_match_rank("芝山", "芝山村党总支", None), Some(0));
    assert_eq!(org_match_rank("党总支", "芝山村党总支", None), Some(2));
    assert_eq!(org_match_rank("zsc", "芝山村党总支", None), Some(1));
    assert_eq!(org_match_rank("ZSC", "芝山村党总支", None), Some(1));
    assert_eq!(org_match_rank("zhishan", "芝山村党总支", None), Some(1));
    assert_eq!(org_match_rank("dzz", "芝山村党总支", None), Some(3));
    assert_eq!(
        org_match_rank("yyz", "中共永阳镇委员会", Some("永阳镇党委")),
        Some(1)
    );
    assert_eq!(org_match_rank("xyz", "芝山村党总支", None), None);
    assert_eq!(org_match_rank("芝山 村", "芝山村党总支", None), None);
}

store_test!(org_search_scope_fit_pinyin_paths, |store| async move {
    let t = tree(&store).await;
    let town_user = user(900, Role::Committee, &t.town, None);
    // Pinyin initials, within the township only: the namesake in 东坝镇 is not answered.
    let h = store
        .search_orgs(&town_user, "zsc", OrgFit::Any, None)
        .await
        .unwrap();
    assert_eq!(ids(&h), vec![t.village.id]);
    assert_eq!(
        h.items[0].path_names,
        vec!["中共高淳县委员会", "永阳镇党委", "芝山村党总支"],
        "short names where the org has one"
    );
    assert!(h.items[0].holds_members);
    // The county sees both, in tree order (永阳镇 was created first).
    let h = store
        .search_orgs(&sys(), "芝山村", OrgFit::Any, None)
        .await
        .unwrap();
    assert_eq!(ids(&h), vec![t.village.id, t.other_village.id]);
    // fit=basic leaves out the 党小组, any keeps it.
    let any = store
        .search_orgs(&town_user, "zs", OrgFit::Any, None)
        .await
        .unwrap();
    assert_eq!(ids(&any), vec![t.village.id, t.group.id]);
    assert!(!any.items[1].holds_members);
    let basic = store
        .search_orgs(&town_user, "zs", OrgFit::Basic, None)
        .await
        .unwrap();
    assert_eq!(ids(&basic), vec![t.village.id]);
    // Empty query: tree order from the top of the scope; limit and `more`.
    let h = store
        .search_orgs(&town_user, "", OrgFit::Any, Some(2))
        .await
        .unwrap();
    assert_eq!(ids(&h), vec![t.town.id, t.village.id]);
    assert!(h.more);
    let h = store
        .search_orgs(&town_user, "", OrgFit::Any, Some(3))
        .await
        .unwrap();
    assert!(!h.more);
    // The short name and the full pinyin match; LIKE wildcards are literal.
    let h = store
        .search_orgs(&sys(), "永阳镇党委", OrgFit::Any, None)
        .await
        .unwrap();
    assert_eq!(ids(&h), vec![t.town.id]);
    let h = store
        .search_orgs(&sys(), "dongba", OrgFit::Any, None)
        .await
        .unwrap();
    assert_eq!(ids(&h), vec![t.other_town.id]);
    for wild in ["%", "_", "党%"] {
        let h = store
            .search_orgs(&sys(), wild, OrgFit::Any, None)
            .await
            .unwrap();
        assert!(h.items.is_empty(), "{wild} is not a wildcard");
    }
    // Dissolved orgs are not offered.
    store
        .dissolve_org(&sys(), t.group.id, "2024-06-01", t.group.version)
        .await
        .unwrap();
    let h = store
        .search_orgs(&town_user, "zs", OrgFit::Any, None)
        .await
        .unwrap();
    assert_eq!(ids(&h), vec![t.village.id]);
    // A branch secretary sees their branch only; a plain member their own org.
    let branch_user = user(901, Role::Branch, &t.other_village, None);
    let h = store
        .search_orgs(&branch_user, "", OrgFit::Any, None)
        .await
        .unwrap();
    assert_eq!(ids(&h), vec![t.other_village.id]);
    assert_eq!(invalid_code(OrgFit::parse(Some("nope"))), "org.fit_unknown");
    assert_eq!(OrgFit::parse(Some("basic")).unwrap(), OrgFit::Basic);
    assert_eq!(OrgFit::parse(None).unwrap(), OrgFit::Any);
    let long = "芝".repeat(51);
    assert_eq!(
        invalid_code(store.search_orgs(&sys(), &long, OrgFit::Any, None).await),
        "org.search_too_long"
    );
    let _ = t.root;
});

store_test!(transfer_to_another_township, |store| async move {
    let t = tree(&store).await;
    let town_user = user(900, Role::Committee, &t.town, None);
    let other_user = user(902, Role::Committee, &t.other_town, None);
    // The destination search looks over the whole deployment's basic orgs.
    let h = store
        .transfer_destinations(&town_user, "芝山村", None)
        .await
        .unwrap();
    assert_eq!(ids(&h), vec![t.village.id, t.other_village.id]);
    assert_eq!(
        h.items[1].path_names,
        vec!["中共高淳县委员会", "东坝镇党委", "芝山村党支部"]
    );
    let h = store
        .transfer_destinations(&town_user, "zs", None)
        .await
        .unwrap();
    assert!(
        !ids(&h).contains(&t.group.id),
        "a 党小组 cannot hold the membership"
    );
    // The scoped search still does not show the other township.
    let h = store
        .search_orgs(&town_user, "芝山村", OrgFit::Basic, None)
        .await
        .unwrap();
    assert_eq!(ids(&h), vec![t.village.id]);
    // Only callers who may issue transfers may search destinations.
    let m = member(
        &store,
        t.village.id,
        "王芳",
        "2",
        "1980-03-04",
        "2010-07-01",
        Some("2011-07-01"),
    )
    .await;
    let self_service = user(903, Role::Member, &t.village, Some(m.id));
    assert!(matches!(
        store.transfer_destinations(&self_service, "", None).await,
        Err(StoreError::Forbidden)
    ));
    // 永阳镇 issues to 东坝镇's branch; 东坝镇 receives it.
    let tr = store
        .create_transfer(
            &town_user,
            &NewTransfer {
                kind: "internal".into(),
                member_id: Some(m.id),
                version: Some(m.version),
                to_org_id: Some(t.other_village.id),
                issued: "2024-11-01".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(tr.to_org_name.as_deref(), Some("芝山村党支部"));
    let inbox = store
        .list_transfers(
            &other_user,
            &jiceng_store::transfer::TransferFilter {
                org: Some(t.other_town.id),
                direction: Some("in".into()),
                status: Some("pending".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(inbox.total, 1, "the receiving township sees it to receive");
    let done = store
        .receive_transfer(
            &other_user,
            tr.id,
            &TransferAction {
                version: tr.version,
                date: Some("2024-11-05".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(done.status, "received");
    let moved = store.get_member(&sys(), m.id).await.unwrap();
    assert_eq!(moved.org_id, Some(t.other_village.id));
    // After the move the sender no longer sees the member.
    assert!(matches!(
        store.get_member(&town_user, m.id).await,
        Err(StoreError::NotFound)
    ));
});

store_test!(
    meeting_roster_all_members_and_namesakes,
    |store| async move {
        let t = tree(&store).await;
        let branch = org(
            &store,
            Some(t.village.id),
            "芝山村第二党支部",
            "branch",
            "rural",
        )
        .await;
        let mut a = new_member(t.village.id, "王伟", "1", "1970-05-06", "1995-07-01");
        a.full_date = Some("1996-07-01".into());
        a.id_number = Some(id_for("1970-05-06", "1", 11));
        let a = store.create_member(&sys(), &a).await.unwrap();
        let mut b = new_member(branch.id, "王伟", "2", "1985-01-02", "2005-07-01");
        b.full_date = Some("2006-07-01".into());
        let b = store.create_member(&sys(), &b).await.unwrap();
        let c = member(
            &store,
            branch.id,
            "李娜",
            "2",
            "1990-01-01",
            "2015-07-01",
            Some("2016-07-01"),
        )
        .await;
        member(
            &store,
            t.other_village.id,
            "外镇党员",
            "1",
            "1960-01-01",
            "1990-07-01",
            Some("1991-07-01"),
        )
        .await;
        let town_user = user(900, Role::Committee, &t.town, None);
        let r = store
            .meeting_roster(&town_user, t.village.id)
            .await
            .unwrap();
        assert_eq!(r.total, 3);
        assert!(!r.truncated);
        assert_eq!(
            r.path_names,
            vec!["中共高淳县委员会", "永阳镇党委", "芝山村党总支"]
        );
        let got: Vec<i64> = r.members.iter().map(|m| m.member_id).collect();
        assert_eq!(
            got,
            vec![a.id, c.id, b.id],
            "by org in tree order, then pinyin"
        );
        let wa = &r.members[0].who;
        assert_eq!((wa.gender_zh.as_str(), wa.birth_year), ("男", Some(1970)));
        let tail = wa.id_tail.clone().unwrap();
        assert!(tail.starts_with("****") && tail.len() == 8, "{tail}");
        assert_eq!(wa.org_name.as_deref(), Some("芝山村党总支"));
        let wb = &r.members[2].who;
        assert_eq!((wb.gender_zh.as_str(), wb.birth_year), ("女", Some(1985)));
        assert_eq!(wb.id_tail, None);
        assert_eq!(wb.org_name.as_deref(), Some("芝山村第二党支部"));
        // Over the cap: the first `cap`, the total, and `truncated` — never a silent cut.
        let r = store
            .meeting_roster_capped(&town_user, t.village.id, 2)
            .await
            .unwrap();
        assert_eq!(
            (r.total, r.cap, r.truncated, r.members.len()),
            (3, 2, true, 2)
        );
        // Out of scope: 404.
        assert!(matches!(
            store.meeting_roster(&town_user, t.other_village.id).await,
            Err(StoreError::NotFound)
        ));
        // A recorded meeting's list tells the namesakes apart too.
        let mt = store
            .record_meeting(
                &town_user,
                &NewMeeting {
                    org_id: t.village.id,
                    kind: "theme_day".into(),
                    held_on: "2024-12-10".into(),
                    topic: "主题党日".into(),
                    lecturer: None,
                    minutes: Some("学习".into()),
                    attendance: vec![
                        AttendanceInput {
                            member_id: a.id,
                            status: "present".into(),
                            reason: None,
                        },
                        AttendanceInput {
                            member_id: b.id,
                            status: "excused".into(),
                            reason: Some("外出务工".into()),
                        },
                    ],
                },
            )
            .await
            .unwrap();
        let got = store.meeting(&town_user, mt.id).await.unwrap();
        let orgs: Vec<Option<String>> = got
            .attendance
            .iter()
            .map(|x| x.who.as_ref().and_then(|w| w.org_name.clone()))
            .collect();
        assert_eq!(
            orgs,
            vec![Some("芝山村党总支".into()), Some("芝山村第二党支部".into())]
        );
        assert_eq!(got.attendance[1].reason.as_deref(), Some("外出务工"));
    }
);
