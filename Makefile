# Everything goes through .venv, created on first use from pyproject.toml.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test test-deep test-container lint bench clean install

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Byte-compile our sources: start-up reads .pyc even where PYTHONDONTWRITEBYTECODE stops Python writing them.
PYC := $(BIN)/python -m compileall -q emulators benchmarks tests/echo >/dev/null

run: $(STAMP)
	@$(PYC)
	$(BIN)/emulators serve

test: $(STAMP)
	EMULATORS_STRICT=1 $(BIN)/python -m pytest -n 2 -p no:randomly

test-deep: $(STAMP)
	EMULATORS_STRICT=1 HYPOTHESIS_PROFILE=deep $(BIN)/python -m pytest -n 2 tests/properties

# The container image under podman and the fleet behind nginx, for real (tests/deploy). As root it
# installs podman, nginx & co. and builds a local Debian base image first; otherwise it skips.
test-container: $(STAMP)
	@rc=0; bash deploy/ci/prepare.sh || rc=$$?; [ $$rc -ne 3 ] || exit 0; [ $$rc -eq 0 ] || exit $$rc; \
	$(BIN)/python -m pip install -q 'testcontainers>=4.8' && \
	EMULATORS_DEPLOY_TESTS=1 CONTAINERS_CONF=$(CURDIR)/deploy/ci/containers.conf \
	  $(BIN)/python -m pytest tests/deploy -p no:randomly -q

lint: $(STAMP)
	$(BIN)/ruff check emulators tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  { apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && \
	    apt-get install -y -qq wrk >/dev/null 2>&1; }; }; } || echo "wrk not installed: using the asyncio load client"
	@$(PYC)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build dist *.egg-info
