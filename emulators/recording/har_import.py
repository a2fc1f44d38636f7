"""`emulators import har FILE --api API [--out FILE]`: a HAR 1.2 file -> a portable scenario.

Works with HAR from browser dev tools, from proxies, and from our own `?format=har` export (whose
redacted `***` values are filled from captures of earlier answers or `${credentials.*}`). The same
portability rules as `record` and `proxy` apply (portable.py).
"""

from __future__ import annotations

import base64
import contextlib
import gc
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from ..core.errors import EmulatorError
from ..registry import resolve_spec
from .portable import Exchange, build_scenario, redaction_of

NS = re.compile(r"^/__ns/[^/]+(?=/)")


class HarError(ValueError):
    """Not a HAR file we can read; the message names the entry and the field."""


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic collector off while a HAR becomes a scenario: the views make millions of containers and no
    cycles, and each full collection re-scans all of them (a 49 MB body took minutes)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _need(obj: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(obj, dict) or key not in obj or not isinstance(obj[key], kind):
        raise HarError(f"{where}.{key}: missing or not {getattr(kind, '__name__', 'valid')}")
    return obj[key]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text_bytes(text: Any, encoding: Any) -> bytes:
    if not isinstance(text, str) or not text:
        return b""
    if encoding == "base64":
        try:
            return base64.b64decode(text)
        except ValueError:
            return text.encode("utf-8")
    return text.encode("utf-8")


def exchanges(har: Any, api: str, *, base_path: str = "") -> list[Exchange]:
    log = _need(har, "log", dict, "$")
    entries = _need(log, "entries", list, "$.log")
    spec = resolve_spec(api)
    from ..core.contract import Contract
    from ..core.routing import Router

    ops = list(Contract.load(spec.contract).operations.values())
    router = Router(ops, spec.prefixes, spec.case_insensitive_paths, spec.trailing_slash)
    out: list[Exchange] = []
    for i, entry in enumerate(entries):
        where = f"$.log.entries[{i}]"
        req = _need(entry, "request", dict, where)
        resp = _need(entry, "response", dict, where)
        method = str(_need(req, "method", str, where + ".request")).upper()
        url = urlsplit(str(_need(req, "url", str, where + ".request")))
        status = _need(resp, "status", int, where + ".response")
        if not 100 <= status <= 599 or method == "CONNECT":
            continue  # blocked / failed in the browser: nothing was answered
        path = NS.sub("", url.path or "/")
        if base_path and path.startswith(base_path.rstrip("/") + "/"):
            path = path[len(base_path.rstrip("/")) :]
        headers = [
            (str(h.get("name")), str(h.get("value", "")))
            for h in _list(req.get("headers"))
            if isinstance(h, dict) and h.get("name") and not str(h.get("name")).startswith(":")
        ]
        post = req["postData"] if isinstance(req.get("postData"), dict) else {}
        body = _text_bytes(post.get("text"), post.get("encoding"))
        if not body and post.get("params"):
            body = urlencode(
                [
                    (str(p.get("name", "")), str(p.get("value", "")))
                    for p in _list(post["params"])
                    if isinstance(p, dict)
                ]
            ).encode()
        if body and post.get("mimeType") and not any(k.lower() == "content-type" for k, _ in headers):
            headers.append(("Content-Type", str(post["mimeType"])))
        content = resp["content"] if isinstance(resp.get("content"), dict) else {}
        resp_headers = [
            (str(h.get("name")), str(h.get("value", "")))
            for h in _list(resp.get("headers"))
            if isinstance(h, dict) and h.get("name") and not str(h.get("name")).startswith(":")
        ]
        if content.get("mimeType") and not any(k.lower() == "content-type" for k, _ in resp_headers):
            resp_headers.append(("Content-Type", str(content["mimeType"])))
        try:
            operation: str | None = router.match(method, path)[0].operation_id
        except EmulatorError:
            operation = None
        out.append(
            Exchange(
                method,
                path,
                parse_qsl(url.query, keep_blank_values=True),
                headers,
                body,
                status,
                resp_headers,
                _text_bytes(content.get("text"), content.get("encoding")),
                operation,
            )
        )
    return out


def import_har(
    text: str, api: str, *, name: str | None = None, source: str = "a HAR file", base_path: str = ""
) -> dict[str, Any]:
    """The scenario (a dict) for the HAR document `text`; HarError when it is not HAR."""
    try:
        har = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HarError(f"not JSON: {exc.msg} at line {exc.lineno}") from exc
    except RecursionError:
        raise HarError("nested too deep to be a HAR document") from None
    xs = exchanges(har, api, base_path=base_path)
    spec = resolve_spec(api)
    from ..core.app import load_fixtures

    creds = spec.credentials(load_fixtures(None, spec.fixtures)) if spec.credentials is not None else {}
    bases = set()
    for entry in har["log"]["entries"]:
        url = urlsplit(str(entry["request"]["url"]))
        ns = NS.match(url.path or "")
        bases.add(f"{url.scheme}://{url.netloc}" + (ns.group(0) if ns else ""))
    return build_scenario(
        spec.name,
        xs,
        credentials=creds,
        redaction=redaction_of(spec),
        name=name,
        source=source,
        tool="emulators import har",
        base_urls=bases,
    )
