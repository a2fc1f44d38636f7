"""Browser tests of the dashboard: Debian's headless Chromium driven by Selenium through chromedriver.

They run with `make test-ui` (EMULATORS_BROWSER=1); `make test` reports them as skipped. Screenshots go to
artifacts/ui/*.png (gitignored, the CI artifact path).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from emulators import build_app
from emulators.testing.harness import Emulator
from emulators.testing.live import LiveServer

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "ui"


def chrome_paths() -> tuple[str | None, str | None]:
    binary = os.environ.get("CHROME_BIN") or next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
    )
    return binary, os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")


def _skip_reason() -> str | None:
    if not os.environ.get("EMULATORS_BROWSER"):
        return "browser tests run with `make test-ui`"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (make test-ui installs it)"
    binary, driver = chrome_paths()
    if not binary or not driver:
        return "Debian's chromium and chromium-driver are not installed (make test-ui installs them as root)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _skip_reason()
    if reason is None:
        return
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def server() -> Iterator[LiveServer]:
    with LiveServer(build_app("aktion", strict=True)) as srv:
        yield srv


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not try to download anything
    binary, driver_path = chrome_paths()
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(binary)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,800",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--mute-audio",
        "--force-device-scale-factor=1",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(driver_path)), options=opts)
    driver.set_window_size(1280, 800)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def emu(server: LiveServer) -> Iterator[Emulator]:
    """A fresh namespace of the shared server; its dashboard is at emu.base_url + /__emulator/ui/."""
    handle = server.emulator()
    try:
        yield handle
    finally:
        handle.close()
        server.release(handle.namespace or "")
