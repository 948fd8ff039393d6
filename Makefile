# Gridwalk: the two commands a newcomer needs on a fresh Debian machine.
#   make run   – set up; generate the demo county into a device store and print its summary;
#                load it into the sync server, print the demo logins, and serve until ctrl-c
#   make test  – set up, then run every check and test
# Every target installs what it needs and is safe to run again.

SHELL := /bin/bash
CARGO ?= cargo
OUT ?= out
LISTEN ?= 127.0.0.1:8787
APT_PACKAGES := build-essential pkg-config ca-certificates

.PHONY: run test deps toolchain check-core-io fmt-check clippy unit bench clean

deps: toolchain
	@bash scripts/apt-ensure.sh $(APT_PACKAGES)

toolchain:
	@command -v $(CARGO) >/dev/null || { echo "cargo not found: Gridwalk needs a stable Rust toolchain (1.85 or newer, edition 2024) on PATH" >&2; exit 1; }
	@$(CARGO) --version

run: deps
	@mkdir -p $(OUT)
	@rm -f $(OUT)/demo-device.db $(OUT)/demo-device.db-wal $(OUT)/demo-device.db-shm
	@rm -f $(OUT)/server.db $(OUT)/server.db-wal $(OUT)/server.db-shm
	$(CARGO) build --locked -q -p gridwalk-datagen -p gridwalk-server
	target/debug/gridwalk-datagen fill --preset demo --db $(OUT)/demo-device.db --summary
	target/debug/gridwalk-server --db $(OUT)/server.db demo
	target/debug/gridwalk-server --db $(OUT)/server.db serve --listen $(LISTEN)

test: deps fmt-check clippy check-core-io unit

fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --locked --workspace --all-targets -- -D warnings

check-core-io:
	@bash scripts/check-core-io.sh

unit:
	$(CARGO) test --locked --workspace

# Benchmarks build in release mode and are kept out of `make test` on purpose.
bench: deps
	$(CARGO) run --locked --release -p gridwalk-datagen --bin gridwalk-device-bench

clean:
	rm -rf $(OUT)
