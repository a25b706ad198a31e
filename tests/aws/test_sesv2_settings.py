"""SES v2 settings a learner changes, and what each changes: configuration sets, account,
identities, custom verification emails, dedicated IPs and their warm-up."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

DOMAIN = "school.example"
SIMPLE = {"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "t"}}}}


@pytest.fixture
def sesv2(aws):
    client = aws.client("sesv2")
    client.create_email_identity(EmailIdentity=DOMAIN)
    client.create_configuration_set(ConfigurationSetName="news")
    return client


def _code(raised: pytest.ExceptionInfo[ClientError]) -> str:
    return raised.value.response["Error"]["Code"]


def test_configuration_set_options_show_in_get_configuration_set(sesv2):
    sesv2.put_configuration_set_tracking_options(
        ConfigurationSetName="news", CustomRedirectDomain=DOMAIN, HttpsPolicy="REQUIRE"
    )
    sesv2.put_configuration_set_delivery_options(
        ConfigurationSetName="news", TlsPolicy="REQUIRE", MaxDeliverySeconds=600
    )
    sesv2.put_configuration_set_reputation_options(
        ConfigurationSetName="news", ReputationMetricsEnabled=True
    )
    sesv2.put_configuration_set_vdm_options(
        ConfigurationSetName="news",
        VdmOptions={"DashboardOptions": {"EngagementMetrics": "ENABLED"}},
    )
    archive = "arn:aws:ses:us-east-1:123456789012:mailmanager-archive/a-1"
    sesv2.put_configuration_set_archiving_options(ConfigurationSetName="news", ArchiveArn=archive)
    sesv2.update_configuration_set(ConfigurationSetName="news")
    found = sesv2.get_configuration_set(ConfigurationSetName="news")
    assert found["TrackingOptions"] == {"CustomRedirectDomain": DOMAIN, "HttpsPolicy": "REQUIRE"}
    assert found["DeliveryOptions"] == {"TlsPolicy": "REQUIRE", "MaxDeliverySeconds": 600}
    assert found["ReputationOptions"]["ReputationMetricsEnabled"] is True
    assert found["VdmOptions"]["DashboardOptions"]["EngagementMetrics"] == "ENABLED"
    assert found["ArchivingOptions"] == {"ArchiveArn": archive}
    assert found["SendingOptions"] == {"SendingEnabled": True}


def test_bad_options_name_the_field(sesv2):
    with pytest.raises(ClientError) as raised:
        sesv2.put_configuration_set_tracking_options(
            ConfigurationSetName="news", CustomRedirectDomain="elsewhere.example"
        )
    assert _code(raised) == "BadRequestException"
    assert "CustomRedirectDomain" in raised.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as raised:
        sesv2.put_configuration_set_delivery_options(
            ConfigurationSetName="news", SendingPoolName="no-such-pool"
        )
    assert "SendingPoolName" in raised.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as raised:
        sesv2.put_configuration_set_sending_options(ConfigurationSetName="ghost")
    assert _code(raised) == "NotFoundException"


def test_a_paused_configuration_set_refuses_sends(sesv2):
    sesv2.put_configuration_set_sending_options(ConfigurationSetName="news", SendingEnabled=False)
    assert sesv2.get_configuration_set(ConfigurationSetName="news")["SendingOptions"] == {
        "SendingEnabled": False
    }
    with pytest.raises(ClientError) as raised:
        sesv2.send_email(
            FromEmailAddress=f"a@{DOMAIN}",
            Destination={"ToAddresses": ["success@simulator.amazonses.com"]},
            Content=SIMPLE,
            ConfigurationSetName="news",
        )
    assert _code(raised) == "SendingPausedException"


def test_account_options_are_kept(sesv2):
    sesv2.put_account_vdm_attributes(VdmAttributes={"VdmEnabled": "ENABLED"})
    sesv2.put_account_dedicated_ip_warmup_attributes(AutoWarmupEnabled=False)
    sesv2.put_account_delivery_attributes(SharedPoolDeliveryMode="GLOBAL")
    sesv2.put_account_pricing_attributes(Plan="PRO")
    account = sesv2.get_account()
    assert account["VdmAttributes"]["VdmEnabled"] == "ENABLED"
    assert account["DedicatedIpAutoWarmupEnabled"] is False
    with pytest.raises(ClientError) as raised:
        sesv2.put_account_pricing_attributes(Plan="GOLD")
    assert "Plan" in raised.value.response["Error"]["Message"]


def test_identity_attributes_show_in_get_email_identity(sesv2):
    sesv2.put_email_identity_dkim_attributes(EmailIdentity=DOMAIN, SigningEnabled=False)
    assert (
        sesv2.get_email_identity(EmailIdentity=DOMAIN)["DkimAttributes"]["SigningEnabled"] is False
    )
    signed = sesv2.put_email_identity_dkim_signing_attributes(
        EmailIdentity=DOMAIN, SigningAttributesOrigin="AWS_SES"
    )
    assert signed["DkimStatus"] == "SUCCESS" and len(signed["DkimTokens"]) == 3
    sesv2.put_email_identity_feedback_attributes(EmailIdentity=DOMAIN, EmailForwardingEnabled=False)
    sesv2.put_email_identity_mail_from_attributes(
        EmailIdentity=DOMAIN, MailFromDomain=f"bounce.{DOMAIN}"
    )
    identity = sesv2.get_email_identity(EmailIdentity=DOMAIN)
    assert identity["FeedbackForwardingStatus"] is False
    with pytest.raises(ClientError) as raised:
        sesv2.put_email_identity_mail_from_attributes(
            EmailIdentity=DOMAIN, MailFromDomain="bounce.elsewhere.example"
        )
    assert "MailFromDomain" in raised.value.response["Error"]["Message"]


def test_identity_certificates_are_associated_listed_and_removed(sesv2):
    arn = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
    sesv2.associate_email_identity_certificate(EmailIdentity=DOMAIN, CertificateArn=arn)
    listed = sesv2.list_email_identity_certificates(EmailIdentity=DOMAIN)["Certificates"]
    assert [(c["CertificateArn"], c["Status"]) for c in listed] == [(arn, "ACTIVE")]
    sesv2.disassociate_email_identity_certificate(EmailIdentity=DOMAIN)
    assert sesv2.list_email_identity_certificates(EmailIdentity=DOMAIN)["Certificates"] == []


def test_custom_verification_templates_are_shared_with_ses_v1(aws, sesv2):
    sesv2.create_custom_verification_email_template(
        TemplateName="welcome",
        FromEmailAddress=f"hello@{DOMAIN}",
        TemplateSubject="Confirm",
        TemplateContent="<p>Please confirm</p>",
        SuccessRedirectionURL="https://school.example/ok",
        FailureRedirectionURL="https://school.example/no",
    )
    v1 = aws.client("ses").list_custom_verification_email_templates()
    assert [t["TemplateName"] for t in v1["CustomVerificationEmailTemplates"]] == ["welcome"]
    listed = sesv2.list_custom_verification_email_templates()["CustomVerificationEmailTemplates"]
    assert listed[0]["TemplateSubject"] == "Confirm"
    sesv2.update_custom_verification_email_template(
        TemplateName="welcome",
        FromEmailAddress=f"hello@{DOMAIN}",
        TemplateSubject="Confirm now",
        TemplateContent="<p>Please confirm</p>",
        SuccessRedirectionURL="https://school.example/ok",
        FailureRedirectionURL="https://school.example/no",
    )
    got = sesv2.get_custom_verification_email_template(TemplateName="welcome")
    assert got["TemplateSubject"] == "Confirm now"
    aws.ses.grant_production_access()
    sent = sesv2.send_custom_verification_email(
        EmailAddress="p@home.example", TemplateName="welcome"
    )
    assert aws.outbox.last(to="p@home.example").message_id == sent["MessageId"]
    sesv2.delete_custom_verification_email_template(TemplateName="welcome")
    with pytest.raises(ClientError) as raised:
        sesv2.get_custom_verification_email_template(TemplateName="welcome")
    assert _code(raised) == "NotFoundException"


def test_a_dedicated_ip_warms_up_on_the_simulated_clock(aws, sesv2):
    sesv2.create_dedicated_ip_pool(PoolName="marketing")
    first, second = aws.ses.lease_dedicated_ips(2, pool="marketing")
    assert sesv2.get_dedicated_ip(Ip=first)["DedicatedIp"] == {
        "Ip": first,
        "WarmupStatus": "IN_PROGRESS",
        "WarmupPercentage": 0,
        "PoolName": "marketing",
    }
    aws.clock.advance(9 * 86_400)  # 9 of the 45 days of simlab's warm-up plan
    assert sesv2.get_dedicated_ip(Ip=first)["DedicatedIp"]["WarmupPercentage"] == 20
    sesv2.put_dedicated_ip_warmup_attributes(Ip=first, WarmupPercentage=90)
    aws.clock.advance(5 * 86_400)
    assert sesv2.get_dedicated_ip(Ip=first)["DedicatedIp"]["WarmupStatus"] == "DONE"
    sesv2.create_dedicated_ip_pool(PoolName="managed")
    sesv2.put_dedicated_ip_in_pool(Ip=second, DestinationPoolName="managed")
    sesv2.put_dedicated_ip_pool_scaling_attributes(PoolName="managed", ScalingMode="MANAGED")
    ips = {ip["Ip"]: ip for ip in sesv2.get_dedicated_ips()["DedicatedIps"]}
    assert ips[second]["WarmupStatus"] == "NOT_APPLICABLE" and ips[second]["WarmupPercentage"] == -1
    with pytest.raises(ClientError) as raised:
        sesv2.put_dedicated_ip_pool_scaling_attributes(PoolName="managed", ScalingMode="STANDARD")
    assert _code(raised) == "BadRequestException"
    with pytest.raises(ClientError) as raised:
        sesv2.get_dedicated_ip(Ip="192.0.2.1")
    assert _code(raised) == "NotFoundException"
