"""In-process and live emulator fixtures inside a running event loop (pytest-asyncio and anyio)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

import emulators
from emulators.testing.transport import client_for

pytest_plugins = ["pytester"]


def _pair(emu: Any) -> dict[str, str]:
    creds = emu.credentials
    return {"Clientnr": str(creds["clientnr"]), "RefreshToken": creds["refresh_token"]}


async def _token_flow(emu: Any) -> None:
    # the sync client, journal, credentials and clock all work while a loop is running
    r = emu.client.get("/api/v1/Authorize/AccessToken", headers=_pair(emu))
    assert r.status_code == 200
    token = r.json()["AccessToken"]
    emu.journal.assert_called("getAccessToken", times=1)
    # the async client drives the same emulator (same state, same journal)
    hdrs = {"Clientnr": str(emu.credentials["clientnr"]), "AccessToken": token}
    r = await emu.aclient.get("/api/v1/Projects/3320", headers=hdrs)
    assert r.status_code == 200
    assert r.json()["Records"][0]["name"] == "Renovatie woning Peeters"
    emu.journal.assert_called("getProject", times=1)
    emu.clock.advance(3600)
    r = await emu.aclient.get("/api/v1/Projects/3320", headers=hdrs)
    assert r.status_code == 401
    change = r.json()["RecordChanges"][0]
    assert (change["Code"], change["Description"]) == (401, "The AccessToken has expired")
    await emu.aclose()


@pytest.mark.asyncio
async def test_in_process_fixture_under_pytest_asyncio(bouwsoft_emulator: Any) -> None:
    await _token_flow(bouwsoft_emulator)


@pytest.mark.asyncio
async def test_live_fixture_under_pytest_asyncio(bouwsoft_server: Any) -> None:
    await _token_flow(bouwsoft_server)


@pytest.mark.anyio
async def test_in_process_fixture_under_anyio(bouwsoft_emulator: Any) -> None:
    await _token_flow(bouwsoft_emulator)


@pytest.mark.anyio
async def test_live_fixture_under_anyio(bouwsoft_server: Any) -> None:
    await _token_flow(bouwsoft_server)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.asyncio
async def test_client_for_inside_running_loop_serves_health() -> None:
    app = emulators.build_app("superoffice")
    with client_for(app, base_url="http://superoffice") as client:
        r = client.get("/__emulator/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "emulator": "superoffice"}


@pytest.mark.asyncio
async def test_aclient_concurrent_requests_all_journaled(superoffice_emulator: Any) -> None:
    results = await asyncio.gather(*(superoffice_emulator.aclient.get("/__emulator/health") for _ in range(20)))
    assert {r.status_code for r in results} == {200}
    await superoffice_emulator.aclose()


@pytest.mark.asyncio
async def test_aclient_disconnect_fault_raises_remote_protocol_error(bouwsoft_emulator: Any) -> None:
    bouwsoft_emulator.faults.add(operation="getAccessToken", disconnect=True)
    with pytest.raises(httpx.RemoteProtocolError):
        await bouwsoft_emulator.aclient.get("/api/v1/Authorize/AccessToken", headers=_pair(bouwsoft_emulator))
    with pytest.raises(httpx.RemoteProtocolError):  # the sync client inside the loop sees the same
        bouwsoft_emulator.faults.add(operation="getAccessToken", disconnect=True)
        bouwsoft_emulator.client.get("/api/v1/Authorize/AccessToken", headers=_pair(bouwsoft_emulator))
    await bouwsoft_emulator.aclose()


def test_sync_fixture_outside_loop_still_uses_no_thread(bouwsoft_emulator: Any) -> None:
    r = bouwsoft_emulator.client.get("/__emulator/health")
    assert r.status_code == 200
    assert bouwsoft_emulator.client._transport._loop is not None  # the private loop, no hand-off


def test_docs_async_example_runs(pytester: pytest.Pytester) -> None:
    import re
    from pathlib import Path

    page = (Path(__file__).parents[2] / "docs" / "pytest.md").read_text(encoding="utf-8")
    [code] = [c for c in re.findall(r"```python\n(.*?)```", page, flags=re.S) if "@pytest.mark.asyncio" in c]
    pytester.makepyfile(test_readme_async=code)
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
