"""What no error body may contain: Python internals (issue 18, "error hygiene")."""

from __future__ import annotations

import re

PYTHON_TOKENS = re.compile(
    r"<class '|Traceback \(most recent call last\)|line \d+ column \d+ \(char \d+\)|\.py\", line \d+"
    r"|\b(?:TypeError|ValueError|KeyError|AttributeError|RecursionError|OverflowError|IndexError|RuntimeError"
    r"|UnicodeDecodeError|UnicodeEncodeError|JSONDecodeError|AssertionError|ZeroDivisionError|NameError"
    r"|NoneType|ParseError|MultiPartException)\b"
    r"|\{'[^'{}]*': |\[\{'|\bb'[^']*'"
)


def python_tokens(body: bytes | str) -> list[str]:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    return [m.group(0) for m in PYTHON_TOKENS.finditer(text)]
