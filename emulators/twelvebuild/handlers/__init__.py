"""Every operationId -> its handler: the merge of each resource module's `HANDLERS`. The alternative methods
of vendor-facts D ("POST (or PUT)") are separate contract operations named <operationId>Alt, served by the
same function."""

from __future__ import annotations

from emulators.core.spec import handler_table

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


_BY_MODULE = handler_table(
    tokens.HANDLERS,
    projects.HANDLERS,
    documents.HANDLERS,
    groups.HANDLERS,
    communication.HANDLERS,
    budgets.HANDLERS,
    network.HANDLERS,
)
HANDLERS = handler_table(_BY_MODULE, {name + "Alt": _BY_MODULE[name] for name in ALTERNATIVES})
