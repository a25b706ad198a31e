"""Rules the exam material relies on, through the APIs a learner calls.

OTP needs production access and an active origination identity
(https://docs.aws.amazon.com/pinpoint/latest/developerguide/send-validate-otp.html); US toll-free
opt-outs are the carrier's: STOP only, a reply that cannot be customised
(https://docs.aws.amazon.com/sms-voice/latest/userguide/keywords-required.html).
"""

import pytest
from botocore.exceptions import ClientError

from simlab.engage.sms import TOLL_FREE_STOP_REPLY

CUSTOMER = "+12065550142"


def request_number(aws, key="PhoneNumber"):
    return aws.client("pinpoint-sms-voice-v2").request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
    )[key]


def verify_destination(aws, number):
    sms = aws.client("pinpoint-sms-voice-v2")
    verified_id = sms.create_verified_destination_number(DestinationPhoneNumber=number)[
        "VerifiedDestinationNumberId"
    ]
    sms.send_destination_number_verification_code(
        VerifiedDestinationNumberId=verified_id, VerificationChannel="TEXT"
    )
    sms.verify_destination_number(
        VerifiedDestinationNumberId=verified_id, VerificationCode=aws.sms.last_code(number)
    )


def send_otp(aws, origination):
    pinpoint = aws.client("pinpoint")
    app = pinpoint.create_app(CreateApplicationRequest={"Name": "shop"})["ApplicationResponse"]
    return pinpoint.send_otp_message(
        ApplicationId=app["Id"],
        SendOTPMessageRequestParameters={
            "BrandName": "Shop",
            "ReferenceId": "login-1",
            "Channel": "SMS",
            "DestinationIdentity": CUSTOMER,
            "OriginationIdentity": origination,
        },
    )


def test_pinpoint_otp_is_refused_in_the_sandbox_even_to_a_verified_phone(aws):
    number = request_number(aws)
    verify_destination(aws, CUSTOMER)
    sent = len(aws.outbox)
    with pytest.raises(ClientError) as error:
        send_otp(aws, number)
    assert error.value.response["Error"]["Code"] == "BadRequestException"
    assert "production access" in error.value.response["Error"]["Message"]
    assert len(aws.outbox) == sent


def test_pinpoint_otp_needs_an_active_identity_after_production_access(aws):
    aws.sms.require_registration()
    aws.sms.leave_sandbox()
    number = request_number(aws)  # PENDING until its registration is approved
    with pytest.raises(ClientError) as error:
        send_otp(aws, number)
    assert error.value.response["Error"]["Code"] == "BadRequestException"
    assert "active origination identity" in error.value.response["Error"]["Message"]


def test_pinpoint_otp_is_sent_with_production_access_and_an_active_number(aws):
    aws.sms.leave_sandbox()
    result = send_otp(aws, request_number(aws))["MessageResponse"]["Result"][CUSTOMER]
    assert result["DeliveryStatus"] == "SUCCESSFUL"


def test_a_us_toll_free_stop_reply_cannot_be_customised_through_the_api(aws):
    sms = aws.client("pinpoint-sms-voice-v2")
    number_id = request_number(aws, "PhoneNumberId")
    with pytest.raises(ClientError) as error:
        sms.put_keyword(OriginationIdentity=number_id, Keyword="STOP", KeywordMessage="Bye")
    assert error.value.response["Error"]["Code"] == "ConflictException"
    assert error.value.response["Reason"] == "RESOURCE_MODIFICATION_NOT_ALLOWED"
    number = sms.describe_phone_numbers(PhoneNumberIds=[number_id])["PhoneNumbers"][0]
    aws.sms.reply(CUSTOMER, number["PhoneNumber"], "STOP")
    assert aws.outbox.last(to=CUSTOMER).body == TOLL_FREE_STOP_REPLY
    opted = sms.describe_opted_out_numbers(OptOutListName="Default")["OptedOutNumbers"]
    assert [(o["OptedOutNumber"], o["EndUserOptedOut"]) for o in opted] == [(CUSTOMER, True)]
