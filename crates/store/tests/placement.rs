//! Members are placed only in orgs that can hold members (党支部, 临时党支部, 党总支;
//! `OrgKind::holds_members`, 党章 第八条): every path that puts a member in an org refuses a
//! 党委, a 党工委 or a 党小组 with `member.org_cannot_hold_members` and writes nothing — create
//! (joined and transferred in), move (系统内调整), internal transfer, development (the
//! applicant's org, where admission places them), a floating member's 流入地 org. The org view
//! carries the rule as `holds_members` for pickers. SQLite and PostgreSQL (`store_test!`).
//!
//! `scripts/with-postgres.sh cargo test -p jiceng-store --test placement` runs both halves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod common;

use common::*;
use jiceng_store::development::NewApplicant;
use jiceng_store::floating::NewFloating;
use jiceng_store::org::OrgView;
use jiceng_store::transfer::NewTransfer;
use jiceng_store::Store;

const CODE: &str = "member.org_cannot_hold_members";

struct Tree {
    county: OrgView,
    town: OrgView,
    working: OrgView,
    general: OrgView,
    branch: OrgView,
    temporary: OrgView,
    group: OrgView,
}

async fn tree(store: &Store) -> Tree {
    store
        .set_setting(&sys(), "reference_date", "2024-07-15")
        .await
        .unwrap();
    let county = org(store, None, "某县委", "committee", "organ").await;
    let town = org(store, Some(county.id), "甲镇党委", "committee", "rural").await;
    let working = org(
        store,
        Some(county.id),
        "开发区党工委",
        "working_committee",
        "organ",
    )
    .await;
    let general = org(
        store,
        Some(town.id),
        "甲镇机关党总支",
        "general_branch",
        "organ",
    )
    .await;
    let branch = org(
        store,
        Some(general.id),
        "甲镇机关第一党支部",
        "branch",
        "organ",
    )
    .await;
    let temporary = org(
        store,
        Some(town.id),
        "甲镇流动党员临时党支部",
        "temporary_branch",
        "floating",
    )
    .await;
    let group = org(store, Some(branch.id), "第一党小组", "group", "organ").await;
    Tree {
        county,
        town,
        working,
        general,
        branch,
        temporary,
        group,
    }
}

impl Tree {
    fn refused(&self) -> [&OrgView; 4] {
        [&self.county, &self.town, &self.working, &self.group]
    }
}

store_test!(org_view_says_which_orgs_hold_members, |store| async move {
    let t = tree(&store).await;
    for o in t.refused() {
        let v = store.get_org(&sys(), o.id).await.unwrap();
        assert!(!v.holds_members, "{}", v.name);
    }
    for o in [&t.general, &t.branch, &t.temporary] {
        let v = store.get_org(&sys(), o.id).await.unwrap();
        assert!(v.holds_members, "{}", v.name);
    }
});

store_test!(
    create_member_refused_outside_membership_orgs,
    |store| async move {
        let t = tree(&store).await;
        let before = audit_rows(&store).await;
        for o in t.refused() {
            let n = new_member(o.id, "王一", "1", "1980-01-01", "2010-07-01");
            assert_eq!(
                invalid_code(store.create_member(&sys(), &n).await),
                CODE,
                "{}",
                o.name
            );
            // Transferred in from outside the system: the same check.
            let mut n = new_member(o.id, "王二", "1", "1980-01-01", "2010-07-01");
            n.full_date = Some("2011-07-01".into());
            n.entry = Some("transferred_in".into());
            n.entry_date = Some("2024-07-01".into());
            n.letter_no = Some("外组介 2024-01".into());
            let e = store.create_member(&sys(), &n).await;
            assert_eq!(invalid_code(e), CODE, "{}", o.name);
        }
        assert_eq!(audit_rows(&store).await, before, "nothing written");
        // The message names the kind and the article.
        let n = new_member(t.county.id, "王一", "1", "1980-01-01", "2010-07-01");
        let msg = match store.create_member(&sys(), &n).await {
            Err(jiceng_store::StoreError::Invalid { message, .. }) => message,
            other => panic!("{other:?}"),
        };
        assert!(
            msg.starts_with("党委不能作为党员的组织关系所在单位"),
            "{msg}"
        );
        assert!(msg.contains("第八条"), "{msg}");
        for o in [&t.general, &t.branch, &t.temporary] {
            let m = member(
                &store,
                o.id,
                &format!("{}党员", o.name),
                "1",
                "1980-01-01",
                "2010-07-01",
                None,
            )
            .await;
            assert_eq!(m.org_id, Some(o.id));
        }
    }
);

store_test!(
    move_and_transfer_refused_outside_membership_orgs,
    |store| async move {
        let t = tree(&store).await;
        let m = member(
            &store,
            t.branch.id,
            "李一",
            "1",
            "1980-01-01",
            "2010-07-01",
            Some("2011-07-01"),
        )
        .await;
        let before = audit_rows(&store).await;
        for o in t.refused() {
            let e = store
                .add_member_event(
                    &sys(),
                    m.id,
                    &ev(m.version, "moved", "2024-07-01", Some(o.id)),
                )
                .await;
            assert_eq!(invalid_code(e), CODE, "moved to {}", o.name);
            let e = store
                .create_transfer(
                    &sys(),
                    &NewTransfer {
                        kind: "internal".into(),
                        member_id: Some(m.id),
                        version: Some(m.version),
                        to_org_id: Some(o.id),
                        letter_no: Some("皖组介 2024-0101".into()),
                        dues_paid_until: Some("2024-06".into()),
                        issued: "2024-07-01".into(),
                        ..Default::default()
                    },
                )
                .await;
            assert_eq!(invalid_code(e), CODE, "transfer to {}", o.name);
        }
        assert_eq!(audit_rows(&store).await, before, "nothing written");
        let moved = store
            .add_member_event(
                &sys(),
                m.id,
                &ev(m.version, "moved", "2024-07-01", Some(t.temporary.id)),
            )
            .await
            .unwrap();
        assert_eq!(moved.org_id, Some(t.temporary.id));
    }
);

store_test!(
    applicants_and_floating_destinations_are_membership_orgs,
    |store| async move {
        let t = tree(&store).await;
        let applicant = |org_id: i64| NewApplicant {
            org_id,
            name: "赵小明".into(),
            gender: "1".into(),
            birth_date: "2000-05-05".into(),
            education: "bachelor".into(),
            occupation: "farmer".into(),
            application_date: "2024-03-01".into(),
            ..Default::default()
        };
        let before = audit_rows(&store).await;
        for o in t.refused() {
            let e = store.create_applicant(&sys(), &applicant(o.id)).await;
            assert_eq!(invalid_code(e), CODE, "applicant at {}", o.name);
        }
        assert_eq!(audit_rows(&store).await, before);
        store
            .create_applicant(&sys(), &applicant(t.branch.id))
            .await
            .unwrap();

        let m = member(
            &store,
            t.branch.id,
            "钱一",
            "1",
            "1980-01-01",
            "2010-07-01",
            Some("2011-07-01"),
        )
        .await;
        let away = |to: i64| NewFloating {
            member_id: m.id,
            version: m.version,
            out_date: "2024-07-01".into(),
            certificate_no: "流 2024-001".into(),
            destination: "广东省深圳市".into(),
            reason: "外出务工".into(),
            receiving_org_id: Some(to),
            ..Default::default()
        };
        let before = audit_rows(&store).await;
        for o in t.refused() {
            let e = store.register_floating(&sys(), &away(o.id)).await;
            assert_eq!(invalid_code(e), CODE, "floating to {}", o.name);
        }
        assert_eq!(audit_rows(&store).await, before);
        store
            .register_floating(&sys(), &away(t.temporary.id))
            .await
            .unwrap();
    }
);
