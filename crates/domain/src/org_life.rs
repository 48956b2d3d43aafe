//! Organizational life (三会一课) and dues (党费) as far as the self-withdrawal rule needs
//! them (SPEC §4.2, §4.4; 党章 第九条): who attended which meeting, which months were
//! paid, and whether a member has gone the rule's months without either.
//!
//! 党章 第九条: a member who, without good reason, for 6 consecutive months takes no part in
//! organizational life, or pays no dues, or does no assigned work, is regarded as having
//! withdrawn (自行脱党); the branch meeting decides on removal (除名) and reports it for
//! approval. Jiceng proposes; the branch decides. Assigned work is not recorded, so that
//! ground is the branch's to state when it decides.
//!
//! Evidence, not absence of data, triggers a proposal: a member is proposed on org life only
//! when meetings they were listed for were recorded in the period and they missed every one
//! without leave, and on dues only when their org's dues ledger in Jiceng covers the whole
//! period (its first recorded month is not later than the period's) and none of their
//! months is paid.

use chrono::{Datelike, Months, NaiveDate};

use crate::coded_enum;

coded_enum! {
    /// Kinds of org-life meeting (SPEC §2: 三会一课, 主题党日, 组织生活会, 民主评议党员).
    MeetingKind {
        GeneralMeeting = ("general_meeting", "支部党员大会"),
        CommitteeMeeting = ("committee_meeting", "支部委员会会议"),
        GroupMeeting = ("group_meeting", "党小组会"),
        Lecture = ("lecture", "党课"),
        ThemeDay = ("theme_day", "主题党日"),
        LifeMeeting = ("life_meeting", "组织生活会"),
        MemberAppraisal = ("member_appraisal", "民主评议党员"),
    }
}

coded_enum! {
    /// A listed member's attendance at a meeting.
    Attendance {
        Present = ("present", "出席"),
        Excused = ("excused", "请假"),
        Absent = ("absent", "缺席"),
    }
}

/// A calendar month (`YYYY-MM`), the unit of dues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// Year.
    pub year: i32,
    /// 1–12.
    pub month: u32,
}

impl Month {
    /// The month a date falls in.
    pub fn of(d: NaiveDate) -> Self {
        Self {
            year: d.year(),
            month: d.month(),
        }
    }
    /// Parses `YYYY-MM`.
    pub fn parse(s: &str) -> Option<Self> {
        let (y, m) = s.trim().split_once('-')?;
        let (year, month) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
        ((1900..=9999).contains(&year) && (1..=12).contains(&month) && y.len() == 4 && m.len() == 2)
            .then_some(Self { year, month })
    }
    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }
    /// The month `n` months earlier.
    pub fn minus(self, n: u32) -> Self {
        let idx = self.year * 12 + self.month as i32 - 1 - n as i32;
        Self {
            year: idx.div_euclid(12),
            month: idx.rem_euclid(12) as u32 + 1,
        }
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// What the rule reads about one member.
#[derive(Debug, Clone, Default)]
pub struct MemberLife {
    /// Day the member came to their current org (joined, transferred or moved in): the
    /// period must lie wholly after it.
    pub since: Option<NaiveDate>,
    /// Meetings the member was listed for, with their attendance.
    pub attendance: Vec<(NaiveDate, Attendance)>,
    /// Months paid (or exempted by decision).
    pub paid: Vec<Month>,
    /// First month of the member's org's dues ledger in Jiceng (the earliest month anyone
    /// in the org has a record for): a dues period before it is not evidence.
    pub dues_ledger_from: Option<Month>,
}

/// One ground of a proposal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Ground {
    /// `org_life` or `dues`.
    pub code: &'static str,
    /// The finding in Chinese, with dates.
    pub text: String,
}

/// The org-life period: the `months` before `as_of` (after `as_of − months`, up to and
/// including `as_of`).
pub fn org_life_window(as_of: NaiveDate, months: u32) -> Option<(NaiveDate, NaiveDate)> {
    Some((as_of.checked_sub_months(Months::new(months))?, as_of))
}

/// The dues period: the `months` whole months before the month of `as_of` (the current
/// month may still be paid).
pub fn dues_window(as_of: NaiveDate, months: u32) -> (Month, Month) {
    let m = Month::of(as_of);
    (m.minus(months), m.minus(1))
}

/// The last meeting the member attended up to `as_of`.
pub fn last_present(life: &MemberLife, as_of: NaiveDate) -> Option<NaiveDate> {
    life.attendance
        .iter()
        .filter(|(d, a)| *a == Attendance::Present && *d <= as_of)
        .map(|(d, _)| *d)
        .max()
}

/// The grounds on which the member is proposed for self-withdrawal on `as_of` (empty: not
/// proposed). `months` is the rule's period (党章 第九条: 6).
pub fn assess(life: &MemberLife, as_of: NaiveDate, months: u32) -> Vec<Ground> {
    let mut out = Vec::new();
    if months == 0 {
        return out;
    }
    if let Some((start, end)) = org_life_window(as_of, months) {
        let in_org = life.since.is_some_and(|s| s <= start);
        let listed: Vec<_> = life
            .attendance
            .iter()
            .filter(|(d, _)| *d > start && *d <= end)
            .collect();
        if in_org && !listed.is_empty() && listed.iter().all(|(_, a)| *a == Attendance::Absent) {
            let last = last_present(life, end)
                .map_or_else(|| "无出席记录".to_string(), |d| format!("最近一次出席 {d}"));
            out.push(Ground {
                code: "org_life",
                text: format!(
                    "{} 至 {end} 连续{months}个月未参加组织生活：列入名单的 {} 次会议均缺席且未请假（{last}）",
                    start + chrono::Days::new(1),
                    listed.len()
                ),
            });
        }
    }
    let (first, last) = dues_window(as_of, months);
    let in_org = life.since.is_some_and(|s| s <= first.first_day());
    let paid_in = life.paid.iter().any(|m| *m >= first && *m <= last);
    let kept = life.dues_ledger_from.is_some_and(|f| f <= first);
    if in_org && kept && !paid_in {
        let latest = life.paid.iter().filter(|m| **m <= last).max();
        let latest = latest.map_or_else(|| "无交纳记录".to_string(), |m| format!("最近交纳 {m}"));
        out.push(Ground {
            code: "dues",
            text: format!("{first} 至 {last} 连续{months}个月未交纳党费（{latest}）"),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn absent_monthly(from: NaiveDate, n: u32) -> Vec<(NaiveDate, Attendance)> {
        (0..n)
            .map(|i| (from + Months::new(i), Attendance::Absent))
            .collect()
    }

    #[test]
    fn month_parse_and_arithmetic() {
        assert_eq!(
            Month::parse("2004-07"),
            Some(Month {
                year: 2004,
                month: 7
            })
        );
        assert_eq!(Month::parse("2004-7"), None);
        assert_eq!(Month::parse("2004-13"), None);
        assert_eq!(Month::parse("x-01"), None);
        assert_eq!(
            Month::parse("2004-01").unwrap().minus(1).to_string(),
            "2003-12"
        );
        assert_eq!(
            Month::parse("2004-06").unwrap().minus(6).to_string(),
            "2003-12"
        );
        assert_eq!(
            dues_window(d(2004, 12, 31), 6),
            (
                Month::parse("2004-06").unwrap(),
                Month::parse("2004-11").unwrap()
            )
        );
    }

    #[test]
    fn six_months_of_unexcused_absence_is_a_ground_one_day_less_is_not() {
        let life = MemberLife {
            since: Some(d(2004, 6, 30)),
            attendance: absent_monthly(d(2004, 7, 15), 6),
            paid: vec![Month::parse("2004-11").unwrap()],
            dues_ledger_from: Month::parse("2004-01"),
        };
        // Period (2004-06-30, 2004-12-30]: the member came on its first day.
        let g = assess(&life, d(2004, 12, 30), 6);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].code, "org_life");
        assert!(g[0].text.contains("6 次会议均缺席"), "{}", g[0].text);
        assert!(
            g[0].text.starts_with("2004-07-01 至 2004-12-30"),
            "{}",
            g[0].text
        );
        // A day earlier the member had not been in the org for the whole period.
        assert!(assess(&life, d(2004, 12, 29), 6).is_empty());
    }

    #[test]
    fn leave_or_one_attendance_or_no_meeting_is_no_ground() {
        let mut life = MemberLife {
            since: Some(d(2000, 1, 1)),
            attendance: absent_monthly(d(2004, 7, 15), 6),
            paid: vec![Month::parse("2004-10").unwrap()],
            dues_ledger_from: Month::parse("2004-01"),
        };
        assert_eq!(assess(&life, d(2004, 12, 31), 6).len(), 1);
        life.attendance[3].1 = Attendance::Excused;
        assert!(assess(&life, d(2004, 12, 31), 6).is_empty());
        life.attendance[3].1 = Attendance::Present;
        assert!(assess(&life, d(2004, 12, 31), 6).is_empty());
        life.attendance.clear();
        assert!(
            assess(&life, d(2004, 12, 31), 6).is_empty(),
            "no meeting recorded: no evidence"
        );
    }

    #[test]
    fn dues_ground_needs_the_orgs_ledger_and_six_unpaid_whole_months() {
        let mut life = MemberLife {
            since: Some(d(2000, 1, 1)),
            attendance: vec![],
            paid: vec![Month::parse("2004-05").unwrap()],
            dues_ledger_from: Month::parse("2004-01"),
        };
        // Period 2004-06 … 2004-11 on 2004-12-31.
        let g = assess(&life, d(2004, 12, 31), 6);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].code, "dues");
        assert!(g[0].text.contains("2004-06 至 2004-11"), "{}", g[0].text);
        assert!(g[0].text.contains("最近交纳 2004-05"), "{}", g[0].text);
        // Paying any month of the period (even late, even in advance up to it) ends it.
        life.paid.push(Month::parse("2004-06").unwrap());
        assert!(assess(&life, d(2004, 12, 31), 6).is_empty());
        life.paid.pop();
        // In November the period is 2004-05 … 2004-10: May is paid.
        assert!(assess(&life, d(2004, 11, 30), 6).is_empty());
        // A ledger younger than the period, or none, is no evidence.
        life.dues_ledger_from = Month::parse("2004-07");
        assert!(assess(&life, d(2004, 12, 31), 6).is_empty());
        life.dues_ledger_from = None;
        assert!(assess(&life, d(2004, 12, 31), 6).is_empty());
        // A member who came in after the period began is not proposed.
        life.dues_ledger_from = Month::parse("2004-06");
        life.since = Some(d(2004, 6, 2));
        assert!(assess(&life, d(2004, 12, 31), 6).is_empty());
        life.since = Some(d(2004, 6, 1));
        assert_eq!(assess(&life, d(2004, 12, 31), 6).len(), 1);
    }

    proptest! {
        /// One more attendance, or one more paid month, never adds a ground.
        #[test]
        fn more_participation_never_adds_a_ground(
            marks in proptest::collection::vec((0u32..400, 0u8..3), 0..12),
            paid in proptest::collection::vec(0u32..24, 0..8),
            extra_day in 0u32..400,
            extra_month in 0u32..24,
            keeps in proptest::option::of(0u32..24),
        ) {
            let as_of = d(2005, 3, 31);
            let base = d(2004, 1, 1);
            let att = |a: u8| match a { 0 => Attendance::Present, 1 => Attendance::Excused, _ => Attendance::Absent };
            let life = MemberLife {
                since: Some(d(2003, 1, 1)),
                attendance: marks.iter().map(|(o, a)| (base + chrono::Days::new(u64::from(*o)), att(*a))).collect(),
                paid: paid.iter().map(|m| Month::of(base.checked_add_months(Months::new(*m)).unwrap())).collect(),
                dues_ledger_from: keeps.map(|k| Month::of(base.checked_add_months(Months::new(k)).unwrap())),
            };
            let before = assess(&life, as_of, 6).len();
            let mut more = life.clone();
            more.attendance.push((base + chrono::Days::new(u64::from(extra_day)), Attendance::Present));
            prop_assert!(assess(&more, as_of, 6).len() <= before);
            let mut more = life.clone();
            more.paid.push(Month::of(base.checked_add_months(Months::new(extra_month)).unwrap()));
            prop_assert!(assess(&more, as_of, 6).len() <= before);
        }

        /// The order in which meetings were recorded does not matter.
        #[test]
        fn ground_is_invariant_under_reordering(
            marks in proptest::collection::vec((0u32..200, any::<bool>()), 1..10),
        ) {
            let as_of = d(2004, 12, 31);
            let list: Vec<_> = marks.iter().map(|(o, p)| (d(2004, 6, 1) + chrono::Days::new(u64::from(*o)), if *p { Attendance::Present } else { Attendance::Absent })).collect();
            let mut rev = list.clone();
            rev.reverse();
            let a = MemberLife { since: Some(d(2000, 1, 1)), attendance: list, ..Default::default() };
            let b = MemberLife { since: Some(d(2000, 1, 1)), attendance: rev, ..Default::default() };
            prop_assert_eq!(assess(&a, as_of, 6), assess(&b, as_of, 6));
        }
    }
}
