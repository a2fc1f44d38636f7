"""The ProjectEntity JSON writer (shared FieldProperties tables written from bytes encoded once) writes
exactly what the kernel's encoder writes for the whole body, on every answer shape."""

from __future__ import annotations

import json
from typing import Any

import pytest

from emulators.core.negotiation import encode_json
from emulators.superoffice.jsoncodec import encode_json_answer
from emulators.testing.harness import in_process

AUTH = {"Authorization": "Basic dGplMDpUamUw", "Accept": "application/json"}


def _body(**extra: Any) -> dict[str, Any]:
    return {
        "Name": "Codec check",
        "ProjectMembers": [
            {"PersonId": 1, "ProjectMemberTypeId": 1, "Comment": "lead"},
            {"PersonId": 2, "ProjectMemberTypeId": 1, "Comment": "ünïcode ✓"},
        ],
        "ProjectStatus": {"Id": 2},
        "UserDefinedFields": {"SuperOffice:1": "[I:8]", "SuperOffice:2": "x"},
        **extra,
    }


@pytest.fixture()
def answers() -> list[Any]:
    """Decoded answers of assorted Project operations (each re-rendered below from the stored record)."""
    emu = in_process("superoffice")
    c = emu.client
    out = []
    pid = c.post("/api/v1/Project", json=_body(), headers=AUTH).json()["ProjectId"]
    for path, params in [
        (f"/api/v1/Project/{pid}", {}),
        (f"/api/v1/Project/{pid}", {"$select": "name,projectMembers/comment"}),
        ("/api/v1/Project/default", {}),
        ("/api/v1/Project/414", {}),
        ("/api/v1/Project/999999", {}),  # the error envelope
    ]:
        r = c.get(path, params=params, headers=AUTH)
        out.append((r.content, r.json()))
    r = c.put(f"/api/v1/Project/{pid}", json=_body(Description="e-mail 0.00001 1e-7"), headers=AUTH)
    out.append((r.content, r.json()))
    emu.close()
    return out


def test_encode_json_answer_served_bytes_equal_kernel_encoder(answers: list[Any]) -> None:
    for content, doc in answers:
        assert content == encode_json(doc)
        assert content == json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


def test_encode_json_answer_rendered_entities_equal_kernel_encoder() -> None:
    """Straight from the renderer (the shared tables in place), with floats that force the stdlib path."""
    from emulators.superoffice.render import render_project

    emu = in_process("superoffice")
    pid = emu.client.post("/api/v1/Project", json=_body(), headers=AUTH).json()["ProjectId"]
    store = next(s for s in emu.app.default_world._stores.values() if s.get("projects", pid))
    rec = store.get("projects", pid)
    rendered = render_project(rec, links_base="http://testserver")
    assert encode_json_answer(rendered) == encode_json(rendered)
    risky = {**rendered, "ExtraFields": {"weight": 1e-7}, "ProjectStatus": {**rendered["ProjectStatus"]}}
    expected = json.dumps(risky, ensure_ascii=False, separators=(",", ":")).encode()
    assert encode_json_answer(risky) == encode_json(risky) == expected
    assert b"1e-07" in encode_json_answer(risky)
    emu.close()
