#!/usr/bin/env bash
# Run a command against a private, throw-away PostgreSQL cluster.
#
# Usage: scripts/with-postgres.sh CMD [ARGS...]
#
# - Finds a PostgreSQL server (/usr/lib/postgresql/<ver>/bin/pg_ctl, highest
#   version); installs the Debian package `postgresql` if none is present.
# - Creates a fresh cluster in a temp dir (superuser `jiceng`, trust auth),
#   listening on 127.0.0.1 on a free port, with durability switched off
#   (tests only!).
# - Exports JICENG_TEST_PG_URL=postgres://jiceng@127.0.0.1:PORT/postgres and
#   JICENG_REQUIRE_PG=1, runs CMD, then always stops the cluster and removes
#   the temp dir (normal exit, failure, INT/TERM/HUP; a detached watchdog
#   covers SIGKILL of this script). Exits with CMD's status.
#
# JICENG_PG_EXTRA_OPTS adds server options (e.g. "-c shared_buffers=2GB", used by
# bench/run.sh).
#
# Works as root (the cluster then runs as the `postgres` OS user, since
# initdb/postgres refuse to run as root) and as a normal user.
#
# The distribution's default cluster (`main`, port 5432) is never used and
# does not need to be running.
set -euo pipefail

log() { printf 'with-postgres: %s\n' "$*" >&2; }

if [[ $# -eq 0 ]]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

find_pg_bindir() {
    local best="" ver="" v ctl
    shopt -s nullglob
    for ctl in /usr/lib/postgresql/*/bin/pg_ctl; do
        v="$(basename "$(dirname "$(dirname "$ctl")")")"
        # numeric version compare on the major number (e.g. 15 vs 9.6)
        if [[ -z "$best" ]] || [[ "$(printf '%s\n%s\n' "$ver" "$v" | sort -V | tail -n1)" == "$v" ]]; then
            best="$(dirname "$ctl")"
            ver="$v"
        fi
    done
    shopt -u nullglob
    printf '%s' "$best"
}

PG_BIN="$(find_pg_bindir)"
if [[ -z "$PG_BIN" ]]; then
    log "no PostgreSQL server found; installing Debian package 'postgresql'"
    SUDO=()
    if [[ "$(id -u)" -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1; then
            SUDO=(sudo)
        else
            log "not root and no sudo: please install the 'postgresql' package"
            exit 1
        fi
    fi
    "${SUDO[@]}" apt-get update
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends postgresql
    # The package may create and start a default `main` cluster. We never
    # use it and leave it alone; nothing below depends on it.
    PG_BIN="$(find_pg_bindir)"
    if [[ -z "$PG_BIN" ]]; then
        log "PostgreSQL installed but no pg_ctl found under /usr/lib/postgresql"
        exit 1
    fi
fi

# When running as root the server must run as an unprivileged user
# (initdb and postgres refuse to run as root).
RUN_AS=()
if [[ "$(id -u)" -eq 0 ]]; then
    if ! id postgres >/dev/null 2>&1; then
        log "running as root but OS user 'postgres' does not exist"
        exit 1
    fi
    if command -v runuser >/dev/null 2>&1; then
        RUN_AS=(runuser -u postgres --)
    else
        # shellcheck disable=SC2016  # expanded by the inner sh, on purpose
        RUN_AS=(su -s /bin/sh -c '"$0" "$@"' -- postgres)
    fi
fi

pick_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' \
            && return 0
    fi
    local p
    for ((p = 54320; p < 55320; p++)); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            printf '%s\n' "$p"
            return 0
        fi
    done
    return 1
}

PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/jiceng-pg.XXXXXX")"
PG_DATA="$PG_DIR/data"
PG_LOG="$PG_DIR/log"
PG_STARTED=0

WATCHDOG=""

stop_server() {
    if [[ -f "$PG_DATA/postmaster.pid" ]]; then
        "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1 \
            || "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 30 stop >/dev/null 2>&1 \
            || true
    fi
}

# shellcheck disable=SC2329  # invoked via trap
cleanup() {
    local rc=$?
    trap - EXIT
    trap '' HUP INT TERM   # don't let a second Ctrl-C interrupt the cleanup
    if [[ -n "$WATCHDOG" ]]; then
        kill -KILL "$WATCHDOG" 2>/dev/null || true
    fi
    stop_server
    if [[ "$PG_STARTED" -eq 1 ]]; then
        log "PostgreSQL on 127.0.0.1:${PG_PORT:-?} stopped"
    fi
    rm -rf "$PG_DIR"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ "${#RUN_AS[@]}" -gt 0 ]]; then
    chown postgres: "$PG_DIR"
    # $TMPDIR may not be reachable by the postgres user (e.g. under /root).
    if ! "${RUN_AS[@]}" test -w "$PG_DIR"; then
        rm -rf "$PG_DIR"
        PG_DIR="$(mktemp -d /tmp/jiceng-pg.XXXXXX)"
        PG_DATA="$PG_DIR/data"
        PG_LOG="$PG_DIR/log"
        chown postgres: "$PG_DIR"
    fi
fi
chmod 700 "$PG_DIR"

if ! "${RUN_AS[@]}" "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U jiceng \
    -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1; then
    # older servers / missing locale: retry with plain C locale
    rm -rf "$PG_DATA"
    if ! "${RUN_AS[@]}" "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U jiceng \
        -E UTF8 --locale=C >"$PG_DIR/initdb.log" 2>&1; then
        log "initdb failed:"
        cat "$PG_DIR/initdb.log" >&2
        exit 1
    fi
fi

PG_PORT=""
for _attempt in 1 2 3 4 5; do
    PG_PORT="$(pick_port)" || { log "no free TCP port found"; exit 1; }
    if "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -w -t 60 -D "$PG_DATA" \
        -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 ${JICENG_PG_EXTRA_OPTS:-}" \
        -l "$PG_LOG" start >/dev/null 2>&1; then
        PG_STARTED=1
        break
    fi
    # The port may have been grabbed in the meantime; retry only in that case.
    if grep -q 'could not bind\|Address already in use' "$PG_LOG" 2>/dev/null; then
        log "port $PG_PORT taken, retrying"
        "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate stop >/dev/null 2>&1 || true
        continue
    fi
    break
done

if [[ "$PG_STARTED" -ne 1 ]]; then
    log "failed to start PostgreSQL ($PG_BIN); server log:"
    cat "$PG_LOG" >&2 2>/dev/null || true
    exit 1
fi

export JICENG_TEST_PG_URL="postgres://jiceng@127.0.0.1:${PG_PORT}/postgres"
export JICENG_REQUIRE_PG=1
log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') running at $JICENG_TEST_PG_URL (data: $PG_DATA)"

# Safety net: if this script is killed with SIGKILL (no trap can run), a
# small detached watchdog notices within a second, stops the cluster and
# removes the temp dir.
WRAPPER_PID=$$
watchdog() {
    trap '' HUP INT TERM
    while kill -0 "$WRAPPER_PID" 2>/dev/null; do sleep 1; done
    stop_server
    rm -rf "$PG_DIR"
}
if command -v setsid >/dev/null 2>&1; then
    # A background job is not a process-group leader, so setsid execs in place
    # and $! is the watchdog's own pid.
    setsid bash -c "$(declare -f stop_server watchdog); $(declare -p RUN_AS PG_BIN PG_DATA PG_DIR WRAPPER_PID); watchdog" \
        </dev/null >/dev/null 2>&1 &
else
    watchdog </dev/null >/dev/null 2>&1 &
fi
WATCHDOG=$!
disown "$WATCHDOG" 2>/dev/null || true   # no "Killed" job notice at the end

# Run the command as a child and wait for it, so that signals sent to this
# script are handled right away: they are forwarded to the command; after
# TERM/HUP the command gets 10 s to exit before it is killed. Then the EXIT
# trap stops the cluster. After INT (Ctrl-C) we keep waiting as long as the
# command chooses to keep running (like a shell does), e.g. psql cancelling
# a query.
CHILD=""
GOT_SIG=""
# shellcheck disable=SC2329  # invoked via trap
forward() {
    GOT_SIG=$1
    if [[ -n "$CHILD" ]]; then
        kill -s "$1" "$CHILD" 2>/dev/null || true
    fi
}
trap 'forward HUP' HUP
trap 'forward INT' INT
trap 'forward TERM' TERM

set +e
# Async commands start with SIGINT/SIGQUIT ignored; `trap -` restores the
# default so Ctrl-C still reaches the command. `<&0` keeps stdin attached
# (background jobs would otherwise read from /dev/null).
if { true <&0; } 2>/dev/null; then
    (trap - INT QUIT; exec "$@") <&0 &
else
    (trap - INT QUIT; exec "$@") </dev/null &
fi
CHILD=$!
deadline=""
while :; do
    wait "$CHILD"
    status=$?
    # `wait` also returns when a trapped signal arrives; loop while the
    # command is still alive.
    kill -0 "$CHILD" 2>/dev/null || break
    if [[ "$GOT_SIG" == TERM || "$GOT_SIG" == HUP ]]; then
        if [[ -z "$deadline" ]]; then
            deadline=$((SECONDS + 10))
        fi
        while kill -0 "$CHILD" 2>/dev/null && ((SECONDS < deadline)); do
            sleep 0.2
        done
        if kill -0 "$CHILD" 2>/dev/null; then
            log "command did not exit after SIG$GOT_SIG, killing it"
            kill -KILL "$CHILD" 2>/dev/null || true
        fi
    fi
done
# Collect the real exit status (the last `wait` may have been interrupted).
wait "$CHILD"
status=$?
set -e
exit "$status"
