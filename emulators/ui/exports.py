"""What the Exports page offers. One `Export` per format: either a link to an existing control route
(`href`, relative to the dashboard) or a `build` function served at `GET /__emulator/ui/export/<name>`, run
in a worker thread on a snapshot of the newest entries (at most journal_stream.EXPORT_MAX_ENTRIES) and sent in
slices, by the same code as `GET /__emulator/requests?format=scenario` (ControlPlane._send_export).

To offer another format (e.g. issue 15's portable scenarios), append an `Export` to `EXPORTS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.control_context import BuiltExport, ExportBuilder
from ..core.journal import entry_json

if TYPE_CHECKING:
    from ..core.control import ControlPlane
    from ..core.control_context import ControlContext
    from ..core.journal import Entry
    from ..core.world import World


@dataclass(frozen=True)
class Export:
    name: str
    label: str
    description: str
    filename: str  # "{api}" is replaced by the emulator's name
    href: str | None = None  # a control route, relative to the dashboard
    build: ExportBuilder | None = None
    media_type: str = "application/json"
    # when `GET /__emulator/requests?format=<this>` exists (issue 15's portable scenarios), link to it instead
    requests_format: str | None = None

    def link(self, request_formats: frozenset[str] = frozenset()) -> str:
        if self.requests_format is not None and self.requests_format in request_formats:
            return f"../requests?format={self.requests_format}"
        return self.href if self.href is not None else f"export/{self.name}"


def _scenario(ctx: ControlContext, world: World, entries: list[Entry], base_url: str, q: dict[str, str]) -> bytes:
    """The journal as a scenario file, exactly as `emulators record --from <this url>` would write it."""
    from ..recording.record import build, to_yaml

    red = ctx.redaction
    rules = [r.as_dict() for r in world.faults.list()]
    scenario: dict[str, Any] = build(ctx.spec.name, [entry_json(e, red) for e in entries], rules, source=base_url)
    return to_yaml(scenario).encode("utf-8")


EXPORTS: list[Export] = [
    Export(
        "har",
        "HAR 1.2",
        "The journal as HTTP Archive 1.2, credentials redacted: import it in the browser's Network tab or in Postman.",
        "{api}.har",
        href="../requests?format=har",
    ),
    Export(
        "scenario",
        "Scenario (YAML)",
        "The journal as a scenario file that emulators replay runs "
        "(the same file as emulators record --from <url>): credentials become ${credentials.*}, filled in "
        "from the emulator it replays against (or --credentials FILE against the vendor), and tokens an answer "
        "minted become captures.",
        "{api}.scenario.yaml",
        build=_scenario,
        media_type="application/yaml",
        requests_format="scenario",
    ),
]


def request_formats(control: ControlPlane) -> frozenset[str]:
    """The `format` values `GET /__emulator/requests` accepts, from the control contract."""
    op = control.pipeline.contract.operations.get("getRequests")
    params = [p for p in op.params_in("query") if p.name == "format"] if op is not None else []
    return frozenset(str(v) for v in (params[0].schema.get("enum") or [])) if params else frozenset()


def find(name: str) -> Export | None:
    return next((x for x in EXPORTS if x.name == name), None)


def headers(export: Export, api: str) -> dict[str, str]:
    return {
        "Content-Type": export.media_type,
        "Content-Disposition": f'attachment; filename="{export.filename.format(api=api)}"',
        "Cache-Control": "no-store",
    }


def built(api: str) -> dict[str, BuiltExport]:
    """`GET /__emulator/ui/export/<name>` of every export with a `build`, by path, for the control plane."""
    return {
        f"/__emulator/ui/export/{x.name}": BuiltExport(x.build, tuple(headers(x, api).items()))
        for x in EXPORTS
        if x.build is not None
    }
