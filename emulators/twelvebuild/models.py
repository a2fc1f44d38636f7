"""Stored-state helpers for the 12Build world.

Tenant store (one per contractor company): projects, documents, files, documentGroups, workComponents,
invitations (with their messages), budgets, budgetRows, relations, companyClassificationSystems.
Global store: tokens, companies (the 12Build network), classificationSystems, chapters.
Config read from the fixtures: users, phases (product -> type -> phase name -> id), token lifetime.
"""

from __future__ import annotations

from typing import Any

from emulators.core.call import Call
from emulators.core.errors import Issue, MalformedBody, NotFound, ValidationFailed
from emulators.core.limits import parse_json

PHASE_NAMES = ("Calculatie", "Inkoop", "Uitvoering")
COUNTRIES = {"nl": "Nederland", "be": "België", "de": "Duitsland", "dk": "Danmark", "fr": "Frankrijk",
             "gb": "Verenigd Koninkrijk", "lu": "Luxemburg"}
ID_STARTS = {"projects": 4000000, "documents": 6500000, "documentGroups": 6400000, "workComponents": 2000,
             "invitations": 1200000, "messages": 3000000, "budgets": 100, "budgetRows": 1000,
             "properties": 5000, "relations": 1, "companies": 8000000}


# errors -------------------------------------------------------------------------------------------
def bad(name: str, message: str, location: str = "query") -> ValidationFailed:
    """A 400 naming the parameter (handler-side checks beyond the contract's patterns)."""
    return ValidationFailed(message, issues=[Issue(location, name, message, "invalid")])


def not_found(what: str, ident: Any) -> NotFound:
    return NotFound(f"{what} {ident} not found", resource=what)


# ids and params -----------------------------------------------------------------------------------
def as_int(value: Any) -> int | None:
    """The vendor's id patterns are weak (`\\d+$` also matches 'x1'); anything not all digits is no id."""
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() and text.isascii() else None


def path_id(call: Call, name: str, what: str) -> int:
    value = as_int(call.path_params.get(name))
    if value is None:
        raise not_found(what, call.path_params.get(name))
    return value


def q(call: Call, name: str, default: Any = None) -> Any:
    """A declared parameter from the query string or a form/multipart body (already validated)."""
    if name in call.query:
        return call.query[name]
    if name in call.form:
        value = call.form[name]
        return value[0] if isinstance(value, list) and value else value
    return default


def q_int(call: Call, name: str, what: str | None = None) -> int | None:
    raw = q(call, name)
    if raw is None or raw == "":
        return None
    value = as_int(raw)
    if value is None:
        if what is None:
            raise bad(name, f"Parameter '{name}' must be a number")
        raise not_found(what, raw)
    return value


def id_list(call: Call, name: str) -> list[int] | None:
    """Array params: '43,44', '[43,44]' (JSON) or PHP brackets (folded to JSON by the auth hook)."""
    raw = q(call, name)
    if raw is None:
        return None
    text = str(raw).strip()
    items: list[Any]
    if text.startswith("["):
        try:
            parsed = parse_json(text)
        except (ValueError, MalformedBody) as exc:
            raise bad(name, f"Parameter '{name}' must be an array of ids") from exc
        items = parsed if isinstance(parsed, list) else [parsed]
    else:
        items = [x for x in text.split(",") if x.strip() != ""]
    out = []
    for item in items:
        value = as_int(item)
        if value is None:
            raise bad(name, f"Parameter '{name}' must be an array of ids")
        out.append(value)
    return out


def new_id(call: Call, table: str, store_table: dict[str, Any] | None = None) -> int:
    existing = store_table if store_table is not None else call.store.table(table)
    while True:
        value = int(call.ids.next(table, start=ID_STARTS.get(table, 1000)))
        if str(value) not in existing:
            return value


def now(call: Call) -> int:
    return int(call.clock.time())


# phases -------------------------------------------------------------------------------------------
def phase_table(call: Call) -> dict[str, dict[str, dict[str, int]]]:
    table: dict[str, dict[str, dict[str, int]]] = call.world.fixtures.get("phases") or {}
    return table


def project_phases(call: Call, project: dict[str, Any]) -> dict[str, int]:
    """Phase name -> id for the project's product and type."""
    return dict(phase_table(call).get(project.get("product", "tender"), {}).get(project.get("type", "default"), {}))


def phase_name_of(call: Call, project: dict[str, Any], phase_id: int) -> str | None:
    for name, pid in project_phases(call, project).items():
        if pid == phase_id:
            return name
    return None


def resolve_phase(call: Call, project: dict[str, Any], name_param: str = "phase",
                  id_param: str = "phaseId") -> int:
    """The phase a request means: phaseId, else the phase name, else the project's current phase."""
    phases = project_phases(call, project)
    pid = q_int(call, id_param)
    if pid is not None:
        if pid not in phases.values():
            raise bad(id_param, f"Unknown phaseId {pid} for this project")
        return pid
    name = q(call, name_param)
    if name:
        name = str(name).strip()
        if name not in phases:
            raise bad(name_param, f"Unknown phase {name}")
        return phases[name]
    return phases.get(project.get("phaseName", "Calculatie"), 0)


# users and projects --------------------------------------------------------------------------------
def user(call: Call) -> dict[str, Any]:
    principal: dict[str, Any] = call.principal or {}
    return principal


def can_see(call: Call, project: dict[str, Any]) -> bool:
    """Hidden projects (companyGroupId > 0) are visible to group managers and that group's members."""
    group = int(project.get("companyGroupId") or 0)
    if group == 0:
        return True
    u = user(call)
    return bool(u.get("groupManager")) or group in (u.get("companyGroupIds") or [])


def get_project(call: Call, project_id: Any) -> dict[str, Any]:
    pid = as_int(project_id)
    project = call.store.get("projects", pid) if pid is not None else None
    if project is None or not can_see(call, project):
        raise not_found("Project", project_id)
    result: dict[str, Any] = project
    return result


def get_record(call: Call, table: str, ident: Any, what: str) -> dict[str, Any]:
    key = as_int(ident)
    record = call.store.get(table, key) if key is not None else None
    if record is None:
        raise not_found(what, ident)
    result: dict[str, Any] = record
    return result


def company(call: Call, company_id: Any) -> dict[str, Any] | None:
    key = as_int(company_id)
    if key is None:
        return None
    found: dict[str, Any] | None = call.world.store(None).get("companies", key)
    return found


def work_component_project(call: Call, wc: dict[str, Any]) -> dict[str, Any] | None:
    found: dict[str, Any] | None = call.store.get("projects", wc.get("projectId"))
    return found


# a tiny valid PDF ---------------------------------------------------------------------------------
def small_pdf(title: str, lines: list[str] | None = None) -> bytes:
    """A one-page PDF 1.4 with text (xref offsets computed, so readers accept it)."""
    def esc(text: str) -> str:
        safe = text.encode("latin-1", "replace").decode("latin-1")
        return safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text_ops = [f"BT /F1 16 Tf 50 790 Td ({esc(title)}) Tj ET"]
    y = 760
    for line in (lines or [])[:40]:
        text_ops.append(f"BT /F1 10 Tf 50 {y} Td ({esc(line)}) Tj ET")
        y -= 14
    stream = "\n".join(text_ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
