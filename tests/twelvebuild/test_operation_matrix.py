"""Per operation (all 64): success, 401 without a token, 400 per Required parameter and per Pattern, 404 per
unknown id. The tests are generated with names test_<operation>_<condition> from the table in helpers.OPS
and the contract's parameters (Required / x-vendor-pattern, i.e. the seed's own pattern)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import regex
import yaml

from emulators.core.paths import contract_path

from .helpers import OPS, TB, UNKNOWN, error_of, request_for

CONTRACT = yaml.safe_load(contract_path("twelvebuild").read_text(encoding="utf-8"))
PARAMS: dict[str, list[dict[str, Any]]] = {
    op["operationId"]: op.get("parameters", [])
    for item in CONTRACT["paths"].values()
    for op in item.values()
    if isinstance(op, dict) and "operationId" in op
}
CANDIDATES = ["abc", "2", "123", "   ", "purple", "n1", "\U0001f600", "x y"]


def invalid_value(pattern: str) -> str | None:
    """A value the vendor's pattern rejects (None: the pattern accepts anything, e.g. `[1-9]?$`)."""
    rx = regex.compile(pattern)
    return next((c for c in CANDIDATES if not rx.search(c)), None)


def _success(op: str) -> Callable[[], None]:
    def test() -> None:
        r = request_for(TB(), op)
        assert r.status_code == 200, r.text

    return test


def _no_token(op: str) -> Callable[[], None]:
    def test() -> None:
        error_of(request_for(TB(), op, auth=False), 401, "Unauthorized")

    return test


def _bad_token(op: str) -> Callable[[], None]:
    def test() -> None:
        tb = TB()
        method, template, values, params, _ = OPS[op]
        r = tb.call(method, template.format(**values), params, auth=False, headers={"X-Auth-Token": "f" * 128})
        assert error_of(r, 401, "Unauthorized")["message"] == "Invalid token"

    return test


def _missing(op: str, name: str) -> Callable[[], None]:
    def test() -> None:
        r = request_for(TB(), op, drop=name)
        err = error_of(r, 400, "InvalidParameter", name)
        assert err["message"] == f"Parameter '{name}' is required"

    return test


def _pattern(op: str, p: dict[str, Any], value: str) -> Callable[[], None]:
    def test() -> None:
        if p["in"] == "path":
            r = request_for(TB(), op, path_values={p["name"]: value})
        else:
            r = request_for(TB(), op, query={p["name"]: value})
        err = error_of(r, 400, "InvalidParameter", p["name"])
        assert err["message"] == f"Parameter '{p['name']}' does not match pattern {p['x-vendor-pattern']}"

    return test


def _unknown(op: str, where: str, name: str) -> Callable[[], None]:
    def test() -> None:
        if where == "path":
            r = request_for(TB(), op, path_values={name: UNKNOWN})
        else:
            r = request_for(TB(), op, query={name: UNKNOWN})
        assert "not found" in error_of(r, 404, "NotFound")["message"]

    return test


def _register(name: str, fn: Callable[[], None], doc: str) -> None:
    fn.__name__ = name
    fn.__doc__ = doc
    globals()[name] = fn


for _op, (_method, _template, _values, _params, _ids) in OPS.items():
    _register(
        f"test_{_op}_succeeds",
        _success(_op),
        f"{_op}: the documented request succeeds (strict mode checks the body against the contract)",
    )
    if _op != "getToken":
        _register(f"test_{_op}_without_token", _no_token(_op), f"{_op}: no X-Auth-Token -> 401")
        _register(f"test_{_op}_unknown_token", _bad_token(_op), f"{_op}: unknown X-Auth-Token -> 401")
    for _p in PARAMS[_op]:
        if _p["in"] == "query" and _p.get("required"):
            _register(
                f"test_{_op}_missing_{_p['name']}",
                _missing(_op, _p["name"]),
                f"{_op}: Required {_p['name']} missing -> 400 naming it",
            )
        _pat = _p.get("x-vendor-pattern")
        _bad = invalid_value(_pat) if _pat else None
        if _bad is not None and (_p["in"] == "query" or _bad.isalnum()):
            _register(
                f"test_{_op}_{_p['name']}_breaks_pattern",
                _pattern(_op, _p, _bad),
                f"{_op}: {_p['name']}={_bad!r} breaks {_pat} -> 400 naming it",
            )
    for _id in _ids:
        _where, _name = _id.split(":")
        _register(f"test_{_op}_unknown_{_name}", _unknown(_op, _where, _name), f"{_op}: unknown {_name} -> 404")


def test_every_operation_is_in_the_matrix() -> None:
    documented = {op for op in PARAMS if not op.endswith("Alt")}
    assert documented == set(OPS)
    assert len(OPS) == 64
