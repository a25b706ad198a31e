"""The shape of the code base: what may import what."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import simlab

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports by absolute name."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_no_test_module_imports_another_test_module_or_a_conftest():
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name
            for name in imported_modules(path)
            if name.startswith("tests.")
            and name.rsplit(".", 1)[-1].startswith(("test_", "conftest"))
        )
        for path in (ROOT / "tests").rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


@pytest.mark.parametrize(
    ("package", "allowed"),
    [
        ("primitives", {"simlab.facts", "simlab.primitives"}),
        ("facts", {"simlab.facts"}),
    ],
)
def test_the_bottom_layers_import_nothing_above_them(package, allowed):
    above = {
        str(path.relative_to(ROOT)): sorted(
            name
            for name in imported_modules(path)
            if name.startswith("simlab.") and not name.startswith(tuple(allowed))
        )
        for path in (ROOT / "simlab" / package).rglob("*.py")
    }
    assert {path: names for path, names in above.items() if names} == {}


PUBLIC = [f"simlab.{name}" for name in simlab.PUBLIC]
PACKAGES = [name for name in PUBLIC if (ROOT / name.replace(".", "/") / "__init__.py").exists()]


def ours(module: str | None) -> bool:
    return module is not None and module.startswith("simlab.")


def own_public_names(path: Path) -> set[str]:
    """The public names a module binds at its top level, leaving out imports from outside simlab."""
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and (node.level or ours(node.module)):
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return {name for name in names if not name.startswith("_")}


@pytest.mark.parametrize("module", PUBLIC)
def test_a_public_module_exports_exactly_what_its_all_lists(module):
    found = importlib.import_module(module)
    assert sorted(found.__all__) == sorted(set(found.__all__))
    assert [name for name in found.__all__ if not hasattr(found, name)] == []


@pytest.mark.parametrize("package", PACKAGES)
def test_a_curated_package_lists_every_name_it_hands_on(package):
    path = ROOT / package.replace(".", "/") / "__init__.py"
    assert own_public_names(path) == set(importlib.import_module(package).__all__)


def test_the_local_aws_package_holds_the_emulator_alone():
    learner_side = {"read", "sinks", "sms_sends", "event_charts", "engine"}
    assert {p.stem for p in (ROOT / "simlab" / "aws").glob("*.py")} & learner_side == set()


def test_the_toolkit_works_over_any_client_and_never_imports_the_emulator():
    emulator = {
        str(path.relative_to(ROOT)): sorted(
            name for name in imported_modules(path) if name.startswith(("simlab.aws", "moto"))
        )
        for path in (ROOT / "simlab" / "toolkit").rglob("*.py")
    }
    assert {path: names for path, names in emulator.items() if names} == {}


def test_only_the_presentation_layer_draws():
    presentation = (ROOT / "simlab" / "plotting.py", ROOT / "simlab" / "widgets")
    drawing = [
        path
        for path in (ROOT / "simlab").rglob("*.py")
        if any(name.split(".")[0] == "matplotlib" for name in imported_modules(path))
    ]
    assert [p for p in drawing if not any(p == d or d in p.parents for d in presentation)] == []


def test_sim_exports_its_three_verbs():
    from simlab import sim

    assert {"simulate", "compare", "sweep"} <= set(sim.__all__)
    assert sim.sweep.__module__ == "simlab.sim.sweep"
