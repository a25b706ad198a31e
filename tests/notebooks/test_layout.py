"""What every notebook's code may import, and how notebook 03 stays short."""

from __future__ import annotations

import ast
import importlib
import json
from pathlib import Path

import pytest

import simlab

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
ALL = sorted(NOTEBOOKS.glob("*.ipynb")) + sorted(NOTEBOOKS.glob("*/*.ipynb"))
PAGES = ALL + sorted((ROOT / "workshop").glob("*.ipynb"))


def code_of(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


@pytest.mark.parametrize("path", ALL, ids=[p.name for p in ALL])
def test_no_notebook_imports_the_emulators_internals(path):
    assert not any("simlab.aws.services" in source for source in code_of(path))


def simlab_imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) for each name a notebook's code imports from simlab; ("", module) for a bare
    ``import simlab...``. IPython magics and shell lines are left out."""
    found: list[tuple[str, str]] = []
    for source in code_of(path):
        python = "\n".join(line for line in source.splitlines() if not line.startswith(("%", "!")))
        for node in ast.walk(ast.parse(python)):
            if isinstance(node, ast.ImportFrom) and str(node.module).startswith("simlab"):
                found.extend((str(node.module), alias.name) for alias in node.names)
            elif isinstance(node, ast.Import):
                found.extend(("", a.name) for a in node.names if a.name.startswith("simlab"))
    return found


def is_public(module: str, name: str) -> bool:
    """Whether ``from module import name`` takes a name a public module of simlab lists."""
    if module == "simlab":
        return name in simlab.PUBLIC
    if module.removeprefix("simlab.") not in simlab.PUBLIC:
        return False
    return name in importlib.import_module(module).__all__


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_a_notebook_imports_only_names_the_public_modules_list(path):
    imports = simlab_imports(path)
    assert imports, "every notebook uses simlab"
    assert [(module, name) for module, name in imports if not is_public(module, name)] == []


def test_a_deep_import_is_refused():
    assert not is_public("simlab.aws.local", "LocalAWS")
    assert not is_public("simlab.engage.population", "generate")
    assert not is_public("simlab.widgets", "ScalePanel")
    assert is_public("simlab.widgets", "build_scale_panel")


def test_notebook_03_has_under_200_code_lines_and_no_helper_functions():
    [path] = NOTEBOOKS.glob("03-*/03-*.ipynb")
    lines = [line for source in code_of(path) for line in source.splitlines()]
    assert len(lines) < 200
    assert not [line for line in lines if line.lstrip().startswith(("def ", "class "))]
