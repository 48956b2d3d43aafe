//! Member lifecycle areas of issue 5 — transfers (组织关系转接) and floating members (流动党员)
//! — on SQLite and PostgreSQL (`store_test!`): every path, every refusal with its code, the
//! audit rows, 409 on stale versions, 404 outside scope and 403 inside it without the right,
//! and "never in two orgs or none" through the roster and the summary.
//!
//! `scripts/with-postgres.sh cargo test -p jiceng-store --test lifecycle` runs both halves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod common;

use common::*;
use jiceng_store::floating::{
    FloatingAction, FloatingFilter, FloatingView, NewFloating, NewFloatingContact,
};
use jiceng_store::member::{MemberFilter, MemberView};
use jiceng_store::org::OrgView;
use jiceng_store::transfer::{InboundPerson, NewTransfer, TransferAction, TransferFilter};
use jiceng_store::{Role, Scope, Store, StoreError};

/// The county used by every test: two townships with branches, a group, one member in 甲一.
struct County {
    root: OrgView,
    town_a: OrgView,
    town_b: OrgView,
    a1: OrgView,
    a2: OrgView,
    b1: OrgView,
    group: OrgView,
}

async fn county(store: &Store) -> County {
    store
        .set_setting(&sys(), "reference_date", "2024-07-15")
        .await
        .unwrap();
    let root = org(store, None, "某县委", "committee", "organ").await;
    let town_a = org(store, Some(root.id), "甲镇党委", "committee", "rural").await;
    let town_b = org(store, Some(root.id), "乙镇党委", "committee", "rural").await;
    let a1 = org(store, Some(town_a.id), "甲一村党支部", "branch", "rural").await;
    let a2 = org(store, Some(town_a.id), "甲二村党支部", "branch", "rural").await;
    let b1 = org(store, Some(town_b.id), "乙一村党支部", "branch", "rural").await;
    let group = org(store, Some(a1.id), "第一党小组", "group", "rural").await;
    County {
        root,
        town_a,
        town_b,
        a1,
        a2,
        b1,
        group,
    }
}

async fn full_member(store: &Store, org_id: i64, name: &str) -> MemberView {
    member(
        store,
        org_id,
        name,
        "1",
        "1980-03-04",
        "2010-07-01",
        Some("2011-07-01"),
    )
    .await
}

fn internal(m: &MemberView, to: i64, issued: &str) -> NewTransfer {
    NewTransfer {
        kind: "internal".into(),
        member_id: Some(m.id),
        version: Some(m.version),
        to_org_id: Some(to),
        letter_no: Some("皖组介 2024-0101".into()),
        dues_paid_until: Some("2024-02".into()),
        issued: issued.into(),
        ..Default::default()
    }
}

fn act(version: i64, date: &str) -> TransferAction {
    TransferAction {
        version,
        date: Some(date.into()),
        ..Default::default()
    }
}

async fn roster(store: &Store, org_id: i64) -> Vec<i64> {
    let f = MemberFilter {
        org: Some(org_id),
        page_size: Some(500),
        ..Default::default()
    };
    let p = store.list_members(&sys(), &f).await.unwrap();
    p.items.iter().map(|m| m.id).collect()
}

async fn total(store: &Store, org_id: i64, date: &str) -> i64 {
    store
        .summary(&sys(), org_id, d(date))
        .await
        .unwrap()
        .members
        .total
}

async fn audits(store: &Store, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(store.db.pool())
        .await
        .unwrap()
}

async fn inbox(store: &Store, scope: &Scope, org: Option<i64>, dir: Option<&str>) -> Vec<i64> {
    let f = TransferFilter {
        org,
        direction: dir.map(str::to_string),
        ..Default::default()
    };
    let p = store.list_transfers(scope, &f).await.unwrap();
    assert_eq!(p.total as usize, p.items.len());
    p.items.iter().map(|t| t.id).collect()
}

fn is_conflict<T: std::fmt::Debug>(r: Result<T, StoreError>) -> bool {
    matches!(r, Err(StoreError::Conflict { .. }))
}

fn is_status<T: std::fmt::Debug>(r: Result<T, StoreError>, want: &str) {
    let got = match &r {
        Err(StoreError::NotFound) => "404",
        Err(StoreError::Forbidden) => "403",
        Err(StoreError::Conflict { .. }) => "409",
        _ => "other",
    };
    assert_eq!(got, want, "{r:?}");
}

// ---------------------------------------------------------------------------------------
// Transfers

store_test!(
    internal_transfer_in_transit_then_received,
    |store| async move {
        let c = county(&store).await;
        let m = full_member(&store, c.a1.id, "张三").await;
        let branch_a1 = user(11, Role::Branch, &c.a1, None);
        let branch_a2 = user(12, Role::Branch, &c.a2, None);
        let town_b = user(13, Role::Committee, &c.town_b, None);
        let town_a = user(14, Role::Committee, &c.town_a, None);

        // The sending branch issues; the member version is claimed (stale → 409).
        let mut stale = internal(&m, c.b1.id, "2024-02-20");
        stale.version = Some(m.version + 5);
        assert!(is_conflict(store.create_transfer(&branch_a1, &stale).await));
        let t = store
            .create_transfer(&branch_a1, &internal(&m, c.b1.id, "2024-02-20"))
            .await
            .unwrap();
        assert_eq!(
            (t.kind.as_str(), t.status.as_str()),
            ("internal", "pending")
        );
        assert_eq!(t.from_org_id, Some(c.a1.id));
        assert_eq!(t.to_org_name.as_deref(), Some("乙一村党支部"));
        assert_eq!(t.dues_paid_until.as_deref(), Some("2024-02"));
        assert_eq!(audits(&store, "transfer.issue").await, 1);
        let m = store.get_member(&sys(), m.id).await.unwrap();

        // In transit: on the sender's roster only, in both inboxes, invisible to others.
        assert_eq!(roster(&store, c.a1.id).await, vec![m.id]);
        assert!(roster(&store, c.b1.id).await.is_empty());
        assert_eq!(total(&store, c.town_a.id, "2024-07-15").await, 1);
        assert_eq!(total(&store, c.town_b.id, "2024-07-15").await, 0);
        assert_eq!(
            inbox(&store, &branch_a1, Some(c.a1.id), Some("out")).await,
            vec![t.id]
        );
        assert!(inbox(&store, &branch_a1, Some(c.a1.id), Some("in"))
            .await
            .is_empty());
        assert_eq!(
            inbox(&store, &town_b, Some(c.town_b.id), Some("in")).await,
            vec![t.id]
        );
        assert_eq!(inbox(&store, &town_b, None, None).await, vec![t.id]);
        assert!(inbox(&store, &branch_a2, None, None).await.is_empty());
        is_status(store.get_transfer(&branch_a2, t.id).await, "404");
        is_status(
            store
                .list_transfers(
                    &branch_a2,
                    &TransferFilter {
                        org: Some(c.a1.id),
                        ..Default::default()
                    },
                )
                .await,
            "404",
        );
        assert_eq!(store.get_transfer(&town_b, t.id).await.unwrap().id, t.id);

        // A member in transit gets no second transfer and no move or transfer-out event.
        assert_eq!(
            invalid_code(
                store
                    .create_transfer(&branch_a1, &internal(&m, c.a2.id, "2024-03-01"))
                    .await
            ),
            "transfer.in_transit"
        );
        for kind in ["moved", "transferred_out"] {
            let mut e = ev(m.version, kind, "2024-03-01", Some(c.a2.id));
            e.letter_no = Some("X".into());
            assert_eq!(
                invalid_code(store.add_member_event(&branch_a1, m.id, &e).await),
                "transfer.in_transit",
                "{kind}"
            );
        }
        let mut outbound = internal(&m, c.b1.id, "2024-03-01");
        outbound.kind = "outbound".into();
        outbound.to_org_id = None;
        outbound.destination = Some("某省某市某党支部".into());
        assert_eq!(
            invalid_code(store.create_transfer(&branch_a1, &outbound).await),
            "transfer.in_transit"
        );
        // Other events are fine (e.g. going away as a floating member is recorded elsewhere).

        // Receiving: the sender may read but not receive (403), an outsider gets 404, stale 409,
        // the date may not precede the letter or lie in the future.
        is_status(
            store
                .receive_transfer(&branch_a1, t.id, &act(t.version, "2024-03-01"))
                .await,
            "403",
        );
        is_status(
            store
                .receive_transfer(&town_a, t.id, &act(t.version, "2024-03-01"))
                .await,
            "403",
        );
        is_status(
            store
                .receive_transfer(&branch_a2, t.id, &act(t.version, "2024-03-01"))
                .await,
            "404",
        );
        is_status(
            store
                .receive_transfer(&town_b, t.id, &act(t.version + 1, "2024-03-01"))
                .await,
            "409",
        );
        assert_eq!(
            invalid_code(
                store
                    .receive_transfer(&town_b, t.id, &act(t.version, "2024-02-19"))
                    .await
            ),
            "transfer.date_before_issue"
        );
        assert_eq!(
            invalid_code(
                store
                    .receive_transfer(&town_b, t.id, &act(t.version, "2024-07-16"))
                    .await
            ),
            "transfer.date_future"
        );
        let events_before = store.member_events(&sys(), m.id).await.unwrap().len();
        let mut a = act(t.version, "2024-03-01");
        a.note = Some("已报到".into());
        let r = store.receive_transfer(&town_b, t.id, &a).await.unwrap();
        assert_eq!(
            (r.status.as_str(), r.received.as_deref()),
            ("received", Some("2024-03-01"))
        );
        assert_eq!(r.settled_by, Some(13));
        assert_eq!(r.version, t.version + 1);

        // The member moved on the receipt date, through a `moved` event.
        let evs = store.member_events(&sys(), m.id).await.unwrap();
        assert_eq!(evs.len(), events_before + 1);
        let last = evs.last().unwrap();
        assert_eq!(
            (last.kind.as_str(), last.date.as_str()),
            ("moved", "2024-03-01")
        );
        assert_eq!(last.org_id, Some(c.b1.id));
        assert_eq!(last.data["letter_no"], "皖组介 2024-0101");
        assert_eq!(last.data["from_org"], c.a1.id);
        assert!(last.data["note"]
            .as_str()
            .unwrap()
            .contains("党费交至 2024-02"));
        let moved = store.get_member(&sys(), m.id).await.unwrap();
        assert_eq!(moved.org_id, Some(c.b1.id));
        assert_eq!(audits(&store, "transfer.receive").await, 1);
        assert_eq!(audits(&store, "member.event").await, 1);

        // Never in two orgs or none: before the receipt date in the sender only, from it in the
        // receiver only; the county always counts one.
        for (date, a, b) in [
            ("2024-02-19", 1, 0),
            ("2024-02-20", 1, 0),
            ("2024-02-29", 1, 0),
            ("2024-03-01", 0, 1),
            ("2024-07-15", 0, 1),
        ] {
            assert_eq!(total(&store, c.town_a.id, date).await, a, "{date}");
            assert_eq!(total(&store, c.town_b.id, date).await, b, "{date}");
            assert_eq!(total(&store, c.root.id, date).await, 1, "{date}");
        }
        assert!(roster(&store, c.a1.id).await.is_empty());
        assert_eq!(roster(&store, c.b1.id).await, vec![m.id]);

        // Settled: no second receipt; the member may be moved again.
        assert_eq!(
            invalid_code(
                store
                    .receive_transfer(&town_b, t.id, &act(r.version, "2024-03-02"))
                    .await
            ),
            "transfer.not_pending"
        );
        let back = store
            .create_transfer(&town_b, &internal(&moved, c.a1.id, "2024-04-01"))
            .await
            .unwrap();
        assert_eq!(back.status, "pending");
        let chain = jiceng_store::audit::verify(&store.db).await.unwrap();
        assert_eq!(chain.first_bad, None);
    }
);

store_test!(
    internal_transfer_rejected_or_cancelled,
    |store| async move {
        let c = county(&store).await;
        let m = full_member(&store, c.a1.id, "李四").await;
        let sender = user(21, Role::Branch, &c.a1, None);
        let receiver = user(22, Role::Branch, &c.b1, None);

        let t = store
            .create_transfer(&sender, &internal(&m, c.b1.id, "2024-05-01"))
            .await
            .unwrap();
        // Rejecting needs a reason and the receiving side.
        assert_eq!(
            invalid_code(
                store
                    .reject_transfer(&receiver, t.id, &act(t.version, "2024-05-03"))
                    .await
            ),
            "transfer.reason_required"
        );
        let mut no = act(t.version, "2024-05-03");
        no.reason = Some("查无此人，请核实介绍信".into());
        is_status(store.reject_transfer(&sender, t.id, &no).await, "403");
        let r = store.reject_transfer(&receiver, t.id, &no).await.unwrap();
        assert_eq!(
            (r.status.as_str(), r.settled.as_deref()),
            ("rejected", Some("2024-05-03"))
        );
        assert_eq!(r.reason.as_deref(), Some("查无此人，请核实介绍信"));
        // Nothing moved.
        let m = store.get_member(&sys(), m.id).await.unwrap();
        assert_eq!(m.org_id, Some(c.a1.id));
        assert!(store
            .member_events(&sys(), m.id)
            .await
            .unwrap()
            .iter()
            .all(|e| e.kind != "moved"));
        assert_eq!(audits(&store, "transfer.reject").await, 1);

        // A new transfer may be issued; the sender cancels it (the receiver may not).
        let t2 = store
            .create_transfer(&sender, &internal(&m, c.b1.id, "2024-05-10"))
            .await
            .unwrap();
        is_status(
            store
                .cancel_transfer(&receiver, t2.id, &act(t2.version, "2024-05-11"))
                .await,
            "403",
        );
        is_status(
            store
                .cancel_transfer(&sender, t2.id, &act(t2.version - 1, "2024-05-11"))
                .await,
            "409",
        );
        let x = store
            .cancel_transfer(&sender, t2.id, &act(t2.version, "2024-05-11"))
            .await
            .unwrap();
        assert_eq!(x.status, "cancelled");
        assert_eq!(
            invalid_code(
                store
                    .cancel_transfer(&sender, t2.id, &act(x.version, "2024-05-12"))
                    .await
            ),
            "transfer.not_pending"
        );
        assert_eq!(audits(&store, "transfer.cancel").await, 1);
        assert_eq!(roster(&store, c.a1.id).await, vec![m.id]);
        let all = inbox(&store, &sender, None, None).await;
        assert_eq!(all, vec![t2.id, t.id], "newest first");
        let f = TransferFilter {
            status: Some("rejected".into()),
            ..Default::default()
        };
        assert_eq!(store.list_transfers(&sender, &f).await.unwrap().total, 1);
        assert_eq!(
            invalid_code(
                store
                    .list_transfers(
                        &sender,
                        &TransferFilter {
                            status: Some("lost".into()),
                            ..Default::default()
                        }
                    )
                    .await
            ),
            "transfer.status_invalid"
        );
        assert_eq!(
            invalid_code(
                store
                    .list_transfers(
                        &sender,
                        &TransferFilter {
                            direction: Some("up".into()),
                            ..Default::default()
                        }
                    )
                    .await
            ),
            "transfer.direction_invalid"
        );
    }
);

store_test!(transfer_refusals, |store| async move {
    let c = county(&store).await;
    let m = full_member(&store, c.a1.id, "王五").await;
    let sender = user(31, Role::Branch, &c.a1, None);
    let outsider = user(32, Role::Branch, &c.b1, None);
    let self_service = user(33, Role::Member, &c.a1, Some(m.id));

    // Scope: outside → 404 (the member does not exist for them).
    is_status(
        store
            .create_transfer(&outsider, &internal(&m, c.a2.id, "2024-05-01"))
            .await,
        "404",
    );
    is_status(
        store
            .create_transfer(&self_service, &internal(&m, c.a2.id, "2024-05-01"))
            .await,
        "404",
    );

    let code = |n: NewTransfer| {
        let store = store.clone();
        let sender = sender.clone();
        async move { invalid_code(store.create_transfer(&sender, &n).await) }
    };
    let ok = internal(&m, c.b1.id, "2024-05-01");
    assert_eq!(
        code(NewTransfer {
            kind: "sideways".into(),
            ..ok.clone()
        })
        .await,
        "transfer.kind_invalid"
    );
    assert_eq!(
        code(internal(&m, c.a1.id, "2024-05-01")).await,
        "transfer.same_org"
    );
    assert_eq!(
        code(internal(&m, c.group.id, "2024-05-01")).await,
        "member.org_cannot_hold_members"
    );
    // A committee leads branches and holds no member directly (党章 第八条).
    assert_eq!(
        code(internal(&m, c.town_b.id, "2024-05-01")).await,
        "member.org_cannot_hold_members"
    );
    assert_eq!(
        code(internal(&m, c.root.id, "2024-05-01")).await,
        "member.org_cannot_hold_members"
    );
    assert_eq!(
        code(internal(&m, 999_999, "2024-05-01")).await,
        "transfer.to_org_invalid"
    );
    assert_eq!(
        code(NewTransfer {
            to_org_id: None,
            ..ok.clone()
        })
        .await,
        "transfer.to_org_required"
    );
    assert_eq!(
        code(NewTransfer {
            member_id: None,
            ..ok.clone()
        })
        .await,
        "transfer.member_required"
    );
    assert_eq!(
        code(NewTransfer {
            version: None,
            ..ok.clone()
        })
        .await,
        "transfer.version_required"
    );
    assert_eq!(
        code(internal(&m, c.b1.id, "2024-07-16")).await,
        "transfer.date_future"
    );
    assert_eq!(
        code(internal(&m, c.b1.id, "2009-01-01")).await,
        "transfer.date_out_of_order"
    );
    assert_eq!(
        code(internal(&m, c.b1.id, "2024-05-xx")).await,
        "date_invalid"
    );
    for bad in ["2024-13", "24-01", "2024/01"] {
        assert_eq!(
            code(NewTransfer {
                dues_paid_until: Some(bad.into()),
                ..ok.clone()
            })
            .await,
            "transfer.dues_month_invalid",
            "{bad}"
        );
    }
    // A dissolved receiving org: refused at issue, and at receipt when dissolved meanwhile.
    let b2 = org(&store, Some(c.town_b.id), "乙二村党支部", "branch", "rural").await;
    let t = store
        .create_transfer(&sender, &internal(&m, b2.id, "2024-05-01"))
        .await
        .unwrap();
    store
        .dissolve_org(&sys(), b2.id, "2024-05-20", b2.version)
        .await
        .unwrap();
    assert_eq!(
        invalid_code(
            store
                .receive_transfer(&sys(), t.id, &act(t.version, "2024-06-01"))
                .await
        ),
        "member.org_dissolved"
    );
    // The failed receipt wrote nothing: still pending, no event, no audit row.
    assert_eq!(
        store.get_transfer(&sys(), t.id).await.unwrap().status,
        "pending"
    );
    assert_eq!(audits(&store, "transfer.receive").await, 0);
    store
        .cancel_transfer(&sender, t.id, &act(t.version, "2024-06-01"))
        .await
        .unwrap();
    let m = store.get_member(&sys(), m.id).await.unwrap();
    assert_eq!(
        code(internal(&m, b2.id, "2024-06-02")).await,
        "transfer.to_org_invalid"
    );

    // A member who died in transit cannot be received; the sender cancels.
    let t = store
        .create_transfer(&sender, &internal(&m, c.b1.id, "2024-06-02"))
        .await
        .unwrap();
    let m = store.get_member(&sys(), m.id).await.unwrap();
    event(&store, &m, "died", "2024-06-10", None).await;
    assert_eq!(
        invalid_code(
            store
                .receive_transfer(&sys(), t.id, &act(t.version, "2024-06-12"))
                .await
        ),
        "transfer.member_changed"
    );
    store
        .cancel_transfer(&sender, t.id, &act(t.version, "2024-06-12"))
        .await
        .unwrap();
    let m = store.get_member(&sys(), m.id).await.unwrap();
    assert_eq!(
        code(internal(&m, c.b1.id, "2024-06-12")).await,
        "transfer.member_not_on_roster"
    );
});

store_test!(outbound_transfer_leaves_the_roster, |store| async move {
    let c = county(&store).await;
    let m = full_member(&store, c.a1.id, "赵六").await;
    let sender = user(41, Role::Branch, &c.a1, None);
    let town_b = user(42, Role::Committee, &c.town_b, None);
    let out = |letter: Option<&str>, dest: Option<&str>, m: &MemberView| NewTransfer {
        kind: "outbound".into(),
        member_id: Some(m.id),
        version: Some(m.version),
        letter_no: letter.map(str::to_string),
        destination: dest.map(str::to_string),
        dues_paid_until: Some("2024-04".into()),
        issued: "2024-04-10".into(),
        ..Default::default()
    };
    assert_eq!(
        invalid_code(
            store
                .create_transfer(&sender, &out(None, Some("某市某支部"), &m))
                .await
        ),
        "transfer.letter_required"
    );
    assert_eq!(
        invalid_code(
            store
                .create_transfer(&sender, &out(Some("No.9"), None, &m))
                .await
        ),
        "transfer.destination_required"
    );
    is_status(
        store
            .create_transfer(&town_b, &out(Some("No.9"), Some("某市某支部"), &m))
            .await,
        "404",
    );
    let mut stale = out(Some("No.9"), Some("某市某支部"), &m);
    stale.version = Some(m.version - 1);
    assert!(is_conflict(store.create_transfer(&sender, &stale).await));
    let t = store
        .create_transfer(
            &sender,
            &out(Some("No.9"), Some("浙江省杭州市某街道党工委"), &m),
        )
        .await
        .unwrap();
    assert_eq!((t.status.as_str(), t.to_org_id), ("pending", None));
    assert_eq!(t.destination.as_deref(), Some("浙江省杭州市某街道党工委"));
    // Off the roster from the issue date.
    let left = store.get_member(&sys(), m.id).await.unwrap();
    assert!(!left.active);
    assert_eq!(
        (left.left_kind.as_deref(), left.left_date.as_deref()),
        (Some("transferred_out"), Some("2024-04-10"))
    );
    assert_eq!(total(&store, c.root.id, "2024-04-09").await, 1);
    assert_eq!(total(&store, c.root.id, "2024-04-10").await, 0);
    assert!(roster(&store, c.a1.id).await.is_empty());
    let evs = store.member_events(&sys(), m.id).await.unwrap();
    let last = evs.last().unwrap();
    assert_eq!(
        (last.kind.as_str(), last.data["letter_no"].as_str()),
        ("transferred_out", Some("No.9"))
    );

    // The receipt slip (回执) comes back: the sender records its date; outbound transfers
    // are neither rejected nor cancelled.
    let mut why = act(t.version, "2024-05-01");
    why.reason = Some("x".into());
    assert_eq!(
        invalid_code(store.reject_transfer(&sender, t.id, &why).await),
        "transfer.not_internal"
    );
    assert_eq!(
        invalid_code(store.cancel_transfer(&sender, t.id, &why).await),
        "transfer.not_internal"
    );
    is_status(
        store
            .receive_transfer(&town_b, t.id, &act(t.version, "2024-05-01"))
            .await,
        "404",
    );
    let r = store
        .receive_transfer(&sender, t.id, &act(t.version, "2024-05-01"))
        .await
        .unwrap();
    assert_eq!(
        (r.status.as_str(), r.received.as_deref()),
        ("received", Some("2024-05-01"))
    );
    assert_eq!(audits(&store, "transfer.issue").await, 1);
    assert_eq!(audits(&store, "transfer.receive").await, 1);
    // Still listed in the sender's outbox (the member left, the org stays the sender).
    assert_eq!(
        inbox(&store, &sender, Some(c.a1.id), Some("out")).await,
        vec![t.id]
    );
});

store_test!(
    inbound_transfer_creates_or_returns_the_member,
    |store| async move {
        let c = county(&store).await;
        let receiver = user(51, Role::Branch, &c.b1, None);
        let outsider = user(52, Role::Branch, &c.a1, None);
        let person = InboundPerson {
            name: "钱七".into(),
            gender: "2".into(),
            birth_date: "1990-02-03".into(),
            id_number: Some(id_for("1990-02-03", "2", 77)),
            education: "college".into(),
            occupation: "worker".into(),
            join_date: "2015-06-01".into(),
            full_date: Some("2016-06-01".into()),
            ..Default::default()
        };
        let inbound = NewTransfer {
            kind: "inbound".into(),
            to_org_id: Some(c.b1.id),
            letter_no: Some("苏组介 2024-77".into()),
            origin: Some("江苏省某县某村党支部".into()),
            dues_paid_until: Some("2024-05".into()),
            issued: "2024-06-01".into(),
            received: Some("2024-06-05".into()),
            person: Some(person.clone()),
            ..Default::default()
        };
        let code = |n: NewTransfer| {
            let store = store.clone();
            let receiver = receiver.clone();
            async move { invalid_code(store.create_transfer(&receiver, &n).await) }
        };
        assert_eq!(
            code(NewTransfer {
                letter_no: None,
                ..inbound.clone()
            })
            .await,
            "transfer.letter_required"
        );
        assert_eq!(
            code(NewTransfer {
                origin: None,
                ..inbound.clone()
            })
            .await,
            "transfer.origin_required"
        );
        assert_eq!(
            code(NewTransfer {
                person: None,
                ..inbound.clone()
            })
            .await,
            "transfer.person_required"
        );
        assert_eq!(
            code(NewTransfer {
                received: Some("2024-05-31".into()),
                ..inbound.clone()
            })
            .await,
            "transfer.received_before_issue"
        );
        assert_eq!(
            code(NewTransfer {
                probationary: true,
                ..inbound.clone()
            })
            .await,
            "transfer.probationary_mismatch"
        );
        let mut no_full = person.clone();
        no_full.full_date = None;
        assert_eq!(
            code(NewTransfer {
                person: Some(no_full.clone()),
                ..inbound.clone()
            })
            .await,
            "transfer.full_date_required"
        );
        is_status(store.create_transfer(&outsider, &inbound).await, "404");

        let t = store.create_transfer(&receiver, &inbound).await.unwrap();
        assert_eq!(
            (t.kind.as_str(), t.status.as_str()),
            ("inbound", "received")
        );
        assert_eq!((t.from_org_id, t.to_org_id), (None, Some(c.b1.id)));
        assert_eq!(t.received.as_deref(), Some("2024-06-05"));
        let m = store.get_member(&sys(), t.member_id).await.unwrap();
        assert_eq!(
            (m.org_id, m.status.as_deref()),
            (Some(c.b1.id), Some("full"))
        );
        let evs = store.member_events(&sys(), m.id).await.unwrap();
        assert_eq!(evs[0].kind, "transferred_in");
        assert_eq!(evs[0].date, "2024-06-05");
        assert_eq!(evs[0].data["letter_no"], "苏组介 2024-77");
        assert_eq!(total(&store, c.town_b.id, "2024-06-04").await, 0);
        assert_eq!(total(&store, c.town_b.id, "2024-06-05").await, 1);
        assert_eq!(audits(&store, "transfer.inbound").await, 1);
        assert_eq!(audits(&store, "member.create").await, 1);
        assert_eq!(
            inbox(&store, &receiver, Some(c.b1.id), Some("in")).await,
            vec![t.id]
        );
        // The same person twice: the ID number is taken (409), nothing written.
        assert!(matches!(
            store.create_transfer(&receiver, &inbound).await,
            Err(StoreError::Duplicate(_))
        ));
        assert_eq!(audits(&store, "transfer.inbound").await, 1);

        // A probationary arrival.
        let mut p2 = no_full;
        p2.name = "孙八".into();
        p2.id_number = None;
        p2.join_date = "2024-01-10".into();
        let t2 = store
            .create_transfer(
                &receiver,
                &NewTransfer {
                    probationary: true,
                    person: Some(p2),
                    ..inbound.clone()
                },
            )
            .await
            .unwrap();
        assert!(t2.probationary);
        let m2 = store.get_member(&sys(), t2.member_id).await.unwrap();
        assert_eq!(m2.status.as_deref(), Some("probationary"));

        // Someone who left the system earlier comes back onto their own record.
        let gone = full_member(&store, c.b1.id, "周九").await;
        let gone = event(&store, &gone, "transferred_out", "2020-01-01", None).await;
        let back = NewTransfer {
            member_id: Some(gone.id),
            version: Some(gone.version),
            person: None,
            ..inbound.clone()
        };
        let t3 = store.create_transfer(&receiver, &back).await.unwrap();
        assert_eq!(t3.member_id, gone.id);
        let again = store.get_member(&sys(), gone.id).await.unwrap();
        assert!(again.active);
        assert_eq!(again.org_id, Some(c.b1.id));
        assert!(is_conflict(store.create_transfer(&receiver, &back).await));
    }
);

store_test!(concurrent_issues_of_one_member, |store| async move {
    let c = county(&store).await;
    let m = full_member(&store, c.a1.id, "吴十").await;
    let n1 = internal(&m, c.b1.id, "2024-05-01");
    let n2 = internal(&m, c.a2.id, "2024-05-01");
    let (s1, s2) = (store.clone(), store.clone());
    let (r1, r2) = tokio::join!(
        async move { s1.create_transfer(&sys(), &n1).await },
        async move { s2.create_transfer(&sys(), &n2).await },
    );
    let ok = [r1.is_ok(), r2.is_ok()];
    assert_eq!(ok.iter().filter(|x| **x).count(), 1, "{r1:?} {r2:?}");
    let loser = if r1.is_ok() { r2 } else { r1 };
    assert!(
        matches!(loser, Err(StoreError::Conflict { .. }))
            || matches!(
                &loser,
                Err(StoreError::Invalid {
                    code: "transfer.in_transit",
                    ..
                })
            ),
        "{loser:?}"
    );
    let pending: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM transfers WHERE member_id = $1 AND status = 'pending'",
    )
    .bind(m.id)
    .fetch_one(store.db.pool())
    .await
    .unwrap();
    assert_eq!(pending, 1);
});

// ---------------------------------------------------------------------------------------
// Floating members

fn away(m: &MemberView, out: &str, cert: &str, dest: &str) -> NewFloating {
    NewFloating {
        member_id: m.id,
        version: m.version,
        out_date: out.into(),
        certificate_no: cert.into(),
        destination: dest.into(),
        reason: "外出务工".into(),
        ..Default::default()
    }
}

fn faction(version: i64, date: &str) -> FloatingAction {
    FloatingAction {
        version,
        date: Some(date.into()),
        ..Default::default()
    }
}

fn contact(version: i64, date: &str, way: &str) -> NewFloatingContact {
    NewFloatingContact {
        version,
        date: Some(date.into()),
        way: way.into(),
        note: Some("电话联系，近况良好".into()),
    }
}

async fn listed(store: &Store, scope: &Scope, f: FloatingFilter) -> Vec<FloatingView> {
    let p = store.list_floating(scope, &f).await.unwrap();
    assert_eq!(p.total as usize, p.items.len());
    p.items
}

store_test!(floating_register_contact_return, |store| async move {
    let c = county(&store).await;
    let m = full_member(&store, c.a1.id, "郑一").await;
    let home = user(61, Role::Branch, &c.a1, None);
    let receiving = user(62, Role::Branch, &c.b1, None);
    let outsider = user(63, Role::Branch, &c.a2, None);

    let ok = NewFloating {
        region_code: Some("440305".into()),
        until_date: Some("2024-09-30".into()),
        receiving_org_id: Some(c.b1.id),
        ..away(&m, "2024-04-01", "皖流 0001", "广东省深圳市南山区某厂")
    };
    let code = |n: NewFloating| {
        let store = store.clone();
        let home = home.clone();
        async move { invalid_code(store.register_floating(&home, &n).await) }
    };
    assert_eq!(
        code(NewFloating {
            certificate_no: " ".into(),
            ..ok.clone()
        })
        .await,
        "floating.certificate_required"
    );
    assert_eq!(
        code(NewFloating {
            destination: "".into(),
            ..ok.clone()
        })
        .await,
        "floating.destination_required"
    );
    assert_eq!(
        code(NewFloating {
            reason: "".into(),
            ..ok.clone()
        })
        .await,
        "floating.reason_required"
    );
    assert_eq!(
        code(NewFloating {
            region_code: Some("991234".into()),
            ..ok.clone()
        })
        .await,
        "org.region_code_province"
    );
    assert_eq!(
        code(NewFloating {
            region_code: Some("4403".into()),
            ..ok.clone()
        })
        .await,
        "org.region_code_length"
    );
    assert_eq!(
        code(NewFloating {
            until_date: Some("2024-03-01".into()),
            ..ok.clone()
        })
        .await,
        "floating.until_before_out"
    );
    assert_eq!(
        code(NewFloating {
            out_date: "2024-07-16".into(),
            ..ok.clone()
        })
        .await,
        "floating.date_future"
    );
    assert_eq!(
        code(NewFloating {
            receiving_org_id: Some(c.a1.id),
            ..ok.clone()
        })
        .await,
        "floating.receiving_same_org"
    );
    assert_eq!(
        code(NewFloating {
            receiving_org_id: Some(999_999),
            ..ok.clone()
        })
        .await,
        "floating.receiving_org_invalid"
    );
    is_status(store.register_floating(&outsider, &ok).await, "404");
    is_status(store.register_floating(&receiving, &ok).await, "404");
    is_status(
        store
            .register_floating(
                &home,
                &NewFloating {
                    version: m.version + 1,
                    ..ok.clone()
                },
            )
            .await,
        "409",
    );

    let r = store.register_floating(&home, &ok).await.unwrap().record;
    assert_eq!((r.status.as_str(), r.org_id), ("away", c.a1.id));
    assert_eq!(r.receiving_org_name.as_deref(), Some("乙一村党支部"));
    assert_eq!(r.last_contact, "2024-04-01");
    assert_eq!(r.days_since_contact, 105);
    assert_eq!(r.lost_due_date.as_deref(), Some("2024-10-01"));
    assert!(!r.due_lost_contact);
    assert!(!r.transfer_suggested, "2024-09-30 is within 6 months");
    let mv = store.get_member(&sys(), m.id).await.unwrap();
    assert!(
        mv.floating && mv.active && mv.org_id == Some(c.a1.id),
        "stays on the roster"
    );
    let evs = store.member_events(&sys(), m.id).await.unwrap();
    assert_eq!(
        (
            evs.last().unwrap().kind.as_str(),
            evs.last().unwrap().date.as_str()
        ),
        ("floating_out", "2024-04-01")
    );
    assert_eq!(audits(&store, "floating.register").await, 1);
    assert_eq!(audits(&store, "member.event").await, 1);

    // One open registration per member; a bare floating_back event is refused meanwhile.
    assert_eq!(
        invalid_code(
            store
                .register_floating(
                    &home,
                    &NewFloating {
                        version: mv.version,
                        certificate_no: "皖流 0002".into(),
                        ..ok.clone()
                    }
                )
                .await
        ),
        "floating.already_away"
    );
    assert_eq!(
        invalid_code(
            store
                .add_member_event(
                    &home,
                    m.id,
                    &ev(mv.version, "floating_back", "2024-05-01", None)
                )
                .await
        ),
        "floating.record_open"
    );
    // The certificate number is in use by an open registration.
    let other = full_member(&store, c.a1.id, "郑二").await;
    assert_eq!(
        invalid_code(
            store
                .register_floating(&home, &away(&other, "2024-04-02", "皖流 0001", "义乌"))
                .await
        ),
        "floating.certificate_in_use"
    );

    // Both sides see it; contacts from either side; outsiders 404.
    assert_eq!(
        listed(&store, &home, FloatingFilter::default()).await.len(),
        1
    );
    assert_eq!(
        listed(
            &store,
            &receiving,
            FloatingFilter {
                direction: Some("in".into()),
                ..Default::default()
            }
        )
        .await
        .len(),
        1
    );
    assert!(listed(
        &store,
        &receiving,
        FloatingFilter {
            direction: Some("out".into()),
            ..Default::default()
        }
    )
    .await
    .is_empty());
    assert!(listed(&store, &outsider, FloatingFilter::default())
        .await
        .is_empty());
    is_status(store.get_floating(&outsider, r.id).await, "404");
    is_status(
        store
            .add_floating_contact(&outsider, r.id, &contact(r.version, "2024-05-01", "phone"))
            .await,
        "404",
    );
    is_status(
        store
            .add_floating_contact(&home, r.id, &contact(r.version + 1, "2024-05-01", "phone"))
            .await,
        "409",
    );
    assert_eq!(
        invalid_code(
            store
                .add_floating_contact(&home, r.id, &contact(r.version, "2024-05-01", "pigeon"))
                .await
        ),
        "floating.contact_way_invalid"
    );
    assert_eq!(
        invalid_code(
            store
                .add_floating_contact(&home, r.id, &contact(r.version, "2024-03-31", "phone"))
                .await
        ),
        "floating.date_before_out"
    );
    let d1 = store
        .add_floating_contact(&receiving, r.id, &contact(r.version, "2024-06-20", "visit"))
        .await
        .unwrap();
    assert_eq!(d1.contacts.len(), 1);
    assert_eq!(d1.contacts[0].way_zh, "走访");
    assert_eq!(d1.record.last_contact, "2024-06-20");
    assert_eq!(d1.record.lost_due_date.as_deref(), Some("2024-12-20"));
    assert_eq!(d1.record.contacts, 1);
    assert_eq!(audits(&store, "floating.contact").await, 1);

    // Returning is the home org's: the receiving side may log contacts but not close it.
    let v = d1.record.version;
    is_status(
        store
            .return_floating(&receiving, r.id, &faction(v, "2024-07-01"))
            .await,
        "403",
    );
    is_status(
        store
            .return_floating(&home, r.id, &faction(v - 1, "2024-07-01"))
            .await,
        "409",
    );
    assert_eq!(
        invalid_code(
            store
                .return_floating(&home, r.id, &faction(v, "2024-03-01"))
                .await
        ),
        "floating.date_before_out"
    );
    let back = store
        .return_floating(&home, r.id, &faction(v, "2024-07-01"))
        .await
        .unwrap()
        .record;
    assert_eq!(
        (back.status.as_str(), back.return_date.as_deref()),
        ("returned", Some("2024-07-01"))
    );
    let mv = store.get_member(&sys(), m.id).await.unwrap();
    assert!(!mv.floating);
    let evs = store.member_events(&sys(), m.id).await.unwrap();
    assert_eq!(evs.last().unwrap().kind, "floating_back");
    assert_eq!(audits(&store, "floating.return").await, 1);
    assert_eq!(
        invalid_code(
            store
                .add_floating_contact(&home, r.id, &contact(back.version, "2024-07-02", "phone"))
                .await
        ),
        "floating.not_away"
    );
    // A new trip may be registered now.
    store
        .register_floating(
            &home,
            &NewFloating {
                version: mv.version,
                certificate_no: "皖流 0003".into(),
                ..away(&mv, "2024-07-10", "皖流 0003", "上海")
            },
        )
        .await
        .unwrap();
    let all = listed(
        &store,
        &home,
        FloatingFilter {
            member: Some(m.id),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(all.len(), 2);
    let returned = listed(
        &store,
        &home,
        FloatingFilter {
            status: Some("returned".into()),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(returned.len(), 1);
});

store_test!(floating_lost_contact_after_six_months, |store| async move {
    let c = county(&store).await; // today = 2024-07-15
    let home = user(71, Role::Branch, &c.a1, None);
    let mk = |name: &'static str| {
        let store = store.clone();
        let a1 = c.a1.id;
        async move { full_member(&store, a1, name).await }
    };
    let (m1, m2, m3) = (mk("甲").await, mk("乙").await, mk("丙").await);
    // m1: out 2024-01-15 → due exactly today; m2: out 2024-01-16 → due tomorrow;
    // m3: out 2023-01-01, contacted 2024-03-01 → due 2024-09-01.
    let r1 = store
        .register_floating(&home, &away(&m1, "2024-01-15", "C1", "深圳"))
        .await
        .unwrap()
        .record;
    let r2 = store
        .register_floating(&home, &away(&m2, "2024-01-16", "C2", "深圳"))
        .await
        .unwrap()
        .record;
    let r3 = store
        .register_floating(&home, &away(&m3, "2023-01-01", "C3", "深圳"))
        .await
        .unwrap()
        .record;
    let r3 = store
        .add_floating_contact(&home, r3.id, &contact(r3.version, "2024-03-01", "online"))
        .await
        .unwrap()
        .record;
    assert!(r1.due_lost_contact);
    assert_eq!(r1.lost_due_date.as_deref(), Some("2024-07-15"));
    assert!(!r2.due_lost_contact);
    assert_eq!(r2.lost_due_date.as_deref(), Some("2024-07-16"));
    assert!(!r3.due_lost_contact);
    let due: Vec<i64> = listed(
        &store,
        &home,
        FloatingFilter {
            due: Some(true),
            ..Default::default()
        },
    )
    .await
    .iter()
    .map(|r| r.id)
    .collect();
    assert_eq!(due, vec![r1.id]);
    let not_due = listed(
        &store,
        &home,
        FloatingFilter {
            due: Some(false),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(not_due.len(), 2);

    // The system proposes; a person confirms with a cause, not before the period is over.
    assert_eq!(
        invalid_code(
            store
                .mark_floating_lost(
                    &home,
                    r2.id,
                    &FloatingAction {
                        cause: Some("abroad".into()),
                        ..faction(r2.version, "2024-07-15")
                    }
                )
                .await
        ),
        "floating.lost_not_due"
    );
    assert_eq!(
        invalid_code(
            store
                .mark_floating_lost(&home, r1.id, &faction(r1.version, "2024-07-15"))
                .await
        ),
        "floating.lost_cause_invalid"
    );
    assert_eq!(
        invalid_code(
            store
                .mark_floating_lost(
                    &home,
                    r1.id,
                    &FloatingAction {
                        cause: Some("moon".into()),
                        ..faction(r1.version, "2024-07-15")
                    }
                )
                .await
        ),
        "floating.lost_cause_invalid"
    );
    assert_eq!(
        invalid_code(
            store
                .mark_floating_lost(
                    &home,
                    r1.id,
                    &FloatingAction {
                        cause: Some("working_away".into()),
                        ..faction(r1.version, "2024-07-14")
                    }
                )
                .await
        ),
        "floating.lost_not_due"
    );
    let lost = store
        .mark_floating_lost(
            &home,
            r1.id,
            &FloatingAction {
                cause: Some("working_away".into()),
                note: Some("电话停机，家属不知去向".into()),
                ..faction(r1.version, "2024-07-15")
            },
        )
        .await
        .unwrap()
        .record;
    assert!(lost.lost && !lost.due_lost_contact);
    assert_eq!(lost.lost_cause_zh.as_deref(), Some("外出务工经商"));
    assert_eq!(lost.lost_date.as_deref(), Some("2024-07-15"));
    assert_eq!(audits(&store, "floating.lost").await, 1);
    assert_eq!(
        invalid_code(
            store
                .mark_floating_lost(
                    &home,
                    r1.id,
                    &FloatingAction {
                        cause: Some("other".into()),
                        ..faction(lost.version, "2024-07-15")
                    }
                )
                .await
        ),
        "floating.already_lost"
    );
    let lost_list = listed(
        &store,
        &home,
        FloatingFilter {
            lost: Some(true),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(lost_list.len(), 1);
    // The member stays on the roster (失联 is a flag, not a removal).
    assert_eq!(roster(&store, c.a1.id).await.len(), 3);
    // Contact regained: the flag ends, the dates stay.
    let found = store
        .add_floating_contact(&home, r1.id, &contact(lost.version, "2024-07-15", "phone"))
        .await
        .unwrap()
        .record;
    assert!(!found.lost);
    assert_eq!(found.regained_date.as_deref(), Some("2024-07-15"));
    assert_eq!(found.lost_date.as_deref(), Some("2024-07-15"));
    assert_eq!(found.lost_due_date.as_deref(), Some("2025-01-15"));

    // The rule follows a county overlay: 3 months there.
    store
        .add_rule_overlay(
            &sys(),
            &jiceng_domain::rules::Overlay {
                code: "county.test.floating".into(),
                name_zh: "测试县流动党员管理办法".into(),
                effective: d("2024-01-01"),
                source_document: "测试县委组织部《流动党员管理办法》第五条".into(),
                params: vec![jiceng_domain::rules::OverlayValue {
                    key: "floating.lost_contact_months".into(),
                    value: jiceng_domain::rules::ParamValue::Int(3),
                    note: None,
                }],
                added_rules: vec![],
            },
        )
        .await
        .unwrap();
    let r2 = store.get_floating(&home, r2.id).await.unwrap().record;
    assert!(r2.due_lost_contact);
    assert_eq!(r2.lost_due_date.as_deref(), Some("2024-04-16"));
});

store_test!(floating_cancel_and_suggestions, |store| async move {
    let c = county(&store).await;
    let home = user(81, Role::Branch, &c.a1, None);
    let town_a = user(82, Role::Committee, &c.town_a, None);
    let town_b = user(83, Role::Committee, &c.town_b, None);
    let mut ms = Vec::new();
    for i in 0..5 {
        ms.push(full_member(&store, c.a1.id, &format!("甲{i}")).await);
    }
    let b_ms = [
        full_member(&store, c.b1.id, "乙一").await,
        full_member(&store, c.b1.id, "乙二").await,
        full_member(&store, c.b1.id, "乙三").await,
    ];
    // Three of 甲一 to Shenzhen (written three ways), one to Yiwu; one more to Shenzhen who
    // will be recorded as lost. 乙一: three with the same division code, texts differing.
    let dests = [
        "广东省深圳市",
        "广东省 深圳市",
        "广东省深圳市。",
        "浙江省义乌市",
        "广东省深圳市",
    ];
    let mut recs = Vec::new();
    for (i, (m, dest)) in ms.iter().zip(dests).enumerate() {
        let r = store
            .register_floating(&home, &away(m, "2023-06-01", &format!("A{i}"), dest))
            .await
            .unwrap()
            .record;
        recs.push(r);
    }
    for (i, m) in b_ms.iter().enumerate() {
        store
            .register_floating(
                &sys(),
                &NewFloating {
                    region_code: Some("440306".into()),
                    ..away(
                        m,
                        "2024-01-01",
                        &format!("B{i}"),
                        ["宝安区", "深圳宝安", "宝安某厂"][i],
                    )
                },
            )
            .await
            .unwrap();
    }
    let s = store.floating_suggestions(&town_a, None).await.unwrap();
    assert_eq!(s.min_members, 3);
    assert_eq!(s.items.len(), 1, "{:?}", s.items);
    // Four to Shenzhen from 甲一 (the fifth included until recorded as lost).
    assert_eq!(s.items[0].count, 4);
    assert_eq!(s.items[0].org_id, c.a1.id);
    assert!(
        s.items[0].message.contains("临时党支部"),
        "{}",
        s.items[0].message
    );
    let lost = store
        .mark_floating_lost(
            &home,
            recs[4].id,
            &FloatingAction {
                cause: Some("other".into()),
                ..faction(recs[4].version, "2024-07-15")
            },
        )
        .await
        .unwrap();
    assert!(lost.record.lost);
    let s = store
        .floating_suggestions(&town_a, Some(c.a1.id))
        .await
        .unwrap();
    assert_eq!(s.items[0].count, 3);
    assert_eq!(s.items[0].key, "text:广东省深圳市");
    let s = store.floating_suggestions(&town_b, None).await.unwrap();
    assert_eq!(s.items.len(), 1);
    assert_eq!(s.items[0].region_code.as_deref(), Some("440306"));
    assert_eq!(s.items[0].count, 3);
    let all = store.floating_suggestions(&sys(), None).await.unwrap();
    assert_eq!(all.items.len(), 2);
    is_status(
        store.floating_suggestions(&town_a, Some(c.town_b.id)).await,
        "404",
    );

    // Cancelling needs a reason; it ends the floating flag with a dated event.
    let r = &recs[0];
    assert_eq!(
        invalid_code(
            store
                .cancel_floating(&home, r.id, &faction(r.version, "2024-07-01"))
                .await
        ),
        "floating.cancel_reason_required"
    );
    let x = store
        .cancel_floating(
            &home,
            r.id,
            &FloatingAction {
                reason: Some("已转移正式组织关系".into()),
                ..faction(r.version, "2024-07-01")
            },
        )
        .await
        .unwrap()
        .record;
    assert_eq!(
        (x.status.as_str(), x.cancel_date.as_deref()),
        ("cancelled", Some("2024-07-01"))
    );
    assert!(!store.get_member(&sys(), ms[0].id).await.unwrap().floating);
    assert_eq!(audits(&store, "floating.cancel").await, 1);
    let s = store.floating_suggestions(&town_a, None).await.unwrap();
    assert!(s.items.is_empty(), "two left to Shenzhen");
    // A member who died while away: the registration is cancelled without an event.
    let m = store.get_member(&sys(), ms[1].id).await.unwrap();
    event(&store, &m, "died", "2024-05-01", None).await;
    let r = store.get_floating(&home, recs[1].id).await.unwrap().record;
    assert!(!r.member_active && !r.due_lost_contact);
    assert_eq!(
        invalid_code(
            store
                .return_floating(&home, r.id, &faction(r.version, "2024-07-01"))
                .await
        ),
        "member.not_on_roster"
    );
    let events_before = store.member_events(&sys(), m.id).await.unwrap().len();
    store
        .cancel_floating(
            &home,
            r.id,
            &FloatingAction {
                reason: Some("党员去世".into()),
                ..faction(r.version, "2024-07-01")
            },
        )
        .await
        .unwrap();
    assert_eq!(
        store.member_events(&sys(), m.id).await.unwrap().len(),
        events_before
    );
    // Not-away registrations refuse every action.
    let r = store.get_floating(&home, recs[1].id).await.unwrap().record;
    assert_eq!(
        invalid_code(
            store
                .return_floating(&home, r.id, &faction(r.version, "2024-07-02"))
                .await
        ),
        "floating.not_away"
    );
    assert_eq!(
        invalid_code(
            store
                .list_floating(
                    &home,
                    &FloatingFilter {
                        status: Some("gone".into()),
                        ..Default::default()
                    }
                )
                .await
        ),
        "floating.status_invalid"
    );
});
