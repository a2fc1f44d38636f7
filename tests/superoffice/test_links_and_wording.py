"""Every `_Links` entry of every fixture project answers 200 (issue 13), and no SuperOffice error body carries
Python tokens: the .NET service's wording only."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from emulators.core.paths import fixtures_path
from emulators.superoffice.handlers import HANDLERS

from .conftest import BASIC, BEARER, CONTRACT, ONSITE

PYTHON_TOKENS = re.compile(
    r"<class|Traceback|line \d+ column \d+ \(char \d+\)|\.py\b|\{'|\['|Expecting value|"
    r"NoneType|KeyError|ValueError|TypeError"
)


def _fixture_projects() -> list[tuple[str, int]]:
    data = yaml.safe_load(Path(fixtures_path("superoffice")).read_text(encoding="utf-8"))
    out: list[tuple[str, int]] = []
    for tenant, tables in data["tenants"].items():
        prefix = "" if tenant == data["onsite_tenant"] else f"/{tenant}"
        out.extend((prefix, int(pid)) for pid in tables.get("projects", {}))
    return out


@pytest.mark.parametrize(("prefix", "project_id"), _fixture_projects())
def test_links_every_fixture_project_link_answers_200(client: httpx.Client, prefix: str, project_id: int) -> None:
    headers = BEARER if prefix else BASIC
    r = client.get(f"{prefix}/api/v1/Project/{project_id}", headers=headers)
    assert r.status_code == 200
    links: dict[str, str] = r.json()["_Links"]
    assert set(links) == {
        "Self",
        "Self.Simple",
        "UdefLayout",
        "Archive",
        "Archive.Activities",
        "Archive.Guide",
        "Archive.Members",
        "Archive.Contacts",
        "Archive.Links",
    }
    for name, url in links.items():
        assert url.startswith(f"https://www.example.com{prefix}/api/v1/Project/") and url.endswith("/")
        got = client.get(url, headers=headers)
        assert got.status_code == 200, (name, url, got.text[:200])
        assert got.headers["content-type"].startswith("application/json")


def _bad_requests() -> list[tuple[str, str, dict[str, Any]]]:
    """One or more refused requests per operation: unknown ids, wrong types, unreadable bodies."""
    contract = yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))
    cases: list[tuple[str, str, dict[str, Any]]] = []
    for template, item in contract["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            path = re.sub(r"\{[^}]+\}", "4242", template)
            cases.append((method.upper(), path, {}))
            cases.append((method.upper(), re.sub(r"\{[^}]+\}", "abc", template), {}))
            if "requestBody" in op:
                for body in (
                    b'{"Name": ',
                    b"<ProjectEntity><Name>",
                    b'{"Name": {"a": 1}, "ProjectId": [1]}',
                    b'[{"op": "test", "path": "/Name", "value": {"x": 1}}]',
                    b'{"ProjectId": "x"}',
                ):
                    ctype = "application/xml" if body.startswith(b"<") else "application/json"
                    cases.append(
                        (
                            method.upper(),
                            template.replace("{id}", "414").replace("{projectId}", "414"),
                            {"content": body, "headers": {"Content-Type": ctype}},
                        )
                    )
            cases.append(
                (
                    method.upper(),
                    path,
                    {
                        "params": {
                            "$top": "x",
                            "$filter": "name eq",
                            "ifBlank": "Nope",
                            "udefFieldType": "Nope",
                            "$select": "a" * 5000,
                        }
                    },
                )
            )
    return cases


def test_errors_no_python_tokens_in_any_superoffice_error_body(client: httpx.Client) -> None:
    bodies: list[tuple[str, str, int, str]] = []
    for method, path, kw in _bad_requests():
        headers = {**BASIC, **kw.pop("headers", {})}
        r = client.request(method, path, headers=headers, **kw)
        if r.status_code >= 400:
            bodies.append((method, path, r.status_code, r.text))
            body = r.json()
            assert set(body) == {"Error", "ErrorType", "ErrorMessage", "ErrorSource"}, (method, path, body)
    assert len(bodies) > len(HANDLERS)  # every operation was refused at least once
    offenders = [b for b in bodies if PYTHON_TOKENS.search(b[3])]
    assert not offenders, json.dumps(offenders[:5], indent=1)


def test_errors_unknown_route_and_method_wording(client: httpx.Client) -> None:
    r = client.get(f"{ONSITE}/414/Nope", headers=BASIC)
    assert r.status_code == 404 and "No HTTP resource was found" in r.json()["ErrorMessage"]
    r = client.delete(f"{ONSITE}/414/Simple", headers=BASIC)
    assert r.status_code == 405
    assert r.json()["ErrorMessage"] == "The requested resource does not support http method 'DELETE'."
    assert r.headers["allow"] == "GET"
