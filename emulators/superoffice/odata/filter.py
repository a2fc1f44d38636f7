"""`$filter` of the SuperOffice OData archives: the archive/column types and the filter compiler.

The expression is parsed with lark (grammar.lark, LALR) and compiled into a predicate over flattened rows.
List and associate columns hold `(id, text)`: numeric operators and oneOf compare the id, text operators the
text. Every refusal is a 400 ArchiveException naming the problem (column, operator, value or position).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from ..errors import bad_request

Row = dict[str, Any]
Predicate = Callable[[Row], bool]
KINDS = ("int", "string", "bool", "date", "list", "associate")
MODES = ("slim", "wide", "full")
MAX_DEPTH = 32


@dataclass(frozen=True)
class Column:
    name: str
    kind: str


@dataclass
class Archive:
    """entity: the rows' EntityName; key: the flattened field used as PrimaryKey; default: $select when absent."""

    entity: str
    key: str
    columns: list[Column]
    default: list[str]
    by_lower: dict[str, Column] = field(init=False)

    def __post_init__(self) -> None:
        self.by_lower = {c.name.lower(): c for c in self.columns}

    def column(self, name: str, where: str) -> Column:
        col = self.by_lower.get(name.strip().lower())
        if col is None:
            raise bad_request(f"Unknown column '{name.strip()}' in {where}.", "ArchiveException")
        return col


@dataclass
class Context:
    """What relative operators need: the clock's today and the caller's associate id."""

    today: date
    associate_id: int


_DATE = re.compile(
    r"^\s*(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?)?"
    r"\s*(?:Z|[+-]\d{2}:?\d{2})?\s*$"
)


def parse_date(value: Any, column: str) -> datetime:
    """'2009-1-1', '2020-06-03T17:46:13', '2020-06-03T17:46:13.1234567' -> naive datetime (400 otherwise)."""
    m = _DATE.match(str(value)) if isinstance(value, str) else None
    if m is None:
        raise bad_request(f"The value '{value}' given for column '{column}' is not a valid date.", "ArchiveException")
    y, mo, d, h, mi, s = (int(g) if g else 0 for g in m.groups())
    try:
        return datetime(y, mo, d, h, mi, s)
    except ValueError:
        raise bad_request(
            f"The value '{value}' given for column '{column}' is not a valid date.", "ArchiveException"
        ) from None


def _stored_date(value: Any) -> datetime | None:
    if not isinstance(value, str) or value.startswith("0001-01-01"):
        return None
    m = _DATE.match(value)
    if m is None:
        return None
    y, mo, d, h, mi, s = (int(g) if g else 0 for g in m.groups())
    return datetime(y, mo, d, h, mi, s)


def _to_int(value: Any, column: str) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
        return int(value)
    raise bad_request(f"The value '{value}' given for column '{column}' is not a valid integer.", "ArchiveException")


def _to_bool(value: Any, column: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
        return value.strip().lower() in ("true", "1")
    raise bad_request(f"The value '{value}' given for column '{column}' is not a valid boolean.", "ArchiveException")


# operators --------------------------------------------------------------------------------------
_ALIASES = {
    "=": "eq",
    "equals": "eq",
    "is": "eq",
    "<>": "ne",
    "!=": "ne",
    "unequals": "ne",
    "isnot": "ne",
    "<": "lt",
    "less": "lt",
    "<=": "le",
    ">": "gt",
    "greater": "gt",
    ">=": "ge",
    "before": "lt",
    "after": "gt",
    "beforeorequal": "le",
    "afterorequal": "ge",
    "set": "eq",
    "in": "oneof",
    "notin": "notoneof",
    "notoneof": "notoneof",
    "associateisoneof": "oneof",
    "associateisnotoneof": "notoneof",
}
_BY_KIND = {
    "int": {"eq", "ne", "lt", "le", "gt", "ge", "between", "oneof", "notoneof"},
    "string": {
        "eq",
        "ne",
        "lt",
        "le",
        "gt",
        "ge",
        "contains",
        "notcontains",
        "begins",
        "notbegins",
        "oneof",
        "notoneof",
        "between",
    },
    "bool": {"eq", "ne"},
    "date": {"eq", "ne", "lt", "le", "gt", "ge", "date", "datebetween", "between"},
    "list": {"eq", "ne", "oneof", "notoneof", "contains", "notcontains", "begins", "notbegins"},
    "associate": {"eq", "ne", "oneof", "notoneof", "contains", "begins"},
}
_DATE_ONLY = {"before", "after", "beforeorequal", "afterorequal", "date", "datebetween"}
_NUMERIC = {"eq", "ne", "lt", "le", "gt", "ge", "between", "oneof", "notoneof"}


def _cmp(op: str, left: Any, right: Any) -> bool:
    if op == "eq":
        return bool(left == right)
    if op == "ne":
        return bool(left != right)
    if left is None or right is None:
        return False
    if op == "lt":
        return bool(left < right)
    if op == "le":
        return bool(left <= right)
    if op == "gt":
        return bool(left > right)
    return bool(left >= right)


def _operands(raw: Any) -> list[Any]:
    return raw if isinstance(raw, list) else [raw]


def _comparison(col: Column, op_text: str, raw: Any) -> Predicate:
    op = _ALIASES.get(op_text.lower(), op_text.lower())
    if op not in _BY_KIND[col.kind] or (op_text.lower() in _DATE_ONLY and col.kind != "date"):
        raise bad_request(
            f"The operator '{op_text}' cannot be used on the {col.kind} column '{col.name}'.", "ArchiveException"
        )
    values = _operands(raw)
    name = col.name
    if op in ("between", "datebetween") and len(values) != 2:
        raise bad_request(f"The operator '{op_text}' on column '{name}' needs two values.", "ArchiveException")
    if op not in ("between", "datebetween", "oneof", "notoneof") and len(values) != 1:
        raise bad_request(f"The operator '{op_text}' on column '{name}' takes one value.", "ArchiveException")
    kind = col.kind
    if kind in ("int", "list", "associate") and op in _NUMERIC:
        nums = [_to_int(v, name) for v in values]

        def key(row: Row) -> Any:
            v = row.get(name)
            return v[0] if isinstance(v, tuple) else v

        return _numeric(op, key, nums)
    if kind == "bool":
        flag = _to_bool(values[0], name)
        return (lambda r: bool(r.get(name)) == flag) if op == "eq" else (lambda r: bool(r.get(name)) != flag)
    if kind == "date":
        dates = [parse_date(v, name) for v in values]
        if op == "date":
            day = dates[0].date()
            return lambda r: (d := _stored_date(r.get(name))) is not None and d.date() == day
        if op in ("between", "datebetween"):
            lo, hi = dates[0], dates[1]
            if hi.time() == datetime.min.time():
                hi = datetime.combine(hi.date(), time.max)  # the end day counts whole (no overflow at 9999-12-31)
            return lambda r: (d := _stored_date(r.get(name))) is not None and lo <= d <= hi
        target = dates[0]
        if op == "le" and target.time() == datetime.min.time():
            target = datetime.combine(target.date(), time.max)  # "on or before a day" takes the whole day
        return lambda r: _cmp(op, _stored_date(r.get(name)), target)
    texts = ["" if v is None else str(v).lower() for v in values]

    def text(row: Row) -> str:
        v = row.get(name)
        v = v[1] if isinstance(v, tuple) else v
        return "" if v is None else str(v).lower()

    first = texts[0]
    if op == "contains":
        return lambda r: first in text(r)
    if op == "notcontains":
        return lambda r: first not in text(r)
    if op == "begins":
        return lambda r: text(r).startswith(first)
    if op == "notbegins":
        return lambda r: not text(r).startswith(first)
    if op == "oneof":
        return lambda r: text(r) in texts
    if op == "notoneof":
        return lambda r: text(r) not in texts
    if op == "between":
        low, high = texts
        return lambda r: low <= text(r) <= high
    return lambda r: _cmp(op, text(r), first)


def _numeric(op: str, key: Callable[[Row], Any], nums: list[int]) -> Predicate:
    if op == "between":
        lo, hi = nums
        return lambda r: (v := key(r)) is not None and lo <= v <= hi
    if op == "oneof":
        return lambda r: key(r) in nums
    if op == "notoneof":
        return lambda r: key(r) not in nums
    target = nums[0]
    return lambda r: _cmp(op, key(r), target)


def _shift(day: date, days: int) -> datetime:
    """Midnight of `day` + `days`, clamped to the .NET DateTime range (0001-01-01 .. 9999-12-31T23:59:59.9999999):
    a clock at either end of the calendar must not make a period overflow."""
    try:
        return datetime.combine(day + timedelta(days=days), time.min)
    except OverflowError:
        return datetime.min if days < 0 else datetime.max


def _month_start(year: int, month: int) -> datetime:
    """The first of month `month` of `year` (month may run past 12 or below 1), clamped as _shift."""
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    if year < 1:
        return datetime.min
    if year > 9999:
        return datetime.max
    return datetime(year, month, 1)


def _period(op: str, today: date) -> tuple[datetime, datetime] | None:
    """[start, end) of a unary date operator's period, clamped to the .NET DateTime range."""
    if op == "today":
        return _shift(today, 0), _shift(today, 1)
    monday = -today.weekday()
    if op in ("thisweek", "lastweek", "nextweek"):
        weeks = {"thisweek": 0, "lastweek": -1, "nextweek": 1}[op]
        return _shift(today, monday + 7 * weeks), _shift(today, monday + 7 * weeks + 7)
    if op in ("thismonth", "lastmonth", "nextmonth"):
        shift = {"thismonth": 0, "lastmonth": -1, "nextmonth": 1}[op]
        return _months(today.year, today.month + shift, 1)
    if op in ("thisquarter", "lastquarter", "nextquarter"):
        shift = {"thisquarter": 0, "lastquarter": -3, "nextquarter": 3}[op]
        return _months(today.year, (today.month - 1) // 3 * 3 + 1 + shift, 3)
    if op == "thishalf":
        return _months(today.year, 1 if today.month <= 6 else 7, 6)
    if op == "thisyear":
        return _months(today.year, 1, 12)
    return None


def _months(year: int, month: int, count: int) -> tuple[datetime, datetime]:
    return _month_start(year, month), _month_start(year, month + count)


def _unary(col: Column, op_text: str, ctx: Context) -> Predicate:
    op = op_text.lower()
    name = col.name
    if op == "set":
        return lambda r: (
            bool(v[0] if isinstance(v := r.get(name), tuple) else v) and r.get(name) not in ("0001-01-01T00:00:00",)
        )
    if op == "currentassociate":
        if col.kind != "associate":
            raise bad_request(
                f"The operator '{op_text}' cannot be used on the {col.kind} column '{name}'.", "ArchiveException"
            )
        me = ctx.associate_id
        return lambda r: isinstance(v := r.get(name), tuple) and v[0] == me
    if col.kind != "date":
        raise bad_request(
            f"The operator '{op_text}' cannot be used on the {col.kind} column '{name}'.", "ArchiveException"
        )
    start_of_today = _shift(ctx.today, 0)
    if op == "beforetoday":
        return lambda r: (d := _stored_date(r.get(name))) is not None and d < start_of_today
    if op == "aftertoday":
        end = _shift(ctx.today, 1)
        return lambda r: (d := _stored_date(r.get(name))) is not None and d >= end
    span = _period(op, ctx.today)
    assert span is not None
    lo, hi = span
    return lambda r: (d := _stored_date(r.get(name))) is not None and lo <= d < hi


def _call(archive: Archive, items: list[Any]) -> Predicate:
    func = str(items[0]).lower()
    args = items[1:3]
    negate = len(items) > 3 and (str(items[3]).lower() == "ne") == bool(items[4])
    cols = [a for a in args if isinstance(a, tuple) and a[0] == "column"]
    if len(cols) != 1:
        raise bad_request(f"The function '{items[0]}' needs one column and one value.", "ArchiveException")
    col = archive.column(cols[0][1], "$filter")
    value = next(a for a in args if a is not cols[0])
    if isinstance(value, tuple):
        raise bad_request(f"The function '{items[0]}' needs one column and one value.", "ArchiveException")
    op = {"substringof": "contains", "startswith": "begins", "endswith": "ends"}[func]
    needle = "" if value is None else str(value).lower()
    pred: Predicate
    if op == "ends":

        def ends(r: Row) -> bool:
            v = r.get(col.name)
            v = v[1] if isinstance(v, tuple) else v
            return str("" if v is None else v).lower().endswith(needle)

        pred = ends
    else:
        as_string = Column(col.name, "string" if col.kind not in ("list", "associate") else col.kind)
        pred = _comparison(as_string, op, value)
    return (lambda r: not pred(r)) if negate else pred


def _build(node: Any, archive: Archive, ctx: Context) -> Predicate:
    kind = getattr(node, "data", None)
    if kind is None:
        raise bad_request("The $filter expression is not valid.", "ArchiveException")
    if kind == "or_expr":
        parts = [_build(c, archive, ctx) for c in node.children]
        return lambda r: any(p(r) for p in parts)
    if kind == "and_expr":
        parts = [_build(c, archive, ctx) for c in node.children]
        return lambda r: all(p(r) for p in parts)
    if kind == "comparison":
        col_tok, op_tok, operand = node.children
        return _comparison(archive.column(str(col_tok), "$filter"), str(op_tok), operand)
    if kind == "unary":
        col_tok, op_tok = node.children
        return _unary(archive.column(str(col_tok), "$filter"), str(op_tok), ctx)
    if kind == "call":
        return _call(archive, list(node.children))
    raise bad_request("The $filter expression is not valid.", "ArchiveException")


def compile_filter(text: str | None, archive: Archive, ctx: Context) -> Predicate | None:
    if text is None or not text.strip():
        return None
    depth = level = 0
    for ch in text:
        level += 1 if ch == "(" else -1 if ch == ")" else 0
        depth = max(depth, level)
    if depth > MAX_DEPTH:
        raise bad_request(f"The $filter expression is nested deeper than {MAX_DEPTH} brackets.", "ArchiveException")
    from .parse import parse  # lark is imported on the first $filter, not at start-up

    try:
        return _build(parse(text), archive, ctx)
    except RecursionError:
        raise bad_request("The $filter expression is too complex.", "ArchiveException") from None
