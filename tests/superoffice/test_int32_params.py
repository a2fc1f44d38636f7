"""Every int32 parameter is bounded like the vendor's Int32: outside [-2^31, 2^31-1] a path segment misses the
route (404, as a non-number does) and a query value fails binding (400), never a success."""

from __future__ import annotations

import pytest

from emulators import build_app
from emulators.testing.transport import client_for

BASIC = {"Authorization": "Basic dGplMDpUamUw", "Content-Type": "application/json"}


@pytest.mark.parametrize("key", ["-2147483649", "2147483648", "abc"])
def test_signalEvent_primary_key_not_int32_404(key: str) -> None:
    with client_for(build_app("superoffice")) as client:
        path = f"/api/v1/Webhook/contact.created/{key}"
        r = client.post(path, content=b"null", headers=BASIC)
        assert r.status_code == 404, r.text
        assert r.json() == {
            "Error": True,
            "ErrorType": "HttpResponseException",
            "ErrorMessage": f"No HTTP resource was found that matches the request URI '{path}'.",
            "ErrorSource": "SuperOffice.WebApi",
        }


@pytest.mark.parametrize("key", ["-2147483648", "2147483647"])
def test_signalEvent_primary_key_int32_bounds_204(key: str) -> None:
    with client_for(build_app("superoffice")) as client:
        r = client.post(f"/api/v1/Webhook/contact.created/{key}", content=b"null", headers=BASIC)
        assert r.status_code == 204, r.text


def test_getImage_width_beyond_int32_400() -> None:
    with client_for(build_app("superoffice")) as client:
        r = client.get("/api/v1/Project/414/Image", params={"w": "2147483648"}, headers=BASIC)
        assert r.status_code == 400, r.text
        assert r.json()["ErrorType"] == "ArgumentException"
        assert r.json()["ErrorMessage"] == "The value '2147483648' is not valid for w."
