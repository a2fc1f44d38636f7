"""Moved to emulators.scenarios.matching; this name re-exports it."""

from ..scenarios.matching import *  # noqa: F403
