"""`emulators mcp [--target URL ...]`: a Model Context Protocol server (stdio) for AI coding agents.

It drives running emulators through their control plane (`/__emulator/...`), as the pytest fixtures do:
list the APIs with base URLs and credentials, read and search the journal (with the dashboard's reasons
a request was refused), count and verify calls, dump/load/reset state, add/list/clear faults and stubs,
move or freeze the clock, list webhook deliveries, replay a scenario file. Each API's contract and
Fidelity table are resources.
Built on the official `mcp` SDK (extra `mcp`): `MCPServer` in SDK 2.x, `FastMCP` in 1.x."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

import httpx

from . import registry
from .core.paths import data_root

Json = dict[str, Any]


def _server_class() -> Any:
    import importlib

    try:  # SDK 2.x
        return importlib.import_module("mcp.server.mcpserver").MCPServer
    except ImportError:  # SDK 1.x
        return importlib.import_module("mcp.server.fastmcp").FastMCP


def _tool_error(message: str) -> Exception:
    """An error whose message the agent sees (the SDK hides other exceptions' text)."""
    import importlib

    try:  # SDK 2.x
        tool_error = importlib.import_module("mcp.server.mcpserver.exceptions").ToolError
    except ImportError:  # SDK 1.x
        tool_error = importlib.import_module("mcp.server.fastmcp.exceptions").ToolError
    error: Exception = tool_error(message)
    return error


class Targets:
    """The emulators this server talks to: {api name: base URL}, learnt from each URL's health check."""

    def __init__(self, urls: list[str], timeout: float = 10.0) -> None:
        self.urls = [u.rstrip("/") for u in urls]
        self.timeout = timeout
        self._names: dict[str, str] | None = None

    async def names(self) -> dict[str, str]:
        if self._names is None:
            found: dict[str, str] = {}
            async with httpx.AsyncClient(timeout=self.timeout, verify=_verify()) as client:
                for url in self.urls:
                    try:
                        health = (await client.get(url + "/__emulator/health")).json()
                    except (httpx.HTTPError, ValueError):
                        continue
                    found.setdefault(str(health.get("emulator")), url)
            if not found:
                return {}  # not cached: the emulators may still be starting
            self._names = found
        return self._names

    async def base(self, api: str, namespace: str = "") -> str:
        names = await self.names()
        if api not in names:
            from .core.suggest import unknown

            raise _tool_error(unknown("emulator", api, list(names)) + f" (reachable: {', '.join(names) or 'none'})")
        return names[api] + (f"/__ns/{namespace}" if namespace else "")

    async def control(self, api: str, method: str, path: str, namespace: str = "", **kwargs: Any) -> Any:
        base = await self.base(api, namespace)
        # the control plane takes a state-changing call only as JSON, even with no body (its CSRF rule)
        headers = {"Content-Type": "application/json"} if method in ("POST", "PUT", "PATCH", "DELETE") else {}
        async with httpx.AsyncClient(timeout=self.timeout, verify=_verify()) as client:
            r = await client.request(method, base + "/__emulator" + path, headers=headers, **kwargs)
        try:
            body = r.json()
        except ValueError:
            body = r.text
        if r.status_code >= 400:
            message = body.get("error") if isinstance(body, dict) else body
            raise _tool_error(f"{api}: {method} /__emulator{path}: {r.status_code} {message}")
        return body


def _verify() -> Any:
    """Trust the local CA too (emulators serve --tls), when it exists."""
    import ssl

    from .tls import CA_FILE, cache_dir

    ca = cache_dir() / CA_FILE
    if not ca.is_file():
        return True
    ctx = ssl.create_default_context()
    ctx.load_verify_locations(cafile=str(ca))
    return ctx


def default_targets(host: str = "127.0.0.1") -> list[str]:
    return [f"http://{host}:{port}" for _, port in registry.APIS.values()]


def build_server(targets: Targets) -> Any:
    server = _server_class()(
        name="vendor-emulators",
        instructions=(
            "Stateful emulators of the Visma Bouwsoft, SuperOffice CRM, Aktion.NEXT and 12Build REST APIs. "
            "Start with list_apis; every other tool takes the API name it lists. `namespace` selects an "
            "isolated namespace (/__ns/<name>/) instead of the default one."
        ),
    )
    _tools(server, targets)
    _resources(server)
    return server


def _tools(server: Any, t: Targets) -> None:
    @server.tool()
    async def list_apis() -> list[Json]:
        """The reachable emulators: name, base URL and the credentials a client logs in with."""
        out = []
        for api, url in (await t.names()).items():
            creds = await t.control(api, "GET", "/credentials")
            out.append({"api": api, "base_url": url, "credentials": creds})
        return out

    @server.tool()
    async def read_journal(
        api: str,
        operation: str | None = None,
        method: str | None = None,
        status: int | None = None,
        limit: int = 20,
        namespace: str = "",
    ) -> list[Json]:
        """The newest journaled requests (oldest first). A refused request (status >= 400) carries `issues`:
        why it was refused, as the dashboard shows it."""
        params = {k: v for k, v in {"operation": operation, "method": method, "status": status}.items() if v}
        params["limit"] = limit
        entries = (await t.control(api, "GET", "/requests", namespace, params=params))["requests"]
        return [await _with_reasons(t, api, e, namespace) for e in entries]

    @server.tool()
    async def search_journal(
        api: str,
        operation: str | None = None,
        method: str | None = None,
        status: int | None = None,
        path: str | None = None,
        body: str | None = None,
        response_body: str | None = None,
        limit: int = 20,
        namespace: str = "",
    ) -> Json:
        """Journaled requests matching every filter: `path` a glob, `body` / `response_body` JSONPath
        expressions such as `$.Name == "x"` (POST /__emulator/requests/find)."""
        query = {
            "operation": operation,
            "method": method,
            "status": status,
            "path": path,
            "body": body,
            "response_body": response_body,
            "limit": limit,
        }
        found = await t.control(api, "POST", "/requests/find", namespace, json={k: v for k, v in query.items() if v})
        found["requests"] = [await _with_reasons(t, api, e, namespace) for e in found["requests"]]
        return dict(found)

    @server.tool()
    async def count_calls(
        api: str,
        operation: str | None = None,
        method: str | None = None,
        status: int | None = None,
        path: str | None = None,
        namespace: str = "",
    ) -> int:
        """How many journaled requests match (path: a glob)."""
        params = {k: v for k, v in {"operation": operation, "method": method, "status": status, "path": path}.items()}
        got = await t.control(api, "GET", "/requests/count", namespace, params={k: v for k, v in params.items() if v})
        return int(got["count"])

    @server.tool()
    async def verify_calls(
        api: str,
        operation: str,
        times: int | None = None,
        at_least: int | None = None,
        status: int | None = None,
        namespace: str = "",
    ) -> Json:
        """Check that `operation` was called exactly `times` (or at least `at_least`, default 1) times."""
        n = await count_calls(api, operation, None, status, None, namespace)
        ok = n == times if times is not None else n >= (at_least if at_least is not None else 1)
        wanted = f"exactly {times}" if times is not None else f"at least {at_least if at_least is not None else 1}"
        return {"ok": ok, "count": n, "message": f"{operation} was called {n} time(s); expected {wanted}"}

    @server.tool()
    async def dump_state(api: str, namespace: str = "") -> Json:
        """The emulator's whole state (what load_state takes back)."""
        return dict(await t.control(api, "GET", "/state", namespace))

    @server.tool()
    async def load_state(api: str, state: Json, namespace: str = "") -> str:
        """Replace the state with a dump (validated; the error names the field)."""
        await t.control(api, "PUT", "/state", namespace, json=state)
        return "state loaded"

    @server.tool()
    async def reset(api: str, namespace: str = "") -> str:
        """State back to the fixtures; journal, faults, stubs and clock cleared."""
        await t.control(api, "POST", "/reset", namespace)
        return f"{api} reset"

    for kind in ("fault", "stub"):
        _rule_tools(server, t, kind)

    @server.tool()
    async def clock(
        api: str,
        advance_seconds: float | None = None,
        set: str | None = None,
        freeze: bool | None = None,
        reset: bool | None = None,
        namespace: str = "",
    ) -> Json:
        """Read the emulator's clock, or move it: advance_seconds, set (ISO 8601), freeze true/false, reset."""
        body = {"advance_seconds": advance_seconds, "set": set, "freeze": freeze, "reset": reset}
        body = {k: v for k, v in body.items() if v is not None}
        if not body:
            return dict(await t.control(api, "GET", "/clock", namespace))
        return dict(await t.control(api, "POST", "/clock", namespace, json=body))

    @server.tool()
    async def list_webhook_deliveries(api: str, event: str | None = None, namespace: str = "") -> Json:
        """The outbound webhook deliveries (one entry per attempt: target, event, status, error), oldest first."""
        params = {"event": event} if event else {}
        return dict(await t.control(api, "GET", "/webhooks/deliveries", namespace, params=params))

    @server.tool()
    async def replay_scenario(path: str) -> Json:
        """Run a scenario file (YAML) against the emulators, each in a fresh namespace; the outcome per step."""
        from .scenarios.runner import Runner

        names = await t.names()
        lines: list[str] = []
        runner = Runner(dict(names), out=lines.append)
        result = await asyncio.to_thread(runner.run_file, path)
        return {
            "outcome": result.outcome,
            "message": result.message,
            "steps": [{"name": s.name, "outcome": s.outcome, "message": s.message} for s in result.steps],
            "log": lines,
        }


def _rule_tools(server: Any, t: Targets, kind: str) -> None:
    plural = kind + "s"
    what = (
        "a fault rule: match {operation, method, path (glob), query, times, probability, when}, then fail "
        "with {status, message, delay_ms, delay, disconnect}"
        if kind == "fault"
        else "a stub: match {operation, method, path (glob), query, body_jsonpath, times, when}, then answer "
        "respond {status, headers, body | json}; when 'after' keeps the state change and replaces the answer"
    )

    async def add(api: str, rule: Json, namespace: str = "") -> str:
        return str((await t.control(api, "POST", f"/{plural}", namespace, json=rule))["id"])

    async def list_rules(api: str, namespace: str = "") -> list[Json]:
        return list((await t.control(api, "GET", f"/{plural}", namespace))[plural])

    async def clear(api: str, namespace: str = "") -> str:
        n = (await t.control(api, "DELETE", f"/{plural}", namespace))["cleared"]
        return f"{n} {plural} cleared"

    server.tool(name=f"add_{kind}", description=f"Add {what}; returns its id.")(add)
    server.tool(name=f"list_{plural}", description=f"The {plural} in force, with how often each fired.")(list_rules)
    server.tool(name=f"clear_{plural}", description=f"Remove every {kind}.")(clear)


async def _with_reasons(t: Targets, api: str, entry: Json, namespace: str) -> Json:
    if int(entry.get("status") or 0) < 400:
        return entry
    try:
        detail = await t.control(api, "GET", f"/ui/data/requests/{entry['seq']}", namespace)
    except Exception:  # the entry left the journal meanwhile: shown without its reasons
        return entry
    entry["issues"] = detail.get("issues") or []
    return entry


def _resources(server: Any) -> None:
    for api in registry.APIS:
        contract = data_root() / "contracts" / api / "openapi.yaml"
        fidelity = data_root() / "contracts" / api / "FIDELITY.md"
        for uri, path, mime, what in (
            (f"emulators://{api}/contract", contract, "application/yaml", "OpenAPI contract"),
            (f"emulators://{api}/fidelity", fidelity, "text/markdown", "Fidelity table (what is emulated, how)"),
        ):
            if path.is_file():
                server.resource(
                    uri, name=f"{api}-{uri.rsplit('/', 1)[1]}", description=f"{api}: {what}", mime_type=mime
                )(_reader(path))


def _reader(path: Path) -> Any:
    def read() -> str:
        return path.read_text(encoding="utf-8")

    return read


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "mcp",
        help="a Model Context Protocol server (stdio) for AI agents: drive and inspect running emulators",
        description="Speaks MCP on stdin/stdout. Configure it in your agent as the command `emulators mcp`.",
    )
    p.add_argument(
        "--target",
        action="append",
        default=None,
        metavar="URL",
        help="a running emulator's base URL (repeatable; default: every API on 127.0.0.1 at its default port)",
    )
    p.set_defaults(func=cmd_mcp)


def cmd_mcp(args: argparse.Namespace) -> int:
    try:
        server = build_server(Targets(args.target or default_targets()))
    except ImportError:
        print(
            "emulators mcp: error: the MCP SDK is not installed: pip install 'vendor-emulators[mcp]'", file=sys.stderr
        )
        return 2
    server.run("stdio")
    return 0


def main() -> None:  # pragma: no cover - `python -m emulators.mcp_server`
    parser = argparse.ArgumentParser(prog="emulators")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["mcp", *sys.argv[1:]])
    raise SystemExit(cmd_mcp(args))


if __name__ == "__main__":  # pragma: no cover
    main()
