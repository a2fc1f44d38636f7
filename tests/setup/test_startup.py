"""`emulators serve` start-up stays lean (issue 11: first response <= 0.25 s, a small fresh RSS): the modules
only a command, a page or a user's file needs are not imported on the way to the first answer, contracts
share their resolved refs, request validators compile on first use, and none of it changes a verdict."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from emulators import registry
from emulators.core import datafile
from emulators.core.contract import Contract, _resolve
from emulators.core.paths import contract_path
from emulators.core.validation import compile_schema
from emulators.server import BindError, bind

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = [*registry.APIS, "control"]

# Never on the way from `emulators serve <api>` to its first answer: what they serve is a command (replay,
# record, fidelity, ...), a dashboard page, a user's file (PyYAML, pydantic), an error or a lookup.
NOT_AT_STARTUP = (
    "yaml",
    "pydantic",
    "pydantic_core",
    "jinja2",
    "starlette",
    "jsonschema",  # python-jsonschema: only to list the errors of a rejected instance
    "regex",
    "httpx",
    "jsonpath_ng",
    "emulators.ui.dashboard",
    "emulators.ui.data",
    "emulators.ui.exports",
    "emulators.testing",
    "emulators.scenarios",
    "emulators.recording",
    "emulators.fidelity",
    "emulators.fleet",
    "emulators.accesslog",
    "emulators.core.config_models",
    "encodings.idna",
)

# The real `emulators serve <api> --port P` in a subprocess; a thread asks GET /__emulator/health over a
# plain socket (no HTTP client imported) and, on the first 200, prints what is imported and exits.
PROBE = textwrap.dedent(
    """
    import gc, json, os, socket, sys, threading, time

    port = int(sys.argv[2])
    REQUEST = b"GET /__emulator/health HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nConnection: close\\r\\n\\r\\n"

    def probe():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.socket() as s:  # a bytes host: a str one would import the idna codec here
                    s.settimeout(5)
                    s.connect((b"127.0.0.1", port))
                    s.sendall(REQUEST)
                    answer = b""
                    while chunk := s.recv(65536):
                        answer += chunk
                if answer.startswith(b"HTTP/1.1 200"):
                    out = {"modules": sorted(sys.modules), "gc": gc.isenabled()}
                    os.write(1, json.dumps(out).encode() + b"\\n")
                    os._exit(0)
            except OSError:
                time.sleep(0.01)
        os._exit(3)

    threading.Thread(target=probe, daemon=True).start()
    from emulators.cli import main

    sys.exit(main(["serve", sys.argv[1], "--port", str(port)]))
    """
)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _served_modules(api: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, api, str(_free_port())],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    # the probe's line may come before or after serve's ready line: they are written by two threads
    result: dict[str, Any] = json.loads(next(ln for ln in reversed(proc.stdout.splitlines()) if ln.startswith("{")))
    return result


@pytest.mark.parametrize("api", list(registry.APIS))
def test_serve_startup_imports_no_optional_module(api: str) -> None:
    served = _served_modules(api)
    modules = set(served["modules"])
    assert f"emulators.{api}" in modules and "uvicorn" in modules  # it really served
    heavy = sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in NOT_AT_STARTUP))
    assert heavy == []
    assert served["gc"] is True  # start-up ran without the collector; serving runs with it


def test_serve_startup_imports_no_uvicorn_command_line() -> None:
    modules = set(_served_modules("aktion")["modules"])
    cli = {"click", "watchfiles", "uvicorn.main", "uvicorn.supervisors", "multiprocessing"}
    assert sorted(m for m in modules if m in cli or m.split(".")[0] in cli) == []


def test_lean_uvicorn_completes_itself_on_first_other_name() -> None:
    """serve imports uvicorn's Config and Server without its package __init__; any other name (uvicorn.run,
    `from uvicorn import main`) runs the real __init__ then, so other users of uvicorn see no difference."""
    code = (
        "import sys\n"
        "from emulators.server import _import_uvicorn_lean\n"
        "_import_uvicorn_lean()\n"
        "import uvicorn\n"
        "lean = 'click' in sys.modules, uvicorn.Config.__module__, uvicorn.Server.__module__\n"
        "from uvicorn import main, run\n"
        "cli = sys.modules['uvicorn.main']\n"
        "print(lean, run is cli.run, main is cli.main is uvicorn.main, uvicorn.__all__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == (
        "(False, 'uvicorn.config', 'uvicorn.server') True True ['main', 'run', 'Config', 'Server']"
    )


def test_cli_import_stays_cheap() -> None:
    code = "import emulators.cli, sys; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    modules = set(out.stdout.split())
    for name in ("emulators.core.app", "emulators.core.pipeline", "asyncio", "uvicorn", "yaml", "pydantic"):
        assert name not in modules, name


def _copying_resolve(node: Any, root: dict[str, Any], seen: tuple[str, ...] = ()) -> Any:
    """The resolver as it was: every $ref inlined as a fresh copy (the reference for equality)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            if ref in seen:
                return {}
            target: Any = root
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            resolved = _copying_resolve(target, root, (*seen, ref))
            extra = {k: v for k, v in node.items() if k != "$ref"}
            if extra and isinstance(resolved, dict):
                return {**resolved, **{k: _copying_resolve(v, root, seen) for k, v in extra.items()}}
            return resolved
        return {k: _copying_resolve(v, root, seen) for k, v in node.items()}
    if isinstance(node, list):
        return [_copying_resolve(v, root, seen) for v in node]
    return node


@pytest.mark.parametrize("api", CONTRACTS)
def test_contract_resolve_equals_copying_resolver(api: str) -> None:
    doc = datafile.load_yaml(contract_path(api))
    assert _resolve(doc, doc) == _copying_resolve(doc, doc)


def test_contract_resolve_recursive_ref_is_cut_where_reached() -> None:
    doc: dict[str, Any] = {
        "components": {
            "schemas": {
                "Node": {"type": "object", "properties": {"child": {"$ref": "#/components/schemas/Node"}}},
                "Leaf": {"type": "string"},
                "Pair": {
                    "type": "object",
                    "properties": {
                        "a": {"$ref": "#/components/schemas/Leaf"},
                        "n": {"$ref": "#/components/schemas/Node"},
                    },
                },
            }
        }
    }
    assert _resolve(doc, doc) == _copying_resolve(doc, doc)
    node = _resolve(doc, doc)["components"]["schemas"]["Node"]
    assert node["properties"]["child"]["properties"]["child"] == {}


def test_contract_resolve_shares_each_ref() -> None:
    doc = datafile.load_yaml(contract_path("twelvebuild"))
    resolved = _resolve(doc, doc)
    errors = [
        media["schema"]
        for item in resolved["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "responses" in op
        for status, resp in op["responses"].items()
        if status.startswith("4")
        for media in (resp.get("content") or {}).values()
        if media.get("schema", {}).get("title") == doc["components"]["schemas"]["Error"].get("title")
    ]
    assert len(errors) > 10
    assert len({id(e) for e in errors}) == 1  # one Error schema, named 283 times


def test_operation_validators_compile_on_first_request() -> None:
    doc = datafile.load_yaml(contract_path("superoffice"))
    contract = Contract(doc, source="superoffice")
    validator = next(v for op in contract.operations.values() for v in op.body_validators.values())
    assert validator._fast is not None and type(validator._fast).__name__ == "object"  # not compiled yet
    validator.is_valid({})
    assert type(validator._fast).__name__ != "object"


@pytest.mark.parametrize(
    "instance",
    [{"Name": "x", "Number": 3}, {"Name": 3}, {"Number": "three"}, [], "text", {"Extra": {"deep": [1, None]}}],
)
def test_lazy_validator_verdicts_equal_eager(instance: Any) -> None:
    schema = {
        "type": "object",
        "properties": {"Name": {"type": "string", "pattern": "^\\p{L}+$"}, "Number": {"type": "integer"}},
        "required": ["Name"],
    }
    lazy, eager = compile_schema(schema, lazy=True), compile_schema(schema)
    assert lazy.is_valid(instance) == eager.is_valid(instance)
    assert lazy.issues(instance, "body") == eager.issues(instance, "body")


def test_ui_operations_are_the_dashboard_handlers() -> None:
    from emulators import build_app, ui
    from emulators.ui.dashboard import Dashboard

    app = build_app("bouwsoft")
    assert set(ui.OPERATIONS) == set(Dashboard(app.control).handlers())
    ops = {op for op in app.control.pipeline.contract.operations if op.startswith("ui")}
    assert ops == set(ui.OPERATIONS)


def test_load_yaml_cache_keeps_integers_past_64_bits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMULATORS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("EMULATORS_NO_CACHE", raising=False)
    src = tmp_path / "doc.yaml"
    src.write_text(f"big: {2**70}\nsmall: 7\n", encoding="utf-8")
    assert datafile.load_yaml(src) == {"big": 2**70, "small": 7}
    second = datafile.load_yaml(src)  # orjson would read 2**70 back as a float: such a file is not cached
    assert second == {"big": 2**70, "small": 7} and isinstance(second["big"], int)


def test_bind_host_with_empty_label_is_one_line() -> None:
    with pytest.raises(BindError, match=r"^x: cannot resolve host 'a\.\.b' "):
        bind("x", "a..b", 0)


def test_bind_listens_so_a_client_during_startup_waits() -> None:
    import socket

    sock = bind("x", "127.0.0.1", 0)
    try:
        port = sock.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port), timeout=2):  # queued, not refused
            pass
    finally:
        sock.close()
