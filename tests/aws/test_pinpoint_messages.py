"""Direct sends, PutEvents and the event stream through boto3."""

from __future__ import annotations

from typing import Any

import pytest

from simlab.aws import LocalAWS
from tests.aws.errors import error_of
from tests.aws.pinpoint_project import SENDER, email_project, records


def texting(aws: LocalAWS, number_type: str = "TOLL_FREE") -> str:
    """A US number to text from, out of the SMS sandbox: what Pinpoint SMS needs first."""
    number = aws.client("pinpoint-sms-voice-v2").request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType=number_type,
    )["PhoneNumber"]
    aws.sms.leave_sandbox()
    return number


def project(aws: LocalAWS, *, stream: bool = True, phone: bool = True) -> tuple[Any, str]:
    """An app with an email channel, a number to text from and (optionally) an event stream."""
    if phone:
        texting(aws)
    return email_project(aws, "news", stream=stream)


def message_id(record: dict) -> str:
    """Where a stream record names its message: the mail object for email, attributes for SMS."""
    if record["event_type"].startswith("_email."):
        return record["facets"]["email_channel"]["mail_event"]["mail"]["message_id"]
    return record["attributes"]["message_id"]


SMS = {"SMSMessage": {"Body": "Your code is ready", "MessageType": "TRANSACTIONAL"}}
EMAIL = {"EmailMessage": {"SimpleEmail": {"Subject": {"Data": "Hi"}, "TextPart": {"Data": "News"}}}}


def test_send_messages_answers_each_address_by_rule(aws: LocalAWS) -> None:
    pinpoint, app_id = project(aws, stream=False)
    pinpoint.update_endpoint(
        ApplicationId=app_id,
        EndpointId="quiet",
        EndpointRequest={"ChannelType": "SMS", "Address": "+12065550111", "OptOut": "ALL"},
    )
    response = pinpoint.send_messages(
        ApplicationId=app_id,
        MessageRequest={
            "Addresses": {
                "+12065550100": {"ChannelType": "SMS"},
                "friend@elsewhere.org": {"ChannelType": "EMAIL"},
            },
            "Endpoints": {"quiet": {}, "nobody": {}},
            "MessageConfiguration": {**SMS, **EMAIL},
        },
    )["MessageResponse"]
    result, by_endpoint = response["Result"], response["EndpointResult"]
    assert result["+12065550100"]["DeliveryStatus"] == "SUCCESSFUL"
    assert result["+12065550100"]["MessageId"]
    # The SES sandbox refuses an unverified recipient: a permanent failure, never a success.
    assert result["friend@elsewhere.org"]["DeliveryStatus"] == "PERMANENT_FAILURE"
    assert by_endpoint["quiet"]["DeliveryStatus"] == "OPT_OUT"
    assert by_endpoint["nobody"] == {
        "Address": "",
        "DeliveryStatus": "PERMANENT_FAILURE",
        "StatusCode": 404,
        "StatusMessage": "Endpoint nobody not found",
    }
    mine = aws.outbox.filter(service="pinpoint")
    assert len(mine) == len(aws.outbox) == 4
    assert sorted((m.status, m.detail["carrier"]) for m in mine) == [
        ("FAILED", "pinpoint"),
        ("FAILED", "ses"),
        ("OPT_OUT", "pinpoint"),
        ("PENDING", "sms-voice"),
    ]


def test_the_same_address_twice_is_a_duplicate(aws: LocalAWS) -> None:
    pinpoint, app_id = project(aws, stream=False)
    pinpoint.update_endpoint(
        ApplicationId=app_id,
        EndpointId="e1",
        EndpointRequest={"ChannelType": "SMS", "Address": "+12065550100"},
    )
    response = pinpoint.send_messages(
        ApplicationId=app_id,
        MessageRequest={
            "Addresses": {"+12065550100": {"ChannelType": "SMS"}},
            "Endpoints": {"e1": {}},
            "MessageConfiguration": SMS,
        },
    )["MessageResponse"]
    assert response["EndpointResult"]["e1"]["DeliveryStatus"] == "DUPLICATE"


def test_the_apps_messages_per_second_throttles_on_the_simulated_clock(aws: LocalAWS) -> None:
    pinpoint, app_id = project(aws, stream=False)
    pinpoint.update_application_settings(
        ApplicationId=app_id, WriteApplicationSettingsRequest={"Limits": {"MessagesPerSecond": 2}}
    )
    addresses = {f"+1206555010{i}": {"ChannelType": "SMS"} for i in range(3)}
    request = {"Addresses": addresses, "MessageConfiguration": SMS}
    first = pinpoint.send_messages(ApplicationId=app_id, MessageRequest=request)["MessageResponse"]
    assert [r["DeliveryStatus"] for r in first["Result"].values()] == [
        "SUCCESSFUL",
        "SUCCESSFUL",
        "THROTTLED",
    ]
    aws.clock.advance(1)
    later = pinpoint.send_messages(
        ApplicationId=app_id,
        MessageRequest={
            "Addresses": {"+12065550102": {"ChannelType": "SMS"}},
            "MessageConfiguration": SMS,
        },
    )["MessageResponse"]
    assert later["Result"]["+12065550102"]["DeliveryStatus"] == "SUCCESSFUL"
    assert (
        aws.outbox.filter(service="pinpoint", status="THROTTLED")[0].destination == "+12065550102"
    )


@pytest.mark.parametrize(
    ("request_", "words"),
    [
        (
            {"Addresses": {f"+1206555{i:04d}": {"ChannelType": "SMS"} for i in range(101)}},
            "at most 100",
        ),
        ({"Addresses": {"555-0100": {"ChannelType": "SMS"}}}, "E.164"),
        ({"Addresses": {"a@example.com": {}}}, "ChannelType is required"),
        (
            {
                "Addresses": {"a@example.com": {"ChannelType": "EMAIL"}},
                "TemplateConfiguration": {"EmailTemplate": {"Name": "missing"}},
            },
            "missing",
        ),
    ],
)
def test_bad_send_requests_are_refused_naming_the_field(
    aws: LocalAWS, request_: dict, words: str
) -> None:
    pinpoint, app_id = project(aws, stream=False)
    code, message = error_of(
        pinpoint.send_messages,
        ApplicationId=app_id,
        MessageRequest={**request_, "MessageConfiguration": {**SMS, **EMAIL}},
    )
    assert code in ("BadRequestException", "NotFoundException") and words in message
    assert aws.outbox.filter(service="pinpoint") == []


def test_sends_stream_records_whose_message_id_matches(aws: LocalAWS) -> None:
    pinpoint, app_id = project(aws)
    pinpoint.update_endpoint(
        ApplicationId=app_id,
        EndpointId="ana",
        EndpointRequest={
            "ChannelType": "EMAIL",
            "Address": SENDER,
            "User": {"UserAttributes": {"FirstName": ["Ana"]}},
        },
    )
    response = pinpoint.send_messages(
        ApplicationId=app_id,
        MessageRequest={
            "Endpoints": {"ana": {}},
            "Addresses": {"+12065550100": {"ChannelType": "SMS"}},
            "MessageConfiguration": {
                **SMS,
                "EmailMessage": {
                    "SimpleEmail": {
                        "Subject": {"Data": "Hi {{User.UserAttributes.FirstName}}"},
                        "TextPart": {"Data": "x"},
                    }
                },
            },
            "Context": {"campaign": "spring"},
            "TraceId": "trace-1",
        },
    )["MessageResponse"]
    email_id = response["EndpointResult"]["ana"]["MessageId"]
    sms_id = response["Result"]["+12065550100"]["MessageId"]
    aws.clock.advance(3 * 24 * 3600)
    found = records(aws)
    by_type = {(r["event_type"], message_id(r)) for r in found}
    assert ("_email.send", email_id) in by_type
    assert ("_SMS.BUFFERED", sms_id) in by_type
    assert {("_SMS.SUCCESS", sms_id), ("_SMS.FAILURE", sms_id)} & by_type
    assert {
        ("_email.delivered", email_id),
        ("_email.softbounce", email_id),
        ("_email.hardbounce", email_id),
    } & by_type
    send = next(r for r in found if r["event_type"] == "_email.send")
    assert list(send)[:11] == [
        "event_type",
        "event_timestamp",
        "arrival_timestamp",
        "event_version",
        "application",
        "client",
        "device",
        "session",
        "attributes",
        "metrics",
        "awsAccountId",
    ]
    assert send["application"]["app_id"] == app_id and send["client"]["client_id"] == "ana"
    assert send["attributes"]["campaign"] == "spring"
    assert (
        send["facets"]["email_channel"]["mail_event"]["mail"]["common_headers"]["subject"]
        == "Hi Ana"
    )
    assert send["event_timestamp"] == 1_767_603_600_000
    final = {m.status for m in aws.outbox.filter(service="pinpoint")}
    assert final <= {"DELIVERED", "FAILED"}


def test_send_users_messages_reaches_every_endpoint_of_each_user(aws: LocalAWS) -> None:
    pinpoint, app_id = project(aws, stream=False)
    items = [
        {
            "Id": "bao-sms",
            "ChannelType": "SMS",
            "Address": "+84901234567",
            "User": {"UserId": "bao"},
        },
        {"Id": "bao-push", "ChannelType": "GCM", "Address": "fcm-token", "User": {"UserId": "bao"}},
        {
            "Id": "bao-voice",
            "ChannelType": "VOICE",
            "Address": "+84901234568",
            "User": {"UserId": "bao"},
        },
    ]
    pinpoint.update_endpoints_batch(ApplicationId=app_id, EndpointBatchRequest={"Item": items})
    response = pinpoint.send_users_messages(
        ApplicationId=app_id,
        SendUsersMessageRequest={
            "Users": {"bao": {}, "ghost": {}},
            "MessageConfiguration": {
                **SMS,
                "GCMMessage": {"Title": "News", "Body": "Open the app"},
                "VoiceMessage": {"Body": "Hello", "VoiceId": "Joanna"},
            },
        },
    )["SendUsersMessageResponse"]
    assert sorted(response["Result"]["bao"]) == ["bao-push", "bao-sms", "bao-voice"]
    assert response["Result"]["ghost"] == {}
    channels = sorted(m.channel for m in aws.outbox.filter(service="pinpoint"))
    assert channels == ["PUSH", "SMS", "VOICE"]
    push = aws.outbox.filter(service="pinpoint", channel="PUSH")[0]
    assert push.destination == "fcm-token" and push.detail["payload"]["Title"] == "News"


def test_custom_endpoints_call_a_registered_function(aws: LocalAWS) -> None:
    pinpoint, app_id = project(aws, stream=False)
    calls: list[dict] = []
    aws.state.functions.register("crm-hook", calls.append)
    pinpoint.update_endpoint(
        ApplicationId=app_id,
        EndpointId="crm",
        EndpointRequest={"ChannelType": "CUSTOM", "Address": "crm-hook"},
    )
    response = pinpoint.send_messages(
        ApplicationId=app_id,
        MessageRequest={
            "Endpoints": {"crm": {}},
            "MessageConfiguration": {"DefaultMessage": {"Body": "ping"}},
        },
    )["MessageResponse"]
    assert response["EndpointResult"]["crm"]["DeliveryStatus"] == "SUCCESSFUL"
    assert calls[0]["Message"]["body"] == "ping" and calls[0]["Endpoint"]["Id"] == "crm"


def test_put_events_answers_per_item_and_feeds_recency(aws: LocalAWS) -> None:
    pinpoint, app_id = project(aws)
    pinpoint.update_endpoint(
        ApplicationId=app_id,
        EndpointId="ana",
        EndpointRequest={"ChannelType": "GCM", "Address": "t1"},
    )
    results = pinpoint.put_events(
        ApplicationId=app_id,
        EventsRequest={
            "BatchItem": {
                "ana": {
                    "Endpoint": {},
                    "Events": {
                        "s1": {
                            "EventType": "_session.start",
                            "Timestamp": "2026-01-05T08:30:00Z",
                            "Session": {"Id": "abc", "StartTimestamp": "2026-01-05T08:30:00Z"},
                        },
                        "bad": {"EventType": "level_up", "Timestamp": "soon"},
                    },
                }
            }
        },
    )["EventsResponse"]["Results"]["ana"]
    assert results["EndpointItemResponse"] == {"Message": "Accepted", "StatusCode": 202}
    assert results["EventsItemResponse"]["s1"]["StatusCode"] == 202
    assert results["EventsItemResponse"]["bad"]["StatusCode"] == 400
    assert "Timestamp" in results["EventsItemResponse"]["bad"]["Message"]
    active = pinpoint.create_segment(
        ApplicationId=app_id,
        WriteSegmentRequest={
            "Name": "active",
            "Dimensions": {"Behavior": {"Recency": {"Duration": "HR_24", "RecencyType": "ACTIVE"}}},
        },
    )["SegmentResponse"]
    audience = aws.state  # noqa: F841 - the engine is reached through the backend below
    from moto.backends import get_backend

    backend = get_backend("pinpoint")["123456789012"]["us-east-1"]
    now = aws.clock.timestamp()
    assert backend.project(app_id).audience.count(active["Id"], now) == 1
    aws.clock.advance(2 * 86400)
    assert backend.project(app_id).audience.count(active["Id"], aws.clock.timestamp()) == 0
    app_events = [r for r in records(aws) if r["event_type"] == "_session.start"]
    assert app_events[0]["session"]["session_id"] == "abc"
    assert app_events[0]["client"]["client_id"] == "ana"


def test_sends_work_in_server_mode(server_aws: LocalAWS) -> None:
    pinpoint, app_id = project(server_aws)
    response = pinpoint.send_messages(
        ApplicationId=app_id,
        MessageRequest={
            "Addresses": {"+12065550100": {"ChannelType": "SMS"}},
            "MessageConfiguration": SMS,
        },
    )["MessageResponse"]
    sent_id = response["Result"]["+12065550100"]["MessageId"]
    assert [r["attributes"]["message_id"] for r in records(server_aws)] == [sent_id]
