//! Micro-benchmark of the statistics engine on synthetic national-shaped data, in memory.
//!
//! `cargo run --release -p jiceng-stats --example engine_bench -- [N]` (N member
//! intervals, default 10 000 000). Builds a tree of about N/20 orgs (root → 31 provinces
//! of uneven size → cities → counties → committees / general branches → branches), member
//! histories (join, conversion, some moves, transfers out and deaths) fed through the
//! [`Loader`] as the store would, and prints the build time, resident bytes per interval
//! and the median of 5 runs of: root summary, a ~5 % subtree (a province), a ~0.02 %
//! subtree (a county), and the full rollup of every org.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use jiceng_domain::codes::Coded;
use jiceng_domain::member::{
    Education, EventLite, Gender, MemberEventKind as K, Occupation, VillagePost,
};
use jiceng_domain::org::{Field, OrgKind, SetupMode};
use jiceng_stats::engine::{Engine, Loader, MemberAttrs, OrgRow};

/// SplitMix64: deterministic and fast enough for 100 M draws.
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
}

fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).unwrap()
}

struct Tree {
    rows: Vec<OrgRow>,
    /// Orgs that hold members (branches, and committees now and then).
    holders: Vec<i64>,
    provinces: Vec<i64>,
    counties: Vec<i64>,
}

/// The tree in depth-first order, about `target` orgs.
fn tree(target: usize, r: &mut Rng) -> Tree {
    let mut t = Tree {
        rows: Vec::with_capacity(target + target / 10),
        holders: Vec::new(),
        provinces: Vec::new(),
        counties: Vec::new(),
    };
    let cities: Vec<usize> = (0..31).map(|i| 4 + (i * 7) % 17).collect();
    let n_cities: usize = cities.iter().sum();
    let n_counties = n_cities * 9;
    // Each county: `k` committees / general branches with 22 branches each.
    let k = (target / n_counties / 23).max(1);
    let mut next = 0i64;
    let mut push = |t: &mut Tree, parent: Option<i64>, kind: OrgKind, r: &mut Rng| {
        next += 1;
        let founded = d(1949, 10, 1) + Days::new(r.below(20_000));
        t.rows.push(OrgRow {
            id: next,
            parent_id: parent,
            kind,
            field: Field::ALL[r.below(Field::ALL.len() as u64) as usize],
            setup_mode: SetupMode::ALL[r.below(4) as usize],
            founded,
            dissolved: r
                .chance(2)
                .then(|| founded + Days::new(1 + r.below(20_000))),
        });
        next
    };
    let root = push(&mut t, None, OrgKind::Committee, r);
    for c in &cities {
        let p = push(&mut t, Some(root), OrgKind::Committee, r);
        t.provinces.push(p);
        for _ in 0..*c {
            let city = push(&mut t, Some(p), OrgKind::Committee, r);
            for _ in 0..9 {
                let county = push(&mut t, Some(city), OrgKind::Committee, r);
                t.counties.push(county);
                for _ in 0..k {
                    let kind = if r.chance(10) {
                        OrgKind::Committee
                    } else {
                        OrgKind::GeneralBranch
                    };
                    let g = push(&mut t, Some(county), kind, r);
                    if r.chance(10) {
                        t.holders.push(g);
                    }
                    for _ in 0..22 {
                        let b = push(&mut t, Some(g), OrgKind::Branch, r);
                        t.holders.push(b);
                    }
                }
            }
        }
    }
    t
}

fn attrs(r: &mut Rng, birth: NaiveDate) -> MemberAttrs {
    MemberAttrs {
        gender: if r.chance(30) {
            Gender::Female
        } else {
            Gender::Male
        },
        birth,
        minority: r.chance(7),
        education: Education::ALL[r.below(6) as usize],
        occupation: Occupation::ALL[r.below(8) as usize],
        village_post: r.chance(3).then(|| VillagePost::ALL[r.below(6) as usize]),
        join_date: None,
    }
}

/// One member's history; appends to `evs`.
fn history(r: &mut Rng, holders: &[i64], evs: &mut Vec<EventLite>) -> NaiveDate {
    let birth = d(1925, 1, 1) + Days::new(r.below(80 * 365));
    let latest = d(2024, 12, 31);
    // Joined at 18 or later, by the end of 2024 unless born after 2006.
    let room = (latest - birth).num_days() / 365 - 18;
    let years = u64::try_from(room.clamp(1, 40)).unwrap_or(1);
    let join = birth + Days::new((18 + r.below(years)) * 365 + r.below(365));
    let i = r.below(holders.len() as u64) as usize;
    let ev = |date, kind, org| EventLite {
        date,
        kind,
        org,
        probationary: false,
    };
    if join > latest {
        return birth;
    }
    evs.push(ev(join, K::Joined, Some(holders[i])));
    let conv = join + Days::new(365 + r.below(60));
    if conv <= latest {
        evs.push(ev(conv, K::Converted, None));
    }
    let mut at = conv;
    if r.chance(30) {
        at = at + Days::new(r.below(15 * 365));
        let j = (i + r.below(100) as usize).min(holders.len() - 1);
        if at <= latest {
            evs.push(ev(at, K::Moved, Some(holders[j])));
        }
    }
    if r.chance(12) {
        at = at + Days::new(r.below(20 * 365));
        if at <= latest {
            let kind = if r.chance(50) {
                K::Died
            } else {
                K::TransferredOut
            };
            evs.push(ev(at, kind, None));
        }
    }
    birth
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

/// Median and minimum of `runs` timings (the machine is shared: the minimum shows what
/// the code does when nobody else is running).
struct Timing {
    median: Duration,
    min: Duration,
}

impl std::fmt::Display for Timing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:>9.3} ms (min {:>8.3})",
            self.median.as_secs_f64() * 1e3,
            self.min.as_secs_f64() * 1e3
        )
    }
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Timing, T) {
    let mut out = None;
    let mut ts = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        out = Some(f());
        ts.push(t.elapsed());
    }
    let min = ts.iter().min().copied().unwrap_or_default();
    (
        Timing {
            median: median(ts),
            min,
        },
        out.expect("at least one run"),
    )
}

fn rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn subtree_rows(e: &Engine, id: i64) -> usize {
    let t = e.tree();
    let pos = t.pos(id).expect("org");
    let figs = t.subtree(pos);
    e.rows_in(figs)
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .map(|a| {
            a.replace('_', "")
                .parse()
                .expect("N: a number of intervals")
        })
        .unwrap_or(10_000_000);
    let mut r = Rng(20_240_701);
    let t0 = Instant::now();
    let tree = tree(n / 20, &mut r);
    let org_count = tree.rows.len();
    let mut loader = Loader::new(tree.rows.iter().cloned()).expect("tree");
    loader.reserve(n + n / 8);
    let mut evs = Vec::new();
    let mut member = 0i64;
    let mut intervals = 0usize;
    // About 1.3 intervals per member (moves): stop at N.
    while intervals < n {
        member += 1;
        evs.clear();
        let birth = history(&mut r, &tree.holders, &mut evs);
        let a = attrs(&mut r, birth);
        intervals += evs
            .iter()
            .filter(|e| matches!(e.kind, K::Joined | K::Moved))
            .count();
        loader.add_member(member, Some(&a), &evs).expect("member");
    }
    let generated = t0.elapsed();
    let t1 = Instant::now();
    let engine = loader.finish().expect("engine");
    let build = t1.elapsed();
    let rows = engine.intervals();
    let as_of = d(2024, 12, 31);
    let root = tree.rows[0].id;
    let total = rows as f64;
    let province = *tree
        .provinces
        .iter()
        .min_by_key(|p| {
            let share = subtree_rows(&engine, **p) as f64 / total;
            ((share - 0.05).abs() * 1e6) as u64
        })
        .expect("provinces");
    let county = *tree
        .counties
        .iter()
        .min_by_key(|c| {
            let share = subtree_rows(&engine, **c) as f64 / total;
            ((share - 0.0002).abs() * 1e9) as u64
        })
        .expect("counties");

    println!("intervals          {rows} ({member} members, {org_count} orgs)");
    println!(
        "generate + load    {:.2} s (histories folded through the Loader)",
        generated.as_secs_f64()
    );
    println!("build (sort)       {:.2} s", build.as_secs_f64());
    println!(
        "resident           {:.1} MiB, {:.2} bytes per interval (process RSS {:.0} MiB)",
        engine.resident_bytes() as f64 / 1048576.0,
        engine.resident_bytes() as f64 / total,
        rss_mib().unwrap_or(0.0)
    );
    println!("threads            {}", rayon::current_num_threads());
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let (t, s) = time(runs, || engine.counts(root, as_of).expect("root"));
    println!(
        "root summary       {t}  ({} rows, {} members on {as_of})",
        rows, s.total
    );
    let pr = subtree_rows(&engine, province);
    let (t, s) = time(runs, || engine.counts(province, as_of).expect("province"));
    println!(
        "province summary   {t}  ({pr} rows = {:.2} %, {} members)",
        pr as f64 * 100.0 / total,
        s.total
    );
    let cr = subtree_rows(&engine, county);
    let (t, s) = time(runs, || engine.counts(county, as_of).expect("county"));
    println!(
        "county summary     {t}  ({cr} rows = {:.4} %, {} members)",
        cr as f64 * 100.0 / total,
        s.total
    );
    let (t, s) = time(runs, || {
        engine
            .summary(county, "county", as_of)
            .expect("county")
            .members
            .total
    });
    println!("county report      {t}  (counts + Summary maps, {s} members)");
    let (t, figs) = time(runs, || engine.rollup(as_of));
    println!(
        "full rollup        {t}  ({} orgs, root {} members)",
        figs.len(),
        figs.first().map_or(0, |f| f.members)
    );
}
