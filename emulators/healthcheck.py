"""`python -m emulators.healthcheck [URL ...]`: the container's HEALTHCHECK (exit 0 healthy, 1 not).

Without URLs it asks `/__emulator/health` on the four emulator ports of this host: the ports from
EMULATORS_PORT or EMULATORS_BASE_PORT (four consecutive ones) when set, else the default 8701-8704.
Healthy when at least one answers `{"status": "ok"}` and none answers anything else; a port with no
listener counts for nothing, so a container serving only some of the APIs is healthy too.
EMULATORS_HEALTHCHECK_URLS (space-separated) or URL arguments name the endpoints instead; then every
one of them must answer ok. Uses only the standard library: it runs every few seconds.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request

DEFAULT_PORTS = (8701, 8702, 8703, 8704)


def default_urls(env: dict[str, str] | None = None) -> list[str]:
    env = dict(os.environ) if env is None else env
    first = env.get("EMULATORS_PORT") or env.get("EMULATORS_BASE_PORT")
    ports: tuple[int, ...] = DEFAULT_PORTS
    if first and first.isascii() and first.isdigit():  # str.isdigit() alone also accepts '²', which int() refuses
        ports = tuple(int(first) + i for i in range(len(DEFAULT_PORTS)))
    return [f"http://127.0.0.1:{p}/__emulator/health" for p in ports]


def probe(url: str, timeout: float = 2.0) -> bool | None:
    """True: answered ok; False: answered something else; None: nothing listens there."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            body = json.loads(resp.read() or b"{}")
            return resp.status == 200 and isinstance(body, dict) and body.get("status") == "ok"
    except urllib.error.HTTPError:
        return False
    except (ConnectionRefusedError, urllib.error.URLError) as exc:
        reason = getattr(exc, "reason", exc)
        return None if isinstance(reason, ConnectionRefusedError) else False
    except (OSError, ValueError):
        return False


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    named = args or os.environ.get("EMULATORS_HEALTHCHECK_URLS", "").split()
    urls = named or default_urls()
    verdicts = {url: probe(url) for url in urls}
    bad = [u for u, v in verdicts.items() if v is False or (named and v is None)]
    if bad or not any(verdicts.values()):
        print("unhealthy: " + (", ".join(bad) if bad else "no emulator answers on " + ", ".join(urls)))
        return 1
    print("healthy: " + ", ".join(u for u, v in verdicts.items() if v))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
