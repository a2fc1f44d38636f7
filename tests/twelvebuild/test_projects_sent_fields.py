"""updateProject applies exactly the fields a request carries, wherever it carries them (query or form body),
and bracket names still fold before validation (issue 11: only sent names are looked up)."""

from __future__ import annotations

from tests.twelvebuild.helpers import TB, error_of


def _stored(tb: TB) -> dict[str, object]:
    record: dict[str, object] = tb.client.get("/__emulator/state").json()["tenants"]["1234567"]["projects"]["1234567"]
    return record


def test_updateProject_form_body_fields_apply() -> None:
    tb = TB()
    r = tb.put("/project/1234567", data={"city": "Delft", "buildingSectors": "Bouw,Infra", "countryCode": "BE"})
    assert r.status_code == 200, r.text
    assert r.json() == [{"id": 1234567, "name": "projectname", "status": "unknown"}]
    rec = _stored(tb)
    assert (rec["city"], rec["buildingSectors"], rec["countryCode"], rec["country"]) == (
        "Delft",
        ["Bouw", "Infra"],
        "be",
        "België",
    )


def test_updateProject_unsent_fields_stay_and_empty_text_clears() -> None:
    tb = TB()
    before = _stored(tb)
    r = tb.put("/project/1234567", {"address_2": "", "externalUrl": "https://example.com/p"})
    assert r.status_code == 200, r.text
    after = _stored(tb)
    assert after["address_2"] == "" and after["externalUrl"] == "https://example.com/p"
    assert {k: v for k, v in after.items() if k not in ("address_2", "externalUrl")} == {
        k: v for k, v in before.items() if k != "address_2"
    }
    assert list(after)[: len(before)] == list(before)  # new fields come after the stored ones


def test_updateProject_bracket_names_fold_before_validation() -> None:
    r = TB().put("/project/1234567", {"buildingSectors[]": ["Bouw", "Infra"]})
    assert error_of(r, 400, "InvalidParameter", "buildingSectors")["message"].startswith(
        "Parameter 'buildingSectors' does not match pattern"
    )
