"""Budgets (one per project phase) and budget rows with their properties and work-category links.

A property renders as {id, budgetRowId, value, formattedValue, prefixedValue}: numeric properties show ""
when zero or empty, pricePerUnit is prefixed "€ ", totalPrice = numberOfUnits x pricePerUnit.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from emulators.core.call import Call, Reply
from emulators.core.errors import MalformedBody
from emulators.core.limits import parse_json
from emulators.core.spec import Handler

from ..errors import bad, not_found
from ..models import company, get_project, get_record, new_id
from ..params import as_int, id_list, id_param
from ..phases import project_phases

STANDARD = (
    "name",
    "unit",
    "measurement",
    "numberOfUnits",
    "details",
    "totalPriceReferenceId",
    "projectSpecMt",
    "pricePerUnit",
    "totalPrice",
    "rowNumber",
)
ALLOWED = {
    "details",
    "docNumber",
    "hideAmount",
    "importReference",
    "measurement",
    "name",
    "numberOfUnits",
    "pricePerUnit",
    "totalPrice",
    "totalPriceReferenceId",
    "projectSpecMt",
    "required",
    "rowNumber",
    "sendToSpecialist",
    "unit",
    "messageGroupBudget",
    "totalPriceExcluded",
    "priceType",
    "importType",
    "children",
    "elementType",
}
ALIASES = {"price": "pricePerUnit"}  # the seed's own samples send "price"
NUMERIC = {"numberOfUnits", "measurement", "pricePerUnit", "totalPrice"}


# properties ---------------------------------------------------------------------------------------
def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def _fmt(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.quantize(Decimal("0.01")).normalize(), "f")


def render(row: dict[str, Any], name: str) -> dict[str, Any]:
    prop = row["properties"][name]
    value = str(prop.get("value", ""))
    formatted = "" if name in NUMERIC and (value.strip() == "" or _decimal(value) == 0) else value
    prefixed = "€ " + formatted if name == "pricePerUnit" else formatted
    return {
        "id": int(prop.get("id", 0)),
        "budgetRowId": row["id"],
        "value": value,
        "formattedValue": formatted,
        "prefixedValue": prefixed,
    }


def rendered(row: dict[str, Any]) -> dict[str, Any]:
    return {name: render(row, name) for name in row["properties"]}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return "" if value is None else str(value)


def parse_properties(raw: Any, param: str) -> dict[str, Any]:
    data = raw
    if isinstance(raw, str):
        try:
            data = parse_json(raw)  # kernel limits: depth, number range, no lone surrogates
        except (ValueError, MalformedBody) as exc:
            raise bad(param, f"Parameter '{param}' must be an object of budget row properties") from exc
    if not isinstance(data, dict):
        raise bad(param, f"Parameter '{param}' must be an object of budget row properties")
    for key, value in data.items():
        if ALIASES.get(key, key) not in ALLOWED:
            raise bad(param, f"Unknown budget row property '{key}'")
        if isinstance(value, dict | list):
            raise bad(param, f"Budget row property '{key}' must be a scalar")
    return data


def apply(call: Call, row: dict[str, Any], props: dict[str, Any]) -> None:
    for key, value in props.items():
        name = ALIASES.get(key, key)
        slot = row["properties"].setdefault(name, {"id": new_id(call, "properties", {}), "value": ""})
        slot["value"] = _text(value)
    units = _decimal(str(row["properties"].get("numberOfUnits", {}).get("value", "")))
    price = _decimal(str(row["properties"].get("pricePerUnit", {}).get("value", "")))
    if units is not None and price is not None:
        row["properties"]["totalPrice"]["value"] = _fmt(units * price)


def row_number(row: dict[str, Any]) -> int:
    return as_int(row["properties"].get("rowNumber", {}).get("value")) or 0


# lookups ------------------------------------------------------------------------------------------
def _budget(call: Call, ident: Any) -> dict[str, Any]:
    budget = get_record(call, "budgets", ident, "Budget")
    get_project(call, budget["projectId"])
    return budget


def _row(call: Call, ident: Any, param: str = "budgetRowId") -> dict[str, Any]:
    row = get_record(call, "budgetRows", ident, "Budget row")
    _budget(call, row["budgetId"])
    return row


def _work_category(call: Call, budget: dict[str, Any], required: bool) -> int | None:
    for param in ("workCategoryId", "messageGroupId"):
        wid = id_param(call, param, "Work category")
        if wid is not None:
            wc = call.store.get("workComponents", wid)
            if wc is None or wc.get("projectId") != budget["projectId"]:
                raise not_found("Work category", wid)
            return wid
    if required:
        raise bad("workCategoryId", "Parameter 'workCategoryId' or 'messageGroupId' is required")
    return None


def _new_row(
    call: Call, budget: dict[str, Any], number: int | None, props: dict[str, Any], link: int | None
) -> dict[str, Any]:
    rows = call.store.table("budgetRows")
    rid = new_id(call, "budgetRows")
    if number is None:
        number = max((row_number(r) for r in rows.values() if r["budgetId"] == budget["id"]), default=0) + 1
    row: dict[str, Any] = {
        "id": rid,
        "budgetId": budget["id"],
        "originalBudgetRowId": rid,
        "links": [link] if link is not None else [],
        "properties": {n: {"id": new_id(call, "properties", {}), "value": ""} for n in STANDARD},
    }
    apply(call, row, props)
    row["properties"]["rowNumber"]["value"] = str(number)
    rows[str(rid)] = row
    return row


def _rows_list(call: Call, param: str) -> list[Any]:
    raw = call.param(param)
    try:
        data = parse_json(raw) if isinstance(raw, str) else raw
    except (ValueError, MalformedBody) as exc:
        raise bad(param, f"Parameter '{param}' must be an array of budget rows") from exc
    if isinstance(data, dict):
        data = list(data.values())
    if not isinstance(data, list) or not all(isinstance(x, dict) and "properties" in x for x in data):
        raise bad(param, f"Parameter '{param}' must be an array of budget rows with properties")
    return data


# handlers -----------------------------------------------------------------------------------------
def createBudget(call: Call) -> Reply:
    """createBudget — the budget of a project phase (the current phase by default); idempotent."""
    project = get_project(call, call.param("projectId"))
    phases = project_phases(call, project)
    phase_id = call.param_int("phaseId")
    if phase_id is None:
        phase_id = phases.get(project.get("phaseName", "Calculatie"), 0)
    elif phase_id not in phases.values():
        raise bad("phaseId", f"Unknown phaseId {phase_id} for this project")
    budgets = call.store.table("budgets")
    budget = next((b for b in budgets.values() if b["projectId"] == project["id"] and b["phaseId"] == phase_id), None)
    if budget is None:
        bid = new_id(call, "budgets")
        budget = budgets[str(bid)] = {"id": bid, "projectId": project["id"], "phaseId": phase_id}
    return Reply(body={"projectId": budget["projectId"], "phaseId": budget["phaseId"], "budgetId": budget["id"]})


def getBudget(call: Call) -> Reply:
    """getBudget — 404 when the phase has no budget yet."""
    project = get_project(call, call.param("projectId"))
    phase_id = id_param(call, "phaseId", "Budget")
    budget = next(
        (b for b in call.store.values("budgets") if b["projectId"] == project["id"] and b["phaseId"] == phase_id), None
    )
    if budget is None:
        raise not_found("Budget", f"for project {project['id']} phase {phase_id}")
    return Reply(body={"projectId": budget["projectId"], "phaseId": budget["phaseId"], "budgetId": budget["id"]})


def _listed(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "budgetRowId": row["id"],
        "originalBudgetRowId": row.get("originalBudgetRowId", row["id"]),
        "properties": rendered(row),
        "links": [
            {"budgetRowId": row["id"], "className": "MessageGroup", "objectId": w, "isMessageGroup": False}
            for w in row.get("links") or []
        ],
    }


def listBudgetRows(call: Call) -> Reply:
    """listBudgetRows — rows by row number; workCategoryId keeps rows linked to that work category."""
    budget = _budget(call, call.path_params.get("id"))
    wid = id_param(call, "workCategoryId", "Work category")
    rows = [
        r
        for r in call.store.values("budgetRows")
        if r["budgetId"] == budget["id"] and (wid is None or wid in (r.get("links") or []))
    ]
    return Reply(body={"data": [_listed(r) for r in sorted(rows, key=lambda r: (row_number(r), r["id"]))]})


def addBudgetRow(call: Call) -> Reply:
    """addBudgetRow — echoes budgetId, rowNumber and the properties sent (seed); the new row is listed."""
    budget = _budget(call, call.param("budgetId"))
    props = parse_properties(call.param("properties"), "properties")
    link = _work_category(call, budget, required=False)
    row = _new_row(call, budget, call.param_int("rowNumber"), props, link)
    return Reply(body={"budgetId": budget["id"], "rowNumber": row_number(row), "properties": props})


def addBudgetRows(call: Call) -> Reply:
    """addBudgetRows — several rows at once."""
    budget = _budget(call, call.param("budgetId"))
    items = _rows_list(call, "budgetRows")
    parsed = [
        (
            as_int(i.get("rowNumber")) if i.get("rowNumber") not in (None, "") else None,
            parse_properties(i["properties"], "budgetRows"),
        )
        for i in items
    ]
    link = _work_category(call, budget, required=False)
    out = []
    for number, props in parsed:
        row = _new_row(call, budget, number, props, link)
        out.append({"rowNumber": row_number(row), "properties": props})
    return Reply(body={"budgetId": budget["id"], "budgetRows": out})


def updateBudgetRow(call: Call) -> Reply:
    """updateBudgetRow — sets the given properties (totalPrice follows units x price)."""
    row = _row(call, call.param("budgetRowId"))
    props = parse_properties(call.param("properties"), "properties")
    apply(call, row, props)
    return Reply(body={"budgetRowId": row["id"], "properties": props})


def updateBudgetRows(call: Call) -> Reply:
    """updateBudgetRows — items name a row by id; an item with only a rowNumber (as in the seed's sample)
    is the row with that number in the budget of the id-named rows (assumption)."""
    items = _rows_list(call, "budgetRows")
    rows = call.store.table("budgetRows")
    budgets = {
        rows[str(as_int(i["id"]))]["budgetId"]
        for i in items
        if as_int(i.get("id")) is not None and str(as_int(i["id"])) in rows
    }
    targets = []
    for item in items:
        props = parse_properties(item["properties"], "budgetRows")
        if item.get("id") not in (None, ""):
            row = _row(call, item["id"])
        else:
            number = as_int(item.get("rowNumber"))
            found = [r for r in rows.values() if r["budgetId"] in budgets and row_number(r) == number]
            if not found:
                raise bad("budgetRows", "Every budget row needs an id")
            row = found[0]
        targets.append((row, props, item))
    out = []
    for row, props, item in targets:
        apply(call, row, props)
        entry: dict[str, Any] = (
            {"id": row["id"]} if item.get("id") not in (None, "") else {"rowNumber": row_number(row)}
        )
        entry["properties"] = props
        out.append(entry)
    return Reply(body={"budgetRows": out})


def deleteBudgetRow(call: Call) -> Reply:
    """deleteBudgetRow — empty body."""
    row = _row(call, call.path_params.get("id"))
    call.store.delete("budgetRows", row["id"])
    return Reply(status=200, empty=True)


def deleteBudgetRows(call: Call) -> Reply:
    """deleteBudgetRows — all or nothing: an unknown id is a 404 and nothing is deleted."""
    ids = id_list(call, "budgetRowIds") or []
    if not ids:
        raise bad("budgetRowIds", "Parameter 'budgetRowIds' must list at least one id")
    for rid in ids:
        _row(call, rid)
    for rid in ids:
        call.store.delete("budgetRows", rid)
    return Reply(body={"budgetRowIds": ids})


def linkBudgetRow(call: Call) -> Reply:
    """linkBudgetRow — links the row to a work category (messageGroupId / workCategoryId). Empty body."""
    row = _row(call, call.param("budgetRowId"))
    wid = _work_category(call, _budget(call, row["budgetId"]), required=True)
    if wid not in row.setdefault("links", []):
        row["links"].append(wid)
    return Reply(status=200, empty=True)


def unlinkBudgetRow(call: Call) -> Reply:
    """unlinkBudgetRow — removes that link (404 when the row is not linked to it). Empty body."""
    row = _row(call, call.param("budgetRowId"))
    wid = _work_category(call, _budget(call, row["budgetId"]), required=True)
    if wid not in (row.get("links") or []):
        raise not_found("Link to work category", wid)
    row["links"] = [w for w in row["links"] if w != wid]
    return Reply(status=200, empty=True)


def getBudgetRowsForInvitation(call: Call) -> Reply:
    """getBudgetRowsForInvitation — the rows of the invitation's phase budget linked to its work component."""
    inv = get_record(call, "invitations", call.path_params.get("id"), "Invitation")
    wc = call.store.get("workComponents", inv["workComponentId"]) or {}
    if wc:
        get_project(call, wc["projectId"])
    spec = company(call, inv["specialistId"]) or {}
    data = []
    for budget in sorted(call.store.values("budgets"), key=lambda b: int(b["id"])):
        if budget["projectId"] != wc.get("projectId") or budget["phaseId"] != inv["phaseId"]:
            continue
        rows = sorted(
            (
                r
                for r in call.store.values("budgetRows")
                if r["budgetId"] == budget["id"] and wc.get("id") in (r.get("links") or [])
            ),
            key=lambda r: (row_number(r), r["id"]),
        )
        data.append(
            {
                "rows": [rendered(r) for r in rows],
                "budgetId": budget["id"],
                "messageId": wc.get("id", 0),
                "specialistId": inv["specialistId"],
                "specialistName": spec.get("name", ""),
            }
        )
    return Reply(body={"data": data})


HANDLERS: dict[str, Handler] = {
    "createBudget": createBudget,
    "getBudget": getBudget,
    "listBudgetRows": listBudgetRows,
    "addBudgetRow": addBudgetRow,
    "addBudgetRows": addBudgetRows,
    "updateBudgetRow": updateBudgetRow,
    "updateBudgetRows": updateBudgetRows,
    "deleteBudgetRow": deleteBudgetRow,
    "deleteBudgetRows": deleteBudgetRows,
    "linkBudgetRow": linkBudgetRow,
    "unlinkBudgetRow": unlinkBudgetRow,
    "getBudgetRowsForInvitation": getBudgetRowsForInvitation,
}
