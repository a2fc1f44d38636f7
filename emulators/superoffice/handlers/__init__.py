"""The Project operations, one module per resource; each module ends in its HANDLERS dict."""

from __future__ import annotations

from collections.abc import Callable

from emulators.core.call import Call, Reply

from . import archive, entity, extras, image, udef, webhook

HANDLERS: dict[str, Callable[[Call], Reply]] = {
    **entity.HANDLERS,
    **archive.HANDLERS,
    **extras.HANDLERS,
    **image.HANDLERS,
    **udef.HANDLERS,
    **webhook.HANDLERS,
}
