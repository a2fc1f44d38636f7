"""Token flow (vendor-facts A1) and the data-call header check."""

from __future__ import annotations

import re

import httpx

from .conftest import AUTH, CLIENT, REFRESH, TOKEN, TOKEN_116, error_of, set_clock

ACCESS = "/api/v1/Authorize/AccessToken"
ACTIVATE = "/api/v1/Authorize/RefreshToken"


def new_token(client: httpx.Client, clientnr: str = CLIENT, refresh: str = REFRESH) -> dict[str, str]:
    r = client.get(ACCESS, headers={"Clientnr": clientnr, "RefreshToken": refresh})
    assert r.status_code == 200, r.text
    body: dict[str, str] = r.json()
    return body


# GET /Authorize/AccessToken ---------------------------------------------------------------------
def test_getAccessToken_valid_pair_returns_token_and_server(client: httpx.Client) -> None:
    set_clock(client, "2026-05-07T09:18:39Z")
    body = new_token(client)
    assert list(body) == ["AccessToken", "ServerIP", "ServerName", "Layout", "ValidUntil"]
    assert body["ServerIP"] == "95.138.166.117" and body["ServerName"] == "ra.bouwsoft.be" and body["Layout"] == "B"
    assert body["ValidUntil"] == "2026-05-07T10:18Z"
    assert re.fullmatch(r"[A-Za-z]{50}", body["AccessToken"])


def test_getAccessToken_lowercase_header_names_accepted(client: httpx.Client) -> None:
    r = client.get(ACCESS, headers={"clientnr": CLIENT, "refreshtoken": REFRESH})
    assert r.status_code == 200


def test_getAccessToken_unknown_pair_401(client: httpx.Client) -> None:
    r = client.get(ACCESS, headers={"Clientnr": CLIENT, "RefreshToken": "nope"})
    assert r.status_code == 401
    assert error_of(r) == "Unknown Clientnr and RefreshToken combination"


def test_getAccessToken_refresh_token_of_other_client_401(client: httpx.Client) -> None:
    r = client.get(ACCESS, headers={"Clientnr": "116", "RefreshToken": REFRESH})
    assert r.status_code == 401
    assert error_of(r) == "Unknown Clientnr and RefreshToken combination"


def test_getAccessToken_missing_headers_401(client: httpx.Client) -> None:
    r = client.get(ACCESS, headers={"RefreshToken": REFRESH})
    assert r.status_code == 401
    assert error_of(r) == "Unknown Clientnr and RefreshToken combination"


def test_getAccessToken_lifetime_from_fixtures(client: httpx.Client) -> None:
    from emulators import build_app
    from emulators.core.app import load_fixtures
    from emulators.core.paths import fixtures_path
    from emulators.testing.transport import client_for

    fixtures = dict(load_fixtures(None, fixtures_path("bouwsoft")))
    fixtures["config"] = {**fixtures["config"], "access_token_minutes": 5}
    with client_for(build_app("bouwsoft", fixtures=fixtures, strict=True)) as c:
        set_clock(c, "2026-05-07T09:18:39Z")
        assert new_token(c)["ValidUntil"] == "2026-05-07T09:23Z"


# data calls ---------------------------------------------------------------------------------------
def test_getProject_new_access_token_works(client: httpx.Client) -> None:
    token = new_token(client)["AccessToken"]
    r = client.get("/api/v1/Projects/3320", headers={"clientnr": CLIENT, "accesstoken": token})
    assert r.status_code == 200


def test_getProject_token_expires_by_clock(client: httpx.Client) -> None:
    set_clock(client, "2026-05-07T09:18:39Z")
    token = new_token(client)["AccessToken"]  # ValidUntil 10:18Z
    hdrs = {"Clientnr": CLIENT, "AccessToken": token}
    client.post("/__emulator/clock", json={"advance_seconds": 59 * 60})
    assert client.get("/api/v1/Projects/3320", headers=hdrs).status_code == 200
    client.post("/__emulator/clock", json={"advance_seconds": 60})
    r = client.get("/api/v1/Projects/3320", headers=hdrs)
    assert r.status_code == 401
    assert error_of(r) == "The AccessToken has expired"


def test_getProject_missing_token_401(client: httpx.Client) -> None:
    r = client.get("/api/v1/Projects/3320", headers={"Clientnr": CLIENT})
    assert r.status_code == 401
    assert error_of(r) == "Missing or invalid Clientnr or AccessToken header"


def test_getProject_missing_clientnr_401(client: httpx.Client) -> None:
    r = client.get("/api/v1/Projects/3320", headers={"AccessToken": TOKEN})
    assert r.status_code == 401
    assert error_of(r) == "Missing or invalid Clientnr or AccessToken header"


def test_getProject_unknown_token_401(client: httpx.Client) -> None:
    r = client.get("/api/v1/Projects/3320", headers={"Clientnr": CLIENT, "AccessToken": "x" * 50})
    assert r.status_code == 401
    assert error_of(r) == "Invalid AccessToken"


def test_getProject_token_of_other_client_401(client: httpx.Client) -> None:
    r = client.get("/api/v1/Projects/3320", headers={"Clientnr": "116", "AccessToken": TOKEN})
    assert r.status_code == 401
    assert error_of(r) == "The AccessToken does not belong to this Clientnr"


def test_updateProject_auth_checked_before_validation(client: httpx.Client) -> None:
    r = client.put("/api/v1/Projects/abc", params={"columns": "x"}, headers={"Clientnr": CLIENT})
    assert r.status_code == 401


def test_listProjects_data_is_per_client(client: httpx.Client) -> None:
    r = client.get("/api/v1/Projects", headers={"Clientnr": "116", "AccessToken": TOKEN_116})
    assert r.status_code == 200
    assert [p["id"] for p in r.json()["Records"]] == [5001]
    r = client.get("/api/v1/Projects/3320", headers={"Clientnr": "116", "AccessToken": TOKEN_116})
    assert r.status_code == 404
    assert error_of(r) == "There is no record that has the requested id"


def test_updateProject_other_client_unaffected(client: httpx.Client) -> None:
    hdrs = {"Clientnr": "116", "AccessToken": TOKEN_116}
    assert client.put("/api/v1/Projects/5001", params={"columns": "name='X'"}, headers=hdrs).status_code == 200
    assert client.get("/api/v1/Projects/3320", headers=AUTH).json()["Records"][0]["name"] != "X"


# activation -------------------------------------------------------------------------------------
def test_getRefreshToken_auto_approved_flow(client: httpx.Client) -> None:
    r = client.get(ACTIVATE, headers={"appkey": "emulator-demo-appkey"})
    assert r.status_code == 200
    req = r.json()
    assert set(req) == {"RequestId", "RequestURL"} and req["RequestId"] in req["RequestURL"]
    r = client.get(ACTIVATE, headers={"appkey": "emulator-demo-appkey", "requestid": req["RequestId"]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert list(body) == ["ClientNr", "RefreshToken", "AccessToken", "ServerName", "ValidUntil"]
    assert body["ClientNr"] == 115 and body["ServerName"] == "ra.bouwsoft.be"
    # the new RefreshToken and AccessToken both work
    assert new_token(client, CLIENT, body["RefreshToken"])["AccessToken"]
    hdrs = {"Clientnr": CLIENT, "AccessToken": body["AccessToken"]}
    assert client.get("/api/v1/Projects/3320", headers=hdrs).status_code == 200
    # collecting again: same RefreshToken, new AccessToken
    again = client.get(ACTIVATE, headers={"appkey": "emulator-demo-appkey", "requestid": req["RequestId"]}).json()
    assert again["RefreshToken"] == body["RefreshToken"] and again["AccessToken"] != body["AccessToken"]


def test_getRefreshToken_unapproved_401_then_control_approves(client: httpx.Client) -> None:
    req = client.get(ACTIVATE, headers={"appkey": "emulator-manual-appkey"}).json()
    hdrs = {"appkey": "emulator-manual-appkey", "requestid": req["RequestId"]}
    r = client.get(ACTIVATE, headers=hdrs)
    assert r.status_code == 401
    assert error_of(r) == "The request has not been authorized yet"
    a = client.post("/__emulator/actions/approveActivation", json={"RequestId": req["RequestId"]})
    assert a.status_code == 200
    assert a.json() == {"RequestId": req["RequestId"], "ClientNr": 115, "approved": True}
    r = client.get(ACTIVATE, headers=hdrs)
    assert r.status_code == 200 and r.json()["ClientNr"] == 115


def test_getRefreshToken_control_approves_for_other_client(client: httpx.Client) -> None:
    req = client.get(ACTIVATE, headers={"appkey": "emulator-manual-appkey"}).json()
    a = client.post("/__emulator/actions/approveActivation", json={"RequestId": req["RequestId"], "ClientNr": 116})
    assert a.status_code == 200
    body = client.get(ACTIVATE, headers={"appkey": "emulator-manual-appkey", "requestid": req["RequestId"]}).json()
    assert body["ClientNr"] == 116 and body["ServerName"] == "osiris.bouwsoft.be"


def test_approveActivation_unknown_request_404(client: httpx.Client) -> None:
    r = client.post("/__emulator/actions/approveActivation", json={"RequestId": "nope"})
    assert r.status_code == 404
    assert r.json()["error"] == "No activation request nope"


def test_approveActivation_missing_request_id_400(client: httpx.Client) -> None:
    r = client.post("/__emulator/actions/approveActivation", json={})
    assert r.status_code == 400
    assert r.json()["error"] == "RequestId is required"


def test_getRefreshToken_unknown_appkey_401(client: httpx.Client) -> None:
    r = client.get(ACTIVATE, headers={"appkey": "who"})
    assert r.status_code == 401
    assert error_of(r) == "Unknown appkey"


def test_getRefreshToken_unknown_requestid_401(client: httpx.Client) -> None:
    r = client.get(ACTIVATE, headers={"appkey": "emulator-demo-appkey", "requestid": "nope"})
    assert r.status_code == 401
    assert error_of(r) == "Unknown requestid"


def test_getRefreshToken_requestid_of_other_app_401(client: httpx.Client) -> None:
    req = client.get(ACTIVATE, headers={"appkey": "emulator-demo-appkey"}).json()
    r = client.get(ACTIVATE, headers={"appkey": "emulator-manual-appkey", "requestid": req["RequestId"]})
    assert r.status_code == 401
    assert error_of(r) == "Unknown requestid"


# control plane ----------------------------------------------------------------------------------
def test_getCredentials_keys_and_they_work(client: httpx.Client) -> None:
    creds = client.get("/__emulator/credentials").json()
    assert list(creds) == ["clientnr", "refresh_token", "access_token", "appkey"]
    assert creds["clientnr"] == 115
    assert new_token(client, str(creds["clientnr"]), creds["refresh_token"])
    hdrs = {"Clientnr": str(creds["clientnr"]), "AccessToken": creds["access_token"]}
    assert client.get("/api/v1/Projects/3320", headers=hdrs).status_code == 200
    assert client.get(ACTIVATE, headers={"appkey": creds["appkey"]}).status_code == 200


def test_getRequests_tokens_redacted_in_journal(client: httpx.Client) -> None:
    client.get("/api/v1/Projects/3320", headers=AUTH)
    entry = client.get("/__emulator/requests").json()["requests"][-1]
    assert TOKEN not in str(entry)
