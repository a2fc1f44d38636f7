# Everything goes through .venv, created on first use from pyproject.toml.
# `make run` installs the runtime only; `make test` adds the test extra, `make lint` the lint extra.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
SUM     := $(shell cat pyproject.toml | cksum | cut -d' ' -f1)
RUN_STAMP  := $(VENV)/.installed-run-$(SUM)
TEST_STAMP := $(VENV)/.installed-test-$(SUM)
LINT_STAMP := $(VENV)/.installed-lint-$(SUM)

.PHONY: help run test test-deep test-slow test-container lint format-check contracts bench clean install install-test dist-check

help: ## this list: one line per target
	@awk -F':.*## ' '/^[a-z][a-z-]*:.*## / {printf "  make %-15s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(RUN_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e .
	rm -f $(VENV)/.installed-run-*
	touch $(RUN_STAMP)

$(TEST_STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-test-*
	touch $(TEST_STAMP)

$(LINT_STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install -q -e '.[test,lint]'
	rm -f $(VENV)/.installed-lint-*
	touch $(LINT_STAMP)

install: $(RUN_STAMP) ## the runtime into .venv (what `make run` needs)
install-test: $(TEST_STAMP) ## the runtime and the test extra into .venv

# Byte-compile our sources: start-up reads .pyc even where PYTHONDONTWRITEBYTECODE stops Python writing them.
PYC := $(BIN)/python -m compileall -q emulators benchmarks tests/echo >/dev/null

run: $(RUN_STAMP) ## serve all four emulators on 127.0.0.1:8701-8704
	@$(PYC)
	$(BIN)/emulators serve

# `make test` deselects the tests marked deep (tests/properties and the slowest property, socket and
# subprocess tests elsewhere, tests/conftest.py); `make test-deep` runs exactly those, so the two cover all.
test: $(TEST_STAMP) ## the suite on 2 workers (EMULATORS_STRICT=1), without the deep tests
	EMULATORS_STRICT=1 $(BIN)/python -m pytest -n 2 -p no:randomly -m "not deep"

# SuperOffice's own npm client (@superoffice/webapi) against the emulator: installed into a cache folder with npm;
# without node/npm it skips with one line.
NPM_CACHE ?= $(HOME)/.cache/emulators/npm
.PHONY: test-clients
test-clients: $(TEST_STAMP) ## SuperOffice's own npm client against the emulator (skips without node/npm)
	@if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then \
	  echo "test-clients: skipped: needs node and npm"; exit 0; fi; \
	[ -d "$(NPM_CACHE)/node_modules/@superoffice/webapi" ] || \
	  npm install --silent --no-audit --no-fund --prefix "$(NPM_CACHE)" @superoffice/webapi >/dev/null || \
	  { echo "test-clients: skipped: npm could not install @superoffice/webapi"; exit 0; }; \
	EMULATORS_STRICT=1 EMULATORS_NPM_MODULES="$(NPM_CACHE)/node_modules" \
	  $(BIN)/python -m pytest tests/clients -p no:randomly -q

test-deep: $(TEST_STAMP) ## what make test skips: the property tests (deep profile, fails under 50,000 requests) and the slow ones
	EMULATORS_STRICT=1 HYPOTHESIS_PROFILE=deep EMULATORS_DEEP_MIN_REQUESTS=50000 $(BIN)/python -m pytest -n 2 -p no:randomly -m deep

# The same tests at the quick hypothesis profile (CI runs make test-deep: 84,343 requests, 11 min on 2 cores).
test-slow: $(TEST_STAMP) ## what make test skips (the property suite and slow tests), at the quick profile
	EMULATORS_STRICT=1 $(BIN)/python -m pytest -n 2 -p no:randomly -m deep

# The container image under podman and the fleet behind nginx, for real (tests/deploy). As root it
# installs podman, nginx & co. and builds a local Debian base image first; otherwise it skips.
test-container: $(TEST_STAMP) ## the image, compose, testcontainers and the nginx fleet, for real (root; else skips)
	@rc=0; bash deploy/ci/prepare.sh || rc=$$?; [ $$rc -ne 3 ] || exit 0; [ $$rc -eq 0 ] || exit $$rc; \
	$(BIN)/python -m pip install -q 'testcontainers>=4.8' && \
	EMULATORS_DEPLOY_TESTS=1 CONTAINERS_CONF=$(CURDIR)/deploy/ci/containers.conf \
	  $(BIN)/python -m pytest tests/deploy -p no:randomly -q

lint: $(LINT_STAMP) ## ruff check, mypy, the import contract, ruff format --check
	$(BIN)/ruff check emulators tests benchmarks contracts
	$(BIN)/mypy
	$(BIN)/python -m tests.contract.layering  # the import contract: layers, the kernel's face, no circle
	$(BIN)/ruff format --check emulators tests benchmarks contracts

# not yet part of lint: the tree is reformatted once, after the parallel branches are merged
format-check: $(LINT_STAMP) ## ruff format --check only
	$(BIN)/ruff format --check emulators tests benchmarks contracts

# contracts that are generated: contracts/twelvebuild/openapi.yaml from generate.py + the committed seed copy
contracts: $(RUN_STAMP) ## regenerate contracts/twelvebuild/openapi.yaml from its seed
	$(BIN)/python contracts/twelvebuild/generate.py

bench: $(TEST_STAMP) ## issue 26's targets: req/s and req per CPU-s vs Starlette and WireMock, RSS, in-process, start-up (BENCH_PARTS)
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  { apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && \
	    apt-get install -y -qq wrk >/dev/null 2>&1; }; }; } || true  # benchmarks/__main__.py says so in one line
	@$(PYC)
	$(BIN)/python -m benchmarks

# The release artefacts as PyPI would get them: sdist + wheel built (no isolation: offline-safe), then
# `twine check` (metadata, README rendering). Run by .ci/run.
dist-check: $(RUN_STAMP) ## build the sdist and wheel, then twine check them
	$(BIN)/python -m pip install -q -e '.[release]'
	rm -rf dist
	$(BIN)/python -m build --no-isolation --outdir dist . >/dev/null
	$(BIN)/python -m twine check --strict dist/*

clean: ## remove .venv and build output
	rm -rf $(VENV) build dist *.egg-info

# Browser tests of the dashboard: Debian's headless Chromium + chromedriver (installed when root) and Selenium.
# (The venv with the test extra: $(STAMP) here, $(TEST_STAMP) where the stamps are split per extra.)
.PHONY: test-ui
test-ui: $(TEST_STAMP) ## the dashboard's browser tests (headless Chromium; else skips)
	@if ! command -v chromedriver >/dev/null 2>&1 || ! { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; }; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1 || \
	    { apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1; } || \
	    { echo "test-ui: skipped: apt-get could not install chromium chromium-driver"; exit 0; }; \
	  else echo "test-ui: skipped: needs Debian's chromium and chromium-driver (run as root to install them)"; exit 0; fi; \
	fi; \
	$(BIN)/python -c "import selenium" 2>/dev/null || $(BIN)/python -m pip install -q 'selenium>=4.15' >/dev/null 2>&1 || \
	  { echo "test-ui: skipped: selenium could not be installed with pip"; exit 0; }; \
	EMULATORS_STRICT=1 EMULATORS_BROWSER=1 $(BIN)/python -m pytest tests/browser -p no:randomly -p no:xdist
