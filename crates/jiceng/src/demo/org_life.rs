//! Org life and dues of one township of the demo county (永阳镇, the `zhen_yongyang` user's)
//! for 2004, written through the same checked calls as the API: monthly 主题党日, quarterly
//! 支部党员大会 and 党课 from July, dues paid monthly from January. A few members miss
//! every meeting without leave, or stop paying after May, so the self-withdrawal proposal
//! (党章 第九条) has something to show on 2004-12-31. Nobody leaves the roster.

use jiceng_store::member::MemberFilter;
use jiceng_store::org_life::{AttendanceInput, NewDues, NewMeeting};
use jiceng_store::{Scope, Store, StoreError};

use super::county_plan::Plan;

/// Meetings of July–December 2004: (kind, date, topic).
const MEETINGS: [(&str, &str, &str); 10] = [
    ("theme_day", "2004-07-10", "重温入党誓词"),
    ("lecture", "2004-08-05", "学习党章，做合格党员"),
    ("theme_day", "2004-08-10", "为民办实事：清理村内沟渠"),
    (
        "general_meeting",
        "2004-09-08",
        "第三季度党员大会：通报村务公开情况",
    ),
    ("theme_day", "2004-09-10", "走访困难党员"),
    ("theme_day", "2004-10-10", "秋收互助"),
    ("lecture", "2004-11-05", "保持共产党员先进性"),
    ("theme_day", "2004-11-10", "冬季农田水利建设义务劳动"),
    (
        "general_meeting",
        "2004-12-08",
        "第四季度党员大会：年度工作总结",
    ),
    ("theme_day", "2004-12-10", "民主评议党员动员"),
];

/// Members who miss every meeting without leave (by position in the township's list).
fn lapsed_life(i: usize) -> bool {
    i % 150 == 5
}

/// Members who stop paying after May.
fn lapsed_dues(i: usize) -> bool {
    i % 170 == 7
}

/// Writes them; returns (meetings, members with dues records).
pub async fn write(
    store: &Store,
    sys: &Scope,
    plan: &Plan,
    org_ids: &[i64],
) -> Result<(usize, usize), StoreError> {
    let Some(town) = plan
        .users
        .iter()
        .find(|u| u.username == "zhen_yongyang")
        .map(|u| org_ids[u.org])
    else {
        return Ok((0, 0));
    };
    let town_path = store.get_org(sys, town).await?.path;
    let mut meetings = 0;
    let mut payers = 0;
    // Position of a branch's first member in the township's list.
    let mut base = 0;
    let branches = store
        .list_orgs(
            sys,
            &jiceng_store::org::OrgFilter {
                under: Some(town),
                kind: Some("branch".into()),
                ..Default::default()
            },
            jiceng_store::Paging::new(Some(1), Some(500)),
        )
        .await?;
    for b in branches
        .items
        .iter()
        .filter(|b| b.path.starts_with(&town_path))
    {
        let mut members = Vec::new();
        for page in 1.. {
            let p = store
                .list_members(
                    sys,
                    &MemberFilter {
                        org: Some(b.id),
                        page: Some(page),
                        page_size: Some(500),
                        ..Default::default()
                    },
                )
                .await?;
            let n = p.items.len();
            members.extend(p.items.into_iter().filter(|m| m.org_id == Some(b.id)));
            if n < 500 {
                break;
            }
        }
        if members.is_empty() {
            continue;
        }
        for (k, (kind, date, topic)) in MEETINGS.iter().enumerate() {
            let attendance = members
                .iter()
                .enumerate()
                .filter(|(_, m)| m.join_date.as_deref().is_some_and(|j| j <= *date))
                .map(|(i, m)| {
                    let (status, reason) = if lapsed_life(base + i) {
                        ("absent", None)
                    } else if (i + k) % 13 == 0 {
                        ("excused", Some("外出务工".to_string()))
                    } else if (i + k) % 17 == 0 {
                        ("absent", None)
                    } else {
                        ("present", None)
                    };
                    AttendanceInput {
                        member_id: m.id,
                        status: status.into(),
                        reason,
                    }
                })
                .collect::<Vec<_>>();
            if attendance.is_empty() {
                continue;
            }
            store
                .record_meeting(
                    sys,
                    &NewMeeting {
                        org_id: b.id,
                        kind: (*kind).into(),
                        held_on: (*date).into(),
                        topic: (*topic).into(),
                        lecturer: (*kind == "lecture").then(|| "支部书记".into()),
                        minutes: None,
                        attendance,
                    },
                )
                .await?;
            meetings += 1;
        }
        for (i, m) in members.iter().enumerate() {
            let Some(joined) = m.join_date.as_deref() else {
                continue;
            };
            let last = if lapsed_dues(base + i) { 5 } else { 12 };
            let months: Vec<String> = (1..=last)
                .map(|mo| format!("2004-{mo:02}"))
                .filter(|mo| mo.as_str() >= &joined[..7])
                .collect();
            if months.is_empty() {
                continue;
            }
            store
                .record_dues(
                    sys,
                    &NewDues {
                        member_id: m.id,
                        months,
                        amount_fen: 50,
                        paid_on: "2004-12-20".into(),
                        exempt: false,
                        note: None,
                    },
                )
                .await?;
            payers += 1;
        }
        base += members.len();
    }
    Ok((meetings, payers))
}
