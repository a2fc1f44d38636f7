"""Moved to emulators.scenarios.scenario; this name re-exports it."""

from ..scenarios.scenario import *  # noqa: F403
