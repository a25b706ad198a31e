"""Pinpoint's channels ride the services beneath them: one outbox entry per message.

Email goes through SES and text messages through AWS End User Messaging (origination
identities, MPS, opt-out lists, the SMS sandbox); each message is one outbox entry that names
the API called (``service="pinpoint"``) and the carrier (``detail["carrier"]``), and its status
and ``_email.*`` / ``_SMS.*`` stream records follow the carrier's outcome.
"""

from __future__ import annotations

from typing import Any

import pytest

from simlab.aws import LocalAWS
from simlab.facts import events
from tests.aws.pinpoint_project import SENDER, email_project, records

PHONE = "+12065550100"
TEXT = {"SMSMessage": {"Body": "Your code is ready", "MessageType": "TRANSACTIONAL"}}


def request_number(aws: LocalAWS, number_type: str = "TOLL_FREE", country: str = "US") -> str:
    return aws.client("pinpoint-sms-voice-v2").request_phone_number(
        IsoCountryCode=country,
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType=number_type,
    )["PhoneNumber"]


def app(aws: LocalAWS, *, stream: bool = True) -> tuple[Any, str]:
    """A project with an email channel and an event stream to Firehose -> S3."""
    return email_project(aws, "shop", stream=stream)


def text(
    pinpoint: Any, app_id: str, *addresses: str, context: dict | None = None, **sms: Any
) -> dict[str, dict]:
    message = {"SMSMessage": {**TEXT["SMSMessage"], **sms}}
    return pinpoint.send_messages(
        ApplicationId=app_id,
        MessageRequest={
            "Addresses": {a: {"ChannelType": "SMS"} for a in addresses},
            "MessageConfiguration": message,
            "Context": context or {},
        },
    )["MessageResponse"]["Result"]


# -- one entry per message ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "final", "carrier_status", "event_types"),
    [
        ("success@simulator.amazonses.com", "DELIVERED", "DELIVERY", ["_email.delivered"]),
        ("bounce@simulator.amazonses.com", "FAILED", "BOUNCE", ["_email.hardbounce"]),
        (
            "complaint@simulator.amazonses.com",
            "DELIVERED",
            "COMPLAINT",
            ["_email.delivered", "_email.complaint"],
        ),
    ],
)
def test_a_pinpoint_email_is_one_outbox_entry_carried_by_ses(
    aws: LocalAWS, address: str, final: str, carrier_status: str, event_types: list[str]
) -> None:
    pinpoint, app_id = app(aws)
    result = pinpoint.send_messages(
        ApplicationId=app_id,
        MessageRequest={
            "Addresses": {address: {"ChannelType": "EMAIL"}},
            "MessageConfiguration": {
                "EmailMessage": {
                    "SimpleEmail": {"Subject": {"Data": "Hi"}, "TextPart": {"Data": "News"}}
                }
            },
        },
    )["MessageResponse"]["Result"][address]
    assert result["DeliveryStatus"] == "SUCCESSFUL"
    [entry] = aws.outbox.filter(to=address)
    assert (entry.service, entry.detail["carrier"], entry.status) == ("pinpoint", "ses", "PENDING")
    assert entry.message_id == result["MessageId"] and entry.detail["app_id"] == app_id
    aws.clock.advance(3600)
    [entry] = aws.outbox.filter(to=address)
    assert (entry.status, entry.detail["carrier_status"]) == (final, carrier_status)
    found = [
        (r["event_type"], r["facets"]["email_channel"]["mail_event"]["mail"]["message_id"])
        for r in records(aws)
    ]
    assert found == [(t, result["MessageId"]) for t in ["_email.send", *event_types]]


def test_a_direct_ses_send_is_still_an_ses_entry(aws: LocalAWS) -> None:
    ses = aws.client("ses")
    ses.verify_domain_identity(Domain="example.com")
    ses.send_email(
        Source=SENDER,
        Destination={"ToAddresses": ["success@simulator.amazonses.com"]},
        Message={"Subject": {"Data": "Hi"}, "Body": {"Text": {"Data": "News"}}},
    )
    [entry] = aws.outbox
    assert entry.service == "ses" and "carrier" not in entry.detail and entry.status == "SENT"


def test_a_pinpoint_text_is_one_outbox_entry_carried_by_end_user_messaging(
    aws: LocalAWS,
) -> None:
    number = request_number(aws)
    aws.sms.leave_sandbox()
    aws.sms.carrier.force("+12065550101", "BLOCKED")
    pinpoint, app_id = app(aws)
    results = text(pinpoint, app_id, PHONE, "+12065550101", context={"order": "42"})
    assert {r["DeliveryStatus"] for r in results.values()} == {"SUCCESSFUL"}
    entries = aws.outbox.filter(channel="SMS")
    assert [(e.destination, e.service, e.detail["carrier"]) for e in entries] == [
        (PHONE, "pinpoint", "sms-voice"),
        ("+12065550101", "pinpoint", "sms-voice"),
    ]
    assert [e.message_id for e in entries] == [r["MessageId"] for r in results.values()]
    assert {e.origin for e in entries} == {number}
    aws.clock.advance(3 * 24 * 3600)
    assert [e.status for e in aws.outbox.filter(channel="SMS")] == ["DELIVERED", "FAILED"]
    assert aws.outbox.last(to="+12065550101").detail["carrier_status"] == "BLOCKED"
    found = {(r["event_type"], r["attributes"]["message_id"]): r for r in records(aws)}
    blocked = results["+12065550101"]["MessageId"]
    assert set(found) == {
        ("_SMS.BUFFERED", results[PHONE]["MessageId"]),
        ("_SMS.SUCCESS", results[PHONE]["MessageId"]),
        ("_SMS.BUFFERED", blocked),
        ("_SMS.FAILURE", blocked),
    }
    failure = found[("_SMS.FAILURE", blocked)]
    attributes = failure["attributes"]
    assert attributes["record_status"] == "BLOCKED" and attributes["order"] == "42"
    assert attributes["origination_phone_number"] == number
    assert attributes["iso_country_code"] == "US" and attributes["message_type"] == "Transactional"
    documented = set(events.SMS_RECORD_ATTRIBUTES.value) - {"campaign_id", "campaign_activity_id"}
    assert documented <= set(attributes)
    assert failure["metrics"] == {events.SMS_PRICE_METRIC.value: 645.0}
    assert found[("_SMS.BUFFERED", blocked)]["metrics"] == {}
    counts = aws.sms.engine.counts()
    assert counts["sent"] == 2 and counts["delivered"] + counts["failed"] == 2


# -- origination, sandbox, opt-outs, MPS --------------------------------------------------


def test_an_account_with_no_number_cannot_text_the_us_but_uses_shared_routes_elsewhere(
    aws: LocalAWS,
) -> None:
    aws.sms.leave_sandbox()
    pinpoint, app_id = app(aws, stream=False)
    us = text(pinpoint, app_id, PHONE)[PHONE]
    assert us["DeliveryStatus"] == "PERMANENT_FAILURE"
    assert "NO_ORIGINATION_IDENTITIES_FOUND" in us["StatusMessage"]
    assert "US has no shared routes" in us["StatusMessage"]
    uk = "+447700900123"
    assert text(pinpoint, app_id, uk)[uk]["DeliveryStatus"] == "SUCCESSFUL"
    assert text(pinpoint, app_id, uk, SenderId="SIMLAB")[uk]["DeliveryStatus"] == "SUCCESSFUL"
    assert [e.origin for e in aws.outbox.filter(to=uk)] == ["NOTICE", "SIMLAB"]
    assert [e.status for e in aws.outbox.filter(service="pinpoint")] == [
        "FAILED",
        "PENDING",
        "PENDING",
    ]


def test_pinpoint_prefers_a_short_code_and_an_unknown_origination_number_fails(
    aws: LocalAWS,
) -> None:
    request_number(aws, "TOLL_FREE")
    short_code = aws.sms.provision_short_code().number
    aws.sms.leave_sandbox()
    pinpoint, app_id = app(aws, stream=False)
    text(pinpoint, app_id, PHONE)
    assert aws.outbox.last(to=PHONE).origin == short_code
    wrong = text(pinpoint, app_id, "+12065550101", OriginationNumber="+18005550199")
    assert wrong["+12065550101"]["DeliveryStatus"] == "PERMANENT_FAILURE"
    assert "+18005550199" in wrong["+12065550101"]["StatusMessage"]


def test_the_sms_sandbox_refuses_an_unverified_number(aws: LocalAWS) -> None:
    request_number(aws)
    pinpoint, app_id = app(aws, stream=False)
    result = text(pinpoint, app_id, PHONE)[PHONE]
    assert result["DeliveryStatus"] == "PERMANENT_FAILURE"
    assert "DESTINATION_PHONE_NUMBER_NOT_VERIFIED" in result["StatusMessage"]
    [entry] = aws.outbox.filter(to=PHONE)
    assert (entry.service, entry.status, entry.detail["carrier"]) == (
        "pinpoint",
        "FAILED",
        "sms-voice",
    )


def test_a_stop_reply_opts_the_endpoint_and_number_out_of_the_next_send(aws: LocalAWS) -> None:
    number = request_number(aws)
    aws.sms.leave_sandbox()
    pinpoint, app_id = app(aws)
    pinpoint.update_endpoint(
        ApplicationId=app_id,
        EndpointId="ana-phone",
        EndpointRequest={"ChannelType": "SMS", "Address": PHONE},
    )
    first = pinpoint.send_messages(
        ApplicationId=app_id,
        MessageRequest={"Endpoints": {"ana-phone": {}}, "MessageConfiguration": TEXT},
    )["MessageResponse"]["EndpointResult"]["ana-phone"]
    aws.clock.advance(60)
    aws.sms.reply(PHONE, number, "STOP")
    again = pinpoint.send_messages(
        ApplicationId=app_id,
        MessageRequest={"Endpoints": {"ana-phone": {}}, "MessageConfiguration": TEXT},
    )["MessageResponse"]["EndpointResult"]["ana-phone"]
    assert again["DeliveryStatus"] == "OPT_OUT"
    by_address = text(pinpoint, app_id, PHONE)[PHONE]
    assert by_address["DeliveryStatus"] == "OPT_OUT"
    assert "DESTINATION_PHONE_NUMBER_OPTED_OUT" in by_address["StatusMessage"]
    mine = aws.outbox.filter(service="pinpoint", to=PHONE)
    assert [m.status for m in mine] == ["DELIVERED", "OPT_OUT", "OPT_OUT"]
    assert mine[2].detail["carrier"] == "sms-voice"
    optout = [r for r in records(aws) if r["event_type"] == "_SMS.OPTOUT"]
    assert [r["attributes"]["message_id"] for r in optout] == [first["MessageId"]]
    assert optout[0]["client"]["client_id"] == "ana-phone"


def test_a_toll_free_number_sends_three_parts_a_second_and_every_text_is_counted(
    aws: LocalAWS,
) -> None:
    request_number(aws, "TOLL_FREE")
    aws.sms.leave_sandbox()
    pinpoint, app_id = app(aws, stream=False)
    phones = [f"+1206555010{i}" for i in range(5)]
    results = text(pinpoint, app_id, *phones)
    statuses = [results[p]["DeliveryStatus"] for p in phones]
    assert statuses == ["SUCCESSFUL"] * 3 + ["THROTTLED"] * 2
    assert "ThrottlingException" in results[phones[4]]["StatusMessage"]
    mine = aws.outbox.filter(service="pinpoint")
    assert len(mine) == len(phones) == len(aws.outbox)
    assert [m.status for m in mine] == ["PENDING"] * 3 + ["THROTTLED"] * 2
    counts = aws.sms.engine.counts()
    assert (counts["sent"], counts["pending"], counts["throttled"]) == (5, 3, 2)


def test_pinpoint_texts_work_in_server_mode(server_aws: LocalAWS) -> None:
    request_number(server_aws)
    server_aws.sms.leave_sandbox()
    pinpoint, app_id = app(server_aws)
    sent = text(pinpoint, app_id, PHONE)[PHONE]
    assert sent["DeliveryStatus"] == "SUCCESSFUL"
    [entry] = server_aws.outbox
    assert (entry.service, entry.detail["carrier"], entry.message_id) == (
        "pinpoint",
        "sms-voice",
        sent["MessageId"],
    )
    server_aws.clock.advance(3 * 24 * 3600)
    assert {r["attributes"]["message_id"] for r in records(server_aws)} == {sent["MessageId"]}
