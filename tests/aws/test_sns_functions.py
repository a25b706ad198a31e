"""A topic subscription can call a Python function, the local stand-in for Lambda."""

import json

import pytest


@pytest.fixture
def topic(sns):
    return sns.create_topic(Name="signups")["TopicArn"]


def recorder(calls):
    def handler(event, context):
        calls.append((event, context))
        return {"ok": True}

    return handler


def test_the_function_receives_the_documented_sns_event(aws, sns, topic):
    calls = []
    arn = aws.state.functions.register("welcome", recorder(calls))
    subscription = sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=arn)["SubscriptionArn"]

    message_id = sns.publish(
        TopicArn=topic,
        Message=json.dumps({"user": "ana"}),
        Subject="Sign-up",
        MessageAttributes={"plan": {"DataType": "String", "StringValue": "pro"}},
    )["MessageId"]

    [(event, context)] = calls
    [record] = event["Records"]
    assert record["EventSource"] == "aws:sns"
    assert record["EventVersion"] == "1.0"
    assert record["EventSubscriptionArn"] == subscription
    sns_part = record["Sns"]
    assert sns_part["Type"] == "Notification"
    assert (sns_part["MessageId"], sns_part["TopicArn"]) == (message_id, topic)
    assert (sns_part["Subject"], json.loads(sns_part["Message"])) == ("Sign-up", {"user": "ana"})
    assert sns_part["Timestamp"] == "2026-01-05T09:00:00.000Z"
    assert sns_part["MessageAttributes"] == {"plan": {"Type": "String", "Value": "pro"}}
    assert sns_part["SignatureVersion"] == "2" and sns_part["Signature"]
    assert sns_part["SigningCertUrl"].endswith(".pem")
    assert sns_part["UnsubscribeUrl"].endswith(subscription)
    assert context.function_name == "welcome"
    assert context.invoked_function_arn == arn
    assert context.get_remaining_time_in_millis() > 0


def test_without_a_subject_or_attributes_the_event_says_so(aws, sns, topic):
    calls = []
    arn = aws.state.functions.register("plain", recorder(calls))
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=arn)
    sns.publish(TopicArn=topic, Message="hi")

    sns_part = calls[0][0]["Records"][0]["Sns"]
    assert sns_part["Subject"] is None
    assert sns_part["MessageAttributes"] == {}


def test_a_filter_policy_decides_which_messages_call_the_function(aws, sns, topic):
    calls = []
    arn = aws.state.functions.register("pro-only", recorder(calls))
    sns.subscribe(
        TopicArn=topic,
        Protocol="lambda",
        Endpoint=arn,
        Attributes={"FilterPolicy": json.dumps({"plan": ["pro"]})},
    )
    for plan in ["pro", "free", "pro"]:
        sns.publish(
            TopicArn=topic,
            Message=plan,
            MessageAttributes={"plan": {"DataType": "String", "StringValue": plan}},
        )

    assert [c[0]["Records"][0]["Sns"]["Message"] for c in calls] == ["pro", "pro"]


def test_an_exception_in_the_function_is_recorded_not_raised(aws, sns, topic):
    def broken(event, context):
        raise KeyError("email")

    arn = aws.state.functions.register("broken", broken)
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=arn)

    message_id = sns.publish(TopicArn=topic, Message="hi")["MessageId"]

    [delivery] = aws.sns.deliveries(protocol="lambda")
    assert (delivery.status, delivery.message_id, delivery.endpoint) == ("FAILED", message_id, arn)
    assert delivery.error == "KeyError: 'email'"


def test_a_successful_call_is_recorded_with_its_result(aws, sns, topic):
    arn = aws.state.functions.register("ok", recorder([]))
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=arn)
    sns.publish(TopicArn=topic, Message="hi")

    [delivery] = aws.sns.deliveries(protocol="lambda")
    assert delivery.status == "DELIVERED"
    assert delivery.detail["result"] == {"ok": True}


def test_an_unregistered_function_falls_back_to_moto_and_the_failure_is_recorded(aws, sns, topic):
    arn = "arn:aws:lambda:us-east-1:123456789012:function:never-registered"
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=arn)

    sns.publish(TopicArn=topic, Message="hi")  # moto's Lambda has no such function

    [delivery] = aws.sns.deliveries(protocol="lambda")
    assert delivery.status == "FAILED"
