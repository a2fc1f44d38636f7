"""The one integer parser for path, query, header, form and XML values.

`[+-]?[0-9]+` in ASCII, surrounding blanks allowed, at most MAX_DIGITS digits: `"+-5"`, `"-+3320"`, `"1_000"`,
`"١٢"` (Arabic-Indic digits) and `"+"` are not integers. Anything that is not returns None, so the caller answers
with the vendor's own "bad integer" error; `int()` is never reached with text it would refuse.
"""

from __future__ import annotations

import re

from .limits import MAX_DIGITS

_INT = re.compile(r"[ \t]*([+-]?[0-9]{1," + str(MAX_DIGITS) + r"})[ \t]*\Z", re.ASCII)


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
