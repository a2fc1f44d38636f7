"""The dashboard in a real browser (headless Chromium), against a live aktion emulator, each test in its
own namespace (so these also cover `/__ns/<name>/__emulator/ui`)."""

from __future__ import annotations

import json
import statistics
import time
from typing import Any

import httpx
import pytest

pytest.importorskip("selenium", reason="selenium is not installed (make test-ui installs it)")

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from emulators.testing.harness import Emulator
from emulators.testing.live import LiveServer, unique_namespace
from tests.ui.fill import fill_journal

from .conftest import ARTIFACTS

LOGIN = "/api/login"
SAMPLE = {"Result": None, "UserLogin": "John.Doo", "ApiKey": "hDn/LFXIPESM036W+s7VKg=="}
GET_TYPE = "/api/project/getType"
CREATE = "/api/project/createProject"
NEW = {
    "Code": "CODE 2001",
    "Name": "New project",
    "Type": "Internal",
    "SuperiorProjectCode": "CODE 1001",
    "PersonIDInCharge": "X0004",
    "PlannedFrom": "/Date(1546326000000)/",
    "Code2": "ALT-2001",
}


def open_page(browser: Any, emu: Emulator, page: str = "") -> None:
    browser.get(f"{emu.base_url}/__emulator/ui/{page}")
    WebDriverWait(browser, 5).until(lambda d: d.execute_script("return document.readyState") == "complete")


def wait_for(browser: Any, css: str, timeout: float = 5.0) -> Any:
    return WebDriverWait(browser, timeout, poll_frequency=0.02).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, css))
    )


def row(browser: Any, seq: int, timeout: float = 5.0) -> Any:
    return wait_for(browser, f'#rows tr[data-seq="{seq}"]', timeout)


def login(emu: Emulator) -> str:
    r = emu.client.post(LOGIN, json=SAMPLE)
    assert r.status_code == 200, r.text
    return str(r.json()["Token"])


def test_requests_client_request_appears_within_1s(browser: Any, emu: Emulator) -> None:
    open_page(browser, emu)
    wait_for(browser, "#empty:not([hidden])")
    started = time.perf_counter()
    login(emu)
    shown = row(browser, 1, timeout=1.0)  # TimeoutException if it takes longer than 1 s
    elapsed = time.perf_counter() - started
    assert elapsed <= 1.0
    cells = [c.text for c in shown.find_elements(By.TAG_NAME, "td")]
    assert cells[1:5] == ["POST", LOGIN, "login", "200"]
    assert browser.find_element(By.ID, "empty").get_attribute("hidden") is not None
    (ARTIFACTS / "live-latency.txt").write_text(f"{elapsed * 1000:.0f} ms\n", encoding="utf-8")


def test_requests_detail_shows_body_and_the_refusing_field_rule(browser: Any, emu: Emulator) -> None:
    r = emu.client.post(LOGIN, json={"Result": None, "UserLogin": "John.Doo"})
    assert r.status_code == 400 and r.json()["Result"]["Code"] == 1002
    login(emu)
    open_page(browser, emu)
    row(browser, 1).click()
    body = wait_for(browser, "#detail-response-body")
    assert "Entry parameter missing or parameter bindigs failed" in body.text
    assert "The ApiKey field is required." in body.text
    assert '"UserLogin": "John.Doo"' in browser.find_element(By.ID, "detail-request-body").text
    issues = browser.find_element(By.ID, "detail-issues").text
    assert "body ApiKey" in issues and "required" in issues
    row(browser, 2).click()
    wait_for(browser, '#rows tr.selected[data-seq="2"]')
    body = WebDriverWait(browser, 5).until(
        lambda d: (
            "ExpireInSec" in d.find_element(By.ID, "detail-response-body").text
            and d.find_element(By.ID, "detail-response-body")
        )
    )
    assert '"Token": "***"' in body.text  # credentials redacted as in the journal
    assert not browser.find_elements(By.ID, "detail-issues")


def test_faults_form_makes_the_next_request_fail(browser: Any, emu: Emulator) -> None:
    open_page(browser, emu, "faults")
    Select(browser.find_element(By.ID, "fault-operation")).select_by_visible_text("login")
    browser.find_element(By.ID, "fault-status").send_keys("503")
    browser.find_element(By.ID, "fault-times").send_keys("1")
    browser.find_element(By.ID, "fault-add").click()
    wait_for(browser, '#fault-rows tr[data-id="f1"]')
    assert "Rule f1 added" in browser.find_element(By.ID, "fault-result").text
    assert emu.faults.list()[0] | {"fired": 0} == {
        "id": "f1",
        "operation": "login",
        "status": 503,
        "times": 1,
        "when": "before",
        "delay_ms": 0,
        "disconnect": False,
        "fired": 0,
    }
    r = emu.client.post(LOGIN, json=SAMPLE)
    assert r.status_code == 503
    assert set(r.json()) >= {"Result"}  # the vendor's envelope, not the control plane's
    assert emu.client.post(LOGIN, json=SAMPLE).status_code == 200  # times: 1
    open_page(browser, emu)
    row(browser, 1).click()
    fired = wait_for(browser, "#detail-fault").text
    assert fired.startswith("rule f1: operation login · status 503 · times 1") and "{" not in fired  # no raw JSON
    open_page(browser, emu, "faults")
    browser.find_element(By.CSS_SELECTOR, '#fault-rows button.delete[data-id="f1"]').click()
    wait_for(browser, "#no-faults:not([hidden])")
    assert emu.faults.list() == []


def test_clock_advance_expires_the_token(browser: Any, emu: Emulator) -> None:
    open_page(browser, emu, "clock")
    browser.find_element(By.ID, "freeze").click()  # the token lives 20 s: no real time may pass meanwhile
    WebDriverWait(browser, 5).until(lambda d: d.find_element(By.ID, "frozen").text == "frozen")
    token = login(emu)
    assert emu.client.get(GET_TYPE, params={"Token": token, "Name": "name of the project type 1001"}).status_code == 200
    field = browser.find_element(By.ID, "advance-seconds")
    field.clear()
    field.send_keys("21")
    browser.find_element(By.ID, "advance").click()
    WebDriverWait(browser, 5).until(lambda d: "Advanced 21 s" in d.find_element(By.ID, "clock-result").text)
    r = emu.client.get(GET_TYPE, params={"Token": token, "Name": "name of the project type 1001"})
    assert r.status_code == 401
    assert r.json()["Result"]["Code"] == 1001
    assert r.json()["Result"]["Message"] == f"Token {token} already expired"


def test_state_reset_empties_journal_and_restores_state(browser: Any, emu: Emulator) -> None:
    before = emu.state.dump()
    token = login(emu)
    assert emu.client.post(CREATE, params={"Token": token}, json=NEW).status_code == 200
    open_page(browser, emu, "state")
    changed = wait_for(browser, ".tree .changed")  # the new project, highlighted
    assert "CODE 2001" in changed.text or "CODE 2001" in changed.get_attribute("data-pointer")
    assert "changed or added" in browser.find_element(By.ID, "summary").text
    browser.find_element(By.ID, "reset").click()
    WebDriverWait(browser, 5).until(ec.alert_is_present()).accept()
    WebDriverWait(browser, 5).until(lambda d: "Nothing changed" in d.find_element(By.ID, "summary").text)
    assert not browser.find_elements(By.CSS_SELECTOR, ".tree .changed")
    assert emu.journal.calls() == []
    assert emu.state.dump() == before
    open_page(browser, emu)
    assert browser.find_elements(By.CSS_SELECTOR, "#rows tr") == []
    assert browser.find_element(By.ID, "empty").is_displayed()


def _traffic(emu: Emulator) -> None:
    """A minute's worth of mixed traffic (the clock moves one second per batch, so the timeline has a shape)."""
    token = login(emu)
    for second in range(14):
        for _ in range((second * 7) % 5 + 1):
            emu.client.get(GET_TYPE, params={"Token": token, "Name": "name of the project type 1001"})
        if second % 3 == 0:
            emu.client.post(LOGIN, json={"Result": None, "UserLogin": "John.Doo"})
        if second % 5 == 2:
            emu.client.get("/api/nothing/here")
        emu.clock.advance(1)
    emu.client.post(CREATE, params={"Token": token}, json=NEW)
    emu.faults.add(operation="getProject", status=500, times=1)
    emu.client.get("/api/project/getProject", params={"Token": token, "Code": "CODE 1001"})
    emu.faults.add(operation="createProject", status=503, delay_ms=50, when="after")
    emu.client.post(LOGIN, json={"Result": None, "UserLogin": "John.Doo"})


def test_every_page_screenshot_and_no_external_requests(browser: Any, server: LiveServer) -> None:
    emu = Emulator("aktion", httpx.Client(base_url=server.url), server.url)  # the default namespace: /__emulator/ui
    browser.get_log("performance")  # drop what earlier tests logged
    _traffic(emu)
    other = server.emulator()
    other.client.post(LOGIN, json=SAMPLE)
    pages = ["requests", "state", "faults", "webhooks", "clock", "namespaces", "exports"]
    for page in pages:
        open_page(browser, emu, page)
        if page == "requests":
            last = emu.journal.calls()[-1]["seq"]
            row(browser, last).click()
            wait_for(browser, "#detail-issues")
            wait_for(browser, "#timeline rect")
        elif page == "state":
            wait_for(browser, ".tree details")
        elif page == "namespaces":
            assert other.namespace in browser.find_element(By.ID, "namespaces").text
        browser.save_screenshot(str(ARTIFACTS / f"{page}.png"))
        overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{page}: {overflow}px wider than 1280"
    browser.set_window_size(420, 800)  # a narrow window: no sideways scrolling, every page still usable
    try:
        for page in pages:
            open_page(browser, emu, page)
            overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{page} at 420 px: {overflow}px too wide"
        open_page(browser, emu, "requests")
        browser.save_screenshot(str(ARTIFACTS / "requests-narrow.png"))
    finally:
        browser.set_window_size(1280, 800)
    urls = []
    for item in browser.get_log("performance"):
        message = json.loads(item["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    assert any(u.endswith(".js?v=" + u.rsplit("=", 1)[-1]) for u in urls)  # the log did see our requests
    external = [u for u in urls if not u.startswith(server.url + "/") and not u.startswith("data:")]
    assert external == []
    assert [e for e in emu.journal.calls() if "__emulator" in e["path"] or "favicon" in e["path"]] == []
    server.release(other.namespace)
    emu.reset()


def _first_paints(browser: Any, url: str, n: int = 5) -> list[float]:
    browser.get(url)  # warm: the browser's cache of the (immutable) assets, the server's compiled templates
    paints = []
    for _ in range(n):
        browser.get(url)
        fcp = WebDriverWait(browser, 5).until(
            lambda d: d.execute_script(
                "const e = performance.getEntriesByName('first-contentful-paint')[0]; return e ? e.startTime : null"
            )
        )
        paints.append(float(fcp))
    return paints


def test_requests_first_paint_with_a_full_journal_within_300ms(browser: Any, server: LiveServer) -> None:
    """First contentful paint (navigation start -> first paint, server time included) of the Requests page
    with 10,000 journal entries. Asserted on the best of 5 warm loads: on a shared 2-core machine the other
    runs add their load to single loads; every figure (and an empty journal's, for scale) is written to
    artifacts/ui/first-paint.json."""
    ns = unique_namespace("full")
    app = server.app
    fill_journal(app, ns)
    full = _first_paints(browser, f"{server.url}/__ns/{ns}/__emulator/ui/")
    assert browser.find_element(By.ID, "total").text == str(app.journal_size)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#rows tr")) == 100
    assert browser.find_elements(By.CSS_SELECTOR, ".pager a")
    empty = _first_paints(browser, f"{server.url}/__ns/{unique_namespace('empty')}/__emulator/ui/")
    figures = {
        "entries": app.journal_size,
        "fcp_ms": full,
        "median_ms": statistics.median(full),
        "empty_journal_fcp_ms": empty,
    }
    (ARTIFACTS / "first-paint.json").write_text(json.dumps(figures), encoding="utf-8")
    assert min(full) <= 300, figures
    server.release(ns)


def test_state_upload_is_validated_then_loaded(browser: Any, emu: Emulator, tmp_path: Any) -> None:
    token = login(emu)
    emu.client.post(CREATE, params={"Token": token}, json=NEW)
    dump = emu.state.dump()
    emu.state.reset()
    bad = tmp_path / "bad.json"
    bad.write_text('{"tenants": 5}', encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text(json.dumps(dump), encoding="utf-8")
    open_page(browser, emu, "state")
    wait_for(browser, ".tree details")
    upload = browser.find_element(By.ID, "upload-file")
    upload.send_keys(str(broken))
    WebDriverWait(browser, 5).until(lambda d: "is not JSON" in d.find_element(By.ID, "upload-result").text)
    upload.send_keys(str(bad))
    WebDriverWait(browser, 5).until(lambda d: "was refused: 400" in d.find_element(By.ID, "upload-result").text)
    assert "tenants" in browser.find_element(By.ID, "upload-result").text
    assert "CODE 2001" not in json.dumps(emu.state.dump())
    upload.send_keys(str(good))
    WebDriverWait(browser, 5).until(lambda d: "Loaded good.json" in d.find_element(By.ID, "upload-result").text)
    assert emu.state.dump()["tenants"] == dump["tenants"]
    wait_for(browser, ".tree .changed")
