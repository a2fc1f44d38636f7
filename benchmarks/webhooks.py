"""PUT latency with 10 subscribed webhooks vs none (issue 22): in process, socket receiver, PUTs spaced
so each one's deliveries are sent before the next; median and p90 of `n` PUTs per side."""

from __future__ import annotations

import base64
import statistics
import time
from typing import Any

AUTH = {"Authorization": "Basic " + base64.b64encode(b"tje0:Tje0").decode()}


def _puts(emu: Any, n: int) -> list[float]:
    project = emu.client.post("/api/v1/Project", json={"Name": "Bench"}, headers=AUTH).json()
    url = f"/api/v1/Project/{project['ProjectId']}"
    out = []
    for i in range(n):
        body = dict(project, Name=f"Bench {i}")
        start = time.perf_counter()
        emu.client.put(url, json=body, headers=AUTH)
        out.append((time.perf_counter() - start) * 1000)
        if emu.app is not None:
            emu.app.world("").outbox.wait_idle(2)
        time.sleep(0.002)
    return out


def run(n: int = 300) -> dict[str, Any]:
    from emulators.testing.harness import in_process
    from emulators.testing.webhooks import WebhookReceiver

    receiver = WebhookReceiver()
    try:
        emu = in_process("superoffice")
        _puts(emu, 50)  # warm-up
        none = _puts(emu, n)
        for i in range(10):
            hook = {"Name": f"h{i}", "Events": ["project.changed"], "TargetUrl": receiver.url, "Secret": "s"}
            emu.client.post("/api/v1/Webhook", json=hook, headers=AUTH)
        _puts(emu, 50)
        ten = _puts(emu, n)
    finally:
        receiver.close()
    med0, med10 = statistics.median(none), statistics.median(ten)
    return {
        "put_ms_median_0_hooks": round(med0, 3),
        "put_ms_median_10_hooks": round(med10, 3),
        "put_ms_p90_0_hooks": round(statistics.quantiles(none, n=10)[-1], 3),
        "put_ms_p90_10_hooks": round(statistics.quantiles(ten, n=10)[-1], 3),
        "ratio": round(med10 / med0, 3),
        "deliveries": len(receiver.deliveries),
    }


if __name__ == "__main__":
    print(run())
