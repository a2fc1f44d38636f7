"""SuperOffice webhooks (vendor-facts F1-F7): the events a project write raises, the payload and headers
the vendor sends, its signature and its failure policy. The kernel's outbox (core/outbound.py) sends.

Subscriptions live in the tenant store (`webhooks`, usage counters in `webhook_usage`), so they dump,
load and reset with the state. Events are raised by the store's change hook (`on_change`), so every
write path raises them: REST, PATCH, the Agents API, merges, and state loads marked as changes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime
from typing import Any

import orjson

from emulators.core.outbound import Message, Policy, Result

from .auth import ACTOR, onsite_tenant

TABLE = "webhooks"
USAGE = "webhook_usage"
USER_AGENT = "NetServer-Webhook/8.8.6684.1719"  # the version of the vendor's samples
RETRY_DELAYS = (1.0, 4.0)  # attempt 2 one second after the first, attempt 3 four seconds after the second
MAX_CONSECUTIVE = 9
STATES = ("Unknown", "Active", "Stopped", "TooManyErrors")
STATE_EVENT_CODES = {"Active": 0, "Stopped": 1, "TooManyErrors": 2}  # state-events page numbering

# ProjectEntity property -> project table column (notification.md: Changes are database column names)
PROJECT_COLUMNS = {
    "Name": "name",
    "ProjectNumber": "project_number",
    "Associate": "associate_id",
    "ProjectType": "type_idx",
    "ProjectStatus": "status_idx",
    "Completed": "done",
    "EndDate": "endDate",
    "NextMilestoneDate": "nextMilestoneDate",
    "NmdAppointmentId": "nmdAppointment_id",
    "ActiveLinks": "activeLinks",
    "ActiveErpLinks": "activeErpLinks",
    "Description": "text_id",
    "Postit": "postitText_id",
}
CREATED_COLUMNS = [
    "project_id", "text_id", "tzLocationId", "postitText_id", "activeErpLinks", "userdef2_id", "status_idx",
    "nmdAppointment_id", "registered", "endDate", "type_idx", "source", "activeLinks", "associate_id", "group_id",
    "done", "soundEx", "updated", "userdef_id", "updated_associate_id", "project_number", "nextMilestoneDate",
    "updatedCount", "registered_associate_id", "name",
]  # fmt: skip
MEMBER_COLUMNS = {
    "ProjectMemberTypeId": "mtype_idx",
    "PersonId": "person_id",
    "ContactId": "contact_id",
    "Comment": "text_id",
}
MEMBER_CREATED = [
    "projectmember_id", "rank", "text_id", "mtype_idx", "registered", "updated", "project_id",
    "updated_associate_id", "person_id", "updatedCount", "registered_associate_id", "contact_id",
]  # fmt: skip


# payload pieces ------------------------------------------------------------------------------------
def timestamp(now: datetime) -> str:
    """UTC with up to 7 fractional digits (trailing zeros dropped) and Z, as the samples show."""
    frac = f"{now.microsecond:06d}0".rstrip("0")
    return now.strftime("%Y-%m-%dT%H:%M:%S") + (f".{frac}" if frac else "") + "Z"


def sign(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()).decode("ascii")


def _id_of(value: Any, key: str) -> int:
    if isinstance(value, dict):
        try:
            return int(value.get(key) or 0)
        except (TypeError, ValueError):
            return 0
    return 0


def project_values(rec: dict[str, Any]) -> dict[str, Any]:
    """FieldValues of a project event (reference/project-events.md)."""
    return {
        "activeLinks": int(rec.get("ActiveLinks") or 0),
        "associate_id": _id_of(rec.get("Associate"), "AssociateId"),
        "done": 1 if rec.get("Completed") else 0,
        "registered": rec.get("CreatedDate") or "0001-01-01T00:00:00",
        "registered_associate_id": _id_of(rec.get("CreatedBy"), "AssociateId"),
        "status_idx": _id_of(rec.get("ProjectStatus"), "Id"),
        "type_idx": _id_of(rec.get("ProjectType"), "Id"),
        "updated": rec.get("UpdatedDate") or "0001-01-01T00:00:00",
        "updated_associate_id": _id_of(rec.get("UpdatedBy"), "AssociateId"),
        "userdef2_id": 0,
        "userdef_id": 0,
    }


def member_values(m: dict[str, Any], project_id: int, actor: int) -> dict[str, Any]:
    return {
        "contact_id": int(m.get("ContactId") or 0),
        "mtype_idx": int(m.get("ProjectMemberTypeId") or 0),
        "person_id": int(m.get("PersonId") or 0),
        "project_id": project_id,
        "projectmember_id": int(m.get("ProjectmemberId") or 0),
        "registered": m.get("Registered") or "0001-01-01T00:00:00",
        "registered_associate_id": actor,
        "updated": m.get("Updated") or "0001-01-01T00:00:00",
        "updated_associate_id": actor,
    }


def project_events(key: str, old: Any, new: Any, actor: int) -> list[tuple[str, int, dict[str, Any]]]:
    """(event, primary key, payload fields) for one project write, members included."""
    out: list[tuple[str, int, dict[str, Any]]] = []
    pid = int(key)
    if old is None:
        out.append(("project.created", pid, {"Changes": list(CREATED_COLUMNS), "FieldValues": project_values(new)}))
    elif new is None:
        values = {"associate_id": _id_of(old.get("Associate"), "AssociateId"), "project_id": pid}
        out.append(("project.deleted", pid, {"Changes": [], "Values": values}))
    else:
        changed = [col for prop, col in PROJECT_COLUMNS.items() if old.get(prop) != new.get(prop)]
        if changed or old.get("UpdatedDate") != new.get("UpdatedDate"):
            changes = ["project_id", *changed, "updated", "updated_associate_id", "updatedCount"]
            out.append(("project.changed", pid, {"Changes": changes, "FieldValues": project_values(new)}))
    before = {int(m.get("ProjectmemberId") or 0): m for m in (old or {}).get("ProjectMembers") or []}
    after = {int(m.get("ProjectmemberId") or 0): m for m in (new or {}).get("ProjectMembers") or []}
    for mid, m in after.items():
        if mid not in before:
            fields = {"Changes": list(MEMBER_CREATED), "FieldValues": member_values(m, pid, actor)}
            out.append(("projectmember.created", mid, fields))
        elif before[mid] != m:
            cols = [c for p, c in MEMBER_COLUMNS.items() if before[mid].get(p) != m.get(p)]
            changes = ["projectmember_id", *cols, "updated", "updated_associate_id", "updatedCount"]
            out.append(
                ("projectmember.changed", mid, {"Changes": changes, "FieldValues": member_values(m, pid, actor)})
            )
    for mid in before:
        if mid not in after:
            values = {"associate_id": actor, "project_id": pid}
            out.append(("projectmember.deleted", mid, {"Changes": [], "Values": values}))
    return out


# sending -------------------------------------------------------------------------------------------
def context_identifier(world: Any, tenant: str | None) -> str:
    """The customer id Online; `Default` onsite (the samples' value; notification.md says "not used")."""
    if tenant is None or tenant == onsite_tenant(world.fixtures):
        return "Default"
    return tenant


def subscribers(store: Any, event: str) -> list[dict[str, Any]]:
    hooks = store.data.get(TABLE)
    if not hooks:
        return []
    ev = event.lower()
    return [
        h
        for h in hooks.values()
        if h.get("State") == "Active"
        and str(h.get("Type") or "webhook").lower() == "webhook"
        and any(str(e).lower() == ev for e in h.get("Events") or [])
    ]


def build_message(
    world: Any, tenant: str | None, hook: dict[str, Any], event: str, pk: int, fields: dict[str, Any], actor: int,
    *, test: bool = False, body_event: str | None = None, entity: str | None = None, when: float | None = None,
) -> Message:  # fmt: skip
    event_id = world.ids.uuid()
    now = world.clock.now() if when is None else datetime.fromtimestamp(when, UTC)
    body: dict[str, Any] = {
        "EventId": event_id,
        "Timestamp": timestamp(now),
        "Changes": fields.get("Changes", []),
        "Event": body_event or event,
        "PrimaryKey": pk,
    }
    if entity is not None:
        body["Entity"] = entity
    body["ContextIdentifier"] = context_identifier(world, tenant)
    body["ChangedByAssociateId"] = actor
    body["WebhookName"] = hook.get("Name")
    for extra in ("FieldValues", "Values"):
        if extra in fields:
            body[extra] = fields[extra]
    for k, v in (hook.get("Properties") or {}).items():
        body[str(k)] = v
    raw = orjson.dumps(body)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-SuperOffice-Event": event,
        "X-SuperOffice-EventId": event_id,
    }
    if test:
        headers["X-Hook-Test"] = "true"
    if hook.get("Secret"):
        headers["X-SuperOffice-Signature"] = sign(str(hook["Secret"]), raw)
    for k, v in (hook.get("Headers") or {}).items():
        headers[str(k)] = str(v)
    return Message(
        subscription=str(hook.get("WebhookId", 0)),
        event=event,
        url=str(hook.get("TargetUrl") or ""),
        body=raw,
        headers=headers,
        key=event_id,
        tenant=tenant,
        retry_delays=() if test else RETRY_DELAYS,
        attempt_headers=_retry_header,
        policy=UsagePolicy(world, tenant),
    )


def _retry_header(attempt: int) -> dict[str, str]:
    """X-SuperOffice-Retry: the retries so far; on retries only (the first deliveries' samples carry none)."""
    return {"X-SuperOffice-Retry": str(attempt - 1)} if attempt > 1 else {}


def fire(world: Any, tenant: str | None, event: str, pk: int, fields: dict[str, Any], actor: int, **kw: Any) -> None:
    """Queue `event` for its subscribers; rendered and signed on the outbox thread, not in the write."""

    def render(when: float) -> list[Message]:
        hooks = subscribers(world.store(tenant), event)
        return [build_message(world, tenant, h, event, pk, fields, actor, when=when, **kw) for h in hooks]

    world.outbox.later(render)


def fire_state_event(world: Any, tenant: str | None, hook: dict[str, Any], state: str) -> None:
    """webhook{id}.started / .stopped / .errors to the webhooks subscribed to it (reference/state-events.md)."""
    verb = {"Active": "started", "Stopped": "stopped", "TooManyErrors": "errors"}.get(state)
    if verb is None:
        return
    hid = int(hook.get("WebhookId") or 0)
    usage = world.store(tenant).get(USAGE, hid) or {}
    values = {
        "events": int(usage.get("total_calls", 0)),
        "registered": hook.get("Registered"),
        "registered_associate_id": _id_of(hook.get("RegisteredAssociate"), "AssociateId"),
        "state": STATE_EVENT_CODES[state],
        "updated": hook.get("Updated"),
        "updated_associate_id": _id_of(hook.get("UpdatedAssociate"), "AssociateId"),
    }
    fire(
        world,
        tenant,
        f"webhook{hid}.{verb}",
        hid,
        {"Changes": [], "FieldValues": values},
        0,
        body_event=f"webhook.{verb}",
    )


class UsagePolicy(Policy):
    """The vendor's rules (F6): any answer but 200 fails; 9 consecutive failures -> TooManyErrors;
    410 Gone -> TooManyErrors at once; usage counters as the dynamic archive `webhook_usage` names them."""

    def __init__(self, world: Any, tenant: str | None) -> None:
        self.world = world
        self.tenant = tenant

    def _hook(self, message: Message) -> dict[str, Any] | None:
        hook: dict[str, Any] | None = self.world.store(self.tenant).get(TABLE, message.subscription)
        return hook

    def wanted(self, message: Message) -> bool:
        hook = self._hook(message)
        return hook is not None and hook.get("State") == "Active"

    def after(self, message: Message, result: Result) -> bool:
        store = self.world.store(self.tenant)
        usage = store.table(USAGE).setdefault(message.subscription, new_usage())
        usage["total_calls"] += 1
        if result.ok:
            usage["consecutive_errors"] = 0
            return False
        usage["total_errors"] += 1
        usage["consecutive_errors"] += 1
        usage["last_error"] = last_error_text(result)
        hook = self._hook(message)
        if hook is None:
            return False
        if result.status == 410 or usage["consecutive_errors"] >= MAX_CONSECUTIVE:
            hook["State"] = "TooManyErrors"  # in place: no store write, so no project-style event
            fire_state_event(self.world, self.tenant, hook, "TooManyErrors")
            return False
        return True


def new_usage() -> dict[str, Any]:
    return {"total_calls": 0, "total_errors": 0, "consecutive_errors": 0, "last_error": ""}


def last_error_text(result: Result) -> str:
    if result.status is None:
        return result.text
    return f"{result.status}: {result.text}"[:2000]


def on_change(world: Any, tenant: str | None, table: str, key: str, old: Any, new: Any) -> None:
    """The store's change hook: a project write raises project.* and projectmember.* events."""
    if table != "projects" or tenant is None:
        return
    if not world.store(tenant).data.get(TABLE):  # no subscription: nothing to render
        return
    actor = ACTOR.get()

    def render(when: float) -> list[Message]:  # the diff, payloads and signatures: off the request path
        store = world.store(tenant)
        out = []
        for event, pk, fields in project_events(key, old, new, actor):
            for hook in subscribers(store, event):
                entity = event.split(".")[0]
                out.append(build_message(world, tenant, hook, event, pk, fields, actor, entity=entity, when=when))
        return out

    world.outbox.later(render)


def webhook_view(world: Any) -> list[dict[str, Any]]:
    """Every tenant's subscriptions with their usage counters (the dashboard's Webhooks tab)."""
    out = []
    for tenant in world.tenant_keys():
        store = world.store(tenant)
        for key, hook in sorted((store.data.get(TABLE) or {}).items()):
            usage = (store.data.get(USAGE) or {}).get(key) or new_usage()
            out.append(
                {
                    "tenant": tenant,
                    **{k: hook.get(k) for k in ("WebhookId", "Name", "Events", "TargetUrl", "State")},
                    "usage": usage,
                }
            )
    return out
