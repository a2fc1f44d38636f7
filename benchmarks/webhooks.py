"""PUT latency with 10 subscribed webhooks vs none (issue 22), over the socket as users run it.

One `emulators serve superoffice` process; two namespaces in it, one with ten webhooks subscribed to
`project.changed` (a socket receiver in this process, signed), one with none. PUTs alternate between
the two (A, B, B, A, ...), so the machine's noise hits both alike. Each PUT waits until the previous
one's deliveries have all arrived: what is measured is whether delivering delays the write that caused
it, not a receiver's throughput. Medians per side and the spread of the ratio over the rounds.
"""

from __future__ import annotations

import base64
import statistics
import time
from collections.abc import Callable
from typing import Any

import httpx

AUTH = {"Authorization": "Basic " + base64.b64encode(b"tje0:Tje0").decode()}
HOOKS = 10
SPACING = 0.005  # seconds after each PUT (and its deliveries): the outbox is done with them


def _project(client: httpx.Client, base: str) -> tuple[str, dict[str, Any]]:
    answer = client.post(f"{base}/api/v1/Project", json={"Name": "Bench"}, headers=AUTH)
    answer.raise_for_status()
    project = answer.json()
    return f"{base}/api/v1/Project/{project['ProjectId']}", project


def _put(client: httpx.Client, url: str, project: dict[str, Any], i: int) -> float:
    body = dict(project, Name=f"Bench {i}")
    start = time.perf_counter()
    answer = client.put(url, json=body, headers=AUTH)
    took = (time.perf_counter() - start) * 1000
    if answer.status_code != 200:
        raise RuntimeError(f"PUT {url}: {answer.status_code} {answer.text[:200]}")
    return took


def _await(receiver: Any, count: int, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while len(receiver.deliveries) < count:
        if time.monotonic() > end:
            raise RuntimeError(f"only {len(receiver.deliveries)} of {count} webhook deliveries arrived")
        time.sleep(0.0005)


def run(serve: Callable[[str], Any], n: int = 200, rounds: int = 3, warmup: int = 50) -> dict[str, Any]:
    """`serve(api)` starts `emulators serve api` and returns a server with `url` and `stop()`."""
    from emulators.testing.webhooks import WebhookReceiver

    receiver = WebhookReceiver()
    server = serve("superoffice")
    try:
        with httpx.Client(timeout=10) as client:
            none_url, none_project = _project(client, f"{server.url}/__ns/nohooks")
            ten_base = f"{server.url}/__ns/tenhooks"
            for i in range(HOOKS):
                hook = {"Name": f"h{i}", "Events": ["project.changed"], "TargetUrl": receiver.url, "Secret": "s"}
                client.post(f"{ten_base}/api/v1/Webhook", json=hook, headers=AUTH).raise_for_status()
            ten_url, ten_project = _project(client, ten_base)
            expected = len(receiver.deliveries)
            sides: dict[str, list[list[float]]] = {"none": [], "ten": []}
            for r in range(rounds + 1):
                none: list[float] = []
                ten: list[float] = []
                for i in range(warmup if r == 0 else n):
                    for side in ("none", "ten") if i % 2 else ("ten", "none"):  # A B B A: no side always goes first
                        if side == "none":
                            none.append(_put(client, none_url, none_project, i))
                        else:
                            ten.append(_put(client, ten_url, ten_project, i))
                            expected += HOOKS
                            _await(receiver, expected)
                        time.sleep(SPACING)
                if r:  # round 0 warms up
                    sides["none"].append(none)
                    sides["ten"].append(ten)
    finally:
        server.stop()
        receiver.close()
    med = {k: statistics.median([x for rnd in v for x in rnd]) for k, v in sides.items()}
    ratios = [statistics.median(t) / statistics.median(z) for z, t in zip(sides["none"], sides["ten"], strict=True)]
    return {
        "n": n * rounds,
        "none_ms": med["none"],
        "ten_ms": med["ten"],
        "none_p90": statistics.quantiles([x for rnd in sides["none"] for x in rnd], n=10)[-1],
        "ten_p90": statistics.quantiles([x for rnd in sides["ten"] for x in rnd], n=10)[-1],
        "ratio": med["ten"] / med["none"],
        "ratio_min": min(ratios),
        "ratio_max": max(ratios),
        "deliveries": len(receiver.deliveries),
        "signed": all(d.headers.get("x-superoffice-signature") for d in receiver.deliveries),
    }


def report(serve: Callable[[str], Any]) -> None:
    r = run(serve)
    print(
        f"superoffice PUT with {HOOKS} webhooks vs none (socket, {r['n']} PUTs a side, alternating):"
        f" median {r['ten_ms']:.2f} ms vs {r['none_ms']:.2f} ms, {r['ratio']:.2f}x"
        f" ({r['ratio_min']:.2f}-{r['ratio_max']:.2f} over the rounds); p90 {r['ten_p90']:.2f} vs"
        f" {r['none_p90']:.2f} ms; {r['deliveries']} deliveries (target <= 1.10x)"
    )


if __name__ == "__main__":
    from benchmarks.servers import serve as serve_api

    report(serve_api)
