#!/usr/bin/env bash
# Checks what building Jiceng needs and says how to get what is missing. `make build` and
# `make run` run it first; run it by hand on a new machine:
#
#   scripts/check-prereqs.sh          # everything (Rust, C compiler, make, Node.js and npm)
#   scripts/check-prereqs.sh --rust   # only what the Rust build needs (no web UI)
#
# The minimum versions are read from the project: `rust-version` in Cargo.toml and
# `engines.node` in web/package.json. Exit status 0 when everything is there, 1 otherwise
# (every missing piece is listed, not only the first).
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
only_rust=0
if [[ "${1:-}" == "--rust" ]]; then only_rust=1; fi

missing=0
ok() { printf '  ok       %s\n' "$1"; }
bad() {
    printf '  MISSING  %s\n' "$1"
    shift
    for line in "$@"; do printf '           %s\n' "$line"; done
    missing=1
}

# version_ge A B: is dotted version A >= B?
version_ge() {
    [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]
}

rust_min="$(sed -n 's/^rust-version *= *"\([0-9.]*\)".*/\1/p' "$root/Cargo.toml" | head -n1)"
rust_min="${rust_min:-1.85}"
node_min="$(sed -n 's/.*"node": *">=\([0-9.]*\)".*/\1/p' "$root/web/package.json" 2>/dev/null | head -n1)"
node_min="${node_min:-20.19.0}"

echo "Jiceng build prerequisites / 编译所需环境:"

rustup_hint=(
    "Debian 12 packages Rust 1.63, too old. Install rustup, the Rust project's toolchain"
    "installer, as the install page of the Rust website describes (one shell command), then:"
    "  . \"\$HOME/.cargo/env\" && rustup toolchain install stable && rustup default stable"
    "Debian 13 packages a new enough toolchain: apt-get install -y cargo rustc"
    "Debian 12 自带的 Rust 太旧：请按 Rust 官网安装页的说明安装 rustup，再运行 rustup default stable；"
    "Debian 13 可直接 apt-get install cargo rustc。"
)
if command -v cargo >/dev/null 2>&1 && command -v rustc >/dev/null 2>&1; then
    have="$(rustc --version | awk '{print $2}')"
    if version_ge "${have%%-*}" "$rust_min"; then
        ok "Rust $have (>= $rust_min)"
    else
        bad "Rust $rust_min or newer (found $have)" "${rustup_hint[@]}" \
            "With rustup already installed: rustup update stable"
    fi
else
    bad "Rust $rust_min or newer (cargo, rustc)" "${rustup_hint[@]}"
fi

if command -v cc >/dev/null 2>&1; then
    ok "C compiler ($(command -v cc))"
else
    bad "a C compiler (some crates build C code)" "apt-get install -y build-essential"
fi

if command -v make >/dev/null 2>&1; then
    ok "make"
else
    bad "make" "apt-get install -y make"
fi

if [[ "$only_rust" == 0 && -f "$root/web/package.json" ]]; then
    node_hint=(
        "Debian 12 packages Node.js 18, too old for the web build. Either:"
        "  - install a current Node.js LTS release (20.19 or newer, e.g. 22) from the Node.js"
        "    project's own Debian packages (NodeSource), following the instructions on the"
        "    Node.js download page; or"
        "  - install nvm (Node Version Manager, see its README), then: nvm install 22 && nvm use 22"
        "Debian 13 packages Node.js 20.19: apt-get install -y nodejs npm"
        "Debian 12 自带的 Node.js 18 太旧：请按 Node.js 官网下载页的说明安装 NodeSource 提供的 Debian 软件包，"
        "或用 nvm 安装（nvm install 22）；Debian 13 可直接 apt-get install nodejs npm。"
    )
    if command -v node >/dev/null 2>&1; then
        have="$(node --version | sed 's/^v//')"
        if version_ge "$have" "$node_min"; then
            ok "Node.js $have (>= $node_min)"
        else
            bad "Node.js $node_min or newer (found $have)" "${node_hint[@]}"
        fi
    else
        bad "Node.js $node_min or newer" "${node_hint[@]}"
    fi
    if command -v npm >/dev/null 2>&1; then
        ok "npm $(npm --version 2>/dev/null)"
    else
        bad "npm (comes with Node.js; Debian: apt-get install -y npm)"
    fi
fi

if [[ "$missing" != 0 ]]; then
    echo "Install what is MISSING above, then run the command again (docs/install.md explains each step)."
    echo "请先安装上面标为 MISSING 的部分，再重新运行（详见 docs/install.md）。"
    exit 1
fi
