//! Publishing a rating round (公布, 公示) and withdrawing a publication (撤回公布).
//!
//! - **Completeness.** A round is published when every applicable org of the round is
//!   approved (审定). Otherwise the department may publish the approved part only when it
//!   says so explicitly (`partial`) and gives a reason of at least [`MIN_REASON_CHARS`]
//!   characters; the publication then records the counts (approved x of y) and is shown as
//!   部分公布. Nothing approved: nothing to publish.
//! - **Dates.** A year's ratings judge the whole year, so the notice period (公示) starts on
//!   1 January of the following year at the earliest — a 2013 round publishes on 2014-01-01
//!   or later — and never after the deployment's "today" (a publication is recorded when it
//!   happens, not scheduled).
//! - **Withdrawal.** A publication is withdrawn with a reason of the same minimum length; the
//!   round goes back to its approved state and may be published again. Publication records
//!   are kept, withdrawn ones marked as such.
//!
//! These are the platform's rules for its rating rounds (see `docs/ratings.md`); the notice
//! period's length is given per publication (7 calendar days by default).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Shortest reason (in characters, trimmed) for a partial publication or a withdrawal.
pub const MIN_REASON_CHARS: usize = 10;

/// Default length of the notice period, calendar days.
pub const DEFAULT_NOTICE_DAYS: u32 = 7;

/// Whether a publication covers the whole round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicationKind {
    /// Every applicable org approved (全部公布).
    Full,
    /// The approved part only, with a reason (部分公布).
    Partial,
}

impl PublicationKind {
    /// Stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Partial => "partial",
        }
    }

    /// From the stored code (anything else reads as partial: never claim completeness).
    pub fn parse(s: &str) -> Self {
        if s == "full" {
            Self::Full
        } else {
            Self::Partial
        }
    }
}

/// Where a round stands: applicable orgs, and how many are approved or scored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Completeness {
    /// Orgs the round rates.
    pub applicable: i64,
    /// Approved (审定).
    pub approved: i64,
    /// Scored, not yet approved.
    pub scored: i64,
}

impl Completeness {
    /// Orgs not approved yet.
    pub fn missing(&self) -> i64 {
        (self.applicable - self.approved).max(0)
    }

    /// Orgs not even scored.
    pub fn unscored(&self) -> i64 {
        (self.applicable - self.approved - self.scored).max(0)
    }

    /// Every applicable org approved (and at least one org to rate).
    pub fn is_complete(&self) -> bool {
        self.applicable > 0 && self.approved >= self.applicable
    }
}

/// A publication or withdrawal refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublishError {
    /// Not every applicable org approved, and no partial publication asked for.
    #[error("尚有 {missing} {unit}未审定（已审定 {approved} / 应评 {applicable}，其中 {unscored} 个尚未评分）；全部审定后才能公布，或说明理由后部分公布")]
    Incomplete {
        /// Not approved.
        missing: i64,
        /// Approved.
        approved: i64,
        /// Applicable.
        applicable: i64,
        /// Not scored.
        unscored: i64,
        /// `个村` or `个组织`.
        unit: &'static str,
    },
    /// Nothing approved: nothing to publish.
    #[error("本轮尚无审定结果（应评 {applicable} {unit}），不能公布")]
    NothingApproved {
        /// Applicable.
        applicable: i64,
        /// `个村` or `个组织`.
        unit: &'static str,
    },
    /// A partial publication without a sufficient reason.
    #[error("部分公布须说明理由（不少于 {min} 个字）：尚有 {missing} {unit}未审定")]
    PartialReason {
        /// Minimum characters.
        min: usize,
        /// Not approved.
        missing: i64,
        /// `个村` or `个组织`.
        unit: &'static str,
    },
    /// A withdrawal without a sufficient reason.
    #[error("撤回公布须说明理由（不少于 {min} 个字）")]
    WithdrawReason {
        /// Minimum characters.
        min: usize,
    },
    /// The notice period would start before the rated year ends.
    #[error(
        "{year} 年度的评定结果须在该年度结束后公布：公示开始日期不得早于 {earliest}，填写了 {from}"
    )]
    TooEarly {
        /// Rated year.
        year: i32,
        /// First possible day.
        earliest: NaiveDate,
        /// Given.
        from: NaiveDate,
    },
    /// The notice period would start after today.
    #[error("公示开始日期 {from} 晚于今天（{today}），公布时只能填写今天或以前的日期")]
    InFuture {
        /// Given.
        from: NaiveDate,
        /// The deployment's today.
        today: NaiveDate,
    },
    /// A notice period of no days.
    #[error("公示期至少 1 天")]
    NoNoticeDays,
}

impl PublishError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Incomplete { .. } => "rating.incomplete",
            Self::NothingApproved { .. } => "rating.nothing_approved",
            Self::PartialReason { .. } => "rating.partial_reason_required",
            Self::WithdrawReason { .. } => "rating.withdraw_reason_required",
            Self::TooEarly { .. } => "rating.notice_too_early",
            Self::InFuture { .. } => "rating.notice_in_future",
            Self::NoNoticeDays => "rating.notice_days_invalid",
        }
    }
}

/// The first day a round of `year` may be published: 1 January of the next year.
pub fn earliest_publication(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)
}

/// Checks the notice period's first day against the rated year and today.
pub fn check_dates(year: i32, from: NaiveDate, today: NaiveDate) -> Result<(), PublishError> {
    let earliest = earliest_publication(year).unwrap_or(NaiveDate::MAX);
    if from < earliest {
        return Err(PublishError::TooEarly {
            year,
            earliest,
            from,
        });
    }
    if from > today {
        return Err(PublishError::InFuture { from, today });
    }
    Ok(())
}

/// Whether the publication is full or (reasoned) partial — or refused.
///
/// A complete round is published in full whatever `partial` says; an incomplete one needs
/// `partial` and a reason of at least [`MIN_REASON_CHARS`] characters.
pub fn decide(
    c: &Completeness,
    partial: bool,
    reason: Option<&str>,
    unit: &'static str,
) -> Result<PublicationKind, PublishError> {
    if c.is_complete() {
        return Ok(PublicationKind::Full);
    }
    if c.approved <= 0 {
        return Err(PublishError::NothingApproved {
            applicable: c.applicable,
            unit,
        });
    }
    if !partial {
        return Err(PublishError::Incomplete {
            missing: c.missing(),
            approved: c.approved,
            applicable: c.applicable,
            unscored: c.unscored(),
            unit,
        });
    }
    if !reason_ok(reason) {
        return Err(PublishError::PartialReason {
            min: MIN_REASON_CHARS,
            missing: c.missing(),
            unit,
        });
    }
    Ok(PublicationKind::Partial)
}

/// Checks a withdrawal's reason.
pub fn check_withdrawal(reason: Option<&str>) -> Result<(), PublishError> {
    if reason_ok(reason) {
        Ok(())
    } else {
        Err(PublishError::WithdrawReason {
            min: MIN_REASON_CHARS,
        })
    }
}

/// A reason of at least [`MIN_REASON_CHARS`] characters once trimmed.
pub fn reason_ok(reason: Option<&str>) -> bool {
    reason.is_some_and(|r| r.trim().chars().count() >= MIN_REASON_CHARS)
}

/// How a round's orgs are counted in messages: villages for a scheme that rates rural
/// branches only, orgs otherwise.
pub fn unit(scheme: &super::Scheme) -> &'static str {
    if scheme.applies_to.fields == ["rural"] {
        "个村"
    } else {
        "个组织"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_year_publishes_from_the_first_of_january_after_it() {
        let today = d(2014, 3, 1);
        // 31 December of the rated year: still the year itself.
        let e = check_dates(2013, d(2013, 12, 31), today).unwrap_err();
        assert_eq!(e.code(), "rating.notice_too_early");
        assert_eq!(
            e.to_string(),
            "2013 年度的评定结果须在该年度结束后公布：公示开始日期不得早于 2014-01-01，填写了 2013-12-31"
        );
        // 1 January of the next year: the first possible day.
        assert!(check_dates(2013, d(2014, 1, 1), today).is_ok());
        assert_eq!(earliest_publication(2013), Some(d(2014, 1, 1)));
        assert_eq!(earliest_publication(i32::MAX), None);
    }

    #[test]
    fn a_publication_is_never_dated_after_today() {
        let today = d(2014, 1, 31);
        assert!(check_dates(2013, today, today).is_ok());
        let e = check_dates(2013, d(2014, 2, 1), today).unwrap_err();
        assert_eq!(e.code(), "rating.notice_in_future");
        assert!(e.to_string().contains("2014-02-01") && e.to_string().contains("2014-01-31"));
        // Today still in the rated year: nothing is publishable yet.
        let dec31 = d(2013, 12, 31);
        assert_eq!(
            check_dates(2013, dec31, dec31).unwrap_err().code(),
            "rating.notice_too_early"
        );
    }

    #[test]
    fn an_incomplete_round_names_the_counts() {
        let c = Completeness {
            applicable: 1383,
            approved: 2,
            scored: 0,
        };
        let e = decide(&c, false, None, "个村").unwrap_err();
        assert_eq!(e.code(), "rating.incomplete");
        assert!(
            e.to_string()
                .starts_with("尚有 1381 个村未审定（已审定 2 / 应评 1383，其中 1381 个尚未评分）"),
            "{e}"
        );
        // Partial without a reason, or with too short a one.
        assert_eq!(
            decide(&c, true, None, "个村").unwrap_err().code(),
            "rating.partial_reason_required"
        );
        let nine = "一二三四五六七八九";
        assert_eq!(
            decide(&c, true, Some(nine), "个村").unwrap_err().code(),
            "rating.partial_reason_required"
        );
        assert_eq!(
            decide(&c, true, Some("  一二三四五六七八九  "), "个村")
                .unwrap_err()
                .code(),
            "rating.partial_reason_required"
        );
        let ten = "一二三四五六七八九十";
        assert_eq!(
            decide(&c, true, Some(ten), "个村").unwrap(),
            PublicationKind::Partial
        );
    }

    #[test]
    fn a_complete_round_is_published_in_full() {
        let c = Completeness {
            applicable: 2,
            approved: 2,
            scored: 0,
        };
        assert_eq!(
            decide(&c, false, None, "个村").unwrap(),
            PublicationKind::Full
        );
        assert_eq!(
            decide(&c, true, None, "个村").unwrap(),
            PublicationKind::Full
        );
        // One short of complete is incomplete.
        let c = Completeness {
            applicable: 2,
            approved: 1,
            scored: 1,
        };
        let e = decide(&c, false, None, "个组织").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("尚有 1 个组织未审定（已审定 1 / 应评 2，其中 0 个尚未评分）"),
            "{e}"
        );
        // Nothing approved, nothing to publish (even partially); nothing to rate either.
        let none = Completeness {
            applicable: 3,
            approved: 0,
            scored: 3,
        };
        assert_eq!(
            decide(&none, true, Some("一二三四五六七八九十"), "个村")
                .unwrap_err()
                .code(),
            "rating.nothing_approved"
        );
        assert_eq!(
            decide(&Completeness::default(), false, None, "个村")
                .unwrap_err()
                .code(),
            "rating.nothing_approved"
        );
    }

    #[test]
    fn withdrawals_need_a_reason() {
        assert_eq!(
            check_withdrawal(None).unwrap_err().code(),
            "rating.withdraw_reason_required"
        );
        assert!(check_withdrawal(Some("一二三四五六七八九")).is_err());
        assert!(check_withdrawal(Some("一二三四五六七八九十")).is_ok());
    }

    #[test]
    fn village_schemes_count_villages() {
        assert_eq!(
            unit(&super::super::scheme("village.five_tier").unwrap()),
            "个村"
        );
        assert_eq!(
            unit(&super::super::scheme("branch.three_tier").unwrap()),
            "个组织"
        );
        assert_eq!(PublicationKind::parse("full"), PublicationKind::Full);
        assert_eq!(PublicationKind::parse("partial"), PublicationKind::Partial);
        assert_eq!(PublicationKind::parse("?"), PublicationKind::Partial);
    }

    proptest! {
        /// For any year and day: publishable exactly from 1 January after the year, up to today.
        #[test]
        fn dates_are_bounded_by_the_year_end_and_today(year in 2000i32..2100, off in -400i64..400, lag in 0i64..800) {
            let earliest = d(year + 1, 1, 1);
            let from = earliest + chrono::Duration::days(off);
            let today = from + chrono::Duration::days(lag) - chrono::Duration::days(400);
            let ok = check_dates(year, from, today).is_ok();
            prop_assert_eq!(ok, from >= earliest && from <= today);
        }

        /// A full publication exactly when every applicable org is approved.
        #[test]
        fn full_exactly_when_complete(applicable in 1i64..2000, approved in 0i64..2000) {
            let approved = approved.min(applicable);
            let c = Completeness { applicable, approved, scored: 0 };
            let full = decide(&c, false, None, "个村");
            prop_assert_eq!(full.is_ok(), approved == applicable);
        }
    }
}
