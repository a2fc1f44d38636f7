"""Blanking credentials in journaled bodies, both ways (requests and responses), by parsing them.

JSON (any key, any depth), XML (element local names and attributes, parsed, so `<ApiKey >` and namespaced
names are caught), form bodies, and multipart bodies (the value of a part whose field name is a credential).
Keys are compared case-insensitively. A body that does not parse is shown as text with a tolerant
pattern pass for the same keys. No function here raises.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

REDACTED = "***"


def redact_obj(obj: Any, keys: frozenset[str]) -> Any:
    """A copy of a decoded JSON value with every credential key's value replaced (iterative)."""
    if not keys or not isinstance(obj, dict | list):
        return obj
    root: list[Any] = [None]
    stack: list[tuple[Any, Any, Any]] = [(obj, root, 0)]
    while stack:
        node, parent, slot = stack.pop()
        if isinstance(node, dict):
            out: Any = {}
            for k, v in node.items():
                if str(k).lower() in keys:
                    out[k] = REDACTED
                else:
                    out[k] = v
                    if isinstance(v, dict | list):
                        stack.append((v, out, k))
        elif isinstance(node, list):
            out = list(node)
            for i, v in enumerate(node):
                if isinstance(v, dict | list):
                    stack.append((v, out, i))
        else:
            out = node
        parent[slot] = out
    return root[0]


def redact_form(text: str, keys: frozenset[str]) -> str:
    pairs = parse_qsl(text, keep_blank_values=True)
    return "&".join(f"{k}={REDACTED if k.lower() in keys else v}" for k, v in pairs)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) and "}" in tag else str(tag)


def redact_xml(text: str, keys: frozenset[str]) -> str:
    """Parse (defused: no DTDs or entities) and blank credential elements and attributes; a document that
    does not parse falls back to a tolerant pattern (`<ApiKey >x</ApiKey>`, `<a:ApiKey>`)."""
    if not keys:
        return text
    try:
        from xml.etree.ElementTree import tostring

        from defusedxml.ElementTree import fromstring

        root = fromstring(text.encode("utf-8"), forbid_dtd=True, forbid_entities=True, forbid_external=True)
        hit = False
        stack = [root]
        while stack:
            el = stack.pop()
            if _local(el.tag).lower() in keys:
                el.text = REDACTED
                for child in list(el):
                    el.remove(child)
                hit = True
            for name in list(el.attrib):
                if _local(name).lower() in keys:
                    el.attrib[name] = REDACTED
                    hit = True
            stack.extend(el)
        if not hit:
            return text
        decl = text.lstrip()[:5] == "<?xml"
        out: str = tostring(root, encoding="unicode")
        return ('<?xml version="1.0" encoding="utf-8"?>' + out) if decl else out
    except Exception:
        return _redact_xml_text(text, keys)


def _redact_xml_text(text: str, keys: frozenset[str]) -> str:
    for key in keys:
        text = re.sub(
            rf"(<\s*(?:[\w.-]+:)?{re.escape(key)}(?:\s[^>]*)?>)[^<]*(<\s*/\s*(?:[\w.-]+:)?"
            rf"{re.escape(key)}\s*>)",
            rf"\g<1>{REDACTED}\g<2>",
            text,
            flags=re.I,
        )
        text = re.sub(
            rf"(\s(?:[\w.-]+:)?{re.escape(key)}\s*=\s*)(\"[^\"]*\"|'[^']*')", rf'\g<1>"{REDACTED}"', text, flags=re.I
        )
    return text


_DISPOSITION_NAME = re.compile(rb'(?:^|[;\s])name\s*=\s*(?:"([^"]*)"|([^;\s]+))', re.I)


def redact_multipart(raw: bytes, content_type: str, keys: frozenset[str]) -> bytes:
    """The multipart body with each credential part's value replaced; unparseable bodies unchanged."""
    if not keys:
        return raw
    m = re.search(r'boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))', content_type, re.I)
    if not m:
        return raw
    delim = b"--" + (m.group(1) or m.group(2)).encode("latin-1", "replace")
    parts = raw.split(delim)
    changed = False
    for i, part in enumerate(parts):
        head, sep, body = part.partition(b"\r\n\r\n")
        if not sep:
            continue
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-disposition:"):
                nm = _DISPOSITION_NAME.search(line.split(b":", 1)[1])
                name = (nm.group(1) or nm.group(2) or b"").decode("utf-8", "replace").lower() if nm else ""
                if name in keys:
                    tail = b"\r\n" if body.endswith(b"\r\n") else b""
                    parts[i] = head + sep + REDACTED.encode() + tail
                    changed = True
                break
    return delim.join(parts) if changed else raw
