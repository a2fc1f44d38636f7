"""The contract cannot drift from the document: each seed's own tables (field tables, parameter tables,
result-code tables) are parsed here, and every documented field / parameter / code must be in the contract
with the same constraints. The seeds are verbatim copies in contracts/<api>/seed/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from emulators import registry
from emulators.core.contract import Contract, _resolve

ROOT = Path(__file__).resolve().parents[2]


def seed(api: str, prefix: str) -> str:
    (path,) = (ROOT / "contracts" / api / "seed").glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def contract(api: str) -> Contract:
    return Contract.load(registry.get(api).contract)


def schemas(api: str) -> dict[str, Any]:
    doc = contract(api).document
    return _resolve(doc, doc)["components"]["schemas"]


def tables(text: str, header_start: str) -> list[list[list[str]]]:
    """Every markdown table whose header row starts with `header_start`, as rows of cells."""
    out: list[list[list[str]]] = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith(header_start):
            rows = []
            for row in lines[i + 2 :]:
                if not row.strip().startswith("|"):
                    break
                rows.append([c.strip() for c in row.strip().strip("|").split("|")])
            out.append(rows)
    return out


def table_rows(text: str, header_start: str) -> list[list[str]]:
    return [row for t in tables(text, header_start) for row in t]


# bouwsoft (seed 000) ----------------------------------------------------------------------------------
BOUWSOFT_FIELDS = table_rows(seed("bouwsoft", "000"), "| Field Name |")
BOUWSOFT_PATHS = {
    "/Projects/{id}": "updateProject",
    "/Projects/{id}/ApproveProject": "approveProject",
    "/Projects/{id}/AssignGroup": "assignProjectGroup",
    "/Projects/{id}/AssignList": "assignProjectList",
    "/Projects/{id}/UnAssignGroup": "unassignProjectGroup",
    "/Projects/{id}/UnAssignList": "unassignProjectList",
    "/Projects/{id}/Upload": "uploadProjectFile",
}


def _bouwsoft_statuses() -> list[tuple[str, str]]:
    out, current = [], None
    for line in seed("bouwsoft", "000").splitlines():
        if line.strip() in BOUWSOFT_PATHS:
            current = BOUWSOFT_PATHS[line.strip()]
        m = re.search(r"the (?:HTTP )?response status (?:and code )?is (\d{3})", line)
        if current and m:
            out.append((current, m.group(1)))
    return out


def test_bouwsoft_seed_field_table_parsed() -> None:
    assert len(BOUWSOFT_FIELDS) == 50 and BOUWSOFT_FIELDS[0][0] == "pnr"


@pytest.mark.parametrize("row", BOUWSOFT_FIELDS, ids=[r[0] for r in BOUWSOFT_FIELDS])
def test_bouwsoft_contract_holds_seed_field(row: list[str]) -> None:
    name, type_id, type_name, length, required, writeable, force, link = (row + [""] * 8)[:8]
    prop = schemas("bouwsoft")["Project"]["properties"].get(name)
    assert prop is not None, f"field {name} missing from Project"
    meta = prop.get("x-bouwsoft-field") or {}
    assert meta.get("typeId") == int(type_id) and meta.get("typeName") == type_name
    assert meta.get("length") == int(length)
    assert meta.get("required") is (required == "Yes")
    assert meta.get("writeable") is (writeable == "Yes")
    assert meta.get("forceWrite") is (force == "Yes")
    assert (meta.get("link") or "") == link
    if type_name == "tpString":
        assert prop.get("maxLength") == int(length), f"{name}: maxLength {prop.get('maxLength')} != {length}"
    expected = {
        "tpLong": "integer",
        "tpString": "string",
        "tpBool": "boolean",
        "tpDouble": "number",
        "tpCurrency": "number",
    }.get(type_name)
    if expected:
        types = prop.get("type")
        assert expected in (types if isinstance(types, list) else [types]), f"{name}: type {types}"


def test_bouwsoft_contract_fields_carry_the_issue_named_x_keys() -> None:
    props = schemas("bouwsoft")["Project"]["properties"]
    wrong = []
    for name, _tid, type_name, _len, _req, writeable, force, link in ([*r, *[""] * 8][:8] for r in BOUWSOFT_FIELDS):
        prop = props.get(name, {})
        expected = {
            "x-bouwsoft-type": type_name,
            "x-writeable": writeable == "Yes",
            "x-force-write": force == "Yes",
            "x-link": link or None,
        }
        got = {k: prop.get(k, "<absent>") for k in expected}
        if got != expected:
            wrong.append(f"{name}: {got} != seed {expected}")
    assert wrong == []


def _bouwsoft_status_cases() -> list[Any]:
    out = []
    for op, status in _bouwsoft_statuses():
        out.append(pytest.param(op, status, id=f"{op}-{status}"))
    return out


@pytest.mark.parametrize(("operation_id", "status"), _bouwsoft_status_cases())
def test_bouwsoft_contract_documents_seed_status(operation_id: str, status: str) -> None:
    assert status in contract("bouwsoft").operations[operation_id].responses


def test_bouwsoft_seed_statuses_parsed() -> None:
    assert len(_bouwsoft_statuses()) == 7 * 5


# superoffice (seeds 001 and 003: PUT Project/{id}) --------------------------------------------------------
SO_TYPES = {
    "int32": ("integer",),
    "integer": ("integer",),
    "string": ("string",),
    "date-time": ("string",),
    "bool": ("boolean",),
    "boolean": ("boolean",),
    "array": ("array",),
    "object": ("object",),
}


@pytest.mark.parametrize("prefix", ["001", "003"])
def test_superoffice_contract_holds_seed_path_query_and_header_tables(prefix: str) -> None:
    text = seed("superoffice", prefix)
    op = contract("superoffice").operations["putProjectEntity"]
    params = {(p.location, p.name.lower()): p for p in op.params}
    for name, typ, desc in table_rows(text, "| Path Part |"):
        p = params[("path", name.lower())]
        assert p.required is ("Required" in desc)
        assert p.schema.get("type") == "integer" and p.schema.get("format") == typ
    for name, typ, _ in table_rows(text, "| Parameter Name | Type |"):
        assert params[("query", name.lower())].schema.get("type") == typ
    headers = [r[0] for r in table_rows(text, "| Parameter Name | Description |")]
    schemes = contract("superoffice").document["components"]["securitySchemes"]
    carried = {s.get("name", "Authorization").lower() for s in schemes.values()} | {"content-type", "accept"}
    missing = [h for h in headers if h.lower() not in carried and ("header", h.lower()) not in params]
    assert missing == []
    content_type = next(r[1] for r in table_rows(text, "| Parameter Name | Description |") if r[0] == "Content-Type")
    for media in re.findall(r"[a-z]+/[a-z+.-]+", content_type):
        assert media in op.body_media, f"request media type {media} missing"


@pytest.mark.parametrize("prefix", ["001", "003"])
def test_superoffice_contract_documents_seed_response_codes(prefix: str) -> None:
    codes = [r[0] for r in table_rows(seed("superoffice", prefix), "| Response |")]
    assert codes == ["200", "412", "400"]
    responses = contract("superoffice").operations["putProjectEntity"].responses
    assert [c for c in codes if c not in responses] == []


@pytest.mark.parametrize("prefix", ["001", "003"])
def test_superoffice_contract_holds_seed_property_tables(prefix: str) -> None:
    op = contract("superoffice").operations["putProjectEntity"]
    body = op.body_media["application/json"]
    reply = op.responses["200"]["application/json"] or {}
    request_table, response_table = tables(seed("superoffice", prefix), "| Property Name |")[:2]
    for schema, rows in ((body, request_table), (reply, response_table)):
        props = schema.get("properties") or {}
        for row in rows:
            name, typ = row[0], [*row, ""][1]
            assert name in props, f"property {name} missing"
            expected = SO_TYPES.get(typ.lower())
            if expected:
                types = props[name].get("type")
                types = types if isinstance(types, list) else [types]
                assert set(expected) & set(types), f"{name}: {typ} vs {types}"


def test_superoffice_seed_tables_parsed() -> None:
    request_table, response_table = tables(seed("superoffice", "003"), "| Property Name |")
    assert len(request_table) == 31 and request_table[0][0] == "ProjectId" and len(response_table) > 31


# aktion (seed 002: updateProject) --------------------------------------------------------------------------
def _aktion_fields() -> list[tuple[str, str, str]]:
    text = seed("aktion", "002")
    part = text[text.index("ProjectUpdateReq| Name |") : text.index("Request Formats")]
    return [
        (m.group(1), m.group(3).strip(), m.group(4).strip())
        for m in re.finditer(r"^\| (\w+) \|\n(.*?)\|\n(.*?)\|\n(.*?)\|", part, re.M)
    ]


AKTION_FIELDS = _aktion_fields()


def test_aktion_seed_field_table_parsed() -> None:
    assert [f[0] for f in AKTION_FIELDS][:3] == ["Code", "Name", "Type"] and len(AKTION_FIELDS) >= 17


@pytest.mark.parametrize("field", AKTION_FIELDS, ids=[f[0] for f in AKTION_FIELDS])
def test_aktion_contract_holds_seed_field(field: tuple[str, str, str]) -> None:
    name, typ, extra = field
    schema = schemas("aktion")["ProjectUpdateReq"]
    prop = schema["properties"].get(name)
    assert prop is not None
    assert (name in schema.get("required", [])) is extra.startswith("Required")
    m = re.search(r"String length: inclusive between (\d+) and (\d+)", extra)
    if m:
        assert prop.get("maxLength") == int(m.group(2))
        assert prop.get("minLength", 0) <= max(int(m.group(1)), 1)
    if typ == "date":
        assert "Date" in str(prop) or "date" in str(prop).lower()


def _aktion_codes() -> list[tuple[str, str]]:
    out = []
    for row in table_rows(seed("aktion", "002"), "| Http Code |"):
        http = row[0].split()[0]
        code = row[1] if len(row) > 1 and row[1].isdigit() else ""
        out.append((http, code))
    return out


@pytest.mark.parametrize(("http", "code"), _aktion_codes(), ids=[f"{h}-{c}" for h, c in _aktion_codes()])
def test_aktion_contract_documents_seed_result_code(http: str, code: str) -> None:
    op = contract("aktion").operations["updateProject"]
    assert http in op.responses
    table = op.raw.get("x-result-table") or []
    if code:
        assert any(
            str(r.get("http")) == http
            and int(code) in (r["code"] if isinstance(r.get("code"), list) else [r.get("code")])
            for r in table
        )


# twelvebuild (seed 004) ------------------------------------------------------------------------------------
_PARAM = re.compile(r"^(\S+)\s+(?:(1)\s+)?(query|template|path|header|formData|body)\b\s*(.*)$")


def _twelvebuild_params() -> list[tuple[str, str, str, bool, str]]:
    """(operation name, path, parameter, required, rest of the line) for every parameter line of the seed."""
    lines = seed("twelvebuild", "004").splitlines()
    out = []
    for i, line in enumerate(lines):
        if line.strip() != "Parameters":
            continue
        name = next(ln.strip() for ln in reversed(lines[max(0, i - 4) : i]) if ln.strip() and not ln.startswith("/"))
        path = next(ln.strip() for ln in reversed(lines[max(0, i - 3) : i]) if ln.startswith("/"))
        for row in lines[i + 2 :]:
            m = _PARAM.match(row.strip())
            if not m:
                break
            out.append((name, path, m.group(1), m.group(2) == "1", m.group(4)))
    return out


TB_PARAMS = _twelvebuild_params()


def _tb_operation(name: str, path: str) -> Any:
    ops = contract("twelvebuild").operations
    if name in ops:
        return ops[name]
    for op in ops.values():
        if name in (op.raw.get("x-seed-name"), op.raw.get("x-vendor-operation-id")):
            return op
    return None


def test_twelvebuild_seed_parameter_tables_parsed() -> None:
    assert len({(n, p) for n, p, *_ in TB_PARAMS}) >= 50 and ("getToken", "/tokens", "login", True, "") in TB_PARAMS


@pytest.mark.parametrize("row", TB_PARAMS, ids=[f"{r[0]}-{r[2]}" for r in TB_PARAMS])
def test_twelvebuild_contract_holds_seed_parameter(row: tuple[str, str, str, bool, str]) -> None:
    name, path, param, required, rest = row
    op = _tb_operation(name, path)
    assert op is not None, f"operation {name} missing"
    p = next((p for p in op.params if p.name == param), None)
    if p is None and re.sub(r"\{[^}]+\}", "{}", path) == re.sub(r"\{[^}]+\}", "{}", op.path):
        # a path parameter the contract renamed (same position in the same template): compare by position
        seed_names = re.findall(r"\{([^}]+)\}", path)
        if param in seed_names:
            renamed = re.findall(r"\{([^}]+)\}", op.path)[seed_names.index(param)]
            p = next((p for p in op.params if p.name == renamed), None)
    if p is None and op.body_media:  # documented parameters may travel in the body (form_params)
        p = next((p for p in op.params if p.name.lower() == param.lower()), None)
    assert p is not None, f"{name}: parameter {param} missing"
    assert p.required is required or p.location == "path", f"{name}.{param}: required {p.required} != {required}"
    raw: dict[str, Any] = next((x for x in op.raw.get("parameters", []) if x.get("name") == param), {})
    vendor = raw.get("x-vendor-pattern") or p.schema.get("pattern")
    if rest.startswith(("^", "(?:")):
        assert vendor and rest.startswith(vendor), f"{name}.{param}: pattern {vendor!r} vs seed {rest!r}"
