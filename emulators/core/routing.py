"""Routing: contract path templates (behind the API's prefixes) -> operation + path params."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

from .contract import Operation
from .errors import MethodNotAllowed, RouteNotFound


@dataclass(frozen=True)
class Route:
    segments: tuple[str | None, ...]  # static (compare form) or None for a parameter
    names: tuple[str, ...]  # parameter names in order
    operations: dict[str, Operation]  # method -> operation


def _split(template: str) -> list[str]:
    return [s for s in template.strip("/").split("/") if s != ""]


class Router:
    def __init__(
        self,
        operations: list[Operation],
        prefixes: list[str] | None = None,
        case_insensitive: bool = False,
        trailing_slash: bool = True,
    ) -> None:
        self.case_insensitive = case_insensitive
        self.trailing_slash = trailing_slash
        table: dict[tuple[str, ...], dict[str, Operation]] = {}
        templates: dict[tuple[str, ...], list[str]] = {}
        for prefix in prefixes or [""]:
            for op in operations:
                segs = [*_split(prefix), *_split(op.path)]
                key = tuple(self._form(s) if not self._is_param(s) else "\0" for s in segs)
                templates[key] = segs
                table.setdefault(key, {})[op.method] = op
        self._by_len: dict[int, list[Route]] = {}
        for key, ops in table.items():
            segs = templates[key]
            route = Route(
                segments=tuple(None if k == "\0" else k for k in key),
                names=tuple(s[1:-1] for s in segs if self._is_param(s)),
                operations=ops,
            )
            self._by_len.setdefault(len(key), []).append(route)
        for routes in self._by_len.values():
            # static segments win over parameters, position by position
            routes.sort(key=lambda r: tuple(s is None for s in r.segments))
        self._cache: dict[tuple[str, str], tuple[Operation, dict[str, str]]] = {}

    @staticmethod
    def _is_param(seg: str) -> bool:
        return seg.startswith("{") and seg.endswith("}")

    def _form(self, seg: str) -> str:
        return seg.lower() if self.case_insensitive else seg

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]]:
        """The operation for method + path, with raw path params; RouteNotFound / MethodNotAllowed."""
        cached = self._cache.get((method, path))
        if cached is not None:
            return cached
        raw = path
        if self.trailing_slash and len(raw) > 1 and raw.endswith("/"):
            raw = raw[:-1]
        parts = [unquote(s) for s in raw.strip("/").split("/")] if raw.strip("/") else []
        forms = [self._form(p) for p in parts]
        allowed: list[str] = []
        for route in self._by_len.get(len(parts), ()):
            if all(s is None or s == f for s, f in zip(route.segments, forms, strict=True)):
                op = route.operations.get(method)
                if op is None and method == "HEAD":
                    op = route.operations.get("GET")
                if op is None:
                    allowed.extend(route.operations)
                    continue
                values = [p for s, p in zip(route.segments, parts, strict=True) if s is None]
                result = (op, dict(zip(route.names, values, strict=True)))
                if len(self._cache) > 4096:
                    self._cache.clear()
                self._cache[(method, path)] = result
                return result
        if allowed:
            raise MethodNotAllowed(headers={"Allow": ", ".join(sorted(set(allowed)))}, allowed=sorted(set(allowed)))
        raise RouteNotFound()
