"""`expect_webhook:` of a request step: a delivery the request caused, found in the emulator's delivery
journal (GET /__emulator/webhooks/deliveries), with its event, a subset of its body, and its signature."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

from .matching import match

SIGNATURE = "x-superoffice-signature"  # the one vendor whose webhooks we emulate (SuperOffice)
DEFAULT_WITHIN = 2.0


def delivered(emulator: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = emulator.control("GET", "/webhooks/deliveries")["deliveries"]
    return found


def _header(entry: dict[str, Any], name: str) -> str | None:
    for k, v in ((entry.get("request") or {}).get("headers") or {}).items():
        if k.lower() == name:
            return str(v)
    return None


def problems_of(entry: dict[str, Any], expect: dict[str, Any]) -> list[str]:
    """Why this delivery is not the expected one (empty: it is)."""
    raw = str((entry.get("request") or {}).get("body") or "")
    try:
        body = json.loads(raw)
    except ValueError:
        return [f"the {entry.get('event')} delivery's body is not JSON"]
    out = match(expect.get("fields") or {}, body, "$body")
    secret = expect.get("secret")
    if secret is not None:
        want = base64.b64encode(hmac.new(str(secret).encode(), raw.encode(), hashlib.sha256).digest()).decode()
        got = _header(entry, SIGNATURE)
        if got is None:
            out.append(f"the {entry.get('event')} delivery carries no signature header")
        elif not hmac.compare_digest(got, want):
            out.append(f"the {entry.get('event')} delivery's signature does not match the secret")
    return out


def check_webhook(emulator: Any, expect: dict[str, Any], seen: int) -> list[str]:
    """Wait (up to `within` seconds) for a delivery of `event` after the first `seen` that matches; the
    problems of the closest one when none does."""
    event = str(expect["event"])
    end = time.monotonic() + float(expect.get("within") or DEFAULT_WITHIN)
    closest: list[str] = []
    while True:
        fresh = [d for d in delivered(emulator)[seen:] if d.get("event") == event]
        for entry in fresh:
            problems = problems_of(entry, expect)
            if not problems:
                return []
            if not closest or len(problems) < len(closest):
                closest = problems
        if time.monotonic() >= end:
            break
        time.sleep(0.02)
    within = float(expect.get("within") or DEFAULT_WITHIN)
    if not closest:
        return [f"expected a {event} webhook delivery within {within:g} s, none was sent"]
    return [f"a {event} webhook delivery was sent, but: {closest[0]}", *closest[1:]]
