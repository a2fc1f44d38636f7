"""The dashboard's routes without a browser: status, content type, headers, never journaled, namespaced,
and the JSON the pages read (journal pages, an entry's reasons, state changes, namespaces, exports)."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from emulators import build_app
from emulators.core.app import EmulatorApp
from emulators.scenarios.scenario import parse
from emulators.testing.transport import client_for
from emulators.ui.dashboard import PAGES
from tests.echo import EMULATOR

from .fill import SAMPLE, fill_journal

UI = "/__emulator/ui"
STATIC = Path(__file__).resolve().parents[2] / "emulators" / "ui"


@pytest.fixture
def app() -> EmulatorApp:
    return build_app(EMULATOR, strict=True)


@pytest.fixture
def client(app: EmulatorApp) -> Iterator[httpx.Client]:
    with client_for(app) as c:
        yield c


@pytest.fixture
def auth(client: httpx.Client) -> dict[str, str]:
    return {"X-Api-Key": client.post("/login", params={"user": "alice"}).json()["token"]}


@pytest.mark.parametrize("path", [UI, UI + "/", *(f"{UI}/{p}" for p, _ in PAGES)])
def test_uiPage_serves_html_from_this_origin_only(client: httpx.Client, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    html = r.text
    assert html.startswith("<!doctype html>")
    assert '<base href="/__emulator/ui/">' in html
    assert '<link rel="icon" href="data:,">' in html  # no /favicon.ico request into the journal
    assert not re.search(r"""(src|href|action)=["'](https?:)?//""", html)


def test_uiPage_unknown_page_404(client: httpx.Client) -> None:
    r = client.get(UI + "/nope")
    assert r.status_code == 404
    assert r.json() == {
        "error": "No dashboard page 'nope'; pages: requests, state, faults, webhooks, clock, namespaces, exports",
        "status": 404,
    }


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("ui.css", "text/css"),
        ("ui.js", "text/javascript"),
        ("requests.js", "text/javascript"),
        ("state.js", "text/javascript"),
    ],
)
def test_uiAsset_serves_packaged_files(client: httpx.Client, name: str, media_type: str) -> None:
    r = client.get(f"{UI}/static/{name}")
    assert r.status_code == 200
    assert r.headers["content-type"] == f"{media_type}; charset=utf-8"
    assert "immutable" in r.headers["cache-control"]
    assert r.content == (STATIC / "static" / name).read_bytes()


@pytest.mark.parametrize("name", ["nope.js", "..%2Fdashboard.py", "%2E%2E%2F__init__.py"])
def test_uiAsset_unknown_or_outside_404(client: httpx.Client, name: str) -> None:
    assert client.get(f"{UI}/static/{name}").status_code == 404


def test_ui_assets_load_nothing_from_the_internet() -> None:
    """No URL to another origin anywhere in the templates, CSS or JS (the SVG namespace is a name, not a fetch)."""
    for path in [*STATIC.glob("templates/*.html"), *STATIC.glob("static/*")]:
        text = path.read_text(encoding="utf-8").replace("http://www.w3.org/2000/svg", "")
        assert not re.search(r"https?://|//[a-z0-9-]+\.[a-z]{2,}/|@import|url\(", text, re.I), path.name


def test_ui_routes_are_not_journaled(client: httpx.Client, auth: dict[str, str]) -> None:
    client.get("/items", headers=auth)
    for path in [
        UI,
        *(f"{UI}/{p}" for p, _ in PAGES),
        f"{UI}/static/ui.js",
        f"{UI}/data/requests",
        f"{UI}/data/requests/1",
        f"{UI}/data/state",
        f"{UI}/data/namespaces",
        f"{UI}/export/scenario",
    ]:
        assert client.get(path).status_code == 200, path
    assert [e["operation"] for e in client.get("/__emulator/requests").json()["requests"]] == ["login", "listItems"]


def test_uiPage_namespaced_dashboard_shows_only_its_namespace(client: httpx.Client, auth: dict[str, str]) -> None:
    client.get("/items", headers=auth)
    token = client.post("/__ns/qa-1/login", params={"user": "bob"}).json()["token"]
    client.get("/__ns/qa-1/items/plum", headers={"X-Api-Key": token})
    r = client.get("/__ns/qa-1" + UI)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<base href="/__ns/qa-1/__emulator/ui/">' in r.text
    assert "namespace <code>qa-1</code>" in r.text
    assert "/items/plum" in r.text and "/items<" not in r.text
    rows = client.get(f"/__ns/qa-1{UI}/data/requests").json()["rows"]
    assert [x["operation"] for x in rows] == ["getItem", "login"]
    assert client.get("/__ns/qa-1/__emulator/requests").json()["requests"][-1]["path"] == "/items/plum"
    ns = client.get(f"/__ns/qa-1{UI}/data/namespaces").json()["namespaces"]
    assert ns == [
        {"name": "", "requests": 2, "ui": "/__emulator/ui/"},
        {"name": "qa-1", "requests": 2, "ui": "/__ns/qa-1/__emulator/ui/"},
    ]
    assert 'href="/__emulator/ui/"' in client.get(f"/__ns/qa-1{UI}/namespaces").text


def test_uiRequests_newest_first_filters_and_after(client: httpx.Client, auth: dict[str, str]) -> None:
    client.get("/items", headers=auth)
    client.get("/items/nope", headers=auth)
    client.put("/items/kiwi", headers=auth, json={"name": 5})
    client.get("/crash", headers=auth)
    page = client.get(f"{UI}/data/requests").json()
    assert [(x["seq"], x["status"]) for x in page["rows"]] == [(5, 500), (4, 400), (3, 404), (2, 200), (1, 200)]
    assert page["rows"][-1]["query"] == "user=***"  # redacted as in the journal
    assert (page["total"], page["matched"], page["last_seq"], page["page"], page["pages"]) == (5, 5, 5, 1, 1)
    buckets = page["timeline"]["buckets"]  # five requests in the same second: the shortest window
    assert [sum(b.values()) for b in buckets][-1] == 5 and len(buckets) == page["timeline"]["seconds"] == 10
    assert sum(b["4xx"] for b in page["timeline"]["buckets"]) == 2
    seqs = lambda **q: [x["seq"] for x in client.get(f"{UI}/data/requests", params=q).json()["rows"]]  # noqa: E731
    assert seqs(status="4xx") == [4, 3]
    assert seqs(status="404") == [3]
    assert seqs(method="put") == [4]
    assert seqs(operation="getItem") == [3]
    assert seqs(q="KIWI") == [4]  # path and bodies, case-insensitive
    assert seqs(q="boom") == [5]  # the 500's response body
    assert seqs(after=3) == [5, 4]
    assert seqs(per_page=2, page=2) == [3, 2]
    r = client.get(f"{UI}/data/requests", params={"status": "4yy"})
    assert r.status_code == 400 and r.json()["issues"][0]["name"] == "status"


def test_uiRequest_explains_a_refusal_with_its_field_rules(client: httpx.Client, auth: dict[str, str]) -> None:
    client.put("/items/kiwi", headers=auth, json={"name": 5})
    e = client.get(f"{UI}/data/requests/2").json()
    assert e["status"] == 400 and e["operation"] == "putItem"
    assert e["request"]["body"] == {"name": 5}
    assert e["issues"][0]["location"] == "body" and e["issues"][0]["name"] == "name"
    assert e["issues"][0]["keyword"] == "type"
    assert e["request"]["headers"]["x-api-key"] == "***"
    assert e["fault_rule"] is None and e["error"] is None


def test_uiRequest_shows_the_fault_that_fired_and_a_traceback(client: httpx.Client, auth: dict[str, str]) -> None:
    client.post("/__emulator/faults", json={"operation": "listItems", "status": 503, "times": 1})
    client.get("/items", headers=auth)
    client.get("/crash", headers=auth)
    faulted = client.get(f"{UI}/data/requests/2").json()
    assert faulted["status"] == 503 and faulted["fault"] == "f1"
    assert faulted["fault_rule"] == {
        "id": "f1",
        "when": "before",
        "operation": "listItems",
        "status": 503,
        "delay_ms": 0,
        "disconnect": False,
        "times": 1,
        "fired": 1,
    }
    crashed = client.get(f"{UI}/data/requests/3").json()
    assert "Traceback" in crashed["error"] and "RuntimeError: boom" in crashed["error"]
    assert "Traceback" not in str(crashed["response"]["body"])  # only the dashboard shows it, not the client
    assert client.get(f"{UI}/data/requests/99").status_code == 404


def test_uiState_lists_changes_since_the_last_reset(client: httpx.Client, auth: dict[str, str]) -> None:
    fresh = client.get(f"{UI}/data/state").json()  # only the login's token is new
    assert fresh["changed"] == [f"/global/tokens/{auth['X-Api-Key']}"]
    assert fresh["removed"] == [] and fresh["truncated"] is False
    client.put("/items/kiwi", headers=auth, json={"name": "kiwi"})
    client.delete("/items/pear", headers=auth)
    d = client.get(f"{UI}/data/state").json()
    assert "/tenants/t1/items/kiwi" in d["changed"]
    assert d["removed"] == ["/tenants/t1/items/pear"]
    assert d["state"] == client.get("/__emulator/state").json()
    client.post("/__emulator/reset", headers={"Content-Type": "application/json"})
    assert client.get(f"{UI}/data/state").json()["changed"] == []


def test_uiExport_scenario_is_a_replayable_scenario(client: httpx.Client, auth: dict[str, str]) -> None:
    client.get("/items", headers=auth)
    r = client.get(f"{UI}/export/scenario")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/yaml")
    assert r.headers["content-disposition"] == 'attachment; filename="echo.scenario.yaml"'
    doc = yaml.safe_load(r.text)
    assert doc["emulator"] == "echo" and len(doc["steps"]) == 2
    parse(r.text, "export")
    assert client.get(f"{UI}/export/nope").status_code == 404
    page = client.get(f"{UI}/exports").text
    assert 'href="../requests?format=har" download="echo.har"' in page
    assert re.search(r'href="(export/scenario|\.\./requests\?format=scenario)" download="echo.scenario.yaml"', page)


def test_uiPage_pages_server_render_what_they_show(client: httpx.Client, auth: dict[str, str]) -> None:
    client.post("/__emulator/faults", json={"operation": "getItem", "status": 502})
    client.post("/__emulator/clock", json={"set": "2030-01-02T03:04:05Z", "freeze": True})
    faults = client.get(f"{UI}/faults").text
    assert '<tr data-id="f1">' in faults and "<option>getItem</option>" in faults  # operations from the contract
    clock = client.get(f"{UI}/clock").text
    assert "2030-01-02T03:04:05Z" in clock and ">frozen<" in clock


def test_uiHome_escapes_what_clients_sent(client: httpx.Client) -> None:
    client.get("/<script>alert(1)</script>")
    html = client.get(UI).text
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_uiHome_with_a_full_journal_is_paged_and_fast() -> None:
    app = build_app("aktion", strict=True)
    fill_journal(app, "full")
    with client_for(app) as c:
        c.get("/__ns/full" + UI)  # compile the templates once
        times = []
        for _ in range(5):
            started = time.perf_counter()
            r = c.get("/__ns/full" + UI)
            times.append(time.perf_counter() - started)
        assert r.status_code == 200
        assert r.text.count("<tr data-seq=") == 100
        assert 'id="total">10000<' in r.text and "page 1 of 100" in r.text
        poll = c.get(f"/__ns/full{UI}/data/requests", params={"after": 9990}).json()
        assert len(poll["rows"]) == 10 and poll["last_seq"] == 10000
        assert c.post("/__ns/full/api/login", json=SAMPLE).status_code == 200
        assert c.get(f"/__ns/full{UI}/data/requests", params={"page": 100}).json()["rows"][-1]["seq"] == 2
    assert statistics.median(times) < 0.15, times  # server side; the browser test measures first paint


def test_ui_template_engine_is_not_imported_by_start_up() -> None:
    import subprocess
    import sys

    code = "import sys, emulators; emulators.build_app('aktion'); print('jinja2' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_uiPage_exports_link_to_a_scenario_format_of_the_journal_once_it_exists(app: EmulatorApp) -> None:
    from emulators.ui import exports

    scenario = exports.find("scenario")
    assert scenario is not None
    assert scenario.link(exports.request_formats(app.control)) in ("export/scenario", "../requests?format=scenario")
    assert scenario.link(frozenset({"json", "har", "scenario"})) == "../requests?format=scenario"
    assert scenario.link(frozenset({"json", "har"})) == "export/scenario"


def test_uiPage_namespace_name_with_url_characters_stays_in_the_path(client: httpx.Client) -> None:
    r = client.get("/__ns/a%3Fb%23c/__emulator/ui/clock")
    assert r.status_code == 200
    assert '<base href="/__ns/a%3Fb%23c/__emulator/ui/">' in r.text
