"""Content negotiation: decode request bodies by Content-Type, pick and encode the response by Accept."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qsl
from xml.etree.ElementTree import Element, SubElement, tostring

import orjson

from .errors import MalformedBody
from .http import UploadedFile, pairs_to_dict
from .limits import parse_json, xml_depth_ok

JSON_TYPES = frozenset({"application/json", "text/json", "application/json-patch+json", "application/merge-patch+json"})
XML_TYPES = frozenset({"application/xml", "text/xml"})
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


_MT_CACHE: dict[str, tuple[str | None, dict[str, str]]] = {}


def media_type_of(content_type: str | None) -> tuple[str | None, dict[str, str]]:
    """'Application/JSON; charset=UTF-8' -> ('application/json', {'charset': 'UTF-8'}). Do not mutate the dict."""
    if not content_type:
        return None, {}
    hit = _MT_CACHE.get(content_type)
    if hit is not None:
        return hit
    result = _parse_media_type(content_type)
    if len(_MT_CACHE) < 1024:
        _MT_CACHE[content_type] = result
    return result


def _parse_media_type(content_type: str) -> tuple[str | None, dict[str, str]]:
    head, *rest = content_type.split(";")
    params: dict[str, str] = {}
    for item in rest:
        if "=" in item:
            k, v = item.split("=", 1)
            params[k.strip().lower()] = v.strip().strip('"')
    mt = head.strip().lower()
    return (mt or None), params


def is_json(mt: str | None) -> bool:
    return mt is not None and (mt in JSON_TYPES or mt.endswith("+json"))


def is_xml(mt: str | None) -> bool:
    return mt is not None and (mt in XML_TYPES or mt.endswith("+xml"))


# decoding --------------------------------------------------------------------------------
def text_of(raw: bytes, charset: str | None = None) -> str:
    enc = (charset or "utf-8").lower()
    if enc in ("utf-8", "utf8"):  # the C codec; a BOM (as .NET clients send) is dropped by hand
        enc = "utf-8"
        if raw[:3] == b"\xef\xbb\xbf":
            raw = raw[3:]
    try:
        return raw.decode(enc)
    except (UnicodeDecodeError, LookupError) as exc:
        raise MalformedBody("Request body is not valid " + (charset or "UTF-8"), reason="encoding") from exc


def decode_json(raw: bytes, charset: str | None = None) -> Any:
    text = text_of(raw, charset)
    try:
        return parse_json(text)  # depth, number range, lone surrogates: limits.py
    except MalformedBody as exc:
        raise MalformedBody(
            f"Malformed JSON: {exc.message}", reason=exc.extra.get("reason", "json"), detail=exc.message
        ) from None


def _strip_ns(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if "}" in tag else tag


def element_to_obj(el: Element) -> Any:
    """<A><B>1</B><B>2</B><C/></A> -> {"B": ["1", "2"], "C": ""} (namespaces dropped; i:nil -> None)."""
    children = list(el)
    for k, v in el.attrib.items():
        if _strip_ns(k) == "nil" and v.lower() == "true":
            return None
    if not children:
        return (el.text or "").strip() if (el.text or "").strip() else (el.text or "")
    out: dict[str, Any] = {}
    repeated: set[str] = set()
    for child in children:
        key = _strip_ns(child.tag)
        value = element_to_obj(child)
        if key in repeated:
            out[key].append(value)
        elif key in out:
            out[key] = [out[key], value]
            repeated.add(key)
        else:
            out[key] = value
    return out


def decode_xml(raw: bytes) -> tuple[str, Any]:
    """Parse XML safely (no DTDs, no entities, no external references): (root name, content)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring as xml_fromstring

    try:
        root = xml_fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise MalformedBody("XML with DTDs or entities is not accepted", reason="xml-entities") from exc
    except Exception as exc:  # ParseError and friends
        raise MalformedBody(f"Malformed XML: {exc}", reason="xml") from None
    xml_depth_ok(root)  # element_to_obj recurses: the depth is capped first (limits.py)
    return _strip_ns(root.tag), element_to_obj(root)


def decode_form(raw: bytes, charset: str | None = None) -> dict[str, Any]:
    text = text_of(raw, charset)
    try:
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedBody("Malformed form body", reason="form") from exc
    return pairs_to_dict(pairs)


async def decode_multipart(raw: bytes, content_type: str) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    from starlette.datastructures import Headers as StarletteHeaders
    from starlette.datastructures import UploadFile
    from starlette.formparsers import MultiPartException, MultiPartParser

    async def stream() -> Any:
        yield raw
        yield b""

    parser = MultiPartParser(
        StarletteHeaders({"content-type": content_type}),
        stream(),
        max_files=100,
        max_fields=1000,
        max_part_size=len(raw) + 1,
    )
    try:
        form = await parser.parse()
    except MultiPartException as exc:  # its messages are plain sentences ("Missing boundary in multipart.")
        raise MalformedBody(f"Malformed multipart body: {exc.message}", reason="multipart") from None
    except Exception:  # the parser's internal errors name nothing a client can act on
        raise MalformedBody("Malformed multipart body", reason="multipart") from None
    fields: dict[str, Any] = {}
    files: dict[str, UploadedFile] = {}
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            data = await value.read()
            files[key] = UploadedFile(key, value.filename or "", value.content_type or "", data)
            await value.close()
        else:
            fields[key] = value
    return fields, files


# Accept ------------------------------------------------------------------------------------
def choose_media_type(accept: str | None, produces: list[str], default: str) -> str:
    """The best of `produces` for this Accept; unknown or garbled Accept -> `default`."""
    if not accept:
        return default
    best: tuple[float, int, str] | None = None
    for order, item in enumerate(accept.split(",")):
        mt, params = media_type_of(item)
        if not mt:
            continue
        try:
            q = float(params.get("q", "1"))
        except ValueError:
            q = 1.0
        if q <= 0:
            continue
        if mt in ("*/*", "*"):
            cand = default
        elif mt.endswith("/*"):
            major = mt[:-1]
            cand = next((p for p in produces if p.startswith(major)), "")
            if default.startswith(major):
                cand = default
        else:
            cand = mt if mt in produces else ""
        if cand and (best is None or (q, -order) > (best[0], best[1])):
            best = (q, -order, cand)
    return best[2] if best else default


# encoding ----------------------------------------------------------------------------------
def json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


_JSON_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=json_default)


def _float_risk(data: bytes) -> bool:
    """A number orjson may print unlike Python: `<digit>e-<digit>` (1e-7), or `0.0000` starting a number
    (0.00001). Each candidate is looked at in place (text such as "e-mail" or "v0.00001" is passed over
    cheaply; a regex over the whole answer cost ~25 us per KiB)."""
    i = data.find(b"e-")
    while i != -1:
        if 0 < i < len(data) - 2 and data[i - 1] in _DIGIT_BYTES and data[i + 2] in _DIGIT_BYTES:
            return True
        i = data.find(b"e-", i + 2)
    i = data.find(b"0.0000")
    while i != -1:
        if i == 0 or data[i - 1] not in _DIGIT_BYTES:
            return True
        i = data.find(b"0.0000", i + 1)
    return False


_DIGIT_BYTES = frozenset(b"0123456789")
_ORJSON_OPTS = orjson.OPT_PASSTHROUGH_DATETIME  # datetimes through json_default, as the stdlib encoder does


def encode_json(body: Any) -> bytes:
    """Compact UTF-8 JSON, as the vendors' servers write it.

    orjson writes it; the stdlib encoder is the reference for the bytes. Where the two could differ,
    the stdlib one answers: a value orjson refuses (integers past 64 bits, non-string keys) and any
    output that may hold a float the two print differently -- orjson writes 0.00001 and 1e-7 where
    Python writes 1e-05 and 1e-07 (they agree on every large exponent, 1e+16 alike); such output contains
    "0.0000" or "e-" (two scans of the bytes; `_float_risk` looks at each hit). One difference is kept:
    NaN and Infinity are written as null (the stdlib's NaN is not JSON; no vendor sample has one)."""
    data = encode_json_or_none(body)
    if data is None:
        return _JSON_ENCODER.encode(body).encode("utf-8")
    # orjson's bytes keep its growth buffer (a 9 KB answer holds ~130 KB); the journal keeps answers, so
    # hand out an exact-size copy (one memcpy) and let the buffer go
    return bytes(memoryview(data))


def encode_json_or_none(body: Any) -> bytes | None:
    """orjson's bytes for `body` when they are the stdlib encoder's too, else None (see encode_json).
    The bytes may hold orjson's growth buffer: copy (or join) them before keeping them. `body` may hold
    `orjson.Fragment`s (already-encoded parts, e.g. an API's shared constant tables, that the caller knows
    to be float-safe and substitutes itself)."""
    try:
        data = orjson.dumps(body, default=json_default, option=_ORJSON_OPTS)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return None
    if (b"0.0000" in data or b"e-" in data) and _float_risk(data):
        return None
    return data


# Characters XML 1.0 cannot carry, not even as a character reference (§2.2): C0 controls but TAB, LF, CR;
# lone surrogates; U+FFFE and U+FFFF.
# (the set written positively: the negated range costs ~9 ms to compile at start-up, this ~1 ms)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` with each character XML 1.0 forbids written as U+FFFD, so every XML answer parses."""
    return _NOT_XML.sub("\ufffd", text) if not text.isprintable() or "\ufffe" in text or "\uffff" in text else text


def _xml_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return xml_safe(str(value))


def default_item_name(parent: str, value: Any) -> str:
    """How a list item is named in XML when nothing better is known (.NET DataContract style)."""
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "double"
    return parent[:-1] if parent.endswith("s") and len(parent) > 1 else "item"


def obj_to_element(
    parent: Element,
    key: str,
    value: Any,
    item_name: Callable[[str, Any], str] = default_item_name,
    scalar: Callable[[Any], str] = _xml_text,
) -> None:
    el = SubElement(parent, key)
    fill_element(el, key, value, item_name, scalar)


def fill_element(
    el: Element,
    key: str,
    value: Any,
    item_name: Callable[[str, Any], str] = default_item_name,
    scalar: Callable[[Any], str] = _xml_text,
) -> None:
    if value is None:
        el.set("{http://www.w3.org/2001/XMLSchema-instance}nil", "true")
    elif isinstance(value, dict):
        for k, v in value.items():
            obj_to_element(el, _xml_name(str(k)), v, item_name, scalar)
    elif isinstance(value, list):
        for v in value:
            obj_to_element(el, item_name(key, v), v, item_name, scalar)
    else:
        el.text = scalar(value)


def _xml_name(name: str) -> str:
    out = "".join(c if (c.isalnum() or c in "_-.") else "_" for c in name)
    return out if out and (out[0].isalpha() or out[0] == "_") else "_" + out


def encode_xml(
    body: Any,
    root: str = "Response",
    item_name: Callable[[str, Any], str] = default_item_name,
    scalar: Callable[[Any], str] = _xml_text,
) -> bytes:
    el = Element(root)
    fill_element(el, root, body, item_name, scalar)
    data: bytes = tostring(el, encoding="utf-8", xml_declaration=True)
    return data.replace(b"ns0:nil", b"i:nil").replace(b'xmlns:ns0="', b'xmlns:i="')
