"""The one integer parser for path, query, header, form and XML values.

`[+-]?[0-9]+` in ASCII, surrounding blanks allowed, at most MAX_DIGITS digits: `"+-5"`, `"-+3320"`, `"1_000"`,
`"١٢"` (Arabic-Indic digits) and `"+"` are not integers. Anything that is not returns None, so the caller answers
with the vendor's own "bad integer" error; `int()` is never reached with text it would refuse.

Never test digits with `str.isdigit()`: it says yes to `"²"` (which `int()` refuses: a 500) and to the
Arabic-Indic digits above (which `int()` reads, where the vendors refuse them). `is_digits` / `parse_digits` are
the ASCII-only spellings.
"""

from __future__ import annotations

import re

from .limits import MAX_DIGITS

_INT = re.compile(r"[ \t]*([+-]?[0-9]{1," + str(MAX_DIGITS) + r"})[ \t]*\Z", re.ASCII)
_DIGITS = re.compile(r"[0-9]{1," + str(MAX_DIGITS) + r"}\Z", re.ASCII)


def is_digits(text: str) -> bool:
    """One or more ASCII digits 0-9 and nothing else (no sign, no blanks)."""
    return text.isascii() and text.isdigit()


def parse_digits(value: object) -> int | None:
    """`value` as an int when it is a string of ASCII digits only (no sign, no blanks, at most MAX_DIGITS)."""
    if isinstance(value, str) and _DIGITS.match(value):
        return int(value)
    return None


def parse_int(value: object) -> int | None:
    """`value` as an int when it is one written in the strict pattern (or already an int), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if not isinstance(value, str):
        return None
    m = _INT.match(value)
    return int(m.group(1)) if m else None


def parse_unsigned(value: object) -> int | None:
    """Like `parse_int`, but digits only: no sign at all (ids, counters)."""
    if isinstance(value, str) and value.strip()[:1] in ("+", "-"):
        return None
    out = parse_int(value)
    return out if out is None or out >= 0 else None
