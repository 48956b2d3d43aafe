//! The rural party members of the seed-city demo (吉林市, seed 002), generated as a pure,
//! deterministic plan and bulk-loaded after the org tree.
//!
//! Figures of seed 002 it reproduces:
//! * 76 100 rural members at the end of 2010 (44 234 members with a skill = 58.1 % and
//!   30 971 with a project = 40.7 % of the rural members give 76 100 to the nearest hundred);
//! * 1 338 new rural members in 2010, of whom 735 aged 35 or under and 584 with high school
//!   (中专) or more;
//! * 1 369 serving village secretaries (1 310 with a project = 95.7 %), 77.48 % of villages
//!   with secretary and director in one person (一肩挑: 1 060 of 1 369 here).
//!
//! Illustrative, not in the seed: about 1 300 new members in every later year up to the
//! demo's "today" (joined from February to December: those of the last year are still
//! probationary); ages, education, gender and ethnicity drawn
//! to look like a rural membership of north-east China. Every village has at least
//! twelve members or more who joined before 2010, so that every village branch has three
//! full members or more.

use std::collections::HashSet;

use chrono::{Datelike, Days, Months, NaiveDate};
use jiceng_domain::member::{Education, Gender, MemberEventKind, Occupation, VillagePost};
use jiceng_store::bulk::{BulkEvent, BulkMember};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::county_plan::unique_id_number;
use super::names::Names;

/// Rural members at 2010-12-31.
pub const MEMBERS_2010: usize = 76_100;
/// New members in 2010, aged 35 or under, with high school or more.
pub const NEW_2010: (usize, usize, usize) = (1_338, 735, 584);
/// New members in each year after 2010 up to "today" (illustrative).
pub const NEW_LATER: [usize; 4] = [1_290, 1_310, 1_270, 1_250];
/// Village secretaries, of whom 一肩挑.
pub const SECRETARIES: (usize, usize) = (1_369, 1_060);
/// Least members per village who joined before 2010 (and so are full members).
#[cfg(test)]
const MIN_PER_VILLAGE: usize = 12;

/// A village of the demo: its org id and the GB/T 2260 code of its county.
#[derive(Debug, Clone, Copy)]
pub struct Village {
    /// Org id.
    pub org_id: i64,
    /// County code (six digits).
    pub county_code: &'static str,
    /// County name (for the native place).
    pub county: &'static str,
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn day_in(rng: &mut StdRng, lo: NaiveDate, hi: NaiveDate) -> NaiveDate {
    let span = (hi - lo).num_days().max(0) as u64;
    lo + Days::new(rng.gen_range(0..=span))
}

/// Splits `total` over `weights` exactly (largest remainders).
fn apportion(total: usize, weights: &[f64]) -> Vec<usize> {
    let sum: f64 = weights.iter().sum::<f64>().max(f64::MIN_POSITIVE);
    let raw: Vec<f64> = weights.iter().map(|w| w * total as f64 / sum).collect();
    let mut out: Vec<usize> = raw.iter().map(|x| x.floor() as usize).collect();
    let mut rest: Vec<(usize, f64)> = raw
        .iter()
        .enumerate()
        .map(|(i, x)| (i, x - x.floor()))
        .collect();
    rest.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let short = total - out.iter().sum::<usize>();
    for (i, _) in rest.into_iter().take(short) {
        out[i] += 1;
    }
    out
}

struct Gen {
    rng: StdRng,
    names: Names,
    ids: HashSet<String>,
    next_id: i64,
    today: NaiveDate,
}

/// Who a generated member is, before names and numbers.
struct Person {
    village: Village,
    gender: Gender,
    birth: NaiveDate,
    join: NaiveDate,
    education: Education,
    post: Option<VillagePost>,
}

impl Gen {
    fn id_number(&mut self, code: &str, birth: NaiveDate, gender: Gender) -> String {
        unique_id_number(&mut self.rng, &mut self.ids, code, birth, gender)
    }

    fn gender(&mut self, female_share: f64) -> Gender {
        if self.rng.gen_bool(female_share) {
            Gender::Female
        } else {
            Gender::Male
        }
    }

    fn member(&mut self, p: Person) -> BulkMember {
        let id = self.next_id;
        self.next_id += 1;
        let id_number = self.id_number(p.village.county_code, p.birth, p.gender);
        let name = self.names.draw(p.gender, p.birth);
        let r: f64 = self.rng.gen();
        let ethnicity = if r < 0.04 {
            "11" // 满族
        } else if r < 0.055 {
            "10" // 朝鲜族
        } else if r < 0.06 {
            "03" // 回族
        } else {
            "01"
        };
        let occupation = if self.rng.gen_bool(0.04) {
            Occupation::Worker
        } else {
            Occupation::Farmer
        };
        let mut events = vec![BulkEvent {
            kind: MemberEventKind::Joined,
            date: p.join,
            org_id: Some(p.village.org_id),
            probationary: false,
        }];
        let full = p.join.checked_add_months(Months::new(12)).unwrap_or(p.join);
        if full <= self.today {
            events.push(BulkEvent {
                kind: MemberEventKind::Converted,
                date: full,
                org_id: None,
                probationary: false,
            });
        }
        BulkMember {
            id,
            name,
            gender: p.gender,
            ethnicity,
            birth: p.birth,
            id_number: Some(id_number),
            native_place: Some(format!("吉林{}", p.village.county)),
            education: p.education,
            occupation,
            phone: None,
            village_post: p.post,
            retired: false,
            join_date: Some(p.join),
            province: None,
            events,
        }
    }
}

/// Age on 2012-12-31 of a member who joined before 2010: bands and weights.
const AGE_BANDS: [(u32, u32, f64); 6] = [
    (25, 35, 0.07),
    (36, 45, 0.17),
    (46, 55, 0.26),
    (56, 65, 0.24),
    (66, 75, 0.17),
    (76, 88, 0.09),
];

fn birth_for_age(rng: &mut StdRng, end: NaiveDate, age: u32) -> NaiveDate {
    let hi = end.checked_sub_months(Months::new(12 * age)).unwrap_or(end);
    let lo = end
        .checked_sub_months(Months::new(12 * (age + 1)))
        .unwrap_or(end)
        + Days::new(1);
    day_in(rng, lo, hi)
}

fn older_education(rng: &mut StdRng, birth: NaiveDate) -> Education {
    let r: f64 = rng.gen();
    let young = birth.year() >= 1970;
    let (college, tech, high) = if young {
        (0.08, 0.08, 0.24)
    } else {
        (0.02, 0.03, 0.12)
    };
    if r < college {
        Education::College
    } else if r < college + tech {
        Education::TechnicalSecondary
    } else if r < college + tech + high {
        Education::HighSchool
    } else {
        Education::JuniorOrBelow
    }
}

/// The roster of the city's villages as of `today` (after 2010), ids from 1 (the members
/// table is empty).
pub fn build(villages: &[Village], today: NaiveDate) -> Vec<BulkMember> {
    let mut g = Gen {
        rng: StdRng::seed_from_u64(2011),
        names: Names::new(2012),
        ids: HashSet::new(),
        next_id: 1,
        today,
    };
    let n = villages.len();
    let before_2010 = MEMBERS_2010 - NEW_2010.0;
    // Village sizes vary between about 25 and 85 members.
    let weights: Vec<f64> = (0..n)
        .map(|i| 1.0 + ((i * 37) % 61) as f64 / 25.0)
        .collect();
    let sizes = apportion(before_2010, &weights);
    let mut out = Vec::with_capacity(MEMBERS_2010 + 5_200);
    let (secretaries, dual) = SECRETARIES;
    for (vi, (v, &size)) in villages.iter().zip(&sizes).enumerate() {
        for k in 0..size {
            // The first member of a village is its secretary (aged 38–56), for all but the
            // last villages (1 383 − 1 369 have none serving).
            let post = (k == 0 && vi < secretaries).then_some(if vi < dual {
                VillagePost::SecretaryDirector
            } else {
                VillagePost::Secretary
            });
            let age = if post.is_some() {
                g.rng.gen_range(38..=56)
            } else {
                let r: f64 = g.rng.gen();
                let mut acc = 0.0;
                let mut band = AGE_BANDS[AGE_BANDS.len() - 1];
                for b in AGE_BANDS {
                    acc += b.2;
                    if r < acc {
                        band = b;
                        break;
                    }
                }
                g.rng.gen_range(band.0..=band.1)
            };
            let birth = birth_for_age(&mut g.rng, today, age);
            // Joined between 20 and 40, never after 2009.
            let join_age = g.rng.gen_range(20..=40u32);
            let earliest = birth
                .checked_add_months(Months::new(12 * 20))
                .unwrap_or(birth);
            let join = birth
                .checked_add_months(Months::new(12 * join_age))
                .unwrap_or(birth)
                .min(ymd(2009, 12, 20))
                .max(earliest.min(ymd(2009, 12, 20)));
            let join = join.max(ymd(1946, 1, 1));
            let gender = if post.is_some() {
                g.gender(0.03)
            } else {
                g.gender(0.17)
            };
            let education = if post.is_some() {
                [
                    Education::HighSchool,
                    Education::TechnicalSecondary,
                    Education::JuniorOrBelow,
                    Education::College,
                ][vi % 4]
            } else {
                older_education(&mut g.rng, birth)
            };
            out.push(g.member(Person {
                village: *v,
                gender,
                birth,
                join,
                education,
                post,
            }));
        }
    }
    // 2010: exactly the seed's 1 338, 735 aged 35 or under and 584 with high school or more
    // (ages away from the 35 line, so that the band is the same at joining and at year end).
    let (new_2010, young_2010, educated_2010) = NEW_2010;
    for i in 0..new_2010 {
        let v = villages[(i * 7919) % n];
        let young = i < young_2010;
        let educated = (i * 389) % new_2010 < educated_2010;
        let join = day_in(&mut g.rng, ymd(2010, 1, 10), ymd(2010, 12, 20));
        let age = if young {
            g.rng.gen_range(22..=33)
        } else {
            g.rng.gen_range(38..=52)
        };
        let birth = join
            .checked_sub_months(Months::new(12 * age + g.rng.gen_range(0..11)))
            .unwrap_or(join);
        let education = if educated {
            [
                Education::HighSchool,
                Education::TechnicalSecondary,
                Education::College,
            ][i % 3]
        } else {
            Education::JuniorOrBelow
        };
        let gender = g.gender(0.26);
        out.push(g.member(Person {
            village: v,
            gender,
            birth,
            join,
            education,
            post: None,
        }));
    }
    for (year, count) in (2011..).zip(NEW_LATER) {
        if ymd(year, 2, 10) > today {
            break;
        }
        for i in 0..count {
            let v = villages[(i * 4099 + year as usize) % n];
            let join = day_in(&mut g.rng, ymd(year, 2, 10), ymd(year, 12, 20).min(today));
            let age = if g.rng.gen_bool(0.55) {
                g.rng.gen_range(22..=35)
            } else {
                g.rng.gen_range(36..=50)
            };
            let birth = join
                .checked_sub_months(Months::new(12 * age + g.rng.gen_range(0..11)))
                .unwrap_or(join);
            let education = older_education(&mut g.rng, ymd(1980, 1, 1));
            let gender = g.gender(0.27);
            out.push(g.member(Person {
                village: v,
                gender,
                birth,
                join,
                education,
                post: None,
            }));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiceng_domain::age::age_on;
    use std::collections::HashMap;

    const TODAY: NaiveDate = match NaiveDate::from_ymd_opt(2014, 1, 31) {
        Some(d) => d,
        None => NaiveDate::MIN,
    };

    fn villages() -> Vec<Village> {
        (0..1383)
            .map(|i| Village {
                org_id: 10 + i,
                county_code: "220221",
                county: "永吉县",
            })
            .collect()
    }

    #[test]
    fn the_roster_gives_the_seed_figures() {
        let v = villages();
        let r = build(&v, TODAY);
        let on = |m: &BulkMember, d: NaiveDate| m.events[0].date <= d;
        let end_2010 = ymd(2010, 12, 31);
        assert_eq!(r.iter().filter(|m| on(m, end_2010)).count(), MEMBERS_2010);
        let new: Vec<&BulkMember> = r
            .iter()
            .filter(|m| m.events[0].date.year() == 2010)
            .collect();
        assert_eq!(new.len(), NEW_2010.0);
        let young = new
            .iter()
            .filter(|m| age_on(m.birth, m.events[0].date) <= 35 && age_on(m.birth, end_2010) <= 35)
            .count();
        assert_eq!(young, NEW_2010.1);
        let educated = new
            .iter()
            .filter(|m| m.education != Education::JuniorOrBelow)
            .count();
        assert_eq!(educated, NEW_2010.2);
        let secretaries = r
            .iter()
            .filter(|m| {
                matches!(
                    m.village_post,
                    Some(VillagePost::Secretary | VillagePost::SecretaryDirector)
                )
            })
            .count();
        assert_eq!(secretaries, SECRETARIES.0);
    }

    #[test]
    fn every_village_has_three_full_members_and_people_are_plausible() {
        let v = villages();
        let r = build(&v, TODAY);
        let end = TODAY;
        let mut full: HashMap<i64, usize> = HashMap::new();
        let mut seen = HashSet::new();
        for m in &r {
            let converted = m
                .events
                .iter()
                .any(|e| e.kind == MemberEventKind::Converted && e.date <= end);
            if converted {
                *full.entry(m.events[0].org_id.unwrap_or(0)).or_default() += 1;
            }
            let id = m.id_number.clone().unwrap_or_default();
            assert_eq!(id.len(), 18);
            assert_eq!(&id[6..14], m.birth.format("%Y%m%d").to_string());
            let digit = id[16..17].parse::<u32>().unwrap_or(0);
            assert_eq!(digit % 2 == 1, m.gender == Gender::Male, "{} {id}", m.name);
            let (_, given) = super::super::names::split(&m.name);
            assert_eq!(
                super::super::names::gender_of_given(given),
                Some(m.gender),
                "{}",
                m.name
            );
            assert!(
                seen.insert((m.name.clone(), m.birth)),
                "{} {} twice",
                m.name,
                m.birth
            );
            assert!(age_on(m.birth, m.events[0].date) >= 18, "{}", m.name);
        }
        for x in &v {
            let n = full.get(&x.org_id).copied().unwrap_or(0);
            assert!(n >= MIN_PER_VILLAGE, "village {}: {n}", x.org_id);
        }
        // The last year's new members are still probationary; nobody joins after today.
        assert!(r.iter().all(|m| m.events.iter().all(|e| e.date <= TODAY)));
        assert!(r
            .iter()
            .any(|m| m.events.len() == 1 && m.events[0].date.year() == 2013));
    }
}
