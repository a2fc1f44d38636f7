"""`emulators replay FILE ... [--target URL] [--junit PATH]` and `emulators record --from URL --out FILE`
(and, from commands.py, `proxy`, `import har`, `export postman`, `parity`).

emulators/cli.py calls `register(subparsers)` when this module exists."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "replay",
        help="run scenario files (in-process, or against --target URL)",
        description="Run YAML scenarios against in-process emulators (default) or a base URL.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="scenario files or folders of *.yaml")
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
    p.add_argument("--timeout", type=float, default=30.0, help="per-request timeout in seconds (default 30)")
    p.add_argument("-q", "--quiet", action="store_true", help="print failures and the summary only")
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser(
        "record",
        help="turn a running emulator's journal into a scenario file",
        description="Turn the journal of a running emulator into a replayable scenario.",
    )
    p.add_argument(
        "--from",
        dest="url",
        required=True,
        metavar="URL",
        help="the emulator's base URL (a /__ns/<name> URL records that namespace)",
    )
    p.add_argument("--out", default="-", metavar="FILE", help="scenario file to write (default: stdout)")
    p.add_argument("--name", help="scenario name")
    p.add_argument("--emulator", help="emulator name to write (default: what the emulator reports)")
    p.add_argument("--operation", help="only this operationId")
    p.add_argument("--limit", type=int, help="only the newest N requests")
    p.add_argument("--exact", action="store_true", help="keep time stamps exact (no loosening)")
    p.set_defaults(func=cmd_record)

    from .commands import register as register_recording  # proxy, import har, export postman, parity

    register_recording(sub)


def _files(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for item in paths:
        p = Path(item)
        if p.is_dir():
            out += sorted(x for x in p.glob("*.yaml") if x.is_file()) + sorted(p.glob("*.yml"))
        else:
            out.append(p)
    return out


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
    files = _files(args.files)
    missing = [str(f) for f in files if not f.is_file()]
    if missing or not files:
        print(f"error: no such scenario file: {', '.join(missing) or ' '.join(args.files)}", file=sys.stderr)
        return 2
    lines: list[str] = []

    def out(line: str) -> None:
        if args.quiet:
            lines.append(line)
        else:
            print(line, flush=True)

    runner = Runner(
        target, skip_control=args.skip_control, namespace=not args.no_namespace, out=out, timeout=args.timeout
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


def cmd_record(args: argparse.Namespace) -> int:
    import httpx

    from .record import record

    try:
        text, n = record(
            args.url,
            name=args.name,
            operation=args.operation,
            limit=args.limit,
            exact=args.exact,
            emulator=args.emulator,
        )
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        print(f"error: cannot read the journal of {args.url}: {exc}", file=sys.stderr)
        return 2
    return _write(text, args.out, f"recorded {n} request(s) from {args.url}")


def _write(text: str, out: str | None, what: str) -> int:
    """`text` to the file `out` (or stdout for None / "-"), with a one-line note on stderr."""
    if out in (None, "-"):
        sys.stdout.write(text)
        return 0
    try:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"error: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"{what} into {out}", file=sys.stderr)
    return 0
