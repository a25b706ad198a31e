"""Bad input gets the modeled AWS error in the protocol's own format, in process and over HTTP.

Each request here once answered a 500, a success, a code outside the service's model, an error
in the wrong format, or Python exception text. The clients skip their own validation so the
local AWS sees what a hand-written request could send.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from simlab.aws import LocalAWS

RAW = Config(parameter_validation=False, retries={"total_max_attempts": 1, "mode": "standard"})
PYTHON_TEXT = ("Traceback", "KeyError", "NoneType", "object has no attribute", "unpack", "int()")


@pytest.fixture(params=["inprocess", "server"], scope="module")
def local(request: pytest.FixtureRequest) -> Iterator[LocalAWS]:
    with LocalAWS(request.param) as aws:
        yield aws


@pytest.fixture
def client(local: LocalAWS) -> Any:
    local.reset()
    return lambda service: local.client(service, config=RAW)


def refused(call: Any, **params: Any) -> dict[str, Any]:
    """The parsed error of a call that must be refused with a 4xx free of Python text."""
    with pytest.raises(ClientError) as caught:
        call(**params)
    response = caught.value.response
    assert 400 <= response["ResponseMetadata"]["HTTPStatusCode"] < 500
    message = response["Error"]["Message"]
    assert not any(fragment in message for fragment in PYTHON_TEXT), message
    return response["Error"]


SNS_TOPIC_OPERATIONS = {
    "get_topic_attributes": {},
    "delete_topic": {},
    "set_topic_attributes": {"AttributeName": "DisplayName", "AttributeValue": "x"},
    "list_subscriptions_by_topic": {},
    "publish": {"Message": "hello"},
    "subscribe": {"Protocol": "email", "Endpoint": "a@example.com"},
    "add_permission": {"Label": "l", "AWSAccountId": ["123456789012"], "ActionName": ["Publish"]},
    "remove_permission": {"Label": "l"},
}


@pytest.mark.parametrize("operation", sorted(SNS_TOPIC_OPERATIONS))
def test_an_sns_topic_arn_that_is_not_an_arn_is_an_invalid_parameter(
    client: Any, operation: str
) -> None:
    call = getattr(client("sns"), operation)
    error = refused(call, TopicArn="not-an-arn", **SNS_TOPIC_OPERATIONS[operation])
    assert error["Code"] == "InvalidParameter"
    assert "TopicArn" in error["Message"]


@pytest.mark.parametrize("operation", ["list_topics", "list_subscriptions"])
def test_an_sns_page_token_it_never_issued_is_an_invalid_parameter(
    client: Any, operation: str
) -> None:
    error = refused(getattr(client("sns"), operation), NextToken="not-a-token")
    assert (error["Code"], "NextToken" in error["Message"]) == ("InvalidParameter", True)


def test_an_sns_subscription_with_an_unknown_protocol_is_refused(client: Any) -> None:
    sns = client("sns")
    topic = sns.create_topic(Name="orders")["TopicArn"]
    error = refused(sns.subscribe, TopicArn=topic, Protocol="carrier-pigeon", Endpoint="x")
    assert error["Code"] == "InvalidParameter"
    assert "carrier-pigeon" in error["Message"]
    assert sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"] == []


def test_sesv2_lists_dedicated_ip_pools_a_page_at_a_time(client: Any) -> None:
    sesv2 = client("sesv2")
    for name in ("a", "b", "c"):
        sesv2.create_dedicated_ip_pool(PoolName=name)
    first = sesv2.list_dedicated_ip_pools(PageSize=2)
    assert len(first["DedicatedIpPools"]) == 2
    rest = sesv2.list_dedicated_ip_pools(PageSize=2, NextToken=first["NextToken"])
    assert sorted(first["DedicatedIpPools"] + rest["DedicatedIpPools"]) == ["a", "b", "c"]


def test_sesv2_deleting_an_unknown_dedicated_ip_pool_is_not_found(client: Any) -> None:
    error = refused(client("sesv2").delete_dedicated_ip_pool, PoolName="nope")
    assert error["Code"] == "NotFoundException"
    assert "nope" in error["Message"]


def test_sesv2_sends_raw_mime_carrying_8_bit_text(client: Any) -> None:
    sesv2 = client("sesv2")
    sesv2.create_email_identity(EmailIdentity="example.com")
    raw = (
        "From: a@example.com\r\nTo: success@simulator.amazonses.com\r\nSubject: hi\r\n\r\nh\xe9llo"
    )
    sent = sesv2.send_email(
        FromEmailAddress="a@example.com",
        Destination={"ToAddresses": ["success@simulator.amazonses.com"]},
        Content={"Raw": {"Data": raw.encode("latin-1")}},
    )
    assert sent["MessageId"]


def test_sesv2_a_second_create_email_identity_already_exists(client: Any) -> None:
    sesv2 = client("sesv2")
    sesv2.create_email_identity(EmailIdentity="me@example.com")
    error = refused(sesv2.create_email_identity, EmailIdentity="me@example.com")
    assert error["Code"] == "AlreadyExistsException"


def test_sesv2_answers_only_codes_in_its_model(client: Any) -> None:
    sesv2 = client("sesv2")
    sesv2.create_configuration_set(ConfigurationSetName="cs")
    duplicate = refused(sesv2.create_configuration_set, ConfigurationSetName="cs")
    assert duplicate["Code"] == "AlreadyExistsException"
    token = refused(sesv2.list_configuration_sets, NextToken="not-a-token")
    assert token["Code"] == "BadRequestException"
    assert "NextToken" in token["Message"]


def test_sesv2_a_template_name_that_is_not_a_string_is_refused_and_listing_still_works(
    client: Any,
) -> None:
    sesv2 = client("sesv2")
    content = {"Subject": "s", "Text": "t"}
    error = refused(sesv2.create_email_template, TemplateName=5, TemplateContent=content)
    assert error["Code"] == "BadRequestException"
    assert "TemplateName" in error["Message"]
    assert sesv2.list_email_templates()["TemplatesMetadata"] == []


def test_ses_deleting_an_unknown_template_changes_nothing(client: Any) -> None:
    ses = client("ses")
    ses.delete_template(TemplateName="nope")
    assert ses.list_templates()["TemplatesMetadata"] == []


def test_ses_clears_a_mail_from_domain_and_a_notification_topic(client: Any) -> None:
    ses = client("ses")
    ses.verify_domain_identity(Domain="example.com")
    ses.set_identity_mail_from_domain(Identity="example.com")
    ses.set_identity_notification_topic(Identity="example.com", NotificationType="Bounce")
    attributes = ses.get_identity_notification_attributes(Identities=["example.com"])
    assert "BounceTopic" not in attributes["NotificationAttributes"]["example.com"]


def test_ses_refuses_a_configuration_set_named_with_a_control_character(client: Any) -> None:
    ses = client("ses")
    error = refused(ses.create_configuration_set, ConfigurationSet={"Name": "a\x01b"})
    assert error["Code"] in ("InvalidConfigurationSet", "InvalidParameterValue")
    assert ses.list_configuration_sets()["ConfigurationSets"] == []


def test_ses_refuses_a_configuration_set_name_outside_its_alphabet(client: Any) -> None:
    error = refused(client("ses").create_configuration_set, ConfigurationSet={"Name": "a b"})
    assert error["Code"] == "InvalidConfigurationSet"


def test_ses_answers_a_bad_page_token_in_xml(client: Any) -> None:
    error = refused(client("ses").list_configuration_sets, NextToken="not-a-token")
    assert error["Code"] == "InvalidParameterValue"
    assert "NextToken" in error["Message"]


def test_sms_voice_v2_releases_a_sender_id_given_its_arn(client: Any) -> None:
    sms = client("pinpoint-sms-voice-v2")
    arn = sms.request_sender_id(SenderId="ACME", IsoCountryCode="GB")["SenderIdArn"]
    released = sms.release_sender_id(SenderId=arn, IsoCountryCode="GB")
    assert released["SenderId"] == "ACME"
    assert sms.describe_sender_ids()["SenderIds"] == []


def test_sms_voice_v2_a_wrong_typed_member_is_a_validation_exception(client: Any) -> None:
    sms = client("pinpoint-sms-voice-v2")
    error = refused(sms.describe_opt_out_lists, MaxResults="ten")
    assert error["Code"] == "ValidationException"
    assert "MaxResults" in error["Message"]


def test_pinpoint_a_wrong_typed_member_is_a_bad_request_naming_it(client: Any) -> None:
    pinpoint = client("pinpoint")
    error = refused(pinpoint.create_app, CreateApplicationRequest={"Name": 5})
    assert error["Code"] == "BadRequestException"
    assert "CreateApplicationRequest.Name" in error["Message"]
    assert pinpoint.get_apps()["ApplicationsResponse"]["Item"] == []
