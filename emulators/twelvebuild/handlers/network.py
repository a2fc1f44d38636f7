"""The company's network: relations (gold/green/black) with relation data, specialists and companies of the
12Build network (found by registration number), classification systems and their chapters."""

from __future__ import annotations

import re
from typing import Any

from emulators.core.call import Call, Reply
from emulators.core.spec import Handler

from ..errors import bad, not_found
from ..models import company, new_id
from ..params import as_int

COLOUR = re.compile(r"(?:^|(?<= ))(gold|green|black|stabu-specific)(?:(?= )|$)")
COMPANY_KEYS = (
    "cocCity",
    "cocType",
    "cocNumber",
    "locationNumber",
    "vatNumber",
    "name",
    "phone",
    "website",
    "phoneWithPrefix",
)


def _colour(value: Any, param: str = "relation") -> str:
    found = COLOUR.search(str(value or ""))
    if found is None or found.group(1) == "stabu-specific":
        raise bad(param, f"Parameter '{param}' must be gold, green or black")
    return str(found.group(1))


def _company(call: Call, ident: Any) -> dict[str, Any]:
    found = company(call, ident)
    if found is None:
        raise not_found("Company", ident)
    return found


def _relation(call: Call, company_id: int) -> dict[str, Any]:
    rel: dict[str, Any] | None = call.store.get("relations", company_id)
    if rel is None:
        raise not_found("Relation with company", company_id)
    return rel


def _relation_view(rel: dict[str, Any]) -> dict[str, Any]:
    return {"id": rel["id"], "companyId": rel["companyId"], "relation": rel["relation"]}


def getRelations(call: Call) -> Reply:
    """getRelations — relation colours (space separated), a relationData key/value search, page/pageSize."""
    colours = set(COLOUR.findall(str(call.param("relation") or ""))) if call.param("relation") else None
    key, value = call.param("dataKey"), call.param("dataValue")
    if value is not None and not key:
        raise bad("dataKey", "Parameter 'dataKey' is required with 'dataValue'")
    out = []
    for rel in sorted(call.store.values("relations"), key=lambda r: int(r["companyId"])):
        if colours is not None and rel["relation"] not in colours:
            continue
        data = rel.get("relationData") or []
        if key and not any(d["key"] == key and (value is None or d["value"] == value) for d in data):
            continue
        comp = company(call, rel["companyId"]) or {}
        company_view = {"id": rel["companyId"], **{k: comp.get(k, "") for k in COMPANY_KEYS}}
        address = {k: comp.get(k, "") for k in ("address_1", "zip", "city", "countryCode")}
        out.append(
            {
                "company": company_view if comp else [],
                "address": address if comp else [],
                "relation": _relation_view(rel),
                "relationData": [dict(d) for d in data],
            }
        )
    size = call.param("pageSize")
    if size is not None:
        page = call.param("page") or 1
        out = out[(page - 1) * size : page * size]
    return Reply(body=out)


def addRelation(call: Call) -> Reply:
    """addRelation — marks a network company gold, green or black."""
    comp = _company(call, call.param("companyId"))
    if call.store.get("relations", comp["id"]) is not None:
        raise bad("companyId", f"A relation with company {comp['id']} already exists")
    rel = {
        "id": new_id(call, "relations", {str(r["id"]): r for r in call.store.values("relations")}),
        "companyId": comp["id"],
        "relation": _colour(call.param("relation")),
        "relationData": [],
    }
    call.store.table("relations")[str(comp["id"])] = rel
    return Reply(body=_relation_view(rel))


def updateRelation(call: Call) -> Reply:
    """updateRelation — a new colour for an existing relation."""
    rel = _relation(call, _company(call, call.param("companyId"))["id"])
    rel["relation"] = _colour(call.param("relation"))
    return Reply(body=_relation_view(rel))


def removeRelation(call: Call) -> Reply:
    """removeRelation — answers [] (seed)."""
    rel = _relation(call, _company(call, call.param("companyId"))["id"])
    call.store.delete("relations", rel["companyId"])
    return Reply(body=[])


def _data_relation(call: Call) -> dict[str, Any]:
    comp = _company(call, call.path_params.get("companyId"))
    return _relation(call, comp["id"])


def addRelationData(call: Call) -> Reply:
    """addRelationData — a key/value on the relation (showInProfile default 0, type default text)."""
    rel = _data_relation(call)
    key = str(call.param("key"))
    if any(d["key"] == key for d in rel["relationData"]):
        raise bad("key", f"Relation data '{key}' already exists")
    kind = "url" if str(call.param("type") or "text").startswith("url") else "text"
    item = {
        "key": key,
        "value": str(call.param("value")),
        "source": str(call.param("source") or ""),
        "showInProfile": 1 if str(call.param("showInProfile") or "0") == "1" else 0,
        "type": kind,
    }
    rel["relationData"].append(item)
    return Reply(body={"companyId": str(rel["companyId"]), **item})


def _data_item(rel: dict[str, Any], key: str) -> dict[str, Any]:
    item = next((d for d in rel["relationData"] if d["key"] == key), None)
    if item is None:
        raise not_found("Relation data", key)
    return item


def removeRelationData(call: Call) -> Reply:
    """removeRelationData — answers [] (seed)."""
    rel = _data_relation(call)
    item = _data_item(rel, str(call.param("key")))
    rel["relationData"].remove(item)
    return Reply(body=[])


def updateRelationData(call: Call) -> Reply:
    """updateRelationData — new value (and source) for a key."""
    rel = _data_relation(call)
    item = _data_item(rel, str(call.param("key")))
    item["value"] = str(call.param("value"))
    if call.param("source") is not None:
        item["source"] = str(call.param("source"))
    return Reply(
        body={"companyId": str(rel["companyId"]), "key": item["key"], "value": item["value"], "source": item["source"]}
    )


def listChapters(call: Call) -> Reply:
    """listChapters — [{"<chapterId>": chapter, ...}] (the seed's keyed sample, wrapped in an array)."""
    system = get_record_global(
        call, "classificationSystems", call.path_params.get("classificationSystemId"), "Classification system"
    )
    chapters = sorted(
        (c for c in call.world.store(None).values("chapters") if c.get("classificationSystemId") == system["id"]),
        key=lambda c: int(c["id"]),
    )
    table = {
        str(c["id"]): {"id": c["id"], "number": c["number"], "name": c["name"], "description": c["description"]}
        for c in chapters
    }
    return Reply(body=[table] if table else [])


def get_record_global(call: Call, table: str, ident: Any, what: str) -> dict[str, Any]:
    key = as_int(ident)
    record: dict[str, Any] | None = call.world.store(None).get(table, key) if key is not None else None
    if record is None:
        raise not_found(what, ident)
    return record


def _system(rec: dict[str, Any]) -> dict[str, Any]:
    return {"id": rec["id"], "name": rec["name"], "description": rec.get("description", "")}


def listCompanyClassificationSystems(call: Call) -> Reply:
    """listCompanyClassificationSystems — the systems the company uses."""
    systems = call.world.store(None).table("classificationSystems")
    ids = call.store.data.get("companyClassificationSystems") or []
    return Reply(body=[_system(systems[str(i)]) for i in ids if str(i) in systems])


def listAllClassificationSystems(call: Call) -> Reply:
    """listAllClassificationSystems — every system 12Build knows."""
    systems = call.world.store(None).values("classificationSystems")
    return Reply(body=[_system(s) for s in sorted(systems, key=lambda s: int(s["id"]))])


def getSpecialist(call: Call) -> Reply:
    """getSpecialist — [{id, name}] (array, seed)."""
    comp = _company(call, call.path_params.get("companyId"))
    return Reply(body=[{"id": comp["id"], "name": comp["name"]}])


def createSpecialist(call: Call) -> Reply:
    """createSpecialist — adds a company to the network; the registration number must be new in its country."""
    country = str(call.param("countryCode") or "").strip().lower()
    number = str(call.param("registrationNumber"))
    if not country:
        raise bad("countryCode", "Parameter 'countryCode' is required")
    companies = call.world.store(None).table("companies")
    if any(c.get("cocNumber") == number and c.get("countryCode") == country for c in companies.values()):
        raise bad("registrationNumber", f"A company with registration number {number} already exists")
    cid = new_id(call, "companies", companies)
    name = str(call.param("name"))
    companies[str(cid)] = {
        "id": cid,
        "name": name,
        "description": str(call.param("description") or ""),
        "countryCode": country,
        "cocNumber": number,
        "cocCity": "",
        "cocType": "",
        "locationNumber": "",
        "vatNumber": "",
        "address_1": "",
        "zip": "",
        "city": "",
        "phone": "",
        "phoneWithPrefix": "",
        "website": "",
        "contactName": name,
        "email": "",
    }
    return Reply(body={"data": {"id": cid, "name": name}})


def findCompanyByRegistrationNumber(call: Call) -> Reply:
    """findCompanyByRegistrationNumber — {"data": [...]}; no match is an empty list."""
    country = str(call.path_params.get("country"))
    number = str(call.path_params.get("registrationNumber"))
    found = [
        c
        for c in call.world.store(None).values("companies")
        if c.get("countryCode") == country and c.get("cocNumber") == number
    ]
    return Reply(
        body={
            "data": [
                {"id": c["id"], **{k: c.get(k, "") for k in COMPANY_KEYS}}
                for c in sorted(found, key=lambda c: int(c["id"]))
            ]
        }
    )


HANDLERS: dict[str, Handler] = {
    "getRelations": getRelations,
    "addRelation": addRelation,
    "updateRelation": updateRelation,
    "removeRelation": removeRelation,
    "addRelationData": addRelationData,
    "removeRelationData": removeRelationData,
    "updateRelationData": updateRelationData,
    "listChapters": listChapters,
    "listCompanyClassificationSystems": listCompanyClassificationSystems,
    "listAllClassificationSystems": listAllClassificationSystems,
    "getSpecialist": getSpecialist,
    "createSpecialist": createSpecialist,
    "findCompanyByRegistrationNumber": findCompanyByRegistrationNumber,
}
