"""The error-hygiene checker: Python internals are found, the request's own text echoed back is not."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from emulators.core.http import Headers

from .tokens import python_tokens, request_texts


def _call(
    query: dict[str, list[str]] | None = None, headers: list[tuple[str, str]] | None = None, body: object = None
) -> SimpleNamespace:
    raw = json.dumps(body).encode() if body is not None else b""
    return SimpleNamespace(
        path="/api/v1/Projects",
        path_params={},
        query_multi=query or {},
        headers=Headers(headers or []),
        raw_body=raw,
        body=body,
        form={},
    )


@pytest.mark.parametrize(
    ("body", "call"),
    [
        (
            json.dumps({"Description": "Invalid filter 'b': expected 'field eq value'"}),
            _call(query={"filter": ["b"]}),
        ),
        (
            json.dumps({"ModelStateErr": ["The value '{'': 'null'}' is not valid for PageNumber."]}),
            _call(query={"PageNumber": ["{'': 'null'}"]}),
        ),
        (
            json.dumps({"ErrorMessage": "The value '0:b'' is not valid for If-Unmodified-Since."}),
            _call(headers=[("if-unmodified-since", "0:b'")]),
        ),
        (json.dumps({"Message": "Unknown field 'x\"{'a': 1}'"}), _call(body={"field": "x\"{'a': 1}"})),
        ("<Error>Bad value '[{'a'&amp;'</Error>", _call(body={"v": "[{'a'&'"})),
    ],
)
def test_python_tokens_request_text_echoed_is_not_a_leak(body: str, call: SimpleNamespace) -> None:
    assert python_tokens(body)  # the bare scan flags it
    assert python_tokens(body, sent=request_texts(call)) == []


@pytest.mark.parametrize(
    ("body", "call", "found"),
    [
        # the emulator's own repr around an echoed value
        ("Invalid filter b'abc'", _call(query={"filter": ["abc"]}), ["b'x'"]),
        ("bad {'filter': 'abc'}", _call(query={"filter": ["abc"]}), ["{'x': "]),
        # a sent value explains a whole word only, not the start of a longer one
        ("TypeError: bad", _call(query={"q": ["Type"]}), ["TypeError"]),
        ("TypeError: 'NoneType' object is not subscriptable", _call(query={"q": ["None"]}), ["TypeError", "NoneType"]),
        ("KeyError: 'b'", _call(query={"q": ["b"]}), ["KeyError"]),
        ("Traceback (most recent call last)", _call(), ["Traceback (most recent call last)"]),
        ("Invalid filter b'abc'", None, ["b'abc'"]),
    ],
)
def test_python_tokens_real_leak_still_found(body: str, call: SimpleNamespace | None, found: list[str]) -> None:
    assert python_tokens(body, sent=request_texts(call)) == found
