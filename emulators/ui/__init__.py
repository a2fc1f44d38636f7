"""The dashboard at `/__emulator/ui` (and `/__ns/<name>/__emulator/ui`): Requests, State, Faults, Webhooks,
Clock, Namespaces and Exports pages, served by the control plane under its contract (never journaled).

Server-side Jinja2 templates (through Starlette's `Jinja2Templates`) plus small plain JavaScript and CSS
in `templates/` and `static/`, shipped in the wheel. Nothing is loaded from the internet. Jinja2 is imported
on the first page view, so serving an API costs no start-up time for the dashboard.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..core.call import Call, Reply
    from ..core.control import ControlPlane
    from ..core.spec import Handler

UI_PATH = "/__emulator/ui"


# the dashboard's operationIds in contracts/control/openapi.yaml (Dashboard.handlers() answers each one)
OPERATIONS = ("uiHome", "uiPage", "uiAsset", "uiRequests", "uiRequest", "uiState", "uiNamespaces", "uiExport")


def handlers(control: ControlPlane) -> dict[str, Handler]:
    """The dashboard's control-plane handlers, by operationId. The dashboard's modules are imported on
    the first page view, so serving an API does not pay for them at start-up."""
    built: dict[str, Handler] = {}

    def lazy(operation: str) -> Handler:
        def handler(call: Call) -> Reply:
            if not built:
                from .dashboard import Dashboard

                built.update(Dashboard(control).handlers())
            return built[operation](call)

        handler.__name__ = handler.__qualname__ = operation
        return handler

    return {operation: lazy(operation) for operation in OPERATIONS}
