"""Project phases: the fixtures' table (product -> type -> phase name -> id) and which phase a request means."""

from __future__ import annotations

from typing import Any

from emulators.core.call import Call

from .errors import bad


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


def resolve_phase(call: Call, project: dict[str, Any], name_param: str = "phase", id_param: str = "phaseId") -> int:
    """The phase a request means: phaseId, else the phase name, else the project's current phase."""
    phases = project_phases(call, project)
    pid = call.param_int(id_param)
    if pid is not None:
        if pid not in phases.values():
            raise bad(id_param, f"Unknown phaseId {pid} for this project")
        return pid
    name = call.param(name_param)
    if name:
        name = str(name).strip()
        if name not in phases:
            raise bad(name_param, f"Unknown phase {name}")
        return phases[name]
    return phases.get(project.get("phaseName", "Calculatie"), 0)
