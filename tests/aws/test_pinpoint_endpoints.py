"""Pinpoint endpoints and users through boto3, with the documented rules."""

from __future__ import annotations

from typing import Any

from simlab.aws import LocalAWS
from tests.aws.errors import error_of


def test_update_endpoint_is_accepted_and_reads_back(pinpoint: Any, app_id: str) -> None:
    answer = pinpoint.update_endpoint(
        ApplicationId=app_id,
        EndpointId="ana-sms",
        EndpointRequest={
            "ChannelType": "SMS",
            "Address": "+84901234567",
            "Demographic": {"Timezone": "Asia/Ho_Chi_Minh"},
            "User": {"UserId": "ana"},
        },
    )
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert answer["MessageBody"]["Message"] == "Accepted"
    endpoint = pinpoint.get_endpoint(ApplicationId=app_id, EndpointId="ana-sms")["EndpointResponse"]
    assert endpoint["ApplicationId"] == app_id
    assert endpoint["Demographic"]["Timezone"] == "Asia/Ho_Chi_Minh"
    assert endpoint["User"]["UserId"] == "ana"


def test_a_batch_of_more_than_100_is_refused_and_nothing_is_stored(
    pinpoint: Any, app_id: str
) -> None:
    items = [
        {"Id": f"e{i}", "ChannelType": "EMAIL", "Address": f"u{i}@example.com"} for i in range(101)
    ]
    code, message = error_of(
        pinpoint.update_endpoints_batch, ApplicationId=app_id, EndpointBatchRequest={"Item": items}
    )
    assert code == "BadRequestException" and "at most 100" in message
    code, _ = error_of(pinpoint.get_endpoint, ApplicationId=app_id, EndpointId="e0")
    assert code == "NotFoundException"


def test_a_bad_item_refuses_the_whole_batch(pinpoint: Any, app_id: str) -> None:
    items = [
        {"Id": "good", "ChannelType": "EMAIL", "Address": "g@example.com"},
        {"Id": "bad", "ChannelType": "PIGEON", "Address": "roof"},
    ]
    code, message = error_of(
        pinpoint.update_endpoints_batch, ApplicationId=app_id, EndpointBatchRequest={"Item": items}
    )
    assert "Item[1]" in message and "ChannelType" in message
    assert (
        error_of(pinpoint.get_endpoint, ApplicationId=app_id, EndpointId="good")[0]
        == "NotFoundException"
    )


def test_users_endpoints_are_listed_and_deleted_together(pinpoint: Any, app_id: str) -> None:
    items = [
        {
            "Id": "bao-email",
            "ChannelType": "EMAIL",
            "Address": "bao@example.com",
            "User": {"UserId": "bao"},
        },
        {"Id": "bao-push", "ChannelType": "GCM", "Address": "token", "User": {"UserId": "bao"}},
        {
            "Id": "cam",
            "ChannelType": "EMAIL",
            "Address": "cam@example.com",
            "User": {"UserId": "cam"},
        },
    ]
    pinpoint.update_endpoints_batch(ApplicationId=app_id, EndpointBatchRequest={"Item": items})
    listed = pinpoint.get_user_endpoints(ApplicationId=app_id, UserId="bao")["EndpointsResponse"]
    assert [e["Id"] for e in listed["Item"]] == ["bao-email", "bao-push"]
    deleted = pinpoint.delete_user_endpoints(ApplicationId=app_id, UserId="bao")[
        "EndpointsResponse"
    ]
    assert len(deleted["Item"]) == 2
    code, message = error_of(pinpoint.get_user_endpoints, ApplicationId=app_id, UserId="bao")
    assert code == "NotFoundException" and "'bao'" in message
    assert (
        pinpoint.get_endpoint(ApplicationId=app_id, EndpointId="cam")["EndpointResponse"]["Id"]
        == "cam"
    )


def test_a_sixteenth_sms_endpoint_of_a_user_is_a_bad_request(pinpoint: Any, app_id: str) -> None:
    items = [
        {
            "Id": f"s{i}",
            "ChannelType": "SMS",
            "Address": f"+1206555{i:04d}",
            "User": {"UserId": "u"},
        }
        for i in range(15)
    ]
    pinpoint.update_endpoints_batch(ApplicationId=app_id, EndpointBatchRequest={"Item": items})
    code, message = error_of(
        pinpoint.update_endpoint,
        ApplicationId=app_id,
        EndpointId="s15",
        EndpointRequest={"ChannelType": "SMS", "Address": "+12065559999", "User": {"UserId": "u"}},
    )
    assert code == "BadRequestException" and "15 endpoints" in message


def test_delete_endpoint_returns_it_and_remove_attributes_names_what_went(
    pinpoint: Any, app_id: str
) -> None:
    pinpoint.update_endpoint(
        ApplicationId=app_id,
        EndpointId="e1",
        EndpointRequest={
            "ChannelType": "EMAIL",
            "Address": "a@example.com",
            "Attributes": {"promo": ["x"], "keep": ["y"]},
        },
    )
    removed = pinpoint.remove_attributes(
        ApplicationId=app_id,
        AttributeType="endpoint-custom-attributes",
        UpdateAttributesRequest={"Blacklist": ["pro*"]},
    )["AttributesResource"]
    assert removed == {
        "ApplicationId": app_id,
        "AttributeType": "endpoint-custom-attributes",
        "Attributes": ["promo"],
    }
    gone = pinpoint.delete_endpoint(ApplicationId=app_id, EndpointId="e1")["EndpointResponse"]
    assert gone["Attributes"] == {"keep": ["y"]}
    code, message = error_of(pinpoint.delete_endpoint, ApplicationId=app_id, EndpointId="e1")
    assert (code, message) == ("NotFoundException", "Endpoint 'e1' not found")


def test_endpoints_work_in_server_mode(server_aws: LocalAWS) -> None:
    pinpoint = server_aws.client("pinpoint")
    app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "a"})["ApplicationResponse"][
        "Id"
    ]
    pinpoint.update_endpoint(
        ApplicationId=app_id,
        EndpointId="e/1 x",
        EndpointRequest={"ChannelType": "EMAIL", "Address": "a@example.com", "Metrics": {"m": 2.5}},
    )
    endpoint = pinpoint.get_endpoint(ApplicationId=app_id, EndpointId="e/1 x")["EndpointResponse"]
    assert endpoint["Id"] == "e/1 x" and endpoint["Metrics"] == {"m": 2.5}
