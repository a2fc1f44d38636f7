"""Stored file names and the Content-Disposition they are served with.

`safe_filename` drops what a file name must not carry into a store or a header: control characters (CR, LF,
NUL, DEL, C1), path separators and surrounding blanks. `content_disposition` quotes an ASCII fallback and adds
the RFC 6266 / RFC 5987 `filename*` form for any other character, so no name can split or inject a header.
"""

from __future__ import annotations

import re
from urllib.parse import quote

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def safe_filename(name: str, default: str = "document") -> str:
    text = _CONTROL.sub("", str(name)).replace("\\", "/").rsplit("/", 1)[-1].strip()
    return text or default


def content_disposition(name: str, kind: str = "attachment") -> str:
    clean = safe_filename(name)
    fallback = clean.encode("ascii", "replace").decode("ascii").replace('"', "").replace("\\", "")
    if fallback == clean:
        return f'{kind}; filename="{fallback}"'
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(clean, safe='')}"


def printable(text: str) -> str:
    """`text` with control characters shown as `\\xNN` (for quoting a client's value in a message)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))
