//! Ratings (分类定级, 升级晋位): schemes as data — dimensions and indicators with
//! their maximum points and evidence, tiers with score thresholds, the orgs a scheme
//! applies to — and the arithmetic every round uses: totals, the tier a score gives, and
//! the movement between two years' tiers.
//!
//! Schemes are versioned by year (`from_year`); a round records the scheme code it used, so
//! a year's ratings keep their scheme when a newer one is published.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub mod publication;

/// One indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    /// Code within the scheme (`4.1`).
    pub code: String,
    /// What is scored.
    pub text: String,
    /// Maximum points.
    pub max_points: u32,
    /// Evidence required.
    #[serde(default)]
    pub evidence: String,
}

/// A dimension (方面) with its indicators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dimension {
    /// Name.
    pub name: String,
    /// Indicators.
    pub indicators: Vec<Indicator>,
}

/// A tier and the lowest score that reaches it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    /// Name (标兵, 先进, …).
    pub name: String,
    /// Lowest total (inclusive, "≥").
    pub min_score: u32,
}

/// Which orgs a scheme applies to (empty lists: any).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliesTo {
    /// Field codes.
    #[serde(default)]
    pub fields: Vec<String>,
    /// Kind codes.
    #[serde(default)]
    pub kinds: Vec<String>,
}

/// A rating scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scheme {
    /// Stable code.
    pub code: String,
    /// Name.
    pub name: String,
    /// First year it is used.
    pub from_year: i32,
    /// `scored` (points) or `checklist` (one point per item met).
    pub kind: String,
    /// Where it comes from.
    pub source: String,
    /// Orgs it applies to.
    #[serde(default)]
    pub applies_to: AppliesTo,
    /// Dimensions.
    pub dimensions: Vec<Dimension>,
    /// Tiers, best first.
    pub tiers: Vec<Tier>,
    /// Tiers that count as weak (they need a rectification plan).
    #[serde(default)]
    pub weak_tiers: Vec<String>,
}

/// A scheme or a score sheet that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RatingError {
    /// The scheme is malformed.
    #[error("评定方案 {0} 有误：{1}")]
    Scheme(String, String),
    /// An indicator code not in the scheme.
    #[error("评定方案中没有指标 {0}")]
    UnknownIndicator(String),
    /// Points above an indicator's maximum.
    #[error("指标 {code} 最高 {max} 分，填写了 {given} 分")]
    OverMax {
        /// Indicator.
        code: String,
        /// Its maximum.
        max: u32,
        /// Points given.
        given: u32,
    },
    /// A tier name not in the scheme.
    #[error("评定方案中没有“{0}”这一档")]
    UnknownTier(String),
    /// No scheme with this code.
    #[error("没有评定方案 {0}")]
    UnknownScheme(String),
}

impl RatingError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Scheme(..) => "rating.scheme_invalid",
            Self::UnknownIndicator(_) => "rating.indicator_unknown",
            Self::OverMax { .. } => "rating.points_over_max",
            Self::UnknownTier(_) => "rating.tier_unknown",
            Self::UnknownScheme(_) => "rating.scheme_unknown",
        }
    }
}

impl Scheme {
    /// The highest possible total.
    pub fn max_total(&self) -> u32 {
        self.indicators().map(|i| i.max_points).sum()
    }

    /// Every indicator, in order.
    pub fn indicators(&self) -> impl Iterator<Item = &Indicator> {
        self.dimensions.iter().flat_map(|d| d.indicators.iter())
    }

    /// Checks the scheme: unique indicator codes, tiers strictly descending from a first
    /// reachable threshold down to 0, weak tiers among the tiers.
    pub fn validate(&self) -> Result<(), RatingError> {
        let err = |m: &str| Err(RatingError::Scheme(self.code.clone(), m.to_string()));
        let mut seen = std::collections::BTreeSet::new();
        for i in self.indicators() {
            if !seen.insert(&i.code) {
                return err(&format!("指标编号 {} 重复", i.code));
            }
            if i.max_points == 0 {
                return err(&format!("指标 {} 的分值为 0", i.code));
            }
        }
        if self.tiers.is_empty() {
            return err("没有档次");
        }
        if self
            .tiers
            .windows(2)
            .any(|w| w[0].min_score <= w[1].min_score)
        {
            return err("档次分数线应从高到低排列");
        }
        if self.tiers.last().is_some_and(|t| t.min_score != 0) {
            return err("最低一档的分数线应为 0");
        }
        if self.tiers[0].min_score > self.max_total() {
            return err("最高一档的分数线超过满分");
        }
        for w in &self.weak_tiers {
            if !self.tiers.iter().any(|t| &t.name == w) {
                return err(&format!("薄弱档次 {w} 不在档次中"));
            }
        }
        Ok(())
    }

    /// Whether the scheme applies to an org of this field and kind.
    pub fn applies(&self, field: &str, kind: &str) -> bool {
        (self.applies_to.fields.is_empty() || self.applies_to.fields.iter().any(|f| f == field))
            && (self.applies_to.kinds.is_empty() || self.applies_to.kinds.iter().any(|k| k == kind))
    }

    /// The total of a score sheet (indicator code → points), checked against the scheme.
    pub fn total(&self, scores: &BTreeMap<String, u32>) -> Result<u32, RatingError> {
        let mut total = 0;
        for (code, points) in scores {
            let i = self
                .indicators()
                .find(|i| &i.code == code)
                .ok_or_else(|| RatingError::UnknownIndicator(code.clone()))?;
            if *points > i.max_points {
                return Err(RatingError::OverMax {
                    code: code.clone(),
                    max: i.max_points,
                    given: *points,
                });
            }
            total += points;
        }
        Ok(total)
    }

    /// The tier a total reaches (the best whose threshold it meets, "≥").
    pub fn tier_for(&self, total: u32) -> &Tier {
        self.tiers
            .iter()
            .find(|t| total >= t.min_score)
            .unwrap_or_else(|| &self.tiers[self.tiers.len() - 1])
    }

    /// Position of a tier, 0 = best.
    pub fn rank(&self, tier: &str) -> Result<usize, RatingError> {
        self.tiers
            .iter()
            .position(|t| t.name == tier)
            .ok_or_else(|| RatingError::UnknownTier(tier.to_string()))
    }

    /// Whether a tier is weak.
    pub fn is_weak(&self, tier: &str) -> bool {
        self.weak_tiers.iter().any(|w| w == tier)
    }
}

/// Tiers moved from last year's to this year's (positive: up, 升级晋位).
pub fn movement(scheme: &Scheme, last: &str, now: &str) -> Result<i32, RatingError> {
    Ok(scheme.rank(last)? as i32 - scheme.rank(now)? as i32)
}

/// Moving up this many tiers or more earns the award (晋位两个档次及以上, seed 002).
pub const AWARD_STEPS: i32 = 2;

/// The embedded schemes: five tiers (seed 002), three tiers (seed 001), stars, 五个好 (seed 000).
pub fn schemes() -> Result<Vec<Scheme>, RatingError> {
    let v: Vec<Scheme> = serde_json::from_str(include_str!("schemes.json"))
        .map_err(|e| RatingError::Scheme("schemes.json".into(), e.to_string()))?;
    for s in &v {
        s.validate()?;
    }
    Ok(v)
}

/// The embedded scheme with this code.
pub fn scheme(code: &str) -> Result<Scheme, RatingError> {
    schemes()?
        .into_iter()
        .find(|s| s.code == code)
        .ok_or_else(|| RatingError::UnknownScheme(code.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn shipped_schemes_are_valid() {
        let all = schemes().unwrap();
        assert_eq!(all.len(), 4);
        let five = scheme("village.five_tier").unwrap();
        assert_eq!(five.dimensions.len(), 5);
        assert_eq!(five.indicators().count(), 18);
        assert_eq!(five.max_total(), 100);
        let names: Vec<&str> = five.tiers.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["标兵", "先进", "达标", "偏弱", "薄弱"]);
        assert!(five.applies("rural", "branch"));
        assert!(!five.applies("community", "branch"));
        assert_eq!(scheme("branch.three_tier").unwrap().tiers.len(), 3);
        assert!(matches!(scheme("x"), Err(RatingError::UnknownScheme(_))));
    }

    #[test]
    fn thresholds_are_inclusive() {
        let five = scheme("village.five_tier").unwrap();
        assert_eq!(five.tier_for(90).name, "标兵");
        assert_eq!(five.tier_for(89).name, "先进");
        assert_eq!(five.tier_for(65).name, "达标");
        assert_eq!(five.tier_for(64).name, "偏弱");
        assert_eq!(five.tier_for(54).name, "薄弱");
        assert_eq!(five.tier_for(0).name, "薄弱");
        assert_eq!(movement(&five, "薄弱", "达标").unwrap(), 2);
        assert_eq!(movement(&five, "标兵", "先进").unwrap(), -1);
        assert!(five.is_weak("偏弱") && !five.is_weak("达标"));
    }

    #[test]
    fn score_sheets_are_checked() {
        let five = scheme("village.five_tier").unwrap();
        let mut s = BTreeMap::new();
        s.insert("4.1".to_string(), 8);
        s.insert("1.1".to_string(), 5);
        assert_eq!(five.total(&s).unwrap(), 13);
        s.insert("4.2".to_string(), 9);
        assert_eq!(five.total(&s).unwrap_err().code(), "rating.points_over_max");
        let mut bad = BTreeMap::new();
        bad.insert("9.9".to_string(), 1);
        assert_eq!(
            five.total(&bad).unwrap_err().code(),
            "rating.indicator_unknown"
        );
    }

    #[test]
    fn malformed_schemes_are_refused() {
        let mut s = scheme("branch.three_tier").unwrap();
        s.tiers.swap(0, 1);
        assert_eq!(s.validate().unwrap_err().code(), "rating.scheme_invalid");
        let mut s = scheme("branch.three_tier").unwrap();
        s.tiers[0].min_score = 101;
        assert!(s.validate().is_err());
    }

    proptest! {
        #[test]
        fn higher_scores_never_give_lower_tiers(a in 0u32..=100, b in 0u32..=100) {
            let five = scheme("village.five_tier").unwrap();
            let (lo, hi) = (a.min(b), a.max(b));
            prop_assert!(five.rank(&five.tier_for(hi).name).unwrap() <= five.rank(&five.tier_for(lo).name).unwrap());
        }
    }
}
