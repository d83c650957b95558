# Mediawatch: two commands on a fresh Debian 12 / Ubuntu 22.04+ machine.
#   make run    installs what is missing, builds the UI and starts the desktop app
#   make test   installs what the tests need, then runs every check and test suite
# Both are idempotent and fast when nothing is missing. Other targets: make help.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

export PATH := $(HOME)/.cargo/bin:$(PATH)
CARGO ?= cargo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CORPORA ?= ../shared/corpora
APP_BIN := target/debug/mediawatch-app

# Debian packages: to build and run the Tauri app, and for the tests (real window under Xvfb).
APT_RUN := libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev librsvg2-dev \
           libayatana-appindicator3-dev libssl-dev pkg-config build-essential curl file
# The fonts PDF reports are set in: Noto Sans (Latin, Cyrillic, Greek and more) and Noto Sans CJK.
APT_RUN += fonts-noto-core fonts-noto-cjk
# dbus-daemon and gnome-keyring: the D-Bus tests' throw-away session, Secret Service and notification server.
APT_TEST := xvfb xauth webkit2gtk-driver xdotool dbus-daemon gnome-keyring
# poppler-utils: the PDF reports read back (pdftotext, pdffonts, pdftoppm).
APT_TEST += poppler-utils
# The peers that `make bench` measures Mediawatch against (newsboat; Liferea, with Xvfb, xdotool and a D-Bus
# session for the idle-memory benchmark; Python trafilatura, pip-installed in a venv under target/, which needs
# Debian's python3-venv); runs per benchmark scenario.
APT_BENCH := newsboat liferea xvfb xdotool dbus-daemon python3-venv time
BENCH_RUNS ?= 5
BENCH_VENV := target/bench-venv
# lxml >= 5.2 moved lxml.html.clean (which jusText, a trafilatura dependency, imports) to lxml_html_clean.
BENCH_PIP := trafilatura==2.3.1 lxml_html_clean==0.4.6 feedparser==6.0.11 openpyxl==3.1.5 weasyprint==66.0

UI_SOURCES := $(shell find ui/src -type f 2>/dev/null) ui/index.html ui/vite.config.ts ui/package-lock.json

.PHONY: help run test disk-space deps-run deps-test deps-ui toolchain ui app cli lint rust-build test-rust test-dbus test-ui test-e2e e2e bindings fmt conformance bench fuzz clean

help:
	@echo "make run       install what is missing, build the UI and start the Mediawatch desktop app"
	@echo "make test      install test tools, then: fmt, clippy, Rust tests, UI check/lint/tests, e2e under Xvfb"
	@echo "make cli       build the mediawatch command line (target/debug/mediawatch)"
	@echo "make bindings  regenerate ui/src/lib/bindings.ts from the Rust commands"
	@echo "make fmt       format the Rust code"
	@echo "make bench     benchmarks side by side with their peers (installs newsboat, liferea, trafilatura in target/bench-venv); results go to BENCHMARKS.md"
	@echo "make fuzz      fuzz the query parser and the engine against the reference (nightly + cargo-fuzz; FUZZ_SECONDS=120 each)"

# ---- setup ---------------------------------------------------------------------------------------------

# Installs the Debian packages in $(1) that are not installed yet (apt-get update only when needed).
define apt_install
	@missing=""; for p in $(1); do dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

toolchain:
	@command -v $(CARGO) >/dev/null || { echo "Rust is missing: install it with rustup (https://rustup.rs), then re-run make"; exit 1; }
	@command -v node >/dev/null && command -v npm >/dev/null || { \
	  echo "installing Node.js and npm from apt"; $(SUDO) apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm >/dev/null; }
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("Node.js >= 20.19 is needed for the UI build (found "+process.versions.node+"); install a newer Node.js, e.g. from NodeSource, then re-run make"); process.exit(1) }'

deps-run: toolchain
	$(call apt_install,$(APT_RUN))

deps-test: deps-run
	$(call apt_install,$(APT_TEST))
	@command -v tauri-driver >/dev/null || { echo "installing tauri-driver"; $(CARGO) install tauri-driver --locked --quiet; }

deps-ui: ui/node_modules/.package-lock.json e2e/node_modules/.package-lock.json

ui/node_modules/.package-lock.json: ui/package.json ui/package-lock.json | toolchain
	cd ui && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The e2e suite's one dependency (axe-core, for the accessibility check).
e2e/node_modules/.package-lock.json: e2e/package.json e2e/package-lock.json | toolchain
	cd e2e && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# ---- build ---------------------------------------------------------------------------------------------

ui: ui/dist/index.html

ui/dist/index.html: $(UI_SOURCES) ui/node_modules/.package-lock.json
	cd ui && npm run build --silent

app: deps-run ui
	$(CARGO) build -p mediawatch-app

cli:
	$(CARGO) build -p mediawatch-cli

run: app
	$(APP_BIN)

bindings: ui
	UPDATE_BINDINGS=1 $(CARGO) test -p mediawatch-app --test bindings

fmt:
	$(CARGO) fmt --all

# A clean build of everything `make test` compiles takes about 4.5 GB under target/ (measured on a clean clone);
# say so up front rather than fail minutes later with "No space left on device".
NEED_MB := 5000
disk-space:
	@mkdir -p target; free=$$(df -Pm target | awk 'NR==2 {print $$4}'); \
	if [ "$$free" -lt $(NEED_MB) ]; then \
	  echo "warning: only $$free MB free for target/ ($$(df -P target | awk 'NR==2 {print $$6}')); a clean build needs about $(NEED_MB) MB"; \
	fi

# ---- tests ---------------------------------------------------------------------------------------------

test: disk-space deps-test deps-ui ui
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-ui
	$(MAKE) --no-print-directory test-rust
	$(MAKE) --no-print-directory test-dbus
	$(MAKE) --no-print-directory conformance
	$(MAKE) --no-print-directory test-e2e

lint:
	@echo "== rustfmt"
	$(CARGO) fmt --all -- --check
	@echo "== clippy"
	$(CARGO) clippy --workspace --all-targets --quiet -- -D warnings
	@echo "== UI type check and lint"
	cd ui && npm run --silent check && npm run --silent lint

test-ui:
	@echo "== UI unit tests"
	cd ui && npm test --silent
	@echo "== e2e WebDriver client self-test"
	node e2e/webdriver.selftest.mjs

# One cargo build of every workspace target (libraries, binaries, test harnesses), with one feature set: the
# Rust tests, the conformance suites and the end-to-end app all run what it built. Building the app alone
# (`cargo build -p mediawatch-app`) resolves features without the test targets' dev-dependencies and rebuilt
# 80 crates (tokio, reqwest, glib, gtk, tauri...) that the test build had just built with other features, and
# `cargo run -p mediawatch-conformance` rebuilt the core once more. A cold `make test` in a clean clone on 2 cores:
# 527 s before, 447 s after (issue 18).
RUST_BUILD := $(CARGO) build --workspace --all-targets
CONFORMANCE := target/debug/mediawatch-conformance

rust-build:
	$(RUST_BUILD)

test-rust: rust-build
	@echo "== Rust tests (unit, integration against 127.0.0.1, CLI, bindings freshness, tidy)"
	$(CARGO) test --workspace

# What needs a D-Bus session: the real Secret Service (a throw-away gnome-keyring, unlocked with a password that
# must not be empty or every write waits for a prompt), and desktop notifications that report their click (a
# notification server of the test's own). MEDIAWATCH_REQUIRE_DBUS makes those tests fail instead of skip.
# `--workspace`, as in test-rust, so cargo reuses that build.
test-dbus: rust-build
	@echo "== D-Bus tests (Secret Service in gnome-keyring, clickable notifications) in a throw-away session"
	d=$$(mktemp -d) && trap 'rm -rf "$$d"' EXIT && XDG_DATA_HOME="$$d" MEDIAWATCH_REQUIRE_DBUS=1 \
	  dbus-run-session -- sh -c 'printf %s mediawatch-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null \
	  && $(CARGO) test --workspace --test secrets && $(CARGO) test --workspace --lib -- notify::linux'

# `set -e`: a suite that misses its bar fails the target, not only the last one.
conformance: rust-build
	@set -e; if [ -d "$(CORPORA)" ]; then \
	  echo "== conformance: miniflux encoding fixtures ($(CORPORA)/miniflux-encoding-fixtures)"; \
	  $(CONFORMANCE) miniflux "$(CORPORA)/miniflux-encoding-fixtures"; \
	  echo "== conformance: feed-rs fixtures ($(CORPORA)/feed-rs)"; \
	  $(CONFORMANCE) feed-rs "$(CORPORA)/feed-rs"; \
	  echo "== conformance: feedparser date cases ($(CORPORA)/feedparser/date_cases.json)"; \
	  $(CONFORMANCE) dates "$(CORPORA)/feedparser"; \
	  echo "== conformance: feedparser's test suite ($(CORPORA)/feedparser)"; \
	  $(CONFORMANCE) feedparser "$(CORPORA)/feedparser"; \
	  echo "== conformance: feedparser's sanitiser cases through the display sanitiser ($(CORPORA)/feedparser)"; \
	  $(CONFORMANCE) sanitize "$(CORPORA)/feedparser"; \
	  echo "== conformance: article extraction on mozilla/readability's test pages ($(CORPORA)/readability-test-pages)"; \
	  $(CONFORMANCE) readability "$(CORPORA)/readability-test-pages"; \
	  echo "== conformance: Chinese article extraction and charset detection ($(CORPORA)/chinese-web-content-extraction)"; \
	  $(CONFORMANCE) chinese "$(CORPORA)/chinese-web-content-extraction"; \
	  echo "== conformance: the Luwak stored-query workload, engine vs the reference evaluator ($(CORPORA)/luwak)"; \
	  $(CONFORMANCE) luwak "$(CORPORA)/luwak"; \
	else \
	  echo "== conformance: $(CORPORA) is absent, conformance harnesses skipped"; \
	fi

# The real app window under Xvfb, driven through tauri-driver + WebKitWebDriver. Screenshots: e2e/artifacts/.
test-e2e e2e: ui rust-build e2e/node_modules/.package-lock.json
	@echo "== end-to-end test in the real window (screenshots under e2e/artifacts/)"
	MW_APP="$(CURDIR)/$(APP_BIN)" xvfb-run -a -s "-screen 0 1400x900x24" node e2e/run.mjs

# ---- benchmarks (not part of make test; see BENCHMARKS.md) ---------------------------------------------

bench:
	@command -v $(CARGO) >/dev/null || { echo "Rust is missing: install it with rustup (https://rustup.rs), then re-run make"; exit 1; }
	$(call apt_install,$(APT_BENCH))
	$(CARGO) build --release -p mediawatch-cli -p mediawatch-bench
	@echo "== feed refresh: mediawatch fetch --all vs newsboat -x reload, $(BENCH_RUNS) runs per scenario"
	target/release/mediawatch-bench refresh --runs $(BENCH_RUNS) --mediawatch target/release/mediawatch
	@echo "== alerts: store → webhook latency (vs a bare POST), 1,000 rules on a 300-feed cycle (vs none)"
	target/release/mediawatch-bench alerts --runs 40
	@[ -x "$(BENCH_VENV)/bin/pip" ] || { echo "creating the Python venv $(BENCH_VENV)"; python3 -m venv "$(BENCH_VENV)"; }
	"$(BENCH_VENV)/bin/pip" install -q --disable-pip-version-check $(BENCH_PIP)
	@echo "== reports: export XLSX/CSV (20,000) and PDF (500) vs openpyxl and WeasyPrint; peak memory at 100,000"
	target/release/mediawatch-bench reports --runs $(BENCH_RUNS) --python "$(BENCH_VENV)/bin/python" --mediawatch target/release/mediawatch
	@echo "== desktop: 1,000,000 generated articles (kept in target/bench-desktop.db), the window's calls at the core's API"
	target/release/mediawatch-bench desktop --runs 30 --db target/bench-desktop.db
	@echo "== memory: the idle window (release app, UI built first) holding that database vs Liferea holding 300 local feeds"
	$(MAKE) --no-print-directory deps-run ui
	$(CARGO) build --release -p mediawatch-app
	target/release/mediawatch-bench memory --runs 3 --idle-secs 60 --app target/release/mediawatch-app --db target/bench-desktop.db
	@if [ -d "$(CORPORA)" ]; then \
	  echo "== feed parsing throughput: parse_feed vs feed_rs::parser::parse ($(CORPORA))"; \
	  target/release/mediawatch-bench parse "$(CORPORA)"; \
	else \
	  echo "== $(CORPORA) is absent, the parsing benchmark is skipped"; \
	fi
	@if [ -d "$(CORPORA)" ]; then \
	  [ -x "$(BENCH_VENV)/bin/pip" ] || { echo "creating the Python venv $(BENCH_VENV)"; python3 -m venv "$(BENCH_VENV)"; }; \
	  "$(BENCH_VENV)/bin/pip" install -q --disable-pip-version-check $(BENCH_PIP); \
	  echo "== article extraction: extract::extract vs Python trafilatura, $(BENCH_RUNS) runs per set ($(CORPORA))"; \
	  target/release/mediawatch-bench extract "$(CORPORA)" --runs $(BENCH_RUNS) --python "$(BENCH_VENV)/bin/python"; \
	else \
	  echo "== $(CORPORA) is absent, the extraction benchmark (vs trafilatura) is skipped"; \
	fi
	@if [ -d "$(CORPORA)" ]; then \
	  echo "== ingest pipeline: one fetch cycle over teasers and real article pages vs Python feedparser + trafilatura, $(BENCH_RUNS) runs"; \
	  target/release/mediawatch-bench ingest "$(CORPORA)" --runs $(BENCH_RUNS) --python "$(BENCH_VENV)/bin/python"; \
	else \
	  echo "== $(CORPORA) is absent, the ingest benchmark is skipped"; \
	fi
	@if [ -d "$(CORPORA)" ]; then \
	  echo "== topic engine: mediawatch match vs the reference evaluator and per-batch SQLite FTS5 (Luwak workload), scaling, backfill"; \
	  target/release/mediawatch-bench topics "$(CORPORA)" --runs $(BENCH_RUNS) --python python3 --mediawatch target/release/mediawatch; \
	else \
	  echo "== $(CORPORA) is absent, the topic engine benchmark is skipped"; \
	fi

# ---- fuzzing (not part of make test; the nightly toolchain and cargo-fuzz; see fuzz/README.md) ------------

FUZZ_SECONDS ?= 120

fuzz:
	command -v cargo-fuzz >/dev/null || $(CARGO) install --locked cargo-fuzz
	cd fuzz && cargo +nightly fuzz run query_parse -- -max_total_time=$(FUZZ_SECONDS) -dict=query.dict
	cd fuzz && cargo +nightly fuzz run match_doc -- -max_total_time=$(FUZZ_SECONDS) -max_len=2048 -dict=query.dict

clean:
	$(CARGO) clean
	rm -rf ui/dist ui/node_modules e2e/artifacts
