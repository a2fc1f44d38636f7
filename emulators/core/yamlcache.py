"""YAML loading with a parse cache: the C loader still spends most of start-up building Python objects,
so the parsed document is kept as a pickle keyed by the file's SHA-256 (and the Python version) in
$EMULATORS_CACHE_DIR or ~/.cache/vendor-emulators. Same objects as a fresh parse; a changed file is a new key;
an unwritable cache is simply skipped."""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _cache_dir() -> Path:
    base = os.environ.get("EMULATORS_CACHE_DIR")
    return Path(base) if base else Path.home() / ".cache" / "vendor-emulators"


def parse_yaml(data: bytes) -> Any:
    import yaml  # only on a cache miss: start-up with a warm cache never imports PyYAML

    return yaml.load(data, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def load_yaml(path: str | Path, derive: Callable[[Any], Any] | None = None, tag: str = "") -> Any:
    """The parsed file (or `derive(parsed)`, cached under `tag`: e.g. a contract with its $refs resolved)."""
    raw = Path(path).read_bytes()
    if os.environ.get("EMULATORS_NO_CACHE"):
        doc = parse_yaml(raw)
        return derive(doc) if derive is not None else doc
    key = hashlib.sha256(raw + sys.version.encode() + tag.encode()).hexdigest()
    cached = _cache_dir() / f"{key}.pickle"
    try:
        with open(cached, "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass
    doc = parse_yaml(raw)
    if derive is not None:
        doc = derive(doc)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(doc, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cached)
    except OSError:
        pass
    return doc
