"""What every notebook's code may import, and how notebook 03 stays short."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
ALL = sorted(NOTEBOOKS.glob("*.ipynb")) + sorted(NOTEBOOKS.glob("*/*.ipynb"))


def code_of(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


@pytest.mark.parametrize("path", ALL, ids=[p.name for p in ALL])
def test_no_notebook_imports_the_emulators_internals(path):
    assert not any("simlab.aws.services" in source for source in code_of(path))


def test_notebook_03_has_under_200_code_lines_and_no_helper_functions():
    [path] = NOTEBOOKS.glob("03-*/03-*.ipynb")
    lines = [line for source in code_of(path) for line in source.splitlines()]
    assert len(lines) < 200
    assert not [line for line in lines if line.lstrip().startswith(("def ", "class "))]
