"""Journal verification (WireMock-style): count and find journaled requests.

`GET /__emulator/requests/count?operation=&method=&status=&path=` -> {"count": N};
`POST /__emulator/requests/find` with {operation?, method?, status?, path? (glob), body?, response_body?,
limit?} -> {"count": N, "requests": [...]}. `body` / `response_body` are JSONPath expressions evaluated
with jsonpath-ng on the (redacted) JSON body: `$.Name` (present), `$.Name == "x"`, `$.Qty >= 2`,
`$.Name =~ "^ba"`, or a filter such as `$[?(@.Name == "x")]`; an entry matches when any value the path
selects satisfies the comparison.
"""

from __future__ import annotations

import fnmatch
import functools
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from .errors import BadRequest
from .journal import Entry, Redaction, _full_type, body_view

OPERATORS = ("==", "!=", "<=", ">=", "=~", "<", ">")


def _split(expr: str) -> tuple[str, str | None, str | None]:
    """(path, operator, literal) with the operator found outside brackets and quotes."""
    depth, quote, i = 0, "", 0
    while i < len(expr):
        ch = expr[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        elif depth == 0:
            for op in OPERATORS:
                if expr.startswith(op, i):
                    return expr[:i].strip(), op, expr[i + len(op) :].strip()
        i += 1
    return expr.strip(), None, None


def _literal(text: str) -> Any:
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1]
    try:
        return json.loads(text)
    except ValueError as exc:
        raise BadRequest(f'not a JSON literal: {text} (quote strings: "x")') from exc


@functools.lru_cache(maxsize=256)
def compile_matcher(expr: str) -> Callable[[Any], bool]:
    """A predicate over a JSON document; BadRequest for an expression that does not parse."""
    from jsonpath_ng.exceptions import JsonPathLexerError, JsonPathParserError
    from jsonpath_ng.ext import parse

    path, op, lit = _split(expr.strip())
    if not path.startswith("$"):
        raise BadRequest(f"a JSONPath starts with $: {expr}")
    try:
        compiled = parse(path)
    except (JsonPathLexerError, JsonPathParserError, Exception) as exc:  # the parser raises plain Exceptions too
        raise BadRequest(f"not a JSONPath: {path} ({str(exc).splitlines()[0][:120]})") from exc
    value = _literal(lit) if op is not None and lit is not None else None
    filters = "[?" in path
    if op == "=~":
        try:
            pattern = re.compile(str(value))
        except re.error as exc:
            raise BadRequest(f"not a regular expression: {value}") from exc

    def test(found: Any) -> bool:
        if op is None:
            return True
        if op == "=~":
            return isinstance(found, str | int | float) and pattern.search(str(found)) is not None
        if op in ("==", "!="):
            same = found == value and isinstance(found, bool) == isinstance(value, bool)
            return same if op == "==" else not same
        if isinstance(found, bool) or isinstance(value, bool):
            return False
        both_numbers = isinstance(found, int | float) and isinstance(value, int | float)
        both_strings = isinstance(found, str) and isinstance(value, str)
        if not (both_numbers or both_strings):
            return False
        return {"<": found < value, "<=": found <= value, ">": found > value, ">=": found >= value}[op]

    def matches(doc: Any) -> bool:
        if doc is None:
            return False
        try:
            if any(test(m.value) for m in compiled.find(doc)):
                return True
            # a filter on a root object (`$[?(@.qty == 7)]`) tests that object, as Jayway JsonPath does
            return filters and isinstance(doc, dict) and any(test(m.value) for m in compiled.find([doc]))
        except (TypeError, KeyError, AttributeError, ValueError):
            return False

    return matches


def filter_entries(
    entries: Iterable[Entry],
    red: Redaction,
    *,
    path: str | None = None,
    body: str | None = None,
    response_body: str | None = None,
) -> list[Entry]:
    out = list(entries)
    if path:
        out = [e for e in out if fnmatch.fnmatchcase(e.path, path)]
    for expr, side in ((body, "req"), (response_body, "resp")):
        if expr:
            pred = compile_matcher(expr)
            out = [e for e in out if pred(_json_body(e, side, red))]
    return out


def _json_body(e: Entry, side: str, red: Redaction) -> Any:
    if side == "req":
        view = body_view(e.req_body, _full_type(e.req_headers), red)
    else:
        view = body_view(e.resp_body, _full_type(e.resp_headers), red)
    if isinstance(view, str):
        try:
            return json.loads(view)
        except ValueError:
            return None
    return view
