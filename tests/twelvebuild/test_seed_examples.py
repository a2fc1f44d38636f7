"""Every documented sample of seed 004 replayed: the documented request on the fixture world gives the
documented response — exactly where the fixtures hold the sample's records, else the same shape (same keys,
same JSON types: string ids stay strings, integer ids stay integers)."""

from __future__ import annotations

import json
from typing import Any

import yaml

from emulators.core.paths import contract_path

from .helpers import TB

CONTRACT = yaml.safe_load(contract_path("twelvebuild").read_text(encoding="utf-8"))
EXAMPLES: dict[str, Any] = {}
for _item in CONTRACT["paths"].values():
    for _op in _item.values():
        if isinstance(_op, dict) and "operationId" in _op:
            _content = _op["responses"]["200"].get("content") or {}
            if "application/json" in _content and "example" in _content["application/json"]:
                EXAMPLES[_op["operationId"]] = _content["application/json"]["example"]


def same_shape(actual: Any, example: Any, where: str = "$") -> None:
    if isinstance(example, dict):
        assert isinstance(actual, dict), where
        if all(k.isdigit() for k in example):  # keyed by id (listChapters)
            for v in actual.values():
                same_shape(v, next(iter(example.values())), where + ".*")
            return
        assert set(actual) == set(example), (where, sorted(actual), sorted(example))
        for k, v in example.items():
            same_shape(actual[k], v, f"{where}.{k}")
    elif isinstance(example, list):
        assert isinstance(actual, list), where
        if example and actual:
            same_shape(actual[0], example[0], where + "[0]")
    else:
        assert type(actual) is type(example), (where, actual, example)


def test_getToken_matches_seed_sample() -> None:
    tb = TB()
    r = tb.client.get(
        "/tokens", params={"login": "api@bouwbedrijf-voorbeeld.nl", "apiKey": "3f9c2b7e41d84a0f9b6e5c1d2a7f8e90"}
    )
    same_shape(r.json(), EXAMPLES["getToken"])
    assert len(r.json()["token"]) == 128


def test_addProject_matches_seed_sample() -> None:
    body = TB().post("/project", {"name": "projectname"}).json()
    same_shape(body, EXAMPLES["addProject"])
    assert body["name"] == "projectname"


def test_listProjects_replays_seed_sample_exactly() -> None:
    assert TB().get("/project/list").json() == EXAMPLES["listProjects"]


def test_listProjectsByType_replays_seed_sample_exactly() -> None:
    assert TB().get("/project/list/default").json() == EXAMPLES["listProjectsByType"]


def test_searchExternalData_replays_seed_sample_exactly() -> None:
    r = TB().get("/project/1234567/document/searchExternalData", {"externalData": "KEY_990099"})
    assert r.json() == EXAMPLES["searchExternalData"]


def test_listDocument_replays_seed_sample_exactly() -> None:
    assert TB().get("/project/1234567/document/list").json() == EXAMPLES["listDocument"]


def test_listCommunication_replays_seed_sample_exactly() -> None:
    """The seed prints the status placeholder 'unknown|rejected|…'; the fixture's invitation has 'offer'."""
    assert TB().get("/project/1234567/communication/123456/list").json() == EXAMPLES["listCommunication"]


def test_getCommunication_replays_seed_sample_exactly() -> None:
    assert TB().get("/project/1234567/communication/1122334").json() == EXAMPLES["getCommunication"]


def test_getProject_matches_seed_sample() -> None:
    """calcNumber/workNumber differ: the listProjects sample gives the same project cal-123/werk-123."""
    body = TB().get("/project/1234567").json()
    same_shape(body, EXAMPLES["getProject"])
    expected = {k: v for k, v in EXAMPLES["getProject"].items() if k not in ("calcNumber", "workNumber")}
    assert {k: v for k, v in body.items() if k in expected} == expected


def test_createDocument_matches_seed_sample() -> None:
    r = TB().post("/project/1234567", files={"file_contents": ("documentname.pdf", b"%PDF-1.4\n", "application/pdf")})
    same_shape(r.json(), EXAMPLES["createDocument"])
    assert r.json()["name"] == "documentname"
    assert r.json()["externalData"] == ""


def test_getDocument_replays_seed_sample_exactly() -> None:
    assert TB().get("/document/1234567").json() == EXAMPLES["getDocument"]


def test_removeDocument_matches_seed_sample() -> None:
    body = TB().delete("/document/1234567").json()
    same_shape(body, EXAMPLES["removeDocument"])
    assert {**body, "name": "filename"} == EXAMPLES["removeDocument"]


def test_setDocument_replays_seed_sample_exactly() -> None:
    assert TB().put("/document/1234567").json() == EXAMPLES["setDocument"]


def test_listDocumentGroups_replays_seed_sample_exactly() -> None:
    assert TB().get("/project/123/document/group").json() == EXAMPLES["listDocumentGroups"]


def test_listPhases_matches_seed_sample() -> None:
    body = TB().get("/project/phases/").json()
    assert isinstance(body, list) and len(body) == 1
    assert body[0]["tender"]["default"] == {"Calculatie": 123456, "Inkoop": 123457, "Uitvoering": 123458}


def test_listProjectPhases_matches_seed_sample() -> None:
    assert TB().get("/project/123/phases").json() == [
        {"tender": {"template": {"Calculatie": 123466, "Inkoop": 123467, "Uitvoering": 123468}}}
    ]


def test_updateProject_replays_seed_sample_exactly() -> None:
    r = TB().put("/project/1234567", {"name": "example project", "status": "scored"})
    assert r.json() == EXAMPLES["updateProject"]


def test_removeProject_answers_empty_body() -> None:
    r = TB().delete("/project/3456789")
    assert r.status_code == 200 and r.content == b""


def test_closeProject_matches_seed_sample() -> None:
    body = TB().post("/project/1234567/close").json()
    same_shape(body, EXAMPLES["closeProject"])
    assert body[0]["closedPhases"] == ["Calculatie", "Inkoop", "Uitvoering"]


def test_openProject_matches_seed_sample() -> None:
    same_shape(TB().post("/project/1234567/open").json(), EXAMPLES["openProject"])


def test_closeProjectPhase_matches_seed_sample() -> None:
    same_shape(
        TB().post("/project/1234567/projectphase/close", {"phase": "Inkoop"}).json(), EXAMPLES["closeProjectPhase"]
    )


def test_openProjectPhase_matches_seed_sample() -> None:
    same_shape(
        TB().post("/project/1234567/projectphase/open", {"phase": "Inkoop"}).json(), EXAMPLES["openProjectPhase"]
    )


def test_createDocumentGroup_matches_seed_sample() -> None:
    body = TB().post("/project/123/document/group", {"name": "group name"}).json()
    same_shape(body, EXAMPLES["createDocumentGroup"])
    assert body[0]["projectId"] == 123 and body[0]["order"] == 2


def test_getDocumentGroup_replays_seed_sample_exactly() -> None:
    assert TB().get("/document/group/1234567").json() == EXAMPLES["getDocumentGroup"]


def test_updateDocumentGroup_replays_seed_sample_exactly() -> None:
    assert (
        TB().put("/document/group/1234567", {"name": "group name", "order": "1"}).json()
        == EXAMPLES["updateDocumentGroup"]
    )


def test_deleteDocumentGroup_answers_empty_body() -> None:
    r = TB().delete("/document/group/1234567")
    assert r.status_code == 200 and r.content == b""


def test_addDocumentToDocumentGroup_matches_seed_sample() -> None:
    r = TB().post("/documents/groups/1234567/123466/fileName.pdf")
    same_shape(r.json(), EXAMPLES["addDocumentToDocumentGroup"])
    assert r.json() == {"documentId": 1234567}


def test_setExternalReference_matches_seed_sample() -> None:
    r = TB().put("/document/1234567/externalreference", {"type": "givenType", "referenceId": "givenReferenceId"})
    same_shape(r.json(), EXAMPLES["setExternalReference"])
    assert r.json()["reference"] == EXAMPLES["setExternalReference"]["reference"]


def test_getFile_is_a_binary_download() -> None:
    r = TB().get("/file/project/1234567")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-")


def test_getMessagePdf_is_a_binary_download() -> None:
    r = TB().get("/message/2345678/pdf")
    assert r.headers["content-type"] == "application/pdf" and r.content.startswith(b"%PDF-1.4")
    assert r.content.rstrip().endswith(b"%%EOF")


def test_getRelations_matches_seed_sample() -> None:
    """The sample prints PHP's empty arrays; with a relation the parts are filled objects."""
    body = TB().get("/relation/list").json()
    assert set(body[0]) == set(EXAMPLES["getRelations"][0])
    assert body[0]["relation"] == {"id": 2, "companyId": 7654321, "relation": "gold"}
    assert body[0]["relationData"] == [
        {"key": "myCompanyNumber", "value": "C123", "source": "ERP", "showInProfile": 0, "type": "text"}
    ]


def test_addRelation_replays_seed_sample_exactly() -> None:
    assert TB().post("/relation", {"companyId": "5", "relation": "gold"}).json() == EXAMPLES["addRelation"]


def test_removeRelation_replays_seed_sample_exactly() -> None:
    assert TB().delete("/relation", {"companyId": "7654321"}).json() == EXAMPLES["removeRelation"] == []


def test_updateRelation_matches_seed_sample() -> None:
    body = TB().put("/relation", {"companyId": "7654321", "relation": "gold"}).json()
    same_shape(body, EXAMPLES["updateRelation"])
    assert body == {"id": 2, "companyId": 7654321, "relation": "gold"}


def test_addRelationData_matches_seed_sample() -> None:
    body = TB().post("/relation/7654321", {"key": "otherNumber", "value": "C123", "source": "ERP"}).json()
    same_shape(body, EXAMPLES["addRelationData"])
    assert body == {
        "companyId": "7654321",
        "key": "otherNumber",
        "value": "C123",
        "source": "ERP",
        "showInProfile": 0,
        "type": "text",
    }


def test_removeRelationData_replays_seed_sample_exactly() -> None:
    assert TB().delete("/relation/7654321", {"key": "myCompanyNumber"}).json() == EXAMPLES["removeRelationData"]


def test_updateRelationData_matches_seed_sample() -> None:
    body = TB().put("/relation/7654321", {"key": "myCompanyNumber", "value": "C123", "source": "ERP"}).json()
    assert body == {**EXAMPLES["updateRelationData"], "companyId": "7654321"}


def test_listChapters_replays_seed_sample_exactly() -> None:
    assert TB().get("/chapters/list/2").json() == EXAMPLES["listChapters"]


def test_listCompanyClassificationSystems_replays_seed_sample_exactly() -> None:
    assert TB().get("/classification-systems/list").json() == EXAMPLES["listCompanyClassificationSystems"]


def test_listAllClassificationSystems_matches_seed_sample() -> None:
    body = TB().get("/classification-systems/list/all").json()
    assert body[0] == EXAMPLES["listAllClassificationSystems"][0]
    assert len(body) == 3


def test_getSpecialist_matches_seed_sample() -> None:
    body = TB().get("/specialist/1").json()
    same_shape(body, EXAMPLES["getSpecialist"])
    assert body == [{"id": 1, "name": "Specialist R Us"}]


def test_createSpecialist_matches_seed_sample() -> None:
    body = (
        TB()
        .post("/specialist", {"name": "example specialist", "registrationNumber": "99887766", "countryCode": "nl"})
        .json()
    )
    same_shape(body, EXAMPLES["createSpecialist"])
    assert body["data"]["name"] == "example specialist"


def test_addWorkComponent_matches_seed_sample() -> None:
    same_shape(
        TB().post("/work-component", {"projectId": "1234567", "name": "Kozijnen"}).json(), EXAMPLES["addWorkComponent"]
    )


def test_updateWorkComponent_matches_seed_sample() -> None:
    assert TB().put("/work-component/2", {"name": "Grondwerk"}).json() == {"workComponentId": 2}


def test_deleteWorkComponent_replays_seed_sample_exactly() -> None:
    assert TB().delete("/work-component/2").json() == EXAMPLES["deleteWorkComponent"] == {}


def test_addInvitation_matches_seed_sample() -> None:
    body = (
        TB()
        .post("/invitation", {"workComponentId": "2", "phaseId": "123466", "companyId": "4", "status": "offer"})
        .json()
    )
    same_shape(body, EXAMPLES["addInvitation"])
    assert {k: body[k] for k in ("workComponentId", "specialistId", "status")} == {
        "workComponentId": 2,
        "specialistId": 4,
        "status": "offer",
    }


def test_getInvitation_replays_seed_sample_exactly() -> None:
    assert TB().get("/invitation/1").json() == EXAMPLES["getInvitation"]


def test_getBudgetRowsForInvitation_replays_seed_sample_exactly() -> None:
    assert TB().get("/invitation/5/budgetRows").json() == EXAMPLES["getBudgetRowsForInvitation"]


def test_updateInvitation_replays_seed_sample_exactly() -> None:
    assert TB().put("/invitation/1", {"status": "offer"}).json() == EXAMPLES["updateInvitation"]


def test_deleteInvitation_answers_empty_body() -> None:
    r = TB().delete("/invitation/1")
    assert r.status_code == 200 and r.content == b""


def test_findCompanyByRegistrationNumber_replays_seed_sample_exactly() -> None:
    r = TB().get("/company/findByRegistrationNumber/nl/12345678")
    assert r.json() == EXAMPLES["findCompanyByRegistrationNumber"]


def test_listBudgetRows_replays_seed_sample_exactly() -> None:
    assert TB().get("/budgetrow/2").json() == EXAMPLES["listBudgetRows"]


def test_addBudgetRow_replays_seed_sample_exactly() -> None:
    sample = EXAMPLES["addBudgetRow"]
    r = TB().post("/budgetrow", {"budgetId": "1", "rowNumber": "2", "properties": json.dumps(sample["properties"])})
    assert r.json() == sample


def test_addBudgetRows_replays_seed_sample_exactly() -> None:
    sample = EXAMPLES["addBudgetRows"]
    r = TB().post("/budgetrows", {"budgetId": "1", "budgetRows": json.dumps(sample["budgetRows"])})
    assert r.json() == sample


def test_updateBudgetRow_matches_seed_sample() -> None:
    sample = EXAMPLES["updateBudgetRow"]
    r = TB().put("/budgetrow", {"budgetRowId": "16", "properties": json.dumps(sample["properties"])})
    assert r.json() == {**sample, "budgetRowId": 16}


def test_updateBudgetRows_matches_seed_sample() -> None:
    """The sample names its second row by rowNumber only: row 3 of the budget of row 16."""
    sample = EXAMPLES["updateBudgetRows"]
    rows = [{**sample["budgetRows"][0], "id": 16}, sample["budgetRows"][1]]
    r = TB().put("/budgetrows", {"budgetRows": json.dumps(rows)})
    assert r.json() == {"budgetRows": rows}


def test_createBudget_matches_seed_sample() -> None:
    body = TB().post("/budget", {"projectId": "1234567", "phaseId": "123457"}).json()
    assert {k: body[k] for k in EXAMPLES["createBudget"]} == {"projectId": 1234567, "phaseId": 123457}
    same_shape({k: body[k] for k in EXAMPLES["createBudget"]}, EXAMPLES["createBudget"])


def test_getBudget_matches_seed_sample() -> None:
    assert TB().get("/budget", {"projectId": "123", "phaseId": "123466"}).json() == {
        "projectId": 123,
        "phaseId": 123466,
        "budgetId": 1,
    }


def test_deleteBudgetRow_answers_empty_body() -> None:
    r = TB().delete("/budgetrow/4")
    assert r.status_code == 200 and r.content == b""


def test_deleteBudgetRows_matches_seed_sample() -> None:
    r = TB().delete("/budgetrows", {"budgetRowIds": "16,17,18"})
    same_shape(r.json(), EXAMPLES["deleteBudgetRows"])
    assert r.json() == {"budgetRowIds": [16, 17, 18]}


def test_linkBudgetRow_answers_empty_body() -> None:
    r = TB().post("/budgetrow/link", {"budgetRowId": "16", "workCategoryId": "43"})
    assert r.status_code == 200 and r.content == b""


def test_unlinkBudgetRow_answers_empty_body() -> None:
    r = TB().post("/budgetrow/unlink", {"budgetRowId": "16", "messageGroupId": "30"})
    assert r.status_code == 200 and r.content == b""


def test_getDocumentGroupWorkCategoryLinks_replays_seed_sample_exactly() -> None:
    assert TB().get("/document/group/1234567/links").json() == EXAMPLES["getDocumentGroupWorkCategoryLinks"]


def test_updateDocumentGroupWorkCategory_replays_seed_sample_exactly() -> None:
    r = TB().put("/document/group/1234567/links", {"workCategoryIds": "43,44,45,46"})
    assert r.json() == EXAMPLES["updateDocumentGroupWorkCategory"]
