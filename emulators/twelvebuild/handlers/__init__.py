"""Every operationId -> its handler: the merge of each resource module's `HANDLERS`. The alternative methods
of vendor-facts D ("POST (or PUT)") are separate contract operations named <operationId>Alt, served by the
same function."""

from __future__ import annotations

from emulators.core.spec import Handler

from . import budgets, communication, documents, groups, network, projects, tokens

ALTERNATIVES = (
    "closeProject",
    "openProject",
    "closeProjectPhase",
    "openProjectPhase",
    "addDocumentToDocumentGroup",
    "setExternalReference",
    "linkBudgetRow",
    "unlinkBudgetRow",
)


def _merge(*tables: dict[str, Handler]) -> dict[str, Handler]:
    merged: dict[str, Handler] = {}
    for table in tables:
        for name, fn in table.items():
            if name in merged:
                raise ValueError(f"twelvebuild: operationId {name!r} has two handlers")
            merged[name] = fn
    for name in ALTERNATIVES:
        merged[name + "Alt"] = merged[name]
    return merged


HANDLERS: dict[str, Handler] = _merge(
    tokens.HANDLERS,
    projects.HANDLERS,
    documents.HANDLERS,
    groups.HANDLERS,
    communication.HANDLERS,
    budgets.HANDLERS,
    network.HANDLERS,
)
