"""Every operationId -> its handler. The alternative methods of vendor-facts D ("POST (or PUT)") are
separate contract operations named <operationId>Alt, served by the same function."""

from __future__ import annotations

from emulators.core.spec import Handler

from ..auth import getToken
from . import budgets, communication, documents, groups, network, projects

_MODULES = (projects, documents, groups, communication, budgets, network)
ALTERNATIVES = ("closeProject", "openProject", "closeProjectPhase", "openProjectPhase", "addDocumentToDocumentGroup",
                "setExternalReference", "linkBudgetRow", "unlinkBudgetRow")


def _collect() -> dict[str, Handler]:
    table: dict[str, Handler] = {"getToken": getToken}
    for module in _MODULES:
        for name, fn in vars(module).items():
            # a handler is a module-level function documented as "<operationId> — ..."
            if callable(fn) and getattr(fn, "__module__", "") == module.__name__ and \
                    (fn.__doc__ or "").startswith(name + " "):
                table[name] = fn
    for name in ALTERNATIVES:
        table[name + "Alt"] = table[name]
    return table


HANDLERS: dict[str, Handler] = _collect()
