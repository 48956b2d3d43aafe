//! Member vocabulary.

use crate::coded_enum;

coded_enum! {
    /// Gender, GB/T 2261.1 codes (only 1 and 2 appear in the 年报).
    Gender {
        Male = ("1", "男"),
        Female = ("2", "女"),
    }
}

coded_enum! {
    /// Education at the granularity of the 年报 columns (T4).
    Education {
        Postgraduate = ("postgraduate", "研究生"),
        Bachelor = ("bachelor", "大学本科"),
        College = ("college", "大学专科"),
        TechnicalSecondary = ("technical_secondary", "中专"),
        HighSchool = ("high_school", "高中、中技"),
        JuniorOrBelow = ("junior_or_below", "初中及以下"),
    }
}

/// The three education groups used by the seed-000 county summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EducationSeedGroup {
    /// 大专学历以上
    CollegeOrAbove,
    /// 中专（高中）
    SecondaryOrHighSchool,
    /// 初中及以下
    JuniorHighOrBelow,
}

impl Education {
    /// 大专及以上 = 研究生 + 大学本科 + 大学专科.
    pub fn college_or_above(self) -> bool {
        matches!(self, Self::Postgraduate | Self::Bachelor | Self::College)
    }
    /// The seed's three-way grouping.
    pub fn seed_group(self) -> EducationSeedGroup {
        match self {
            Self::Postgraduate | Self::Bachelor | Self::College => {
                EducationSeedGroup::CollegeOrAbove
            }
            Self::TechnicalSecondary | Self::HighSchool => {
                EducationSeedGroup::SecondaryOrHighSchool
            }
            Self::JuniorOrBelow => EducationSeedGroup::JuniorHighOrBelow,
        }
    }
}

coded_enum! {
    /// Occupation: the 8 national classes of the statistics bulletin.
    Occupation {
        Worker = ("worker", "工人(工勤技能人员)"),
        Farmer = ("farmer", "农牧渔民"),
        Professional = ("professional", "专业技术人员"),
        Manager = ("manager", "企事业单位、民办非企业单位管理人员"),
        PartyGovStaff = ("party_gov_staff", "党政机关工作人员"),
        Student = ("student", "学生"),
        Other = ("other", "其他职业人员"),
        Retired = ("retired", "离退休人员"),
    }
}

coded_enum! {
    /// Member category (人员类别).
    MemberStatus {
        Probationary = ("probationary", "预备党员"),
        Full = ("full", "正式党员"),
    }
}

coded_enum! {
    /// Post held in the village two committees (村两委), for village-cadre statistics.
    VillagePost {
        Secretary = ("secretary", "村党组织书记"),
        Director = ("director", "村委会主任"),
        SecretaryDirector = ("secretary_director", "书记主任一肩挑"),
        DeputySecretary = ("deputy_secretary", "村党组织副书记"),
        DeputyDirector = ("deputy_director", "村委会副主任"),
        CommitteeMember = ("committee_member", "两委委员"),
    }
}

impl VillagePost {
    /// Counts as the village Party secretary.
    pub fn is_secretary(self) -> bool {
        matches!(self, Self::Secretary | Self::SecretaryDirector)
    }
    /// Counts as the village committee director.
    pub fn is_director(self) -> bool {
        matches!(self, Self::Director | Self::SecretaryDirector)
    }
}

coded_enum! {
    /// Dated events in a member's history. Current state is
    /// the fold of these events.
    MemberEventKind {
        Joined = ("joined", "接收为预备党员"),
        Converted = ("converted", "转为正式党员"),
        ProbationExtended = ("probation_extended", "延长预备期"),
        ProbationCancelled = ("probation_cancelled", "取消预备党员资格"),
        TransferredIn = ("transferred_in", "组织关系转入"),
        TransferredOut = ("transferred_out", "组织关系转出"),
        Moved = ("moved", "系统内组织关系调整"),
        FloatingOut = ("floating_out", "外出流动"),
        FloatingBack = ("floating_back", "流动返回"),
        Suspended = ("suspended", "停止党籍"),
        Restored = ("restored", "恢复党籍"),
        Expelled = ("expelled", "开除党籍"),
        Withdrew = ("withdrew", "退党"),
        SelfWithdrawal = ("self_withdrawal", "自行脱党除名"),
        Died = ("died", "去世"),
        Updated = ("updated", "信息变更"),
        Corrected = ("corrected", "更正"),
    }
}

impl MemberEventKind {
    /// Events that end membership in the system (the member leaves the roster).
    pub fn ends_membership(self) -> bool {
        matches!(
            self,
            Self::TransferredOut
                | Self::ProbationCancelled
                | Self::Expelled
                | Self::Withdrew
                | Self::SelfWithdrawal
                | Self::Died
        )
    }
    /// Events that start (or restart) membership in the system.
    pub fn starts_membership(self) -> bool {
        matches!(self, Self::Joined | Self::TransferredIn)
    }
}

coded_enum! {
    /// Kinds of document in a member's file (党员档案).
    DocumentKind {
        Application = ("application", "入党申请书"),
        VolunteerForm = ("volunteer_form", "入党志愿书"),
        ActivistRecord = ("activist_record", "入党积极分子培养考察材料"),
        PoliticalReview = ("political_review", "政治审查材料"),
        ThoughtReport = ("thought_report", "思想汇报"),
        Conversion = ("conversion", "转正申请及审批材料"),
        TransferLetter = ("transfer_letter", "组织关系介绍信"),
        Appraisal = ("appraisal", "民主评议材料"),
        AwardDiscipline = ("award_discipline", "奖惩材料"),
        Other = ("other", "其他"),
    }
}

/// Masks an ID number for display: first 3 and last 4 characters kept
/// (`110***********123X`).
pub fn mask_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 7 {
        return "*".repeat(chars.len());
    }
    let mut out = String::with_capacity(chars.len());
    out.extend(&chars[..3]);
    out.extend(std::iter::repeat_n('*', chars.len() - 7));
    out.extend(&chars[chars.len() - 4..]);
    out
}

/// One event as the fold needs it (sorted by date, then by recording order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventLite {
    /// Effective date.
    pub date: chrono::NaiveDate,
    /// What happened.
    pub kind: MemberEventKind,
    /// Target org for `Joined`, `TransferredIn`, `Moved`.
    pub org: Option<i64>,
    /// For `TransferredIn`: the member arrives as probationary.
    pub probationary: bool,
}

/// A member's standing on a date, folded from events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RosterState {
    /// Org holding the membership.
    pub org: i64,
    /// Probationary (预备党员) rather than full.
    pub probationary: bool,
    /// When the current membership started (join or transfer in).
    pub since: chrono::NaiveDate,
    /// Date of joining as probationary, if it happened in this system.
    pub joined: Option<chrono::NaiveDate>,
    /// Away as a floating member.
    pub floating: bool,
    /// Membership suspended (停止党籍): not counted in statistics.
    pub suspended: bool,
}

/// State after applying every event dated on or before `as_of` (all events when `None`).
/// The roster at any date follows from this one function.
pub fn state_at(events: &[EventLite], as_of: Option<chrono::NaiveDate>) -> Option<RosterState> {
    let mut st: Option<RosterState> = None;
    for e in events {
        if as_of.is_some_and(|d| e.date > d) {
            break;
        }
        st = apply(st, e);
    }
    st
}

/// One step of [`state_at`]: the state after `e` (for walking a history event by event).
pub fn apply(st: Option<RosterState>, e: &EventLite) -> Option<RosterState> {
    use MemberEventKind as K;
    match e.kind {
        K::Joined => e.org.map(|org| RosterState {
            org,
            probationary: true,
            since: e.date,
            joined: Some(e.date),
            floating: false,
            suspended: false,
        }),
        K::TransferredIn => e.org.map(|org| RosterState {
            org,
            probationary: e.probationary,
            since: e.date,
            joined: None,
            floating: false,
            suspended: false,
        }),
        k if k.ends_membership() => None,
        _ => st.map(|mut s| {
            match e.kind {
                K::Moved => {
                    if let Some(org) = e.org {
                        s.org = org;
                    }
                }
                K::Converted => s.probationary = false,
                K::FloatingOut => s.floating = true,
                K::FloatingBack => s.floating = false,
                K::Suspended => s.suspended = true,
                K::Restored => s.suspended = false,
                _ => {}
            }
            s
        }),
    }
}

/// Why an event cannot follow the member's current state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TransitionError {
    /// Stable code.
    pub code: &'static str,
    /// Chinese message.
    pub message: &'static str,
}

/// Checks that `kind` may be recorded for a member in `state` (deny what makes no sense:
/// converting a full member, moving someone who has left, joining twice).
pub fn check_transition(
    state: Option<&RosterState>,
    kind: MemberEventKind,
) -> Result<(), TransitionError> {
    use MemberEventKind as K;
    let err = |code, message| Err(TransitionError { code, message });
    match (state, kind) {
        (None, K::Joined | K::TransferredIn) => Ok(()),
        (Some(_), K::Joined | K::TransferredIn) => err(
            "member.already_on_roster",
            "该党员已在党员名册中，不能重复接收或转入",
        ),
        (None, K::Updated | K::Corrected) => Ok(()),
        (None, _) => err(
            "member.not_on_roster",
            "该党员已不在党员名册中，不能登记此事项",
        ),
        (Some(s), K::Converted | K::ProbationExtended | K::ProbationCancelled)
            if !s.probationary =>
        {
            err("member.not_probationary", "该党员不是预备党员")
        }
        (Some(s), K::FloatingOut) if s.floating => {
            err("member.already_floating", "该党员已登记为流动党员")
        }
        (Some(s), K::FloatingBack) if !s.floating => {
            err("member.not_floating", "该党员不是流动党员")
        }
        (Some(s), K::Suspended) if s.suspended => {
            err("member.already_suspended", "该党员已停止党籍")
        }
        (Some(s), K::Restored) if !s.suspended => err("member.not_suspended", "该党员未被停止党籍"),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Coded;
    use proptest::prelude::*;

    #[test]
    fn mask_keeps_head_and_tail() {
        assert_eq!(mask_id("11010519491231002X"), "110***********002X");
        assert_eq!(mask_id("1234567"), "*******");
        assert_eq!(mask_id(""), "");
    }

    #[test]
    fn seed_groups() {
        assert_eq!(
            Education::College.seed_group(),
            EducationSeedGroup::CollegeOrAbove
        );
        assert_eq!(
            Education::HighSchool.seed_group(),
            EducationSeedGroup::SecondaryOrHighSchool
        );
        assert_eq!(
            Education::TechnicalSecondary.seed_group(),
            EducationSeedGroup::SecondaryOrHighSchool
        );
        assert_eq!(
            Education::JuniorOrBelow.seed_group(),
            EducationSeedGroup::JuniorHighOrBelow
        );
    }

    #[test]
    fn village_posts() {
        assert!(VillagePost::SecretaryDirector.is_secretary());
        assert!(VillagePost::SecretaryDirector.is_director());
        assert!(!VillagePost::Director.is_secretary());
        assert!(!VillagePost::CommitteeMember.is_director());
    }

    #[test]
    fn event_kinds_parse() {
        for k in MemberEventKind::ALL {
            assert_eq!(MemberEventKind::from_code(k.code()), Some(*k));
            assert!(!(k.ends_membership() && k.starts_membership()));
        }
    }

    fn ev(y: i32, m: u32, d: u32, kind: MemberEventKind, org: Option<i64>) -> EventLite {
        EventLite {
            date: chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default(),
            kind,
            org,
            probationary: false,
        }
    }

    #[test]
    fn fold_follows_history() {
        use MemberEventKind as K;
        let evs = vec![
            ev(2000, 7, 1, K::Joined, Some(1)),
            ev(2001, 7, 1, K::Converted, None),
            ev(2003, 3, 1, K::Moved, Some(2)),
            ev(2004, 5, 1, K::TransferredOut, None),
        ];
        let at = |y, m, d| state_at(&evs, chrono::NaiveDate::from_ymd_opt(y, m, d));
        assert_eq!(at(2000, 6, 30), None);
        let s = at(2000, 7, 1).unwrap_or_else(|| panic!("on roster"));
        assert!(s.probationary && s.org == 1);
        let s = at(2001, 7, 1).unwrap_or_else(|| panic!("on roster"));
        assert!(!s.probationary);
        assert_eq!(at(2003, 3, 1).map(|s| s.org), Some(2));
        assert_eq!(at(2004, 4, 30).map(|s| s.org), Some(2));
        assert_eq!(at(2004, 5, 1), None);
        assert_eq!(state_at(&evs, None), None);
    }

    #[test]
    fn transitions() {
        use MemberEventKind as K;
        assert!(check_transition(None, K::Joined).is_ok());
        assert!(check_transition(None, K::Converted).is_err());
        let s = RosterState {
            org: 1,
            probationary: false,
            since: chrono::NaiveDate::default(),
            joined: None,
            floating: false,
            suspended: false,
        };
        assert_eq!(
            check_transition(Some(&s), K::Converted).map_err(|e| e.code),
            Err("member.not_probationary")
        );
        assert!(check_transition(Some(&s), K::Joined).is_err());
        assert!(check_transition(Some(&s), K::FloatingBack).is_err());
        assert!(check_transition(Some(&s), K::FloatingOut).is_ok());
        assert!(check_transition(Some(&s), K::Died).is_ok());
    }

    proptest! {
        /// Whatever the history, a state exists exactly when the last start/end event
        /// was a start, and then the org is the last org named.
        #[test]
        fn fold_matches_last_start_end(kinds in proptest::collection::vec(0usize..MemberEventKind::ALL.len(), 0..30)) {
            let evs: Vec<EventLite> = kinds.iter().enumerate().map(|(i, k)| EventLite {
                date: chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default() + chrono::Days::new(i as u64),
                kind: MemberEventKind::ALL[*k],
                org: Some(i as i64),
                probationary: true,
            }).collect();
            let st = state_at(&evs, None);
            let last = evs.iter().rev().find(|e| e.kind.starts_membership() || e.kind.ends_membership());
            match last {
                Some(e) if e.kind.starts_membership() => {
                    let s = st.unwrap_or_else(|| panic!("should be on roster"));
                    let last_org = evs.iter().rev().find(|e| matches!(e.kind, MemberEventKind::Joined | MemberEventKind::TransferredIn | MemberEventKind::Moved)).and_then(|e| e.org);
                    prop_assert_eq!(Some(s.org), last_org);
                }
                _ => prop_assert!(st.is_none()),
            }
        }
    }

    proptest! {
        #[test]
        fn mask_preserves_length_and_tail(s in "[0-9X]{8,20}") {
            let m = mask_id(&s);
            prop_assert_eq!(m.chars().count(), s.chars().count());
            prop_assert_eq!(&m[m.len()-4..], &s[s.len()-4..]);
            prop_assert_eq!(&m[..3], &s[..3]);
        }
    }
}
