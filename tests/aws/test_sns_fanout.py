"""Topic fan-out: SQS with filter policies and raw delivery, email, email-json and SMS."""

import json

import pytest

from tests.aws.sqs_delivery import (
    CONFIRMATION_FIELDS,
    drain,
    make_queue,
    string,
    verify,
)

NUMBER = "+12065550100"


@pytest.fixture
def sns(aws):
    aws.sms.leave_sandbox()  # SMS subscribers here are not sandbox-verified numbers
    aws.sns.set_delivery_probability(Promotional=1.0, Transactional=1.0)
    return aws.client("sns")


@pytest.fixture
def topic(sns):
    return sns.create_topic(Name="orders")["TopicArn"]


def subscribe_email(aws, sns, topic, address, protocol="email"):
    """Subscribes ``address`` and confirms with the token from the confirmation email."""
    sns.subscribe(TopicArn=topic, Protocol=protocol, Endpoint=address)
    token = aws.outbox.last(channel="EMAIL", to=address).detail["token"]
    return sns.confirm_subscription(TopicArn=topic, Token=token)["SubscriptionArn"]


def test_sqs_receives_the_signed_envelope_at_simulated_time(aws, sns, topic):
    url, arn = make_queue(aws, "all")
    subscription = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)["SubscriptionArn"]
    aws.clock.advance(90)

    message_id = sns.publish(
        TopicArn=topic,
        Message="order 1",
        Subject="New order",
        MessageAttributes={"kind": string("x")},
    )["MessageId"]

    [received] = drain(aws, url)
    envelope = json.loads(received["Body"])
    assert envelope["Type"] == "Notification"
    assert (envelope["MessageId"], envelope["TopicArn"]) == (message_id, topic)
    assert (envelope["Message"], envelope["Subject"]) == ("order 1", "New order")
    assert envelope["Timestamp"] == "2026-01-05T09:01:30.000Z"
    assert envelope["MessageAttributes"] == {"kind": {"Type": "String", "Value": "x"}}
    assert envelope["UnsubscribeURL"].endswith(f"SubscriptionArn={subscription}")
    assert envelope["SignatureVersion"] == "2"
    key_name = envelope["SigningCertURL"].rsplit("/", 1)[1]
    verify(envelope, aws.sns.backend()._message_public_keys[key_name])


def test_an_attribute_filter_policy_lets_only_matching_messages_through(aws, sns, topic):
    url, arn = make_queue(aws, "big-orders")
    policy = {"kind": ["order"], "total": [{"numeric": [">=", 100]}]}
    sns.subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=arn,
        Attributes={"FilterPolicy": json.dumps(policy)},
    )
    number = {"DataType": "Number", "StringValue": "150"}
    small = {"DataType": "Number", "StringValue": "5"}

    sns.publish(
        TopicArn=topic, Message="big", MessageAttributes={"kind": string("order"), "total": number}
    )
    sns.publish(
        TopicArn=topic, Message="small", MessageAttributes={"kind": string("order"), "total": small}
    )
    sns.publish(TopicArn=topic, Message="no attributes")

    assert [json.loads(m["Body"])["Message"] for m in drain(aws, url)] == ["big"]


def test_a_message_body_filter_policy_matches_nested_json(aws, sns, topic):
    url, arn = make_queue(aws, "eu")
    sns.subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=arn,
        Attributes={
            "FilterPolicyScope": "MessageBody",
            "FilterPolicy": json.dumps({"customer": {"region": ["eu-west-1"]}}),
        },
    )
    for region in ["eu-west-1", "us-east-1"]:
        sns.publish(TopicArn=topic, Message=json.dumps({"customer": {"region": region}}))
    sns.publish(TopicArn=topic, Message="not json")

    bodies = [json.loads(json.loads(m["Body"])["Message"]) for m in drain(aws, url)]
    assert bodies == [{"customer": {"region": "eu-west-1"}}]


def test_raw_delivery_sends_the_bare_message_with_sqs_attributes(aws, sns, topic):
    url, arn = make_queue(aws, "raw")
    sns.subscribe(
        TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"}
    )
    sns.publish(
        TopicArn=topic,
        Message="raw body",
        MessageAttributes={
            "kind": string("order"),
            "total": {"DataType": "Number", "StringValue": "42"},
            "blob": {"DataType": "Binary", "BinaryValue": b"\x00\xff"},
        },
    )

    [received] = drain(aws, url)
    assert received["Body"] == "raw body"
    assert received["MessageAttributes"] == {
        "kind": {"DataType": "String", "StringValue": "order"},
        "total": {"DataType": "Number", "StringValue": "42"},
        "blob": {"DataType": "Binary", "BinaryValue": b"\x00\xff"},
    }


def test_message_structure_json_gives_each_protocol_its_own_text(aws, sns, topic):
    url, arn = make_queue(aws, "structured")
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    subscribe_email(aws, sns, topic, "ops@example.com")
    message = {"default": "for everyone", "sqs": "for queues"}

    sns.publish(TopicArn=topic, Message=json.dumps(message), MessageStructure="json")

    assert json.loads(drain(aws, url)[0]["Body"])["Message"] == "for queues"
    assert aws.outbox.last(channel="EMAIL").body.startswith("for everyone\n")


@pytest.mark.parametrize(
    ("message", "problem"),
    [("{not json", "failed to parse"), (json.dumps({"sqs": "no default"}), "No default entry")],
)
def test_a_bad_structured_message_is_refused_and_delivered_nowhere(
    aws, sns, topic, message, problem
):
    url, arn = make_queue(aws, "nothing")
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)

    with pytest.raises(sns.exceptions.InvalidParameterException, match=problem):
        sns.publish(TopicArn=topic, Message=message, MessageStructure="json")
    assert drain(aws, url) == []


def test_email_subscribers_get_the_message_with_an_unsubscribe_link(aws, sns, topic):
    sns.set_topic_attributes(TopicArn=topic, AttributeName="DisplayName", AttributeValue="Shop")
    arn = subscribe_email(aws, sns, topic, "ana@example.com")

    message_id = sns.publish(TopicArn=topic, Message="Your order shipped", Subject="Shipped")[
        "MessageId"
    ]

    sent = aws.outbox.last(channel="EMAIL")
    assert (sent.service, sent.destination, sent.status) == ("sns", "ana@example.com", "DELIVERED")
    assert (sent.origin, sent.subject) == ("Shop <no-reply@sns.amazonaws.com>", "Shipped")
    assert sent.message_id == message_id
    assert sent.body.startswith("Your order shipped\n")
    assert f"SubscriptionArn={arn}" in sent.body


def test_email_without_a_subject_uses_sns_default_subject(aws, sns, topic):
    subscribe_email(aws, sns, topic, "ana@example.com")
    sns.publish(TopicArn=topic, Message="hi")
    assert aws.outbox.last(channel="EMAIL").subject == "AWS Notification Message"


def test_email_json_subscribers_get_the_envelope(aws, sns, topic):
    subscribe_email(aws, sns, topic, "bot@example.com", protocol="email-json")
    message_id = sns.publish(TopicArn=topic, Message="hello")["MessageId"]

    envelope = json.loads(aws.outbox.last(channel="EMAIL").body)
    assert (envelope["Type"], envelope["MessageId"], envelope["Message"]) == (
        "Notification",
        message_id,
        "hello",
    )


def test_sms_subscribers_get_texts_under_the_sms_rules(aws, sns, topic):
    sns.subscribe(TopicArn=topic, Protocol="sms", Endpoint=NUMBER)
    sns.subscribe(TopicArn=topic, Protocol="sms", Endpoint="+14155550123")
    aws.sns.opt_out("+14155550123")

    sns.publish(TopicArn=topic, Message="Flash sale")

    texts = {m.destination: m for m in aws.outbox.filter(channel="SMS")}
    assert texts[NUMBER].status == "DELIVERED"
    assert texts[NUMBER].detail["topic_arn"] == topic
    assert texts["+14155550123"].status == "OPTED_OUT"  # the subscription stays, delivery fails
    failed = aws.sns.deliveries(protocol="sms", status="FAILED")
    assert [d.endpoint for d in failed] == ["+14155550123"]
    assert len(sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]) == 2


def test_an_sms_subscription_needs_a_phone_number(sns, topic):
    with pytest.raises(sns.exceptions.InvalidParameterException, match="Endpoint"):
        sns.subscribe(TopicArn=topic, Protocol="sms", Endpoint="not a number")


def test_a_failed_delivery_is_recorded_and_others_still_receive(aws, sns, topic):
    url, arn = make_queue(aws, "alive")
    gone = "arn:aws:sqs:us-east-1:123456789012:deleted-queue"
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=gone)
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    sns.subscribe(TopicArn=topic, Protocol="https", Endpoint="https://example.com/hook")

    sns.publish(TopicArn=topic, Message="still here")

    assert len(drain(aws, url)) == 1
    outcomes = {(d.endpoint, d.status) for d in aws.sns.deliveries()}
    assert outcomes == {
        (gone, "FAILED"),
        (arn, "DELIVERED"),
        ("https://example.com/hook", "FAILED"),
    }
    [remote] = aws.sns.deliveries(protocol="https")
    assert "only to this machine" in remote.error


def test_publishing_to_a_missing_topic_is_not_found(sns):
    with pytest.raises(sns.exceptions.NotFoundException, match="Topic does not exist"):
        sns.publish(TopicArn="arn:aws:sns:us-east-1:123456789012:nope", Message="x")


def test_a_message_over_256_kib_with_its_attributes_is_refused(aws, sns, topic):
    url, arn = make_queue(aws, "size")
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    body = "x" * (262_144 - 20)

    with pytest.raises(sns.exceptions.InvalidParameterException, match="Message too long"):
        sns.publish(TopicArn=topic, Message=body, MessageAttributes={"padding": string("y" * 30)})
    assert drain(aws, url) == []


def test_an_action_simlab_does_not_emulate_answers_invalid_action(server_aws):
    import urllib.error
    import urllib.request

    scope = "test/20260105/us-east-1/sns/aws4_request"
    request = urllib.request.Request(
        server_aws.endpoint_url + "/",
        data=b"Action=ListPhoneBooks&Version=2010-03-31",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Authorization": f"AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders=host, "
            "Signature=0",
        },
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request)
    body = raised.value.read().decode()
    assert "<Code>InvalidAction</Code>" in body
    assert "does not emulate" in body


# -- confirming email subscriptions --------------------------------------------------------------


def test_an_email_subscription_waits_for_confirmation(aws, sns, topic):
    reply = sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="ana@example.com")
    assert reply["SubscriptionArn"] == "pending confirmation"

    request = aws.outbox.last(channel="EMAIL", to="ana@example.com")
    assert request.subject == "AWS Notification - Subscription Confirmation"
    assert request.detail["token"] in request.body  # the link carries the token
    [listed] = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert listed["SubscriptionArn"] == "PendingConfirmation"
    attributes = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    assert (attributes["SubscriptionsPending"], attributes["SubscriptionsConfirmed"]) == ("1", "0")

    sns.publish(TopicArn=topic, Message="too early")
    assert aws.outbox.filter(channel="EMAIL", to="ana@example.com") == [request]
    assert [d.status for d in aws.sns.deliveries(protocol="email")] == ["UNCONFIRMED"]


def test_confirm_subscription_with_the_token_starts_deliveries(aws, sns, topic):
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="ana@example.com")
    token = aws.outbox.last(channel="EMAIL").detail["token"]

    arn = sns.confirm_subscription(TopicArn=topic, Token=token)["SubscriptionArn"]
    sns.publish(TopicArn=topic, Message="now it arrives")

    assert arn.startswith(topic + ":")
    [listed] = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert listed["SubscriptionArn"] == arn
    assert (
        sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]["PendingConfirmation"]
        == "false"
    )
    assert aws.outbox.last(channel="EMAIL").body.startswith("now it arrives\n")
    attributes = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    assert (attributes["SubscriptionsPending"], attributes["SubscriptionsConfirmed"]) == ("0", "1")


def test_return_subscription_arn_gives_the_pending_arn(aws, sns, topic):
    arn = sns.subscribe(
        TopicArn=topic, Protocol="email", Endpoint="ana@example.com", ReturnSubscriptionArn=True
    )["SubscriptionArn"]
    attributes = sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
    assert attributes["PendingConfirmation"] == "true"
    assert aws.sns.confirm("ana@example.com") == [arn]


def test_a_wrong_or_expired_token_is_refused(aws, sns, topic):
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="ana@example.com")
    token = aws.outbox.last(channel="EMAIL").detail["token"]

    with pytest.raises(sns.exceptions.InvalidParameterException, match="Token"):
        sns.confirm_subscription(TopicArn=topic, Token="not-the-token")
    aws.clock.advance(2 * 86_400 + 1)
    with pytest.raises(sns.exceptions.InvalidParameterException, match="expired"):
        sns.confirm_subscription(TopicArn=topic, Token=token)

    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="ana@example.com")  # asks again
    fresh = aws.outbox.last(channel="EMAIL").detail["token"]
    assert fresh != token
    assert sns.confirm_subscription(TopicArn=topic, Token=fresh)["SubscriptionArn"]


def test_confirming_on_a_missing_topic_is_not_found(sns):
    with pytest.raises(sns.exceptions.NotFoundException):
        sns.confirm_subscription(TopicArn="arn:aws:sns:us-east-1:123456789012:nope", Token="t")


def test_an_email_json_confirmation_carries_a_subscribe_url(aws, sns, topic):
    sns.subscribe(TopicArn=topic, Protocol="email-json", Endpoint="bot@example.com")

    request = json.loads(aws.outbox.last(channel="EMAIL").body)
    assert request["Type"] == "SubscriptionConfirmation"
    assert request["TopicArn"] == topic
    assert f"Token={request['Token']}" in request["SubscribeURL"]
    key_name = request["SigningCertURL"].rsplit("/", 1)[1]
    verify(request, aws.sns.backend()._message_public_keys[key_name], CONFIRMATION_FIELDS)


# -- batches and FIFO topics ---------------------------------------------------------------------


def test_publish_batch_fans_out_every_entry_and_reports_each(aws, sns, topic):
    url, arn = make_queue(aws, "batch")
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    entries = [{"Id": f"e{n}", "Message": f"m{n}"} for n in range(10)]
    entries[3] = {"Id": "e3", "Message": "{bad", "MessageStructure": "json"}

    reply = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=entries)

    assert sorted(s["Id"] for s in reply["Successful"]) == sorted(
        e["Id"] for e in entries if e["Id"] != "e3"
    )
    [failed] = reply["Failed"]
    assert (failed["Id"], failed["Code"], failed["SenderFault"]) == ("e3", "InvalidParameter", True)
    assert len(drain(aws, url)) == 9


def test_a_batch_of_more_than_ten_is_refused(sns, topic):
    entries = [{"Id": f"e{n}", "Message": "m"} for n in range(11)]
    with pytest.raises(sns.exceptions.TooManyEntriesInBatchRequestException):
        sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=entries)


def test_a_fifo_topic_keeps_group_order_into_a_fifo_queue(aws, sns):
    topic = sns.create_topic(
        Name="orders.fifo", Attributes={"FifoTopic": "true", "ContentBasedDeduplication": "true"}
    )["TopicArn"]
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName="orders.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    sns.subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=arn["QueueArn"],
        Attributes={"RawMessageDelivery": "true"},
    )
    for n in range(3):
        sns.publish(TopicArn=topic, Message=f"step {n}", MessageGroupId="order-1")

    bodies = [m["Body"] for m in drain(aws, url)]
    assert bodies == ["step 0", "step 1", "step 2"]
    with pytest.raises(sns.exceptions.InvalidParameterException, match="MessageGroupId"):
        sns.publish(TopicArn=topic, Message="no group")
