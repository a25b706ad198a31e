"""Reading a request's key, and refusing one the room does not know, per protocol."""

import json

import pytest

from simlab.room import gate

SIGV4 = (
    "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEKEY000001/20260105/us-east-1/{service}/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=abc"
)


@pytest.mark.parametrize(
    ("headers", "query", "expected"),
    [
        ({"Authorization": SIGV4.format(service="sns")}, "", ("AKIAEXAMPLEKEY000001", "sns")),
        ({"authorization": SIGV4.format(service="s3")}, "", ("AKIAEXAMPLEKEY000001", "s3")),
        ({"Authorization": "AWS AKIAOLDSTYLE00000001:c2ln"}, "", ("AKIAOLDSTYLE00000001", "s3")),
        (
            {},
            "X-Amz-Credential=AKIAPRESIGNED0000001%2F20260105%2Fus-east-1%2Fs3%2Faws4_request",
            ("AKIAPRESIGNED0000001", "s3"),
        ),
        ({}, "AWSAccessKeyId=AKIAV2PRESIGNED00001&Expires=1", ("AKIAV2PRESIGNED00001", "s3")),
        ({}, "", (None, None)),
    ],
)
def test_the_access_key_is_read_wherever_a_client_puts_it(headers, query, expected):
    who = gate.caller(headers, query)
    assert (who.access_key_id, who.service) == expected


def test_a_query_api_refusal_is_an_error_response_botocore_reads():
    status, headers, body = gate.refusal(
        {"Authorization": SIGV4.format(service="sns"),
         "Content-Type": "application/x-www-form-urlencoded"},
        b"Action=ListTopics&Version=2010-03-31",
    )  # fmt: skip
    assert status == 403
    assert b"<Code>InvalidClientTokenId</Code>" in body and b"<Type>Sender</Type>" in body
    assert gate.error_code(status, headers, body) == ("InvalidClientTokenId", gate.INVALID_TOKEN)


def test_a_missing_key_is_a_missing_token_and_s3_says_access_denied():
    status, headers, body = gate.refusal({"X-Amz-Target": "AmazonSQS.ListQueues"}, b"{}")
    assert (status, json.loads(body)["__type"]) == (403, "MissingAuthenticationToken")
    status, _, body = gate.refusal({"Authorization": SIGV4.format(service="s3")}, b"")
    assert status == 403 and b"<Code>InvalidAccessKeyId</Code>" in body
    assert b"<AWSAccessKeyId>AKIAEXAMPLEKEY000001</AWSAccessKeyId>" in body


def test_confirm_subscription_names_the_topics_account_and_nothing_else_does():
    query = (
        "Action=ConfirmSubscription&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A210987654321%3At&Token=x"
    )
    assert gate.confirming_account(b"", query) == "210987654321"
    assert gate.confirming_account(b"Action=Publish&TopicArn=arn:aws:sns:us-east-1:1:t", "") is None
    assert gate.is_certificate("/SimpleNotificationService-0a1b2c.pem")
    assert not gate.is_certificate("/simlab/outbox")


XML_ERROR = (
    b"<ErrorResponse><Error><Code>NotFound</Code><Message>gone</Message></Error></ErrorResponse>"
)
JSON_ERROR = b'{"__type": "com.amazon#ThrottlingException", "message": "slow"}'


@pytest.mark.parametrize(
    ("headers", "body", "expected"),
    [
        (
            {"x-amzn-ErrorType": "NotFoundException:x"},
            b'{"message": "no"}',
            ("NotFoundException", "no"),
        ),
        ({}, JSON_ERROR, ("ThrottlingException", "slow")),
        ({}, XML_ERROR, ("NotFound", "gone")),
        ({}, b"", ("HTTP404", "")),
    ],
)
def test_an_answers_error_code_is_read_from_any_protocol(headers, body, expected):
    assert gate.error_code(404, headers, body) == expected
    assert gate.error_code(200, headers, body) is None
