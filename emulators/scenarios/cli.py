"""`emulators replay FILE ... [--target URL] [--junit PATH]` (added by emulators/cli.py's COMMANDS table)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_replay(sub: Any) -> None:
    p = sub.add_parser(
        "replay",
        help="run scenario files (in-process, or against --target URL)",
        description="Run YAML scenarios against in-process emulators (default) or a base URL.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="*.scenario.yaml files, or folders (searched at any depth)")
    p.add_argument(
        "--target",
        action="append",
        default=[],
        metavar="URL|API=URL",
        help="base URL to run against (a running emulator or the real vendor); API=URL per emulator",
    )
    p.add_argument("--junit", metavar="PATH", help="write JUnit XML here")
    p.add_argument(
        "--skip-control",
        action="store_true",
        help="skip control steps (clock, faults, reset, state) when the target has no control plane",
    )
    p.add_argument(
        "--no-namespace",
        action="store_true",
        help="against an emulator target: run in its default namespace (reset first) instead of a fresh one",
    )
    p.add_argument(
        "--credentials",
        metavar="FILE",
        help="YAML/JSON {name: value} for ${credentials.*} when the target is not an emulator "
        "(default: $EMULATORS_CREDENTIALS_<API>)",
    )
    p.add_argument("--timeout", type=float, default=30.0, help="per-request timeout in seconds (default 30)")
    p.add_argument("-q", "--quiet", action="store_true", help="print failures and the summary only")
    p.set_defaults(func=cmd_replay)


def _files(paths: list[str]) -> list[Path]:
    """The scenario files named or under the folders named (ValueError, one line, for anything else)."""
    from .scenario import RULE, is_scenario_file, scenario_files

    out: list[Path] = []
    for item in paths:
        p = Path(item)
        if p.is_dir():
            found = scenario_files(p)
            if not found:
                raise ValueError(f"no scenario file under {item} ({RULE})")
            out += found
        elif not p.is_file():
            raise ValueError(f"no such scenario file: {item}")
        elif not is_scenario_file(p):
            stem = p.name.rsplit(".", 1)[0] if p.suffix in (".yaml", ".yml") else p.name
            raise ValueError(f"{item}: not a scenario file name; {RULE} (rename it {stem}.scenario.yaml)")
        else:
            out.append(p)
    return out


def given_credentials(path: str | None) -> dict[str, Any] | None:
    """`--credentials FILE`: a YAML / JSON mapping (ValueError, one line, when it is not)."""
    if path is None:
        return None
    import yaml

    from .scenario import load_data_file

    try:
        data = load_data_file(Path(path))
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not YAML or JSON ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of credential names to values")
    return data


def _target(values: list[str]) -> str | dict[str, str] | None:
    if not values:
        return None
    plain = [v for v in values if "=" not in v.split("://", 1)[0]]
    if len(values) == 1 and plain:
        return values[0]
    if plain:
        raise ValueError("with several --target values, name each one: --target API=URL")
    return {name: url for name, _, url in (v.partition("=") for v in values)}


def cmd_replay(args: argparse.Namespace) -> int:
    from .junit import write_junit
    from .runner import Runner, ScenarioResult

    try:
        target = _target(args.target)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        creds = given_credentials(args.credentials)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        files = _files(args.files)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    lines: list[str] = []

    def out(line: str) -> None:
        if args.quiet:
            lines.append(line)
        else:
            print(line, flush=True)

    runner = Runner(
        target,
        skip_control=args.skip_control,
        namespace=not args.no_namespace,
        out=out,
        timeout=args.timeout,
        credentials=creds,
    )
    results: list[ScenarioResult] = []
    for f in files:
        lines.clear()
        res = runner.run_file(f)
        results.append(res)
        if args.quiet and not res.ok:
            print("\n".join(lines), flush=True)
    if args.junit:
        write_junit(results, args.junit)
    counts = {k: sum(1 for r in results if r.outcome == k) for k in ("passed", "failed", "error", "skipped")}
    steps = sum(len(r.steps) for r in results)
    print(
        f"\n{len(results)} scenario(s), {steps} step(s): "
        + ", ".join(f"{v} {k}" for k, v in counts.items() if v)
        + (f"; JUnit XML in {args.junit}" if args.junit else "")
    )
    return 0 if all(r.ok for r in results) else 1
