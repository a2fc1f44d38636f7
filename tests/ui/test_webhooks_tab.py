"""The dashboard's Webhooks page: SuperOffice subscriptions with their counters and the outbox's delivery
attempts with EventId and signature; one line for an API without webhooks; everything escaped."""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
from typing import Any
from urllib.parse import quote

from emulators import build_app
from emulators.testing.harness import Emulator
from emulators.testing.transport import client_for
from emulators.testing.webhooks import WebhookReceiver
from tests.echo import EMULATOR

PAGE = "/__emulator/ui/webhooks"
HOOKS = "/api/v1/Webhook"
BASIC = {"Authorization": "Basic " + base64.b64encode(b"tje0:Tje0").decode()}
SECRET = "Dashboard secret"


def register(emu: Emulator, url: str, events: list[str], name: str = "Dashboard hook") -> dict[str, Any]:
    body = {"Name": name, "Events": events, "TargetUrl": url, "Secret": SECRET, "Type": "webhook"}
    r = emu.client.post(HOOKS, json=body, headers=BASIC)
    assert r.status_code == 200, r.text
    hook: dict[str, Any] = r.json()
    return hook


def rename_a_project(emu: Emulator, name: str) -> int:
    key = emu.client.get("/api/v1/Project?$top=1", headers=BASIC).json()["value"][0]["PrimaryKey"]
    rec = emu.client.get(f"/api/v1/Project/{key}", headers=BASIC).json()
    r = emu.client.put(f"/api/v1/Project/{key}", json=dict(rec, Name=name), headers=BASIC)
    assert r.status_code == 200, r.text
    return int(key)


def rows(page: str, table: str) -> list[str]:
    body = page.split(f'<table id="{table}">', 1)[1].split("</table>", 1)[0]
    return [r.split("</tr>", 1)[0] for r in body.split("<tr data-id=")[1:]]


def test_uiPage_webhooks_shows_subscription_and_signed_deliveries(
    superoffice_emulator: Emulator, webhook_receiver: WebhookReceiver
) -> None:
    emu = superoffice_emulator
    webhook_receiver.secret = SECRET
    hook = register(emu, webhook_receiver.url, ["project.changed", "project.deleted"])
    rename_a_project(emu, "Seen on the dashboard")
    got = webhook_receiver.wait_for("project.changed", timeout=2)
    emu.webhooks.wait_idle()
    page = emu.client.get(PAGE)
    assert page.status_code == 200 and page.headers["content-type"] == "text/html; charset=utf-8"
    (sub,) = rows(page.text, "subscriptions")
    assert f"<td>{hook['WebhookId']}</td><td>Dashboard hook</td>" in sub
    assert f"<code>{webhook_receiver.url}</code>" in sub
    assert "<code>project.changed</code>, <code>project.deleted</code>" in sub
    assert "<td>Active</td><td>1</td><td>0</td><td>0</td>" in sub  # the change (the test event precedes the save)
    newest, oldest = rows(page.text, "deliveries")  # newest first
    event_id = got.headers["x-superoffice-eventid"]
    assert "<code>project.changed</code>" in newest and f"<code>{event_id}</code>" in newest
    signature = base64.b64encode(hmac.new(SECRET.encode(), got.body, hashlib.sha256).digest()).decode()
    assert f"<code>{signature}</code>" in newest and got.headers["x-superoffice-signature"] == signature
    assert f"<td>1</td><td>Dashboard hook ({hook['WebhookId']})</td>" in newest
    assert f"<td><code>{webhook_receiver.url}</code></td><td>200</td>" in newest
    assert "<code>test</code>" in oldest
    assert "0 attempts waiting on the clock" in page.text


def test_uiPage_webhooks_failed_attempts_show_status_retries_and_errors(superoffice_emulator: Emulator) -> None:
    emu = superoffice_emulator
    statuses = [200, 503]  # the test event passes, the change fails once

    async def receiver(scope: dict[str, Any], receive: Any, send: Any) -> None:
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": statuses.pop(0) if statuses else 200, "headers": []})
        await send({"type": "http.response.body", "body": b"busy"})

    emu.webhooks.route_to(receiver)
    register(emu, "https://receiver.example/hook", ["project.changed"])
    emu.clock.freeze()
    rename_a_project(emu, "Retried")
    emu.webhooks.wait_idle()
    page = emu.client.get(PAGE).text
    failed = rows(page, "deliveries")[0]
    assert "<td>1</td>" in failed and "<td>503</td>" in failed and 'class="failed"' in failed
    assert "1 attempt waiting on the clock" in page
    (sub,) = rows(page, "subscriptions")
    assert "<td>1</td><td>1</td><td>1</td><td>503: busy</td>" in sub
    emu.clock.advance(1)
    emu.webhooks.wait_idle()
    retried = rows(emu.client.get(PAGE).text, "deliveries")[0]
    assert "<td>2</td>" in retried and "<td>200</td>" in retried and 'class="delivered"' in retried
    first_id = failed.split("<td><code>")[2].split("</code>")[0]
    assert f"<code>{first_id}</code>" in retried  # a retry keeps the EventId


def test_uiPage_webhooks_escapes_hostile_name_url_and_event(superoffice_emulator: Emulator) -> None:
    emu = superoffice_emulator
    hostile = "<script>alert(1)</script>"
    seen: list[bytes] = []

    async def receiver(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.append((await receive()).get("body", b""))
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    emu.webhooks.route_to(receiver)
    url = f'https://receiver.example/"><img src=x onerror=alert(2)>{hostile}'
    event = "custom.<b onmouseover=alert(3)>"  # no "/": it travels in the signal's path
    register(emu, url, [event], name=f"{hostile}\"'&")
    r = emu.client.post(f"{HOOKS}/{quote(event, safe='')}/7", json={}, headers=BASIC)
    assert r.status_code == 204
    emu.webhooks.wait_idle()
    assert any(json.loads(b).get("Event") == event for b in seen)
    page = emu.client.get(PAGE).text
    assert "<script>alert" not in page and "<img src=x" not in page and "<b onmouseover" not in page
    assert html.escape(f"{hostile}\"'&") in page.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
    assert html.escape(event, quote=False) in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert len(rows(page, "deliveries")) == 2  # the test event and the custom one


def test_uiPage_webhooks_api_without_webhooks_says_so_in_one_line() -> None:
    with client_for(build_app(EMULATOR, strict=True)) as client:
        page = client.get(PAGE)
    assert page.status_code == 200
    assert '<p id="no-webhooks" class="empty">echo sends no webhooks.</p>' in page.text
    assert '<table id="subscriptions">' not in page.text
    assert '<a href="webhooks" id="nav-webhooks" aria-current="page">Webhooks</a>' in page.text
