"""Mobile push: platform applications, endpoints, per-platform payloads, disabled endpoints."""

import json

import pytest

TOKEN = "fcm-token-0001"


@pytest.fixture
def app(sns):
    return sns.create_platform_application(
        Name="shop-android", Platform="GCM", Attributes={"PlatformCredential": "server-key"}
    )["PlatformApplicationArn"]


@pytest.fixture
def endpoint(sns, app):
    return sns.create_platform_endpoint(PlatformApplicationArn=app, Token=TOKEN)["EndpointArn"]


def test_a_push_lands_in_the_outbox_with_platform_and_token(aws, sns, app, endpoint):
    message_id = sns.publish(TargetArn=endpoint, Message="Your order shipped")["MessageId"]

    sent = aws.outbox.last(channel="PUSH")
    assert (sent.service, sent.destination, sent.status) == ("sns", TOKEN, "DELIVERED")
    assert (sent.message_id, sent.body, sent.origin) == (
        message_id,
        "Your order shipped",
        "shop-android",
    )
    assert sent.detail["platform"] == "GCM"
    assert sent.detail["endpoint_arn"] == endpoint
    assert sent.detail["application_arn"] == app


def test_message_structure_json_sends_the_platform_s_own_payload(aws, sns, endpoint):
    gcm = json.dumps({"notification": {"title": "Shipped", "body": "On its way"}})
    message = {"default": "Your order shipped", "APNS": "{}", "GCM": gcm}

    sns.publish(TargetArn=endpoint, Message=json.dumps(message), MessageStructure="json")
    sns.publish(
        TargetArn=endpoint, Message=json.dumps({"default": "plain"}), MessageStructure="json"
    )

    [first, second] = aws.outbox.filter(channel="PUSH")
    assert (json.loads(first.body), first.detail["payload_key"]) == (json.loads(gcm), "GCM")
    assert (second.body, second.detail["payload_key"]) == ("plain", "default")


def test_a_disabled_endpoint_refuses_with_endpoint_disabled(aws, sns, endpoint):
    sns.set_endpoint_attributes(EndpointArn=endpoint, Attributes={"Enabled": "false"})

    with pytest.raises(sns.exceptions.EndpointDisabledException, match="Endpoint is disabled"):
        sns.publish(TargetArn=endpoint, Message="hello?")
    assert aws.outbox.filter(channel="PUSH") == []


def test_a_disabled_application_refuses_with_platform_application_disabled(aws, sns, app, endpoint):
    sns.set_platform_application_attributes(
        PlatformApplicationArn=app, Attributes={"Enabled": "false"}
    )
    with pytest.raises(sns.exceptions.PlatformApplicationDisabledException):
        sns.publish(TargetArn=endpoint, Message="hello?")


def test_topic_subscribers_on_push_get_it_and_a_disabled_one_fails_in_the_outbox(aws, sns, app):
    topic = sns.create_topic(Name="news")["TopicArn"]
    live = sns.create_platform_endpoint(PlatformApplicationArn=app, Token="live")["EndpointArn"]
    off = sns.create_platform_endpoint(PlatformApplicationArn=app, Token="off")["EndpointArn"]
    for arn in (live, off):
        sns.subscribe(TopicArn=topic, Protocol="application", Endpoint=arn)
    sns.set_endpoint_attributes(EndpointArn=off, Attributes={"Enabled": "false"})

    message_id = sns.publish(TopicArn=topic, Message="Big news")["MessageId"]

    statuses = {m.destination: m.status for m in aws.outbox.filter(channel="PUSH")}
    assert statuses == {"live": "DELIVERED", "off": "FAILED"}
    assert {m.message_id for m in aws.outbox.filter(channel="PUSH")} == {message_id}
    assert "EndpointDisabled" in aws.outbox.last(channel="PUSH", to="off").detail["reason"]


def test_an_unknown_platform_is_refused(sns):
    with pytest.raises(sns.exceptions.InvalidParameterException, match="Platform"):
        sns.create_platform_application(
            Name="x", Platform="PIGEON", Attributes={"PlatformCredential": "k"}
        )


def test_apns_needs_a_principal_and_a_credential(sns):
    with pytest.raises(sns.exceptions.InvalidParameterException, match="PlatformPrincipal"):
        sns.create_platform_application(
            Name="ios", Platform="APNS", Attributes={"PlatformCredential": "key"}
        )


def test_publishing_to_a_deleted_endpoint_is_not_found(sns, endpoint):
    sns.delete_endpoint(EndpointArn=endpoint)
    with pytest.raises(sns.exceptions.NotFoundException):
        sns.publish(TargetArn=endpoint, Message="gone")
