"""The import contract (tests/contract/layering.py, run by `make lint`) holds on the tree, and refuses a
bad example of each rule: an upward import, a circle, an API reaching past the kernel's face or into
another API, wherever the import stands (module level, inside a function, under TYPE_CHECKING)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.contract import layering

CORE_INIT = '_FACE = {"errors": ("NotFound",)}\n__all__ = ["NotFound"]\n'
TYPE_CHECKING_UP = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import emulators\n"
REGISTRY = 'APIS: dict[str, tuple[str, int]] = {"alpha": ("emulators.alpha", 1), "beta": ("emulators.beta", 2)}\n'


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    base = {
        "emulators/__init__.py": "",
        "emulators/registry.py": REGISTRY,
        "emulators/core/__init__.py": CORE_INIT,
        "emulators/core/errors.py": "class NotFound(Exception): ...\n",
        "emulators/core/pipeline.py": "from .errors import NotFound\n",
        "emulators/alpha/__init__.py": "from emulators.core.errors import NotFound\n",
        "emulators/beta/__init__.py": "from ..core import NotFound\n",
        "emulators/ui/__init__.py": "from ..core import pipeline\n",
        "emulators/testing/harness.py": "from ..core import pipeline\n",
        "emulators/testing/live.py": "from .harness import Emulator\n",
        "emulators/recording/portable.py": "from ..scenarios import matching\n",
        "emulators/scenarios/matching.py": "",
        "emulators/scenarios/runner.py": "from ..testing.harness import Emulator\n",  # the one allowed upward
    }
    for name, text in {**base, **files}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_layering_tree_keeps_the_contract() -> None:
    assert layering.breaches() == []


def test_layering_good_example_passes(tmp_path: Path) -> None:
    assert layering.breaches(_tree(tmp_path, {})) == []


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"emulators/core/pipeline.py": "def f() -> None:\n    from ..ui import x\n"},
            "emulators.core.pipeline (line 2) imports emulators.ui: the kernel imports nothing above it",
        ),
        (
            {"emulators/core/pipeline.py": TYPE_CHECKING_UP},
            "emulators.core.pipeline (line 3) imports emulators: the kernel imports nothing above it",
        ),
        (
            {"emulators/alpha/__init__.py": "from emulators.core.pipeline import run\n"},
            "emulators.alpha (line 1) imports emulators.core.pipeline: run is not in emulators.core.__all__ (from -)",
        ),
        (
            {"emulators/alpha/__init__.py": "from emulators.core import pipeline\n"},
            "emulators.alpha (line 1) imports emulators.core.pipeline: an API package takes names from the "
            "kernel's public face, not a module",
        ),
        (
            {"emulators/alpha/__init__.py": "def f() -> None:\n    from emulators.beta import x\n"},
            "emulators.alpha (line 2) imports emulators.beta: an API package imports no other API package",
        ),
        (
            {"emulators/recording/proxy.py": "def f() -> None:\n    from ..testing.harness import resolve_spec\n"},
            "emulators.recording.proxy (line 2) imports emulators.testing.harness: emulators.recording imports "
            "nothing of emulators.testing, a package above it",
        ),
        (
            {"emulators/scenarios/matching.py": "from emulators.recording import portable\n"},
            "emulators.scenarios.matching (line 1) imports emulators.recording.portable: emulators.scenarios "
            "imports nothing of emulators.recording, a package above it",
        ),
        (
            {"emulators/scenarios/checks.py": "from ..testing.live import unique_namespace\n"},
            "emulators.scenarios.checks (line 1) imports emulators.testing.live: emulators.scenarios imports "
            "nothing of emulators.testing, a package above it",
        ),
        (
            {"emulators/core/errors.py": "def f() -> None:\n    from . import pipeline\n"},
            "circle: emulators.core.errors -> emulators.core.pipeline -> emulators.core.errors",
        ),
    ],
)
def test_layering_bad_example_is_refused(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    assert expected in layering.breaches(_tree(tmp_path, files))


def test_layering_command_fails_on_an_upward_import(tmp_path: Path) -> None:
    """What `make lint` runs: exit 1 and one line naming the breach."""
    root = _tree(tmp_path, {"emulators/core/errors.py": "import emulators.alpha\n"})
    done = subprocess.run(
        [sys.executable, "-m", "tests.contract.layering", str(root)],
        capture_output=True,
        text=True,
        cwd=layering.ROOT,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "emulators.core.errors (line 1) imports emulators.alpha: the kernel imports nothing above it",
        "circle: emulators.alpha -> emulators.core.errors -> emulators.alpha",
    ]
