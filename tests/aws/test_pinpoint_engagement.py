"""Each Pinpoint app owns its campaign and journey engines, in its account's Region backend."""

from __future__ import annotations

import pytest
from moto.backends import get_backend

from simlab.aws.services.pinpoint import PinpointEngineBackend, engines_for
from simlab.aws.services.pinpoint.models import Project
from simlab.aws.state import ACCOUNT_ID
from simlab.engage.faults import NotFound


def backend(region: str) -> PinpointEngineBackend:
    return get_backend("pinpoint")[ACCOUNT_ID][region]


def new_app(aws, name: str, region: str = "us-east-1") -> str:
    pinpoint = aws.client("pinpoint", region_name=region)
    return pinpoint.create_app(CreateApplicationRequest={"Name": name})["ApplicationResponse"]["Id"]


def test_the_app_owns_its_engines_built_once(aws):
    app_id = new_app(aws, "shop")
    engines = engines_for(app_id)
    assert engines_for(app_id) is engines
    assert backend("us-east-1").project(app_id).engagement is engines
    assert engines.campaigns.analytics is engines.journeys.analytics is engines.analytics


def test_apps_in_other_regions_have_engines_of_their_own(aws):
    east, west = new_app(aws, "east"), new_app(aws, "west", region="eu-west-1")
    assert engines_for(east) is not engines_for(west, region="eu-west-1")
    with pytest.raises(NotFound):
        engines_for(west)  # us-east-1 has no such app


def test_deleting_the_app_drops_its_engines(aws):
    app_id = new_app(aws, "gone")
    engines_for(app_id)
    aws.client("pinpoint").delete_app(ApplicationId=app_id)
    with pytest.raises(NotFound):
        engines_for(app_id)


def test_a_reset_drops_the_engines_with_the_backend(aws):
    app_id = new_app(aws, "before")
    old = engines_for(app_id)
    aws.reset()
    again = new_app(aws, "after")  # moto's seeded ids may give it the same id
    assert engines_for(again) is not old


def test_streaming_a_record_is_a_method_of_the_project_not_a_patch(aws):
    app_id = new_app(aws, "plain")
    engines_for(app_id)
    project = backend("us-east-1").project(app_id)
    assert "emit" not in vars(project) and "stream" not in vars(project)
    assert type(project).emit is Project.emit
