"""The Project operations, one module per resource; each module ends in its HANDLERS dict."""

from __future__ import annotations

from emulators.core.spec import handler_table

from . import agents, archive, entity, extras, image, members, udef, webhook

HANDLERS = handler_table(
    entity.HANDLERS,
    archive.HANDLERS,
    extras.HANDLERS,
    image.HANDLERS,
    udef.HANDLERS,
    webhook.HANDLERS,
    members.HANDLERS,
    agents.HANDLERS,
)
