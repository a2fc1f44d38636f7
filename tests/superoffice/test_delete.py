"""DELETE /Project/{id}: 204, 404, 412 (B1.2, B2.3)."""

from __future__ import annotations

import httpx

from .conftest import BASIC, ONSITE, advance, assert_error, freeze


def test_deleteProjectEntity_204_then_gone(client: httpx.Client) -> None:
    r = client.delete(f"{ONSITE}/414", headers=BASIC)
    assert r.status_code == 204 and r.content == b""
    assert_error(client.get(f"{ONSITE}/414", headers=BASIC), 404, "SoNotFoundException", "Project id 414 not found")


def test_deleteProjectEntity_unknown_id_404(client: httpx.Client) -> None:
    assert_error(
        client.delete(f"{ONSITE}/99999", headers=BASIC), 404, "SoNotFoundException", "Project id 99999 not found"
    )


def test_deleteProjectEntity_if_unmodified_since_older_412(client: httpx.Client) -> None:
    r = client.delete(f"{ONSITE}/414", headers={**BASIC, "If-Unmodified-Since": "Sun, 01 Jan 2017 00:00:00 GMT"})
    assert_error(
        r,
        412,
        "PreconditionFailedException",
        "Delete aborted because ProjectEntity has changed since the requested If-Unmodified-Since timestamp.",
    )
    assert client.get(f"{ONSITE}/414", headers=BASIC).status_code == 200


def test_deleteProjectEntity_if_unmodified_since_flow_with_clock(client: httpx.Client) -> None:
    freeze(client)
    stamp = client.put(f"{ONSITE}/414", headers=BASIC, json={"Name": "v1"}).headers["last-modified"]
    advance(client, 5)
    client.put(f"{ONSITE}/414", headers=BASIC, json={"Name": "v2"})
    assert client.delete(f"{ONSITE}/414", headers={**BASIC, "If-Unmodified-Since": stamp}).status_code == 412
    advance(client, 5)
    later = "Thu, 15 Jan 2026 10:00:10 GMT"
    assert client.delete(f"{ONSITE}/414", headers={**BASIC, "If-Unmodified-Since": later}).status_code == 204
