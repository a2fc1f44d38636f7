"""The edge of a request (core/app.py): every early answer in the API's envelope, and the streamed journal
route held to the control contract like every other control route."""

from __future__ import annotations

import pytest

from emulators import build_app
from emulators.testing.transport import client_for

NS_MISSING = {
    "bouwsoft": {"RecordChanges": [{"Code": 404, "Description": "No such API call", "Message": "Not Found"}]},
    "superoffice": {
        "Error": True,
        "ErrorType": "HttpResponseException",
        "ErrorMessage": "No HTTP resource was found that matches the request URI.",
        "ErrorSource": "SuperOffice.WebApi",
    },
    "aktion": {
        "Result": {
            "Message": "No HTTP resource was found that matches the request URI.",
            "Code": 404,
            "ModelStateErr": None,
        },
        "Request": None,
    },
    "twelvebuild": {"error": {"code": 404, "type": "NotFound", "message": "namespace name missing"}},
}


@pytest.mark.parametrize("api", list(NS_MISSING))
def test_namespace_without_name_404_in_the_vendor_envelope(api: str) -> None:
    with client_for(build_app(api)) as c:
        r = c.get("/__ns//anything")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/json; charset=utf-8"
    body = r.json()
    if api == "bouwsoft":  # a RequestId per answer
        body["RecordChanges"][0].pop("RequestId")
    assert body == NS_MISSING[api]


@pytest.mark.parametrize(
    ("params", "name", "message"),
    [
        ({"limit": "+-1"}, "limit", "'+-1' is not of type 'integer'"),
        ({"after": "-1"}, "after", "-1 is less than the minimum of 0"),
        ({"status": "1000"}, "status", "1000 is greater than the maximum of 999"),
        ({"format": "xml"}, "format", "'xml' is not one of ['json', 'har', 'scenario']"),
    ],
)
def test_getRequests_streamed_refused_by_the_control_contract(params: dict[str, str], name: str, message: str) -> None:
    with client_for(build_app("bouwsoft")) as c:
        r = c.get("/__emulator/requests", params=params)
        head = c.head("/__emulator/requests", params=params)  # the pipeline's answer, the same contract
    assert r.status_code == head.status_code == 400
    assert r.json() == {
        "error": message,
        "status": 400,
        "issues": [{"location": "query", "name": name, "message": message}],
    }
