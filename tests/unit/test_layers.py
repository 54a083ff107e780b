"""The import rule of the layout (README, "Layout"): a module imports only its own layer and the layers
below it; siblings on one floor stay independent. Read from the code's own imports (AST), no import run."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# floors, lowest first; each floor holds independent rooms (module prefixes)
FLOORS: list[list[str]] = [
    ["vocab"],
    ["loaders", "kg.settings", "kg.queries"],
    ["kg.store"],
    ["kg.gate", "kg.reasoning", "kg.sparql", "kg.auth"],
    ["kg.services"],
    ["api"],
    ["cli"],
    ["bench"],
]
PACKAGES = ("vocab", "loaders", "kg", "api", "cli", "bench")


def room(module: str) -> tuple[int, str] | None:
    """(floor, room) of a project module: the longest room prefix it falls under."""
    best = None
    for floor, rooms in enumerate(FLOORS):
        for r in rooms:
            if (module == r or module.startswith(r + ".")) and (best is None or len(r) > len(best[1])):
                best = (floor, r)
    return best


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.AST, here: str) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this package
                pkg = here.split(".")[: -node.level] if not here.endswith("__init__") else here.split(".")
                base = ".".join([*pkg, base] if base else pkg)
            out.append((node.lineno, base))
            out += [(node.lineno, f"{base}.{a.name}") for a in node.names if room(f"{base}.{a.name}")]
    return out


def violations(root: Path) -> list[str]:
    """One line per offending import statement."""
    found: dict[str, str] = {}
    for pkg in PACKAGES:
        for path in sorted((root / pkg).rglob("*.py")) if (root / pkg).is_dir() else []:
            here = module_name(path, root)
            if here in PACKAGES:  # a top package's own face (kg/__init__.py) is no room
                continue
            mine = room(here)
            if mine is None:
                found[str(path)] = f"{path.relative_to(root)}: in no layer of the rule"
                continue
            for line, target in imported(ast.parse(path.read_text(encoding="utf-8")), here):
                if target.split(".")[0] not in PACKAGES:
                    continue
                theirs = room(target)
                if theirs is None:
                    if target not in PACKAGES:  # `import kg` alone names no room
                        where = f"{path.relative_to(root)}:{line}"
                        found.setdefault(f"{path}:{line}", f"{where}: imports {target}, in no layer")
                    continue
                if theirs[0] > mine[0] or (theirs[0] == mine[0] and theirs[1] != mine[1]):
                    where = f"{path.relative_to(root)}:{line}"
                    found.setdefault(f"{path}:{line}", f"{where}: {mine[1]} imports {target} ({theirs[1]})")
    return sorted(found.values())


def test_no_import_runs_up_the_layers():
    assert violations(ROOT) == []


def test_the_rule_catches_an_import_up_and_one_across(tmp_path: Path):
    (tmp_path / "vocab").mkdir()
    (tmp_path / "vocab" / "__init__.py").write_text("")
    (tmp_path / "vocab" / "words.py").write_text("from kg.store import Store\n")  # up: vocab is the base
    (tmp_path / "kg" / "gate").mkdir(parents=True)
    (tmp_path / "kg" / "gate" / "__init__.py").write_text("from kg.reasoning import materialise\n")  # across
    (tmp_path / "kg" / "services").mkdir(parents=True)
    (tmp_path / "kg" / "services" / "ok.py").write_text("from kg.gate import commit\nfrom vocab import words\n")
    found = violations(tmp_path)
    assert len(found) == 2
    assert any("vocab/words.py:1" in f for f in found) and any("kg/gate/__init__.py:1" in f for f in found)
