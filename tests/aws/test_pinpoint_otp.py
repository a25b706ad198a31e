"""Pinpoint SendOTPMessage / VerifyOTPMessage: the code goes out through the SMS engine."""

import pytest
from botocore.exceptions import ClientError

CUSTOMER = "+12065550142"


@pytest.fixture
def setup(aws):
    pinpoint = aws.client("pinpoint")
    app = pinpoint.create_app(CreateApplicationRequest={"Name": "shop"})["ApplicationResponse"][
        "Id"
    ]
    number = aws.client("pinpoint-sms-voice-v2").request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
    )["PhoneNumber"]
    aws.sms.leave_sandbox()
    return pinpoint, app, number


def send(pinpoint, app, number, **extra):
    parameters = {
        "BrandName": "Shop",
        "ReferenceId": "login-1",
        "Channel": "SMS",
        "DestinationIdentity": CUSTOMER,
        "OriginationIdentity": number,
        **extra,
    }
    return pinpoint.send_otp_message(ApplicationId=app, SendOTPMessageRequestParameters=parameters)


def verify(pinpoint, app, otp, reference="login-1"):
    parameters = {"ReferenceId": reference, "Otp": otp, "DestinationIdentity": CUSTOMER}
    response = pinpoint.verify_otp_message(
        ApplicationId=app, VerifyOTPMessageRequestParameters=parameters
    )
    return response["VerificationResponse"]["Valid"]


def test_the_code_is_texted_and_verifies_once(aws, setup):
    pinpoint, app, number = setup
    response = send(pinpoint, app, number, CodeLength=7)["MessageResponse"]
    result = response["Result"][CUSTOMER]
    assert (response["ApplicationId"], result["DeliveryStatus"], result["StatusCode"]) == (
        app,
        "SUCCESSFUL",
        200,
    )
    text = aws.outbox.last(service="sms-voice", to=CUSTOMER)
    assert text.message_id == result["MessageId"] and text.origin == number
    code = text.body.split(": ")[1].split()[0]
    assert text.body == f"This is your One Time Password: {code} from Shop" and len(code) == 7
    assert verify(pinpoint, app, "0000000" if code != "0000000" else "1111111") is False
    assert verify(pinpoint, app, code) is True
    assert verify(pinpoint, app, code) is False


def test_the_code_expires_with_the_validity_period(aws, setup):
    pinpoint, app, number = setup
    send(pinpoint, app, number, ValidityPeriod=5)
    code = aws.outbox.last(to=CUSTOMER).body.split(": ")[1].split()[0]
    aws.clock.advance(5 * 60)
    assert verify(pinpoint, app, code) is False


def test_an_opted_out_destination_gets_no_code(aws, setup):
    pinpoint, app, number = setup
    aws.sms.reply(CUSTOMER, number, "STOP")
    result = send(pinpoint, app, number)["MessageResponse"]["Result"][CUSTOMER]
    assert result["DeliveryStatus"] == "OPT_OUT" and "opted out" in result["StatusMessage"]
    assert verify(pinpoint, app, "000000") is False


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"CodeLength": 4}, "CodeLength must be 5..8"),
        ({"Channel": "EMAIL"}, "Channel must be one of SMS"),
        ({"OriginationIdentity": "+18005550000"}, "OriginationIdentity"),
        ({"DestinationIdentity": "2065550142"}, "E.164"),
    ],
)
def test_bad_requests_answer_bad_request_naming_the_field(setup, extra, words):
    pinpoint, app, number = setup
    with pytest.raises(ClientError) as caught:
        send(pinpoint, app, number, **extra)
    assert caught.value.response["Error"]["Code"] == "BadRequestException"
    assert words in caught.value.response["Error"]["Message"]


def test_an_unknown_app_is_not_found(setup):
    pinpoint, _, number = setup
    with pytest.raises(ClientError) as caught:
        send(pinpoint, "0" * 32, number)
    assert caught.value.response["Error"]["Code"] == "NotFoundException"


@pytest.mark.server
def test_otp_works_over_http(server_aws):
    pinpoint = server_aws.client("pinpoint")
    app = pinpoint.create_app(CreateApplicationRequest={"Name": "shop"})["ApplicationResponse"][
        "Id"
    ]
    number = server_aws.client("pinpoint-sms-voice-v2").request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
    )["PhoneNumber"]
    server_aws.sms.leave_sandbox()
    send(pinpoint, app, number)
    code = server_aws.outbox.last(to=CUSTOMER).body.split(": ")[1].split()[0]
    assert verify(pinpoint, app, code) is True
