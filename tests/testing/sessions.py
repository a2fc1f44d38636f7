"""One multi-step session per API (token flow, a write, the read back), as a client would run it."""

from __future__ import annotations

from collections.abc import Callable

import httpx

Session = Callable[[httpx.Client, dict], None]


def bouwsoft(c: httpx.Client, creds: dict) -> None:
    r = c.get(
        "/api/v1/Authorize/AccessToken",
        headers={"Clientnr": str(creds["clientnr"]), "RefreshToken": creds["refresh_token"]},
    )
    assert r.status_code == 200, r.text
    h = {"Clientnr": str(creds["clientnr"]), "AccessToken": r.json()["AccessToken"]}
    assert c.get("/api/v1/Projects/3320", headers=h).status_code == 200
    assert c.put("/api/v1/Projects/3320/ApproveProject", headers=h).status_code in (200, 201)  # 201: planted
    assert c.get("/api/v1/Projects/3320", headers=h).json()["Records"][0]["approved"] is True


def superoffice(c: httpx.Client, creds: dict) -> None:
    h = {"Authorization": f"Bearer {creds['bearer']}", "Accept": "application/json"}
    base = f"/{creds['customer_id']}/api/v1/Project"
    entity = c.get(f"{base}/default", headers=h).json()
    entity["Name"] = "Recorded project"
    created = c.post(base, headers=h, json=entity)
    assert created.status_code == 200, created.text
    new_id = created.json()["ProjectId"]
    got = c.get(f"{base}/{new_id}", headers=h)
    assert got.status_code == 200 and got.json()["Name"] == "Recorded project"


def aktion(c: httpx.Client, creds: dict) -> None:
    login = c.post("/api/login", json={"UserLogin": creds["UserLogin"], "ApiKey": creds["ApiKey"]})
    assert login.status_code == 200, login.text
    token = login.json()["Token"]
    body = {
        "PersonIDResolver": "X0001",
        "Code": "CODE 1001",
        "Name": "Recorded name",
        "Type": "Name of the project Type 1001",
    }
    assert c.post("/api/project/updateProject", params={"Token": token}, json=body).status_code == 200
    got = c.get("/api/project/getProject", params={"Token": token, "Code": "CODE 1001"})
    assert got.status_code == 200 and got.json()["Request"][0]["Name"] == "Recorded name", got.text


def twelvebuild(c: httpx.Client, creds: dict) -> None:
    r = c.get("/tokens", params={"login": creds["login"], "apiKey": creds["apiKey"]})
    assert r.status_code == 200, r.text
    h = {"X-Auth-Token": r.json()["token"]}
    assert c.put("/project/1234567/close", headers=h).status_code == 200
    listed = c.get("/project/list", headers=h)
    assert listed.status_code == 200, listed.text


SESSIONS: dict[str, Session] = {
    "bouwsoft": bouwsoft,
    "superoffice": superoffice,
    "aktion": aktion,
    "twelvebuild": twelvebuild,
}
