"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simlab.aws import LocalAWS


@pytest.fixture
def aws() -> Iterator[LocalAWS]:
    """A fresh in-process local AWS."""
    with LocalAWS() as local:
        yield local


@pytest.fixture
def server_aws() -> Iterator[LocalAWS]:
    """A fresh local AWS served over HTTP on 127.0.0.1."""
    with LocalAWS("server") as local:
        yield local
