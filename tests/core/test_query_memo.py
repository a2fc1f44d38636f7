"""Query strings are worked out once per short string; long ones every time; refusals are never memoised."""

from __future__ import annotations

import pytest

from emulators.core.errors import EmulatorError
from emulators.core.request_io import MEMO_QUERY_CHARS, per_short_query, query_pairs


def test_per_short_query_memoises_short_strings_only() -> None:
    calls: list[str] = []

    @per_short_query
    def length(query: str) -> int:
        calls.append(query)
        return len(query)

    short, long = "a=1", "a=" + "x" * MEMO_QUERY_CHARS
    assert [length(short), length(short), length(long), length(long)] == [3, 3, len(long), len(long)]
    assert calls == [short, long, long]


def test_query_pairs_bad_utf8_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(EmulatorError) as info:
            query_pairs("a=%ff")
        assert info.value.status == 400 and info.value.message == "Query string is not valid UTF-8"
    assert query_pairs("a=1&a=2&b=") == (("a", "1"), ("a", "2"), ("b", ""))
