//! Organizational life (三会一课) and dues (党费) as far as the self-withdrawal rule needs
//! them (党章 第九条): who attended which meeting, which months were
//! paid, and whether a member has gone the rule's months without either.
//!
//! 党章 第九条: a member who, without good reason, for 6 consecutive months takes no part in
//! organizational life, or pays no dues, or does no assigned work, is regarded as having
//! withdrawn (自行脱党); the branch meeting decides on removal (除名) and reports it for
//! approval. Jiceng proposes; the branch decides. Assigned work is not recorded, so that
//! ground is the branch's to state when it decides.
//!
//! Evidence, not absence of data, triggers a proposal. On org life a member is proposed only
//! when the branch held the org life it was required to hold throughout the period and
//! called the member to it, and the member missed all of it without leave: the period is cut
//! into stretches of the required rhythm ([`LapseRule::cadence`], counted back from the day
//! assessed: one month, since 主题党日 and 党小组会 are monthly), every stretch has at least
//! one meeting the member was listed for, and every listed meeting of the period is marked
//! absent (not excused). One absence in a period where the branch held no other meeting is
//! the branch's failure, not the member's: the branch is flagged ([`branch_shortfall`]) and
//! the member is not proposed. On dues a member is proposed only when their org's dues
//! ledger in Jiceng covers the whole period (its first recorded month is not later than the
//! period's) and none of their months is paid.

use chrono::{Datelike, Months, NaiveDate};

use crate::coded_enum;

coded_enum! {
    /// Kinds of org-life meeting (三会一课, 主题党日, 组织生活会, 民主评议党员).
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

/// The self-withdrawal rule's parameters, read by the rule resolver for the date assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LapseRule {
    /// The period in months (`member.lapse_months`, 党章 第九条: 6).
    pub months: u32,
    /// The rhythm in months of the org life a branch must hold for its members: the shortest
    /// of the required frequencies of the meetings members are called to
    /// (`org_life.theme_day_months`, `org_life.group_meeting_months` 1;
    /// `org_life.general_meeting_months`, `org_life.lecture_months` 3 → 1). Every stretch of
    /// this length must hold a meeting the member was listed for. 0 is read as 1.
    pub cadence: u32,
}

impl LapseRule {
    /// 党章 第九条 with the 支部工作条例's monthly org life.
    pub const DEFAULT: Self = Self {
        months: 6,
        cadence: 1,
    };
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

/// The stretches of the org-life period, each of which must hold org life: counted back from
/// `as_of` by [`LapseRule::cadence`] months, the earliest clipped at the period's start;
/// each `(after, up_to]`, oldest first. For 2004-12-31 and a monthly rhythm:
/// (2004-06-30, 2004-07-31], (2004-07-31, 2004-08-31], …, (2004-11-30, 2004-12-31].
pub fn org_life_stretches(as_of: NaiveDate, rule: LapseRule) -> Vec<(NaiveDate, NaiveDate)> {
    let Some((start, _)) = org_life_window(as_of, rule.months) else {
        return Vec::new();
    };
    let step = rule.cadence.max(1);
    let mut out = Vec::new();
    let mut upto = as_of;
    let mut k = 1u32;
    while upto > start {
        let after = as_of
            .checked_sub_months(Months::new(step.saturating_mul(k)))
            .map_or(start, |d| d.max(start));
        out.push((after, upto));
        upto = after;
        k += 1;
    }
    out.reverse();
    out
}

/// The rhythm in words: `每月` or `每3个月`.
pub fn rhythm_zh(cadence: u32) -> String {
    match cadence.max(1) {
        1 => "每月".to_string(),
        n => format!("每{n}个月"),
    }
}

/// A stretch `(after, up_to]` as shown: `YYYY-MM-DD 至 YYYY-MM-DD`.
pub fn stretch_zh((after, upto): (NaiveDate, NaiveDate)) -> String {
    format!("{} 至 {upto}", after + chrono::Days::new(1))
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
/// proposed), under `rule` (党章 第九条: 6 months; monthly org life).
///
/// Org life: the member was in the org for the whole period, every stretch of the period
/// ([`org_life_stretches`]) has at least one meeting the member was listed for, and every
/// meeting the member was listed for in the period is marked absent. A stretch without a
/// listed meeting (the branch held none, or did not call the member) is no evidence.
pub fn assess(life: &MemberLife, as_of: NaiveDate, rule: LapseRule) -> Vec<Ground> {
    let mut out = Vec::new();
    let months = rule.months;
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
        let stretches = org_life_stretches(as_of, rule);
        let every_stretch_called = stretches
            .iter()
            .all(|(a, b)| listed.iter().any(|(d, _)| d > a && d <= b));
        if in_org
            && every_stretch_called
            && !listed.is_empty()
            && listed.iter().all(|(_, a)| *a == Attendance::Absent)
        {
            let last = last_present(life, end)
                .map_or_else(|| "无出席记录".to_string(), |d| format!("最近一次出席 {d}"));
            out.push(Ground {
                code: "org_life",
                text: format!(
                    "{} 至 {end} 连续{months}个月未参加组织生活：党组织在此期间{}均召开了通知其参加的组织生活，列入名单的 {} 次会议均缺席且未请假（{last}）",
                    start + chrono::Days::new(1),
                    rhythm_zh(rule.cadence),
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

/// A branch that did not hold the org life it was required to hold in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    /// Stretches of the period (see [`org_life_stretches`]).
    pub stretches: usize,
    /// Those without any meeting, oldest first.
    pub empty: Vec<(NaiveDate, NaiveDate)>,
    /// Meetings held in the period.
    pub held: usize,
}

impl Shortfall {
    /// The finding in Chinese.
    pub fn text(&self, rule: LapseRule) -> String {
        let list: Vec<String> = self.empty.iter().map(|s| stretch_zh(*s)).collect();
        format!(
            "近{}个月应{}至少召开1次党员参加的组织生活，记录显示 {} 个时段无组织生活（{}），期间共召开 {} 次；党员在此期间的缺席不作为自行脱党的依据，请补录或按规定召开",
            rule.months,
            rhythm_zh(rule.cadence),
            self.empty.len(),
            list.join("、"),
            self.held
        )
    }
}

/// Whether a branch fell short of its required org life in the period ending `as_of`, from
/// the dates of the meetings it held (its own and its 党小组's). A branch with no meeting
/// recorded up to `as_of` keeps no org-life records in Jiceng: no evidence, no finding.
pub fn branch_shortfall(
    held: &[NaiveDate],
    as_of: NaiveDate,
    rule: LapseRule,
) -> Option<Shortfall> {
    if rule.months == 0 || !held.iter().any(|d| *d <= as_of) {
        return None;
    }
    let stretches = org_life_stretches(as_of, rule);
    let empty: Vec<_> = stretches
        .iter()
        .filter(|(a, b)| !held.iter().any(|d| d > a && d <= b))
        .copied()
        .collect();
    let (start, end) = org_life_window(as_of, rule.months)?;
    (!empty.is_empty()).then(|| Shortfall {
        stretches: stretches.len(),
        empty,
        held: held.iter().filter(|d| **d > start && **d <= end).count(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const R: LapseRule = LapseRule::DEFAULT;

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
        let g = assess(&life, d(2004, 12, 30), R);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].code, "org_life");
        assert!(g[0].text.contains("6 次会议均缺席"), "{}", g[0].text);
        assert!(
            g[0].text.starts_with("2004-07-01 至 2004-12-30"),
            "{}",
            g[0].text
        );
        // A day earlier the member had not been in the org for the whole period.
        assert!(assess(&life, d(2004, 12, 29), R).is_empty());
    }

    #[test]
    fn leave_or_one_attendance_or_no_meeting_is_no_ground() {
        let mut life = MemberLife {
            since: Some(d(2000, 1, 1)),
            attendance: absent_monthly(d(2004, 7, 15), 6),
            paid: vec![Month::parse("2004-10").unwrap()],
            dues_ledger_from: Month::parse("2004-01"),
        };
        assert_eq!(assess(&life, d(2004, 12, 31), R).len(), 1);
        life.attendance[3].1 = Attendance::Excused;
        assert!(assess(&life, d(2004, 12, 31), R).is_empty());
        life.attendance[3].1 = Attendance::Present;
        assert!(assess(&life, d(2004, 12, 31), R).is_empty());
        life.attendance.clear();
        assert!(
            assess(&life, d(2004, 12, 31), R).is_empty(),
            "no meeting recorded: no evidence"
        );
    }

    #[test]
    fn stretches_count_back_from_the_day_assessed() {
        let s = org_life_stretches(d(2004, 12, 31), R);
        assert_eq!(s.len(), 6);
        assert_eq!(s[0], (d(2004, 6, 30), d(2004, 7, 31)));
        assert_eq!(s[5], (d(2004, 11, 30), d(2004, 12, 31)));
        assert!(s.windows(2).all(|w| w[0].1 == w[1].0), "contiguous");
        // Month ends clamp; the earliest stretch starts where the period does.
        let s = org_life_stretches(d(2004, 8, 31), R);
        assert_eq!(s[0].0, org_life_window(d(2004, 8, 31), 6).unwrap().0);
        assert_eq!(s[5], (d(2004, 7, 31), d(2004, 8, 31)));
        // A quarterly rhythm (a local rule) cuts the period in two.
        let q = LapseRule {
            months: 6,
            cadence: 3,
        };
        assert_eq!(
            org_life_stretches(d(2004, 12, 31), q),
            vec![
                (d(2004, 6, 30), d(2004, 9, 30)),
                (d(2004, 9, 30), d(2004, 12, 31))
            ]
        );
        // 0 is read as monthly.
        let z = LapseRule {
            months: 6,
            cadence: 0,
        };
        assert_eq!(org_life_stretches(d(2004, 12, 31), z).len(), 6);
        assert_eq!(stretch_zh(s[5]), "2004-08-01 至 2004-08-31");
        assert_eq!(rhythm_zh(1), "每月");
        assert_eq!(rhythm_zh(0), "每月");
        assert_eq!(rhythm_zh(3), "每3个月");
    }

    #[test]
    fn first_ever_meeting_late_in_the_year_with_one_absence_is_no_ground() {
        // The reported case: the branch's first recorded meeting is a 支部党员大会 on
        // 2004-12-08 and the member was marked absent.
        let life = MemberLife {
            since: Some(d(2000, 1, 1)),
            attendance: vec![(d(2004, 12, 8), Attendance::Absent)],
            ..Default::default()
        };
        assert!(assess(&life, d(2004, 12, 31), R).is_empty());
        // The branch is flagged instead: five of the six months held no org life.
        let f = branch_shortfall(&[d(2004, 12, 8)], d(2004, 12, 31), R).unwrap();
        assert_eq!((f.stretches, f.empty.len(), f.held), (6, 5, 1));
        assert_eq!(f.empty[0], (d(2004, 6, 30), d(2004, 7, 31)));
        let text = f.text(R);
        assert!(text.contains("2004-07-01 至 2004-07-31"), "{text}");
        assert!(text.contains("不作为自行脱党的依据"), "{text}");
    }

    #[test]
    fn a_month_without_a_meeting_is_no_ground_and_flags_the_branch() {
        let mut life = MemberLife {
            since: Some(d(2000, 1, 1)),
            attendance: absent_monthly(d(2004, 7, 15), 6),
            ..Default::default()
        };
        assert_eq!(assess(&life, d(2004, 12, 31), R).len(), 1);
        // October held nothing: the member was not called every month.
        life.attendance.remove(3);
        assert!(assess(&life, d(2004, 12, 31), R).is_empty());
        let held: Vec<_> = life.attendance.iter().map(|(d, _)| *d).collect();
        let f = branch_shortfall(&held, d(2004, 12, 31), R).unwrap();
        assert_eq!(f.empty, vec![(d(2004, 9, 30), d(2004, 10, 31))]);
        // Two meetings in September do not make up for October.
        life.attendance.push((d(2004, 9, 20), Attendance::Absent));
        assert!(assess(&life, d(2004, 12, 31), R).is_empty());
        // A branch that held every month is not flagged; one that kept no record is not either.
        let full: Vec<_> = absent_monthly(d(2004, 7, 15), 6)
            .iter()
            .map(|(d, _)| *d)
            .collect();
        assert_eq!(branch_shortfall(&full, d(2004, 12, 31), R), None);
        assert_eq!(branch_shortfall(&[], d(2004, 12, 31), R), None);
        assert_eq!(
            branch_shortfall(&[d(2005, 1, 5)], d(2004, 12, 31), R),
            None,
            "records begin after the day assessed"
        );
        // A branch that held meetings once and then stopped is flagged for every month.
        let f = branch_shortfall(&[d(2003, 3, 1)], d(2004, 12, 31), R).unwrap();
        assert_eq!((f.empty.len(), f.held), (6, 0));
    }

    #[test]
    fn the_first_month_of_the_period_starts_the_day_after_its_start() {
        // Period on 2004-12-31: (2004-06-30, 2004-12-31]; first stretch ends 2004-07-31.
        let mut att = absent_monthly(d(2004, 8, 15), 5);
        att.push((d(2004, 6, 30), Attendance::Absent));
        let mut life = MemberLife {
            since: Some(d(2000, 1, 1)),
            attendance: att,
            ..Default::default()
        };
        // A meeting on 2004-06-30 lies before the period: July is empty.
        assert!(assess(&life, d(2004, 12, 31), R).is_empty());
        // On 2004-07-01, the period's first day, it counts for July.
        life.attendance.push((d(2004, 7, 1), Attendance::Absent));
        let g = assess(&life, d(2004, 12, 31), R);
        assert_eq!(g.len(), 1);
        assert!(g[0].text.contains("6 次会议均缺席"), "{}", g[0].text);
        assert!(g[0].text.contains("每月均召开"), "{}", g[0].text);
        // On 2004-07-31, the first stretch's last day, too.
        life.attendance.pop();
        life.attendance.push((d(2004, 7, 31), Attendance::Absent));
        assert_eq!(assess(&life, d(2004, 12, 31), R).len(), 1);
        // Leave in any month ends it, even with every month called.
        life.attendance.last_mut().unwrap().1 = Attendance::Excused;
        assert!(assess(&life, d(2004, 12, 31), R).is_empty());
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
        let g = assess(&life, d(2004, 12, 31), R);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].code, "dues");
        assert!(g[0].text.contains("2004-06 至 2004-11"), "{}", g[0].text);
        assert!(g[0].text.contains("最近交纳 2004-05"), "{}", g[0].text);
        // Paying any month of the period (even late, even in advance up to it) ends it.
        life.paid.push(Month::parse("2004-06").unwrap());
        assert!(assess(&life, d(2004, 12, 31), R).is_empty());
        life.paid.pop();
        // In November the period is 2004-05 … 2004-10: May is paid.
        assert!(assess(&life, d(2004, 11, 30), R).is_empty());
        // A ledger younger than the period, or none, is no evidence.
        life.dues_ledger_from = Month::parse("2004-07");
        assert!(assess(&life, d(2004, 12, 31), R).is_empty());
        life.dues_ledger_from = None;
        assert!(assess(&life, d(2004, 12, 31), R).is_empty());
        // A member who came in after the period began is not proposed.
        life.dues_ledger_from = Month::parse("2004-06");
        life.since = Some(d(2004, 6, 2));
        assert!(assess(&life, d(2004, 12, 31), R).is_empty());
        life.since = Some(d(2004, 6, 1));
        assert_eq!(assess(&life, d(2004, 12, 31), R).len(), 1);
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
            let before = assess(&life, as_of, R).len();
            let mut more = life.clone();
            more.attendance.push((base + chrono::Days::new(u64::from(extra_day)), Attendance::Present));
            prop_assert!(assess(&more, as_of, R).len() <= before);
            let mut more = life.clone();
            more.paid.push(Month::of(base.checked_add_months(Months::new(extra_month)).unwrap()));
            prop_assert!(assess(&more, as_of, R).len() <= before);
        }

        /// The branch holding fewer meetings never creates a proposal: removing a meeting
        /// the member missed never adds the org-life ground, and emptying a month of every
        /// meeting removes it.
        #[test]
        fn fewer_meetings_never_create_a_proposal(
            marks in proptest::collection::vec((0u32..260, 0u8..4), 0..16),
            drop in 0usize..16,
            month in 0usize..6,
        ) {
            let as_of = d(2004, 12, 31);
            let base = d(2004, 5, 1);
            let att = |a: u8| match a { 0 => Attendance::Present, 1 => Attendance::Excused, _ => Attendance::Absent };
            let life = MemberLife {
                since: Some(d(2003, 1, 1)),
                attendance: marks.iter().map(|(o, a)| (base + chrono::Days::new(u64::from(*o)), att(*a))).collect(),
                ..Default::default()
            };
            let org_life = |l: &MemberLife| assess(l, as_of, R).iter().any(|g| g.code == "org_life");
            let before = org_life(&life);
            if drop < life.attendance.len() && life.attendance[drop].1 == Attendance::Absent {
                let mut fewer = life.clone();
                fewer.attendance.remove(drop);
                prop_assert!(!org_life(&fewer) || before);
            }
            let (a, b) = org_life_stretches(as_of, R)[month];
            let mut emptied = life.clone();
            emptied.attendance.retain(|(d, _)| !(*d > a && *d <= b));
            prop_assert!(!org_life(&emptied));
            let held: Vec<_> = emptied.attendance.iter().map(|(d, _)| *d).collect();
            if held.iter().any(|d| *d <= as_of) {
                let f = branch_shortfall(&held, as_of, R);
                prop_assert!(f.is_some_and(|f| f.empty.contains(&(a, b))));
            }
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
            prop_assert_eq!(assess(&a, as_of, R), assess(&b, as_of, R));
        }
    }
}
