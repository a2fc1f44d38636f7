"""Work components (work categories / message groups), invitations of specialists, and the communication
views over them: listCommunication, getCommunication, getMessagePdf."""

from __future__ import annotations

from typing import Any

from emulators.core.call import Call, Reply
from emulators.core.spec import Handler

from ..auth import user
from ..errors import bad, not_found
from ..models import company, get_project, get_record, new_id, now
from ..params import id_list, path_id
from ..pdf import small_pdf
from ..phases import project_phases, resolve_phase

WC_TEXT = ("internalNote", "plannedStart", "plannedComplete", "externalData")
SPECIALIST_KEYS = (
    "name",
    "cocNumber",
    "locationNumber",
    "vatNumber",
    "address_1",
    "zip",
    "city",
    "phone",
    "phoneWithPrefix",
)
STATUS_MESSAGES = {
    "offer": "Offerte",
    "rejected": "Afgemeld",
    "granted": "Opdracht verleend",
    "notgranted": "Opdracht niet verleend",
}


def _chapters(call: Call) -> list[int] | None:
    ids = id_list(call, "stabuChapterIds")
    if ids is None:
        return None
    chapters = call.world.store(None).table("chapters")
    for cid in ids:
        if str(cid) not in chapters:
            raise bad("stabuChapterIds", f"Unknown stabu chapter {cid}")
    return ids


def _work_component(call: Call, ident: Any) -> dict[str, Any]:
    wc = get_record(call, "workComponents", ident, "Work component")
    get_project(call, wc["projectId"])
    return wc


def addWorkComponent(call: Call) -> Reply:
    """addWorkComponent — a work component (work category) of a project."""
    project = get_project(call, call.param("projectId"))
    chapters = _chapters(call)
    wid = new_id(call, "workComponents")
    wc: dict[str, Any] = {
        "id": wid,
        "projectId": project["id"],
        "product": "tender",
        "name": str(call.param("name")),
        "stabuChapterIds": chapters or [],
        **{k: str(call.param(k, "")) for k in WC_TEXT},
    }
    call.store.table("workComponents")[str(wid)] = wc
    return Reply(body={"workComponentId": wid})


def updateWorkComponent(call: Call) -> Reply:
    """updateWorkComponent — changes the given fields."""
    wc = _work_component(call, call.path_params.get("workComponentId"))
    chapters = _chapters(call)
    if chapters is not None:
        wc["stabuChapterIds"] = chapters
    name = call.param("name")
    if name is not None:
        wc["name"] = str(name)
    for key in WC_TEXT:
        value = call.param(key)
        if value is not None:
            wc[key] = str(value)
    return Reply(body={"workComponentId": wc["id"]})


def deleteWorkComponent(call: Call) -> Reply:
    """deleteWorkComponent — also drops its invitations, group links and budget-row links. Answers {}."""
    wc = _work_component(call, call.path_params.get("workComponentId"))
    store = call.store
    for key in [k for k, inv in store.table("invitations").items() if inv.get("workComponentId") == wc["id"]]:
        store.delete("invitations", key)
    for group in store.values("documentGroups"):
        group["workCategoryIds"] = [w for w in group.get("workCategoryIds") or [] if w != wc["id"]]
    for row in store.values("budgetRows"):
        row["links"] = [w for w in row.get("links") or [] if w != wc["id"]]
    store.delete("workComponents", wc["id"])
    return Reply(body={})


def invitation_view(inv: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": inv["id"],
        "workComponentId": inv["workComponentId"],
        "phaseId": inv["phaseId"],
        "specialistId": inv["specialistId"],
        "status": inv["status"],
    }


def _message(
    call: Call, inv: dict[str, Any], kind: str, subject: str, description: str, manual: bool, sub_type: str = ""
) -> dict[str, Any]:
    spec = company(call, inv["specialistId"]) or {}
    u = user(call)
    wc = call.store.get("workComponents", inv["workComponentId"]) or {}
    docs = [
        d
        for d in call.store.values("documents")
        if d.get("projectId") == wc.get("projectId")
        and str(d.get("deleted")) != "1"
        and any(
            wc.get("id") in ((call.store.get("documentGroups", g) or {}).get("workCategoryIds") or [])
            for g in d.get("groupIds") or []
        )
    ]
    return {
        "id": str(new_id(call, "messages", {})),
        "type": kind,
        "subType": sub_type,
        "dateSent": now(call),
        "deadlineDate": 0,
        "subject": subject,
        "manualAdd": manual,
        "description": description,
        "language": "nl",
        "companyName": spec.get("name", ""),
        **{k: spec.get(k, "") for k in SPECIALIST_KEYS if k != "name"},
        "sender": {"contactName": u.get("contactName", ""), "email": u.get("email", "")},
        "receivers": [{"contactName": spec.get("contactName", ""), "email": spec.get("email", "")}],
        "attachments": [
            {
                "id": d["id"],
                "type": "project",
                "name": d["name"],
                "extension": d.get("extension", ""),
                "size": str(d.get("size", "0")),
            }
            for d in docs
        ],
        "workComponentAttachments": [],
    }


def addInvitation(call: Call) -> Reply:
    """addInvitation — invites a specialist (company) for a work component in a phase; records the request
    message that getCommunication shows."""
    wc = _work_component(call, call.param("workComponentId"))
    project = get_project(call, wc["projectId"])
    phase_id = call.param_int("phaseId")
    if phase_id not in project_phases(call, project).values():
        raise bad("phaseId", f"Unknown phaseId {phase_id} for this project")
    spec = company(call, call.param("companyId"))
    if spec is None:
        raise not_found("Company", call.param("companyId"))
    invitations = call.store.table("invitations")
    if any(
        i["workComponentId"] == wc["id"] and i["phaseId"] == phase_id and i["specialistId"] == spec["id"]
        for i in invitations.values()
    ):
        raise bad("companyId", f"Company {spec['id']} is already invited for this work component and phase")
    iid = new_id(call, "invitations")
    inv: dict[str, Any] = {
        "id": iid,
        "workComponentId": wc["id"],
        "phaseId": phase_id,
        "specialistId": spec["id"],
        "status": str(call.param("status") or "unknown"),
        "obsolete": "0",
        "deadlineDate": "0",
        "dateOfferReceived": "0",
        "datePurchase": "0",
        "dateWorkStart": "0",
        "offerPrice": "0.00",
        "offerPrice2": "0.00",
        "correctedOfferPrice": "0.00",
        "expiryDate": "0",
        "syncChecked": "0",
        "statusChanges": [],
        "messages": [],
    }
    inv["messages"].append(
        _message(
            call, inv, "request", "Offerteaanvraag", f"Offerteaanvraag voor {wc['name']} ({project['name']})", False
        )
    )
    invitations[str(iid)] = inv
    return Reply(body=invitation_view(inv))


def _invitation(call: Call) -> dict[str, Any]:
    inv = get_record(call, "invitations", call.path_params.get("id"), "Invitation")
    wc = call.store.get("workComponents", inv["workComponentId"])
    if wc is not None:
        get_project(call, wc["projectId"])
    return inv


def getInvitation(call: Call) -> Reply:
    """getInvitation — one invitation."""
    return Reply(body=invitation_view(_invitation(call)))


def updateInvitation(call: Call) -> Reply:
    """updateInvitation — a status change is appended to statusChanges (listCommunication) and recorded as a
    message (getCommunication; assumption); offer/granted also stamp dateOfferReceived/datePurchase."""
    inv = _invitation(call)
    status = call.param("status")
    if status is not None and status != inv["status"]:
        stamp = str(now(call))
        inv["statusChanges"].append({"changeDate": stamp, "oldStatus": inv["status"], "newStatus": status})
        if status in ("offer", "offerwaiting"):
            inv["dateOfferReceived"] = stamp
        if status == "granted":
            inv["datePurchase"] = stamp
        inv["messages"].append(
            _message(
                call,
                inv,
                "response",
                STATUS_MESSAGES.get(status, "Status gewijzigd"),
                f"Status: {inv['status']} -> {status}",
                True,
                sub_type=status,
            )
        )
        inv["status"] = status
    return Reply(body=invitation_view(inv))


def deleteInvitation(call: Call) -> Reply:
    """deleteInvitation — empty body."""
    inv = _invitation(call)
    call.store.delete("invitations", inv["id"])
    return Reply(status=200, empty=True)


def _communication(call: Call, inv: dict[str, Any]) -> dict[str, Any]:
    spec = company(call, inv["specialistId"]) or {}
    keys = (
        "obsolete",
        "deadlineDate",
        "dateOfferReceived",
        "datePurchase",
        "dateWorkStart",
        "offerPrice",
        "offerPrice2",
        "correctedOfferPrice",
        "expiryDate",
        "syncChecked",
    )
    return {
        "id": inv["id"],
        "specialistId": str(inv["specialistId"]),
        "status": inv["status"],
        **{k: str(inv.get(k, "")) for k in keys},
        "specialist": {k: str(spec.get(k, "")) for k in SPECIALIST_KEYS},
        "statusChanges": [dict(c) for c in inv.get("statusChanges") or []],
    }


def listCommunication(call: Call) -> Reply:
    """listCommunication — per work component of the project, the invitations of the phase (path phaseId;
    a phaseName query parameter wins). syncChecked=1 keeps only specialists checked for synchronisation."""
    project = get_project(call, call.path_params.get("projectId"))
    if call.param("phaseName") not in (None, ""):
        phase_id = resolve_phase(call, project, "phaseName", "_none_")
    else:
        phase_id = path_id(call, "phaseId", "Phase")
    only_synced = str(call.param("syncChecked", "0")).strip().endswith("1")
    chapters = call.world.store(None).table("chapters")
    out = []
    wcs = sorted(
        (w for w in call.store.values("workComponents") if w.get("projectId") == project["id"]),
        key=lambda w: int(w["id"]),
    )
    for wc in wcs:
        invs = [
            i
            for i in call.store.values("invitations")
            if i.get("workComponentId") == wc["id"]
            and i.get("phaseId") == phase_id
            and (not only_synced or str(i.get("syncChecked")) == "1")
        ]
        code_ids = [int(c) for c in wc.get("stabuChapterIds") or []]
        out.append(
            {
                "id": wc["id"],
                "name": wc["name"],
                "externalData": wc.get("externalData", ""),
                "codeIds": code_ids,
                "codes": ", ".join(str((chapters.get(str(c)) or {}).get("number", c)) for c in code_ids),
                "communication": [_communication(call, i) for i in sorted(invs, key=lambda i: int(i["id"]))],
            }
        )
    return Reply(body=out)


def getCommunication(call: Call) -> Reply:
    """getCommunication — the messages of one invitation (communication id = invitation id) of the project."""
    project = get_project(call, call.path_params.get("projectId"))
    inv = get_record(call, "invitations", call.path_params.get("communicationId"), "Communication")
    wc = call.store.get("workComponents", inv["workComponentId"]) or {}
    if wc.get("projectId") != project["id"]:
        raise not_found("Communication", call.path_params.get("communicationId"))
    return Reply(body=[dict(m) for m in inv.get("messages") or []])


def getMessagePdf(call: Call) -> Reply:
    """getMessagePdf — a small valid PDF of the message."""
    wanted = str(call.path_params.get("messageId"))
    for inv in call.store.values("invitations"):
        for msg in inv.get("messages") or []:
            if str(msg.get("id")) == wanted:
                lines = [
                    f"Van: {msg['sender'].get('contactName', '')} <{msg['sender'].get('email', '')}>",
                    f"Bedrijf: {msg.get('companyName', '')}",
                    "",
                    *str(msg.get("description", "")).splitlines(),
                ]
                pdf = small_pdf(str(msg.get("subject", "")), lines)
                return Reply(
                    body=pdf,
                    media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="message-{wanted}.pdf"'},
                )
    raise not_found("Message", wanted)


HANDLERS: dict[str, Handler] = {
    "addWorkComponent": addWorkComponent,
    "updateWorkComponent": updateWorkComponent,
    "deleteWorkComponent": deleteWorkComponent,
    "addInvitation": addInvitation,
    "getInvitation": getInvitation,
    "updateInvitation": updateInvitation,
    "deleteInvitation": deleteInvitation,
    "listCommunication": listCommunication,
    "getCommunication": getCommunication,
    "getMessagePdf": getMessagePdf,
}
