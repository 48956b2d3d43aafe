//! Dates as small integers, and the age cut-offs of one as-of date.
//!
//! The engine compares dates millions of times per report, so it keeps them as day
//! numbers. Compact columns hold `u16` days since 1900-01-01 (1900-01-01 ..= 2079-06-05,
//! with `u16::MAX` meaning "open"): that covers the birth of every living member and every
//! Party event (1921 on) while halving the bytes a scan reads compared with `i32`. The few
//! rows that do not fit (a birth before 1900, a date after mid-2079) are kept exactly in
//! the engine's wide side store, so no answer depends on the range.

use chrono::{Datelike, Months, NaiveDate};

/// `num_days_from_ce()` of 1900-01-01, the epoch of the day numbers.
const EPOCH_CE: i32 = 693_596;

/// Largest day number a compact column stores (2079-06-05); `u16::MAX` is "open".
pub const MAX_COMPACT: i32 = 65_534;
/// "Open" (no end) in a compact column.
pub const OPEN16: u16 = u16::MAX;
/// "Open" (no end) in a wide row.
pub const OPEN32: i32 = i32::MAX;

/// The lower bounds of the national age bands 2–8 (31–35, …, ≥61): a member's band is the
/// number of these ages they have reached.
pub const BAND_AGES: [u32; 7] = [31, 36, 41, 46, 51, 56, 61];

/// Days since 1900-01-01 (negative before it).
pub fn day(d: NaiveDate) -> i32 {
    d.num_days_from_ce() - EPOCH_CE
}

/// The date of a day number (`None` outside chrono's range).
pub fn date(day: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(day.checked_add(EPOCH_CE)?)
}

/// The compact form of a day number, when it fits.
pub fn compact(day: i32) -> Option<u16> {
    u16::try_from(day).ok().filter(|d| *d != OPEN16)
}

/// For each age in [`BAND_AGES`], the last birth day at which a person has reached that age
/// on `as_of` (`i32::MIN` when nobody has). Age is monotone in the birth date, so
/// `age_on(birth, as_of) >= k` exactly when `day(birth) <= cutoff`; the engine then tells a
/// member's band with seven integer comparisons instead of calendar arithmetic per row.
/// Subtracting whole years with chrono clamps 29 February to the 28th, which is the rule of
/// [`jiceng_domain::age::age_on`] (tested against it for random dates).
pub fn age_cutoffs(as_of: NaiveDate) -> [i32; 7] {
    BAND_AGES.map(|k| {
        as_of
            .checked_sub_months(Months::new(12 * k))
            .map(day)
            .unwrap_or(i32::MIN)
    })
}

/// Band index (0..8, as [`jiceng_domain::age::age_band`]) of a birth day.
pub fn band_of(birth: i32, cutoffs: &[i32; 7]) -> usize {
    cutoffs.iter().filter(|c| birth <= **c).count()
}

/// The cut-offs for compact births: `birth < t` exactly when `birth <= cutoff`, for every
/// birth a compact column can hold.
pub fn compact_cutoffs(cutoffs: &[i32; 7]) -> [u16; 7] {
    cutoffs.map(|c| u16::try_from(c.saturating_add(1).clamp(0, i32::from(OPEN16))).unwrap_or(0))
}

/// The as-of day for compact membership tests. Every compact date is at most
/// [`MAX_COMPACT`] and "open" is above it, so clamping a later as-of date to it changes no
/// `from <= d < to` answer; before the epoch no compact row can be on the roster (`None`).
pub fn compact_as_of(day: i32) -> Option<u16> {
    if day < 0 {
        None
    } else {
        u16::try_from(day.min(MAX_COMPACT)).ok()
    }
}

/// Years are handy in tests and generators.
pub fn year_of(day: i32) -> i32 {
    date(day).map(|d| d.year()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiceng_domain::age::{age_band, age_on};
    use proptest::prelude::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn epoch_and_range() {
        assert_eq!(day(d(1900, 1, 1)), 0);
        assert_eq!(date(MAX_COMPACT), Some(d(2079, 6, 5)));
        assert_eq!(compact(MAX_COMPACT), Some(65_534));
        assert_eq!(compact(MAX_COMPACT + 1), None);
        assert_eq!(compact(-1), None);
        assert_eq!(compact_as_of(-1), None);
        assert_eq!(compact_as_of(100_000), Some(65_534));
        assert_eq!(year_of(day(d(2024, 7, 1))), 2024);
    }

    #[test]
    fn birthday_on_the_date_counts() {
        // Turns 31 on the as-of date: band 1 (31–35); a day later born: still 30, band 0.
        let asof = d(2024, 6, 30);
        let c = age_cutoffs(asof);
        assert_eq!(band_of(day(d(1993, 6, 30)), &c), 1);
        assert_eq!(band_of(day(d(1993, 7, 1)), &c), 0);
        // 29 February births reach their age on 1 March in common years.
        let c = age_cutoffs(d(2025, 2, 28));
        assert_eq!(band_of(day(d(1964, 2, 29)), &c), 6, "still 60");
        let c = age_cutoffs(d(2025, 3, 1));
        assert_eq!(band_of(day(d(1964, 2, 29)), &c), 7, "61 on 1 March");
    }

    proptest! {
        /// The cut-offs give the band of `age_on`, in wide and compact form.
        #[test]
        fn cutoffs_match_age_on(b in -3000i32..80000, a in -3000i32..80000) {
            let (Some(birth), Some(asof)) = (date(b), date(a)) else { return Ok(()); };
            let want = age_band(age_on(birth, asof));
            let c = age_cutoffs(asof);
            prop_assert_eq!(band_of(b, &c), want);
            if let Some(b16) = compact(b) {
                let t = compact_cutoffs(&c);
                let got = t.iter().filter(|x| b16 < **x).count();
                prop_assert_eq!(got, want);
            }
        }
    }
}
