//! Ages and age bands at an as-of date.

use chrono::{Datelike, NaiveDate};

/// Whole years of age on `as_of` (the birthday counts on its day; 29 Feb birthdays
/// count on 1 Mar in non-leap years).
pub fn age_on(birth: NaiveDate, as_of: NaiveDate) -> i32 {
    let mut years = as_of.year() - birth.year();
    if (as_of.month(), as_of.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years
}

/// The seed-000 three age groups: 35岁以下 (≤35), 36-55, 55岁以上 (>55).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum SeedAgeGroup {
    /// ≤ 35
    #[serde(rename = "le35")]
    Le35,
    /// 36 – 55
    #[serde(rename = "36_55")]
    From36To55,
    /// > 55
    #[serde(rename = "gt55")]
    Gt55,
}

/// Seed age group for an age in whole years.
pub fn seed_age_group(age: i32) -> SeedAgeGroup {
    if age <= 35 {
        SeedAgeGroup::Le35
    } else if age <= 55 {
        SeedAgeGroup::From36To55
    } else {
        SeedAgeGroup::Gt55
    }
}

/// The eight national age bands (≤30, 31–35, …, 56–60, ≥61), as labels.
pub const AGE_BANDS: [&str; 8] = [
    "30岁及以下",
    "31-35岁",
    "36-40岁",
    "41-45岁",
    "46-50岁",
    "51-55岁",
    "56-60岁",
    "61岁及以上",
];

/// Index into [`AGE_BANDS`] for an age in whole years.
pub fn age_band(age: i32) -> usize {
    match age {
        i32::MIN..=30 => 0,
        31..=35 => 1,
        36..=40 => 2,
        41..=45 => 3,
        46..=50 => 4,
        51..=55 => 5,
        56..=60 => 6,
        _ => 7,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn birthday_boundary() {
        assert_eq!(age_on(d(1969, 12, 31), d(2004, 12, 31)), 35);
        assert_eq!(age_on(d(1969, 12, 30), d(2004, 12, 31)), 35);
        assert_eq!(age_on(d(1968, 12, 31), d(2004, 12, 31)), 36);
        assert_eq!(age_on(d(1970, 1, 1), d(2004, 12, 31)), 34);
        assert_eq!(age_on(d(2000, 2, 29), d(2001, 2, 28)), 0);
        assert_eq!(age_on(d(2000, 2, 29), d(2001, 3, 1)), 1);
    }

    #[test]
    fn groups_at_edges() {
        assert_eq!(seed_age_group(35), SeedAgeGroup::Le35);
        assert_eq!(seed_age_group(36), SeedAgeGroup::From36To55);
        assert_eq!(seed_age_group(55), SeedAgeGroup::From36To55);
        assert_eq!(seed_age_group(56), SeedAgeGroup::Gt55);
        assert_eq!(age_band(30), 0);
        assert_eq!(age_band(31), 1);
        assert_eq!(age_band(60), 6);
        assert_eq!(age_band(61), 7);
    }

    proptest! {
        #[test]
        fn age_is_monotone(y in 1900i32..2020, doy in 0u32..365, later in 0i64..40000) {
            let birth = NaiveDate::from_yo_opt(y, doy + 1).unwrap_or(d(y, 1, 1));
            let a = birth + chrono::Days::new(later as u64);
            let b = a + chrono::Days::new(1);
            let (x, z) = (age_on(birth, a), age_on(birth, b));
            prop_assert!(z == x || z == x + 1);
            prop_assert!(x >= 0);
        }
    }
}
