"""The account-level suppression list: its API, what adds to it, and sends to listed addresses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

NO_RETRY = Config(retries={"max_attempts": 0})
SENDER = "news@example.com"
SIMPLE = {"Simple": {"Subject": {"Data": "News"}, "Body": {"Text": {"Data": "Hello"}}}}


@pytest.fixture
def sesv2(aws):
    client = aws.client("sesv2", config=NO_RETRY)
    client.create_email_identity(EmailIdentity="example.com")
    aws.ses.grant_production_access()
    return client


def send(sesv2, to: str) -> str:
    return sesv2.send_email(
        FromEmailAddress=SENDER, Destination={"ToAddresses": [to]}, Content=SIMPLE
    )["MessageId"]


def test_put_get_list_and_delete_a_suppressed_destination(aws, sesv2):
    sesv2.put_suppressed_destination(EmailAddress="gone@example.org", Reason="BOUNCE")
    entry = sesv2.get_suppressed_destination(EmailAddress="gone@example.org")
    entry = entry["SuppressedDestination"]
    assert (entry["EmailAddress"], entry["Reason"]) == ("gone@example.org", "BOUNCE")
    assert entry["LastUpdateTime"] == aws.clock.now()
    aws.clock.advance(3600)
    sesv2.put_suppressed_destination(EmailAddress="angry@example.org", Reason="COMPLAINT")
    listed = sesv2.list_suppressed_destinations()["SuppressedDestinationSummaries"]
    assert [s["EmailAddress"] for s in listed] == ["gone@example.org", "angry@example.org"]
    complaints = sesv2.list_suppressed_destinations(Reasons=["COMPLAINT"])
    assert [s["EmailAddress"] for s in complaints["SuppressedDestinationSummaries"]] == [
        "angry@example.org"
    ]
    recent = sesv2.list_suppressed_destinations(StartDate=aws.clock.now() - timedelta(minutes=1))
    assert len(recent["SuppressedDestinationSummaries"]) == 1
    sesv2.delete_suppressed_destination(EmailAddress="gone@example.org")
    with pytest.raises(ClientError) as raised:
        sesv2.get_suppressed_destination(EmailAddress="gone@example.org")
    assert raised.value.response["Error"]["Code"] == "NotFoundException"
    with pytest.raises(ClientError) as raised:
        sesv2.delete_suppressed_destination(EmailAddress="gone@example.org")
    assert raised.value.response["Error"]["Code"] == "NotFoundException"


def test_a_send_to_a_suppressed_address_is_accepted_then_bounces_on_the_account_list(aws, sesv2):
    sesv2.put_suppressed_destination(EmailAddress="gone@example.org", Reason="BOUNCE")
    message_id = send(sesv2, "gone@example.org")
    assert message_id
    aws.clock.advance(60)
    sent = aws.outbox.last(to="gone@example.org")
    assert sent.status == "SUPPRESSED"
    assert sent.detail["bounce_sub_type"] == "OnAccountSuppressionList"


def test_hard_bounces_and_complaints_add_addresses_by_default(aws, sesv2):
    account = sesv2.get_account()
    assert sorted(account["SuppressionAttributes"]["SuppressedReasons"]) == ["BOUNCE", "COMPLAINT"]
    aws.ses.set_deliverability(bounce=1.0, complaint=0.0, delivery_delay=0.0)
    message_id = send(sesv2, "typo@example.org")
    aws.clock.advance(60)
    entry = sesv2.get_suppressed_destination(EmailAddress="typo@example.org")
    entry = entry["SuppressedDestination"]
    assert entry["Reason"] == "BOUNCE"
    assert entry["Attributes"]["MessageId"] == message_id
    aws.ses.set_deliverability(bounce=0.0, complaint=1.0)
    send(sesv2, "grumpy@example.org")
    aws.clock.advance(3600)
    assert aws.ses.suppressed == ["typo@example.org", "grumpy@example.org"]


def test_account_suppression_attributes_choose_what_is_added(aws, sesv2):
    sesv2.put_account_suppression_attributes(SuppressedReasons=["COMPLAINT"])
    assert sesv2.get_account()["SuppressionAttributes"]["SuppressedReasons"] == ["COMPLAINT"]
    aws.ses.set_deliverability(bounce=1.0, complaint=0.0, delivery_delay=0.0)
    send(sesv2, "typo@example.org")
    aws.clock.advance(60)
    assert aws.ses.suppressed == []


def test_mailbox_simulator_bounces_and_complaints_are_never_added(aws, sesv2):
    send(sesv2, "bounce@simulator.amazonses.com")
    aws.clock.advance(1)
    send(sesv2, "complaint@simulator.amazonses.com")
    aws.clock.advance(3600)
    assert aws.outbox.last(to="bounce@simulator.amazonses.com").status == "BOUNCED"
    assert aws.outbox.last(to="complaint@simulator.amazonses.com").status == "COMPLAINED"
    assert sesv2.list_suppressed_destinations()["SuppressedDestinationSummaries"] == []


def test_a_configuration_set_can_override_the_account_suppression_reasons(aws, sesv2):
    sesv2.create_configuration_set(ConfigurationSetName="no-suppression")
    sesv2.put_configuration_set_suppression_options(
        ConfigurationSetName="no-suppression", SuppressedReasons=[]
    )
    sesv2.put_suppressed_destination(EmailAddress="gone@example.org", Reason="BOUNCE")
    aws.ses.set_deliverability(bounce=0.0, complaint=0.0, delivery_delay=0.0)
    sesv2.send_email(
        FromEmailAddress=SENDER,
        Destination={"ToAddresses": ["gone@example.org"]},
        Content=SIMPLE,
        ConfigurationSetName="no-suppression",
    )
    aws.clock.advance(60)
    assert aws.outbox.last(to="gone@example.org").status == "DELIVERED"


def test_bad_suppression_input_is_refused_with_the_field_named(sesv2):
    with pytest.raises(ClientError) as raised:
        sesv2.put_suppressed_destination(EmailAddress="not-an-address", Reason="BOUNCE")
    assert raised.value.response["Error"]["Code"] == "BadRequestException"
    assert "EmailAddress" in raised.value.response["Error"]["Message"]
