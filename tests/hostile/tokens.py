"""What no error body may contain: Python internals (issue 18, "error hygiene").

A vendor echoes what the client sent ("Invalid filter 'b'", "The value '{'': 'null'}' is not valid"), so text
the request itself carried is not a leak: `python_tokens(body, sent=request_texts(call))` blanks every echo of
a sent value before scanning, and a token the emulator wrote around or instead of it is still found.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from typing import Any

PYTHON_TOKENS = re.compile(
    r"<class '|Traceback \(most recent call last\)|line \d+ column \d+ \(char \d+\)|\.py\", line \d+"
    r"|\b(?:TypeError|ValueError|KeyError|AttributeError|RecursionError|OverflowError|IndexError|RuntimeError"
    r"|UnicodeDecodeError|UnicodeEncodeError|JSONDecodeError|AssertionError|ZeroDivisionError|NameError"
    r"|NoneType|ParseError|MultiPartException)\b"
    r"|\{'[^'{}]*': |\[\{'|\bb'[^']*'"
)
_WORD = re.compile(r"\w")
_MAX_LEAVES = 10_000  # a hostile body nests deeply; its first strings are plenty to recognise an echo


def python_tokens(body: bytes | str, sent: Iterable[str] = ()) -> list[str]:
    """The Python internals in `body`, not counting text that is an echo of one of the `sent` values."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    found = [m.group(0) for m in PYTHON_TOKENS.finditer(text)]
    if not found:  # the common case: nothing to explain away
        return found
    blanked = _blank_echoes(text, sent)
    return found if blanked == text else [m.group(0) for m in PYTHON_TOKENS.finditer(blanked)]


def request_texts(call: Any) -> list[str]:
    """What the client sent, as text: path, path/query values and names, header values, body and its strings."""
    if call is None:
        return []
    texts = [call.path, *call.path_params.values()]
    for name, values in call.query_multi.items():
        texts += [name, *values]
    texts += [value for _, value in call.headers.items_list]
    if call.raw_body:
        texts.append(call.raw_body.decode("utf-8", "replace"))
    texts += _strings(call.body)
    texts += _strings(call.form)
    return [t for t in texts if isinstance(t, str) and t]


def _strings(value: Any) -> list[str]:
    out: list[str] = []
    stack = [value]
    while stack and len(out) < _MAX_LEAVES:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            out += [k for k in item if isinstance(k, str)]
            stack += item.values()
        elif isinstance(item, list | tuple):
            stack += item
    return out


def _forms(value: str) -> set[str]:
    """A value as it can appear in an encoded body: raw, JSON-escaped (both ways), XML-escaped."""
    return {
        value,
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
        html.escape(value, quote=False),
        html.escape(value),
    }


def _blank_echoes(text: str, sent: Iterable[str]) -> str:
    """`text` with each whole-word occurrence of a sent value replaced by `x` (so `b'<echo>'` still matches)."""
    spans: list[tuple[int, int]] = []
    for value in set(sent):
        for form in _forms(value):
            start = text.find(form)
            while start != -1:
                end = start + len(form)
                # an echo is a whole word: a sent `Type` does not explain the start of `TypeError`
                before = start > 0 and _WORD.match(text[start - 1]) and _WORD.match(form[0])
                after = end < len(text) and _WORD.match(text[end]) and _WORD.match(form[-1])
                if not before and not after:
                    spans.append((start, end))
                start = text.find(form, start + 1)
    if not spans:
        return text
    spans.sort()
    out: list[str] = []
    pos = 0
    for start, end in spans:
        if end <= pos:
            continue
        if start >= pos:
            out.append(text[pos:start])
            out.append("x")
        pos = end
    out.append(text[pos:])
    return "".join(out)
