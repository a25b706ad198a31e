"""Generated requests never crash the Pinpoint API: every answer is a success or a modeled 4xx."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError
from botocore.model import Shape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto.core.utils import camelcase_to_underscores

from simlab.aws import LocalAWS
from simlab.aws.services.pinpoint.coverage import measure
from simlab.aws.services.pinpoint.responses import service_model

#: The operations this issue serves (apps, settings, channels, endpoints, segments, jobs, sends,
#: events); templates, OTP, campaigns and journeys are fuzzed by their own tests.
CHANNEL_KINDS = (
    "Adm",
    "Apns",
    "ApnsSandbox",
    "ApnsVoip",
    "ApnsVoipSandbox",
    "Baidu",
    "Email",
    "Gcm",
    "Sms",
    "Voice",
)
MINE = {
    "CreateApp",
    "GetApp",
    "GetApps",
    "GetApplicationSettings",
    "UpdateApplicationSettings",
    "UpdateEndpoint",
    "UpdateEndpointsBatch",
    "GetEndpoint",
    "DeleteEndpoint",
    "GetUserEndpoints",
    "DeleteUserEndpoints",
    "RemoveAttributes",
    "CreateSegment",
    "GetSegment",
    "UpdateSegment",
    "DeleteSegment",
    "GetSegments",
    "GetSegmentVersion",
    "GetSegmentVersions",
    "CreateImportJob",
    "GetImportJob",
    "GetImportJobs",
    "CreateExportJob",
    "GetExportJob",
    "GetExportJobs",
    "GetSegmentImportJobs",
    "GetSegmentExportJobs",
    "SendMessages",
    "SendUsersMessages",
    "PutEvents",
    "GetChannels",
    "PutEventStream",
    "GetEventStream",
    "DeleteEventStream",
    *(f"{verb}{kind}Channel" for verb in ("Get", "Update", "Delete") for kind in CHANNEL_KINDS),
}
OPERATIONS = sorted(MINE)
WORDS = st.sampled_from(
    [
        "",
        "x",
        "e1",
        "ana",
        "+12065550100",
        "a@example.com",
        "2026-01-05T09:00:00Z",
        "ALL",
        "../",
        "ø",
    ]
)


def values(shape: Shape, app_id: str, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values that pass botocore's client-side validation for ``shape``."""
    kind = shape.type_name
    if kind == "structure":
        if depth > 4:
            return st.just({})
        members = shape.members
        required = {n: values(members[n], app_id, depth + 1) for n in shape.required_members}
        optional = {
            n: values(s, app_id, depth + 1)
            for n, s in members.items()
            if n not in shape.required_members
        }
        return st.fixed_dictionaries(required, optional=optional)
    if kind == "list":
        return st.lists(values(shape.member, app_id, depth + 1), max_size=2 if depth < 3 else 0)
    if kind == "map":
        return st.dictionaries(
            WORDS, values(shape.value, app_id, depth + 1), max_size=2 if depth < 3 else 0
        )
    if kind == "string":
        choices = [WORDS, st.text(max_size=8)]
        if shape.enum:
            choices.append(st.sampled_from(shape.enum))
        if shape.name.endswith("Id") or "ApplicationId" in shape.name:
            choices.append(st.just(app_id))
        return st.one_of(*choices)
    if kind == "integer":
        return st.integers(-5, 200)
    if kind in ("double", "float"):
        return st.floats(-200, 200, allow_nan=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return st.datetimes()
    return st.just(None)


@pytest.fixture(scope="module")
def local() -> Iterator[tuple[Any, str]]:
    with LocalAWS() as aws:
        pinpoint = aws.client("pinpoint")
        app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "fuzz"})[
            "ApplicationResponse"
        ]["Id"]
        yield pinpoint, app_id


@pytest.mark.parametrize("operation", OPERATIONS)
def test_generated_requests_get_an_answer_not_a_crash(
    local: tuple[Any, str], operation: str
) -> None:
    pinpoint, app_id = local
    model = service_model().operation_model(operation)
    call = getattr(pinpoint, camelcase_to_underscores(operation))

    @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(values(model.input_shape, app_id) if model.input_shape else st.just({}))
    def attempt(request: dict[str, Any]) -> None:
        for name in model.input_shape.required_members if model.input_shape else ():
            member = model.input_shape.members[name]
            if member.serialization.get("location") == "uri" and not request.get(name):
                request[name] = app_id
        try:
            call(**request)
        except ParamValidationError:
            return  # botocore refused it before sending; nothing reached the local AWS
        except ClientError as error:
            status = error.response["ResponseMetadata"]["HTTPStatusCode"]
            assert 400 <= status < 500, (operation, request, error.response["Error"])
            assert error.response["Error"]["Message"], (operation, request)

    attempt()


def test_every_operation_of_this_issue_is_served() -> None:
    assert measure().served >= MINE
