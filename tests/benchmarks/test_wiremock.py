"""WireMock's stubs built from the emulator's captured answers, and finding or installing its jar."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest

from benchmarks import wiremock
from benchmarks.capture import Captured
from benchmarks.targets import Req

BODY = b'{"ProjectId":1000,"Name":"Benchmark project 0","Postit":"Kick-off on site."}'


def answer(method: str = "PUT", path: str = "/api/v1/Project/1000?x=1", ct: str = "application/json") -> Captured:
    req = Req(method, path, {"Authorization": "Basic dGplMDpUamUw"}, b'{"Name": "x"}' if method != "GET" else b"")
    return Captured(req, 200, ct, BODY)


def test_stub_mapping_matches_method_and_url_path_only() -> None:
    m = wiremock.stub_mapping(answer())
    assert m["request"] == {"method": "PUT", "urlPath": "/api/v1/Project/1000"}  # no query, headers or body


def test_stub_mapping_answers_the_captured_status_type_and_bytes() -> None:
    m = wiremock.stub_mapping(answer(ct="application/json; charset=utf-8"))
    assert m["response"]["status"] == 200
    assert m["response"]["headers"] == {"Content-Type": "application/json; charset=utf-8"}
    assert base64.b64decode(m["response"]["base64Body"]) == BODY


def test_stub_mapping_without_content_type_sends_no_headers() -> None:
    assert "headers" not in wiremock.stub_mapping(answer(ct=""))["response"]


def test_stub_mappings_one_per_method_and_path_last_answer_wins() -> None:
    first = answer(path="/api/project/updateProject?Token=a")
    last = Captured(first.request, 202, "application/json", b"{}")
    other = answer(method="GET", path="/api/project/updateProject")
    ms = wiremock.stub_mappings([first, other, last])
    assert [(m["request"]["method"], m["response"]["status"]) for m in ms] == [("PUT", 202), ("GET", 200)]


def test_find_jar_newest_standalone_jar_of_the_npm_package(tmp_path: Path) -> None:
    build = tmp_path / "node_modules" / "wiremock" / "build"
    build.mkdir(parents=True)
    for v in ("3.12.0", "3.13.2"):
        (build / f"wiremock-standalone-{v}.jar").write_bytes(b"PK")
    assert wiremock.find_jar(tmp_path) == build / "wiremock-standalone-3.13.2.jar"
    assert wiremock.find_jar(tmp_path / "empty") is None


def test_ensure_jar_without_java_skips_with_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    jar, why = wiremock.ensure_jar(tmp_path)
    assert jar is None
    assert why == "WireMock column skipped: needs java (apt-get install default-jre-headless)"


def test_ensure_jar_without_npm_and_jar_skips_with_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/java" if name == "java" else None)
    jar, why = wiremock.ensure_jar(tmp_path)
    assert jar is None
    assert why == f"WireMock column skipped: needs npm to install the wiremock package into {tmp_path}"
    assert "\n" not in why


def test_ensure_jar_present_jar_needs_no_npm(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    build = tmp_path / "node_modules" / "wiremock" / "build"
    build.mkdir(parents=True)
    (build / "wiremock-standalone-3.13.2.jar").write_bytes(b"PK")
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/java" if name == "java" else None)
    assert wiremock.ensure_jar(tmp_path) == (build / "wiremock-standalone-3.13.2.jar", "")


@pytest.mark.deep
def test_wiremock_serves_the_captured_bytes_for_any_query() -> None:
    import httpx

    jar = wiremock.find_jar(wiremock.CACHE)
    if shutil.which("java") is None or jar is None:
        pytest.skip(f"needs java and the wiremock jar in {wiremock.CACHE} (make bench installs it)")
    server = wiremock.start(jar)
    try:
        wiremock.load_stubs(server, [answer(ct="application/json; charset=utf-8")])
        got = httpx.put(f"{server.url}/api/v1/Project/1000?other=2", content=b"{}")
        assert (got.status_code, got.headers["content-type"], got.content) == (
            200,
            "application/json; charset=utf-8",
            BODY,
        )
        assert httpx.get(f"{server.url}/api/v1/Project/1000").status_code == 404  # the method is matched
    finally:
        server.stop()
