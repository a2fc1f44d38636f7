"""Shared test set-up: every app built in tests validates its responses against its contract."""

from __future__ import annotations

import os

os.environ.setdefault("EMULATORS_STRICT", "1")
