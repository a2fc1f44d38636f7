"""Plain HTTP values shared by the kernel's modules: a leaf (it imports nothing of the kernel), so
that call, negotiation and journal depend on it and not on each other."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Headers", "UploadedFile", "pairs_to_dict", "send_response"]

# ASGI (asgiref's spec): a connection's scope, and the two callables an application is given
Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


async def send_response(
    send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes, *, head: bool = False
) -> None:
    """The one writer of a whole response (the pipeline's, and every early answer's): Content-Length from
    `body`, appended to `headers` in place; a HEAD answer sends none of the body (RFC 9110 §8.6)."""
    headers.append((b"content-length", str(len(body)).encode("latin-1")))
    # Our server's request cycle (server_protocol.py) takes a whole answer in one call; it declines (False)
    # whatever it does not write that way, which then goes as the two ASGI messages.
    whole = getattr(getattr(send, "__self__", None), "send_whole", None)
    if whole is not None and not head and whole(status, headers, body):
        return
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else body})


class Headers(Mapping[str, str]):
    """Read-only, case-insensitive header mapping (last value wins; `getlist` for all)."""

    __slots__ = ("_items", "_map")

    def __init__(self, items: list[tuple[str, str]] | None = None, *, lowered: bool = False) -> None:
        self._items: list[tuple[str, str]] = items or []
        # ASGI servers already send lower-case names (lowered=True skips the work)
        self._map: dict[str, str] = dict(self._items) if lowered else {k.lower(): v for k, v in self._items}

    def __getitem__(self, key: str) -> str:
        return self._map[key.lower()]

    def get(self, key: str, default: Any = None) -> Any:
        return self._map.get(key.lower(), default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._map

    def __iter__(self) -> Iterator[str]:
        return iter(self._map)

    def __len__(self) -> int:
        return len(self._map)

    def getlist(self, key: str) -> list[str]:
        k = key.lower()
        return [v for n, v in self._items if n.lower() == k]

    @property
    def items_list(self) -> list[tuple[str, str]]:
        """The underlying (name, value) list, in arrival order. Do not mutate."""
        return self._items


@dataclass
class UploadedFile:
    """One part of a multipart body that carried a file."""

    field_name: str
    filename: str
    content_type: str
    data: bytes


def pairs_to_dict(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Name/value pairs -> dict; a repeated name keeps all its values as a list, in order."""
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            prev = out[k]
            out[k] = [*prev, v] if isinstance(prev, list) else [prev, v]
        else:
            out[k] = v
    return out
