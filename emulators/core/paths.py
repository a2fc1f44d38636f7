"""Where contracts and fixtures live: the source checkout, or the wheel's bundled copy."""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent.parent  # emulators/


def data_root() -> Path:
    repo = _PKG.parent
    if (repo / "contracts").is_dir():
        return repo
    return _PKG / "_data"


def contract_path(api: str) -> Path:
    return data_root() / "contracts" / api / "openapi.yaml"


def fixtures_path(api: str) -> Path:
    return data_root() / "fixtures" / api / "default.yaml"
