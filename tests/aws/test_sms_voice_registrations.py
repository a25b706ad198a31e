"""v2 registrations, protect configurations and the smaller operations, through boto3."""

import json
import urllib.request

import pytest
from botocore.exceptions import ClientError

CUSTOMER = "+12065550142"
TOLL_FREE = "US_TOLL_FREE_REGISTRATION"
SAMPLES = {
    "website": "https://shop.example.com",
    "privacyPolicyUrl": "https://shop.example.com/privacy",
    "termsAndConditionsUrl": "https://shop.example.com/terms",
    "supportEmail": "help@shop.example.com",
}


@pytest.fixture
def sms(aws):
    aws.sms.leave_sandbox()
    return aws.client("pinpoint-sms-voice-v2")


def fill(sms, registration_id, kind=TOLL_FREE, **values):
    definitions = sms.describe_registration_field_definitions(RegistrationType=kind)
    for definition in definitions["RegistrationFieldDefinitions"]:
        path = definition["FieldPath"]
        if definition["FieldRequirement"] != "REQUIRED":
            continue
        if definition["FieldType"] == "SELECT":
            choice = [definition["SelectValidation"]["Options"][0]]
            sms.put_registration_field_value(
                RegistrationId=registration_id, FieldPath=path, SelectChoices=choice
            )
        else:
            text = values.get(path, SAMPLES.get(path.rsplit(".", 1)[-1], "Example Shop"))
            sms.put_registration_field_value(
                RegistrationId=registration_id, FieldPath=path, TextValue=text
            )


def toll_free(sms, registration_id=None):
    extra = {"RegistrationId": registration_id} if registration_id else {}
    return sms.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS", "MMS"],
        NumberType="TOLL_FREE",
        **extra,
    )


def send(sms, number):
    return sms.send_text_message(
        DestinationPhoneNumber=CUSTOMER,
        OriginationIdentity=number,
        MessageBody="Your order shipped",
    )


def status(sms, registration_id):
    found = sms.describe_registrations(RegistrationIds=[registration_id])["Registrations"]
    return found[0]["RegistrationStatus"]


def test_a_toll_free_number_sends_only_after_its_registration_is_approved(aws, sms):
    registration = sms.create_registration(RegistrationType=TOLL_FREE)
    registration_id = registration["RegistrationId"]
    assert (registration["RegistrationStatus"], registration["CurrentVersionNumber"]) == (
        "CREATED",
        1,
    )
    number = toll_free(sms, registration_id)
    assert number["Status"] == "PENDING"
    with pytest.raises(ClientError) as error:
        send(sms, number["PhoneNumberId"])
    assert error.value.response["Reason"] == "REGISTRATION_NOT_COMPLETE"

    fill(sms, registration_id)
    submitted = sms.submit_registration_version(RegistrationId=registration_id)
    assert submitted["RegistrationVersionStatus"] == "SUBMITTED"
    aws.clock.advance(3600)
    assert status(sms, registration_id) == "REVIEWING"
    with pytest.raises(ClientError):
        send(sms, number["PhoneNumberId"])
    aws.clock.advance(15 * 86_400)
    assert status(sms, registration_id) == "COMPLETE"
    described = sms.describe_phone_numbers(PhoneNumberIds=[number["PhoneNumberId"]])
    assert described["PhoneNumbers"][0]["Status"] == "ACTIVE"
    assert send(sms, number["PhoneNumberId"])["MessageId"]
    history = sms.describe_registration_versions(RegistrationId=registration_id)
    version = history["RegistrationVersions"][0]
    assert version["RegistrationVersionStatus"] == "APPROVED"
    assert set(version["RegistrationVersionStatusHistory"]) == {
        "DraftTimestamp",
        "SubmittedTimestamp",
        "ReviewingTimestamp",
        "ApprovedTimestamp",
    }


def test_submitting_with_required_fields_missing_names_the_first(sms):
    registration_id = sms.create_registration(RegistrationType=TOLL_FREE)["RegistrationId"]
    with pytest.raises(ClientError) as error:
        sms.submit_registration_version(RegistrationId=registration_id)
    assert error.value.response["Fields"][0]["Name"] == "companyInfo.companyName"


def test_field_values_are_checked_against_the_form(sms):
    registration_id = sms.create_registration(RegistrationType=TOLL_FREE)["RegistrationId"]
    with pytest.raises(ClientError) as error:
        sms.put_registration_field_value(
            RegistrationId=registration_id, FieldPath="companyInfo.shoeSize", TextValue="9"
        )
    assert error.value.response["Reason"] == "UNKNOWN_REGISTRATION_FIELD"
    sms.put_registration_field_value(
        RegistrationId=registration_id, FieldPath="companyInfo.companyName", TextValue="Shop"
    )
    values = sms.describe_registration_field_values(RegistrationId=registration_id)
    assert values["RegistrationFieldValues"] == [
        {"FieldPath": "companyInfo.companyName", "TextValue": "Shop"}
    ]
    sms.delete_registration_field_value(
        RegistrationId=registration_id, FieldPath="companyInfo.companyName"
    )
    values = sms.describe_registration_field_values(RegistrationId=registration_id)
    assert values["RegistrationFieldValues"] == []


def test_a_10dlc_campaign_needs_an_approved_brand(aws, sms):
    brand = sms.create_registration(RegistrationType="US_TEN_DLC_BRAND_REGISTRATION")
    campaign = sms.create_registration(RegistrationType="US_TEN_DLC_CAMPAIGN_REGISTRATION")
    fill(sms, brand["RegistrationId"], "US_TEN_DLC_BRAND_REGISTRATION")
    paths = {"campaignInfo.brandRegistrationId": brand["RegistrationId"]}
    fill(sms, campaign["RegistrationId"], "US_TEN_DLC_CAMPAIGN_REGISTRATION", **paths)
    with pytest.raises(ClientError) as error:
        sms.submit_registration_version(RegistrationId=campaign["RegistrationId"])
    assert error.value.response["Reason"] == "REGISTRATION_NOT_COMPLETE"
    sms.submit_registration_version(RegistrationId=brand["RegistrationId"])
    aws.clock.advance(2 * 86_400)
    assert status(sms, brand["RegistrationId"]) == "COMPLETE"
    sms.submit_registration_version(RegistrationId=campaign["RegistrationId"])
    assert status(sms, campaign["RegistrationId"]) == "SUBMITTED"


def test_versions_associations_attachments_and_definitions(aws, sms):
    registration_id = sms.create_registration(RegistrationType=TOLL_FREE)["RegistrationId"]
    number = toll_free(sms)
    association = sms.create_registration_association(
        RegistrationId=registration_id, ResourceId=number["PhoneNumberId"]
    )
    assert association["PhoneNumber"] == number["PhoneNumber"]
    listed = sms.list_registration_associations(RegistrationId=registration_id)
    assert [a["ResourceId"] for a in listed["RegistrationAssociations"]] == [
        number["PhoneNumberId"]
    ]
    with pytest.raises(ClientError) as error:
        send(sms, number["PhoneNumberId"])  # associated, not yet approved
    assert error.value.response["Reason"] == "REGISTRATION_NOT_COMPLETE"
    attachment = sms.create_registration_attachment(AttachmentBody=b"\x89PNG opt-in")
    assert attachment["AttachmentStatus"] == "UPLOAD_COMPLETE"
    sms.put_registration_field_value(
        RegistrationId=registration_id,
        FieldPath="messageSamples.optInImage",
        RegistrationAttachmentId=attachment["RegistrationAttachmentId"],
    )
    described = sms.describe_registration_attachments()["RegistrationAttachments"]
    assert [a["RegistrationAttachmentId"] for a in described] == [
        attachment["RegistrationAttachmentId"]
    ]
    with pytest.raises(ClientError) as error:
        sms.create_registration_version(RegistrationId=registration_id)
    assert error.value.response["Reason"] == "CREATE_REGISTRATION_VERSION_NOT_ALLOWED"
    fill(sms, registration_id)
    sms.submit_registration_version(RegistrationId=registration_id)
    aws.clock.advance(16 * 86_400)
    second = sms.create_registration_version(RegistrationId=registration_id)
    assert (second["VersionNumber"], second["RegistrationVersionStatus"]) == (2, "DRAFT")
    discarded = sms.discard_registration_version(RegistrationId=registration_id)
    assert discarded["RegistrationVersionStatus"] == "DISCARDED"
    types = sms.describe_registration_type_definitions(RegistrationTypes=[TOLL_FREE])
    association = types["RegistrationTypeDefinitions"][0]["SupportedAssociations"][0]
    assert association["AssociationBehavior"] == "ASSOCIATE_BEFORE_SUBMIT"
    sections = sms.describe_registration_section_definitions(RegistrationType=TOLL_FREE)
    assert "companyInfo" in [s["SectionPath"] for s in sections["RegistrationSectionDefinitions"]]
    deleted = sms.delete_registration_attachment(
        RegistrationAttachmentId=attachment["RegistrationAttachmentId"]
    )
    assert deleted["AttachmentStatus"] == "DELETED"
    sms.delete_registration(RegistrationId=registration_id)
    assert sms.describe_registrations()["Registrations"] == []


def test_a_protect_configuration_blocks_a_country_and_an_override_allows_a_number(aws, sms):
    number = toll_free(sms)["PhoneNumberId"]
    protect = sms.create_protect_configuration()["ProtectConfigurationId"]
    sms.update_protect_configuration_country_rule_set(
        ProtectConfigurationId=protect,
        NumberCapability="SMS",
        CountryRuleSetUpdates={"US": {"ProtectStatus": "BLOCK"}},
    )
    rules = sms.get_protect_configuration_country_rule_set(
        ProtectConfigurationId=protect, NumberCapability="SMS"
    )
    assert rules["CountryRuleSet"] == {"US": {"ProtectStatus": "BLOCK"}}
    config = sms.create_configuration_set(ConfigurationSetName="otp")["ConfigurationSetName"]
    sms.associate_protect_configuration(ProtectConfigurationId=protect, ConfigurationSetName=config)
    with pytest.raises(ClientError) as error:
        sms.send_text_message(
            DestinationPhoneNumber=CUSTOMER,
            OriginationIdentity=number,
            MessageBody="hi",
            ConfigurationSetName=config,
        )
    assert error.value.response["Reason"] == "DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION"
    assert send(sms, number)["MessageId"]  # without the configuration set, nothing applies
    sms.put_protect_configuration_rule_set_number_override(
        ProtectConfigurationId=protect, DestinationPhoneNumber=CUSTOMER, Action="ALLOW"
    )
    assert sms.send_text_message(
        DestinationPhoneNumber=CUSTOMER,
        OriginationIdentity=number,
        MessageBody="hi",
        ConfigurationSetName=config,
    )["MessageId"]
    overrides = sms.list_protect_configuration_rule_set_number_overrides(
        ProtectConfigurationId=protect
    )["RuleSetNumberOverrides"]
    assert [(o["DestinationPhoneNumber"], o["Action"]) for o in overrides] == [(CUSTOMER, "ALLOW")]
    sms.delete_protect_configuration_rule_set_number_override(
        ProtectConfigurationId=protect, DestinationPhoneNumber=CUSTOMER
    )
    with pytest.raises(ClientError) as error:
        sms.delete_protect_configuration(ProtectConfigurationId=protect)
    assert (
        error.value.response["Reason"] == "PROTECT_CONFIGURATION_ASSOCIATED_WITH_CONFIGURATION_SET"
    )
    sms.disassociate_protect_configuration(
        ProtectConfigurationId=protect, ConfigurationSetName=config
    )
    sms.set_account_default_protect_configuration(ProtectConfigurationId=protect)
    with pytest.raises(ClientError) as error:
        send(sms, number)
    assert error.value.response["Reason"] == "DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION"
    listed = sms.describe_protect_configurations()["ProtectConfigurations"]
    assert listed[0]["AccountDefault"] is True
    sms.delete_account_default_protect_configuration()
    assert send(sms, number)["MessageId"]
    sms.update_protect_configuration(
        ProtectConfigurationId=protect, DeletionProtectionEnabled=False
    )
    sms.delete_protect_configuration(ProtectConfigurationId=protect)
    assert aws.outbox.filter(status="PROTECT_BLOCKED")


def test_tags_policies_defaults_feedback_and_sender_ids(aws, sms):
    number = toll_free(sms)
    arn = number["PhoneNumberArn"]
    sms.tag_resource(ResourceArn=arn, Tags=[{"Key": "team", "Value": "growth"}])
    assert sms.list_tags_for_resource(ResourceArn=arn)["Tags"] == [
        {"Key": "team", "Value": "growth"}
    ]
    sms.untag_resource(ResourceArn=arn, TagKeys=["team"])
    assert sms.list_tags_for_resource(ResourceArn=arn)["Tags"] == []
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}]})
    sms.put_resource_policy(ResourceArn=arn, Policy=policy)
    assert sms.get_resource_policy(ResourceArn=arn)["Policy"] == policy
    sms.delete_resource_policy(ResourceArn=arn)
    with pytest.raises(ClientError) as error:
        sms.put_resource_policy(ResourceArn=arn, Policy="not json")
    assert error.value.response["Fields"][0]["Name"] == "Policy"
    sms.create_configuration_set(ConfigurationSetName="cs")
    sms.set_default_message_type(ConfigurationSetName="cs", MessageType="PROMOTIONAL")
    assert (
        sms.delete_default_message_type(ConfigurationSetName="cs")["MessageType"] == "PROMOTIONAL"
    )
    assert "SenderId" not in sms.delete_default_sender_id(ConfigurationSetName="cs")
    assert sms.set_default_message_feedback_enabled(
        ConfigurationSetName="cs", MessageFeedbackEnabled=True
    )["MessageFeedbackEnabled"]
    message_id = send(sms, number["PhoneNumberId"])["MessageId"]
    sms.put_message_feedback(MessageId=message_id, MessageFeedbackStatus="RECEIVED")
    assert aws.outbox.last(to=CUSTOMER).detail["feedback"] == "RECEIVED"
    sms.request_sender_id(SenderId="SHOP", IsoCountryCode="GB")
    updated = sms.update_sender_id(
        SenderId="SHOP", IsoCountryCode="GB", DeletionProtectionEnabled=True
    )
    assert updated["DeletionProtectionEnabled"] is True
    limits = [
        (sms.set_media_message_spend_limit_override, sms.delete_media_message_spend_limit_override),
        (
            sms.set_notify_message_spend_limit_override,
            sms.delete_notify_message_spend_limit_override,
        ),
        (sms.set_rcs_message_spend_limit_override, sms.delete_rcs_message_spend_limit_override),
    ]
    for set_limit, delete_limit in limits:
        assert set_limit(MonthlyLimit=1)["MonthlyLimit"] == 1
        assert delete_limit()["MonthlyLimit"] >= 1
    spend = {s["Name"]: s for s in sms.describe_spend_limits()["SpendLimits"]}
    assert spend["RCS_MESSAGE_MONTHLY_SPEND_LIMIT"]["Overridden"] is False


def test_carrier_lookup_classifies_a_number(sms):
    found = sms.carrier_lookup(PhoneNumber="+14155552671")
    assert (found["E164PhoneNumber"], found["IsoCountryCode"], found["DialingCountryCode"]) == (
        "+14155552671",
        "US",
        "1",
    )
    assert found["PhoneNumberType"] in {"MOBILE", "LANDLINE", "VOIP", "OTHER", "INVALID"}


def test_an_mms_reads_its_media_from_s3(aws, sms):
    number = toll_free(sms)["PhoneNumberId"]
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="media")
    s3.put_object(
        Bucket="media", Key="cat.png", Body=b"\x89PNG" + b"0" * 100, ContentType="image/png"
    )
    sent = sms.send_media_message(
        DestinationPhoneNumber=CUSTOMER,
        OriginationIdentity=number,
        MessageBody="Look",
        MediaUrls=["s3://media/cat.png"],
    )
    entry = aws.outbox.last(to=CUSTOMER)
    assert entry.message_id == sent["MessageId"]
    assert entry.detail["media"] == [
        {"url": "s3://media/cat.png", "bytes": 104, "content_type": "image/png"}
    ]
    with pytest.raises(ClientError) as error:
        sms.send_media_message(
            DestinationPhoneNumber=CUSTOMER,
            OriginationIdentity=number,
            MediaUrls=["s3://media/missing.png"],
        )
    assert error.value.response["Fields"][0]["Name"] == "MediaUrls[0]"


def test_an_operation_not_emulated_answers_a_modeled_error(sms):
    with pytest.raises(ClientError) as error:
        sms.send_rcs_message(DestinationPhoneNumber=CUSTOMER, OriginationIdentity="x")
    assert error.value.response["Error"]["Code"] == "ValidationException"
    assert error.value.response["Reason"] == "UNKNOWN_OPERATION"


def test_with_registration_required_a_new_number_waits_for_one(aws, sms):
    aws.sms.require_registration()
    number = toll_free(sms)
    assert number["Status"] == "PENDING"
    with pytest.raises(ClientError) as error:
        send(sms, number["PhoneNumberId"])
    assert "it has no registration" in error.value.response["Error"]["Message"]
    registration_id = sms.create_registration(RegistrationType=TOLL_FREE)["RegistrationId"]
    sms.create_registration_association(
        RegistrationId=registration_id, ResourceId=number["PhoneNumberId"]
    )
    fill(sms, registration_id)
    sms.submit_registration_version(RegistrationId=registration_id)
    aws.clock.advance(16 * 86_400)
    assert send(sms, number["PhoneNumberId"])["MessageId"]
    simulator = sms.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="SIMULATOR",
    )
    assert simulator["Status"] == "ACTIVE"  # simulator numbers need no registration


def test_a_protect_block_emits_a_text_protect_blocked_record(aws, sms):
    sns, sqs = aws.client("sns"), aws.client("sqs")
    topic = sns.create_topic(Name="sms-events")["TopicArn"]
    queue = sqs.create_queue(QueueName="sms-events")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    sms.create_configuration_set(ConfigurationSetName="guarded")
    sms.create_event_destination(
        ConfigurationSetName="guarded",
        EventDestinationName="to-sns",
        MatchingEventTypes=["TEXT_PROTECT_BLOCKED"],
        SnsDestination={"TopicArn": topic},
    )
    protect = sms.create_protect_configuration()["ProtectConfigurationId"]
    sms.put_protect_configuration_rule_set_number_override(
        ProtectConfigurationId=protect, DestinationPhoneNumber=CUSTOMER, Action="BLOCK"
    )
    sms.associate_protect_configuration(
        ProtectConfigurationId=protect, ConfigurationSetName="guarded"
    )
    number = toll_free(sms)["PhoneNumber"]
    with pytest.raises(ClientError) as error:
        sms.send_text_message(
            DestinationPhoneNumber=CUSTOMER,
            OriginationIdentity=number,
            MessageBody="hi",
            ConfigurationSetName="guarded",
        )
    reason = "DESTINATION_PHONE_NUMBER_BLOCKED_BY_PROTECT_NUMBER_OVERRIDE"
    assert error.value.response["Reason"] == reason
    messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    records = [json.loads(json.loads(m["Body"])["Message"]) for m in messages]
    assert [(r["eventType"], r["messageStatus"], r["isFinal"]) for r in records] == [
        ("TEXT_PROTECT_BLOCKED", "PROTECT_BLOCKED", True)
    ]
    assert records[0]["destinationPhoneNumber"] == CUSTOMER
    assert records[0]["protectConfigurationId"] == protect


def test_a_toll_free_registration_is_submitted_with_its_number(sms):
    registration_id = sms.create_registration(RegistrationType=TOLL_FREE)["RegistrationId"]
    fill(sms, registration_id)
    with pytest.raises(ClientError) as error:
        sms.submit_registration_version(RegistrationId=registration_id)
    assert error.value.response["Reason"] == "SUBMIT_REGISTRATION_VERSION_NOT_ALLOWED"


def test_a_denied_version_is_fixed_in_a_new_version_and_approved(aws, sms):
    registration_id = sms.create_registration(RegistrationType=TOLL_FREE)["RegistrationId"]
    number = toll_free(sms, registration_id)
    fill(sms, registration_id, **{"companyInfo.privacyPolicyUrl": "see our website"})
    sms.submit_registration_version(RegistrationId=registration_id)
    aws.clock.advance(16 * 86_400)
    registration = sms.describe_registrations(RegistrationIds=[registration_id])["Registrations"][0]
    assert (registration["RegistrationStatus"], registration["LatestDeniedVersionNumber"]) == (
        "REQUIRES_UPDATES",
        1,
    )
    version = sms.describe_registration_versions(RegistrationId=registration_id)[
        "RegistrationVersions"
    ][0]
    assert version["RegistrationVersionStatus"] == "DENIED"
    assert [r["Reason"] for r in version["DeniedReasons"]] == ["INVALID_PRIVACY_POLICY"]
    with pytest.raises(ClientError):
        send(sms, number["PhoneNumberId"])
    second = sms.create_registration_version(RegistrationId=registration_id)
    assert second["VersionNumber"] == 2
    sms.put_registration_field_value(
        RegistrationId=registration_id,
        FieldPath="companyInfo.privacyPolicyUrl",
        TextValue="https://shop.example.com/privacy",
    )
    sms.submit_registration_version(RegistrationId=registration_id)
    aws.clock.advance(16 * 86_400)
    assert status(sms, registration_id) == "COMPLETE"
    assert send(sms, number["PhoneNumberId"])["MessageId"]


@pytest.mark.server
def test_the_registration_review_runs_over_http_with_the_clock_moved_by_post(server_aws):
    sms = server_aws.client("pinpoint-sms-voice-v2")
    server_aws.sms.leave_sandbox()
    registration_id = sms.create_registration(RegistrationType=TOLL_FREE)["RegistrationId"]
    number = toll_free(sms, registration_id)
    fill(sms, registration_id)
    sms.submit_registration_version(RegistrationId=registration_id)
    with pytest.raises(ClientError) as error:
        send(sms, number["PhoneNumberId"])
    assert error.value.response["Reason"] == "REGISTRATION_NOT_COMPLETE"
    request = urllib.request.Request(
        f"{server_aws.endpoint_url}/simlab/clock",
        json.dumps({"advance": 16 * 86_400}).encode(),
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
    assert status(sms, registration_id) == "COMPLETE"
    assert send(sms, number["PhoneNumberId"])["MessageId"]
    protect = sms.create_protect_configuration()["ProtectConfigurationId"]
    assert (
        sms.describe_protect_configurations()["ProtectConfigurations"][0]["ProtectConfigurationId"]
        == protect
    )
