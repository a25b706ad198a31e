"""Runs shared by the comparison tests: each approach meets the need once per session."""

from __future__ import annotations

import pytest

from simlab.compare import APPROACHES, Run, customers, measure_run, run


@pytest.fixture(scope="session")
def people():
    """The ci-sized audience every approach serves."""
    return customers(12, seed=3)


@pytest.fixture(scope="session")
def runs(people) -> dict[str, Run]:
    """One in-process run per approach, on the same customers."""
    return {name: run(name, people, seed=3) for name in APPROACHES}


@pytest.fixture(scope="session")
def measurements(runs):
    """Each run, measured."""
    return {name: measure_run(result, sim_seed=3) for name, result in runs.items()}
