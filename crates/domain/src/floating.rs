//! Floating members (流动党员): the vocabulary of an outbound registration, the
//! out-of-contact rule (失联) and the temporary-branch suggestion.
//!
//! Rules (numbers are parameters of [`FLOATING_RULES`], resolved with
//! [`crate::rules::resolve`] so that a county overlay can change them):
//!
//! - **Out of contact**: a member away for `floating.lost_contact_months` (6) without any
//!   contact — counted from the last contact, or from the outbound date when there is none —
//!   may be recorded as 失联 with a cause code ("与党组织失去联系6个月以上": 以上 includes
//!   the number, so on the day the sixth month is complete the member is eligible). The
//!   system proposes ([`is_lost_contact_due`]); a person confirms with a [`LostCause`].
//! - **Temporary branch**: `floating.temporary_branch_min` (3) or more members away from one
//!   org to the same place suggest a 临时党支部 or 党小组 ([`temporary_branch_suggestions`]).
//! - **Certificate or transfer**: the 流动党员活动证 is for absences of up to
//!   `floating.certificate_max_months` (6), or longer ones where the membership cannot be
//!   transferred; a longer planned absence at a fixed place should transfer the membership
//!   instead ([`transfer_suggested`], a hint, never a refusal).
//!
//! Sources: 中央组织部《流动党员活动证》 rules and the 失联党员 cause codes of a provincial
//! management form. 《关于加强和改进流动党员管理工作的意见》 is not cited: its text was not
//! at hand to check the articles.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::calendar::{add_months, ymd, CalendarError};
use crate::coded_enum;
use crate::rules::{ParamValue, RuleParam, RuleSet, Unit};

coded_enum! {
    /// Where an outbound registration stands.
    FloatingStatus {
        /// Away (外出中).
        Away = ("away", "外出中"),
        /// Came back (返回，回访销号).
        Returned = ("returned", "已返回"),
        /// Registration ended without a return (注销：组织关系已转移、登记有误等).
        Cancelled = ("cancelled", "已注销"),
    }
}

coded_enum! {
    /// How contact was made (跟踪联络方式).
    ContactWay {
        Phone = ("phone", "电话"),
        Visit = ("visit", "走访"),
        Online = ("online", "网络"),
        Letter = ("letter", "信函"),
    }
}

coded_enum! {
    /// Why a member lost contact (失联原因), after the cause codes of the provincial form.
    LostCause {
        WorkingAway = ("working_away", "外出务工经商"),
        UnitRestructured = ("unit_restructured", "单位改制或破产"),
        UnknownAfterGraduation = ("unknown_after_graduation", "毕业后去向不明"),
        ChangedEmployer = ("changed_employer", "工作单位改变"),
        Abroad = ("abroad", "出国（境）"),
        MovedResidence = ("moved_residence", "居住地改变"),
        Other = ("other", "其他"),
    }
}

/// Key: months without contact after which a member may be recorded as 失联.
pub const LOST_CONTACT_MONTHS: &str = "floating.lost_contact_months";
/// Key: members away from one org to one place from which a temporary branch is suggested.
pub const TEMPORARY_BRANCH_MIN: &str = "floating.temporary_branch_min";
/// Key: longest absence the activity certificate is meant for.
pub const CERTIFICATE_MAX_MONTHS: &str = "floating.certificate_max_months";

/// The central parameters of floating-member work.
///
/// The 中央组织部 documents' dates were not at hand, so the set is a platform
/// default dated 1949-10-01, the earliest date a record can carry: the values apply to every
/// record, and a county overlay can change them from any date.
pub const FLOATING_RULES: RuleSet = RuleSet {
    code: "floating.platform",
    name_zh: "流动党员管理（平台默认值）",
    effective: ymd(1949, 10, 1),
    source_document: "中央组织部《流动党员活动证》有关规定",
    params: &[
        RuleParam {
            key: LOST_CONTACT_MONTHS,
            default: ParamValue::Int(6),
            unit: Unit::Months,
            source: "“与党组织失去联系6个月以上”（四川省流动党员管理表式，省级做法）",
            note: "自最后一次联系（无联系记录的自外出之日）起满6个月（以上，≥）未取得联系的，可认定为失联党员并登记原因；系统提示，由党组织确认",
        },
        RuleParam {
            key: TEMPORARY_BRANCH_MIN,
            default: ParamValue::Int(3),
            unit: Unit::Count,
            source: "中央组织部《流动党员活动证》有关规定",
            note: "集体外出、地点相对集中且有3名以上（≥）党员的，可建立临时党支部或党小组",
        },
        RuleParam {
            key: CERTIFICATE_MAX_MONTHS,
            default: ParamValue::Int(6),
            unit: Unit::Months,
            source: "中央组织部《流动党员活动证》有关规定",
            note: "短期外出（6个月以内）或长期外出但暂时无法转移组织关系的使用《流动党员活动证》；外出6个月以上且地点固定的，应转移正式组织关系",
        },
    ],
};

/// The day of the last contact: the latest contact, or the outbound date when there is none
/// (a contact dated before the outbound date does not count).
pub fn last_contact(
    outbound: NaiveDate,
    contacts: impl IntoIterator<Item = NaiveDate>,
) -> NaiveDate {
    contacts.into_iter().fold(outbound, NaiveDate::max)
}

/// The day on which `months` without contact after `last` are complete: from that day on the
/// member may be recorded as 失联.
pub fn lost_contact_due_date(last: NaiveDate, months: u32) -> Result<NaiveDate, CalendarError> {
    add_months(last, months)
}

/// Whether, on `today`, a member last contacted on `last` may be recorded as 失联.
pub fn is_lost_contact_due(last: NaiveDate, today: NaiveDate, months: u32) -> bool {
    lost_contact_due_date(last, months).is_ok_and(|due| today >= due)
}

/// The latest last-contact date that is due on `today`: `is_lost_contact_due(last, today, m)`
/// holds exactly for `last <= cutoff` (the due date grows with `last`), so a database can
/// select the due records with one comparison. `None` when no date is due (near the start
/// of the calendar).
pub fn lost_contact_cutoff(today: NaiveDate, months: u32) -> Option<NaiveDate> {
    // Start below the answer (months of at most 31 days) and walk up while still due.
    let mut c = today.checked_sub_days(chrono::Days::new(31 * u64::from(months) + 31))?;
    if !is_lost_contact_due(c, today, months) {
        return None;
    }
    while let Some(next) = c.succ_opt() {
        if is_lost_contact_due(next, today, months) {
            c = next;
        } else {
            break;
        }
    }
    Some(c)
}

/// Whether a planned absence from `outbound` to `until` is longer than the certificate is
/// meant for (`months`): then the membership should rather be transferred (a hint).
pub fn transfer_suggested(outbound: NaiveDate, until: Option<NaiveDate>, months: u32) -> bool {
    match (until, add_months(outbound, months)) {
        (Some(u), Ok(limit)) => u > limit,
        _ => false,
    }
}

/// A destination as people type it, reduced for comparison: full-width letters, digits and
/// punctuation folded to ASCII, ASCII lower-cased, whitespace and punctuation removed
/// (`广东省 深圳市（南山区）` and `广东省深圳市南山区` compare equal).
pub fn normalize_destination(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| !c.is_whitespace() && !is_punctuation(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '、' | '，'
                | '。'
                | '·'
                | '・'
                | '（'
                | '）'
                | '【'
                | '】'
                | '《'
                | '》'
                | '〈'
                | '〉'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '—'
                | '–'
                | '…'
                | '：'
                | '；'
                | '！'
                | '？'
        )
}

/// The grouping key of a destination: its division code at county level (the first six
/// digits; a 12-digit statistics code names a township or village inside it) when one is
/// given, otherwise the normalized text. Empty when neither says anything.
pub fn destination_key(text: &str, region_code: Option<&str>) -> String {
    let county = region_code
        .and_then(|c| c.trim().get(..6))
        .filter(|c| c.bytes().all(|b| b.is_ascii_digit()));
    match county {
        Some(code) => format!("region:{code}"),
        None => {
            let t = normalize_destination(text);
            if t.is_empty() {
                t
            } else {
                format!("text:{t}")
            }
        }
    }
}

/// A member away, as the suggestion needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Away {
    /// Outbound registration.
    pub record_id: i64,
    /// Member.
    pub member_id: i64,
    /// The org the member is away from (home org).
    pub org_id: i64,
    /// Destination as typed.
    pub destination: String,
    /// Division code of the destination, if given.
    pub region_code: Option<String>,
}

/// A group of members away from one org to one place, large enough for a temporary branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemporaryBranchSuggestion {
    /// Home org.
    pub org_id: i64,
    /// Grouping key ([`destination_key`]).
    pub key: String,
    /// The records of the group, in the order given.
    pub members: Vec<Away>,
}

/// Groups of at least `min` members away from the same org to the same destination
/// ([`destination_key`]); records without a usable destination are left out. Ordered by
/// org, then by size (largest first), then by key.
pub fn temporary_branch_suggestions(away: &[Away], min: usize) -> Vec<TemporaryBranchSuggestion> {
    let mut groups: BTreeMap<(i64, String), Vec<Away>> = BTreeMap::new();
    for a in away {
        let key = destination_key(&a.destination, a.region_code.as_deref());
        if key.is_empty() {
            continue;
        }
        groups.entry((a.org_id, key)).or_default().push(a.clone());
    }
    let mut out: Vec<TemporaryBranchSuggestion> = groups
        .into_iter()
        .filter(|(_, v)| v.len() >= min.max(1))
        .map(|((org_id, key), members)| TemporaryBranchSuggestion {
            org_id,
            key,
            members,
        })
        .collect();
    out.sort_by(|a, b| {
        (a.org_id, std::cmp::Reverse(a.members.len()), &a.key).cmp(&(
            b.org_id,
            std::cmp::Reverse(b.members.len()),
            &b.key,
        ))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Coded;
    use crate::rules::resolve;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn away(id: i64, org: i64, dest: &str, region: Option<&str>) -> Away {
        Away {
            record_id: id,
            member_id: id * 10,
            org_id: org,
            destination: dest.into(),
            region_code: region.map(str::to_string),
        }
    }

    #[test]
    fn parameters_resolve_with_their_sources() {
        for (key, v) in [
            (LOST_CONTACT_MONTHS, 6),
            (TEMPORARY_BRANCH_MIN, 3),
            (CERTIFICATE_MAX_MONTHS, 6),
        ] {
            let r = resolve(key, d(2004, 12, 31), &[]).unwrap();
            assert_eq!(r.value, ParamValue::Int(v), "{key}");
            assert!(
                r.source.contains('《') || r.source.contains("省级做法"),
                "{}",
                r.source
            );
        }
        assert_eq!(
            crate::rules::rule_set("floating.platform").map(|s| s.params.len()),
            Some(3)
        );
    }

    #[test]
    fn six_months_boundary() {
        let last = d(2024, 1, 15);
        assert_eq!(lost_contact_due_date(last, 6).unwrap(), d(2024, 7, 15));
        assert!(!is_lost_contact_due(last, d(2024, 7, 14), 6));
        assert!(
            is_lost_contact_due(last, d(2024, 7, 15), 6),
            "以上 includes the day"
        );
        assert!(is_lost_contact_due(last, d(2025, 1, 1), 6));
        // Month ends: 31 August + 6 months is the last day of February.
        assert_eq!(
            lost_contact_due_date(d(2023, 8, 31), 6).unwrap(),
            d(2024, 2, 29)
        );
        assert_eq!(
            lost_contact_due_date(d(2022, 8, 31), 6).unwrap(),
            d(2023, 2, 28)
        );
        assert!(!is_lost_contact_due(d(2023, 8, 31), d(2024, 2, 28), 6));
        assert!(is_lost_contact_due(d(2023, 8, 31), d(2024, 2, 29), 6));
    }

    #[test]
    fn last_contact_is_the_latest() {
        let out = d(2024, 3, 1);
        assert_eq!(last_contact(out, []), out);
        assert_eq!(
            last_contact(out, [d(2024, 5, 1), d(2024, 4, 1)]),
            d(2024, 5, 1)
        );
        assert_eq!(last_contact(out, [d(2024, 2, 1)]), out);
    }

    #[test]
    fn cutoff_examples() {
        assert_eq!(lost_contact_cutoff(d(2024, 7, 15), 6), Some(d(2024, 1, 15)));
        // 28 Feb 2023 is due from 31 Aug, 30 Aug and 29 Aug 2022 (month-end clamp).
        assert_eq!(lost_contact_cutoff(d(2023, 2, 28), 6), Some(d(2022, 8, 31)));
        assert_eq!(lost_contact_cutoff(d(2023, 2, 27), 6), Some(d(2022, 8, 27)));
        assert_eq!(lost_contact_cutoff(NaiveDate::MIN, 6), None);
    }

    #[test]
    fn certificate_or_transfer() {
        let out = d(2024, 3, 1);
        assert!(!transfer_suggested(out, None, 6));
        assert!(
            !transfer_suggested(out, Some(d(2024, 9, 1)), 6),
            "exactly 6 months"
        );
        assert!(transfer_suggested(out, Some(d(2024, 9, 2)), 6));
    }

    #[test]
    fn destinations_normalize() {
        assert_eq!(
            normalize_destination(" 广东省 深圳市（南山区） "),
            normalize_destination("广东省深圳市南山区")
        );
        assert_eq!(
            normalize_destination("ＳＨＥＮＺＨＥＮ　Ａ１"),
            "shenzhena1"
        );
        assert_eq!(normalize_destination("Shen-Zhen."), "shenzhen");
        assert_eq!(destination_key("  ", None), "");
        assert_eq!(
            destination_key("随便写", Some("440305")),
            destination_key("深圳", Some("440305001000"))
        );
        assert_ne!(
            destination_key("深圳", Some("440305")),
            destination_key("深圳", None)
        );
    }

    #[test]
    fn three_away_to_one_place_suggest_a_branch() {
        let recs = [
            away(1, 7, "广东省深圳市", None),
            away(2, 7, "广东省 深圳市", None),
            away(3, 7, "广东省深圳市。", None),
            away(4, 7, "浙江省义乌市", None),
            away(5, 8, "广东省深圳市", None),
            away(6, 8, "x", Some("440300")),
            away(7, 8, "y", Some("440300")),
        ];
        let s = temporary_branch_suggestions(&recs, 3);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].org_id, 7);
        assert_eq!(s[0].key, "text:广东省深圳市");
        assert_eq!(
            s[0].members.iter().map(|a| a.record_id).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
        // Two are not enough; the threshold is inclusive.
        assert!(temporary_branch_suggestions(&recs[..2], 3).is_empty());
        assert_eq!(temporary_branch_suggestions(&recs, 2).len(), 2);
    }

    #[test]
    fn codes_are_stable() {
        assert_eq!(LostCause::from_code("abroad"), Some(LostCause::Abroad));
        assert_eq!(LostCause::parse("其他"), Some(LostCause::Other));
        assert_eq!(ContactWay::ALL.len(), 4);
        assert_eq!(FloatingStatus::Away.code(), "away");
    }

    fn date_strategy() -> impl Strategy<Value = NaiveDate> {
        (0i64..20_000).prop_map(|n| d(1970, 1, 1) + chrono::Days::new(n as u64))
    }

    proptest! {
        #[test]
        fn cutoff_agrees_with_the_rule(today in date_strategy(), back in 0u64..600, months in 0u32..25) {
            let last = today.checked_sub_days(chrono::Days::new(back)).unwrap();
            let cutoff = lost_contact_cutoff(today, months).unwrap();
            prop_assert_eq!(is_lost_contact_due(last, today, months), last <= cutoff);
        }

        #[test]
        fn due_exactly_from_the_due_date(last in date_strategy(), months in 0u32..25) {
            let due = lost_contact_due_date(last, months).unwrap();
            prop_assert!(is_lost_contact_due(last, due, months));
            prop_assert!(!is_lost_contact_due(last, due.pred_opt().unwrap(), months));
            prop_assert!(due >= last);
        }

        #[test]
        fn contact_postpones_the_due_date(out in date_strategy(), gaps in proptest::collection::vec(0u64..400, 0..6)) {
            let contacts: Vec<NaiveDate> = gaps.iter().map(|g| out + chrono::Days::new(*g)).collect();
            let last = last_contact(out, contacts.iter().copied());
            prop_assert!(last >= out);
            prop_assert!(contacts.iter().all(|c| *c <= last));
            prop_assert!(lost_contact_due_date(last, 6).unwrap() >= lost_contact_due_date(out, 6).unwrap());
        }

        #[test]
        fn normalization_is_idempotent(s in "[ 　a-zA-Zａ-ｚ０-９深圳南山区（）、，。.\\-]{0,20}") {
            let n = normalize_destination(&s);
            prop_assert_eq!(normalize_destination(&n), n.clone());
            prop_assert!(!n.chars().any(char::is_whitespace));
        }

        #[test]
        fn suggestions_are_exactly_the_large_groups(
            recs in proptest::collection::vec((1i64..4, 0usize..4, proptest::bool::ANY), 0..30),
            min in 1usize..5,
        ) {
            let places = ["深圳", "深 圳", "义乌", "东莞"];
            let away: Vec<Away> = recs
                .iter()
                .enumerate()
                .map(|(i, (org, p, coded))| Away {
                    record_id: i as i64,
                    member_id: i as i64,
                    org_id: *org,
                    destination: places[*p].to_string(),
                    region_code: coded.then(|| "441900".to_string()),
                })
                .collect();
            let s = temporary_branch_suggestions(&away, min);
            let mut seen = std::collections::BTreeSet::new();
            for g in &s {
                prop_assert!(g.members.len() >= min);
                for a in &g.members {
                    prop_assert_eq!(a.org_id, g.org_id);
                    prop_assert_eq!(&destination_key(&a.destination, a.region_code.as_deref()), &g.key);
                    prop_assert!(seen.insert(a.record_id), "a record in two groups");
                }
            }
            // Every group large enough is suggested.
            let mut counts: BTreeMap<(i64, String), usize> = BTreeMap::new();
            for a in &away {
                *counts.entry((a.org_id, destination_key(&a.destination, a.region_code.as_deref()))).or_default() += 1;
            }
            let expected = counts.values().filter(|n| **n >= min).count();
            prop_assert_eq!(s.len(), expected);
        }
    }
}
