"""Dashboard rough edges (issue 28): the timeline of a quiet journal is a short window of wide bars,
and the Exports page describes the scenario as `record` writes it (${credentials.*}, captures)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from emulators import build_app
from emulators.testing.transport import client_for
from emulators.ui.data import TIMELINE_MIN_SECONDS, TIMELINE_SECONDS, timeline


def _entries(*offsets: float, now: float = 1000.0, status: int = 200) -> list[Any]:
    return [SimpleNamespace(time=now - o, status=status) for o in sorted(offsets, reverse=True)]


def test_timeline_few_requests_in_one_second_is_the_shortest_window() -> None:
    t = timeline(_entries(0, 0, 0), 1000.0)
    assert t["seconds"] == len(t["buckets"]) == TIMELINE_MIN_SECONDS
    assert sum(b["2xx"] for b in t["buckets"]) == 3 and t["buckets"][-1]["2xx"] == 3


def test_timeline_window_covers_the_span_of_the_traffic() -> None:
    t = timeline(_entries(0, 12.5, 29.2), 1000.0)
    assert t["seconds"] == len(t["buckets"]) == 30
    assert sum(b["2xx"] for b in t["buckets"]) == 3 and t["buckets"][0]["2xx"] == 1


def test_timeline_busy_journal_keeps_the_full_minute() -> None:
    t = timeline(_entries(0, 30, 59.5, 90, 300), 1000.0)
    assert t["seconds"] == len(t["buckets"]) == TIMELINE_SECONDS
    assert sum(sum(b.values()) for b in t["buckets"]) == 3  # 90 s and 300 s ago: outside


def test_timeline_empty_journal() -> None:
    t = timeline([], 1000.0)
    assert t["seconds"] == TIMELINE_MIN_SECONDS and not any(any(b.values()) for b in t["buckets"])


def test_uiPage_exports_says_credentials_as_record_writes_them() -> None:
    with client_for(build_app("bouwsoft"), base_url="http://127.0.0.1:8701") as c:
        page = c.get("/__emulator/ui/exports").text
    assert "${credentials.*}" in page and "secret_" not in page
    assert 'download="bouwsoft.scenario.yaml"' in page
