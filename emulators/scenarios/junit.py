"""JUnit XML for CI: one <testsuite> per scenario, one <testcase> per step."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from .runner import ScenarioResult

# what XML 1.0 cannot carry at all (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` with every character XML 1.0 forbids written as `\\xNN` / `\\uNNNN` (readable, never invalid)."""
    return _ILLEGAL.sub(_escape, text)


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _sanitize(root: ET.Element) -> None:
    for el in root.iter():
        if el.text:
            el.text = xml_safe(el.text)
        if el.tail:
            el.tail = xml_safe(el.tail)
        for k, v in el.attrib.items():
            el.attrib[k] = xml_safe(v)


def junit_xml(results: list[ScenarioResult]) -> str:
    root = ET.Element("testsuites", name="emulators replay")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    total_time = 0.0
    for res in results:
        suite = ET.SubElement(root, "testsuite", name=res.name, file=res.source)
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        if not res.steps:  # invalid, skipped or failed set-up: one case stands for the scenario
            case = ET.SubElement(suite, "testcase", classname=res.name, name="scenario", file=res.source, time="0")
            counts["tests"] = 1
            if res.outcome == "skipped":
                ET.SubElement(case, "skipped", message=res.message)
                counts["skipped"] = 1
            elif res.outcome != "passed":
                err = ET.SubElement(case, "error", message=res.message.splitlines()[0] if res.message else "error")
                err.text = res.message
                counts["errors"] = 1
        for step in res.steps:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=res.name,
                name=f"{step.index:02d} {step.name}",
                file=res.source,
                line=str(step.line),
                time=f"{step.duration_ms / 1000:.6f}",
            )
            counts["tests"] += 1
            if step.outcome == "failed":
                el = ET.SubElement(case, "failure", message=step.message.splitlines()[0] if step.message else "")
                el.text = "\n".join(x for x in (step.summary, step.message, step.details) if x)
                counts["failures"] += 1
            elif step.outcome == "error":
                el = ET.SubElement(case, "error", message=step.message.splitlines()[0] if step.message else "")
                el.text = "\n".join(x for x in (step.summary, step.message) if x)
                counts["errors"] += 1
            elif step.outcome == "skipped":
                ET.SubElement(case, "skipped", message=step.message)
                counts["skipped"] += 1
            elif step.summary:
                ET.SubElement(case, "system-out").text = step.summary
        for k, v in counts.items():
            suite.set(k, str(v))
            totals[k] += v
        suite.set("time", f"{res.duration_ms / 1000:.6f}")
        total_time += res.duration_ms / 1000
    for k, v in totals.items():
        root.set(k, str(v))
    root.set("time", f"{total_time:.6f}")
    _sanitize(root)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(results: list[ScenarioResult], path: str | Path) -> None:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(junit_xml(results), encoding="utf-8")
