"""The `columns` mini-language of PUT/POST (and the field list of GET).

Grammar (seed 000 examples; vendor-facts A3):

    columns    := assignment ("," assignment)*
    assignment := ws name ws "=" ws value ws
    value      := "'" ( any char except "'" | "''" )* "'"      -- a string; '' is one quote
                | "-"? digit+ ("." digit+)?                     -- a number
                | "true" | "false"  (any letter case)           -- a boolean

Commas and "=" inside quotes belong to the value. Percent-decoding happened before (query
string). Assumptions: `''` escapes a quote (Pascal/SQL style; the vendor documents no escape),
names match case-insensitively, a field may appear only once, surrounding blanks are ignored.
The typographic quotes ‘ ’ that the vendor's own examples print are accepted as quote characters
(in any pairing), so the documented examples replay verbatim; clients normally send ASCII `'`.

`parse()` only reads the syntax; `check()` applies the field table per type (Required,
Writeable, Length, Link). Both report `Problem`s; the handler turns them into one 400.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .fields import (
    LINK_TABLES,
    LONG_MAX,
    LONG_MIN,
    REQUIRED_FIELDS,
    TP_BOOL,
    TP_CURRENCY,
    TP_DATE,
    TP_DATE_NULL_STRING,
    TP_DOUBLE,
    TP_LONG,
    TP_STRING,
    Field,
    lookup,
)

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")

Value = str | int | float | bool


@dataclass(frozen=True)
class Assignment:
    name: str  # as written
    value: Value
    quoted: bool
    raw: str = ""  # the value as written (unquoted numbers: their digits)


@dataclass(frozen=True)
class Problem:
    """One broken rule: `rule` is syntax|unknown|duplicate|readonly|type|length|link|required."""

    rule: str
    field: str
    message: str


class ColumnsSyntaxError(ValueError):
    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"Invalid columns parameter: {message} at position {position}")
        self.position = position


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


QUOTES = "'\u2018\u2019"  # ASCII ' and the typographic ‘ ’ the vendor's own examples print


def _next_quote(text: str, pos: int) -> int:
    hits = [i for i in (text.find(q, pos) for q in QUOTES) if i >= 0]
    return min(hits) if hits else -1


def _read_quoted(text: str, pos: int) -> tuple[str, int]:
    """`pos` is just after the opening quote; returns (value, position after the closing quote)."""
    out: list[str] = []
    while True:
        end = _next_quote(text, pos)
        if end < 0:
            raise ColumnsSyntaxError("unterminated string", pos)
        out.append(text[pos:end])
        if end + 1 < len(text) and text[end + 1] in QUOTES:  # a doubled quote is one quote in the value
            out.append("'")
            pos = end + 2
            continue
        return "".join(out), end + 1


def _bare(raw: str, pos: int) -> Value:
    word = raw.strip()
    if not word:
        raise ColumnsSyntaxError("missing value", pos)
    low = word.lower()
    if low in ("true", "false"):
        return low == "true"
    if _NUMBER.fullmatch(word):
        if len(word) > 1000:
            raise ColumnsSyntaxError("number too long", pos)
        return float(word) if "." in word else int(word)
    raise ColumnsSyntaxError(f"unquoted value {word!r} is neither a number nor a boolean", pos)


def parse(text: str) -> list[Assignment]:
    """`name='x',n=1,b=true` -> assignments; raises ColumnsSyntaxError."""
    out: list[Assignment] = []
    pos = 0
    while True:
        pos = _skip_ws(text, pos)
        m = _NAME.match(text, pos)
        if m is None:
            raise ColumnsSyntaxError("field name expected", pos)
        name = m.group(0)
        pos = _skip_ws(text, m.end())
        if pos >= len(text) or text[pos] != "=":
            raise ColumnsSyntaxError(f"'=' expected after {name}", pos)
        pos = _skip_ws(text, pos + 1)
        if pos < len(text) and text[pos] in QUOTES:
            value, pos = _read_quoted(text, pos + 1)
            out.append(Assignment(name, value, True, value))
            pos = _skip_ws(text, pos)
        else:
            end = text.find(",", pos)
            end = len(text) if end < 0 else end
            raw = text[pos:end].strip()
            out.append(Assignment(name, _bare(raw, pos), False, raw))
            pos = end
        if pos >= len(text):
            return out
        if text[pos] != ",":
            raise ColumnsSyntaxError("',' expected", pos)
        pos += 1


def parse_names(text: str) -> list[str]:
    """A GET `columns` list: `name,address` (blank -> every field)."""
    names = [n.strip() for n in text.split(",")]
    return [] if names == [""] else names


# per-type validation ---------------------------------------------------------------------
def _is_number(v: Value) -> bool:
    if not isinstance(v, int | float) or isinstance(v, bool):
        return False
    try:
        return math.isfinite(v) and abs(v) < 1e300
    except OverflowError:  # an integer too large for a double
        return False


def _is_date(v: Value, allow_empty: bool) -> bool:
    if not isinstance(v, str):
        return False
    if v == "":
        return allow_empty
    return _parses_as_date(v)


@functools.lru_cache(maxsize=4096)
def _parses_as_date(v: str) -> bool:
    """A pure check, memoised: clients send the same dates again and again."""
    for fmt in _DATE_FORMATS:
        try:
            datetime.strptime(v, fmt)
            return True
        except ValueError:
            continue
    return False


_EXPECTED = {
    TP_LONG: "a whole number",
    TP_DOUBLE: "a number",
    TP_CURRENCY: "a number",
    TP_BOOL: "True or False",
    TP_STRING: "a quoted string",
    TP_DATE: "a quoted date 'YYYY-MM-DD'",
    TP_DATE_NULL_STRING: "a quoted date 'YYYY-MM-DD' or ''",
}
# per type, the test of a value (only the field's own type is tested)
_TYPE_OK: dict[str, Callable[[Value, Assignment], bool]] = {
    TP_LONG: lambda v, a: isinstance(v, int) and not isinstance(v, bool),
    TP_DOUBLE: lambda v, a: _is_number(v),
    TP_CURRENCY: lambda v, a: _is_number(v) and len(a.raw.partition(".")[2]) <= 4,
    TP_BOOL: lambda v, a: isinstance(v, bool),
    TP_STRING: lambda v, a: a.quoted,
    TP_DATE: lambda v, a: a.quoted and _is_date(v, False),
    TP_DATE_NULL_STRING: lambda v, a: a.quoted and _is_date(v, True),
}


def type_problem(field: Field, a: Assignment) -> Problem | None:
    """Is `a.value` a value of `field`'s type (and within its Length / range)?"""
    v = a.value
    t = field.type_name
    expected = _EXPECTED[t]
    if not _TYPE_OK[t](v, a):
        return Problem("type", field.name, f"Invalid value for field {field.name} ({t}): {expected} expected")
    if t == TP_LONG and not LONG_MIN <= int(v) <= LONG_MAX:
        return Problem("type", field.name, f"Invalid value for field {field.name} ({t}): out of range")
    if t == TP_STRING and field.length and len(str(v)) > field.length:
        return Problem(
            "length", field.name, f"Value for field {field.name} is too long (maximum length is {field.length})"
        )
    return None


@dataclass(frozen=True)
class Step:
    """One assignment with what the text alone decides: its field (None: unknown) and, when the
    field refuses it whatever is stored (unknown, not writeable, wrong type or length), the problem."""

    assignment: Assignment
    field: Field | None
    problem: Problem | None
    link_table: str | None  # the store table a value must name a record of ("" / 0 allowed: see apply)


def steps(assignments: list[Assignment] | tuple[Assignment, ...]) -> tuple[Step, ...]:
    out: list[Step] = []
    for a in assignments:
        field = lookup(a.name)
        if field is None:
            out.append(Step(a, None, Problem("unknown", a.name, f"Unknown field {a.name}"), None))
        elif not field.writeable:
            out.append(Step(a, field, Problem("readonly", field.name, f"Field {field.name} is not writeable"), None))
        else:
            link = LINK_TABLES[field.link] if field.link else None
            out.append(Step(a, field, type_problem(field, a), link))
    return tuple(out)


_PLAN_TEXT_MAX = 2048  # a longer `columns` value is planned afresh each time (the memo stays small)


@functools.lru_cache(maxsize=512)
def _plan(text: str) -> tuple[Step, ...]:
    return steps(parse(text))


def plan(text: str) -> tuple[Step, ...]:
    """The steps of a `columns` value, memoised by its text (clients send the same columns again and
    again; parsing and the per-type checks depend on the text alone). Raises ColumnsSyntaxError."""
    return _plan(text) if len(text) <= _PLAN_TEXT_MAX else steps(parse(text))


def apply(planned: tuple[Step, ...], store: Any, *, creating: bool = False) -> tuple[dict[str, Value], list[Problem]]:
    """The rules that depend on the request and the store: a field given twice (after its first
    value was taken), a Link to a record that does not exist, the Required fields of a new record."""
    values: dict[str, Value] = {}
    problems: list[Problem] = []
    for step in planned:
        field = step.field
        if field is None:
            problems.append(step.problem)  # type: ignore[arg-type]  # unknown: always a problem
            continue
        if field.name in values:
            problems.append(Problem("duplicate", field.name, f"Field {field.name} is given more than once"))
            continue
        if step.problem is not None:
            problems.append(step.problem)
            continue
        value = step.assignment.value
        if (
            step.link_table is not None
            and not (value == 0 and not field.required)
            and store.get(step.link_table, value) is None
        ):
            problems.append(Problem("link", field.name, f"Field {field.name}: no record {value} in {field.link}"))
            continue
        values[field.name] = value
    if creating:
        for name in REQUIRED_FIELDS:
            if name not in values and not any(p.field == name for p in problems):
                problems.append(Problem("required", name, f"Field {name} is required"))
    return values, problems


def check(
    assignments: list[Assignment], store: Any, *, creating: bool = False
) -> tuple[dict[str, Value], list[Problem]]:
    """Apply the field table. Returns ({canonical name: value}, problems in request order)."""
    return apply(steps(assignments), store, creating=creating)
