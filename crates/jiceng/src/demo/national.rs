//! Synthetic national-shaped data (issue 4): `jiceng demo --profile national|province|
//! county-synthetic --scale N`.
//!
//! # Shape
//!
//! * `national`: a root, the 31 provinces (weighted roughly by population), their cities,
//!   about one county per 35 000 members (so ~2 865 at the full 100.271 M), each county with
//!   townships and streets, sector bodies (机关工委, 教育工委, 两新工委, 卫健系统党委,
//!   国资委党委) and under them the units: villages, communities, organs, institutions,
//!   schools, state and private enterprises, social organisations, cooperatives — each a
//!   branch, a general branch with branches, or a committee with general branches and
//!   branches.
//! * `province`: one province (山东) with its cities and counties; `county-synthetic`: one
//!   county.
//!
//! Basic-level orgs are about `N × 5.250 / 100.271` (the 2024 bulletin's 5.250 M for
//! 100.271 M members), committees : general branches : branches about 0.306 : 0.330 : 4.614,
//! and the sectors take the bulletin's shares (organs 14.9 %, institutions 19.3 %,
//! enterprises 30.9 %, social organisations 3.5 %, the rest townships, villages, streets and
//! communities). Local committees above the county (root, provinces, cities, counties) are
//! kind `committee` too, which adds ~0.06 % to the committees at full scale.
//!
//! # Members
//!
//! Exactly `N` members are on the roster on 2024-12-31 (the bulletin's date, also written as
//! the deployment's `reference_date`), plus 3 % who left before it (died or transferred
//! out). Occupation follows the org's field, age band the occupation, single age the band,
//! join era the age, education the occupation — each conditional table fitted by iterative
//! proportional fitting so that the marginals are the bulletin's: 30.9 % women, 7.7 %
//! minorities (concentrated by province), the 8 age bands, the 4 join eras, the 8
//! occupation classes, 57.6 % with junior college or above. Members who joined before their
//! org was founded start in an older org of the county and move in (a `moved` event); the
//! members of the few dissolved orgs move to a live one on the dissolution date; conversion
//! follows a year after joining. ID numbers are valid GB 11643 numbers (county division
//! code, birth date, sequence, check digit), encrypted like any other.
//!
//! Everything is deterministic for a given `--seed` (SplitMix64).
//!
//! # Output
//!
//! * the database, through [`jiceng_store::bulk`] (one `demo.bulk_load` audit entry);
//! * with `--csv DIR`: `orgs.csv` (depth-first position and subtree end), `members.csv` and
//!   `events.csv` (what the engine loads), `intervals.csv` (member intervals computed by
//!   the engine's own [`member_spans`], what DuckDB and PostgreSQL get) and `meta.json`
//!   (the subtrees and dates the benchmark queries).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use chrono::{Datelike, Days, Months, NaiveDate};
use jiceng_domain::codes::Coded;
use jiceng_domain::member::{
    Education, EventLite, Gender, MemberEventKind as K, Occupation, VillagePost,
};
use jiceng_domain::org::{Field, OrgKind, SetupMode};
use jiceng_stats::engine::history::first_joined;
use jiceng_stats::engine::member_spans;
use jiceng_stats::summary::code_index;
use jiceng_store::bulk::{BulkEvent, BulkMember, BulkOrg};
use jiceng_store::{Scope, Store};

/// Which tree to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Root → 31 provinces → cities → counties → …
    National,
    /// One province → cities → counties → …
    Province,
    /// One county → townships and sectors → …
    County,
}

impl Profile {
    /// From the `--profile` value.
    pub fn parse(s: &str) -> Option<Profile> {
        match s {
            "national" => Some(Profile::National),
            "province" => Some(Profile::Province),
            "county-synthetic" => Some(Profile::County),
            _ => None,
        }
    }
    fn name(self) -> &'static str {
        match self {
            Profile::National => "national",
            Profile::Province => "province",
            Profile::County => "county-synthetic",
        }
    }
}

/// Generator options.
#[derive(Debug, Clone)]
pub struct Options {
    /// Tree shape.
    pub profile: Profile,
    /// Members on the roster at [`as_of`].
    pub scale: u64,
    /// Seed.
    pub seed: u64,
    /// Also write CSV files here.
    pub csv: Option<PathBuf>,
}

/// The bulletin's date: every figure is "as of" it.
pub fn as_of() -> NaiveDate {
    ymd(2024, 12, 31)
}

/// The past date the benchmark also asks about.
pub fn past_date() -> NaiveDate {
    ymd(2015, 12, 31)
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// Members per batch handed to the database (one SQLite transaction / one COPY each).
const BATCH: usize = 50_000;
/// Share of members who left before the as-of date, on top of the `N` on the roster.
const DEPARTED: f64 = 0.03;
/// Members of a county at full scale (100.271 M / ~2 865 counties).
const COUNTY_MEMBERS: f64 = 35_000.0;
/// Basic-level orgs per member (2024 bulletin).
const ORGS_PER_MEMBER: f64 = 5.250 / 100.271;

// ---------------------------------------------------------------------------------------
// Random numbers and sampling
// ---------------------------------------------------------------------------------------

/// SplitMix64: deterministic, fast, good enough for synthetic data.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n <= 1 {
            0
        } else {
            self.next() % n
        }
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn days(&mut self, lo: NaiveDate, hi_incl: NaiveDate) -> NaiveDate {
        let span = (hi_incl - lo).num_days().max(0) as u64;
        lo + Days::new(self.below(span + 1))
    }
}

/// A cumulative distribution over `0..n`.
#[derive(Debug, Clone)]
struct Cdf(Vec<f64>);

impl Cdf {
    fn new(weights: &[f64]) -> Cdf {
        let total: f64 = weights.iter().map(|w| w.max(0.0)).sum();
        let mut acc = 0.0;
        let mut out = Vec::with_capacity(weights.len());
        for w in weights {
            acc += if total > 0.0 { w.max(0.0) / total } else { 0.0 };
            out.push(acc);
        }
        Cdf(out)
    }
    fn sample(&self, r: &mut Rng) -> usize {
        let u = r.unit();
        let i = self.0.partition_point(|c| *c <= u);
        // A row of zeros (impossible cell) falls back to the last index.
        i.min(self.0.len().saturating_sub(1))
    }
}

/// Iterative proportional fitting: scales `prior` (rows × cols, zeros stay zero) until its
/// row sums are `rows` and its column sums `cols` (both normalised to the same total).
fn ipf(prior: &[Vec<f64>], rows: &[f64], cols: &[f64]) -> Vec<Vec<f64>> {
    let rt: f64 = rows.iter().sum();
    let ct: f64 = cols.iter().sum();
    let cols: Vec<f64> = cols
        .iter()
        .map(|c| c * rt / ct.max(f64::MIN_POSITIVE))
        .collect();
    let mut m: Vec<Vec<f64>> = prior.to_vec();
    for _ in 0..500 {
        for (row, want) in m.iter_mut().zip(rows) {
            let s: f64 = row.iter().sum();
            if s > 0.0 {
                row.iter_mut().for_each(|x| *x *= want / s);
            }
        }
        let mut worst: f64 = 0.0;
        for (j, want) in cols.iter().enumerate() {
            let s: f64 = m.iter().map(|r| r[j]).sum();
            if s > 0.0 {
                worst = worst.max((s - want).abs() / want.max(1e-12));
                m.iter_mut().for_each(|r| r[j] *= want / s);
            }
        }
        if worst < 1e-9 {
            break;
        }
    }
    m
}

/// Conditional samplers `P(col | row)` of a joint table.
fn conditionals(joint: &[Vec<f64>]) -> Vec<Cdf> {
    joint.iter().map(|r| Cdf::new(r)).collect()
}

// ---------------------------------------------------------------------------------------
// The bulletin's distributions, in 万
// ---------------------------------------------------------------------------------------

/// Eight age bands: ≤30, 31–35, 36–40, 41–45, 46–50, 51–55, 56–60, ≥61.
const AGE_BANDS: [f64; 8] = [1227.2, 1076.4, 1147.5, 968.7, 904.1, 941.2, 864.6, 2897.3];
/// Join eras: before 1949-10, to 1978-12-18, to 2012-11-08, since.
const ERAS: [f64; 4] = [5.4, 1230.9, 5980.0, 2810.8];
/// Occupation classes in [`Occupation::ALL`] order.
const OCCUPATIONS: [f64; 8] = [663.9, 2614.4, 1639.4, 1156.3, 759.2, 262.2, 784.9, 2146.9];
/// Education in [`Education::ALL`] order; the first three (大专及以上) make 57.6 %.
const EDUCATION: [f64; 6] = [4.3, 29.5, 23.8, 7.0, 11.4, 24.0];
/// Women.
const FEMALE: f64 = 3099.5 / 10027.1;
/// Ethnic minorities.
const MINORITY: f64 = 773.4 / 10027.1;

/// Field order used by the generator's tables.
const FIELDS: [Field; 9] = [
    Field::Rural,
    Field::Community,
    Field::Organ,
    Field::Institution,
    Field::School,
    Field::StateEnterprise,
    Field::PrivateEnterprise,
    Field::SocialOrg,
    Field::Cooperative,
];

fn field_row(f: Field) -> usize {
    FIELDS.iter().position(|x| *x == f).unwrap_or(0)
}

/// Share of a county's basic orgs per field (in [`FIELDS`] order).
const FIELD_ORGS: [f64; 9] = [
    0.252, 0.075, 0.149, 0.130, 0.063, 0.085, 0.206, 0.035, 0.005,
];

/// Occupation affinity by field (rows [`FIELDS`], columns [`Occupation::ALL`]).
const FIELD_OCC: [[f64; 8]; 9] = [
    [0.3, 10.0, 0.1, 0.1, 0.1, 0.05, 1.0, 3.0],
    [1.0, 0.3, 0.5, 0.5, 0.2, 0.1, 3.0, 8.0],
    [0.2, 0.0, 0.3, 0.3, 10.0, 0.0, 0.5, 1.5],
    [0.5, 0.0, 8.0, 2.0, 0.3, 0.2, 0.5, 2.0],
    [0.2, 0.0, 6.0, 1.0, 0.1, 6.0, 0.3, 1.0],
    [6.0, 0.0, 3.0, 4.0, 0.1, 0.0, 0.5, 2.0],
    [5.0, 0.2, 3.0, 4.0, 0.0, 0.0, 1.0, 0.3],
    [0.5, 0.0, 3.0, 3.0, 0.0, 0.0, 3.0, 1.0],
    [1.0, 8.0, 0.5, 1.0, 0.0, 0.0, 1.0, 0.5],
];

/// Age-band affinity by occupation (rows [`Occupation::ALL`], columns the 8 bands).
const OCC_BAND: [[f64; 8]; 8] = [
    [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.6, 0.05],
    [0.5, 0.6, 0.7, 0.8, 1.0, 1.0, 1.0, 1.2],
    [1.0, 1.2, 1.2, 1.0, 1.0, 0.9, 0.6, 0.05],
    [0.5, 0.9, 1.2, 1.2, 1.2, 1.0, 0.7, 0.05],
    [0.8, 1.0, 1.2, 1.2, 1.2, 1.1, 0.7, 0.02],
    [10.0, 0.3, 0.05, 0.0, 0.0, 0.0, 0.0, 0.0],
    [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
    [0.0, 0.0, 0.0, 0.0, 0.02, 0.3, 1.0, 5.0],
];

/// Education affinity by occupation (rows [`Occupation::ALL`], columns [`Education::ALL`]).
const OCC_EDU: [[f64; 6]; 8] = [
    [0.05, 0.5, 1.0, 1.0, 1.0, 0.8],
    [0.0, 0.05, 0.2, 0.5, 1.0, 3.0],
    [1.0, 3.0, 1.5, 0.3, 0.1, 0.02],
    [0.5, 2.0, 1.5, 0.4, 0.3, 0.1],
    [0.8, 3.0, 1.2, 0.2, 0.1, 0.02],
    [1.5, 3.0, 1.0, 0.1, 0.05, 0.0],
    [0.1, 0.8, 1.0, 0.6, 0.6, 0.6],
    [0.05, 0.5, 0.6, 0.6, 0.8, 1.2],
];

/// Youngest and oldest age generated.
const MIN_AGE: u32 = 18;
const MAX_AGE: u32 = 100;

/// Band index of an age (as the report's bands).
fn band_of_age(a: u32) -> usize {
    match a {
        0..=30 => 0,
        31..=35 => 1,
        36..=40 => 2,
        41..=45 => 3,
        46..=50 => 4,
        51..=55 => 5,
        56..=60 => 6,
        _ => 7,
    }
}

/// Relative frequency of a single age within its band.
fn age_weight(a: u32) -> f64 {
    match a {
        18 => 0.15,
        19 => 0.3,
        20 => 0.5,
        21 => 0.7,
        22 => 0.9,
        76.. => 0.85f64.powi((a - 75) as i32),
        _ => 1.0,
    }
}

/// Era boundaries (exclusive ends), as the report's.
fn era_bounds() -> [(NaiveDate, NaiveDate); 4] {
    [
        (ymd(1921, 7, 1), ymd(1949, 10, 1)),
        (ymd(1949, 10, 1), ymd(1978, 12, 18)),
        (ymd(1978, 12, 18), ymd(2012, 11, 8)),
        (ymd(2012, 11, 8), as_of() + Days::new(1)),
    ]
}

/// The fitted conditional tables.
struct Tables {
    /// Occupation given field row.
    occ: Vec<Cdf>,
    /// Band given occupation.
    band: Vec<Cdf>,
    /// Single age given band: (ages, cdf).
    age: Vec<(Vec<u32>, Cdf)>,
    /// Era given age (indexed by `age - MIN_AGE`).
    era: Vec<Cdf>,
    /// Education given occupation.
    edu: Vec<Cdf>,
}

impl Tables {
    fn fit(field_members: &[f64; 9]) -> Tables {
        let occ_prior: Vec<Vec<f64>> = FIELD_OCC.iter().map(|r| r.to_vec()).collect();
        let occ = conditionals(&ipf(&occ_prior, field_members, &OCCUPATIONS));
        let band_prior: Vec<Vec<f64>> = OCC_BAND.iter().map(|r| r.to_vec()).collect();
        let band = conditionals(&ipf(&band_prior, &OCCUPATIONS, &AGE_BANDS));
        let edu_prior: Vec<Vec<f64>> = OCC_EDU.iter().map(|r| r.to_vec()).collect();
        let edu = conditionals(&ipf(&edu_prior, &OCCUPATIONS, &EDUCATION));
        let mut age = Vec::new();
        let mut age_share = vec![0.0; (MAX_AGE - MIN_AGE + 1) as usize];
        for (b, share) in AGE_BANDS.iter().enumerate() {
            let ages: Vec<u32> = (MIN_AGE..=MAX_AGE)
                .filter(|a| band_of_age(*a) == b)
                .collect();
            let w: Vec<f64> = ages.iter().map(|a| age_weight(*a)).collect();
            let tw: f64 = w.iter().sum();
            for (a, x) in ages.iter().zip(&w) {
                age_share[(a - MIN_AGE) as usize] = share * x / tw;
            }
            age.push((ages, Cdf::new(&w)));
        }
        // Prior for (age, era): the years of the era in which the member was 18 or older,
        // weighted towards joining young (as most do).
        let bounds = era_bounds();
        let era_prior: Vec<Vec<f64>> = (MIN_AGE..=MAX_AGE)
            .map(|a| {
                let born = 2024.5 - f64::from(a);
                bounds
                    .iter()
                    .map(|(s, e)| {
                        let (s, e) = (year_frac(*s), year_frac(*e));
                        let mut w = 0.0;
                        let mut y = born + 18.0;
                        while y < 2025.0 {
                            let lo = y.max(s);
                            let hi = (y + 1.0).min(e).min(2025.0);
                            if hi > lo {
                                let join_age = y - born;
                                let pref = if join_age <= 40.0 {
                                    1.0
                                } else {
                                    0.93f64.powf(join_age - 40.0)
                                };
                                w += (hi - lo) * pref;
                            }
                            y += 1.0;
                        }
                        w
                    })
                    .collect()
            })
            .collect();
        let era = conditionals(&ipf(&era_prior, &age_share, &ERAS));
        Tables {
            occ,
            band,
            age,
            era,
            edu,
        }
    }
}

fn year_frac(d: NaiveDate) -> f64 {
    f64::from(d.year()) + f64::from(d.ordinal0()) / 365.25
}

// ---------------------------------------------------------------------------------------
// The tree
// ---------------------------------------------------------------------------------------

/// Provinces: GB/T 2260 code, short name, weight (roughly members in 10 000s).
const PROVINCES: [(&str, &str, f64); 31] = [
    ("11", "北京", 230.0),
    ("12", "天津", 120.0),
    ("13", "河北", 530.0),
    ("14", "山西", 330.0),
    ("15", "内蒙古", 180.0),
    ("21", "辽宁", 330.0),
    ("22", "吉林", 180.0),
    ("23", "黑龙江", 230.0),
    ("31", "上海", 220.0),
    ("32", "江苏", 580.0),
    ("33", "浙江", 430.0),
    ("34", "安徽", 370.0),
    ("35", "福建", 230.0),
    ("36", "江西", 270.0),
    ("37", "山东", 770.0),
    ("41", "河南", 690.0),
    ("42", "湖北", 410.0),
    ("43", "湖南", 430.0),
    ("44", "广东", 590.0),
    ("45", "广西", 260.0),
    ("46", "海南", 60.0),
    ("50", "重庆", 180.0),
    ("51", "四川", 550.0),
    ("52", "贵州", 200.0),
    ("53", "云南", 270.0),
    ("54", "西藏", 50.0),
    ("61", "陕西", 300.0),
    ("62", "甘肃", 170.0),
    ("63", "青海", 50.0),
    ("64", "宁夏", 50.0),
    ("65", "新疆", 160.0),
];

/// Relative minority rate and the main minority (GB/T 3304 code) of a province.
fn minority_profile(code: &str) -> (f64, &'static str) {
    match code {
        "54" => (12.0, "04"),
        "65" => (9.0, "05"),
        "45" => (5.0, "08"),
        "63" => (6.0, "04"),
        "64" => (4.5, "03"),
        "52" => (4.5, "06"),
        "53" => (4.5, "07"),
        "15" => (2.5, "02"),
        "22" => (1.5, "10"),
        "21" => (2.0, "11"),
        "46" => (1.8, "17"),
        "43" | "42" | "50" => (1.3, "15"),
        "13" => (0.8, "11"),
        _ => (0.3, "03"),
    }
}

/// Other minority codes, for members not of their province's main minority.
const MINORITY_CODES: [&str; 12] = [
    "08", "11", "03", "06", "05", "15", "07", "02", "04", "10", "12", "13",
];

const CITY_CHARS: [&str; 20] = [
    "东", "西", "南", "北", "中", "新", "安", "平", "华", "兴", "宁", "丰", "泰", "昌", "康", "临",
    "永", "德", "清", "广",
];
const COUNTY_CHARS: [&str; 20] = [
    "阳", "山", "河", "城", "江", "源", "川", "林", "桥", "口", "台", "关", "溪", "岭", "湖", "坪",
    "塘", "原", "店", "集",
];
const PLACE_WORDS: [&str; 24] = [
    "红旗", "张庄", "李家", "王岗", "向阳", "团结", "东风", "前进", "和平", "新华", "胜利", "光明",
    "石桥", "柳林", "杨庄", "马集", "刘湾", "陈楼", "高坪", "白沙", "青山", "黄土", "双河", "大王",
];
const ORGANS: [&str; 31] = [
    "县委组织部",
    "县委宣传部",
    "县委统战部",
    "县委政法委",
    "县发展改革局",
    "县财政局",
    "县教育局",
    "县公安局",
    "县民政局",
    "县司法局",
    "县人社局",
    "县自然资源局",
    "县住建局",
    "县交通运输局",
    "县水利局",
    "县农业农村局",
    "县商务局",
    "县文旅局",
    "县卫健局",
    "县应急管理局",
    "县审计局",
    "县市场监管局",
    "县统计局",
    "县医保局",
    "县信访局",
    "县人大机关",
    "县政府办公室",
    "县政协机关",
    "县纪委监委",
    "县人民法院",
    "县人民检察院",
];
const INSTITUTIONS: [&str; 12] = [
    "县人民医院",
    "县中医院",
    "县妇幼保健院",
    "县疾控中心",
    "乡镇卫生院",
    "县融媒体中心",
    "县图书馆",
    "县文化馆",
    "县农技推广中心",
    "县林业站",
    "县水文站",
    "县气象局",
];
const SCHOOLS: [&str; 5] = ["中学", "小学", "职业中专", "实验学校", "幼儿园"];
const STATE_FIRMS: [&str; 10] = [
    "供电公司",
    "烟草公司",
    "农村商业银行",
    "自来水公司",
    "城市投资公司",
    "交通投资集团",
    "邮政分公司",
    "移动分公司",
    "电信分公司",
    "石油分公司",
];
const FIRM_WORDS: [&str; 10] = [
    "宏达", "兴旺", "华泰", "鑫源", "金鼎", "恒通", "瑞丰", "永盛", "东方", "长城",
];
const TRADES: [&str; 10] = [
    "建材", "食品", "纺织", "机械", "物流", "电子", "化工", "农业", "商贸", "科技",
];
const SOCIAL: [&str; 6] = [
    "个体劳动者协会",
    "商会",
    "慈善会",
    "律师事务所",
    "民办学校",
    "行业协会",
];

const SURNAMES: [&str; 40] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡",
];
const GIVEN_M: [&str; 30] = [
    "伟", "强", "磊", "军", "勇", "杰", "涛", "明", "超", "刚", "平", "辉", "鹏", "华", "飞", "波",
    "斌", "宇", "浩", "凯", "建", "国", "志", "峰", "亮", "东", "文", "新", "海", "林",
];
const GIVEN_F: [&str; 30] = [
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "玲", "桂", "英", "华", "萍", "红", "梅",
    "燕", "琳", "婷", "雪", "慧", "佳", "倩", "颖", "丹", "洁", "兰", "凤", "云", "春",
];

/// What an org is in the generated tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    /// Above the county (root, province, city).
    Upper,
    /// A county committee.
    County,
    /// Township, street or sector body.
    Sector,
    /// A unit's top org or one of its sub-orgs.
    Unit,
}

/// One generated org (position = index, id = index + 1).
#[derive(Debug, Clone)]
struct GOrg {
    parent: Option<u32>,
    depth: u8,
    level: Level,
    kind: OrgKind,
    field: Field,
    setup: SetupMode,
    founded: NaiveDate,
    dissolved: Option<NaiveDate>,
    name: String,
    short: String,
    /// Index into [`Tree::counties`] (`u32::MAX` above the county).
    county: u32,
    /// Relative member weight (0: holds no members).
    weight: f32,
    /// First holder of a village: its first members are the village cadres.
    village: bool,
    /// Dissolved holders: where their members go.
    successor: u32,
}

/// A county: its region code, province row and member target.
#[derive(Debug, Clone)]
struct County {
    region: String,
    province: usize,
    members: u64,
    /// Position of the county committee.
    pos: u32,
    /// Positions of old holders (founded before 1966) and the old members' branch.
    old: Vec<u32>,
    legacy: u32,
}

struct Tree {
    orgs: Vec<GOrg>,
    counties: Vec<County>,
    /// Positions of the province-level orgs (national) or the root's children.
    provinces: Vec<u32>,
    /// Members per holder (roster at the as-of date), by position.
    sizes: Vec<u32>,
    /// Departed members per holder, by position.
    departed: Vec<u32>,
}

const NONE: u32 = u32::MAX;

struct Builder<'a> {
    t: Tree,
    r: &'a mut Rng,
}

/// How the units of a field are built.
struct UnitMix {
    p_committee: f64,
    p_general: f64,
    committee_branches: (u64, u64),
    committee_generals: (u64, u64),
    general_branches: (u64, u64),
    founded: (i32, i32),
    weight: f32,
}

fn mix(f: Field) -> UnitMix {
    let m = |pc, pg, cb, cg, gb, founded, weight| UnitMix {
        p_committee: pc,
        p_general: pg,
        committee_branches: cb,
        committee_generals: cg,
        general_branches: gb,
        founded,
        weight,
    };
    match f {
        Field::Rural => m(0.08, 0.10, (3, 6), (0, 1), (2, 4), (1950, 1965), 1.7),
        Field::Community => m(0.13, 0.16, (3, 7), (0, 1), (2, 4), (1985, 2015), 1.3),
        Field::Organ => m(0.18, 0.12, (3, 9), (0, 1), (2, 4), (1950, 1985), 0.8),
        Field::Institution => m(0.2, 0.12, (3, 12), (0, 1), (2, 4), (1950, 1995), 0.9),
        Field::School => m(0.18, 0.13, (3, 9), (0, 1), (2, 4), (1950, 2005), 1.0),
        Field::StateEnterprise => m(0.25, 0.12, (3, 12), (0, 1), (2, 5), (1953, 2005), 0.9),
        Field::PrivateEnterprise => m(0.045, 0.035, (2, 6), (0, 0), (2, 4), (1995, 2020), 0.55),
        Field::SocialOrg => m(0.02, 0.015, (2, 5), (0, 0), (2, 3), (2005, 2022), 0.4),
        _ => m(0.0, 0.03, (2, 3), (0, 0), (2, 3), (2008, 2020), 0.5),
    }
}

fn suffix(kind: OrgKind) -> (&'static str, &'static str) {
    match kind {
        OrgKind::Committee => ("委员会", "党委"),
        OrgKind::WorkingCommittee => ("工作委员会", "党工委"),
        OrgKind::GeneralBranch => ("总支部委员会", "党总支"),
        _ => ("支部委员会", "党支部"),
    }
}

impl Builder<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        parent: Option<u32>,
        level: Level,
        kind: OrgKind,
        field: Field,
        founded: NaiveDate,
        label: &str,
        county: u32,
    ) -> u32 {
        let pos = self.t.orgs.len() as u32;
        let depth = parent.map_or(0, |p| self.t.orgs[p as usize].depth.saturating_add(1));
        let (long, short) = suffix(kind);
        let setup = match field {
            Field::PrivateEnterprise if self.r.chance(0.2) => SetupMode::Joint,
            Field::SocialOrg if self.r.chance(0.3) => SetupMode::Joint,
            Field::Community if self.r.chance(0.05) => SetupMode::Regional,
            Field::Rural if self.r.chance(0.03) => SetupMode::VillageEnterprise,
            _ => SetupMode::Standalone,
        };
        self.t.orgs.push(GOrg {
            parent,
            depth,
            level,
            kind,
            field,
            setup,
            founded,
            dissolved: None,
            name: format!("中共{label}{long}"),
            short: format!("{label}{short}"),
            county,
            weight: 0.0,
            village: false,
            successor: NONE,
        });
        pos
    }

    fn year_date(&mut self, (lo, hi): (i32, i32)) -> NaiveDate {
        let a = ymd(lo, 1, 1);
        let b = ymd(hi, 12, 31).min(ymd(2024, 6, 30));
        self.r.days(a, b)
    }

    fn sub_founded(&mut self, top: NaiveDate) -> NaiveDate {
        let hi = (top + Days::new(3 * 365)).min(ymd(2024, 6, 30));
        self.r.days(top, hi.max(top))
    }

    /// A branch that holds members.
    fn branch(
        &mut self,
        parent: u32,
        field: Field,
        founded: NaiveDate,
        label: &str,
        county: u32,
        weight: f32,
    ) -> u32 {
        let b = self.push(
            Some(parent),
            Level::Unit,
            OrgKind::Branch,
            field,
            founded,
            label,
            county,
        );
        let noise = 0.5 + self.r.unit() as f32;
        self.t.orgs[b as usize].weight = weight * noise;
        b
    }

    /// One unit of a field under `parent`; returns the basic orgs it made.
    fn unit(&mut self, parent: u32, field: Field, label: &str, county: u32) -> u64 {
        let m = mix(field);
        let founded = self.year_date(m.founded);
        let u = self.r.unit();
        let first_holder;
        let made;
        if u < m.p_committee {
            let top = self.push(
                Some(parent),
                Level::Unit,
                OrgKind::Committee,
                field,
                founded,
                label,
                county,
            );
            let generals = self.r.range(m.committee_generals.0, m.committee_generals.1);
            let mut n = 1;
            let mut k = 0;
            let mut first = NONE;
            for _ in 0..generals {
                k += 1;
                let f = self.sub_founded(founded);
                let g = self.push(
                    Some(top),
                    Level::Unit,
                    OrgKind::GeneralBranch,
                    field,
                    f,
                    &format!("{label}第{k}"),
                    county,
                );
                n += 1;
                let bs = self.r.range(m.general_branches.0, m.general_branches.1);
                for j in 0..bs {
                    let f2 = self.sub_founded(f);
                    let b = self.branch(
                        g,
                        field,
                        f2,
                        &format!("{label}第{k}总支第{}", j + 1),
                        county,
                        m.weight,
                    );
                    if first == NONE {
                        first = b;
                    }
                    n += 1;
                }
            }
            let bs = self.r.range(m.committee_branches.0, m.committee_branches.1);
            for _ in 0..bs {
                k += 1;
                let f = self.sub_founded(founded);
                let b = self.branch(top, field, f, &format!("{label}第{k}"), county, m.weight);
                if first == NONE {
                    first = b;
                }
                n += 1;
            }
            first_holder = first;
            made = n;
        } else if u < m.p_committee + m.p_general {
            let top = self.push(
                Some(parent),
                Level::Unit,
                OrgKind::GeneralBranch,
                field,
                founded,
                label,
                county,
            );
            let bs = self.r.range(m.general_branches.0, m.general_branches.1);
            let mut first = NONE;
            for j in 0..bs {
                let f = self.sub_founded(founded);
                let b = self.branch(
                    top,
                    field,
                    f,
                    &format!("{label}第{}", j + 1),
                    county,
                    m.weight,
                );
                if first == NONE {
                    first = b;
                }
            }
            first_holder = first;
            made = 1 + bs;
        } else {
            let b = self.branch(parent, field, founded, label, county, m.weight);
            // Enterprises and social organisations close now and then (single branches
            // only, so no live org is left under a dissolved one).
            if matches!(field, Field::PrivateEnterprise | Field::SocialOrg) && self.r.chance(0.02) {
                let lo = founded + Days::new(365);
                if lo < ymd(2024, 6, 30) {
                    let d = self.r.days(lo, ymd(2024, 6, 30));
                    self.t.orgs[b as usize].dissolved = Some(d);
                }
            }
            first_holder = b;
            made = 1;
        }
        if field == Field::Rural && first_holder != NONE {
            self.t.orgs[first_holder as usize].village = true;
        }
        made
    }

    /// Units of a field under `parent` until `budget` basic orgs are made.
    fn units(&mut self, parent: u32, field: Field, budget: u64, stem: &str, county: u32) -> u64 {
        let mut made = 0;
        let mut i = 0usize;
        while made < budget {
            let label = match field {
                Field::Rural => format!("{stem}{}村", PLACE_WORDS[i % PLACE_WORDS.len()]),
                Field::Community => {
                    format!("{stem}{}社区", PLACE_WORDS[(i + 7) % PLACE_WORDS.len()])
                }
                Field::Organ => ORGANS[i % ORGANS.len()].to_string(),
                Field::Institution => INSTITUTIONS[i % INSTITUTIONS.len()].to_string(),
                Field::School => format!(
                    "{stem}第{}{}",
                    i / SCHOOLS.len() + 1,
                    SCHOOLS[i % SCHOOLS.len()]
                ),
                Field::StateEnterprise => format!("{stem}{}", STATE_FIRMS[i % STATE_FIRMS.len()]),
                Field::PrivateEnterprise => format!(
                    "{stem}{}{}有限公司",
                    FIRM_WORDS[i % FIRM_WORDS.len()],
                    TRADES[(i / FIRM_WORDS.len()) % TRADES.len()]
                ),
                Field::SocialOrg => format!("{stem}{}", SOCIAL[i % SOCIAL.len()]),
                _ => format!("{stem}{}专业合作社", TRADES[i % TRADES.len()]),
            };
            // Repeat names get a number (names only need to be unique among siblings).
            let label = if i >= 24 {
                format!("{label}{}", i / 24 + 1)
            } else {
                label
            };
            made += self.unit(parent, field, &label, county);
            i += 1;
        }
        made
    }

    /// A county with about `basic` basic orgs.
    fn county(
        &mut self,
        parent: Option<u32>,
        name: &str,
        region: String,
        province: usize,
        members: u64,
        basic: u64,
    ) {
        let c = self.t.counties.len() as u32;
        let founded = self.r.days(ymd(1949, 10, 1), ymd(1952, 12, 31));
        let top = self.push(
            parent,
            Level::County,
            OrgKind::Committee,
            Field::Organ,
            founded,
            name,
            c,
        );
        self.t.counties.push(County {
            region,
            province,
            members,
            pos: top,
            old: Vec::new(),
            legacy: NONE,
        });
        let stem = name.trim_end_matches('县').to_string();
        let budget = |f: Field| (basic as f64 * FIELD_ORGS[field_row(f)]).round() as u64;
        // Townships with villages and cooperatives.
        let rural = budget(Field::Rural) + budget(Field::Cooperative);
        let towns = (rural / 40).max(1);
        for t in 0..towns {
            let tname = format!(
                "{stem}{}镇",
                PLACE_WORDS[(t as usize * 5) % PLACE_WORDS.len()]
            );
            let tname = if t >= 24 {
                format!("{tname}{}", t / 24 + 1)
            } else {
                tname
            };
            let f = self.r.days(ymd(1950, 1, 1), ymd(1958, 12, 31));
            let town = self.push(
                Some(top),
                Level::Sector,
                OrgKind::Committee,
                Field::Rural,
                f,
                &tname,
                c,
            );
            let share = budget(Field::Rural) / towns;
            self.units(
                town,
                Field::Rural,
                share.saturating_sub(1).max(1),
                &tname,
                c,
            );
            let coop = budget(Field::Cooperative) / towns;
            if coop > 0 {
                self.units(town, Field::Cooperative, coop, &tname, c);
            }
        }
        // Streets with communities.
        let comm = budget(Field::Community);
        let streets = (comm / 25).max(1);
        for s in 0..streets {
            let sname = format!(
                "{stem}{}街道",
                PLACE_WORDS[(s as usize * 3 + 1) % PLACE_WORDS.len()]
            );
            let sname = if s >= 24 {
                format!("{sname}{}", s / 24 + 1)
            } else {
                sname
            };
            let f = self.r.days(ymd(1980, 1, 1), ymd(2010, 12, 31));
            let st = self.push(
                Some(top),
                Level::Sector,
                OrgKind::WorkingCommittee,
                Field::Community,
                f,
                &sname,
                c,
            );
            self.units(st, Field::Community, comm / streets, &sname, c);
        }
        // Sector bodies.
        let organs = self.push(
            Some(top),
            Level::Sector,
            OrgKind::WorkingCommittee,
            Field::Organ,
            founded,
            &format!("{stem}县直机关"),
            c,
        );
        let legacy = self.push(
            Some(organs),
            Level::Unit,
            OrgKind::Branch,
            Field::Organ,
            ymd(1927, 1, 1),
            &format!("{stem}老党员"),
            c,
        );
        self.t.orgs[legacy as usize].weight = 0.3;
        self.t.counties[c as usize].legacy = legacy;
        self.units(
            organs,
            Field::Organ,
            budget(Field::Organ).saturating_sub(1),
            &stem,
            c,
        );
        let f = self.r.days(ymd(1980, 1, 1), ymd(2000, 12, 31));
        let health = self.push(
            Some(top),
            Level::Sector,
            OrgKind::Committee,
            Field::Institution,
            f,
            &format!("{stem}县卫生健康系统"),
            c,
        );
        self.units(
            health,
            Field::Institution,
            budget(Field::Institution).saturating_sub(1),
            &stem,
            c,
        );
        let f = self.r.days(ymd(1985, 1, 1), ymd(2005, 12, 31));
        let edu = self.push(
            Some(top),
            Level::Sector,
            OrgKind::WorkingCommittee,
            Field::School,
            f,
            &format!("{stem}县教育"),
            c,
        );
        self.units(edu, Field::School, budget(Field::School), &stem, c);
        let f = self.r.days(ymd(1995, 1, 1), ymd(2010, 12, 31));
        let soe = self.push(
            Some(top),
            Level::Sector,
            OrgKind::Committee,
            Field::StateEnterprise,
            f,
            &format!("{stem}县国资委"),
            c,
        );
        self.units(
            soe,
            Field::StateEnterprise,
            budget(Field::StateEnterprise).saturating_sub(1),
            &stem,
            c,
        );
        let f = self.r.days(ymd(2000, 1, 1), ymd(2012, 12, 31));
        let two = self.push(
            Some(top),
            Level::Sector,
            OrgKind::WorkingCommittee,
            Field::PrivateEnterprise,
            f,
            &format!("{stem}县非公有制经济组织和社会组织"),
            c,
        );
        self.units(
            two,
            Field::PrivateEnterprise,
            budget(Field::PrivateEnterprise),
            &stem,
            c,
        );
        self.units(two, Field::SocialOrg, budget(Field::SocialOrg), &stem, c);
    }
}

/// Splits `total` into integer parts proportional to `weights` (error diffusion: parts sum
/// exactly to `total`, each within one of its share).
fn apportion(total: u64, weights: &[f64]) -> Vec<u64> {
    let sum: f64 = weights.iter().sum();
    let mut out = Vec::with_capacity(weights.len());
    let mut acc = 0.0;
    let mut given = 0u64;
    for w in weights {
        acc += if sum > 0.0 {
            w / sum * total as f64
        } else {
            0.0
        };
        let upto = (acc.round() as u64).min(total);
        out.push(upto.saturating_sub(given));
        given = given.max(upto);
    }
    out
}

/// Builds the tree and sizes every holder.
fn build_tree(opts: &Options, r: &mut Rng) -> Tree {
    let n = opts.scale.max(1);
    let mut b = Builder {
        t: Tree {
            orgs: Vec::new(),
            counties: Vec::new(),
            provinces: Vec::new(),
            sizes: Vec::new(),
            departed: Vec::new(),
        },
        r,
    };
    let target_counties = ((n as f64 / COUNTY_MEMBERS).round() as usize).max(1);
    // (province row, parent position) for each county to build, then build them.
    let provinces: Vec<usize> = match opts.profile {
        Profile::National => (0..PROVINCES.len()).collect(),
        Profile::Province | Profile::County => vec![14],
    };
    let weights: Vec<f64> = provinces.iter().map(|p| PROVINCES[*p].2).collect();
    let per_province: Vec<u64> = match opts.profile {
        Profile::National => {
            let extra = target_counties.saturating_sub(provinces.len()) as u64;
            apportion(extra, &weights)
                .into_iter()
                .map(|x| x + 1)
                .collect()
        }
        _ => vec![target_counties as u64],
    };
    // County member weights: uneven (0.3× … 2×), province totals by province weight.
    let mut county_plan: Vec<(usize, f64)> = Vec::new();
    for (pi, p) in provinces.iter().enumerate() {
        let k = per_province[pi].max(1);
        let ws: Vec<f64> = (0..k)
            .map(|_| 0.3 + 1.7 * b.r.unit() * b.r.unit() + 0.3 * b.r.unit())
            .collect();
        let tw: f64 = ws.iter().sum();
        for w in ws {
            county_plan.push((*p, weights[pi] * w / tw));
        }
    }
    let county_members = apportion(n, &county_plan.iter().map(|c| c.1).collect::<Vec<_>>());
    let root = match opts.profile {
        Profile::National => Some(b.push(
            None,
            Level::Upper,
            OrgKind::Committee,
            Field::Organ,
            ymd(1921, 7, 1),
            "全国党组织（演示）",
            NONE,
        )),
        _ => None,
    };
    let mut ci = 0usize;
    for (pi, p) in provinces.iter().enumerate() {
        let (code, short, _) = PROVINCES[*p];
        let k = per_province[pi].max(1) as usize;
        let prov = match opts.profile {
            Profile::County => None,
            _ => {
                let pname = if matches!(code, "11" | "12" | "31" | "50") {
                    format!("{short}市")
                } else {
                    format!("{short}省")
                };
                let pos = b.push(
                    root,
                    Level::Upper,
                    OrgKind::Committee,
                    Field::Organ,
                    ymd(1949, 10, 1),
                    &pname,
                    NONE,
                );
                b.t.provinces.push(pos);
                Some(pos)
            }
        };
        let cities = match opts.profile {
            Profile::County => 1,
            _ => k.div_ceil(9),
        };
        for city in 0..cities {
            let cstem = format!("{short}{}", CITY_CHARS[city % CITY_CHARS.len()]);
            let city_pos = match opts.profile {
                Profile::County => None,
                _ => Some(b.push(
                    prov,
                    Level::Upper,
                    OrgKind::Committee,
                    Field::Organ,
                    ymd(1949, 10, 1),
                    &format!("{cstem}市"),
                    NONE,
                )),
            };
            let in_city: Vec<usize> = (0..k).filter(|j| j % cities == city).collect();
            for (j, _) in in_city.iter().enumerate() {
                let members = county_members[ci];
                let basic = ((members as f64 * ORGS_PER_MEMBER).round() as u64).max(12);
                let name = format!(
                    "{}{}{}县",
                    CITY_CHARS[city % CITY_CHARS.len()],
                    COUNTY_CHARS[j % COUNTY_CHARS.len()],
                    if j >= COUNTY_CHARS.len() {
                        (j / COUNTY_CHARS.len() + 1).to_string()
                    } else {
                        String::new()
                    }
                );
                let region = format!("{code}{:02}{:02}", city + 1, j + 1);
                b.county(city_pos, &name, region, *p, members, basic);
                ci += 1;
            }
        }
    }
    if opts.profile == Profile::Province {
        // The root's children (cities) stand in for provinces when picking a big subtree.
        b.t.provinces = (0..b.t.orgs.len() as u32)
            .filter(|p| b.t.orgs[*p as usize].depth == 1)
            .collect();
    }
    if opts.profile == Profile::County {
        b.t.provinces = (0..b.t.orgs.len() as u32)
            .filter(|p| b.t.orgs[*p as usize].depth == 1)
            .collect();
    }
    let mut t = b.t;
    size_holders(&mut t, r);
    t
}

/// Members per holder (exact county totals), departures, successors and old holders.
fn size_holders(t: &mut Tree, r: &mut Rng) {
    let n = t.orgs.len();
    t.sizes = vec![0; n];
    t.departed = vec![0; n];
    // Holders of each county are contiguous in depth-first order.
    let mut by_county: Vec<Vec<u32>> = vec![Vec::new(); t.counties.len()];
    for (p, o) in t.orgs.iter().enumerate() {
        if o.weight > 0.0 && o.county != NONE {
            by_county[o.county as usize].push(p as u32);
        }
    }
    for (c, holders) in by_county.iter().enumerate() {
        let w: Vec<f64> = holders
            .iter()
            .map(|p| f64::from(t.orgs[*p as usize].weight))
            .collect();
        let sizes = apportion(t.counties[c].members, &w);
        let gone = apportion((t.counties[c].members as f64 * DEPARTED).round() as u64, &w);
        for ((p, s), g) in holders.iter().zip(sizes).zip(gone) {
            t.sizes[*p as usize] = s as u32;
            t.departed[*p as usize] = g as u32;
        }
        let live: Vec<u32> = holders
            .iter()
            .copied()
            .filter(|p| t.orgs[*p as usize].dissolved.is_none())
            .collect();
        let cutoff = ymd(1966, 1, 1);
        t.counties[c].old = holders
            .iter()
            .copied()
            .filter(|p| {
                let o = &t.orgs[*p as usize];
                o.founded < cutoff && o.dissolved.is_none()
            })
            .collect();
        for p in holders {
            let o = &t.orgs[*p as usize];
            if o.dissolved.is_some() {
                let same: Vec<u32> = live
                    .iter()
                    .copied()
                    .filter(|q| {
                        t.orgs[*q as usize].field == o.field
                            && t.orgs[*q as usize].founded < o.dissolved.unwrap_or(NaiveDate::MAX)
                    })
                    .collect();
                let pick = if same.is_empty() { &live } else { &same };
                let s = pick
                    .get(r.below(pick.len() as u64) as usize)
                    .copied()
                    .unwrap_or(t.counties[c].legacy);
                t.orgs[*p as usize].successor = s;
            }
        }
        if t.counties[c].old.is_empty() {
            let legacy = t.counties[c].legacy;
            t.counties[c].old.push(legacy);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Members
// ---------------------------------------------------------------------------------------

/// Figures of the generated roster at the as-of date (for the printout and `meta.json`).
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct GenStats {
    /// Members written (roster + departed).
    pub members: u64,
    /// On the roster at the as-of date.
    pub roster: u64,
    /// Events.
    pub events: u64,
    /// Member intervals (CSV only).
    pub intervals: u64,
    /// Probationary on the roster.
    pub probationary: u64,
    /// Women on the roster.
    pub female: u64,
    /// Minorities on the roster.
    pub minority: u64,
    /// Age bands.
    pub age_bands: [u64; 8],
    /// Join eras.
    pub eras: [u64; 4],
    /// Occupations.
    pub occupations: [u64; 8],
    /// Education.
    pub education: [u64; 6],
    /// Joined in the as-of year.
    pub joined_in_year: u64,
    /// Roster by org position (its own members), for picking subtrees.
    #[serde(skip)]
    pub per_org: Vec<u32>,
}

/// Per-county state of the ID-number sequence (birth day → next sequence).
struct IdSeq {
    county: u32,
    next: HashMap<i32, u16>,
}

struct Gen<'a> {
    t: &'a Tree,
    tab: &'a Tables,
    r: Rng,
    next_id: i64,
    seq: IdSeq,
    minority_rate: Vec<f64>,
    stats: GenStats,
}

impl Gen<'_> {
    fn name(&mut self, g: Gender) -> String {
        let s = SURNAMES[self.r.below(SURNAMES.len() as u64) as usize];
        let list = if g == Gender::Female {
            &GIVEN_F
        } else {
            &GIVEN_M
        };
        let a = list[self.r.below(list.len() as u64) as usize];
        if self.r.chance(0.6) {
            let b = list[self.r.below(list.len() as u64) as usize];
            format!("{s}{a}{b}")
        } else {
            format!("{s}{a}")
        }
    }

    fn id_number(&mut self, county: u32, birth: NaiveDate, g: Gender) -> String {
        if self.seq.county != county {
            self.seq.county = county;
            self.seq.next.clear();
        }
        let day = birth.num_days_from_ce();
        let c = self.seq.next.entry(day).or_insert(0);
        let seq = c.wrapping_mul(2);
        *c = c.wrapping_add(1);
        let region = &self.t.counties[county as usize].region;
        jiceng_domain::idcard::generate(region, birth, seq, g)
    }

    /// One member of holder `pos`; `departed` members leave before the as-of date.
    fn member(&mut self, pos: u32, departed: bool, cadre: Option<VillagePost>) -> BulkMember {
        let (t, tab) = (self.t, self.tab);
        let o = &t.orgs[pos as usize];
        let county = o.county;
        let cty = &t.counties[county as usize];
        let asof = as_of();
        let occ = tab.occ[field_row(o.field)].sample(&mut self.r);
        let band = tab.band[occ].sample(&mut self.r);
        let (ages, cdf) = &tab.age[band];
        let age = ages.get(cdf.sample(&mut self.r)).copied().unwrap_or(40);
        let hi = asof
            .checked_sub_months(Months::new(12 * age))
            .unwrap_or(asof);
        let lo = asof
            .checked_sub_months(Months::new(12 * (age + 1)))
            .unwrap_or(asof)
            + Days::new(1);
        let birth = self.r.days(lo, hi);
        let era = tab.era[(age - MIN_AGE) as usize].sample(&mut self.r);
        let (es, ee) = era_bounds()[era];
        let adult = birth
            .checked_add_months(Months::new(12 * 18))
            .unwrap_or(birth);
        let start = es.max(adult);
        let end = (ee - Days::new(1)).min(asof);
        // Within the era's window, earlier dates are likelier (u^1.8): otherwise the young,
        // whose window is short, would make the last year's intake too large.
        let mut join = if start <= end {
            let span = (end - start).num_days().max(0) as f64;
            start + Days::new((span * self.r.unit().powf(1.8)).round() as u64)
        } else {
            adult.min(asof)
        };
        if departed && join > asof - Days::new(400) {
            join = asof - Days::new(400 + self.r.below(3000));
            // Never after the day before the end (the very young leave within days).
            join = join.max(adult).min(asof - Days::new(2));
        }
        let edu = tab.edu[occ].sample(&mut self.r);
        let gender = if self.r.chance(FEMALE) {
            Gender::Female
        } else {
            Gender::Male
        };
        let rate = self.minority_rate[cty.province];
        let ethnicity = if self.r.chance(rate) {
            let (_, main) = minority_profile(PROVINCES[cty.province].0);
            if self.r.chance(0.7) {
                main
            } else {
                MINORITY_CODES[self.r.below(MINORITY_CODES.len() as u64) as usize]
            }
        } else {
            "01"
        };
        let id = self.next_id;
        self.next_id += 1;
        let org_id = |p: u32| i64::from(p) + 1;
        let mut events: Vec<BulkEvent> = Vec::with_capacity(5);
        let ev = |kind, date, org: Option<u32>| BulkEvent {
            kind,
            date,
            org_id: org.map(org_id),
            probationary: false,
        };
        // Where the member joined: their org, or (before it existed) an older one.
        let mut org = pos;
        let mut dissolution = o.dissolved;
        if dissolution.is_some_and(|d| join >= d) {
            org = o.successor;
            dissolution = None;
        }
        let here = &t.orgs[org as usize];
        if join < here.founded {
            let first = if join < ymd(1966, 1, 1) {
                cty.legacy
            } else {
                cty.old[self.r.below(cty.old.len() as u64) as usize]
            };
            events.push(ev(K::Joined, join, Some(first)));
            let lo = here.founded.max(join + Days::new(1));
            let mut hi = (lo + Days::new(365)).min(asof);
            if let Some(d) = dissolution {
                hi = hi.min(d - Days::new(1));
            }
            let moved = self.r.days(lo, hi.max(lo));
            events.push(ev(K::Moved, moved, Some(org)));
        } else {
            events.push(ev(K::Joined, join, Some(org)));
        }
        let conv = join + Days::new(365 + self.r.below(61));
        if conv <= asof {
            events.push(ev(K::Converted, conv, None));
        }
        if let Some(d) = dissolution {
            events.push(ev(K::Moved, d, Some(o.successor)));
        }
        if departed {
            // Strictly after joining and before the as-of date: off the roster on it.
            let last = asof - Days::new(1);
            let end = self.r.days((join + Days::new(60)).min(last), last);
            let kind = if (age >= 61 && self.r.chance(0.8)) || self.r.chance(0.2) {
                K::Died
            } else {
                K::TransferredOut
            };
            events.push(ev(kind, end, None));
        }
        events.sort_by_key(|e| e.date);
        if let Some(i) = events.iter().position(|e| e.kind.ends_membership()) {
            events.truncate(i + 1);
        }
        let phone = self.r.chance(0.6).then(|| {
            format!(
                "1{}{:09}",
                [3, 5, 8, 9][self.r.below(4) as usize],
                self.r.below(1_000_000_000)
            )
        });
        let name = self.name(gender);
        let id_number = self.id_number(county, birth, gender);
        let occupation = Occupation::ALL[occ];
        BulkMember {
            id,
            name,
            gender,
            ethnicity,
            birth,
            id_number: Some(id_number),
            native_place: Some(
                t.orgs[cty.pos as usize]
                    .short
                    .trim_end_matches("党委")
                    .to_string(),
            ),
            education: Education::ALL[edu],
            occupation,
            phone,
            village_post: if departed { None } else { cadre },
            retired: occupation == Occupation::Retired,
            join_date: Some(join),
            province: Some(format!("{}0000", PROVINCES[cty.province].0)),
            events,
        }
    }

    fn count(&mut self, m: &BulkMember) {
        let s = &mut self.stats;
        s.members += 1;
        s.events += m.events.len() as u64;
        let Some(last_org) = m.events.iter().rev().find_map(|e| e.org_id) else {
            return;
        };
        if m.events.iter().any(|e| e.kind.ends_membership()) {
            return;
        }
        let asof = as_of();
        s.roster += 1;
        if let Some(c) = s.per_org.get_mut((last_org - 1) as usize) {
            *c += 1;
        }
        if !m.events.iter().any(|e| e.kind == K::Converted) {
            s.probationary += 1;
        }
        s.female += u64::from(m.gender == Gender::Female);
        s.minority += u64::from(m.ethnicity != "01");
        s.age_bands[band_of_age(jiceng_domain::age::age_on(m.birth, asof).max(0) as u32)] += 1;
        if let Some(j) = m.join_date {
            s.eras[jiceng_stats::summary::join_era_index(j)] += 1;
            s.joined_in_year += u64::from(j.year() == asof.year());
        }
        s.occupations[code_index(m.occupation)] += 1;
        s.education[code_index(m.education)] += 1;
    }
}

// ---------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------

struct Csv {
    members: std::io::BufWriter<std::fs::File>,
    events: std::io::BufWriter<std::fs::File>,
    intervals: std::io::BufWriter<std::fs::File>,
    lite: Vec<EventLite>,
}

fn create(dir: &Path, name: &str) -> Result<std::io::BufWriter<std::fs::File>, String> {
    let f = std::fs::File::create(dir.join(name))
        .map_err(|e| format!("无法创建 {}: {e}", dir.join(name).display()))?;
    Ok(std::io::BufWriter::with_capacity(1 << 20, f))
}

fn io(e: std::io::Error) -> String {
    format!("写入 CSV 失败: {e}")
}

fn opt_date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn write_orgs_csv(dir: &Path, t: &Tree) -> Result<(), String> {
    let mut w = create(dir, "orgs.csv")?;
    writeln!(
        w,
        "id,parent_id,pos,end_pos,depth,kind,field,setup_mode,founded,dissolved"
    )
    .map_err(io)?;
    let ends = subtree_ends(t);
    for (p, o) in t.orgs.iter().enumerate() {
        writeln!(
            w,
            "{},{},{},{},{},{},{},{},{},{}",
            p + 1,
            o.parent.map(|x| (x + 1).to_string()).unwrap_or_default(),
            p,
            ends[p],
            o.depth,
            code_index(o.kind),
            code_index(o.field),
            code_index(o.setup),
            o.founded,
            opt_date(o.dissolved)
        )
        .map_err(io)?;
    }
    w.flush().map_err(io)
}

fn subtree_ends(t: &Tree) -> Vec<u32> {
    let n = t.orgs.len();
    let mut end: Vec<u32> = (1..=n as u32).collect();
    for p in (0..n).rev() {
        if let Some(q) = t.orgs[p].parent {
            end[q as usize] = end[q as usize].max(end[p]);
        }
    }
    end
}

impl Csv {
    fn open(dir: &Path) -> Result<Csv, String> {
        let mut c = Csv {
            members: create(dir, "members.csv")?,
            events: create(dir, "events.csv")?,
            intervals: create(dir, "intervals.csv")?,
            lite: Vec::new(),
        };
        writeln!(
            c.members,
            "id,gender,birth,minority,education,occupation,village_post,join_date"
        )
        .map_err(io)?;
        writeln!(c.events, "member_id,kind,date,org_id,probationary").map_err(io)?;
        writeln!(c.intervals, "member_id,pos,from_date,to_date,full_from,birth,female,minority,education,occupation,join_date").map_err(io)?;
        Ok(c)
    }

    fn member(&mut self, m: &BulkMember) -> Result<u64, String> {
        let minority = u8::from(m.ethnicity != "01");
        let edu = code_index(m.education);
        let occ = code_index(m.occupation);
        writeln!(
            self.members,
            "{},{},{},{},{},{},{},{}",
            m.id,
            m.gender.code(),
            m.birth,
            minority,
            edu,
            occ,
            m.village_post
                .map(|p| code_index(p).to_string())
                .unwrap_or_default(),
            opt_date(m.join_date)
        )
        .map_err(io)?;
        self.lite.clear();
        for e in &m.events {
            writeln!(
                self.events,
                "{},{},{},{},{}",
                m.id,
                e.kind.code(),
                e.date,
                e.org_id.map(|o| o.to_string()).unwrap_or_default(),
                u8::from(e.probationary)
            )
            .map_err(io)?;
            self.lite.push(EventLite {
                date: e.date,
                kind: e.kind,
                org: e.org_id,
                probationary: e.probationary,
            });
        }
        let first = first_joined(&self.lite);
        let female = u8::from(m.gender == Gender::Female);
        let spans = member_spans(&self.lite);
        for s in &spans {
            let join = if s.joined_before { first } else { m.join_date };
            writeln!(
                self.intervals,
                "{},{},{},{},{},{},{},{},{},{},{}",
                m.id,
                s.org - 1,
                s.from,
                opt_date(s.to),
                opt_date(s.full_from),
                m.birth,
                female,
                minority,
                edu,
                occ,
                opt_date(join)
            )
            .map_err(io)?;
        }
        Ok(spans.len() as u64)
    }

    fn finish(mut self) -> Result<(), String> {
        self.members.flush().map_err(io)?;
        self.events.flush().map_err(io)?;
        self.intervals.flush().map_err(io)
    }
}

// ---------------------------------------------------------------------------------------
// Driver
// ---------------------------------------------------------------------------------------

/// Generates every member (holders in depth-first order), handing batches to `tx` and
/// rows to the CSV files.
fn generate_members(
    t: &Tree,
    tab: &Tables,
    seed: u64,
    csv: Option<&Path>,
    tx: Option<tokio::sync::mpsc::Sender<Vec<BulkMember>>>,
) -> Result<GenStats, String> {
    let mut csv = match csv {
        Some(d) => Some(Csv::open(d)?),
        None => None,
    };
    // Minority rates by province, scaled so that the national share is the bulletin's.
    let mut minority_rate = vec![MINORITY; PROVINCES.len()];
    let provinces: Vec<usize> = {
        let mut v: Vec<usize> = t.counties.iter().map(|c| c.province).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    if provinces.len() > 1 {
        let mut members = vec![0u64; PROVINCES.len()];
        for c in &t.counties {
            members[c.province] += c.members;
        }
        let total: f64 = members.iter().sum::<u64>() as f64;
        let raw: f64 = members
            .iter()
            .enumerate()
            .map(|(p, m)| *m as f64 * minority_profile(PROVINCES[p].0).0)
            .sum();
        for (p, rate) in minority_rate.iter_mut().enumerate() {
            *rate = (MINORITY * total / raw.max(1.0) * minority_profile(PROVINCES[p].0).0).min(0.9);
        }
    }
    let mut g = Gen {
        t,
        tab,
        r: Rng(seed ^ 0x5EED_0000_0000_0001),
        next_id: 1,
        seq: IdSeq {
            county: NONE,
            next: HashMap::new(),
        },
        minority_rate,
        stats: GenStats {
            per_org: vec![0; t.orgs.len()],
            ..GenStats::default()
        },
    };
    let mut batch: Vec<BulkMember> = Vec::with_capacity(BATCH);
    for pos in 0..t.orgs.len() as u32 {
        let (size, gone) = (t.sizes[pos as usize], t.departed[pos as usize]);
        if size == 0 && gone == 0 {
            continue;
        }
        let village = t.orgs[pos as usize].village && t.orgs[pos as usize].dissolved.is_none();
        let dual = g.r.chance(0.88);
        let posts: Vec<VillagePost> = if village {
            if dual {
                vec![
                    VillagePost::SecretaryDirector,
                    VillagePost::DeputySecretary,
                    VillagePost::CommitteeMember,
                    VillagePost::CommitteeMember,
                ]
            } else {
                vec![
                    VillagePost::Secretary,
                    VillagePost::Director,
                    VillagePost::DeputySecretary,
                    VillagePost::CommitteeMember,
                ]
            }
        } else {
            Vec::new()
        };
        for i in 0..size + gone {
            let departed = i >= size;
            let cadre = posts.get(i as usize).copied();
            let m = g.member(pos, departed, cadre);
            g.count(&m);
            if let Some(c) = csv.as_mut() {
                g.stats.intervals += c.member(&m)?;
            }
            if tx.is_some() {
                batch.push(m);
                if batch.len() >= BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    if let Some(tx) = &tx {
                        tx.blocking_send(full)
                            .map_err(|_| "写入数据库的任务已中止".to_string())?;
                    }
                }
            }
        }
    }
    if let Some(tx) = &tx {
        if !batch.is_empty() {
            tx.blocking_send(batch)
                .map_err(|_| "写入数据库的任务已中止".to_string())?;
        }
    }
    if let Some(c) = csv {
        c.finish()?;
    }
    Ok(g.stats)
}

fn bulk_orgs(t: &Tree) -> Vec<BulkOrg> {
    let mut paths: Vec<String> = Vec::with_capacity(t.orgs.len());
    let mut out = Vec::with_capacity(t.orgs.len());
    for (p, o) in t.orgs.iter().enumerate() {
        let id = p as i64 + 1;
        let path = match o.parent {
            Some(q) => format!("{}{id}/", paths[q as usize]),
            None => format!("/{id}/"),
        };
        paths.push(path.clone());
        let region = if o.county != NONE {
            Some(t.counties[o.county as usize].region.clone())
        } else {
            None
        };
        out.push(BulkOrg {
            id,
            parent_id: o.parent.map(|q| i64::from(q) + 1),
            path,
            depth: i64::from(o.depth),
            name: o.name.clone(),
            short_name: Some(o.short.clone()),
            kind: o.kind,
            field: o.field,
            setup_mode: o.setup,
            founded: o.founded,
            dissolved: o.dissolved,
            region_code: region,
            term_start: None,
        });
    }
    // Upper levels get their own division codes (province 370000, city 370100 …).
    let mut city_codes: HashMap<u32, String> = HashMap::new();
    for c in &t.counties {
        if let Some(city) = t.orgs[c.pos as usize].parent {
            city_codes
                .entry(city)
                .or_insert_with(|| format!("{}00", &c.region[..4]));
            if let Some(prov) = t.orgs[city as usize].parent {
                city_codes
                    .entry(prov)
                    .or_insert_with(|| format!("{}0000", &c.region[..2]));
            }
        }
    }
    for (p, code) in city_codes {
        if let Some(o) = out.get_mut(p as usize) {
            if t.orgs[p as usize].level == Level::Upper {
                o.region_code = Some(code);
            }
        }
    }
    out
}

/// The benchmark's subtrees: root, a province-size org (≈ 4.5 % of the members) and a
/// county-size one (≈ 20 000 members).
fn pick_subtrees(t: &Tree, stats: &GenStats) -> serde_json::Value {
    let n = t.orgs.len();
    let mut sub: Vec<u64> = stats.per_org.iter().map(|x| u64::from(*x)).collect();
    for p in (1..n).rev() {
        if let Some(q) = t.orgs[p].parent {
            sub[q as usize] += sub[p];
        }
    }
    let total = stats.roster.max(1) as f64;
    let ends = subtree_ends(t);
    let describe = |p: u32| {
        serde_json::json!({
            "id": p + 1, "pos": p, "end_pos": ends[p as usize],
            "name": t.orgs[p as usize].name, "members": sub[p as usize]
        })
    };
    let province = t
        .provinces
        .iter()
        .copied()
        .min_by_key(|p| ((sub[*p as usize] as f64 / total - 0.045).abs() * 1e9) as u64)
        .unwrap_or(0);
    let county = t
        .counties
        .iter()
        .map(|c| c.pos)
        .min_by_key(|p| sub[*p as usize].abs_diff(20_000))
        .unwrap_or(0);
    serde_json::json!({
        "root": describe(0),
        "province": describe(province),
        "county": describe(county),
    })
}

/// Runs the generator: database (when `store` is given) and CSV (when asked).
pub async fn run(store: Option<&Store>, opts: &Options) -> Result<(), String> {
    if opts.scale == 0 || opts.scale > u64::from(u32::MAX) / 2 {
        return Err("--scale 应在 1 到 2147483647 之间（党员人数）".into());
    }
    let t0 = Instant::now();
    let mut r = Rng(opts.seed);
    let tree = build_tree(opts, &mut r);
    let mut field_members = [0.0f64; 9];
    for (p, o) in tree.orgs.iter().enumerate() {
        field_members[field_row(o.field)] += f64::from(tree.sizes[p] + tree.departed[p]);
    }
    let tables = Tables::fit(&field_members);
    let basic = tree
        .orgs
        .iter()
        .filter(|o| o.kind.counts_as_basic_org())
        .count();
    let by_kind = |k: OrgKind| tree.orgs.iter().filter(|o| o.kind == k).count();
    eprintln!(
        "组织树: {} 个组织（基层党组织 {}: 党委 {} / 总支 {} / 支部 {}），{} 个县，用时 {:.1}s",
        tree.orgs.len(),
        basic,
        by_kind(OrgKind::Committee),
        by_kind(OrgKind::GeneralBranch),
        by_kind(OrgKind::Branch),
        tree.counties.len(),
        t0.elapsed().as_secs_f64()
    );
    if let Some(dir) = &opts.csv {
        std::fs::create_dir_all(dir).map_err(|e| format!("无法创建目录 {}: {e}", dir.display()))?;
        write_orgs_csv(dir, &tree)?;
    }
    let tree = Arc::new(tree);
    let tables = Arc::new(tables);
    let scope = Scope::system("demo");
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<BulkMember>>(2);
    let gen = {
        let (tree, tables) = (tree.clone(), tables.clone());
        let csv = opts.csv.clone();
        let seed = opts.seed;
        let tx = store.is_some().then_some(tx);
        std::thread::spawn(move || generate_members(&tree, &tables, seed, csv.as_deref(), tx))
    };
    let t1 = Instant::now();
    let mut counts = None;
    if let Some(store) = store {
        let e = |e: jiceng_store::StoreError| e.to_string();
        store
            .set_setting(&scope, "reference_date", &as_of().to_string())
            .await
            .map_err(e)?;
        let mut loader = store.bulk_loader(&scope).await.map_err(e)?;
        let orgs = bulk_orgs(&tree);
        for chunk in orgs.chunks(BATCH) {
            loader.orgs(chunk).await.map_err(e)?;
        }
        drop(orgs);
        let mut last_report = Instant::now();
        while let Some(batch) = rx.recv().await {
            loader.members(&batch).await.map_err(e)?;
            if last_report.elapsed().as_secs() >= 10 {
                let c = loader.counts();
                eprintln!(
                    "  已写入 {} 名党员、{} 条记载（{:.0} 名/分钟）",
                    c.members,
                    c.member_events,
                    c.members as f64 / t1.elapsed().as_secs_f64() * 60.0
                );
                last_report = Instant::now();
            }
        }
        let detail = serde_json::json!({
            "profile": opts.profile.name(),
            "scale": opts.scale,
            "seed": opts.seed,
        });
        counts = Some(loader.finish(store, &scope, detail).await.map_err(e)?);
    }
    let stats = gen.join().map_err(|_| "生成线程异常退出".to_string())??;
    let secs = t1.elapsed().as_secs_f64();
    let pct = |x: u64| x as f64 * 100.0 / stats.roster.max(1) as f64;
    eprintln!(
        "党员: {} 名（在册 {}，已离开 {}），记载 {} 条，用时 {:.1}s = {:.0} 名/分钟{}",
        stats.members,
        stats.roster,
        stats.members - stats.roster,
        stats.events,
        secs,
        stats.members as f64 / secs.max(1e-9) * 60.0,
        if store.is_some() {
            "（含写库）"
        } else {
            ""
        }
    );
    eprintln!(
        "  女 {:.1}%  少数民族 {:.1}%  预备 {:.2}%  当年入党 {:.2}%  大专及以上 {:.1}%",
        pct(stats.female),
        pct(stats.minority),
        pct(stats.probationary),
        pct(stats.joined_in_year),
        pct(stats.education[0] + stats.education[1] + stats.education[2])
    );
    eprintln!(
        "  年龄段 {:?}",
        stats.age_bands.map(|x| (pct(x) * 10.0).round() / 10.0)
    );
    eprintln!(
        "  入党时间 {:?}  职业 {:?}",
        stats.eras.map(|x| (pct(x) * 100.0).round() / 100.0),
        stats.occupations.map(|x| (pct(x) * 10.0).round() / 10.0)
    );
    if let Some(dir) = &opts.csv {
        let meta = serde_json::json!({
            "profile": opts.profile.name(),
            "scale": opts.scale,
            "seed": opts.seed,
            "as_of": as_of().to_string(),
            "past_date": past_date().to_string(),
            "orgs": tree.orgs.len(),
            "basic_orgs": basic,
            "counties": tree.counties.len(),
            "stats": stats,
            "subtrees": pick_subtrees(&tree, &stats),
            "generate_seconds": secs,
        });
        let text = serde_json::to_string_pretty(&meta).map_err(|e| e.to_string())?;
        std::fs::write(dir.join("meta.json"), text).map_err(io)?;
        eprintln!("CSV 已写入 {}", dir.display());
    }
    if let Some(c) = counts {
        println!(
            "演示数据已创建（{}，规模 {}）：{} 个党组织，{} 名党员，{} 条党员记载，截至 {}；批量载入审计记录 1 条（demo.bulk_load）。",
            opts.profile.name(),
            opts.scale,
            c.orgs,
            c.members,
            c.member_events,
            as_of()
        );
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn apportion_is_exact() {
        let parts = apportion(1000, &[1.0, 2.0, 3.0, 0.5]);
        assert_eq!(parts.iter().sum::<u64>(), 1000);
        assert_eq!(apportion(7, &[1.0; 3]).iter().sum::<u64>(), 7);
    }

    #[test]
    fn ipf_meets_margins() {
        let prior = vec![vec![1.0, 2.0, 0.0], vec![3.0, 4.0, 1.0]];
        let m = ipf(&prior, &[3.0, 7.0], &[5.0, 3.0, 2.0]);
        for (row, want) in m.iter().zip([3.0, 7.0]) {
            assert!((row.iter().sum::<f64>() - want).abs() < 1e-6);
        }
        for (j, want) in [5.0, 3.0, 2.0].iter().enumerate() {
            assert!((m[0][j] + m[1][j] - want).abs() < 1e-6);
        }
        assert_eq!(m[0][2], 0.0, "structural zeros stay zero");
    }

    #[test]
    fn deterministic_and_sized() {
        let opts = Options {
            profile: Profile::County,
            scale: 5000,
            seed: 7,
            csv: None,
        };
        let a = build_tree(&opts, &mut Rng(7));
        let b = build_tree(&opts, &mut Rng(7));
        assert_eq!(a.orgs.len(), b.orgs.len());
        assert_eq!(a.sizes, b.sizes);
        assert_eq!(a.sizes.iter().map(|x| u64::from(*x)).sum::<u64>(), 5000);
        // Depth-first: every parent comes before its children.
        for (p, o) in a.orgs.iter().enumerate() {
            if let Some(q) = o.parent {
                assert!((q as usize) < p);
            }
        }
    }
}
