"""GET /Projects/{id}/image, /note_html, /note_plain, /note_rtf (vendor-facts A2.1: paths and statuses only).

Served from the tenant table `project_media` {project id: {"image": {"content_type", "data" (base64)},
"note_plain", "note_html", "note_rtf"}}. Assumptions (SOURCE.md, assumption 18): raw content, not JSON --
the image bytes with their stored Content-Type, the notes as text/html, text/plain (UTF-8) and
application/rtf; a note format that is not stored is derived from the plain note (HTML-escaped paragraphs,
a minimal RTF document); a project without a note answers 200 with an empty body; a project without an
image answers 404 (no image record); an unknown project 404 as on GET /Projects/{id}.
"""

from __future__ import annotations

import base64
import binascii
import html
from typing import Any

from emulators.core.call import Call, Reply
from emulators.core.errors import NotFound

from .projects import load_project

NO_IMAGE = "There is no image for this project"
HTML, PLAIN, RTF = "text/html", "text/plain", "application/rtf"


def _media(call: Call, key: str) -> dict[str, Any]:
    rec = call.store.get("project_media", key)
    return rec if isinstance(rec, dict) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def plain_to_html(text: str) -> str:
    """One <p> per line, the text HTML-escaped."""
    return "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines())


def plain_to_rtf(text: str) -> str:
    """A minimal RTF 1 document: `\\par` per line, `\\ \\{ \\}` escaped, non-ASCII as `\\uN?`."""

    def esc(line: str) -> str:
        out = []
        for ch in line:
            if ch in "\\{}":
                out.append("\\" + ch)
            elif ord(ch) > 127:
                code = ord(ch) if ord(ch) < 32768 else ord(ch) - 65536
                out.append(f"\\u{code}?")
            else:
                out.append(ch)
        return "".join(out)

    body = "\\par\n".join(esc(line) for line in text.splitlines())
    return "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}\\f0\\fs20 " + body + "}"


def _note(call: Call, fmt: str) -> str:
    key, _ = load_project(call)
    media = _media(call, key)
    stored = _text(media.get(f"note_{fmt}"))
    if stored is not None:
        return stored
    plain = _text(media.get("note_plain")) or ""
    if not plain:
        return ""
    return plain_to_html(plain) if fmt == "html" else plain_to_rtf(plain)


def getProjectImage(call: Call) -> Reply:
    """GET /api/v1/Projects/{id}/image -- the project's image bytes (404 when it has none)."""
    key, _ = load_project(call)
    image = _media(call, key).get("image")
    if not isinstance(image, dict) or not isinstance(image.get("data"), str):
        raise NotFound(NO_IMAGE)
    try:
        data = base64.b64decode(image["data"], validate=True)
    except (binascii.Error, ValueError):
        raise NotFound(NO_IMAGE) from None
    if not data:
        raise NotFound(NO_IMAGE)
    return Reply(body=data, media_type=str(image.get("content_type") or "image/jpeg"))


def getProjectNoteHtml(call: Call) -> Reply:
    """GET /api/v1/Projects/{id}/note_html -- the project's note as HTML."""
    return Reply(body=_note(call, "html").encode("utf-8"), media_type=HTML)


def getProjectNotePlain(call: Call) -> Reply:
    """GET /api/v1/Projects/{id}/note_plain -- the project's note as plain text."""
    return Reply(body=_note(call, "plain").encode("utf-8"), media_type=PLAIN)


def getProjectNoteRtf(call: Call) -> Reply:
    """GET /api/v1/Projects/{id}/note_rtf -- the project's note as RTF."""
    return Reply(body=_note(call, "rtf").encode("utf-8"), media_type=RTF)
