"""`emulators list | serve | contract | replay` (replay arrives with the scenario runner)."""

from __future__ import annotations

import argparse
import json
import sys

from . import registry


def _cmd_list(args: argparse.Namespace) -> int:
    for name in registry.available():
        print(f"{name}\t{registry.APIS[name][1]}")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from . import build_app
    from .server import run

    names = args.api or registry.available()
    unknown = [n for n in names if n not in registry.APIS]
    if unknown:
        print(f"unknown emulator(s): {', '.join(unknown)}; known: {', '.join(registry.APIS)}", file=sys.stderr)
        return 2
    if not names:
        print("no emulators are available", file=sys.stderr)
        return 2
    from .core.sockets import Limits
    from .server import exposure_warning

    try:
        limits = Limits.from_env(control_token=args.control_token, journal_body_budget=args.journal_body_budget)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    warning = exposure_warning(args.host, limits.control_token)
    if warning:
        print(warning, file=sys.stderr)
    apps = []
    for i, name in enumerate(names):
        if args.port is not None and len(names) == 1:
            port = args.port
        elif args.base_port is not None:
            port = args.base_port + list(registry.APIS).index(name)
        elif args.port is not None:
            port = args.port + i
        else:
            port = registry.APIS[name][1]
        apps.append((name, build_app(name, fixtures=args.fixtures if len(names) == 1 else None, limits=limits),
                     port))
    return run(apps, host=args.host, log_level=args.log_level)


def _cmd_contract(args: argparse.Namespace) -> int:
    import yaml

    from .core.contract import Contract

    if args.api not in registry.APIS and args.api != "control":
        print(f"unknown emulator {args.api!r}; known: {', '.join(registry.APIS)}", file=sys.stderr)
        return 2
    path = registry.get(args.api).contract if args.api != "control" else None
    if path is None:
        from .core.paths import contract_path

        path = contract_path("control")
    doc = Contract.load(path).document
    if args.format == "json":
        print(json.dumps(doc, indent=2, default=str))
    else:
        print(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="emulators", description="Vendor REST API emulators")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("list", help="list the registered emulators and their default ports")
    p.set_defaults(func=_cmd_list)
    p = sub.add_parser("serve", help="serve emulators (all when none is named)")
    p.add_argument("api", nargs="*")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=None, help="port (one API) or first port (several)")
    p.add_argument("--base-port", type=int, default=None, help="ports from here, in registry order")
    p.add_argument("--fixtures", default=None, help="fixtures file (one API only)")
    p.add_argument("--log-level", default="warning")
    p.add_argument("--control-token", default=None,
                   help="require this token on /__emulator (Authorization: Bearer or X-Emulator-Token); "
                        "env EMULATORS_CONTROL_TOKEN")
    p.add_argument("--journal-body-budget", type=int, default=None, metavar="BYTES",
                   help="bytes of bodies the journal keeps per namespace (default 16 MiB); "
                        "env EMULATORS_JOURNAL_BODY_BUDGET")
    p.set_defaults(func=_cmd_serve)
    p = sub.add_parser("contract", help="print an API's contract")
    p.add_argument("api")
    p.add_argument("--format", choices=["yaml", "json"], default="yaml")
    p.set_defaults(func=_cmd_contract)
    _add_optional_commands(sub)
    return parser


def _add_optional_commands(sub: argparse._SubParsersAction) -> None:
    """Commands contributed by emulators.testing (replay, record) and emulators.fidelity, when present."""
    for module in ("emulators.testing.cli", "emulators.fidelity"):
        try:
            mod = __import__(module, fromlist=["register"])
        except ImportError:
            continue
        mod.register(sub)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
