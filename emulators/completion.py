"""`emulators completion bash|zsh|tcsh`: a shell completion script for the whole command line (shtab).

emulators completion bash > ~/.local/share/bash-completion/completions/emulators
emulators completion zsh > "${fpath[1]}/_emulators"
"""

from __future__ import annotations

import argparse

SHELLS = ("bash", "zsh", "tcsh")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("completion", help="print a shell completion script (bash, zsh, tcsh)")
    p.add_argument("shell", choices=SHELLS)
    p.set_defaults(func=cmd_completion)


def script(shell: str) -> str:
    import shtab

    from .cli import build_parser

    text: str = shtab.complete(build_parser(), shell=shell)
    return text


def cmd_completion(args: argparse.Namespace) -> int:
    print(script(args.shell), end="")
    return 0
