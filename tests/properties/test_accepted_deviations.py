"""known_gaps.ACCEPTED skips only the cases its predicate picks; the check still runs for every other case."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from .known_gaps import with_accepted


def negative_data_rejection(ctx: Any, response: Any, case: Any) -> None:
    raise AssertionError("ran")


def _runs(api: str, op_id: str, body: Any, media_type: str) -> bool:
    (check,) = with_accepted(api, op_id, [negative_data_rejection])
    assert check.__name__ == "negative_data_rejection"
    try:
        check(None, None, SimpleNamespace(body=body, media_type=media_type))
    except AssertionError:
        return True
    return False


@pytest.mark.parametrize("body", [b" ", b"\x0c", "\t\r\n"])
def test_with_accepted_blank_body_skipped_superoffice(body: Any) -> None:
    assert not _runs("superoffice", "agentGetDuplicates", body, "text/json")


@pytest.mark.parametrize("body", [b'{"a": 1}', b"x", b"", {"a": 1}])
def test_with_accepted_other_body_still_checked_superoffice(body: Any) -> None:
    assert _runs("superoffice", "agentGetDuplicates", body, "application/json")


def test_with_accepted_xml_only_for_saveUdefLayout_superoffice() -> None:
    assert not _runs("superoffice", "saveUdefLayout", b"<UdefFieldList/>", "text/xml")
    assert _runs("superoffice", "saveUdefLayout", b'{"a": 1}', "application/json")
    assert _runs("superoffice", "agentGetDuplicates", b"<a/>", "text/xml")


def test_with_accepted_other_api_unchanged() -> None:
    assert _runs("bouwsoft", "listProjects", b" ", "application/json")
