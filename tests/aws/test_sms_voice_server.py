"""The v2 API over HTTP: the example script, the AWS CLI and the inbound route, in server mode."""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
pytestmark = pytest.mark.server


def post(url: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, json.dumps(body).encode(), method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def run(*command: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)


EXPECTED = """\
account tier at start: SANDBOXED
reply on the two-way topic: 'STOP' (keyword 'STOP', answers the first message: True)
second send refused: ('ConflictException', 'DESTINATION_PHONE_NUMBER_OPTED_OUT')
opted out: ['+12065550142']
events in logs: TEXT_DELIVERED x1, TEXT_PENDING x1, TEXT_QUEUED x1
events in s3  : TEXT_DELIVERED x1, TEXT_PENDING x1, TEXT_QUEUED x1
events in sns : TEXT_DELIVERED x1
"""


def test_the_example_runs_unchanged_in_process():
    result = run(sys.executable, "examples/sms_two_way.py")
    assert result.returncode == 0, result.stderr
    assert result.stdout == EXPECTED


def test_the_example_runs_unchanged_against_server_mode(server_aws):
    result = run(
        sys.executable, "examples/sms_two_way.py", "--endpoint-url", server_aws.endpoint_url
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == EXPECTED
    assert server_aws.sms.engine.counts("SMS")["opted_out"] == 1


def test_the_aws_cli_describes_phone_numbers(server_aws):
    server_aws.client("pinpoint-sms-voice-v2").request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TEN_DLC",
    )
    url = server_aws.endpoint_url
    result = run(
        str(VENV_BIN / "aws"),
        "--endpoint-url",
        url,
        "--output",
        "json",
        "pinpoint-sms-voice-v2",
        "describe-phone-numbers",
    )
    assert result.returncode == 0, result.stderr
    [number] = json.loads(result.stdout)["PhoneNumbers"]
    assert number["NumberType"] == "TEN_DLC" and number["PhoneNumber"].startswith("+1")
    refused = run(
        str(VENV_BIN / "aws"),
        "--endpoint-url",
        url,
        "pinpoint-sms-voice-v2",
        "send-text-message",
        "--destination-phone-number",
        "12065550142",
        "--message-body",
        "hi",
    )
    assert refused.returncode != 0
    assert "ValidationException" in refused.stderr and "DestinationPhoneNumber" in refused.stderr


def test_a_reply_posted_to_the_inbound_route_opts_out(server_aws):
    client = server_aws.client("pinpoint-sms-voice-v2")
    number = client.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
    )["PhoneNumber"]
    url = f"{server_aws.endpoint_url}/simlab/sms/inbound"
    status, payload = post(url, {"from": "+12065550142", "to": number, "body": "STOP"})
    assert status == 200 and payload["messageKeyword"] == "STOP"
    listed = client.describe_opted_out_numbers(OptOutListName="Default")["OptedOutNumbers"]
    assert [n["OptedOutNumber"] for n in listed] == ["+12065550142"]
    status, payload = post(url, {"from": "+12065550142", "to": "+19999999999", "body": "hi"})
    assert status == 400 and "destinationNumber" in payload["message"]
    status, payload = post(url, {"from": "+12065550142"})
    assert status == 400 and "to, body" in payload["message"]
