"""moto's own contracts, kept by what simlab extends; each intended difference named and tested.

Code written against moto reads its records: ``ses_backends[...].sent_messages`` (``Message``,
``RawMessage``, ``TemplateMessage``), ``sent_message_count``, ``sns_backends[...].sms_messages``,
and the data API (``GET /moto-api/data.json``) that lists every tracked model. simlab sends
through its own rules, so these tests hold it to moto's records. ``INTENDED`` lists where simlab
answers differently on purpose, because AWS does; each entry has a test below.
"""

from __future__ import annotations

import json
import urllib.request

import pytest
from botocore.exceptions import ClientError
from moto.ses.models import Message, RawMessage, TemplateMessage, ses_backends
from moto.sns.models import sns_backends

ACCOUNT, REGION = "123456789012", "us-east-1"
SENDER = "office@school.example"
RAW = f"From: {SENDER}\nTo: {SENDER}\nSubject: Raw hello\n\nraw body"

#: Where simlab answers differently from moto on purpose, and the test that shows it.
INTENDED = {
    "sandbox": "SES refuses unverified recipients in the sandbox (moto sends anywhere)",
    "rate": "SES throttles past the sandbox sending rate of 1 message a second",
    "tokens": "each domain has its own DKIM and verification tokens (moto: the same ones)",
    "email-token": "an email-address identity has no VerificationToken, as in AWS",
    "v2-template": "SES v2 sends a templated message (moto raises NotImplementedError)",
    "endpoint": "a disabled endpoint answers EndpointDisabled before its JSON is read",
    "sms-sandbox": "in the SMS sandbox a text to an unverified number fails delivery",
    "verified-at-once": "a new identity is verified for sending at once, with Easy DKIM on",
}


@pytest.fixture
def ses(aws):
    client = aws.client("ses")
    client.verify_domain_identity(Domain="school.example")
    return client


def _core():
    return ses_backends[ACCOUNT][REGION]


def test_every_intended_difference_has_a_test():
    tested = {
        name.removeprefix("test_intended_").replace("_", "-")
        for name in globals()
        if name.startswith("test_intended_")
    }
    assert tested == set(INTENDED)


# -- moto's records -------------------------------------------------------------------------


def test_v1_sends_leave_moto_s_records_of_each_kind(aws, ses):
    ses.send_email(
        Source=SENDER,
        Destination={"ToAddresses": [SENDER]},
        Message={"Subject": {"Data": "Plain"}, "Body": {"Text": {"Data": "plain body"}}},
    )
    aws.clock.advance(1)
    ses.send_raw_email(RawMessage={"Data": RAW})
    aws.clock.advance(1)
    ses.create_template(
        Template={"TemplateName": "hi", "SubjectPart": "Hi {{name}}", "TextPart": "t"}
    )
    ses.send_templated_email(
        Source=SENDER,
        Destination={"ToAddresses": [SENDER]},
        Template="hi",
        TemplateData='{"name": "Ana"}',
    )
    plain, raw, templated = _core().sent_messages
    assert isinstance(plain, Message) and plain.subject == "Plain" and plain.body == "plain body"
    assert isinstance(raw, RawMessage) and "raw body" in raw.raw_data
    assert isinstance(templated, TemplateMessage)
    assert (templated.template, json.loads(templated.template_data)) == ("hi", {"name": "Ana"})
    assert _core().sent_message_count == 3


def test_v2_raw_and_templated_sends_leave_moto_s_records(aws, ses):
    sesv2 = aws.client("sesv2")
    sesv2.send_email(
        FromEmailAddress=SENDER,
        Destination={"ToAddresses": [SENDER]},
        Content={"Raw": {"Data": RAW.encode()}},
    )
    aws.clock.advance(1)
    ses.create_template(Template={"TemplateName": "hi", "SubjectPart": "Hi", "TextPart": "t"})
    sesv2.send_email(
        FromEmailAddress=SENDER,
        Destination={"ToAddresses": [SENDER]},
        Content={"Template": {"TemplateName": "hi", "TemplateData": "{}"}},
    )
    raw, templated = _core().sent_messages
    assert isinstance(raw, RawMessage) and raw.destinations == [SENDER]
    assert isinstance(templated, TemplateMessage) and templated.template == "hi"


def test_bulk_sends_over_50_destinations_are_refused_as_moto_refuses_them(ses):
    ses.create_template(Template={"TemplateName": "hi", "SubjectPart": "Hi", "TextPart": "t"})
    with pytest.raises(ClientError) as raised:
        ses.send_bulk_templated_email(
            Source=SENDER,
            Template="hi",
            DefaultTemplateData="{}",
            Destinations=[{"Destination": {"ToAddresses": [SENDER]}}] * 51,
        )
    assert raised.value.response["Error"] == {
        "Type": "Sender",
        "Code": "MessageRejected",
        "Message": "Too many destinations.",
    }
    assert _core().sent_messages == []


def test_a_direct_sms_is_in_moto_s_records(aws):
    aws.sms.leave_sandbox()
    message_id = aws.client("sns").publish(PhoneNumber="+12065550100", Message="code 1234")[
        "MessageId"
    ]
    backend = sns_backends[ACCOUNT][REGION]
    assert backend.sms_messages[message_id] == ("+12065550100", "code 1234")
    assert backend.sms_message_objects[message_id].message == "code 1234"


def test_moto_s_data_api_lists_ses_messages_and_sms(server_aws):
    ses = server_aws.client("ses")
    ses.verify_domain_identity(Domain="school.example")
    ses.send_raw_email(RawMessage={"Data": RAW})
    server_aws.sms.leave_sandbox()
    server_aws.client("sns").publish(PhoneNumber="+12065550100", Message="code 1234")
    with urllib.request.urlopen(f"{server_aws.endpoint_url}/moto-api/data.json") as answer:
        data = json.loads(answer.read())
    assert [m["raw_data"] for m in data["ses"]["RawMessage"]] == [RAW]
    assert [(m["phone_number"], m["message"]) for m in data["sns"]["SMS"]] == [
        ("+12065550100", "code 1234")
    ]


# -- intended differences -----------------------------------------------------------------


def test_intended_sandbox(ses):
    with pytest.raises(ClientError) as raised:
        ses.send_email(
            Source=SENDER,
            Destination={"ToAddresses": ["stranger@elsewhere.example"]},
            Message={"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "t"}}},
        )
    assert raised.value.response["Error"]["Code"] == "MessageRejected"


def test_intended_rate(ses):
    message = {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "t"}}}
    ses.send_email(Source=SENDER, Destination={"ToAddresses": [SENDER]}, Message=message)
    with pytest.raises(ClientError) as raised:
        ses.send_email(Source=SENDER, Destination={"ToAddresses": [SENDER]}, Message=message)
    assert raised.value.response["Error"]["Code"] == "Throttling"


def test_intended_tokens(ses):
    one = ses.verify_domain_dkim(Domain="one.example")["DkimTokens"]
    two = ses.verify_domain_dkim(Domain="two.example")["DkimTokens"]
    assert not set(one) & set(two)


def test_intended_email_token(ses):
    ses.verify_email_identity(EmailAddress="ana@home.example")
    found = ses.get_identity_verification_attributes(Identities=["ana@home.example"])
    assert "VerificationToken" not in found["VerificationAttributes"]["ana@home.example"]


def test_intended_v2_template(aws, ses):
    ses.create_template(Template={"TemplateName": "hi", "SubjectPart": "Hi {{n}}", "TextPart": "t"})
    aws.client("sesv2").send_email(
        FromEmailAddress=SENDER,
        Destination={"ToAddresses": [SENDER]},
        Content={"Template": {"TemplateName": "hi", "TemplateData": '{"n": "Ana"}'}},
    )
    assert aws.outbox.last(channel="EMAIL").subject == "Hi Ana"


def test_intended_endpoint(aws):
    sns = aws.client("sns")
    app = sns.create_platform_application(
        Name="app", Platform="GCM", Attributes={"PlatformCredential": "key"}
    )["PlatformApplicationArn"]
    endpoint = sns.create_platform_endpoint(
        PlatformApplicationArn=app, Token="t", Attributes={"Enabled": "false"}
    )["EndpointArn"]
    with pytest.raises(ClientError) as raised:
        sns.publish(TargetArn=endpoint, Message="{not json", MessageStructure="json")
    assert raised.value.response["Error"]["Code"] == "EndpointDisabled"


def test_intended_sms_sandbox(aws):
    sns = aws.client("sns")
    sns.publish(PhoneNumber="+12065550100", Message="code 1234")
    failed = aws.outbox.last(channel="SMS")
    assert failed.status == "FAILED" and "SMS sandbox" in failed.detail["reason"]
    sns.create_sms_sandbox_phone_number(PhoneNumber="+12065550100")
    code = aws.outbox.last(channel="SMS", to="+12065550100").detail["code"]
    sns.verify_sms_sandbox_phone_number(PhoneNumber="+12065550100", OneTimePassword=code)
    sns.publish(PhoneNumber="+12065550100", Message="code 5678")
    assert aws.outbox.last(channel="SMS").detail.get("reason", "") == "" or (
        "sandbox" not in aws.outbox.last(channel="SMS").detail["reason"]
    )


def test_intended_verified_at_once(aws):
    created = aws.client("sesv2").create_email_identity(EmailIdentity="school.example")
    assert created["VerifiedForSendingStatus"] is True
    assert created["DkimAttributes"]["Status"] == "SUCCESS"
