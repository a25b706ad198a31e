"""Fixtures for the model-driven fuzz: one local AWS per mode, raw clients, a failure report."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simlab.aws import LocalAWS

#: The services fuzzed, by botocore client name.
SERVICES = ("pinpoint", "pinpoint-sms-voice-v2", "sesv2", "ses", "sns")


@pytest.fixture(scope="module", params=["inprocess", "server"])
def fuzz_aws(request: pytest.FixtureRequest) -> Iterator[LocalAWS]:
    """A local AWS in each mode, shared by a module's fuzz runs (reset between services)."""
    with LocalAWS(request.param) as local:
        yield local
