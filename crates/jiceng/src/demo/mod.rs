//! Demo databases, written through the same store calls the API uses (events, audit and
//! all), so that the demo exercises every rule it shows.

pub mod bench_engine;
mod city_roster;
pub mod county_plan;
mod lifecycle;
pub mod names;
pub mod national;
mod org_life;
mod pipeline;
pub mod seed_city;

use jiceng_domain::codes::Coded;
use jiceng_domain::member::MemberEventKind;
use jiceng_domain::org::OrgKind;
use jiceng_store::auth::NewUser;
use jiceng_store::member::{NewMember, NewMemberEvent};
use jiceng_store::org::{NewOrg, NewSeat, OrgPatch};
use jiceng_store::{Scope, Store, StoreError};

use county_plan::{Plan, PlanEvent, PlanMember, PlanOrgEvent};

fn progress(label: &str, done: usize, total: usize) {
    if done == total || done % 2000 == 0 {
        eprintln!("  {label}: {done}/{total}");
    }
}

/// Builds the county of seed 000 as it stood at 2004-12-31.
pub async fn seed_county(store: &Store) -> Result<(), StoreError> {
    let plan = county_plan::build();
    write_plan(store, &plan).await?;
    let as_of = county_plan::as_of();
    let live = |k: OrgKind| {
        plan.orgs
            .iter()
            .filter(|o| o.kind == k && county_plan::org_exists_at(o, as_of))
            .count()
    };
    let on_roster = plan
        .members
        .iter()
        .filter(|m| county_plan::member_state_at(m, as_of).is_some())
        .count();
    let (committees, working, general, branches) = (
        live(OrgKind::Committee),
        live(OrgKind::WorkingCommittee),
        live(OrgKind::GeneralBranch),
        live(OrgKind::Branch),
    );
    let alive = committees + working + general + branches;
    println!(
        "演示数据已创建（截至 {as_of}）：共建立过 {} 个党组织，其中 {} 个已撤销；现有 {alive} 个：\
         党委 {committees}（含县委）、党工委 {working}、党总支 {general}、党支部 {branches}。\
         县情资料所说的基层党组织 {} 个指党总支和党支部，首页的“基层党组织” {} 个另含党委。",
        plan.orgs.len(),
        plan.orgs.len() - alive,
        general + branches,
        committees + general + branches,
    );
    println!(
        "共录入过 {} 名人员，其中截至 {as_of} 在册党员 {on_roster} 名（其余已转出、去世等）。",
        plan.members.len()
    );
    println!("登录账号（密码均为 Jiceng@2004）：");
    for u in &plan.users {
        println!("  {:<16} {}（{}）", u.username, u.display_name, u.role);
    }
    Ok(())
}

async fn write_plan(store: &Store, plan: &Plan) -> Result<(), StoreError> {
    let sys = Scope::system("demo");
    let as_of = county_plan::as_of().to_string();
    store.set_setting(&sys, "reference_date", &as_of).await?;
    eprintln!("创建党组织…");
    let mut org_ids: Vec<i64> = Vec::with_capacity(plan.orgs.len());
    for (i, o) in plan.orgs.iter().enumerate() {
        let term_start = o.committee.iter().map(|s| s.term_start).min();
        let parent = match o.parent {
            Some(p) => Some(*org_ids.get(p).ok_or(StoreError::NotFound)?),
            None => None,
        };
        let v = store
            .create_org(
                &sys,
                &NewOrg {
                    parent_id: parent,
                    name: initial_name(o),
                    short_name: Some(o.short_name.clone()),
                    kind: o.kind.code().into(),
                    field: o.field.code().into(),
                    setup_mode: Some(o.setup_mode.code().into()),
                    founded: o.founded.to_string(),
                    region_code: o.region_code.clone(),
                    credit_code: o.credit_code.clone(),
                    address: o.address.clone(),
                    phone: o.phone.clone(),
                    term_start: term_start.map(|d| d.to_string()),
                },
            )
            .await?;
        org_ids.push(v.id);
        progress("党组织", i + 1, plan.orgs.len());
    }
    eprintln!("录入党员及其历史…");
    let mut member_ids: Vec<Option<i64>> = vec![None; plan.members.len()];
    for (i, m) in plan.members.iter().enumerate() {
        member_ids[i] = Some(write_member(store, &sys, m, &org_ids).await?);
        progress("党员", i + 1, plan.members.len());
    }
    eprintln!("组织沿革（更名、调整、撤销）…");
    let mut history: Vec<(chrono::NaiveDate, usize, &PlanOrgEvent)> = Vec::new();
    for (i, o) in plan.orgs.iter().enumerate() {
        for h in &o.history {
            history.push((event_date(h), i, h));
        }
    }
    // Same day: moves and renames first, then dissolutions children-first.
    history.sort_by_key(|(d, i, h)| match h {
        PlanOrgEvent::Dissolved { .. } => (*d, 1, usize::MAX - *i),
        _ => (*d, 0, *i),
    });
    for (_, i, h) in history {
        let id = org_ids[i];
        let version = store.get_org(&sys, id).await?.version;
        match h {
            PlanOrgEvent::Renamed {
                date,
                new_name,
                new_short_name,
            } => {
                store
                    .update_org(
                        &sys,
                        id,
                        &OrgPatch {
                            version,
                            date: Some(date.to_string()),
                            name: Some(new_name.clone()),
                            short_name: Some(new_short_name.clone()),
                            ..Default::default()
                        },
                    )
                    .await?;
            }
            PlanOrgEvent::Moved { date, new_parent } => {
                store
                    .move_org(&sys, id, org_ids[*new_parent], &date.to_string(), version)
                    .await?;
            }
            PlanOrgEvent::Dissolved { date } => {
                store
                    .dissolve_org(&sys, id, &date.to_string(), version)
                    .await?;
            }
        }
    }
    eprintln!("班子成员…");
    for (i, o) in plan.orgs.iter().enumerate() {
        for s in &o.committee {
            store
                .add_seat(
                    &sys,
                    org_ids[i],
                    &NewSeat {
                        member_id: s.member.and_then(|m| member_ids.get(m).copied().flatten()),
                        person_name: Some(s.person_name.clone()),
                        role: s.role.code().into(),
                        term_start: s.term_start.to_string(),
                        term_end: s.term_end.map(|d| d.to_string()),
                    },
                )
                .await?;
        }
    }
    eprintln!("两新组织登记…");
    write_new_orgs(store, &sys, plan, &org_ids).await?;
    eprintln!("发展党员流程…");
    let people = pipeline::write(store, &sys, plan, &org_ids).await?;
    eprintln!("发展党员流程中 {people} 人");
    eprintln!("流动党员、组织关系转接…");
    let (floating, transfers) = lifecycle::write(store, &sys, plan, &org_ids).await?;
    eprintln!("流动党员 {floating} 名，转接在途 {transfers} 人");
    eprintln!("组织生活、党费（永阳镇）…");
    let (meetings, payers) = org_life::write(store, &sys, plan, &org_ids).await?;
    eprintln!("组织生活会议 {meetings} 次，交纳党费 {payers} 人");
    eprintln!("用户账号…");
    for u in &plan.users {
        store
            .create_user(
                &sys,
                &NewUser {
                    username: u.username.clone(),
                    display_name: u.display_name.clone(),
                    password: u.password.clone(),
                    role: u.role.into(),
                    org_id: org_ids[u.org],
                    member_id: None,
                    temporary: false,
                },
            )
            .await?;
    }
    Ok(())
}

/// An illustrative 两新组织 registry for the demo county (seed 000 gives the orgs, not the
/// registry): every live non-public-enterprise org covers the enterprise it is named after
/// (its own org), and each town oversees further small enterprises, deterministically:
/// of every six, two in a joint branch of the town's first enterprise org, one with a
/// liaison, three not covered (one with 3 full members, which the rule flags).
async fn write_new_orgs(
    store: &Store,
    sys: &Scope,
    plan: &Plan,
    org_ids: &[i64],
) -> Result<(), StoreError> {
    use jiceng_domain::org::{Field, OrgKind};
    use jiceng_store::new_org::NewNewOrg;
    let as_of = county_plan::as_of();
    let counts = store.roster_counts_by_org().await?;
    let dissolved = |i: usize| {
        plan.orgs[i]
            .history
            .iter()
            .any(|h| matches!(h, PlanOrgEvent::Dissolved { .. }))
    };
    let mut joint_host: std::collections::HashMap<usize, i64> = Default::default();
    for (i, o) in plan.orgs.iter().enumerate() {
        if o.field != Field::PrivateEnterprise
            || !matches!(o.kind, OrgKind::Branch | OrgKind::GeneralBranch)
            || dissolved(i)
        {
            continue;
        }
        let Some(parent) = o.parent else { continue };
        joint_host.entry(parent).or_insert(org_ids[i]);
        let (full, prob) = counts.get(&org_ids[i]).copied().unwrap_or((0, 0));
        let unit = o
            .name
            .trim_end_matches("党总支部")
            .trim_end_matches("党支部")
            .trim_end_matches("党总支")
            .to_string();
        store
            .create_new_org(
                sys,
                &NewNewOrg {
                    org_id: org_ids[parent],
                    name: unit,
                    credit_code: o.credit_code.clone(),
                    kind: "non_public_enterprise".into(),
                    above_scale: full + prob >= 10,
                    headcount: (full + prob) * 6 + 12,
                    full_members: full,
                    probationary_members: prob,
                    coverage: "own".into(),
                    covering_org_id: Some(org_ids[i]),
                    registered: o.founded.max(as_of - chrono::Days::new(3650)).to_string(),
                    ..Default::default()
                },
            )
            .await?;
    }
    let mut hosts: Vec<(usize, i64)> = joint_host.into_iter().collect();
    hosts.sort_unstable();
    for (town, host) in hosts {
        let place = plan.orgs[town].short_name.clone();
        for k in 0..6u32 {
            let (coverage, covering, full, liaison) = match k {
                0 | 1 => ("joint", Some(host), 1 + i64::from(k), None),
                2 => ("liaison", None, 1, Some(format!("{place}党建指导员"))),
                3 => ("none", None, 3, None),
                _ => ("none", None, 0, None),
            };
            store
                .create_new_org(
                    sys,
                    &NewNewOrg {
                        org_id: org_ids[town],
                        name: format!("{place}第{}小微企业", k + 1),
                        kind: if k == 5 {
                            "social_org"
                        } else {
                            "non_public_enterprise"
                        }
                        .into(),
                        headcount: 8 + 3 * i64::from(k),
                        full_members: full,
                        coverage: coverage.into(),
                        covering_org_id: covering,
                        liaison,
                        registered: (as_of - chrono::Days::new(400 + 30 * u64::from(k)))
                            .to_string(),
                        ..Default::default()
                    },
                )
                .await?;
        }
    }
    Ok(())
}

fn event_date(h: &PlanOrgEvent) -> chrono::NaiveDate {
    match h {
        PlanOrgEvent::Renamed { date, .. }
        | PlanOrgEvent::Moved { date, .. }
        | PlanOrgEvent::Dissolved { date } => *date,
    }
}

/// The name an org was founded with (the plan records later renames as history).
fn initial_name(o: &county_plan::PlanOrg) -> String {
    o.name.clone()
}

async fn write_member(
    store: &Store,
    sys: &Scope,
    m: &PlanMember,
    org_ids: &[i64],
) -> Result<i64, StoreError> {
    let first = m
        .events
        .first()
        .ok_or_else(|| StoreError::invalid("demo.no_events", "演示数据中的人员没有任何记载"))?;
    let org = |e: &PlanEvent| e.org.and_then(|o| org_ids.get(o).copied());
    let mut n = NewMember {
        org_id: org(first).ok_or(StoreError::NotFound)?,
        name: m.name.clone(),
        gender: m.gender.code().into(),
        ethnicity: Some(m.ethnicity.clone()),
        birth_date: m.birth.to_string(),
        id_number: Some(m.id_number.clone()),
        native_place: Some(m.native_place.clone()),
        education: m.education.code().into(),
        occupation: m.occupation.code().into(),
        phone: m.phone.clone(),
        address: m.address.clone(),
        join_date: first.date.to_string(),
        village_post: m.village_post.map(|v| v.code().to_string()),
        retired: m.retired,
        in_difficulty: m.in_difficulty,
        holds_office: m.holds_office,
        ..Default::default()
    };
    let mut rest = &m.events[1..];
    if first.kind == MemberEventKind::TransferredIn {
        let probationary = first.note.as_deref() == Some("probationary");
        n.entry = Some("transferred_in".into());
        n.entry_date = Some(first.date.to_string());
        n.letter_no = first.letter_no.clone();
        n.join_date = m.join_date_before_transfer().to_string();
        if !probationary {
            n.full_date = Some(m.full_date_before_transfer().to_string());
        }
    } else if let Some(conv) = rest
        .first()
        .filter(|e| e.kind == MemberEventKind::Converted)
    {
        n.full_date = Some(conv.date.to_string());
        rest = &rest[1..];
    }
    let mut v = store.create_member(sys, &n).await?;
    for e in rest {
        v = store
            .add_member_event(
                sys,
                v.id,
                &NewMemberEvent {
                    version: v.version,
                    kind: e.kind.code().into(),
                    date: e.date.to_string(),
                    org_id: org(e),
                    letter_no: e.letter_no.clone(),
                    note: e.note.clone(),
                    probationary: false,
                },
            )
            .await?;
    }
    Ok(v.id)
}
