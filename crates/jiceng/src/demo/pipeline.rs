//! The demo county's development pipeline (发展党员) at 2004-12-31: people who applied,
//! activists, candidates in every state of preparation and a few whose branch meeting has
//! admitted them and who wait for the township committee's approval — all recorded through
//! the same checked steps as the API. Nobody is admitted here, so the seed's member
//! figures are unchanged.
//!
//! Proportions follow seed 002 (of 1 338 new rural members, 735 aged 35 or under and 584 with
//! high school or more), scaled down to the county: about one person per three branches.

use chrono::{Days, NaiveDate};
use jiceng_domain::codes::Coded;
use jiceng_domain::member::Gender;
use jiceng_domain::org::{Field, OrgKind};
use jiceng_store::development::{NewApplicant, NewStep, TallyInput};
use jiceng_store::member::MemberFilter;
use jiceng_store::{Scope, Store, StoreError};

use super::county_plan::{Plan, PlanOrgEvent};
use super::names::Names;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn step(version: i64, kind: &str, date: NaiveDate) -> NewStep {
    NewStep {
        version,
        kind: kind.into(),
        date: date.to_string(),
        ..Default::default()
    }
}

/// How far a demo person has come.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Depth {
    Applied,
    Talked,
    Activist,
    Candidate,
    Noticed,
    Met,
}

/// Writes the pipeline; returns the number of people.
pub async fn write(
    store: &Store,
    sys: &Scope,
    plan: &Plan,
    org_ids: &[i64],
) -> Result<usize, StoreError> {
    let mut people = 0;
    let mut n = 0usize;
    // Names by gender, never the name and birth date of a member already written.
    let mut names = Names::new(2005);
    for m in &plan.members {
        names.reserve(&m.name, m.birth);
    }
    for (i, o) in plan.orgs.iter().enumerate() {
        let dissolved = o
            .history
            .iter()
            .any(|h| matches!(h, PlanOrgEvent::Dissolved { .. }));
        if o.kind != OrgKind::Branch || dissolved || i % 3 != 0 {
            continue;
        }
        n += 1;
        let depth = match n % 12 {
            0..=2 => Depth::Applied,
            3 | 4 => Depth::Talked,
            5..=7 => Depth::Activist,
            8 => Depth::Candidate,
            9 | 10 => Depth::Noticed,
            _ => Depth::Met,
        };
        // 55 % aged 35 or under; 44 % high school or above.
        let young = n % 20 < 11;
        let birth = if young {
            ymd(
                1970 + (n % 12) as i32,
                1 + (n % 12) as u32,
                1 + (n % 27) as u32,
            )
        } else {
            ymd(
                1950 + (n % 19) as i32,
                1 + (n % 12) as u32,
                1 + (n % 27) as u32,
            )
        };
        let education = match n % 25 {
            0..=4 => "high_school",
            5..=8 => "technical_secondary",
            9 | 10 => "college",
            _ => "junior_or_below",
        };
        let occupation = match o.field {
            Field::Rural => "farmer",
            Field::PrivateEnterprise | Field::StateEnterprise => "worker",
            Field::School | Field::Institution => "professional",
            Field::Organ => "party_gov_staff",
            _ => "other",
        };
        let gender = if n % 4 == 0 {
            Gender::Female
        } else {
            Gender::Male
        };
        let name = names.draw(gender, birth);
        // Dates back from the demo's 2004-12-31 so that each stage is reachable.
        let applied = match depth {
            Depth::Applied => ymd(2004, 10, 1) + Days::new((n % 60) as u64),
            Depth::Talked => ymd(2004, 5, 1) + Days::new((n % 90) as u64),
            Depth::Activist => ymd(2003, 9, 1) + Days::new((n % 150) as u64),
            _ => ymd(2002, 3, 1) + Days::new((n % 120) as u64),
        };
        let p = store
            .create_applicant(
                sys,
                &NewApplicant {
                    org_id: org_ids[i],
                    name,
                    gender: gender.code().into(),
                    birth_date: birth.to_string(),
                    education: education.into(),
                    occupation: occupation.into(),
                    application_date: applied.to_string(),
                    ..Default::default()
                },
            )
            .await?;
        people += 1;
        let mut v = p.version;
        if depth == Depth::Applied {
            continue;
        }
        v = store
            .record_step(sys, p.id, &step(v, "talk", applied + Days::new(20)))
            .await?
            .version;
        if depth == Depth::Talked {
            continue;
        }
        let activist = applied + Days::new(90);
        v = store
            .record_step(sys, p.id, &step(v, "activist", activist))
            .await?
            .version;
        let contacts = NewStep {
            contacts: Some(2),
            ..step(v, "contacts", activist + Days::new(7))
        };
        v = store.record_step(sys, p.id, &contacts).await?.version;
        v = store
            .record_step(sys, p.id, &step(v, "review", activist + Days::new(180)))
            .await?
            .version;
        if depth == Depth::Activist {
            continue;
        }
        let candidate = activist + Days::new(400);
        v = store
            .record_step(sys, p.id, &step(v, "candidate", candidate))
            .await?
            .version;
        v = store
            .record_step(
                sys,
                p.id,
                &step(v, "political_review", candidate + Days::new(30)),
            )
            .await?
            .version;
        if depth == Depth::Candidate {
            continue;
        }
        let training = NewStep {
            end_date: Some((candidate + Days::new(42)).to_string()),
            ..step(v, "training", candidate + Days::new(40))
        };
        v = store.record_step(sys, p.id, &training).await?.version;
        v = store
            .record_step(sys, p.id, &step(v, "pre_review", candidate + Days::new(60)))
            .await?
            .version;
        let notice_from = candidate + Days::new(70);
        let notice = NewStep {
            end_date: Some((notice_from + Days::new(9)).to_string()),
            ..step(v, "notice", notice_from)
        };
        v = store.record_step(sys, p.id, &notice).await?.version;
        if depth == Depth::Noticed {
            continue;
        }
        // The branch meeting: two members of the branch, full for years by then, introduce.
        let meeting_date = notice_from + Days::new(20);
        let full = store
            .list_members(
                sys,
                &MemberFilter {
                    org: Some(org_ids[i]),
                    status: Some("full".into()),
                    join_to: Some((meeting_date - Days::new(800)).to_string()),
                    page_size: Some(2),
                    ..Default::default()
                },
            )
            .await?;
        if full.items.len() < 2 {
            continue;
        }
        let entitled = full.total.max(2) as u64;
        let meeting = NewStep {
            introducer_ids: full.items.iter().map(|m| m.id).collect(),
            tally: Some(TallyInput {
                entitled,
                present: entitled,
                ayes: entitled,
                written_ayes: 0,
            }),
            ..step(v, "branch_meeting", meeting_date)
        };
        store.record_step(sys, p.id, &meeting).await?;
    }
    Ok(people)
}
