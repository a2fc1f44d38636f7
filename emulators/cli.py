"""`emulators list | serve | contract | schema | replay | record | proxy | import | export | parity | fidelity`
(and `--version`).

COMMANDS is the one table of commands: each names the function that adds its parser (this module's for the
built-in ones, emulators.scenarios.cli, emulators.recording.cli, emulators.fidelity); a user's mistake raises
ConfigError / DataFileError / BindError and `main` prints one line."""

from __future__ import annotations

import argparse
import json
import sys

from . import registry
from .config import LOG_LEVELS, env_help
from .schemas import SCHEMA_KINDS


def _cmd_list(args: argparse.Namespace) -> int:
    for name in registry.available():
        print(f"{name}\t{registry.APIS[name][1]}")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    import gc

    # Start-up makes ~50,000 objects that live as long as the process: no collections while it runs
    # (they cost ~10 % of start-up); serve_many freezes the heap and turns the collector back on.
    gc.disable()
    try:
        return _serve(args)
    finally:
        gc.enable()


def _serve(args: argparse.Namespace) -> int:
    from . import build_app
    from .config import ports, serve_options
    from .server import run

    options = serve_options(args)
    if not options.apis:
        print("emulators serve: error: no emulators are available", file=sys.stderr)
        return 2
    from .core.config import ConfigError
    from .core.sockets import Limits
    from .server import exposure_warning

    try:
        limits = Limits.from_env(control_token=options.control_token, journal_body_budget=options.journal_body_budget)
    except ValueError as exc:
        raise ConfigError([str(exc)]) from None
    warning = exposure_warning(options.host, limits.control_token)
    if warning:
        print(warning, file=sys.stderr)
    if args.workers is not None or args.nginx_conf:
        import gc
        import os

        gc.enable()  # this process supervises the workers (which start as `serve` does) until they stop

        from .fleet import check_args, serve_workers

        names = options.apis
        fixtures = options.fixtures.get(names[0]) if len(names) == 1 else None
        if len(options.fixtures) > 1 or (options.fixtures and fixtures is None):
            print("emulators serve: error: --fixtures needs exactly one API with --workers", file=sys.stderr)
            return 2
        if options.tls or options.watch:
            raise ConfigError(["--tls and --watch serve one process per API: not with --workers (put TLS on nginx)"])
        if options.latency:  # the workers start as `serve` does and read it from their environment
            os.environ["EMULATORS_LATENCY"] = json.dumps(options.latency)
        if limits.control_token:  # the workers read the guard settings from their environment
            os.environ["EMULATORS_CONTROL_TOKEN"] = limits.control_token
        os.environ["EMULATORS_JOURNAL_BODY_BUDGET"] = str(limits.journal_body_budget)
        return check_args(args, names) or serve_workers(
            names,
            args.workers,
            host=options.host,
            base_port=options.base_port if options.port is None else options.port,
            nginx_conf=args.nginx_conf,
            fixtures=fixtures,
            log_level=options.log_level,
        )
    tls = None
    if options.tls:
        from .tls import server_cert, user_cert

        tls = user_cert(options.tls_cert, options.tls_key) if options.tls_cert else server_cert([options.host])
    apps = []
    watched = []
    for name, port in ports(options):
        app = build_app(
            name,
            fixtures=options.fixtures.get(name),
            journal_size=options.journal_limit,
            seed=options.seed,
            limits=limits,
            latency=options.latency,
        )
        if tls is not None and tls.ca_path is not None:
            app.control.ctx.ca_path = str(tls.ca_path)
        if options.watch and name in options.fixtures:
            watched.append((app, options.fixtures[name]))
        if options.access_log not in ("", "off"):
            from .accesslog import wrap

            app = wrap(app, options.access_log)
        apps.append((name, app, port))
    watch = None
    if options.watch:
        if not watched:
            raise ConfigError(["--watch: there is no --fixtures file to watch"])
        import importlib.util

        if importlib.util.find_spec("watchfiles") is None:
            raise ConfigError(["--watch needs watchfiles: pip install 'vendor-emulators[watch]'"])
        from .watch import watcher

        watch = watcher(watched)
    return run(apps, host=options.host, log_level=options.log_level, tls=tls, watch=watch)


def _cmd_schema(args: argparse.Namespace) -> int:
    from .schemas import schema

    print(json.dumps(schema(args.kind, args.api), indent=2, ensure_ascii=False))
    return 0


def _cmd_contract(args: argparse.Namespace) -> int:
    import yaml

    from .core.contract import Contract

    if args.api not in registry.APIS and args.api != "control":
        from .core.suggest import unknown

        message = unknown("emulator", args.api, [*registry.APIS, "control"])
        print(f"emulators contract: error: {message}", file=sys.stderr)
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


def _add_list(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list", help="list the registered emulators and their default ports")
    p.set_defaults(func=_cmd_list)


def _add_serve(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="serve emulators (all when none is named)",
        epilog=env_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("api", nargs="*", help="APIs to serve (default: all)")
    p.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", default=None, help="port (one API) or first port (several); 0 = any free port")
    p.add_argument("--base-port", default=None, help="ports from here, in registry order")
    p.add_argument(
        "--fixtures",
        action="append",
        default=None,
        metavar="[API=]PATH",
        help="fixtures file: PATH (one API) or API=PATH (repeatable)",
    )
    p.add_argument("--log-level", default=None, help=f"one of {', '.join(LOG_LEVELS)} (default warning)")
    p.add_argument(
        "--journal-limit", default=None, metavar="N", help="journal entries kept per namespace (default 10000)"
    )
    p.add_argument(
        "--access-log",
        nargs="?",
        const="text",
        default=None,
        metavar="FORMAT",
        help="one line per request on stdout: text (default) or json",
    )
    p.add_argument("--seed", default=None, help="seed of generated ids and tokens (default 0)")
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="N independent processes per API on consecutive ports (from --base-port, default 9701)",
    )
    p.add_argument("--nginx-conf", default=None, metavar="FILE", help="with --workers: write nginx upstreams here")
    p.add_argument(
        "--control-token",
        default=None,
        metavar="TOKEN",
        help="require this token on /__emulator (Authorization: Bearer or X-Emulator-Token)",
    )
    p.add_argument(
        "--journal-body-budget",
        default=None,
        metavar="SIZE",
        help="bytes of bodies the journal keeps per namespace: 16MiB (default), 64KiB, 500KB, or bytes",
    )
    p.add_argument(
        "--tls",
        action="store_true",
        default=None,
        help="serve https with a certificate from the local CA (made on first use; its path is printed)",
    )
    p.add_argument("--tls-cert", default=None, metavar="FILE", help="serve https with your own certificate (PEM)")
    p.add_argument("--tls-key", default=None, metavar="FILE", help="the key of --tls-cert (default: in that file)")
    p.add_argument(
        "--latency",
        default=None,
        metavar="JSON",
        help='delay every API request: {"fixed_ms": 50}, {"uniform_ms": [20, 80]}, '
        '{"lognormal": {"median_ms": 80, "sigma": 0.5}} (seeded by --seed)',
    )
    p.add_argument(
        "--watch",
        action="store_true",
        default=None,
        help="reload a --fixtures file when it changes (the default namespace only)",
    )
    p.set_defaults(func=_cmd_serve)


def _add_contract(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("contract", help="print an API's contract")
    p.add_argument("api")
    p.add_argument("--format", choices=["yaml", "json"], default="yaml")
    p.set_defaults(func=_cmd_contract)


def _add_schema(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("schema", help="print a JSON Schema: fixtures|state API, scenario, fault, stub, clock")
    p.add_argument("kind", help=f"one of {', '.join(SCHEMA_KINDS)}")
    p.add_argument("api", nargs="?", help="the API (fixtures and state)")
    p.set_defaults(func=_cmd_schema)


# Every command, in the order `emulators --help` lists them: (name, "module:function" that adds its parser).
# A module is imported only when its command is named (or for --help): `serve` never imports the scenario
# or recording code (tests/setup/test_startup.py).
COMMANDS: tuple[tuple[str, str], ...] = (
    ("list", "emulators.cli:_add_list"),
    ("serve", "emulators.cli:_add_serve"),
    ("contract", "emulators.cli:_add_contract"),
    ("schema", "emulators.cli:_add_schema"),
    ("replay", "emulators.scenarios.cli:add_replay"),
    ("record", "emulators.recording.cli:add_record"),
    ("proxy", "emulators.recording.cli:add_proxy"),
    ("import", "emulators.recording.cli:add_import"),
    ("export", "emulators.recording.cli:add_export"),
    ("parity", "emulators.recording.cli:add_parity"),
    ("fidelity", "emulators.fidelity:register"),
    ("mcp", "emulators.mcp_server:register"),
    ("completion", "emulators.completion:register"),
)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with `command` (the first word of the command line) naming a command of
    COMMANDS, only the commands of the module that adds it (whose other modules are not imported)."""
    import importlib

    from . import __version__

    parser = argparse.ArgumentParser(
        prog="emulators",
        # every command, also when only one module's commands are loaded (`emulators serve extra`)
        usage="%(prog)s [-h] [--version] {" + ",".join(name for name, _ in COMMANDS) + "} ...",
        description="Vendor REST API emulators",
        epilog="serve " + env_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"emulators (vendor-emulators) {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    only = dict(COMMANDS).get(command or "", "").partition(":")[0]
    for _name, target in COMMANDS:
        module, _, function = target.partition(":")
        if only and module != only:
            continue
        getattr(importlib.import_module(module), function)(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .core.config import ConfigError
    from .core.datafile import DataFileError
    from .server import BindError

    words = sys.argv[1:] if argv is None else argv
    args = build_parser(words[0] if words else None).parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except (ConfigError, DataFileError) as exc:  # a user's mistake: one line, never a traceback
        print(f"emulators {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BindError as exc:
        print(f"emulators {args.command}: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
