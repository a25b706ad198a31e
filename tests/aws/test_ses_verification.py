"""Custom verification emails and the configuration set options SES v1 sets."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

FROM = "welcome@school.example"
TEMPLATE = {
    "TemplateName": "welcome",
    "FromEmailAddress": FROM,
    "TemplateSubject": "Please confirm",
    "TemplateContent": "<p>Confirm your address to get our newsletter.</p>",
    "SuccessRedirectionURL": "https://school.example/ok",
    "FailureRedirectionURL": "https://school.example/failed",
}


@pytest.fixture
def ses(aws):
    client = aws.client("ses")
    client.verify_domain_identity(Domain="school.example")
    client.create_custom_verification_email_template(**TEMPLATE)
    return client


def test_templates_are_created_listed_updated_and_deleted(ses):
    assert (
        ses.get_custom_verification_email_template(TemplateName="welcome")["TemplateSubject"]
        == "Please confirm"
    )
    listed = ses.list_custom_verification_email_templates()["CustomVerificationEmailTemplates"]
    assert [t["TemplateName"] for t in listed] == ["welcome"]
    assert "TemplateContent" not in listed[0]
    ses.update_custom_verification_email_template(TemplateName="welcome", TemplateSubject="Hi")
    assert (
        ses.get_custom_verification_email_template(TemplateName="welcome")["TemplateSubject"]
        == "Hi"
    )
    ses.delete_custom_verification_email_template(TemplateName="welcome")
    with pytest.raises(ClientError) as raised:
        ses.get_custom_verification_email_template(TemplateName="welcome")
    assert raised.value.response["Error"]["Code"] == "CustomVerificationEmailTemplateDoesNotExist"


def test_a_template_needs_a_verified_sender_and_a_new_name(ses):
    with pytest.raises(ClientError) as raised:
        ses.create_custom_verification_email_template(**TEMPLATE)
    assert raised.value.response["Error"]["Code"] == "CustomVerificationEmailTemplateAlreadyExists"
    stranger = {**TEMPLATE, "TemplateName": "other", "FromEmailAddress": "x@elsewhere.example"}
    with pytest.raises(ClientError) as raised:
        ses.create_custom_verification_email_template(**stranger)
    assert raised.value.response["Error"]["Code"] == "FromEmailAddressNotVerified"


def test_the_sandbox_refuses_custom_verification_emails(ses):
    with pytest.raises(ClientError) as raised:
        ses.send_custom_verification_email(
            EmailAddress="pupil@home.example", TemplateName="welcome"
        )
    assert raised.value.response["Error"]["Code"] == "ProductionAccessNotGranted"


def test_the_address_is_pending_until_its_link_is_followed(aws, ses):
    aws.ses.grant_production_access()
    sent = ses.send_custom_verification_email(
        EmailAddress="pupil@home.example", TemplateName="welcome"
    )
    status = ses.get_identity_verification_attributes(Identities=["pupil@home.example"])
    assert status["VerificationAttributes"]["pupil@home.example"]["VerificationStatus"] == (
        "Pending"
    )
    email = aws.outbox.last(to="pupil@home.example")
    assert email.message_id == sent["MessageId"] and email.subject == "Please confirm"
    assert aws.mail.follow(email.detail["verification_link"]) == "https://school.example/ok"
    status = ses.get_identity_verification_attributes(Identities=["pupil@home.example"])
    assert status["VerificationAttributes"]["pupil@home.example"]["VerificationStatus"] == (
        "Success"
    )


def test_tracking_delivery_and_sending_options_of_a_configuration_set(ses):
    ses.create_configuration_set(ConfigurationSet={"Name": "news"})
    with pytest.raises(ClientError) as raised:
        ses.create_configuration_set_tracking_options(
            ConfigurationSetName="news", TrackingOptions={"CustomRedirectDomain": "nope.example"}
        )
    assert raised.value.response["Error"]["Code"] == "InvalidTrackingOptions"
    ses.create_configuration_set_tracking_options(
        ConfigurationSetName="news", TrackingOptions={"CustomRedirectDomain": "school.example"}
    )
    with pytest.raises(ClientError) as raised:
        ses.create_configuration_set_tracking_options(
            ConfigurationSetName="news", TrackingOptions={"CustomRedirectDomain": "school.example"}
        )
    assert raised.value.response["Error"]["Code"] == "TrackingOptionsAlreadyExistsException"
    ses.update_configuration_set_tracking_options(
        ConfigurationSetName="news", TrackingOptions={"CustomRedirectDomain": "school.example"}
    )
    ses.put_configuration_set_delivery_options(
        ConfigurationSetName="news", DeliveryOptions={"TlsPolicy": "Require"}
    )
    found = ses.describe_configuration_set(
        ConfigurationSetName="news",
        ConfigurationSetAttributeNames=["trackingOptions", "deliveryOptions"],
    )
    assert found["TrackingOptions"] == {"CustomRedirectDomain": "school.example"}
    assert found["DeliveryOptions"] == {"TlsPolicy": "Require"}
    ses.delete_configuration_set_tracking_options(ConfigurationSetName="news")
    with pytest.raises(ClientError) as raised:
        ses.delete_configuration_set_tracking_options(ConfigurationSetName="news")
    assert raised.value.response["Error"]["Code"] == "TrackingOptionsDoesNotExistException"


def test_a_paused_configuration_set_refuses_sends(ses):
    ses.create_configuration_set(ConfigurationSet={"Name": "news"})
    ses.update_configuration_set_sending_enabled(ConfigurationSetName="news", Enabled=False)
    with pytest.raises(ClientError) as raised:
        ses.send_email(
            Source=FROM,
            Destination={"ToAddresses": [FROM]},
            Message={"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "t"}}},
            ConfigurationSetName="news",
        )
    assert raised.value.response["Error"]["Code"] == "ConfigurationSetSendingPausedException"
    with pytest.raises(ClientError) as raised:
        ses.update_configuration_set_sending_enabled(ConfigurationSetName="ghost", Enabled=True)
    assert raised.value.response["Error"]["Code"] == "ConfigurationSetDoesNotExist"
