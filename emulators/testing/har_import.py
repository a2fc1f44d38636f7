"""Moved to emulators.recording.har_import; this name re-exports it."""

from ..recording.har_import import *  # noqa: F403
