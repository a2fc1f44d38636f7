"""`emulators record | proxy | import har | export postman | parity` (added by emulators/cli.py's COMMANDS table)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _command(sub: Any, name: str, func: Callable[[argparse.Namespace], int], **texts: str) -> Any:
    """A subcommand's parser (`texts`: its help and description) that runs `func`."""
    p = sub.add_parser(name, **texts)
    p.set_defaults(func=func)
    return p


def _group(sub: Any, name: str, summary: str) -> Any:
    """A command whose subcommands name what it acts on (`import har`, `export postman`)."""
    return sub.add_parser(name, help=summary).add_subparsers(dest="kind", required=True)


def add_record(sub: Any) -> None:
    p = _command(
        sub,
        "record",
        cmd_record,
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


def add_proxy(sub: Any) -> None:
    p = _command(
        sub,
        "proxy",
        cmd_proxy,
        help="a recording reverse proxy in front of the vendor (or any server)",
        description="Forward every request to --target unchanged and record the session as a "
        "portable scenario (and into the proxy's /__emulator journal).",
    )
    p.add_argument("api", help="the API being proxied (its error envelope, routing, redaction)")
    p.add_argument("--target", required=True, metavar="URL", help="upstream base URL (the vendor, an emulator...)")
    p.add_argument("--out", metavar="FILE", help="scenario file, appended after every exchange")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=None, help="port to listen on (default: the API's port + 1000)")
    p.add_argument("--timeout", type=float, default=30.0, help="upstream read timeout in seconds (default 30)")
    p.add_argument("--connect-timeout", type=float, default=10.0, help="upstream connect timeout (default 10)")
    p.add_argument(
        "--credentials",
        metavar="FILE",
        help="JSON/YAML {name: value} of the credentials used, written as ${credentials.<name>} "
        "(default: the upstream's /__emulator/credentials, else the emulator's fixtures)",
    )
    p.add_argument("--name", help="scenario name")


def add_import(sub: Any) -> None:
    isub = _group(sub, "import", "import recordings (HAR) as scenarios")
    p = _command(
        isub,
        "har",
        cmd_import_har,
        help="a HAR 1.2 file -> a portable scenario",
        description="Turn a HAR 1.2 file (browser dev tools, a proxy, ?format=har) into a scenario.",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--api", required=True, help="the API the HAR talks to")
    p.add_argument("--out", metavar="FILE", help="scenario file to write (default: stdout)")
    p.add_argument("--name", help="scenario name")
    p.add_argument("--base-path", default="", help="path prefix of the vendor's base URL to strip")


def add_export(sub: Any) -> None:
    esub = _group(sub, "export", "export an API for other tools (Postman)")
    p = _command(
        esub,
        "postman",
        cmd_export_postman,
        help="a Postman collection v2.1 of the API's contract",
        description="Write a Postman collection (v2.1.0) with every operation of the contract.",
    )
    p.add_argument("api")
    p.add_argument("--out", metavar="FILE", help="collection file to write (default: stdout)")
    p.add_argument("--base-url", help="the {{baseUrl}} value (default: http://127.0.0.1:<API port>)")


def add_parity(sub: Any) -> None:
    p = _command(
        sub,
        "parity",
        cmd_parity,
        help="replay a vendor recording and report where the emulator differs",
        description="Replay a recorded scenario against the emulator (in-process, or --target) "
        "and report per step: status, envelope keys, types, values, header presence.",
    )
    p.add_argument("file", metavar="FILE.scenario.yaml")
    p.add_argument("--target", metavar="URL", help="a running emulator (default: in-process)")
    p.add_argument("--json", metavar="PATH", help="write the report as JSON here ('-' for stdout)")
    p.add_argument("--junit", metavar="PATH", help="write JUnit XML here")
    p.add_argument("--timeout", type=float, default=30.0)
    p.add_argument(
        "--skip-control",
        action="store_true",
        help="make no /__emulator call (the target is the vendor or any server); control steps are skipped",
    )
    p.add_argument(
        "--credentials",
        metavar="FILE",
        help="YAML/JSON {name: value} for ${credentials.*} when the target is not an emulator "
        "(default: $EMULATORS_CREDENTIALS_<API>)",
    )


def _err(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _spec(api: str) -> Any:
    from ..registry import EmulatorUnavailable, resolve_spec

    try:
        return resolve_spec(api)
    except EmulatorUnavailable as exc:
        raise ValueError(str(exc)) from exc
    except (ImportError, TypeError, ValueError) as exc:  # "../../etc" is no module name: one line, no traceback
        from .. import registry

        raise ValueError(f"unknown emulator {api[:100]!r}; known: {', '.join(registry.APIS)}") from exc


def cmd_proxy(args: argparse.Namespace) -> int:
    from ..scenarios.scenario import load_data_file
    from ..server import run
    from .proxy import RecordingProxy

    if not args.target.startswith(("http://", "https://")):
        return _err(f"--target must be an http(s) URL, got {args.target!r}")
    try:
        spec = _spec(args.api)
        creds = load_data_file(Path(args.credentials)) if args.credentials else None
    except (ValueError, OSError) as exc:
        return _err(str(exc))
    if creds is not None and not isinstance(creds, dict):
        return _err(f"{args.credentials}: expected a mapping of credential names to values")
    proxy = RecordingProxy(
        spec,
        args.target,
        out=args.out,
        timeout=args.timeout,
        connect_timeout=args.connect_timeout,
        credentials=creds,
        name=args.name,
    )
    from ..registry import APIS

    port = args.port if args.port is not None else APIS.get(spec.name, ("", 0))[1] + 1000
    print(
        f"proxying {spec.name} -> {args.target}" + (f", recording into {args.out}" if args.out else ""),
        file=sys.stderr,
        flush=True,
    )
    code = run([(f"proxy {spec.name}", proxy, port)], host=args.host)
    if args.out:
        proxy.write()
        print(f"recorded {proxy.exchanges} exchange(s) into {args.out}", file=sys.stderr)
    return code


def cmd_import_har(args: argparse.Namespace) -> int:
    from .har_import import HarError, gc_paused, import_har
    from .portable import to_yaml

    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return _err(f"cannot read {args.file}: {getattr(exc, 'strerror', None) or exc}")
    try:
        _spec(args.api)
        with gc_paused():
            scenario = import_har(text, args.api, name=args.name, source=args.file, base_path=args.base_path)
    except (HarError, ValueError) as exc:
        return _err(f"{args.file}: {exc}")
    except RecursionError:
        return _err(f"{args.file}: nested too deep to import")
    n = sum(1 for s in scenario["steps"] if "request" in s)
    with gc_paused():
        out = to_yaml(scenario, tool="emulators import har")
    return _write(out, args.out, f"imported {n} request(s) from {args.file}")


def cmd_export_postman(args: argparse.Namespace) -> int:
    from .postman import collection

    try:
        doc = collection(_spec(args.api), base_url=args.base_url)
    except ValueError as exc:
        return _err(str(exc))
    n = sum(len(f["item"]) for f in doc["item"])
    return _write(
        json.dumps(doc, indent=2, ensure_ascii=False) + "\n", args.out, f"exported {n} request(s) of {args.api}"
    )


def cmd_parity(args: argparse.Namespace) -> int:
    from ..scenarios.cli import _files, given_credentials
    from ..scenarios.junit import write_junit
    from .parity import run_parity, table

    if Path(args.file).is_dir():
        return _err(f"{args.file}: parity compares one scenario file")
    try:
        _files([args.file])
    except ValueError as exc:
        return _err(str(exc))
    try:
        creds = given_credentials(args.credentials)
    except ValueError as exc:
        return _err(str(exc))
    report = run_parity(args.file, args.target, timeout=args.timeout, skip_control=args.skip_control, credentials=creds)
    if report.result is not None and report.result.outcome == "error" and not report.steps:
        return _err(report.errors[0] if report.errors else f"{args.file}: cannot run")
    print(table(report), flush=True)
    if args.json:
        text = json.dumps(report.as_json(), indent=2, ensure_ascii=False, default=str) + "\n"
        if args.json == "-":
            sys.stdout.write(text)
        else:
            Path(args.json).parent.mkdir(parents=True, exist_ok=True)
            Path(args.json).write_text(text, encoding="utf-8")
    if args.junit and report.result is not None:
        write_junit([report.result], args.junit)
    return 0 if report.ok else 1


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
