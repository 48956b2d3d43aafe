# Jiceng — developer entry points.
#
#   make prereqs check Rust, a C compiler, make, Node.js and npm (scripts/check-prereqs.sh)
#   make build   release build of the `jiceng` binary (and the web UI, if any)
#   make run     build, create a demo database on first run, serve on :8080
#   make test    fmt check, clippy, all tests against a private PostgreSQL
#   make bench   run benchmarks (bench/run.sh) if present
#
# See docs/testing.md for how the test suite is organized.

CARGO ?= cargo
NPM ?= npm

BIN := ./target/release/jiceng
DB_FILE ?= jiceng.db
DB_URL ?= sqlite://$(DB_FILE)
BIND ?= 127.0.0.1:8080
DEMO_PROFILE ?= seed-county
DEMO_ADMIN_PASSWORD ?= Jiceng@2004

# The web UI lives in web/ once it exists; all web steps are skipped until then.
WEB_DIR := web
HAVE_WEB := $(wildcard $(WEB_DIR)/package.json)

.DEFAULT_GOAL := help

.PHONY: help prereqs build web run test web-test bench fmt lint clean openapi

help:
	@echo "Jiceng make targets:"
	@echo "  prereqs   check the build prerequisites and say how to get what is missing"
	@echo "  build     cargo build --release -p jiceng (runs 'prereqs' and 'web' first)"
	@echo "  web       npm ci && npm run build in $(WEB_DIR)/ (only if $(WEB_DIR)/package.json exists)"
	@echo "  run       build, create $(DB_FILE) with the '$(DEMO_PROFILE)' demo profile if missing, serve on http://$(BIND)/"
	@echo "  test      install test deps, fmt check, clippy -D warnings, cargo test with a private PostgreSQL, web tests"
	@echo "  web-test  web unit + e2e tests (npm run test:unit / test:e2e in $(WEB_DIR)/)"
	@echo "  bench     run bench/run.sh if present"
	@echo "  openapi   regenerate web/openapi.json from the API (the web client's types come from it)"
	@echo "  fmt       cargo fmt --all"
	@echo "  lint      cargo fmt --check + cargo clippy -D warnings"
	@echo "  clean     cargo clean (and remove web build output)"

# Says what is missing (and how to get it on Debian) before a long build fails half-way.
prereqs:
	@scripts/check-prereqs.sh

build: prereqs web
	$(CARGO) build --release -p jiceng

openapi:
	$(CARGO) run -q -p jiceng -- openapi > web/openapi.json.tmp && mv web/openapi.json.tmp web/openapi.json

web: prereqs
ifneq ($(HAVE_WEB),)
	cd $(WEB_DIR) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(NPM) ci --no-audit --no-fund && $(NPM) run build
else
	@echo "web: no $(WEB_DIR)/package.json, skipping web UI build"
endif

run: build
	@if [ ! -e "$(DB_FILE)" ]; then \
		echo "Creating demo database $(DB_FILE) (profile $(DEMO_PROFILE))..."; \
		rm -f "$(DB_FILE).partial" "$(DB_FILE).partial.key" "$(DB_FILE).partial-wal" "$(DB_FILE).partial-shm"; \
		$(BIN) demo --profile $(DEMO_PROFILE) --db "sqlite://$(DB_FILE).partial" && \
		mv "$(DB_FILE).partial.key" "$(DB_FILE).key" && mv "$(DB_FILE).partial" "$(DB_FILE)"; \
	fi
	@echo "服务地址 http://$(BIND)/ ；演示账号见 README（创建演示数据时也已打印）。"
	@echo "Serving at http://$(BIND)/ ; demo logins are listed in README (and were printed when the demo data was created)."
	@echo "管理员 / Admin login: admin / $(DEMO_ADMIN_PASSWORD)"
	$(BIN) serve --db $(DB_URL) --bind $(BIND)

# The web UI is built before the Rust tests so that the debug binary they build serves it;
# the browser tests then run against that binary (web/e2e/start-server.sh).
test:
	scripts/install-test-deps.sh
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(MAKE) web
	scripts/with-postgres.sh $(CARGO) test --workspace
ifneq ($(HAVE_WEB),)
	$(MAKE) web-test
endif

web-test:
	cd $(WEB_DIR) && $(NPM) run test:unit && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(NPM) run test:e2e

bench:
	@if [ -e bench/run.sh ]; then \
		bash bench/run.sh; \
	else \
		echo "no benchmarks yet"; \
	fi

fmt:
	$(CARGO) fmt --all

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

clean:
	$(CARGO) clean
	rm -rf $(WEB_DIR)/dist
