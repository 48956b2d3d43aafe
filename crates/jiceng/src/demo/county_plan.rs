//! The demo county of seed 000 (溧水县, "截止2004年底"): a pure, deterministic plan of the
//! organization tree, the members with their histories since 1940, and the demo users.
//!
//! Folding the plan at [`AS_OF`] (2004-12-31) with [`member_state_at`] and [`org_exists_at`]
//! reproduces every figure of seed 000 section 一 exactly (demo profile
//! `seed-county`); see [`figures`].
//!
//! Conventions (event-sourced):
//! - `PlanOrg::{name, short_name, parent}` are the values **at founding**; `history` renames,
//!   moves and dissolves the org. [`PlanOrg::name_at`], [`PlanOrg::short_name_at`] and
//!   [`PlanOrg::parent_at`] give the state at a date (e.g. at [`AS_OF`]).
//! - A member's state at a date is the fold of their events ([`member_state_at`]).
//! - Committee seats of 党委 / 党工委 are held by members whose membership sits in a child
//!   branch (usually the 机关支部): such seats have `member: None` and `person: Some(..)`.

use super::names::SURNAMES;
use std::collections::HashSet;

use chrono::{Datelike, Months, NaiveDate, TimeDelta};
use jiceng_domain::age::age_on;
use jiceng_domain::member::{Education, Gender, MemberEventKind, Occupation, VillagePost};
use jiceng_domain::org::{CommitteeRole, Field, OrgKind, SetupMode};
use rand::distributions::{Distribution, WeightedIndex};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::Serialize;

/// The as-of date of the seed's county summary ("截止04年底").
pub const AS_OF: NaiveDate = match NaiveDate::from_ymd_opt(2004, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// [`AS_OF`] as a function.
pub fn as_of() -> NaiveDate {
    AS_OF
}

/// Name of the demo county.
#[allow(dead_code)] // public API of the plan; the binary may use only part of it
pub const COUNTY_NAME: &str = "溧水县";
/// GB/T 2260 code of the demo county (prefix of every ID number and region code).
pub const COUNTY_CODE: &str = "320124";
/// Password of every demo user.
pub const DEMO_PASSWORD: &str = "Jiceng@2004";
/// Seed used for the generator.
pub const SEED: u64 = 2004;

/// The figures of seed 000 section 一 that the plan reproduces at [`AS_OF`].
#[allow(dead_code)] // public API of the plan; the binary may use only part of it
pub mod figures {
    /// 全县党员总数
    pub const MEMBERS: usize = 18_434;
    /// 预备党员
    pub const PROBATIONARY: usize = 272;
    /// 女党员
    pub const FEMALE: usize = 2_224;
    /// 35岁以下
    pub const AGE_LE35: usize = 2_182;
    /// 36-55岁
    pub const AGE_36_55: usize = 8_842;
    /// 55岁以上
    pub const AGE_GT55: usize = 7_410;
    /// 大专学历以上
    pub const EDU_COLLEGE: usize = 3_153;
    /// 中专（高中）
    pub const EDU_SECONDARY: usize = 5_334;
    /// 初中及以下
    pub const EDU_JUNIOR: usize = 9_947;
    /// 基层党总支
    pub const GENERAL_BRANCHES: usize = 113;
    /// 基层党支部
    pub const BRANCHES: usize = 901;
    /// 农村党总支 / 党支部 / 党员
    pub const RURAL: (usize, usize, usize) = (84, 297, 8_992);
    /// 非公企业党总支 / 党支部 / 党员
    pub const PRIVATE: (usize, usize, usize) = (7, 148, 1_498);
    /// 社区党总支 / 党支部 / 党员
    pub const COMMUNITY: (usize, usize, usize) = (11, 33, 703);
    /// 村干部 / 村书记 / 村主任 / 一肩挑
    pub const VILLAGE_CADRES: (usize, usize, usize, usize) = (499, 91, 91, 22);
    /// 镇党委
    pub const TOWN_COMMITTEES: usize = 8;
}

// ---------------------------------------------------------------------------------------
// Public plan types
// ---------------------------------------------------------------------------------------

/// The whole demo county.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// Orgs; parents (and move targets) always come before children; `orgs[0]` is the 县委.
    pub orgs: Vec<PlanOrg>,
    /// Everyone who was ever a member in the county (on the roster at [`AS_OF`] or not).
    pub members: Vec<PlanMember>,
    /// Demo users.
    pub users: Vec<PlanUser>,
}

/// One org of the tree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanOrg {
    /// Parent at founding (index into [`Plan::orgs`], always smaller than this org's index).
    pub parent: Option<usize>,
    /// Full official name at founding.
    pub name: String,
    /// Short name at founding.
    pub short_name: String,
    /// Kind.
    pub kind: OrgKind,
    /// Field.
    pub field: Field,
    /// Setup mode.
    pub setup_mode: SetupMode,
    /// Founding date.
    pub founded: NaiveDate,
    /// 6-digit county code for county-level orgs, 12-digit 统计用区划代码 for towns, villages,
    /// communities and the orgs inside them.
    pub region_code: Option<String>,
    /// GB 32100 code of the unit, for unit-level organ, institution and enterprise orgs.
    pub credit_code: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Committee (班子) at [`AS_OF`] (empty for orgs dissolved before it).
    pub committee: Vec<PlanSeat>,
    /// Renames, moves and dissolution, in date order, all on or before [`AS_OF`].
    pub history: Vec<PlanOrgEvent>,
}

/// A committee seat.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanSeat {
    /// The member holding the seat, who belongs to this org at [`AS_OF`]; `None` for seats of
    /// 党委 / 党工委 whose holders' membership sits in a child org (see `person`).
    pub member: Option<usize>,
    /// The member holding the seat wherever their membership sits (equals `member` when set).
    pub person: Option<usize>,
    /// Holder's name.
    pub person_name: String,
    /// Role.
    pub role: CommitteeRole,
    /// Start of the current term.
    pub term_start: NaiveDate,
    /// End of the term if it has ended (`None`: serving).
    pub term_end: Option<NaiveDate>,
}

/// A dated change of an org.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum PlanOrgEvent {
    /// New name from `date`.
    Renamed {
        /// Date.
        date: NaiveDate,
        /// Full name.
        new_name: String,
        /// Short name.
        new_short_name: String,
    },
    /// New parent from `date` (`new_parent` is smaller than the org's index).
    Moved {
        /// Date.
        date: NaiveDate,
        /// New parent.
        new_parent: usize,
    },
    /// Dissolved on `date` (no members from that date on).
    Dissolved {
        /// Date.
        date: NaiveDate,
    },
}

impl PlanOrgEvent {
    /// Date of the event.
    pub fn date(&self) -> NaiveDate {
        match self {
            Self::Renamed { date, .. } | Self::Moved { date, .. } | Self::Dissolved { date } => {
                *date
            }
        }
    }
}

#[allow(dead_code)] // public API of the plan; the binary may use only part of it
impl PlanOrg {
    /// Full name at `d`.
    pub fn name_at(&self, d: NaiveDate) -> &str {
        let mut name = self.name.as_str();
        for e in &self.history {
            if let PlanOrgEvent::Renamed { date, new_name, .. } = e {
                if *date <= d {
                    name = new_name;
                }
            }
        }
        name
    }
    /// Short name at `d`.
    pub fn short_name_at(&self, d: NaiveDate) -> &str {
        let mut name = self.short_name.as_str();
        for e in &self.history {
            if let PlanOrgEvent::Renamed {
                date,
                new_short_name,
                ..
            } = e
            {
                if *date <= d {
                    name = new_short_name;
                }
            }
        }
        name
    }
    /// Parent at `d`.
    pub fn parent_at(&self, d: NaiveDate) -> Option<usize> {
        let mut parent = self.parent;
        for e in &self.history {
            if let PlanOrgEvent::Moved { date, new_parent } = e {
                if *date <= d {
                    parent = Some(*new_parent);
                }
            }
        }
        parent
    }
    /// Dissolution date, if any.
    pub fn dissolved_on(&self) -> Option<NaiveDate> {
        self.history.iter().find_map(|e| match e {
            PlanOrgEvent::Dissolved { date } => Some(*date),
            _ => None,
        })
    }
}

/// A person who was a member in the county at some time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanMember {
    /// Name.
    pub name: String,
    /// Gender.
    pub gender: Gender,
    /// GB/T 3304 code ("01" 汉).
    pub ethnicity: String,
    /// Birth date.
    pub birth: NaiveDate,
    /// GB 11643 ID number (region prefix [`COUNTY_CODE`]).
    pub id_number: String,
    /// Native place (籍贯).
    pub native_place: String,
    /// Education.
    pub education: Education,
    /// Occupation at [`AS_OF`] (or when they left).
    pub occupation: Occupation,
    /// Mobile phone.
    pub phone: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Post in the village two committees.
    pub village_post: Option<VillagePost>,
    /// 离退休.
    pub retired: bool,
    /// 建国前老党员 (joined before 1949-10-01).
    pub pre1949_veteran: bool,
    /// 困难党员.
    pub in_difficulty: bool,
    /// 有职党员.
    pub holds_office: bool,
    /// Date of joining the Party (入党时间), also for members who joined outside the county.
    pub join_date: NaiveDate,
    /// Date of becoming a full member (转正时间), if they did.
    pub full_date: Option<NaiveDate>,
    /// Events in date order; the first one is Joined or TransferredIn.
    pub events: Vec<PlanEvent>,
}

#[allow(dead_code)] // public API of the plan; the binary may use only part of it
impl PlanMember {
    /// 入党时间, also for members whose first event in the county is a transfer in.
    pub fn join_date_before_transfer(&self) -> NaiveDate {
        self.join_date
    }
    /// 转正时间 of a member who transferred in as a full member (converted elsewhere).
    pub fn full_date_before_transfer(&self) -> NaiveDate {
        self.full_date
            .unwrap_or_else(|| add_years(self.join_date, 1))
    }
    /// Org and probationary status at `d` ([`member_state_at`]).
    pub fn state_at(&self, d: NaiveDate) -> Option<(usize, bool)> {
        member_state_at(self, d)
    }
}

/// A dated member event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanEvent {
    /// Date.
    pub date: NaiveDate,
    /// Kind.
    pub kind: MemberEventKind,
    /// Target org for Joined / TransferredIn / Moved.
    pub org: Option<usize>,
    /// Introduction letter number (transfers).
    pub letter_no: Option<String>,
    /// Note; `"probationary"` on a TransferredIn of a probationary member.
    pub note: Option<String>,
}

/// A demo user.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanUser {
    /// Login.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// "admin" | "org_dept" | "committee" | "branch".
    pub role: &'static str,
    /// Org the role is held on.
    pub org: usize,
    /// Password.
    pub password: String,
}

/// Note marking a TransferredIn of a probationary member.
pub const PROBATIONARY_NOTE: &str = "probationary";

/// Whether an org exists at `d`: founded on or before `d` and not dissolved on or before it.
#[allow(dead_code)] // public API of the plan; the binary may use only part of it
pub fn org_exists_at(o: &PlanOrg, d: NaiveDate) -> bool {
    o.founded <= d && o.dissolved_on().is_none_or(|x| x > d)
}

/// A member's org and probationary status at `d`, or `None` if not on the roster then.
#[allow(dead_code)] // public API of the plan; the binary may use only part of it
pub fn member_state_at(m: &PlanMember, d: NaiveDate) -> Option<(usize, bool)> {
    let mut on = false;
    let mut org = None;
    let mut probationary = false;
    for e in m.events.iter().filter(|e| e.date <= d) {
        if e.kind.starts_membership() {
            on = true;
            org = e.org;
            probationary =
                e.kind == MemberEventKind::Joined || e.note.as_deref() == Some(PROBATIONARY_NOTE);
        } else if e.kind.ends_membership() {
            on = false;
        } else if e.kind == MemberEventKind::Moved {
            if e.org.is_some() {
                org = e.org;
            }
        } else if e.kind == MemberEventKind::Converted {
            probationary = false;
        }
    }
    if on {
        org.map(|o| (o, probationary))
    } else {
        None
    }
}

/// Builds the plan (deterministic: seeded with [`SEED`]).
pub fn build() -> Plan {
    let mut g = Gen::new();
    g.build_tree();
    g.index_tree();
    g.allocate();
    g.roster_drafts();
    g.sample_attributes();
    g.choose_probationary_and_veterans();
    g.roster_events();
    g.historical_people();
    g.membership_orgs_only();
    g.seats();
    g.finish()
}

// ---------------------------------------------------------------------------------------
// Check digits
// ---------------------------------------------------------------------------------------

/// A demo ID number (GB 11643) for a region code, birth date and gender (odd sequence digit
/// for men), never one already in `ids`.
pub(crate) fn unique_id_number(
    rng: &mut StdRng,
    ids: &mut HashSet<String>,
    code: &str,
    birth: NaiveDate,
    gender: Gender,
) -> String {
    loop {
        let base = rng.gen_range(0..500u32) * 2;
        let seq = if gender == Gender::Male {
            base + 1
        } else {
            base
        };
        let first17 = format!("{code}{}{seq:03}", birth.format("%Y%m%d"));
        let Some(c) = id_check_char(&first17) else {
            continue;
        };
        let id = format!("{first17}{c}");
        if ids.insert(id.clone()) {
            return id;
        }
    }
}

/// GB 11643 check character for the first 17 digits of an ID number.
#[allow(dead_code)] // public API of the plan; the binary may use only part of it
pub fn id_check_char(first17: &str) -> Option<char> {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (ch, w) in first17.chars().zip(W) {
        sum += ch.to_digit(10)? * w;
    }
    Some(C[(sum % 11) as usize])
}

const CREDIT_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// GB 32100 check character for the first 17 characters of a credit code.
#[allow(dead_code)] // public API of the plan; the binary may use only part of it
pub fn credit_check_char(first17: &str) -> Option<char> {
    let alphabet: Vec<char> = CREDIT_ALPHABET.chars().collect();
    if first17.chars().count() != 17 {
        return None;
    }
    let mut sum = 0usize;
    let mut w = 1usize;
    for ch in first17.chars() {
        let v = alphabet.iter().position(|&a| a == ch)?;
        sum += v * w;
        w = w * 3 % 31;
    }
    alphabet.get((31 - sum % 31) % 31).copied()
}

/// GB 11714 check character of an 8-digit organization code body.
fn org_code_check(body8: &str) -> Option<char> {
    const W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let mut sum = 0;
    for (ch, w) in body8.chars().zip(W) {
        sum += ch.to_digit(36)? * w;
    }
    match 11 - sum % 11 {
        10 => Some('X'),
        11 => Some('0'),
        c => char::from_digit(c, 10),
    }
}

// ---------------------------------------------------------------------------------------
// Date helpers
// ---------------------------------------------------------------------------------------

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    d.checked_add_signed(TimeDelta::days(n)).unwrap_or(d)
}

fn add_years(d: NaiveDate, y: u32) -> NaiveDate {
    d.checked_add_months(Months::new(12 * y)).unwrap_or(d)
}

fn add_months(d: NaiveDate, m: u32) -> NaiveDate {
    d.checked_add_months(Months::new(m)).unwrap_or(d)
}

fn days_between(a: NaiveDate, b: NaiveDate) -> i64 {
    b.signed_duration_since(a).num_days()
}

fn rand_date(rng: &mut StdRng, lo: NaiveDate, hi: NaiveDate) -> NaiveDate {
    if hi <= lo {
        lo
    } else {
        add_days(lo, rng.gen_range(0..=days_between(lo, hi)))
    }
}

fn age_group(age: i32) -> usize {
    if age <= 35 {
        0
    } else if age <= 55 {
        1
    } else {
        2
    }
}

/// Field groups of the seed: 0 rural, 1 community, 2 private enterprise, 3 everything else.
fn field_group(f: Field) -> usize {
    match f {
        Field::Rural => 0,
        Field::Community => 1,
        Field::PrivateEnterprise => 2,
        _ => 3,
    }
}

fn pick_weighted(rng: &mut StdRng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        return 0;
    }
    let mut x = rng.gen::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len().saturating_sub(1)
}

/// Largest-remainder apportionment of `total` over `weights`, each part at least `mins[i]`.
fn apportion(total: usize, weights: &[f64], mins: &[usize]) -> Vec<usize> {
    let mut out: Vec<usize> = mins.to_vec();
    let base: usize = mins.iter().sum();
    let rest = total.saturating_sub(base);
    let wsum: f64 = weights.iter().sum();
    if weights.is_empty() || wsum <= 0.0 {
        return out;
    }
    let mut rems: Vec<(f64, usize)> = Vec::with_capacity(weights.len());
    let mut given = 0usize;
    for (i, w) in weights.iter().enumerate() {
        let exact = rest as f64 * w / wsum;
        let fl = exact.floor() as usize;
        out[i] += fl;
        given += fl;
        rems.push((exact - fl as f64, i));
    }
    rems.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut left = rest.saturating_sub(given);
    let mut k = 0;
    while left > 0 && !rems.is_empty() {
        out[rems[k % rems.len()].1] += 1;
        left -= 1;
        k += 1;
    }
    out
}

// ---------------------------------------------------------------------------------------
// Static data
// ---------------------------------------------------------------------------------------

struct TownSpec {
    name: &'static str,
    pinyin: &'static str,
    villages: usize,
    communities: &'static [&'static str],
    /// Year the 乡 became a 镇 (None: 镇 since 1983).
    became_zhen: Option<i32>,
}

const TOWNS: [TownSpec; 8] = [
    TownSpec {
        name: "永阳",
        pinyin: "yongyang",
        villages: 10,
        communities: &["中山", "通济", "秦淮", "宝塔", "致远", "城中", "幸庄"],
        became_zhen: None,
    },
    TownSpec {
        name: "柘塘",
        pinyin: "zhetang",
        villages: 12,
        communities: &["柘塘"],
        became_zhen: Some(1988),
    },
    TownSpec {
        name: "东屏",
        pinyin: "dongping",
        villages: 11,
        communities: &[],
        became_zhen: Some(1992),
    },
    TownSpec {
        name: "石湫",
        pinyin: "shiqiu",
        villages: 12,
        communities: &["石湫"],
        became_zhen: Some(1991),
    },
    TownSpec {
        name: "洪蓝",
        pinyin: "honglan",
        villages: 11,
        communities: &["洪蓝"],
        became_zhen: Some(1994),
    },
    TownSpec {
        name: "白马",
        pinyin: "baima",
        villages: 11,
        communities: &["白马"],
        became_zhen: Some(1993),
    },
    TownSpec {
        name: "晶桥",
        pinyin: "jingqiao",
        villages: 12,
        communities: &[],
        became_zhen: Some(1999),
    },
    TownSpec {
        name: "和凤",
        pinyin: "hefeng",
        villages: 12,
        communities: &[],
        became_zhen: Some(2000),
    },
];

/// Former townships merged in the 2000 township reform: (name, town index it merged into).
const FORMER_XIANG: [(&str, usize); 3] = [("群力", 2), ("渔歌", 6), ("共和", 7)];
const XIANG_VILLAGES: usize = 4;
const XIANG_MERGED: (i32, u32, u32) = (2000, 12, 20);

/// Villages whose secretaries get demo users: (town index, village name, pinyin).
const USER_VILLAGES: [(usize, &str, &str); 2] = [(6, "芝山", "zhishan"), (7, "骆山", "luoshan")];

const VILLAGE_NAMES: &[&str] = &[
    "石塘", "杨庄", "后山", "新桥", "东庄", "西岗", "塘口", "白鹤", "王庄", "李巷", "芮家", "濮塘",
    "蒋山", "竹林", "双河", "龙井", "山口", "凤山", "青山", "梅岗", "田湾", "河西", "沙塘", "曹家",
    "马塘", "湖滨", "陈庄", "南岗", "北圩", "上坝", "下坝", "三星", "五里", "七里", "长乐", "永兴",
    "团山", "胜利", "红光", "和平", "新华", "红星", "前进", "石桥", "观山", "回峰", "彭塘", "赵村",
    "孙家", "周园", "朱家", "徐庄", "韩桥", "东阳", "西阳", "南山", "北山", "金山", "银塘", "铜山",
    "柳塘", "桃园", "杏村", "梨园", "枫香", "松林", "柏林", "荷花", "莲塘", "仓口", "渡口", "方山",
    "卧龙", "凤凰", "青龙", "白龙", "黄龙", "花山", "石门", "铁山", "塔山", "秋湖", "春塘", "夏家",
    "团结", "联合", "永丰", "丰收", "富民", "兴隆", "太平", "长塘", "大树", "小塘", "高桥", "汤泉",
    "塘西", "塘东", "中岗", "里佳", "外桥", "姚庄", "许家", "冯家", "邵村", "严家", "蒲塘", "东岗",
    "西庄", "南庄", "北庄", "草塘", "茶山", "林山", "荡里", "圩西", "埂头", "车村", "岗上", "窑头",
    "石坝", "燕山", "跃进", "金牛", "沙河", "乌山", "孔家", "张家", "芦塘", "钱家",
];

const FIRM_PREFIXES: &[&str] = &[
    "宏达", "华源", "金鑫", "恒通", "兴隆", "天成", "永兴", "鑫源", "华宇", "新港", "明珠", "东方",
    "秦淮", "蓝天", "绿源", "康达", "利民", "万顺", "银河", "长江", "天马", "海燕", "同力", "博远",
    "惠民", "汇丰", "亚星", "大华", "中天", "嘉禾", "富源", "瑞丰", "金鹰", "华夏", "正大", "新宇",
    "科达", "润发", "通达", "凯旋", "金盛", "百川", "宝龙", "永安", "龙腾", "锦程", "鸿运", "开元",
    "顺发", "三峰",
];

const FIRM_INDUSTRIES: &[&str] = &[
    "纺织",
    "服装",
    "机械",
    "建材",
    "化工",
    "电子",
    "塑料",
    "食品",
    "包装",
    "铸造",
    "建筑安装",
    "水泥制品",
    "五金",
    "电器",
    "农业开发",
    "茶叶",
    "木业",
    "印刷",
    "物流",
    "房地产开发",
    "汽车配件",
    "不锈钢",
    "新材料",
    "医药",
];

const STREETS: &[&str] = &[
    "中山路",
    "通济街",
    "珍珠路",
    "秦淮大街",
    "天生桥大道",
    "交通路",
    "致远路",
    "永阳路",
    "宝塔路",
    "东门街",
    "健园路",
    "金蛙路",
    "幸庄路",
    "团山路",
    "淮源路",
];

const CN_ORDINALS: [&str; 10] = [
    "第一", "第二", "第三", "第四", "第五", "第六", "第七", "第八", "第九", "第十",
];

const PLACES_OUT: &[&str] = &[
    "南京市玄武区",
    "南京市鼓楼区",
    "南京市江宁区",
    "南京市白下区",
    "高淳县",
    "句容市",
    "无锡市",
    "苏州市",
    "常州市",
    "上海市",
    "安徽省当涂县",
    "安徽省马鞍山市",
    "镇江市",
    "扬州市",
];

/// Given-name characters: [era][gender][first, second, single]; era 0 born before 1950,
/// 1 before 1970, 2 later; gender 0 male, 1 female.
const GIVEN: [[[&str; 3]; 2]; 3] = [
    [
        [
            "金德宝福荣根玉永正长有树国学仁庆家明文广兆启世立",
            "根宝生福林山才发荣祥明华贵海成全元和清富喜堂春忠",
            "林山才荣祥贵海成全福",
        ],
        [
            "秀桂玉凤金兰素淑美翠月巧",
            "英兰珍芳凤花娣琴梅云华贞",
            "英兰珍芳凤娣",
        ],
    ],
    [
        [
            "建国卫志小新红爱军向跃振文永春东海继光胜伟平先",
            "国华军平东明兵林强民忠武新生红伟勇进刚峰良斌荣",
            "军平明兵林强民忠武勇刚斌",
        ],
        [
            "红秀玉建丽小爱春美海文晓",
            "梅英华霞萍芳琴红珍云燕玲",
            "梅霞萍芳琴燕玲红",
        ],
    ],
    [
        [
            "志俊海建晓立文明家子国永宏春云亚",
            "伟强磊军勇杰涛斌波峰超鹏浩飞亮刚辉锋龙宇",
            "伟磊军勇杰涛斌波峰超鹏浩飞亮刚辉锋龙宇健俊",
        ],
        [
            "晓丽静雅婷海春文慧佳雪",
            "静丽娟燕敏婷倩霞芳婧艳洁",
            "静丽娟燕敏婷倩霞芳艳洁莉",
        ],
    ],
];

const NATIVE_PLACES: &[(&str, u32)] = &[
    ("江苏溧水", 850),
    ("江苏高淳", 30),
    ("江苏句容", 20),
    ("江苏南京", 20),
    ("江苏溧阳", 12),
    ("江苏宜兴", 8),
    ("安徽当涂", 15),
    ("安徽郎溪", 10),
    ("安徽和县", 6),
    ("山东临沂", 8),
    ("江苏盐城", 8),
    ("江苏南通", 5),
    ("浙江长兴", 4),
    ("河南信阳", 4),
];

/// Minority codes (GB/T 3304) with weights: 回 满 蒙古 壮 苗 土家.
const MINORITIES: &[(&str, u32)] = &[
    ("03", 60),
    ("11", 15),
    ("02", 8),
    ("08", 7),
    ("06", 5),
    ("15", 5),
];

// ---------------------------------------------------------------------------------------
// Profiles (who sits in an org) and their distributions
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Profile {
    Rural,
    Community,
    Private,
    Organ,
    Institution,
    School,
    StateEnt,
    Retiree,
}

impl Profile {
    fn ix(self) -> usize {
        self as usize
    }
    fn of_field(f: Field) -> Self {
        match f {
            Field::Rural => Self::Rural,
            Field::Community => Self::Community,
            Field::PrivateEnterprise => Self::Private,
            Field::Institution => Self::Institution,
            Field::School => Self::School,
            Field::StateEnterprise => Self::StateEnt,
            _ => Self::Organ,
        }
    }
    fn default_weight(self) -> f64 {
        match self {
            Self::Rural => 30.0,
            Self::Community => 20.0,
            Self::Private => 9.0,
            Self::Organ => 12.0,
            Self::Institution => 14.0,
            Self::School => 9.0,
            Self::StateEnt => 15.0,
            Self::Retiree => 28.0,
        }
    }
}

/// P(age group) per profile: ≤35, 36–55, >55.
const AGE_P: [[f64; 3]; 8] = [
    [0.07, 0.43, 0.50],
    [0.06, 0.30, 0.64],
    [0.30, 0.58, 0.12],
    [0.17, 0.66, 0.17],
    [0.18, 0.62, 0.20],
    [0.25, 0.60, 0.15],
    [0.12, 0.60, 0.28],
    [0.0, 0.04, 0.96],
];

/// P(education group) per profile and age group: college+, secondary/high school, junior.
const EDU_P: [[[f64; 3]; 3]; 8] = [
    [[0.08, 0.47, 0.45], [0.02, 0.26, 0.72], [0.004, 0.06, 0.936]],
    [[0.35, 0.50, 0.15], [0.14, 0.50, 0.36], [0.06, 0.30, 0.64]],
    [[0.35, 0.52, 0.13], [0.15, 0.55, 0.30], [0.06, 0.36, 0.58]],
    [[0.85, 0.15, 0.0], [0.50, 0.42, 0.08], [0.18, 0.42, 0.40]],
    [[0.75, 0.25, 0.0], [0.42, 0.48, 0.10], [0.15, 0.45, 0.40]],
    [[0.80, 0.20, 0.0], [0.45, 0.50, 0.05], [0.15, 0.55, 0.30]],
    [[0.40, 0.50, 0.10], [0.12, 0.50, 0.38], [0.04, 0.30, 0.66]],
    [[0.30, 0.50, 0.20], [0.20, 0.50, 0.30], [0.10, 0.32, 0.58]],
];

/// P(female) per profile (before the age factor).
const FEMALE_P: [f64; 8] = [0.06, 0.30, 0.15, 0.15, 0.32, 0.32, 0.12, 0.10];

const AGE_FEMALE_FACTOR: [f64; 3] = [1.6, 1.0, 0.6];

fn sample_age(rng: &mut StdRng, group: usize) -> i32 {
    match group {
        0 => {
            let w: Vec<f64> = (19..=35).map(|a| f64::from(a - 17)).collect();
            19 + pick_weighted(rng, &w) as i32
        }
        1 => rng.gen_range(36..=55),
        _ => {
            let w: Vec<f64> = (56..=95)
                .map(|a| match a {
                    56..=65 => 1.0,
                    66..=75 => 0.85,
                    76..=85 => 0.45,
                    86..=90 => 0.15,
                    _ => 0.04,
                })
                .collect();
            56 + pick_weighted(rng, &w) as i32
        }
    }
}

fn join_age(rng: &mut StdRng, p: Profile) -> u32 {
    let span = match p {
        Profile::Rural => 14,
        Profile::Organ | Profile::Institution | Profile::School => 8,
        Profile::Private => 10,
        Profile::Community => 12,
        Profile::StateEnt | Profile::Retiree => 9,
    };
    19 + rng.gen_range(0..=span) + rng.gen_range(0..=span)
}

// ---------------------------------------------------------------------------------------
// Generator state
// ---------------------------------------------------------------------------------------

#[derive(Clone)]
struct Meta {
    profile: Profile,
    /// Roster places fixed in advance (village cadres, general-branch committee members).
    fixed: usize,
    /// Weight of the apportioned rest.
    weight: f64,
    min_extra: usize,
    /// Child of the root this org is under (by parent at AS_OF).
    top: usize,
    /// Town (index of the town committee) by parent at AS_OF.
    town: Option<usize>,
    /// Village org (GB or single branch) this org belongs to.
    village: Option<usize>,
    /// Where members of a dissolved org went.
    successor: Option<usize>,
    dissolved: Option<NaiveDate>,
    /// Village two-committee posts held by members of this org (village orgs only).
    posts: Vec<VillagePost>,
    /// Address prefix ("溧水县永阳镇").
    place: String,
    /// Village name (without 村) for addresses.
    village_name: Option<String>,
    /// Roster size at AS_OF.
    roster: usize,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Prob {
    No,
    Joined2004,
    Extended,
    TransferIn,
}

#[derive(Clone)]
struct Draft {
    org: usize,
    profile: Profile,
    roster: bool,
    birth: NaiveDate,
    /// Age at AS_OF (roster) or when leaving (others).
    age: i32,
    gender: Gender,
    edu: usize,
    education: Education,
    pinned: bool,
    reserved: bool,
    post: Option<VillagePost>,
    prob: Prob,
    veteran: bool,
    join: NaiveDate,
    full: Option<NaiveDate>,
    /// When they arrived in `org` and were full there (for committee seats).
    entry: NaiveDate,
    ready: Option<NaiveDate>,
    events: Vec<PlanEvent>,
    office: bool,
}

impl Draft {
    fn new(org: usize, profile: Profile, roster: bool) -> Self {
        Draft {
            org,
            profile,
            roster,
            birth: ymd(1960, 1, 1),
            age: 44,
            gender: Gender::Male,
            edu: 2,
            education: Education::JuniorOrBelow,
            pinned: false,
            reserved: false,
            post: None,
            prob: Prob::No,
            veteran: false,
            join: ymd(1980, 1, 1),
            full: None,
            entry: ymd(1980, 1, 1),
            ready: None,
            events: Vec::new(),
            office: false,
        }
    }
}

struct VillageInfo {
    org: usize,
}

struct Gen {
    rng: StdRng,
    orgs: Vec<PlanOrg>,
    meta: Vec<Meta>,
    drafts: Vec<Draft>,
    towns: Vec<usize>,
    villages: Vec<VillageInfo>,
    dev_zone: usize,
    organs_wc: usize,
    family: Vec<Vec<usize>>,
    top_pool: Vec<Vec<usize>>,
    preds: Vec<Vec<usize>>,
    hist_pool: Vec<usize>,
    hist_index: Option<WeightedIndex<f64>>,
    village_pool: Vec<&'static str>,
    firm_names: HashSet<String>,
    ids: HashSet<String>,
    phones: HashSet<String>,
    credit_codes: HashSet<String>,
    out_letters: Vec<u32>,
    surname_index: Option<WeightedIndex<u32>>,
    /// Names by gender, unique by (name, birth date), on their own random stream.
    names: super::names::Names,
    native_index: Option<WeightedIndex<u32>>,
    minority_index: Option<WeightedIndex<u32>>,
}

fn names_for(kind: OrgKind, full: &str, short: &str) -> (String, String) {
    match kind {
        OrgKind::Committee => (format!("中共{full}委员会"), format!("{short}党委")),
        OrgKind::WorkingCommittee => (format!("中共{full}工作委员会"), format!("{short}党工委")),
        OrgKind::GeneralBranch => (format!("中共{full}总支部委员会"), format!("{short}党总支")),
        OrgKind::Branch => (format!("中共{full}支部委员会"), format!("{short}党支部")),
        OrgKind::TemporaryBranch => (
            format!("中共{full}临时支部委员会"),
            format!("{short}临时党支部"),
        ),
        OrgKind::Group => (format!("{full}党小组"), format!("{short}党小组")),
    }
}

/// "县财政局" → ("溧水县财政局", "县财政局"); other names are kept.
fn county_unit(s: &str) -> (String, String) {
    match s.strip_prefix('县') {
        Some(rest) => (format!("溧水县{rest}"), s.to_string()),
        None => (s.to_string(), s.to_string()),
    }
}

impl Gen {
    fn new() -> Self {
        let surname_index = WeightedIndex::new(SURNAMES.iter().map(|s| s.1)).ok();
        let native_index = WeightedIndex::new(NATIVE_PLACES.iter().map(|s| s.1)).ok();
        let minority_index = WeightedIndex::new(MINORITIES.iter().map(|s| s.1)).ok();
        Gen {
            rng: StdRng::seed_from_u64(SEED),
            orgs: Vec::new(),
            meta: Vec::new(),
            drafts: Vec::new(),
            towns: Vec::new(),
            villages: Vec::new(),
            dev_zone: 0,
            organs_wc: 0,
            family: Vec::new(),
            top_pool: Vec::new(),
            preds: Vec::new(),
            hist_pool: Vec::new(),
            hist_index: None,
            village_pool: Vec::new(),
            firm_names: HashSet::new(),
            ids: HashSet::new(),
            phones: HashSet::new(),
            credit_codes: HashSet::new(),
            out_letters: vec![0; 80],
            surname_index,
            names: super::names::Names::new(SEED + 1),
            native_index,
            minority_index,
        }
    }

    // -----------------------------------------------------------------------------------
    // Tree
    // -----------------------------------------------------------------------------------

    fn add_org(
        &mut self,
        parent: Option<usize>,
        kind: OrgKind,
        field: Field,
        unit: (&str, &str),
        founded: NaiveDate,
    ) -> usize {
        let idx = self.orgs.len();
        let (name, short_name) = names_for(kind, unit.0, unit.1);
        // Never before the parent, never after mid-2004.
        let founded = match parent {
            Some(p) => founded.max(self.orgs[p].founded),
            None => founded,
        }
        .min(ymd(2004, 6, 30));
        let (region_code, place, town, village, village_name) = match parent {
            Some(p) => (
                self.orgs[p].region_code.clone(),
                self.meta[p].place.clone(),
                self.meta[p].town,
                self.meta[p].village,
                self.meta[p].village_name.clone(),
            ),
            None => (
                Some(COUNTY_CODE.to_string()),
                "溧水县永阳镇".to_string(),
                None,
                None,
                None,
            ),
        };
        let top = match parent {
            None | Some(0) => idx,
            Some(p) => self.meta[p].top,
        };
        let profile = Profile::of_field(field);
        let jitter = self.rng.gen_range(0.7..1.3);
        self.orgs.push(PlanOrg {
            parent,
            name,
            short_name,
            kind,
            field,
            setup_mode: SetupMode::Standalone,
            founded,
            region_code,
            credit_code: None,
            address: None,
            phone: None,
            committee: Vec::new(),
            history: Vec::new(),
        });
        self.meta.push(Meta {
            profile,
            fixed: 0,
            weight: profile.default_weight() * jitter,
            min_extra: 4,
            top,
            town,
            village,
            successor: None,
            dissolved: None,
            posts: Vec::new(),
            place,
            village_name,
            roster: 0,
        });
        idx
    }

    fn branch(
        &mut self,
        parent: usize,
        field: Field,
        unit: (&str, &str),
        founded: NaiveDate,
    ) -> usize {
        self.add_org(Some(parent), OrgKind::Branch, field, unit, founded)
    }

    /// A branch of a county unit given as "县XX局" (or a full name).
    fn county_branch(
        &mut self,
        parent: usize,
        field: Field,
        unit: &str,
        founded: NaiveDate,
    ) -> usize {
        let (full, short) = county_unit(unit);
        let o = self.branch(parent, field, (&full, &short), founded);
        self.make_unit(o);
        o
    }

    fn retiree(&mut self, o: usize) {
        self.orgs[o].setup_mode = SetupMode::Retiree;
        self.meta[o].profile = Profile::Retiree;
        self.meta[o].weight = Profile::Retiree.default_weight() * self.rng.gen_range(0.6..1.3);
        self.meta[o].min_extra = 8;
    }

    fn rename(&mut self, o: usize, date: NaiveDate, unit: (&str, &str)) {
        let (new_name, new_short_name) = names_for(self.orgs[o].kind, unit.0, unit.1);
        self.orgs[o].history.push(PlanOrgEvent::Renamed {
            date,
            new_name,
            new_short_name,
        });
    }

    fn dissolve(&mut self, o: usize, date: NaiveDate, successor: Option<usize>) {
        self.orgs[o].history.push(PlanOrgEvent::Dissolved { date });
        self.meta[o].dissolved = Some(date);
        self.meta[o].successor = successor;
        self.meta[o].weight = 0.0;
        self.meta[o].min_extra = 0;
    }

    fn move_org(&mut self, o: usize, date: NaiveDate, new_parent: usize) {
        self.orgs[o]
            .history
            .push(PlanOrgEvent::Moved { date, new_parent });
        self.meta[o].top = self.meta[new_parent].top;
        self.meta[o].town = self.meta[new_parent].town;
        if self.orgs[new_parent].region_code.as_deref() == Some(COUNTY_CODE) {
            self.orgs[o].region_code = Some(COUNTY_CODE.to_string());
        }
        self.meta[o].place = self.meta[new_parent].place.clone();
    }

    fn org_phone(&mut self) -> String {
        loop {
            let p = format!("025-572{:05}", self.rng.gen_range(10_000..100_000));
            if self.phones.insert(p.clone()) {
                return p;
            }
        }
    }

    /// Marks an org as a unit of its own: credit code, address and phone.
    fn make_unit(&mut self, o: usize) {
        let prefix = match self.orgs[o].field {
            Field::Organ => "11",
            Field::Institution | Field::School => "12",
            Field::StateEnterprise | Field::PrivateEnterprise => "91",
            _ => "",
        };
        if !prefix.is_empty() {
            let code = loop {
                let body: String = (0..8)
                    .map(|_| char::from(b'0' + self.rng.gen_range(0..10u8)))
                    .collect();
                let Some(c9) = org_code_check(&body) else {
                    continue;
                };
                let first17 = format!("{prefix}{COUNTY_CODE}{body}{c9}");
                let Some(c18) = credit_check_char(&first17) else {
                    continue;
                };
                let code = format!("{first17}{c18}");
                if self.credit_codes.insert(code.clone()) {
                    break code;
                }
            };
            self.orgs[o].credit_code = Some(code);
        }
        let street = STREETS[self.rng.gen_range(0..STREETS.len())];
        let no = self.rng.gen_range(1..300);
        self.orgs[o].address = Some(format!("{}{street}{no}号", self.meta[o].place));
        let phone = self.org_phone();
        self.orgs[o].phone = Some(phone);
    }

    fn take_village_name(&mut self) -> &'static str {
        self.village_pool.pop().unwrap_or("新村")
    }

    fn firm_name(&mut self) -> (String, String) {
        loop {
            let p = FIRM_PREFIXES[self.rng.gen_range(0..FIRM_PREFIXES.len())];
            let i = FIRM_INDUSTRIES[self.rng.gen_range(0..FIRM_INDUSTRIES.len())];
            let short = format!("{p}{i}");
            if self.firm_names.insert(short.clone()) {
                return (format!("溧水县{p}{i}有限公司"), format!("{p}{i}公司"));
            }
        }
    }

    fn private_firm(&mut self, parent: usize, lo: NaiveDate) -> usize {
        let (full, short) = self.firm_name();
        let founded = rand_date(&mut self.rng, lo, ymd(2004, 6, 30));
        let o = self.branch(parent, Field::PrivateEnterprise, (&full, &short), founded);
        self.make_unit(o);
        o
    }

    /// A general branch of a unit with sub-branches labelled `subs`.
    fn unit_gb(
        &mut self,
        parent: usize,
        field: Field,
        unit: (&str, &str),
        founded: NaiveDate,
        subs: &[&str],
    ) -> usize {
        let g = self.add_org(Some(parent), OrgKind::GeneralBranch, field, unit, founded);
        self.make_unit(g);
        let size = *[3usize, 5, 5, 5, 7, 7].choose(&mut self.rng).unwrap_or(&5);
        self.meta[g].fixed = size;
        self.meta[g].weight = 0.0;
        self.meta[g].min_extra = 0;
        for s in subs {
            let full = format!("{}{s}", unit.0);
            let short = format!("{}{s}", unit.1);
            let sf = add_days(founded, self.rng.gen_range(0..3000));
            let b = self.branch(g, field, (&full, &short), sf.min(ymd(2003, 6, 30)));
            if s.contains("离退休") {
                self.retiree(b);
            }
        }
        g
    }

    fn build_tree(&mut self) {
        let mut pool: Vec<&'static str> = Vec::new();
        let mut seen = HashSet::new();
        let reserved: HashSet<&str> = USER_VILLAGES
            .iter()
            .map(|v| v.1)
            .chain(FORMER_XIANG.iter().map(|x| x.0))
            .collect();
        for v in VILLAGE_NAMES {
            if !reserved.contains(v) && seen.insert(*v) {
                pool.push(v);
            }
        }
        pool.shuffle(&mut self.rng);
        self.village_pool = pool;

        // Root: 中共溧水县委员会.
        let root = self.add_org(
            None,
            OrgKind::Committee,
            Field::Organ,
            ("溧水县", "溧水县"),
            ymd(1939, 10, 1),
        );
        self.orgs[root].name = "中共溧水县委员会".into();
        self.orgs[root].short_name = "溧水县委".into();
        self.orgs[root].address = Some("溧水县永阳镇珍珠路1号".into());
        let phone = self.org_phone();
        self.orgs[root].phone = Some(phone);

        // Towns (founded as 乡 committees in 1949, communes in 1958, 乡/镇 again in 1983).
        for (i, t) in TOWNS.iter().enumerate() {
            let n = t.name;
            let first = if t.became_zhen.is_none() {
                "镇"
            } else {
                "乡"
            };
            let founded = ymd(1949, 6 + (i as u32 % 6), 1 + i as u32);
            let o = self.add_org(
                Some(root),
                OrgKind::Committee,
                Field::Rural,
                (&format!("溧水县{n}{first}"), &format!("{n}{first}")),
                founded,
            );
            self.orgs[o].region_code = Some(format!("{COUNTY_CODE}{}000", 100 + i));
            self.meta[o].place = format!("溧水县{n}镇");
            self.meta[o].town = Some(o);
            self.meta[o].top = o;
            self.rename(
                o,
                ymd(1958, 9, 10 + i as u32),
                (&format!("溧水县{n}人民公社"), &format!("{n}公社")),
            );
            let d83 = ymd(1983, 4 + (i as u32 % 3), 1);
            self.rename(
                o,
                d83,
                (&format!("溧水县{n}{first}"), &format!("{n}{first}")),
            );
            if let Some(y) = t.became_zhen {
                let d = ymd(y, 1 + (i as u32 * 5) % 12, 15);
                self.rename(o, d, (&format!("溧水县{n}镇"), &format!("{n}镇")));
            }
            self.make_unit(o);
            self.orgs[o].credit_code = None;
            self.orgs[o].address = Some(format!("溧水县{n}镇人民政府大院"));
            self.towns.push(o);
        }
        let merged = ymd(XIANG_MERGED.0, XIANG_MERGED.1, XIANG_MERGED.2);
        let mut xiang = Vec::new();
        for (j, (n, into)) in FORMER_XIANG.iter().enumerate() {
            let o = self.add_org(
                Some(root),
                OrgKind::Committee,
                Field::Rural,
                (&format!("溧水县{n}乡"), &format!("{n}乡")),
                ymd(1950, 3, 1 + j as u32),
            );
            self.orgs[o].region_code = Some(format!("{COUNTY_CODE}{}000", 108 + j));
            self.meta[o].place = format!("溧水县{n}乡");
            self.meta[o].town = Some(o);
            self.rename(
                o,
                ymd(1958, 9, 20 + j as u32),
                (&format!("溧水县{n}人民公社"), &format!("{n}公社")),
            );
            self.rename(
                o,
                ymd(1983, 5, 1),
                (&format!("溧水县{n}乡"), &format!("{n}乡")),
            );
            let town = self.towns[*into];
            self.dissolve(o, merged, Some(town));
            xiang.push(o);
        }

        // 开发区党委 and 县级机关工委.
        let dz = self.add_org(
            Some(root),
            OrgKind::Committee,
            Field::Organ,
            ("溧水经济开发区", "开发区"),
            ymd(1993, 3, 18),
        );
        self.meta[dz].place = "溧水经济开发区".into();
        self.make_unit(dz);
        self.dev_zone = dz;
        let wc = self.add_org(
            Some(root),
            OrgKind::WorkingCommittee,
            Field::Organ,
            ("溧水县直属机关", "县直机关"),
            ymd(1956, 6, 1),
        );
        self.orgs[wc].name = "中共溧水县直属机关委员会".into();
        self.orgs[wc].short_name = "县直机关党委".into();
        self.orgs[wc].history.push(PlanOrgEvent::Renamed {
            date: ymd(1984, 5, 10),
            new_name: "中共溧水县委县级机关工作委员会".into(),
            new_short_name: "县级机关工委".into(),
        });
        self.organs_wc = wc;

        // Department committees (部门党委).
        let dept = |g: &mut Gen, unit: &str, y: i32, m: u32| -> usize {
            let (full, short) = county_unit(unit);
            let o = g.add_org(
                Some(0),
                OrgKind::Committee,
                Field::Organ,
                (&full, &short),
                ymd(y, m, 1),
            );
            g.make_unit(o);
            o
        };
        let edu = dept(self, "县教育局", 1956, 3);
        self.rename(edu, ymd(1985, 3, 1), ("溧水县教育委员会", "县教委"));
        self.rename(edu, ymd(2002, 3, 1), ("溧水县教育局", "县教育局"));
        let health = dept(self, "县卫生局", 1953, 5);
        let police = dept(self, "县公安局", 1949, 5);
        let agri = dept(self, "县农业局", 1955, 4);
        self.rename(agri, ymd(2001, 10, 1), ("溧水县农林局", "县农林局"));
        let transport = dept(self, "县交通局", 1956, 7);
        let water = dept(self, "县水利局", 1957, 3);
        let construction = dept(self, "县建设局", 1979, 8);
        let coop = dept(self, "县供销合作社", 1952, 9);
        self.rename(coop, ymd(1995, 6, 1), ("溧水县供销合作总社", "县供销总社"));
        let econ = dept(self, "县工业局", 1958, 4);
        self.rename(econ, ymd(1983, 6, 1), ("溧水县经济委员会", "县经委"));
        self.rename(econ, ymd(1998, 1, 1), ("溧水县经济贸易委员会", "县经贸委"));

        // Department general branches (部门总支).
        let dgb = |g: &mut Gen, unit: &str, y: i32, m: u32| -> usize {
            let (full, short) = county_unit(unit);
            let o = g.add_org(
                Some(0),
                OrgKind::GeneralBranch,
                Field::Organ,
                (&full, &short),
                ymd(y, m, 1),
            );
            g.make_unit(o);
            let size = *[5usize, 5, 7, 3].choose(&mut g.rng).unwrap_or(&5);
            g.meta[o].fixed = size;
            g.meta[o].weight = 0.0;
            g.meta[o].min_extra = 0;
            o
        };
        let land = dgb(self, "县土地管理局", 1988, 3);
        self.rename(land, ymd(2001, 12, 1), ("溧水县国土资源局", "县国土资源局"));
        let civil = dgb(self, "县民政局", 1950, 6);
        let grain = dgb(self, "县粮食局", 1953, 10);
        let radio = dgb(self, "县广播电视局", 1984, 7);
        let aic = dgb(self, "县工商行政管理局", 1979, 9);
        let ltax = dgb(self, "县地方税务局", 1994, 9);
        let forestry = dgb(self, "县林业局", 1962, 4);
        let forestry_merge = ymd(2001, 10, 1);

        // Enterprise committees (企业党委).
        let ent = |g: &mut Gen, field: Field, unit: (&str, &str), d: NaiveDate| -> usize {
            let o = g.add_org(Some(0), OrgKind::Committee, field, unit, d);
            g.make_unit(o);
            o
        };
        let power = ent(
            self,
            Field::StateEnterprise,
            ("溧水县供电局", "县供电局"),
            ymd(1965, 7, 1),
        );
        self.rename(power, ymd(2003, 6, 18), ("溧水县供电公司", "县供电公司"));
        let credit = ent(
            self,
            Field::StateEnterprise,
            ("溧水县农村信用合作联社", "县信用联社"),
            ymd(1996, 11, 1),
        );
        let jinyan = ent(
            self,
            Field::PrivateEnterprise,
            ("溧水县锶盐厂", "县锶盐厂"),
            ymd(1970, 5, 1),
        );
        self.rename(
            jinyan,
            ymd(1998, 8, 1),
            ("溧水金焰锶业有限公司", "金焰公司"),
        );
        let vacuum = ent(
            self,
            Field::StateEnterprise,
            ("溧水县电真空器件厂", "县电真空器件厂"),
            ymd(1966, 3, 1),
        );
        let piston = ent(
            self,
            Field::PrivateEnterprise,
            ("溧水县活塞环厂", "县活塞环厂"),
            ymd(1972, 9, 1),
        );
        self.rename(
            piston,
            ymd(2001, 3, 1),
            ("溧水活塞环有限公司", "活塞环公司"),
        );
        let forest_farm = ent(
            self,
            Field::Institution,
            ("溧水县林场", "县林场"),
            ymd(1958, 6, 1),
        );
        let tea = ent(
            self,
            Field::StateEnterprise,
            ("溧水县茶场", "县茶场"),
            ymd(1960, 4, 1),
        );
        let lianqiang = self.add_org(
            Some(dz),
            OrgKind::Committee,
            Field::PrivateEnterprise,
            ("联强集团有限公司", "联强集团"),
            ymd(1998, 6, 1),
        );
        self.make_unit(lianqiang);

        // ---- Town-level orgs ----
        let mut town_organ = Vec::new();
        for (i, t) in TOWNS.iter().enumerate() {
            let o = self.towns[i];
            let n = t.name;
            let u = |s: &str| (format!("溧水县{n}镇{s}"), format!("{n}镇{s}"));
            let labels: Vec<&str> = if i == 0 {
                vec!["机关第一", "机关第二"]
            } else {
                vec!["机关"]
            };
            let mut first_organ = None;
            for l in labels {
                let (f, s) = u(l);
                let b = self.branch(o, Field::Organ, (&f, &s), ymd(1958, 10, 1));
                first_organ.get_or_insert(b);
            }
            town_organ.push(first_organ.unwrap_or(o));
            for (l, field, y) in [
                ("农业服务中心", Field::Institution, 1984),
                ("财政所", Field::Organ, 1986),
                ("文化广播站", Field::Institution, 1980),
                ("计划生育服务站", Field::Institution, 1991),
            ] {
                let (f, s) = u(l);
                let b = self.branch(o, field, (&f, &s), ymd(y, 1 + i as u32, 10));
                self.make_unit(b);
            }
            let (f, s) = u("老干部");
            let b = self.branch(o, Field::Organ, (&f, &s), ymd(1992, 7, 1));
            self.retiree(b);
        }
        for (j, x) in xiang.iter().enumerate() {
            let n = FORMER_XIANG[j].0;
            let b = self.branch(
                *x,
                Field::Organ,
                (&format!("溧水县{n}乡机关"), &format!("{n}乡机关")),
                ymd(1958, 10, 1),
            );
            let succ = town_organ[FORMER_XIANG[j].1];
            self.dissolve(b, merged, Some(succ));
        }

        // ---- Villages ----
        // 7 villages with a single branch and 22 一肩挑 villages, chosen at random.
        let total_villages: usize = TOWNS.iter().map(|t| t.villages).sum();
        let mut order: Vec<usize> = (0..total_villages).collect();
        order.shuffle(&mut self.rng);
        // village slots: (town, k-th village in town)
        let mut slots = Vec::new();
        for (i, t) in TOWNS.iter().enumerate() {
            for k in 0..t.villages {
                slots.push((i, k));
            }
        }
        let user_slots: Vec<usize> = USER_VILLAGES
            .iter()
            .filter_map(|(ti, _, _)| slots.iter().position(|s| *s == (*ti, 0)))
            .collect();
        let singles: HashSet<usize> = order
            .iter()
            .copied()
            .filter(|v| !user_slots.contains(v))
            .take(7)
            .collect();
        let mut order2: Vec<usize> = (0..total_villages).collect();
        order2.shuffle(&mut self.rng);
        let duals: HashSet<usize> = order2.iter().copied().take(22).collect();
        let mut extra_others: Vec<usize> = (0..total_villages).collect();
        extra_others.shuffle(&mut self.rng);
        // 339 other cadres: 66 villages with 4, 25 with 3.
        let four: HashSet<usize> = extra_others.iter().copied().take(66).collect();
        // Village weights and branch children: 290 branches under 84 general branches.
        let vweights: Vec<f64> = (0..total_villages)
            .map(|_| self.rng.gen_range(0.6..1.6))
            .collect();
        let gb_villages: Vec<usize> = (0..total_villages)
            .filter(|v| !singles.contains(v))
            .collect();
        let child_w: Vec<f64> = gb_villages.iter().map(|&v| vweights[v]).collect();
        let child_extra = apportion(
            290 - 2 * gb_villages.len(),
            &child_w,
            &vec![0; gb_villages.len()],
        );
        let mut children_of = vec![0usize; total_villages];
        for (k, &v) in gb_villages.iter().enumerate() {
            children_of[v] = 2 + child_extra[k];
        }

        let mut village_children: Vec<Vec<usize>> = vec![Vec::new(); TOWNS.len()];
        for (v, &(ti, k)) in slots.iter().enumerate() {
            let town = self.towns[ti];
            let tname = TOWNS[ti].name;
            // The first villages of towns that absorbed a 乡 were under that 乡 until 2000.
            let from_xiang = FORMER_XIANG
                .iter()
                .position(|x| x.1 == ti)
                .filter(|_| k < XIANG_VILLAGES);
            let parent = from_xiang.map(|j| xiang[j]).unwrap_or(town);
            let vname: String = USER_VILLAGES
                .iter()
                .find(|u| u.0 == ti && k == 0)
                .map(|u| u.1.to_string())
                .unwrap_or_else(|| self.take_village_name().to_string());
            let single = singles.contains(&v);
            let kind = if single {
                OrgKind::Branch
            } else {
                OrgKind::GeneralBranch
            };
            let founded = ymd(
                self.rng.gen_range(1952..=1958),
                self.rng.gen_range(1..=12),
                self.rng.gen_range(1..=28),
            );
            let o = self.add_org(
                Some(parent),
                kind,
                Field::Rural,
                (&format!("{vname}村"), &format!("{vname}村")),
                founded,
            );
            let town_code = format!("{COUNTY_CODE}{}", 100 + ti);
            self.orgs[o].region_code = Some(format!("{town_code}{}", 200 + k));
            self.meta[o].place = format!("溧水县{tname}镇{vname}村");
            self.meta[o].village = Some(o);
            self.meta[o].village_name = Some(vname.clone());
            self.meta[o].town = Some(town);
            self.meta[o].top = town;
            self.orgs[o].address = Some(format!("溧水县{tname}镇{vname}村村民委员会"));
            let phone = self.org_phone();
            self.orgs[o].phone = Some(phone);
            // Village two-committee posts.
            let mut posts = if duals.contains(&v) {
                vec![VillagePost::SecretaryDirector]
            } else {
                vec![VillagePost::Secretary, VillagePost::Director]
            };
            let others = if four.contains(&v) { 4 } else { 3 };
            for j in 0..others {
                let p = match j {
                    0 if self.rng.gen_bool(0.5) => VillagePost::DeputySecretary,
                    1 if self.rng.gen_bool(0.4) => VillagePost::DeputyDirector,
                    _ => VillagePost::CommitteeMember,
                };
                posts.push(p);
            }
            self.meta[o].fixed = posts.len();
            self.meta[o].posts = posts;
            if single {
                self.meta[o].weight = vweights[v] * 15.0;
                self.meta[o].min_extra = 10;
            } else {
                self.meta[o].weight = 0.0;
                self.meta[o].min_extra = 0;
                let n = children_of[v];
                let mut labels: Vec<(String, SetupMode)> = Vec::new();
                let special_old = n >= 3 && self.rng.gen_bool(0.3);
                let special_ent = n >= 4 && self.rng.gen_bool(0.15);
                let plain = n - usize::from(special_old) - usize::from(special_ent);
                for ord in CN_ORDINALS.iter().take(plain) {
                    labels.push((ord.to_string(), SetupMode::Standalone));
                }
                if special_ent {
                    labels.push(("村办企业".into(), SetupMode::VillageEnterprise));
                }
                if special_old {
                    labels.push(("老年".into(), SetupMode::Retiree));
                }
                for (c, (label, mode)) in labels.iter().enumerate() {
                    let cf = if c == 0 {
                        founded
                    } else {
                        ymd(
                            self.rng.gen_range(1958..=1990),
                            self.rng.gen_range(1..=12),
                            1,
                        )
                    };
                    let full = format!("{vname}村{label}");
                    let b = self.branch(o, Field::Rural, (&full, &full), cf);
                    self.orgs[b].setup_mode = *mode;
                    self.meta[b].weight =
                        vweights[v] * 30.0 / n as f64 * self.rng.gen_range(0.7..1.3);
                    self.meta[b].min_extra = 6;
                    village_children[ti].push(b);
                }
            }
            if from_xiang.is_some() {
                self.move_org(o, merged, town);
                self.meta[o].top = town;
                self.meta[o].town = Some(town);
            }
            self.villages.push(VillageInfo { org: o });
        }
        // Villages merged into others (并村) in 2001–2003.
        for (ti, t) in TOWNS.iter().enumerate() {
            let town = self.towns[ti];
            let vname = self.take_village_name();
            let founded = ymd(
                self.rng.gen_range(1953..=1958),
                self.rng.gen_range(1..=12),
                5,
            );
            let o = self.add_org(
                Some(town),
                OrgKind::Branch,
                Field::Rural,
                (&format!("{vname}村"), &format!("{vname}村")),
                founded,
            );
            self.orgs[o].region_code =
                Some(format!("{COUNTY_CODE}{}{}", 100 + ti, 200 + t.villages));
            self.meta[o].place = format!("溧水县{}镇{vname}村", t.name);
            self.meta[o].village_name = Some(vname.to_string());
            let date = ymd(
                self.rng.gen_range(2001..=2003),
                self.rng.gen_range(1..=12),
                28,
            );
            let cands: Vec<usize> = village_children[ti]
                .iter()
                .copied()
                .filter(|&b| self.orgs[b].founded <= date)
                .collect();
            let succ = cands.choose(&mut self.rng).copied();
            self.dissolve(o, date, succ);
        }

        // ---- Communities: 11 general branches with 3 branches each ----
        let mut community_second = Vec::new();
        for (ti, t) in TOWNS.iter().enumerate() {
            let town = self.towns[ti];
            for (k, c) in t.communities.iter().enumerate() {
                let founded = if ti == 0 {
                    ymd(1986 + 2 * k as i32, 3 + k as u32, 1)
                } else {
                    ymd(2000 + (ti as i32 % 4), 6, 1)
                };
                let o = self.add_org(
                    Some(town),
                    OrgKind::GeneralBranch,
                    Field::Community,
                    (&format!("{c}社区"), &format!("{c}社区")),
                    founded,
                );
                self.orgs[o].region_code = Some(format!("{COUNTY_CODE}{}{:03}", 100 + ti, 1 + k));
                self.meta[o].fixed = self.rng.gen_range(3..=5);
                self.meta[o].weight = 0.0;
                self.meta[o].min_extra = 0;
                self.meta[o].place = format!("溧水县{}镇{c}社区", t.name);
                self.orgs[o].address = Some(format!("溧水县{}镇{c}社区居民委员会", t.name));
                let phone = self.org_phone();
                self.orgs[o].phone = Some(phone);
                for (j, label) in ["第一", "第二", "老年"].iter().enumerate() {
                    let full = format!("{c}社区{label}");
                    let cf = add_days(founded, self.rng.gen_range(0..700));
                    let b = self.branch(o, Field::Community, (&full, &full), cf);
                    if j == 2 {
                        self.orgs[b].setup_mode = SetupMode::Retiree;
                    }
                    if j == 1 && ti == 0 {
                        community_second.push(b);
                    }
                }
            }
        }

        // ---- 开发区: organ branch, private general branches and firms, 联强集团 ----
        let b = self.branch(
            dz,
            Field::Organ,
            ("溧水经济开发区机关", "开发区机关"),
            ymd(1993, 5, 1),
        );
        self.make_unit(b);
        for subs in [3usize, 2, 2] {
            let (full, short) = self.firm_name();
            let labels: Vec<&str> = CN_ORDINALS.iter().copied().take(subs).collect();
            let founded = ymd(
                self.rng.gen_range(1996..=2001),
                self.rng.gen_range(1..=12),
                1,
            );
            self.unit_gb(
                dz,
                Field::PrivateEnterprise,
                (&full, &short),
                founded,
                &labels,
            );
        }
        for _ in 0..38 {
            self.private_firm(dz, ymd(1993, 6, 1));
        }
        self.unit_gb(
            lianqiang,
            Field::PrivateEnterprise,
            ("联强纺织有限公司", "联强纺织公司"),
            ymd(1998, 8, 1),
            &["第一", "第二", "第三"],
        );
        self.unit_gb(
            lianqiang,
            Field::PrivateEnterprise,
            ("联强机电有限公司", "联强机电公司"),
            ymd(1999, 3, 1),
            &["第一", "第二"],
        );
        for unit in [
            "联强集团机关",
            "联强化纤有限公司",
            "联强置业有限公司",
            "联强进出口有限公司",
        ] {
            let b = self.branch(
                lianqiang,
                Field::PrivateEnterprise,
                (unit, unit),
                ymd(1998, 9, 1),
            );
            self.make_unit(b);
        }
        // Two firms that moved from their town into the development zone.
        for ti in [0usize, 1] {
            let b = self.private_firm(self.towns[ti], ymd(1994, 1, 1));
            self.orgs[b].founded = self.orgs[b].founded.min(ymd(2000, 12, 31));
            let d = ymd(2003, 3 + 4 * ti as u32, 1);
            self.move_org(b, d, dz);
        }
        // Town private general branches.
        for ti in [0usize, 1] {
            let (full, short) = self.firm_name();
            let town = self.towns[ti];
            self.unit_gb(
                town,
                Field::PrivateEnterprise,
                (&full, &short),
                ymd(1999, 4, 1),
                &["生产", "机关"],
            );
        }

        // ---- 县级机关工委 ----
        let organ_units: &[(&str, Field, f64, bool, i32)] = &[
            ("县委办公室", Field::Organ, 16.0, true, 1949),
            ("县人大常委会机关", Field::Organ, 14.0, true, 1980),
            ("县人民政府办公室", Field::Organ, 18.0, true, 1949),
            ("县政协机关", Field::Organ, 12.0, true, 1981),
            ("县纪委监察局机关", Field::Organ, 18.0, true, 1979),
            ("县委组织部", Field::Organ, 15.0, true, 1949),
            ("县委宣传部", Field::Organ, 12.0, false, 1949),
            ("县委统战部", Field::Organ, 8.0, false, 1956),
            ("县委政法委员会", Field::Organ, 9.0, false, 1980),
            ("县委党校", Field::Institution, 14.0, false, 1956),
            ("县委老干部局", Field::Organ, 7.0, false, 1983),
            ("县计划委员会", Field::Organ, 14.0, false, 1956),
            ("县财政局", Field::Organ, 28.0, true, 1949),
            ("县审计局", Field::Organ, 12.0, false, 1984),
            ("县人事局", Field::Organ, 12.0, false, 1956),
            ("县劳动局", Field::Organ, 14.0, false, 1956),
            ("县统计局", Field::Organ, 8.0, false, 1979),
            ("县物价局", Field::Organ, 7.0, false, 1985),
            ("县司法局", Field::Organ, 16.0, false, 1980),
            ("县文化局", Field::Organ, 15.0, false, 1956),
            ("县体育局", Field::Organ, 6.0, false, 1958),
            ("县人口和计划生育局", Field::Organ, 9.0, false, 1979),
            ("县科学技术局", Field::Organ, 8.0, false, 1978),
            ("县环境保护局", Field::Organ, 9.0, false, 1985),
            ("县旅游局", Field::Organ, 6.0, false, 1995),
            ("县信访局", Field::Organ, 5.0, false, 1987),
            ("县档案局", Field::Organ, 6.0, false, 1960),
            ("县人民法院", Field::Organ, 40.0, true, 1950),
            ("县人民检察院", Field::Organ, 32.0, true, 1978),
            ("县总工会", Field::Organ, 8.0, false, 1950),
            ("共青团溧水县委", Field::Organ, 5.0, false, 1950),
            ("县妇女联合会", Field::Organ, 5.0, false, 1950),
            ("县科学技术协会", Field::Organ, 5.0, false, 1960),
            ("县工商业联合会", Field::Organ, 5.0, false, 1953),
            ("县乡镇企业局", Field::Organ, 12.0, true, 1984),
            ("县房产管理局", Field::Organ, 12.0, false, 1985),
            ("县规划局", Field::Organ, 8.0, false, 1998),
            ("县气象局", Field::Institution, 8.0, false, 1958),
            ("县国家税务局", Field::Organ, 30.0, true, 1994),
            ("县质量技术监督局", Field::Organ, 10.0, false, 1985),
            ("县药品监督管理局", Field::Organ, 7.0, false, 2001),
            ("县机关事务管理局", Field::Organ, 8.0, false, 1990),
            ("县文化馆", Field::Institution, 7.0, false, 1952),
            ("县图书馆", Field::Institution, 6.0, false, 1956),
            ("县广播电视大学", Field::School, 8.0, false, 1980),
            ("县烟草专卖局", Field::StateEnterprise, 12.0, false, 1984),
            ("县邮政局", Field::StateEnterprise, 20.0, true, 1950),
            (
                "中国电信溧水分公司",
                Field::StateEnterprise,
                18.0,
                false,
                1999,
            ),
            ("中国人民银行溧水县支行", Field::Organ, 14.0, true, 1950),
            (
                "中国工商银行溧水支行",
                Field::StateEnterprise,
                18.0,
                true,
                1985,
            ),
            (
                "中国农业银行溧水县支行",
                Field::StateEnterprise,
                24.0,
                true,
                1979,
            ),
            (
                "中国建设银行溧水支行",
                Field::StateEnterprise,
                15.0,
                false,
                1985,
            ),
            (
                "中国银行溧水支行",
                Field::StateEnterprise,
                12.0,
                false,
                1990,
            ),
            (
                "中国人民财产保险公司溧水支公司",
                Field::StateEnterprise,
                10.0,
                false,
                1980,
            ),
        ];
        for (unit, field, w, has_retirees, year) in organ_units {
            let founded = ymd(*year, self.rng.gen_range(1..=12), 1);
            let b = self.county_branch(wc, *field, unit, founded);
            self.meta[b].weight = w * self.rng.gen_range(0.85..1.15);
            match *unit {
                "县计划委员会" => self.rename(
                    b,
                    ymd(2002, 4, 15),
                    ("溧水县发展计划委员会", "县发展计划委员会"),
                ),
                "县劳动局" => self.rename(
                    b,
                    ymd(2001, 6, 20),
                    ("溧水县劳动和社会保障局", "县劳动和社会保障局"),
                ),
                _ => {}
            }
            if *has_retirees {
                let (full, short) = county_unit(unit);
                let fy = self.rng.gen_range(1993..=2000);
                let r = self.branch(
                    wc,
                    *field,
                    (&format!("{full}离退休"), &format!("{short}离退休")),
                    ymd(fy, 6, 1),
                );
                self.retiree(r);
            }
        }
        for area in ["城郊", "东屏", "白马", "和凤"] {
            self.county_branch(
                wc,
                Field::Organ,
                &format!("县人民法院{area}人民法庭"),
                ymd(1990, 1, 1),
            );
        }
        let r = self.county_branch(wc, Field::Organ, "县级机关离退休干部", ymd(1988, 10, 1));
        self.retiree(r);

        // ---- 县教育局党委 ----
        let edu_organ = self.county_branch(edu, Field::Organ, "县教育局机关", ymd(1956, 3, 1));
        self.rename(
            edu_organ,
            ymd(1985, 3, 1),
            ("溧水县教育委员会机关", "县教委机关"),
        );
        self.rename(
            edu_organ,
            ymd(2002, 3, 1),
            ("溧水县教育局机关", "县教育局机关"),
        );
        self.unit_gb(
            edu,
            Field::School,
            ("溧水县高级中学", "县高级中学"),
            ymd(1956, 9, 1),
            &["第一", "第二", "第三", "离退休"],
        );
        self.unit_gb(
            edu,
            Field::School,
            ("溧水县第二高级中学", "县第二高级中学"),
            ymd(1978, 9, 1),
            &["第一", "第二", "离退休"],
        );
        for (unit, w) in [
            ("县职业教育中心", 14.0),
            ("县实验小学", 14.0),
            ("县实验初级中学", 16.0),
            ("县第二初级中学", 12.0),
            ("县教师进修学校", 8.0),
            ("县幼儿园", 6.0),
            ("县特殊教育学校", 5.0),
        ] {
            let b = self.county_branch(edu, Field::School, unit, ymd(1960, 9, 1));
            self.meta[b].weight = w;
        }
        let r = self.county_branch(edu, Field::School, "县教育系统离退休教师", ymd(1991, 9, 1));
        self.retiree(r);
        for t in TOWNS.iter() {
            let n = t.name;
            for s in ["中心小学", "初级中学"] {
                let fy = self.rng.gen_range(1958..=1975);
                let b = self.branch(
                    edu,
                    Field::School,
                    (&format!("溧水县{n}镇{s}"), &format!("{n}镇{s}")),
                    ymd(fy, 9, 1),
                );
                self.meta[b].place = format!("溧水县{n}镇");
                self.make_unit(b);
                self.meta[b].weight = 12.0 * self.rng.gen_range(0.8..1.2);
            }
        }

        // ---- 县卫生局党委 ----
        self.county_branch(health, Field::Organ, "县卫生局机关", ymd(1953, 5, 1));
        self.unit_gb(
            health,
            Field::Institution,
            ("溧水县人民医院", "县人民医院"),
            ymd(1953, 8, 1),
            &["内科", "外科", "医技", "行政后勤", "离退休"],
        );
        self.unit_gb(
            health,
            Field::Institution,
            ("溧水县中医院", "县中医院"),
            ymd(1982, 5, 1),
            &["医疗", "行政后勤", "离退休"],
        );
        for unit in [
            "县妇幼保健所",
            "县疾病预防控制中心",
            "县卫生监督所",
            "县第二人民医院",
        ] {
            self.county_branch(health, Field::Institution, unit, ymd(1975, 1, 1));
        }
        for t in TOWNS.iter() {
            let n = t.name;
            let fy = self.rng.gen_range(1958..=1970);
            let b = self.branch(
                health,
                Field::Institution,
                (&format!("溧水县{n}镇卫生院"), &format!("{n}镇卫生院")),
                ymd(fy, 6, 1),
            );
            self.meta[b].place = format!("溧水县{n}镇");
            self.make_unit(b);
        }

        // ---- 县公安局党委 ----
        for unit in [
            "县公安局机关",
            "县公安局刑事警察大队",
            "县公安局交通警察大队",
            "县公安局治安警察大队",
            "县公安局看守所",
            "县公安消防大队",
        ] {
            self.county_branch(police, Field::Organ, unit, ymd(1980, 1, 1));
        }
        let r = self.county_branch(police, Field::Organ, "县公安局离退休", ymd(1995, 1, 1));
        self.retiree(r);
        for t in TOWNS.iter() {
            let n = t.name;
            self.county_branch(
                police,
                Field::Organ,
                &format!("县公安局{n}派出所"),
                ymd(1978, 1, 1),
            );
        }

        // ---- 县农林局党委 (农业局 until 2001; 林业局 merged into it) ----
        let agri_organ = self.county_branch(agri, Field::Organ, "县农业局机关", ymd(1955, 4, 1));
        self.rename(
            agri_organ,
            forestry_merge,
            ("溧水县农林局机关", "县农林局机关"),
        );
        for (unit, field) in [
            ("县农业技术推广中心", Field::Institution),
            ("县畜牧兽医站", Field::Institution),
            ("县农业机械管理站", Field::Institution),
            ("县种子公司", Field::StateEnterprise),
            ("县植物保护站", Field::Institution),
        ] {
            self.county_branch(agri, field, unit, ymd(1975, 1, 1));
        }
        let r = self.county_branch(agri, Field::Organ, "县农林局离退休", ymd(2001, 11, 1));
        self.retiree(r);
        for t in TOWNS.iter() {
            let n = t.name;
            let b = self.branch(
                agri,
                Field::Institution,
                (
                    &format!("溧水县{n}镇畜牧兽医站"),
                    &format!("{n}镇畜牧兽医站"),
                ),
                ymd(1980, 5, 1),
            );
            self.meta[b].place = format!("溧水县{n}镇");
            self.make_unit(b);
        }
        let forestry_organ =
            self.county_branch(forestry, Field::Organ, "县林业局机关", ymd(1962, 4, 1));
        self.dissolve(forestry_organ, forestry_merge, Some(agri_organ));
        let forestry_station = self.county_branch(
            forestry,
            Field::Institution,
            "县林业技术指导站",
            ymd(1978, 3, 1),
        );
        self.move_org(forestry_station, forestry_merge, agri);
        self.dissolve(forestry, forestry_merge, Some(agri_organ));
        self.meta[forestry].fixed = 0;

        // ---- 县交通局, 水利局, 建设局 ----
        for unit in [
            "县交通局机关",
            "县公路管理站",
            "县运输管理所",
            "县港航管理站",
        ] {
            self.county_branch(transport, Field::Organ, unit, ymd(1970, 1, 1));
        }
        self.county_branch(
            transport,
            Field::StateEnterprise,
            "县交通工程公司",
            ymd(1985, 1, 1),
        );
        let r = self.county_branch(transport, Field::Organ, "县交通局离退休", ymd(1996, 1, 1));
        self.retiree(r);
        for (unit, field) in [
            ("县水利局机关", Field::Organ),
            ("县水利工程处", Field::Institution),
            ("县中山水库管理所", Field::Institution),
            ("县自来水公司", Field::StateEnterprise),
            ("县水政监察大队", Field::Organ),
        ] {
            self.county_branch(water, field, unit, ymd(1970, 1, 1));
        }
        for t in TOWNS.iter() {
            let n = t.name;
            let b = self.branch(
                water,
                Field::Institution,
                (&format!("溧水县{n}镇水利站"), &format!("{n}镇水利站")),
                ymd(1976, 3, 1),
            );
            self.meta[b].place = format!("溧水县{n}镇");
            self.make_unit(b);
        }
        for (unit, field) in [
            ("县建设局机关", Field::Organ),
            ("县城建监察大队", Field::Organ),
            ("县市政工程处", Field::Institution),
            ("县建筑工程公司", Field::StateEnterprise),
            ("县房地产开发公司", Field::StateEnterprise),
            ("县园林管理所", Field::Institution),
        ] {
            self.county_branch(construction, field, unit, ymd(1980, 1, 1));
        }

        // ---- 县供销合作总社党委 ----
        self.county_branch(coop, Field::Organ, "县供销合作总社机关", ymd(1952, 9, 1));
        self.county_branch(
            coop,
            Field::StateEnterprise,
            "县农业生产资料公司",
            ymd(1965, 1, 1),
        );
        let r = self.county_branch(
            coop,
            Field::StateEnterprise,
            "县供销系统离退休",
            ymd(1993, 1, 1),
        );
        self.retiree(r);
        for t in TOWNS.iter() {
            let n = t.name;
            let fy = self.rng.gen_range(1953..=1960);
            let b = self.branch(
                coop,
                Field::StateEnterprise,
                (&format!("溧水县{n}供销合作社"), &format!("{n}供销社")),
                ymd(fy, 3, 1),
            );
            self.meta[b].place = format!("溧水县{n}镇");
            self.make_unit(b);
        }

        // ---- 县经贸委党委: state and collective enterprises ----
        self.county_branch(econ, Field::Organ, "县经贸委机关", ymd(1958, 4, 1));
        for (unit, dissolved) in [
            ("县化肥厂", Some(ymd(2002, 6, 30))),
            ("县丝绸厂", Some(ymd(2001, 9, 30))),
            ("县农机厂", Some(ymd(2003, 4, 30))),
            ("县酒厂", Some(ymd(1999, 8, 31))),
            ("县水泥厂", None),
            ("县机械厂", None),
            ("县印刷厂", None),
            ("县百货公司", None),
            ("县五金交电化工公司", None),
            ("县食品公司", None),
            ("县糖业烟酒公司", None),
            ("县医药公司", None),
            ("县物资总公司", None),
            ("县石油公司", None),
            ("县二轻工业公司", None),
        ] {
            let founded = ymd(
                self.rng.gen_range(1958..=1975),
                self.rng.gen_range(1..=12),
                1,
            );
            let b = self.county_branch(econ, Field::StateEnterprise, unit, founded);
            self.meta[b].weight = 18.0 * self.rng.gen_range(0.7..1.4);
            if let Some(d) = dissolved {
                // Laid-off members went to the communities (下岗职工党员进社区).
                let pos = community_second
                    .iter()
                    .position(|&s| self.orgs[s].founded <= d);
                let succ = pos.map(|k| community_second.remove(k));
                self.dissolve(b, d, succ);
            }
        }
        let r = self.county_branch(
            econ,
            Field::StateEnterprise,
            "县企业离退休职工",
            ymd(1996, 1, 1),
        );
        self.retiree(r);
        let bus = self.county_branch(
            econ,
            Field::StateEnterprise,
            "县汽车运输公司",
            ymd(1962, 1, 1),
        );
        self.move_org(bus, ymd(1998, 3, 1), transport);

        // ---- Department general branches' children ----
        let land_units: Vec<String> = ["机关".to_string(), "土地监察大队".to_string()]
            .into_iter()
            .chain(TOWNS.iter().map(|t| format!("{}国土资源所", t.name)))
            .collect();
        for (k, s) in land_units.iter().enumerate() {
            let b = self.branch(
                land,
                Field::Organ,
                (&format!("溧水县土地管理局{s}"), &format!("县土地管理局{s}")),
                ymd(1990, 1, 1),
            );
            self.rename(
                b,
                ymd(2001, 12, 1),
                (&format!("溧水县国土资源局{s}"), &format!("县国土资源局{s}")),
            );
            if k == 0 {
                self.make_unit(b);
            }
        }
        for (g, subs) in [
            (civil, vec!["机关", "社会福利院", "殡葬管理所"]),
            (radio, vec!["机关", "电视台", "有线电视网络中心"]),
            (
                aic,
                vec![
                    "机关",
                    "城区工商所",
                    "东屏工商所",
                    "石湫工商所",
                    "白马工商所",
                    "和凤工商所",
                ],
            ),
            (
                ltax,
                vec!["机关", "第一税务分局", "第二税务分局", "第三税务分局"],
            ),
        ] {
            let base = self.orgs[g]
                .name
                .trim_start_matches("中共")
                .trim_end_matches("总支部委员会")
                .to_string();
            let short_base = base.replacen("溧水县", "县", 1);
            for s in subs {
                let field = if s == "社会福利院" || s == "电视台" {
                    Field::Institution
                } else {
                    Field::Organ
                };
                self.branch(
                    g,
                    field,
                    (&format!("{base}{s}"), &format!("{short_base}{s}")),
                    ymd(1985, 1, 1),
                );
            }
        }
        self.branch(
            grain,
            Field::Organ,
            ("溧水县粮食局机关", "县粮食局机关"),
            ymd(1953, 10, 1),
        );
        for t in TOWNS.iter() {
            let n = t.name;
            let b = self.branch(
                grain,
                Field::StateEnterprise,
                (&format!("溧水县{n}粮食管理所"), &format!("{n}粮管所")),
                ymd(1956, 1, 1),
            );
            self.meta[b].place = format!("溧水县{n}镇");
        }
        let r = self.branch(
            grain,
            Field::StateEnterprise,
            ("溧水县粮食系统离退休", "县粮食系统离退休"),
            ymd(1996, 1, 1),
        );
        self.retiree(r);

        // ---- Enterprise committees' children ----
        let pg = self.unit_gb(
            power,
            Field::StateEnterprise,
            ("溧水县供电局机关", "县供电局机关"),
            ymd(1965, 7, 1),
            &["第一", "第二"],
        );
        self.rename(
            pg,
            ymd(2003, 6, 18),
            ("溧水县供电公司机关", "县供电公司机关"),
        );
        for t in TOWNS.iter() {
            let n = t.name;
            self.branch(
                power,
                Field::StateEnterprise,
                (
                    &format!("溧水县供电公司{n}供电所"),
                    &format!("县供电公司{n}供电所"),
                ),
                ymd(2003, 6, 18),
            );
        }
        self.branch(
            power,
            Field::StateEnterprise,
            ("溧水县供电公司修试所", "县供电公司修试所"),
            ymd(2003, 6, 18),
        );
        let r = self.branch(
            power,
            Field::StateEnterprise,
            ("溧水县供电公司离退休", "县供电公司离退休"),
            ymd(2003, 6, 18),
        );
        self.retiree(r);
        for s in ["机关", "营业部"] {
            self.branch(
                credit,
                Field::StateEnterprise,
                (
                    &format!("溧水县农村信用合作联社{s}"),
                    &format!("县信用联社{s}"),
                ),
                ymd(1996, 11, 1),
            );
        }
        for t in TOWNS.iter() {
            let n = t.name;
            self.branch(
                credit,
                Field::StateEnterprise,
                (&format!("溧水县{n}信用社"), &format!("{n}信用社")),
                ymd(1996, 11, 1),
            );
        }
        let r = self.branch(
            credit,
            Field::StateEnterprise,
            ("溧水县农村信用合作联社离退休", "县信用联社离退休"),
            ymd(1998, 1, 1),
        );
        self.retiree(r);
        for (ent_org, field, base, short, subs) in [
            (
                jinyan,
                Field::PrivateEnterprise,
                "溧水金焰锶业有限公司",
                "金焰公司",
                &["机关", "一车间", "二车间", "销售", "离退休"][..],
            ),
            (
                vacuum,
                Field::StateEnterprise,
                "溧水县电真空器件厂",
                "县电真空器件厂",
                &["机关", "生产一", "生产二", "离退休"][..],
            ),
            (
                piston,
                Field::PrivateEnterprise,
                "溧水活塞环有限公司",
                "活塞环公司",
                &["机关", "铸造车间", "机加工车间", "离退休"][..],
            ),
            (
                forest_farm,
                Field::Institution,
                "溧水县林场",
                "县林场",
                &["场部", "东庐分场", "白马分场", "离退休"][..],
            ),
            (
                tea,
                Field::StateEnterprise,
                "溧水县茶场",
                "县茶场",
                &["场部", "茶叶加工厂", "离退休"][..],
            ),
        ] {
            let founded = self.orgs[ent_org].history.iter().find_map(|e| match e {
                PlanOrgEvent::Renamed { date, .. } => Some(*date),
                _ => None,
            });
            let founded = founded.unwrap_or(self.orgs[ent_org].founded);
            for s in subs {
                let b = self.branch(
                    ent_org,
                    field,
                    (&format!("{base}{s}"), &format!("{short}{s}")),
                    founded,
                );
                if s.contains("离退休") {
                    self.retiree(b);
                }
            }
        }

        // ---- Private firms in the towns (filled to 148 private branches) ----
        let existing_private = self.count_existing(OrgKind::Branch, 2);
        let town_private = figures::PRIVATE.1.saturating_sub(existing_private);
        let tw: Vec<f64> = vec![3.0, 2.5, 1.0, 1.5, 1.0, 1.2, 1.0, 1.0];
        let per_town = apportion(town_private, &tw, &[1; 8]);
        for (ti, cnt) in per_town.iter().enumerate() {
            let town = self.towns[ti];
            let n = TOWNS[ti].name;
            let j = self.branch(
                town,
                Field::PrivateEnterprise,
                (
                    &format!("溧水县{n}镇个体私营企业联合"),
                    &format!("{n}镇个体私营企业联合"),
                ),
                ymd(1998 + ti as i32 % 4, 7, 1),
            );
            self.orgs[j].setup_mode = SetupMode::Joint;
            for _ in 1..*cnt {
                self.private_firm(town, ymd(1992, 6, 1));
            }
        }

        // ---- Village and town schools (filled to 901 − rural − private − community) ----
        let other_target =
            figures::BRANCHES - figures::RURAL.1 - figures::PRIVATE.1 - figures::COMMUNITY.1;
        let existing_other = self.count_existing(OrgKind::Branch, 3);
        let schools = other_target.saturating_sub(existing_other);
        let sw: Vec<f64> = TOWNS.iter().map(|t| t.villages as f64).collect();
        let per_town = apportion(schools, &sw, &[0; 8]);
        for (ti, cnt) in per_town.iter().enumerate() {
            let n = TOWNS[ti].name;
            let town = self.towns[ti];
            let mut names: Vec<String> = vec![
                "中心幼儿园".into(),
                "成人教育中心校".into(),
                "第二初级中学".into(),
            ];
            for v in &self.villages {
                let vo = v.org;
                if self.orgs[vo].parent_at(AS_OF) == Some(town) {
                    if let Some(vn) = &self.meta[vo].village_name {
                        names.push(format!("{vn}小学"));
                    }
                }
            }
            for k in names.len()..*cnt {
                names.push(format!("第{}完全小学", k + 1));
            }
            for s in names.iter().take(*cnt) {
                let fy = self.rng.gen_range(1965..=1990);
                let b = self.branch(
                    edu,
                    Field::School,
                    (&format!("溧水县{n}镇{s}"), &format!("{n}镇{s}")),
                    ymd(fy, 9, 1),
                );
                self.meta[b].place = format!("溧水县{n}镇");
                self.make_unit(b);
                self.meta[b].weight = 7.0 * self.rng.gen_range(0.7..1.3);
            }
        }
        for o in &mut self.orgs {
            o.history.sort_by_key(|e| e.date());
        }
    }

    /// Branches (or general branches) of a field group existing at AS_OF.
    fn count_existing(&self, kind: OrgKind, group: usize) -> usize {
        self.orgs
            .iter()
            .filter(|o| o.kind == kind && field_group(o.field) == group && org_exists_at(o, AS_OF))
            .count()
    }

    fn exists(&self, o: usize, d: NaiveDate) -> bool {
        self.orgs[o].founded <= d && self.meta[o].dissolved.is_none_or(|x| x > d)
    }

    /// Exists over the whole of [a, b) (it may be dissolved on b).
    fn alive_over(&self, o: usize, a: NaiveDate, b: NaiveDate) -> bool {
        self.orgs[o].founded <= a && self.meta[o].dissolved.is_none_or(|x| x >= b && x > a)
    }

    fn is_basic(&self, o: usize) -> bool {
        matches!(self.orgs[o].kind, OrgKind::GeneralBranch | OrgKind::Branch)
    }

    fn index_tree(&mut self) {
        let n = self.orgs.len();
        self.family = vec![Vec::new(); n];
        self.top_pool = vec![Vec::new(); n];
        self.preds = vec![Vec::new(); n];
        let mut by_parent: Vec<Vec<usize>> = vec![Vec::new(); n];
        for o in 0..n {
            if let Some(p) = self.orgs[o].parent_at(AS_OF) {
                by_parent[p].push(o);
            }
        }
        for o in 0..n {
            if !self.is_basic(o) {
                continue;
            }
            let top = self.meta[o].top;
            self.top_pool[top].push(o);
            if let Some(p) = self.orgs[o].parent_at(AS_OF) {
                let mut fam: Vec<usize> = by_parent[p]
                    .iter()
                    .copied()
                    .filter(|&s| s != o && self.is_basic(s))
                    .collect();
                if self.is_basic(p) {
                    fam.push(p);
                }
                for &c in &by_parent[o] {
                    if self.is_basic(c) {
                        fam.push(c);
                    }
                }
                self.family[o] = fam;
            }
            if let Some(s) = self.meta[o].successor {
                self.preds[s].push(o);
            }
        }
        // Pool for people who left before AS_OF: any basic org, weighted by its size.
        let mut pool = Vec::new();
        let mut w = Vec::new();
        for o in 0..n {
            if self.is_basic(o) {
                pool.push(o);
                let base = if self.meta[o].dissolved.is_some() {
                    25.0
                } else {
                    self.meta[o].weight + self.meta[o].fixed as f64 * 0.5
                };
                let f = if self.meta[o].profile == Profile::Rural {
                    1.3
                } else {
                    1.0
                };
                w.push((base * f).max(1.0));
            }
        }
        self.hist_pool = pool;
        self.hist_index = WeightedIndex::new(w).ok();
    }

    // -----------------------------------------------------------------------------------
    // Roster sizes
    // -----------------------------------------------------------------------------------

    fn allocate(&mut self) {
        let targets = [
            figures::RURAL.2,
            figures::COMMUNITY.2,
            figures::PRIVATE.2,
            figures::MEMBERS - figures::RURAL.2 - figures::COMMUNITY.2 - figures::PRIVATE.2,
        ];
        for (group, target) in targets.iter().enumerate() {
            let orgs: Vec<usize> = (0..self.orgs.len())
                .filter(|&o| {
                    self.is_basic(o)
                        && field_group(self.orgs[o].field) == group
                        && self.exists(o, AS_OF)
                })
                .collect();
            let fixed: usize = orgs.iter().map(|&o| self.meta[o].fixed).sum();
            let weights: Vec<f64> = orgs.iter().map(|&o| self.meta[o].weight).collect();
            let mins: Vec<usize> = orgs.iter().map(|&o| self.meta[o].min_extra).collect();
            let extra = apportion(target.saturating_sub(fixed), &weights, &mins);
            for (k, &o) in orgs.iter().enumerate() {
                self.meta[o].roster = self.meta[o].fixed + extra[k];
            }
        }
    }

    // -----------------------------------------------------------------------------------
    // People
    // -----------------------------------------------------------------------------------

    fn roster_drafts(&mut self) {
        for o in 0..self.orgs.len() {
            let m = &self.meta[o];
            let (roster, fixed, profile) = (m.roster, m.fixed, m.profile);
            let posts = m.posts.clone();
            let is_gb = self.orgs[o].kind == OrgKind::GeneralBranch;
            for k in 0..roster {
                let mut d = Draft::new(o, profile, true);
                if let Some(p) = posts.get(k) {
                    d.post = Some(*p);
                    d.pinned = true;
                    d.reserved = true;
                    let (lo, hi, fp) = match p {
                        VillagePost::Secretary | VillagePost::SecretaryDirector => (38, 58, 0.03),
                        VillagePost::Director => (35, 58, 0.03),
                        VillagePost::CommitteeMember if k + 1 == posts.len() => (30, 55, 0.75),
                        _ => (28, 60, 0.08),
                    };
                    d.age = self.rng.gen_range(lo..=hi);
                    d.gender = if self.rng.gen_bool(fp) {
                        Gender::Female
                    } else {
                        Gender::Male
                    };
                } else {
                    let g = pick_weighted(&mut self.rng, &AGE_P[profile.ix()]);
                    d.age = sample_age(&mut self.rng, g);
                    if is_gb && k < fixed {
                        d.reserved = true;
                        d.age = self.rng.gen_range(32..=56);
                        d.pinned = true;
                    }
                }
                self.drafts.push(d);
            }
        }
    }

    /// Repairs a three-way categorical attribute of the roster to exact targets.
    fn repair<F, S>(
        &mut self,
        targets: [usize; 3],
        get: F,
        mut set: S,
        weight: fn(&Draft, usize) -> f64,
    ) where
        F: Fn(&Draft) -> usize,
        S: FnMut(&mut Draft, usize, &mut StdRng),
    {
        let n = self.drafts.len();
        let mut counts = [0usize; 3];
        for d in self.drafts.iter().filter(|d| d.roster) {
            counts[get(d)] += 1;
        }
        let mut guard = 0u64;
        while counts != targets && guard < 50_000_000 {
            guard += 1;
            let Some(over) = (0..3).find(|&c| counts[c] > targets[c]) else {
                break;
            };
            let Some(under) = (0..3).find(|&c| counts[c] < targets[c]) else {
                break;
            };
            let i = self.rng.gen_range(0..n);
            let d = &self.drafts[i];
            if !d.roster || d.pinned || get(d) != over {
                continue;
            }
            let w = weight(d, under);
            if self.rng.gen::<f64>() >= w {
                continue;
            }
            let mut dd = self.drafts[i].clone();
            set(&mut dd, under, &mut self.rng);
            if get(&dd) == under {
                self.drafts[i] = dd;
                counts[over] -= 1;
                counts[under] += 1;
            }
        }
    }

    fn sample_attributes(&mut self) {
        // Ages.
        self.repair(
            [figures::AGE_LE35, figures::AGE_36_55, figures::AGE_GT55],
            |d| age_group(d.age),
            |d, g, rng| d.age = sample_age(rng, g),
            |d, g| AGE_P[d.profile.ix()][g],
        );
        for i in 0..self.drafts.len() {
            let y = 2004 - self.drafts[i].age;
            let start = ymd(y, 1, 1);
            let len = days_between(start, ymd(y, 12, 31));
            self.drafts[i].birth = add_days(start, self.rng.gen_range(0..=len));
        }
        // Gender.
        for i in 0..self.drafts.len() {
            let d = &self.drafts[i];
            if d.post.is_some() {
                continue;
            }
            let p = FEMALE_P[d.profile.ix()] * AGE_FEMALE_FACTOR[age_group(d.age)];
            self.drafts[i].gender = if self.rng.gen_bool(p.clamp(0.0, 1.0)) {
                Gender::Female
            } else {
                Gender::Male
            };
        }
        let female = self
            .drafts
            .iter()
            .filter(|d| d.roster && d.gender == Gender::Female)
            .count();
        let mut guard = 0;
        let mut diff = female as i64 - figures::FEMALE as i64;
        while diff != 0 && guard < 10_000_000 {
            guard += 1;
            let i = self.rng.gen_range(0..self.drafts.len());
            let d = &self.drafts[i];
            if !d.roster || d.post.is_some() {
                continue;
            }
            let p = FEMALE_P[d.profile.ix()] * AGE_FEMALE_FACTOR[age_group(d.age)];
            if diff > 0 && d.gender == Gender::Female && self.rng.gen::<f64>() < 1.0 - p {
                self.drafts[i].gender = Gender::Male;
                diff -= 1;
            } else if diff < 0 && d.gender == Gender::Male && self.rng.gen::<f64>() < p * 2.0 {
                self.drafts[i].gender = Gender::Female;
                diff += 1;
            }
        }
        // Education.
        for i in 0..self.drafts.len() {
            let d = &self.drafts[i];
            let probs = match d.post {
                Some(
                    VillagePost::Secretary | VillagePost::SecretaryDirector | VillagePost::Director,
                ) => [0.06, 0.56, 0.38],
                Some(_) => [0.04, 0.42, 0.54],
                None => EDU_P[d.profile.ix()][age_group(d.age)],
            };
            self.drafts[i].edu = pick_weighted(&mut self.rng, &probs);
        }
        let unpin: Vec<bool> = self.drafts.iter().map(|d| d.pinned).collect();
        for d in &mut self.drafts {
            d.pinned = false;
        }
        self.repair(
            [
                figures::EDU_COLLEGE,
                figures::EDU_SECONDARY,
                figures::EDU_JUNIOR,
            ],
            |d| d.edu,
            |d, g, _| d.edu = g,
            |d, g| EDU_P[d.profile.ix()][age_group(d.age)][g].max(0.002),
        );
        for (d, p) in self.drafts.iter_mut().zip(unpin) {
            d.pinned = p;
        }
        for i in 0..self.drafts.len() {
            let (edu, age, profile) = (
                self.drafts[i].edu,
                self.drafts[i].age,
                self.drafts[i].profile,
            );
            let r: f64 = self.rng.gen();
            let professional = matches!(
                profile,
                Profile::Organ | Profile::Institution | Profile::School
            );
            self.drafts[i].education = match edu {
                0 => {
                    if professional && age < 45 && r < 0.03 {
                        Education::Postgraduate
                    } else if r < if age < 40 { 0.5 } else { 0.25 } {
                        Education::Bachelor
                    } else {
                        Education::College
                    }
                }
                1 => {
                    if r < if professional { 0.5 } else { 0.3 } {
                        Education::TechnicalSecondary
                    } else {
                        Education::HighSchool
                    }
                }
                _ => Education::JuniorOrBelow,
            };
        }
    }

    fn choose_probationary_and_veterans(&mut self) {
        // 272 probationary: 4 with extended probation, 3 transferred in during probation.
        let mut keyed: Vec<(f64, usize)> = Vec::new();
        for (i, d) in self.drafts.iter().enumerate() {
            if !d.roster || d.reserved || d.profile == Profile::Retiree {
                continue;
            }
            let w = match d.age {
                ..=25 => 8.0,
                26..=30 => 6.0,
                31..=35 => 4.0,
                36..=45 => 1.2,
                46..=55 => 0.4,
                _ => 0.03,
            };
            let u: f64 = self.rng.gen_range(1e-12..1.0);
            keyed.push((u.powf(1.0 / w), i));
        }
        keyed.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut full_left: Vec<usize> = self.meta.iter().map(|m| m.roster).collect();
        let mut chosen = 0;
        for &(_, i) in &keyed {
            if chosen == figures::PROBATIONARY {
                break;
            }
            let o = self.drafts[i].org;
            if full_left[o] <= 4 {
                continue;
            }
            let kind = match chosen {
                0..=3 if self.orgs[o].founded <= ymd(2003, 5, 31) => Prob::Extended,
                4..=6 => Prob::TransferIn,
                _ => Prob::Joined2004,
            };
            self.drafts[i].prob = kind;
            full_left[o] -= 1;
            chosen += 1;
        }
        // Veterans: about 150 of the members aged 74 or more.
        let mut old: Vec<usize> = (0..self.drafts.len())
            .filter(|&i| {
                self.drafts[i].roster && self.drafts[i].age >= 74 && self.drafts[i].prob == Prob::No
            })
            .collect();
        old.shuffle(&mut self.rng);
        for i in old.into_iter().take(150) {
            self.drafts[i].veteran = true;
        }
    }

    fn next_out_letter(&mut self, d: NaiveDate) -> String {
        let y = d.year();
        let k = (y - 1940).clamp(0, 79) as usize;
        self.out_letters[k] += self.rng.gen_range(1..=4);
        format!("组转字〔{y}〕第{}号", self.out_letters[k])
    }

    fn in_letter(&mut self, d: NaiveDate) -> String {
        format!("组转字〔{}〕第{}号", d.year(), self.rng.gen_range(1..=400))
    }

    /// Where someone starting membership at `start` sits before reaching `f`, and when they
    /// are moved into `f` (if not directly). `until` bounds the move date.
    fn path_into(
        &mut self,
        f: usize,
        start: NaiveDate,
        until: NaiveDate,
    ) -> (usize, Option<NaiveDate>) {
        let fo = self.orgs[f].founded;
        let direct_ok = fo <= start;
        if direct_ok && self.rng.gen_bool(0.86) {
            return (f, None);
        }
        let preds: Vec<usize> = self.preds[f]
            .iter()
            .copied()
            .filter(|&p| {
                self.orgs[p].founded <= start
                    && self.meta[p]
                        .dissolved
                        .is_some_and(|x| x > start && x <= until && x >= fo)
            })
            .collect();
        if !preds.is_empty() && self.rng.gen_bool(0.7) {
            let p = preds[self.rng.gen_range(0..preds.len())];
            return (p, self.meta[p].dissolved);
        }
        let m = if direct_ok {
            let lo = add_days(start, 30);
            if lo > until {
                return (f, None);
            }
            rand_date(&mut self.rng, lo, until)
        } else {
            rand_date(&mut self.rng, fo, add_days(fo, 120).min(until))
        };
        for _ in 0..16 {
            let pool = if self.rng.gen_bool(0.55) {
                &self.family[f]
            } else {
                &self.top_pool[self.meta[f].top]
            };
            if pool.is_empty() {
                continue;
            }
            let o = pool[self.rng.gen_range(0..pool.len())];
            if o != f && self.alive_over(o, start, m) {
                return (o, Some(m));
            }
        }
        let mut p = self.orgs[f].parent_at(start);
        while let Some(a) = p {
            // Only an org that can hold members (党支部/党总支), never a committee above.
            if a != 0 && self.is_basic(a) && self.alive_over(a, start, m) {
                return (a, Some(m));
            }
            p = self.orgs[a].parent_at(start);
        }
        // Any org of the same field group that existed then, else any org (e.g. members of
        // private firms came from villages and state enterprises).
        let group = field_group(self.orgs[f].field);
        if let Some(idx) = self.hist_index.as_ref() {
            for k in 0..400 {
                let o = self.hist_pool[idx.sample(&mut self.rng)];
                if o != f
                    && (k >= 200 || field_group(self.orgs[o].field) == group)
                    && self.alive_over(o, start, m)
                {
                    return (o, Some(m));
                }
            }
        }
        if direct_ok {
            (f, None)
        } else {
            (0, Some(m))
        }
    }

    /// Members sit only in orgs that can hold members (`OrgKind::holds_members`, 党章 第八条).
    /// Someone whose first org would be a committee (`path_into` falls back to the county
    /// committee for people who joined before any 党支部/党总支 they could sit in existed —
    /// the 1940s–early 1950s) is written as having joined outside the county's branches and
    /// been transferred in on the day they reached their first membership org: the join date
    /// (党龄) is kept, the committee placement and the events before the transfer are dropped
    /// (no random draw here; the ancestor fallback of `path_into` skipping committees does
    /// change later draws). Nobody's whole membership sits in a committee in this plan; if
    /// it did, their events would be cleared and `member_events_are_consistent` would fail.
    fn membership_orgs_only(&mut self) {
        for (i, d) in self.drafts.iter_mut().enumerate() {
            let Some(first) = d.events.first().and_then(|e| e.org) else {
                continue;
            };
            if self.orgs[first].kind.holds_members() {
                continue;
            }
            let k = d
                .events
                .iter()
                .position(|e| e.org.is_some_and(|o| self.orgs[o].kind.holds_members()));
            let Some(k) = k else {
                d.events.clear();
                continue;
            };
            let reached = d.events[k].date;
            let full_before = d.full.is_some_and(|f| f <= reached);
            let mut e = Self::ev(reached, MemberEventKind::TransferredIn, d.events[k].org);
            e.letter_no = Some(format!("组转字〔{}〕第{}号", reached.year(), 1 + i % 400));
            e.note = Some(if full_before {
                "由外地转入".into()
            } else {
                PROBATIONARY_NOTE.into()
            });
            let mut events = vec![e];
            events.extend(d.events.drain(k + 1..));
            d.events = events;
        }
    }

    fn ev(date: NaiveDate, kind: MemberEventKind, org: Option<usize>) -> PlanEvent {
        PlanEvent {
            date,
            kind,
            org,
            letter_no: None,
            note: None,
        }
    }

    /// Join date for someone born `birth`, joining in the county in the normal way.
    fn sample_join(&mut self, birth: NaiveDate, profile: Profile, hi: NaiveDate) -> NaiveDate {
        let lo = add_years(birth, 18).max(ymd(1949, 10, 1));
        let ja = join_age(&mut self.rng, profile);
        let mut j = add_days(add_years(birth, ja), self.rng.gen_range(0..365));
        if j > hi {
            j = rand_date(&mut self.rng, lo.max(add_days(hi, -3 * 365)), hi);
        }
        if j < lo {
            j = rand_date(&mut self.rng, lo, add_years(lo, 15).min(hi));
        }
        if (ymd(1966, 7, 1)..=ymd(1969, 3, 31)).contains(&j) {
            j = rand_date(&mut self.rng, ymd(1969, 4, 1), ymd(1971, 12, 31)).min(hi);
        }
        j.max(lo).min(hi)
    }

    fn roster_events(&mut self) {
        let d_end = AS_OF;
        let mut hist_ext = 0;
        for i in 0..self.drafts.len() {
            if !self.drafts[i].roster {
                continue;
            }
            let f = self.drafts[i].org;
            let fo = self.orgs[f].founded;
            let birth = self.drafts[i].birth;
            let profile = self.drafts[i].profile;
            let adult = add_years(birth, 18);
            let mut events = Vec::new();
            let (join, full);
            match self.drafts[i].prob {
                Prob::Joined2004 => {
                    let j = rand_date(
                        &mut self.rng,
                        ymd(2004, 1, 5).max(fo).max(adult),
                        ymd(2004, 12, 28),
                    );
                    events.push(Self::ev(j, MemberEventKind::Joined, Some(f)));
                    join = j;
                    full = None;
                }
                Prob::Extended => {
                    let j = rand_date(
                        &mut self.rng,
                        ymd(2003, 6, 1).max(fo).max(adult),
                        ymd(2003, 12, 20),
                    );
                    events.push(Self::ev(j, MemberEventKind::Joined, Some(f)));
                    let mut e = Self::ev(add_years(j, 1), MemberEventKind::ProbationExtended, None);
                    e.note = Some("延长预备期一年".into());
                    events.push(e);
                    join = j;
                    full = None;
                }
                Prob::TransferIn => {
                    let j = rand_date(&mut self.rng, ymd(2004, 1, 5).max(adult), ymd(2004, 7, 31));
                    let t = rand_date(&mut self.rng, add_days(j, 30).max(fo), ymd(2004, 12, 20));
                    let mut e = Self::ev(t, MemberEventKind::TransferredIn, Some(f));
                    e.letter_no = Some(self.in_letter(t));
                    e.note = Some(PROBATIONARY_NOTE.into());
                    events.push(e);
                    join = j;
                    full = None;
                }
                Prob::No => {
                    let j = if self.drafts[i].veteran {
                        let lo = adult.max(ymd(1940, 1, 1));
                        rand_date(&mut self.rng, lo, ymd(1949, 9, 30).max(lo))
                    } else {
                        self.sample_join(birth, profile, ymd(2003, 12, 31))
                    };
                    join = j;
                    let mut conv = add_years(j, 1);
                    let extended = j < ymd(2002, 1, 1) && self.rng.gen_bool(0.003);
                    let transfer_p = match profile {
                        Profile::Rural => 0.04,
                        Profile::Community => 0.10,
                        _ => 0.12,
                    };
                    let veteran = self.drafts[i].veteran;
                    let r: f64 = self.rng.gen();
                    let can_transfer = add_days(conv, 30) <= ymd(2004, 12, 15);
                    if can_transfer && (r < transfer_p || (veteran && r < 0.5)) {
                        // Joined outside the county, transferred in later.
                        let lo = add_days(conv, 30).max(ymd(1950, 1, 1));
                        let t = rand_date(&mut self.rng, lo, ymd(2004, 12, 15));
                        let (first, moved) = self.path_into(f, t, d_end);
                        let mut e = Self::ev(t, MemberEventKind::TransferredIn, Some(first));
                        e.letter_no = Some(self.in_letter(t));
                        let from = PLACES_OUT[self.rng.gen_range(0..PLACES_OUT.len())];
                        e.note = Some(if veteran && t < ymd(1960, 1, 1) {
                            "转业安置".to_string()
                        } else {
                            format!("由{from}转入")
                        });
                        events.push(e);
                        if let Some(m) = moved {
                            events.push(Self::ev(m, MemberEventKind::Moved, Some(f)));
                        }
                    } else if r < transfer_p + 0.025 && j < ymd(1996, 1, 1) {
                        // Left the county for some years and came back.
                        let o1 = self.pick_hist_org(j, add_years(j, 2));
                        match o1 {
                            Some(o1) => {
                                events.push(Self::ev(j, MemberEventKind::Joined, Some(o1)));
                                events.push(Self::ev(conv, MemberEventKind::Converted, None));
                                let x =
                                    rand_date(&mut self.rng, add_days(conv, 30), add_years(j, 2));
                                let mut out = Self::ev(x, MemberEventKind::TransferredOut, None);
                                out.letter_no = Some(self.next_out_letter(x));
                                let to = PLACES_OUT[self.rng.gen_range(0..PLACES_OUT.len())];
                                out.note = Some(format!("转往{to}"));
                                events.push(out);
                                let y = rand_date(
                                    &mut self.rng,
                                    add_years(x, 1),
                                    add_years(x, 8).min(ymd(2004, 6, 30)),
                                );
                                let (first, moved) = self.path_into(f, y, d_end);
                                let mut back =
                                    Self::ev(y, MemberEventKind::TransferredIn, Some(first));
                                back.letter_no = Some(self.in_letter(y));
                                back.note = Some(format!("由{to}转回"));
                                events.push(back);
                                if let Some(m) = moved {
                                    events.push(Self::ev(m, MemberEventKind::Moved, Some(f)));
                                }
                            }
                            None => {
                                let (first, moved) = self.path_into(f, j, d_end);
                                events.push(Self::ev(j, MemberEventKind::Joined, Some(first)));
                                events.push(Self::ev(conv, MemberEventKind::Converted, None));
                                if let Some(m) = moved {
                                    events.push(Self::ev(m, MemberEventKind::Moved, Some(f)));
                                }
                            }
                        }
                    } else {
                        let (first, moved) = self.path_into(f, j, d_end);
                        events.push(Self::ev(j, MemberEventKind::Joined, Some(first)));
                        if extended && hist_ext < 40 {
                            hist_ext += 1;
                            let mut e = Self::ev(conv, MemberEventKind::ProbationExtended, None);
                            e.note = Some("延长预备期半年".into());
                            events.push(e);
                            conv = add_months(conv, 6);
                        }
                        events.push(Self::ev(conv, MemberEventKind::Converted, None));
                        if let Some(m) = moved {
                            events.push(Self::ev(m, MemberEventKind::Moved, Some(f)));
                        }
                    }
                    full = Some(conv);
                }
            }
            // Floating out for work (流动党员), rural members of working age.
            if profile == Profile::Rural && self.drafts[i].age <= 45 && self.rng.gen_bool(0.05) {
                let last = events.iter().map(|e| e.date).max().unwrap_or(join);
                let lo = add_days(last, 30).max(ymd(2001, 1, 1));
                if lo < ymd(2004, 10, 31) {
                    let fd = rand_date(&mut self.rng, lo, ymd(2004, 10, 31));
                    let city = ["无锡市", "苏州市", "上海市", "南京市", "山西省太原市"]
                        [self.rng.gen_range(0..5)];
                    let mut e = Self::ev(fd, MemberEventKind::FloatingOut, None);
                    e.note = Some(format!("外出务工：{city}"));
                    events.push(e);
                    if self.rng.gen_bool(0.4) {
                        let back = rand_date(
                            &mut self.rng,
                            add_days(fd, 60),
                            add_days(fd, 600).min(d_end),
                        );
                        if back <= d_end && back > fd {
                            events.push(Self::ev(back, MemberEventKind::FloatingBack, None));
                        }
                    }
                }
            }
            events.sort_by_key(|e| e.date);
            let entry = events
                .iter()
                .filter(|e| e.kind.starts_membership() || e.kind == MemberEventKind::Moved)
                .map(|e| e.date)
                .max()
                .unwrap_or(join);
            let d = &mut self.drafts[i];
            d.join = join;
            d.full = full;
            d.entry = entry;
            d.ready = full.map(|f| f.max(entry));
            d.events = events;
        }
    }

    /// An org (basic kind) existing over [a, b], for people's earlier stints.
    fn pick_hist_org(&mut self, a: NaiveDate, b: NaiveDate) -> Option<usize> {
        let idx = self.hist_index.as_ref()?;
        for _ in 0..200 {
            let k = idx.sample(&mut self.rng);
            let o = self.hist_pool[k];
            if self.alive_over(o, a, b) && self.meta[o].dissolved.is_none_or(|x| x > b) {
                return Some(o);
            }
        }
        None
    }

    /// People who left the roster before AS_OF (died, transferred out, expelled …).
    fn historical_people(&mut self) {
        #[derive(Clone, Copy, PartialEq)]
        enum Fate {
            Died,
            Out,
            Expelled,
            SelfWithdrawal,
            Withdrew,
            Cancelled,
        }
        let plan = [
            (Fate::Died, 730),
            (Fate::Out, 640),
            (Fate::Expelled, 42),
            (Fate::SelfWithdrawal, 35),
            (Fate::Withdrew, 5),
            (Fate::Cancelled, 18),
        ];
        for (fate, count) in plan {
            let mut made = 0;
            let mut guard = 0;
            while made < count && guard < count * 50 {
                guard += 1;
                let (birth, end) = match fate {
                    Fate::Died => {
                        let e = rand_date(&mut self.rng, ymd(1980, 1, 1), ymd(2004, 12, 20));
                        let age = 55 + self.rng.gen_range(0..=20) + self.rng.gen_range(0..=17);
                        (
                            add_days(ymd(e.year() - age, 1, 1), self.rng.gen_range(0..365)),
                            e,
                        )
                    }
                    Fate::Cancelled => {
                        let e = rand_date(&mut self.rng, ymd(1986, 1, 1), ymd(2004, 12, 20));
                        let age = self.rng.gen_range(20..=35);
                        (
                            add_days(ymd(e.year() - age, 1, 1), self.rng.gen_range(0..365)),
                            e,
                        )
                    }
                    _ => {
                        let e = rand_date(&mut self.rng, ymd(1983, 1, 1), ymd(2004, 12, 20));
                        let age = self.rng.gen_range(24..=70);
                        (
                            add_days(ymd(e.year() - age, 1, 1), self.rng.gen_range(0..365)),
                            e,
                        )
                    }
                };
                let Some(idx) = self.hist_index.as_ref() else {
                    return;
                };
                let g = self.hist_pool[idx.sample(&mut self.rng)];
                if !(self.orgs[g].founded < end && self.meta[g].dissolved.is_none_or(|x| x > end)) {
                    continue;
                }
                let profile = self.meta[g].profile;
                let adult = add_years(birth, 18);
                let join = if fate == Fate::Cancelled {
                    add_days(end, -365)
                } else {
                    let hi = (end - TimeDelta::days(if fate == Fate::Died { 730 } else { 30 }))
                        .min(ymd(2003, 12, 31));
                    let lo = adult.max(ymd(1940, 1, 1));
                    if lo > hi {
                        continue;
                    }
                    let ja = join_age(&mut self.rng, profile);
                    let mut j = add_days(add_years(birth, ja), self.rng.gen_range(0..365));
                    if j > hi {
                        j = rand_date(&mut self.rng, lo.max(add_days(hi, -5 * 365)), hi);
                    } else if j < lo {
                        j = rand_date(&mut self.rng, lo, add_years(lo, 12).min(hi));
                    }
                    if (ymd(1966, 7, 1)..=ymd(1969, 3, 31)).contains(&j) {
                        j = rand_date(
                            &mut self.rng,
                            lo.max(ymd(1962, 1, 1)),
                            ymd(1966, 5, 31).min(hi),
                        );
                    }
                    j
                };
                if join < adult || join >= end || join < ymd(1940, 1, 1) {
                    continue;
                }
                let conv = add_years(join, 1);
                // Fate::Cancelled: join + 1 year = end (or a day off for 29 Feb).
                let end = if fate == Fate::Cancelled { conv } else { end };
                if end > ymd(2004, 12, 30) {
                    continue;
                }
                let (first, moved) = self.path_into(g, join, end);
                let mut events = vec![Self::ev(join, MemberEventKind::Joined, Some(first))];
                let mut full = None;
                if fate != Fate::Cancelled && conv < end {
                    events.push(Self::ev(conv, MemberEventKind::Converted, None));
                    full = Some(conv);
                }
                if let Some(m) = moved {
                    if m < end {
                        events.push(Self::ev(m, MemberEventKind::Moved, Some(g)));
                    } else {
                        continue;
                    }
                }
                let mut last = match fate {
                    Fate::Died => Self::ev(end, MemberEventKind::Died, None),
                    Fate::Out => {
                        let mut e = Self::ev(end, MemberEventKind::TransferredOut, None);
                        e.letter_no = Some(self.next_out_letter(end));
                        let to = PLACES_OUT[self.rng.gen_range(0..PLACES_OUT.len())];
                        e.note = Some(format!("转往{to}"));
                        e
                    }
                    Fate::Expelled => {
                        let mut e = Self::ev(end, MemberEventKind::Expelled, None);
                        e.note = Some("严重违纪，开除党籍".into());
                        e
                    }
                    Fate::SelfWithdrawal => {
                        let mut e = Self::ev(end, MemberEventKind::SelfWithdrawal, None);
                        e.note = Some("连续六个月不参加组织生活、不交纳党费，予以除名".into());
                        e
                    }
                    Fate::Withdrew => {
                        let mut e = Self::ev(end, MemberEventKind::Withdrew, None);
                        e.note = Some("本人申请退党".into());
                        e
                    }
                    Fate::Cancelled => {
                        let mut e = Self::ev(end, MemberEventKind::ProbationCancelled, None);
                        e.note = Some("预备期内不履行党员义务".into());
                        e
                    }
                };
                if fate == Fate::Died && self.rng.gen_bool(0.5) {
                    last.note = Some("病故".into());
                }
                events.push(last);
                events.sort_by_key(|e| e.date);
                let mut d = Draft::new(g, profile, false);
                d.birth = birth;
                d.age = age_on(birth, end);
                d.gender = if self
                    .rng
                    .gen_bool((FEMALE_P[profile.ix()] * 0.8).clamp(0.0, 1.0))
                {
                    Gender::Female
                } else {
                    Gender::Male
                };
                let ag = age_group(age_on(birth, end));
                let eg = pick_weighted(&mut self.rng, &EDU_P[profile.ix()][ag]);
                d.edu = eg;
                d.education = match eg {
                    0 => Education::College,
                    1 => Education::HighSchool,
                    _ => Education::JuniorOrBelow,
                };
                d.veteran = join < ymd(1949, 10, 1);
                d.join = join;
                d.full = full;
                d.entry = join;
                d.events = events;
                self.drafts.push(d);
                made += 1;
            }
        }
    }

    // -----------------------------------------------------------------------------------
    // Committees
    // -----------------------------------------------------------------------------------

    fn term_start(&mut self, o: usize) -> NaiveDate {
        let org = &self.orgs[o];
        let five = matches!(org.field, Field::Rural | Field::Community)
            || matches!(org.kind, OrgKind::Committee | OrgKind::WorkingCommittee);
        let founded = org.founded;
        let r: f64 = self.rng.gen();
        let d = if five {
            if r < 0.04 {
                rand_date(&mut self.rng, ymd(2000, 1, 1), ymd(2000, 6, 30))
            } else if r < 0.1 {
                rand_date(&mut self.rng, ymd(2000, 7, 1), ymd(2000, 12, 31))
            } else {
                rand_date(&mut self.rng, ymd(2001, 1, 1), ymd(2004, 11, 30))
            }
        } else if r < 0.03 {
            rand_date(&mut self.rng, ymd(2000, 3, 1), ymd(2001, 12, 31))
        } else if r < 0.07 {
            rand_date(&mut self.rng, ymd(2002, 1, 1), ymd(2002, 6, 30))
        } else {
            rand_date(&mut self.rng, ymd(2002, 7, 1), ymd(2004, 11, 30))
        };
        d.max(founded)
    }

    fn seat(member: Option<usize>, person: usize, role: CommitteeRole, ts: NaiveDate) -> PlanSeat {
        PlanSeat {
            member,
            person: Some(person),
            person_name: String::new(),
            role,
            term_start: ts,
            term_end: None,
        }
    }

    fn seats(&mut self) {
        let n = self.orgs.len();
        let mut members_of: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, d) in self.drafts.iter().enumerate() {
            if d.roster {
                members_of[d.org].push(i);
            }
        }
        let committee_roles = [
            CommitteeRole::Secretary,
            CommitteeRole::DeputySecretary,
            CommitteeRole::Organizer,
            CommitteeRole::Propaganda,
            CommitteeRole::Discipline,
            CommitteeRole::Youth,
            CommitteeRole::Women,
        ];
        for o in 0..n {
            if !self.exists(o, AS_OF) {
                continue;
            }
            let kind = self.orgs[o].kind;
            let mut ts = self.term_start(o);
            let mut seats = Vec::new();
            if matches!(kind, OrgKind::GeneralBranch | OrgKind::Branch) {
                let ms = members_of[o].clone();
                let full: Vec<usize> = ms
                    .iter()
                    .copied()
                    .filter(|&i| self.drafts[i].full.is_some())
                    .collect();
                // Secretary.
                let village = !self.meta[o].posts.is_empty();
                let sec = if village {
                    ms.iter()
                        .copied()
                        .find(|&i| self.drafts[i].post.is_some_and(|p| p.is_secretary()))
                } else {
                    let mut cands: Vec<usize> = full
                        .iter()
                        .copied()
                        .filter(|&i| (28..=60).contains(&self.drafts[i].age))
                        .collect();
                    if cands.is_empty() {
                        cands.clone_from(&full);
                    }
                    let ready: Vec<usize> = cands
                        .iter()
                        .copied()
                        .filter(|&i| self.drafts[i].ready.is_some_and(|r| r <= ts))
                        .collect();
                    if ready.is_empty() {
                        cands
                            .iter()
                            .copied()
                            .min_by_key(|&i| (self.drafts[i].ready, i))
                    } else {
                        ready.choose(&mut self.rng).copied()
                    }
                };
                let Some(sec) = sec else {
                    continue;
                };
                if let Some(r) = self.drafts[sec].ready {
                    ts = ts.max(r);
                }
                seats.push(Self::seat(Some(sec), sec, CommitteeRole::Secretary, ts));
                let ready_others: Vec<usize> = full
                    .iter()
                    .copied()
                    .filter(|&i| i != sec && self.drafts[i].ready.is_some_and(|r| r <= ts))
                    .collect();
                if village {
                    // Party posts of the village two committees sit on the committee.
                    let mut role_k = 2;
                    for &i in &ready_others {
                        let role = match self.drafts[i].post {
                            Some(VillagePost::DeputySecretary) => CommitteeRole::DeputySecretary,
                            Some(VillagePost::Director) => CommitteeRole::Member,
                            Some(VillagePost::CommitteeMember) => {
                                let r = if self.drafts[i].gender == Gender::Female {
                                    CommitteeRole::Women
                                } else {
                                    committee_roles
                                        .get(role_k)
                                        .copied()
                                        .unwrap_or(CommitteeRole::Member)
                                };
                                role_k += 1;
                                r
                            }
                            _ => continue,
                        };
                        if seats.len() < 7 {
                            seats.push(Self::seat(Some(i), i, role, ts));
                        }
                    }
                } else if kind == OrgKind::GeneralBranch {
                    for (k, &i) in ready_others.iter().take(6).enumerate() {
                        let role = committee_roles
                            .get(k + 1)
                            .copied()
                            .unwrap_or(CommitteeRole::Member);
                        seats.push(Self::seat(Some(i), i, role, ts));
                    }
                } else {
                    let nf = full.len();
                    let size = if nf >= 7 && self.rng.gen_bool(0.9) {
                        if nf < 12 {
                            3
                        } else if nf < 30 {
                            *[3usize, 5].choose(&mut self.rng).unwrap_or(&3)
                        } else {
                            *[5usize, 7].choose(&mut self.rng).unwrap_or(&5)
                        }
                    } else if nf >= 5 && self.rng.gen_bool(0.3) {
                        2
                    } else {
                        1
                    };
                    let roles: &[CommitteeRole] = match size {
                        1 => &[],
                        2 => &[CommitteeRole::DeputySecretary],
                        3 => &[CommitteeRole::Organizer, CommitteeRole::Propaganda],
                        5 => &[
                            CommitteeRole::DeputySecretary,
                            CommitteeRole::Organizer,
                            CommitteeRole::Propaganda,
                            CommitteeRole::Discipline,
                        ],
                        _ => &committee_roles[1..],
                    };
                    let mut pool = ready_others.clone();
                    pool.shuffle(&mut self.rng);
                    for (role, &i) in roles.iter().zip(pool.iter()) {
                        seats.push(Self::seat(Some(i), i, *role, ts));
                    }
                }
            } else if matches!(kind, OrgKind::Committee | OrgKind::WorkingCommittee) {
                // Seats held by members of the committee's own branches (机关支部 etc.).
                let roles: Vec<CommitteeRole> = if o == 0 {
                    let mut v = vec![
                        CommitteeRole::Secretary,
                        CommitteeRole::DeputySecretary,
                        CommitteeRole::DeputySecretary,
                        CommitteeRole::DeputySecretary,
                    ];
                    v.extend(std::iter::repeat_n(CommitteeRole::Member, 7));
                    v
                } else {
                    let size = self.rng.gen_range(5..=7);
                    [
                        CommitteeRole::Secretary,
                        CommitteeRole::DeputySecretary,
                        CommitteeRole::Organizer,
                        CommitteeRole::Propaganda,
                        CommitteeRole::Discipline,
                        CommitteeRole::DeputySecretary,
                        CommitteeRole::Member,
                    ]
                    .into_iter()
                    .take(size)
                    .collect()
                };
                let mut cands = Vec::new();
                let kids: Vec<usize> = if o == 0 {
                    (0..n)
                        .filter(|&c| self.orgs[c].parent_at(AS_OF) == Some(self.organs_wc))
                        .collect()
                } else {
                    (0..n)
                        .filter(|&c| self.orgs[c].parent_at(AS_OF) == Some(o))
                        .collect()
                };
                for c in kids {
                    if !self.exists(c, AS_OF)
                        || matches!(self.orgs[c].field, Field::Rural | Field::Community)
                    {
                        continue;
                    }
                    for &i in &members_of[c] {
                        let d = &self.drafts[i];
                        if (35..=58).contains(&d.age) && d.ready.is_some() {
                            cands.push(i);
                        }
                    }
                }
                // Elected when enough of them were full members there.
                let mut readies: Vec<NaiveDate> =
                    cands.iter().filter_map(|&i| self.drafts[i].ready).collect();
                readies.sort();
                let k = roles.len().min(readies.len());
                if k > 0 {
                    let ready_at_ts = readies.iter().filter(|&&r| r <= ts).count();
                    if ready_at_ts < k {
                        ts = readies[k - 1];
                    }
                }
                cands.retain(|&i| self.drafts[i].ready.is_some_and(|r| r <= ts));
                cands.shuffle(&mut self.rng);
                for (role, &i) in roles.iter().zip(cands.iter()) {
                    seats.push(Self::seat(None, i, *role, ts));
                }
            }
            for s in &seats {
                if let Some(p) = s.person {
                    self.drafts[p].office = true;
                }
            }
            self.orgs[o].committee = seats;
        }
    }

    // -----------------------------------------------------------------------------------
    // Finishing: names, ID numbers, contact data, users
    // -----------------------------------------------------------------------------------

    /// The random draws the first name generator made for a person. The names now come
    /// from [`super::names::Names`] (gendered lists, unique with the birth date) on their
    /// own stream; these draws are still made, and their result dropped, so that everything
    /// drawn after a name (ethnicity, native place, occupation, phone, address) stays as
    /// the demo's published figures and tests know it.
    fn legacy_name_draws(&mut self, gender: Gender, birth: NaiveDate) -> String {
        let surname = match &self.surname_index {
            Some(ix) => SURNAMES[ix.sample(&mut self.rng)].0,
            None => "王",
        };
        let era = if birth.year() < 1950 {
            0
        } else if birth.year() < 1970 {
            1
        } else {
            2
        };
        let gi = usize::from(gender == Gender::Female);
        let pools = GIVEN[era][gi];
        let pick = |rng: &mut StdRng, s: &str| -> char {
            let chars: Vec<char> = s.chars().collect();
            chars[rng.gen_range(0..chars.len())]
        };
        let single_p = [0.1, 0.2, 0.35][era];
        if self.rng.gen_bool(single_p) {
            format!("{surname}{}", pick(&mut self.rng, pools[2]))
        } else {
            let a = pick(&mut self.rng, pools[0]);
            let mut b = pick(&mut self.rng, pools[1]);
            if a == b {
                b = pick(&mut self.rng, pools[1]);
            }
            format!("{surname}{a}{b}")
        }
    }

    fn id_number(&mut self, birth: NaiveDate, gender: Gender) -> String {
        unique_id_number(&mut self.rng, &mut self.ids, COUNTY_CODE, birth, gender)
    }

    fn mobile(&mut self) -> String {
        loop {
            let prefix = if self.rng.gen_bool(0.06) {
                ["153", "158", "159"][self.rng.gen_range(0..3)].to_string()
            } else {
                format!("13{}", self.rng.gen_range(0..10))
            };
            let p = format!("{prefix}{:08}", self.rng.gen_range(0..100_000_000u32));
            if self.phones.insert(p.clone()) {
                return p;
            }
        }
    }

    fn occupation(&mut self, d: &Draft, age: i32) -> Occupation {
        let female = d.gender == Gender::Female;
        let r: f64 = self.rng.gen();
        let retire_age = if female { 55 } else { 60 };
        if d.post.is_some() {
            return Occupation::Farmer;
        }
        match d.profile {
            Profile::Rural => {
                if age <= 40 && r < 0.06 {
                    Occupation::Worker
                } else if r > 0.985 {
                    Occupation::Other
                } else {
                    Occupation::Farmer
                }
            }
            Profile::Community => {
                if age >= retire_age - 5 {
                    Occupation::Retired
                } else if r < 0.4 {
                    Occupation::Worker
                } else {
                    Occupation::Other
                }
            }
            Profile::Private => {
                if r < 0.55 {
                    Occupation::Worker
                } else if r < 0.85 {
                    Occupation::Manager
                } else {
                    Occupation::Professional
                }
            }
            Profile::Organ => {
                if age >= retire_age {
                    Occupation::Retired
                } else if r < 0.88 {
                    Occupation::PartyGovStaff
                } else {
                    Occupation::Worker
                }
            }
            Profile::Institution | Profile::School => {
                let prof = if d.profile == Profile::School {
                    0.85
                } else {
                    0.65
                };
                if age >= retire_age {
                    Occupation::Retired
                } else if r < prof {
                    Occupation::Professional
                } else if r < prof + 0.2 {
                    Occupation::Manager
                } else {
                    Occupation::Worker
                }
            }
            Profile::StateEnt => {
                if age >= if female { 50 } else { 60 } {
                    Occupation::Retired
                } else if r < 0.55 {
                    Occupation::Worker
                } else if r < 0.8 {
                    Occupation::Manager
                } else {
                    Occupation::Professional
                }
            }
            Profile::Retiree => {
                if age >= 50 {
                    Occupation::Retired
                } else {
                    Occupation::Other
                }
            }
        }
    }

    fn finish(mut self) -> Plan {
        let drafts = std::mem::take(&mut self.drafts);
        let mut members = Vec::with_capacity(drafts.len());
        for d in &drafts {
            let _ = self.legacy_name_draws(d.gender, d.birth);
            let name = self.names.draw(d.gender, d.birth);
            let id_number = self.id_number(d.birth, d.gender);
            let ethnicity = if self.rng.gen_bool(0.025) {
                match &self.minority_index {
                    Some(ix) => MINORITIES[ix.sample(&mut self.rng)].0,
                    None => "03",
                }
            } else {
                "01"
            };
            let native = match &self.native_index {
                Some(ix) => NATIVE_PLACES[ix.sample(&mut self.rng)].0,
                None => "江苏溧水",
            };
            let age = if d.roster {
                d.age
            } else {
                age_on(d.birth, d.events.last().map(|e| e.date).unwrap_or(AS_OF))
            };
            let occupation = self.occupation(d, age);
            let died = d.events.iter().any(|e| e.kind == MemberEventKind::Died);
            let phone = if died {
                None
            } else {
                let p = if age < 60 {
                    0.85
                } else if age < 75 {
                    0.45
                } else {
                    0.15
                };
                if self.rng.gen_bool(p) {
                    Some(self.mobile())
                } else {
                    None
                }
            };
            let m = &self.meta[d.org];
            let address = match (&m.village_name, m.profile) {
                (Some(v), Profile::Rural) => {
                    let place = m.place.trim_end_matches(&format!("{v}村")).to_string();
                    Some(format!("{place}{v}村{}组", self.rng.gen_range(1..=12)))
                }
                _ => {
                    let street = STREETS[self.rng.gen_range(0..STREETS.len())];
                    let town_place = if m.place.starts_with("溧水县") && m.place.ends_with('镇')
                    {
                        m.place.clone()
                    } else {
                        "溧水县永阳镇".to_string()
                    };
                    Some(format!(
                        "{town_place}{street}{}号",
                        self.rng.gen_range(1..=400)
                    ))
                }
            };
            let difficulty_p = match d.profile {
                Profile::Rural | Profile::Community if age > 70 => 0.07,
                Profile::StateEnt | Profile::Retiree if age > 60 => 0.03,
                _ => 0.004,
            };
            let in_difficulty =
                d.roster && d.post.is_none() && !d.office && self.rng.gen_bool(difficulty_p);
            members.push(PlanMember {
                name,
                gender: d.gender,
                ethnicity: ethnicity.to_string(),
                birth: d.birth,
                id_number,
                native_place: native.to_string(),
                education: d.education,
                occupation,
                phone,
                address,
                village_post: d.post,
                retired: occupation == Occupation::Retired,
                pre1949_veteran: d.join < ymd(1949, 10, 1),
                in_difficulty,
                holds_office: d.office || d.post.is_some(),
                join_date: d.join,
                full_date: d.full,
                events: d.events.clone(),
            });
        }
        // Seat names, and 党委 seats for which no member was found.
        for o in 0..self.orgs.len() {
            for s in 0..self.orgs[o].committee.len() {
                if let Some(p) = self.orgs[o].committee[s].person {
                    self.orgs[o].committee[s].person_name = members[p].name.clone();
                }
            }
        }
        let users = self.users();
        Plan {
            orgs: self.orgs,
            members,
            users,
        }
    }

    fn users(&self) -> Vec<PlanUser> {
        let user = |username: &str, display_name: &str, role: &'static str, org: usize| PlanUser {
            username: username.to_string(),
            display_name: display_name.to_string(),
            role,
            org,
            password: DEMO_PASSWORD.to_string(),
        };
        let mut users = vec![
            user("admin", "县委组织部管理员", "admin", 0),
            user("zuzhibu", "县委组织部组织科", "org_dept", 0),
        ];
        for (i, t) in TOWNS.iter().enumerate() {
            users.push(user(
                &format!("zhen_{}", t.pinyin),
                &format!("{}镇党委书记", t.name),
                "committee",
                self.towns[i],
            ));
        }
        for (ti, vname, py) in USER_VILLAGES {
            let org = self.villages.iter().map(|v| v.org).find(|&o| {
                self.meta[o].village_name.as_deref() == Some(vname)
                    && self.meta[o].town == Some(self.towns[ti])
            });
            if let Some(org) = org {
                let short = self.orgs[org].short_name_at(AS_OF).to_string();
                users.push(user(
                    &format!("cun_{py}"),
                    &format!("{short}书记"),
                    "branch",
                    org,
                ));
            }
        }
        users
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::sync::OnceLock;

    fn plan() -> &'static Plan {
        static PLAN: OnceLock<Plan> = OnceLock::new();
        PLAN.get_or_init(build)
    }

    fn edu_group(e: Education) -> usize {
        if e.college_or_above() {
            0
        } else if e == Education::JuniorOrBelow {
            2
        } else {
            1
        }
    }

    #[derive(Debug, Default, PartialEq)]
    struct Figures {
        members: usize,
        probationary: usize,
        female: usize,
        ages: [usize; 3],
        edu: [usize; 3],
        general_branches: usize,
        branches: usize,
        /// (general branches, branches, members) per field group.
        fields: [(usize, usize, usize); 4],
        cadres: usize,
        secretaries: usize,
        directors: usize,
        dual: usize,
        town_committees: usize,
    }

    fn fold(p: &Plan, d: NaiveDate) -> Figures {
        let mut f = Figures::default();
        for o in p.orgs.iter().filter(|o| org_exists_at(o, d)) {
            let g = field_group(o.field);
            match o.kind {
                OrgKind::GeneralBranch => {
                    f.general_branches += 1;
                    f.fields[g].0 += 1;
                }
                OrgKind::Branch => {
                    f.branches += 1;
                    f.fields[g].1 += 1;
                }
                OrgKind::Committee if o.field == Field::Rural => f.town_committees += 1,
                _ => {}
            }
        }
        for m in &p.members {
            let Some((org, prob)) = member_state_at(m, d) else {
                continue;
            };
            f.members += 1;
            f.probationary += usize::from(prob);
            f.female += usize::from(m.gender == Gender::Female);
            f.ages[age_group(age_on(m.birth, d))] += 1;
            f.edu[edu_group(m.education)] += 1;
            let field = p.orgs[org].field;
            f.fields[field_group(field)].2 += 1;
            if let Some(post) = m.village_post {
                if field == Field::Rural {
                    f.cadres += 1;
                    f.secretaries += usize::from(post.is_secretary());
                    f.directors += usize::from(post.is_director());
                    f.dual += usize::from(post == VillagePost::SecretaryDirector);
                }
            }
        }
        f
    }

    #[test]
    fn build_is_deterministic() {
        let a = build();
        let b = plan();
        assert_eq!(a.orgs.len(), b.orgs.len());
        assert_eq!(a.members.len(), b.members.len());
        let names = |p: &Plan| {
            p.members
                .iter()
                .take(50)
                .map(|m| m.name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&a), names(b));
        assert!(a == *b);
    }

    #[test]
    fn seed_figures_hold_exactly_at_as_of() {
        let f = fold(plan(), AS_OF);
        assert_eq!(f.members, figures::MEMBERS);
        assert_eq!(f.probationary, figures::PROBATIONARY);
        assert_eq!(f.female, figures::FEMALE);
        assert_eq!(
            f.ages,
            [figures::AGE_LE35, figures::AGE_36_55, figures::AGE_GT55]
        );
        assert_eq!(
            f.edu,
            [
                figures::EDU_COLLEGE,
                figures::EDU_SECONDARY,
                figures::EDU_JUNIOR
            ]
        );
        assert_eq!(f.general_branches, figures::GENERAL_BRANCHES);
        assert_eq!(f.branches, figures::BRANCHES);
        assert_eq!(f.fields[0], figures::RURAL);
        assert_eq!(f.fields[1], figures::COMMUNITY);
        assert_eq!(f.fields[2], figures::PRIVATE);
        let v = figures::VILLAGE_CADRES;
        assert_eq!((f.cadres, f.secretaries, f.directors, f.dual), v);
        assert_eq!(f.town_committees, figures::TOWN_COMMITTEES);
        // Every village cadre is in a rural org.
        let all_cadres = plan()
            .members
            .iter()
            .filter(|m| m.village_post.is_some() && member_state_at(m, AS_OF).is_some())
            .count();
        assert_eq!(all_cadres, v.0);
    }

    #[test]
    fn figures_differ_a_year_earlier() {
        let now = fold(plan(), AS_OF);
        let before = fold(plan(), ymd(2003, 12, 31));
        assert_ne!(now.members, before.members);
        assert_ne!(now.probationary, before.probationary);
        assert!(before.members > 17_000, "{}", before.members);
        assert!(before.probationary > 0);
        // People who left before AS_OF exist.
        let gone = plan()
            .members
            .iter()
            .filter(|m| member_state_at(m, AS_OF).is_none())
            .count();
        assert!(gone > 1_000, "{gone}");
    }

    #[test]
    fn roster_members_sit_in_existing_member_orgs() {
        let p = plan();
        for m in &p.members {
            if let Some((o, _)) = member_state_at(m, AS_OF) {
                let org = &p.orgs[o];
                assert!(org_exists_at(org, AS_OF), "{} in {}", m.name, org.name);
                assert!(org.kind.holds_members());
                assert!(matches!(org.kind, OrgKind::GeneralBranch | OrgKind::Branch));
            }
        }
        for o in p.orgs.iter().filter(|o| o.dissolved_on().is_some()) {
            assert!(o.committee.is_empty());
        }
    }

    /// Every name reads as the person's gender (given-name characters from that gender's
    /// list), which is also the ID number's gender digit; no name and birth date twice.
    #[test]
    fn names_agree_with_gender_and_are_unique_with_the_birth_date() {
        use super::super::names::{gender_of_given, split};
        let mut seen = std::collections::HashSet::new();
        for m in &plan().members {
            let (_, given) = split(&m.name);
            assert_eq!(gender_of_given(given), Some(m.gender), "{}", m.name);
            let digit: u32 = m.id_number[16..17].parse().unwrap_or(0);
            assert_eq!(digit % 2 == 1, m.gender == Gender::Male, "{}", m.name);
            assert!(
                seen.insert((m.name.clone(), m.birth)),
                "{} born {} twice",
                m.name,
                m.birth
            );
        }
    }

    #[test]
    fn id_numbers_are_valid_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for m in &plan().members {
            let id = &m.id_number;
            assert_eq!(id.len(), 18, "{id}");
            assert!(id.starts_with(COUNTY_CODE));
            assert_eq!(&id[6..14], m.birth.format("%Y%m%d").to_string());
            let seq: u32 = id[14..17].parse().unwrap_or(0);
            assert_eq!(seq % 2 == 1, m.gender == Gender::Male, "{id}");
            assert_eq!(id_check_char(&id[..17]), id.chars().last());
            assert!(seen.insert(id.clone()), "duplicate {id}");
            assert!(m.ethnicity.len() == 2);
            if let Some(ph) = &m.phone {
                assert_eq!(ph.len(), 11);
                assert!(ph.starts_with("13") || ph.starts_with("15"));
            }
        }
    }

    #[test]
    fn tree_is_ordered_and_names_unique_among_siblings() {
        let p = plan();
        assert_eq!(p.orgs[0].parent, None);
        assert_eq!(p.orgs[0].kind, OrgKind::Committee);
        assert_eq!(p.orgs[0].field, Field::Organ);
        for (i, o) in p.orgs.iter().enumerate() {
            if i > 0 {
                let parent = o.parent.unwrap_or(usize::MAX);
                assert!(parent < i, "{}", o.name);
                assert!(org_exists_at(&p.orgs[parent], o.founded), "{}", o.name);
            }
            assert!(o.founded <= AS_OF);
            let mut last = o.founded;
            for h in &o.history {
                assert!(h.date() >= last && h.date() <= AS_OF, "{}", o.name);
                last = h.date();
                if let PlanOrgEvent::Moved { new_parent, date } = h {
                    assert!(*new_parent < i);
                    assert!(org_exists_at(&p.orgs[*new_parent], *date));
                }
            }
            assert_ne!(o.kind, OrgKind::Group);
            assert_ne!(o.kind, OrgKind::TemporaryBranch);
        }
        // At every year end, each existing org's parent exists, and sibling names are unique.
        for y in (1950..=2004).step_by(3).chain([2004]) {
            let d = ymd(y, 12, 31);
            let mut names: BTreeMap<(Option<usize>, &str), usize> = BTreeMap::new();
            for (i, o) in p.orgs.iter().enumerate() {
                if !org_exists_at(o, d) {
                    continue;
                }
                if let Some(parent) = o.parent_at(d) {
                    assert!(org_exists_at(&p.orgs[parent], d), "{} at {d}", o.name_at(d));
                }
                let prev = names.insert((o.parent_at(d), o.name_at(d)), i);
                assert!(prev.is_none(), "duplicate {} at {d}", o.name_at(d));
            }
        }
    }

    #[test]
    fn member_events_are_consistent() {
        let p = plan();
        let mut veterans = 0;
        let mut transfers_in = 0;
        let mut moved = 0;
        let mut extended_then_converted = 0;
        for m in &p.members {
            let ev = &m.events;
            assert!(!ev.is_empty());
            assert!(ev[0].kind.starts_membership(), "{}", m.name);
            assert!(ev.windows(2).all(|w| w[0].date <= w[1].date), "{}", m.name);
            assert!(ev.iter().all(|e| e.date <= AS_OF));
            assert!(m.join_date >= ymd(1921, 7, 1));
            assert!(
                age_on(m.birth, m.join_date) >= 18,
                "{} {}",
                m.name,
                m.join_date
            );
            assert_eq!(m.pre1949_veteran, m.join_date < ymd(1949, 10, 1));
            veterans += usize::from(m.pre1949_veteran && member_state_at(m, AS_OF).is_some());
            let mut joined: Option<NaiveDate> = None;
            let mut extended = false;
            for e in ev {
                match e.kind {
                    MemberEventKind::Joined => {
                        assert_eq!(e.date, m.join_date);
                        assert!(age_on(m.birth, e.date) >= 18);
                        joined = Some(e.date);
                    }
                    MemberEventKind::ProbationExtended => extended = true,
                    MemberEventKind::Converted => {
                        let base = joined.unwrap_or(m.join_date);
                        if extended {
                            assert!(e.date > add_years(base, 1));
                            extended_then_converted += 1;
                        } else {
                            assert_eq!(e.date, add_years(base, 1), "{}", m.name);
                        }
                        assert_eq!(Some(e.date), m.full_date);
                    }
                    MemberEventKind::TransferredIn => {
                        transfers_in += 1;
                        assert!(e.letter_no.is_some());
                    }
                    MemberEventKind::TransferredOut => assert!(e.letter_no.is_some()),
                    MemberEventKind::Moved => moved += 1,
                    _ => {}
                }
                let needs_org = e.kind.starts_membership() || e.kind == MemberEventKind::Moved;
                assert_eq!(e.org.is_some(), needs_org);
                if let Some(o) = e.org {
                    let org = &p.orgs[o];
                    assert!(
                        org_exists_at(org, e.date),
                        "{} {} {}",
                        m.name,
                        org.name,
                        e.date
                    );
                    assert!(org.kind.holds_members());
                }
            }
            if let Some((o, _)) = member_state_at(m, AS_OF) {
                let _ = o;
            } else {
                let last = ev.last().map(|e| e.kind);
                assert!(last.is_some_and(|k| k.ends_membership()), "{}", m.name);
            }
            // Members of an org when it is dissolved have been moved out.
            for d in ev.iter().map(|e| e.date) {
                if let Some((o, _)) = member_state_at(m, d) {
                    assert!(
                        org_exists_at(&p.orgs[o], d),
                        "{} in {} at {d}",
                        m.name,
                        p.orgs[o].name
                    );
                }
            }
            for o in p.orgs.iter().filter_map(|o| o.dissolved_on()) {
                if let Some((org, _)) = member_state_at(m, o) {
                    assert!(org_exists_at(&p.orgs[org], o));
                }
            }
        }
        assert!((100..=200).contains(&veterans), "{veterans}");
        assert!(transfers_in > 500, "{transfers_in}");
        assert!(moved > 1_000, "{moved}");
        assert!(extended_then_converted > 0);
    }

    #[test]
    fn committees_follow_the_rules() {
        let p = plan();
        let mut due_soon = 0;
        let mut overdue = 0;
        for (i, o) in p.orgs.iter().enumerate() {
            if !org_exists_at(o, AS_OF) {
                continue;
            }
            match o.kind {
                OrgKind::GeneralBranch | OrgKind::Branch => {
                    let secs: Vec<&PlanSeat> = o
                        .committee
                        .iter()
                        .filter(|s| s.role == CommitteeRole::Secretary)
                        .collect();
                    assert_eq!(secs.len(), 1, "{}", o.name);
                    assert!(o.committee.len() <= 7);
                    for s in &o.committee {
                        let m = s.member.unwrap_or(usize::MAX);
                        assert_eq!(s.person, Some(m));
                        let member = &p.members[m];
                        assert_eq!(
                            member_state_at(member, AS_OF),
                            Some((i, false)),
                            "{}",
                            o.name
                        );
                        assert_eq!(s.person_name, member.name);
                        assert!(s.term_start <= AS_OF && s.term_start >= o.founded);
                        assert_eq!(s.term_end, None);
                        assert!(member_state_at(member, s.term_start)
                            .is_some_and(|st| st == (i, false)));
                    }
                    let sec = &p.members[secs[0].member.unwrap_or(usize::MAX)];
                    if o.field == Field::Rural
                        && o.parent_at(AS_OF)
                            .is_some_and(|pa| p.orgs[pa].kind == OrgKind::Committee)
                    {
                        assert!(
                            sec.village_post.is_some_and(|v| v.is_secretary()),
                            "{}",
                            o.name
                        );
                    }
                    let years = jiceng_domain::org::term_years(o.kind, o.field);
                    let due = add_years(secs[0].term_start, years);
                    if due <= AS_OF {
                        overdue += 1;
                    } else if due <= add_months(AS_OF, 6) {
                        due_soon += 1;
                    }
                }
                OrgKind::Committee | OrgKind::WorkingCommittee => {
                    assert!(o.committee.iter().all(|s| s.member.is_none()));
                    assert!(!o.committee.is_empty(), "{}", o.name);
                }
                _ => {}
            }
        }
        assert!(due_soon > 10, "{due_soon}");
        assert!(overdue > 5, "{overdue}");
        // Larger branches mostly have a committee.
        let big: Vec<&PlanOrg> = p
            .orgs
            .iter()
            .filter(|o| {
                o.kind == OrgKind::Branch && org_exists_at(o, AS_OF) && o.committee.len() >= 3
            })
            .collect();
        assert!(big.len() > 400, "{}", big.len());
    }

    #[test]
    fn codes_are_valid() {
        let p = plan();
        let mut seen = std::collections::HashSet::new();
        for o in &p.orgs {
            if let Some(c) = &o.credit_code {
                assert_eq!(c.chars().count(), 18);
                assert!(["91", "12", "11"].contains(&&c[..2]), "{c}");
                assert_eq!(credit_check_char(&c[..17]), c.chars().last(), "{c}");
                assert_eq!(org_code_check(&c[8..16]), c[16..17].chars().next());
                assert!(seen.insert(c.clone()));
            }
            let rc = o.region_code.as_deref().unwrap_or("");
            assert!(rc.starts_with(COUNTY_CODE), "{}", o.name);
            assert!(rc.len() == 6 || rc.len() == 12, "{rc}");
            if o.kind == OrgKind::Committee && o.field == Field::Rural {
                assert!(rc.len() == 12 && rc.ends_with("000"));
                let town: u32 = rc[6..9].parse().unwrap_or(0);
                assert!((100..=199).contains(&town));
            }
            if o.field == Field::Rural && o.kind != OrgKind::Committee {
                let v: u32 = rc[9..12].parse().unwrap_or(0);
                assert!((200..=399).contains(&v), "{rc}");
            }
            if o.field == Field::Community {
                let v: u32 = rc[9..12].parse().unwrap_or(0);
                assert!((1..=199).contains(&v), "{rc}");
            }
        }
        // Enterprise and institution units carry a credit code.
        let with_code = p.orgs.iter().filter(|o| o.credit_code.is_some()).count();
        assert!(with_code > 300, "{with_code}");
    }

    #[test]
    fn users_are_there() {
        let p = plan();
        let u = |name: &str| p.users.iter().find(|u| u.username == name);
        assert!(u("admin").is_some_and(|u| u.role == "admin"
            && u.org == 0
            && u.display_name == "县委组织部管理员"));
        assert!(u("zuzhibu").is_some_and(|u| u.role == "org_dept" && u.org == 0));
        let committees = p.users.iter().filter(|u| u.role == "committee").count();
        assert_eq!(committees, 8);
        let branches: Vec<&PlanUser> = p.users.iter().filter(|u| u.role == "branch").collect();
        assert_eq!(branches.len(), 2);
        for u in &p.users {
            assert!(u.username.is_ascii());
            assert_eq!(u.password, DEMO_PASSWORD);
            assert!(org_exists_at(&p.orgs[u.org], AS_OF));
        }
        for u in branches {
            assert_eq!(p.orgs[u.org].field, Field::Rural);
        }
    }
}
