"""(api, operationId, status) a handler can raise that its operation does not document: strict xfails."""

from __future__ import annotations

HANDLER_STATUS_GAPS: dict[tuple[str, str, str], str] = {}
