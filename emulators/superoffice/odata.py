"""The OData archive query engine behind GET /api/v1/Project and the Project sub-archives (vendor-facts E7).

An *archive* is a list of columns (archive names such as `projectId`, `projectAssociate/fullName`), each with a
kind (int, string, bool, date, list, associate) and a value taken from a flattened row. `run()` applies
`$filter` (parsed with lark from odata_grammar.lark), `$orderBy`, `$skip`/`$top` (with `odata.nextLink`),
`$select`, `$mode` and `$jsonSafe` and answers the ODataSlimResponse shape:
`{"odata.metadata", ["odata.nextLink",] "value": [{"PrimaryKey", "EntityName", <column>: value}]}`.

List and associate columns hold `(id, text)`: numeric operators and oneOf compare the id, string operators the
text; Slim rows show the text (display value).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from lark import Lark, Token, Transformer, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from emulators.core.errors import EmulatorError

from .errors import bad_request

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


@cache
def _parser() -> Lark:
    grammar = (Path(__file__).with_name("odata_grammar.lark")).read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", maybe_placeholders=False)


# literals ---------------------------------------------------------------------------------------
class _Literals(Transformer[Token, Any]):
    def string(self, items: list[Token]) -> str:
        text = str(items[0])
        quote = text[0]
        return text[1:-1].replace(quote * 2, quote)

    def number(self, items: list[Token]) -> int | float:
        text = str(items[0])
        return float(text) if "." in text else int(text)

    def boolean(self, items: list[Token]) -> bool:
        return str(items[0]).lower() == "true"

    def null(self, _items: list[Token]) -> None:
        return None

    def values(self, items: list[Any]) -> list[Any]:
        return list(items)

    def column(self, items: list[Token]) -> Column | str:
        return ("column", str(items[0]))  # type: ignore[return-value]


_DATE = re.compile(r"^\s*(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?)?"
                   r"\s*(?:Z|[+-]\d{2}:?\d{2})?\s*$")


def parse_date(value: Any, column: str) -> datetime:
    """'2009-1-1', '2020-06-03T17:46:13', '2020-06-03T17:46:13.1234567' -> naive datetime (400 otherwise)."""
    m = _DATE.match(str(value)) if isinstance(value, str) else None
    if m is None:
        raise bad_request(f"The value '{value}' given for column '{column}' is not a valid date.", "ArchiveException")
    y, mo, d, h, mi, s = (int(g) if g else 0 for g in m.groups())
    try:
        return datetime(y, mo, d, h, mi, s)
    except ValueError:
        raise bad_request(f"The value '{value}' given for column '{column}' is not a valid date.",
                          "ArchiveException") from None


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
_ALIASES = {"=": "eq", "equals": "eq", "is": "eq", "<>": "ne", "!=": "ne", "unequals": "ne", "isnot": "ne",
            "<": "lt", "less": "lt", "<=": "le", ">": "gt", "greater": "gt", ">=": "ge",
            "before": "lt", "after": "gt", "notoneof": "notoneof", "associateisoneof": "oneof",
            "associateisnotoneof": "notoneof"}
_BY_KIND = {
    "int": {"eq", "ne", "lt", "le", "gt", "ge", "between", "oneof", "notoneof"},
    "string": {"eq", "ne", "lt", "le", "gt", "ge", "contains", "notcontains", "begins", "notbegins", "oneof",
               "notoneof"},
    "bool": {"eq", "ne"},
    "date": {"eq", "ne", "lt", "le", "gt", "ge", "date", "datebetween", "between"},
    "list": {"eq", "ne", "oneof", "notoneof", "contains", "notcontains", "begins", "notbegins"},
    "associate": {"eq", "ne", "oneof", "notoneof", "contains", "begins"},
}
_DATE_ONLY = {"before", "after", "date", "datebetween"}
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
        raise bad_request(f"The operator '{op_text}' cannot be used on the {col.kind} column '{col.name}'.",
                          "ArchiveException")
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
                hi = hi + timedelta(days=1) - timedelta(microseconds=1)  # the end day counts whole
            return lambda r: (d := _stored_date(r.get(name))) is not None and lo <= d <= hi
        target = dates[0]
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


def _period(op: str, today: date) -> tuple[date, date] | None:
    """[start, end) of a unary date operator's period."""
    if op == "today":
        return today, today + timedelta(days=1)
    week = today - timedelta(days=today.weekday())
    if op in ("thisweek", "lastweek", "nextweek"):
        start = week + timedelta(weeks={"thisweek": 0, "lastweek": -1, "nextweek": 1}[op])
        return start, start + timedelta(weeks=1)
    if op in ("thismonth", "lastmonth", "nextmonth"):
        shift = {"thismonth": 0, "lastmonth": -1, "nextmonth": 1}[op]
        return _months(today.year, today.month + shift, 1)
    if op in ("thisquarter", "lastquarter", "nextquarter"):
        shift = {"thisquarter": 0, "lastquarter": -3, "nextquarter": 3}[op]
        return _months(today.year, (today.month - 1) // 3 * 3 + 1 + shift, 3)
    if op == "thishalf":
        return _months(today.year, 1 if today.month <= 6 else 7, 6)
    if op == "thisyear":
        return date(today.year, 1, 1), date(today.year + 1, 1, 1)
    return None


def _months(year: int, month: int, count: int) -> tuple[date, date]:
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    end_month = month + count
    end = date(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1)
    return date(year, month, 1), end


def _unary(col: Column, op_text: str, ctx: Context) -> Predicate:
    op = op_text.lower()
    name = col.name
    if op == "set":
        return lambda r: bool(v[0] if isinstance(v := r.get(name), tuple) else v) and r.get(name) not in (
            "0001-01-01T00:00:00",)
    if op == "currentassociate":
        if col.kind != "associate":
            raise bad_request(f"The operator '{op_text}' cannot be used on the {col.kind} column '{name}'.",
                              "ArchiveException")
        me = ctx.associate_id
        return lambda r: isinstance(v := r.get(name), tuple) and v[0] == me
    if col.kind != "date":
        raise bad_request(f"The operator '{op_text}' cannot be used on the {col.kind} column '{name}'.",
                          "ArchiveException")
    start_of_today = datetime.combine(ctx.today, datetime.min.time())
    if op == "beforetoday":
        return lambda r: (d := _stored_date(r.get(name))) is not None and d < start_of_today
    if op == "aftertoday":
        end = start_of_today + timedelta(days=1)
        return lambda r: (d := _stored_date(r.get(name))) is not None and d >= end
    span = _period(op, ctx.today)
    assert span is not None
    lo = datetime.combine(span[0], datetime.min.time())
    hi = datetime.combine(span[1], datetime.min.time())
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
    if not isinstance(node, Tree):
        raise bad_request("The $filter expression is not valid.", "ArchiveException")
    kind = node.data
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


def _syntax_message(text: str, exc: LarkError) -> str:
    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        return f"Syntax error in $filter '{text}': the expression ends too early."
    if isinstance(exc, UnexpectedInput):
        pos = getattr(exc, "pos_in_stream", None)
        if isinstance(exc, UnexpectedToken):
            pos = exc.token.start_pos
        found = text[pos:].split()[0] if isinstance(pos, int) and text[pos:].split() else ""
        where = f" at position {pos + 1}" if isinstance(pos, int) else ""
        return f"Syntax error in $filter '{text}'{where}: unexpected '{found}'."
    return f"Syntax error in $filter '{text}'."


def compile_filter(text: str | None, archive: Archive, ctx: Context) -> Predicate | None:
    if text is None or not text.strip():
        return None
    depth = level = 0
    for ch in text:
        level += 1 if ch == "(" else -1 if ch == ")" else 0
        depth = max(depth, level)
    if depth > MAX_DEPTH:
        raise bad_request(f"The $filter expression is nested deeper than {MAX_DEPTH} brackets.", "ArchiveException")
    try:
        tree = _parser().parse(text)
        return _build(_Literals().transform(tree), archive, ctx)
    except (UnexpectedCharacters, UnexpectedToken, UnexpectedEOF) as exc:
        raise bad_request(_syntax_message(text, exc), "ArchiveException") from None
    except RecursionError:
        raise bad_request("The $filter expression is too complex.", "ArchiveException") from None
    except LarkError as exc:
        if isinstance(exc.__context__, EmulatorError):
            raise exc.__context__ from None
        raise bad_request(_syntax_message(text, exc), "ArchiveException") from None


# ordering, selection, rendering -----------------------------------------------------------------
def _sort_key(value: Any) -> tuple[int, Any]:
    if isinstance(value, tuple):
        value = value[1]
    if value is None or value == "":
        return (0, "")
    if isinstance(value, bool | int | float):
        return (1, value)
    return (2, str(value).lower())


def order(rows: list[Row], text: str | None, archive: Archive) -> list[Row]:
    if not text or not text.strip():
        return rows
    keys: list[tuple[str, bool]] = []
    for part in text.split(","):
        words = part.split()
        if not words:
            continue
        if len(words) > 2 or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
            raise bad_request(f"The $orderBy term '{part.strip()}' is not valid.", "ArchiveException")
        col = archive.column(words[0], "$orderBy")
        keys.append((col.name, len(words) == 2 and words[1].lower() == "desc"))
    for name, desc in reversed(keys):
        rows = sorted(rows, key=_key_of(name), reverse=desc)
    return rows


def _key_of(name: str) -> Callable[[Row], tuple[int, Any]]:
    return lambda r: _sort_key(r.get(name))


def select(text: str | None, archive: Archive) -> list[Column]:
    """$select column names; unknown columns are left out (assumption), aggregates like Count(x):Footer too."""
    names = [n.strip() for n in text.split(",")] if text and text.strip() else archive.default
    out: list[Column] = []
    for name in names:
        col = archive.by_lower.get(name.lower())
        if col is not None and col not in out:
            out.append(col)
    return out


def _json_safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def _display(col: Column, value: Any) -> Any:
    if isinstance(value, tuple):
        return value[1]
    if col.kind == "date" and (value is None or value == ""):
        return "0001-01-01T00:00:00"
    return value


def _full(col: Column, value: Any) -> dict[str, Any]:
    raw = value[0] if isinstance(value, tuple) else value
    return {"DisplayValue": "" if _display(col, value) is None else str(_display(col, value)),
            "RawValue": raw, "Tooltip": "", "LinkHint": ""}


@dataclass
class Query:
    select: str | None = None
    filter: str | None = None
    order_by: str | None = None
    top: int | None = None
    skip: int | None = None
    mode: str | None = None
    json_safe: bool = False


def run(archive: Archive, rows: list[Row], q: Query, ctx: Context, *, base: str, path: str,
        params: dict[str, Any]) -> dict[str, Any]:
    mode = (q.mode or "slim").strip().lower()
    if mode not in MODES:
        raise bad_request(f"The value '{q.mode}' is not valid for $mode: use Slim, Wide or Full.", "ArchiveException")
    columns = select(q.select, archive)
    pred = compile_filter(q.filter, archive, ctx)
    found = [r for r in rows if pred is None or pred(r)]
    found = order(found, q.order_by, archive)
    skip = max(q.skip or 0, 0)
    end = len(found) if q.top is None else skip + max(q.top, 0)
    page = found[skip:end]
    value = []
    for row in page:
        out: dict[str, Any] = {"PrimaryKey": row.get(archive.key), "EntityName": row.get("_entity", archive.entity)}
        for col in columns:
            name = _json_safe(col.name) if q.json_safe else col.name
            out[name] = _full(col, row.get(col.name)) if mode == "full" else _display(col, row.get(col.name))
        value.append(out)
    body: dict[str, Any] = {"odata.metadata": f"{base}/api/v1/archive$metadata"}
    if q.top is not None and end < len(found):
        nxt = dict(params)
        nxt["$skip"] = str(end)
        nxt["$top"] = str(q.top)
        body["odata.nextLink"] = f"{base}{path}?{urlencode(nxt, safe='$,/:')}"
    body["value"] = value
    return body
