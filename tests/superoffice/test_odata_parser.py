"""The `$filter` parser is built in memory: lark's disk cache (a pickle in the shared temp directory, which anyone
who can write there could replace) is neither read nor written."""

from __future__ import annotations

import pickle
import tempfile
from pathlib import Path
from typing import Any

import pytest

from emulators.superoffice.odata import parse as odata_parse


def test_parse_filter_reads_and_writes_no_pickle_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    planted = tmp_path / "lark_cache_planted.tmp"
    planted.write_bytes(b"not a pickle")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    loads: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        loads.append(args)
        raise AssertionError("the parser must not unpickle anything")

    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)
    odata_parse._parser.cache_clear()
    try:
        tree = odata_parse.parse("name begins 'A' and projectId gt 1")
    finally:
        odata_parse._parser.cache_clear()
    assert tree.data == "and_expr"
    assert loads == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lark_cache_planted.tmp"]


def test_parse_filter_builds_the_parser_once_per_process() -> None:
    assert odata_parse._parser() is odata_parse._parser()
