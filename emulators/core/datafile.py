"""Loading YAML/JSON data files (contracts, fixtures) with errors that name the file and the line.

Parsed documents are cached as plain JSON (a format that cannot execute code), keyed by the SHA-256 of
the file, the Python version and the package version, in $EMULATORS_CACHE_DIR or
~/.cache/vendor-emulators (EMULATORS_NO_CACHE=1 turns it off). A document JSON cannot carry exactly
(dates, non-string keys, integers past 64 bits) is simply not cached. The C YAML loader spends most of
start-up building objects; `orjson.loads` of the same document is many times faster and start-up never
imports PyYAML.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from .version import __version__

CACHE_VERSION = "2"  # 2: read back with orjson (which reads integers past 64 bits as floats: not cached)


class DataFileError(ValueError):
    """A data file is missing or malformed; `str()` is one line naming the file (and line)."""


def _cache_dir() -> Path:
    base = os.environ.get("EMULATORS_CACHE_DIR")
    return Path(base) if base else Path.home() / ".cache" / "vendor-emulators"


def parse_yaml(data: bytes | str, source: str = "<string>") -> Any:
    import yaml  # only on a cache miss: start-up with a warm cache never imports PyYAML

    try:
        return yaml.load(data, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{source}:{mark.line + 1}" if mark is not None else source
        raise DataFileError(f"{where}: not valid YAML: {exc.problem or exc.context or 'syntax error'}") from None
    except yaml.YAMLError as exc:
        raise DataFileError(f"{source}: not valid YAML: {str(exc).splitlines()[0]}") from None


def read_bytes(path: str | Path) -> bytes:
    p = Path(path)
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise DataFileError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise DataFileError(f"{p}: is a directory, not a file") from None
    except OSError as exc:
        raise DataFileError(f"{p}: cannot read ({exc.strerror or exc})") from None


def _json_exact(doc: Any) -> str | None:
    """The JSON text of `doc` when orjson reads it back identical, else None (not cacheable). Identical in
    type too: orjson reads 2**70 as a float that compares equal, so what it reads must also write back the
    same text."""
    try:
        text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return None
    back = orjson.loads(text)
    if back != doc or json.dumps(back, separators=(",", ":"), ensure_ascii=False) != text:
        return None
    return text


def load_yaml(path: str | Path, derive: Callable[[Any], Any] | None = None, tag: str = "") -> Any:
    """The parsed file (or `derive(parsed)`, cached under `tag`: e.g. a contract with its $refs resolved)."""
    raw = read_bytes(path)
    source = str(path)
    if os.environ.get("EMULATORS_NO_CACHE"):
        doc = parse_yaml(raw, source)
        return derive(doc) if derive is not None else doc
    key = hashlib.sha256(raw + f"|{sys.version}|{__version__}|{CACHE_VERSION}|{tag}".encode()).hexdigest()
    cached = _cache_dir() / f"{key}.json"
    try:
        with open(cached, "rb") as fh:
            return orjson.loads(fh.read())
    except (OSError, ValueError):
        pass
    doc = parse_yaml(raw, source)
    if derive is not None:
        doc = derive(doc)
    text = _json_exact(doc)
    if text is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, cached)
        except OSError:
            pass
    return doc
