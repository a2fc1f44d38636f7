"""`did you mean ...?` hints for names a person typed (difflib, case-insensitive)."""

from __future__ import annotations

from collections.abc import Iterable


def nearest(name: str, choices: Iterable[str]) -> str | None:
    """The closest valid name, or None when nothing is close."""
    options = [str(c) for c in choices]
    lowered = {o.lower(): o for o in options}
    if name.lower() in lowered:
        return lowered[name.lower()]
    import difflib  # only when a name is wrong: `serve` start-up never imports it

    found = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[found[0]] if found else None


def hint(name: str, choices: Iterable[str]) -> str:
    """'; did you mean `projects`?' or '' (ready to append to a message)."""
    best = nearest(name, choices)
    return f"; did you mean `{best}`?" if best is not None and best != name else ""


def unknown(kind: str, name: str, choices: Iterable[str]) -> str:
    """ "unknown emulator 'bousoft'; did you mean `bouwsoft`? (known: a, b)"."""
    options = list(dict.fromkeys(str(c) for c in choices))
    return f"unknown {kind} {name!r}{hint(name, options)} (known: {', '.join(options)})"
