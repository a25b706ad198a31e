"""Fixtures shared by the local-AWS tests: clients and a ready Pinpoint project.

A test module that needs a client set up differently defines a fixture of the same name, which
wins over these. Reading a refused call's error is `tests.aws.errors`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from examples import campaign_and_journey as example
from simlab.aws import LocalAWS


@pytest.fixture
def pinpoint(aws: LocalAWS) -> Any:
    """A Pinpoint client on the in-process local AWS."""
    return aws.client("pinpoint")


@pytest.fixture
def app_id(pinpoint: Any) -> str:
    """The id of a new, empty Pinpoint project named ``app``."""
    created = pinpoint.create_app(CreateApplicationRequest={"Name": "app"})
    return str(created["ApplicationResponse"]["Id"])


@pytest.fixture
def sns(aws: LocalAWS) -> Any:
    """An SNS client on the in-process local AWS."""
    return aws.client("sns")


@pytest.fixture
def shop(aws: LocalAWS) -> dict[str, Any]:
    """An app with channels, a stream to S3, 40 readers and 10 phones, a gold segment.

    Holds ``aws``, ``app`` (its id), ``segment`` (the gold segment's id) and the example's
    clients by service name.
    """
    clients = example.clients(aws.endpoint_url)
    app_id, segment_id = example.setup(clients, aws.endpoint_url)
    return {"aws": aws, "app": app_id, "segment": segment_id, **clients}


@pytest.fixture
def production() -> Callable[[LocalAWS], None]:
    """Sets up an SES account out of the sandbox with a generous quota, every outcome likely
    (bounces, complaints, delays, rejects, opens, clicks) and ``listed@example.com`` on the
    suppression list."""

    def setup(aws: LocalAWS) -> None:
        aws.ses.grant_production_access()
        aws.ses.set_production_quota(max_24_hour_send=-1, max_send_rate=1_000)
        aws.ses.set_deliverability(
            bounce=0.15, complaint=0.15, delivery_delay=0.15, reject=0.1, open=0.6, click=0.6
        )
        aws.client("sesv2").put_suppressed_destination(
            EmailAddress="listed@example.com", Reason="BOUNCE"
        )

    return setup
