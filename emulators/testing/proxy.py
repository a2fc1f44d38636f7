"""Moved to emulators.recording.proxy; this name re-exports it."""

from ..recording.proxy import *  # noqa: F403
