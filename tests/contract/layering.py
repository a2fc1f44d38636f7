"""The import contract of emulators/, read from the source (no import is run): `make lint` runs it.

Every import counts: at module level, inside functions, and under `if TYPE_CHECKING:`.

- the kernel (emulators/core) imports nothing of emulators/ outside it;
- an API package (each one in emulators/registry.py's APIS) takes from the kernel only the names of
  `emulators.core.__all__` (from `emulators.core` or from the module that defines them);
- no API package imports another;
- the packages above the kernel keep their order, from the top: testing (the pytest plugin and harness),
  ui (the dashboard), recording, scenarios; none imports one above it, save the pairs in UPWARD_ALLOWED;
- no circle anywhere in emulators/.

`python -m tests.contract.layering [ROOT]` prints one line per breach and exits 1 when there is any.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# the top-level packages above the kernel, from the top down
LAYERS = ("emulators.testing", "emulators.ui", "emulators.recording", "emulators.scenarios")
# (importing module, imported package) that may run upward, and why
UPWARD_ALLOWED = {
    ("emulators.scenarios.runner", "emulators.testing"): "the runner's in-process mode drives the harness's "
    "Emulator over an app of the composition root (build_app), which sits above recording and scenarios",
}


@dataclass(frozen=True)
class Edge:
    source: str  # dotted module that imports
    target: str  # dotted module of this tree that is imported
    names: tuple[str, ...]  # names taken by `from target import ...` (empty for `import target`)
    line: int


def modules(root: Path, package: str = "emulators") -> dict[str, Path]:
    """Dotted name -> file, for every .py under root/package."""
    found: dict[str, Path] = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _absolute(module: str, path: Path, level: int, name: str | None) -> str:
    if level == 0:
        return name or ""
    base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, name] if name else base)


def edges(root: Path, package: str = "emulators") -> Iterator[Edge]:
    """Every import of a module of this tree, wherever it stands in the file."""
    known = modules(root, package)
    for module, path in known.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    target = _longest_known(alias.name, known)
                    if target:
                        yield Edge(module, target, (), node.lineno)
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(module, path, node.level, node.module)
                plain: list[str] = []
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    if sub in known:  # `from . import handlers`: the submodule itself
                        yield Edge(module, sub, (), node.lineno)
                    else:
                        plain.append(alias.name)
                target = _longest_known(base, known)
                if plain and target:
                    yield Edge(module, target, tuple(plain), node.lineno)


def _longest_known(name: str, known: dict[str, Path]) -> str | None:
    parts = name.split(".")
    while parts:
        if ".".join(parts) in known:
            return ".".join(parts)
        parts.pop()
    return None


def api_packages(root: Path) -> list[str]:
    """The packages of registry.py's APIS (read from its source)."""
    tree = ast.parse((root / "emulators" / "registry.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "APIS":
            assert isinstance(node.value, ast.Dict)
            return [ast.literal_eval(v)[0] for v in node.value.values if v is not None]
    raise AssertionError("emulators/registry.py holds no APIS")


def public_face(root: Path) -> dict[str, str]:
    """Name -> the kernel module that defines it, from emulators/core/__init__.py's `_FACE` and `__all__`."""
    tree = ast.parse((root / "emulators" / "core" / "__init__.py").read_text(encoding="utf-8"))
    face: dict[str, str] = {}
    names: list[str] = []
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        value = getattr(node, "value", None)
        if isinstance(target, ast.Name) and value is not None:
            if target.id == "_FACE":
                for module, listed in ast.literal_eval(value).items():
                    face.update({n: f"emulators.core.{module}" for n in listed})
            elif target.id == "__all__":
                names = list(ast.literal_eval(value))
    assert sorted(names) == sorted(face), "emulators.core.__all__ must list exactly the names of _FACE"
    return face


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def breaches(root: Path = ROOT) -> list[str]:
    all_edges = list(edges(root))
    apis = api_packages(root)
    face = public_face(root)
    out: list[str] = []
    for e in all_edges:
        where = f"{e.source} (line {e.line}) imports {e.target}"
        if _within(e.source, "emulators.core") and not _within(e.target, "emulators.core"):
            out.append(f"{where}: the kernel imports nothing above it")
        api = next((a for a in apis if _within(e.source, a)), None)
        if api is None:
            continue
        other = next((a for a in apis if a != api and _within(e.target, a)), None)
        if other is not None:
            out.append(f"{where}: an API package imports no other API package")
        if _within(e.target, "emulators.core"):
            if not e.names:
                out.append(f"{where}: an API package takes names from the kernel's public face, not a module")
            for name in e.names:
                if name not in face or e.target not in ("emulators.core", face[name]):
                    out.append(f"{where}: {name} is not in emulators.core.__all__ (from {face.get(name, '-')})")
    out.extend(upward(all_edges))
    out.extend(f"circle: {' -> '.join(c)}" for c in circles(all_edges))
    return out


def _layer(module: str) -> int | None:
    return next((n for n, package in enumerate(LAYERS) if _within(module, package)), None)


def upward(all_edges: list[Edge]) -> list[str]:
    """Imports from a package of LAYERS to one above it, but for UPWARD_ALLOWED."""
    out: list[str] = []
    for e in all_edges:
        low, high = _layer(e.source), _layer(e.target)
        if low is None or high is None or high >= low:
            continue
        if (e.source, LAYERS[high]) in UPWARD_ALLOWED:
            continue
        out.append(
            f"{e.source} (line {e.line}) imports {e.target}: {LAYERS[low]} imports nothing of {LAYERS[high]}, "
            "a package above it"
        )
    return out


def circles(all_edges: list[Edge]) -> list[list[str]]:
    """One loop per strongly connected group of modules (Tarjan), each as the path that closes it."""
    graph: dict[str, set[str]] = {}
    for e in all_edges:
        if e.source != e.target:
            graph.setdefault(e.source, set()).add(e.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [_loop(g, graph) for g in groups]


def _loop(group: list[str], graph: dict[str, set[str]]) -> list[str]:
    """A path start -> ... -> start inside the group (breadth first), for a readable message."""
    start, members = group[0], set(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph.get(v, ())):
            if w == start:
                return [*paths[v], start]
            if w in members and w not in paths:
                paths[w] = [*paths[v], w]
                queue.append(w)
    return group


def main(argv: list[str]) -> int:
    found = breaches(Path(argv[0]) if argv else ROOT)
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
