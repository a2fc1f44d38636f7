"""The bouwsoft pytest fixtures (emulators.testing.plugin) with the credentials of GET /__emulator/credentials."""

from __future__ import annotations

from typing import Any


def test_bouwsoft_emulator_fixture_credentials_work(bouwsoft_emulator: Any) -> None:
    creds = bouwsoft_emulator.credentials
    pair = {"Clientnr": str(creds["clientnr"]), "RefreshToken": creds["refresh_token"]}
    r = bouwsoft_emulator.client.get("/api/v1/Authorize/AccessToken", headers=pair)
    assert r.status_code == 200
    hdrs = {"Clientnr": str(creds["clientnr"]), "AccessToken": r.json()["AccessToken"]}
    r = bouwsoft_emulator.client.put("/api/v1/Projects/3320/ApproveProject", headers=hdrs)
    assert r.status_code == 200
    bouwsoft_emulator.journal.assert_called("approveProject", times=1)
    bouwsoft_emulator.clock.advance(3600)
    r = bouwsoft_emulator.client.get("/api/v1/Projects/3320", headers=hdrs)
    assert r.status_code == 401
    rec = r.json()["RecordChanges"][0]  # vendor-facts E1 envelope
    assert (rec["Code"], rec["Description"], rec["Message"]) == (401, "The AccessToken has expired", "Unauthorized")
