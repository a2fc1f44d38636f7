"""The `columns` mini-language: parser unit tests and hypothesis tests generated from the field table.

Valid columns -> 200 and the stored record reflects them; one broken rule -> 400 and nothing stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulators import build_app
from emulators.bouwsoft import columns as cols
from emulators.bouwsoft.fields import LONG_MAX, LONG_MIN, PROJECT_FIELDS, Field
from emulators.testing.transport import client_for

from .conftest import AUTH, error_of

WRITEABLE = [f for f in PROJECT_FIELDS if f.writeable]
READONLY = [f for f in PROJECT_FIELDS if not f.writeable]
LINK_IDS = {"client_addressid": [3759, 3760], "company_id": [1, 2]}
# no control characters (refused in any query value), no surrogates, and no typographic quotes ‘ ’ (the
# parser reads them as quote characters too, and `quote` only doubles the ASCII one)
TEXT = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2018\u2019")


# parser ------------------------------------------------------------------------------------------
def test_parse_quotes_commas_and_blanks() -> None:
    got = cols.parse(" name = 'a, b=c' , unr=-5,distance=1.25 , completed=False,x=''''")
    assert [(a.name, a.value, a.quoted) for a in got] == [
        ("name", "a, b=c", True),
        ("unr", -5, False),
        ("distance", 1.25, False),
        ("completed", False, False),
        ("x", "'", True),
    ]


def test_parse_empty_string_value() -> None:
    assert cols.parse("name=''")[0].value == ""


@pytest.mark.parametrize("text", ["", "=1", "a=1,,b=2", "a='x'y", "a=1e5", "a=+1", "a=.5", "a=1.", "a='x"])
def test_parse_malformed_raises(text: str) -> None:
    with pytest.raises(cols.ColumnsSyntaxError):
        cols.parse(text)


def test_check_currency_decimals() -> None:
    field = Field("amount", "tpCurrency", 0, False, True, False, "")
    assert cols.type_problem(field, cols.parse("a=1.2345")[0]) is None
    assert cols.type_problem(field, cols.parse("a=1.23456")[0]) is not None


def test_check_dates() -> None:
    date = Field("d", "tpDate", 0, False, True, False, "")
    nullable = Field("d", "tpDateNullString", 0, False, True, False, "")
    assert cols.type_problem(date, cols.parse("d='2026-05-07'")[0]) is None
    assert cols.type_problem(date, cols.parse("d='2026-05-07 09:18:39'")[0]) is None
    assert cols.type_problem(date, cols.parse("d=''")[0]) is not None
    assert cols.type_problem(nullable, cols.parse("d=''")[0]) is None
    assert cols.type_problem(nullable, cols.parse("d='2026-13-01'")[0]) is not None


# generated from the field table ------------------------------------------------------------------
def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def bool_word(value: bool) -> st.SearchStrategy[str]:
    return st.sampled_from(["True", "true"] if value else ["False", "false"])


@st.composite
def valid_value(draw: st.DrawFn, field: Field) -> tuple[str, Any]:
    """(text as written, value expected in the store)."""
    t = field.type_name
    if field.name in LINK_IDS:
        v = draw(st.sampled_from(LINK_IDS[field.name]))
        return str(v), v
    if t == "tpLong":
        v = draw(st.integers(LONG_MIN, LONG_MAX))
        return str(v), v
    if t == "tpDouble":
        whole = draw(st.integers(-(10**6), 10**6))
        frac = draw(st.one_of(st.just(""), st.text("0123456789", min_size=1, max_size=3)))
        text = f"{whole}.{frac}" if frac else str(whole)
        if frac and whole == 0 and draw(st.booleans()):
            text = "-" + text
        return text, float(text) if frac else whole
    if t == "tpBool":
        v = draw(st.booleans())
        return draw(bool_word(v)), v
    s = draw(st.text(TEXT, max_size=field.length))
    return quote(s), s


@st.composite
def valid_columns(draw: st.DrawFn, exclude: frozenset[str] = frozenset()) -> tuple[str, dict[str, Any]]:
    pool = [f for f in WRITEABLE if f.name not in exclude]
    fields = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=8, unique_by=lambda f: f.name))
    parts, expected = [], {}
    for f in fields:
        text, value = draw(valid_value(f))
        parts.append(f"{f.name}={text}")
        expected[f.name] = value
    sep = draw(st.sampled_from([",", ", ", " , "]))
    return sep.join(parts), expected


WRONG_TYPE = {
    "tpLong": ["'1'", "1.5", "true"],
    "tpDouble": ["'1'", "false"],
    "tpBool": ["1", "'true'"],
    "tpString": ["1", "true"],
}


@st.composite
def broken_item(draw: st.DrawFn) -> tuple[str, str, str]:
    """(field name or "", the broken `field=value`, the start of the expected message)."""
    rule = draw(st.sampled_from(["unknown", "readonly", "type", "length", "link", "syntax", "duplicate"]))
    if rule == "unknown":
        name = "zz" + draw(st.sampled_from(PROJECT_FIELDS)).name
        return "", f"{name}=1", f"Unknown field {name}"
    if rule == "readonly":
        f = draw(st.sampled_from(READONLY))
        if f.type_name in ("tpDate", "tpDateNullString"):
            value = quote("2026-01-01")
        elif f.type_name == "tpCurrency":
            value = "10.5"
        else:
            value = draw(valid_value(f))[0]
        return f.name, f"{f.name}={value}", f"Field {f.name} is not writeable"
    if rule == "type":
        f = draw(st.sampled_from(WRITEABLE))
        return f.name, f"{f.name}={draw(st.sampled_from(WRONG_TYPE[f.type_name]))}", f"Invalid value for field {f.name}"
    if rule == "length":
        f = draw(st.sampled_from([f for f in WRITEABLE if f.type_name == "tpString"]))
        value = draw(st.text(TEXT, min_size=f.length + 1, max_size=f.length + 5))
        return f.name, f"{f.name}={quote(value)}", f"Value for field {f.name} is too long"
    if rule == "link":
        name = draw(st.sampled_from(["client_addressid", "company_id"]))
        return name, f"{name}={draw(st.integers(10_000, LONG_MAX))}", f"Field {name}: no record"
    if rule == "syntax":
        return "", draw(st.sampled_from(["name='open", "name", "name=word", "=1"])), "Invalid columns parameter"
    f = draw(st.sampled_from(WRITEABLE))
    first, second = draw(valid_value(f))[0], draw(valid_value(f))[0]
    return f.name, f"{f.name}={first},{f.name}={second}", f"Field {f.name} is given more than once"


@st.composite
def broken_columns(draw: st.DrawFn) -> tuple[str, str]:
    """A valid columns string plus exactly one broken rule, and the start of the expected message."""
    name, bad, message = draw(broken_item())
    text, _ = draw(valid_columns(frozenset({name, "name"} if name == "" else {name})))
    if bad.startswith("name='open"):
        return f"{text},{bad}", message  # an open quote swallows the rest: keep it last
    return draw(st.sampled_from([f"{bad},{text}", f"{text},{bad}"])), message


@pytest.fixture(scope="module")
def shared_client() -> Iterator[httpx.Client]:
    with client_for(build_app("bouwsoft", strict=True)) as c:
        yield c


def stored(client: httpx.Client) -> dict[str, Any]:
    r = client.get("/api/v1/Projects/3320", headers=AUTH)
    assert r.status_code == 200
    rec: dict[str, Any] = r.json()["Records"][0]
    return rec


@pytest.mark.deep
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=valid_columns())
def test_updateProject_generated_valid_columns_stored(
    shared_client: httpx.Client, case: tuple[str, dict[str, Any]]
) -> None:
    text, expected = case
    shared_client.post("/__emulator/reset", headers={"Content-Type": "application/json"})
    r = shared_client.put("/api/v1/Projects/3320", params={"columns": text}, headers=AUTH)
    assert r.status_code == 200, (text, r.text)
    rec = stored(shared_client)
    derived = {"state"} if ({"zipcode", "countrycode"} & set(expected)) and "state" not in expected else set()
    for name, value in expected.items():
        if name not in derived:
            assert rec[name] == value and isinstance(rec[name], bool) == isinstance(value, bool), name
    change = r.json()["RecordChanges"][0]
    assert all(rec[k] == v for k, v in change.items() if k != "id")


@pytest.mark.deep
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=broken_columns())
def test_updateProject_generated_broken_columns_400(shared_client: httpx.Client, case: tuple[str, str]) -> None:
    text, message = case
    shared_client.post("/__emulator/reset", headers={"Content-Type": "application/json"})
    before = stored(shared_client)
    r = shared_client.put("/api/v1/Projects/3320", params={"columns": text}, headers=AUTH)
    assert r.status_code == 400, (text, r.text)
    assert error_of(r).startswith(message), (text, r.json())
    assert stored(shared_client) == before
