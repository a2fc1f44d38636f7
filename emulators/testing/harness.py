"""The emulator handle the pytest fixtures (and the scenario runner) hand out.

`Emulator` wraps an `httpx.Client` pointed at one emulator (in-process or a live server, optionally
inside a `/__ns/<name>` namespace) and drives the control plane `/__emulator/...` over HTTP, so the
same helpers work whatever sits behind the base URL:

    emu.client.get("/items")                  emu.credentials["token"]       emu.fixture_token
    emu.state.dump() / .load(data)            emu.journal.calls("getItem") / .assert_called("getItem", times=1)
    emu.faults.add(operation="getItem", status=503) -> "f1"      emu.clock.advance(61)
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from ..core.spec import EmulatorSpec
from ..registry import EmulatorUnavailable as EmulatorUnavailable  # the names fixtures and docs import here
from ..registry import UnknownEmulator as UnknownEmulator
from ..registry import resolve_spec as resolve_spec

CONTROL = "/__emulator"


class ControlError(AssertionError):
    """A control-plane call answered with an error status; the message is one line (what was refused,
    then each field and the control plane's reason, e.g. its nearest valid name)."""


_REFUSED = {"/faults": "fault rule", "/clock": "clock", "/state": "state", "/reset": "reset"}


def control_error_line(method: str, path: str, response: httpx.Response) -> str:
    """`fault rule refused (400): pathh: ...; did you mean `path`?` from the control plane's JSON error."""
    what = _REFUSED.get(path.split("?")[0], f"{method} {CONTROL}{path}")
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and body.get("error"):
        issues = [i for i in body.get("issues") or [] if isinstance(i, dict) and i.get("message")]
        parts = [f"{i['name']}: {i['message']}" if i.get("name") else str(i["message"]) for i in issues]
        text = "; ".join(dict.fromkeys(parts)) or str(body["error"])
    else:
        text = response.text[:300] or response.reason_phrase
    return f"{what} refused ({response.status_code}): " + " ".join(text.split())


class _Part:
    def __init__(self, emu: Emulator) -> None:
        self._emu = emu

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        return self._emu.control(method, path, **kwargs)


class State(_Part):
    """`GET/PUT /__emulator/state`, `POST /__emulator/reset`."""

    def dump(self) -> dict[str, Any]:
        data: dict[str, Any] = self._call("GET", "/state")
        return data

    def load(self, data: dict[str, Any]) -> None:
        self._call("PUT", "/state", json=data)

    def reset(self) -> None:
        self._emu.reset()


class Journal(_Part):
    """`GET/DELETE /__emulator/requests`: what the code under test sent, and what it got."""

    def calls(
        self,
        operation: str | None = None,
        *,
        method: str | None = None,
        status: int | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        if operation is not None:
            self._emu.check_operation(operation)
        params: dict[str, Any] = {}
        for key, value in (("operation", operation), ("method", method), ("status", status), ("limit", limit)):
            if value is not None:
                params[key] = value
        requests: list[dict[str, Any]] = self._call("GET", "/requests", params=params)["requests"]
        return requests

    def last(self, operation: str | None = None) -> dict[str, Any]:
        calls = self.calls(operation, limit=1)
        if not calls:
            raise AssertionError(f"no {operation or 'request'} call in the journal")
        return calls[-1]

    def assert_called(self, operation: str, times: int | None = None) -> list[dict[str, Any]]:
        """At least once (times=None) or exactly `times` times; returns the matching entries."""
        calls = self.calls(operation)
        if (times is None and calls) or (times is not None and len(calls) == times):
            return calls
        seen = [f"{e['method']} {e['path']} -> {e['status']} ({e['operation']})" for e in self.calls()]
        want = "at least once" if times is None else f"{times} time(s)"
        raise AssertionError(
            f"expected {operation} to be called {want}, it was called {len(calls)} time(s); journal:\n  "
            + ("\n  ".join(seen) if seen else "(empty)")
        )

    def assert_not_called(self, operation: str) -> None:
        self.assert_called(operation, times=0)

    def har(self) -> dict[str, Any]:
        har: dict[str, Any] = self._call("GET", "/requests", params={"format": "har"})
        return har

    def clear(self) -> None:
        self._call("DELETE", "/requests")


class Requests(_Part):
    """Journal verification: `GET /__emulator/requests/count`, `POST /__emulator/requests/find`."""

    def count(
        self,
        operation: str | None = None,
        *,
        method: str | None = None,
        status: int | None = None,
        path: str | None = None,
    ) -> int:
        params = {
            k: v
            for k, v in (("operation", operation), ("method", method), ("status", status), ("path", path))
            if v is not None
        }
        n: int = self._call("GET", "/requests/count", params=params)["count"]
        return n

    def find(
        self,
        body: str | None = None,
        *,
        operation: str | None = None,
        method: str | None = None,
        status: int | None = None,
        path: str | None = None,
        response_body: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Entries whose request body matches the JSONPath `body` (e.g. `$.Name == "x"`) and the filters."""
        query = {
            k: v
            for k, v in (
                ("body", body),
                ("operation", operation),
                ("method", method),
                ("status", status),
                ("path", path),
                ("response_body", response_body),
                ("limit", limit),
            )
            if v is not None
        }
        found: list[dict[str, Any]] = self._call("POST", "/requests/find", json=query)["requests"]
        return found


class Faults(_Part):
    """`POST/GET/DELETE /__emulator/faults`. Rule keys: operation, method, path, status, delay_ms,
    disconnect, times, probability, message, when ("before" | "after")."""

    def add(self, **rule: Any) -> str:
        fault_id: str = self._call("POST", "/faults", json=rule)["id"]
        return fault_id

    def list(self) -> list[dict[str, Any]]:
        faults: list[dict[str, Any]] = self._call("GET", "/faults")["faults"]
        return faults

    def remove(self, fault_id: str) -> None:
        self._call("DELETE", f"/faults/{fault_id}")

    def clear(self) -> None:
        self._call("DELETE", "/faults")


class Stubs(_Part):
    """`POST/GET/DELETE /__emulator/stubs`: answer some requests yourself while the rest stays stateful.
    Keys: the fault rule's match (operation, method, path, query, times, probability, delay) plus
    body_jsonpath, `respond={status, headers, body | json}` and when ("before" | "after")."""

    def add(self, **rule: Any) -> str:
        stub_id: str = self._call("POST", "/stubs", json=rule)["id"]
        return stub_id

    def list(self) -> list[dict[str, Any]]:
        stubs: list[dict[str, Any]] = self._call("GET", "/stubs")["stubs"]
        return stubs

    def remove(self, stub_id: str) -> None:
        self._call("DELETE", f"/stubs/{stub_id}")

    def clear(self) -> None:
        self._call("DELETE", "/stubs")


class Clock(_Part):
    """`GET/POST /__emulator/clock`: the emulator's only time source."""

    def now(self) -> datetime:
        from ..core.clock import parse_iso

        return parse_iso(self._call("GET", "/clock")["now"])

    def advance(self, seconds: float) -> datetime:
        return self._set({"advance_seconds": seconds})

    def set(self, when: str | datetime) -> datetime:
        return self._set({"set": when.isoformat() if isinstance(when, datetime) else when})

    def freeze(self, frozen: bool = True) -> datetime:
        return self._set({"freeze": frozen})

    def unfreeze(self) -> datetime:
        return self.freeze(False)

    def reset(self) -> datetime:
        return self._set({"reset": True})

    def _set(self, body: dict[str, Any]) -> datetime:
        from ..core.clock import parse_iso

        return parse_iso(self._call("POST", "/clock", json=body)["now"])


class Emulator:
    """One emulator as seen by a test: `.client` is already pointed at `.base_url`."""

    def __init__(self, name: str, client: httpx.Client, base_url: str, *, app: Any = None, namespace: str = "") -> None:
        self.name = name
        self.namespace = namespace
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.app = app  # the EmulatorApp when in-process, else None
        self.server: Any = None  # the LiveServer when served over a socket
        self.ca_path: Path | None = None  # served over https: the CA its clients trust (`curl --cacert`)
        self.state = State(self)
        self.journal = Journal(self)
        self.requests = Requests(self)
        self.faults = Faults(self)
        self.stubs = Stubs(self)
        self.clock = Clock(self)
        from .webhooks import Webhooks

        self.webhooks = Webhooks(self)
        self._credentials: dict[str, Any] | None = None
        self._fixture_token: str | None = None
        self._aclient: httpx.AsyncClient | None = None
        self._operations: frozenset[str] | None = None
        self._client_kwargs: dict[str, Any] = {}

    @property
    def aclient(self) -> httpx.AsyncClient:
        """An `httpx.AsyncClient` on `.base_url` for `async def` tests: in-process it drives the same app
        over `httpx.ASGITransport` (on the test's own event loop); live, it talks to the server's socket.
        Created on first use; `await emu.aclose()` closes it (the fixtures do)."""
        if self._aclient is None or self._aclient.is_closed:
            if self.app is not None:
                from .transport import async_client_for

                self._aclient = async_client_for(self.app, base_url=self.base_url, **self._client_kwargs)
            else:
                self._aclient = httpx.AsyncClient(base_url=self.base_url, **self._client_kwargs)
        return self._aclient

    async def aclose(self) -> None:
        if self._aclient is not None:
            await self._aclient.aclose()
            self._aclient = None

    async def __aenter__(self) -> Emulator:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
        self.close()

    def __enter__(self) -> Emulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        where = "in-process" if self.app is not None else "live"
        return f"<Emulator {self.name} {where} {self.base_url}>"

    @property
    def credentials(self) -> dict[str, Any]:
        """The same dict as `GET /__emulator/credentials`."""
        if self._credentials is None:
            self._credentials = self.control("GET", "/credentials")
        return self._credentials

    @property
    def fixture_token(self) -> str | None:
        """The fixtures' session token (Aktion's `?Token=`, 12Build's `X-Auth-Token`; None when the fixtures
        hold none): every reset issues it again, valid for the API's token lifetime from the reset on the
        emulator clock, so a test may call at once without logging in. Read from the state once (the token
        is the same after every reset)."""
        if self._fixture_token is None:
            if self.app is not None:
                tokens = self.app.world(self.namespace).store(None).table("tokens")
            else:
                tokens = (self.state.dump().get("global") or {}).get("tokens") or {}
            self._fixture_token = next(
                (str(k) for k, rec in tokens.items() if isinstance(rec, dict) and rec.get("fixture") is True), None
            )
        return self._fixture_token

    def operations(self) -> frozenset[str]:
        """The operationIds this emulator serves (from its contract; empty when it cannot be read)."""
        if self._operations is None:
            if self.app is not None:
                self._operations = frozenset(op.operation_id for op in self.app.contract.operations.values())
            elif getattr(self.server, "operations", None) is not None:
                self._operations = frozenset(self.server.operations)  # one contract fetch per live server
            else:
                try:
                    doc = self.control("GET", "/openapi.json")
                except (ControlError, httpx.HTTPError, ValueError):
                    doc = {}
                self._operations = frozenset(
                    op["operationId"]
                    for item in (doc.get("paths") or {}).values()
                    if isinstance(item, dict)
                    for op in item.values()
                    if isinstance(op, dict) and "operationId" in op
                )
        return self._operations

    def check_operation(self, operation: str) -> None:
        """AssertionError naming the nearest operationId when `operation` does not exist."""
        known = self.operations()
        if known and operation not in known:
            from ..core.suggest import hint

            raise AssertionError(f"{self.name} has no operation {operation!r}{hint(operation, sorted(known))}")

    def url(self, path: str = "") -> str:
        return self.base_url + ("/" + path.lstrip("/") if path else "")

    def control(self, method: str, path: str, **kwargs: Any) -> Any:
        """Call `/__emulator<path>` and return its JSON; a 4xx/5xx raises ControlError."""
        if method not in ("GET", "HEAD") and "json" not in kwargs:  # the guard takes state changes as JSON only
            kwargs["headers"] = {"Content-Type": "application/json", **(kwargs.get("headers") or {})}
        response = self.client.request(method, self.base_url + CONTROL + path, **kwargs)
        if response.status_code >= 400:
            raise ControlError(control_error_line(method, path, response))
        return response.json() if response.content else None

    def reset(self) -> None:
        """State back to the fixtures; journal, faults and clock cleared."""
        if self.app is not None:
            # in-process fast path: a brand-new World (like POST /__emulator/reset, and journal sequence
            # numbers, fault ids and ids restart too, so every test sees the same numbers)
            from ..core.world import World

            app = self.app
            old = app.worlds.get(self.namespace)
            templates = old.templates if old is not None else None  # the fixtures' state, built once
            app.worlds[self.namespace] = World(
                app.spec, app.fixtures, self.namespace, app.journal_size, app.seed, templates=templates
            )
        else:
            self.control("POST", "/reset")

    def health(self) -> dict[str, Any]:
        health: dict[str, Any] = self.control("GET", "/health")
        return health

    def close(self) -> None:
        self.client.close()
        if self._aclient is not None and self.app is not None:
            self._aclient = None  # in-process: nothing to release (no sockets, no pool)


def in_process(
    api: str | EmulatorSpec,
    *,
    fixtures: str | Path | dict[str, Any] | None = None,
    app: Any = None,
    namespace: str = "",
    **client_kwargs: Any,
) -> Emulator:
    """An Emulator over an in-process app (built here unless `app` is given); no socket. With a
    `namespace` it sees only that namespace of the app (`http://<api>/__ns/<namespace>`)."""
    from .. import build_app
    from .transport import client_for

    spec = resolve_spec(api) if app is None else app.spec
    if app is None:
        app = build_app(spec, fixtures=fixtures)
    base_url = f"http://{spec.name}" + (f"/__ns/{namespace}" if namespace else "")
    emu = Emulator(
        spec.name, client_for(app, base_url=base_url, **client_kwargs), base_url, app=app, namespace=namespace
    )
    emu._client_kwargs = dict(client_kwargs)
    return emu
