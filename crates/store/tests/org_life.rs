//! Org life, dues and the self-withdrawal proposal and decision (issue 5; 党章 第九条) on
//! SQLite and PostgreSQL (`store_test!`): refusals with their codes, audit rows, scope (404
//! outside, 403 without the right), the proposal's boundaries, and the decision through
//! the vote rule writing the member's `self_withdrawal` event.
//!
//! `scripts/with-postgres.sh cargo test -p jiceng-store --test org_life` runs both halves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod common;

use common::*;
use jiceng_store::member::MemberView;
use jiceng_store::org::{NewSeat, OrgView};
use jiceng_store::org_life::{AttendanceInput, NewDues, NewMeeting, RemovalDecision};
use jiceng_store::{Role, Store, StoreError};

struct Branch {
    town: OrgView,
    other: OrgView,
    branch: OrgView,
    members: Vec<MemberView>,
}

/// A township with a branch of five full members and a second branch elsewhere;
/// "today" 2024-12-31.
async fn branch(store: &Store) -> Branch {
    store
        .set_setting(&sys(), "reference_date", "2024-12-31")
        .await
        .unwrap();
    let root = org(store, None, "某县委", "committee", "organ").await;
    let town = org(store, Some(root.id), "甲镇党委", "committee", "rural").await;
    let branch = org(store, Some(town.id), "甲一村党支部", "branch", "rural").await;
    let other = org(store, Some(root.id), "乙镇党委", "committee", "rural").await;
    let mut members = Vec::new();
    for name in ["张一", "张二", "张三", "张四", "张五"] {
        members.push(
            member(
                store,
                branch.id,
                name,
                "1",
                "1970-01-01",
                "2000-07-01",
                Some("2001-07-01"),
            )
            .await,
        );
    }
    Branch {
        town,
        other,
        branch,
        members,
    }
}

fn meeting(b: &Branch, kind: &str, date: &str, absent: &[usize]) -> NewMeeting {
    NewMeeting {
        org_id: b.branch.id,
        kind: kind.into(),
        held_on: date.into(),
        topic: format!("{date} 主题党日"),
        lecturer: (kind == "lecture").then(|| "张一".into()),
        minutes: None,
        attendance: b
            .members
            .iter()
            .enumerate()
            .map(|(i, m)| AttendanceInput {
                member_id: m.id,
                status: if absent.contains(&i) {
                    "absent"
                } else {
                    "present"
                }
                .into(),
                reason: None,
            })
            .collect(),
    }
}

fn dues(m: &MemberView, months: &[&str]) -> NewDues {
    NewDues {
        member_id: m.id,
        months: months.iter().map(|s| s.to_string()).collect(),
        amount_fen: 100,
        paid_on: "2024-12-01".into(),
        exempt: false,
        note: None,
    }
}

store_test!(
    meetings_recorded_with_their_list_and_refusals,
    |store| async move {
        let b = branch(&store).await;
        let before = audit_rows(&store).await;
        let v = store
            .record_meeting(&sys(), &meeting(&b, "theme_day", "2024-07-10", &[4]))
            .await
            .unwrap();
        assert_eq!((v.present, v.excused, v.absent), (4, 0, 1));
        assert_eq!(v.kind_zh, "主题党日");
        assert_eq!(v.attendance.len(), 5);
        assert_eq!(audit_rows(&store).await, before + 1);

        let mut n = meeting(&b, "lecture", "2024-07-11", &[]);
        n.lecturer = None;
        assert_eq!(
            invalid_code(store.record_meeting(&sys(), &n).await),
            "org_life.lecturer_required"
        );
        let n = meeting(&b, "theme_day", "2025-01-01", &[]);
        assert_eq!(
            invalid_code(store.record_meeting(&sys(), &n).await),
            "org_life.date_future"
        );
        let n = meeting(&b, "tea_party", "2024-07-11", &[]);
        assert_eq!(
            invalid_code(store.record_meeting(&sys(), &n).await),
            "org_life.kind_unknown"
        );
        let mut n = meeting(&b, "theme_day", "2024-07-11", &[]);
        n.attendance.push(n.attendance[0].clone());
        assert_eq!(
            invalid_code(store.record_meeting(&sys(), &n).await),
            "org_life.attendance_duplicate"
        );
        // Someone from another org cannot be listed.
        let other_branch = org(&store, Some(b.other.id), "乙一村党支部", "branch", "rural").await;
        let stranger = member(
            &store,
            other_branch.id,
            "李四",
            "1",
            "1970-01-01",
            "2000-07-01",
            None,
        )
        .await;
        let before = audit_rows(&store).await - 1;
        let mut n = meeting(&b, "theme_day", "2024-07-11", &[]);
        n.attendance.push(AttendanceInput {
            member_id: stranger.id,
            status: "present".into(),
            reason: None,
        });
        assert_eq!(
            invalid_code(store.record_meeting(&sys(), &n).await),
            "org_life.member_not_in_org"
        );
        // Nothing of the refused ones was written.
        assert_eq!(audit_rows(&store).await, before + 1);

        // Scope: the other township sees nothing (404); a member user may not record (403).
        let outsider = user(21, Role::Committee, &b.other, None);
        assert!(matches!(
            store.meeting(&outsider, v.id).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .record_meeting(&outsider, &meeting(&b, "theme_day", "2024-07-12", &[]))
                .await,
            Err(StoreError::NotFound)
        ));
        let self_service = user(22, Role::Member, &b.branch, Some(b.members[0].id));
        assert!(matches!(
            store
                .record_meeting(&self_service, &meeting(&b, "theme_day", "2024-07-12", &[]))
                .await,
            Err(StoreError::Forbidden | StoreError::NotFound)
        ));
        // The member's file lists the meeting with their attendance; out of scope: 404.
        let file = store
            .member_attendance(&sys(), b.members[4].id)
            .await
            .unwrap();
        assert_eq!(file.len(), 1);
        assert_eq!(
            (file[0].status.as_str(), file[0].kind_zh.as_str()),
            ("absent", "主题党日")
        );
        assert!(matches!(
            store.member_attendance(&outsider, b.members[4].id).await,
            Err(StoreError::NotFound)
        ));
        let town = user(23, Role::Committee, &b.town, None);
        let list = store
            .meetings(
                &town,
                &jiceng_store::org_life::MeetingFilter {
                    org: b.town.id,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!((list[0].present, list[0].absent), (4, 1));
    }
);

store_test!(
    committee_meeting_needs_more_than_half_of_the_committee,
    |store| async move {
        let b = branch(&store).await;
        for (i, role) in ["secretary", "deputy_secretary", "member", "member"]
            .iter()
            .enumerate()
        {
            store
                .add_seat(
                    &sys(),
                    b.branch.id,
                    &NewSeat {
                        member_id: Some(b.members[i].id),
                        person_name: None,
                        role: role.to_string(),
                        term_start: "2023-01-01".into(),
                        term_end: None,
                    },
                )
                .await
                .unwrap();
        }
        // 4 seats: 2 present is exactly half — not more than half.
        let n = meeting(&b, "committee_meeting", "2024-08-01", &[2, 3]);
        assert_eq!(
            invalid_code(store.record_meeting(&sys(), &n).await),
            "org_life.committee_quorum"
        );
        let n = meeting(&b, "committee_meeting", "2024-08-01", &[3]);
        assert!(store.record_meeting(&sys(), &n).await.is_ok());
    }
);

store_test!(dues_months_paid_once, |store| async move {
    let b = branch(&store).await;
    let m = &b.members[0];
    let paid = store
        .record_dues(&sys(), &dues(m, &["2024-06", "2024-07"]))
        .await
        .unwrap();
    assert_eq!(paid.len(), 2);
    assert!(matches!(
        store.record_dues(&sys(), &dues(m, &["2024-07"])).await,
        Err(StoreError::Duplicate(_))
    ));
    assert_eq!(
        invalid_code(store.record_dues(&sys(), &dues(m, &["2024-7"])).await),
        "dues.month_invalid"
    );
    let mut zero = dues(m, &["2024-08"]);
    zero.amount_fen = 0;
    assert_eq!(
        invalid_code(store.record_dues(&sys(), &zero).await),
        "dues.amount_invalid"
    );
    zero.exempt = true;
    assert!(store.record_dues(&sys(), &zero).await.is_ok());
    let ledger = store.member_dues(&sys(), m.id).await.unwrap();
    assert_eq!(
        ledger.iter().map(|d| d.month.as_str()).collect::<Vec<_>>(),
        vec!["2024-08", "2024-07", "2024-06"]
    );
    let outsider = user(21, Role::Committee, &b.other, None);
    assert!(matches!(
        store.member_dues(&outsider, m.id).await,
        Err(StoreError::NotFound)
    ));
});

store_test!(
    proposal_then_branch_decision_writes_the_event,
    |store| async move {
        let b = branch(&store).await;
        // Monthly theme days July–December 2024: 张五 (index 4) misses all, 张四 (3) asks leave once.
        for (i, date) in [
            "2024-07-10",
            "2024-08-10",
            "2024-09-10",
            "2024-10-10",
            "2024-11-10",
            "2024-12-10",
        ]
        .iter()
        .enumerate()
        {
            let mut n = meeting(&b, "theme_day", date, &[3, 4]);
            if i == 2 {
                n.attendance[3].status = "excused".into();
                n.attendance[3].reason = Some("住院".into());
            }
            store.record_meeting(&sys(), &n).await.unwrap();
        }
        // Everyone but 张三 (2) pays every month; 张三's last month is 2024-05.
        for (i, m) in b.members.iter().enumerate() {
            let months: &[&str] = if i == 2 {
                &["2024-05"]
            } else {
                &[
                    "2024-06", "2024-07", "2024-08", "2024-09", "2024-10", "2024-11",
                ]
            };
            store.record_dues(&sys(), &dues(m, months)).await.unwrap();
        }
        let town = user(23, Role::Committee, &b.town, None);
        let p = store
            .self_withdrawal_proposals(&town, b.town.id, None)
            .await
            .unwrap();
        assert_eq!(p.months, 6);
        assert!(p.source.contains("第九条"), "{}", p.source);
        let names: Vec<_> = p
            .items
            .iter()
            .map(|x| (x.name.as_str(), x.grounds.len()))
            .collect();
        assert_eq!(names, vec![("张三", 1), ("张五", 1)]);
        assert_eq!(p.items[0].grounds[0].code, "dues");
        assert_eq!(p.items[1].grounds[0].code, "org_life");
        // The same members are on the township's 预警 list.
        let alerts = store.alerts(&town, b.town.id, 30).await.unwrap();
        let mut flagged: Vec<_> = alerts
            .iter()
            .filter(|a| a.code == "self_withdrawal.proposed")
            .map(|a| (a.subject.as_str(), a.area.as_str()))
            .collect();
        flagged.sort();
        assert_eq!(flagged, vec![("张三", "org_life"), ("张五", "org_life")]);
        // On 2024-06-30 no meeting was recorded yet, and the dues ledger (from 2024-05) does
        // not cover the period 2023-12 … 2024-05: no evidence, no proposal.
        let early = store
            .self_withdrawal_proposals(&town, b.town.id, Some(d("2024-06-30")))
            .await
            .unwrap();
        assert!(early.items.is_empty());
        // Outside scope: 404.
        let outsider = user(21, Role::Committee, &b.other, None);
        assert!(matches!(
            store
                .self_withdrawal_proposals(&outsider, b.town.id, None)
                .await,
            Err(StoreError::NotFound)
        ));

        // The branch meeting decides: a failed vote, no ground, then the decision.
        let zhang5 = &b.members[4];
        let mut dec = RemovalDecision {
            version: zhang5.version,
            meeting_date: "2024-12-20".into(),
            entitled: 5,
            present: 4,
            ayes: 2,
            approved_on: "2024-12-28".into(),
            approved_by: "甲镇党委".into(),
            other_grounds: None,
        };
        let before = audit_rows(&store).await;
        assert_eq!(
            invalid_code(store.decide_self_withdrawal(&town, zhang5.id, &dec).await),
            "self_withdrawal.vote_failed"
        );
        let zhang1 = &b.members[0];
        let mut no_ground = dec.clone();
        no_ground.version = zhang1.version;
        no_ground.ayes = 4;
        assert_eq!(
            invalid_code(
                store
                    .decide_self_withdrawal(&town, zhang1.id, &no_ground)
                    .await
            ),
            "self_withdrawal.no_ground"
        );
        assert_eq!(audit_rows(&store).await, before);
        dec.ayes = 3;
        let mut stale = dec.clone();
        stale.version += 7;
        assert!(matches!(
            store.decide_self_withdrawal(&town, zhang5.id, &stale).await,
            Err(StoreError::Conflict { .. })
        ));
        let done = store
            .decide_self_withdrawal(&town, zhang5.id, &dec)
            .await
            .unwrap();
        assert!(done.derivation.contains('3'), "{}", done.derivation);
        assert!(done.grounds[0].contains("未参加组织生活"));
        assert!(!done.member.active);
        assert_eq!(done.member.left_date.as_deref(), Some("2024-12-28"));
        // The event is in the member's history; two audit rows (event and decision).
        let evs = store.member_events(&sys(), zhang5.id).await.unwrap();
        assert_eq!(evs.last().map(|e| e.kind.as_str()), Some("self_withdrawal"));
        assert_eq!(audit_rows(&store).await, before + 2);
        let p = store
            .self_withdrawal_proposals(&town, b.town.id, None)
            .await
            .unwrap();
        assert_eq!(
            p.items.iter().map(|x| x.name.as_str()).collect::<Vec<_>>(),
            vec!["张三"]
        );
        // Too large a subtree is refused with a hint (here: more than 3 members), and the
        // 预警 list says so instead of assessing.
        store
            .set_setting(&sys(), "org_life.max_members", "3")
            .await
            .unwrap();
        assert_eq!(
            invalid_code(
                store
                    .self_withdrawal_proposals(&town, b.town.id, None)
                    .await
            ),
            "org_life.scope_too_large"
        );
        let alerts = store.alerts(&town, b.town.id, 30).await.unwrap();
        assert!(alerts
            .iter()
            .any(|a| a.code == "self_withdrawal.scope_too_large" && a.severity == "info"));
        assert!(!alerts.iter().any(|a| a.code == "self_withdrawal.proposed"));
    }
);

store_test!(transfer_carries_the_last_paid_month, |store| async move {
    let b = branch(&store).await;
    let other = org(&store, Some(b.town.id), "甲二村党支部", "branch", "rural").await;
    let m = &b.members[0];
    store
        .record_dues(&sys(), &dues(m, &["2024-10", "2024-11"]))
        .await
        .unwrap();
    let t = store
        .create_transfer(
            &sys(),
            &jiceng_store::transfer::NewTransfer {
                kind: "internal".into(),
                member_id: Some(m.id),
                version: Some(m.version),
                to_org_id: Some(other.id),
                issued: "2024-12-20".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    // Not given: taken from the ledger; given: kept as given.
    assert_eq!(t.dues_paid_until.as_deref(), Some("2024-11"));
    let n = &b.members[1];
    let t = store
        .create_transfer(
            &sys(),
            &jiceng_store::transfer::NewTransfer {
                kind: "internal".into(),
                member_id: Some(n.id),
                version: Some(n.version),
                to_org_id: Some(other.id),
                issued: "2024-12-20".into(),
                dues_paid_until: Some("2024-12".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(t.dues_paid_until.as_deref(), Some("2024-12"));
});

store_test!(
    first_ever_meeting_late_in_the_year_proposes_nobody_and_flags_the_branch,
    |store| async move {
        // Issue 11: a branch records its first-ever meeting, a 支部党员大会 late in the year,
        // and marks one member absent. That is not six months without org life: the branch
        // held none in July–November.
        let b = branch(&store).await;
        store
            .record_meeting(&sys(), &meeting(&b, "general_meeting", "2024-12-08", &[4]))
            .await
            .unwrap();
        let town = user(23, Role::Committee, &b.town, None);
        let p = store
            .self_withdrawal_proposals(&town, b.town.id, None)
            .await
            .unwrap();
        assert!(p.items.is_empty(), "{:?}", p.items);
        assert_eq!(p.cadence_months, 1);
        assert!(p.basis.contains("6个月中每月都召开"), "{}", p.basis);
        assert!(p.basis.contains("主题党日每月1次"), "{}", p.basis);
        assert!(p.basis.contains("支部党员大会每3个月1次"), "{}", p.basis);
        // The branch's failure is what the records show.
        assert_eq!(p.branches_short.len(), 1);
        let s = &p.branches_short[0];
        assert_eq!((s.org_id, s.held), (b.branch.id, 1));
        assert_eq!(
            s.empty,
            vec![
                "2024-07-01 至 2024-07-31",
                "2024-08-01 至 2024-08-31",
                "2024-09-01 至 2024-09-30",
                "2024-10-01 至 2024-10-31",
                "2024-11-01 至 2024-11-30",
            ]
        );
        let alerts = store.alerts(&town, b.town.id, 30).await.unwrap();
        assert!(!alerts.iter().any(|a| a.code == "self_withdrawal.proposed"));
        let short: Vec<_> = alerts
            .iter()
            .filter(|a| a.code == "org_life.branch_short")
            .collect();
        assert_eq!(short.len(), 1);
        assert_eq!(
            (short[0].subject_id, short[0].area.as_str()),
            (b.branch.id, "org_life")
        );
        assert!(short[0].message.contains("不作为自行脱党的依据"));
        // The decision path re-assesses with the same rule: no ground.
        let zhang5 = &b.members[4];
        let dec = RemovalDecision {
            version: zhang5.version,
            meeting_date: "2024-12-20".into(),
            entitled: 5,
            present: 4,
            ayes: 4,
            approved_on: "2024-12-28".into(),
            approved_by: "甲镇党委".into(),
            other_grounds: None,
        };
        assert_eq!(
            invalid_code(store.decide_self_withdrawal(&town, zhang5.id, &dec).await),
            "self_withdrawal.no_ground"
        );
        // Once the branch holds a meeting every month he is listed for and misses, he is
        // proposed (a 党小组会 counts like any meeting he was called to).
        for (kind, date) in [
            ("theme_day", "2024-07-10"),
            ("theme_day", "2024-08-10"),
            ("theme_day", "2024-09-10"),
            ("theme_day", "2024-10-10"),
            ("group_meeting", "2024-11-10"),
        ] {
            store
                .record_meeting(&sys(), &meeting(&b, kind, date, &[4]))
                .await
                .unwrap();
        }
        let p = store
            .self_withdrawal_proposals(&town, b.town.id, None)
            .await
            .unwrap();
        assert!(p.branches_short.is_empty(), "{:?}", p.branches_short);
        assert_eq!(
            p.items.iter().map(|x| x.name.as_str()).collect::<Vec<_>>(),
            vec!["张五"]
        );
        assert!(p.items[0].grounds[0].text.contains("6 次会议均缺席"));
    }
);
