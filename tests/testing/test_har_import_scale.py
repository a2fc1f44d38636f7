"""Issue 24 item 12: `emulators import har` is linear in the traffic and in the size of a body. Counted, not
timed (a shared CI machine makes timings noisy): the tree nodes walked and the variable-name look-ups at N
and 4N must grow about 4x (a generous 6x allowed); the old code grew its look-ups with the square."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from emulators.recording import portable
from emulators.recording.har_import import import_har

BASE = "http://localhost:8000"


def _entry(method: str, path: str, status: int, answer: Any, sent: Any = None) -> dict[str, Any]:
    req: dict[str, Any] = {"method": method, "url": BASE + path, "headers": [{"name": "Accept", "value": "*/*"}]}
    if sent is not None:
        req["postData"] = {"mimeType": "application/json", "text": json.dumps(sent)}
    content = {"mimeType": "application/json", "text": json.dumps(answer)}
    return {"request": req, "response": {"status": status, "headers": [], "content": content}}


def _har(pairs: int) -> str:
    """`pairs` projects created, each read back by the id its answer minted (a capture per pair)."""
    entries = []
    for k in range(pairs):
        pid = 7000 + k
        entries.append(_entry("POST", "/api/v1/Project", 200, {"ProjectId": pid, "Name": f"p{k}"}, {"Name": f"p{k}"}))
        entries.append(_entry("GET", f"/api/v1/Project/{pid}", 200, {"ProjectId": pid, "Name": f"p{k}"}))
    return json.dumps({"log": {"version": "1.2", "creator": {"name": "t", "version": "1"}, "entries": entries}})


def _big_body(items: int) -> str:
    answer = [{"ProjectId": k, "Name": f"name {k}", "Description": "d" * 20} for k in range(items)]
    entry = _entry("GET", "/api/v1/Project", 200, answer)
    return json.dumps({"log": {"version": "1.2", "creator": {"name": "t", "version": "1"}, "entries": [entry]}})


class _Counts:
    def __init__(self) -> None:
        self.walked = 0
        self.lookups = 0


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Counts]:
    seen = _Counts()
    walk = portable._map

    def counted_map(value: Any, fn: Any, key: str | None = None) -> Any:
        seen.walked += 1
        return walk(value, fn, key)

    class CountingSet(set[str]):
        def __contains__(self, item: object) -> bool:
            seen.lookups += 1
            return super().__contains__(item)

    class Builder(portable._Builder):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.var_names = CountingSet(self.var_names)

    monkeypatch.setattr(portable, "_map", counted_map)
    monkeypatch.setattr(portable, "_Builder", Builder)
    yield seen


def _measure(counts: _Counts, text: str) -> tuple[int, int, dict[str, Any]]:
    counts.walked = counts.lookups = 0
    scenario = import_har(text, "superoffice")
    return counts.walked, counts.lookups, scenario


def test_import_har_many_entries_linear(counts: _Counts) -> None:
    walked, lookups, small = _measure(counts, _har(150))
    walked4, lookups4, big = _measure(counts, _har(600))
    assert len(small["steps"]) == 300 and len(big["steps"]) == 1200
    # every pair's id became its own capture: ProjectId, ProjectId_2, ... ProjectId_600
    assert big["steps"][-1]["request"]["path"] == "/api/v1/Project/${ProjectId_600}"
    assert walked4 < 6 * walked, (walked, walked4)
    assert lookups4 < 6 * lookups, (lookups, lookups4)


def test_import_har_large_body_linear(counts: _Counts) -> None:
    walked, _, _ = _measure(counts, _big_body(5_000))
    walked4, _, scenario = _measure(counts, _big_body(20_000))
    body = scenario["steps"][0]["expect"]["json"]
    assert len(body) == 20_000 and body[-1]["Name"] == "name 19999"
    assert walked4 < 6 * walked, (walked, walked4)
