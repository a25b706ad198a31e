"""SES sandbox and sending quotas, as a learner meets them through boto3 (v1 and v2)."""

from __future__ import annotations

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from simlab.facts import ses as facts

#: botocore retries throttling errors by itself; the sandbox tests want to see each one.
NO_RETRY = Config(retries={"max_attempts": 0})
SENDER = "teacher@example.com"
SIMPLE = {"Simple": {"Subject": {"Data": "Hello"}, "Body": {"Text": {"Data": "Hi there"}}}}


def v1_send(ses, to: list[str], source: str = SENDER) -> str:
    message = {"Subject": {"Data": "Hello"}, "Body": {"Text": {"Data": "Hi there"}}}
    response = ses.send_email(Source=source, Destination={"ToAddresses": to}, Message=message)
    return response["MessageId"]


def v2_send(sesv2, to: list[str], **extra) -> str:
    response = sesv2.send_email(
        FromEmailAddress=SENDER, Destination={"ToAddresses": to}, Content=SIMPLE, **extra
    )
    return response["MessageId"]


@pytest.fixture
def ses(aws):
    client = aws.client("ses", config=NO_RETRY)
    client.verify_email_identity(EmailAddress=SENDER)
    return client


@pytest.fixture
def sesv2(aws, ses):
    return aws.client("sesv2", config=NO_RETRY)


def test_the_sandbox_refuses_an_unverified_recipient_as_ses_does(aws, ses):
    with pytest.raises(ClientError) as raised:
        v1_send(ses, ["stranger@example.org"])
    error = raised.value.response["Error"]
    assert error["Code"] == "MessageRejected"
    assert error["Message"] == (
        "Email address is not verified. The following identities failed the check in region "
        "US-EAST-1: stranger@example.org"
    )
    assert [m.status for m in aws.outbox.filter(service="ses")] == ["REJECTED"]


def test_an_unverified_sender_is_refused_even_in_production(aws, ses, sesv2):
    sesv2.put_account_details(
        MailType="TRANSACTIONAL", WebsiteURL="https://example.com", ProductionAccessEnabled=True
    )
    with pytest.raises(ClientError) as raised:
        v1_send(ses, ["anyone@example.org"], source="nobody@elsewhere.net")
    assert raised.value.response["Error"]["Code"] == "MessageRejected"
    assert "nobody@elsewhere.net" in raised.value.response["Error"]["Message"]


def test_verified_recipients_and_the_mailbox_simulator_are_reachable_from_the_sandbox(aws, ses):
    ses.verify_email_identity(EmailAddress="student@example.org")
    assert v1_send(ses, ["student@example.org"])
    aws.clock.advance(1)
    assert v1_send(ses, ["success+lesson1@simulator.amazonses.com"])
    assert len(aws.outbox.filter(service="ses", status="SENT")) == 2


def test_a_verified_domain_verifies_every_address_in_it(aws, ses):
    ses.verify_domain_identity(Domain="school.example")
    assert v1_send(ses, ["pupil@school.example"], source="office@school.example")


def test_the_second_send_within_a_second_is_throttled(aws, ses):
    v1_send(ses, ["success@simulator.amazonses.com"])
    with pytest.raises(ClientError) as raised:
        v1_send(ses, ["success@simulator.amazonses.com"])
    error = raised.value.response["Error"]
    assert (error["Code"], error["Message"]) == ("Throttling", "Maximum sending rate exceeded.")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    aws.clock.advance(1)
    assert v1_send(ses, ["success@simulator.amazonses.com"])
    statuses = [m.status for m in aws.outbox.filter(service="ses")]
    assert statuses == ["SENT", "THROTTLED", "SENT"]


def test_a_message_to_five_recipients_goes_out_then_blocks_the_next_five_seconds(aws, ses):
    simulator = [f"success+{n}@simulator.amazonses.com" for n in range(5)]
    v1_send(ses, simulator)
    aws.clock.advance(4.5)
    with pytest.raises(ClientError):
        v1_send(ses, simulator[:1])
    aws.clock.advance(0.5)
    assert v1_send(ses, simulator[:1])


def test_the_201st_message_in_24_hours_meets_the_daily_quota(aws, ses):
    ses.verify_email_identity(EmailAddress="student@example.org")
    quota = facts.SANDBOX_MAX_24_HOUR_SEND.value
    for _ in range(quota):
        v1_send(ses, ["student@example.org"])
        aws.clock.advance(1)
    with pytest.raises(ClientError) as raised:
        v1_send(ses, ["student@example.org"])
    error = raised.value.response["Error"]
    assert (error["Code"], error["Message"]) == ("Throttling", "Daily message quota exceeded.")
    assert ses.get_send_quota()["SentLast24Hours"] == quota
    aws.clock.advance(24 * 3600)
    assert ses.get_send_quota()["SentLast24Hours"] == 0
    assert v1_send(ses, ["student@example.org"])


def test_sends_at_one_instant_each_count_against_the_daily_quota(aws, ses):
    aws.ses.grant_production_access()
    aws.ses.set_production_quota(max_24_hour_send=5, max_send_rate=100)
    v1_send(ses, ["a@example.net", "b@example.net"])
    v1_send(ses, ["c@example.net"])
    v1_send(ses, ["d@example.net", "e@example.net"])
    assert ses.get_send_quota()["SentLast24Hours"] == 5
    with pytest.raises(ClientError) as raised:
        v1_send(ses, ["f@example.net"])
    assert raised.value.response["Error"]["Message"] == "Daily message quota exceeded."
    aws.clock.advance(24 * 3600)
    assert ses.get_send_quota()["SentLast24Hours"] == 0
    assert v1_send(ses, ["f@example.net"])


def test_mailbox_simulator_sends_stay_outside_the_daily_quota(aws, ses):
    v1_send(ses, ["bounce@simulator.amazonses.com"])
    assert ses.get_send_quota()["SentLast24Hours"] == 0


def test_get_send_quota_reports_the_sandbox_figures(ses):
    quota = ses.get_send_quota()
    assert quota["Max24HourSend"] == facts.SANDBOX_MAX_24_HOUR_SEND.value
    assert quota["MaxSendRate"] == facts.SANDBOX_MAX_SEND_RATE.value
    assert quota["SentLast24Hours"] == 0


def test_get_account_tells_the_sandbox_from_production(aws, sesv2):
    account = sesv2.get_account()
    assert account["ProductionAccessEnabled"] is False
    assert account["SendingEnabled"] is True
    assert account["EnforcementStatus"] == "HEALTHY"
    assert account["SendQuota"] == {
        "Max24HourSend": 200.0,
        "MaxSendRate": 1.0,
        "SentLast24Hours": 0.0,
    }
    sesv2.put_account_details(
        MailType="MARKETING", WebsiteURL="https://example.com", ProductionAccessEnabled=True
    )
    account = sesv2.get_account()
    assert account["ProductionAccessEnabled"] is True
    assert account["SendQuota"]["Max24HourSend"] == facts.PRODUCTION_MAX_24_HOUR_SEND.value
    assert account["SendQuota"]["MaxSendRate"] == facts.PRODUCTION_MAX_SEND_RATE.value
    assert account["Details"]["ReviewDetails"]["Status"] == "GRANTED"


def test_production_access_lifts_the_sandbox_and_both_limits(aws, ses, sesv2):
    sesv2.put_account_details(
        MailType="TRANSACTIONAL", WebsiteURL="https://example.com", ProductionAccessEnabled=True
    )
    aws.ses.set_production_quota(max_24_hour_send=1000, max_send_rate=10)
    for n in range(10):
        v2_send(sesv2, [f"customer{n}@example.org"])
    with pytest.raises(ClientError) as raised:
        v2_send(sesv2, ["one-too-many@example.org"])
    error = raised.value.response["Error"]
    assert (error["Code"], error["Message"]) == (
        "TooManyRequestsException",
        "Maximum sending rate exceeded.",
    )
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert sesv2.get_account()["SendQuota"] == {
        "Max24HourSend": 1000.0,
        "MaxSendRate": 10.0,
        "SentLast24Hours": 10.0,
    }


def test_v2_reports_a_spent_daily_quota_as_limit_exceeded(aws, sesv2):
    aws.ses.set_production_quota(max_24_hour_send=2, max_send_rate=100)
    aws.ses.grant_production_access()
    v2_send(sesv2, ["a@example.org", "b@example.org"])
    with pytest.raises(ClientError) as raised:
        v2_send(sesv2, ["c@example.org"])
    error = raised.value.response["Error"]
    assert (error["Code"], error["Message"]) == (
        "LimitExceededException",
        "Daily message quota exceeded.",
    )


def test_a_refused_send_loses_nothing_already_accepted(aws, ses):
    first = v1_send(ses, ["success@simulator.amazonses.com"])
    with pytest.raises(ClientError):
        v1_send(ses, ["success@simulator.amazonses.com"])
    aws.clock.advance(10)
    delivered = aws.outbox.filter(service="ses", status="DELIVERED")
    assert [m.message_id for m in delivered] == [first]


def test_a_paused_account_cannot_send(aws, ses):
    ses.update_account_sending_enabled(Enabled=False)
    assert ses.get_account_sending_enabled()["Enabled"] is False
    with pytest.raises(ClientError) as raised:
        v1_send(ses, ["success@simulator.amazonses.com"])
    assert raised.value.response["Error"]["Code"] == "AccountSendingPausedException"


def test_more_than_fifty_recipients_are_refused(ses):
    too_many = [f"success+{n}@simulator.amazonses.com" for n in range(51)]
    with pytest.raises(ClientError) as raised:
        v1_send(ses, too_many)
    assert raised.value.response["Error"]["Code"] == "MessageRejected"
    assert "50" in raised.value.response["Error"]["Message"]


def test_get_send_statistics_counts_real_attempts_and_bounces(aws, ses):
    aws.ses.grant_production_access()
    aws.ses.set_deliverability(bounce=1.0, complaint=0.0, delivery_delay=0.0)
    v1_send(ses, ["gone1@example.org", "gone2@example.org"])
    aws.clock.advance(60)
    points = ses.get_send_statistics()["SendDataPoints"]
    assert [(p["DeliveryAttempts"], p["Bounces"], p["Complaints"]) for p in points] == [(2, 2, 0)]


def test_the_production_quota_is_set_through_the_facade_with_checked_values(aws):
    with pytest.raises(ValueError, match="max_send_rate must be positive"):
        aws.ses.set_production_quota(max_send_rate=0)
    report = aws.ses.set_production_quota(max_24_hour_send=-1)
    assert report["production_access"] is False
    assert report["max_24_hour_send"] == facts.SANDBOX_MAX_24_HOUR_SEND.value


def test_an_operation_not_emulated_says_so(sesv2):
    with pytest.raises(ClientError) as raised:
        sesv2.list_multi_region_endpoints()
    assert raised.value.response["Error"]["Code"] == "BadRequestException"
    assert "does not emulate" in raised.value.response["Error"]["Message"]


def test_the_sandbox_and_quotas_hold_over_http(server_aws):
    import json
    import urllib.request

    ses = server_aws.client("ses", config=NO_RETRY)
    ses.verify_email_identity(EmailAddress=SENDER)
    with pytest.raises(ClientError) as raised:
        v1_send(ses, ["stranger@example.org"])
    assert raised.value.response["Error"]["Code"] == "MessageRejected"
    v1_send(ses, ["success@simulator.amazonses.com"])
    with pytest.raises(ClientError) as raised:
        v1_send(ses, ["success@simulator.amazonses.com"])
    assert raised.value.response["Error"]["Code"] == "Throttling"
    request = urllib.request.Request(
        f"{server_aws.endpoint_url}/simlab/ses/quota",
        data=json.dumps(
            {"max_24_hour_send": 5000, "max_send_rate": 20, "production_access": True}
        ).encode(),
        method="POST",
    )
    with urllib.request.urlopen(request) as answer:
        assert json.load(answer)["max_send_rate"] == 20
    quota = ses.get_send_quota()
    assert (quota["Max24HourSend"], quota["MaxSendRate"]) == (5000, 20)
    assert v1_send(ses, ["stranger@example.org"])


def test_addresses_parse_as_the_email_package_parses_them_and_once_each():
    import email.utils

    from simlab.aws.services.ses import policy

    forms = ["a@example.com", '"Ana B" <ana@example.com>', "not an address", ""]
    assert [policy.parseaddr(f) for f in forms] == [email.utils.parseaddr(f) for f in forms]
    hits = policy.parseaddr.cache_info().hits
    policy.parseaddr('"Ana B" <ana@example.com>')
    assert policy.parseaddr.cache_info().hits == hits + 1
