"""SNS over HTTP: the same rules and errors reach boto3 and the AWS CLI in server mode."""

import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.aws.sqs_delivery import drain, make_queue, verify

pytestmark = pytest.mark.server

NUMBER = "+12065550100"


@pytest.fixture
def sns(server_aws):
    server_aws.sms.leave_sandbox()
    server_aws.sns.set_delivery_probability(Promotional=1.0, Transactional=1.0)
    return server_aws.client("sns")


def test_sms_rules_and_errors_over_http(server_aws, sns):
    server_aws.sns.opt_out(NUMBER)

    assert sns.check_if_phone_number_is_opted_out(phoneNumber=NUMBER)["isOptedOut"] is True
    sns.publish(PhoneNumber=NUMBER, Message="hi")
    with pytest.raises(sns.exceptions.InvalidParameterException, match="PhoneNumber"):
        sns.publish(PhoneNumber="0206555", Message="hi")
    sns.opt_in_phone_number(phoneNumber=NUMBER)
    with pytest.raises(sns.exceptions.InvalidParameterException, match="once every 30 days"):
        server_aws.sns.opt_out(NUMBER)
        sns.opt_in_phone_number(phoneNumber=NUMBER)

    assert [m.status for m in server_aws.outbox.filter(channel="SMS")] == ["OPTED_OUT"]
    with urllib.request.urlopen(f"{server_aws.endpoint_url}/simlab/outbox?channel=SMS") as reply:
        assert json.load(reply)["messages"][0]["detail"]["sms_type"] == "Promotional"


def test_the_signing_certificate_is_served_and_verifies_the_envelope(server_aws, sns):
    topic = sns.create_topic(Name="signed")["TopicArn"]
    url, arn = make_queue(server_aws, "signed")
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    sns.publish(TopicArn=topic, Message="check me", Subject="Signed")

    envelope = json.loads(drain(server_aws, url)[0]["Body"])
    query = urllib.parse.urlencode({"url": envelope["SigningCertURL"]})
    with urllib.request.urlopen(f"{server_aws.endpoint_url}/simlab/sns/certificate?{query}") as r:
        verify(envelope, json.load(r)["pem"].encode())


def test_a_function_subscription_runs_in_the_server_process(server_aws, sns):
    seen = []
    arn = server_aws.state.functions.register("audit", lambda event, ctx: seen.append(event))
    topic = sns.create_topic(Name="audit")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=arn)

    sns.publish(TopicArn=topic, Message="over http")

    assert seen[0]["Records"][0]["Sns"]["Message"] == "over http"


def test_the_aws_cli_publishes_a_text_and_reads_the_sms_attributes(server_aws, sns):
    aws_cli = Path(sys.executable).with_name("aws")
    env = {**os.environ, "AWS_PAGER": ""}
    common = [
        "--endpoint-url",
        server_aws.endpoint_url,
        "--region",
        "us-east-1",
        "--output",
        "json",
    ]

    def run(*args):
        done = subprocess.run(
            [str(aws_cli), "sns", *args, *common], capture_output=True, text=True, env=env
        )
        return done.returncode, done.stdout, done.stderr

    code, out, _ = run("publish", "--phone-number", NUMBER, "--message", "from the CLI")
    assert code == 0 and json.loads(out)["MessageId"]
    code, out, _ = run("get-sms-attributes")
    assert json.loads(out)["attributes"]["DefaultSMSType"] == "Promotional"
    code, _, err = run("publish", "--phone-number", "12345", "--message", "x")
    assert code != 0 and "InvalidParameter" in err
    assert server_aws.outbox.last(channel="SMS").body == "from the CLI"
