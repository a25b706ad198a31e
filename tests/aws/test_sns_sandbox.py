"""SNS's SMS sandbox (shared with End User Messaging), origination numbers, data protection."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

NUMBER = "+12065550142"
POLICY = {
    "Name": "no-card-numbers",
    "Description": "deny credit card numbers",
    "Version": "2021-06-01",
    "Statement": [
        {
            "DataDirection": "Inbound",
            "Principal": ["*"],
            "DataIdentifier": ["arn:aws:dataprotection::aws:data-identifier/CreditCardNumber"],
            "Operation": {"Deny": {}},
        }
    ],
}


@pytest.fixture
def sns(aws):
    return aws.client("sns")


def _code(aws, number: str) -> str:
    return aws.outbox.last(channel="SMS", to=number).detail["code"]


def test_a_number_is_pending_until_its_password_is_verified(aws, sns):
    assert sns.get_sms_sandbox_account_status()["IsInSandbox"] is True
    sns.create_sms_sandbox_phone_number(PhoneNumber=NUMBER, LanguageCode="en-US")
    assert sns.list_sms_sandbox_phone_numbers()["PhoneNumbers"] == [
        {"PhoneNumber": NUMBER, "Status": "Pending"}
    ]
    with pytest.raises(ClientError) as raised:
        sns.verify_sms_sandbox_phone_number(PhoneNumber=NUMBER, OneTimePassword="000000x")
    assert raised.value.response["Error"]["Code"] == "VerificationException"
    sns.verify_sms_sandbox_phone_number(PhoneNumber=NUMBER, OneTimePassword=_code(aws, NUMBER))
    assert sns.list_sms_sandbox_phone_numbers()["PhoneNumbers"][0]["Status"] == "Verified"


def test_the_sandbox_is_the_one_end_user_messaging_sees(aws, sns):
    sns.create_sms_sandbox_phone_number(PhoneNumber=NUMBER)
    sns.verify_sms_sandbox_phone_number(PhoneNumber=NUMBER, OneTimePassword=_code(aws, NUMBER))
    seen = aws.client("pinpoint-sms-voice-v2").describe_verified_destination_numbers()
    assert [
        (n["DestinationPhoneNumber"], n["Status"]) for n in seen["VerifiedDestinationNumbers"]
    ] == [(NUMBER, "VERIFIED")]
    aws.sms.leave_sandbox()
    assert sns.get_sms_sandbox_account_status()["IsInSandbox"] is False


def test_a_number_can_be_deleted_only_a_day_after_its_last_attempt(aws, sns):
    sns.create_sms_sandbox_phone_number(PhoneNumber=NUMBER)
    with pytest.raises(ClientError) as raised:
        sns.delete_sms_sandbox_phone_number(PhoneNumber=NUMBER)
    assert raised.value.response["Error"]["Code"] == "UserError"
    aws.clock.advance(24 * 3600)
    sns.delete_sms_sandbox_phone_number(PhoneNumber=NUMBER)
    assert sns.list_sms_sandbox_phone_numbers()["PhoneNumbers"] == []
    with pytest.raises(ClientError) as raised:
        sns.delete_sms_sandbox_phone_number(PhoneNumber=NUMBER)
    assert raised.value.response["Error"]["Code"] == "ResourceNotFound"


def test_origination_numbers_are_the_numbers_the_account_leases(aws, sns):
    assert sns.list_origination_numbers()["PhoneNumbers"] == []
    leased = aws.client("pinpoint-sms-voice-v2").request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
    )
    numbers = sns.list_origination_numbers()["PhoneNumbers"]
    assert [(n["PhoneNumber"], n["Iso2CountryCode"], n["RouteType"]) for n in numbers] == [
        (leased["PhoneNumber"], "US", "Transactional")
    ]


def test_a_data_protection_policy_is_kept_on_its_topic(sns):
    topic = sns.create_topic(Name="payments")["TopicArn"]
    assert sns.get_data_protection_policy(ResourceArn=topic)["DataProtectionPolicy"] == ""
    sns.put_data_protection_policy(ResourceArn=topic, DataProtectionPolicy=json.dumps(POLICY))
    stored = sns.get_data_protection_policy(ResourceArn=topic)["DataProtectionPolicy"]
    assert json.loads(stored)["Name"] == "no-card-numbers"
    with pytest.raises(ClientError) as raised:
        sns.put_data_protection_policy(ResourceArn=topic, DataProtectionPolicy='{"Name": "x"}')
    assert raised.value.response["Error"]["Code"] == "InvalidParameter"
    assert "Version" in raised.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as raised:
        sns.get_data_protection_policy(ResourceArn=topic + "-gone")
    assert raised.value.response["Error"]["Code"] == "NotFound"


def test_a_disabled_endpoint_is_refused_before_its_json_is_read(sns):
    app = sns.create_platform_application(
        Name="app", Platform="GCM", Attributes={"PlatformCredential": "key"}
    )["PlatformApplicationArn"]
    endpoint = sns.create_platform_endpoint(
        PlatformApplicationArn=app, Token="device", Attributes={"Enabled": "false"}
    )["EndpointArn"]
    with pytest.raises(ClientError) as raised:
        sns.publish(TargetArn=endpoint, Message="not json", MessageStructure="json")
    assert raised.value.response["Error"]["Code"] == "EndpointDisabled"
