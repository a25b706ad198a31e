"""simlab's faster dispatch inside moto answers which actions a response class has exactly as
moto does, and is gone once the last local AWS closes."""

from __future__ import annotations

import inspect

import moto.core.responses as moto_responses
import pytest
from moto.core.utils import method_names_from_class
from moto.moto_api._internal import mock_random
from moto.ses.responses import EmailResponse
from moto.sns.responses import SNSResponse

from simlab.aws import LocalAWS, routing
from simlab.aws.services.pinpoint.responses import PinpointResponse


@pytest.mark.parametrize("cls", [PinpointResponse, EmailResponse, SNSResponse])
def test_function_names_hold_exactly_the_functions_moto_lists(cls: type) -> None:
    names = routing.FunctionNames(cls)
    listed = set(method_names_from_class(cls))
    assert set(names) == listed
    for name in dir(cls):
        assert (name in names) == (name in listed), name
    assert "send_messages" not in routing.FunctionNames(SNSResponse)
    assert "no_such_action" not in names


def test_a_local_aws_routes_moto_through_the_view_and_gives_it_back_when_closed() -> None:
    with LocalAWS() as aws:
        assert moto_responses.method_names_from_class is not method_names_from_class
        topic = aws.client("sns").create_topic(Name="news")["TopicArn"]
        assert topic.endswith(":news")
    assert moto_responses.method_names_from_class is method_names_from_class
    assert inspect.isfunction(moto_responses.method_names_from_class)


@pytest.mark.parametrize(
    "body",
    [
        "<SendEmailResponse><RequestId>old</RequestId></SendEmailResponse>",
        '{"MessageResponse": {"RequestId": "kept"}}',
        '{"Body": "a message that quotes <RequestId>x</RequestId> in its text"}',
        b"<RequestId>bytes stay as they are</RequestId>",
        "",
    ],
)
def test_enriched_answers_match_moto_with_the_same_request_id(body: str | bytes) -> None:
    moto_enrich = routing._original_enrich or moto_responses.BaseResponse._enrich_response
    mock_random.seed(7)
    expected = moto_enrich({"status": 202}, body)
    mock_random.seed(7)
    assert routing.enrich_response({"status": 202}, body) == expected
    assert expected[0]["status"] == "202" and len(expected[0]["x-amzn-requestid"]) == 52


def test_a_local_aws_gives_moto_its_own_enrich_back_when_closed() -> None:
    original = moto_responses.BaseResponse.__dict__["_enrich_response"]
    with LocalAWS():
        assert moto_responses.BaseResponse.__dict__["_enrich_response"] is not original
    assert moto_responses.BaseResponse.__dict__["_enrich_response"] is original


def test_pinpoint_routes_each_request_line_to_its_own_operation_and_app(aws: LocalAWS) -> None:
    pinpoint = aws.client("pinpoint")
    ids = [
        pinpoint.create_app(CreateApplicationRequest={"Name": name})["ApplicationResponse"]["Id"]
        for name in ("first", "second")
    ]
    for _ in range(2):  # the second round answers from the routes already found
        names = [pinpoint.get_app(ApplicationId=i)["ApplicationResponse"]["Name"] for i in ids]
        assert names == ["first", "second"]
        settings = pinpoint.get_application_settings(ApplicationId=ids[1])
        assert settings["ApplicationSettingsResource"]["ApplicationId"] == ids[1]
