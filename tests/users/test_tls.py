"""HTTPS: `serve --tls` with the local CA, a user's own certificate, the pytest fixtures, webhook receivers."""

from __future__ import annotations

import asyncio
import re
import shutil
import ssl
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from emulators import tls
from emulators.testing.harness import Emulator

Serve = Callable[..., tuple[subprocess.Popen[str], str]]


def _ready(line: str, api: str = "bouwsoft") -> tuple[str, str]:
    m = re.fullmatch(rf"{api} (https://127\.0\.0\.1:\d+) \(CA (.+)\)", line)
    assert m, line
    return m.group(1), m.group(2)


def test_tls_local_ca_made_once_and_kept(tls_dir: Path) -> None:
    first = tls.server_cert(["127.0.0.1"])
    ca = (tls_dir / "ca.pem").read_bytes()
    again = tls.server_cert(["127.0.0.1"])
    assert (first, (tls_dir / "ca.pem").read_bytes()) == (again, ca)
    assert first.ca_path == tls_dir / "ca.pem" and (tls_dir / "ca-key.pem").stat().st_mode & 0o077 == 0
    assert tls.server_cert(["0.0.0.0"]) == first  # a wildcard address names no host of its own


def test_cache_dir_honours_xdg_cache_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("EMULATORS_TLS_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert tls.cache_dir() == tmp_path / "emulators" / "tls"


def test_serve_tls_httpx_and_ca_pem(tls_dir: Path, serve: Serve) -> None:
    _, line = serve("bouwsoft", "--tls")
    url, ca = _ready(line)
    assert ca == str(tls_dir / "ca.pem")
    with httpx.Client(verify=ssl.create_default_context(cafile=ca)) as client:
        assert client.get(url + "/__emulator/health").json() == {"status": "ok", "emulator": "bouwsoft"}
        pem = client.get(url + "/__emulator/ca.pem")
        assert (pem.status_code, pem.headers["content-type"]) == (200, "application/x-pem-file")
        assert pem.content == Path(ca).read_bytes()
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.get(url + "/__emulator/health")  # the system's CAs do not know ours


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_serve_tls_curl_cacert(tls_dir: Path, serve: Serve) -> None:
    _, line = serve("aktion", env={"EMULATORS_TLS": "1"})
    url, ca = _ready(line, "aktion")
    out = subprocess.run(
        ["curl", "-sS", "--cacert", ca, url + "/__emulator/health"], capture_output=True, text=True, timeout=30
    )
    assert (out.returncode, out.stdout) == (0, '{"status":"ok","emulator":"aktion"}')
    refused = subprocess.run(["curl", "-sS", url + "/__emulator/health"], capture_output=True, text=True, timeout=30)
    assert refused.returncode == 60  # curl: peer certificate cannot be authenticated with known CA certificates


def test_serve_tls_user_certificate(tls_dir: Path, tmp_path: Path, serve: Serve) -> None:
    import trustme

    ca = trustme.CA()
    leaf = ca.issue_cert("127.0.0.1", "localhost")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_bytes(b"".join(p.bytes() for p in leaf.cert_chain_pems))
    key.write_bytes(leaf.private_key_pem.bytes())
    _, line = serve("bouwsoft", "--tls-cert", str(cert), "--tls-key", str(key))
    url = re.fullmatch(r"bouwsoft (https://\S+)", line).group(1)  # type: ignore[union-attr]
    trust = ssl.create_default_context()
    ca.configure_trust(trust)
    with httpx.Client(verify=trust) as client:
        assert client.get(url + "/__emulator/health").status_code == 200
        missing = client.get(url + "/__emulator/ca.pem")
        assert (missing.status_code, missing.json()["error"]) == (
            404,
            "This server does not use the emulators' local CA (serve with --tls)",
        )
    assert not tls_dir.exists()  # no local CA made for a user's own certificate


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tls-cert", "nope.pem"], "emulators serve: error: --tls-cert nope.pem: no such file"),
        (["--tls-key", "k.pem"], "emulators serve: error: --tls-key k.pem: needs --tls-cert (EMULATORS_TLS_CERT) too"),
        (["--tls-cert", "pyproject.toml"], "emulators serve: error: --tls-cert pyproject.toml / --tls-key "),
    ],
)
def test_serve_tls_bad_certificate_is_one_line(args: list[str], message: str) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "emulators", "serve", "bouwsoft", "--port", "0", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.returncode == 2 and out.stderr.startswith(message) and out.stderr.count("\n") == 1, out.stderr


@pytest.mark.parametrize("bouwsoft_server", [{"tls": True}], indirect=True)
def test_server_fixture_tls_param(bouwsoft_server: Emulator) -> None:
    assert bouwsoft_server.base_url.startswith("https://127.0.0.1:")
    assert bouwsoft_server.ca_path is not None and bouwsoft_server.ca_path.is_file()
    assert bouwsoft_server.health()["emulator"] == "bouwsoft"
    assert bouwsoft_server.client.get("/__emulator/ca.pem").content == bouwsoft_server.ca_path.read_bytes()


@pytest.mark.emulator_tls
def test_server_fixture_tls_marker(aktion_server: Emulator) -> None:
    assert aktion_server.base_url.startswith("https://")
    creds = aktion_server.credentials
    assert creds and aktion_server.client.get("/__emulator/health").status_code == 200


def test_server_fixture_plain_by_default(twelvebuild_server: Emulator) -> None:
    assert twelvebuild_server.base_url.startswith("http://") and twelvebuild_server.ca_path is None


def test_server_context_serves_a_webhook_receiver(tls_dir: Path) -> None:
    """A receiver on `tls.server_context()` is trusted by clients of `tls.client_context()` (same CA)."""
    got: list[bytes] = []
    ready = threading.Event()
    port: list[int] = []

    async def main() -> None:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            got.append(await reader.readuntil(b"\r\n\r\n"))
            writer.write(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=tls.server_context(["127.0.0.1"]))
        port.append(server.sockets[0].getsockname()[1])
        ready.set()
        async with server:
            await asyncio.sleep(3)

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    assert ready.wait(10)
    r = httpx.post(f"https://127.0.0.1:{port[0]}/hook", verify=tls.client_context(), content=b"{}")
    assert r.status_code == 204 and got[0].startswith(b"POST /hook HTTP/1.1")


def test_serve_tls_with_workers_is_one_line() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "emulators", "serve", "bouwsoft", "--workers", "2", "--tls"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert (out.returncode, out.stderr) == (
        2,
        "emulators serve: error: --tls and --watch serve one process per API: not with --workers (put TLS on nginx)\n",
    )


AUTH = {"Authorization": "Basic dGplMDpUamUw"}


@pytest.mark.emulator_tls
def test_webhook_receiver_tls_with_require_https(
    superoffice_emulator: Emulator, webhook_receiver: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """EMULATORS_WEBHOOK_REQUIRE_HTTPS=1 end to end: an https receiver on the local CA gets the delivery."""
    monkeypatch.setenv("EMULATORS_WEBHOOK_REQUIRE_HTTPS", "1")
    assert webhook_receiver.url.startswith("https://127.0.0.1:") and webhook_receiver.ca_path.is_file()
    emu = superoffice_emulator
    plain = {"Name": "plain", "Events": ["project.created"], "TargetUrl": "http://127.0.0.1:9/hook"}
    assert emu.client.post("/api/v1/Webhook", json=plain, headers=AUTH).status_code >= 400
    hook = {"Name": "tls", "Events": ["project.created"], "TargetUrl": webhook_receiver.url}
    assert emu.client.post("/api/v1/Webhook", json=hook, headers=AUTH).status_code == 200
    emu.client.post("/api/v1/Project", json={"Name": "Demo"}, headers=AUTH)
    got = webhook_receiver.wait_for("project.created", timeout=5)
    assert got.status == 200 and got.json()["Event"] == "project.created"
