"""WireMock, the JVM stub server, as the outside yardstick: the standalone jar from the npm `wiremock`
package, installed with npm into a cache folder, run with its default settings (`--port P
--disable-banner`, nothing else: request journal on, default Jetty threads, default JVM heap).

Its stubs are static: method + URL path (the query is not matched), answering the status, Content-Type
and bytes the emulator answered for the same request in the same run (benchmarks/capture.py)."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from benchmarks.capture import Captured
from benchmarks.servers import Server, free_port

CACHE = Path(os.environ.get("BENCH_WIREMOCK_DIR", Path.home() / ".cache" / "emulators" / "wiremock"))
FLAGS = ["--disable-banner"]  # besides --port: the banner is the only default changed (it is not served)
# Between targets the stubs are replaced and the request journal emptied through the admin API (load_stubs).
START_TIMEOUT = 120.0  # the JVM on a busy 2-core machine has taken 10 s


def find_jar(cache: Path) -> Path | None:
    """The newest wiremock-standalone jar the npm package brought, if any."""
    jars = sorted((cache / "node_modules" / "wiremock" / "build").glob("wiremock-standalone-*.jar"))
    return jars[-1] if jars else None


def ensure_jar(cache: Path = CACHE) -> tuple[Path | None, str]:
    """(the jar, "") or (None, why the WireMock column is skipped). Installs the npm package when the
    jar is missing."""
    if shutil.which("java") is None:
        return None, "WireMock column skipped: needs java (apt-get install default-jre-headless)"
    jar = find_jar(cache)
    if jar is not None:
        return jar, ""
    if shutil.which("npm") is None:
        return None, f"WireMock column skipped: needs npm to install the wiremock package into {cache}"
    cache.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(cache), "wiremock"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    jar = find_jar(cache)
    if jar is None:
        last = (done.stderr.strip().splitlines() or ["no jar in the package"])[-1]
        return None, f"WireMock column skipped: npm install --prefix {cache} wiremock failed: {last}"
    return jar, ""


def stub_mapping(answer: Captured) -> dict[str, Any]:
    """One WireMock stub mapping: the request's method + URL path, answered with the captured status,
    Content-Type and bytes (base64, so the bytes go through untouched)."""
    response: dict[str, Any] = {"status": answer.status}
    if answer.content_type:
        response["headers"] = {"Content-Type": answer.content_type}
    response["base64Body"] = base64.b64encode(answer.body).decode("ascii")
    return {
        "request": {"method": answer.request.method, "urlPath": urlsplit(answer.request.path).path},
        "response": response,
    }


def stub_mappings(answers: list[Captured]) -> list[dict[str, Any]]:
    """One stub per (method, URL path): when several captured answers share one (the same record written
    with two bodies, or a path told apart by its query only), the last one is served."""
    by_key: dict[tuple[str, str], dict[str, Any]] = {}
    for answer in answers:
        m = stub_mapping(answer)
        by_key[(m["request"]["method"], m["request"]["urlPath"])] = m
    return list(by_key.values())


def start(jar: Path) -> Server:
    port = free_port()
    args = ["java", "-jar", str(jar), "--port", str(port), *FLAGS]
    return Server("wiremock", args, port, "/__admin/health", timeout=START_TIMEOUT)


def load_stubs(server: Server, answers: list[Captured]) -> None:
    """Replace every stub with those of `answers`, and empty the request journal: it stays on (the
    default) but holds one target's requests, as a WireMock started for that target would, rather than
    every earlier target's too. (The JVM's RSS is not bounded by this: with the default heap, up to a
    quarter of the machine's memory, it grows while garbage piles up and is not handed back.)"""
    with httpx.Client(base_url=server.url, timeout=30) as c:
        c.delete("/__admin/requests").raise_for_status()
        c.post("/__admin/mappings/reset").raise_for_status()
        c.post("/__admin/mappings/import", json={"mappings": stub_mappings(answers)}).raise_for_status()
