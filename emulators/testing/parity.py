"""Moved to emulators.recording.parity; this name re-exports it."""

from ..recording.parity import *  # noqa: F403
