"""The Webhook subscription API (vendor-facts F1, F2): `/api/v1/Webhook` and the same operations as
`POST /api/v1/Agents/Webhook/<Method>`. A save checks the target (HTTPS, a 200 to the `test` event)."""

from __future__ import annotations

import copy
import ipaddress
import os
from typing import Any
from urllib.parse import urlsplit

from emulators.core.call import Call, Reply, no_content
from emulators.core.errors import EmulatorError
from emulators.core.intparse import parse_digits

from ..dates import EMPTY_DATE, now_so
from ..errors import NO_ENTITY, SERVICES, bad_request, conversion_error
from ..models import associate, lower_keys, next_seq, to_dict, to_int, to_str
from ..patch import apply_ops, check_ops, merge_to_ops
from ..render import apply_select
from ..webhooks import STATES, TABLE, USAGE, build_message, fire, fire_state_event, new_usage
from .entity import associate_id, links_base

ROOT = "Webhook"
FIELDS = (
    "WebhookId", "Name", "Events", "TargetUrl", "Secret", "State", "Type", "Headers", "Properties",
    "Registered", "RegisteredAssociate", "Updated", "UpdatedAssociate", "ErrorsEmail",
)  # fmt: skip
EMAIL_KEYS = ("errorsemail", "erroremail", "emailerrors")  # the pages use all three; ErrorsEmail is answered


def default_definition() -> dict[str, Any]:
    """GET Webhook/default (subscription.md): contact.created + contact.deleted, Active, webhook."""
    return {
        "WebhookId": 0,
        "Name": None,
        "Events": ["contact.created", "contact.deleted"],
        "TargetUrl": None,
        "Secret": None,
        "State": "Active",
        "Type": "webhook",
        "Headers": None,
        "Properties": None,
        "Registered": EMPTY_DATE,
        "RegisteredAssociate": None,
        "Updated": EMPTY_DATE,
        "UpdatedAssociate": None,
        "ErrorsEmail": None,
    }


def render(rec: dict[str, Any], call: Call | None = None) -> dict[str, Any]:
    out = {k: copy.deepcopy(rec.get(k)) for k in FIELDS}
    if call is not None:
        base = links_base(call)
        out["_Links"] = {"Self": f"{base}/api/v1/Webhook/{rec['WebhookId']}", "Archive": f"{base}/api/v1/Webhook"}
    return out


def _state(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(STATES):
        return STATES[value]
    if isinstance(value, str):
        text = value.strip()
        number = parse_digits(text)
        if number is not None and number < len(STATES):
            return STATES[number]
        for name in STATES:
            if name.lower() == text.lower():
                return name
    if value is None:
        return "Active"
    raise conversion_error(value, "SuperOffice.CRM.Services.WebhookState", "State")


def _events(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [e.strip() for e in value.split(",") if e.strip()]
    if isinstance(value, list):
        return [to_str(e, f"Events[{i}]") for i, e in enumerate(value)]
    raise conversion_error(value, "System.String[]", "Events")


def build(body: dict[str, Any], existing: dict[str, Any] | None) -> dict[str, Any]:
    low = lower_keys(body)
    rec = dict(existing) if existing is not None else default_definition()
    if "name" in low:
        rec["Name"] = None if low["name"] is None else to_str(low["name"], "Name")
    if "events" in low:
        rec["Events"] = _events(low["events"])
    for key, prop in (("targeturl", "TargetUrl"), ("secret", "Secret"), ("type", "Type")):
        if key in low:
            rec[prop] = None if low[key] is None else to_str(low[key], prop)
    if "state" in low:
        rec["State"] = _state(low["state"])
    if "headers" in low:
        rec["Headers"] = None if low["headers"] is None else to_dict(low["headers"], "Headers")
    if "properties" in low:
        props = low["properties"]
        if props is not None and not isinstance(props, dict):
            raise conversion_error(
                props, "System.Collections.Generic.Dictionary`2[System.String,System.Object]", "Properties"
            )
        rec["Properties"] = props
    for key in EMAIL_KEYS:
        if key in low:
            rec["ErrorsEmail"] = None if low[key] is None else to_str(low[key], "ErrorsEmail")
    if not rec.get("Type"):
        rec["Type"] = "webhook"
    return rec


def _loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_target(url: str | None) -> None:
    """HTTPS only (register.md). Assumption: http:// on loopback is accepted unless
    EMULATORS_WEBHOOK_REQUIRE_HTTPS=1 (receivers under test rarely have certificates)."""
    text = url or ""
    parts = urlsplit(text)
    if parts.scheme.lower() == "https" and parts.hostname:
        return
    strict = os.environ.get("EMULATORS_WEBHOOK_REQUIRE_HTTPS", "") not in ("", "0")
    if parts.scheme.lower() == "http" and parts.hostname and _loopback(parts.hostname) and not strict:
        return
    raise EmulatorError(
        f"Webhook TargetUrl must be secure: 'HTTPS:' not found in {text}",
        status=400,
        code="ArgumentException",
        source=SERVICES,
    )


def ping(call: Call, rec: dict[str, Any]) -> tuple[bool, str]:
    """Send the `test` event (reference/test-event.md) and wait for the answer."""
    hook = dict(rec, WebhookId=rec.get("WebhookId") or 0)
    msg = build_message(
        call.world, call.tenant, hook, "test", 0, {"Changes": []}, associate_id(call), test=True, entity="test"
    )
    result = call.world.outbox.send_now(msg)
    if result.status is None:
        return False, result.text
    head = "\r\n".join(f"{k}: {v}" for k, v in result.headers.items())
    return result.ok, f"{result.status}\r\n{head}\r\n\r\n{result.text}"


def save(call: Call, body: Any, existing: dict[str, Any] | None) -> dict[str, Any]:
    if not isinstance(body, dict) or not body:
        raise bad_request(NO_ENTITY)
    rec = build(body, existing)
    if str(rec.get("Type")).lower() == "webhook":
        check_target(rec.get("TargetUrl"))
        if rec["State"] == "Active":
            ok, message = ping(call, rec)
            if not ok:
                raise EmulatorError(
                    f"Webhook TargetUrl {rec.get('TargetUrl')} did not answer 200 OK to the test event: {message}",
                    status=400,
                    code="ArgumentException",
                    source=SERVICES,
                )
    now_text, _ = now_so(call.clock.now())
    who = associate(call.store, associate_id(call))
    if existing is None:
        rec["WebhookId"] = next_seq(call.store, "WebhookId", TABLE)
        rec["Registered"], rec["RegisteredAssociate"] = now_text, who
    rec["Updated"], rec["UpdatedAssociate"] = now_text, who
    usage = call.store.table(USAGE).setdefault(str(rec["WebhookId"]), new_usage())
    old_state = existing.get("State") if existing is not None else None
    if rec["State"] == "Active" and old_state not in (None, "Active"):
        usage["consecutive_errors"] = 0  # re-enabled by the subscriber (notification.md)
    call.store.put(TABLE, rec["WebhookId"], rec)
    if old_state is not None and old_state != rec["State"]:
        fire_state_event(call.world, call.tenant, rec, rec["State"])
    return rec


def _load(call: Call, webhook_id: Any) -> dict[str, Any]:
    rec: dict[str, Any] | None = call.store.get(TABLE, webhook_id)
    if rec is None:
        raise EmulatorError(
            f"Webhook id {webhook_id} not found", status=404, code="SoNotFoundException", source=SERVICES
        )
    return rec


def _reply(call: Call, rec: dict[str, Any]) -> Reply:
    return Reply(body=apply_select(render(rec, call), call.query.get("$select")), xml_root=ROOT)


def _listed(call: Call, name: Any, event: Any, status: Any) -> Reply:
    state = _state(status) if status not in (None, "") else "Unknown"
    out = []
    for _, rec in sorted(call.store.table(TABLE).items(), key=lambda kv: int(kv[0])):
        if name not in (None, "") and str(rec.get("Name") or "") != str(name):
            continue
        if event not in (None, "") and str(event).lower() not in [e.lower() for e in rec.get("Events") or []]:
            continue
        if state != "Unknown" and rec.get("State") != state:
            continue
        out.append(render(rec))
    return Reply(body=out, xml_root="ArrayOfWebhook")


def _test(call: Call, body: Any) -> Reply:
    if not isinstance(body, dict) or not body:
        raise bad_request(NO_ENTITY)
    rec = build(body, None)
    try:
        check_target(rec.get("TargetUrl"))
    except EmulatorError as err:
        return _result(False, err.message)
    ok, message = ping(call, rec)
    return _result(ok, message)


def _result(ok: bool, message: str) -> Reply:
    return Reply(
        body={"Success": ok, "Message": message, "TableRight": None, "FieldProperties": {}}, xml_root="WebhookResult"
    )


def _signal(call: Call, event: Any, pk: Any, data: Any) -> Reply:
    name = to_str(event, "eventName")
    fields: dict[str, Any] = {"Changes": []}
    if isinstance(data, dict) and data:
        fields["FieldValues"] = data
    if pk is None:
        pk = 0
    if not isinstance(pk, int) or isinstance(pk, bool):
        raise conversion_error(pk, "System.Int32", "primaryKey")
    key = pk
    fire(call.world, call.tenant, name, key, fields, associate_id(call), entity=name.split(".")[0])
    return no_content()


def _last_error(call: Call, webhook_id: Any) -> Reply:
    rec = _load(call, webhook_id)
    usage = call.store.get(USAGE, rec["WebhookId"]) or {}
    return Reply(body=str(usage.get("last_error") or ""), xml_root="string")


# REST ----------------------------------------------------------------------------------------------
def defaultWebhook(call: Call) -> Reply:
    return Reply(body=default_definition(), xml_root=ROOT)


def getAllWebhooks(call: Call) -> Reply:
    q = call.query
    return _listed(call, q.get("nameFilter"), q.get("eventFilter"), q.get("statusFilter"))


def postWebhook(call: Call) -> Reply:
    body = call.body
    existing = None
    if isinstance(body, dict):
        wid = lower_keys(body).get("webhookid")
        if isinstance(wid, int) and wid and call.store.get(TABLE, wid) is not None:
            existing = call.store.get(TABLE, wid)
    return _reply(call, save(call, body, existing))


def getWebhook(call: Call) -> Reply:
    return _reply(call, _load(call, call.path_params["webhookId"]))


def putWebhook(call: Call) -> Reply:
    rec = _load(call, call.path_params["webhookId"])
    return _reply(call, save(call, call.body, rec))


def patchWebhook(call: Call) -> Reply:
    rec = _load(call, call.path_params["webhookId"])
    body = call.body
    doc = render(rec)
    if isinstance(body, list) and body:
        ops = check_ops(body, doc)
    elif isinstance(body, dict) and body:
        ops = merge_to_ops(body, doc)
    else:
        raise bad_request(NO_ENTITY)
    patched = apply_ops(doc, ops)
    return _reply(call, save(call, patched, rec))


def _delete(call: Call, value: Any) -> Reply:
    wid = to_int(value, "webhookId")  # an id past Int32 is refused as the binder refuses it
    call.store.delete(TABLE, wid)
    call.store.table(USAGE).pop(str(wid), None)
    return no_content()


def deleteWebhook(call: Call) -> Reply:
    return _delete(call, call.path_params["webhookId"])


def testWebhook(call: Call) -> Reply:
    return _test(call, call.body)


def signalEvent(call: Call) -> Reply:
    return _signal(call, call.path_params["eventName"], call.path_params["primaryKey"], call.body)


def getLastError(call: Call) -> Reply:
    return _last_error(call, call.path_params["webhookId"])


# Agents (the npm package's WebhookAgent) -------------------------------------------------------------
def _arg(call: Call, name: str) -> Any:
    body = call.body if isinstance(call.body, dict) else {}
    low = lower_keys(body)
    for k, v in call.query.items():
        if k.lower() == name:
            return v
    return low.get(name)


def webhookAgentCreateDefaultWebhook(call: Call) -> Reply:
    return defaultWebhook(call)


def webhookAgentSaveWebhook(call: Call) -> Reply:
    return postWebhook(call)


def webhookAgentGetWebhook(call: Call) -> Reply:
    return _reply(call, _load(call, _arg(call, "webhookid")))


def webhookAgentDeleteWebhook(call: Call) -> Reply:
    return _delete(call, _arg(call, "webhookid"))


def webhookAgentGetAllWebhooks(call: Call) -> Reply:
    return _listed(call, _arg(call, "namefilter"), _arg(call, "eventfilter"), _arg(call, "statusfilter"))


def webhookAgentTestWebhook(call: Call) -> Reply:
    return _test(call, _arg(call, "webhook"))


def webhookAgentSignalEvent(call: Call) -> Reply:
    return _signal(call, _arg(call, "eventname"), _arg(call, "primarykey"), _arg(call, "data"))


def webhookAgentGetLastError(call: Call) -> Reply:
    return _last_error(call, _arg(call, "webhookid"))


HANDLERS = {
    "defaultWebhook": defaultWebhook,
    "getAllWebhooks": getAllWebhooks,
    "postWebhook": postWebhook,
    "getWebhook": getWebhook,
    "putWebhook": putWebhook,
    "patchWebhook": patchWebhook,
    "deleteWebhook": deleteWebhook,
    "testWebhook": testWebhook,
    "signalEvent": signalEvent,
    "getLastError": getLastError,
    "webhookAgentCreateDefaultWebhook": webhookAgentCreateDefaultWebhook,
    "webhookAgentSaveWebhook": webhookAgentSaveWebhook,
    "webhookAgentGetWebhook": webhookAgentGetWebhook,
    "webhookAgentDeleteWebhook": webhookAgentDeleteWebhook,
    "webhookAgentGetAllWebhooks": webhookAgentGetAllWebhooks,
    "webhookAgentTestWebhook": webhookAgentTestWebhook,
    "webhookAgentSignalEvent": webhookAgentSignalEvent,
    "webhookAgentGetLastError": webhookAgentGetLastError,
}
