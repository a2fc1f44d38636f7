"""Projects: product none / group-manager rights, hidden projects, phases, active flag, pagination, types."""

from __future__ import annotations

from .helpers import CALCULATOR, TB, error_of


def _names(tb: TB, **params: str) -> list[str]:
    return [p["name"] for p in tb.get("/project/list", params).json()]


def test_addProject_product_none_without_group_manager_is_403() -> None:
    r = TB(CALCULATOR).post("/project", {"name": "Intern", "product": "none"})
    assert error_of(r, 403, "Forbidden")["message"] == "product none requires groupmanager access"


def test_addProject_product_none_by_group_manager_is_listed_under_product_none() -> None:
    tb = TB()
    pid = tb.post("/project", {"name": "Intern 2", "product": "none"}).json()["id"]
    assert "Intern 2" in _names(tb, product="none")
    assert "Intern 2" not in _names(tb)
    assert tb.get(f"/project/{pid}/phases").json() == [
        {"none": {"default": {"Calculatie": 123476, "Inkoop": 123477, "Uitvoering": 123478}}}
    ]


def test_listProjects_product_none_without_group_manager_is_403() -> None:
    error_of(TB(CALCULATOR).get("/project/list", {"product": "none"}), 403, "Forbidden")


def test_removeProject_without_group_manager_is_403() -> None:
    r = TB(CALCULATOR).delete("/project/3456789")
    assert error_of(r, 403, "Forbidden")["message"] == "removeProject requires groupmanager access"


def test_removeProject_tender_project_is_403() -> None:
    r = TB().delete("/project/1234567")
    assert error_of(r, 403, "Forbidden")["message"] == "only projects with product none can be deleted"


def test_removeProject_removes_the_project_and_its_records() -> None:
    tb = TB()
    wc = tb.post("/work-component", {"projectId": "3456789", "name": "Sloopwerk"}).json()["workComponentId"]
    assert tb.delete("/project/3456789").status_code == 200
    error_of(tb.get("/project/3456789"), 404, "NotFound")
    error_of(tb.put(f"/work-component/{wc}", {"name": "x"}), 404, "NotFound")


def test_addProject_hidden_project_visible_to_its_group_only() -> None:
    tb = TB()
    calc = tb.as_user(CALCULATOR)
    hidden_other = tb.post("/project", {"name": "Geheim 9", "companyGroupId": "9"}).json()["id"]
    hidden_mine = tb.post("/project", {"name": "Geheim 5", "companyGroupId": "5"}).json()["id"]
    assert {"Geheim 9", "Geheim 5"} <= set(_names(tb))  # a group manager sees every project
    assert "Geheim 9" not in _names(calc) and "Geheim 5" in _names(calc)
    error_of(calc.get(f"/project/{hidden_other}"), 404, "NotFound")
    assert calc.get(f"/project/{hidden_mine}").status_code == 200


def test_addProject_phase_sets_the_current_phase() -> None:
    tb = TB()
    pid = tb.post("/project", {"name": "Inkoopfase", "phase": "Inkoop"}).json()["id"]
    item = next(p for p in tb.get("/project/list").json() if p["id"] == str(pid))
    assert (item["phaseName"], item["phaseId"], item["type"], item["active"]) == ("Inkoop", 123457, "default", True)
    assert tb.get(f"/project/{pid}").json()["phaseId"] == "123457"


def test_addProject_phaseId_wins_over_phase() -> None:
    tb = TB()
    pid = tb.post("/project", {"name": "P", "phase": "Inkoop", "phaseId": "123458"}).json()["id"]
    assert tb.get(f"/project/{pid}").json()["phaseId"] == "123458"


def test_addProject_unknown_phaseId_is_400() -> None:
    r = TB().post("/project", {"name": "P", "phaseId": "42"})
    assert error_of(r, 400, "InvalidParameter", "phaseId")["message"] == "Unknown phaseId 42 for this project"


def test_addProject_unicode_name_and_country() -> None:
    tb = TB()
    name = "Renovatie K\u00f6ln \u2013 fase 2 (A+B)"  # \p{L}, \p{Pd}, \p{Sm}
    pid = tb.post("/project", {"name": name, "countryCode": "be"}).json()["id"]
    body = tb.get(f"/project/{pid}").json()
    assert (body["name"], body["countryCode"], body["country"]) == (name, "be", "Belgi\u00eb")


def test_addProject_building_sectors_enumeration() -> None:
    tb = TB()
    assert tb.post("/project", {"name": "P", "buildingSectors": "Bouw,Offshore Maritiem"}).status_code == 200
    r = tb.post("/project", {"name": "P", "buildingSectors": "Bouw,Ruimtevaart"})
    error_of(r, 400, "InvalidParameter", "buildingSectors")
    r = tb.post("/project", {"name": "P", "buildingFunctions": "Woon,Steiger, damwand en oevervoorzieningen"})
    assert r.status_code == 200


def test_addProject_timestamp_params_need_ten_digits() -> None:
    tb = TB()
    assert tb.post("/project", {"name": "P", "deadlineDate": "1700000000"}).status_code == 200
    error_of(tb.post("/project", {"name": "P", "deadlineDate": "2024-01-01"}), 400, "InvalidParameter", "deadlineDate")


def test_listProjects_paginates() -> None:
    tb = TB()
    for n in range(3):
        tb.post("/project", {"name": f"P{n}"})
    all_ids = [p["id"] for p in tb.get("/project/list").json()]
    assert len(all_ids) == 4
    assert [p["id"] for p in tb.get("/project/list", {"pageSize": "2", "page": "2"}).json()] == all_ids[2:4]
    assert [p["id"] for p in tb.get("/project/list", {"pageSize": "3"}).json()] == all_ids[:3]
    assert tb.get("/project/list", {"pageSize": "2", "page": "3"}).json() == []


def test_listProjects_page_must_be_positive() -> None:
    r = TB().get("/project/list", {"pageSize": "2", "page": "0"})
    assert error_of(r, 400, "InvalidParameter", "page")["message"] == "Parameter 'page' must be a positive integer"


def test_listProjects_active_filter_follows_close_and_open() -> None:
    tb = TB()
    tb.post("/project/1234567/close")
    assert _names(tb, active="1") == []
    assert _names(tb, active="0") == ["projectname"]
    tb.post("/project/1234567/projectphase/open", {"phaseId": "123457"})
    assert _names(tb, active="1") == ["projectname"]


def test_listProjectsByType_template_and_all() -> None:
    tb = TB()
    assert [p["id"] for p in tb.get("/project/list/template").json()] == ["123"]
    assert [p["id"] for p in tb.get("/project/list/all").json()] == ["123", "1234567"]


def test_updateProject_changes_phase_and_fields() -> None:
    tb = TB()
    tb.put("/project/1234567", {"phase": "Uitvoering", "city": "Enschede", "calcNumber": "C-9"})
    item = tb.get("/project/list").json()[0]
    assert (item["phaseName"], item["phaseId"], item["city"], item["calcNumber"]) == (
        "Uitvoering",
        123458,
        "Enschede",
        "C-9",
    )


def test_updateProject_status_enumeration() -> None:
    r = TB().put("/project/1234567", {"status": "won"})
    assert error_of(r, 400, "InvalidParameter", "status")["message"] == (
        "Parameter 'status' does not match pattern ^(unknown|scored|not_scored)$"
    )


def test_closeProjectPhase_by_phaseIds() -> None:
    r = TB().post("/project/1234567/projectphase/close", {"phaseId": "123456,123457"})
    assert r.json() == [{"id": 1234567, "name": "projectname", "closedPhases": ["Calculatie", "Inkoop"]}]


def test_closeProjectPhase_needs_phase_or_phaseId() -> None:
    r = TB().post("/project/1234567/projectphase/close")
    assert error_of(r, 400, "InvalidParameter", "phase")["message"] == "Parameter 'phase' or 'phaseId' is required"


def test_closeProjectPhase_unknown_phaseId_is_400() -> None:
    r = TB().post("/project/1234567/projectphase/close", {"phaseId": "123466"})
    error_of(r, 400, "InvalidParameter", "phaseId")


def test_openProjectPhase_all_reopens_everything() -> None:
    tb = TB()
    tb.post("/project/1234567/close")
    body = tb.post("/project/1234567/projectphase/open", {"phase": "All"}).json()
    assert body[0]["openPhases"] == ["Calculatie", "Inkoop", "Uitvoering"]


def test_getProject_non_numeric_id_is_404() -> None:
    error_of(TB().get("/project/abc"), 404, "NotFound")
