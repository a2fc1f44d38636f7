"""The operations users call, per API: one hot write and one hot read, each with the API's real
authentication and realistic bodies, cycling over 10 stored records.

`prepare(base_url)` talks to a running emulator (login, create records where the fixtures hold fewer
than ten) and returns the requests wrk sends in a round-robin."""

from __future__ import annotations

import json
from base64 import b64encode
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import httpx


@dataclass(frozen=True)
class Req:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""


@dataclass(frozen=True)
class Target:
    api: str
    op: str  # the operationId, as printed
    kind: str  # "write" | "read"
    prepare: Callable[[str], list[Req]]


IDS = 10


# --- superoffice: PUT and GET /api/v1/Project/{id}, Basic auth, ~1 KB body ----------------------------
def _so_auth() -> dict[str, str]:
    return {"Authorization": "Basic " + b64encode(b"tje0:Tje0").decode(), "Accept": "application/json"}


def _so_body(i: int) -> dict[str, object]:
    return {
        "Name": f"Benchmark project {i}",
        "ProjectNumber": f"B{1000 + i}",
        "Description": "Fit-out of the new office wing: partitions, ceilings, HVAC and data cabling. " * 3,
        "Postit": "Kick-off on site, bring the drawings.",
        "HasImage": False,
        "ImageDescription": "",
        "ProjectStatus": {"Id": 2},
        "ProjectType": {"Id": 2},
        "Associate": {"AssociateId": 5},
        "Completed": False,
        "EndDate": "2027-06-30T00:00:00",
        "NextMilestoneDate": "2027-01-15T09:00:00",
        "PublishEventDate": "0001-01-01T00:00:00",
        "PublishFrom": "0001-01-01T00:00:00",
        "PublishTo": "9999-12-31T23:59:59.9999999",
        "IsPublished": False,
        "ProjectMembers": [{"PersonId": 1, "ProjectMemberTypeId": 1, "Comment": "site lead"}],
        "Urls": [{"Value": "https://example.com/plans", "StrippedValue": "example.com/plans", "Description": "Plans"}],
        "UserDefinedFields": {"SuperOffice:1": "[I:8]"},
        "ExtraFields": {},
        "CustomFields": {},
    }


def _so_ids(base: str) -> list[int]:
    with httpx.Client(base_url=base, headers=_so_auth()) as c:
        ids: list[int] = []
        for i in range(IDS):
            r = c.post("/api/v1/Project", json=_so_body(i))
            r.raise_for_status()
            ids.append(int(r.json()["ProjectId"]))
        return ids


def so_put(base: str) -> list[Req]:
    hdrs = {**_so_auth(), "Content-Type": "application/json"}
    ids = _so_ids(base)
    return [
        Req("PUT", f"/api/v1/Project/{pid}", hdrs, json.dumps({**_so_body(i), "Postit": note}).encode())
        for note in ("Kick-off on site.", "Bring the drawings.")
        for i, pid in enumerate(ids)
    ]


def so_get(base: str) -> list[Req]:
    return [Req("GET", f"/api/v1/Project/{pid}", _so_auth()) for pid in _so_ids(base)]


# --- bouwsoft: PUT Projects/{id}?columns=... and GET Projects -------------------------------------------
BS_TOKEN = "rOmfWxfAfGzSfOOlOfzRqmIjflVUGflAfDUbzmlfDVUfrGUIrO"  # printed in seed 000, valid for client 115
BS_HEADERS = {"Clientnr": "115", "AccessToken": BS_TOKEN}


def _bs_ids(base: str) -> list[int]:
    with httpx.Client(base_url=base, headers=BS_HEADERS) as c:
        ids = [int(p["id"]) for p in c.get("/api/v1/Projects", params={"columns": "id"}).json()["Records"]]
        while len(ids) < IDS:
            cols = f"name='Benchmark {len(ids)}',client_addressid=3760,company_id=1"
            r = c.post("/api/v1/Projects", params={"columns": cols})
            r.raise_for_status()
            ids.append(int(r.json()["RecordChanges"][0]["id"]))
        return ids[:IDS]


def bs_put(base: str) -> list[Req]:
    ids = _bs_ids(base)
    out = []
    for number in (80, 81):  # every request changes the project
        cols = quote(f"address='Gistelse steenweg {number}',zipcode='8200',countrycode='BE',city='Brugge'")
        out += [Req("PUT", f"/api/v1/Projects/{pid}?columns={cols}&calculateDistance=False", BS_HEADERS) for pid in ids]
    return out


def bs_get(base: str) -> list[Req]:
    _bs_ids(base)  # ten projects stored, as for the write
    return [Req("GET", "/api/v1/Projects", BS_HEADERS)]


# --- aktion: POST project/updateProject and GET project/getProject, ?Token= ------------------------------
def _ak_token(base: str) -> str:
    with httpx.Client(base_url=base) as c:
        # the token lives 20 s on the emulator clock (seed 002): freeze it, as a test suite would
        c.post("/__emulator/clock", json={"freeze": True}).raise_for_status()
        creds = c.get("/__emulator/credentials").json()
        r = c.post("/api/login", json={"UserLogin": creds["UserLogin"], "ApiKey": creds["ApiKey"]})
        r.raise_for_status()
        return str(r.json()["Token"])


def _ak_body(i: int) -> dict[str, object]:
    return {
        "PersonIDResolver": "X0001",
        "Code": f"BENCH {i}",
        "Name": f"Benchmark project {i}",
        "Type": "Name of the project Type 1001",
        "Name2": None,
        "Shortcut": None,
        "Code2": None,
        "Description": "Fit-out of the new office wing",
        "PlannedFrom": "/Date(1546326000000)/",
        "PlannedTo": "/Date(1549004400000)/",
        "Started": "/Date(1546498800000)/",
        "Finished": "/Date(1548522000000)/",
        "Closed": "/Date(1548572400000)/",
        "SuperiorProjectCode": "",
        "Street": "Street 5",
        "HouseNr": "HouseNr 5",
        "City": "City 5",
        "PostalCode": "ZIP 5",
        "PersonIDInCharge": "X0004",
    }


def _ak_seed(base: str) -> str:
    token = _ak_token(base)
    with httpx.Client(base_url=base) as c:
        for i in range(IDS):
            r = c.post("/api/project/createProject", params={"Token": token}, json=_ak_body(i))
            if r.json()["Result"]["Code"] not in (0, 3):  # created, or there already ("Record duplicity")
                r.raise_for_status()
    return token


def ak_update(base: str) -> list[Req]:
    token = _ak_seed(base)
    hdrs = {"Content-Type": "application/json"}
    out = []
    for variant in ("A", "B"):  # every request changes the project (an unchanged one answers 202)
        for i in range(IDS):
            body = {**_ak_body(i), "Name": f"Benchmark project {i} {variant}"}
            out.append(Req("POST", f"/api/project/updateProject?Token={token}", hdrs, json.dumps(body).encode()))
    return out


def ak_get(base: str) -> list[Req]:
    token = _ak_seed(base)
    return [Req("GET", f"/api/project/getProject?Code=BENCH%20{i}&Token={token}", {}) for i in range(IDS)]


# --- twelvebuild: PUT project/{id}?... and GET project/{id}, X-Auth-Token ----------------------------------
def _tb_setup(base: str) -> tuple[dict[str, str], list[int]]:
    with httpx.Client(base_url=base) as c:
        creds = c.get("/__emulator/credentials").json()
        token = c.get("/tokens", params={"login": creds["login"], "apiKey": creds["apiKey"]}).json()["token"]
        hdrs = {"X-Auth-Token": token}
        ids = []
        for i in range(IDS):
            r = c.post("/project", data={"name": f"Nieuwbouw school {i}", "city": "Hengelo"}, headers=hdrs)
            r.raise_for_status()
            ids.append(int(r.json()["id"]))
        return hdrs, ids


def tb_update(base: str) -> list[Req]:
    hdrs, ids = _tb_setup(base)
    return [
        Req("PUT", f"/project/{pid}?name=Nieuwbouw%20school%20{i}&city={city}&address_1=Hoofdstraat%201", hdrs)
        for city in ("Enschede", "Hengelo")
        for i, pid in enumerate(ids)
    ]


def tb_get(base: str) -> list[Req]:
    hdrs, ids = _tb_setup(base)
    return [Req("GET", f"/project/{pid}", hdrs) for pid in ids]


TARGETS = [
    Target("superoffice", "PUT Project/{id}", "write", so_put),
    Target("superoffice", "GET Project/{id}", "read", so_get),
    Target("bouwsoft", "PUT Projects/{id}?columns", "write", bs_put),
    Target("bouwsoft", "GET Projects", "read", bs_get),
    Target("aktion", "updateProject", "write", ak_update),
    Target("aktion", "getProject", "read", ak_get),
    Target("twelvebuild", "PUT project/{id}", "write", tb_update),
    Target("twelvebuild", "GET project/{id}", "read", tb_get),
]
