"""pytest plugin (registered through the `pytest11` entry point, so `pip install` is enough).

Per registered API `<api>` (bouwsoft, superoffice, aktion, twelvebuild):

- `<api>_emulator` (function scope): in-process, no socket, fresh state from the fixtures each test.
- `<api>_server` (per-test handle on a session-scoped uvicorn server on a free 127.0.0.1 port): isolated
  by a unique `/__ns/<name>/` namespace, so tests (and xdist workers) never see each other's state.

Both are `emulators.testing.harness.Emulator` objects (`.client`, `.base_url`, `.credentials`, `.state`,
`.journal`, `.faults`, `.clock`). An API whose package is missing skips the test.
Generic factories: `make_emulator(api_or_spec, fixtures=None)` and `make_live_emulator(...)`.

HTTPS: `make_live_emulator(api, tls=True)`, `@pytest.mark.emulator_tls` on a test, class or module, or
`@pytest.mark.parametrize("<api>_server", [{"tls": True}], indirect=True)`: the server speaks https with
a certificate from the local CA (emulators/tls.py), `emu.ca_path` is that CA and `emu.client` trusts it.

Custom fixtures: `@pytest.mark.emulator_fixtures("bouwsoft", "my.yaml")` (or `("my.yaml")` for every
API, or `(bouwsoft="my.yaml")`) on a test, class or module (`pytestmark = ...`); paths are relative
to the test file. The marker configures the `<api>_emulator` / `<api>_server` fixtures. The factories
build what they are told: `make_emulator(api, fixtures=FROM_MARKER)` takes the marker's file, and
`make_emulator(api)` under a marker naming that API is a usage error, so a factory never takes (or
drops) a marker's file unnoticed. Session-wide: `--emulator-fixtures bouwsoft=path.yaml` or the ini key
`emulator_fixtures` (lines `api=path`), which every fixture and factory takes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .. import registry
from ..core.spec import EmulatorSpec
from .harness import Emulator, EmulatorUnavailable, UnknownEmulator, in_process, resolve_spec
from .live import LiveServer, unique_namespace
from .webhooks import WebhookReceiver

FixturesArg = str | Path | dict[str, Any] | None
MARKER = "emulator_fixtures"
TLS_MARKER = "emulator_tls"


class _FromMarker:
    def __repr__(self) -> str:
        return "FROM_MARKER"


FROM_MARKER: Any = _FromMarker()  # make_emulator(api, fixtures=FROM_MARKER): the emulator_fixtures marker's file


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("emulators", "vendor API emulators")
    group.addoption(
        "--emulator-fixtures",
        action="append",
        default=[],
        metavar="API=PATH",
        help="fixtures file for an emulator's pytest fixtures (repeatable)",
    )
    parser.addini(MARKER, type="linelist", default=[], help="api=path fixtures files for the emulator fixtures")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(api, path) | {MARKER}(path) | {MARKER}(api=path): load a custom fixtures file "
        "into the emulator fixtures of this test, class or module",
    )
    config.addinivalue_line(
        "markers", f"{TLS_MARKER}: the `<api>_server` fixtures of this test, class or module serve https"
    )
    check_configured(config)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """`*.scenario.yaml`: one test item per step (emulators.testing.collect)."""
    from ..scenarios.scenario import is_scenario_file as is_scenario
    from .collect import ScenarioFile

    if is_scenario(file_path):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A user's mistake (a marker typo, a missing or invalid fixtures file, a refused fault rule or
    clock setting) is reported as the one line the CLI would print, not a traceback."""
    from ..core.config import ConfigError
    from .harness import ControlError

    outcome: Any = yield
    report = outcome.get_result()
    excinfo = call.excinfo
    mistakes = (pytest.UsageError, ConfigError, ControlError, UnknownEmulator)
    if report.failed and excinfo is not None and isinstance(excinfo.value, mistakes):
        text = str(excinfo.value.args[0]) if isinstance(excinfo.value, KeyError) else str(excinfo.value)
        report.longrepr = " ".join(text.split())


def check_configured(config: pytest.Config) -> None:
    """`--emulator-fixtures` / ini `emulator_fixtures`: `api=path`; a near miss of a registered API
    (`bousoft=`) is a usage error. Other names are left to custom EmulatorSpecs (`make_emulator("tests.echo")`)."""
    from ..core.suggest import nearest, unknown

    for where, items in (
        ("--emulator-fixtures", config.getoption("emulator_fixtures", default=[]) or []),
        (f"ini {MARKER}", config.getini(MARKER)),
    ):
        for item in items:
            name, sep, path = str(item).partition("=")
            if not sep or not name.strip() or not path.strip():
                raise pytest.UsageError(f"{where} {item!r}: expected API=PATH (e.g. bouwsoft=fixtures.yaml)")
            if name.strip() not in registry.APIS and nearest(name.strip(), registry.APIS) is not None:
                raise pytest.UsageError(f"{where} {item!r}: " + unknown("emulator", name.strip(), registry.APIS))


class EmulatorPool:
    """Session-wide cache: one in-process app and at most one live server per (API, fixtures file)."""

    def __init__(self) -> None:
        self.apps: dict[tuple[str, str], Any] = {}
        self.servers: dict[tuple[str, str], LiveServer] = {}

    @staticmethod
    def _key(spec: EmulatorSpec, fixtures: FixturesArg) -> tuple[str, str] | None:
        if isinstance(fixtures, dict):
            return None  # a dict is not cacheable: fresh app every time
        return (f"{spec.name}@{id(spec)}", str(Path(fixtures).resolve()) if fixtures else "")

    def app(self, spec: EmulatorSpec, fixtures: FixturesArg = None) -> Any:
        from .. import build_app

        key = self._key(spec, fixtures)
        if key is None:
            return build_app(spec, fixtures=fixtures)
        app = self.apps.get(key)
        if app is None:
            app = self.apps[key] = build_app(spec, fixtures=fixtures)
        return app

    def server(self, spec: EmulatorSpec, fixtures: FixturesArg = None, tls: bool = False) -> LiveServer:
        from .. import build_app

        key = self._key(spec, fixtures) or ("dict", str(id(fixtures)))
        if tls:
            key = (key[0] + "+tls", key[1])
        srv = self.servers.get(key)
        if srv is None:
            # not the in-process app: the server thread must never share an app with sync test code
            srv = self.servers[key] = LiveServer(build_app(spec, fixtures=fixtures), tls=tls).start()
        return srv

    def close(self) -> None:
        for srv in self.servers.values():
            srv.stop(wait=False)  # all servers wind down together
        for srv in self.servers.values():
            srv.stop()
        self.servers.clear()
        self.apps.clear()


def _resolve_path(request: pytest.FixtureRequest, value: Any) -> FixturesArg:
    if value is None or isinstance(value, dict):
        return value
    path = Path(value)
    if path.is_absolute():
        return path
    for base in (Path(str(request.path)).parent, Path(str(request.config.rootpath)), Path.cwd()):
        if (base / path).exists():
            return base / path
    raise pytest.UsageError(f"{MARKER}: fixtures file {value!r} not found (relative to the test file)")


def _check_marker_names(mark: pytest.Mark, api: str) -> None:
    """A marker key that is a near miss of a registered API (`bousoft=`) is a typo, never ignored."""
    from ..core.suggest import nearest, unknown

    names = list(mark.kwargs) + ([mark.args[0]] if len(mark.args) == 2 else [])
    for name in names:
        if name != api and name not in registry.APIS and nearest(str(name), registry.APIS) is not None:
            raise pytest.UsageError(f"{MARKER}: " + unknown("emulator", str(name), registry.APIS))


def chosen_fixtures(request: pytest.FixtureRequest, api: str, fixtures: Any, factory: str) -> FixturesArg:
    """What a factory was told: a file or dict, FROM_MARKER, or None (the session-wide option / shipped)."""
    if fixtures is FROM_MARKER:
        return fixtures_for(request, api)
    if fixtures is not None:
        return _resolve_path(request, fixtures)
    if _marker_names(request, api):
        raise pytest.UsageError(
            f"{factory}({api!r}): the test's {MARKER} marker names {api}; a factory takes it only when asked: "
            f"{factory}({api!r}, fixtures=FROM_MARKER), or pass fixtures=PATH"
        )
    return fixtures_for(request, api, marker=False)


def _marker_names(request: pytest.FixtureRequest, api: str) -> bool:
    for mark in request.node.iter_markers(MARKER):
        if api in mark.kwargs or (len(mark.args) == 2 and mark.args[0] == api) or len(mark.args) == 1:
            return True
    return False


def fixtures_for(request: pytest.FixtureRequest, api: str, marker: bool = True) -> FixturesArg:
    """The fixtures a test asked for: the closest marker wins, then --emulator-fixtures, then the ini."""
    for mark in request.node.iter_markers(MARKER) if marker else ():
        _check_marker_names(mark, api)
        if api in mark.kwargs:
            return _resolve_path(request, mark.kwargs[api])
        if len(mark.args) == 2 and mark.args[0] == api:
            return _resolve_path(request, mark.args[1])
        if len(mark.args) == 1:
            return _resolve_path(request, mark.args[0])
        if len(mark.args) > 2 or (len(mark.args) == 0 and not mark.kwargs):
            raise pytest.UsageError(f"{MARKER}: use ({api!r}, path), (path) or ({api}=path)")
    configured = [*(request.config.getoption("emulator_fixtures", default=[]) or []), *request.config.getini(MARKER)]
    for item in configured:
        name, sep, path = str(item).partition("=")
        if sep and name.strip() == api:
            return _resolve_path(request, path.strip())
    return None


def _spec_or_skip(api: str | EmulatorSpec) -> EmulatorSpec:
    try:
        return resolve_spec(api)
    except UnknownEmulator:
        raise
    except EmulatorUnavailable as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def emulator_pool() -> Iterator[EmulatorPool]:
    pool = EmulatorPool()
    yield pool
    pool.close()


@pytest.fixture
def make_emulator(request: pytest.FixtureRequest, emulator_pool: EmulatorPool) -> Iterator[Callable[..., Emulator]]:
    """`make_emulator(api_or_spec, fixtures=None) -> Emulator`: in-process, fresh state."""
    made: list[Emulator] = []

    def make(api: str | EmulatorSpec, fixtures: FixturesArg = None, **client_kwargs: Any) -> Emulator:
        spec = _spec_or_skip(api)
        fixtures = chosen_fixtures(request, spec.name, fixtures, "make_emulator")
        app = emulator_pool.app(spec, fixtures)
        # a second handle on the same app in one test gets a namespace of its own (independent state)
        namespace = unique_namespace(spec.name) if any(e.app is app for e in made) else ""
        emu = in_process(spec, app=app, namespace=namespace, **client_kwargs)
        emu.reset()
        made.append(emu)
        return emu

    yield make
    for emu in made:
        emu.close()
        if emu.namespace:
            emu.app.worlds.pop(emu.namespace, None)


@pytest.fixture
def make_live_emulator(
    request: pytest.FixtureRequest, emulator_pool: EmulatorPool
) -> Iterator[Callable[..., Emulator]]:
    """`make_live_emulator(api_or_spec, fixtures=None, tls=False) -> Emulator` on a shared real server, in a
    fresh namespace of its own (`tls=True`: https, `emu.ca_path` the CA its client trusts)."""
    made: list[Emulator] = []

    def make(
        api: str | EmulatorSpec, fixtures: FixturesArg = None, tls: bool | None = None, **client_kwargs: Any
    ) -> Emulator:
        spec = _spec_or_skip(api)
        fixtures = chosen_fixtures(request, spec.name, fixtures, "make_live_emulator")
        if tls is None:
            tls = request.node.get_closest_marker(TLS_MARKER) is not None
        emu = emulator_pool.server(spec, fixtures, tls=tls).emulator(**client_kwargs)
        made.append(emu)
        return emu

    yield make
    for emu in made:
        emu.close()
        emu.server.release(emu.namespace)  # keeps a long session's memory flat


@pytest.fixture
def webhook_receiver(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[WebhookReceiver]:
    """A webhook receiver on a free loopback port: `.url`, `.script([500, 500, 200])`, `.secret = "..."`
    (then every signed delivery is checked), `.wait_for("project.changed", timeout=2)`, `.received()`.
    With `@pytest.mark.emulator_tls` (or indirect `{"tls": True}`) it serves https with a certificate from
    the local CA, which the emulators' deliveries then trust (EMULATORS_WEBHOOK_CA)."""
    param = getattr(request, "param", None)
    tls = bool(param.get("tls")) if isinstance(param, dict) else request.node.get_closest_marker(TLS_MARKER) is not None
    receiver = WebhookReceiver(tls=tls)
    if receiver.ca_path is not None:
        monkeypatch.setenv("EMULATORS_WEBHOOK_CA", str(receiver.ca_path))
    yield receiver
    receiver.close()


def _api_fixtures(api: str) -> tuple[Callable[..., Any], Callable[..., Any]]:
    def emulator(make_emulator: Callable[..., Emulator]) -> Emulator:
        return make_emulator(api, fixtures=FROM_MARKER)

    def server(request: pytest.FixtureRequest, make_live_emulator: Callable[..., Emulator]) -> Emulator:
        param = getattr(request, "param", None)  # indirect parametrization: {"tls": True}
        tls = bool(param.get("tls")) if isinstance(param, dict) and "tls" in param else None
        return make_live_emulator(api, fixtures=FROM_MARKER, tls=tls)

    emulator.__doc__ = f"In-process {api} emulator, fresh state from the fixtures for this test."
    server.__doc__ = f"{api} on a session-wide live server (127.0.0.1, free port), in a namespace of its own."
    return (pytest.fixture(name=f"{api}_emulator")(emulator), pytest.fixture(name=f"{api}_server")(server))


for _api in registry.APIS:
    globals()[f"_{_api}_emulator"], globals()[f"_{_api}_server"] = _api_fixtures(_api)
