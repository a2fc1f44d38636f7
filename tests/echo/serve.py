"""`python -m tests.echo.serve PORT`: serve the echo API with the same server code as `emulators serve`."""

from __future__ import annotations

import sys

from emulators import build_app
from emulators.server import run
from tests.echo import EMULATOR

if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8799  # the echo API is not registered: its port is here
    raise SystemExit(run([("echo", build_app(EMULATOR), port)]))
