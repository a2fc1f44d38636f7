"""Expectations of a portable recording: what the recorded answer may differ in on replay (links to the
recorded host, clock values, random-looking tokens) and the values the client chose itself."""

from __future__ import annotations

import re
from typing import Any

from ..core.journal import REDACTED, Redaction
from .views import GUID, TOKEN_LIKE, Exchange, _clock_value, _ct, _walk, decode_body, response_view


class _Loosening:
    """The loosening of a `_Builder`'s expectations (portable.py)."""

    x: list[Exchange]
    red: Redaction
    exact: bool
    bases: list[str]

    def _loosen(self, value: Any, key: str | None, sent: set[str]) -> Any:
        if isinstance(value, str):
            for base in self.bases:  # a link to the recorded server: any host (and namespace) will do
                if value.startswith(base) and (len(value) == len(base) or value[len(base)] in "/?#"):
                    rest = "".join(
                        part if part.startswith("${") else re.escape(part)
                        for part in re.split(r"(\$\{[^}]+\})", value[len(base) :])
                    )
                    return {"$regex": "^https?://[^/]+(/__ns/[^/]+)?" + rest + "$"}
        if self.exact:
            return value
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and _clock_value(value, key) == "epoch"
            and str(value) not in sent
        ):
            return {"$date": "epoch"}
        if isinstance(value, str) and "${" not in value:
            if key is not None and key.lower() in self.red.body_keys:
                return {"$any": True}
            if value == REDACTED:
                return {"$any": True}
            shape = _clock_value(value, key)
            if shape and value not in sent:
                return {"$date": shape}
            if (GUID.match(value) or TOKEN_LIKE.match(value)) and value not in sent:
                return {"$type": "string"}
        return value

    def _sent_values(self) -> set[str]:
        """Values the client chose: sent in a request before any answer had them."""
        if not hasattr(self, "_sent_cache"):
            values: set[str] = set()
            answered: set[str] = set()
            for e in self.x:
                sent = {v for _, v in e.query} | {v for _, v in e.req_headers}
                body = decode_body(e.req_body, _ct(e.req_headers))
                if body is not None and body[0] in ("json", "form"):
                    sent.update(str(v) for _, v in _walk(body[1]))
                values.update(sent - answered)
                view = response_view(e.resp_body, _ct(e.resp_headers))
                if view is not None and view[0] in ("json", "xml"):
                    answered.update(str(v) for _, v in _walk(view[1]))
            self._sent_cache = values
        return self._sent_cache


def _set_path(doc: Any, path: str, value: Any) -> Any:
    parts = re.findall(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]", path[1:])
    if not parts:
        return value
    cur = doc
    try:
        for key, idx in parts[:-1]:
            cur = cur[int(idx)] if idx else cur[key]
        key, idx = parts[-1]
        if idx:
            cur[int(idx)] = value
        else:
            cur[key] = value
    except (KeyError, IndexError, TypeError):
        pass
    return doc
