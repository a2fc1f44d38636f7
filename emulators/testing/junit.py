"""Moved to emulators.scenarios.junit; this name re-exports it."""

from ..scenarios.junit import *  # noqa: F403
