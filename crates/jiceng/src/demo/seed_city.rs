//! `jiceng demo --profile seed-city`: the city of seed 002's first part — 1 383
//! administrative villages under its nine counties and districts and their townships — with
//! the 2011 rating round of the five-tier scheme completed as the seed reports it (标兵 172,
//! 先进 339, 达标 617, 偏弱 177, 薄弱 78) and a 2012 round in which villages move, all written
//! through the store's checked calls (scores, approval, publication), every score inside its
//! tier's band. The villages' rural party members (76 100 at the end of 2010, 1 338 new in
//! 2010, see [`city_roster`]) are bulk-loaded after the org tree.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use jiceng_domain::rating::{self as dr, Scheme};
use jiceng_store::auth::NewUser;
use jiceng_store::org::{NewOrg, NewSeat};
use jiceng_store::rating::{ApproveInput, ScoreInput};
use jiceng_store::{Scope, Store, StoreError};

use super::city_roster;

/// Counties and districts with their GB/T 2260 codes and villages (sum 1 383).
const COUNTIES: [(&str, &str, usize); 9] = [
    ("昌邑区", "220202", 60),
    ("龙潭区", "220203", 90),
    ("船营区", "220204", 40),
    ("丰满区", "220211", 70),
    ("永吉县", "220221", 200),
    ("蛟河市", "220281", 230),
    ("桦甸市", "220282", 160),
    ("舒兰市", "220283", 290),
    ("磐石市", "220284", 243),
];

/// The 2011 distribution of seed 002, best tier first.
pub const TIERS_2011: [(&str, usize); 5] = [
    ("标兵", 172),
    ("先进", 339),
    ("达标", 617),
    ("偏弱", 177),
    ("薄弱", 78),
];

/// Demo password of every seed-city user.
pub const PASSWORD: &str = "Jiceng@2011";

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn org(parent: Option<i64>, name: &str, kind: &str, field: &str) -> NewOrg {
    NewOrg {
        parent_id: parent,
        name: name.into(),
        short_name: None,
        kind: kind.into(),
        field: field.into(),
        setup_mode: None,
        founded: "1958-10-01".into(),
        region_code: None,
        credit_code: None,
        address: None,
        phone: None,
        term_start: None,
    }
}

/// A score sheet of exactly `total` points, spread over the indicators in proportion to
/// their maxima (and never above one).
fn sheet(scheme: &Scheme, total: u32) -> BTreeMap<String, u32> {
    let max = scheme.max_total().max(1);
    let mut s: BTreeMap<String, u32> = scheme
        .indicators()
        .map(|i| (i.code.clone(), i.max_points * total / max))
        .collect();
    let mut left = total - s.values().sum::<u32>();
    for i in scheme.indicators() {
        if left == 0 {
            break;
        }
        if let Some(v) = s.get_mut(&i.code) {
            let add = (i.max_points - *v).min(left);
            *v += add;
            left -= add;
        }
    }
    s
}

/// The lowest total the demo gives: a 薄弱 village still scores some points on most
/// indicators (the band itself starts at 0).
const LOWEST_TOTAL: u32 = 38;

/// A total inside the score band of tier `rank` (0 = best), varied by `k`.
fn total_in(scheme: &Scheme, rank: usize, k: usize) -> u32 {
    let lo = scheme.tiers[rank].min_score.max(LOWEST_TOTAL);
    let hi = if rank == 0 {
        scheme.max_total()
    } else {
        scheme.tiers[rank - 1].min_score - 1
    };
    lo + (k as u32 % (hi - lo + 1))
}

/// One year's round over all villages: `tier_of(i)` gives each village's approved tier,
/// and its total lies inside that tier's score band, so that the ledger's scores and tiers
/// agree. (A tier proposed beyond the score, with its reason — the seed names 换届,
/// 林权制度改革, 抗洪抢险 — is left to the people trying a round.)
async fn round(
    store: &Store,
    sys: &Scope,
    root: i64,
    year: i32,
    villages: &[i64],
    tier_of: impl Fn(usize) -> usize,
    publish: NaiveDate,
) -> Result<(), StoreError> {
    let scheme = dr::scheme("village.five_tier")
        .map_err(|e| StoreError::invalid(e.code(), e.to_string()))?;
    let r = store.open_round(sys, root, year, &scheme.code).await?;
    for (i, v) in villages.iter().enumerate() {
        let rank = tier_of(i);
        let total = total_in(&scheme, rank, i * 7 + year as usize);
        let rating = store
            .score_org(
                sys,
                r.id,
                *v,
                &ScoreInput {
                    version: None,
                    scores: sheet(&scheme, total),
                    ..Default::default()
                },
            )
            .await?;
        store
            .approve_rating(
                sys,
                r.id,
                *v,
                &ApproveInput {
                    version: rating.version,
                    tier: None,
                    reason: None,
                },
            )
            .await?;
        if i % 500 == 0 {
            eprintln!("  {year} 年评定：{i}/{}", villages.len());
        }
    }
    store.publish_round(sys, r.id, publish, 7).await?;
    Ok(())
}

/// Start of the village branch committees' term: the 2011 村“两委”换届 of seed 002 (rural
/// terms are five years, so no re-election is due on the demo's "today").
const TERM_START: &str = "2011-06-20";

/// Every village branch elected its committee in the 2011 换届: the village secretary (or,
/// where none serves, a deputy secretary) and two committee members, all full members of
/// the branch — so that no branch of seven full members or more lacks its committee.
async fn branch_committees(
    store: &Store,
    sys: &Scope,
    roster: &[jiceng_store::bulk::BulkMember],
) -> Result<(), StoreError> {
    use jiceng_domain::member::{MemberEventKind, VillagePost};
    let start = NaiveDate::parse_from_str(TERM_START, "%Y-%m-%d").unwrap_or(NaiveDate::MIN);
    let mut by_village: BTreeMap<i64, Vec<&jiceng_store::bulk::BulkMember>> = BTreeMap::new();
    for m in roster {
        let full = m
            .events
            .iter()
            .any(|e| e.kind == MemberEventKind::Converted && e.date < start);
        if let (true, Some(org)) = (full, m.events.first().and_then(|e| e.org_id)) {
            let list = by_village.entry(org).or_default();
            if list.len() < 3 {
                list.push(m);
            }
        }
    }
    for (org, people) in by_village {
        for (k, m) in people.iter().enumerate() {
            let secretary = matches!(
                m.village_post,
                Some(VillagePost::Secretary | VillagePost::SecretaryDirector)
            );
            let role = match k {
                0 if secretary => "secretary",
                0 => "deputy_secretary",
                1 => "organizer",
                _ => "member",
            };
            store
                .add_seat(
                    sys,
                    org,
                    &NewSeat {
                        member_id: Some(m.id),
                        person_name: None,
                        role: role.into(),
                        term_start: TERM_START.into(),
                        term_end: None,
                    },
                )
                .await?;
        }
    }
    Ok(())
}

/// Builds the city and its two rating rounds.
pub async fn build(store: &Store) -> Result<(), StoreError> {
    let sys = Scope::system("demo");
    store
        .set_setting(&sys, "reference_date", "2014-01-31")
        .await?;
    eprintln!("创建党组织…");
    let root = store
        .create_org(&sys, &org(None, "中共吉林市委员会", "committee", "organ"))
        .await?;
    let mut villages = Vec::with_capacity(1383);
    let mut roster_villages = Vec::with_capacity(1383);
    let mut first_town = None;
    for (county, code, n) in COUNTIES {
        let c = store
            .create_org(
                &sys,
                &org(
                    Some(root.id),
                    &format!("中共{county}委员会"),
                    "committee",
                    "organ",
                ),
            )
            .await?;
        let towns = n.div_ceil(12);
        for t in 0..towns {
            let town_name = format!(
                "{}第{}乡镇",
                county.trim_end_matches(['区', '县', '市']),
                t + 1
            );
            let town = store
                .create_org(
                    &sys,
                    &org(
                        Some(c.id),
                        &format!("中共{town_name}委员会"),
                        "committee",
                        "rural",
                    ),
                )
                .await?;
            first_town.get_or_insert(town.id);
            let here = (n - t * 12).min(12);
            for v in 0..here {
                let village = store
                    .create_org(
                        &sys,
                        &NewOrg {
                            term_start: Some(TERM_START.into()),
                            ..org(
                                Some(town.id),
                                &format!("{town_name}{}村党支部", v + 1),
                                "branch",
                                "rural",
                            )
                        },
                    )
                    .await?;
                villages.push(village.id);
                roster_villages.push(city_roster::Village {
                    org_id: village.id,
                    county_code: code,
                    county,
                });
            }
        }
    }
    eprintln!("建制村 {} 个", villages.len());
    eprintln!("农村党员…");
    let roster = city_roster::build(&roster_villages, store.reference_date().await?);
    let mut loader = store.bulk_loader(&sys).await?;
    for chunk in roster.chunks(20_000) {
        loader.members(chunk).await?;
    }
    let counts = loader
        .finish(store, &sys, serde_json::json!({"profile": "seed-city"}))
        .await?;
    eprintln!(
        "农村党员 {} 名，记载 {} 条",
        counts.members, counts.member_events
    );
    eprintln!("村党支部委员会（2011 年换届）…");
    branch_committees(store, &sys, &roster).await?;
    // 2011: exactly the seed's distribution, tiers spread over the city.
    let n = villages.len();
    let mut tier_2011 = vec![0usize; n];
    let mut order: Vec<usize> = (0..n).map(|i| (i * 7919) % n).collect();
    order.dedup();
    let mut k = 0;
    for (rank, (_, count)) in TIERS_2011.iter().enumerate() {
        for _ in 0..*count {
            if let Some(&i) = order.get(k) {
                tier_2011[i] = rank;
            }
            k += 1;
        }
    }
    round(
        store,
        &sys,
        root.id,
        2011,
        &villages,
        |i| tier_2011[i],
        ymd(2012, 1, 10),
    )
    .await?;
    // 2012: some move up (a few by two tiers), a few fall back.
    let t11 = tier_2011.clone();
    round(
        store,
        &sys,
        root.id,
        2012,
        &villages,
        move |i| {
            let r = t11[i];
            if i % 17 == 0 && r >= 2 {
                r - 2
            } else if i % 5 == 0 && r >= 1 {
                r - 1
            } else if i % 23 == 0 && r < 4 {
                r + 1
            } else {
                r
            }
        },
        // Published after the rated year (rating::publication): January 2013.
        ymd(2013, 1, 10),
    )
    .await?;
    eprintln!("用户账号…");
    for (username, display, role, org_id) in [
        ("admin", "系统管理员", "admin", root.id),
        ("zuzhibu", "市委组织部", "org_dept", root.id),
        (
            "xiangzhen",
            "乡镇党委",
            "committee",
            first_town.unwrap_or(root.id),
        ),
    ] {
        store
            .create_user(
                &sys,
                &NewUser {
                    username: username.into(),
                    display_name: display.into(),
                    password: PASSWORD.into(),
                    role: role.into(),
                    org_id,
                    member_id: None,
                    temporary: false,
                },
            )
            .await?;
    }
    println!(
        "演示数据已创建：吉林市 {} 个建制村，2011、2012 年度分类定级已公布（今天为 2014-01-31，可做 2013 年度的评定）。",
        n
    );
    println!(
        "农村党员 {} 名（2010 年底 {} 名，当年发展 {} 名）。",
        roster.len(),
        city_roster::MEMBERS_2010,
        city_roster::NEW_2010.0
    );
    println!("登录账号（密码均为 {PASSWORD}）：admin（系统管理员）、zuzhibu（市委组织部）、xiangzhen（乡镇党委，不能审定）");
    Ok(())
}
