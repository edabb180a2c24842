"""The package's layers only look down: a module imports its own subpackage or a lower layer, never a higher one.

So the data layer stays usable without torch models, loading a checkpoint never needs the training code,
and a contributor knows where a new module may reach.
"""

from __future__ import annotations

import ast
from pathlib import Path

import interx

PACKAGE = Path(interx.__file__).resolve().parent
# lowest first; names on one layer may not import each other
LAYERS = [
    {"errors", "progress"},
    {"data"},
    {"body"},
    {"prepare", "synth", "viz"},
    {"fit"},
    {"models"},
    {"eval"},
    {"train"},
    {"hhi"},
    {"bench"},
    {"demo"},
    {"cli", "__init__"},
    {"__main__"},
]
LEVEL = {name: level for level, names in enumerate(LAYERS) for name in names}


def top_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def interx_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        modules = [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        names |= {m.split(".")[1] for m in modules if m.startswith("interx.")}
    return names


def test_every_module_belongs_to_a_layer():
    tops = {top_name(p) for p in PACKAGE.rglob("*.py")}
    assert tops <= LEVEL.keys(), f"put {sorted(tops - LEVEL.keys())} on a layer in tests/test_layers.py"


def test_no_module_imports_a_higher_layer_or_a_sibling():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        own = top_name(path)
        for imported in interx_imports(path) - {own}:
            if LEVEL.get(imported, -1) >= LEVEL[own]:
                wrong.append(f"{path.relative_to(PACKAGE)} imports interx.{imported}")
    assert not wrong, "\n".join(wrong)
