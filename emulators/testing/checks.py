"""Moved to emulators.scenarios.checks; this name re-exports it."""

from ..scenarios.checks import *  # noqa: F403
