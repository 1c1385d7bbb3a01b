# Two entry points for a fresh machine: `make run` and `make test` (see README.md).
SHELL := /bin/bash
NPM ?= npm
NODE ?= node
# Debian packages the integration tests drive as real peers.
TEST_DEBS := procps openssh-client openssh-server sshpass lftp curl rclone litmus cadaver openssl unzip zip apache2-utils argon2 python3 python3-bcrypt git rsync chromium
# Debian packages `make dist` needs for linux-arm64 on an x64 machine: the cross compiler (for ssh2's
# sshcrypto.node; it brings the arm64 libc/libstdc++ that qemu runs Node with) and qemu-user.
DIST_DEBS := g++-aarch64-linux-gnu qemu-user-static
# Reference servers the benchmarks run side by side with ours (bench/*/run.ts).
BENCH_DEBS := vsftpd nginx-light openssh-server openssh-client sshpass lftp curl

.PHONY: all install build run test test-unit check typecheck lint layering example-config deps-test deps-dist deps-bench bench dist test-dist clean

all: build

node_modules/.install-stamp: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	@touch $@

install: node_modules/.install-stamp

build: install
	$(NPM) run --silent build

run: build
	$(NODE) bin/sftpgo serve --config-dir $${SFTPGO_CONFIG_DIR:-.}

# Installs the given Debian packages when any is missing (CI machines start without them).
define install_debs
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

deps-test:
	$(call install_debs,$(TEST_DEBS))

deps-dist:
	$(call install_debs,$(DIST_DEBS))

deps-bench:
	$(call install_debs,$(BENCH_DEBS))

typecheck: install
	$(NPM) run --silent typecheck

lint: install
	$(NPM) run --silent lint

layering:
	$(NODE) scripts/check-layering.mjs

example-config: install
	$(NPM) run --silent gen:example-config

check: typecheck lint layering

test: install deps-test build dist check
	$(NODE) scripts/run-tests.mjs

# Self-contained executables: dist/sftpgo (linux-x64) and dist/sftpgo-linux-arm64 (Node SEA; see
# scripts/build-sea.mjs). The bundle is built once for both.
dist: install deps-dist
	$(NODE) scripts/build-sea.mjs --arch all

# Builds the executables and runs the tests that drive them with Node absent from PATH.
test-dist: dist deps-test
	SFTPGO_TEST_REQUIRE_ALL=1 $(NODE) scripts/run-tests.mjs test/integration/dist

bench: build deps-bench
	$(NODE) scripts/run-bench.mjs

clean:
	rm -rf build dist
