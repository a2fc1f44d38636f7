"""Shared test set-up: every app built in tests validates its responses against its contract."""

from __future__ import annotations

import os

import pytest

from tests.properties import conftest as properties

os.environ.setdefault("EMULATORS_STRICT", "1")


def _trust_echo() -> None:
    """Scenarios name only registered emulators; the test suite's echo API is let in by code (issue 24)."""
    from emulators.scenarios.scenario import trust_emulator_module

    trust_emulator_module("tests.echo")


_trust_echo()

# In CI (CI=true) hypothesis explores the same examples on every run, so a submission's result does not
# depend on luck; locally it keeps exploring new ones. tests/properties applies its own profiles per test.
if os.environ.get("CI"):
    from hypothesis import settings

    settings.register_profile("ci-stable", derandomize=True, deadline=None)
    settings.load_profile("ci-stable")


# Error hygiene sweep (issue 18): every error body any test makes any app produce (all four APIs, the echo
# API, the control plane) is scanned for Python internals; one found fails that test at once, naming it. Text
# the request itself carried may come back, as the vendor echoes it: that is not a leak (tests/hostile/tokens.py).
def _install_error_sweep() -> None:
    from emulators.core.pipeline import Pipeline
    from tests.hostile.tokens import python_tokens, request_texts

    original = Pipeline._encode
    if getattr(original, "_swept", False):
        return

    def encode(self: Pipeline, reply: object, call: object, media_type: str | None = None) -> object:
        status, headers, data = original(self, reply, call, media_type)  # type: ignore[arg-type]
        if status >= 400 and data:
            found = python_tokens(data)
            if found:  # the request's own text is gathered only when there is something to explain away
                found = python_tokens(data, sent=request_texts(call))
            if found:
                raise AssertionError(f"{self.spec.name}: Python internals {found} in a {status} body: {data[:400]!r}")
        return status, headers, data

    encode._swept = True  # type: ignore[attr-defined]
    Pipeline._encode = encode  # type: ignore[assignment,method-assign]


if os.environ.get("EMULATORS_ERROR_SWEEP", "1") != "0":
    _install_error_sweep()


# `make test` runs `-m "not deep"`, `make test-deep` runs `-m deep`: the property suite (tests/properties, with
# the deep hypothesis profile there) and the tests marked deep one by one, so every test runs in one of the two.
_DEEP_DIRS = ("tests/properties/",)


def pytest_collection_modifyitems(config: object, items: list[pytest.Item]) -> None:
    for item in items:
        if item.nodeid.startswith(_DEEP_DIRS):
            item.add_marker(pytest.mark.deep)


# the generated-request counts of the property tests (tests/properties/conftest.py says why they are hooked here)
def pytest_configure(config: pytest.Config) -> None:
    properties.configure(config)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    properties.note_ran(report)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: object) -> None:
    properties.check_minimum(session)


def pytest_terminal_summary(terminalreporter: object, exitstatus: object, config: pytest.Config) -> None:
    properties.summary(terminalreporter, config)
