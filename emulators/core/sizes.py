"""Sizes as people write them: `16777216`, `16MiB`, `64 KiB`, `1.5MB`, `512k`.

KiB, MiB, GiB (and the bare k, m, g, as nginx and Docker read them) are powers of 1024; KB, MB, GB
are powers of 1000; B or nothing is bytes. Case does not matter. Anything else is a ValueError whose
text completes "<flag or VAR=value>: ...".
"""

from __future__ import annotations

import re

_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*\Z", re.I)
UNITS = {
    "": 1,
    "b": 1,
    "k": 1024,
    "kib": 1024,
    "kb": 1000,
    "m": 1024**2,
    "mib": 1024**2,
    "mb": 1000**2,
    "g": 1024**3,
    "gib": 1024**3,
    "gb": 1000**3,
}
SIZE_HELP = "a size in bytes, or with a unit: 64KiB, 16MiB, 1GiB (1024-based), 500KB, 2MB (1000-based)"


def parse_size(text: object) -> int:
    """Bytes for `text` (an int is taken as bytes)."""
    if isinstance(text, int) and not isinstance(text, bool):
        if text < 0:
            raise ValueError(f"not {SIZE_HELP}")
        return text
    m = _SIZE.match(str(text))
    unit = m.group(2).lower() if m else ""
    if m is None or unit not in UNITS:
        raise ValueError(f"not {SIZE_HELP}")
    number = float(m.group(1)) if "." in m.group(1) else int(m.group(1))
    return int(number * UNITS[unit])
