"""XML responses (vendor-facts B5): the root element is the carrier's name (`<ProjectEntity>`), children
are the properties; array items are named after their carrier (`<ProjectMember>`, `<EntityElement>`,
`<Link>`); string dictionaries are written the DataContract way
(`<KeyValueOfstringstring><Key>..</Key><Value>..</Value></KeyValueOfstringstring>`), null as `i:nil`."""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

from emulators.core import xml_safe
from emulators.core.call import Call, Reply

from .fields import DICT_PROPS, XML_ITEM

XSI = "http://www.w3.org/2001/XMLSchema-instance"
register_namespace("i", XSI)
DICT_ITEM = {
    "FieldProperties": "KeyValueOfstringFieldProperty",
    "_Links": "KeyValueOfstringstring",
    **{name: "KeyValueOfstringstring" for name in DICT_PROPS},
}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return xml_safe(str(value))  # a Name holding U+0001 is stored as sent; its XML shows U+FFFD (SOURCE.md)


def _fill(el: Element, key: str, value: Any) -> None:
    if value is None:
        el.set(f"{{{XSI}}}nil", "true")
    elif isinstance(value, dict) and key in DICT_ITEM:
        for k, v in value.items():
            pair = SubElement(el, DICT_ITEM[key])
            SubElement(pair, "Key").text = xml_safe(str(k))
            _fill(SubElement(pair, "Value"), "Value", v)
    elif isinstance(value, dict):
        for k, v in value.items():
            _fill(SubElement(el, _name(str(k))), str(k), v)
    elif isinstance(value, list):
        item = XML_ITEM.get(key) or (key[7:] if key.startswith("ArrayOf") else "item")  # ArrayOfX -> <X>
        for v in value:
            _fill(SubElement(el, item), item, v)
    else:
        el.text = _text(value)


def _name(key: str) -> str:
    out = "".join(c if (c.isalnum() or c in "_-.") else "_" for c in key)
    return out if out and (out[0].isalpha() or out[0] == "_") else "_" + out


def encode_xml(body: Any, reply: Reply, call: Call | None) -> bytes:
    root = Element(reply.xml_root or "ProjectEntity")
    _fill(root, root.tag, body)
    text: str = tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>' + text).encode("utf-8")
