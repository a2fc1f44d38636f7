"""The kernel: one pipeline, no vendor. Its public face is `__all__` below: the only names an API package
takes from the kernel, either from here (`from emulators.core import NotFound`) or from the module that
defines them (`from emulators.core.errors import NotFound`). tests/contract/layering.py holds every API
package to it. Everything else (pipeline, routing, app, control, journal, world, server protocol, limits)
is the kernel's own. Names load on first use, so `import emulators.core.x` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# module -> the names it offers API packages
_FACE: dict[str, tuple[str, ...]] = {
    "spec": ("AuthSlot", "EmulatorSpec", "Handler", "handler_table"),
    "call": ("Call", "Reply", "no_content"),
    "http": ("Headers", "UploadedFile", "pairs_to_dict"),
    "errors": (
        "BadCharacters",
        "BadRequest",
        "EmulatorError",
        "ErrorBody",
        "Forbidden",
        "HandlerCrashed",
        "InjectedFault",
        "Issue",
        "MalformedBody",
        "MethodNotAllowed",
        "NotFound",
        "PayloadTooLarge",
        "ResponseContractViolation",
        "RouteNotFound",
        "Unauthorized",
        "UnsupportedMediaType",
        "ValidationFailed",
    ),
    "store": ("Store",),
    "auth": ("TokenBook", "decode_basic", "parse_authorization"),
    "negotiation": (
        "choose_media_type",
        "decode_form",
        "decode_json",
        "decode_xml",
        "encode_json",
        "encode_json_or_none",
        "media_type_of",
        "text_of",
        "xml_safe",
    ),
    "validation": ("coerce",),
    "paths": ("contract_path", "fixtures_path"),
    "config_models": ("Key", "Model", "Modified", "Open"),
    "expiry": ("prune_expired",),  # tokens and sessions that lapse
    "filenames": ("content_disposition", "printable", "safe_filename"),
    "intparse": ("is_digits", "parse_digits", "parse_int"),
    "limits": ("parse_json",),  # JSON with the kernel's nesting and size limits
    "wording": ("shown",),  # a value quoted in an error message, cut short
    "outbound": ("Message", "Policy", "Result"),  # outbound events (webhooks): what an API hands the outbox
}

__all__ = [
    "AuthSlot",
    "BadCharacters",
    "BadRequest",
    "Call",
    "EmulatorError",
    "EmulatorSpec",
    "ErrorBody",
    "Forbidden",
    "Handler",
    "HandlerCrashed",
    "Headers",
    "InjectedFault",
    "Issue",
    "Key",
    "MalformedBody",
    "Message",
    "MethodNotAllowed",
    "Model",
    "Modified",
    "NotFound",
    "Open",
    "PayloadTooLarge",
    "Policy",
    "Reply",
    "ResponseContractViolation",
    "Result",
    "RouteNotFound",
    "Store",
    "TokenBook",
    "Unauthorized",
    "UnsupportedMediaType",
    "UploadedFile",
    "ValidationFailed",
    "choose_media_type",
    "coerce",
    "content_disposition",
    "contract_path",
    "decode_basic",
    "decode_form",
    "decode_json",
    "decode_xml",
    "encode_json",
    "encode_json_or_none",
    "fixtures_path",
    "handler_table",
    "is_digits",
    "media_type_of",
    "no_content",
    "pairs_to_dict",
    "parse_authorization",
    "parse_digits",
    "parse_int",
    "parse_json",
    "printable",
    "prune_expired",
    "safe_filename",
    "shown",
    "text_of",
    "xml_safe",
]

_HOME = {name: module for module, names in _FACE.items() for name in names}

if TYPE_CHECKING:
    from .auth import TokenBook, decode_basic, parse_authorization
    from .call import Call, Reply, no_content
    from .config_models import Key, Model, Modified, Open
    from .errors import (
        BadCharacters,
        BadRequest,
        EmulatorError,
        ErrorBody,
        Forbidden,
        HandlerCrashed,
        InjectedFault,
        Issue,
        MalformedBody,
        MethodNotAllowed,
        NotFound,
        PayloadTooLarge,
        ResponseContractViolation,
        RouteNotFound,
        Unauthorized,
        UnsupportedMediaType,
        ValidationFailed,
    )
    from .expiry import prune_expired
    from .filenames import content_disposition, printable, safe_filename
    from .http import Headers, UploadedFile, pairs_to_dict
    from .intparse import is_digits, parse_digits, parse_int
    from .limits import parse_json
    from .negotiation import (
        choose_media_type,
        decode_form,
        decode_json,
        decode_xml,
        encode_json,
        encode_json_or_none,
        media_type_of,
        text_of,
    )
    from .outbound import Message, Policy, Result
    from .paths import contract_path, fixtures_path
    from .spec import AuthSlot, EmulatorSpec, Handler, handler_table
    from .store import Store
    from .validation import coerce
    from .wording import shown


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
