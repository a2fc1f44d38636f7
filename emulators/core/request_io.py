"""Reading and decoding request bodies, refusing bad input, and dropping connections."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import parse_qsl, unquote_to_bytes

from .call import Call, Headers
from .errors import BadCharacters, EmulatorError, Issue, PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from .intparse import is_digits
from .negotiation import (
    FORM,
    MULTIPART,
    decode_form,
    decode_json,
    decode_multipart,
    decode_xml,
    is_json,
    is_xml,
    media_type_of,
)
from .validation import coerce

if TYPE_CHECKING:
    from .spec import EmulatorSpec

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_CONTROL_B = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")


class ConnectionDropped(ConnectionResetError):
    """A fault rule asked to close the connection without any response."""


def check_characters(headers: Headers, query: str) -> None:
    items = headers.items_list
    if _CONTROL.search("\t".join(v for _, v in items)):
        for name, value in items:
            if _CONTROL.search(value):
                raise BadCharacters(f"Control character in header {name}", name=name, where="header")
    if query and "%" in query:
        bad = _query_control_part(query)
        if bad is not None:
            raise BadCharacters("Control character in the query string", name=bad, where="query")


MEMO_QUERY_CHARS = 2048  # query strings up to this long are worked out once each (1,024 kept: ~2 MB at most)

T = TypeVar("T")


def per_short_query(fn: Callable[[str], T]) -> Callable[[str], T]:
    """`fn` memoised for query strings up to MEMO_QUERY_CHARS (clients repeat theirs); longer ones each
    time (a memo of them would hold megabytes). Exceptions are not memoised."""
    memo = functools.lru_cache(maxsize=1024)(fn)

    @functools.wraps(fn)
    def call(query: str) -> T:
        return memo(query) if len(query) <= MEMO_QUERY_CHARS else fn(query)

    return call


@per_short_query
def _query_control_part(query: str) -> str | None:
    """The name of the first query part whose decoded value holds a control character."""
    for part in query.split("&"):
        if _CONTROL_B.search(unquote_to_bytes(part.replace("+", " "))):
            return part.split("=", 1)[0]
    return None


@per_short_query
def query_pairs(query: str) -> tuple[tuple[str, str], ...]:
    """The query's name/value pairs (parse_qsl, strict UTF-8: else a 400)."""
    try:
        return tuple(parse_qsl(query, keep_blank_values=True, errors="strict"))
    except UnicodeDecodeError as exc:
        raise EmulatorError("Query string is not valid UTF-8", status=400, reason="encoding") from exc


FRAMED = "emulators.framed"  # scope key: the request was framed by our HTTP/1.1 parser (server_protocol.py)


def _exceeds(digits: str, limit: int) -> bool:
    significant = digits.lstrip("0")  # compared by length first: int() refuses more than MAX_DIGITS digits
    return len(significant) > len(str(limit)) or int(significant or "0") > limit


async def read_body(receive: Any, headers: Headers, limit: int, framed: bool = False) -> bytes:
    declared = headers.get("content-length")
    if framed and (declared is None or declared == "0") and "transfer-encoding" not in headers:
        return b""  # HTTP/1.1 framing: no length and no chunking, or a zero length, is no body at all
    if declared is not None and is_digits(declared) and _exceeds(declared, limit):
        raise PayloadTooLarge(f"Request body of {declared} bytes exceeds the limit of {limit} bytes", limit=limit)
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":  # the client left (or its body timed out): nobody to answer
            raise ConnectionDropped("client disconnected before the body was complete")
        chunk = message.get("body", b"")
        if chunk:
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge(f"Request body exceeds the limit of {limit} bytes", limit=limit)
            chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks) if len(chunks) != 1 else chunks[0]


def decode_body(call: Call, raw: bytes, headers: Headers, spec: EmulatorSpec) -> bool:
    """Decode `raw` by Content-Type into call.body / call.form / call.files; 415 if not accepted.
    Synchronous; returns True when a multipart body is left for `decode_multipart_body` (async)."""
    op = call.operation
    content_type = headers.get("content-type")
    mt, params = media_type_of(content_type)
    accepted = op.body_media  # media type -> schema (membership tests only)
    if not raw or raw.isspace():
        if mt in (MULTIPART, FORM):
            call.media_type = mt
        return False
    if mt is None:
        sniff = raw.lstrip()[:1]
        if sniff in (b"{", b"[") and any(is_json(a) for a in accepted or spec.consumes):
            mt = next(a for a in (accepted or spec.consumes) if is_json(a))
        elif sniff == b"<" and any(is_xml(a) for a in accepted or spec.consumes):
            mt = next(a for a in (accepted or spec.consumes) if is_xml(a))
        elif not accepted:
            return False
        else:
            raise UnsupportedMediaType("The request has a body but no Content-Type", media_type=None)
    call.media_type = mt
    if accepted and mt not in accepted and "*/*" not in accepted:
        raise UnsupportedMediaType(f"Content-Type {mt} is not supported", media_type=mt)
    if not accepted and mt not in spec.consumes:
        return False  # the operation takes no body: ignore what was sent
    schema = op.body_media.get(mt) or op.body_media.get("*/*") or {}
    charset = params.get("charset")
    if mt in spec.decoders:
        call.body = spec.decoders[mt](raw, call)
    elif is_json(mt):
        call.body = decode_json(raw, charset)
    elif is_xml(mt):
        root, obj = decode_xml(raw)
        call.xml_root = root
        if not schema:
            schema = next((s for m, s in op.body_media.items() if is_json(m)), {})
            call.schema_media = next((m for m in op.body_media if is_json(m)), mt)
        call.body = coerce(obj if obj != "" else {}, schema)
    elif mt == FORM:
        call.form = decode_form(raw, charset)
        call.body = coerce(call.form, schema) if schema else call.form
    elif mt == MULTIPART:
        if "boundary" not in params:
            raise ValidationFailed(
                "Multipart body without a boundary",
                issues=[Issue("body", "", "Multipart body without a boundary", "format")],
            )
        return True
    else:
        call.body = raw
    return False


async def decode_multipart_body(call: Call, raw: bytes, headers: Headers) -> None:
    """The multipart half of `decode_body`: fields into call.form (and call.body), files into call.files."""
    call.form, call.files = await decode_multipart(raw, headers.get("content-type") or "")
    schema = call.operation.body_media.get(MULTIPART) or call.operation.body_media.get("*/*") or {}
    call.body = coerce(call.form, schema) if schema else call.form


async def drop_connection(receive: Any) -> None:
    """Close the TCP connection without a response (uvicorn); in-process callers get an exception."""
    cycle = getattr(receive, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        raise ConnectionDropped("connection closed by fault rule")
    cycle.disconnected = True  # type: ignore[union-attr]
    transport.close()
