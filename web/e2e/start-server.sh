#!/usr/bin/env bash
# Starts `jiceng serve` for the browser tests on a fresh demo database (profile
# seed-county, ~20 000 members, "today" = 2004-12-31). Run by Playwright's webServer
# from web/; Playwright waits for /api/v1/codes and stops the server afterwards.
#
#   JICENG_BIN  binary to run (default $CARGO_TARGET_DIR or ../target, then debug/jiceng; the debug build serves
#               web/dist from disk, so run `npm run build` first)
#   E2E_PORT    port on 127.0.0.1 (playwright.config.ts passes a free one unless E2E_PORT is set;
#               18080 when this script is run by hand). The port is printed first; a busy port
#               is named and the script stops before building a database.
#   E2E_PROFILE demo profile (default seed-county; seed-city for the 分类定级 spec's second
#               server, password Jiceng@2011, "today" = 2012-12-31), or `init`: no demo, a fresh
#               deployment made by `jiceng init` (top org 中共测试县委员会, admin `admin` with the
#               password E2E_INIT_PASSWORD, default Jiceng@2026; no reference_date, so "today"
#               is the real date) for the whole-pipeline spec's third server. Each profile keeps
#               its own temp-dir prefix, so servers starting together never clean up each other.
set -euo pipefail

web="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${JICENG_BIN:-${CARGO_TARGET_DIR:-../target}/debug/jiceng}"
case "$bin" in /*) ;; *) bin="$web/$bin" ;; esac
port="${E2E_PORT:-18080}"
profile="${E2E_PROFILE:-seed-county}"
echo "start-server: $profile server on port $port (127.0.0.1:$port)"
# Something already listening there would answer Playwright's readiness check or make the
# bind fail after the demo database is built: say which port is busy, at once.
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "start-server: port $port on 127.0.0.1 is busy (another program listens there);" \
        "unset E2E_PORT to let Playwright choose free ports, or set E2E_PORT to a free one" >&2
    exit 1
fi
prefix="jiceng-e2e"
if [[ "$profile" != "seed-county" ]]; then prefix="jiceng-e2e-$profile"; fi

if [[ ! -x "$bin" ]]; then
    echo "start-server: no jiceng binary at $bin — run: (cd .. && cargo build -p jiceng)" >&2
    exit 1
fi
if [[ ! -f "$web/dist/index.html" ]]; then
    echo "start-server: web/dist is missing — run: npm run build" >&2
    exit 1
fi

# The database lives in memory-backed /dev/shm when there is one (the demo writes ~20 000
# members with their history: twice as fast as on disk), else in $TMPDIR.
base="${TMPDIR:-/tmp}"
if [[ -d /dev/shm && -w /dev/shm ]]; then base=/dev/shm; fi

# Directories of earlier runs whose server is gone (the server is exec'ed below, so
# nothing is left to clean up after it) are removed first.
for old in "$base"/"$prefix".*; do
    [[ -d "$old" ]] || continue
    pid="$(cat "$old/pid" 2>/dev/null || true)"
    if [[ -z "$pid" ]] || ! kill -0 "$pid" 2>/dev/null; then rm -rf "$old"; fi
done

tmp="$(mktemp -d "$base/$prefix.XXXXXX")"
echo $$ > "$tmp/pid"
db="sqlite://$tmp/e2e.db"

if [[ "$profile" == "init" ]]; then
    echo "start-server: a fresh deployment (jiceng init, no demo) in $tmp"
    printf '%s\n' "${E2E_INIT_PASSWORD:-Jiceng@2026}" |
        "$bin" init --db "$db" --org-name 中共测试县委员会 --founded 1950-10-01 --password-stdin \
            > "$tmp/init.log" 2>&1 || {
        cat "$tmp/init.log" >&2
        exit 1
    }
else
    echo "start-server: creating the $profile demo database in $tmp (seed-county: about half a minute)…"
    "$bin" demo --profile "$profile" --db "$db" > "$tmp/demo.log" 2>&1 || {
        cat "$tmp/demo.log" >&2
        exit 1
    }
fi
echo "start-server: serving on http://127.0.0.1:$port/"
# `jiceng serve` itself says 无法监听 127.0.0.1:<port> when the bind fails (taken meanwhile).
JICENG_LOG="${JICENG_LOG:-warn}" exec "$bin" serve --db "$db" --bind "127.0.0.1:$port"
