"""Latency distributions: sampled from the seeded generator, waited without holding up other requests."""

from __future__ import annotations

import asyncio
import statistics
import time

import httpx
import pytest

from emulators import build_app
from emulators.core.config import ConfigError, validate_delay
from emulators.core.latency import Delay
from emulators.testing.transport import async_client_for
from tests.echo import EMULATOR


def _quantile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


@pytest.mark.deep
def test_latency_lognormal_measured_median_and_p95_within_15_percent() -> None:
    """1,000 requests with a global log-normal latency: the delays applied (the journal's delay_ms) have the
    median and p95 asked for, within 15 % (the time really waited is `make bench`'s to measure)."""
    asked = {"lognormal": {"median_ms": 20, "sigma": 0.5}}
    app = build_app(EMULATOR, latency=asked, seed=7)

    async def run() -> None:
        async with async_client_for(app, base_url="http://echo") as client:
            token = (await client.post("/login", params={"user": "alice"})).json()["token"]
            for _ in range(10):  # 10 rounds of 100 concurrent requests: ~1 s in all
                answers = await asyncio.gather(
                    *(client.get("/items", headers={"X-Api-Key": token}) for _ in range(100))
                )
                assert {r.status_code for r in answers} == {200}

    asyncio.run(run())
    waited = [e.delay_ms or 0.0 for e in app.default_world.journal.entries() if e.operation == "listItems"]
    assert len(waited) == 1000 and all(w > 0 for w in waited)
    dist = Delay.from_spec(asked)
    median, p95 = statistics.median(waited), _quantile(waited, 0.95)
    assert abs(median - dist.quantile(0.5)) / dist.quantile(0.5) < 0.15, median
    assert abs(p95 - dist.quantile(0.95)) / dist.quantile(0.95) < 0.15, p95


def test_latency_samples_are_seeded_and_uniform_stays_in_range() -> None:
    a = Delay.from_spec({"uniform_ms": [10, 30]}, seed=3)
    b = Delay.from_spec({"uniform_ms": [10, 30]}, seed=3)
    first = [a.sample() for _ in range(200)]
    assert first == [b.sample() for _ in range(200)]
    assert min(first) >= 10 and max(first) <= 30 and max(first) - min(first) > 15
    assert Delay.from_spec({"fixed_ms": 12}).sample() == 12.0


def test_latency_delay_never_blocks_other_requests() -> None:
    """A request held 400 ms by a rule's delay does not hold up another one sent meanwhile."""
    app = build_app(EMULATOR)

    async def run() -> tuple[float, float]:
        async with async_client_for(app, base_url="http://echo") as client:
            token = (await client.post("/login", params={"user": "alice"})).json()["token"]
            await client.post("/__emulator/faults", json={"operation": "listItems", "delay": {"fixed_ms": 400}})
            started = time.perf_counter()

            async def timed(path: str) -> float:
                await client.get(path, headers={"X-Api-Key": token})
                return time.perf_counter() - started

            slow, fast = await asyncio.gather(timed("/items"), timed("/items/apple"))
            return slow, fast

    slow, fast = asyncio.run(run())
    assert slow >= 0.39 and fast < 0.2


def test_addFault_delay_distribution_journaled(client: httpx.Client, auth: dict[str, str]) -> None:
    rule = {"operation": "listItems", "delay": {"uniform_ms": [5, 10]}, "times": 1}
    fid = client.post("/__emulator/faults", json=rule).json()["id"]
    assert client.get("/items", headers=auth).status_code == 200
    entry = client.get("/__emulator/requests").json()["requests"][-1]
    assert entry["fault"] == fid and 5 <= entry["delay_ms"] <= 10
    listed = client.get("/__emulator/faults").json()["faults"][0]
    assert listed["delay"] == {"uniform_ms": [5.0, 10.0]}


@pytest.mark.parametrize(
    ("delay", "message"),
    [
        ({"fixed_ms": 1, "uniform_ms": [1, 2]}, "give exactly one of fixed_ms, uniform_ms, lognormal"),
        ({"uniform_ms": [5, 1]}, "uniform_ms: [low, high] with low <= high"),
        (
            {"lognormal": {"median_ms": 0, "sigma": 1}},
            "fault rule: delay.lognormal.median_ms: Input should be greater than 0 (got 0)",
        ),
        ({"lognormall": {}}, "did you mean `lognormal`?"),
    ],
)
def test_addFault_bad_delay_is_one_line_400(client: httpx.Client, delay: dict[str, object], message: str) -> None:
    r = client.post("/__emulator/faults", json={"delay": delay})
    assert r.status_code == 400
    assert message in r.json()["error"] and "\n" not in r.json()["error"]
    with pytest.raises(ConfigError):
        validate_delay(delay)
