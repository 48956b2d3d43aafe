//! Organization tree vocabulary.

use crate::coded_enum;

coded_enum! {
    /// Kind of organization (组织类别).
    OrgKind {
        Committee = ("committee", "党委"),
        WorkingCommittee = ("working_committee", "党工委"),
        GeneralBranch = ("general_branch", "党总支"),
        Branch = ("branch", "党支部"),
        TemporaryBranch = ("temporary_branch", "临时党支部"),
        Group = ("group", "党小组"),
    }
}

impl OrgKind {
    /// Whether the 年报 counts it among basic-level organizations (基层党组织).
    /// 党工委 are 派出机构 and temporary orgs and groups are not counted.
    pub fn counts_as_basic_org(self) -> bool {
        matches!(self, Self::Committee | Self::GeneralBranch | Self::Branch)
    }
    /// Whether an org of this kind is a membership org: one a member's organizational
    /// relationship (组织关系) can sit in. 《中国共产党章程》第八条: every member is placed in a
    /// branch, a group or another specific organization (编入党的一个支部、小组或其他特定组织)
    /// and takes part in its org life. Jiceng keeps the relationship at the branch level:
    ///
    /// - 党支部 and 临时党支部 hold members (a 临时党支部 also holds its members' org life
    ///   while their relationship stays at home; a floating member's 流入地 org is one);
    /// - 党总支 may keep members directly (总支直属党员), alongside its branches;
    /// - 党委 (a 县委 as much as a basic 镇党委 or enterprise 党委) and 党工委 lead branches
    ///   and hold no member directly: their own members sit in a branch under them
    ///   (e.g. the 机关党支部);
    /// - a 党小组 is a part of its branch: the member's relationship is the branch's.
    pub fn holds_members(self) -> bool {
        matches!(
            self,
            Self::Branch | Self::TemporaryBranch | Self::GeneralBranch
        )
    }
    /// [`OrgKind::holds_members`] as a check with a stable code and a Chinese reason: the
    /// one test every path that places a member uses (create, move, transfer in, admission
    /// from the development pipeline, a floating member's 流入地 org).
    pub fn check_holds_members(self) -> Result<(), OrgCannotHoldMembers> {
        if self.holds_members() {
            Ok(())
        } else {
            Err(OrgCannotHoldMembers(self))
        }
    }
    /// National org kind code, where one exists.
    pub fn national_code(self) -> Option<&'static str> {
        match self {
            Self::Committee => Some("611"),
            Self::GeneralBranch => Some("621"),
            Self::Branch => Some("631"),
            Self::TemporaryBranch => Some("931"),
            Self::Group => Some("711"),
            Self::WorkingCommittee => None,
        }
    }
    /// Regular term in years (branch and general branch 3, basic committee 5).
    pub fn term_years(self) -> u32 {
        match self {
            Self::Committee | Self::WorkingCommittee => 5,
            _ => 3,
        }
    }
}

/// An org of this kind cannot hold members (see [`OrgKind::holds_members`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}不能作为党员的组织关系所在单位：党员应编入党支部、临时党支部或党总支（《中国共产党章程》第八条），请选择其下属的党支部", crate::codes::Coded::zh(*.0))]
pub struct OrgCannotHoldMembers(pub OrgKind);

impl OrgCannotHoldMembers {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        "member.org_cannot_hold_members"
    }
}

coded_enum! {
    /// Field (领域) of an organization.
    Field {
        Rural = ("rural", "农村"),
        Community = ("community", "社区"),
        Organ = ("organ", "机关"),
        Institution = ("institution", "事业单位"),
        StateEnterprise = ("state_enterprise", "国有企业"),
        PrivateEnterprise = ("private_enterprise", "非公企业"),
        SocialOrg = ("social_org", "社会组织"),
        School = ("school", "学校"),
        Cooperative = ("cooperative", "农民专业合作社"),
        Floating = ("floating", "流动党员"),
        Other = ("other", "其他"),
    }
}

impl Field {
    /// Village and community orgs elect for 5 years, whatever their kind.
    pub fn term_override_years(self) -> Option<u32> {
        match self {
            Self::Rural | Self::Community => Some(5),
            _ => None,
        }
    }
}

coded_enum! {
    /// Setup mode (组建方式).
    SetupMode {
        Standalone = ("standalone", "单独组建"),
        Joint = ("joint", "联合组建"),
        Affiliated = ("affiliated", "挂靠组建"),
        VillageEnterprise = ("village_enterprise", "村企联建"),
        StationVillage = ("station_village", "站村联建"),
        VillageResidence = ("village_residence", "村居联建"),
        VillageVillage = ("village_village", "村村联建"),
        Regional = ("regional", "区域"),
        IndustryChain = ("industry_chain", "产业链"),
        Sector = ("sector", "行业"),
        Retiree = ("retiree", "老年"),
        Outbound = ("outbound", "驻外/流动"),
    }
}

coded_enum! {
    /// Committee (班子) position.
    CommitteeRole {
        Secretary = ("secretary", "书记"),
        DeputySecretary = ("deputy_secretary", "副书记"),
        Organizer = ("organizer", "组织委员"),
        Propaganda = ("propaganda", "宣传委员"),
        Discipline = ("discipline", "纪检委员"),
        Youth = ("youth", "青年委员"),
        Women = ("women", "妇女委员"),
        Member = ("member", "委员"),
    }
}

/// Term length in years for an org of this kind and field.
pub fn term_years(kind: OrgKind, field: Field) -> u32 {
    field
        .term_override_years()
        .unwrap_or_else(|| kind.term_years())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Coded;

    #[test]
    fn codes_round_trip() {
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::from_code(k.code()), Some(*k));
            assert_eq!(OrgKind::parse(k.zh()), Some(*k));
        }
        for f in Field::ALL {
            assert_eq!(f.code().parse::<Field>().ok(), Some(*f));
        }
        for s in SetupMode::ALL {
            assert_eq!(SetupMode::from_code(s.code()), Some(*s));
        }
        assert!("nonsense".parse::<Field>().is_err());
    }

    #[test]
    fn terms_follow_kind_and_field() {
        assert_eq!(term_years(OrgKind::Branch, Field::Organ), 3);
        assert_eq!(
            term_years(OrgKind::GeneralBranch, Field::PrivateEnterprise),
            3
        );
        assert_eq!(term_years(OrgKind::Committee, Field::Organ), 5);
        assert_eq!(term_years(OrgKind::Branch, Field::Rural), 5);
        assert_eq!(term_years(OrgKind::Branch, Field::Community), 5);
    }

    #[test]
    fn only_branches_temporary_branches_and_general_branches_hold_members() {
        let holding: Vec<_> = OrgKind::ALL
            .iter()
            .filter(|k| k.holds_members())
            .copied()
            .collect();
        assert_eq!(
            holding,
            vec![
                OrgKind::GeneralBranch,
                OrgKind::Branch,
                OrgKind::TemporaryBranch
            ]
        );
        for k in [
            OrgKind::Committee,
            OrgKind::WorkingCommittee,
            OrgKind::Group,
        ] {
            let e = k.check_holds_members().unwrap_err();
            assert_eq!(e.code(), "member.org_cannot_hold_members");
            assert!(e.to_string().starts_with(k.zh()), "{e}");
            assert!(e.to_string().contains("第八条"), "{e}");
        }
        assert!(OrgKind::Branch.check_holds_members().is_ok());
        assert!(OrgKind::TemporaryBranch.check_holds_members().is_ok());
        assert!(OrgKind::GeneralBranch.check_holds_members().is_ok());
    }

    #[test]
    fn basic_org_counting() {
        assert!(OrgKind::Branch.counts_as_basic_org());
        assert!(!OrgKind::WorkingCommittee.counts_as_basic_org());
        assert!(!OrgKind::TemporaryBranch.counts_as_basic_org());
    }
}
