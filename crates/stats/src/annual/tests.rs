use std::collections::HashMap;

use chrono::NaiveDate;
use jiceng_domain::age::age_on;
use jiceng_domain::member::{state_at, EventLite, MemberEventKind as K, Occupation};
use jiceng_domain::org::{CommitteeRole, Field};
use proptest::prelude::*;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn ev(date: NaiveDate, kind: K, org: Option<i64>) -> EventLite {
    EventLite {
        date,
        kind,
        org,
        probationary: false,
    }
}

/// 1 county (organ) → 2 township (rural) → 3 village (rural); 1 → 4 street (community) →
/// 5 community (community); 1 → 6 school. Org 7 is outside the subtree.
fn orgs() -> HashMap<i64, OrgInfo> {
    let o = |f: Field, parent: u32, anc: u32| OrgInfo {
        field: bit(f),
        parent_field: parent,
        ancestor_fields: anc | bit(f),
        founded: d(1949, 1, 1),
        dissolved: None,
    };
    let organ = bit(Field::Organ);
    let rural = bit(Field::Rural);
    let comm = bit(Field::Community);
    HashMap::from([
        (1, o(Field::Organ, 0, 0)),
        (2, o(Field::Rural, organ, organ)),
        (3, o(Field::Rural, rural, organ | rural)),
        (4, o(Field::Community, organ, organ)),
        (5, o(Field::Community, comm, organ | comm)),
        (6, o(Field::School, organ, organ)),
    ])
}

fn person(id: i64, birth: NaiveDate, occ: Occupation) -> Person {
    Person {
        id,
        female: id % 2 == 0,
        minority: id % 5 == 0,
        birth,
        education: bit(jiceng_domain::member::Education::Bachelor),
        occupation: bit(occ),
        village_post: 0,
        join_date: Some(d(2000, 1, 1)),
    }
}

fn builder(year: i32) -> Builder {
    Builder::new(
        ReportDef::for_year(year).unwrap(),
        year,
        1,
        "县委".into(),
        orgs(),
    )
    .unwrap()
}

fn table<'a>(r: &'a AnnualReport, code: &str) -> &'a TableOut {
    r.tables.iter().find(|t| t.code == code).unwrap()
}

fn cell(r: &AnnualReport, code: &str, row: &str, col: &str) -> i64 {
    let t = table(r, code);
    let ri = t.rows.iter().position(|x| x.key == row).unwrap();
    let ci = t.cols.iter().position(|x| x.key == col).unwrap();
    t.cells[ri][ci]
}

#[test]
fn embedded_definitions_compile() {
    let defs = ReportDef::embedded().unwrap();
    assert!(!defs.is_empty());
    let def = ReportDef::for_year(2024).unwrap();
    for code in [
        "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T10", "T15", "T16",
    ] {
        assert!(
            def.tables
                .iter()
                .any(|t| t.code == code && t.kind != TableKind::NotCollected),
            "{code}"
        );
    }
    // Tables whose data is not collected say why instead of printing zeros.
    for t in def
        .tables
        .iter()
        .filter(|t| t.kind == TableKind::NotCollected)
    {
        assert!(
            t.reason.as_deref().is_some_and(|r| !r.is_empty()),
            "{}",
            t.code
        );
    }
}

#[test]
fn bad_definitions_are_refused() {
    let base = ReportDef::for_year(2024).unwrap();
    let mut bad = base.clone();
    bad.tables[1].cols[1].when = Filter::Occupation(vec!["astronaut".into()]);
    let json = serde_json::to_string(&bad).unwrap();
    assert!(matches!(
        ReportDef::parse(&json),
        Err(DefError::UnknownCode {
            table: "occupation",
            ..
        })
    ));
    let mut bad = base.clone();
    bad.checks.push(CheckDef::CellEq {
        a: "T2/1/Z".into(),
        b: "T1/16/A".into(),
    });
    let json = serde_json::to_string(&bad).unwrap();
    assert!(matches!(
        ReportDef::parse(&json),
        Err(DefError::UnknownCell(_))
    ));
    assert!(matches!(ReportDef::parse("{"), Err(DefError::Format(_))));
}

#[test]
fn a_year_of_events_reconciles_and_fills_the_tables() {
    let mut b = builder(2024).drill("T1/13/A").unwrap();
    // 1: full member in the village all year, secretary and village director (一肩挑).
    let mut p1 = person(1, d(1960, 6, 1), Occupation::Farmer);
    p1.village_post = bit(jiceng_domain::member::VillagePost::SecretaryDirector);
    b.add_member(
        &p1,
        &[
            ev(d(1990, 3, 1), K::Joined, Some(3)),
            ev(d(1991, 3, 1), K::Converted, None),
        ],
        &[SeatSpan {
            role: CommitteeRole::Secretary,
            from: d(2021, 1, 1),
            until: None,
        }],
    );
    // 2: admitted in 2024 in the school (a student, aged 20 at year end).
    b.add_member(
        &person(2, d(2004, 5, 5), Occupation::Student),
        &[ev(d(2024, 6, 1), K::Joined, Some(6))],
        &[],
    );
    // 3: moved out of the subtree in 2024 (transfer out).
    b.add_member(
        &person(3, d(1980, 1, 1), Occupation::Worker),
        &[
            ev(d(2000, 1, 1), K::Joined, Some(5)),
            ev(d(2024, 2, 1), K::Moved, Some(7)),
        ],
        &[],
    );
    // 4: died in 2024.
    b.add_member(
        &person(4, d(1930, 1, 1), Occupation::Retired),
        &[
            ev(d(1948, 1, 1), K::Joined, Some(2)),
            ev(d(2024, 8, 1), K::Died, None),
        ],
        &[],
    );
    // 5: expelled in 2023 (before the year): counted nowhere.
    b.add_member(
        &person(5, d(1970, 1, 1), Occupation::Manager),
        &[
            ev(d(1995, 1, 1), K::Joined, Some(4)),
            ev(d(2023, 5, 1), K::Expelled, None),
        ],
        &[],
    );
    // 6: transferred in from another system in 2024, probationary.
    let mut e = ev(d(2024, 9, 1), K::TransferredIn, Some(4));
    e.probationary = true;
    let mut p6 = person(6, d(1999, 1, 1), Occupation::Professional);
    p6.join_date = None;
    b.add_member(&p6, &[e], &[]);
    let (r, drilled) = b.finish();

    assert_eq!(cell(&r, "T1", "1", "A"), 3); // 1, 3, 4
    assert_eq!(cell(&r, "T1", "3", "A"), 1);
    assert_eq!(cell(&r, "T1", "7", "A"), 1);
    assert_eq!(cell(&r, "T1", "2", "A"), 2);
    assert_eq!(cell(&r, "T1", "12", "A"), 1);
    assert_eq!(cell(&r, "T1", "13", "A"), 1);
    assert_eq!(cell(&r, "T1", "9", "A"), 2);
    assert_eq!(cell(&r, "T1", "15", "A"), 3);
    assert_eq!(cell(&r, "T1", "16", "A"), 3); // 1, 2, 6
    assert_eq!(cell(&r, "T1", "17", "A"), 0);
    assert_eq!(table(&r, "T1").derived_rows, ["2", "9", "15"]);
    assert!(table(&r, "T2").derived_rows.is_empty());
    assert_eq!(drilled.len(), 1);
    assert_eq!(drilled[0].member_id, 3);
    assert_eq!(drilled[0].event, Some(K::Moved));

    assert_eq!(cell(&r, "T2", "1", "A"), 3);
    assert_eq!(cell(&r, "T2", "1", "B"), 2); // 2 and 6 are probationary
    assert_eq!(cell(&r, "T2", "3", "A"), 1); // the farmer
    assert_eq!(cell(&r, "T2", "7", "F"), 1); // student aged ≤30
    assert_eq!(cell(&r, "T2", "3", "M"), 1); // farmer aged 64
    assert_eq!(cell(&r, "T3", "3", "H"), 1); // joined 1990
    assert_eq!(cell(&r, "T3", "1", "J"), 1); // 2024
    assert_eq!(cell(&r, "T3", "1", "A"), 3);
    // 6 has no date of joining: in A only, and on the list that explains it.
    let t3_2 = r.lists.iter().find(|l| l.code == "T3-2").unwrap();
    assert_eq!(
        t3_2.hits.iter().map(|h| h.member_id).collect::<Vec<_>>(),
        vec![6]
    );
    let failing: Vec<&str> = r
        .checks
        .iter()
        .filter(|c| !c.ok)
        .map(|c| c.rule.as_str())
        .collect();
    assert_eq!(
        failing,
        vec![
            "T3：A = B + C + D + E + F + G + H + I + J（每一行）",
            "T6：第1行 = 第8、9、10、11、12、13、14、15、16行之和（每一列）"
        ]
    );

    // T5: the village secretary who is also director.
    for col in ["A", "B", "C", "D", "E", "F", "G", "H", "I"] {
        assert_eq!(cell(&r, "T5", "1", col), 1, "T5 {col}");
    }
    assert_eq!(cell(&r, "T5", "7", "A"), 1); // 60 or older
                                             // T6: 6 in the street committee (not a community below it).
    assert_eq!(cell(&r, "T6", "1", "A"), 1);
    assert_eq!(cell(&r, "T6", "1", "B"), 0);
    // Flows.
    assert_eq!(cell(&r, "T16", "1", "A"), 1);
    assert_eq!(cell(&r, "T16", "7", "D"), 1); // student aged ≤25
    assert_eq!(cell(&r, "T7", "1", "A"), 1);
    assert_eq!(cell(&r, "T7", "1", "D"), 1);
    assert_eq!(cell(&r, "T10", "1", "A"), 0);
}

#[test]
fn a_dissolved_org_leaves_an_unexplained_difference() {
    let mut o = orgs();
    if let Some(x) = o.get_mut(&5) {
        x.dissolved = Some(d(2024, 3, 1));
    }
    let mut b = Builder::new(
        ReportDef::for_year(2024).unwrap(),
        2024,
        1,
        "县委".into(),
        o,
    )
    .unwrap()
    .drill("T1/17/A")
    .unwrap();
    b.add_member(
        &person(9, d(1980, 1, 1), Occupation::Worker),
        &[ev(d(2000, 1, 1), K::Joined, Some(5))],
        &[],
    );
    let (r, drilled) = b.finish();
    assert_eq!(cell(&r, "T1", "1", "A"), 1);
    assert_eq!(cell(&r, "T1", "15", "A"), 1);
    assert_eq!(cell(&r, "T1", "16", "A"), 0);
    assert_eq!(cell(&r, "T1", "17", "A"), -1);
    assert_eq!(
        drilled.iter().map(|h| h.member_id).collect::<Vec<_>>(),
        vec![9]
    );
    assert!(r
        .checks
        .iter()
        .any(|c| c.rule == "T1/16/A = T1/15/A" && !c.ok));
}

#[test]
fn members_moved_out_on_the_dissolution_day_are_no_difference() {
    let mut o = orgs();
    if let Some(x) = o.get_mut(&5) {
        x.dissolved = Some(d(2024, 3, 1));
    }
    let mut b = Builder::new(
        ReportDef::for_year(2024).unwrap(),
        2024,
        1,
        "县委".into(),
        o,
    )
    .unwrap();
    b.add_member(
        &person(9, d(1980, 1, 1), Occupation::Worker),
        &[
            ev(d(2000, 1, 1), K::Joined, Some(5)),
            ev(d(2024, 3, 1), K::Moved, Some(4)),
        ],
        &[],
    );
    let (r, _) = b.finish();
    assert_eq!(cell(&r, "T1", "7", "A"), 0);
    assert_eq!(cell(&r, "T1", "13", "A"), 0);
    assert_eq!(cell(&r, "T1", "16", "A"), 1);
    assert_eq!(cell(&r, "T1", "17", "A"), 0);
}

#[test]
fn rejoining_and_restoring_are_told_apart() {
    let mut b = builder(2024);
    b.add_member(
        &person(1, d(1980, 1, 1), Occupation::Worker),
        &[
            ev(d(2000, 1, 1), K::Joined, Some(3)),
            ev(d(2010, 1, 1), K::Withdrew, None),
            ev(d(2024, 5, 1), K::Joined, Some(3)),
        ],
        &[],
    );
    b.add_member(
        &person(2, d(1980, 1, 1), Occupation::Worker),
        &[
            ev(d(2000, 1, 1), K::Joined, Some(3)),
            ev(d(2024, 1, 5), K::Suspended, None),
            ev(d(2024, 7, 5), K::Restored, None),
        ],
        &[],
    );
    let (r, _) = b.finish();
    assert_eq!(cell(&r, "T1", "3", "A"), 1);
    assert_eq!(cell(&r, "T1", "4", "A"), 1);
    assert_eq!(cell(&r, "T1", "5", "A"), 1);
    assert_eq!(cell(&r, "T1", "11", "A"), 1);
    assert_eq!(cell(&r, "T1", "17", "A"), 0);
    let suspended = r.lists.iter().find(|l| l.code == "T1-2").unwrap();
    assert_eq!(suspended.hits.len(), 1);
}

/// Random histories over the org ids 1–7 (7 outside the subtree).
fn history() -> impl Strategy<Value = Vec<EventLite>> {
    let kinds = prop::sample::select(vec![
        K::Joined,
        K::Converted,
        K::TransferredIn,
        K::TransferredOut,
        K::Moved,
        K::Suspended,
        K::Restored,
        K::Expelled,
        K::Died,
        K::ProbationCancelled,
    ]);
    prop::collection::vec((0i64..3000, kinds, 1i64..8), 0..8).prop_map(|mut v| {
        v.sort_by_key(|x| x.0);
        let mut st = None;
        let mut out = Vec::new();
        for (day, kind, org) in v {
            let e = ev(
                d(2022, 1, 1) + chrono::Days::new(day as u64),
                kind,
                Some(org),
            );
            if jiceng_domain::member::check_transition(st.as_ref(), kind).is_ok() {
                st = jiceng_domain::member::apply(st, &e);
                out.push(e);
            }
        }
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn reconciliation_and_drill_agree_with_the_fold(
        people in prop::collection::vec((history(), 1930i32..2008), 1..30),
        year in 2022i32..2030,
        cell_pick in 0usize..1000,
    ) {
        let def = ReportDef::for_year(year).unwrap();
        // A cell to drill into, chosen among the computed tables.
        let cells: Vec<String> = def.tables.iter().filter(|t| t.kind != TableKind::NotCollected)
            .flat_map(|t| t.rows.iter().flat_map(move |r| t.cols.iter().map(move |c| format!("{}/{}/{}", t.code, r.key, c.key))))
            .collect();
        let pick = cells[cell_pick % cells.len()].clone();
        let mut b = builder(year).drill(&pick).unwrap();
        let end = d(year, 12, 31);
        let prev = d(year - 1, 12, 31);
        let orgs = orgs();
        let counted = |evs: &[EventLite], at| state_at(evs, Some(at))
            .filter(|s| !s.suspended && orgs.contains_key(&s.org))
            .is_some();
        let (mut on_prev, mut on_end, mut students) = (0i64, 0i64, 0i64);
        let female = Filter::Female.compile().unwrap();
        let mut drilled_female = 0i64;
        for (i, (evs, by)) in people.iter().enumerate() {
            let p = person(i as i64 + 1, d(*by, 3, 1), if i % 3 == 0 { Occupation::Student } else { Occupation::Farmer });
            on_prev += i64::from(counted(evs, prev));
            if counted(evs, end) {
                on_end += 1;
                if i % 3 == 0 && age_on(p.birth, end) >= 55 {
                    students += 1;
                }
            }
            drilled_female += i64::from(stock_match(&p, evs, &[], &orgs, end, &female).is_some());
            b.add_member(&p, evs, &[]);
        }
        let (r, drilled) = b.finish();
        prop_assert_eq!(cell(&r, "T1", "1", "A"), on_prev);
        prop_assert_eq!(cell(&r, "T1", "16", "A"), on_end);
        // Orgs never die here, so every change is explained by an event.
        prop_assert_eq!(cell(&r, "T1", "17", "A"), 0);
        prop_assert_eq!(cell(&r, "T2", "1", "A"), on_end);
        // The dashboard's drill-down selects the same people as the report's cell.
        prop_assert_eq!(cell(&r, "T2", "1", "C"), drilled_female);
        let mut parts = pick.split('/');
        let (t, row, col) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
        let v = cell(&r, t, row, col);
        if t == "T1" && ["2", "9", "15", "17"].contains(&row) {
            // Derived rows: the drill lists the members behind the counted rows only.
        } else {
            prop_assert_eq!(drilled.len() as i64, v, "{}", pick);
        }
        let old_students = r.lists.iter().find(|l| l.code == "T2-1").unwrap();
        prop_assert_eq!(old_students.hits.len() as i64, students);
        for c in &r.checks {
            prop_assert!(c.ok, "{} {:?}", c.rule, c.failures);
        }
    }
}

/// What the 年报 screen and its Excel cover show (name, source, table and row titles, notes)
/// cites official documents only: no working-file names, section marks or review notes.
#[test]
fn definitions_show_users_official_citations_only() {
    for text in super::DEFINITIONS {
        for bad in [
            "STATS-TABLES",
            "SPEC",
            "§",
            "待核",
            "RULES-SOURCES",
            ".md",
            "[S",
        ] {
            assert!(!text.contains(bad), "{bad} in an annual report definition");
        }
    }
    let def = ReportDef::for_year(2024).unwrap();
    assert!(def.source.contains("中共中央组织部"), "{}", def.source);
}
