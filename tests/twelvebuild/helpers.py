"""Shared helpers for the 12Build tests: an in-process client with a token, and the operation table."""

from __future__ import annotations

import json
from typing import Any

import httpx

from emulators import build_app
from emulators.testing.transport import client_for

MANAGER = {"login": "api@bouwbedrijf-voorbeeld.nl", "apiKey": "3f9c2b7e41d84a0f9b6e5c1d2a7f8e90"}
CALCULATOR = {"login": "calculator@bouwbedrijf-voorbeeld.nl", "apiKey": "8a1d4e6f0b2c3d5e7f9a1b3c5d7e9f01"}
OTHER_COMPANY = {"login": "api@andere-aannemer.nl", "apiKey": "c0ffee00c0ffee00c0ffee00c0ffee00"}
UNKNOWN = "999999999"


class TB:
    """A fresh 12Build world and a client authenticated as `who`."""

    def __init__(self, who: dict[str, str] | None = None) -> None:
        self.client = client_for(build_app("twelvebuild"))
        self.headers = self.login(who or MANAGER)

    def login(self, who: dict[str, str]) -> dict[str, str]:
        r = self.client.get("/tokens", params=who)
        assert r.status_code == 200, r.text
        return {"X-Auth-Token": r.json()["token"]}

    def as_user(self, who: dict[str, str]) -> TB:
        """Another user in the same world (same client, own token)."""
        other = TB.__new__(TB)
        other.client, other.headers = self.client, self.login(who)
        return other

    def call(
        self,
        method: str,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        auth: bool = True,
        headers: dict[str, str] | None = None,
        **kw: Any,
    ) -> httpx.Response:
        hdrs = {**(self.headers if auth else {}), **(headers or {})}
        return self.client.request(method, path, params=params, headers=hdrs, **kw)

    def get(self, path: str, params: dict[str, Any] | None = None, **kw: Any) -> httpx.Response:
        return self.call("GET", path, params, **kw)

    def post(self, path: str, params: dict[str, Any] | None = None, **kw: Any) -> httpx.Response:
        return self.call("POST", path, params, **kw)

    def put(self, path: str, params: dict[str, Any] | None = None, **kw: Any) -> httpx.Response:
        return self.call("PUT", path, params, **kw)

    def delete(self, path: str, params: dict[str, Any] | None = None, **kw: Any) -> httpx.Response:
        return self.call("DELETE", path, params, **kw)


def error_of(r: httpx.Response, status: int, kind: str, parameter: str | None = None) -> dict[str, Any]:
    """Assert the one error envelope: status, type and (for 400s) the parameter named."""
    assert r.status_code == status, (r.status_code, r.text)
    body = r.json()["error"]
    assert body["code"] == status
    assert body["type"] == kind
    if parameter is not None:
        assert body.get("parameter") == parameter, body
    err: dict[str, Any] = body
    return err


PROPS = json.dumps({"name": "Stelpost", "numberOfUnits": "4", "pricePerUnit": "12.5", "unit": "m2"})
ROWS = json.dumps(
    [
        {"rowNumber": 7, "properties": {"name": "A", "numberOfUnits": "2", "pricePerUnit": "3"}},
        {"properties": {"name": "B"}},
    ]
)

# operationId -> (method, path template, path values, valid query params, ids that 404 when unknown)
# ids: "path:<name>" or "query:<name>"
OPS: dict[str, tuple[str, str, dict[str, str], dict[str, str], list[str]]] = {
    "getToken": ("GET", "/tokens", {}, dict(MANAGER), []),
    "addProject": ("POST", "/project", {}, {"name": "Nieuw project"}, []),
    "listProjects": ("GET", "/project/list", {}, {}, []),
    "listProjectsByType": ("GET", "/project/list/{type}", {"type": "template"}, {}, []),
    "searchExternalData": (
        "GET",
        "/project/{projectId}/document/searchExternalData",
        {"projectId": "1234567"},
        {"externalData": "KEY_990099"},
        ["path:projectId"],
    ),
    "listDocument": ("GET", "/project/{projectId}/document/list", {"projectId": "1234567"}, {}, ["path:projectId"]),
    "listCommunication": (
        "GET",
        "/project/{projectId}/communication/{phaseId}/list",
        {"projectId": "1234567", "phaseId": "123456"},
        {},
        ["path:projectId"],
    ),
    "getCommunication": (
        "GET",
        "/project/{projectId}/communication/{communicationId}",
        {"projectId": "1234567", "communicationId": "1122334"},
        {},
        ["path:projectId", "path:communicationId"],
    ),
    "getProject": ("GET", "/project/{projectId}", {"projectId": "1234567"}, {}, ["path:projectId"]),
    "createDocument": ("POST", "/project/{projectId}", {"projectId": "1234567"}, {}, ["path:projectId"]),
    "getDocument": ("GET", "/document/{id}", {"id": "6448805"}, {}, ["path:id"]),
    "removeDocument": ("DELETE", "/document/{id}", {"id": "6448805"}, {}, ["path:id"]),
    "setDocument": ("PUT", "/document/{id}", {"id": "6448805"}, {"name": "handleiding"}, ["path:id"]),
    "listDocumentGroups": ("GET", "/project/{projectId}/document/group", {"projectId": "123"}, {}, ["path:projectId"]),
    "listPhases": ("GET", "/project/phases/", {}, {}, []),
    "listProjectPhases": ("GET", "/project/{projectId}/phases", {"projectId": "1234567"}, {}, ["path:projectId"]),
    "updateProject": (
        "PUT",
        "/project/{projectId}",
        {"projectId": "1234567"},
        {"status": "scored"},
        ["path:projectId"],
    ),
    "removeProject": ("DELETE", "/project/{projectId}", {"projectId": "3456789"}, {}, ["path:projectId"]),
    "closeProject": ("POST", "/project/{projectId}/close", {"projectId": "1234567"}, {}, ["path:projectId"]),
    "openProject": ("POST", "/project/{projectId}/open", {"projectId": "1234567"}, {}, ["path:projectId"]),
    "closeProjectPhase": (
        "POST",
        "/project/{projectId}/projectphase/close",
        {"projectId": "1234567"},
        {"phase": "Inkoop"},
        ["path:projectId"],
    ),
    "openProjectPhase": (
        "POST",
        "/project/{projectId}/projectphase/open",
        {"projectId": "1234567"},
        {"phase": "Inkoop"},
        ["path:projectId"],
    ),
    "createDocumentGroup": (
        "POST",
        "/project/{projectId}/document/group",
        {"projectId": "1234567"},
        {"name": "Tekeningen"},
        ["path:projectId"],
    ),
    "getDocumentGroup": (
        "GET",
        "/document/group/{documentGroupId}",
        {"documentGroupId": "1234567"},
        {},
        ["path:documentGroupId"],
    ),
    "updateDocumentGroup": (
        "PUT",
        "/document/group/{documentGroupId}",
        {"documentGroupId": "1234567"},
        {"name": "hernoemd"},
        ["path:documentGroupId"],
    ),
    "deleteDocumentGroup": (
        "DELETE",
        "/document/group/{documentGroupId}",
        {"documentGroupId": "6350590"},
        {},
        ["path:documentGroupId"],
    ),
    "addDocumentToDocumentGroup": (
        "POST",
        "/documents/groups/{documentGroupId}/{phaseId}/{fileName}",
        {"documentGroupId": "6350590", "phaseId": "123456", "fileName": "gebruikershandleiding-ha-2.pdf"},
        {},
        ["path:documentGroupId"],
    ),
    "setExternalReference": (
        "PUT",
        "/document/{documentId}/externalreference",
        {"documentId": "6448805"},
        {"type": "erp", "referenceId": "R-1"},
        ["path:documentId"],
    ),
    "getFile": (
        "GET",
        "/file/{documentType}/{documentId}",
        {"documentType": "project", "documentId": "6448805"},
        {},
        ["path:documentId"],
    ),
    "getMessagePdf": ("GET", "/message/{messageId}/pdf", {"messageId": "1234567"}, {}, ["path:messageId"]),
    "getRelations": ("GET", "/relation/list", {}, {}, []),
    "addRelation": ("POST", "/relation", {}, {"companyId": "1", "relation": "green"}, ["query:companyId"]),
    "removeRelation": ("DELETE", "/relation", {}, {"companyId": "7654321"}, ["query:companyId"]),
    "updateRelation": ("PUT", "/relation", {}, {"companyId": "7654321", "relation": "black"}, ["query:companyId"]),
    "addRelationData": (
        "POST",
        "/relation/{companyId}",
        {"companyId": "7654321"},
        {"key": "k2", "value": "v2"},
        ["path:companyId"],
    ),
    "removeRelationData": (
        "DELETE",
        "/relation/{companyId}",
        {"companyId": "7654321"},
        {"key": "myCompanyNumber"},
        ["path:companyId"],
    ),
    "updateRelationData": (
        "PUT",
        "/relation/{companyId}",
        {"companyId": "7654321"},
        {"key": "myCompanyNumber", "value": "C999"},
        ["path:companyId"],
    ),
    "listChapters": (
        "GET",
        "/chapters/list/{classificationSystemId}",
        {"classificationSystemId": "1"},
        {},
        ["path:classificationSystemId"],
    ),
    "listCompanyClassificationSystems": ("GET", "/classification-systems/list", {}, {}, []),
    "listAllClassificationSystems": ("GET", "/classification-systems/list/all", {}, {}, []),
    "getSpecialist": ("GET", "/specialist/{companyId}", {"companyId": "1"}, {}, ["path:companyId"]),
    "createSpecialist": (
        "POST",
        "/specialist",
        {},
        {"name": "Nieuwe specialist", "registrationNumber": "87654321", "countryCode": "nl"},
        [],
    ),
    "addWorkComponent": (
        "POST",
        "/work-component",
        {},
        {"projectId": "1234567", "name": "Kozijnen"},
        ["query:projectId"],
    ),
    "updateWorkComponent": (
        "PUT",
        "/work-component/{workComponentId}",
        {"workComponentId": "1234567"},
        {"name": "Beton"},
        ["path:workComponentId"],
    ),
    "deleteWorkComponent": (
        "DELETE",
        "/work-component/{workComponentId}",
        {"workComponentId": "1234567"},
        {},
        ["path:workComponentId"],
    ),
    "addInvitation": (
        "POST",
        "/invitation",
        {},
        {"workComponentId": "1234567", "phaseId": "123456", "companyId": "1"},
        ["query:workComponentId", "query:companyId"],
    ),
    "getInvitation": ("GET", "/invitation/{id}", {"id": "1"}, {}, ["path:id"]),
    "getBudgetRowsForInvitation": ("GET", "/invitation/{id}/budgetRows", {"id": "5"}, {}, ["path:id"]),
    "updateInvitation": ("PUT", "/invitation/{id}", {"id": "1122334"}, {"status": "granted"}, ["path:id"]),
    "deleteInvitation": ("DELETE", "/invitation/{id}", {"id": "1"}, {}, ["path:id"]),
    "findCompanyByRegistrationNumber": (
        "GET",
        "/company/findByRegistrationNumber/{country}/{registrationNumber}",
        {"country": "nl", "registrationNumber": "12345678"},
        {},
        [],
    ),
    "listBudgetRows": ("GET", "/budgetrow/{id}", {"id": "2"}, {}, ["path:id"]),
    "addBudgetRow": ("POST", "/budgetrow", {}, {"budgetId": "1", "properties": PROPS}, ["query:budgetId"]),
    "addBudgetRows": ("POST", "/budgetrows", {}, {"budgetId": "1", "budgetRows": ROWS}, ["query:budgetId"]),
    "updateBudgetRow": ("PUT", "/budgetrow", {}, {"budgetRowId": "16", "properties": PROPS}, ["query:budgetRowId"]),
    "updateBudgetRows": (
        "PUT",
        "/budgetrows",
        {},
        {"budgetRows": json.dumps([{"id": 16, "properties": {"unit": "m2"}}])},
        [],
    ),
    "createBudget": ("POST", "/budget", {}, {"projectId": "1234567"}, ["query:projectId"]),
    "getBudget": ("GET", "/budget", {}, {"projectId": "123", "phaseId": "123466"}, ["query:projectId"]),
    "deleteBudgetRow": ("DELETE", "/budgetrow/{id}", {"id": "4"}, {}, ["path:id"]),
    "deleteBudgetRows": ("DELETE", "/budgetrows", {}, {"budgetRowIds": "16,17"}, ["query:budgetRowIds"]),
    "linkBudgetRow": (
        "POST",
        "/budgetrow/link",
        {},
        {"budgetRowId": "16", "workCategoryId": "43"},
        ["query:budgetRowId", "query:workCategoryId"],
    ),
    "unlinkBudgetRow": (
        "POST",
        "/budgetrow/unlink",
        {},
        {"budgetRowId": "16", "workCategoryId": "30"},
        ["query:budgetRowId", "query:workCategoryId"],
    ),
    "getDocumentGroupWorkCategoryLinks": (
        "GET",
        "/document/group/{documentGroupId}/links",
        {"documentGroupId": "1234567"},
        {},
        ["path:documentGroupId"],
    ),
    "updateDocumentGroupWorkCategory": (
        "PUT",
        "/document/group/{documentGroupId}/links",
        {"documentGroupId": "1234567"},
        {"workCategoryIds": "43,44"},
        ["path:documentGroupId"],
    ),
}
UPLOAD = {"file_contents": ("offerte.pdf", b"%PDF-1.4\n% test upload\n", "application/pdf")}


def request_for(
    tb: TB,
    op: str,
    *,
    path_values: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    auth: bool = True,
    drop: str | None = None,
) -> httpx.Response:
    method, template, values, params, _ = OPS[op]
    values = {**values, **(path_values or {})}
    params = {**params, **(query or {})}
    if drop is not None:
        params.pop(drop, None)
    path = template.format(**values)
    files = UPLOAD if op == "createDocument" else None
    return tb.call(method, path, params, auth=auth and op != "getToken", files=files)
