//! Secretary evaluation (双述双评联考, seed 002): the secretary reports to the
//! higher committee and to members and villager representatives; the township leadership
//! rates by name, members and representatives rate anonymously; each group's ballots give a
//! mean on a 100-point scale, the groups are weighted, and the weighted score gives the grade.
//! Weights, ballot points and grade thresholds are data ([`Scheme`]).

use serde::{Deserialize, Serialize};

use crate::coded_enum;
use crate::codes::Coded;

coded_enum! {
    /// A rating on a ballot and the resulting grade.
    Grade {
        Excellent = ("excellent", "优秀"),
        Competent = ("competent", "称职"),
        BasicallyCompetent = ("basically_competent", "基本称职"),
        Incompetent = ("incompetent", "不称职"),
    }
}

coded_enum! {
    /// Who rates.
    RaterGroup {
        Leadership = ("leadership", "乡镇党委领导班子"),
        Members = ("members", "党员"),
        Representatives = ("representatives", "村民代表"),
    }
}

/// Weights, points and thresholds of an evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scheme {
    /// Weight of each group in percent (leadership, members, representatives); sum 100.
    pub weights: [u32; 3],
    /// Points of each ballot rating (优秀, 称职, 基本称职, 不称职).
    pub points: [u32; 4],
    /// Lowest weighted score of each grade except the last (优秀, 称职, 基本称职), "≥".
    pub thresholds: [u32; 3],
}

impl Default for Scheme {
    /// Seed 002's practice as the platform reads it: leadership 40 %, members 30 %,
    /// representatives 30 %; ballots 100 / 80 / 60 / 0; 优秀 ≥ 90, 称职 ≥ 75, 基本称职 ≥ 60.
    fn default() -> Self {
        Scheme {
            weights: [40, 30, 30],
            points: [100, 80, 60, 0],
            thresholds: [90, 75, 60],
        }
    }
}

/// Ballots per rating for one group, in [`Grade::ALL`] order.
pub type Tally = [u32; 4];

/// The outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// Mean points of each group (`None` without ballots), in [`RaterGroup::ALL`] order.
    pub means: Vec<Option<f64>>,
    /// Weighted score over the groups that voted (their weights rescaled to 100).
    pub score: f64,
    /// Grade.
    pub grade: Grade,
    /// How it was computed, in Chinese.
    pub derivation: String,
}

impl Scheme {
    /// Checks the scheme: weights sum to 100, points and thresholds descending.
    pub fn validate(&self) -> Result<(), String> {
        if self.weights.iter().sum::<u32>() != 100 {
            return Err("三方权重之和应为100".into());
        }
        if self.points.windows(2).any(|w| w[0] < w[1])
            || self.thresholds.windows(2).any(|w| w[0] <= w[1])
        {
            return Err("分值和等次分数线应从高到低".into());
        }
        Ok(())
    }

    /// The grade of a weighted score.
    pub fn grade(&self, score: f64) -> Grade {
        self.thresholds
            .iter()
            .position(|t| score >= f64::from(*t))
            .map_or(Grade::Incompetent, |i| Grade::ALL[i])
    }

    /// The outcome of the three groups' tallies.
    pub fn outcome(&self, tallies: &[Tally; 3]) -> Outcome {
        let mut means = Vec::with_capacity(3);
        let (mut weighted, mut weight) = (0.0, 0u32);
        let mut parts = Vec::new();
        for (g, t) in tallies.iter().enumerate() {
            let n: u32 = t.iter().sum();
            if n == 0 {
                means.push(None);
                continue;
            }
            let total: u32 = t.iter().zip(self.points).map(|(c, p)| c * p).sum();
            let mean = f64::from(total) / f64::from(n);
            means.push(Some(mean));
            weighted += mean * f64::from(self.weights[g]);
            weight += self.weights[g];
            parts.push(format!(
                "{} {} 票平均 {:.2} 分 × {}%",
                RaterGroup::ALL[g].zh(),
                n,
                mean,
                self.weights[g]
            ));
        }
        let score = if weight == 0 {
            0.0
        } else {
            (weighted / f64::from(weight) * 100.0).round() / 100.0
        };
        let grade = self.grade(score);
        let derivation = if parts.is_empty() {
            "没有测评票".to_string()
        } else {
            format!("{}，加权得分 {score:.2} → {}", parts.join("；"), grade.zh())
        };
        Outcome {
            means,
            score,
            grade,
            derivation,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn weighted_score_and_grade() {
        let s = Scheme::default();
        s.validate().unwrap();
        // Leadership all 优秀 (100), members 称职 (80), representatives 称职 (80):
        // 100×0.4 + 80×0.3 + 80×0.3 = 88 → 称职.
        let o = s.outcome(&[[5, 0, 0, 0], [0, 20, 0, 0], [0, 30, 0, 0]]);
        assert_eq!(o.score, 88.0);
        assert_eq!(o.grade, Grade::Competent);
        assert!(
            o.derivation.contains("加权得分 88.00 → 称职"),
            "{}",
            o.derivation
        );
        assert_eq!(s.grade(90.0), Grade::Excellent);
        assert_eq!(s.grade(89.99), Grade::Competent);
        assert_eq!(s.grade(60.0), Grade::BasicallyCompetent);
        assert_eq!(s.grade(59.99), Grade::Incompetent);
        // A group without ballots is left out and the others reweighted.
        let o = s.outcome(&[[1, 0, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0]]);
        assert_eq!(o.score, 100.0);
        assert_eq!(o.means[1], None);
    }

    #[test]
    fn bad_schemes_are_refused() {
        let s = Scheme {
            weights: [50, 30, 30],
            ..Default::default()
        };
        assert!(s.validate().is_err());
        let s = Scheme {
            thresholds: [75, 90, 60],
            ..Default::default()
        };
        assert!(s.validate().is_err());
    }

    proptest! {
        #[test]
        fn one_more_excellent_never_lowers_the_score(t in prop::array::uniform3(prop::array::uniform4(0u32..30)), g in 0usize..3) {
            let s = Scheme::default();
            let before = s.outcome(&t).score;
            let mut t2 = t;
            t2[g][0] += 1;
            prop_assert!(s.outcome(&t2).score + 1e-9 >= before);
        }
    }
}
