"""The pytest plugin: in-process and live emulator fixtures, their helpers, custom fixtures, skipping."""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Callable
from typing import Any

import h11
import httpcore
import pytest
import uvicorn

from emulators import registry
from emulators.testing.harness import ControlError, Emulator, EmulatorUnavailable, in_process, resolve_spec
from emulators.testing.live import unique_namespace
from emulators.testing.plugin import FROM_MARKER

pytest_plugins = ["pytester"]
# pytester's in-process runs drop modules first imported during the run; httpx imports httpcore lazily,
# so import the network stack here, or later tests see two copies of httpcore's exception classes
import_network_stack = (httpcore, uvicorn, h11)
KEY = {"X-Api-Key": "fixed-token"}
Make = Callable[..., Emulator]


# in-process ------------------------------------------------------------------------------------
def test_make_emulator_serves_in_process_with_fixture_state(make_emulator: Make) -> None:
    emu = make_emulator("tests.echo")
    assert emu.app is not None and emu.base_url == "http://echo"
    r = emu.client.get("/items", headers=KEY)
    assert r.status_code == 200
    assert r.json() == [{"name": "apple", "qty": 3}, {"name": "pear", "qty": 1}]


def test_make_emulator_state_is_fresh_in_each_test_part_one(make_emulator: Make) -> None:
    emu = make_emulator("tests.echo")
    assert emu.client.put("/items/kiwi", headers=KEY, json={"name": "kiwi"}).status_code == 200
    emu.faults.add(operation="listItems", status=503)
    emu.clock.advance(3600)


def test_make_emulator_state_is_fresh_in_each_test_part_two(make_emulator: Make) -> None:
    emu = make_emulator("tests.echo")
    assert emu.client.get("/items/kiwi", headers=KEY).status_code == 404
    assert emu.client.get("/items", headers=KEY).status_code == 200  # the fault is gone
    assert emu.journal.calls("putItem") == []
    assert emu.faults.list() == []


def test_credentials_are_the_control_plane_credentials(make_emulator: Make) -> None:
    emu = make_emulator("tests.echo")
    assert emu.credentials == {"user": "alice", "token": "fixed-token"}
    assert emu.client.get("/items", headers={"X-Api-Key": emu.credentials["token"]}).status_code == 200


def test_journal_calls_and_assert_called(make_emulator: Make) -> None:
    emu = make_emulator("tests.echo")
    emu.client.get("/items", headers=KEY)
    emu.client.get("/items/apple", headers=KEY)
    emu.client.get("/items/apple", headers=KEY)
    calls = emu.journal.calls("getItem")
    assert [c["path"] for c in calls] == ["/items/apple", "/items/apple"]
    assert len(emu.journal.calls()) == 3
    assert emu.journal.assert_called("listItems") and emu.journal.assert_called("getItem", times=2)
    assert emu.journal.last()["operation"] == "getItem"
    assert emu.journal.calls(status=200, limit=1)[0]["seq"] == 3
    emu.journal.assert_not_called("deleteItem")
    with pytest.raises(AssertionError, match=r"expected getItem to be called 1 time\(s\), it was called 2"):
        emu.journal.assert_called("getItem", times=1)
    with pytest.raises(AssertionError, match=r"(?s)putItem to be called at least once.*GET /items -> 200"):
        emu.journal.assert_called("putItem")
    emu.journal.clear()
    assert emu.journal.calls() == []


def test_faults_add_and_clear(make_emulator: Make) -> None:
    emu = make_emulator("tests.echo")
    fid = emu.faults.add(operation="getItem", status=503, times=1)
    assert fid == "f1" and emu.faults.list()[0]["operation"] == "getItem"
    r = emu.client.get("/items/apple", headers=KEY)
    assert r.status_code == 503 and r.json()["code"] == "InjectedFault"
    assert emu.journal.last("getItem")["fault"] == "f1"
    assert emu.client.get("/items/apple", headers=KEY).status_code == 200
    emu.faults.add(operation="listItems", status=500)
    emu.faults.clear()
    assert emu.client.get("/items", headers=KEY).status_code == 200
    with pytest.raises(ControlError, match="404"):
        emu.faults.remove("f99")


def test_clock_advance_freeze_set_reset(make_emulator: Make) -> None:
    emu = make_emulator("tests.echo")
    token = emu.client.post("/login", params={"user": "alice"}).json()["token"]
    frozen = emu.clock.freeze()
    assert emu.clock.now() == frozen
    assert emu.clock.advance(61) == frozen.replace(second=frozen.second) + (emu.clock.now() - frozen)
    r = emu.client.get("/items", headers={"X-Api-Key": token})
    assert r.status_code == 401 and r.json() == {"error": "token expired", "code": "Expired"}
    assert emu.clock.set("2030-01-02T03:04:05Z").isoformat() == "2030-01-02T03:04:05+00:00"
    assert emu.clock.now().year == 2030
    emu.clock.unfreeze()
    assert emu.clock.reset().year < 2030


def test_state_dump_and_load(make_emulator: Make) -> None:
    emu = make_emulator("tests.echo")
    state = emu.state.dump()
    assert state["tenants"]["t1"]["items"]["apple"] == {"name": "apple", "qty": 3}
    state["tenants"]["t1"]["items"] = {"melon": {"name": "melon", "qty": 1}}
    emu.state.load(state)
    assert emu.client.get("/items", headers=KEY).json() == [{"name": "melon", "qty": 1}]
    emu.state.reset()
    assert len(emu.client.get("/items", headers=KEY).json()) == 2


def test_state_load_rejects_a_non_object(make_emulator: Make) -> None:
    emu = make_emulator("tests.echo")
    with pytest.raises(ControlError, match="400"):
        emu.state.load([1, 2])  # type: ignore[arg-type]


def test_in_process_without_pytest() -> None:
    with in_process("tests.echo") as emu:
        assert emu.health() == {"status": "ok", "emulator": "echo"}


# custom fixtures -------------------------------------------------------------------------------
@pytest.mark.emulator_fixtures("echo", "data/echo-small.yaml")
def test_marker_loads_a_custom_fixtures_file(make_emulator: Make) -> None:
    emu = make_emulator("tests.echo", fixtures=FROM_MARKER)
    assert emu.client.get("/items", headers=KEY).json() == [{"name": "cherry", "qty": 7}]


@pytest.mark.emulator_fixtures("data/echo-small.yaml")
def test_marker_with_only_a_path_applies_to_every_api(make_live_emulator: Make) -> None:
    emu = make_live_emulator("tests.echo", fixtures=FROM_MARKER)
    assert emu.client.get("/items", headers=KEY).json() == [{"name": "cherry", "qty": 7}]


@pytest.mark.emulator_fixtures(bouwsoft="nowhere.yaml")
def test_marker_for_another_api_leaves_this_one_alone(make_emulator: Make) -> None:
    emu = make_emulator("tests.echo")
    assert len(emu.client.get("/items", headers=KEY).json()) == 2


@pytest.mark.emulator_fixtures("echo", "data/echo-small.yaml")
def test_make_emulator_under_a_marker_without_fixtures_is_a_usage_error(make_emulator: Make) -> None:
    with pytest.raises(pytest.UsageError) as exc:
        make_emulator("tests.echo")
    assert str(exc.value) == (
        "make_emulator('echo'): the test's emulator_fixtures marker names echo; a factory takes it only when "
        "asked: make_emulator('echo', fixtures=FROM_MARKER), or pass fixtures=PATH"
    )
    emu = make_emulator("tests.echo", fixtures="data/echo-small.yaml")  # an explicit file: no question
    assert emu.client.get("/items", headers=KEY).json() == [{"name": "cherry", "qty": 7}]


def test_make_emulator_accepts_a_fixtures_dict(make_emulator: Make) -> None:
    fixtures = {
        "global": {"users": {"alice": {"tenant": "t9"}}, "tokens": {"fixed-token": {"user": "alice"}}},
        "tenants": {"t9": {"items": {"a": {"name": "a"}}}},
    }
    emu = make_emulator("tests.echo", fixtures=fixtures)
    assert emu.client.get("/items", headers=KEY).json() == [{"name": "a"}]


class TestModuleLevelMarker:
    pytestmark = pytest.mark.emulator_fixtures("echo", "data/echo-small.yaml")

    def test_class_marker_applies(self, make_emulator: Make) -> None:
        assert (
            make_emulator("tests.echo", fixtures=FROM_MARKER).client.get("/items/cherry", headers=KEY).status_code
            == 200
        )

    @pytest.mark.emulator_fixtures("echo", None)
    def test_the_closest_marker_wins(self, make_emulator: Make) -> None:
        assert (
            make_emulator("tests.echo", fixtures=FROM_MARKER).client.get("/items/cherry", headers=KEY).status_code
            == 404
        )


def test_option_emulator_fixtures(pytester: pytest.Pytester) -> None:
    fx = pytester.path / "fx.yaml"
    fx.write_text(
        "global: {users: {alice: {tenant: t1}}, tokens: {k: {user: alice}}}\ntenants: {t1: {items: {z: {name: z}}}}\n",
        encoding="utf-8",
    )
    pytester.makepyfile("""
        def test_it(make_emulator):
            emu = make_emulator("tests.echo")
            assert emu.client.get("/items", headers={"X-Api-Key": "k"}).json() == [{"name": "z"}]
    """)
    result = pytester.runpytest_inprocess("--emulator-fixtures", f"echo={fx}", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_marker_with_a_missing_file_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        import pytest
        from emulators.testing.plugin import FROM_MARKER
        @pytest.mark.emulator_fixtures("echo", "missing.yaml")
        def test_it(make_emulator):
            make_emulator("tests.echo", fixtures=FROM_MARKER)
    """)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*fixtures file 'missing.yaml' not found*"])


# per-API fixtures --------------------------------------------------------------------------------
@pytest.mark.parametrize("api", list(registry.APIS))
def test_api_fixtures_exist_and_skip_when_the_package_is_missing(api: str, request: pytest.FixtureRequest) -> None:
    try:
        resolve_spec(api)
    except EmulatorUnavailable:
        with pytest.raises(pytest.skip.Exception, match=api):
            request.getfixturevalue(f"{api}_emulator")
        return
    emu: Emulator = request.getfixturevalue(f"{api}_emulator")
    assert emu.health() == {"status": "ok", "emulator": api}
    assert isinstance(emu.credentials, dict)


@pytest.mark.parametrize("api", list(registry.APIS))
def test_api_server_fixtures_exist_and_skip_when_the_package_is_missing(
    api: str, request: pytest.FixtureRequest
) -> None:
    try:
        resolve_spec(api)
    except EmulatorUnavailable:
        with pytest.raises(pytest.skip.Exception, match=api):
            request.getfixturevalue(f"{api}_server")
        return
    emu: Emulator = request.getfixturevalue(f"{api}_server")
    assert emu.health() == {"status": "ok", "emulator": api}
    assert emu.base_url.startswith("http://127.0.0.1:") and "/__ns/" in emu.base_url


def test_resolve_spec_names_the_unknown_emulator() -> None:
    with pytest.raises(EmulatorUnavailable, match="nosuchapi"):
        resolve_spec("nosuchapi")


# live servers ----------------------------------------------------------------------------------
def test_live_emulator_speaks_real_http(make_live_emulator: Make) -> None:
    emu = make_live_emulator("tests.echo")
    req = urllib.request.Request(emu.url("/items/apple"), headers=KEY)
    with urllib.request.urlopen(req, timeout=5) as resp:  # not httpx: any HTTP client works
        assert json.loads(resp.read()) == {"name": "apple", "qty": 3}
    emu.journal.assert_called("getItem", times=1)


def test_live_emulators_in_one_test_are_isolated_namespaces(make_live_emulator: Make) -> None:
    a, b = make_live_emulator("tests.echo"), make_live_emulator("tests.echo")
    assert a.server is b.server and a.base_url != b.base_url
    a.client.delete("/items/apple", headers=KEY)
    a.faults.add(operation="listItems", status=500)
    a.clock.advance(100)
    assert b.client.get("/items/apple", headers=KEY).status_code == 200
    assert b.client.get("/items", headers=KEY).status_code == 200
    assert a.client.get("/items", headers=KEY).status_code == 500
    assert b.journal.calls("deleteItem") == [] and len(a.journal.calls("deleteItem")) == 1
    assert abs((a.clock.now() - b.clock.now()).total_seconds() - 100) < 5


def test_live_emulator_state_and_reset(make_live_emulator: Make) -> None:
    emu = make_live_emulator("tests.echo")
    emu.client.delete("/items/apple", headers=KEY)
    assert "apple" not in emu.state.dump()["tenants"]["t1"]["items"]
    emu.reset()
    assert emu.client.get("/items/apple", headers=KEY).status_code == 200


def test_live_server_is_shared_by_the_session(make_live_emulator: Make, emulator_pool: Any) -> None:
    emu = make_live_emulator("tests.echo")
    servers = [s for s in emulator_pool.servers.values() if s.name == "echo"]
    assert emu.server in servers


def test_live_server_serves_parallel_clients(make_live_emulator: Make) -> None:
    emus = [make_live_emulator("tests.echo") for _ in range(4)]
    errors: list[BaseException] = []

    def work(emu: Emulator) -> None:
        try:
            for i in range(10):
                name = f"n{i}"
                assert emu.client.put(f"/items/{name}", headers=KEY, json={"name": name}).status_code == 200
            assert len(emu.client.get("/items", headers=KEY).json()) == 12
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(e,)) for e in emus]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_unique_namespaces_differ() -> None:
    names = {unique_namespace() for _ in range(100)}
    assert len(names) == 100


def test_live_namespaces_are_released_after_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        SEEN = []
        def test_a(make_live_emulator):
            emu = make_live_emulator("tests.echo")
            emu.client.get("/items", headers={"X-Api-Key": "fixed-token"})
            SEEN.append((emu.server, emu.namespace))
            assert emu.namespace in emu.server.app.worlds
        def test_b():
            server, namespace = SEEN[0]
            assert namespace not in server.app.worlds
    """)
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_disconnect_fault_in_process_looks_like_a_dropped_socket(make_emulator: Make) -> None:
    import httpx

    emu = make_emulator("tests.echo")
    emu.faults.add(operation="getItem", disconnect=True, times=1)
    with pytest.raises(httpx.RemoteProtocolError, match="Server disconnected"):
        emu.client.get("/items/apple", headers=KEY)
    assert emu.client.get("/items/apple", headers=KEY).status_code == 200


def test_disconnect_fault_on_a_live_server(make_live_emulator: Make) -> None:
    import httpx

    emu = make_live_emulator("tests.echo")
    emu.faults.add(operation="getItem", disconnect=True, times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        emu.client.get("/items/apple", headers=KEY)
    assert emu.client.get("/items/apple", headers=KEY).status_code == 200


def test_two_in_process_handles_on_one_api_are_independent(make_emulator: Make) -> None:
    a, b = make_emulator("tests.echo"), make_emulator("tests.echo")
    assert a.app is b.app and a.base_url == "http://echo" and b.base_url.startswith("http://echo/__ns/echo-")
    a.client.delete("/items/apple", headers=KEY)
    b.faults.add(operation="getItem", status=500)
    assert b.client.get("/items/apple", headers=KEY).status_code == 500
    b.faults.clear()
    assert b.client.get("/items/apple", headers=KEY).status_code == 200
    assert a.client.get("/items/apple", headers=KEY).status_code == 404
    b.reset()
    assert b.journal.calls() == [] and len(a.journal.calls()) == 2
