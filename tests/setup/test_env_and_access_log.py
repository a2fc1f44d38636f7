"""Serve options from environment variables (a flag wins), and the access log (text and JSON lines)."""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

import emulators
from emulators.accesslog import AccessLog
from emulators.cli import build_parser
from emulators.config import ENV, env_help, ports, serve_options
from emulators.testing.transport import client_for

ROOT = Path(__file__).parents[2]


def _args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["serve", *argv])


def test_serve_options_defaults() -> None:
    opts = serve_options(_args("bouwsoft"), env={})
    assert (opts.host, opts.port, opts.log_level, opts.journal_limit, opts.access_log) == (
        "127.0.0.1",
        None,
        "warning",
        10_000,
        "off",
    )
    assert ports(opts) == [("bouwsoft", 8701)]


def test_serve_options_from_environment() -> None:
    env = {
        "EMULATORS_HOST": "0.0.0.0",
        "EMULATORS_PORT": "9100",
        "EMULATORS_LOG_LEVEL": "info",
        "EMULATORS_JOURNAL_LIMIT": "50",
        "EMULATORS_ACCESS_LOG": "json",
        "EMULATORS_SEED": "7",
        "EMULATORS_FIXTURES_AKTION": "/x/aktion.yaml",
        "EMULATORS_APIS": "aktion, bouwsoft",
    }
    opts = serve_options(_args(), env=env)
    assert opts.apis == ["aktion", "bouwsoft"]
    assert (opts.host, opts.port, opts.log_level, opts.journal_limit, opts.access_log, opts.seed) == (
        "0.0.0.0",
        9100,
        "info",
        50,
        "json",
        7,
    )
    assert opts.fixtures == {"aktion": "/x/aktion.yaml"}
    assert ports(opts) == [("aktion", 9100), ("bouwsoft", 9101)]


def test_serve_options_flag_wins_over_environment() -> None:
    opts = serve_options(_args("bouwsoft", "--port", "9200", "--access-log"), env={"EMULATORS_PORT": "9100"})
    assert opts.port == 9200
    assert opts.access_log == "text"


def test_serve_options_base_port_from_environment() -> None:
    opts = serve_options(_args("aktion", "twelvebuild"), env={"EMULATORS_BASE_PORT": "9000"})
    assert ports(opts) == [("aktion", 9002), ("twelvebuild", 9003)]


def test_serve_options_fixtures_api_equals_path() -> None:
    opts = serve_options(
        _args("bouwsoft", "aktion", "--fixtures", "aktion=a.yaml", "--fixtures", "bouwsoft=b.yaml"), env={}
    )
    assert opts.fixtures == {"aktion": "a.yaml", "bouwsoft": "b.yaml"}


def test_serve_help_lists_every_environment_variable() -> None:
    text = build_parser()._subparsers._group_actions[0].choices["serve"].format_help()  # type: ignore[union-attr,index]
    for var in [*ENV.values(), "EMULATORS_FIXTURES_<API>", "EMULATORS_FIXTURES"]:
        assert var in text
    assert env_help() in text


def test_docs_document_every_environment_variable() -> None:
    """In README.md or a page of docs/ (the HTTPS, latency and reload pages document theirs)."""
    readme = "\n".join(
        p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    )
    for var in [*ENV.values(), "EMULATORS_FIXTURES_<API>", "--access-log"]:
        assert var in readme, var


def _logged(fmt: str) -> list[str]:
    out = io.StringIO()
    app = AccessLog(emulators.build_app("bouwsoft"), fmt, out=out)
    with client_for(app, base_url="http://bouwsoft") as client:
        client.get("/__ns/t7/api/v1/Projects/3320")
        client.get("/__emulator/health")
        client.get("/no/such/path")
    return out.getvalue().splitlines()


def test_access_log_text_line_has_method_path_operation_status_ms_namespace() -> None:
    lines = _logged("text")
    assert len(lines) == 3
    stamp, api, method, path, operation, status, ms, ns = lines[0].split(" ")
    assert stamp.endswith("Z") and api == "bouwsoft"
    assert (method, path, operation, status, ns) == (
        "GET",
        "/__ns/t7/api/v1/Projects/3320",
        "getProject",
        "401",
        "ns=t7",
    )
    assert ms.endswith("ms") and float(ms[:-2]) >= 0
    assert lines[1].split(" ")[4:6] == ["control", "200"]
    assert lines[2].split(" ")[4:6] == ["-", "404"]


def test_access_log_json_lines() -> None:
    rows = [json.loads(line) for line in _logged("json")]
    assert rows[0]["operation"] == "getProject" and rows[0]["status"] == 401 and rows[0]["namespace"] == "t7"
    assert set(rows[0]) == {"time", "api", "method", "path", "query", "operation", "status", "ms", "namespace"}
    assert rows[2]["operation"] is None and rows[2]["namespace"] is None


def test_serve_from_environment_with_json_access_log() -> None:
    env = {**os.environ, "EMULATORS_PORT": "0", "EMULATORS_ACCESS_LOG": "json", "EMULATORS_APIS": "aktion"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "emulators", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()
        name, url = first.split(" ")
        assert name == "aktion" and not url.endswith(":0")  # the port really bound is announced
        assert httpx.get(url + "/__emulator/health", timeout=5).status_code == 200
        row = json.loads(proc.stdout.readline())
        assert (row["api"], row["path"], row["operation"], row["status"]) == (
            "aktion",
            "/__emulator/health",
            "control",
            200,
        )
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    time.sleep(0)


@pytest.mark.parametrize("level", ["debug", "info", "warning", "error", "critical", "trace"])
def test_serve_options_accepts_every_log_level(level: str) -> None:
    assert serve_options(_args("bouwsoft", "--log-level", level), env={}).log_level == level
