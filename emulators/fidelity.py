"""`emulators fidelity [API]`: what each emulator serves of its vendor's document, generated, not hand-written.

Sources:
- the contract (contracts/<api>/openapi.yaml): operations, parameters and body fields with their constraints,
  status codes per operation and the seed samples (`examples`). An item is *documented* when it carries a seed
  reference (x-seed-line, x-bouwsoft-field, x-result-table, ...) or nothing says otherwise, *inferred* when it or
  an enclosing node carries `x-assumption` / an `x-method-source` saying "inferred" (the reason is printed), and
  *not emulated* when the contract or contracts/<api>/FIDELITY.md says so.
- test results (optional): a JUnit XML file from pytest (`--junit FILE`), or `--run-tests`, which runs
  tests/contract and tests/properties and reads their results. Each operation then shows how its generated
  tests ended: passed, or the strict-xfail reasons naming what is wrong.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import registry
from .core.contract import Contract, Operation, _resolve

CONSTRAINT_KEYS = (
    "type",
    "format",
    "minLength",
    "maxLength",
    "pattern",
    "enum",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
)


@dataclass
class Item:
    kind: str  # operation | parameter | field | status | example | feature
    name: str
    status: str  # documented | inferred | not emulated
    detail: str = ""
    reason: str = ""


@dataclass
class OperationReport:
    operation_id: str
    method: str
    path: str
    status: str
    reason: str = ""
    items: list[Item] = field(default_factory=list)
    tests: dict[str, int] = field(default_factory=dict)  # passed / failed / xfailed / skipped
    gaps: list[str] = field(default_factory=list)


@dataclass
class ApiReport:
    api: str
    operations: list[OperationReport] = field(default_factory=list)
    features: list[Item] = field(default_factory=list)

    def totals(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for op in self.operations:
            for it in [Item("operation", op.operation_id, op.status), *op.items]:
                bucket = out.setdefault(it.kind, {})
                bucket[it.status] = bucket.get(it.status, 0) + 1
        for it in self.features:
            bucket = out.setdefault("feature", {})
            bucket[it.status] = bucket.get(it.status, 0) + 1
        return out


def _inferred_reason(node: Any) -> str:
    if not isinstance(node, dict):
        return ""
    reason = node.get("x-assumption")
    if reason:
        return str(reason)
    source = str(node.get("x-method-source") or "")
    if "inferred" in source.lower():
        return source
    return ""


def _constraints(schema: dict[str, Any]) -> str:
    parts = []
    for k in CONSTRAINT_KEYS:
        if k in schema:
            v = schema[k]
            if k == "pattern":
                v = schema.get("x-vendor-pattern", v)
                v = v if len(str(v)) <= 60 else str(v)[:57] + "..."
            parts.append(f"{k}={v}")
    return ", ".join(parts)


def _raw_params(doc: dict[str, Any], op: Operation) -> dict[tuple[str, str], dict[str, Any]]:
    item = _resolve(doc["paths"][op.path], doc)
    out = {}
    for p in [*item.get("parameters", []), *_resolve(op.raw, doc).get("parameters", [])]:
        out[(p["name"], p["in"])] = p
    return out


def _operation_report(doc: dict[str, Any], op: Operation) -> OperationReport:
    reason = _inferred_reason(op.raw)
    rep = OperationReport(op.operation_id, op.method, op.path, "inferred" if reason else "documented", reason)
    raw_params = _raw_params(doc, op)
    for p in op.params:
        raw = raw_params.get((p.name, p.location), {})
        why = _inferred_reason(raw) or _inferred_reason(p.schema)
        rep.items.append(
            Item(
                "parameter",
                f"{p.location}:{p.name}",
                "inferred" if why else "documented",
                ("required; " if p.required else "") + _constraints({**p.schema, **raw}),
                why,
            )
        )
    for schema in op.body_media.values():
        for name, sub in (schema.get("properties") or {}).items():
            why = _inferred_reason(sub)
            if any(it.name == f"body:{name}" for it in rep.items):
                continue
            req = name in (schema.get("required") or [])
            rep.items.append(
                Item(
                    "field",
                    f"body:{name}",
                    "inferred" if why else "documented",
                    ("required; " if req else "") + _constraints(sub),
                    why,
                )
            )
        break  # the first media type's schema: the others carry the same fields
    raw_responses = _resolve(op.raw.get("responses") or {}, doc)
    for status, media in op.responses.items():
        why = _inferred_reason(raw_responses.get(status))
        rep.items.append(Item("status", status, "inferred" if why else "documented", ", ".join(sorted(media)), why))
        for mt, content in ((raw_responses.get(status) or {}).get("content") or {}).items():
            n = len((content or {}).get("examples") or {}) + (1 if "example" in (content or {}) else 0)
            if n:
                rep.items.append(Item("example", f"{status} {mt}", "documented", f"{n} sample(s) from the seed"))
    body = _resolve(op.raw.get("requestBody") or {}, doc)
    for mt, content in (body.get("content") or {}).items():
        n = len((content or {}).get("examples") or {}) + (1 if "example" in (content or {}) else 0)
        if n:
            rep.items.append(Item("example", f"request {mt}", "documented", f"{n} sample(s) from the seed"))
    return rep


def _fidelity_md_features(api: str, contract_path: Path) -> list[Item]:
    """Rows of contracts/<api>/FIDELITY.md: the owner's feature list, with its status column."""
    path = contract_path.parent / "FIDELITY.md"
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or cells[0].lower().startswith("feature") or not cells[0] or set(cells[0]) <= {"-", " "}:
            continue
        status_text = cells[-1].lower()
        status = (
            "not emulated"
            if "not emulated" in status_text
            else "inferred"
            if "inferred" in status_text
            else "documented"
        )
        out.append(Item("feature", cells[0], status, cells[-1]))
    return out


def build_report(api: str) -> ApiReport:
    spec = registry.get(api)
    contract = Contract.load(spec.contract)
    doc = contract.document
    rep = ApiReport(api)
    for op in contract.operations.values():
        rep.operations.append(_operation_report(doc, op))
    for key in ("x-unsupported", "x-unsupported-ops"):
        value = (doc.get("info") or {}).get(key) or doc.get(key)
        for entry in value if isinstance(value, list) else [value] if value else []:
            rep.features.append(Item("feature", str(entry), "not emulated", key))
    rep.features.extend(_fidelity_md_features(api, Path(spec.contract)))
    return rep


# test results ----------------------------------------------------------------------------------------------
def case_pattern() -> re.Pattern[str]:
    """`[api-operationId...]` in a parametrised test's name, for every registered API."""
    names = "|".join(re.escape(name) for name in registry.APIS)
    return re.compile(rf"\[(?P<api>{names})-(?P<op>[A-Za-z0-9]+)")


def apply_junit(reports: dict[str, ApiReport], junit: Path) -> None:
    """Attach pytest outcomes of parametrised cases named `[api-operationId...]` to their operations."""
    index = {(r.api, o.operation_id): o for r in reports.values() for o in r.operations}
    pattern = case_pattern()
    for case in ET.parse(junit).getroot().iter("testcase"):
        m = pattern.search(case.get("name", ""))
        if not m or (m["api"], m["op"]) not in index:
            continue
        op = index[(m["api"], m["op"])]
        outcome = "passed"
        for child in case:
            if child.tag in ("failure", "error"):
                outcome = "failed"
                op.gaps.append(f"FAILED {case.get('name')}: {(child.get('message') or '')[:160]}")
            elif child.tag == "skipped":
                msg = child.get("message") or ""
                outcome = "xfailed" if "xfail" in (child.get("type") or "") + msg else "skipped"
                if outcome == "xfailed":
                    gap = re.sub(r"^.*?(xfail|XFAIL)\S*\s*", "", msg).strip() or msg
                    if gap not in op.gaps:
                        op.gaps.append(gap)
        op.tests[outcome] = op.tests.get(outcome, 0) + 1


def run_tests(root: Path) -> Path:
    out = Path(tempfile.mkdtemp(prefix="emulators-fidelity-")) / "junit.xml"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:randomly",
            "tests/contract",
            "tests/properties",
            f"--junitxml={out}",
            "-o",
            "junit_family=xunit2",
        ],
        cwd=root,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return out


# rendering -------------------------------------------------------------------------------------------------
def render_markdown(rep: ApiReport, full: bool = True) -> str:
    lines = [f"## {rep.api}", ""]
    totals = rep.totals()
    lines.append("| kind | documented | inferred | not emulated |")
    lines.append("|---|---|---|---|")
    for kind in ("operation", "parameter", "field", "status", "example", "feature"):
        t = totals.get(kind, {})
        if t:
            lines.append(f"| {kind} | {t.get('documented', 0)} | {t.get('inferred', 0)} | {t.get('not emulated', 0)} |")
    lines += ["", "| operation | status | statuses | tests | reason / gaps |", "|---|---|---|---|---|"]
    for op in rep.operations:
        statuses = " ".join(
            it.name + ("*" if it.status == "inferred" else "") for it in op.items if it.kind == "status"
        )
        tests = ", ".join(f"{v} {k}" for k, v in sorted(op.tests.items())) or "not run"
        notes = "; ".join([op.reason, *op.gaps]).strip("; ").replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {op.method} {op.path} `{op.operation_id}` | {op.status} | {statuses} | {tests} | {notes} |")
    if full:
        lines += ["", "| operation | item | status | constraints / detail | reason |", "|---|---|---|---|---|"]
        for op in rep.operations:
            for it in op.items:
                if it.kind in ("parameter", "field"):
                    detail = it.detail.replace("|", "\\|")
                    reason = it.reason.replace("|", "\\|").replace("\n", " ")
                    lines.append(f"| `{op.operation_id}` | {it.name} | {it.status} | {detail} | {reason} |")
    if rep.features:
        lines += ["", "| feature | status | detail |", "|---|---|---|"]
        for it in rep.features:
            lines.append(f"| {it.name.replace('|', '/')} | {it.status} | {it.detail.replace('|', '/')} |")
    lines.append("")
    lines.append("`*` = inferred status (x-assumption in the contract).")
    return "\n".join(lines) + "\n"


def _cmd_fidelity(args: argparse.Namespace) -> int:
    apis = [args.api] if args.api else registry.available()
    reports = {api: build_report(api) for api in apis}
    junit = Path(args.junit) if args.junit else None
    if args.run_tests:
        junit = run_tests(Path(__file__).resolve().parents[1])
    if junit is not None and junit.is_file():
        apply_junit(reports, junit)
    if args.format == "json":
        print(json.dumps({api: {**asdict(r), "totals": r.totals()} for api, r in reports.items()}, indent=2))
    else:
        print(
            "# Fidelity report\n\nGenerated by `emulators fidelity` from the contracts"
            + (" and the test results." if junit else " (run with --run-tests to add test results).")
            + "\n"
        )
        for r in reports.values():
            print(render_markdown(r, full=not args.summary))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "fidelity", help="what each emulator serves of its vendor's document (from the contracts and test results)"
    )
    p.add_argument("api", nargs="?", choices=list(registry.APIS), help="one API (default: all)")
    p.add_argument("--format", choices=["markdown", "json"], default="markdown")
    p.add_argument("--junit", default=None, help="pytest JUnit XML whose results to include")
    p.add_argument("--run-tests", action="store_true", help="run tests/contract and tests/properties first")
    p.add_argument("--summary", action="store_true", help="operations and totals only (no per-parameter table)")
    p.set_defaults(func=_cmd_fidelity)
