"""`emulators serve --watch`: an edited fixtures file is served without a restart; a broken edit keeps the
old state and prints one line."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from emulators import build_app
from emulators.core.config import ConfigError
from emulators.core.datafile import DataFileError
from emulators.watch import reload_fixtures

ROOT = Path(__file__).resolve().parents[2]
Serve = Callable[..., tuple[subprocess.Popen[str], str]]
KEY = 'ApiKey: "hDn/LFXIPESM036W+s7VKg=="'


def _key(url: str) -> str:
    return str(httpx.get(url + "/__emulator/state").json()["global"]["users"]["John.Doo"]["ApiKey"])


def _until(check: Callable[[], bool], seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def test_serve_watch_reloads_and_keeps_old_state_on_a_broken_edit(tmp_path: Path, serve: Serve) -> None:
    fixtures = tmp_path / "aktion.yaml"
    text = (ROOT / "fixtures" / "aktion" / "default.yaml").read_text(encoding="utf-8")
    fixtures.write_text(text, encoding="utf-8")
    proc, line = serve("aktion", "--fixtures", str(fixtures), "--watch")
    url = line.split()[1]
    assert _key(url) == "hDn/LFXIPESM036W+s7VKg=="
    ns = url + "/__ns/other"
    assert httpx.get(ns + "/__emulator/health").status_code == 200  # a namespace made before the edit
    time.sleep(0.3)  # the watcher starts beside the servers
    fixtures.write_text(text.replace(KEY, 'ApiKey: "changed"'), encoding="utf-8")
    assert _until(lambda: _key(url) == "changed")
    assert _key(ns) == "hDn/LFXIPESM036W+s7VKg=="  # only the default namespace is reset

    fixtures.write_text(text.replace(KEY, 'ApiKey: "broken"').replace("tenant: default", "tenantt: default", 1))
    time.sleep(1.5)
    assert _key(url) == "changed"  # the old state stays
    proc.terminate()
    _, err = proc.communicate(timeout=10)
    lines = [x for x in err.splitlines() if x.startswith("aktion: ") and "reloaded" in x]
    assert lines[0] == f"aktion: reloaded {fixtures} (default namespace reset)"
    assert lines[1].startswith(f"aktion: {fixtures} not reloaded, the previous fixtures stay: {fixtures}:")
    assert lines[1].endswith(":17: global.users.John.Doo.tenantt: unknown field `tenantt`; did you mean `tenant`?")


def test_reload_fixtures_invalid_changes_nothing(tmp_path: Path) -> None:
    good = ROOT / "fixtures" / "aktion" / "default.yaml"
    app = build_app("aktion", fixtures=good)
    before = app.fixtures
    bad = tmp_path / "bad.yaml"
    bad.write_text("global: [\n", encoding="utf-8")
    try:
        reload_fixtures(app, str(bad))
    except (ConfigError, DataFileError) as exc:
        assert str(exc).startswith(f"{bad}:") and "\n" not in str(exc)
    else:  # pragma: no cover
        raise AssertionError("a broken file was accepted")
    assert app.fixtures is before and app.default_world.fixtures is before


def test_serve_watch_needs_a_fixtures_file() -> None:
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "emulators", "serve", "aktion", "--port", "0", "--watch"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert (out.returncode, out.stderr) == (
        2,
        "emulators serve: error: --watch: there is no --fixtures file to watch\n",
    )


def test_reload_fixtures_resets_the_default_namespace_to_the_new_file(tmp_path: Path) -> None:
    good = ROOT / "fixtures" / "aktion" / "default.yaml"
    app = build_app("aktion", fixtures=good)
    world = app.default_world
    assert world.dump()["global"]["users"]["John.Doo"]["ApiKey"] == "hDn/LFXIPESM036W+s7VKg=="  # templates built
    edited = tmp_path / "aktion.yaml"
    edited.write_text(good.read_text(encoding="utf-8").replace(KEY, 'ApiKey: "changed"'), encoding="utf-8")
    reload_fixtures(app, str(edited))
    assert world.dump()["global"]["users"]["John.Doo"]["ApiKey"] == "changed"
