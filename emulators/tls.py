"""HTTPS for `emulators serve --tls`, the pytest fixtures and webhook receivers: one local CA per machine.

The CA is made with `trustme` on first use and kept in the cache folder (`$XDG_CACHE_HOME/emulators/tls`,
else `~/.cache/emulators/tls`; `EMULATORS_TLS_DIR` overrides), so a client configured once to trust
`ca.pem` trusts every later run. Server certificates for the served host names are issued by it and kept
beside it. `--tls-cert/--tls-key` serve a user's own certificate instead (no CA of ours then)."""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import os
import ssl
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .core.config import ConfigError

LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")
CA_FILE = "ca.pem"
CA_KEY_FILE = "ca-key.pem"


@dataclass(frozen=True)
class ServerCert:
    """What a TLS server loads: the certificate chain, its key, and the CA that signed it (ours, or None)."""

    cert_path: Path
    key_path: Path
    ca_path: Path | None = None

    def context(self) -> ssl.SSLContext:
        """A server-side SSLContext with this certificate."""
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(str(self.cert_path), str(self.key_path))
        return ctx


def cache_dir() -> Path:
    """Where the local CA lives: EMULATORS_TLS_DIR, else $XDG_CACHE_HOME/emulators/tls, else ~/.cache/..."""
    explicit = os.environ.get("EMULATORS_TLS_DIR", "").strip()
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base).expanduser() / "emulators" / "tls"


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """One process at a time makes the CA (pytest-xdist workers start together)."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "a+b") as handle:
        try:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - Windows: no lock
            pass
        yield


def _write(path: Path, data: bytes, private: bool = False) -> None:
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)


def local_ca(directory: Path | None = None) -> Any:
    """The local CA (a `trustme.CA`), read from the cache folder or made there on first use."""
    import trustme

    where = directory or cache_dir()
    cert, key = where / CA_FILE, where / CA_KEY_FILE
    with _locked(where):
        if cert.is_file() and key.is_file():
            return trustme.CA.from_pem(cert.read_bytes(), key.read_bytes())
        ca = trustme.CA(organization_name="vendor-emulators", organization_unit_name="local CA")
        _write(key, ca.private_key_pem.bytes(), private=True)
        _write(cert, ca.cert_pem.bytes())
        return ca


def ca_path(directory: Path | None = None) -> Path:
    """The local CA's certificate (made on first use): what a client trusts (`curl --cacert`, httpx verify=)."""
    where = directory or cache_dir()
    local_ca(where)
    return where / CA_FILE


def _names(hosts: Sequence[str]) -> list[str]:
    """The served host names plus the loopback ones; wildcard addresses (0.0.0.0, ::) name no host."""
    out: list[str] = []
    for host in [*LOCAL_NAMES, *hosts]:
        name = host.strip("[]")
        if not name or name in out:
            continue
        with contextlib.suppress(ValueError):
            if ipaddress.ip_address(name).is_unspecified:
                continue
        out.append(name)
    return out


def server_cert(hosts: Sequence[str] = (), directory: Path | None = None) -> ServerCert:
    """A certificate for `hosts` (and localhost, 127.0.0.1, ::1) issued by the local CA, kept beside it."""
    where = directory or cache_dir()
    ca = local_ca(where)
    names = _names(hosts)
    digest = hashlib.sha256(ca.cert_pem.bytes() + "\n".join(names).encode()).hexdigest()
    path = where / f"server-{digest[:16]}.pem"
    with _locked(where):
        if not path.is_file():
            leaf = ca.issue_cert(*names, common_name=names[0])
            _write(path, leaf.private_key_and_cert_chain_pem.bytes(), private=True)
    return ServerCert(path, path, where / CA_FILE)


def user_cert(cert: str, key: str | None) -> ServerCert:
    """A user's own certificate (--tls-cert/--tls-key), checked now: a bad pair is one line, not a traceback."""
    key = key or cert
    for flag, value in (("--tls-cert", cert), ("--tls-key", key)):
        if not Path(value).is_file():
            raise ConfigError([f"{flag} {value}: no such file"])
    made = ServerCert(Path(cert), Path(key))
    try:
        made.context()
    except (ssl.SSLError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc.strerror or str(exc)
        raise ConfigError([f"--tls-cert {cert} / --tls-key {key}: not a certificate and its key ({reason})"]) from None
    return made


def server_context(hosts: Sequence[str] = (), directory: Path | None = None) -> ssl.SSLContext:
    """A server-side SSLContext with a certificate from the local CA: e.g. for an https webhook receiver
    (`loop.create_server(..., ssl=server_context())`, `uvicorn.Config(ssl_certfile=...)` via `server_cert`)."""
    return server_cert(hosts, directory).context()


def client_context(directory: Path | None = None) -> ssl.SSLContext:
    """A client-side SSLContext that trusts the local CA (httpx: `verify=client_context()`)."""
    return ssl.create_default_context(cafile=str(ca_path(directory)))
