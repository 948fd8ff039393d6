# Gridwalk: the two commands a newcomer needs on a fresh Debian machine.
#   make run   – set up; generate the demo county into a device store and print its summary;
#                load it into the sync server, print the demo logins, serve it in the
#                background and open the app pointed at it, until ctrl-c
#   make test  – set up, then run every check and test, the app's end-to-end test included
# Every target installs what it needs and is safe to run again.

SHELL := /bin/bash
CARGO ?= cargo
OUT ?= out
LISTEN ?= 127.0.0.1:8787
# Where cargo puts its builds (honours CARGO_TARGET_DIR).
BIN := $(or $(CARGO_TARGET_DIR),target)/debug
NODE_MIN := 20.19.0
TAURI_DRIVER_VERSION := 2.1.0
# The end-to-end test's whole budget, in seconds (its phases have their own limits too).
E2E_TIMEOUT ?= 2400
APT_PACKAGES := build-essential pkg-config ca-certificates libssl-dev file \
	libwebkit2gtk-4.1-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev librsvg2-dev \
	libayatana-appindicator3-dev xvfb xauth webkit2gtk-driver chromium fonts-noto-cjk \
	imagemagick sqlite3 postgresql

.PHONY: run test deps toolchain node npm-deps tauri-driver ui ui-check check-core-io \
	fmt-check clippy unit pg-test build e2e e2e-console bench clean

deps: toolchain node
	@bash scripts/apt-ensure.sh $(APT_PACKAGES)

toolchain:
	@command -v $(CARGO) >/dev/null || { echo "cargo not found: Gridwalk needs a stable Rust toolchain (1.90 or newer, edition 2024) on PATH" >&2; exit 1; }
	@$(CARGO) --version

node:
	@bash scripts/node-check.sh $(NODE_MIN)

npm-deps: node
	@bash scripts/npm-ensure.sh ui
	@bash scripts/npm-ensure.sh e2e
	@bash scripts/npm-ensure.sh e2e/console

tauri-driver: toolchain
	@bash scripts/tauri-driver-ensure.sh $(TAURI_DRIVER_VERSION)

# The app embeds ui/dist when it compiles: build the UI before any cargo step.
ui: deps npm-deps
	cd ui && npm run build

ui-check: ui
	cd ui && npm run check
	cd ui && npm test

run: deps npm-deps ui
	@mkdir -p $(OUT)
	@rm -f $(OUT)/demo-device.db $(OUT)/demo-device.db-wal $(OUT)/demo-device.db-shm
	@rm -f $(OUT)/server.db $(OUT)/server.db-wal $(OUT)/server.db-shm
	$(CARGO) build --locked -q -p gridwalk-datagen -p gridwalk-server -p gridwalk-app
	$(BIN)/gridwalk-datagen fill --preset demo --db $(OUT)/demo-device.db --summary
	$(BIN)/gridwalk-server --db $(OUT)/server.db demo
	@bash scripts/run-demo.sh $(OUT) $(LISTEN)

test: deps tauri-driver ui ui-check fmt-check clippy check-core-io unit pg-test build e2e-console e2e

fmt-check:
	$(CARGO) fmt --all -- --check

clippy: ui
	$(CARGO) clippy --locked --workspace --all-targets -- -D warnings

check-core-io:
	@bash scripts/check-core-io.sh

# Every test of the workspace, with stories on the default backend (SQLite). The tests that
# need PostgreSQL (the schema test, two nodes on one grid, the load-test smoke run) get a
# throwaway cluster from scripts/with-pg.sh, stopped and removed even when a test fails.
unit: ui
	@bash scripts/with-pg.sh $(CARGO) test --locked --workspace

# The server's integration suite again, every story on PostgreSQL.
pg-test: ui
	@GW_TEST_BACKEND=postgres bash scripts/with-pg.sh \
		$(CARGO) test --locked -p gridwalk-server --test server

# The app and the server (and everything else), with the feature set `cargo test --workspace`
# used: dev-dependencies add features to shared crates only when test targets are built, so
# `cargo build -p gridwalk-app -p gridwalk-server` alone would compile the GTK/WebKit/Tauri
# stack a second time (about 3 minutes on 2 cores, measured). After `unit` this is a no-op.
build: ui
	$(CARGO) build --locked --workspace --all-targets
	@test -x $(BIN)/gridwalk-app && test -x $(BIN)/gridwalk-server

e2e: npm-deps tauri-driver
	timeout --kill-after=30 $(E2E_TIMEOUT) bash e2e/run.sh

# The supervisor console in Debian's Chromium (playwright-core, no browser download) against
# a real server with the demo county, with the device side driven by gridwalk-field-cli.
e2e-console: npm-deps
	timeout --kill-after=30 900 bash e2e/console/run.sh

# Benchmarks build in release mode and are kept out of `make test` on purpose.
bench: deps
	$(CARGO) run --locked --release -p gridwalk-datagen --bin gridwalk-device-bench

clean:
	rm -rf $(OUT) e2e/artifacts
