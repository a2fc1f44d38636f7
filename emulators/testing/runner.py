"""Moved to emulators.scenarios.runner; this name re-exports it."""

from ..scenarios.runner import *  # noqa: F403
