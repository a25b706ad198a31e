"""End User Messaging brand profiles: attributes, jobs that fill registrations, tags, over HTTP."""

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def eum(aws):
    return aws.client("endusermessaging")


def profile(eum, **extra):
    return eum.create_brand_profile(brandProfileName="Acme", **extra)


def test_brand_profiles_are_created_read_listed_updated_and_deleted(eum):
    created = profile(eum, tags=[{"key": "team", "value": "growth"}])
    assert (created["status"], created["attributesCreated"]) == ("ACTIVE", 0)
    profile_id = created["brandProfileId"]
    assert (
        eum.get_brand_profile(brandProfileId=created["brandProfileArn"])["brandProfileName"]
        == "Acme"
    )
    assert [p["brandProfileId"] for p in eum.list_brand_profiles()["brandProfiles"]] == [profile_id]
    updated = eum.update_brand_profile(
        brandProfileId=profile_id, brandProfileName="Acme Inc", deletionProtectionEnabled=True
    )
    assert (updated["brandProfileName"], updated["deletionProtectionEnabled"]) == ("Acme Inc", True)
    with pytest.raises(ClientError) as error:
        eum.delete_brand_profile(brandProfileId=profile_id)
    assert error.value.response["Error"]["Code"] == "ConflictException"
    eum.update_brand_profile(brandProfileId=profile_id, deletionProtectionEnabled=False)
    assert eum.delete_brand_profile(brandProfileId=profile_id)["brandProfileId"] == profile_id
    with pytest.raises(eum.exceptions.ResourceNotFoundException) as error:
        eum.get_brand_profile(brandProfileId=profile_id)
    assert error.value.response["resourceType"] == "brand-profile"


def test_attributes_hold_text_and_media(eum):
    profile_id = profile(eum)["brandProfileId"]
    created = eum.create_brand_profile_attributes(
        brandProfileId=profile_id,
        attributes=[
            {
                "attributeName": "companyInfo_companyName",
                "attributeType": "TEXT",
                "attributeValue": "Acme",
            },
            {"attributeName": "logo", "attributeType": "IMAGE", "attachmentBody": b"\x89PNG logo"},
        ],
    )
    assert [a["attributeName"] for a in created["attributes"]] == [
        "companyInfo_companyName",
        "logo",
    ]
    logo = eum.get_brand_profile_attribute(brandProfileId=profile_id, attributeName="logo")
    assert (logo["attributeType"], logo["mediaSizeBytes"]) == ("IMAGE", 9)
    with pytest.raises(ClientError) as error:
        eum.create_brand_profile_attributes(
            brandProfileId=profile_id,
            attributes=[{"attributeName": "logo", "attributeType": "TEXT", "attributeValue": "x"}],
        )
    assert error.value.response["Error"]["Code"] == "ConflictException"
    with pytest.raises(ClientError) as error:
        eum.create_brand_profile_attributes(
            brandProfileId=profile_id,
            attributes=[{"attributeName": "slogan", "attributeType": "TEXT"}],
        )
    assert error.value.response["fieldList"][0]["path"] == "attributes[0].attributeValue"
    eum.update_brand_profile_attribute(
        brandProfileId=profile_id,
        attributeName="companyInfo_companyName",
        attributeValue="Acme Inc",
    )
    name = eum.get_brand_profile_attribute(
        brandProfileId=profile_id, attributeName="companyInfo_companyName"
    )
    assert name["attributeValue"] == "Acme Inc"
    listed = eum.list_brand_profile_attributes(brandProfileId=profile_id)["brandProfileAttributes"]
    assert [a["attributeName"] for a in listed] == ["companyInfo_companyName", "logo"]
    eum.delete_brand_profile_attribute(brandProfileId=profile_id, attributeName="logo")
    with pytest.raises(eum.exceptions.ResourceNotFoundException):
        eum.get_brand_profile_attribute(brandProfileId=profile_id, attributeName="logo")


def test_registrations_are_filled_from_a_profile_by_a_job_on_the_clock(aws, eum):
    profile_id = profile(eum)["brandProfileId"]
    eum.create_brand_profile_attributes(
        brandProfileId=profile_id,
        attributes=[
            {
                "attributeName": "companyInfo_companyName",
                "attributeType": "TEXT",
                "attributeValue": "Acme",
            },
            {
                "attributeName": "Website",
                "attributeType": "TEXT",
                "attributeValue": "https://acme.example",
            },
        ],
    )
    result = eum.create_registrations_from_brand_profile(
        brandProfileId=profile_id, registrationTypes=["US_TOLL_FREE_REGISTRATION"], smartMatch=True
    )["results"][0]
    job = eum.get_job(jobId=result["jobId"])
    assert job["status"] == "PROCESSING"
    aws.clock.advance(60)
    job = eum.get_job(jobId=result["jobId"])
    assert job["status"] == "SUCCESS"
    assert job["resources"][0]["resourceId"] == result["resourceIdentifier"]
    sms = aws.client("pinpoint-sms-voice-v2")
    values = sms.describe_registration_field_values(RegistrationId=result["resourceIdentifier"])
    assert {v["FieldPath"]: v["TextValue"] for v in values["RegistrationFieldValues"]} == {
        "companyInfo.companyName": "Acme",
        "companyInfo.website": "https://acme.example",
    }
    associations = eum.list_registrations_from_brand_profile(brandProfileId=profile_id)
    assert associations["registrationAssociations"][0]["smartMatchUsed"] is True
    jobs = eum.list_jobs(brandProfileId=profile_id, status="SUCCESS")["jobs"]
    assert [j["jobId"] for j in jobs] == [result["jobId"]]


def test_a_profile_is_made_from_a_registration_and_kept_in_step(aws, eum):
    sms = aws.client("pinpoint-sms-voice-v2")
    registration_id = sms.create_registration(RegistrationType="US_TOLL_FREE_REGISTRATION")[
        "RegistrationId"
    ]
    sms.put_registration_field_value(
        RegistrationId=registration_id, FieldPath="companyInfo.companyName", TextValue="Acme"
    )
    result = eum.create_brand_profile_from_registration(
        registrationId=registration_id, brandProfileName="From TFN"
    )["results"][0]
    aws.clock.advance(60)
    name = eum.get_brand_profile_attribute(
        brandProfileId=result["resourceIdentifier"], attributeName="companyInfo_companyName"
    )
    assert name["attributeValue"] == "Acme"
    sms.put_registration_field_value(
        RegistrationId=registration_id, FieldPath="companyInfo.companyName", TextValue="Acme Inc"
    )
    update = eum.update_brand_profile_from_registration(
        brandProfileId=result["resourceIdentifier"],
        registrationId=registration_id,
        onAttributeConflict="REPLACE",
    )["results"][0]
    aws.clock.advance(60)
    assert eum.get_job(jobId=update["jobId"])["status"] == "SUCCESS"
    name = eum.get_brand_profile_attribute(
        brandProfileId=result["resourceIdentifier"], attributeName="companyInfo_companyName"
    )
    assert name["attributeValue"] == "Acme Inc"
    eum.update_brand_profile_attribute(
        brandProfileId=result["resourceIdentifier"],
        attributeName="companyInfo_companyName",
        attributeValue="Acme Corp",
    )
    back = eum.update_registrations_from_brand_profile(
        brandProfileId=result["resourceIdentifier"],
        registrationIds=[registration_id],
        onAttributeConflict="REPLACE",
    )["results"][0]
    aws.clock.advance(60)
    assert eum.get_job(jobId=back["jobId"])["status"] == "SUCCESS"
    values = sms.describe_registration_field_values(RegistrationId=registration_id)
    assert values["RegistrationFieldValues"][0]["TextValue"] == "Acme Corp"


def test_tags_on_profiles_and_code_configurations(eum):
    arn = profile(eum)["brandProfileArn"]
    eum.tag_resource(resourceArn=arn, tags=[{"key": "team", "value": "growth"}])
    assert eum.list_tags_for_resource(resourceArn=arn)["tags"] == [
        {"key": "team", "value": "growth"}
    ]
    eum.untag_resource(resourceArn=arn, tagKeys=["team"])
    assert eum.list_tags_for_resource(resourceArn=arn)["tags"] == []
    config = eum.create_notify_code_configuration(
        notifyCodeConfigurationName="login", tags=[{"key": "app", "value": "shop"}]
    )["notifyCodeConfiguration"]
    tags = eum.list_tags_for_resource(resourceArn=config["notifyCodeConfigurationArn"])["tags"]
    assert tags == [{"key": "app", "value": "shop"}]
    with pytest.raises(eum.exceptions.ResourceNotFoundException):
        eum.list_tags_for_resource(
            resourceArn="arn:aws:end-user-messaging:us-east-1:123456789012:brand-profile/bp-none"
        )


@pytest.mark.server
def test_end_user_messaging_is_served_over_http(server_aws):
    eum = server_aws.client("endusermessaging")
    server_aws.sms.leave_sandbox()
    number = server_aws.client("pinpoint-sms-voice-v2").request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
    )["PhoneNumber"]
    profile_id = eum.create_brand_profile(brandProfileName="Acme")["brandProfileId"]
    assert eum.get_brand_profile(brandProfileId=profile_id)["brandProfileName"] == "Acme"
    sent = eum.send_notify_code_verification(
        channel="TEXT", destinationIdentity="+12065550142", originationIdentity=number
    )
    code = server_aws.outbox.last(to="+12065550142").detail["code"]
    assert server_aws.outbox.last(to="+12065550142").message_id == sent["messageId"]
    status = eum.validate_notify_code_verification(destinationIdentity="+12065550142", code=code)
    assert status["status"] == "VALID"
    with pytest.raises(eum.exceptions.ResourceNotFoundException):
        eum.get_job(jobId="job-missing")
