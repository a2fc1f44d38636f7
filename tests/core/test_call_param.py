"""`Call.param` / `Call.param_int`: the one parameter accessor handlers use."""

from __future__ import annotations

from typing import Any, cast

import pytest

from emulators.core.call import Call, Headers
from emulators.core.errors import ValidationFailed


def _call(
    path: dict[str, Any] | None = None,
    query: dict[str, Any] | None = None,
    form: dict[str, Any] | None = None,
    headers: list[tuple[str, str]] | None = None,
    header_params: dict[str, Any] | None = None,
) -> Call:
    call = Call(
        operation=cast(Any, None),
        method="GET",
        path="/",
        path_params=path or {},
        query=query or {},
        query_multi={},
        headers=Headers(headers or []),
        body=None,
        raw_body=b"",
        media_type=None,
        form=form or {},
        files={},
        world=cast(Any, None),
        base_url="http://x",
        client_ip="127.0.0.1",
        response_media_type="application/json",
    )
    if header_params is not None:
        call.header_params = header_params
    return call


def test_param_order_is_path_query_form_header() -> None:
    full = _call(path={"id": 1}, query={"id": 2}, form={"id": "3"}, header_params={"id": "4"})
    assert full.param("id") == 1
    assert _call(query={"id": 2}, form={"id": "3"}, header_params={"id": "4"}).param("id") == 2
    assert _call(form={"id": "3"}, header_params={"id": "4"}).param("id") == "3"
    assert _call(header_params={"id": "4"}).param("id") == "4"


def test_param_repeated_form_field_gives_its_first_value() -> None:
    assert _call(form={"tag": ["a", "b"]}).param("tag") == "a"
    assert _call(form={"tag": []}).param("tag") == []


def test_param_absent_gives_the_default_and_undeclared_headers_are_no_parameters() -> None:
    call = _call(headers=[("name", "from-a-header")], header_params={})
    assert call.param("name") is None
    assert call.param("name", "fallback") == "fallback"
    assert call.param("", 0) == 0


def test_param_empty_string_is_a_value_not_absence() -> None:
    assert _call(query={"q": ""}).param("q", "default") == ""


@pytest.mark.parametrize(("raw", "expected"), [("12", 12), (" 7 ", 7), (0, 0), (4000001, 4000001), ("007", 7)])
def test_param_int_reads_ascii_digits(raw: Any, expected: int) -> None:
    assert _call(query={"n": raw}).param_int("n") == expected


@pytest.mark.parametrize("raw", [None, ""])
def test_param_int_absent_or_empty_is_none(raw: Any) -> None:
    call = _call(query={"n": raw}) if raw is not None else _call()
    assert call.param_int("n") is None


@pytest.mark.parametrize(
    ("where", "raw"),
    [
        ("query", "-1"),
        ("query", "1.5"),
        ("query", "x1"),
        ("query", "١٢"),
        ("query", True),
        ("path", "12a"),
        ("form", ["abc"]),
    ],
)
def test_param_int_not_a_whole_number_is_a_validation_issue(where: str, raw: Any) -> None:
    values = {"n": raw}
    call = _call(path=values) if where == "path" else _call(form=values) if where == "form" else _call(query=values)
    with pytest.raises(ValidationFailed) as info:
        call.param_int("n")
    issue = info.value.issues[0]
    assert (issue.location, issue.name, issue.keyword) == ("path" if where == "path" else "query", "n", "integer")
    assert issue.message == "Parameter 'n' must be a number"
