"""Moved to emulators.recording.record; this name re-exports it."""

from ..recording.record import *  # noqa: F403
