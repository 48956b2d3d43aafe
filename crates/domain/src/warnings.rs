//! Structural rules of the organization system as pure functions that return
//! warnings (预警) for one org.
//!
//! The thresholds are parameters: [`StructureParams`] carries them, with
//! the central defaults, and [`STRUCTURE_PARAM_SOURCES`] says where each default comes from so
//! the store can seed `rule_params` with key, default, unit and source. A county overlay changes
//! the values, not this code.
//!
//! Comparisons follow the wording of the rules: "3人以上" and "100人以上" include the number
//! (`≥`), "超过50人" does not (`>`), "不足3人" is `<`.

use chrono::{Months, NaiveDate};

use crate::codes::Coded;
use crate::org::{Field, OrgKind};

/// Thresholds of the structural rules. `Default` gives the central rule set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StructureParams {
    /// A branch needs at least this many full members (3).
    pub branch_min_full: u32,
    /// From this many full members a branch must elect a branch committee (7).
    pub committee_from_full: u32,
    /// With more than this many members a branch may become a general branch (50).
    pub general_branch_above: u32,
    /// From this many members a branch or general branch may become a basic committee (100).
    pub committee_from_members: u32,
    /// Warn this many months before a re-election is due (6).
    pub reelection_warn_months: u32,
}

impl Default for StructureParams {
    fn default() -> Self {
        Self {
            branch_min_full: 3,
            committee_from_full: 7,
            general_branch_above: 50,
            committee_from_members: 100,
            reelection_warn_months: 6,
        }
    }
}

impl StructureParams {
    /// Builds the parameters from a `rule_params` lookup by the keys of
    /// [`STRUCTURE_PARAM_SOURCES`]. Missing keys and values that do not fit a `u32` keep the
    /// default, so a bad row cannot switch a rule off silently by wrapping around.
    pub fn from_lookup(get: impl Fn(&str) -> Option<i64>) -> Self {
        let d = Self::default();
        let value = |key: &str, default: u32| {
            get(key)
                .and_then(|v| u32::try_from(v).ok())
                .unwrap_or(default)
        };
        Self {
            branch_min_full: value("org.branch_min_full", d.branch_min_full),
            committee_from_full: value("org.committee_from_full", d.committee_from_full),
            general_branch_above: value("org.general_branch_above", d.general_branch_above),
            committee_from_members: value("org.committee_from_members", d.committee_from_members),
            reelection_warn_months: value("org.reelection_warn_months", d.reelection_warn_months),
        }
    }
}

/// A rule parameter's key, central default, unit and source (document and article), for
/// seeding `rule_params` (rules as data, versioned and cited).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ParamSource {
    /// Key in `rule_params`.
    pub key: &'static str,
    /// Central default.
    pub default: i64,
    /// Unit, in Chinese (人, 个月).
    pub unit: &'static str,
    /// Document and article; says so where the article is not verified or the value is a
    /// platform setting rather than a rule.
    pub source: &'static str,
}

/// Sources of the [`StructureParams`] defaults.
pub const STRUCTURE_PARAM_SOURCES: &[ParamSource] = &[
    ParamSource {
        key: "org.branch_min_full",
        default: 3,
        unit: "人",
        source: "《中国共产党章程》第三十条；《中国共产党支部工作条例（试行）》（中共中央，2018-10-28）第四条：有正式党员3人以上的，应当成立党支部",
    },
    ParamSource {
        key: "org.committee_from_full",
        default: 7,
        unit: "人",
        source: "《中国共产党支部工作条例（试行）》（中共中央，2018-10-28）第六章：正式党员7人以上的党支部设立支部委员会；不足7人的设书记1名，必要时设副书记1名",
    },
    ParamSource {
        key: "org.general_branch_above",
        default: 50,
        unit: "人",
        source: "《中国共产党支部工作条例（试行）》（中共中央，2018-10-28）第四条：党支部党员人数一般不超过50人；党员人数超过50人的，经上级党组织批准可设立党的总支部委员会（实践做法）",
    },
    ParamSource {
        key: "org.committee_from_members",
        default: 100,
        unit: "人",
        source: "《中国共产党章程》第三十条及实践做法：党员100人以上的，经上级党组织批准可设立党的基层委员会",
    },
    ParamSource {
        key: "org.reelection_warn_months",
        default: 6,
        unit: "个月",
        source: "平台预警设置（换届到期前6个月预警），非党内法规规定",
    },
];

/// What the rules need to know about one org, as of the day they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrgFacts {
    /// Kind of the org.
    pub kind: OrgKind,
    /// Full plus probationary members attached directly to this org.
    pub members: u32,
    /// Full members attached directly to this org.
    pub full_members: u32,
    /// Whether it has an elected committee with at least 3 seats (not just a secretary).
    pub has_committee: bool,
    /// When the current committee's term ends, if known.
    pub reelection_due: Option<NaiveDate>,
}

/// How urgent a warning is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// An option the org may take (e.g. may become a general branch).
    Info,
    /// A rule is not met, or a deadline is near.
    Warning,
    /// A deadline has passed.
    Overdue,
}

/// One warning for the 预警 list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    /// Stable code (`org.branch_too_few_full`, …).
    pub code: &'static str,
    /// How urgent it is.
    pub severity: Severity,
    /// Chinese text with the numbers that triggered it.
    pub message: String,
    /// The deadline concerned, for date rules.
    pub due: Option<NaiveDate>,
}

impl Warning {
    fn new(code: &'static str, severity: Severity, message: String) -> Self {
        Self {
            code,
            severity,
            message,
            due: None,
        }
    }
}

/// Runs the structural rules on one org. Warnings come in a fixed order: size
/// rules first, then the re-election date.
pub fn check_org(f: &OrgFacts, p: &StructureParams, today: NaiveDate) -> Vec<Warning> {
    let mut out = Vec::new();
    let is_branch = f.kind == OrgKind::Branch;

    if is_branch && f.full_members < p.branch_min_full {
        out.push(Warning::new(
            "org.branch_too_few_full",
            Severity::Warning,
            format!(
                "党支部正式党员仅 {} 名，少于 {} 名",
                f.full_members, p.branch_min_full
            ),
        ));
    }
    if is_branch && f.full_members >= p.committee_from_full && !f.has_committee {
        out.push(Warning::new(
            "org.committee_required",
            Severity::Warning,
            format!(
                "党支部正式党员 {} 名，达到 {} 名，应选举产生支部委员会",
                f.full_members, p.committee_from_full
            ),
        ));
    }
    if is_branch && f.members > p.general_branch_above {
        out.push(Warning::new(
            "org.may_become_general_branch",
            Severity::Info,
            format!(
                "党支部党员 {} 名，超过 {} 名，可经上级党组织批准设立党总支",
                f.members, p.general_branch_above
            ),
        ));
    }
    if matches!(f.kind, OrgKind::Branch | OrgKind::GeneralBranch)
        && f.members >= p.committee_from_members
    {
        out.push(Warning::new(
            "org.may_become_committee",
            Severity::Info,
            format!(
                "{}党员 {} 名，达到 {} 名，可经上级党组织批准设立基层党委",
                f.kind.zh(),
                f.members,
                p.committee_from_members
            ),
        ));
    }

    if let Some(due) = f.reelection_due {
        let days = (due - today).num_days();
        // Past the representable range means "far in the future": warn from today on.
        let horizon = today
            .checked_add_months(Months::new(p.reelection_warn_months))
            .unwrap_or(NaiveDate::MAX);
        if due < today {
            out.push(Warning {
                due: Some(due),
                ..Warning::new(
                    "org.reelection_overdue",
                    Severity::Overdue,
                    format!("换届已逾期 {} 天（应于 {due} 前完成换届）", -days),
                )
            });
        } else if due <= horizon {
            let message = if days == 0 {
                format!("任期今天届满（{due}），应按期换届")
            } else {
                format!("距任期届满还有 {days} 天（{due}），请做好换届准备")
            };
            out.push(Warning {
                due: Some(due),
                ..Warning::new("org.reelection_due_soon", Severity::Warning, message)
            });
        }
    }
    out
}

/// The date a committee's term ends: `term_start` plus the term length for its kind and field
/// ([`crate::org::term_years`]: branch and general branch 3 years, basic committee 5, village
/// and community orgs 5). A 29 February start ends on 28 February.
pub fn reelection_due(term_start: NaiveDate, kind: OrgKind, field: Field) -> NaiveDate {
    let years = crate::org::term_years(kind, field);
    term_start
        .checked_add_months(Months::new(years.saturating_mul(12)))
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn branch(members: u32, full: u32, has_committee: bool) -> OrgFacts {
        OrgFacts {
            kind: OrgKind::Branch,
            members,
            full_members: full,
            has_committee,
            reelection_due: None,
        }
    }

    fn codes(f: &OrgFacts, today: NaiveDate) -> Vec<&'static str> {
        check_org(f, &StructureParams::default(), today)
            .into_iter()
            .map(|w| w.code)
            .collect()
    }

    fn has(f: &OrgFacts, code: &str) -> bool {
        codes(f, d(2024, 6, 1)).contains(&code)
    }

    #[test]
    fn defaults_match_sources() {
        let p = StructureParams::default();
        let by_key = |k: &str| {
            STRUCTURE_PARAM_SOURCES
                .iter()
                .find(|s| s.key == k)
                .map(|s| s.default)
        };
        assert_eq!(STRUCTURE_PARAM_SOURCES.len(), 5);
        assert_eq!(StructureParams::from_lookup(by_key), p);
        assert_eq!(StructureParams::from_lookup(|_| None), p);
        for s in STRUCTURE_PARAM_SOURCES {
            assert!(!s.source.is_empty() && !s.unit.is_empty(), "{}", s.key);
        }
    }

    #[test]
    fn overrides_and_bad_values() {
        let p = StructureParams::from_lookup(|k| match k {
            "org.branch_min_full" => Some(5),
            "org.committee_from_full" => Some(-1),
            "org.general_branch_above" => Some(i64::MAX),
            _ => None,
        });
        assert_eq!(p.branch_min_full, 5);
        assert_eq!(p.committee_from_full, 7);
        assert_eq!(p.general_branch_above, 50);
    }

    #[test]
    fn too_few_full_members_boundary() {
        assert!(has(&branch(2, 2, false), "org.branch_too_few_full"));
        assert!(has(&branch(5, 2, false), "org.branch_too_few_full"));
        assert!(!has(&branch(3, 3, false), "org.branch_too_few_full"));
        assert!(has(&branch(0, 0, false), "org.branch_too_few_full"));
        let w = check_org(
            &branch(2, 2, false),
            &StructureParams::default(),
            d(2024, 1, 1),
        );
        assert_eq!(w[0].message, "党支部正式党员仅 2 名，少于 3 名");
        assert_eq!(w[0].severity, Severity::Warning);
        assert_eq!(w[0].due, None);
    }

    #[test]
    fn committee_required_boundary() {
        assert!(!has(&branch(6, 6, false), "org.committee_required"));
        assert!(has(&branch(7, 7, false), "org.committee_required"));
        assert!(!has(&branch(7, 7, true), "org.committee_required"));
        // Probationary members do not count.
        assert!(!has(&branch(9, 6, false), "org.committee_required"));
        let w = check_org(
            &branch(7, 7, false),
            &StructureParams::default(),
            d(2024, 1, 1),
        );
        assert_eq!(
            w[0].message,
            "党支部正式党员 7 名，达到 7 名，应选举产生支部委员会"
        );
    }

    #[test]
    fn general_branch_boundary() {
        assert!(!has(&branch(50, 50, true), "org.may_become_general_branch"));
        assert!(has(&branch(51, 40, true), "org.may_become_general_branch"));
        let w = check_org(
            &branch(51, 40, true),
            &StructureParams::default(),
            d(2024, 1, 1),
        );
        assert_eq!(w[0].severity, Severity::Info);
        assert_eq!(
            w[0].message,
            "党支部党员 51 名，超过 50 名，可经上级党组织批准设立党总支"
        );
    }

    #[test]
    fn basic_committee_boundary() {
        assert!(!has(&branch(99, 99, true), "org.may_become_committee"));
        assert!(has(&branch(100, 90, true), "org.may_become_committee"));
        let general = OrgFacts {
            kind: OrgKind::GeneralBranch,
            ..branch(100, 100, true)
        };
        assert_eq!(
            codes(&general, d(2024, 1, 1)),
            vec!["org.may_become_committee"]
        );
        let w = check_org(&general, &StructureParams::default(), d(2024, 1, 1));
        assert_eq!(
            w[0].message,
            "党总支党员 100 名，达到 100 名，可经上级党组织批准设立基层党委"
        );
        let general99 = OrgFacts {
            members: 99,
            ..general
        };
        assert!(codes(&general99, d(2024, 1, 1)).is_empty());
    }

    #[test]
    fn size_rules_apply_to_the_right_kinds() {
        for kind in OrgKind::ALL {
            let f = OrgFacts {
                kind: *kind,
                ..branch(200, 1, false)
            };
            let c = codes(&f, d(2024, 1, 1));
            let is_branch = *kind == OrgKind::Branch;
            assert_eq!(
                c.contains(&"org.branch_too_few_full"),
                is_branch,
                "{kind:?}"
            );
            assert_eq!(
                c.contains(&"org.may_become_general_branch"),
                is_branch,
                "{kind:?}"
            );
            assert_eq!(
                c.contains(&"org.may_become_committee"),
                matches!(kind, OrgKind::Branch | OrgKind::GeneralBranch),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn reelection_boundaries() {
        let today = d(2024, 3, 15);
        let with_due = |due| OrgFacts {
            reelection_due: Some(due),
            ..branch(10, 10, true)
        };
        let run = |due| check_org(&with_due(due), &StructureParams::default(), today);

        let w = run(d(2024, 3, 14));
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].code, "org.reelection_overdue");
        assert_eq!(w[0].severity, Severity::Overdue);
        assert_eq!(w[0].due, Some(d(2024, 3, 14)));
        assert_eq!(
            w[0].message,
            "换届已逾期 1 天（应于 2024-03-14 前完成换届）"
        );

        let w = run(today);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].code, "org.reelection_due_soon");
        assert_eq!(w[0].severity, Severity::Warning);
        assert_eq!(w[0].message, "任期今天届满（2024-03-15），应按期换届");

        let w = run(d(2024, 9, 15));
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].code, "org.reelection_due_soon");
        assert_eq!(
            w[0].message,
            "距任期届满还有 184 天（2024-09-15），请做好换届准备"
        );

        assert!(run(d(2024, 9, 16)).is_empty());
        assert!(check_org(&branch(10, 10, true), &StructureParams::default(), today).is_empty());
    }

    #[test]
    fn reelection_horizon_uses_calendar_months() {
        // 31 August + 6 months = 28 February (29 in leap years), not 3 March.
        let p = StructureParams::default();
        let f = |due| OrgFacts {
            reelection_due: Some(due),
            ..branch(10, 10, true)
        };
        assert_eq!(check_org(&f(d(2025, 2, 28)), &p, d(2024, 8, 31)).len(), 1);
        assert!(check_org(&f(d(2025, 3, 1)), &p, d(2024, 8, 31)).is_empty());
        assert_eq!(check_org(&f(d(2024, 2, 29)), &p, d(2023, 8, 31)).len(), 1);
        assert!(check_org(&f(d(2024, 3, 1)), &p, d(2023, 8, 31)).is_empty());
        // A zero-month window warns only on the day itself.
        let p0 = StructureParams {
            reelection_warn_months: 0,
            ..p
        };
        assert_eq!(check_org(&f(d(2024, 1, 1)), &p0, d(2024, 1, 1)).len(), 1);
        assert!(check_org(&f(d(2024, 1, 2)), &p0, d(2024, 1, 1)).is_empty());
    }

    #[test]
    fn term_end_dates() {
        assert_eq!(
            reelection_due(d(2021, 5, 10), OrgKind::Branch, Field::Organ),
            d(2024, 5, 10)
        );
        assert_eq!(
            reelection_due(d(2021, 5, 10), OrgKind::Branch, Field::Rural),
            d(2026, 5, 10)
        );
        assert_eq!(
            reelection_due(d(2021, 5, 10), OrgKind::Committee, Field::Organ),
            d(2026, 5, 10)
        );
        assert_eq!(
            reelection_due(d(2020, 2, 29), OrgKind::Branch, Field::Organ),
            d(2023, 2, 28)
        );
        assert_eq!(
            reelection_due(d(2020, 2, 29), OrgKind::GeneralBranch, Field::Community),
            d(2025, 2, 28)
        );
        assert_eq!(
            reelection_due(NaiveDate::MAX, OrgKind::Branch, Field::Organ),
            NaiveDate::MAX
        );
    }

    #[test]
    fn severity_order() {
        assert!(Severity::Info < Severity::Warning && Severity::Warning < Severity::Overdue);
    }

    fn arb_kind() -> impl Strategy<Value = OrgKind> {
        prop::sample::select(OrgKind::ALL.to_vec())
    }

    fn arb_facts() -> impl Strategy<Value = OrgFacts> {
        (arb_kind(), 0u32..300, 0u32..300, any::<bool>()).prop_map(|(kind, a, b, c)| OrgFacts {
            kind,
            members: a.max(b),
            full_members: a.min(b),
            has_committee: c,
            reelection_due: None,
        })
    }

    fn arb_day() -> impl Strategy<Value = NaiveDate> {
        (0u64..20_000).prop_map(|n| d(1980, 1, 1) + chrono::Days::new(n))
    }

    proptest! {
        #[test]
        fn adding_full_members_never_creates_too_few(f in arb_facts(), extra in 0u32..100) {
            let more = OrgFacts {
                members: f.members + extra,
                full_members: f.full_members + extra,
                ..f
            };
            if !has(&f, "org.branch_too_few_full") {
                prop_assert!(!has(&more, "org.branch_too_few_full"));
            }
        }

        #[test]
        fn adding_members_never_removes_options(f in arb_facts(), extra in 0u32..100) {
            let more = OrgFacts { members: f.members + extra, ..f };
            for code in ["org.may_become_general_branch", "org.may_become_committee"] {
                if has(&f, code) {
                    prop_assert!(has(&more, code));
                }
            }
        }

        #[test]
        fn electing_a_committee_only_removes_warnings(f in arb_facts()) {
            let before = codes(&OrgFacts { has_committee: false, ..f }, d(2024, 1, 1));
            let after = codes(&OrgFacts { has_committee: true, ..f }, d(2024, 1, 1));
            prop_assert!(after.iter().all(|c| before.contains(c)));
            prop_assert!(!after.contains(&"org.committee_required"));
        }

        #[test]
        fn reelection_states_are_exclusive_and_monotone(
            f in arb_facts(),
            due in arb_day(),
            today in arb_day(),
            later in 0u64..1000,
        ) {
            let f = OrgFacts { reelection_due: Some(due), ..f };
            let p = StructureParams::default();
            let date_codes = |t: NaiveDate| -> Vec<&'static str> {
                check_org(&f, &p, t)
                    .into_iter()
                    .filter(|w| w.due.is_some())
                    .map(|w| w.code)
                    .collect()
            };
            let now = date_codes(today);
            prop_assert!(now.len() <= 1);
            prop_assert_eq!(now.contains(&"org.reelection_overdue"), due < today);
            if due >= today && due - today <= chrono::TimeDelta::days(181) {
                prop_assert_eq!(now, vec!["org.reelection_due_soon"]);
            }
            if due < today {
                let then = date_codes(today + chrono::Days::new(later));
                prop_assert_eq!(then, vec!["org.reelection_overdue"]);
            }
        }

        #[test]
        fn codes_are_unique_and_known(f in arb_facts(), due in proptest::option::of(arb_day())) {
            let f = OrgFacts { reelection_due: due, ..f };
            let mut c = codes(&f, d(2010, 6, 30));
            let n = c.len();
            c.sort_unstable();
            c.dedup();
            prop_assert_eq!(c.len(), n);
            for code in c {
                prop_assert!(code.starts_with("org."));
            }
        }

        #[test]
        fn term_end_is_whole_years_later(start in arb_day(), kind in arb_kind()) {
            let due = reelection_due(start, kind, Field::Other);
            let years = crate::org::term_years(kind, Field::Other) as i32;
            use chrono::Datelike;
            prop_assert_eq!(due.year(), start.year() + years);
            prop_assert_eq!(due.month(), start.month());
            prop_assert!(due.day() == start.day() || (start.month() == 2 && start.day() == 29 && due.day() == 28));
        }
    }
}
