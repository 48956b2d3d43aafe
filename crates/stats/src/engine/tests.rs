//! The engine against the report's definition: a direct fold of `state_at` over every
//! member into [`summary::compute`], on hand-made boundary cases and random trees and
//! histories (including dates outside the compact range, writes, compaction and moves).

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate};
use jiceng_domain::codes::Coded;
use jiceng_domain::member::{
    state_at, Education, EventLite, Gender, MemberEventKind as K, Occupation, VillagePost,
};
use jiceng_domain::org::{Field, OrgKind, SetupMode};
use proptest::prelude::*;

use super::*;
use crate::summary::{self, MemberSnap, OrgSnap};

fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).unwrap()
}

/// A member as the test data keeps it.
#[derive(Debug, Clone)]
struct Person {
    id: i64,
    attrs: Option<MemberAttrs>,
    events: Vec<EventLite>,
}

/// The definition: orgs of the subtree alive on the date, members on the roster in them
/// (not suspended), folded by `state_at`, join date as the SQL snapshot takes it.
fn reference(orgs: &[OrgRow], people: &[Person], root: i64, as_of: NaiveDate) -> Summary {
    let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
    for o in orgs {
        if let Some(p) = o.parent_id {
            children.entry(p).or_default().push(o.id);
        }
    }
    let mut sub: HashSet<i64> = HashSet::new();
    let mut todo = vec![root];
    while let Some(x) = todo.pop() {
        sub.insert(x);
        todo.extend(children.get(&x).into_iter().flatten());
    }
    let alive: Vec<&OrgRow> = orgs
        .iter()
        .filter(|o| sub.contains(&o.id))
        .filter(|o| o.founded <= as_of && o.dissolved.is_none_or(|x| x > as_of))
        .collect();
    let alive_ids: HashSet<i64> = alive.iter().map(|o| o.id).collect();
    let snaps: Vec<OrgSnap> = alive
        .iter()
        .map(|o| OrgSnap {
            id: o.id,
            kind: o.kind,
            field: o.field,
            setup_mode: o.setup_mode,
        })
        .collect();
    let mut members = Vec::new();
    for p in people {
        let Some(a) = &p.attrs else { continue };
        let Some(st) = state_at(&p.events, Some(as_of)) else {
            continue;
        };
        if st.suspended || !alive_ids.contains(&st.org) {
            continue;
        }
        members.push(MemberSnap {
            org_id: st.org,
            probationary: st.probationary,
            gender: a.gender,
            birth: a.birth,
            ethnicity: if a.minority { "02" } else { "01" }.to_string(),
            education: a.education,
            occupation: a.occupation,
            village_post: a.village_post,
            join_date: p
                .events
                .iter()
                .take_while(|e| e.date <= as_of)
                .find(|e| e.kind == K::Joined)
                .map(|e| e.date)
                .or(a.join_date),
        });
    }
    summary::compute(as_of, root, "x", &snaps, &members)
}

fn build(orgs: &[OrgRow], people: &[Person]) -> Engine {
    let mut l = Loader::new(orgs.iter().cloned()).unwrap();
    for p in people {
        l.add_member(p.id, p.attrs.as_ref(), &p.events).unwrap();
    }
    l.finish().unwrap()
}

fn json(s: &Summary) -> serde_json::Value {
    serde_json::to_value(s).unwrap()
}

fn assert_same(e: &Engine, orgs: &[OrgRow], people: &[Person], root: i64, as_of: NaiveDate) {
    let got = e.summary(root, "x", as_of).unwrap();
    let want = reference(orgs, people, root, as_of);
    assert_eq!(json(&got), json(&want), "org {root} on {as_of}");
}

fn org(id: i64, parent: Option<i64>, kind: OrgKind, field: Field) -> OrgRow {
    OrgRow {
        id,
        parent_id: parent,
        kind,
        field,
        setup_mode: SetupMode::Standalone,
        founded: d(1990, 1, 1),
        dissolved: None,
    }
}

fn attrs(gender: Gender, birth: NaiveDate) -> MemberAttrs {
    MemberAttrs {
        gender,
        birth,
        minority: false,
        education: Education::Bachelor,
        occupation: Occupation::Worker,
        village_post: None,
        join_date: None,
    }
}

fn ev(date: NaiveDate, kind: K, org: Option<i64>) -> EventLite {
    EventLite {
        date,
        kind,
        org,
        probationary: false,
    }
}

#[test]
fn boundary_cases() {
    let orgs = vec![
        org(1, None, OrgKind::Committee, Field::Organ),
        org(2, Some(1), OrgKind::Branch, Field::Rural),
        OrgRow {
            dissolved: Some(d(2010, 6, 30)),
            ..org(3, Some(1), OrgKind::Branch, Field::Community)
        },
    ];
    let asof = d(2010, 6, 30);
    let people = vec![
        // Turns 31 on the as-of date: band 31–35, not ≤30.
        Person {
            id: 1,
            attrs: Some(attrs(Gender::Female, d(1979, 6, 30))),
            events: vec![
                ev(d(2005, 1, 1), K::Joined, Some(2)),
                ev(d(2006, 1, 1), K::Converted, None),
            ],
        },
        // Converted on the as-of date: full.
        Person {
            id: 2,
            attrs: Some(attrs(Gender::Male, d(1970, 1, 1))),
            events: vec![
                ev(d(2009, 6, 30), K::Joined, Some(2)),
                ev(asof, K::Converted, None),
            ],
        },
        // Still probationary the day before conversion.
        Person {
            id: 3,
            attrs: Some(attrs(Gender::Male, d(1970, 1, 1))),
            events: vec![
                ev(d(2009, 7, 1), K::Joined, Some(2)),
                ev(d(2010, 7, 1), K::Converted, None),
            ],
        },
        // Interval ending on the date (transferred out that day): not counted.
        Person {
            id: 4,
            attrs: Some(attrs(Gender::Male, d(1960, 1, 1))),
            events: vec![
                ev(d(2000, 1, 1), K::Joined, Some(2)),
                ev(asof, K::TransferredOut, None),
            ],
        },
        // In the org dissolved on the date: not counted, nor is the org.
        Person {
            id: 5,
            attrs: Some(attrs(Gender::Female, d(1950, 1, 1))),
            events: vec![ev(d(2000, 1, 1), K::Joined, Some(3))],
        },
        // Suspended on the date.
        Person {
            id: 6,
            attrs: Some(attrs(Gender::Male, d(1950, 1, 1))),
            events: vec![
                ev(d(2000, 1, 1), K::Joined, Some(2)),
                ev(d(2010, 1, 1), K::Suspended, None),
            ],
        },
        // Born before 1900 (a side-store row).
        Person {
            id: 7,
            attrs: Some(attrs(Gender::Male, d(1899, 12, 31))),
            events: vec![ev(d(1930, 1, 1), K::TransferredIn, Some(2))],
        },
    ];
    let e = build(&orgs, &people);
    assert_eq!(e.side.len(), 1, "the pre-1900 birth is kept exactly");
    let s = e.summary(1, "x", asof).unwrap();
    assert_eq!(s.members.total, 4, "{s:?}");
    assert_eq!(s.members.probationary, 1);
    assert_eq!(s.members.female, 1);
    assert_eq!(s.members.age_bands[0].1.count, 0);
    assert_eq!(s.members.age_bands[1].1.count, 1);
    assert_eq!(s.orgs.branches, 1);
    assert!(!s.orgs.by_field.contains_key("community"));
    for day in [
        asof,
        asof.pred_opt().unwrap(),
        asof.succ_opt().unwrap(),
        d(1929, 12, 31),
        d(1930, 1, 1),
        d(2090, 1, 1),
    ] {
        for root in [1, 2, 3] {
            assert_same(&e, &orgs, &people, root, day);
        }
    }
    assert_eq!(e.summary(99, "x", asof).map(|_| ()), None);
    // The dissolved org's figures the day before.
    let before = e.summary(3, "x", asof.pred_opt().unwrap()).unwrap();
    assert_eq!((before.members.total, before.orgs.branches), (1, 1));
}

#[test]
fn writes_reuse_slots_and_move_to_side() {
    let orgs = vec![
        org(1, None, OrgKind::Committee, Field::Organ),
        org(2, Some(1), OrgKind::Branch, Field::Rural),
        org(3, Some(1), OrgKind::Branch, Field::Community),
    ];
    let mut people = vec![Person {
        id: 10,
        attrs: Some(attrs(Gender::Male, d(1980, 1, 1))),
        events: vec![ev(d(2000, 1, 1), K::Joined, Some(2))],
    }];
    let mut e = build(&orgs, &people);
    // Conversion: same org, slot reused, nothing in the side store.
    people[0].events.push(ev(d(2001, 1, 1), K::Converted, None));
    e.apply_member(10, &people[0].events, people[0].attrs.as_ref())
        .unwrap();
    assert_eq!((e.side.len(), e.dead), (0, 0));
    assert_same(&e, &orgs, &people, 1, d(2001, 6, 1));
    // Move: the new org's row goes to the side store.
    people[0].events.push(ev(d(2005, 1, 1), K::Moved, Some(3)));
    e.apply_member(10, &people[0].events, people[0].attrs.as_ref())
        .unwrap();
    assert_eq!(e.side.len(), 1);
    for day in [d(2004, 1, 1), d(2005, 1, 1), d(2020, 1, 1)] {
        for root in [1, 2, 3] {
            assert_same(&e, &orgs, &people, root, day);
        }
    }
    e.compact();
    assert_eq!((e.side.len(), e.dead, e.intervals()), (0, 0, 2));
    assert_same(&e, &orgs, &people, 3, d(2020, 1, 1));
    // Removal.
    e.apply_member(10, &people[0].events, None).unwrap();
    assert_eq!(e.intervals(), 0);
    assert_eq!(e.summary(1, "x", d(2020, 1, 1)).unwrap().members.total, 0);
    assert_eq!(
        e.apply_member(-1, &[], None),
        Err(EngineError::MemberIdOutOfRange { id: -1 })
    );
}

#[test]
fn loader_refuses_unordered_members() {
    let mut l = Loader::new(vec![org(1, None, OrgKind::Branch, Field::Rural)]).unwrap();
    l.add_member(5, None, &[]).unwrap();
    assert_eq!(
        l.add_member(5, None, &[]),
        Err(EngineError::MembersOutOfOrder { id: 5 })
    );
}

#[test]
fn resident_bytes_per_interval() {
    // 20 rows per org as nationally: under 24 bytes per interval.
    let mut orgs = vec![org(1, None, OrgKind::Committee, Field::Organ)];
    for i in 2..=500 {
        orgs.push(org(i, Some(1), OrgKind::Branch, Field::Rural));
    }
    let mut l = Loader::new(orgs).unwrap();
    let n = 10_000;
    l.reserve(n);
    for m in 0..n as i64 {
        l.add_member(
            m,
            Some(&attrs(Gender::Male, d(1970, 1, 1))),
            &[ev(d(2000, 1, 1), K::Joined, Some(2 + m % 499))],
        )
        .unwrap();
    }
    let e = l.finish().unwrap();
    assert_eq!(e.intervals(), n);
    let per = e.resident_bytes() as f64 / n as f64;
    assert!(per <= 24.0, "{per} bytes per interval");
}

// ---------------------------------------------------------------------------------------
// Random trees and histories.

/// SplitMix64: the generator below is driven by one proptest seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }
    /// A day between 1890 and 2095 (mostly 1930–2030).
    fn date(&mut self) -> NaiveDate {
        let lo = d(1890, 1, 1);
        let span = if self.chance(90) { (40, 100) } else { (0, 205) };
        lo + Days::new((span.0 + self.below(span.1)) * 365 + self.below(365))
    }
}

/// Orgs in depth-first (path) order, depth ≤ 5, ids not in tree order.
fn random_tree(r: &mut Rng) -> Vec<OrgRow> {
    let n = 1 + r.below(30) as usize;
    let mut parent: Vec<Option<usize>> = vec![None];
    let mut depth = vec![0usize];
    for i in 1..n {
        let p = (0..i).filter(|j| depth[*j] < 4).collect::<Vec<_>>();
        if p.is_empty() || r.chance(4) {
            parent.push(None);
            depth.push(0);
        } else {
            let pp = r.pick(&p);
            parent.push(Some(pp));
            depth.push(depth[pp] + 1);
        }
    }
    let ids: Vec<i64> = (0..n).map(|i| 1000 - 7 * i as i64).collect();
    let path = |mut i: usize| {
        let mut parts = vec![ids[i]];
        while let Some(p) = parent[i] {
            parts.push(ids[p]);
            i = p;
        }
        parts
            .iter()
            .rev()
            .map(|x| format!("/{x}"))
            .collect::<String>()
            + "/"
    };
    let mut order: Vec<(String, usize)> = (0..n).map(|i| (path(i), i)).collect();
    order.sort();
    order
        .into_iter()
        .map(|(_, i)| {
            let founded = r.date();
            OrgRow {
                id: ids[i],
                parent_id: parent[i].map(|p| ids[p]),
                kind: r.pick(OrgKind::ALL),
                field: r.pick(Field::ALL),
                setup_mode: r.pick(SetupMode::ALL),
                founded: if r.chance(70) { d(1921, 7, 1) } else { founded },
                dissolved: r.chance(25).then(|| founded + Days::new(r.below(20_000))),
            }
        })
        .collect()
}

fn random_history(r: &mut Rng, orgs: &[i64], start: NaiveDate, len: usize) -> Vec<EventLite> {
    let mut date = start;
    let mut out = Vec::new();
    for _ in 0..len {
        date = date + Days::new(if r.chance(15) { 0 } else { r.below(4000) });
        let kind = match r.below(10) {
            0..=2 => K::Joined,
            3 => K::Converted,
            4 => K::Moved,
            5 => K::TransferredIn,
            6 => r.pick(&[K::Suspended, K::Restored]),
            _ => r.pick(K::ALL),
        };
        let org = if r.chance(3) {
            Some(424_242)
        } else {
            r.chance(90).then(|| r.pick(orgs))
        };
        out.push(EventLite {
            date,
            kind,
            org,
            probationary: r.chance(50),
        });
    }
    out
}

fn random_attrs(r: &mut Rng) -> Option<MemberAttrs> {
    if r.chance(8) {
        return None;
    }
    Some(MemberAttrs {
        gender: r.pick(Gender::ALL),
        // One in ten born before 1900: those rows live in the side store.
        birth: if r.chance(10) {
            d(1880, 1, 1) + Days::new(r.below(7300))
        } else {
            r.date() - Days::new(30 * 365)
        },
        minority: r.chance(10),
        education: r.pick(Education::ALL),
        occupation: r.pick(Occupation::ALL),
        village_post: r.chance(20).then(|| r.pick(VillagePost::ALL)),
        join_date: r.chance(70).then(|| r.date()),
    })
}

fn random_people(r: &mut Rng, orgs: &[i64]) -> Vec<Person> {
    let n = r.below(50) as usize;
    let mut id = 0;
    (0..n)
        .map(|_| {
            id += 1 + r.below(3) as i64;
            let start = r.date();
            let len = r.below(7) as usize;
            Person {
                id,
                attrs: random_attrs(r),
                events: random_history(r, orgs, start, len),
            }
        })
        .collect()
}

/// A probe date: often an event date, a birthday or an org's founding or dissolution
/// (or the day before), where off-by-one errors would show; otherwise any day.
fn probe_date(r: &mut Rng, orgs: &[OrgRow], people: &[Person]) -> NaiveDate {
    let mut pool: Vec<NaiveDate> = Vec::new();
    if let Some(p) = people.get(r.below(people.len() as u64) as usize) {
        pool.extend(p.events.iter().map(|e| e.date));
        if let Some(a) = &p.attrs {
            let age = r.pick(&dates::BAND_AGES);
            pool.extend(a.birth.checked_add_months(chrono::Months::new(12 * age)));
        }
    }
    let o = &orgs[r.below(orgs.len() as u64) as usize];
    pool.push(o.founded);
    pool.extend(o.dissolved);
    if pool.is_empty() || r.chance(30) {
        return r.date();
    }
    let day = r.pick(&pool);
    if r.chance(50) {
        day.pred_opt().unwrap_or(day)
    } else {
        day
    }
}

fn check_all(e: &Engine, orgs: &[OrgRow], people: &[Person], r: &mut Rng, probes: usize) {
    for _ in 0..probes {
        let root = orgs[r.below(orgs.len() as u64) as usize].id;
        let day = probe_date(r, orgs, people);
        assert_same(e, orgs, people, root, day);
    }
}

fn check_rollup(e: &Engine, orgs: &[OrgRow], people: &[Person], day: NaiveDate) {
    let figs = e.rollup(day);
    assert_eq!(figs.len(), orgs.len());
    for f in figs {
        let s = reference(orgs, people, f.org_id, day);
        let m = &s.members;
        assert_eq!(
            (
                i64::from(f.members),
                i64::from(f.probationary),
                i64::from(f.female),
                i64::from(f.minority),
                i64::from(f.basic_orgs)
            ),
            (m.total, m.probationary, m.female, m.minority, s.orgs.basic),
            "org {} on {day}",
            f.org_id
        );
        let bands: Vec<i64> = m.age_bands.iter().map(|(_, x)| x.count).collect();
        let got: Vec<i64> = f.age_bands.iter().map(|x| i64::from(*x)).collect();
        assert_eq!(got, bands, "bands of {} on {day}", f.org_id);
    }
}

/// Re-parents one org under another that is not its descendant; rows back in path order.
fn move_subtree(r: &mut Rng, orgs: &[OrgRow]) -> Vec<OrgRow> {
    let mut rows: Vec<OrgRow> = orgs.to_vec();
    if rows.len() < 2 {
        return rows;
    }
    let t = OrgTree::from_dfs(rows.iter().cloned()).unwrap();
    let who = 1 + r.below(rows.len() as u64 - 1) as usize;
    let sub = t.subtree(who);
    let targets: Vec<usize> = (0..rows.len()).filter(|p| !sub.contains(p)).collect();
    if targets.is_empty() {
        return rows;
    }
    let to = r.pick(&targets);
    rows[who].parent_id = Some(rows[to].id);
    // Path order again (a new org added under the target as well).
    let parent: HashMap<i64, Option<i64>> = rows.iter().map(|o| (o.id, o.parent_id)).collect();
    let path = |mut id: i64| {
        let mut parts = vec![id];
        while let Some(Some(p)) = parent.get(&id) {
            parts.push(*p);
            id = *p;
        }
        parts
            .iter()
            .rev()
            .map(|x| format!("/{x}"))
            .collect::<String>()
            + "/"
    };
    let mut keyed: Vec<(String, OrgRow)> = rows.into_iter().map(|o| (path(o.id), o)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|x| x.1).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    /// Engine summaries equal the fold for random subtrees and dates; the rollup equals
    /// per-subtree summaries; both stay equal through writes, compaction and a move.
    #[test]
    fn engine_equals_fold(seed in any::<u64>()) {
        let mut r = Rng(seed);
        let mut orgs = random_tree(&mut r);
        let ids: Vec<i64> = orgs.iter().map(|o| o.id).collect();
        let mut people = random_people(&mut r, &ids);
        let mut e = build(&orgs, &people);
        check_all(&e, &orgs, &people, &mut r, 12);
        let day = probe_date(&mut r, &orgs, &people);
        check_rollup(&e, &orgs, &people, day);

        // Writes: appended events, changed attributes, removals; compaction now and then.
        e.compact_min = r.below(4) as usize;
        for _ in 0..r.below(12) {
            if people.is_empty() {
                break;
            }
            let i = r.below(people.len() as u64) as usize;
            let p = &mut people[i];
            match r.below(4) {
                0 => p.attrs = random_attrs(&mut r),
                _ => {
                    let start = p.events.last().map_or_else(|| r.date(), |e| e.date);
                    let len = 1 + r.below(3) as usize;
                    let more = random_history(&mut r, &ids, start, len);
                    p.events.extend(more);
                }
            }
            e.apply_member(p.id, &p.events, p.attrs.as_ref()).unwrap();
            check_all(&e, &orgs, &people, &mut r, 2);
        }
        // A member new to the engine.
        let id = people.last().map_or(1, |p| p.id + 1);
        let start = r.date();
        let events = random_history(&mut r, &ids, start, 3);
        people.push(Person { id, attrs: random_attrs(&mut r), events });
        let p = people.last().unwrap();
        e.apply_member(p.id, &p.events, p.attrs.as_ref()).unwrap();
        check_all(&e, &orgs, &people, &mut r, 6);
        let day = probe_date(&mut r, &orgs, &people);
        check_rollup(&e, &orgs, &people, day);

        // A restructure.
        orgs = move_subtree(&mut r, &orgs);
        e.rebuild(orgs.iter().cloned()).unwrap();
        check_all(&e, &orgs, &people, &mut r, 8);
        let day = probe_date(&mut r, &orgs, &people);
        check_rollup(&e, &orgs, &people, day);
        let fresh = build(&orgs, &people);
        prop_assert_eq!(fresh.intervals(), e.intervals());
    }
}

#[test]
fn parallel_split_matches_single_task() {
    // Enough rows for several tasks: the parallel merge equals the fold.
    let mut orgs = vec![org(1, None, OrgKind::Committee, Field::Organ)];
    // Orgs of a few hundred rows, so blocks cut through orgs; some founded late or
    // dissolved, so orgs dead on the date sit inside blocks.
    for i in 2..=300 {
        orgs.push(OrgRow {
            founded: d(1990 + 5 * (i as i32 % 5), 1, 1),
            dissolved: (i % 7 == 0).then(|| d(2010, 1, 1)),
            ..org(
                i,
                Some(1),
                OrgKind::Branch,
                Field::ALL[i as usize % Field::ALL.len()],
            )
        });
    }
    let mut r = Rng(7);
    let ids: Vec<i64> = orgs.iter().map(|o| o.id).collect();
    let n = 3 * TASK_ROWS + 1234;
    let mut people = Vec::with_capacity(n);
    for id in 0..n as i64 {
        let start = d(1950, 1, 1) + Days::new(r.below(25_000));
        let len = r.below(3) as usize;
        let mut events = vec![ev(start, K::Joined, Some(r.pick(&ids)))];
        events.extend(random_history(&mut r, &ids, start, len));
        people.push(Person {
            id,
            attrs: random_attrs(&mut r),
            events,
        });
    }
    let e = build(&orgs, &people);
    assert!(e.split(0..orgs.len()).len() > 1);
    for day in [d(1990, 1, 1), d(2001, 6, 1), d(2024, 12, 31)] {
        assert_same(&e, &orgs, &people, 1, day);
    }
    check_rollup(&e, &orgs, &people, d(2001, 6, 1));
}
