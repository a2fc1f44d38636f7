"""What the Exports page offers. One `Export` per format: either a link to an existing control route
(`href`, relative to the dashboard) or a `build` function served at `GET /__emulator/ui/export/<name>`.

To offer another format (e.g. issue 15's portable scenarios), append an `Export` to `EXPORTS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.journal import entry_json

if TYPE_CHECKING:
    from ..core.call import Call
    from ..core.control import ControlPlane


@dataclass(frozen=True)
class Export:
    name: str
    label: str
    description: str
    filename: str  # "{api}" is replaced by the emulator's name
    href: str | None = None  # a control route, relative to the dashboard
    build: Callable[[ControlPlane, Call], bytes] | None = None
    media_type: str = "application/json"
    # when `GET /__emulator/requests?format=<this>` exists (issue 15's portable scenarios), link to it instead
    requests_format: str | None = None

    def link(self, request_formats: frozenset[str] = frozenset()) -> str:
        if self.requests_format is not None and self.requests_format in request_formats:
            return f"../requests?format={self.requests_format}"
        return self.href if self.href is not None else f"export/{self.name}"


def _scenario(control: ControlPlane, call: Call) -> bytes:
    """The journal as a scenario file, exactly as `emulators record --from <this url>` would write it."""
    from ..recording.record import build, to_yaml

    red = control.ctx.redaction
    entries = [entry_json(e, red) for e in call.world.journal.entries()]
    rules = [r.as_dict() for r in call.world.faults.list()]
    scenario: dict[str, Any] = build(control.ctx.spec.name, entries, rules, source=call.base_url)
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
