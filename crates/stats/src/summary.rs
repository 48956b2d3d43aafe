//! The county summary (seed 000 §一 layout) with full breakdowns.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use jiceng_domain::age::{age_band, age_on, seed_age_group, SeedAgeGroup, AGE_BANDS};
use jiceng_domain::codes::Coded;
use jiceng_domain::member::{Education, EducationSeedGroup, Gender, Occupation, VillagePost};
use jiceng_domain::org::{Field, OrgKind, SetupMode};
use serde::Serialize;

/// An org as it stood on the as-of date.
#[derive(Debug, Clone)]
pub struct OrgSnap {
    /// Id.
    pub id: i64,
    /// Kind.
    pub kind: OrgKind,
    /// Field.
    pub field: Field,
    /// Setup mode.
    pub setup_mode: SetupMode,
}

/// A member on the roster on the as-of date.
#[derive(Debug, Clone)]
pub struct MemberSnap {
    /// Org holding the membership on that date.
    pub org_id: i64,
    /// Probationary on that date.
    pub probationary: bool,
    /// Gender.
    pub gender: Gender,
    /// Birth date.
    pub birth: NaiveDate,
    /// Ethnicity code.
    pub ethnicity: String,
    /// Education.
    pub education: Education,
    /// Occupation.
    pub occupation: Occupation,
    /// Village post.
    pub village_post: Option<VillagePost>,
    /// Join date (for join eras), if known.
    pub join_date: Option<NaiveDate>,
}

/// A count with its share of the subtree total (percent, one decimal as in reports).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Share {
    /// Count.
    pub count: i64,
    /// Percentage of the total, rounded to 0.01.
    pub percent: f64,
}

fn share(count: i64, total: i64) -> Share {
    let percent = if total == 0 {
        0.0
    } else {
        (count as f64 * 10000.0 / total as f64).round() / 100.0
    };
    Share { count, percent }
}

/// Members block.
#[derive(Debug, Clone, Serialize)]
pub struct Members {
    /// Members on the roster.
    pub total: i64,
    /// Probationary.
    pub probationary: i64,
    /// Full.
    pub full: i64,
    /// Women.
    pub female: i64,
    /// Minorities.
    pub minority: i64,
    /// Seed age groups.
    pub age_seed: BTreeMap<&'static str, i64>,
    /// Seed education groups.
    pub education_seed: BTreeMap<&'static str, i64>,
    /// Shares of the headline figures.
    pub shares: BTreeMap<&'static str, Share>,
    /// Eight national age bands.
    pub age_bands: Vec<(String, Share)>,
    /// Education by 年报 column.
    pub education: BTreeMap<&'static str, Share>,
    /// Occupation classes.
    pub occupation: BTreeMap<&'static str, Share>,
    /// Join eras.
    pub join_era: BTreeMap<&'static str, Share>,
}

/// Orgs of one field.
#[derive(Debug, Clone, Serialize, Default)]
pub struct FieldOrgs {
    /// General branches.
    pub general_branches: i64,
    /// Branches.
    pub branches: i64,
    /// Basic committees.
    pub committees: i64,
    /// Members in orgs of the field.
    pub members: i64,
    /// Share of all members (percent).
    pub members_percent: f64,
}

/// Orgs block.
#[derive(Debug, Clone, Serialize)]
pub struct Orgs {
    /// Basic-level orgs (committees + general branches + branches).
    pub basic: i64,
    /// Committees (基层党委), including the subtree's top when it is one.
    pub committees: i64,
    /// General branches.
    pub general_branches: i64,
    /// Branches.
    pub branches: i64,
    /// By kind code.
    pub by_kind: BTreeMap<&'static str, i64>,
    /// By field code.
    pub by_field: BTreeMap<&'static str, FieldOrgs>,
    /// By setup mode code.
    pub by_setup_mode: BTreeMap<&'static str, i64>,
}

/// Village cadres block.
#[derive(Debug, Clone, Serialize)]
pub struct VillageCadres {
    /// Village cadres who are members.
    pub total: i64,
    /// Village Party secretaries.
    pub secretaries: i64,
    /// Village committee directors.
    pub directors: i64,
    /// Secretary and director in one person (一肩挑).
    pub dual_role: i64,
    /// 一肩挑 rate among secretaries (percent).
    pub dual_role_percent: f64,
}

/// The summary report.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// As-of date.
    pub as_of: String,
    /// Subtree root org id.
    pub org_id: i64,
    /// Subtree root name.
    pub org_name: String,
    /// Members.
    pub members: Members,
    /// Orgs.
    pub orgs: Orgs,
    /// Village cadres.
    pub village_cadres: VillageCadres,
}

fn seed_age_key(g: SeedAgeGroup) -> &'static str {
    match g {
        SeedAgeGroup::Le35 => "le35",
        SeedAgeGroup::From36To55 => "36_55",
        SeedAgeGroup::Gt55 => "gt55",
    }
}

fn seed_edu_key(g: EducationSeedGroup) -> &'static str {
    match g {
        EducationSeedGroup::CollegeOrAbove => "college_or_above",
        EducationSeedGroup::SecondaryOrHighSchool => "secondary_or_high_school",
        EducationSeedGroup::JuniorHighOrBelow => "junior_high_or_below",
    }
}

/// Keys of the join eras (before 1949; to Dec 1978; to Nov 2012; since), in time order ([`join_era_index`] indexes them).
pub const JOIN_ERAS: [&str; 4] = [
    "before_1949_10",
    "1949_10_to_1978_12",
    "1978_12_to_2012_11",
    "since_2012_11",
];

/// Index into [`JOIN_ERAS`] of a join date.
pub fn join_era_index(d: NaiveDate) -> usize {
    let ymd = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap_or(d);
    if d < ymd(1949, 10, 1) {
        0
    } else if d < ymd(1978, 12, 18) {
        1
    } else if d < ymd(2012, 11, 8) {
        2
    } else {
        3
    }
}

/// Join eras of the members' statistics.
pub fn join_era(d: NaiveDate) -> &'static str {
    JOIN_ERAS[join_era_index(d)]
}

/// Number of org kinds ([`OrgKind::ALL`]).
pub const KINDS: usize = 6;
/// Number of fields ([`Field::ALL`]).
pub const FIELDS: usize = 11;
/// Number of setup modes ([`SetupMode::ALL`]).
pub const SETUP_MODES: usize = 12;
/// Number of education columns ([`Education::ALL`]).
pub const EDUCATIONS: usize = 6;
/// Number of occupation classes ([`Occupation::ALL`]).
pub const OCCUPATIONS: usize = 8;
/// Number of village posts ([`VillagePost::ALL`]).
pub const VILLAGE_POSTS: usize = 6;

/// Position of a coded value in its table (`Coded::ALL`): the index used by [`Counts`].
pub fn code_index<T: Coded + PartialEq>(v: T) -> usize {
    T::ALL.iter().position(|x| *x == v).unwrap_or(0)
}

/// Seed age group of each of the eight national bands: the bands nest inside the seed
/// groups (≤35 = bands 0–1, 36–55 = bands 2–5, >55 = bands 6–7), so counting bands is
/// enough to know both.
pub fn band_seed_group(band: usize) -> SeedAgeGroup {
    // The oldest age of each band decides; `age_band` and `seed_age_group` are tested to
    // agree with this for every age.
    const OLDEST: [i32; 8] = [30, 35, 40, 45, 50, 55, 60, 61];
    seed_age_group(OLDEST[band.min(7)])
}

/// The raw counts behind a [`Summary`]: what a fold over the snapshot and the columnar
/// engine both produce, so that one function ([`summarize`]) turns either into the report
/// and the two paths can only differ in what they count, never in how it is presented.
///
/// Arrays are indexed by position in the code tables (`Coded::ALL`, see [`code_index`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Members on the roster.
    pub total: i64,
    /// Probationary members.
    pub probationary: i64,
    /// Women.
    pub female: i64,
    /// Minorities.
    pub minority: i64,
    /// Eight national age bands ([`AGE_BANDS`]).
    pub age_bands: [i64; 8],
    /// By education column.
    pub education: [i64; EDUCATIONS],
    /// By occupation class.
    pub occupation: [i64; OCCUPATIONS],
    /// By join era ([`JOIN_ERAS`]); members without a join date are in none.
    pub join_era: [i64; 4],
    /// Village cadres by post.
    pub village_posts: [i64; VILLAGE_POSTS],
    /// Orgs alive on the date, by kind and field.
    pub orgs: [[i64; FIELDS]; KINDS],
    /// Orgs alive on the date, by setup mode.
    pub setup_modes: [i64; SETUP_MODES],
    /// Members in orgs of each field.
    pub field_members: [i64; FIELDS],
}

fn add_all<const N: usize>(a: &mut [i64; N], b: &[i64; N]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += *y;
    }
}

impl Counts {
    /// Adds another set of counts (disjoint parts of one subtree).
    pub fn add(&mut self, o: &Counts) {
        self.total += o.total;
        self.probationary += o.probationary;
        self.female += o.female;
        self.minority += o.minority;
        add_all(&mut self.age_bands, &o.age_bands);
        add_all(&mut self.education, &o.education);
        add_all(&mut self.occupation, &o.occupation);
        add_all(&mut self.join_era, &o.join_era);
        add_all(&mut self.village_posts, &o.village_posts);
        for (a, b) in self.orgs.iter_mut().zip(&o.orgs) {
            add_all(a, b);
        }
        add_all(&mut self.setup_modes, &o.setup_modes);
        add_all(&mut self.field_members, &o.field_members);
    }

    /// Basic-level orgs alive (committees + general branches + branches).
    pub fn basic_orgs(&self) -> i64 {
        [OrgKind::Committee, OrgKind::GeneralBranch, OrgKind::Branch]
            .iter()
            .map(|k| self.orgs[code_index(*k)].iter().sum::<i64>())
            .sum()
    }
}

/// Counts of a snapshot: the direct fold that defines the report. `orgs` are the orgs of
/// the subtree existing on `as_of`; `members` those on the roster in them on that date.
pub fn count(as_of: NaiveDate, orgs: &[OrgSnap], members: &[MemberSnap]) -> Counts {
    let mut c = Counts::default();
    let mut per_org: HashMap<i64, i64> = HashMap::new();
    for m in members {
        c.total += 1;
        if m.probationary {
            c.probationary += 1;
        }
        if m.gender == Gender::Female {
            c.female += 1;
        }
        if jiceng_domain::ethnicity::is_minority(&m.ethnicity) {
            c.minority += 1;
        }
        c.age_bands[age_band(age_on(m.birth, as_of))] += 1;
        c.education[code_index(m.education)] += 1;
        c.occupation[code_index(m.occupation)] += 1;
        if let Some(j) = m.join_date {
            c.join_era[join_era_index(j)] += 1;
        }
        *per_org.entry(m.org_id).or_default() += 1;
        if let Some(p) = m.village_post {
            c.village_posts[code_index(p)] += 1;
        }
    }
    for o in orgs {
        let f = code_index(o.field);
        c.orgs[code_index(o.kind)][f] += 1;
        c.setup_modes[code_index(o.setup_mode)] += 1;
        c.field_members[f] += per_org.get(&o.id).copied().unwrap_or(0);
    }
    c
}

/// Computes the summary. `orgs` are the orgs of the subtree existing on `as_of`;
/// `members` those on the roster in them on that date.
pub fn compute(
    as_of: NaiveDate,
    org_id: i64,
    org_name: &str,
    orgs: &[OrgSnap],
    members: &[MemberSnap],
) -> Summary {
    summarize(as_of, org_id, org_name, &count(as_of, orgs, members))
}

/// Turns counts into the report (shares, keyed maps, derived groups).
pub fn summarize(as_of: NaiveDate, org_id: i64, org_name: &str, c: &Counts) -> Summary {
    let total = c.total;
    let mut age_seed: BTreeMap<&'static str, i64> = ["le35", "36_55", "gt55"]
        .into_iter()
        .map(|k| (k, 0))
        .collect();
    for (band, n) in c.age_bands.iter().enumerate() {
        *age_seed
            .entry(seed_age_key(band_seed_group(band)))
            .or_default() += n;
    }
    let mut education_seed: BTreeMap<&'static str, i64> = [
        "college_or_above",
        "secondary_or_high_school",
        "junior_high_or_below",
    ]
    .into_iter()
    .map(|k| (k, 0))
    .collect();
    for (e, n) in Education::ALL.iter().zip(c.education) {
        *education_seed
            .entry(seed_edu_key(e.seed_group()))
            .or_default() += n;
    }
    let mut by_kind: BTreeMap<&'static str, i64> = BTreeMap::new();
    for (k, row) in OrgKind::ALL.iter().zip(&c.orgs) {
        let n: i64 = row.iter().sum();
        if n > 0 {
            by_kind.insert(k.code(), n);
        }
    }
    let mut by_setup: BTreeMap<&'static str, i64> = BTreeMap::new();
    for (s, n) in SetupMode::ALL.iter().zip(c.setup_modes) {
        if n > 0 {
            by_setup.insert(s.code(), n);
        }
    }
    let mut by_field: BTreeMap<&'static str, FieldOrgs> = BTreeMap::new();
    for (fi, f) in Field::ALL.iter().enumerate() {
        let of = |k: OrgKind| c.orgs[code_index(k)][fi];
        if c.orgs.iter().map(|row| row[fi]).sum::<i64>() == 0 {
            continue;
        }
        by_field.insert(
            f.code(),
            FieldOrgs {
                general_branches: of(OrgKind::GeneralBranch),
                branches: of(OrgKind::Branch),
                committees: of(OrgKind::Committee),
                members: c.field_members[fi],
                members_percent: share(c.field_members[fi], total).percent,
            },
        );
    }
    let count_kind = |k: OrgKind| by_kind.get(k.code()).copied().unwrap_or(0);
    let committees = count_kind(OrgKind::Committee);
    let general_branches = count_kind(OrgKind::GeneralBranch);
    let branches = count_kind(OrgKind::Branch);
    let mut shares = BTreeMap::new();
    shares.insert("probationary", share(c.probationary, total));
    shares.insert("female", share(c.female, total));
    shares.insert("minority", share(c.minority, total));
    for (k, v) in &age_seed {
        shares.insert(k, share(*v, total));
    }
    for (k, v) in &education_seed {
        shares.insert(k, share(*v, total));
    }
    let (mut vc, mut sec, mut dir, mut dual) = (0, 0, 0, 0);
    for (p, n) in VillagePost::ALL.iter().zip(c.village_posts) {
        vc += n;
        if p.is_secretary() {
            sec += n;
        }
        if p.is_director() {
            dir += n;
        }
        if *p == VillagePost::SecretaryDirector {
            dual += n;
        }
    }
    Summary {
        as_of: as_of.to_string(),
        org_id,
        org_name: org_name.to_string(),
        members: Members {
            total,
            probationary: c.probationary,
            full: total - c.probationary,
            female: c.female,
            minority: c.minority,
            age_seed,
            education_seed,
            shares,
            age_bands: AGE_BANDS
                .iter()
                .zip(c.age_bands)
                .map(|(l, n)| (l.to_string(), share(n, total)))
                .collect(),
            education: Education::ALL
                .iter()
                .zip(c.education)
                .map(|(e, n)| (e.code(), share(n, total)))
                .collect(),
            occupation: Occupation::ALL
                .iter()
                .zip(c.occupation)
                .map(|(o, n)| (o.code(), share(n, total)))
                .collect(),
            join_era: JOIN_ERAS
                .iter()
                .zip(c.join_era)
                .filter(|(_, n)| *n > 0)
                .map(|(k, n)| (*k, share(n, total)))
                .collect(),
        },
        orgs: Orgs {
            basic: committees + general_branches + branches,
            committees,
            general_branches,
            branches,
            by_kind,
            by_field,
            by_setup_mode: by_setup,
        },
        village_cadres: VillageCadres {
            total: vc,
            secretaries: sec,
            directors: dir,
            dual_role: dual,
            dual_role_percent: share(dual, sec).percent,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn member(org: i64, birth: NaiveDate, g: Gender, e: Education) -> MemberSnap {
        MemberSnap {
            org_id: org,
            probationary: false,
            gender: g,
            birth,
            ethnicity: "01".into(),
            education: e,
            occupation: Occupation::Farmer,
            village_post: None,
            join_date: Some(d(1990, 7, 1)),
        }
    }

    #[test]
    fn counts_and_boundaries() {
        let orgs = vec![
            OrgSnap {
                id: 1,
                kind: OrgKind::Committee,
                field: Field::Organ,
                setup_mode: SetupMode::Standalone,
            },
            OrgSnap {
                id: 2,
                kind: OrgKind::Branch,
                field: Field::Rural,
                setup_mode: SetupMode::Standalone,
            },
        ];
        let asof = d(2004, 12, 31);
        let mut ms = vec![
            member(2, d(1969, 12, 31), Gender::Female, Education::College), // 35 → le35
            member(2, d(1968, 12, 31), Gender::Male, Education::HighSchool), // 36
            member(2, d(1949, 12, 31), Gender::Male, Education::JuniorOrBelow), // 55
            member(
                1,
                d(1948, 12, 31),
                Gender::Male,
                Education::TechnicalSecondary,
            ), // 56
        ];
        ms[0].probationary = true;
        ms[1].village_post = Some(VillagePost::SecretaryDirector);
        let s = compute(asof, 1, "x", &orgs, &ms);
        assert_eq!(s.members.total, 4);
        assert_eq!(s.members.probationary, 1);
        assert_eq!(s.members.female, 1);
        assert_eq!(s.members.age_seed["le35"], 1);
        assert_eq!(s.members.age_seed["36_55"], 2);
        assert_eq!(s.members.age_seed["gt55"], 1);
        assert_eq!(s.members.education_seed["college_or_above"], 1);
        assert_eq!(s.members.education_seed["secondary_or_high_school"], 2);
        assert_eq!(s.orgs.by_field["rural"].branches, 1);
        assert_eq!(s.orgs.by_field["rural"].members, 3);
        assert_eq!(s.village_cadres.secretaries, 1);
        assert_eq!(s.village_cadres.directors, 1);
        assert_eq!(s.village_cadres.dual_role, 1);
        assert_eq!(s.members.shares["female"].percent, 25.0);
    }

    #[test]
    fn eras() {
        assert_eq!(join_era(d(1949, 9, 30)), "before_1949_10");
        assert_eq!(join_era(d(1949, 10, 1)), "1949_10_to_1978_12");
        assert_eq!(join_era(d(1978, 12, 18)), "1978_12_to_2012_11");
        assert_eq!(join_era(d(2012, 11, 8)), "since_2012_11");
    }

    proptest! {
        /// Every partition of the members adds up to the total.
        #[test]
        fn partitions_sum(births in proptest::collection::vec(0i64..30000, 0..200)) {
            let orgs = vec![OrgSnap { id: 1, kind: OrgKind::Branch, field: Field::Rural, setup_mode: SetupMode::Standalone }];
            let ms: Vec<MemberSnap> = births.iter().enumerate().map(|(i, b)| member(
                1,
                d(1920, 1, 1) + chrono::Days::new(*b as u64),
                if i % 3 == 0 { Gender::Female } else { Gender::Male },
                Education::ALL[i % Education::ALL.len()],
            )).collect();
            let s = compute(d(2004, 12, 31), 1, "x", &orgs, &ms);
            let n = ms.len() as i64;
            prop_assert_eq!(s.members.age_seed.values().sum::<i64>(), n);
            prop_assert_eq!(s.members.education_seed.values().sum::<i64>(), n);
            prop_assert_eq!(s.members.age_bands.iter().map(|(_, x)| x.count).sum::<i64>(), n);
            prop_assert_eq!(s.members.education.values().map(|x| x.count).sum::<i64>(), n);
            prop_assert_eq!(s.members.occupation.values().map(|x| x.count).sum::<i64>(), n);
            prop_assert_eq!(s.orgs.by_field["rural"].members, n);
        }
    }

    /// The summary as computed before the counts were split out (kept verbatim, so the
    /// refactor is checked against the original definition).
    fn legacy_compute(
        as_of: NaiveDate,
        org_id: i64,
        org_name: &str,
        orgs: &[OrgSnap],
        members: &[MemberSnap],
    ) -> Summary {
        let total = members.len() as i64;
        let mut probationary = 0;
        let mut female = 0;
        let mut minority = 0;
        let mut age_seed: BTreeMap<&'static str, i64> = ["le35", "36_55", "gt55"]
            .into_iter()
            .map(|k| (k, 0))
            .collect();
        let mut education_seed: BTreeMap<&'static str, i64> = [
            "college_or_above",
            "secondary_or_high_school",
            "junior_high_or_below",
        ]
        .into_iter()
        .map(|k| (k, 0))
        .collect();
        let mut bands = [0i64; 8];
        let mut edu: HashMap<Education, i64> = HashMap::new();
        let mut occ: HashMap<Occupation, i64> = HashMap::new();
        let mut era: BTreeMap<&'static str, i64> = BTreeMap::new();
        let mut per_org: HashMap<i64, i64> = HashMap::new();
        let (mut vc, mut sec, mut dir, mut dual) = (0, 0, 0, 0);
        for m in members {
            if m.probationary {
                probationary += 1;
            }
            if m.gender == Gender::Female {
                female += 1;
            }
            if jiceng_domain::ethnicity::is_minority(&m.ethnicity) {
                minority += 1;
            }
            let age = age_on(m.birth, as_of);
            *age_seed
                .entry(seed_age_key(seed_age_group(age)))
                .or_default() += 1;
            bands[age_band(age)] += 1;
            *education_seed
                .entry(seed_edu_key(m.education.seed_group()))
                .or_default() += 1;
            *edu.entry(m.education).or_default() += 1;
            *occ.entry(m.occupation).or_default() += 1;
            if let Some(j) = m.join_date {
                *era.entry(join_era(j)).or_default() += 1;
            }
            *per_org.entry(m.org_id).or_default() += 1;
            if let Some(p) = m.village_post {
                vc += 1;
                if p.is_secretary() {
                    sec += 1;
                }
                if p.is_director() {
                    dir += 1;
                }
                if p == VillagePost::SecretaryDirector {
                    dual += 1;
                }
            }
        }
        let mut by_kind: BTreeMap<&'static str, i64> = BTreeMap::new();
        let mut by_setup: BTreeMap<&'static str, i64> = BTreeMap::new();
        let mut by_field: BTreeMap<&'static str, FieldOrgs> = BTreeMap::new();
        for o in orgs {
            *by_kind.entry(o.kind.code()).or_default() += 1;
            *by_setup.entry(o.setup_mode.code()).or_default() += 1;
            let f = by_field.entry(o.field.code()).or_default();
            match o.kind {
                OrgKind::GeneralBranch => f.general_branches += 1,
                OrgKind::Branch => f.branches += 1,
                OrgKind::Committee => f.committees += 1,
                _ => {}
            }
            f.members += per_org.get(&o.id).copied().unwrap_or(0);
        }
        for f in by_field.values_mut() {
            f.members_percent = share(f.members, total).percent;
        }
        let count_kind = |k: OrgKind| by_kind.get(k.code()).copied().unwrap_or(0);
        let committees = count_kind(OrgKind::Committee);
        let general_branches = count_kind(OrgKind::GeneralBranch);
        let branches = count_kind(OrgKind::Branch);
        let mut shares = BTreeMap::new();
        shares.insert("probationary", share(probationary, total));
        shares.insert("female", share(female, total));
        shares.insert("minority", share(minority, total));
        for (k, v) in &age_seed {
            shares.insert(k, share(*v, total));
        }
        for (k, v) in &education_seed {
            shares.insert(k, share(*v, total));
        }
        Summary {
            as_of: as_of.to_string(),
            org_id,
            org_name: org_name.to_string(),
            members: Members {
                total,
                probationary,
                full: total - probationary,
                female,
                minority,
                age_seed,
                education_seed,
                shares,
                age_bands: AGE_BANDS
                    .iter()
                    .zip(bands)
                    .map(|(l, c)| (l.to_string(), share(c, total)))
                    .collect(),
                education: Education::ALL
                    .iter()
                    .map(|e| (e.code(), share(edu.get(e).copied().unwrap_or(0), total)))
                    .collect(),
                occupation: Occupation::ALL
                    .iter()
                    .map(|o| (o.code(), share(occ.get(o).copied().unwrap_or(0), total)))
                    .collect(),
                join_era: era.into_iter().map(|(k, v)| (k, share(v, total))).collect(),
            },
            orgs: Orgs {
                basic: committees + general_branches + branches,
                committees,
                general_branches,
                branches,
                by_kind,
                by_field,
                by_setup_mode: by_setup,
            },
            village_cadres: VillageCadres {
                total: vc,
                secretaries: sec,
                directors: dir,
                dual_role: dual,
                dual_role_percent: share(dual, sec).percent,
            },
        }
    }

    #[test]
    fn bands_nest_in_seed_groups() {
        for age in -10..150 {
            assert_eq!(
                band_seed_group(age_band(age)),
                seed_age_group(age),
                "age {age}"
            );
        }
    }

    #[test]
    fn code_index_is_table_position() {
        for (i, k) in OrgKind::ALL.iter().enumerate() {
            assert_eq!(code_index(*k), i);
        }
        assert_eq!(OrgKind::ALL.len(), KINDS);
        assert_eq!(Field::ALL.len(), FIELDS);
        assert_eq!(SetupMode::ALL.len(), SETUP_MODES);
        assert_eq!(Education::ALL.len(), EDUCATIONS);
        assert_eq!(Occupation::ALL.len(), OCCUPATIONS);
        assert_eq!(VillagePost::ALL.len(), VILLAGE_POSTS);
        for (i, k) in JOIN_ERAS.iter().enumerate() {
            let sample = [d(1940, 1, 1), d(1960, 1, 1), d(1990, 1, 1), d(2020, 1, 1)][i];
            assert_eq!(join_era(sample), *k);
        }
    }

    fn arb_snapshot() -> impl Strategy<Value = (Vec<OrgSnap>, Vec<MemberSnap>, i64)> {
        let org = (0usize..6, 0usize..11, 0usize..12);
        let mem = (
            0i64..8,
            any::<bool>(),
            any::<bool>(),
            0i64..40000,
            0usize..4,
            0usize..6,
            0usize..8,
            0usize..7,
            proptest::option::of(0i64..36000),
        );
        (
            proptest::collection::vec(org, 0..8),
            proptest::collection::vec(mem, 0..60),
            0i64..40000,
        )
            .prop_map(|(orgs, mems, asof)| {
                let orgs = orgs
                    .into_iter()
                    .enumerate()
                    .map(|(i, (k, f, s))| OrgSnap {
                        id: i as i64,
                        kind: OrgKind::ALL[k],
                        field: Field::ALL[f],
                        setup_mode: SetupMode::ALL[s],
                    })
                    .collect();
                let base = d(1900, 1, 1);
                let mems = mems
                    .into_iter()
                    .map(|(o, p, g, b, eth, e, oc, vp, j)| MemberSnap {
                        org_id: o,
                        probationary: p,
                        gender: if g { Gender::Female } else { Gender::Male },
                        birth: base + chrono::Days::new(b as u64),
                        ethnicity: ["01", "02", "汉族", "97"][eth].to_string(),
                        education: Education::ALL[e],
                        occupation: Occupation::ALL[oc],
                        village_post: VillagePost::ALL.get(vp).copied(),
                        join_date: j.map(|j| base + chrono::Days::new(j as u64)),
                    })
                    .collect();
                (orgs, mems, asof)
            })
    }

    proptest! {
        /// Counting then summarizing gives exactly what the original one-pass computation gave.
        #[test]
        fn split_matches_original((orgs, members, asof) in arb_snapshot()) {
            let as_of = d(1900, 1, 1) + chrono::Days::new(asof as u64);
            let new = serde_json::to_value(compute(as_of, 1, "x", &orgs, &members)).unwrap();
            let old = serde_json::to_value(legacy_compute(as_of, 1, "x", &orgs, &members)).unwrap();
            prop_assert_eq!(new, old);
        }
    }
}
