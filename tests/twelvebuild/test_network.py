"""Relations, relation data, specialists, companies and classification systems."""

from __future__ import annotations

from .helpers import OTHER_COMPANY, TB, error_of


def test_addRelation_then_getRelations_filters_by_colour() -> None:
    tb = TB()
    tb.post("/relation", {"companyId": "5", "relation": "black"})
    tb.post("/relation", {"companyId": "12", "relation": "green"})
    colours = [r["relation"]["relation"] for r in tb.get("/relation/list").json()]
    assert colours == ["black", "green", "gold"]
    picked = tb.get("/relation/list", {"relation": "gold green"}).json()
    assert [r["company"]["id"] for r in picked] == [12, 7654321]


def test_addRelation_existing_relation_is_400() -> None:
    r = TB().post("/relation", {"companyId": "7654321", "relation": "green"})
    error_of(r, 400, "InvalidParameter", "companyId")


def test_addRelation_unknown_company_is_404() -> None:
    error_of(TB().post("/relation", {"companyId": "424242", "relation": "green"}), 404, "NotFound")


def test_addRelation_colour_outside_enumeration_is_400() -> None:
    r = TB().post("/relation", {"companyId": "5", "relation": "stabu-specific"})
    error_of(r, 400, "InvalidParameter", "relation")


def test_updateRelation_without_relation_is_404() -> None:
    error_of(TB().put("/relation", {"companyId": "5", "relation": "gold"}), 404, "NotFound")


def test_removeRelation_then_list_is_empty() -> None:
    tb = TB()
    tb.delete("/relation", {"companyId": "7654321"})
    assert tb.get("/relation/list").json() == []


def test_getRelations_data_search() -> None:
    tb = TB()
    tb.post("/relation", {"companyId": "5", "relation": "green"})
    tb.post("/relation/5", {"key": "myCompanyNumber", "value": ""})
    hits = tb.get("/relation/list", {"dataKey": "myCompanyNumber"}).json()
    assert [r["company"]["id"] for r in hits] == [5, 7654321]
    hits = tb.get("/relation/list", {"dataKey": "myCompanyNumber", "dataValue": ""}).json()
    assert [r["company"]["id"] for r in hits] == [5]


def test_getRelations_dataValue_needs_dataKey() -> None:
    error_of(TB().get("/relation/list", {"dataValue": "C123"}), 400, "InvalidParameter", "dataKey")


def test_getRelations_paginates() -> None:
    tb = TB()
    for company in ("1", "4", "5"):
        tb.post("/relation", {"companyId": company, "relation": "green"})
    page = tb.get("/relation/list", {"pageSize": "2", "page": "2"}).json()
    assert [r["company"]["id"] for r in page] == [5, 7654321]


def test_addRelationData_duplicate_key_is_400() -> None:
    r = TB().post("/relation/7654321", {"key": "myCompanyNumber", "value": "x"})
    error_of(r, 400, "InvalidParameter", "key")


def test_addRelationData_url_type_and_profile_flag() -> None:
    body = (
        TB()
        .post("/relation/7654321", {"key": "site", "value": "https://x.nl", "type": "url", "showInProfile": "1"})
        .json()
    )
    assert (body["type"], body["showInProfile"]) == ("url", 1)


def test_updateRelationData_then_removeRelationData() -> None:
    tb = TB()
    tb.put("/relation/7654321", {"key": "myCompanyNumber", "value": "C999"})
    assert tb.get("/relation/list").json()[0]["relationData"][0]["value"] == "C999"
    assert tb.delete("/relation/7654321", {"key": "myCompanyNumber"}).json() == []
    error_of(tb.delete("/relation/7654321", {"key": "myCompanyNumber"}), 404, "NotFound")


def test_addRelationData_without_relation_is_404() -> None:
    error_of(TB().post("/relation/5", {"key": "k", "value": "v"}), 404, "NotFound")


def test_createSpecialist_is_found_by_registration_number() -> None:
    tb = TB()
    created = tb.post(
        "/specialist", {"name": "Nieuw BV", "registrationNumber": "11223344", "countryCode": "NL"}
    ).json()["data"]
    found = tb.get("/company/findByRegistrationNumber/nl/11223344").json()["data"]
    assert [(c["id"], c["name"], c["cocNumber"]) for c in found] == [(created["id"], "Nieuw BV", "11223344")]
    assert tb.get(f"/specialist/{created['id']}").json() == [{"id": created["id"], "name": "Nieuw BV"}]
    r = tb.post("/invitation", {"workComponentId": "1234567", "phaseId": "123456", "companyId": str(created["id"])})
    assert r.json()["specialistId"] == created["id"]


def test_createSpecialist_duplicate_registration_is_400() -> None:
    r = TB().post("/specialist", {"name": "Dubbel", "registrationNumber": "12345678", "countryCode": "nl"})
    error_of(r, 400, "InvalidParameter", "registrationNumber")


def test_findCompanyByRegistrationNumber_no_match_is_empty_data() -> None:
    assert TB().get("/company/findByRegistrationNumber/be/12345678").json() == {"data": []}


def test_findCompanyByRegistrationNumber_country_must_be_lower_case() -> None:
    r = TB().get("/company/findByRegistrationNumber/NL/12345678")
    error_of(r, 400, "InvalidParameter", "country")


def test_listChapters_system_without_chapters_is_empty() -> None:
    assert TB().get("/chapters/list/3").json() == []


def test_listChapters_stabu() -> None:
    body = TB().get("/chapters/list/1").json()
    assert list(body[0]) == ["531", "532"] and body[0]["531"]["number"] == "21"


def test_listCompanyClassificationSystems_is_per_company() -> None:
    assert [s["name"] for s in TB(OTHER_COMPANY).get("/classification-systems/list").json()] == ["raw"]
