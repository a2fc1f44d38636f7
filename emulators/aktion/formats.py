"""Aktion.NEXT wire formats: ASP.NET Web API with Newtonsoft JSON and XmlSerializer.

Dates
  JSON  "\\/Date(1546326000000)\\/"  milliseconds since the epoch (UTC); the slashes are escaped in the
        JSON text. Accepted on input with an optional offset suffix ("\\/Date(1546326000000+0100)\\/")
        and, as Newtonsoft does, as ISO 8601 text (naive text is the server's local time).
  XML   "yyyy-MM-ddTHH:mm:ss" in the server's local time (Europe/Prague): the seed's JSON and XML
        samples of the same request differ by exactly that offset (1546326000000 = 2019-01-01T08:00:00).
Inside the emulator a date travels as the decoded JSON string "/Date(ms)/" (what `json.loads` of the
vendor's text gives); stored records keep plain integers (ms).
"""

from __future__ import annotations

import functools
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from emulators.core.call import Call, Reply
from emulators.core.errors import MalformedBody
from emulators.core.limits import parse_json
from emulators.core.negotiation import choose_media_type, decode_xml, text_of, xml_safe
from emulators.core.negotiation import encode_json as kernel_encode_json
from emulators.core.validation import coerce

JSON = "application/json"
XML = "application/xml"
PRODUCES = [JSON, XML]

# fields rendered as dates; ExpireDate is UTC (documented "date, UTC"), the others server-local
DATE_FIELDS = frozenset({"PlannedFrom", "PlannedTo", "Started", "Finished", "Closed", "TimeLastChange", "ExpireDate"})
UTC_DATE_FIELDS = frozenset({"ExpireDate"})
# XmlSerializer names list items after their type
XML_ITEM = {
    "ModelStateErr": "string",
    "Request": "ProjectGetResp",
    "Project": "ProjectGetResp",
    "ProjectItem": "ProjectItemGetResp",
}

MS_DATE = re.compile(r"^/Date\((-?\d{1,15})([+-]\d{4})?\)/$")
ISO_DATE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]\d{2}:?\d{2})?$"
)
_MIN_MS = -62135596800000  # 0001-01-01T00:00:00Z (DateTime.MinValue)
_MAX_MS = 253402300799999  # 9999-12-31T23:59:59.999Z (DateTime.MaxValue)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


# time zone: Europe/Prague (CET, CEST from the last Sunday of March to the last Sunday of October, 01:00 UTC)
def _last_sunday(year: int, month: int) -> datetime:
    day = datetime(year, month + 1, 1, 1, tzinfo=UTC) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def local_offset(utc: datetime) -> timedelta:
    """Prague's UTC offset at the instant `utc` (EU summer-time rule; hand-coded, no tz database)."""
    if utc.year < 1980 or utc.year > 9998:
        return timedelta(hours=1)
    start, end = _last_sunday(utc.year, 3), _last_sunday(utc.year, 10)
    return timedelta(hours=2) if start <= utc < end else timedelta(hours=1)


def local_to_utc(naive: datetime) -> datetime:
    wall = naive.replace(tzinfo=UTC)
    summer = wall - timedelta(hours=2)
    return summer if local_offset(summer) == timedelta(hours=2) else wall - timedelta(hours=1)


def to_ms(dt: datetime) -> int:
    return (dt - _EPOCH) // timedelta(milliseconds=1)


@functools.lru_cache(maxsize=64)
def ms_at(seconds: float) -> int:
    """`to_ms` of the instant `seconds` (a clock reading) as datetime sees it (microseconds rounded the way
    fromtimestamp rounds them); memoised, as a frozen clock gives the same reading on every request."""
    return to_ms(datetime.fromtimestamp(seconds, UTC))


def from_ms(ms: int) -> datetime:
    return _EPOCH + timedelta(milliseconds=ms)


def wire_date(ms: int) -> str:
    """The decoded JSON form of a date: "/Date(ms)/"."""
    return f"/Date({ms})/"


# a date text is at most ~35 characters ("2019-01-01T08:00:00.1234567+02:00"); longer texts are not memoised,
# so the cache stays small whatever clients send
_MEMO_CHARS = 48


def parse_date(text: str) -> int | None:
    """A JSON or XML date value -> ms since the epoch (UTC); None when it does not convert.
    Memoised: clients send the same few dates again and again (a pure function of the text)."""
    if len(text) <= _MEMO_CHARS:
        return _parse_date_memo(text)
    return _parse_date(text)


def _parse_date(text: str) -> int | None:
    m = MS_DATE.match(text)
    if m:
        ms = int(m.group(1))
        return ms if _MIN_MS <= ms <= _MAX_MS else None
    m = ISO_DATE.match(text.strip())
    if not m:
        return None
    y, mo, d, hh, mi, ss, frac, tz = m.groups()
    try:
        dt = datetime(
            int(y), int(mo), int(d), int(hh or 0), int(mi or 0), int(ss or 0), int((frac or "0").ljust(6, "0")[:6])
        )
    except ValueError:
        return None
    try:
        if tz is None:
            utc = local_to_utc(dt)
        elif tz in ("Z", "z"):
            utc = dt.replace(tzinfo=UTC)
        else:
            sign = 1 if tz[0] == "+" else -1
            digits = tz[1:].replace(":", "")
            utc = dt.replace(tzinfo=UTC) - sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        ms = to_ms(utc)
    except OverflowError:  # beyond DateTime's range once shifted to UTC
        return None
    return ms if _MIN_MS <= ms <= _MAX_MS else None


_parse_date_memo = functools.lru_cache(maxsize=4096)(_parse_date)


def xml_date(ms: int, utc: bool = False) -> str:
    instant = from_ms(ms)
    try:
        wall = instant if utc else instant + local_offset(instant)
    except OverflowError:  # the last hour of year 9999
        wall = instant
    return wall.replace(tzinfo=None, microsecond=0).isoformat()


# JSON ---------------------------------------------------------------------------------------
def _dump(value: Any, key: str | None) -> str:
    if isinstance(value, dict):
        return (
            "{"
            + ",".join(json.dumps(str(k), ensure_ascii=False) + ":" + _dump(v, str(k)) for k, v in value.items())
            + "}"
        )
    if isinstance(value, list):
        return "[" + ",".join(_dump(v, None) for v in value) + "]"
    text = json.dumps(value, ensure_ascii=False)
    if key in DATE_FIELDS and isinstance(value, str) and MS_DATE.match(value):
        text = text.replace("/", "\\/")
    return text


# Fast path: the kernel's encoder (orjson) writes the body as it is, and the slashes of its dates are escaped
# in the bytes when every "/Date(" there is a date written as `,"<date field>":"/Date(ms)/"`. In compact
# JSON that sequence can only be a key in DATE_FIELDS with a string value that is exactly a wire date:
# inside a string every quote is written \" , so `":"` never matches there. When the output holds a
# "/Date(" anywhere else (such a text under another key, in a list, an unusual spelling), the marked path
# below answers: the slashes of dates are marked with a private-use character; `_dump` is the reference.
_DATE_VALUE = re.compile(  # the literal first, so the scan jumps from one "/Date( to the next; the key behind it
    rb'":"/Date\((?:'
    + b"|".join(rb'(?<=[{,]"' + name.encode() + rb'":"/Date\()' for name in sorted(DATE_FIELDS))
    + rb')-?[0-9]{1,15}(?:[+-][0-9]{4})?\)/"'
)
_SLASH = "\ue000"  # a private-use character standing for an escaped slash
_SLASH_B = _SLASH.encode()


def _mark(value: Any, key: str | None, count: list[int]) -> Any:
    if isinstance(value, dict):
        return {k: _mark(v, k if isinstance(k, str) else str(k), count) for k, v in value.items()}
    if isinstance(value, list):
        return [_mark(v, None, count) for v in value]
    if key in DATE_FIELDS and isinstance(value, str) and MS_DATE.match(value):
        count[0] += value.count("/")
        return value.replace("/", _SLASH)
    return value


def _encode_marked(body: Any) -> bytes:
    count = [0]
    try:
        data = kernel_encode_json(_mark(body, None, count))
    except (TypeError, ValueError):
        return _dump(body, None).encode("utf-8")
    if data.count(_SLASH_B) != count[0]:
        return _dump(body, None).encode("utf-8")
    return data.replace(_SLASH_B, b"\\/")


def encode_json(body: Any, reply: Reply, call: Call | None) -> bytes:
    """Newtonsoft's compact JSON with MicrosoftDateFormat dates ("\\/Date(ms)\\/")."""
    try:
        data = kernel_encode_json(body)
    except (TypeError, ValueError):
        return _dump(body, None).encode("utf-8")
    dates = data.count(b"/Date(")
    if not dates:
        return data
    if len(_DATE_VALUE.findall(data)) != dates:
        return _encode_marked(body)
    # every "/Date( is a date's; when every )/" is one's end too, two replaces escape them all
    if data.count(b')/"') == dates:
        return data.replace(b"/Date(", b"\\/Date(").replace(b')/"', b')\\/"')
    parts = data.split(b"/Date(")
    out = [parts[0]]
    for part in parts[1:]:  # each starts with the date's digits and ")/"
        end = part.index(b")/")
        out.append(part[:end] + b")\\/" + part[end + 2 :])
    return b"\\/Date(".join(out)


def _body_schema(call: Call, media: str) -> dict[str, Any]:
    return call.operation.body_media.get(media) or {}


def schema_props(schema: dict[str, Any]) -> dict[str, Any]:
    """The properties of an object schema, those of its `allOf` parts included (the outer ones win)."""
    out: dict[str, Any] = {}
    for part in schema.get("allOf") or []:
        out.update(schema_props(part))
    out.update(schema.get("properties") or {})
    return out


# per body schema, worked out once: its properties, their lower-case names, and the names whose numbers and
# booleans bind as text (string members other than dates). Keyed by the schema's id; the entry holds the
# schema itself, so the id cannot be reused while the entry lives.
_BINDINGS: dict[int, tuple[dict[str, Any], dict[str, Any], dict[str, str], frozenset[str]]] = {}


def _binding(schema: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str], frozenset[str]]:
    hit = _BINDINGS.get(id(schema))
    if hit is not None and hit[0] is schema:
        return hit[1], hit[2], hit[3]
    props = schema_props(schema)
    lower = {k.lower(): k for k in props}
    textual = frozenset(
        name for name in props if "string" in ((props.get(name) or {}).get("type") or []) and name not in DATE_FIELDS
    )
    if len(_BINDINGS) >= 256:  # apps built and dropped (tests): forget the old contracts' schemas
        _BINDINGS.clear()
    _BINDINGS[id(schema)] = (schema, props, lower, textual)
    return props, lower, textual


_PLAIN = frozenset({str, type(None)})


def decode_json(raw: bytes, call: Call) -> Any:
    """Newtonsoft-like binding: property names case-insensitive, numbers/booleans bind to strings."""
    text = text_of(raw)
    obj = parse_json(text)  # kernel limits (depth, number range, surrogates); Newtonsoft-worded messages
    if not isinstance(obj, dict):
        return obj
    schema = call.operation.body_media.get(JSON)
    props, lower, textual = _binding(schema) if schema else ({}, {}, frozenset())
    if props.keys() >= obj.keys() and _PLAIN.issuperset(map(type, obj.values())):
        return obj  # every name as the model spells it, every value text or null: nothing to rebind
    out: dict[str, Any] = {}
    for k, v in obj.items():
        name: str = k if k in props else lower.get(str(k).lower(), str(k))
        if name in textual and not isinstance(v, str | dict | list | None):
            v = ("True" if v else "False") if isinstance(v, bool) else json.dumps(v)
        out[name] = v
    return out


# XML -------------------------------------------------------------------------------------------
def decode_xml_body(raw: bytes, call: Call) -> Any:
    """XmlSerializer-like binding: root <Request>, element names case-sensitive, unknown ones ignored."""
    try:
        root, obj = decode_xml(raw)
    except MalformedBody as exc:
        pos = re.search(r"line (\d+), column (\d+)", exc.message)
        where = f"({pos.group(1)}, {int(pos.group(2)) + 1})" if pos else "(0, 0)"
        raise MalformedBody(f"There is an error in XML document {where}.", reason="xml") from exc
    if root != "Request":
        raise MalformedBody(f"<{root} xmlns=''> was not expected.", reason="xml-root")
    if not isinstance(obj, dict):
        obj = {}
    call.xml_root = root
    return coerce(obj, _body_schema(call, XML))


def _xml_fill(el: Element, key: str, value: Any) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            if v is not None:
                _xml_fill(SubElement(el, str(k)), str(k), v)
    elif isinstance(value, list):
        item = XML_ITEM.get(key, "string")
        for v in value:
            if v is not None:
                _xml_fill(SubElement(el, item), item, v)
    elif isinstance(value, bool):
        el.text = "true" if value else "false"
    elif key in DATE_FIELDS and isinstance(value, str) and (m := MS_DATE.match(value)):
        el.text = xml_date(int(m.group(1)), utc=key in UTC_DATE_FIELDS)
    else:
        el.text = xml_safe(str(value))


def encode_xml(body: Any, reply: Reply, call: Call | None) -> bytes:
    """XmlSerializer output as the seed shows it: <Response> root, null members omitted, "" as <X />."""
    root = Element(reply.xml_root or "Response")
    _xml_fill(root, root.tag, body)
    return tostring(root, encoding="unicode").encode("utf-8")


def _explicit_media_type(accept: str | None) -> str:
    """JSON or XML when Accept names one, else "" (memoised per Accept value: clients repeat theirs)."""
    if not accept:
        return ""
    if len(accept) > 256:
        return choose_media_type(accept, PRODUCES, "")
    return _explicit_memo(accept)


@functools.lru_cache(maxsize=512)
def _explicit_memo(accept: str) -> str:
    return choose_media_type(accept, PRODUCES, "")


def response_media_type(call: Call, negotiated: str) -> str:
    """Accept decides when it names JSON or XML; otherwise the answer follows the request's format."""
    explicit = _explicit_media_type(call.headers.get("accept"))
    if explicit:
        return explicit
    return XML if call.media_type == XML else JSON
