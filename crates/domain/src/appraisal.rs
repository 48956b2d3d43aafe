//! Democratic appraisal of members (民主评议党员; 《中国共产党党员教育管理工作条例》: generally once a
//! year; self-review, peer review, rating ballot, decision by the branch): the four grades,
//! the ballot count, and the rule that at most one third of the members appraised are
//! graded 优秀.

use crate::coded_enum;
use crate::codes::Coded;

coded_enum! {
    /// Appraisal grade, best first.
    Grade {
        Excellent = ("excellent", "优秀"),
        Qualified = ("qualified", "合格"),
        BasicallyQualified = ("basically_qualified", "基本合格"),
        Unqualified = ("unqualified", "不合格"),
    }
}

/// Why a decision cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Refusal {
    /// Stable code.
    pub code: &'static str,
    /// Chinese message.
    pub message: String,
}

/// Ballots per grade for one member, in [`Grade::ALL`] order.
pub type Tally = [u32; 4];

/// The grade most ballots gave; on a tie, the better of the tied grades (the branch decides
/// in the end; this is the suggestion it starts from). `None` without ballots.
pub fn suggested(t: &Tally) -> Option<Grade> {
    let max = *t.iter().max()?;
    if max == 0 {
        return None;
    }
    t.iter().position(|n| *n == max).map(|i| Grade::ALL[i])
}

/// At most one third of the members appraised may be graded 优秀 ("不超过三分之一",
/// inclusive: 1 of 3, 2 of 6).
pub fn check_excellent_share(appraised: usize, excellent: usize) -> Result<(), Refusal> {
    if excellent * 3 > appraised {
        return Err(Refusal {
            code: "appraisal.too_many_excellent",
            message: format!(
                "评为优秀的党员 {excellent} 名，超过参评党员 {appraised} 名的三分之一（民主评议党员：优秀不超过三分之一）"
            ),
        });
    }
    Ok(())
}

/// Checks a decision: every participant graded exactly once, nobody else, and the share of
/// 优秀 within the limit.
pub fn check_decision(participants: &[i64], grades: &[(i64, Grade)]) -> Result<(), Refusal> {
    let mut seen = std::collections::BTreeSet::new();
    for (m, _) in grades {
        if !participants.contains(m) {
            return Err(Refusal {
                code: "appraisal.not_participant",
                message: format!("党员 {m} 不在本次参评名单中"),
            });
        }
        if !seen.insert(*m) {
            return Err(Refusal {
                code: "appraisal.graded_twice",
                message: format!("党员 {m} 被评定了两次"),
            });
        }
    }
    if seen.len() != participants.len() {
        return Err(Refusal {
            code: "appraisal.incomplete",
            message: format!(
                "参评党员 {} 名，只评定了 {} 名",
                participants.len(),
                seen.len()
            ),
        });
    }
    let excellent = grades
        .iter()
        .filter(|(_, g)| *g == Grade::Excellent)
        .count();
    check_excellent_share(participants.len(), excellent)
}

/// Position of a grade in [`Grade::ALL`] (the tally's index).
pub fn index(g: Grade) -> usize {
    Grade::ALL.iter().position(|x| *x == g).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn one_third_is_inclusive() {
        assert!(check_excellent_share(3, 1).is_ok());
        assert!(check_excellent_share(6, 2).is_ok());
        assert_eq!(
            check_excellent_share(6, 3).unwrap_err().code,
            "appraisal.too_many_excellent"
        );
        assert_eq!(
            check_excellent_share(2, 1).unwrap_err().code,
            "appraisal.too_many_excellent"
        );
        assert!(check_excellent_share(0, 0).is_ok());
    }

    #[test]
    fn decisions_cover_every_participant_once() {
        use Grade::*;
        let p = [1, 2, 3];
        assert!(check_decision(&p, &[(1, Excellent), (2, Qualified), (3, Qualified)]).is_ok());
        assert_eq!(
            check_decision(&p, &[(1, Qualified), (2, Qualified)])
                .unwrap_err()
                .code,
            "appraisal.incomplete"
        );
        assert_eq!(
            check_decision(&p, &[(1, Qualified), (1, Qualified), (3, Qualified)])
                .unwrap_err()
                .code,
            "appraisal.graded_twice"
        );
        assert_eq!(
            check_decision(&p, &[(1, Qualified), (2, Qualified), (9, Qualified)])
                .unwrap_err()
                .code,
            "appraisal.not_participant"
        );
        assert_eq!(
            check_decision(&p, &[(1, Excellent), (2, Excellent), (3, Qualified)])
                .unwrap_err()
                .code,
            "appraisal.too_many_excellent"
        );
    }

    #[test]
    fn suggestion_is_the_plurality_ties_to_the_better() {
        assert_eq!(suggested(&[0, 0, 0, 0]), None);
        assert_eq!(suggested(&[3, 5, 0, 1]), Some(Grade::Qualified));
        assert_eq!(suggested(&[4, 4, 0, 0]), Some(Grade::Excellent));
        assert_eq!(suggested(&[0, 0, 2, 2]), Some(Grade::BasicallyQualified));
    }

    proptest! {
        #[test]
        fn excellent_limit_matches_integer_thirds(n in 0usize..300, e in 0usize..300) {
            prop_assert_eq!(check_excellent_share(n, e).is_ok(), e <= n / 3);
        }

        #[test]
        fn one_more_ballot_for_the_suggestion_keeps_it(t in prop::array::uniform4(0u32..50)) {
            if let Some(g) = suggested(&t) {
                let mut t2 = t;
                t2[index(g)] += 1;
                prop_assert_eq!(suggested(&t2), Some(g));
            }
        }
    }
}
