//! A member's event history as roster intervals.
//!
//! The roster at a date is defined by [`jiceng_domain::member::state_at`]; this module
//! does not re-implement it. It evaluates `state_at` once per distinct event date (the
//! state can only change on those dates) and turns the runs of equal standing into
//! intervals, so the engine's answer at any date is the fold's answer by construction,
//! and a property test checks it for random histories and dates.

use chrono::NaiveDate;
use jiceng_domain::member::{state_at, EventLite, MemberEventKind};

/// A stretch of time during which a member counts on the roster of one org.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Org holding the membership.
    pub org: i64,
    /// First day on the roster (inclusive).
    pub from: NaiveDate,
    /// First day off it (exclusive); `None` while it lasts.
    pub to: Option<NaiveDate>,
    /// From this day on the member is full; before it (within the span) probationary.
    /// `None`: probationary throughout. A value at or before `from`: full throughout.
    pub full_from: Option<NaiveDate>,
    /// The member's first `Joined` event is on or before `from`, so that date is the join
    /// date the report uses (otherwise the member record's join date is).
    pub joined_before: bool,
}

impl Span {
    /// Whether the span covers `d`.
    pub fn covers(&self, d: NaiveDate) -> bool {
        self.from <= d && self.to.is_none_or(|t| d < t)
    }
    /// Probationary on `d` (meaningful when the span covers `d`).
    pub fn probationary_on(&self, d: NaiveDate) -> bool {
        self.full_from.is_none_or(|f| d < f)
    }
}

/// Date of the member's first `Joined` event: the join date the report uses once that
/// event is on or before the as-of date.
pub fn first_joined(events: &[EventLite]) -> Option<NaiveDate> {
    events
        .iter()
        .find(|e| e.kind == MemberEventKind::Joined)
        .map(|e| e.date)
}

/// The spans of a history; see [`member_spans_into`].
pub fn member_spans(events: &[EventLite]) -> Vec<Span> {
    let mut out = Vec::new();
    member_spans_into(events, &mut out);
    out
}

/// Writes into `out` (cleared first) the spans during which `state_at(events, Some(d))`
/// is on the roster and not suspended, in time order, without overlaps. `events` must be
/// sorted by date, then by recording order, as `state_at` expects.
///
/// A span is cut where the org changes, where a new membership starts, where the member
/// goes from full back to probationary (a new `Joined`), or where the first `Joined`
/// date comes into force; conversion alone does not cut it (it moves `full_from`). Cost:
/// one `state_at` per distinct date, quadratic in the (small) number of events.
pub fn member_spans_into(events: &[EventLite], out: &mut Vec<Span>) {
    out.clear();
    let first_join = first_joined(events);
    let mut i = 0;
    while i < events.len() {
        let date = events[i].date;
        let mut j = i;
        while j < events.len() && events[j].date == date {
            j += 1;
        }
        let next = events.get(j).map(|e| e.date);
        i = j;
        let Some(st) = state_at(&events[..j], None).filter(|s| !s.suspended) else {
            continue;
        };
        let joined_before = first_join.is_some_and(|f| f <= date);
        if let Some(last) = out.last_mut() {
            let adjacent =
                last.to == Some(date) && last.org == st.org && last.joined_before == joined_before;
            if adjacent {
                match (last.full_from, st.probationary) {
                    (None, true) | (Some(_), false) => {
                        last.to = next;
                        continue;
                    }
                    (None, false) => {
                        last.full_from = Some(date);
                        last.to = next;
                        continue;
                    }
                    (Some(_), true) => {}
                }
            }
        }
        out.push(Span {
            org: st.org,
            from: date,
            to: next,
            full_from: if st.probationary { None } else { Some(date) },
            joined_before,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiceng_domain::codes::Coded;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn ev(date: NaiveDate, kind: MemberEventKind, org: Option<i64>) -> EventLite {
        EventLite {
            date,
            kind,
            org,
            probationary: false,
        }
    }

    #[test]
    fn conversion_and_move() {
        use MemberEventKind as K;
        let evs = vec![
            ev(d(2000, 7, 1), K::Joined, Some(1)),
            ev(d(2001, 7, 1), K::Converted, None),
            ev(d(2003, 3, 1), K::Moved, Some(2)),
            ev(d(2004, 5, 1), K::Suspended, None),
            ev(d(2005, 5, 1), K::Restored, None),
            ev(d(2006, 1, 1), K::Died, None),
        ];
        let s = member_spans(&evs);
        assert_eq!(
            s,
            vec![
                Span {
                    org: 1,
                    from: d(2000, 7, 1),
                    to: Some(d(2003, 3, 1)),
                    full_from: Some(d(2001, 7, 1)),
                    joined_before: true
                },
                Span {
                    org: 2,
                    from: d(2003, 3, 1),
                    to: Some(d(2004, 5, 1)),
                    full_from: Some(d(2003, 3, 1)),
                    joined_before: true
                },
                Span {
                    org: 2,
                    from: d(2005, 5, 1),
                    to: Some(d(2006, 1, 1)),
                    full_from: Some(d(2005, 5, 1)),
                    joined_before: true
                },
            ]
        );
        // Conversion on the date: full that day; the day before, probationary.
        assert!(!s[0].probationary_on(d(2001, 7, 1)));
        assert!(s[0].probationary_on(d(2001, 6, 30)));
        // The interval ends on the move date: that day the member is in org 2.
        assert!(!s[0].covers(d(2003, 3, 1)) && s[1].covers(d(2003, 3, 1)));
    }

    #[test]
    fn same_day_events_fold_together() {
        use MemberEventKind as K;
        // Joined and left on the same day: never on the roster at any date.
        let evs = vec![
            ev(d(2000, 1, 1), K::Joined, Some(1)),
            ev(d(2000, 1, 1), K::TransferredOut, None),
        ];
        assert!(member_spans(&evs).is_empty());
    }

    fn arb_history() -> impl Strategy<Value = Vec<EventLite>> {
        let one = (
            0u32..40,
            0usize..MemberEventKind::ALL.len(),
            proptest::option::weighted(0.9, 1i64..4),
            any::<bool>(),
        );
        proptest::collection::vec(one, 0..14).prop_map(|raw| {
            // Bias towards the kinds that shape the roster, keep dates sorted, allow ties.
            let mut date = d(1990, 1, 1);
            raw.into_iter()
                .map(|(gap, k, org, prob)| {
                    date = date + chrono::Days::new(u64::from(gap / 4) * 200 + u64::from(gap % 4));
                    let kind = match k % 5 {
                        0 => MemberEventKind::Joined,
                        1 => MemberEventKind::Converted,
                        2 => MemberEventKind::ALL[k],
                        3 => [
                            MemberEventKind::Moved,
                            MemberEventKind::TransferredIn,
                            MemberEventKind::Suspended,
                            MemberEventKind::Restored,
                        ][k % 4],
                        _ => MemberEventKind::ALL[(k * 7) % MemberEventKind::ALL.len()],
                    };
                    EventLite {
                        date,
                        kind,
                        org,
                        probationary: prob,
                    }
                })
                .collect()
        })
    }

    proptest! {
        /// The span covering any date tells exactly what `state_at` tells: on the roster and
        /// not suspended, in which org, probationary or not, and whether the first `Joined`
        /// is already in the past (the join date the SQL path picks).
        #[test]
        fn spans_agree_with_state_at(evs in arb_history(), probes in proptest::collection::vec(0u32..9000, 1..12)) {
            let spans = member_spans(&evs);
            for w in spans.windows(2) {
                prop_assert!(w[0].to.is_some_and(|t| t <= w[1].from), "sorted, disjoint: {:?}", spans);
            }
            for p in probes {
                let day = d(1989, 12, 1) + chrono::Days::new(u64::from(p));
                let want = state_at(&evs, Some(day)).filter(|s| !s.suspended);
                let covering: Vec<&Span> = spans.iter().filter(|s| s.covers(day)).collect();
                prop_assert!(covering.len() <= 1);
                match (want, covering.first()) {
                    (None, None) => {}
                    (Some(st), Some(s)) => {
                        prop_assert_eq!(st.org, s.org);
                        prop_assert_eq!(st.probationary, s.probationary_on(day), "{:?} on {}", spans, day);
                        let joined = evs.iter().take_while(|e| e.date <= day).any(|e| e.kind == MemberEventKind::Joined);
                        prop_assert_eq!(joined, s.joined_before);
                    }
                    (w, c) => prop_assert!(false, "state {:?} but span {:?} on {} for {:?}", w, c, day, evs),
                }
            }
        }
    }
}
