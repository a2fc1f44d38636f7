"""Authorization (B6, B7): Basic onsite, SOTicket (+ SO-AppToken on Online), Bearer, X-XSRF-TOKEN; 401s."""

from __future__ import annotations

import base64

import httpx
import pytest

from .conftest import APP_TOKEN, BASIC, BEARER, ONLINE, ONSITE, TICKET, advance, assert_error


def test_getProjectEntity_basic_onsite_ok(client: httpx.Client) -> None:
    assert client.get(f"{ONSITE}/414", headers=BASIC).status_code == 200


@pytest.mark.parametrize("scheme", ["basic", "BASIC", "bAsIc"])
def test_getProjectEntity_scheme_keyword_case_insensitive(client: httpx.Client, scheme: str) -> None:
    token = base64.b64encode(b"tje0:Tje0").decode()
    assert client.get(f"{ONSITE}/414", headers={"Authorization": f"{scheme} {token}"}).status_code == 200


def test_getProjectEntity_no_credentials_401(client: httpx.Client) -> None:
    r = client.get(f"{ONSITE}/414")
    assert_error(r, 401, "UnauthorizedAccessException", "Authorization has been denied for this request.")
    assert "www-authenticate" in r.headers


@pytest.mark.parametrize(
    "header",
    [
        "Basic " + base64.b64encode(b"tje0:wrong").decode(),
        "Basic " + base64.b64encode(b"nobody:Tje0").decode(),
        "Basic not-base64!!",
        "Digest abc",
        "Bearer 8A:Cust12345.Unknown",
        "SOTicket 7T:unknown",
        "Basic",
    ],
)
def test_getProjectEntity_bad_authorization_401(client: httpx.Client, header: str) -> None:
    assert_error(client.get(f"{ONSITE}/414", headers={"Authorization": header}), 401, "UnauthorizedAccessException")


def test_getProjectEntity_soticket_onsite_ok(client: httpx.Client) -> None:
    r = client.get(f"{ONSITE}/414", headers={"Authorization": f"SOTICKET {TICKET}"})
    assert r.status_code == 200


def test_getProjectEntity_soticket_online_needs_app_token_401(client: httpx.Client) -> None:
    r = client.get(f"{ONLINE}/1", headers={"Authorization": f"SOTicket {TICKET}"})
    assert_error(r, 401, "UnauthorizedAccessException", "SO-AppToken must accompany the SOTicket")
    r = client.get(f"{ONLINE}/1", headers={"Authorization": f"SOTicket {TICKET}", "SO-AppToken": "wrong"})
    assert_error(r, 401, "UnauthorizedAccessException")


def test_getProjectEntity_soticket_online_with_app_token_ok(client: httpx.Client) -> None:
    r = client.get(f"{ONLINE}/1", headers={"Authorization": f"SOTicket {TICKET}", "SO-AppToken": APP_TOKEN})
    assert r.status_code == 200


def test_getProjectEntity_expired_ticket_401(client: httpx.Client) -> None:
    r = client.get(f"{ONSITE}/414", headers={"Authorization": "SOTicket 7T:ZXhwaXJlZDtleHBpcmVk"})
    assert_error(r, 401, "UnauthorizedAccessException")


def test_getProjectEntity_bearer_online_ok(client: httpx.Client) -> None:
    assert client.get(f"{ONLINE}/1", headers=BEARER).status_code == 200


def test_getProjectEntity_bearer_other_tenant_401(client: httpx.Client) -> None:
    assert_error(client.get(f"{ONSITE}/414", headers=BEARER), 401, "UnauthorizedAccessException")


def test_getProjectEntity_expired_bearer_401(client: httpx.Client) -> None:
    r = client.get(f"{ONLINE}/1", headers={"Authorization": "Bearer 8A:Cust12345.ExpiredTokenExpiredToken"})
    assert_error(r, 401, "UnauthorizedAccessException")


def test_getProjectEntity_bearer_expires_on_the_clock(client: httpx.Client) -> None:
    state = client.get("/__emulator/state").json()
    token = state["global"]["access_tokens"]["8A:Cust12345.AXRrCITpPBvQX3UbIohb"]
    now = client.get("/__emulator/clock").json()
    assert now["frozen"] is False
    token["expires_at"] = 4102444800  # 2100-01-01
    assert client.put("/__emulator/state", json=state).status_code == 200
    assert client.get(f"{ONLINE}/1", headers=BEARER).status_code == 200
    advance(client, 80 * 365 * 86400)
    assert_error(client.get(f"{ONLINE}/1", headers=BEARER), 401, "UnauthorizedAccessException")


def test_getProjectEntity_basic_not_allowed_online_401(client: httpx.Client) -> None:
    assert_error(
        client.get(f"{ONLINE}/1", headers=BASIC),
        401,
        "UnauthorizedAccessException",
        "Basic authentication is not allowed in SuperOffice Online.",
    )


def test_getProjectEntity_xsrf_with_cookie_ok(client: httpx.Client) -> None:
    token = "f4c2d9e1-0b7a-4c3e-9d8f-onsite-session"
    r = client.get(f"{ONSITE}/414", headers={"X-XSRF-TOKEN": token, "Cookie": f"XSRF-TOKEN={token}"})
    assert r.status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"X-XSRF-TOKEN": "f4c2d9e1-0b7a-4c3e-9d8f-onsite-session"},
        {"Cookie": "XSRF-TOKEN=f4c2d9e1-0b7a-4c3e-9d8f-onsite-session"},
        {"X-XSRF-TOKEN": "other", "Cookie": "XSRF-TOKEN=f4c2d9e1-0b7a-4c3e-9d8f-onsite-session"},
        {"X-XSRF-TOKEN": "unknown", "Cookie": "XSRF-TOKEN=unknown"},
        {
            "X-XSRF-TOKEN": "5a1e7c3b-2d9f-4e6a-8b0c-cust12345-session",
            "Cookie": "XSRF-TOKEN=5a1e7c3b-2d9f-4e6a-8b0c-cust12345-session",
        },
    ],
)
def test_getProjectEntity_xsrf_mismatch_401(client: httpx.Client, headers: dict[str, str]) -> None:
    assert_error(client.get(f"{ONSITE}/414", headers=headers), 401, "UnauthorizedAccessException")


def test_getProjectEntity_unknown_customer_404(client: httpx.Client) -> None:
    r = client.get("/Cust99999/api/v1/Project/1", headers=BEARER)
    assert_error(r, 404, "HttpResponseException", "No HTTP resource was found")


def test_auth_runs_before_body_validation(client: httpx.Client) -> None:
    r = client.put(f"{ONSITE}/414", headers={"Content-Type": "application/json"}, content=b"{bad json")
    assert_error(r, 401, "UnauthorizedAccessException")


def test_credentials_endpoint_keys(client: httpx.Client) -> None:
    creds = client.get("/__emulator/credentials").json()
    assert creds == {
        "basic": {"user": "tje0", "password": "Tje0"},
        "ticket": TICKET,
        "bearer": "8A:Cust12345.AXRrCITpPBvQX3UbIohb",
        "app_token": APP_TOKEN,
        "customer_id": "Cust12345",
    }
    assert creds["ticket"].startswith("7T:") and creds["bearer"].startswith("8A:")


def test_credentials_work_as_served(client: httpx.Client) -> None:
    creds = client.get("/__emulator/credentials").json()
    basic = base64.b64encode(f"{creds['basic']['user']}:{creds['basic']['password']}".encode()).decode()
    online = f"/{creds['customer_id']}/api/v1/Project/1"
    assert client.get(f"{ONSITE}/414", headers={"Authorization": f"Basic {basic}"}).status_code == 200
    assert client.get(online, headers={"Authorization": f"Bearer {creds['bearer']}"}).status_code == 200
    assert (
        client.get(
            online, headers={"Authorization": f"SOTicket {creds['ticket']}", "SO-AppToken": creds["app_token"]}
        ).status_code
        == 200
    )
