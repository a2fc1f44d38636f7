"""Webhooks to an https:// receiver: verified against EMULATORS_WEBHOOK_CA (a trustme CA), refused without it."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulators.testing.harness import Emulator
from emulators.testing.webhooks import WebhookReceiver

from .conftest import BASIC

trustme = pytest.importorskip("trustme", reason="trustme is not installed: the https receiver test needs it")


@pytest.fixture
def https_receiver(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[WebhookReceiver, str, Path]]:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(context)
    receiver = WebhookReceiver()
    receiver._server.socket = context.wrap_socket(receiver._server.socket, server_side=True)
    pem = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    monkeypatch.setenv("EMULATORS_WEBHOOK_REQUIRE_HTTPS", "1")
    yield receiver, receiver.url.replace("http://", "https://"), pem
    receiver.close()


def test_postWebhook_https_target_verified_against_webhook_ca(
    superoffice_emulator: Emulator,
    https_receiver: tuple[WebhookReceiver, str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    receiver, url, pem = https_receiver
    monkeypatch.setenv("EMULATORS_WEBHOOK_CA", str(pem))
    receiver.secret = "s"
    body = {"Name": "tls", "Events": ["project.changed"], "TargetUrl": url, "Secret": "s"}
    r = superoffice_emulator.client.post("/api/v1/Webhook", json=body, headers=BASIC)
    assert r.status_code == 200, r.text
    assert receiver.wait_for("test", timeout=2).signature_valid is True


def test_postWebhook_https_target_untrusted_certificate_refused(
    superoffice_emulator: Emulator, https_receiver: tuple[WebhookReceiver, str, Path]
) -> None:
    _, url, _ = https_receiver
    body = {"Name": "tls", "Events": ["project.changed"], "TargetUrl": url}
    r = superoffice_emulator.client.post("/api/v1/Webhook", json=body, headers=BASIC)
    assert r.status_code == 400
    assert r.json()["ErrorType"] == "ArgumentException"
    assert r.json()["ErrorMessage"].startswith(f"Webhook TargetUrl {url} did not answer 200 OK to the test event")
    assert "CERTIFICATE_VERIFY_FAILED" in r.json()["ErrorMessage"] or "certificate" in r.json()["ErrorMessage"]
