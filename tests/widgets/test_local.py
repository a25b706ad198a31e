"""Panels outlive the local AWS they read: they say what to re-run and never reach real AWS."""

from __future__ import annotations

import pytest

from simlab.aws import LocalAWS, segment_counter
from simlab.widgets.local import RESTARTED, STOPPED, LocalWatch, local_aws_open
from simlab.widgets.segments import build_segment_panel
from simlab.widgets.templates import build_template_preview_panel
from tests.widgets.welcome_app import setup


@pytest.fixture
def calls(monkeypatch) -> list[str]:
    """Every operation any boto3 client makes from now on (none should, once AWS is stopped)."""
    from botocore.client import BaseClient

    made: list[str] = []
    original = BaseClient._make_api_call

    def record(self, operation, params):
        made.append(operation)
        return original(self, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", record)
    return made


def test_the_template_previewer_says_what_to_rerun_once_aws_stop_ran(aws, calls):
    pinpoint, app_id = setup(aws)
    panel = build_template_preview_panel(pinpoint, app_id, [("welcome", "EMAIL")], ["ana", "guest"])
    assert panel.output.value.startswith("<p><b>welcome version 1</b>")
    aws.stop()  # the notebook's last cell
    calls.clear()
    panel.endpoint.value = "guest"
    assert calls == []  # nothing left for pinpoint.us-east-1.amazonaws.com
    assert "has been stopped (a later cell ran aws.stop())" in panel.output.value
    assert "Run All Above Selected Cell" in panel.output.value


def test_the_segment_counter_says_what_to_rerun_once_aws_stop_ran(aws):
    app_id = aws.client("pinpoint").create_app(CreateApplicationRequest={"Name": "a"})[
        "ApplicationResponse"
    ]["Id"]
    panel = build_segment_panel(segment_counter(app_id))
    assert panel.result.value == "<p><b>0 of 0 endpoints</b></p>"
    aws.stop()
    panel.platform.value = "ios"
    assert "Application not found" not in panel.result.value
    assert "has been stopped" in panel.result.value


def test_a_panel_built_on_a_replaced_local_aws_says_so(aws):
    watch = LocalWatch()
    assert watch.problem() is None
    aws.stop()
    assert not local_aws_open()
    assert watch.problem() == STOPPED
    with LocalAWS():
        assert watch.problem() == RESTARTED


def test_without_a_local_aws_the_watch_watches_nothing(aws):
    aws.stop()
    assert LocalWatch().problem() is None  # a client of real AWS, asked for by name
