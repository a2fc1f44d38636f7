"""Moved to emulators.recording.postman; this name re-exports it."""

from ..recording.postman import *  # noqa: F403
