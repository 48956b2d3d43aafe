#!/usr/bin/env bash
# make bench: the statistics engine against DuckDB and PostgreSQL 15 on the same generated
# national data (issue 4). See bench/README.md and docs/performance.md.
#
# Usage: bench/run.sh [--scale N] [--runs R] [--load-scale M]
#   SCALE       members on the roster (default 20 000 000; --scale wins)
#   RUNS        timed runs per query, after one warm-up (default 5)
#   LOAD_SCALE  members for the bulk-load speed test into SQLite and PostgreSQL
#               (default 1 000 000; 0 skips it)
#   BENCH_DIR   where data and results go (default: $CARGO_TARGET_DIR or target, /bench)
#   BENCH_VENV  Python venv with duckdb and psycopg (default target/bench-venv)
#   CARGO_TARGET_DIR  as for cargo (the release binary is taken from there)
#   REGENERATE=1 regenerate the CSV even when it exists for this scale and seed
#   PG_SHARED_BUFFERS  PostgreSQL shared_buffers (default 4GB)
#   SKIP_PG=1   compare Jiceng with DuckDB only: no PostgreSQL table (at 100 M members it
#               needs ~20 GB of disk besides the CSV); the bulk-load test still uses it
set -euo pipefail
cd "$(dirname "$0")/.."

SCALE="${SCALE:-20000000}"
RUNS="${RUNS:-5}"
LOAD_SCALE="${LOAD_SCALE:-1000000}"
SEED="${SEED:-20241231}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --scale) SCALE="$2"; shift 2 ;;
        --scale=*) SCALE="${1#*=}"; shift ;;
        --runs) RUNS="$2"; shift 2 ;;
        --runs=*) RUNS="${1#*=}"; shift ;;
        --load-scale) LOAD_SCALE="$2"; shift 2 ;;
        --load-scale=*) LOAD_SCALE="${1#*=}"; shift ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "bench/run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

TARGET="${CARGO_TARGET_DIR:-target}"
BENCH_DIR="${BENCH_DIR:-$TARGET/bench}"
VENV="${BENCH_VENV:-target/bench-venv}"
CARGO="${CARGO:-cargo}"
mkdir -p "$BENCH_DIR"

log() { printf 'bench: %s\n' "$*" >&2; }

# Python side: DuckDB and the PostgreSQL driver, in a private venv.
if [[ ! -x "$VENV/bin/python" ]]; then
    log "creating $VENV"
    python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c 'import duckdb, psycopg' 2>/dev/null; then
    log "installing duckdb and psycopg into $VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check duckdb 'psycopg[binary]'
fi

log "building jiceng (release)"
"$CARGO" build --release -p jiceng
BIN="$TARGET/release/jiceng"

DATA="$BENCH_DIR/data-$SCALE-$SEED"
if [[ "${REGENERATE:-0}" == 1 || ! -f "$DATA/meta.json" ]]; then
    rm -rf "$DATA"
    log "generating $SCALE members into $DATA"
    "$BIN" demo --profile national --scale "$SCALE" --seed "$SEED" --csv "$DATA" --csv-only
else
    log "reusing $DATA (REGENERATE=1 to rebuild)"
fi

BENCH_ARGS=()
if [[ "${SKIP_PG:-0}" == 1 ]]; then
    BENCH_ARGS+=(--skip-pg)
fi
export JICENG_PG_EXTRA_OPTS="-c shared_buffers=${PG_SHARED_BUFFERS:-4GB} -c max_parallel_workers_per_gather=$(nproc) -c work_mem=256MB -c maintenance_work_mem=1GB"
exec scripts/with-postgres.sh "$VENV/bin/python" bench/bench.py \
    --data "$DATA" --bin "$BIN" --runs "$RUNS" --load-scale "$LOAD_SCALE" \
    --work "$BENCH_DIR" --out "$BENCH_DIR/results-$SCALE.md" "${BENCH_ARGS[@]}"
