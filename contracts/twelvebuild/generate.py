"""The source of contracts/twelvebuild/openapi.yaml: the committed seed copy + the tables below -> the contract.

    make contracts                                         # regenerate openapi.yaml (do not edit it by hand)
    .venv/bin/python contracts/twelvebuild/generate.py --check   # exit 1 when openapi.yaml differs from the output

Default input: contracts/twelvebuild/seed/004_55602372246da261.txt (a path argument reads another copy).
tests/contract/test_twelvebuild_generated.py fails when the committed YAML is not this script's output.
Parameters (name, Required, Type, Pattern, Description) are parsed from the seed verbatim; methods come
from vendor-facts D-table; response schemas are written below.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

import yaml

SPECIAL = [
    "(?:^|(?<= ))(gold|green|black|stabu-specific)(?:(?= )|$)",
    "(?:^|(?<= ))(gold|green|black)(?:(?= )|$)",
    ".*[^ ].*",
]


def split_pattern(rest: str) -> tuple[str, str]:
    for s in SPECIAL:
        if rest.startswith(s):
            return s, rest[len(s) :].strip()
    if rest[:1] in "^\\(.":
        m = re.search(r"\$(\s|$)", rest)
        if m and (" " not in rest[: m.start()] or rest.startswith("^")):
            return rest[: m.start() + 1], rest[m.end() :].strip()
        tok = rest.split(" ", 1)
        return tok[0], (tok[1] if len(tok) > 1 else "").strip()
    return "", rest.strip()


def is_head(lines: list[str], j: int) -> bool:
    return (
        j + 2 < len(lines)
        and re.fullmatch(r"[A-Za-z]+", lines[j].strip() or "-") is not None
        and lines[j + 1] == ""
        and lines[j + 2].startswith("/")
    )


def parse(seed: str) -> list[dict[str, Any]]:
    lines = Path(seed).read_text(encoding="utf-8").split("\n")
    ops: list[dict[str, Any]] = []
    i = 0
    while i < len(lines):
        if not is_head(lines, i):
            i += 1
            continue
        name, path = lines[i].strip(), lines[i + 2].strip()
        j = i + 5
        params = []
        while lines[j] != "Response":
            toks = lines[j].split(" ")
            k, req = 1, False
            if toks[1] == "1":
                req, k = True, 2
            pat, desc = split_pattern(" ".join(toks[k + 1 :]))
            params.append(
                {"name": toks[0], "required": req, "in": toks[k], "pattern": pat, "description": desc, "line": j + 1}
            )
            j += 1
        j += 1
        resp = []
        while j < len(lines) and not is_head(lines, j):
            resp.append(lines[j])
            j += 1
        ops.append({"name": name, "path": path, "params": params, "response": "\n".join(resp).strip(), "line": i + 1})
        i = j
    return ops


# --- methods (vendor-facts D-table); alternatives become a second operation "<id>Alt" ---------------
METHODS: dict[str, tuple[str, str | None]] = {
    "getToken": ("get", None),
    "addProject": ("post", None),
    "listProjects": ("get", None),
    "listProjectsByType": ("get", None),
    "searchExternalData": ("get", None),
    "listDocument": ("get", None),
    "listCommunication": ("get", None),
    "getCommunication": ("get", None),
    "getProject": ("get", None),
    "createDocument": ("post", None),
    "getDocument": ("get", None),
    "removeDocument": ("delete", None),
    "setDocument": ("put", None),
    "listDocumentGroups": ("get", None),
    "listPhases": ("get", None),
    "listProjectPhases": ("get", None),
    "updateProject": ("put", None),
    "removeProject": ("delete", None),
    "closeProject": ("post", "put"),
    "openProject": ("post", "put"),
    "closeProjectPhase": ("post", "put"),
    "openProjectPhase": ("post", "put"),
    "createDocumentGroup": ("post", None),
    "getDocumentGroup": ("get", None),
    "updateDocumentGroup": ("put", None),
    "deleteDocumentGroup": ("delete", None),
    "addDocumentToDocumentGroup": ("post", "put"),
    "setExternalReference": ("put", "post"),
    "getFile": ("get", None),
    "getMessagePdf": ("get", None),
    "getRelations": ("get", None),
    "addRelation": ("post", None),
    "removeRelation": ("delete", None),
    "updateRelation": ("put", None),
    "addRelationData": ("post", None),
    "removeRelationData": ("delete", None),
    "updateRelationData": ("put", None),
    "listChapters": ("get", None),
    "listCompanyClassificationSystems": ("get", None),
    "listAllClassificationSystems": ("get", None),
    "getSpecialist": ("get", None),
    "createSpecialist": ("post", None),
    "addWorkComponent": ("post", None),
    "updateWorkComponent": ("put", None),
    "deleteWorkComponent": ("delete", None),
    "addInvitation": ("post", None),
    "getInvitation": ("get", None),
    "getBudgetRowsForInvitation": ("get", None),
    "updateInvitation": ("put", None),
    "deleteInvitation": ("delete", None),
    "findCompanyByRegistrationNumber": ("get", None),
    "listBudgetRows": ("get", None),
    "addBudgetRow": ("post", None),
    "addBudgetRows": ("post", None),
    "updateBudgetRow": ("put", None),
    "updateBudgetRows": ("put", None),
    "createBudget": ("post", None),
    "getBudget": ("get", None),
    "deleteBudgetRow": ("delete", None),
    "deleteBudgetRows": ("delete", None),
    "linkBudgetRow": ("post", "put"),
    "unlinkBudgetRow": ("post", "delete"),
    "getDocumentGroupWorkCategoryLinks": ("get", None),
    "updateDocumentGroupWorkCategory": ("put", None),
}

# Paths shared by operations whose seed names the template parameter differently: one name per path.
PATH_RENAME = {
    ("getProject", "/project/{id}"): ("/project/{projectId}", {"id": "projectId"}),
    ("createDocument", "/project/{id}"): ("/project/{projectId}", {"id": "projectId"}),
    ("listBudgetRows", "/budgetrow/{budgetId}"): ("/budgetrow/{id}", {"budgetId": "id"}),
    ("deleteBudgetRow", "/budgetrow/{budgetRowId}"): ("/budgetrow/{id}", {"budgetRowId": "id"}),
}

GROUP_MANAGER = {"addProject", "listProjects", "removeProject"}
NO_404 = {
    "getToken",
    "addProject",
    "listProjects",
    "listProjectsByType",
    "listPhases",
    "getRelations",
    "listCompanyClassificationSystems",
    "listAllClassificationSystems",
    "createSpecialist",
    "findCompanyByRegistrationNumber",
}
TAGS = {"Project": "project", "Document": "document", "Relation": "relation", "Budget": "budget"}
INT_PARAMS = {
    ("listProjects", "pageSize"),
    ("listProjects", "page"),
    ("getRelations", "pageSize"),
    ("getRelations", "page"),
}
STATUSES = ["unknown", "rejected", "calculating", "offer", "offerwaiting", "granted", "inbudget", "notgranted"]


def ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(props: dict[str, Any], required: list[str] | None = None, extra: bool = False) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": extra,
        "required": list(props) if required is None else required,
        "properties": props,
    }


def arr(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


S = {"type": "string"}
I = {"type": "integer"}  # noqa: E741
B = {"type": "boolean"}
NUMSTR = {"type": "string", "pattern": "^[0-9]*$"}

DOC_BRIEF = {
    "id": NUMSTR,
    "name": S,
    "extension": S,
    "size": NUMSTR,
    "ctime": NUMSTR,
    "deleted": {"type": "string", "enum": ["0", "1"]},
    "externalData": S,
}
LIST_DOC = {
    "id": NUMSTR,
    "deleted": {"type": "string", "enum": ["0", "1"]},
    "extension": S,
    "name": S,
    "order": I,
    "versioningGroup": S,
    "size": NUMSTR,
    "ctime": NUMSTR,
    "externalData": S,
    "type": S,
    "fileUrl": S,
}
PARTY = obj({"contactName": S, "email": S})
ATTACHMENT = obj({"id": I, "type": S, "name": S, "extension": S, "size": NUMSTR})
PROPERTY = obj({"id": I, "budgetRowId": I, "value": S, "formattedValue": S, "prefixedValue": S})
PROPERTY_MAP = {"type": "object", "additionalProperties": ref("BudgetRowProperty")}
INPUT_PROPS = {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean", "null"]}}
EMPTY_OR_OBJ = {"type": ["object", "array"], "maxItems": 0}

SCHEMAS: dict[str, Any] = {
    "Error": {
        **obj(
            {"error": obj({"code": I, "type": S, "message": S, "parameter": S}, required=["code", "type", "message"])}
        ),
        "x-assumption": "12Build documents no error body (vendor-facts D6); the emulator answers every "
        "error with this one envelope.",
    },
    "Token": obj({"token": {"type": "string", "pattern": "^[0-9a-f]{128}$"}, "expireDate": NUMSTR}),
    "ProjectRef": obj({"id": I, "name": S}),
    "ProjectListItem": obj(
        {
            "id": NUMSTR,
            "name": S,
            "calcNumber": S,
            "workNumber": S,
            "companyId": NUMSTR,
            "city": S,
            "type": {"type": "string", "enum": ["default", "template"]},
            "phaseName": S,
            "phaseId": I,
            "active": B,
        }
    ),
    "Project": obj(
        {
            k: S
            for k in [
                "id",
                "name",
                "calcNumber",
                "workNumber",
                "address_1",
                "address_2",
                "zip",
                "city",
                "countryCode",
                "country",
                "phaseId",
                "client",
                "manager",
                "architect",
                "constructor",
                "calculator",
                "inkoper",
                "werkvoorbereider",
            ]
        }
    ),
    "DocumentBrief": obj(DOC_BRIEF),
    "ListedDocument": obj(LIST_DOC),
    "ListedDocumentGroup": obj(
        {
            "id": I,
            "name": S,
            "type": S,
            "documents": arr(ref("ListedDocument")),
            "documentGroups": arr(ref("ListedDocumentGroup")),
        },
        required=["id", "name", "type", "documents"],
    ),
    "CreatedDocument": obj({"id": NUMSTR, "name": S, "externalData": S}),
    "Document": obj(
        {
            "id": NUMSTR,
            "type": S,
            "deleted": B,
            "author": S,
            "color": B,
            "contribute": I,
            "extension": S,
            "issueDate": I,
            "kind": S,
            "name": S,
            "receiveDate": I,
            "specPage": S,
            "statusText": S,
            "versionText": S,
            "size": NUMSTR,
            "duplex": B,
            "ctime": NUMSTR,
            "sentDate": I,
            "externalData": S,
            "uploadedViaApi": B,
            "fileUrl": S,
        }
    ),
    "RemovedDocument": obj({k: v for k, v in DOC_BRIEF.items() if k != "externalData"}),
    "DocumentGroup": obj({"id": I, "projectId": I, "name": S, "order": I}),
    "PhaseTable": arr(
        {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": {"type": "object", "additionalProperties": I},
            },
        }
    ),
    "ProjectStatus": obj({"id": I, "name": S, "status": S}),
    "ClosedPhases": obj({"id": I, "name": S, "closedPhases": arr(S)}),
    "OpenPhases": obj({"id": I, "name": S, "openPhases": arr(S)}),
    "Specialist": obj(
        {
            "name": S,
            "cocNumber": S,
            "locationNumber": S,
            "vatNumber": S,
            "address_1": S,
            "zip": S,
            "city": S,
            "phone": S,
            "phoneWithPrefix": S,
        }
    ),
    "Communication": obj(
        {
            "id": I,
            "specialistId": NUMSTR,
            "status": {"type": "string", "enum": STATUSES},
            "obsolete": S,
            "deadlineDate": NUMSTR,
            "dateOfferReceived": NUMSTR,
            "datePurchase": NUMSTR,
            "dateWorkStart": NUMSTR,
            "offerPrice": S,
            "offerPrice2": S,
            "correctedOfferPrice": S,
            "expiryDate": NUMSTR,
            "syncChecked": S,
            "specialist": ref("Specialist"),
            "statusChanges": arr(obj({"changeDate": NUMSTR, "oldStatus": S, "newStatus": S})),
        }
    ),
    "CommunicationWorkComponent": obj(
        {
            "id": I,
            "name": S,
            "externalData": S,
            "codeIds": arr(I),
            "codes": S,
            "communication": arr(ref("Communication")),
        }
    ),
    "Message": obj(
        {
            "id": NUMSTR,
            "type": S,
            "subType": S,
            "dateSent": I,
            "deadlineDate": I,
            "subject": S,
            "manualAdd": B,
            "description": S,
            "language": S,
            "companyName": S,
            "address_1": S,
            "zip": S,
            "city": S,
            "cocNumber": S,
            "locationNumber": S,
            "vatNumber": S,
            "phone": S,
            "phoneWithPrefix": S,
            "sender": PARTY,
            "receivers": arr(PARTY),
            "attachments": arr(ATTACHMENT),
            "workComponentAttachments": arr(ATTACHMENT),
        }
    ),
    "DocumentIdResult": obj({"documentId": I}),
    "ExternalReference": obj({"document": obj({"id": I, "name": S}), "reference": obj({"type": S, "referenceId": S})}),
    "RelationListItem": obj(
        {
            "company": EMPTY_OR_OBJ | {"additionalProperties": True},
            "address": EMPTY_OR_OBJ | {"additionalProperties": True},
            "relation": EMPTY_OR_OBJ | {"additionalProperties": True},
            "relationData": {"type": "array"},
        }
    ),
    "Relation": obj({"id": I, "companyId": I, "relation": {"type": "string", "enum": ["gold", "green", "black"]}}),
    "RelationData": obj(
        {
            "companyId": NUMSTR,
            "key": S,
            "value": S,
            "source": S,
            "showInProfile": I,
            "type": {"type": "string", "enum": ["url", "text"]},
        }
    ),
    "RelationDataUpdated": obj({"companyId": NUMSTR, "key": S, "value": S, "source": S}),
    "EmptyArray": {"type": "array", "maxItems": 0},
    "EmptyObject": {"type": "object", "maxProperties": 0},
    "Chapter": obj({"id": I, "number": S, "name": S, "description": S}),
    "ChapterTable": arr({"type": "object", "additionalProperties": ref("Chapter")}),
    "ClassificationSystem": obj({"id": I, "name": S, "description": S}),
    "SpecialistBrief": obj({"id": I, "name": S}),
    "SpecialistCreated": obj({"data": obj({"id": I, "name": S})}),
    "WorkComponentId": obj({"workComponentId": I}),
    "Invitation": obj(
        {"id": I, "workComponentId": I, "phaseId": I, "specialistId": I, "status": {"type": "string", "enum": STATUSES}}
    ),
    "BudgetRowProperty": PROPERTY,
    "InvitationBudgetRows": obj(
        {
            "data": arr(
                obj({"rows": arr(PROPERTY_MAP), "budgetId": I, "messageId": I, "specialistId": I, "specialistName": S})
            )
        }
    ),
    "Company": obj(
        {
            "id": I,
            "cocCity": S,
            "cocType": S,
            "cocNumber": S,
            "locationNumber": S,
            "vatNumber": S,
            "name": S,
            "phone": S,
            "website": S,
            "phoneWithPrefix": S,
        }
    ),
    "CompanySearch": obj({"data": arr(ref("Company"))}),
    "BudgetRows": obj(
        {
            "data": arr(
                obj(
                    {
                        "budgetRowId": I,
                        "originalBudgetRowId": I,
                        "properties": PROPERTY_MAP,
                        "links": arr(obj({"budgetRowId": I, "className": S, "objectId": I, "isMessageGroup": B})),
                    }
                )
            )
        }
    ),
    "AddedBudgetRow": obj({"budgetId": I, "rowNumber": I, "properties": INPUT_PROPS}),
    "AddedBudgetRows": obj({"budgetId": I, "budgetRows": arr(obj({"rowNumber": I, "properties": INPUT_PROPS}))}),
    "UpdatedBudgetRow": obj({"budgetRowId": I, "properties": INPUT_PROPS}),
    "UpdatedBudgetRows": obj(
        {"budgetRows": arr(obj({"id": I, "rowNumber": I, "properties": INPUT_PROPS}, required=["properties"]))}
    ),
    "Budget": {
        **obj({"projectId": I, "phaseId": I, "budgetId": I}, required=["projectId", "phaseId"]),
        "x-assumption": "budgetId is not in the seed's sample; without it a client cannot address the "
        "budget it just created (getBudgetRowsForInvitation also names it budgetId).",
    },
    "BudgetRowIds": obj({"budgetRowIds": arr(I)}),
    "WorkCategoryLinks": obj({"data": obj({"workCategoryIds": arr(I)})}),
}

# operationId -> (status, schema | "empty" | "pdf" | "binary")
RESPONSES: dict[str, tuple[int, Any]] = {
    "getToken": (200, ref("Token")),
    "addProject": (200, ref("ProjectRef")),
    "listProjects": (200, arr(ref("ProjectListItem"))),
    "listProjectsByType": (200, arr(ref("ProjectListItem"))),
    "searchExternalData": (200, arr(ref("DocumentBrief"))),
    "listDocument": (200, arr(ref("ListedDocumentGroup"))),
    "listCommunication": (200, arr(ref("CommunicationWorkComponent"))),
    "getCommunication": (200, arr(ref("Message"))),
    "getProject": (200, ref("Project")),
    "createDocument": (200, ref("CreatedDocument")),
    "getDocument": (200, ref("Document")),
    "removeDocument": (200, ref("RemovedDocument")),
    "setDocument": (200, obj(DOC_BRIEF)),
    "listDocumentGroups": (200, arr(ref("DocumentGroup"))),
    "listPhases": (200, ref("PhaseTable")),
    "listProjectPhases": (200, ref("PhaseTable")),
    "updateProject": (200, arr(ref("ProjectStatus"))),
    "removeProject": (200, "empty"),
    "closeProject": (200, arr(ref("ClosedPhases"))),
    "openProject": (200, arr(ref("OpenPhases"))),
    "closeProjectPhase": (200, arr(ref("ClosedPhases"))),
    "openProjectPhase": (200, arr(ref("OpenPhases"))),
    "createDocumentGroup": (200, arr(ref("DocumentGroup"))),
    "getDocumentGroup": (200, arr(ref("DocumentGroup"))),
    "updateDocumentGroup": (200, arr(ref("DocumentGroup"))),
    "deleteDocumentGroup": (200, "empty"),
    "addDocumentToDocumentGroup": (200, ref("DocumentIdResult")),
    "setExternalReference": (200, ref("ExternalReference")),
    "getFile": (200, "binary"),
    "getMessagePdf": (200, "pdf"),
    "getRelations": (200, arr(ref("RelationListItem"))),
    "addRelation": (200, ref("Relation")),
    "removeRelation": (200, ref("EmptyArray")),
    "updateRelation": (200, ref("Relation")),
    "addRelationData": (200, ref("RelationData")),
    "removeRelationData": (200, ref("EmptyArray")),
    "updateRelationData": (200, ref("RelationDataUpdated")),
    "listChapters": (200, ref("ChapterTable")),
    "listCompanyClassificationSystems": (200, arr(ref("ClassificationSystem"))),
    "listAllClassificationSystems": (200, arr(ref("ClassificationSystem"))),
    "getSpecialist": (200, arr(ref("SpecialistBrief"))),
    "createSpecialist": (200, ref("SpecialistCreated")),
    "addWorkComponent": (200, ref("WorkComponentId")),
    "updateWorkComponent": (200, ref("WorkComponentId")),
    "deleteWorkComponent": (200, ref("EmptyObject")),
    "addInvitation": (200, ref("Invitation")),
    "getInvitation": (200, ref("Invitation")),
    "getBudgetRowsForInvitation": (200, ref("InvitationBudgetRows")),
    "updateInvitation": (200, ref("Invitation")),
    "deleteInvitation": (200, "empty"),
    "findCompanyByRegistrationNumber": (200, ref("CompanySearch")),
    "listBudgetRows": (200, ref("BudgetRows")),
    "addBudgetRow": (200, ref("AddedBudgetRow")),
    "addBudgetRows": (200, ref("AddedBudgetRows")),
    "updateBudgetRow": (200, ref("UpdatedBudgetRow")),
    "updateBudgetRows": (200, ref("UpdatedBudgetRows")),
    "createBudget": (200, ref("Budget")),
    "getBudget": (200, ref("Budget")),
    "deleteBudgetRow": (200, "empty"),
    "deleteBudgetRows": (200, ref("BudgetRowIds")),
    "linkBudgetRow": (200, "empty"),
    "unlinkBudgetRow": (200, "empty"),
    "getDocumentGroupWorkCategoryLinks": (200, ref("WorkCategoryLinks")),
    "updateDocumentGroupWorkCategory": (200, ref("WorkCategoryLinks")),
}

EXAMPLE_FIX = {
    "listCommunication": ("unknown|rejected|calculating|offer|offerwaiting|granted|inbudget|notgranted", "offer")
}
ARRAY_PARAMS = {"stabuChapterIds", "workCategoryIds", "budgetRowIds"}
JSON_PARAMS = {"properties", "budgetRows"}
ENUM_EXTRA = {("addInvitation", "status"): STATUSES}


def err(desc: str) -> dict[str, Any]:
    return {"description": desc, "content": {"application/json": {"schema": ref("Error")}}}


# \p{..} class -> its code point ranges, committed beside the seed so that the output does not depend on the
# Unicode tables of whichever `regex` is installed (computed once with regex 2026.11.19; see SOURCE.md)
CLASSES = Path(__file__).with_name("seed") / "unicode-classes.json"


def _class_ranges(key: str) -> list[list[int]]:
    """Code point ranges of the class union `key` ("L,N"): from CLASSES, else computed with `regex` and added."""
    table: dict[str, list[list[int]]] = json.loads(CLASSES.read_text(encoding="utf-8")) if CLASSES.is_file() else {}
    if key not in table:
        import regex

        rx = regex.compile("[" + "".join(f"\\p{{{c}}}" for c in key.split(",")) + "]")
        ranges: list[list[int]] = []
        for cp in range(0x110000):
            if 0xD800 <= cp <= 0xDFFF or not rx.match(chr(cp)):
                continue
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
        table[key] = ranges
        CLASSES.write_text(json.dumps(table, sort_keys=True) + "\n", encoding="utf-8")
    return table[key]


def expand_classes(pattern: str) -> str:
    """\\p{..} classes -> explicit \\uXXXX ranges, so the pattern is also valid for Python's `re`
    (openapi-spec-validator checks `format: regex` with it). The original stays in x-vendor-pattern."""

    def esc(c: int) -> str:
        return f"\\u{c:04x}" if c < 0x10000 else f"\\U{c:08x}"

    def one(m: re.Match[str]) -> str:
        key = ",".join(re.findall(r"\\p\{(\w+)\}", m.group(0)))
        return "[" + "".join(esc(a) if a == b else f"{esc(a)}-{esc(b)}" for a, b in _class_ranges(key)) + "]"

    return re.sub(r"\[(?:\\p\{\w+\})+\]", one, pattern)


def param(op: str, p: dict[str, Any], rename: dict[str, str]) -> dict[str, Any]:
    loc = {"query": "query", "template": "path", "file": "file"}[p["in"]]
    name = rename.get(p["name"], p["name"])
    schema: dict[str, Any] = {"type": "string"}
    if (op, p["name"]) in INT_PARAMS:
        schema = {"type": "integer", "minimum": 1}
    if p["pattern"]:
        schema["pattern"] = expand_classes(p["pattern"])
    if (op, p["name"]) in ENUM_EXTRA:
        schema["enum"] = ENUM_EXTRA[(op, p["name"])]
    if loc == "path":
        schema["minLength"] = 1  # a path segment is never empty
    out: dict[str, Any] = {"name": name, "in": loc, "required": bool(p["required"]) or loc == "path", "schema": schema}
    desc = p["description"]
    if desc:
        out["description"] = desc
    out["x-seed-line"] = p["line"]
    if name != p["name"]:
        out["x-seed-name"] = p["name"]
    if loc == "path" and not p["required"]:
        out["x-assumption"] = "the seed does not mark this path parameter Required; a path template always is"
    if p["pattern"]:
        out["x-vendor-pattern"] = p["pattern"]
        if "|" in p["pattern"] and not p["pattern"].startswith(("^(", "(?")):
            out["x-quirk"] = (
                "the vendor's alternation is not grouped, so ^a|b$ means '^a' OR 'b$'; "
                "the pattern is applied verbatim (search semantics, like preg_match)"
            )
    if p["name"] in ARRAY_PARAMS:
        out["x-encoding"] = "comma separated (43,44), PHP brackets (name[]=43&name[]=44) or a JSON array"
    if p["name"] in JSON_PARAMS:
        out["x-encoding"] = "PHP brackets (properties[name]=x) or a JSON document in the one parameter"
    if (op, p["name"]) in ENUM_EXTRA:
        out["x-assumption"] = "no pattern in the seed; the invitation statuses of updateInvitation are enforced"
    return out


def operation(o: dict[str, Any], method: str, alt_of: str | None) -> tuple[str, dict[str, Any]]:
    name = o["name"]
    path, rename = PATH_RENAME.get((name, o["path"]), (o["path"], {}))
    op: dict[str, Any] = {"operationId": name + ("Alt" if alt_of else ""), "summary": name, "x-seed-line": o["line"]}
    if alt_of:
        op["x-alternative-of"] = name
        op["x-assumption"] = (
            f"the seed prints no HTTP method; vendor-facts D lists {method.upper()} as the "
            f"alternative, served by the same handler as {name}"
        )
    else:
        op["x-method-source"] = (
            "read: the page says 'call GET /project/phases/'"
            if name == "listPhases"
            else "inferred (vendor-facts D-table rules R1-R3)"
        )
    params = [param(name, p, rename) for p in o["params"] if p["in"] != "file"]
    if params:
        op["parameters"] = params
    if name == "getToken":
        op["security"] = []
    if name == "createDocument":
        props = {"file_contents": {"type": "string", "format": "binary"}}
        props.update({p["name"]: {"type": "string"} for p in o["params"] if p["in"] == "query"})
        op["requestBody"] = {
            "required": False,
            "description": "file_contents (Required) as a multipart file; the other parameters may also travel here",
            "content": {
                "multipart/form-data": {"schema": {"type": "object", "properties": props}},
                "application/x-www-form-urlencoded": {
                    "schema": {"type": "object"},
                    "x-note": "accepted so that a body without the file gets the 400 naming file_contents",
                },
            },
        }
    if name == "addDocumentToDocumentGroup":
        op["requestBody"] = {
            "required": False,
            "x-assumption": "the file name in the path suggests a raw upload: a non-empty body "
            "(raw bytes or a multipart file) creates that document in the group; "
            "an empty body adds the existing document with that file name",
            "content": {"*/*": {"schema": {}}},
        }
    status, schema = RESPONSES[name]
    resp: dict[str, Any]
    if schema == "empty":
        resp = {"description": "empty body (as documented)"}
    elif schema in ("pdf", "binary"):
        mt = "application/pdf" if schema == "pdf" else "application/octet-stream"
        resp = {
            "description": "Binary file download",
            "content": {mt: {"schema": {"type": "string", "format": "binary"}}},
        }
        if schema == "binary":
            resp["content"]["*/*"] = {"schema": {"type": "string", "format": "binary"}}
    else:
        resp = {"description": "as documented", "content": {"application/json": {"schema": schema}}}
        if o["response"]:
            example = json.loads(o["response"])
            if name in EXAMPLE_FIX:
                old, new = EXAMPLE_FIX[name]
                example = json.loads(json.dumps(example).replace(old, new))
                resp["x-seed-note"] = f"the seed prints the placeholder status {old!r}; the example uses {new!r}"
            resp["content"]["application/json"]["example"] = example
    responses: dict[str, Any] = {str(status): resp, "400": err("a Required/Pattern violation (names the parameter)")}
    responses["401"] = err("missing, unknown or expired X-Auth-Token" if name != "getToken" else "unknown login/apiKey")
    if name in GROUP_MANAGER:
        responses["403"] = err("group-manager rights needed (product none / removeProject)")
    if name not in NO_404 or name == "getToken":
        responses["404"] = err("unknown id")
    if "requestBody" in op and "*/*" not in op["requestBody"]["content"]:
        responses["415"] = err("a body of another media type")
    responses["default"] = err("any other error, same envelope")
    op["responses"] = responses
    return path, op


def build(seed: str) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for o in parse(seed):
        method, alt = METHODS[o["name"]]
        for m, alt_of in ((method, None), (alt, o["name"])):
            if m is None:
                continue
            path, op = operation(o, m, alt_of)
            item = paths.setdefault(path, {})
            assert m not in item, (path, m)
            item[m] = op
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "12Build REST contractor API",
            "version": "1.1",
            "description": "Emulated from the published page https://www.12build.com/nl/rest/1.1/api "
            "(seed 004). Served at the root and under /rest/1.1. Parameters travel in the "
            "query string; on POST/PUT the same names are also accepted in a form or "
            "multipart body.",
            "x-prefixes": ["", "/rest/1.1"],
        },
        "servers": [{"url": "http://127.0.0.1:8704"}, {"url": "http://127.0.0.1:8704/rest/1.1"}],
        "security": [{"token": []}],
        "components": {
            "securitySchemes": {
                "token": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-Auth-Token",
                    "description": "from GET /tokens; valid one hour",
                }
            },
            "schemas": SCHEMAS,
        },
        "paths": paths,
    }


SEED = Path(__file__).with_name("seed") / "004_55602372246da261.txt"
OUT = Path(__file__).with_name("openapi.yaml")
HEADER = (
    "# Generated by contracts/twelvebuild/generate.py from seed/004_55602372246da261.txt + vendor-facts D"
    " — do not edit; change the generator and run `make contracts`.\n"
)


def render(seed: Path = SEED) -> str:
    """The contract text the seed and the tables produce (what openapi.yaml must hold)."""
    return HEADER + yaml.safe_dump(build(str(seed)), sort_keys=False, allow_unicode=True, width=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="regenerate contracts/twelvebuild/openapi.yaml from the seed")
    parser.add_argument("seed", nargs="?", type=Path, default=SEED, help=f"seed text (default {SEED.name})")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when openapi.yaml differs")
    args = parser.parse_args(argv)
    text = render(args.seed)
    if args.check:
        same = OUT.is_file() and OUT.read_text(encoding="utf-8") == text
        print(f"{OUT}: {'up to date' if same else 'differs from the generator output (run make contracts)'}")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}: {text.count('operationId:')} operations")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
