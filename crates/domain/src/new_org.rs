//! 两新组织 (non-public enterprises, social organizations, cooperatives) and how the Party
//! covers them: a registry entry per unit, the rule on when a unit
//! must have its own org, and the two coverage rates reports use.
//!
//! The rule (党章第三十条; 《中国共产党支部工作条例（试行）》第四条): a unit with
//! **3 or more full members** ("3人以上", inclusive) should set up its own org; with fewer, a
//! joint branch (联合党支部) covering **at most 5 units**, or a Party-building instructor or
//! liaison (党建指导员/联络员).

use crate::coded_enum;

coded_enum! {
    /// Kind of unit in the registry.
    NewOrgKind {
        NonPublicEnterprise = ("non_public_enterprise", "非公有制企业"),
        SocialOrg = ("social_org", "社会组织"),
        Cooperative = ("cooperative", "农民专业合作社"),
    }
}

coded_enum! {
    /// How the Party covers the unit.
    CoverageMode {
        /// Its own basic-level org (单独组建).
        Own = ("own", "单独建立党组织"),
        /// A joint branch with other units (联合组建).
        Joint = ("joint", "联合建立党组织"),
        /// No org, but a Party-building instructor or liaison (选派党建指导员).
        Liaison = ("liaison", "选派党建指导员/联络员"),
        /// Not covered.
        None = ("none", "未覆盖"),
    }
}

impl CoverageMode {
    /// Counts towards organizational coverage (组织覆盖): an org of its own or a joint one.
    pub fn org_covered(self) -> bool {
        matches!(self, Self::Own | Self::Joint)
    }
    /// Counts towards work coverage (工作覆盖): any org, or a liaison.
    pub fn work_covered(self) -> bool {
        !matches!(self, Self::None)
    }
    /// A covering org must be named for these modes.
    pub fn needs_org(self) -> bool {
        self.org_covered()
    }
}

/// Full members from which a unit should have its own org (3, "3人以上").
pub const OWN_ORG_FROM_FULL: u32 = 3;

/// Why a unit's coverage does not follow the rule, if it does not.
pub fn coverage_warning(full_members: u32, mode: CoverageMode) -> Option<(&'static str, String)> {
    if full_members >= OWN_ORG_FROM_FULL && mode != CoverageMode::Own {
        return Some((
            "new_org.should_have_own_org",
            format!("有正式党员 {full_members} 人（{OWN_ORG_FROM_FULL}人以上），应单独建立党组织"),
        ));
    }
    if full_members == 0 && mode == CoverageMode::None {
        return None;
    }
    if mode == CoverageMode::None {
        return Some((
            "new_org.not_covered",
            format!("有正式党员 {full_members} 人，尚未建立党组织，也未选派党建指导员，应联合建立党组织或选派党建指导员"),
        ));
    }
    None
}

/// Units one joint branch may cover at most (支部条例 第四条: "一般不超过5个").
pub const JOINT_MAX_UNITS: u32 = 5;

/// Warning for a joint org covering `units` units, if too many.
pub fn joint_warning(units: u32) -> Option<(&'static str, String)> {
    (units > JOINT_MAX_UNITS).then(|| {
        (
            "new_org.joint_too_many",
            format!("联合党支部覆盖 {units} 个单位，一般不超过{JOINT_MAX_UNITS}个"),
        )
    })
}

/// Share `part / whole` in percent, two decimals (0 when `whole` is 0).
pub fn rate(part: i64, whole: i64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 * 10000.0 / whole as f64).round() / 100.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Coded;
    use proptest::prelude::*;

    #[test]
    fn three_full_members_need_their_own_org() {
        assert!(coverage_warning(3, CoverageMode::Joint).is_some());
        assert!(coverage_warning(3, CoverageMode::Liaison).is_some());
        assert!(coverage_warning(3, CoverageMode::Own).is_none());
        assert!(coverage_warning(2, CoverageMode::Joint).is_none());
        assert!(coverage_warning(2, CoverageMode::Liaison).is_none());
        assert_eq!(
            coverage_warning(2, CoverageMode::None).map(|w| w.0),
            Some("new_org.not_covered")
        );
        assert!(coverage_warning(0, CoverageMode::None).is_none());
        assert_eq!(
            coverage_warning(12, CoverageMode::None).map(|w| w.0),
            Some("new_org.should_have_own_org")
        );
    }

    #[test]
    fn joint_branches_cover_at_most_five_units() {
        assert!(joint_warning(5).is_none());
        assert_eq!(
            joint_warning(6).map(|w| w.0),
            Some("new_org.joint_too_many")
        );
    }

    #[test]
    fn rates() {
        assert_eq!(rate(0, 0), 0.0);
        assert_eq!(rate(3, 5), 60.0);
        assert_eq!(rate(2, 3), 66.67);
    }

    proptest! {
        #[test]
        fn own_org_never_warns_and_the_threshold_is_inclusive(n in 0u32..1000) {
            prop_assert!(coverage_warning(n, CoverageMode::Own).is_none());
            for m in CoverageMode::ALL.iter().copied().filter(|m| *m != CoverageMode::Own) {
                let w = coverage_warning(n, m).map(|w| w.0);
                if n >= OWN_ORG_FROM_FULL {
                    prop_assert_eq!(w, Some("new_org.should_have_own_org"));
                } else if m == CoverageMode::None && n > 0 {
                    prop_assert_eq!(w, Some("new_org.not_covered"));
                } else {
                    prop_assert_eq!(w, None);
                }
            }
        }

        #[test]
        fn org_coverage_implies_work_coverage(i in 0usize..4) {
            let m = CoverageMode::ALL[i];
            prop_assert!(!m.org_covered() || m.work_covered());
        }
    }
}
