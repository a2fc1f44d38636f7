"""Moved to emulators.recording.portable; this name re-exports it."""

from ..recording.portable import *  # noqa: F403
