"""Shared test set-up: every app built in tests validates its responses against its contract."""

from __future__ import annotations

import os

os.environ.setdefault("EMULATORS_STRICT", "1")

# In CI (CI=true) hypothesis explores the same examples on every run, so a submission's result does not
# depend on luck; locally it keeps exploring new ones. tests/properties applies its own profiles per test.
if os.environ.get("CI"):
    from hypothesis import settings

    settings.register_profile("ci-stable", derandomize=True, deadline=None)
    settings.load_profile("ci-stable")
