"""SuperOffice webhooks end to end: registration, events from writes, signature, retries on the emulator
clock, TooManyErrors, 410; over a socket receiver and in process (ASGI)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import pytest

from emulators.testing.harness import Emulator
from emulators.testing.webhooks import WebhookReceiver

from .conftest import BASIC

SECRET = "Something Super Secret"
HOOKS = "/api/v1/Webhook"


def register(emu: Emulator, url: str, events: list[str], **extra: Any) -> dict[str, Any]:
    body = {"Name": "Test hook", "Events": events, "TargetUrl": url, "Secret": SECRET, "Type": "webhook", **extra}
    r = emu.client.post(HOOKS, json=body, headers=BASIC)
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    return data


def a_project(emu: Emulator) -> dict[str, Any]:
    r = emu.client.get("/api/v1/Project?$top=1", headers=BASIC)
    rows = r.json()["value"]
    got = emu.client.get(f"/api/v1/Project/{rows[0]['PrimaryKey']}", headers=BASIC).json()
    assert isinstance(got, dict)
    return got


def put_project(emu: Emulator, rec: dict[str, Any], name: str) -> float:
    start = time.perf_counter()
    r = emu.client.put(f"/api/v1/Project/{rec['ProjectId']}", json=dict(rec, Name=name), headers=BASIC)
    assert r.status_code == 200, r.text
    return start


def test_postWebhook_sends_test_event_and_saves(
    superoffice_emulator: Emulator, webhook_receiver: WebhookReceiver
) -> None:
    webhook_receiver.secret = SECRET
    hook = register(superoffice_emulator, webhook_receiver.url, ["project.changed"])
    test = webhook_receiver.wait_for("test", timeout=2)
    assert test.headers["x-hook-test"] == "true"
    assert test.json()["Entity"] == "test" and test.json()["PrimaryKey"] == 0
    assert test.signature_valid is True
    assert hook["WebhookId"] > 0 and hook["State"] == "Active"
    assert hook["_Links"]["Self"].endswith(f"/api/v1/Webhook/{hook['WebhookId']}")


def test_postWebhook_target_not_200_refused(superoffice_emulator: Emulator, webhook_receiver: WebhookReceiver) -> None:
    webhook_receiver.script([500])
    body = {"Name": "x", "Events": ["project.changed"], "TargetUrl": webhook_receiver.url}
    r = superoffice_emulator.client.post(HOOKS, json=body, headers=BASIC)
    assert r.status_code == 400
    err = r.json()
    assert err["ErrorType"] == "ArgumentException"
    assert err["ErrorMessage"].startswith(
        f"Webhook TargetUrl {webhook_receiver.url} did not answer 200 OK to the test event"
    )
    assert superoffice_emulator.client.get(HOOKS, headers=BASIC).json() == []


def test_postWebhook_not_https_refused(superoffice_emulator: Emulator) -> None:
    body = {"Name": "x", "Events": ["project.changed"], "TargetUrl": "http://www.example.com"}
    r = superoffice_emulator.client.post(HOOKS, json=body, headers=BASIC)
    assert r.status_code == 400
    assert r.json() == {
        "Error": True,
        "ErrorType": "ArgumentException",
        "ErrorMessage": "Webhook TargetUrl must be secure: 'HTTPS:' not found in http://www.example.com",
        "ErrorSource": "SuperOffice.Services.Implementation",
    }


def test_postWebhook_loopback_http_refused_when_https_required(
    superoffice_emulator: Emulator, webhook_receiver: WebhookReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EMULATORS_WEBHOOK_REQUIRE_HTTPS", "1")
    body = {"Name": "x", "Events": ["project.changed"], "TargetUrl": webhook_receiver.url}
    r = superoffice_emulator.client.post(HOOKS, json=body, headers=BASIC)
    assert r.status_code == 400
    assert r.json()["ErrorMessage"] == f"Webhook TargetUrl must be secure: 'HTTPS:' not found in {webhook_receiver.url}"
    assert webhook_receiver.received() == []


def test_putProjectEntity_delivers_signed_project_changed_within_100ms(
    superoffice_emulator: Emulator, webhook_receiver: WebhookReceiver
) -> None:
    webhook_receiver.secret = SECRET
    hook = register(superoffice_emulator, webhook_receiver.url, ["project.changed"])
    rec = a_project(superoffice_emulator)
    start = put_project(superoffice_emulator, rec, "Renamed by the test")
    got = webhook_receiver.wait_for("project.changed", timeout=2)
    assert got.received - start < 0.1
    assert got.signature_valid is True
    expected = base64.b64encode(hmac.new(SECRET.encode(), got.body, hashlib.sha256).digest()).decode()
    assert got.headers["x-superoffice-signature"] == expected
    body = got.json()
    assert body["Event"] == "project.changed" and body["Entity"] == "project"
    assert body["PrimaryKey"] == rec["ProjectId"] and body["WebhookName"] == hook["Name"]
    assert "name" in body["Changes"] and body["Changes"][0] == "project_id"
    assert body["ContextIdentifier"] == "Default" and body["ChangedByAssociateId"] > 0
    assert got.headers["x-superoffice-eventid"] == body["EventId"]
    assert got.headers["user-agent"].startswith("NetServer-Webhook/")
    assert body["Timestamp"].endswith("Z")
    assert "x-superoffice-retry" not in got.headers


def test_webhook_only_subscribed_events_sent(superoffice_emulator: Emulator, webhook_receiver: WebhookReceiver) -> None:
    register(superoffice_emulator, webhook_receiver.url, ["project.deleted"])
    rec = a_project(superoffice_emulator)
    put_project(superoffice_emulator, rec, "Not announced")
    superoffice_emulator.client.delete(f"/api/v1/Project/{rec['ProjectId']}", headers=BASIC)
    got = webhook_receiver.wait_for("project.deleted", timeout=2)
    assert got.json()["Values"] == {
        "associate_id": got.json()["Values"]["associate_id"],
        "project_id": rec["ProjectId"],
    }
    assert webhook_receiver.received("project.changed") == []


def test_webhook_failed_cycle_retries_1_s_then_4_s_later_in_emulator_time(
    superoffice_emulator: Emulator, webhook_receiver: WebhookReceiver
) -> None:
    emu = superoffice_emulator
    register(emu, webhook_receiver.url, ["project.changed"])
    emu.clock.freeze()
    webhook_receiver.script([500, 500, 200])
    put_project(emu, a_project(emu), "Retried")
    first = webhook_receiver.wait_for("project.changed", timeout=2)
    time.sleep(0.2)  # the frozen clock holds the retry
    assert len(webhook_receiver.received("project.changed")) == 1
    emu.clock.advance(1)
    second = webhook_receiver.wait_for("project.changed", timeout=2, count=2)
    emu.clock.advance(3)  # +4 s from the first: the third waits 4 s after the second (notification.md)
    time.sleep(0.2)
    assert len(webhook_receiver.received("project.changed")) == 2
    emu.clock.advance(1)
    third = webhook_receiver.wait_for("project.changed", timeout=2, count=3)
    assert first.json()["EventId"] == second.json()["EventId"] == third.json()["EventId"]
    assert [d.headers.get("x-superoffice-retry") for d in (first, second, third)] == [None, "1", "2"]
    emu.webhooks.wait_idle() if emu.app is not None else None
    journal = [d for d in emu.webhooks.deliveries(event="project.changed")]
    assert [d["attempt"] for d in journal] == [1, 2, 3]
    assert [d["response"]["status"] for d in journal] == [500, 500, 200]
    dues = [time.mktime(time.strptime(d["due"][:19], "%Y-%m-%dT%H:%M:%S")) for d in journal]
    assert [dues[1] - dues[0], dues[2] - dues[1]] == [1.0, 4.0]


def _fail_cycle(emu: Emulator, receiver: WebhookReceiver, rec: dict[str, Any], n: int) -> None:
    put_project(emu, rec, f"Failing {n}")
    receiver.wait_for("project.changed", timeout=2, count=3 * n - 2)
    emu.clock.advance(1)
    receiver.wait_for("project.changed", timeout=2, count=3 * n - 1)
    emu.clock.advance(4)
    receiver.wait_for("project.changed", timeout=2, count=3 * n)
    emu.webhooks.wait_idle()


def test_webhook_nine_failures_set_TooManyErrors(
    superoffice_emulator: Emulator, webhook_receiver: WebhookReceiver
) -> None:
    emu = superoffice_emulator
    hook = register(emu, webhook_receiver.url, ["project.changed"])
    emu.clock.freeze()
    webhook_receiver.script(500)
    rec = a_project(emu)
    for n in (1, 2, 3):
        _fail_cycle(emu, webhook_receiver, rec, n)
    ids = {d.json()["EventId"] for d in webhook_receiver.received("project.changed")}
    assert len(ids) == 3  # a new EventId per cycle
    got = emu.client.get(f"{HOOKS}/{hook['WebhookId']}", headers=BASIC).json()
    assert got["State"] == "TooManyErrors"
    last = emu.client.get(f"{HOOKS}/{hook['WebhookId']}/LastError", headers=BASIC)
    assert last.json().startswith("500")
    put_project(emu, rec, "Not sent any more")
    time.sleep(0.2)
    assert len(webhook_receiver.received("project.changed")) == 9


def test_webhook_410_disables_at_once_and_fires_errors_event(superoffice_emulator: Emulator) -> None:
    emu = superoffice_emulator
    gone, watcher = WebhookReceiver(), WebhookReceiver()
    try:
        hook = register(emu, gone.url, ["project.changed"])
        register(emu, watcher.url, [f"webhook{hook['WebhookId']}.errors"])
        gone.script(410)
        put_project(emu, a_project(emu), "Gone")
        gone.wait_for("project.changed", timeout=2)
        event = watcher.wait_for(f"webhook{hook['WebhookId']}.errors", timeout=2).json()
        assert event["Event"] == "webhook.errors" and event["PrimaryKey"] == hook["WebhookId"]
        assert event["FieldValues"]["state"] == 2
        assert emu.client.get(f"{HOOKS}/{hook['WebhookId']}", headers=BASIC).json()["State"] == "TooManyErrors"
        assert len(gone.received("project.changed")) == 1  # no retry after 410
    finally:
        gone.close()
        watcher.close()


def test_webhook_delivered_in_process_to_asgi_app(superoffice_emulator: Emulator) -> None:
    got: list[tuple[dict[str, str], bytes]] = []
    statuses = [200, 500, 500, 500, 500, 500, 500, 500, 500, 500]

    async def receiver(scope: dict[str, Any], receive: Any, send: Any) -> None:
        body = b""
        while True:
            msg = await receive()
            body += msg.get("body", b"")
            if not msg.get("more_body"):
                break
        got.append(({k.decode(): v.decode() for k, v in scope["headers"]}, body))
        status = statuses.pop(0) if statuses else 200
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    emu = superoffice_emulator
    emu.webhooks.route_to(receiver)
    hook = register(emu, "https://receiver.example/hook", ["project.changed"])
    emu.clock.freeze()
    rec = a_project(emu)
    for n in range(3):
        put_project(emu, rec, f"In process {n}")
        emu.webhooks.wait_idle()
        emu.clock.advance(1)
        emu.webhooks.wait_idle()
        emu.clock.advance(4)
        emu.webhooks.wait_idle()
    events = [h["x-superoffice-event"] for h, _ in got]
    assert events == ["test"] + ["project.changed"] * 9
    signed = got[1]
    expected = base64.b64encode(hmac.new(SECRET.encode(), signed[1], hashlib.sha256).digest()).decode()
    assert signed[0]["x-superoffice-signature"] == expected
    assert json.loads(signed[1])["Event"] == "project.changed"
    assert emu.client.get(f"{HOOKS}/{hook['WebhookId']}", headers=BASIC).json()["State"] == "TooManyErrors"


def test_putProjectEntity_over_live_server_delivers_project_changed(
    superoffice_server: Emulator, webhook_receiver: WebhookReceiver
) -> None:
    webhook_receiver.secret = SECRET
    register(superoffice_server, webhook_receiver.url, ["project.changed"])
    start = put_project(superoffice_server, a_project(superoffice_server), "Over the socket")
    got = webhook_receiver.wait_for("project.changed", timeout=2)
    assert got.signature_valid is True and got.received - start < 0.1


def test_putState_with_events_fires_project_changed(
    superoffice_emulator: Emulator, webhook_receiver: WebhookReceiver
) -> None:
    emu = superoffice_emulator
    register(emu, webhook_receiver.url, ["project.changed"])
    state = emu.state.dump()
    tenant = next(t for t, s in state["tenants"].items() if s.get("webhooks"))
    key = next(iter(state["tenants"][tenant]["projects"]))
    state["tenants"][tenant]["projects"][key]["Name"] = "Loaded as a change"
    emu.control("PUT", "/state", json=state)  # a plain load raises nothing
    time.sleep(0.2)
    assert webhook_receiver.received("project.changed") == []
    state["tenants"][tenant]["projects"][key]["Name"] = "Loaded as a change, announced"
    emu.control("PUT", "/state", params={"events": "true"}, json=state)
    got = webhook_receiver.wait_for("project.changed", timeout=2).json()
    assert got["PrimaryKey"] == int(key) and "name" in got["Changes"] and got["ChangedByAssociateId"] == 0


def test_webhookAgent_save_get_and_list(superoffice_emulator: Emulator, webhook_receiver: WebhookReceiver) -> None:
    emu = superoffice_emulator
    agents = "/api/v1/Agents/Webhook/"
    default = emu.client.post(agents + "CreateDefaultWebhook", headers=BASIC).json()
    assert default["WebhookId"] == 0 and default["Events"] == ["contact.created", "contact.deleted"]
    body = dict(default, name="Agent hook", events=["project.created"], targetUrl=webhook_receiver.url)
    saved = emu.client.post(agents + "SaveWebhook", json=body, headers=BASIC).json()
    got = emu.client.post(agents + f"GetWebhook?webhookId={saved['WebhookId']}", headers=BASIC).json()
    assert got["Name"] == "Agent hook" and got["TargetUrl"] == webhook_receiver.url
    listed = emu.client.post(agents + "GetAllWebhooks", json={"EventFilter": "project.created"}, headers=BASIC).json()
    assert [h["WebhookId"] for h in listed] == [saved["WebhookId"]]
    online = emu.client.get(
        "/Cust12345/api/v1/Webhook", headers={"Authorization": "Bearer 8A:Cust12345.AXRrCITpPBvQX3UbIohb"}
    )
    assert online.status_code == 200 and online.json() == []  # each customer has its own webhooks
    r = emu.client.post(agents + "DeleteWebhook?WebhookId=" + str(saved["WebhookId"]), headers=BASIC)
    assert r.status_code == 204
    missing = emu.client.get(f"{HOOKS}/{saved['WebhookId']}", headers=BASIC)
    assert missing.status_code == 404
    assert missing.json()["ErrorMessage"] == f"Webhook id {saved['WebhookId']} not found"


def test_signalEvent_notifies_custom_event_subscribers(
    superoffice_emulator: Emulator, webhook_receiver: WebhookReceiver
) -> None:
    emu = superoffice_emulator
    register(emu, webhook_receiver.url, ["window.closed"])
    r = emu.client.post(f"{HOOKS}/window.closed/7", json={"windowName": "foo"}, headers=BASIC)
    assert r.status_code == 204
    got = webhook_receiver.wait_for("window.closed", timeout=2).json()
    assert got["PrimaryKey"] == 7 and got["FieldValues"] == {"windowName": "foo"}


def test_getWebhookDeliveries_har(superoffice_emulator: Emulator, webhook_receiver: WebhookReceiver) -> None:
    register(superoffice_emulator, webhook_receiver.url, ["project.changed"])
    har = superoffice_emulator.control("GET", "/webhooks/deliveries", params={"format": "har"})
    entry = har["log"]["entries"][0]
    assert entry["request"]["headers"][2] == {"name": "X-SuperOffice-Event", "value": "test"}
    assert entry["response"]["status"] == 200


def test_putProjectEntity_renders_and_signs_events_off_the_request_path(
    superoffice_emulator: Emulator, webhook_receiver: WebhookReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from emulators.superoffice import webhooks

    threads: list[str] = []
    real = webhooks.build_message

    def spy(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    register(superoffice_emulator, webhook_receiver.url, ["project.changed"])
    monkeypatch.setattr(webhooks, "build_message", spy)
    put_project(superoffice_emulator, a_project(superoffice_emulator), "Rendered later")
    webhook_receiver.wait_for("project.changed", timeout=2)
    assert threads == ["emulators-outbox"]  # the write only queued; the outbox thread rendered and signed
