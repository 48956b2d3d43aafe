//! The demo county's floating members and transfers in transit at 2004-12-31, written
//! through the same checked calls as the API: members of rural branches who went to work in
//! the cities of the province and beyond (with contact logs; a few not heard from for more
//! than six months, so the 失联 proposal has something to show; enough to one city from one
//! branch for a temporary-branch suggestion), and internal transfers issued but not yet
//! received. Nobody leaves the roster, so the seed's figures are unchanged.

use chrono::{Days, NaiveDate};
use jiceng_domain::org::{Field, OrgKind};
use jiceng_store::floating::{NewFloating, NewFloatingContact};
use jiceng_store::member::MemberFilter;
use jiceng_store::transfer::NewTransfer;
use jiceng_store::{Scope, Store, StoreError};

use super::county_plan::{Plan, PlanOrgEvent};

/// Destinations: place and its GB/T 2260 code.
const PLACES: [(&str, &str); 5] = [
    ("江苏省南京市", "320100"),
    ("江苏省苏州市", "320500"),
    ("上海市", "310000"),
    ("浙江省杭州市", "330100"),
    ("广东省深圳市", "440300"),
];

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// Writes them; returns (floating registrations, transfers in transit).
pub async fn write(
    store: &Store,
    sys: &Scope,
    plan: &Plan,
    org_ids: &[i64],
) -> Result<(usize, usize), StoreError> {
    let live_branches: Vec<(usize, i64, Option<usize>)> = plan
        .orgs
        .iter()
        .enumerate()
        .filter(|(_, o)| {
            o.kind == OrgKind::Branch
                && o.field == Field::Rural
                && !o
                    .history
                    .iter()
                    .any(|h| matches!(h, PlanOrgEvent::Dissolved { .. }))
        })
        .map(|(i, o)| (i, org_ids[i], o.parent))
        .collect();
    let mut floating = 0;
    for (n, (_, org, _)) in live_branches.iter().enumerate().filter(|(n, _)| n % 4 == 0) {
        let members = store
            .list_members(
                sys,
                &MemberFilter {
                    org: Some(*org),
                    status: Some("full".into()),
                    age_max: Some(45),
                    join_to: Some("2001-12-31".into()),
                    page_size: Some(if n % 20 == 0 { 3 } else { 1 }),
                    ..Default::default()
                },
            )
            .await?;
        for (k, m) in members.items.iter().enumerate() {
            // Three from every fifth chosen branch to one city: a temporary branch is suggested.
            let place = if n % 20 == 0 {
                PLACES[0]
            } else {
                PLACES[(n / 4 + k) % PLACES.len()]
            };
            let out = ymd(2004, 2, 10) + Days::new(((n * 13 + k * 29) % 200) as u64);
            let d = match store
                .register_floating(
                    sys,
                    &NewFloating {
                        member_id: m.id,
                        version: m.version,
                        out_date: out.to_string(),
                        certificate_no: format!("苏流{:06}", 4000 + floating),
                        destination: format!("{}（务工）", place.0),
                        region_code: Some(place.1.into()),
                        reason: "外出务工".into(),
                        until_date: Some((out + Days::new(300)).to_string()),
                        receiving_org_id: None,
                        note: None,
                    },
                )
                .await
            {
                Ok(d) => d,
                // A member with a later recorded event (a move, a correction) cannot be
                // registered as away before it: the store says so; the demo takes the next.
                Err(StoreError::Invalid { .. }) => continue,
                Err(e) => return Err(e),
            };
            floating += 1;
            // Most keep in touch; every seventh has not been heard from since leaving.
            if floating % 7 != 0 {
                let last =
                    (out + Days::new(40 + (floating as u64 * 11) % 90)).min(ymd(2004, 12, 20));
                store
                    .add_floating_contact(
                        sys,
                        d.record.id,
                        &NewFloatingContact {
                            version: d.record.version,
                            date: Some(last.to_string()),
                            way: if floating % 2 == 0 { "phone" } else { "letter" }.into(),
                            note: Some("电话联系，按月交纳党费，参加流入地党组织活动".into()),
                        },
                    )
                    .await?;
            }
        }
    }
    // Transfers in transit: one member from every 40th branch to the next branch of the
    // same township, issued in December.
    let mut transfers = 0;
    for w in live_branches.windows(2).step_by(40) {
        let ((_, from, p1), (_, to, p2)) = (w[0], w[1]);
        if p1 != p2 {
            continue;
        }
        let m = store
            .list_members(
                sys,
                &MemberFilter {
                    org: Some(from),
                    status: Some("full".into()),
                    floating: Some(false),
                    page_size: Some(1),
                    ..Default::default()
                },
            )
            .await?;
        let Some(m) = m.items.first() else { continue };
        store
            .create_transfer(
                sys,
                &NewTransfer {
                    kind: "internal".into(),
                    member_id: Some(m.id),
                    version: Some(m.version),
                    to_org_id: Some(to),
                    dues_paid_until: Some("2004-12".into()),
                    issued: ymd(2004, 12, 10 + (transfers % 10) as u32).to_string(),
                    note: Some("工作调动".into()),
                    ..Default::default()
                },
            )
            .await?;
        transfers += 1;
    }
    Ok((floating, transfers))
}
