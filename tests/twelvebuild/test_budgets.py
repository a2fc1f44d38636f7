"""Budgets and budget rows: property rendering, totalPrice, links to work categories, PHP bracket params."""

from __future__ import annotations

import json

from .helpers import TB, error_of


def _rows(tb: TB, budget: str = "1", **params: str) -> dict[int, dict]:
    return {r["budgetRowId"]: r for r in tb.get(f"/budgetrow/{budget}", params).json()["data"]}


def test_addBudgetRow_php_brackets_and_total_price() -> None:
    tb = TB()
    r = tb.post(
        "/budgetrow?budgetId=1&properties[name]=Stelpost&properties[numberOfUnits]=4"
        "&properties[pricePerUnit]=12.5&properties[unit]=m2"
    )
    assert r.json() == {
        "budgetId": 1,
        "rowNumber": 4,
        "properties": {"name": "Stelpost", "numberOfUnits": "4", "pricePerUnit": "12.5", "unit": "m2"},
    }
    row = next(x for x in _rows(tb).values() if x["properties"]["name"]["value"] == "Stelpost")
    props = row["properties"]
    assert props["totalPrice"]["value"] == "50" and props["totalPrice"]["prefixedValue"] == "50"
    assert props["pricePerUnit"]["prefixedValue"] == "\u20ac 12.5"
    assert props["rowNumber"]["value"] == "4"
    assert props["measurement"] == {
        "id": props["measurement"]["id"],
        "budgetRowId": row["budgetRowId"],
        "value": "",
        "formattedValue": "",
        "prefixedValue": "",
    }
    assert row["originalBudgetRowId"] == row["budgetRowId"] and row["links"] == []


def test_addBudgetRow_in_form_body() -> None:
    tb = TB()
    r = tb.post("/budgetrow", data={"budgetId": "1", "properties[name]": "Uit formulier", "workCategoryId": "30"})
    assert r.status_code == 200, r.text
    linked = _rows(tb, workCategoryId="30")
    assert "Uit formulier" in [x["properties"]["name"]["value"] for x in linked.values()]


def test_addBudgetRow_price_alias_sets_pricePerUnit() -> None:
    tb = TB()
    tb.post(
        "/budgetrow", {"budgetId": "1", "properties": json.dumps({"name": "P", "price": "3", "numberOfUnits": "7"})}
    )
    row = next(x for x in _rows(tb).values() if x["properties"]["name"]["value"] == "P")
    assert row["properties"]["pricePerUnit"]["value"] == "3" and row["properties"]["totalPrice"]["value"] == "21"


def test_addBudgetRow_unknown_property_is_400() -> None:
    r = TB().post("/budgetrow", {"budgetId": "1", "properties": json.dumps({"colour": "red"})})
    assert error_of(r, 400, "InvalidParameter", "properties")["message"] == "Unknown budget row property 'colour'"


def test_addBudgetRow_properties_not_an_object_is_400() -> None:
    r = TB().post("/budgetrow", {"budgetId": "1", "properties": "name=x"})
    error_of(r, 400, "InvalidParameter", "properties")


def test_addBudgetRow_foreign_work_category_is_404() -> None:
    r = TB().post("/budgetrow", {"budgetId": "1", "properties": "{}", "messageGroupId": "1234567"})
    error_of(r, 404, "NotFound")


def test_addBudgetRows_numbers_rows_after_the_last() -> None:
    tb = TB()
    rows = [{"properties": {"name": "A"}}, {"rowNumber": 9, "properties": {"name": "B"}}]
    body = tb.post("/budgetrows", {"budgetId": "1", "budgetRows": json.dumps(rows)}).json()
    assert [(r["rowNumber"], r["properties"]["name"]) for r in body["budgetRows"]] == [(4, "A"), (9, "B")]
    assert len(_rows(tb)) == 5


def test_addBudgetRows_rows_without_properties_is_400() -> None:
    r = TB().post("/budgetrows", {"budgetId": "1", "budgetRows": json.dumps([{"rowNumber": 2}])})
    error_of(r, 400, "InvalidParameter", "budgetRows")


def test_updateBudgetRow_recomputes_total_price() -> None:
    tb = TB()
    tb.put("/budgetrow", {"budgetRowId": "16", "properties": json.dumps({"numberOfUnits": "12"})})
    props = _rows(tb)[16]["properties"]
    assert (props["numberOfUnits"]["value"], props["totalPrice"]["value"]) == ("12", "180")
    inv_rows = tb.get("/invitation/5/budgetRows").json()["data"][0]["rows"]
    assert inv_rows[0]["totalPrice"]["value"] == "180"


def test_updateBudgetRows_unknown_row_is_404() -> None:
    r = TB().put("/budgetrows", {"budgetRows": json.dumps([{"id": 999999, "properties": {"name": "x"}}])})
    error_of(r, 404, "NotFound")


def test_deleteBudgetRows_is_all_or_nothing() -> None:
    tb = TB()
    error_of(tb.delete("/budgetrows", {"budgetRowIds": "16,999999"}), 404, "NotFound")
    assert 16 in _rows(tb)
    assert tb.delete("/budgetrows?budgetRowIds[]=16&budgetRowIds[]=17").json() == {"budgetRowIds": [16, 17]}
    assert list(_rows(tb)) == [18]


def test_deleteBudgetRows_rejects_non_ids() -> None:
    r = TB().delete("/budgetrows", {"budgetRowIds": "16,abc"})
    error_of(r, 400, "InvalidParameter", "budgetRowIds")


def test_deleteBudgetRow_then_list_without_it() -> None:
    tb = TB()
    tb.delete("/budgetrow/4")
    assert tb.get("/budgetrow/2").json() == {"data": []}


def test_linkBudgetRow_and_filter_by_work_category() -> None:
    tb = TB()
    tb.post("/budgetrow/link", {"budgetRowId": "17", "workCategoryId": "43"})
    assert list(_rows(tb, workCategoryId="43")) == [17]
    tb.post("/budgetrow/unlink", {"budgetRowId": "17", "workCategoryId": "43"})
    assert list(_rows(tb, workCategoryId="43")) == []


def test_linkBudgetRow_needs_a_work_category() -> None:
    r = TB().post("/budgetrow/link", {"budgetRowId": "17"})
    assert error_of(r, 400, "InvalidParameter", "workCategoryId")["message"] == (
        "Parameter 'workCategoryId' or 'messageGroupId' is required"
    )


def test_unlinkBudgetRow_not_linked_is_404() -> None:
    error_of(TB().post("/budgetrow/unlink", {"budgetRowId": "17", "workCategoryId": "43"}), 404, "NotFound")


def test_createBudget_is_idempotent_per_phase() -> None:
    tb = TB()
    first = tb.post("/budget", {"projectId": "1234567"}).json()
    assert (first["projectId"], first["phaseId"]) == (1234567, 123456)
    assert tb.post("/budget", {"projectId": "1234567", "phaseId": "123456"}).json() == first
    assert tb.get("/budget", {"projectId": "1234567", "phaseId": "123456"}).json() == first
    assert tb.get(f"/budgetrow/{first['budgetId']}").json() == {"data": []}


def test_createBudget_foreign_phase_is_400() -> None:
    r = TB().post("/budget", {"projectId": "1234567", "phaseId": "3"})
    error_of(r, 400, "InvalidParameter", "phaseId")


def test_getBudget_without_budget_is_404() -> None:
    error_of(TB().get("/budget", {"projectId": "1234567", "phaseId": "123458"}), 404, "NotFound")


def test_getBudgetRowsForInvitation_without_budget_is_empty() -> None:
    assert TB().get("/invitation/1/budgetRows").json() == {"data": []}


def test_createBudget_phaseId_not_a_number_is_400() -> None:
    body = error_of(TB().post("/budget", {"projectId": "1234567", "phaseId": "x1"}), 400, "InvalidParameter", "phaseId")
    assert body["message"] == "Parameter 'phaseId' must be a number"


def test_addBudgetRow_rowNumber_not_a_number_is_400() -> None:
    r = TB().post("/budgetrow", {"budgetId": "1", "rowNumber": "1.5", "properties[name]": "a"})
    assert error_of(r, 400, "InvalidParameter", "rowNumber")["message"] == "Parameter 'rowNumber' must be a number"


def test_getBudget_phaseId_not_an_id_is_404() -> None:
    error_of(TB().get("/budget", {"projectId": "1234567", "phaseId": "x1"}), 404, "NotFound")
