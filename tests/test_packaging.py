"""The install files agree: environment.yml mirrors pyproject.toml; the README's commands exist."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    return {*project["dependencies"], *(d for group in extras.values() for d in group)}


def conda_pip_lines() -> set[str]:
    lines = (ROOT / "environment.yml").read_text().splitlines()
    return {m.group(1) for line in lines if (m := re.match(r"\s+- (\S.*)$", line))}


def test_environment_yml_lists_exactly_what_pyproject_declares():
    listed = conda_pip_lines() - {"conda-forge", "python>=3.11", "pip", "pip:", "-e ."}
    assert listed == declared()


def test_readme_shows_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    assert "make lab" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci/run").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^lab: ", makefile, re.M) and re.search(r"^test: ", makefile, re.M)
