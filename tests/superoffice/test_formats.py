"""Request Content-Types and response media types (B3.5, B5): JSON, text/json, XML in and out, form, 415."""

from __future__ import annotations

from xml.etree.ElementTree import fromstring

import httpx
import pytest

from .conftest import BASIC, ONSITE, assert_error

XSI = "{http://www.w3.org/2001/XMLSchema-instance}nil"


@pytest.mark.parametrize("accept", ["application/xml", "text/xml", "text/xml; charset=utf-8"])
def test_getProjectEntity_xml_out(client: httpx.Client, accept: str) -> None:
    r = client.get(f"{ONSITE}/421", headers={**BASIC, "Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"] == accept.split(";")[0] + "; charset=utf-8"
    root = fromstring(r.content)
    assert root.tag == "ProjectEntity"
    assert [c.tag for c in root][:3] == ["TableRight", "FieldProperties", "ProjectId"]
    assert [c.tag for c in root][-1] == "_Links"
    assert root.findtext("ProjectId") == "421" and root.findtext("Name") == "Botsford-Crona"
    assert root.findtext("HasImage") == "false"
    member = root.find("ProjectMembers/ProjectMember")
    assert member is not None and member.findtext("PersonId") == "764"
    assert root.find("Urls/EntityElement/Value") is not None
    assert root.find("Links/Link/EntityName") is not None
    pair = root.find("UserDefinedFields/KeyValueOfstringstring")
    assert pair is not None and pair.findtext("Key") == "SuperOffice:1"
    assert root.find("ProjectStatus/TableRight").get(XSI) == "true"  # type: ignore[union-attr]
    links = {p.findtext("Key"): p.findtext("Value") for p in root.findall("_Links/KeyValueOfstringstring")}
    assert links["Self"] == "https://www.example.com/api/v1/Project/421/"


def test_getProjectEntity_error_in_xml(client: httpx.Client) -> None:
    r = client.get(f"{ONSITE}/99999", headers={**BASIC, "Accept": "application/xml"})
    assert r.status_code == 404
    root = fromstring(r.content)
    assert root.findtext("ErrorType") == "SoNotFoundException"
    assert root.findtext("ErrorMessage") == "Project id 99999 not found"


@pytest.mark.parametrize("accept", ["text/json", "application/json-patch+json", "application/merge-patch+json"])
def test_getProjectEntity_json_variants(client: httpx.Client, accept: str) -> None:
    r = client.get(f"{ONSITE}/414", headers={**BASIC, "Accept": accept})
    assert r.headers["content-type"] == f"{accept}; charset=utf-8" and r.json()["ProjectId"] == 414


@pytest.mark.parametrize("accept", ["application/jsno", "aplication/xml", "*/*", "text/html", "garbage;;;q=x"])
def test_getProjectEntity_unknown_accept_is_json(client: httpx.Client, accept: str) -> None:
    r = client.get(f"{ONSITE}/414", headers={**BASIC, "Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json; charset=utf-8" and r.json()["ProjectId"] == 414


@pytest.mark.parametrize("content_type", ["application/xml", "text/xml"])
def test_putProjectEntity_xml_in(client: httpx.Client, content_type: str) -> None:
    xml = (
        b'<?xml version="1.0" encoding="utf-8"?>'
        b'<ProjectEntity xmlns:i="http://www.w3.org/2001/XMLSchema-instance">'
        b"<ProjectId>999</ProjectId><name>From XML</name><ProjectNumber>X-1</ProjectNumber>"
        b"<completed>true</completed><ActiveLinks>4</ActiveLinks><EndDate>2024-05-01T12:00:00Z</EndDate>"
        b'<ProjectStatus><Id>3</Id></ProjectStatus><ProjectType i:nil="true"/>'
        b"<ProjectMembers><ProjectMember><PersonId>1</PersonId><ProjectMemberTypeId>1</ProjectMemberTypeId>"
        b"</ProjectMember><ProjectMember><PersonId>2</PersonId></ProjectMember></ProjectMembers>"
        b"<Urls><EntityElement><Value>https://x.example</Value></EntityElement></Urls><Links/>"
        b"<UserDefinedFields><KeyValueOfstringstring><Key>SuperOffice:1</Key><Value>abc</Value>"
        b"</KeyValueOfstringstring></UserDefinedFields>"
        b"<CustomFields><x_foo>bar</x_foo></CustomFields></ProjectEntity>"
    )
    r = client.put(f"{ONSITE}/414", headers={**BASIC, "Content-Type": content_type}, content=xml)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ProjectId"] == 414 and body["Name"] == "From XML" and body["ProjectNumber"] == "X-1"
    assert body["Completed"] is True and body["ActiveLinks"] == 4 and body["EndDate"] == "2024-05-01T12:00:00"
    assert body["ProjectStatus"]["Value"] == "Finished" and body["ProjectType"]["Id"] == 0
    assert [m["PersonId"] for m in body["ProjectMembers"]] == [1, 2]
    assert [u["Value"] for u in body["Urls"]] == ["https://x.example"] and body["Links"] == []
    assert body["UserDefinedFields"] == {"SuperOffice:1": "abc"} and body["CustomFields"] == {"x_foo": "bar"}


def test_postProjectEntity_xml_in_xml_out(client: httpx.Client) -> None:
    r = client.post(
        ONSITE,
        headers={**BASIC, "Content-Type": "application/xml", "Accept": "application/xml"},
        content=b"<ProjectEntity><Name>x</Name><ProjectMembers><ProjectMember><PersonId>2</PersonId>"
        b"</ProjectMember></ProjectMembers></ProjectEntity>",
    )
    assert r.status_code == 200
    root = fromstring(r.content)
    assert root.findtext("Name") == "x" and root.findtext("ProjectMembers/ProjectMember/FullName") == "Matt Cove"


def test_postProjectEntity_malformed_xml_400(client: httpx.Client) -> None:
    r = client.post(ONSITE, headers={**BASIC, "Content-Type": "application/xml"}, content=b"<ProjectEntity><Name>")
    body = assert_error(r, 400, "XmlException", "Data at the root level is invalid.")
    assert "Malformed" not in body["ErrorMessage"]


def test_postProjectEntity_xml_entities_refused_400(client: httpx.Client) -> None:
    xml = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "x">]><ProjectEntity><Name>&e;</Name></ProjectEntity>'
    r = client.post(ONSITE, headers={**BASIC, "Content-Type": "text/xml"}, content=xml)
    assert_error(r, 400, "XmlException", "For security reasons DTD is prohibited in this XML document.")


def test_postProjectEntity_form_urlencoded(client: httpx.Client) -> None:
    r = client.post(ONSITE, headers=BASIC, data={"Name": "Form", "completed": "true", "ActiveLinks": "2"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["Name"] == "Form" and body["Completed"] is True and body["ActiveLinks"] == 2


@pytest.mark.parametrize("content_type", ["application/json-patch+json", "application/merge-patch+json", "text/json"])
def test_putProjectEntity_json_content_type_variants(client: httpx.Client, content_type: str) -> None:
    r = client.put(f"{ONSITE}/414", headers={**BASIC, "Content-Type": content_type}, content=b'{"Name": "v"}')
    assert r.status_code == 200 and r.json()["Name"] == "v"


@pytest.mark.parametrize("content_type", ["text/plain", "application/octet-stream", "multipart/form-data; boundary=x"])
def test_putProjectEntity_unsupported_content_type_415(client: httpx.Client, content_type: str) -> None:
    r = client.put(f"{ONSITE}/414", headers={**BASIC, "Content-Type": content_type}, content=b"Name=x")
    body = assert_error(r, 415, "UnsupportedMediaTypeException", "is not supported for this resource")
    assert body["ErrorSource"] == "SuperOffice.WebApi"


def test_putProjectEntity_utf8_charset_and_bom(client: httpx.Client) -> None:
    data = '\ufeff{"Name": "Blåbærsyltetøy ✓"}'.encode()
    r = client.put(f"{ONSITE}/414", headers={**BASIC, "Content-Type": "application/json; charset=utf-8"}, content=data)
    assert r.status_code == 200 and r.json()["Name"] == "Blåbærsyltetøy ✓"


def test_getProjectEntity_xml_declaration_and_utf8(client: httpx.Client) -> None:
    client.put(f"{ONSITE}/414", headers=BASIC, json={"Name": "Blåbær ✓"})
    r = client.get(f"{ONSITE}/414", headers={**BASIC, "Accept": "application/xml"})
    assert r.content.startswith(b'<?xml version="1.0" encoding="utf-8"?><ProjectEntity')
    assert fromstring(r.content).findtext("Name") == "Blåbær ✓"
