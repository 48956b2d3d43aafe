#!/usr/bin/env python3
"""Jiceng's statistics engine vs DuckDB vs PostgreSQL on the same generated data.

Run by bench/run.sh inside scripts/with-postgres.sh (which exports JICENG_TEST_PG_URL).
Reads the CSV written by `jiceng demo --profile national --csv DIR`:

* Jiceng: `jiceng bench-stats --csv DIR` loads members and events through the engine's
  Loader (as Store::load_engine does) and times the engine calls.
* DuckDB (in memory, all cores): the intervals CSV converted to Parquet with DuckDB's COPY,
  then one table ordered by depth-first position, each interval clipped to its org's life
  (so "org alive on the date" needs no join). Its best plan: a subtree is a range filter on
  the position, a report is one wide count_if aggregation, the rollup is one GROUP BY pos
  plus prefix sums over positions (subtree = prefix[end] - prefix[pos]).
* PostgreSQL 15: the same table (UNLOGGED, physically in position order), B-tree indexes on
  the position and on the dates, VACUUM ANALYZE; the same SQL with FILTER clauses; parallel
  workers up to the core count.

Every query runs once to warm up, then --runs times; the table shows medians and the
ratios DuckDB/Jiceng and PostgreSQL/Jiceng. The answers (key counts) of the three must be
equal or the run fails.
"""

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

import duckdb
import psycopg

ERA_BOUNDS = ["1949-10-01", "1978-12-18", "2012-11-08"]
BAND_AGES = [31, 36, 41, 46, 51, 56, 61]
FAR = "9999-12-31"


def minus_years(d, k):
    """d minus k years, 29 February becoming the 28th (chrono's rule, as the engine's)."""
    try:
        return d.replace(year=d.year - k)
    except ValueError:
        return d.replace(year=d.year - k, day=28)


def lit(d):
    return f"DATE '{d}'"


class Dialect:
    def __init__(self, name):
        self.name = name

    def cnt(self, cond):
        if self.name == "duckdb":
            return f"count_if({cond})"
        return f"count(*) FILTER (WHERE {cond})"


def band_conds(as_of):
    c = [lit(minus_years(as_of, k)) for k in BAND_AGES]
    conds = [f"birth > {c[0]}"]
    for k in range(1, 7):
        conds.append(f"birth <= {c[k - 1]} AND birth > {c[k]}")
    conds.append(f"birth <= {c[6]}")
    return conds


def report_sql(dl, lo, hi, d):
    dd = lit(d)
    cols = ["count(*)", dl.cnt(f"full_from > {dd}"), dl.cnt("female = 1"), dl.cnt("minority = 1")]
    cols += [dl.cnt(c) for c in band_conds(d)]
    cols += [dl.cnt(f"education = {e}") for e in range(6)]
    cols += [dl.cnt(f"occupation = {o}") for o in range(8)]
    e = [lit(x) for x in ERA_BOUNDS]
    cols += [
        dl.cnt(f"join_date < {e[0]}"),
        dl.cnt(f"join_date >= {e[0]} AND join_date < {e[1]}"),
        dl.cnt(f"join_date >= {e[1]} AND join_date < {e[2]}"),
        dl.cnt(f"join_date >= {e[2]}"),
    ]
    members = (
        f"SELECT {', '.join(cols)} FROM iv "
        f"WHERE pos >= {lo} AND pos < {hi} AND from_date <= {dd} AND to_date > {dd}"
    )
    orgs = (
        f"SELECT {dl.cnt('kind = 0')}, {dl.cnt('kind = 2')}, {dl.cnt('kind = 3')} FROM orgs "
        f"WHERE pos >= {lo} AND pos < {hi} AND founded <= {dd} AND (dissolved IS NULL OR dissolved > {dd})"
    )
    return members, orgs


def report_answer(m, o):
    m = [int(x) for x in m]
    return {
        "total": m[0],
        "probationary": m[1],
        "female": m[2],
        "minority": m[3],
        "age_bands": m[4:12],
        "education": m[12:18],
        "occupation": m[18:26],
        "join_era": m[26:30],
        "committees": int(o[0]),
        "general_branches": int(o[1]),
        "branches": int(o[2]),
    }


ROLLUP_COLS = ["n", "p", "f", "mi", "b0", "b1", "b2", "b3", "b4", "b5", "b6", "b7", "bo"]


def rollup_sql(dl, d):
    dd = lit(d)
    own = ["count(*) AS n", f"{dl.cnt(f'full_from > {dd}')} AS p", f"{dl.cnt('female = 1')} AS f",
           f"{dl.cnt('minority = 1')} AS mi"]
    own += [f"{dl.cnt(c)} AS b{k}" for k, c in enumerate(band_conds(d))]
    alive_basic = f"CASE WHEN o.kind IN (0, 2, 3) AND o.founded <= {dd} AND (o.dissolved IS NULL OR o.dissolved > {dd}) THEN 1 ELSE 0 END"
    per_org = ", ".join(f"coalesce(w.{c}, 0) AS {c}" for c in ROLLUP_COLS[:-1])
    prefix = ", ".join(f"sum({c}) OVER win - {c} AS {c}" for c in ROLLUP_COLS)
    totals = ", ".join(f"sum({c}) AS {c}" for c in ROLLUP_COLS)
    sub = {c: f"(coalesce(e.{c}, t.{c}) - s.{c})" for c in ROLLUP_COLS}
    out = [
        "count(*)",
        f"sum({sub['n']})",
        f"sum({sub['p']})",
        f"sum({sub['f']})",
        f"sum({sub['mi']})",
    ]
    out += [f"sum({sub[f'b{k}']})" for k in range(8)]
    out += [f"sum({sub['bo']})", f"sum({sub['n']} * (s.pos % 997))"]
    return (
        f"WITH w AS (SELECT pos, {', '.join(own)} FROM iv "
        f"WHERE from_date <= {dd} AND to_date > {dd} GROUP BY pos), "
        f"o2 AS (SELECT o.pos, o.end_pos, {per_org}, {alive_basic} AS bo FROM orgs o LEFT JOIN w ON w.pos = o.pos), "
        f"c AS (SELECT pos, end_pos, {prefix} FROM o2 WINDOW win AS (ORDER BY pos ROWS UNBOUNDED PRECEDING)), "
        f"t AS (SELECT {totals} FROM o2) "
        f"SELECT {', '.join(out)} FROM c s LEFT JOIN c e ON e.pos = s.end_pos CROSS JOIN t"
    )


def rollup_answer(r):
    r = [int(x) for x in r]
    return {
        "orgs": r[0],
        "members": r[1],
        "probationary": r[2],
        "female": r[3],
        "minority": r[4],
        "age_bands": r[5:13],
        "basic_orgs": r[13],
        "checksum": r[14],
    }


def timed(runs, fn):
    fn()  # warm-up
    ts, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t)
    return ts, out


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def queries(meta):
    s = meta["subtrees"]
    as_of = dt.date.fromisoformat(meta["as_of"])
    past = dt.date.fromisoformat(meta["past_date"])
    return [
        ("root", "Root report (whole tree)", s["root"], as_of),
        ("province", "Province-size subtree", s["province"], as_of),
        ("county", "County-size subtree", s["county"], as_of),
        ("rollup", "Full rollup of every org", s["root"], as_of),
        ("root_past", f"Root report as of {past}", s["root"], past),
    ]


# --------------------------------------------------------------------------------------
# DuckDB
# --------------------------------------------------------------------------------------

ORG_COLUMNS = ("{'id': 'BIGINT', 'parent_id': 'BIGINT', 'pos': 'INTEGER', 'end_pos': 'INTEGER', "
               "'depth': 'SMALLINT', 'kind': 'SMALLINT', 'field': 'SMALLINT', 'setup_mode': 'SMALLINT', "
               "'founded': 'DATE', 'dissolved': 'DATE'}")
IV_COLUMNS = ("{'member_id': 'INTEGER', 'pos': 'INTEGER', 'from_date': 'DATE', 'to_date': 'DATE', "
              "'full_from': 'DATE', 'birth': 'DATE', 'female': 'SMALLINT', 'minority': 'SMALLINT', "
              "'education': 'SMALLINT', 'occupation': 'SMALLINT', 'join_date': 'DATE'}")

CLIP = (
    "SELECT i.member_id, i.pos, greatest(i.from_date, o.founded) AS from_date, "
    f"least(coalesce(i.to_date, DATE '{FAR}'), coalesce(o.dissolved, DATE '{FAR}')) AS to_date, "
    f"coalesce(i.full_from, DATE '{FAR}') AS full_from, i.birth, i.female, i.minority, "
    "i.education, i.occupation, i.join_date FROM {src} i JOIN orgs o ON o.pos = i.pos "
    f"WHERE greatest(i.from_date, o.founded) < least(coalesce(i.to_date, DATE '{FAR}'), coalesce(o.dissolved, DATE '{FAR}')) "
    "ORDER BY i.pos"
)


def run_duckdb(data, work, runs, meta):
    parquet = os.path.join(work, "parquet")
    os.makedirs(parquet, exist_ok=True)
    con = duckdb.connect()
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    t0 = time.perf_counter()
    for name, cols in (("orgs", ORG_COLUMNS), ("intervals", IV_COLUMNS)):
        src = os.path.join(data, f"{name}.csv")
        dst = os.path.join(parquet, f"{name}.parquet")
        con.execute(f"COPY (SELECT * FROM read_csv('{src}', header = true, columns = {cols})) TO '{dst}' (FORMAT PARQUET)")
    t_parquet = time.perf_counter() - t0
    t0 = time.perf_counter()
    con.execute(f"CREATE TABLE orgs AS SELECT * FROM read_parquet('{parquet}/orgs.parquet') ORDER BY pos")
    con.execute("CREATE TABLE iv AS " + CLIP.format(src=f"read_parquet('{parquet}/intervals.parquet')"))
    t_load = time.perf_counter() - t0
    out = {"version": duckdb.__version__, "threads": int(threads), "parquet_seconds": t_parquet,
           "load_seconds": t_load, "queries": {}}
    out["rows"] = {}
    dl = Dialect("duckdb")
    for key, _, sub, d in queries(meta):
        lo, hi = sub["pos"], sub["end_pos"]
        out["rows"][key] = con.execute(f"SELECT count(*) FROM iv WHERE pos >= {lo} AND pos < {hi}").fetchone()[0]
        if key == "rollup":
            sql = rollup_sql(dl, d)
            ts, r = timed(runs, lambda: con.execute(sql).fetchone())
            ans = rollup_answer(r)
        else:
            msql, osql = report_sql(dl, lo, hi, d)
            ts, r = timed(runs, lambda: (con.execute(msql).fetchone(), con.execute(osql).fetchone()))
            ans = report_answer(*r)
        out["queries"][key] = {"seconds": ts, "answer": ans}
        log(f"duckdb {key}: {fmt_ms(statistics.median(ts))} ms")
    con.close()
    shutil.rmtree(parquet, ignore_errors=True)
    return out


# --------------------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------------------

def with_database(url, name):
    base, _, query = url.partition("?")
    scheme, _, rest = base.partition("://")
    host = rest.split("/", 1)[0]
    return f"{scheme}://{host}/{name}" + (f"?{query}" if query else "")


def copy_file(cur, table, path):
    with cur.copy(f"COPY {table} FROM STDIN (FORMAT csv, HEADER true)") as cp:
        with open(path, "rb") as f:
            while True:
                chunk = f.read(1 << 20)
                if not chunk:
                    break
                cp.write(chunk)


def run_postgres(admin_url, data, runs, meta):
    with psycopg.connect(admin_url, autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS bench")
        c.execute("CREATE DATABASE bench")
    url = with_database(admin_url, "bench")
    con = psycopg.connect(url, autocommit=True)
    cur = con.cursor()
    version = cur.execute("SHOW server_version").fetchone()[0]
    workers = cur.execute("SHOW max_parallel_workers_per_gather").fetchone()[0]
    t0 = time.perf_counter()
    cur.execute("CREATE UNLOGGED TABLE orgs (id bigint, parent_id bigint, pos int PRIMARY KEY, end_pos int, depth smallint, "
                "kind smallint, field smallint, setup_mode smallint, founded date, dissolved date)")
    cur.execute("CREATE UNLOGGED TABLE iv_raw (member_id int, pos int, from_date date, to_date date, full_from date, "
                "birth date, female smallint, minority smallint, education smallint, occupation smallint, join_date date)")
    copy_file(cur, "orgs", os.path.join(data, "orgs.csv"))
    copy_file(cur, "iv_raw", os.path.join(data, "intervals.csv"))
    cur.execute("CREATE UNLOGGED TABLE iv AS " + CLIP.format(src="iv_raw"))
    cur.execute("DROP TABLE iv_raw")
    cur.execute("CREATE INDEX iv_pos ON iv (pos)")
    cur.execute("CREATE INDEX iv_dates ON iv (from_date, to_date)")
    cur.execute("CREATE INDEX orgs_dates ON orgs (founded, dissolved)")
    cur.execute("VACUUM ANALYZE orgs")
    cur.execute("VACUUM ANALYZE iv")
    t_load = time.perf_counter() - t0
    out = {"version": version, "workers_per_gather": int(workers), "load_seconds": t_load, "queries": {}}
    dl = Dialect("postgres")
    for key, _, sub, d in queries(meta):
        lo, hi = sub["pos"], sub["end_pos"]
        if key == "rollup":
            sql = rollup_sql(dl, d)
            ts, r = timed(runs, lambda: cur.execute(sql).fetchone())
            ans = rollup_answer(r)
        else:
            msql, osql = report_sql(dl, lo, hi, d)
            ts, r = timed(runs, lambda: (cur.execute(msql).fetchone(), cur.execute(osql).fetchone()))
            ans = report_answer(*r)
        out["queries"][key] = {"seconds": ts, "answer": ans}
        log(f"postgres {key}: {fmt_ms(statistics.median(ts))} ms")
    plan = cur.execute("EXPLAIN " + report_sql(dl, meta["subtrees"]["county"]["pos"],
                                               meta["subtrees"]["county"]["end_pos"],
                                               dt.date.fromisoformat(meta["as_of"]))[0]).fetchall()
    out["county_plan"] = [p[0] for p in plan]
    con.close()
    with psycopg.connect(admin_url, autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS bench")
    return out


# --------------------------------------------------------------------------------------
# Bulk-load speed (the generator into the application's schema)
# --------------------------------------------------------------------------------------

def bulk_load(binary, admin_url, work, n):
    env = dict(os.environ, JICENG_LOG="warn")
    env.pop("JICENG_KEY", None)
    out = {}
    d = os.path.join(work, "load")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    db = os.path.join(d, "load.db")
    t = time.perf_counter()
    subprocess.run([binary, "demo", "--profile", "national", "--scale", str(n), "--db", f"sqlite://{db}"],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    out["sqlite_seconds"] = time.perf_counter() - t
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    with psycopg.connect(admin_url, autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS bench_load")
        c.execute("CREATE DATABASE bench_load")
    t = time.perf_counter()
    subprocess.run([binary, "demo", "--profile", "national", "--scale", str(n), "--db",
                    with_database(admin_url, "bench_load"), "--key-file", os.path.join(d, "pg.key")],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    out["postgres_seconds"] = time.perf_counter() - t
    with psycopg.connect(admin_url, autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS bench_load")
    shutil.rmtree(d, ignore_errors=True)
    members = round(n * 1.03)
    out["members"] = members
    for k in ("sqlite", "postgres"):
        out[f"{k}_members_per_minute"] = members / out[f"{k}_seconds"] * 60
    return out


# --------------------------------------------------------------------------------------

def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = 0
    try:
        with open("/proc/meminfo") as f:
            mem = int(f.readline().split()[1]) // 1024 // 1024
    except (OSError, ValueError, IndexError):
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": mem, "os": platform.platform(),
            "load_average": os.getloadavg()}


def check(results, meta):
    ok = True
    for key, _, _, _ in queries(meta):
        want = results["jiceng"]["queries"][key]["answer"]
        for eng in ("duckdb", "postgres"):
            if eng not in results:
                continue
            got = results[eng]["queries"][key]["answer"]
            if got != want:
                ok = False
                log(f"MISMATCH {eng} {key}:\n  jiceng {json.dumps(want)}\n  {eng:6} {json.dumps(got)}")
    return ok


def fmt_ms(seconds):
    ms = seconds * 1e3
    if ms < 1:
        return f"{ms:.3f}"
    if ms < 100:
        return f"{ms:.1f}"
    return f"{ms:,.0f}"


def table(results, meta):
    med = lambda e, k: statistics.median(results[e]["queries"][k]["seconds"])
    rows = results["duckdb"]["rows"]
    j = results["jiceng"]
    lines = [
        "| Query | Intervals in range | Members on the date | Jiceng (ms) | DuckDB (ms) | PostgreSQL (ms) | DuckDB / Jiceng | PostgreSQL / Jiceng |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, label, _, _ in queries(meta):
        a = j["queries"][key]["answer"]
        members = a.get("total", a.get("members"))
        if key == "rollup":
            members = f"{a['orgs']:,} orgs"
        else:
            members = f"{members:,}"
        tj, td = med("jiceng", key), med("duckdb", key)
        if "postgres" in results:
            tp = med("postgres", key)
            pg = f"{fmt_ms(tp)} | {td / tj:,.0f}× | {tp / tj:,.0f}×"
        else:
            pg = f"not run | {td / tj:,.0f}× | —"
        lines.append(f"| {label} | {rows[key]:,} | {members} | {fmt_ms(tj)} | {fmt_ms(td)} | {pg} |")
    lines.append("")
    lines.append(f"- Jiceng engine: load {j['load_seconds']:.1f} s (CSV → Loader → columns), "
                 f"{j['intervals']:,} intervals, resident {j['resident_bytes'] / 2**20:.0f} MiB = "
                 f"{j['bytes_per_interval']:.1f} bytes per member interval; {j['threads']} threads.")
    d = results["duckdb"]
    lines.append(f"- DuckDB {d['version']} (in memory, {d['threads']} threads): CSV → Parquet {d['parquet_seconds']:.1f} s, "
                 f"Parquet → ordered, clipped table {d['load_seconds']:.1f} s.")
    if "postgres" in results:
        p = results["postgres"]
        lines.append(f"- PostgreSQL {p['version']} (max_parallel_workers_per_gather {p['workers_per_gather']}): "
                     f"COPY + clipped table + indexes + VACUUM ANALYZE {p['load_seconds']:.1f} s.")
    else:
        lines.append("- PostgreSQL: not run (`SKIP_PG=1`).")
    if "load" in results:
        l = results["load"]
        lines.append(f"- Generator bulk load into the application schema ({l['members']:,} members incl. 3 % departed, "
                     f"with events, encrypted ID numbers, indexes rebuilt): SQLite {l['sqlite_seconds']:.1f} s = "
                     f"{l['sqlite_members_per_minute'] / 1e6:.2f} M members/min; PostgreSQL {l['postgres_seconds']:.1f} s = "
                     f"{l['postgres_members_per_minute'] / 1e6:.2f} M members/min.")
    m = results["machine"]
    lines.append(f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; load average at start "
                 f"{', '.join(f'{x:.1f}' for x in m['load_average'])}.")
    lines.append(f"- Scale {meta['scale']:,} members on the roster ({meta['stats']['members']:,} records), "
                 f"{meta['orgs']:,} orgs ({meta['basic_orgs']:,} basic-level), seed {meta['seed']}; "
                 f"medians of {len(j['queries']['root']['seconds'])} runs after a warm-up; answers checked equal.")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--bin")
    ap.add_argument("--work")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--load-scale", type=int, default=1_000_000)
    ap.add_argument("--out")
    ap.add_argument("--skip-pg", action="store_true",
                    help="Jiceng and DuckDB only (no PostgreSQL table, no bulk load into PostgreSQL)")
    ap.add_argument("--render", help="re-print the table of a results JSON (no run)")
    a = ap.parse_args()
    if a.render:
        with open(os.path.join(a.data, "meta.json")) as f:
            meta = json.load(f)
        with open(a.render) as f:
            print(table(json.load(f), meta))
        return
    admin = os.environ.get("JICENG_TEST_PG_URL")
    if not admin:
        sys.exit("bench.py: JICENG_TEST_PG_URL not set (run through scripts/with-postgres.sh)")
    with open(os.path.join(a.data, "meta.json")) as f:
        meta = json.load(f)
    results = {"machine": machine(), "scale": meta["scale"]}
    log("jiceng engine")
    r = subprocess.run([a.bin, "bench-stats", "--csv", a.data, "--runs", str(a.runs)], check=True,
                       capture_output=True, text=True, env=dict(os.environ, JICENG_LOG="warn"))
    results["jiceng"] = json.loads(r.stdout)
    for k, v in results["jiceng"]["queries"].items():
        log(f"jiceng {k}: {fmt_ms(statistics.median(v['seconds']))} ms")
    log("duckdb")
    results["duckdb"] = run_duckdb(a.data, a.work, a.runs, meta)
    if a.skip_pg:
        log("postgresql skipped (--skip-pg)")
    else:
        log("postgresql")
        results["postgres"] = run_postgres(admin, a.data, a.runs, meta)
    if a.load_scale > 0:
        log(f"bulk load of {a.load_scale:,} members into SQLite and PostgreSQL")
        results["load"] = bulk_load(a.bin, admin, a.work, a.load_scale)
    ok = check(results, meta)
    md = table(results, meta)
    print(md)
    if a.out:
        with open(a.out, "w") as f:
            f.write(md + "\n")
        with open(os.path.splitext(a.out)[0] + ".json", "w") as f:
            json.dump(results, f, indent=1, default=str)
        log(f"results in {a.out}")
    if not ok:
        sys.exit("bench.py: the engines' answers differ (see above)")


if __name__ == "__main__":
    main()
