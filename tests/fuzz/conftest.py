"""Fixtures for the model-driven fuzz: one local AWS per mode, raw clients, a failure report."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simlab.aws import LocalAWS


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skips the thorough fuzz unless the run selects it by marker (``-m fuzz``)."""
    if "fuzz" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="the thorough fuzz runs with -m fuzz (make test-heavy)")
    for item in items:
        if item.get_closest_marker("fuzz") is not None:
            item.add_marker(skip)


@pytest.fixture(scope="module", params=["inprocess", "server"])
def fuzz_aws(request: pytest.FixtureRequest) -> Iterator[LocalAWS]:
    """A local AWS in each mode, shared by a module's fuzz runs (reset between services)."""
    with LocalAWS(request.param) as local:
        yield local
