"""End User Messaging Notify: code configurations, and a code sent by SMS or voice and validated."""

import pytest
from botocore.exceptions import ClientError

CUSTOMER = "+12065550142"


@pytest.fixture
def eum(aws):
    return aws.client("endusermessaging")


@pytest.fixture
def number(aws):
    sms = aws.client("pinpoint-sms-voice-v2")
    aws.sms.leave_sandbox()
    return sms.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS", "VOICE"],
        NumberType="TOLL_FREE",
    )["PhoneNumber"]


def code_configuration(eum, **parameters):
    return eum.create_notify_code_configuration(
        notifyCodeConfigurationName="login",
        codeConfigurationParameters={"codeLength": 6, "maxAttempts": 3, **parameters},
        channelParameters={"text": {"inlineTemplateBody": "Shop code: {{code}}"}},
    )["notifyCodeConfiguration"]


def send(eum, number, config=None, **extra):
    request = {
        "channel": "TEXT",
        "destinationIdentity": CUSTOMER,
        "originationIdentity": number,
        "referenceId": "login-1",
        **extra,
    }
    if config is not None:
        request["notifyCodeConfiguration"] = config["notifyCodeConfigurationId"]
    return eum.send_notify_code_verification(**request)


def validate(eum, code, reference="login-1"):
    return eum.validate_notify_code_verification(
        destinationIdentity=CUSTOMER, referenceId=reference, code=code
    )["status"]


def test_code_configurations_are_created_read_listed_updated_and_deleted(eum):
    config = code_configuration(eum, validityPeriodMinutes=5)
    assert config["codeConfigurationParameters"] == {
        "codeLength": 6,
        "maxAttempts": 3,
        "validityPeriodMinutes": 5,
    }
    config_id = config["notifyCodeConfigurationId"]
    got = eum.get_notify_code_configuration(
        notifyCodeConfigurationId=config["notifyCodeConfigurationArn"]
    )
    assert got["notifyCodeConfiguration"]["notifyCodeConfigurationName"] == "login"
    listed = eum.list_notify_code_configurations()["notifyCodeConfigurations"]
    assert [c["notifyCodeConfigurationId"] for c in listed] == [config_id]
    updated = eum.update_notify_code_configuration(
        notifyCodeConfigurationId=config_id,
        codeConfigurationParameters={"codeType": "ALPHA"},
        deletionProtectionEnabled=True,
    )["notifyCodeConfiguration"]
    assert updated["codeConfigurationParameters"]["codeType"] == "ALPHA"
    assert updated["codeConfigurationParameters"]["codeLength"] == 6
    with pytest.raises(ClientError) as error:
        eum.delete_notify_code_configuration(notifyCodeConfigurationId=config_id)
    assert error.value.response["Error"]["Code"] == "ConflictException"
    eum.update_notify_code_configuration(
        notifyCodeConfigurationId=config_id, deletionProtectionEnabled=False
    )
    eum.delete_notify_code_configuration(notifyCodeConfigurationId=config_id)
    with pytest.raises(eum.exceptions.ResourceNotFoundException):
        eum.get_notify_code_configuration(notifyCodeConfigurationId=config_id)


def test_a_template_without_the_code_placeholder_is_refused_naming_the_field(eum):
    with pytest.raises(ClientError) as error:
        eum.create_notify_code_configuration(
            notifyCodeConfigurationName="bad",
            channelParameters={"text": {"inlineTemplateBody": "Welcome!"}},
        )
    response = error.value.response
    assert response["Error"]["Code"] == "ValidationException"
    assert response["fieldList"][0]["path"] == "channelParameters.text.inlineTemplateBody"


def test_a_code_goes_out_as_an_sms_in_the_outbox_and_validates_once(aws, eum, number):
    config = code_configuration(eum)
    sent = send(eum, number, config)
    entry = aws.outbox.last(to=CUSTOMER)
    code = entry.detail["code"]
    assert entry.service == "endusermessaging" and entry.detail["carrier"] == "sms-voice"
    assert entry.body == f"Shop code: {code}" and len(code) == 6 and code.isdigit()
    assert entry.message_id == sent["messageId"]
    assert entry.detail["verification_id"] == sent["verificationId"]
    assert validate(eum, code) == "VALID"
    assert validate(eum, code) == "INVALID"  # a code is used up by its first success


def test_a_wrong_code_uses_an_attempt_and_the_attempts_run_out(aws, eum, number):
    config = code_configuration(eum, maxAttempts=2)
    send(eum, number, config)
    code = aws.outbox.last(to=CUSTOMER).detail["code"]
    wrong = "000000" if code != "000000" else "111111"
    assert validate(eum, wrong) == "INVALID"
    assert validate(eum, wrong) == "INVALID"
    assert validate(eum, code) == "INVALID"  # two attempts were allowed


def test_a_code_expires_with_its_validity_period_on_the_simulated_clock(aws, eum, number):
    config = code_configuration(eum, validityPeriodMinutes=5)
    send(eum, number, config)
    code = aws.outbox.last(to=CUSTOMER).detail["code"]
    aws.clock.advance(5 * 60)
    assert validate(eum, code) == "INVALID"


def test_the_reference_id_binds_a_send_to_its_validation(aws, eum, number):
    send(eum, number)
    code = aws.outbox.last(to=CUSTOMER).detail["code"]
    assert validate(eum, code, reference="other-flow") == "INVALID"
    assert validate(eum, code) == "VALID"


def test_defaults_apply_without_a_configuration_and_overrides_win(aws, eum, number):
    send(eum, number)
    default = aws.outbox.last(to=CUSTOMER)
    assert len(default.detail["code"]) == 6 and "expires in 10 minutes" in default.body
    send(
        eum,
        number,
        overrideCodeConfigurationParameters={"codeType": "ALPHA", "codeLength": 8},
        referenceId="login-2",
    )
    code = aws.outbox.last(to=CUSTOMER).detail["code"]
    assert len(code) == 8 and code.isalpha() and code.isupper()


def test_the_policy_is_captured_at_send_time(aws, eum, number):
    config = code_configuration(eum, validityPeriodMinutes=30)
    send(eum, number, config)
    code = aws.outbox.last(to=CUSTOMER).detail["code"]
    eum.update_notify_code_configuration(
        notifyCodeConfigurationId=config["notifyCodeConfigurationId"],
        codeConfigurationParameters={"validityPeriodMinutes": 1},
    )
    aws.clock.advance(10 * 60)
    assert validate(eum, code) == "VALID"


def test_a_voice_code_is_a_call_that_reads_the_code(aws, eum, number):
    send(eum, number, channel="VOICE")
    entry = aws.outbox.last(to=CUSTOMER)
    code = entry.detail["code"]
    assert entry.channel == "VOICE" and ", ".join(code) in entry.body
    assert validate(eum, code) == "VALID"


def test_the_sandbox_refuses_a_code_even_to_a_verified_destination(aws, eum):
    """OTP needs production access: a verified tester's phone is not enough (send-validate-otp)."""
    sms = aws.client("pinpoint-sms-voice-v2")
    number = sms.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
    )["PhoneNumber"]
    verified = sms.create_verified_destination_number(DestinationPhoneNumber=CUSTOMER)
    verified_id = verified["VerifiedDestinationNumberId"]
    sms.send_destination_number_verification_code(
        VerifiedDestinationNumberId=verified_id, VerificationChannel="TEXT"
    )
    sms.verify_destination_number(
        VerifiedDestinationNumberId=verified_id, VerificationCode=aws.sms.last_code(CUSTOMER)
    )
    sent_before = len(aws.outbox)
    with pytest.raises(ClientError) as error:
        send(eum, number)
    assert error.value.response["Error"]["Code"] == "ConflictException"
    assert error.value.response["resourceType"] == "account"
    assert "production access" in error.value.response["Error"]["Message"]
    assert len(aws.outbox) == sent_before
    assert validate(eum, "000000") == "INVALID"


def test_whatsapp_is_refused_as_not_emulated(eum, number):
    with pytest.raises(ClientError) as error:
        send(eum, number, channel="WHATSAPP")
    assert error.value.response["fieldList"][0]["path"] == "channel"


def test_a_bad_destination_is_refused_naming_this_api_s_field(eum, number):
    with pytest.raises(ClientError) as error:
        send(eum, number, destinationIdentity="12065550142")
    assert error.value.response["fieldList"][0]["path"] == "destinationIdentity"
