//! Administrative division codes: GB/T 2260 (6 digits) and the 国家统计局 统计用区划代码
//! (12 digits).
//!
//! Only the *format* is checked, never membership in a current list: codes are reassigned when
//! divisions change, and records keep the code that was in force at the time. What is checked:
//!
//! * digits 1–2 name one of the 34 province-level divisions;
//! * digits 3–4 are `00`, `01`–`70` (地级市 01–20 and 51–70, 地区/自治州/盟 21–50) or `90`
//!   (省直辖县级行政区划); other values are unassigned by the standard;
//! * the layers are contiguous: a county needs a prefecture, a village needs a township, a
//!   township needs at least a prefecture (不设区的地级市 such as 东莞 441900 have townships
//!   directly, so the county digits may be `00`).
//!
//! The township (7–9) and village (10–12) ranges of the 2009 编制规则 are *not* enforced by
//! [`validate`]: the table is marked unverified and the statistics code also has values outside
//! it. Codes outside the known ranges simply get no automatic kind ([`township_kind`],
//! [`village_kind`], [`unit_class`] return `None`) and the user classifies them.

use crate::coded_enum;

/// The 34 province-level divisions (code, name).
pub const PROVINCES: &[(&str, &str)] = &[
    ("110000", "北京市"),
    ("120000", "天津市"),
    ("130000", "河北省"),
    ("140000", "山西省"),
    ("150000", "内蒙古自治区"),
    ("210000", "辽宁省"),
    ("220000", "吉林省"),
    ("230000", "黑龙江省"),
    ("310000", "上海市"),
    ("320000", "江苏省"),
    ("330000", "浙江省"),
    ("340000", "安徽省"),
    ("350000", "福建省"),
    ("360000", "江西省"),
    ("370000", "山东省"),
    ("410000", "河南省"),
    ("420000", "湖北省"),
    ("430000", "湖南省"),
    ("440000", "广东省"),
    ("450000", "广西壮族自治区"),
    ("460000", "海南省"),
    ("500000", "重庆市"),
    ("510000", "四川省"),
    ("520000", "贵州省"),
    ("530000", "云南省"),
    ("540000", "西藏自治区"),
    ("610000", "陕西省"),
    ("620000", "甘肃省"),
    ("630000", "青海省"),
    ("640000", "宁夏回族自治区"),
    ("650000", "新疆维吾尔自治区"),
    ("710000", "台湾省"),
    ("810000", "香港特别行政区"),
    ("820000", "澳门特别行政区"),
];

coded_enum! {
    /// Level of a division code, from its trailing zeros.
    RegionLevel {
        Province = ("province", "省级"),
        Prefecture = ("prefecture", "地级"),
        County = ("county", "县级"),
        Township = ("township", "乡级"),
        Village = ("village", "村级"),
    }
}

coded_enum! {
    /// Kind of a township-level unit, from digits 7–9 of the statistics code.
    TownshipKind {
        /// 001–099
        Subdistrict = ("subdistrict", "街道"),
        /// 100–199
        Town = ("town", "镇"),
        /// 200–399
        Township = ("township", "乡"),
        /// 400–599: state farms, forestry centres and similar (农场、林场).
        GovEnterprise = ("gov_enterprise", "政企合一单位"),
    }
}

coded_enum! {
    /// Kind of a village-level unit, from digits 10–12 of the statistics code.
    VillageKind {
        /// 001–199: 社区.
        ResidentsCommittee = ("residents_committee", "居民委员会"),
        /// 200–399: 建制村.
        VillagersCommittee = ("villagers_committee", "村民委员会"),
    }
}

coded_enum! {
    /// The 年报 classification of a unit (T5, T6, T24, T25, T43), derived from the code ranges.
    /// A suggestion only: users may override it.
    UnitClass {
        UrbanSubdistrict = ("urban_subdistrict", "城市街道"),
        Township = ("township", "乡镇"),
        UrbanCommunity = ("urban_community", "城市社区"),
        TownshipCommunity = ("township_community", "乡镇社区"),
        Village = ("village", "建制村"),
    }
}

/// A division code that passed [`validate`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct RegionCode {
    /// The code as given (6 or 12 digits, trimmed).
    pub code: String,
    /// Level from the trailing zeros.
    pub level: RegionLevel,
}

/// Why a division code was rejected. Messages are for people; `code()` is for programs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegionError {
    /// Neither 6 nor 12 characters.
    #[error("行政区划代码位数不正确，应为 6 位（县级及以上）或 12 位（统计用区划代码）")]
    Length,
    /// Characters other than digits.
    #[error("行政区划代码只能包含数字")]
    Format,
    /// Digits 1–2 are not a province-level division.
    #[error("行政区划代码前两位 {province} 不是有效的省级代码")]
    Province {
        /// The two digits given.
        province: String,
    },
    /// Digits 3–4 are not a value the standard assigns.
    #[error("行政区划代码第 3、4 位 {prefecture} 不是有效的地级代码")]
    Prefecture {
        /// The two digits given.
        prefecture: String,
    },
    /// A lower layer is coded under a layer that is all zeros.
    #[error("行政区划代码层级不连续：上一级为零时下一级不能有编码")]
    Hierarchy,
}

impl RegionError {
    /// Stable machine code for APIs and import reports.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Length => "org.region_code_length",
            Self::Format => "org.region_code_format",
            Self::Province { .. } => "org.region_code_province",
            Self::Prefecture { .. } => "org.region_code_prefecture",
            Self::Hierarchy => "org.region_code_hierarchy",
        }
    }
}

/// Validates the format of a 6- or 12-digit division code and derives its level.
pub fn validate(code: &str) -> Result<RegionCode, RegionError> {
    let code = code.trim();
    let len = code.chars().count();
    if len != 6 && len != 12 {
        return Err(RegionError::Length);
    }
    if !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(RegionError::Format);
    }
    // All ASCII digits from here on.
    let (prov, pref, county) = (&code[0..2], &code[2..4], &code[4..6]);
    if province_of(code).is_none() {
        return Err(RegionError::Province {
            province: prov.to_string(),
        });
    }
    if !prefecture_assigned(pref) {
        return Err(RegionError::Prefecture {
            prefecture: pref.to_string(),
        });
    }
    if pref == "00" && county != "00" {
        return Err(RegionError::Hierarchy);
    }
    let level = if len == 12 {
        let (town, village) = (&code[6..9], &code[9..12]);
        if town == "000" && village != "000" {
            return Err(RegionError::Hierarchy);
        }
        if town != "000" && pref == "00" {
            return Err(RegionError::Hierarchy);
        }
        if village != "000" {
            Some(RegionLevel::Village)
        } else if town != "000" {
            Some(RegionLevel::Township)
        } else {
            None
        }
    } else {
        None
    };
    let level = level.unwrap_or(if pref == "00" {
        RegionLevel::Province
    } else if county == "00" {
        RegionLevel::Prefecture
    } else {
        RegionLevel::County
    });
    Ok(RegionCode {
        code: code.to_string(),
        level,
    })
}

/// Prefecture digits the standard assigns: 00 (the province itself), 01–70, 90.
fn prefecture_assigned(pref: &str) -> bool {
    matches!(pref.parse::<u8>(), Ok(0..=70 | 90))
}

/// The province-level code (`XX0000`) a code lies in, from its first two digits; `None` when
/// they are not a province. Works on any code that starts with a division code, including the
/// first six digits of an ID number.
pub fn province_of(code: &str) -> Option<&'static str> {
    let prefix = code.trim().get(0..2)?;
    if !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    PROVINCES
        .iter()
        .map(|(c, _)| *c)
        .find(|c| c.starts_with(prefix))
}

/// Name of the province-level division a code lies in (`"北京市"` for `110105`).
pub fn province_name(code: &str) -> Option<&'static str> {
    let province = province_of(code)?;
    PROVINCES
        .iter()
        .find(|(c, _)| *c == province)
        .map(|(_, n)| *n)
}

/// The code of the next level up, or `None` for a province or an invalid code.
///
/// County level and above are answered in the 6-digit GB/T 2260 form (`110105000000` →
/// `110100`); a village's parent is its 12-digit township code. A township of a city without
/// counties (东莞 `441900003000`) has the prefecture as parent.
pub fn parent_of(code: &str) -> Option<String> {
    let rc = validate(code).ok()?;
    let c = rc.code.as_str();
    match rc.level {
        RegionLevel::Province => None,
        RegionLevel::Prefecture => Some(format!("{}0000", &c[0..2])),
        RegionLevel::County => Some(format!("{}00", &c[0..4])),
        RegionLevel::Township => Some(c[0..6].to_string()),
        RegionLevel::Village => Some(format!("{}000", &c[0..9])),
    }
}

/// Kind of the township-level unit a 12-digit code lies in (for a village code, the kind of its
/// township): 街道 001–099, 镇 100–199, 乡 200–399, 政企合一 400–599. `None` above township
/// level, for 6-digit or invalid codes, and outside the known ranges.
pub fn township_kind(code12: &str) -> Option<TownshipKind> {
    let rc = validate(code12).ok()?;
    if !matches!(rc.level, RegionLevel::Township | RegionLevel::Village) {
        return None;
    }
    match rc.code[6..9].parse::<u16>().ok()? {
        1..=99 => Some(TownshipKind::Subdistrict),
        100..=199 => Some(TownshipKind::Town),
        200..=399 => Some(TownshipKind::Township),
        400..=599 => Some(TownshipKind::GovEnterprise),
        _ => None,
    }
}

/// Kind of a village-level unit: 居民委员会 001–199, 村民委员会 200–399. `None` for codes that
/// are not village level and outside the known ranges.
pub fn village_kind(code12: &str) -> Option<VillageKind> {
    let rc = validate(code12).ok()?;
    if rc.level != RegionLevel::Village {
        return None;
    }
    match rc.code[9..12].parse::<u16>().ok()? {
        1..=199 => Some(VillageKind::ResidentsCommittee),
        200..=399 => Some(VillageKind::VillagersCommittee),
        _ => None,
    }
}

/// Suggested 年报 class of the unit a 12-digit code names: 街道 → 城市街道;
/// 镇, 乡 → 乡镇; 居委会 under a 街道 → 城市社区, under a 镇 or 乡 → 乡镇社区; 村委会 → 建制村.
/// `None` when the ranges do not decide (政企合一 units and their 居委会, unknown ranges).
pub fn unit_class(code12: &str) -> Option<UnitClass> {
    let level = validate(code12).ok()?.level;
    let town = township_kind(code12)?;
    match level {
        RegionLevel::Township => match town {
            TownshipKind::Subdistrict => Some(UnitClass::UrbanSubdistrict),
            TownshipKind::Town | TownshipKind::Township => Some(UnitClass::Township),
            TownshipKind::GovEnterprise => None,
        },
        RegionLevel::Village => match (village_kind(code12)?, town) {
            (VillageKind::VillagersCommittee, _) => Some(UnitClass::Village),
            (VillageKind::ResidentsCommittee, TownshipKind::Subdistrict) => {
                Some(UnitClass::UrbanCommunity)
            }
            (VillageKind::ResidentsCommittee, TownshipKind::Town | TownshipKind::Township) => {
                Some(UnitClass::TownshipCommunity)
            }
            (VillageKind::ResidentsCommittee, TownshipKind::GovEnterprise) => None,
        },
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn level(code: &str) -> RegionLevel {
        validate(code).unwrap().level
    }

    #[test]
    fn levels_from_trailing_zeros() {
        assert_eq!(level("110000"), RegionLevel::Province);
        assert_eq!(level("110100"), RegionLevel::Prefecture);
        assert_eq!(level("110105"), RegionLevel::County);
        assert_eq!(level(" 110105 "), RegionLevel::County);
        assert_eq!(level("110105000000"), RegionLevel::County);
        assert_eq!(level("110000000000"), RegionLevel::Province);
        assert_eq!(level("110105001000"), RegionLevel::Township);
        assert_eq!(level("110105001001"), RegionLevel::Village);
        assert_eq!(level("429004000000"), RegionLevel::County);
        assert_eq!(level("429000"), RegionLevel::Prefecture);
        // A township directly under a city without counties.
        assert_eq!(level("441900003000"), RegionLevel::Township);
        assert_eq!(validate(" 110105 ").unwrap().code, "110105");
    }

    #[test]
    fn provinces() {
        assert_eq!(PROVINCES.len(), 34);
        for (code, _) in PROVINCES {
            assert_eq!(level(code), RegionLevel::Province);
        }
        for ok in ["110000", "650000", "710000", "810000", "820000"] {
            assert!(validate(ok).is_ok(), "{ok}");
        }
        for bad in [
            "100000", "160000", "200000", "660000", "700000", "720000", "830000", "990000",
        ] {
            let err = validate(bad).unwrap_err();
            assert_eq!(err.code(), "org.region_code_province", "{bad}");
        }
        assert_eq!(
            validate("160000").unwrap_err().to_string(),
            "行政区划代码前两位 16 不是有效的省级代码"
        );
        assert_eq!(province_of("110105"), Some("110000"));
        assert_eq!(province_of("11010519491231002X"), Some("110000"));
        assert_eq!(province_of("820000"), Some("820000"));
        assert_eq!(province_of("16"), None);
        assert_eq!(province_of("1"), None);
        assert_eq!(province_of(""), None);
        assert_eq!(province_of("1x0000"), None);
        assert_eq!(province_name("440306"), Some("广东省"));
    }

    #[test]
    fn prefecture_boundaries() {
        for ok in ["110100", "442000", "445100", "447000", "429000"] {
            assert!(validate(ok).is_ok(), "{ok}");
        }
        for bad in ["447100", "448900", "449100", "449900"] {
            assert_eq!(
                validate(bad),
                Err(RegionError::Prefecture {
                    prefecture: bad[2..4].to_string()
                }),
                "{bad}"
            );
        }
    }

    #[test]
    fn shape_errors() {
        assert_eq!(validate(""), Err(RegionError::Length));
        assert_eq!(validate("11010"), Err(RegionError::Length));
        assert_eq!(validate("1101050"), Err(RegionError::Length));
        assert_eq!(validate("110105001"), Err(RegionError::Length));
        assert_eq!(validate("11010a"), Err(RegionError::Format));
        assert_eq!(validate("１１０１０５"), Err(RegionError::Format));
        assert_eq!(validate("110005"), Err(RegionError::Hierarchy));
        assert_eq!(validate("110105000001"), Err(RegionError::Hierarchy));
        assert_eq!(validate("110000001000"), Err(RegionError::Hierarchy));
        assert_eq!(RegionError::Hierarchy.code(), "org.region_code_hierarchy");
        assert_eq!(RegionError::Length.code(), "org.region_code_length");
        assert_eq!(RegionError::Format.code(), "org.region_code_format");
    }

    #[test]
    fn parents() {
        assert_eq!(parent_of("110000"), None);
        assert_eq!(parent_of("110100").as_deref(), Some("110000"));
        assert_eq!(parent_of("110105").as_deref(), Some("110100"));
        assert_eq!(parent_of("429004").as_deref(), Some("429000"));
        assert_eq!(parent_of("110105000000").as_deref(), Some("110100"));
        assert_eq!(parent_of("110105001000").as_deref(), Some("110105"));
        assert_eq!(parent_of("110105001002").as_deref(), Some("110105001000"));
        assert_eq!(parent_of("441900003000").as_deref(), Some("441900"));
        assert_eq!(parent_of("nonsense"), None);
    }

    #[test]
    fn township_kind_boundaries() {
        let kind = |t: &str| township_kind(&format!("110105{t}000"));
        assert_eq!(kind("000"), None);
        assert_eq!(kind("001"), Some(TownshipKind::Subdistrict));
        assert_eq!(kind("099"), Some(TownshipKind::Subdistrict));
        assert_eq!(kind("100"), Some(TownshipKind::Town));
        assert_eq!(kind("199"), Some(TownshipKind::Town));
        assert_eq!(kind("200"), Some(TownshipKind::Township));
        assert_eq!(kind("399"), Some(TownshipKind::Township));
        assert_eq!(kind("400"), Some(TownshipKind::GovEnterprise));
        assert_eq!(kind("599"), Some(TownshipKind::GovEnterprise));
        assert_eq!(kind("600"), None);
        assert_eq!(kind("999"), None);
        assert_eq!(township_kind("110105"), None);
        assert_eq!(township_kind("110105101203"), Some(TownshipKind::Town));
    }

    #[test]
    fn village_kind_boundaries() {
        let kind = |v: &str| village_kind(&format!("110105101{v}"));
        assert_eq!(kind("000"), None);
        assert_eq!(kind("001"), Some(VillageKind::ResidentsCommittee));
        assert_eq!(kind("199"), Some(VillageKind::ResidentsCommittee));
        assert_eq!(kind("200"), Some(VillageKind::VillagersCommittee));
        assert_eq!(kind("399"), Some(VillageKind::VillagersCommittee));
        assert_eq!(kind("400"), None);
        assert_eq!(kind("999"), None);
        assert_eq!(village_kind("110105"), None);
    }

    #[test]
    fn unit_classes() {
        assert_eq!(
            unit_class("110105001000"),
            Some(UnitClass::UrbanSubdistrict)
        );
        assert_eq!(unit_class("110105101000"), Some(UnitClass::Township));
        assert_eq!(unit_class("110105201000"), Some(UnitClass::Township));
        assert_eq!(unit_class("110105401000"), None);
        assert_eq!(unit_class("110105001001"), Some(UnitClass::UrbanCommunity));
        assert_eq!(
            unit_class("110105101001"),
            Some(UnitClass::TownshipCommunity)
        );
        assert_eq!(
            unit_class("110105201199"),
            Some(UnitClass::TownshipCommunity)
        );
        assert_eq!(unit_class("110105101200"), Some(UnitClass::Village));
        assert_eq!(unit_class("110105401200"), Some(UnitClass::Village));
        assert_eq!(unit_class("110105401001"), None);
        assert_eq!(unit_class("110105"), None);
        assert_eq!(unit_class("110105000000"), None);
    }

    proptest! {
        #[test]
        fn parent_chain_climbs_to_the_province(
            p in prop::sample::select(PROVINCES.to_vec()),
            pref in prop_oneof![1u32..=70, Just(90)],
            county in 0u32..100,
            town in 0u32..1000,
            village in 0u32..1000,
        ) {
            let village = if town == 0 { 0 } else { village };
            let code = format!("{}{pref:02}{county:02}{town:03}{village:03}", &p.0[..2]);
            let mut current = validate(&code).unwrap();
            let mut steps = 0;
            while let Some(parent) = parent_of(&current.code) {
                let next = validate(&parent).unwrap();
                prop_assert!(next.level < current.level);
                prop_assert!(current.code.starts_with(parent.trim_end_matches('0')));
                current = next;
                steps += 1;
            }
            prop_assert_eq!(current.level, RegionLevel::Province);
            prop_assert_eq!(current.code.as_str(), p.0);
            prop_assert!(steps <= 4);
        }

        #[test]
        fn never_panics(s in "\\PC{0,14}") {
            let _ = validate(&s);
            let _ = parent_of(&s);
            let _ = township_kind(&s);
            let _ = village_kind(&s);
            let _ = unit_class(&s);
            let _ = province_of(&s);
        }
    }
}
