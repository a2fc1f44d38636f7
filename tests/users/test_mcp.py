"""`emulators mcp`: the MCP tools and resources, exercised through the SDK's own client over stdio against
live emulators."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("mcp")
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

ROOT = Path(__file__).resolve().parents[2]
Serve = Callable[..., tuple[subprocess.Popen[str], str]]


def _error(result: Any) -> bool:
    """SDK 2.x names it is_error, 1.x isError."""
    return bool(getattr(result, "is_error", getattr(result, "isError", False)))


def _value(result: Any) -> Any:
    assert not _error(result), result.content
    data = getattr(result, "structured_content", getattr(result, "structuredContent", None))
    if data is not None:
        return data.get("result", data) if isinstance(data, dict) and set(data) == {"result"} else data
    text = result.content[0].text
    try:
        return json.loads(text)
    except ValueError:
        return text


async def _session(targets: list[str], body: Callable[[ClientSession], Any]) -> Any:
    args = ["-m", "emulators", "mcp"] + [a for url in targets for a in ("--target", url)]
    params = StdioServerParameters(command=sys.executable, args=args, cwd=str(ROOT))
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        return await body(session)


def test_mcp_tools_drive_and_inspect_live_emulators(serve: Serve, tmp_path: Path) -> None:
    _, line = serve("aktion")
    aktion = line.split()[1]
    _, line = serve("bouwsoft")
    bouwsoft = line.split()[1]
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "name: health\nemulator: aktion\nsteps:\n"
        "  - request: {method: GET, path: /__emulator/health}\n    expect: {status: 200}\n",
        encoding="utf-8",
    )

    async def body(s: ClientSession) -> None:
        tools = {t.name for t in (await s.list_tools()).tools}
        assert {
            "list_apis", "read_journal", "search_journal", "count_calls", "verify_calls", "dump_state",
            "load_state", "reset", "add_fault", "list_faults", "clear_faults", "add_stub", "list_stubs",
            "clear_stubs", "clock", "replay_scenario", "list_webhook_deliveries",
        } <= tools  # fmt: skip
        apis = _value(await s.call_tool("list_apis", {}))
        by_name = {a["api"]: a for a in apis}
        assert by_name["aktion"]["base_url"] == aktion and by_name["bouwsoft"]["base_url"] == bouwsoft
        assert by_name["aktion"]["credentials"]

        stub = _value(
            await s.call_tool(
                "add_stub", {"api": "aktion", "rule": {"method": "GET", "path": "/x*", "respond": {"status": 299}}}
            )
        )
        assert stub == "s1"
        assert [r["id"] for r in _value(await s.call_tool("list_stubs", {"api": "aktion"}))] == ["s1"]
        import httpx

        assert httpx.get(aktion + "/xyz").status_code == 299
        bad = httpx.get(aktion + "/definitely/not/a/route")
        journal = _value(await s.call_tool("read_journal", {"api": "aktion"}))
        assert [e["stub"] for e in journal] == ["s1", None]
        assert journal[1]["status"] == bad.status_code >= 400 and "issues" in journal[1]
        assert _value(await s.call_tool("count_calls", {"api": "aktion", "method": "GET"})) == 2
        verdict = _value(await s.call_tool("verify_calls", {"api": "aktion", "operation": "login", "times": 0}))
        assert verdict == {"ok": True, "count": 0, "message": "login was called 0 time(s); expected exactly 0"}
        found = _value(await s.call_tool("search_journal", {"api": "aktion", "path": "/xy*"}))
        assert found["count"] == 1
        assert _value(await s.call_tool("clear_stubs", {"api": "aktion"})) == "1 stubs cleared"

        fault = _value(await s.call_tool("add_fault", {"api": "bouwsoft", "rule": {"status": 503}}))
        assert fault == "f1" and _value(await s.call_tool("list_faults", {"api": "bouwsoft"}))[0]["status"] == 503
        assert _value(await s.call_tool("clear_faults", {"api": "bouwsoft"})) == "1 faults cleared"

        frozen = _value(await s.call_tool("clock", {"api": "aktion", "set": "2030-01-02T03:04:05Z", "freeze": True}))
        assert frozen["frozen"] is True and frozen["now"].startswith("2030-01-02T03:04:05")
        state = _value(await s.call_tool("dump_state", {"api": "aktion"}))
        assert "tenants" in state
        assert _value(await s.call_tool("load_state", {"api": "aktion", "state": state})) == "state loaded"
        assert _value(await s.call_tool("reset", {"api": "aktion"})) == "aktion reset"
        assert _value(await s.call_tool("read_journal", {"api": "aktion"})) == []

        hooks = _value(await s.call_tool("list_webhook_deliveries", {"api": "aktion"}))
        assert hooks["deliveries"] == []

        replay = _value(await s.call_tool("replay_scenario", {"path": str(scenario)}))
        assert replay["outcome"] == "passed" and replay["steps"][0]["outcome"] == "passed"

        unknown = await s.call_tool("dump_state", {"api": "aktoin"})
        assert _error(unknown) and "did you mean `aktion`?" in getattr(unknown.content[0], "text", "")

    asyncio.run(_session([aktion, bouwsoft], body))


def test_mcp_resources_contract_and_fidelity() -> None:
    async def body(s: ClientSession) -> None:
        uris = {str(r.uri) for r in (await s.list_resources()).resources}
        for api in ("bouwsoft", "superoffice", "aktion", "twelvebuild"):
            assert {f"emulators://{api}/contract", f"emulators://{api}/fidelity"} <= uris
        contract = await s.read_resource("emulators://aktion/contract")
        text = contract.contents[0].text  # type: ignore[union-attr]
        assert text == (ROOT / "contracts" / "aktion" / "openapi.yaml").read_text(encoding="utf-8")
        fidelity = await s.read_resource("emulators://bouwsoft/fidelity")
        assert "|" in fidelity.contents[0].text  # type: ignore[union-attr]

    asyncio.run(_session(["http://127.0.0.1:9"], body))
