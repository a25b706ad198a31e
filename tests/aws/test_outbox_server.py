"""``GET /simlab/outbox`` pages and filters; ``simlab serve --state DIR`` keeps the outbox."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from typing import Any

import boto3
import pytest

from simlab.aws.local import FAKE_CREDENTIALS
from simlab.engage.outbox_messages import OutboxMessage


def get(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            return reply.status, json.load(reply)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def texts(aws, count: int) -> None:
    for n in range(count):
        status = "FAILED" if n % 2 else "DELIVERED"
        aws.outbox.add(
            OutboxMessage(
                "SMS",
                "sns",
                "+12065550199",
                f"+1206555{n:04d}",
                "hi",
                f"m-{n}",
                aws.clock.now(),
                status,
            )  # fmt: skip
        )


@pytest.mark.server
def test_the_outbox_route_pages_with_limit_and_after(server_aws):
    texts(server_aws, 7)
    base = f"{server_aws.endpoint_url}/simlab/outbox?channel=SMS&status=FAILED&limit=2"
    status, first = get(base)
    assert status == 200
    assert [m["message_id"] for m in first["messages"]] == ["m-1", "m-3"]
    status, second = get(f"{base}&after={first['next']}")
    assert [m["message_id"] for m in second["messages"]] == ["m-5"]
    assert "next" not in second


@pytest.mark.server
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("limit=many", "limit and after must be whole numbers"),
        ("limit=0", "limit must be between 1 and 10000"),
        ("after=-3", "after must be a position"),
        ("colour=red", "unknown filter ['colour']"),
    ],
)
def test_a_bad_outbox_query_gets_400_naming_the_field(server_aws, query, message):
    status, body = get(f"{server_aws.endpoint_url}/simlab/outbox?{query}")
    assert status == 400 and message in body["message"]


def _serve(state: str) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "simlab.cli", "serve", "--port", "0", "--state", state]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline() if process.stdout else ""
    assert line.startswith("simlab local AWS listening on"), process.stderr
    return process, line.split()[-1]


def _stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=20)
    assert process.returncode == 0


@pytest.mark.server
def test_serve_with_state_keeps_the_outbox_across_a_restart(tmp_path):
    process, url = _serve(str(tmp_path))
    try:
        ses = boto3.client("ses", region_name="us-east-1", endpoint_url=url, **FAKE_CREDENTIALS)
        ses.verify_email_identity(EmailAddress="me@example.com")
        ses.send_email(
            Source="me@example.com",
            Destination={"ToAddresses": ["me@example.com"]},
            Message={"Subject": {"Data": "kept"}, "Body": {"Text": {"Data": "across restarts"}}},
        )
        before = get(f"{url}/simlab/outbox")[1]["messages"]
    finally:
        _stop(process)
    assert [m["subject"] for m in before] == ["kept"]
    process, url = _serve(str(tmp_path))
    try:
        assert get(f"{url}/simlab/outbox")[1]["messages"] == before
    finally:
        _stop(process)
