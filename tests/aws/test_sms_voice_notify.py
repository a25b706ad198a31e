"""v2 Notify (templated code messages), RCS agents and available 10DLC numbers, through boto3."""

import pytest
from botocore.exceptions import ClientError

CUSTOMER = "+12065550142"


@pytest.fixture
def sms(aws):
    aws.sms.leave_sandbox()
    return aws.client("pinpoint-sms-voice-v2")


def configuration(sms, **extra):
    return sms.create_notify_configuration(
        DisplayName="Shop",
        UseCase="CODE_VERIFICATION",
        EnabledChannels=["SMS"],
        **{"EnabledCountries": ["US"], **extra},
    )


def test_a_notify_text_renders_a_template_and_lands_in_the_outbox(aws, sms):
    config = configuration(sms, DefaultTemplateId="simlab-otp-brand-en")
    assert (config["Status"], config["Tier"]) == ("ACTIVE", "BASIC")
    sent = sms.send_notify_text_message(
        NotifyConfigurationId=config["NotifyConfigurationId"],
        DestinationPhoneNumber=CUSTOMER,
        TemplateVariables={"code": "482913", "brand": "Shop"},
    )
    assert sent["TemplateId"] == "simlab-otp-brand-en"
    assert sent["ResolvedMessageBody"] == (
        "Shop: your verification code is 482913. It expires in 10 minutes."
    )
    entry = aws.outbox.last(to=CUSTOMER)
    assert (entry.message_id, entry.body, entry.origin) == (
        sent["MessageId"],
        sent["ResolvedMessageBody"],
        "Notify",
    )


def test_template_variables_are_checked_by_name(sms):
    config_id = configuration(sms)["NotifyConfigurationId"]
    for variables, field in (
        ({}, "TemplateVariables.code"),
        ({"code": "1", "x": "y"}, "TemplateVariables.x"),
    ):
        with pytest.raises(ClientError) as error:
            sms.send_notify_text_message(
                NotifyConfigurationId=config_id,
                DestinationPhoneNumber=CUSTOMER,
                TemplateVariables=variables,
            )
        assert error.value.response["Fields"][0]["Name"] == field


def test_channels_and_countries_limit_what_a_configuration_sends(sms):
    config_id = configuration(sms)["NotifyConfigurationId"]
    with pytest.raises(ClientError) as error:
        sms.send_notify_text_message(
            NotifyConfigurationId=config_id,
            DestinationPhoneNumber="+447700900123",
            TemplateVariables={"code": "123456"},
        )
    assert error.value.response["Reason"] == "DESTINATION_COUNTRY_BLOCKED"
    with pytest.raises(ClientError) as error:
        sms.send_notify_voice_message(
            NotifyConfigurationId=config_id,
            DestinationPhoneNumber=CUSTOMER,
            TemplateVariables={"code": "123456"},
        )
    assert error.value.response["Reason"] == "CHANNEL_NOT_ENABLED"


def test_a_notify_call_goes_out_from_the_configuration_pool(aws, sms):
    number = sms.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS", "VOICE"],
        NumberType="TOLL_FREE",
    )
    pool = sms.create_pool(OriginationIdentity=number["PhoneNumberId"], MessageType="TRANSACTIONAL")
    config = configuration(sms, PoolId=pool["PoolId"])
    sms.update_notify_configuration(
        NotifyConfigurationId=config["NotifyConfigurationId"], EnabledChannels=["SMS", "VOICE"]
    )
    sent = sms.send_notify_voice_message(
        NotifyConfigurationId=config["NotifyConfigurationId"],
        DestinationPhoneNumber=CUSTOMER,
        TemplateVariables={"code": "4829"},
    )
    entry = aws.outbox.last(to=CUSTOMER)
    assert (entry.channel, entry.origin, entry.body) == (
        "VOICE",
        number["PhoneNumber"],
        "Your verification code is 4829.",
    )
    assert entry.message_id == sent["MessageId"]


def test_configurations_templates_and_countries_are_described(sms):
    config = configuration(sms, DeletionProtectionEnabled=True)
    config_id = config["NotifyConfigurationId"]
    described = sms.describe_notify_configurations(
        Filters=[{"Name": "use-case", "Values": ["CODE_VERIFICATION"]}]
    )["NotifyConfigurations"]
    assert [c["NotifyConfigurationId"] for c in described] == [config_id]
    with pytest.raises(ClientError) as error:
        sms.delete_notify_configuration(NotifyConfigurationId=config_id)
    assert error.value.response["Reason"] == "DELETION_PROTECTION_ENABLED"
    sms.update_notify_configuration(
        NotifyConfigurationId=config_id, DeletionProtectionEnabled=False
    )
    assert sms.delete_notify_configuration(NotifyConfigurationId=config_id)["DisplayName"] == "Shop"
    templates = sms.describe_notify_templates(Filters=[{"Name": "channels", "Values": ["VOICE"]}])
    assert [t["TemplateId"] for t in templates["NotifyTemplates"]] == ["simlab-otp-basic-en"]
    assert templates["NotifyTemplates"][0]["Variables"]["code"]["Required"] is True
    countries = sms.list_notify_countries(Channels=["SMS"])["NotifyCountries"]
    us = next(c for c in countries if c["IsoCountryCode"] == "US")
    assert (us["CountryName"], us["SupportedChannels"]) == ("United States", ["SMS"])
    with pytest.raises(ClientError) as error:
        configuration(sms, EnabledCountries=["ZZ"])
    assert error.value.response["Fields"][0]["Name"] == "EnabledCountries[0]"


def test_rcs_agents_round_trip_and_sending_rcs_is_not_emulated(sms):
    agent = sms.create_rcs_agent(Tags=[{"Key": "team", "Value": "growth"}])
    assert agent["Status"] == "CREATED" and agent["OptOutListName"] == "Default"
    agent_id = agent["RcsAgentId"]
    assert [a["RcsAgentId"] for a in sms.describe_rcs_agents()["RcsAgents"]] == [agent_id]
    assert sms.list_tags_for_resource(ResourceArn=agent["RcsAgentArn"])["Tags"] == [
        {"Key": "team", "Value": "growth"}
    ]
    with pytest.raises(ClientError) as error:
        sms.update_rcs_agent(RcsAgentId=agent_id, TwoWayEnabled=True)
    assert error.value.response["Reason"] == "TWO_WAY_CHANNEL_NOT_PRESENT"
    updated = sms.update_rcs_agent(RcsAgentId=agent_id, DeletionProtectionEnabled=True)
    assert updated["DeletionProtectionEnabled"] is True
    status = sms.describe_rcs_agent_country_launch_status(
        RcsAgentId=agent_id, IsoCountryCodes=["US"]
    )
    assert status["CountryLaunchStatus"][0]["Status"] == "CREATED"
    with pytest.raises(ClientError) as error:
        sms.delete_rcs_agent(RcsAgentId=agent_id)
    assert error.value.response["Reason"] == "DELETION_PROTECTION_ENABLED"
    sms.update_rcs_agent(RcsAgentId=agent_id, DeletionProtectionEnabled=False)
    assert sms.delete_rcs_agent(RcsAgentId=agent_id)["Status"] == "DELETED"


def test_available_10dlc_numbers_follow_the_preference(sms):
    found = sms.list_available_phone_numbers(
        IsoCountryCode="US",
        NumberCapabilities=["SMS"],
        NumberType="TEN_DLC",
        NumberPreference=[{"PreferenceType": ["EndsWith"], "Filter": ["77"]}],
        MaxResults=3,
    )["AvailablePhoneNumbers"]
    assert len(found) == 3 and all(n.startswith("+1") and n.endswith("77") for n in found)
