"""The built wheel ships the dashboard: templates and static files are package data, and an app imported
from the unpacked wheel (not this checkout) serves its pages and assets."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UI_FILES = sorted(
    p.relative_to(ROOT).as_posix()
    for p in (ROOT / "emulators" / "ui").glob("*/*")
    if p.suffix in {".html", ".css", ".js"}
)

SERVE_CHECK = """
import emulators, httpx
from emulators.testing.transport import client_for
assert emulators.__file__.startswith({where!r}), emulators.__file__
with client_for(emulators.build_app("bouwsoft")) as c:
    page = c.get("/__emulator/ui/state")
    asset = c.get("/__emulator/ui/static/state.js")
    print(page.status_code, page.headers["content-type"], asset.status_code, len(asset.content) > 100)
"""


def test_wheel_contains_the_dashboard_and_serves_it(tmp_path: Path) -> None:
    builders = pytest.importorskip("hatchling.builders.wheel")
    wheel = next(iter(builders.WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"])))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert UI_FILES and set(UI_FILES) <= names
    assert "emulators/_data/contracts/control/openapi.yaml" in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    out = subprocess.run(
        [sys.executable, "-c", SERVE_CHECK.format(where=str(site))],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["200", "text/html;", "charset=utf-8", "200", "True"]
