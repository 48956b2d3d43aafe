//! Working-day calendar (工作日历) with public holidays and make-up working days (调休) as
//! data, one [`CalendarYear`] per year.
//!
//! The embedded years are the State Council's notices (国务院办公厅关于…年部分节假日安排的
//! 通知); a deployment can replace a year or add one with [`WorkCalendar::with_year`] (the
//! type is serde-serializable so that the database can store overrides). A year that is not
//! in the calendar, or whose notice is not yet published ([`CalendarYear::published`] false),
//! counts weekends only, and [`WorkCalendar::unconfirmed_years`] says so, so that answers can
//! carry a warning.
//!
//! **Deadline convention** (the same for every date rule, see [`CONVENTION_ZH`]): a period of
//! N days starts on the day after the starting date `from` (期间开始的当日不计入); the answer
//! is the day on which the N-th day falls. For working days it is the N-th working day after
//! `from`; for calendar days it is `from + N`; N = 0 gives `from` itself. A calendar-day
//! deadline that falls on a holiday is not moved. Months and years end on the corresponding
//! day of the final month, or on its last day when it has none (31 January + 1 month =
//! 28/29 February).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// The deadline convention, in Chinese, for API answers and documentation.
pub const CONVENTION_ZH: &str = "期间自起算日的次日开始计算，第 N 日即为届满之日；按工作日计算的，为起算日之后的第 N 个工作日（节假日及调休按国务院办公厅通知）；按自然日计算的，届满日逢节假日不顺延；N 为 0 时即为起算日当日；按月、年计算的，到期月的对应日为届满之日，没有对应日的为该月末日。";

/// A holiday period (放假): every day from `first` to `last` is off.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Holiday {
    /// Festival (元旦, 春节, …).
    pub name: String,
    /// First day off.
    pub first: NaiveDate,
    /// Last day off (inclusive).
    pub last: NaiveDate,
}

/// A weekend day worked in exchange for a holiday (调休上班).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MakeUpDay {
    /// Festival it belongs to.
    pub name: String,
    /// The (Saturday or Sunday) date worked.
    pub date: NaiveDate,
}

/// One year of holiday arrangements: editable data.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CalendarYear {
    /// The year.
    pub year: i32,
    /// Whether the arrangement is the published notice (false: placeholder, weekends only).
    pub published: bool,
    /// The notice (title, number, date) or why the year is a placeholder.
    pub source: String,
    /// Holiday periods.
    pub holidays: Vec<Holiday>,
    /// Make-up working days.
    pub make_up_days: Vec<MakeUpDay>,
}

/// Whether a year's arrangement is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum YearStatus {
    /// The published notice is in the calendar.
    Published,
    /// The year is in the calendar as a placeholder: its notice is not yet published.
    NotYetPublished,
    /// The year is not in the calendar.
    Missing,
}

/// Invalid calendar data or a date out of range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// A holiday period ends before it starts.
    #[error("{year}年“{name}”放假日期 {first} 至 {last} 起止颠倒")]
    InvertedRange {
        /// Year.
        year: i32,
        /// Festival.
        name: String,
        /// First day.
        first: NaiveDate,
        /// Last day.
        last: NaiveDate,
    },
    /// A date lies outside its year (and the adjacent December or January).
    #[error("{year}年节假日安排中的日期 {date} 不属于该年度")]
    OutsideYear {
        /// Year.
        year: i32,
        /// Date.
        date: NaiveDate,
    },
    /// A make-up working day that is not a weekend day.
    #[error("调休上班日 {0} 不是周六或周日")]
    MakeUpNotWeekend(NaiveDate),
    /// A day both off and worked.
    #[error("{0} 既是放假日又是调休上班日")]
    Conflict(NaiveDate),
    /// A placeholder year with holidays (a year not published has weekends only).
    #[error("{0}年节假日安排标记为尚未发布，不能含放假或调休日期")]
    UnpublishedWithDates(i32),
    /// The result would leave the representable dates.
    #[error("日期超出可计算范围")]
    OutOfRange,
}

impl CalendarError {
    /// Stable code for APIs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvertedRange { .. } => "calendar.inverted_range",
            Self::OutsideYear { .. } => "calendar.outside_year",
            Self::MakeUpNotWeekend(_) => "calendar.make_up_not_weekend",
            Self::Conflict(_) => "calendar.conflict",
            Self::UnpublishedWithDates(_) => "calendar.unpublished_with_dates",
            Self::OutOfRange => "calendar.out_of_range",
        }
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

impl CalendarYear {
    /// A placeholder: weekends only, flagged not published.
    pub fn not_yet_published(year: i32) -> Self {
        CalendarYear {
            year,
            published: false,
            source: format!("{year}年部分节假日安排的通知尚未发布，暂按周末计算"),
            holidays: Vec::new(),
            make_up_days: Vec::new(),
        }
    }

    fn belongs(&self, d: NaiveDate) -> bool {
        // A notice may reach into the neighbouring December or January (e.g. 元旦 2023
        // started on 2022-12-31).
        d.year() == self.year
            || (d.year() == self.year - 1 && d.month() == 12)
            || (d.year() == self.year + 1 && d.month() == 1)
    }

    /// Every day off listed, in order.
    pub fn days_off(&self) -> BTreeSet<NaiveDate> {
        let mut out = BTreeSet::new();
        for h in &self.holidays {
            let mut d = h.first;
            while d <= h.last {
                out.insert(d);
                match d.succ_opt() {
                    Some(n) => d = n,
                    None => break,
                }
            }
        }
        out
    }

    /// Checks the data: ranges in order and inside the year, make-up days on weekends,
    /// no day both off and worked, placeholders empty.
    pub fn validate(&self) -> Result<(), CalendarError> {
        if !self.published && (!self.holidays.is_empty() || !self.make_up_days.is_empty()) {
            return Err(CalendarError::UnpublishedWithDates(self.year));
        }
        for h in &self.holidays {
            if h.last < h.first {
                return Err(CalendarError::InvertedRange {
                    year: self.year,
                    name: h.name.clone(),
                    first: h.first,
                    last: h.last,
                });
            }
            for d in [h.first, h.last] {
                if !self.belongs(d) {
                    return Err(CalendarError::OutsideYear {
                        year: self.year,
                        date: d,
                    });
                }
            }
        }
        let off = self.days_off();
        for m in &self.make_up_days {
            if !self.belongs(m.date) {
                return Err(CalendarError::OutsideYear {
                    year: self.year,
                    date: m.date,
                });
            }
            if !is_weekend(m.date) {
                return Err(CalendarError::MakeUpNotWeekend(m.date));
            }
            if off.contains(&m.date) {
                return Err(CalendarError::Conflict(m.date));
            }
        }
        Ok(())
    }
}

// ---- Embedded data: the State Council's notices -------------------------------------------

/// A date for const tables: an invalid date fails the build (const evaluation).
pub(crate) const fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        // Evaluated at compile time for the tables below: a bad date fails the build.
        None => panic!("invalid date in the embedded calendar"),
    }
}

struct StaticYear {
    year: i32,
    published: bool,
    source: &'static str,
    holidays: &'static [(&'static str, NaiveDate, NaiveDate)],
    make_up: &'static [(&'static str, NaiveDate)],
}

const Y2024: StaticYear = StaticYear {
    year: 2024,
    published: true,
    source: "国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号，2023-10-25）",
    holidays: &[
        ("元旦", ymd(2024, 1, 1), ymd(2024, 1, 1)),
        ("春节", ymd(2024, 2, 10), ymd(2024, 2, 17)),
        ("清明节", ymd(2024, 4, 4), ymd(2024, 4, 6)),
        ("劳动节", ymd(2024, 5, 1), ymd(2024, 5, 5)),
        ("端午节", ymd(2024, 6, 10), ymd(2024, 6, 10)),
        ("中秋节", ymd(2024, 9, 15), ymd(2024, 9, 17)),
        ("国庆节", ymd(2024, 10, 1), ymd(2024, 10, 7)),
    ],
    make_up: &[
        ("春节", ymd(2024, 2, 4)),
        ("春节", ymd(2024, 2, 18)),
        ("清明节", ymd(2024, 4, 7)),
        ("劳动节", ymd(2024, 4, 28)),
        ("劳动节", ymd(2024, 5, 11)),
        ("中秋节", ymd(2024, 9, 14)),
        ("国庆节", ymd(2024, 9, 29)),
        ("国庆节", ymd(2024, 10, 12)),
    ],
};

const Y2025: StaticYear = StaticYear {
    year: 2025,
    published: true,
    source: "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024-11-12；自2025年起春节、劳动节各增加1天法定假日）",
    holidays: &[
        ("元旦", ymd(2025, 1, 1), ymd(2025, 1, 1)),
        ("春节", ymd(2025, 1, 28), ymd(2025, 2, 4)),
        ("清明节", ymd(2025, 4, 4), ymd(2025, 4, 6)),
        ("劳动节", ymd(2025, 5, 1), ymd(2025, 5, 5)),
        ("端午节", ymd(2025, 5, 31), ymd(2025, 6, 2)),
        ("国庆节、中秋节", ymd(2025, 10, 1), ymd(2025, 10, 8)),
    ],
    make_up: &[
        ("春节", ymd(2025, 1, 26)),
        ("春节", ymd(2025, 2, 8)),
        ("劳动节", ymd(2025, 4, 27)),
        ("国庆节、中秋节", ymd(2025, 9, 28)),
        ("国庆节、中秋节", ymd(2025, 10, 11)),
    ],
};

const Y2026: StaticYear = StaticYear {
    year: 2026,
    published: true,
    source: "国务院办公厅关于2026年部分节假日安排的通知（2025-11-04）",
    holidays: &[
        ("元旦", ymd(2026, 1, 1), ymd(2026, 1, 3)),
        ("春节", ymd(2026, 2, 15), ymd(2026, 2, 23)),
        ("清明节", ymd(2026, 4, 4), ymd(2026, 4, 6)),
        ("劳动节", ymd(2026, 5, 1), ymd(2026, 5, 5)),
        ("端午节", ymd(2026, 6, 19), ymd(2026, 6, 21)),
        ("中秋节", ymd(2026, 9, 25), ymd(2026, 9, 27)),
        ("国庆节", ymd(2026, 10, 1), ymd(2026, 10, 7)),
    ],
    make_up: &[
        ("元旦", ymd(2026, 1, 4)),
        ("春节", ymd(2026, 2, 14)),
        ("春节", ymd(2026, 2, 28)),
        ("劳动节", ymd(2026, 5, 9)),
        ("国庆节", ymd(2026, 9, 20)),
        ("国庆节", ymd(2026, 10, 10)),
    ],
};

const Y2027: StaticYear = StaticYear {
    year: 2027,
    published: false,
    source:
        "国务院办公厅关于2027年部分节假日安排的通知尚未发布，暂按周末计算；发布后请在日历中录入",
    holidays: &[],
    make_up: &[],
};

const CENTRAL: &[StaticYear] = &[Y2024, Y2025, Y2026, Y2027];

/// The embedded years: 2024, 2025 and 2026 as published; 2027 as a placeholder
/// (weekends only, `published: false`) until the State Council publishes its notice.
pub fn central_years() -> Vec<CalendarYear> {
    CENTRAL
        .iter()
        .map(|y| CalendarYear {
            year: y.year,
            published: y.published,
            source: y.source.to_string(),
            holidays: y
                .holidays
                .iter()
                .map(|(name, first, last)| Holiday {
                    name: (*name).to_string(),
                    first: *first,
                    last: *last,
                })
                .collect(),
            make_up_days: y
                .make_up
                .iter()
                .map(|(name, date)| MakeUpDay {
                    name: (*name).to_string(),
                    date: *date,
                })
                .collect(),
        })
        .collect()
}

// ---- The calendar --------------------------------------------------------------------------

/// Working days: Monday to Friday, except holidays, plus make-up working days.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WorkCalendar {
    years: BTreeMap<i32, CalendarYear>,
    off: BTreeSet<NaiveDate>,
    work: BTreeSet<NaiveDate>,
}

impl WorkCalendar {
    /// The embedded central calendar ([`central_years`]).
    pub fn central() -> Self {
        let mut c = WorkCalendar::default();
        for y in central_years() {
            c.years.insert(y.year, y);
        }
        c.reindex();
        c
    }

    /// A calendar from years (each validated; a later year of the same number replaces an
    /// earlier one).
    pub fn from_years(
        years: impl IntoIterator<Item = CalendarYear>,
    ) -> Result<Self, CalendarError> {
        let mut c = WorkCalendar::default();
        for y in years {
            y.validate()?;
            c.years.insert(y.year, y);
        }
        c.reindex_checked()?;
        Ok(c)
    }

    /// Adds or replaces one year (e.g. a county's correction, or the next notice).
    pub fn with_year(mut self, year: CalendarYear) -> Result<Self, CalendarError> {
        year.validate()?;
        self.years.insert(year.year, year);
        self.reindex_checked()?;
        Ok(self)
    }

    fn reindex(&mut self) {
        self.off.clear();
        self.work.clear();
        for y in self.years.values() {
            self.off.extend(y.days_off());
            self.work.extend(y.make_up_days.iter().map(|m| m.date));
        }
    }

    fn reindex_checked(&mut self) -> Result<(), CalendarError> {
        self.reindex();
        // Two years may disagree about a shared December/January day.
        match self.off.intersection(&self.work).next() {
            Some(d) => Err(CalendarError::Conflict(*d)),
            None => Ok(()),
        }
    }

    /// The years held, in order.
    pub fn years(&self) -> impl Iterator<Item = &CalendarYear> {
        self.years.values()
    }

    /// Whether a year's arrangement is known.
    pub fn year_status(&self, year: i32) -> YearStatus {
        match self.years.get(&year) {
            Some(y) if y.published => YearStatus::Published,
            Some(_) => YearStatus::NotYetPublished,
            None => YearStatus::Missing,
        }
    }

    /// Whether `d` is a working day.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if self.work.contains(&d) {
            return true;
        }
        if self.off.contains(&d) {
            return false;
        }
        !is_weekend(d)
    }

    /// The `n`-th working day after `from` (`from` itself for `n = 0`).
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let mut d = from;
        let mut left = n;
        while left > 0 {
            d = d.succ_opt().ok_or(CalendarError::OutOfRange)?;
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        Ok(d)
    }

    /// Working days in the period after `from` up to and including `to` (0 if `to ≤ from`):
    /// the inverse of [`Self::add_working_days`].
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u64 {
        from.iter_days()
            .skip(1)
            .take_while(|d| *d <= to)
            .filter(|d| self.is_working_day(*d))
            .count() as u64
    }

    /// Years between `from` and `to` (inclusive, either order) whose arrangement is not
    /// published or not in the calendar: answers computed over them count weekends only.
    pub fn unconfirmed_years(&self, from: NaiveDate, to: NaiveDate) -> Vec<(i32, YearStatus)> {
        let (a, b) = if from <= to { (from, to) } else { (to, from) };
        (a.year()..=b.year())
            .map(|y| (y, self.year_status(y)))
            .filter(|(_, s)| *s != YearStatus::Published)
            .collect()
    }

    /// The warning for answers computed over unconfirmed years, if any, e.g.
    /// "2027年节假日安排尚未发布，按周末计算".
    pub fn warning(&self, from: NaiveDate, to: NaiveDate) -> Option<String> {
        let parts: Vec<String> = self
            .unconfirmed_years(from, to)
            .into_iter()
            .map(|(y, s)| match s {
                YearStatus::NotYetPublished => format!("{y}年节假日安排尚未发布，按周末计算"),
                _ => format!("{y}年节假日安排未收录，按周末计算"),
            })
            .collect();
        if parts.is_empty() {
            None
        } else {
            Some(parts.join("；"))
        }
    }
}

/// The day on which a period of `n` calendar days after `from` is complete: `from + n`.
pub fn add_calendar_days(from: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
    from.checked_add_days(Days::new(u64::from(n)))
        .ok_or(CalendarError::OutOfRange)
}

/// The day on which a period of `n` months after `from` is complete: the corresponding
/// day, or the month's last day when there is none.
pub fn add_months(from: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
    from.checked_add_months(Months::new(n))
        .ok_or(CalendarError::OutOfRange)
}

/// The day on which a period of `n` years after `from` is complete (29 February → 28
/// February in common years).
pub fn add_years(from: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
    add_months(from, n.checked_mul(12).ok_or(CalendarError::OutOfRange)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn cal() -> WorkCalendar {
        WorkCalendar::central()
    }

    #[test]
    fn embedded_years_are_valid() {
        let years = central_years();
        assert_eq!(
            years
                .iter()
                .map(|y| (y.year, y.published))
                .collect::<Vec<_>>(),
            vec![(2024, true), (2025, true), (2026, true), (2027, false)]
        );
        for y in &years {
            y.validate().unwrap();
            assert!(!y.source.is_empty());
        }
        assert_eq!(WorkCalendar::from_years(years).unwrap(), cal());
    }

    #[test]
    fn day_counts_match_the_notices() {
        // Days off per festival as the notices state them (共N天).
        let years = central_years();
        let spans = |y: usize| -> Vec<(String, i64)> {
            years[y]
                .holidays
                .iter()
                .map(|h| (h.name.clone(), (h.last - h.first).num_days() + 1))
                .collect()
        };
        let v = |xs: &[(&str, i64)]| -> Vec<(String, i64)> {
            xs.iter().map(|(n, k)| (n.to_string(), *k)).collect()
        };
        assert_eq!(
            spans(0),
            v(&[
                ("元旦", 1),
                ("春节", 8),
                ("清明节", 3),
                ("劳动节", 5),
                ("端午节", 1),
                ("中秋节", 3),
                ("国庆节", 7)
            ])
        );
        assert_eq!(
            spans(1),
            v(&[
                ("元旦", 1),
                ("春节", 8),
                ("清明节", 3),
                ("劳动节", 5),
                ("端午节", 3),
                ("国庆节、中秋节", 8)
            ])
        );
        assert_eq!(
            spans(2),
            v(&[
                ("元旦", 3),
                ("春节", 9),
                ("清明节", 3),
                ("劳动节", 5),
                ("端午节", 3),
                ("中秋节", 3),
                ("国庆节", 7)
            ])
        );
        // Make-up days are weekends; weekdays named in the notices match.
        for y in &years {
            for m in &y.make_up_days {
                assert!(is_weekend(m.date), "{}", m.date);
            }
        }
        assert_eq!(d(2024, 2, 4).weekday(), Weekday::Sun);
        assert_eq!(d(2024, 5, 11).weekday(), Weekday::Sat);
        assert_eq!(d(2025, 1, 28).weekday(), Weekday::Tue);
        assert_eq!(d(2025, 2, 8).weekday(), Weekday::Sat);
        assert_eq!(d(2026, 2, 15).weekday(), Weekday::Sun);
        assert_eq!(d(2026, 2, 23).weekday(), Weekday::Mon);
        assert_eq!(d(2026, 9, 20).weekday(), Weekday::Sun);
    }

    #[test]
    fn working_days_of_the_year() {
        // 2024: 262 weekdays − 19 holiday weekdays + 8 make-up days = 251; 2025: 261 − 18 + 5 =
        // 248; 2026: 261 − 19 + 6 = 248.
        let c = cal();
        let count = |y| {
            d(y, 1, 1)
                .iter_days()
                .take_while(|x| x.year() == y)
                .filter(|x| c.is_working_day(*x))
                .count()
        };
        assert_eq!(count(2024), 251);
        assert_eq!(count(2025), 248);
        assert_eq!(count(2026), 248);
        // 2027 placeholder: weekdays only (365 days, 2027-01-01 is a Friday → 261).
        assert_eq!(count(2027), 261);
    }

    #[test]
    fn single_days() {
        let c = cal();
        assert!(!c.is_working_day(d(2024, 2, 12)), "春节");
        assert!(c.is_working_day(d(2024, 2, 4)), "调休 Sunday");
        assert!(c.is_working_day(d(2024, 2, 18)), "调休 Sunday");
        assert!(
            c.is_working_day(d(2024, 2, 9)),
            "除夕 2024 is not an official holiday"
        );
        assert!(!c.is_working_day(d(2024, 2, 3)), "plain Saturday");
        assert!(c.is_working_day(d(2024, 2, 19)), "plain Monday");
        assert!(!c.is_working_day(d(2025, 1, 28)), "除夕 2025 is a holiday");
        assert!(!c.is_working_day(d(2025, 5, 5)));
        assert!(c.is_working_day(d(2025, 4, 27)));
        assert!(!c.is_working_day(d(2026, 1, 2)));
        assert!(c.is_working_day(d(2026, 1, 4)));
        assert!(!c.is_working_day(d(2026, 10, 7)));
        assert!(c.is_working_day(d(2026, 10, 10)));
        // Years not in the data: weekends only.
        assert!(c.is_working_day(d(2023, 10, 2)), "2023 is not embedded");
        assert!(c.is_working_day(d(2027, 2, 8)), "2027 placeholder");
    }

    #[test]
    fn known_spans() {
        let c = cal();
        // 5 working days from 2024-09-27 (Fri): 9/29 (Sun, 调休), 9/30, then 国庆 off,
        // 10/8, 10/9, 10/10.
        assert_eq!(
            c.add_working_days(d(2024, 9, 27), 5).unwrap(),
            d(2024, 10, 10)
        );
        assert_eq!(
            c.add_working_days(d(2024, 9, 27), 1).unwrap(),
            d(2024, 9, 29)
        );
        assert_eq!(
            c.add_working_days(d(2024, 9, 27), 2).unwrap(),
            d(2024, 9, 30)
        );
        assert_eq!(
            c.add_working_days(d(2024, 9, 27), 3).unwrap(),
            d(2024, 10, 8)
        );
        // 6 working days: 10/11, 7: 10/12 (Saturday, 调休).
        assert_eq!(
            c.add_working_days(d(2024, 9, 27), 7).unwrap(),
            d(2024, 10, 12)
        );
        // 春节 2024: from Thursday 2/8 — 2/9 (Fri, 除夕 worked), then 2/18 (Sun, 调休).
        assert_eq!(c.add_working_days(d(2024, 2, 8), 1).unwrap(), d(2024, 2, 9));
        assert_eq!(
            c.add_working_days(d(2024, 2, 8), 2).unwrap(),
            d(2024, 2, 18)
        );
        // 春节 2025 starts on 除夕: from Monday 1/27, the next working day is 2/5.
        assert_eq!(
            c.add_working_days(d(2025, 1, 27), 1).unwrap(),
            d(2025, 2, 5)
        );
        // 5 working days of 公示 from Friday 2026-02-13: 2/14 (Sat, 调休), then 2/24–2/27.
        assert_eq!(
            c.add_working_days(d(2026, 2, 13), 5).unwrap(),
            d(2026, 2, 27)
        );
        // A plain week.
        assert_eq!(c.add_working_days(d(2024, 3, 1), 5).unwrap(), d(2024, 3, 8));
        // N = 0: the day itself, even on a holiday.
        assert_eq!(
            c.add_working_days(d(2024, 10, 1), 0).unwrap(),
            d(2024, 10, 1)
        );
        // A weekend start: Saturday 2024-03-02 + 1 → Monday.
        assert_eq!(c.add_working_days(d(2024, 3, 2), 1).unwrap(), d(2024, 3, 4));
    }

    #[test]
    fn year_boundaries() {
        let c = cal();
        // 2024-12-31 (Tue) + 1 → 2025-01-02 (元旦 off).
        assert_eq!(
            c.add_working_days(d(2024, 12, 31), 1).unwrap(),
            d(2025, 1, 2)
        );
        // 2025-12-31 (Wed) + 1 → 2026-01-04 (Sun, 调休) after 元旦 1/1–1/3.
        assert_eq!(
            c.add_working_days(d(2025, 12, 31), 1).unwrap(),
            d(2026, 1, 4)
        );
        assert_eq!(
            c.add_working_days(d(2025, 12, 31), 2).unwrap(),
            d(2026, 1, 5)
        );
        // Into the placeholder year: 2026-12-31 (Thu) + 1 → 2027-01-01 (Fri, weekends only).
        assert_eq!(
            c.add_working_days(d(2026, 12, 31), 1).unwrap(),
            d(2027, 1, 1)
        );
        assert_eq!(
            add_calendar_days(d(2024, 12, 31), 1).unwrap(),
            d(2025, 1, 1)
        );
        assert_eq!(
            add_calendar_days(d(2024, 2, 28), 1).unwrap(),
            d(2024, 2, 29)
        );
        assert_eq!(
            add_calendar_days(d(2024, 2, 28), 0).unwrap(),
            d(2024, 2, 28)
        );
    }

    #[test]
    fn months_and_years() {
        assert_eq!(add_months(d(2024, 1, 31), 1).unwrap(), d(2024, 2, 29));
        assert_eq!(add_months(d(2025, 1, 31), 1).unwrap(), d(2025, 2, 28));
        assert_eq!(add_months(d(2024, 3, 15), 3).unwrap(), d(2024, 6, 15));
        assert_eq!(add_years(d(2024, 2, 29), 1).unwrap(), d(2025, 2, 28));
        assert_eq!(add_years(d(2024, 7, 1), 1).unwrap(), d(2025, 7, 1));
        assert_eq!(add_years(NaiveDate::MAX, 1), Err(CalendarError::OutOfRange));
        assert_eq!(
            add_years(d(2024, 1, 1), u32::MAX),
            Err(CalendarError::OutOfRange)
        );
    }

    #[test]
    fn out_of_range() {
        let c = cal();
        assert_eq!(
            c.add_working_days(NaiveDate::MAX, 1),
            Err(CalendarError::OutOfRange)
        );
        assert_eq!(
            add_calendar_days(NaiveDate::MAX, 1),
            Err(CalendarError::OutOfRange)
        );
        assert_eq!(c.add_working_days(NaiveDate::MAX, 0), Ok(NaiveDate::MAX));
    }

    #[test]
    fn status_and_warnings() {
        let c = cal();
        assert_eq!(c.year_status(2025), YearStatus::Published);
        assert_eq!(c.year_status(2027), YearStatus::NotYetPublished);
        assert_eq!(c.year_status(2023), YearStatus::Missing);
        assert_eq!(c.warning(d(2024, 1, 1), d(2026, 12, 31)), None);
        assert_eq!(
            c.warning(d(2026, 12, 20), d(2027, 1, 8)).as_deref(),
            Some("2027年节假日安排尚未发布，按周末计算")
        );
        assert_eq!(
            c.warning(d(2028, 1, 3), d(2027, 12, 20)).as_deref(),
            Some("2027年节假日安排尚未发布，按周末计算；2028年节假日安排未收录，按周末计算")
        );
        assert_eq!(
            c.unconfirmed_years(d(2023, 12, 1), d(2024, 1, 5)),
            vec![(2023, YearStatus::Missing)]
        );
    }

    #[test]
    fn overrides_and_validation() {
        let c = cal();
        // The 2027 notice arrives: replace the placeholder.
        let y2027 = CalendarYear {
            year: 2027,
            published: true,
            source: "test".into(),
            holidays: vec![Holiday {
                name: "元旦".into(),
                first: d(2027, 1, 1),
                last: d(2027, 1, 3),
            }],
            make_up_days: vec![],
        };
        let c2 = c.clone().with_year(y2027.clone()).unwrap();
        assert_eq!(c2.year_status(2027), YearStatus::Published);
        assert!(!c2.is_working_day(d(2027, 1, 1)));
        assert!(c.is_working_day(d(2027, 1, 1)));
        let bad = |f: &dyn Fn(&mut CalendarYear)| {
            let mut y = y2027.clone();
            f(&mut y);
            c.clone().with_year(y).unwrap_err().code()
        };
        assert_eq!(
            bad(&|y| y.holidays[0].last = d(2026, 12, 31)),
            "calendar.inverted_range"
        );
        assert_eq!(
            bad(&|y| y.holidays[0].first = d(2025, 12, 31)),
            "calendar.outside_year"
        );
        assert_eq!(
            bad(&|y| y.make_up_days.push(MakeUpDay {
                name: "x".into(),
                date: d(2027, 1, 4)
            })),
            "calendar.make_up_not_weekend"
        );
        assert_eq!(
            bad(&|y| y.make_up_days.push(MakeUpDay {
                name: "x".into(),
                date: d(2027, 1, 2)
            })),
            "calendar.conflict"
        );
        assert_eq!(
            bad(&|y| y.published = false),
            "calendar.unpublished_with_dates"
        );
        // A make-up day in the neighbouring December is allowed (a weekend 2026 day) …
        let clash = CalendarYear {
            year: 2027,
            published: true,
            source: "test".into(),
            holidays: vec![],
            make_up_days: vec![MakeUpDay {
                name: "x".into(),
                date: d(2026, 12, 26),
            }],
        };
        assert!(c.clone().with_year(clash).is_ok());
        // … unless the neighbouring year lists that day as off.
        let y2026_spill = CalendarYear {
            year: 2026,
            published: true,
            source: "test".into(),
            holidays: vec![Holiday {
                name: "x".into(),
                first: d(2026, 12, 26),
                last: d(2026, 12, 26),
            }],
            make_up_days: vec![],
        };
        let clash = CalendarYear {
            year: 2027,
            published: true,
            source: "test".into(),
            holidays: vec![],
            make_up_days: vec![MakeUpDay {
                name: "x".into(),
                date: d(2026, 12, 26),
            }],
        };
        assert_eq!(
            WorkCalendar::from_years([y2026_spill, clash]).unwrap_err(),
            CalendarError::Conflict(d(2026, 12, 26))
        );
    }

    fn arb_day() -> impl Strategy<Value = NaiveDate> {
        (0u64..2200).prop_map(|n| d(2023, 6, 1) + Days::new(n))
    }

    proptest! {
        #[test]
        fn more_days_never_earlier(from in arb_day(), n in 0u32..400, k in 0u32..50) {
            let c = cal();
            let a = c.add_working_days(from, n).unwrap();
            let b = c.add_working_days(from, n + k).unwrap();
            prop_assert!(a <= b);
            if k > 0 { prop_assert!(a < b); }
            prop_assert!(add_calendar_days(from, n).unwrap() <= add_calendar_days(from, n + k).unwrap());
        }

        #[test]
        fn later_start_never_earlier(from in arb_day(), n in 0u32..200, k in 0u64..30) {
            let c = cal();
            let later = from + Days::new(k);
            prop_assert!(c.add_working_days(from, n).unwrap() <= c.add_working_days(later, n).unwrap());
        }

        #[test]
        fn working_day_answer_is_a_working_day(from in arb_day(), n in 1u32..400) {
            let c = cal();
            let due = c.add_working_days(from, n).unwrap();
            prop_assert!(c.is_working_day(due));
            prop_assert_eq!(c.working_days_between(from, due), u64::from(n));
            // At least n calendar days: a working-day period is never shorter.
            prop_assert!(due >= add_calendar_days(from, n).unwrap());
        }

        #[test]
        fn calendar_days_are_plain_arithmetic(from in arb_day(), n in 0u32..100_000) {
            let due = add_calendar_days(from, n).unwrap();
            prop_assert_eq!((due - from).num_days(), i64::from(n));
        }

        #[test]
        fn placeholder_years_are_weekdays(day in (0u64..365).prop_map(|n| d(2027, 1, 1) + Days::new(n))) {
            prop_assert_eq!(cal().is_working_day(day), !is_weekend(day));
        }
    }
}
