"""Receiving email: filters, rule order, and an inbound message through S3, SNS and a function."""

from __future__ import annotations

import json
import urllib.request

import pytest
from botocore.exceptions import ClientError

DOMAIN = "school.example"


@pytest.fixture
def ses(aws):
    client = aws.client("ses")
    client.verify_domain_identity(Domain=DOMAIN)
    client.create_receipt_rule_set(RuleSetName="inbound")
    client.set_active_receipt_rule_set(RuleSetName="inbound")
    return client


def _rule(name: str, actions: list, recipients: list | None = None) -> dict:
    return {"Name": name, "Enabled": True, "Recipients": recipients or [], "Actions": actions}


def _names(ses) -> list[str]:
    rules = ses.describe_receipt_rule_set(RuleSetName="inbound")["Rules"]
    return [rule["Name"] for rule in rules]


def test_rules_can_be_moved_reordered_and_deleted(ses):
    for name in ("c", "b", "a"):
        ses.create_receipt_rule(RuleSetName="inbound", Rule=_rule(name, []))
    assert _names(ses) == ["a", "b", "c"]
    ses.set_receipt_rule_position(RuleSetName="inbound", RuleName="a", After="c")
    assert _names(ses) == ["b", "c", "a"]
    ses.reorder_receipt_rule_set(RuleSetName="inbound", RuleNames=["c", "a", "b"])
    assert _names(ses) == ["c", "a", "b"]
    ses.delete_receipt_rule(RuleSetName="inbound", RuleName="a")
    assert _names(ses) == ["c", "b"]


def test_moving_after_a_missing_rule_changes_nothing(ses):
    ses.create_receipt_rule(RuleSetName="inbound", Rule=_rule("only", []))
    with pytest.raises(ClientError) as raised:
        ses.set_receipt_rule_position(RuleSetName="inbound", RuleName="only", After="ghost")
    assert raised.value.response["Error"]["Code"] == "RuleDoesNotExist"
    assert _names(ses) == ["only"]
    with pytest.raises(ClientError) as raised:
        ses.delete_receipt_rule(RuleSetName="nowhere", RuleName="only")
    assert raised.value.response["Error"]["Code"] == "RuleSetDoesNotExist"


def test_receipt_filters_are_listed_and_a_bad_cidr_is_named(ses):
    ses.create_receipt_filter(
        Filter={"Name": "spam", "IpFilter": {"Policy": "Block", "Cidr": "198.51.100.0/24"}}
    )
    assert ses.list_receipt_filters()["Filters"] == [
        {"Name": "spam", "IpFilter": {"Policy": "Block", "Cidr": "198.51.100.0/24"}}
    ]
    with pytest.raises(ClientError) as raised:
        ses.create_receipt_filter(
            Filter={"Name": "spam", "IpFilter": {"Policy": "Block", "Cidr": "10.0.0.1"}}
        )
    assert raised.value.response["Error"]["Code"] == "AlreadyExists"
    with pytest.raises(ClientError) as raised:
        ses.create_receipt_filter(
            Filter={"Name": "bad", "IpFilter": {"Policy": "Block", "Cidr": "nope"}}
        )
    assert "Cidr" in raised.value.response["Error"]["Message"]
    ses.delete_receipt_filter(FilterName="spam")
    assert ses.list_receipt_filters()["Filters"] == []


def test_an_inbound_email_runs_s3_sns_and_function_actions_in_order(aws, ses):
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="mail-in")
    sns = aws.client("sns")
    sqs = aws.client("sqs")
    topic = sns.create_topic(Name="received")["TopicArn"]
    queue = sqs.create_queue(QueueName="received")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn["Attributes"]["QueueArn"])
    events = []
    function = aws.state.functions.register("on-mail", lambda event, context: events.append(event))
    actions = [
        {"S3Action": {"BucketName": "mail-in", "ObjectKeyPrefix": "raw/"}},
        {"SNSAction": {"TopicArn": topic, "Encoding": "UTF-8"}},
        {"LambdaAction": {"FunctionArn": function, "InvocationType": "Event"}},
    ]
    ses.create_receipt_rule(RuleSetName="inbound", Rule=_rule("store", actions, [DOMAIN]))

    received = aws.mail.receive("parent@home.example", f"office@{DOMAIN}", "Absence", "Sick today")

    assert received.recipients == [f"office@{DOMAIN}"]
    assert [a["type"] for a in received.actions] == ["S3", "SNS", "Lambda"]
    stored = s3.get_object(Bucket="mail-in", Key=f"raw/{received.message_id}")["Body"].read()
    assert b"Sick today" in stored
    message = sqs.receive_message(QueueUrl=queue)["Messages"][0]
    notification = json.loads(json.loads(message["Body"])["Message"])
    assert notification["notificationType"] == "Received"
    assert notification["mail"]["source"] == "parent@home.example"
    assert notification["receipt"]["action"]["type"] == "SNS"
    assert "Sick today" in notification["content"]
    assert events[0]["Records"][0]["eventSource"] == "aws:ses"
    assert events[0]["Records"][0]["ses"]["mail"]["messageId"] == received.message_id


def test_a_function_can_stop_the_rule_set(aws, ses):
    stop = aws.state.functions.register(
        "stop", lambda event, context: {"disposition": "STOP_RULE_SET"}
    )
    aws.client("s3").create_bucket(Bucket="later")
    ses.create_receipt_rule(
        RuleSetName="inbound",
        Rule=_rule("second", [{"S3Action": {"BucketName": "later"}}]),
    )
    ses.create_receipt_rule(
        RuleSetName="inbound",
        Rule=_rule(
            "first", [{"LambdaAction": {"FunctionArn": stop, "InvocationType": "RequestResponse"}}]
        ),
    )
    received = aws.mail.receive("a@home.example", f"b@{DOMAIN}", "s", "t")
    assert [(a["rule"], a["type"]) for a in received.actions] == [("first", "Lambda")]


def test_filters_unverified_recipients_and_unmatched_rules_refuse_mail(aws, ses):
    ses.create_receipt_rule(RuleSetName="inbound", Rule=_rule("sales", [], [f"sales@{DOMAIN}"]))
    received = aws.mail.receive(
        "a@home.example", [f"sales@{DOMAIN}", f"other@{DOMAIN}", "x@elsewhere.example"], "s", "t"
    )
    assert received.recipients == [f"sales@{DOMAIN}"]
    assert received.rejected == {
        f"other@{DOMAIN}": "no receipt rule matches",
        "x@elsewhere.example": "not a verified identity of this account",
    }
    ses.create_receipt_filter(
        Filter={"Name": "block", "IpFilter": {"Policy": "Block", "Cidr": "198.51.100.0/24"}}
    )
    blocked = aws.mail.receive(
        "a@home.example", f"sales@{DOMAIN}", "s", "t", source_ip="198.51.100.7"
    )
    assert (
        blocked.recipients == []
        and "blocked by IP filter block" in blocked.rejected[f"sales@{DOMAIN}"]
    )
    ses.create_receipt_filter(
        Filter={"Name": "partner", "IpFilter": {"Policy": "Allow", "Cidr": "198.51.100.7"}}
    )
    allowed = aws.mail.receive(
        "a@home.example", f"sales@{DOMAIN}", "s", "t", source_ip="198.51.100.7"
    )
    assert allowed.recipients == [f"sales@{DOMAIN}"]


def test_send_bounce_answers_a_received_message(aws, ses):
    ses.create_receipt_rule(RuleSetName="inbound", Rule=_rule("all", []))
    received = aws.mail.receive("a@home.example", f"b@{DOMAIN}", "s", "t")
    response = ses.send_bounce(
        OriginalMessageId=received.message_id,
        BounceSender=f"mailer-daemon@{DOMAIN}",
        BouncedRecipientInfoList=[{"Recipient": f"b@{DOMAIN}", "BounceType": "DoesNotExist"}],
    )
    bounce = aws.outbox.last(to="a@home.example")
    assert bounce.message_id == response["MessageId"]
    assert bounce.destination == "a@home.example"
    assert bounce.detail["original_message_id"] == received.message_id
    with pytest.raises(ClientError) as raised:
        ses.send_bounce(
            OriginalMessageId="nope",
            BounceSender=f"mailer-daemon@{DOMAIN}",
            BouncedRecipientInfoList=[{"Recipient": f"b@{DOMAIN}", "BounceType": "DoesNotExist"}],
        )
    assert raised.value.response["Error"]["Code"] == "MessageRejected"


def test_inbound_mail_over_http(server_aws):
    ses = server_aws.client("ses")
    ses.verify_domain_identity(Domain=DOMAIN)
    ses.create_receipt_rule_set(RuleSetName="inbound")
    ses.set_active_receipt_rule_set(RuleSetName="inbound")
    ses.create_receipt_rule(RuleSetName="inbound", Rule=_rule("all", []))
    body = {"from": "a@home.example", "to": f"b@{DOMAIN}", "subject": "s", "text": "t"}
    request = urllib.request.Request(
        f"{server_aws.endpoint_url}/simlab/mail/inbound",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as answer:
        summary = json.loads(answer.read())
    assert summary["recipients"] == [f"b@{DOMAIN}"]
    assert summary["rejected"] == {}


EXAMPLE_OUTPUT = """\
accepted: ['office@school.example']
refused: {'head@school.example': 'no receipt rule matches'}
stored: ['office']
stored_text_found: True
notification: ('Received', 'S3')
"""


@pytest.mark.parametrize("mode", ["inprocess", "server"])
def test_the_inbound_example_prints_the_same_in_both_modes(mode, request):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    command = [sys.executable, "examples/inbound_mail.py"]
    if mode == "server":
        command += ["--endpoint-url", request.getfixturevalue("server_aws").endpoint_url]
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, cwd=root)
    assert done.returncode == 0, done.stderr
    assert done.stdout == EXAMPLE_OUTPUT
