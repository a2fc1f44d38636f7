"""Digits that `str.isdigit()` accepts and `int()` refuses ('²', U+00B2): each once reached `int()` inside a
handler and gave a 500. They must get the vendor's own "not a number" answer (or be ignored where the vendor
ignores non-digits), and ASCII digits must keep working."""

from __future__ import annotations

import pytest

from emulators import build_app
from emulators.core.intparse import is_digits, parse_digits
from emulators.testing.transport import client_for
from tests.twelvebuild.helpers import TB

from .conftest import assert_healthy

BASIC = {"Authorization": "Basic dGplMDpUamUw"}  # tests/properties/recipes.py: the SuperOffice fixture user


@pytest.mark.parametrize("text", ["²", "1²", "\u0661", "", " 1", "+1", "-1", "9" * 4301])
def test_parse_digits_non_ascii_or_signed_is_none(text: str) -> None:
    assert parse_digits(text) is None
    assert not is_digits(text) or len(text) > 4300


def test_parse_digits_ascii_digits_read() -> None:
    assert parse_digits("0042") == 42
    assert is_digits("0042")


@pytest.mark.parametrize("status", ["²", "1²"])
def test_getAllWebhooks_superscript_status_filter_400_superoffice(status: str) -> None:
    with client_for(build_app("superoffice")) as client:
        r = client.get("/api/v1/Webhook", params={"statusFilter": status}, headers=BASIC)
        assert r.status_code == 400, r.text
        assert r.json() == {
            "Error": True,
            "ErrorType": "JsonSerializationException",
            "ErrorMessage": f"Error converting value \"{status}\" to type 'SuperOffice.CRM.Services.WebhookState'. "
            "Path 'State'.",
            "ErrorSource": "SuperOffice.WebApi",
        }
        assert client.get("/api/v1/Webhook", params={"statusFilter": "1"}, headers=BASIC).status_code == 200
        assert_healthy(client)


@pytest.mark.parametrize("value", ["²", "--5"])
def test_saveUdefLayout_non_integer_int_field_400_superoffice(value: str) -> None:
    with client_for(build_app("superoffice")) as client:
        r = client.put("/api/v1/Project/UdefLayout", json=[{"UDefFieldId": value}], headers=BASIC)
        assert r.status_code == 400, r.text
        body = r.json()
        assert body["ErrorType"] == "JsonSerializationException"
        assert body["ErrorMessage"] == f"Error converting value \"{value}\" to type 'System.Int32'. Path 'UDefFieldId'."
        assert_healthy(client)


def test_patchProjectEntity_superscript_array_index_400_superoffice() -> None:
    with client_for(build_app("superoffice")) as client:
        ops = [{"op": "replace", "path": "/ProjectMembers/²", "value": 1}]
        r = client.patch("/api/v1/Project/414", json=ops, headers=BASIC)
        assert r.status_code == 400, r.text
        body = r.json()
        assert body["ErrorType"] == "JsonPatchException"
        assert body["ErrorMessage"] == "The target location specified by path segment '²' was not found."
        assert_healthy(client)


def test_addProject_superscript_company_group_ignored_twelvebuild() -> None:
    tb = TB()
    r = tb.post("/project", {"name": "Superscript", "companyGroupId": "5²"})
    assert r.status_code == 200, r.text
    assert_healthy(tb.client)
