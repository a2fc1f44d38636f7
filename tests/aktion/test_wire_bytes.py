"""The exact bytes of Aktion's JSON (issue 11's fast paths): dates escaped as "\\/Date(ms)\\/" only where the
reference writer (`formats._dump`) escapes them, and Newtonsoft binding kept when a body needs no rebinding."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from emulators.aktion.formats import _dump, encode_json
from emulators.core.call import Reply

from .conftest import GET, update

TRICKY: list[Any] = [
    {"PlannedFrom": "/Date(1546326000000)/", "Name": "/Date(1)/"},  # a date text under a non-date key stays as is
    {"Started": ["/Date(1)/"]},  # in a list: not a date member
    {"Closed": "/Date(1546326000000+0100)/", "Finished": "/Date(-5)/", "Code": "x)/"},
    {"Closed": "/Date(1)/\n"},  # MS_DATE's `$` matches before a final newline
    {'a"Started': "/Date(2)/", 'Started"': "/Date(3)/", "Started": "/Date(4)/"},
    {"Name": '","Started":"/Date(5)/"', "Street": '{"Started":"/Date(6)/"}'},  # look-alikes inside texts
    {"Started": "/Date(1234567890123456)/", "TimeLastChange": "/Date(7)/x"},  # too many digits; trailing text
    {"Request": [{"TimeLastChange": "/Date(8)/"}, {"ExpireDate": "/Date(9)/", "Name": "\ue000/\ue001"}]},
    {"Result": {"Message": "ok", "Code": 0, "ModelStateErr": None}, "Request": {"PlannedTo": "/Date(0)/"}},
]


@pytest.mark.parametrize("body", TRICKY)
def test_encode_json_matches_the_reference_writer(body: Any) -> None:
    assert encode_json(body, Reply(), None) == _dump(body, None).encode("utf-8")


def test_updateProject_escapes_only_date_members(client: httpx.Client, token: str) -> None:
    body = {
        "Code": "CODE 1001",
        "Name": "/Date(1)/",
        "Description": "ends in )/",
        "Street": '","Started":"/Date(2)/"',
        "PlannedFrom": "/Date(1546326000000+0100)/",
        "Closed": "2019-01-01T08:00:00",
    }
    r = update(client, token, body)
    assert r.status_code == 200, r.text
    text = r.text
    assert '"Name":"/Date(1)/"' in text
    assert '"Description":"ends in )/"' in text
    assert '"Street":"\\",\\"Started\\":\\"/Date(2)/\\""' in text
    assert '"PlannedFrom":"\\/Date(1546326000000)\\/"' in text
    assert '"Closed":"\\/Date(1546326000000)\\/"' in text  # 08:00 Prague winter time = 07:00 UTC
    got = client.get(GET, params={"Code": "CODE 1001", "Token": token})
    assert '"Name":"/Date(1)/"' in got.text
    assert '"PlannedFrom":"\\/Date(1546326000000)\\/"' in got.text


def test_updateProject_binds_other_spellings_and_numbers_as_text(client: httpx.Client, token: str) -> None:
    r = update(client, token, {"code": "CODE 1001", "NAME": 12, "Street": True, "City": 1.5, "PostalCode": None})
    assert r.status_code == 200, r.text
    echo = r.json()["Request"]
    assert (echo["Code"], echo["Name"], echo["Street"], echo["City"], echo["PostalCode"]) == (
        "CODE 1001",
        "12",
        "True",
        "1.5",
        None,
    )


def test_updateProject_exact_spelling_and_text_values_bind_as_sent(client: httpx.Client, token: str) -> None:
    r = update(client, token, {"Code": "CODE 1001", "Name": "Nový název", "Shortcut": None, "Unknown": "x"})
    assert r.status_code == 200, r.text
    assert r.content.startswith(b'{"Result":{"Message":"Processed with result: ExecOK","Code":0,"ModelStateErr":null}')
    echo = r.json()["Request"]
    assert list(echo) == [
        "PersonIDResolver", "Code", "Name", "Type", "Name2", "Shortcut", "Code2", "Description", "PlannedFrom",
        "PlannedTo", "Started", "Finished", "Closed", "SuperiorProjectCode", "Street", "HouseNr", "City",
        "PostalCode", "PersonIDInCharge",
    ]  # fmt: skip
    assert (echo["Name"], echo["Shortcut"]) == ("Nový název", None)
