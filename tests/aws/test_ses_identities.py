"""SES identities tell the truth: own tokens, sending status, notification topics, policies."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from simlab.aws import LocalAWS

POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                "Action": ["ses:SendEmail"],
                "Resource": "*",
            }
        ],
    }
)


@pytest.fixture
def ses(aws):
    client = aws.client("ses")
    client.verify_email_identity(EmailAddress="teacher@example.com")
    return client


def test_each_domain_gets_its_own_tokens_and_a_rerun_gets_the_same(ses):
    first = ses.verify_domain_dkim(Domain="one.example")["DkimTokens"]
    second = ses.verify_domain_dkim(Domain="two.example")["DkimTokens"]
    assert len(set(first)) == 3 and not set(first) & set(second)
    token_one = ses.verify_domain_identity(Domain="one.example")["VerificationToken"]
    token_two = ses.verify_domain_identity(Domain="two.example")["VerificationToken"]
    assert token_one != token_two and len(token_one) == 44
    with LocalAWS() as again:
        client = again.client("ses")
        assert client.verify_domain_dkim(Domain="one.example")["DkimTokens"] == first
        assert client.verify_domain_identity(Domain="one.example")["VerificationToken"] == (
            token_one
        )
    attributes = ses.get_identity_dkim_attributes(Identities=["one.example"])["DkimAttributes"]
    assert attributes["one.example"]["DkimTokens"] == first
    found = ses.get_identity_verification_attributes(Identities=["one.example"])
    assert found["VerificationAttributes"]["one.example"]["VerificationToken"] == token_one


def test_a_verified_identity_is_verified_for_sending_in_ses_v2(aws, ses):
    sesv2 = aws.client("sesv2")
    identity = sesv2.get_email_identity(EmailIdentity="teacher@example.com")
    assert identity["VerifiedForSendingStatus"] is True
    created = sesv2.create_email_identity(EmailIdentity="school.example")
    assert created["VerifiedForSendingStatus"] is True
    assert len(created["DkimAttributes"]["Tokens"]) == 3


def test_notification_attributes_show_the_topics_and_headers_set(aws, ses):
    topic = aws.client("sns").create_topic(Name="bounces")["TopicArn"]
    ses.set_identity_notification_topic(
        Identity="teacher@example.com", NotificationType="Bounce", SnsTopic=topic
    )
    ses.set_identity_headers_in_notifications_enabled(
        Identity="teacher@example.com", NotificationType="Bounce", Enabled=True
    )
    found = ses.get_identity_notification_attributes(Identities=["teacher@example.com"])
    attributes = found["NotificationAttributes"]["teacher@example.com"]
    assert attributes["BounceTopic"] == topic
    assert attributes["HeadersInBounceNotificationsEnabled"] is True
    assert "ComplaintTopic" not in attributes


def test_dkim_signing_can_be_turned_off(ses):
    ses.verify_domain_dkim(Domain="school.example")
    ses.set_identity_dkim_enabled(Identity="school.example", DkimEnabled=False)
    found = ses.get_identity_dkim_attributes(Identities=["school.example"])["DkimAttributes"]
    assert found["school.example"]["DkimEnabled"] is False


def test_identity_policies_are_stored_listed_and_deleted(ses):
    ses.put_identity_policy(Identity="teacher@example.com", PolicyName="delegate", Policy=POLICY)
    assert ses.list_identity_policies(Identity="teacher@example.com")["PolicyNames"] == ["delegate"]
    got = ses.get_identity_policies(Identity="teacher@example.com", PolicyNames=["delegate"])
    assert json.loads(got["Policies"]["delegate"])["Statement"][0]["Effect"] == "Allow"
    ses.delete_identity_policy(Identity="teacher@example.com", PolicyName="delegate")
    assert ses.list_identity_policies(Identity="teacher@example.com")["PolicyNames"] == []


def test_a_policy_that_is_not_a_policy_is_refused(ses):
    with pytest.raises(ClientError) as raised:
        ses.put_identity_policy(Identity="teacher@example.com", PolicyName="p", Policy="{oops")
    assert raised.value.response["Error"]["Code"] == "InvalidPolicy"


def test_deleting_a_verified_address_stops_it_sending(ses):
    ses.delete_verified_email_address(EmailAddress="teacher@example.com")
    assert "teacher@example.com" not in ses.list_identities()["Identities"]
