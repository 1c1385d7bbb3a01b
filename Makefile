# Two entry points for a fresh machine: `make run` and `make test` (see README.md).
SHELL := /bin/bash
NPM ?= npm
NODE ?= node
# Debian packages the integration tests drive as real peers.
TEST_DEBS := openssh-client openssh-server sshpass lftp curl rclone litmus cadaver openssl unzip zip git rsync

.PHONY: all install build run test test-unit check typecheck lint layering example-config deps-test bench dist test-dist clean

all: build

node_modules/.install-stamp: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	@touch $@

install: node_modules/.install-stamp

build: install
	$(NPM) run --silent build

run: build
	$(NODE) bin/sftpgo serve --config-dir $${SFTPGO_CONFIG_DIR:-.}

# Installs the Debian packages for real clients when any is missing (CI machines start without them).
deps-test:
	@missing=""; for p in $(TEST_DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

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

# One self-contained executable, dist/sftpgo (Node SEA; see scripts/build-sea.mjs).
dist: install
	$(NODE) scripts/build-sea.mjs

# Builds dist/sftpgo and runs the tests that drive it with Node absent from PATH.
test-dist: dist deps-test
	SFTPGO_TEST_REQUIRE_ALL=1 $(NODE) scripts/run-tests.mjs test/integration/dist

bench: build
	$(NODE) scripts/run-bench.mjs

clean:
	rm -rf build dist
