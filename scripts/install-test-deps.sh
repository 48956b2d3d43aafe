#!/usr/bin/env bash
# Install (idempotently) the system packages `make test` needs on a fresh
# Debian machine, using only the distribution's own package archive:
#
#   postgresql  - server binaries for scripts/with-postgres.sh (the private
#                 test cluster; the distro's default cluster is not used)
#   chromium    - headless browser for the web UI browser tests
#
# Packages that are already present are left alone; `apt-get update` runs at
# most once and only if something has to be installed. Browsers are never
# downloaded from anywhere else.
set -euo pipefail

log() { printf 'install-test-deps: %s\n' "$*"; }

have_pg_server() {
    compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null
}

newest_pg_ctl() {
    printf '%s\n' /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -n1
}

have_chromium() {
    command -v chromium >/dev/null 2>&1
}

missing=()
if have_pg_server; then
    log "PostgreSQL server present ($(newest_pg_ctl))"
else
    missing+=(postgresql)
fi
if have_chromium; then
    log "chromium present ($(command -v chromium))"
else
    missing+=(chromium)
fi

# A CJK font, so that browser-test screenshots show Chinese text rather than empty boxes.
if [[ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ]] || fc-list 2>/dev/null | grep -qi "CJK"; then
    log "CJK font present"
else
    missing+=(fonts-noto-cjk)
fi
if ! command -v node >/dev/null 2>&1; then
    log "node not found: the web UI needs Node.js 20 or newer with npm"
fi

if [[ ${#missing[@]} -eq 0 ]]; then
    log "nothing to install"
    exit 0
fi

SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        log "missing packages: ${missing[*]}; run as root (or install sudo) to install them"
        exit 1
    fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
    log "missing packages: ${missing[*]}; apt-get not available, please install them manually"
    exit 1
fi

log "installing: ${missing[*]}"
"${SUDO[@]}" apt-get update
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"

# Verify.
status=0
if have_pg_server; then
    log "PostgreSQL server ok ($(newest_pg_ctl))"
    # The package may have created/started a default `main` cluster; we
    # never use it (scripts/with-postgres.sh runs its own cluster), so it is
    # left as it is.
else
    log "PostgreSQL server still missing after install"
    status=1
fi
if have_chromium; then
    log "chromium ok ($(chromium --version 2>/dev/null || command -v chromium))"
else
    log "chromium still missing after install"
    status=1
fi
exit "$status"
