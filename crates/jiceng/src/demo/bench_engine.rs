//! `jiceng bench-stats --csv DIR` (hidden): the statistics engine's side of `make bench`.
//!
//! Loads what `demo --profile national --csv DIR` wrote — the org tree (`orgs.csv`, in
//! depth-first order) and every member with their events (`members.csv`, `events.csv`) —
//! through the engine's [`Loader`], exactly as `Store::load_engine` feeds it from the
//! database, then times the benchmark's five queries (median of `runs`) and prints one
//! JSON document: load time, intervals, resident bytes, and per query the timings and the
//! answer (the counts the benchmark compares with DuckDB's and PostgreSQL's).

use std::io::BufRead;
use std::path::Path;
use std::time::Instant;

use chrono::NaiveDate;
use jiceng_domain::codes::Coded;
use jiceng_domain::member::{
    Education, EventLite, Gender, MemberEventKind, Occupation, VillagePost,
};
use jiceng_domain::org::{Field, OrgKind, SetupMode};
use jiceng_stats::engine::{Engine, Loader, MemberAttrs, OrgRow};
use jiceng_stats::summary::{code_index, Counts};
use serde_json::{json, Value};

fn open(
    dir: &Path,
    name: &str,
) -> Result<std::io::Lines<std::io::BufReader<std::fs::File>>, String> {
    let p = dir.join(name);
    let f = std::fs::File::open(&p).map_err(|e| format!("无法打开 {}: {e}", p.display()))?;
    let mut lines = std::io::BufReader::with_capacity(1 << 20, f).lines();
    lines.next(); // header
    Ok(lines)
}

fn date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("日期格式错误: {s}"))
}

fn opt_date(s: &str) -> Result<Option<NaiveDate>, String> {
    if s.is_empty() {
        Ok(None)
    } else {
        date(s).map(Some)
    }
}

fn num<T: std::str::FromStr>(s: &str) -> Result<T, String> {
    s.parse().map_err(|_| format!("数字格式错误: {s}"))
}

fn pick<T: Copy>(all: &[T], i: &str) -> Result<T, String> {
    all.get(num::<usize>(i)?)
        .copied()
        .ok_or_else(|| format!("编码越界: {i}"))
}

fn orgs(dir: &Path) -> Result<Vec<OrgRow>, String> {
    let mut out = Vec::new();
    for line in open(dir, "orgs.csv")? {
        let line = line.map_err(|e| e.to_string())?;
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 10 {
            return Err(format!("orgs.csv 行格式错误: {line}"));
        }
        out.push(OrgRow {
            id: num(f[0])?,
            parent_id: if f[1].is_empty() {
                None
            } else {
                Some(num(f[1])?)
            },
            kind: pick(OrgKind::ALL, f[5])?,
            field: pick(Field::ALL, f[6])?,
            setup_mode: pick(SetupMode::ALL, f[7])?,
            founded: date(f[8])?,
            dissolved: opt_date(f[9])?,
        });
    }
    Ok(out)
}

/// Builds the engine from the CSV files.
pub fn load(dir: &Path) -> Result<Engine, String> {
    let mut loader = Loader::new(orgs(dir)?).map_err(|e| e.to_string())?;
    let mut events = open(dir, "events.csv")?.peekable();
    let mut evs: Vec<EventLite> = Vec::new();
    for line in open(dir, "members.csv")? {
        let line = line.map_err(|e| e.to_string())?;
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 8 {
            return Err(format!("members.csv 行格式错误: {line}"));
        }
        let id: i64 = num(f[0])?;
        let attrs = MemberAttrs {
            gender: Gender::from_code(f[1]).ok_or_else(|| format!("性别: {}", f[1]))?,
            birth: date(f[2])?,
            minority: f[3] == "1",
            education: pick(Education::ALL, f[4])?,
            occupation: pick(Occupation::ALL, f[5])?,
            village_post: if f[6].is_empty() {
                None
            } else {
                Some(pick(VillagePost::ALL, f[6])?)
            },
            join_date: opt_date(f[7])?,
        };
        evs.clear();
        while let Some(Ok(e)) = events.peek() {
            let g: Vec<&str> = e.split(',').collect();
            if g.len() < 5 || num::<i64>(g[0])? != id {
                break;
            }
            evs.push(EventLite {
                kind: MemberEventKind::from_code(g[1])
                    .ok_or_else(|| format!("记载类型: {}", g[1]))?,
                date: date(g[2])?,
                org: if g[3].is_empty() {
                    None
                } else {
                    Some(num(g[3])?)
                },
                probationary: g[4] == "1",
            });
            events.next();
        }
        loader
            .add_member(id, Some(&attrs), &evs)
            .map_err(|e| e.to_string())?;
    }
    loader.finish().map_err(|e| e.to_string())
}

/// The figures compared across engines for a subtree report.
fn report_answer(c: &Counts) -> Value {
    let basic = |k: OrgKind| c.orgs[code_index(k)].iter().sum::<i64>();
    json!({
        "total": c.total,
        "probationary": c.probationary,
        "female": c.female,
        "minority": c.minority,
        "age_bands": c.age_bands,
        "education": c.education,
        "occupation": c.occupation,
        "join_era": c.join_era,
        "committees": basic(OrgKind::Committee),
        "general_branches": basic(OrgKind::GeneralBranch),
        "branches": basic(OrgKind::Branch),
    })
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Vec<f64>, T) {
    let mut ts = Vec::with_capacity(runs);
    let mut last = f(); // warm-up, as the other engines get one
    for _ in 0..runs {
        let t = Instant::now();
        last = f();
        ts.push(t.elapsed().as_secs_f64());
    }
    (ts, last)
}

fn meta(dir: &Path) -> Result<Value, String> {
    let text =
        std::fs::read_to_string(dir.join("meta.json")).map_err(|e| format!("meta.json: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("meta.json: {e}"))
}

fn meta_id(m: &Value, which: &str) -> Result<i64, String> {
    m["subtrees"][which]["id"]
        .as_i64()
        .ok_or_else(|| format!("meta.json 缺少 subtrees.{which}.id"))
}

fn meta_date(m: &Value, key: &str) -> Result<NaiveDate, String> {
    date(
        m[key]
            .as_str()
            .ok_or_else(|| format!("meta.json 缺少 {key}"))?,
    )
}

/// Loads, times and prints (JSON on stdout).
pub fn run(dir: &Path, runs: usize) -> Result<(), String> {
    let m = meta(dir)?;
    let as_of = meta_date(&m, "as_of")?;
    let past = meta_date(&m, "past_date")?;
    let t = Instant::now();
    let engine = load(dir)?;
    let load_seconds = t.elapsed().as_secs_f64();
    let intervals = engine.intervals();
    let resident = engine.resident_bytes();
    let runs = runs.max(1);
    let missing = |id: i64| format!("引擎中没有组织 {id}");
    let mut queries = serde_json::Map::new();
    for (name, which, day) in [
        ("root", "root", as_of),
        ("province", "province", as_of),
        ("county", "county", as_of),
        ("root_past", "root", past),
    ] {
        let id = meta_id(&m, which)?;
        let (ts, s) = time(runs, || engine.summary(id, which, day));
        s.ok_or_else(|| missing(id))?;
        let c = engine.counts(id, day).ok_or_else(|| missing(id))?;
        queries.insert(
            name.into(),
            json!({"seconds": ts, "answer": report_answer(&c)}),
        );
    }
    let (ts, figs) = time(runs, || engine.rollup(as_of));
    let mut sums = [0u64; 13];
    let mut checksum = 0u64;
    for (pos, f) in figs.iter().enumerate() {
        sums[0] += u64::from(f.members);
        sums[1] += u64::from(f.probationary);
        sums[2] += u64::from(f.female);
        sums[3] += u64::from(f.minority);
        for (k, b) in f.age_bands.iter().enumerate() {
            sums[4 + k] += u64::from(*b);
        }
        sums[12] += u64::from(f.basic_orgs);
        checksum += u64::from(f.members) * (pos as u64 % 997);
    }
    queries.insert(
        "rollup".into(),
        json!({"seconds": ts, "answer": {
            "orgs": figs.len(),
            "members": sums[0], "probationary": sums[1], "female": sums[2], "minority": sums[3],
            "age_bands": &sums[4..12], "basic_orgs": sums[12], "checksum": checksum,
        }}),
    );
    let out = json!({
        "engine": "jiceng",
        "threads": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        "load_seconds": load_seconds,
        "intervals": intervals,
        "resident_bytes": resident,
        "bytes_per_interval": resident as f64 / intervals.max(1) as f64,
        "queries": queries,
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
    );
    Ok(())
}
