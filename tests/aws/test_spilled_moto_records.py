"""moto's records of sent messages keep only the newest in memory; older ones, kept in SQLite,
read back through moto as before: ``sent_messages``, the registries the data API lists, and
``sms_messages``."""

from __future__ import annotations

import json
import urllib.request

import pytest
from moto.ses.models import Message, RawMessage, ses_backends
from moto.sns.models import SMS, sns_backends

from simlab.aws.services.ses.moto_records import Registry
from simlab.primitives.spill import SpillDict, SpillList

ACCOUNT, REGION = "123456789012", "us-east-1"
SENDER = "office@school.example"


def _raw(n: int) -> str:
    return f"From: {SENDER}\nTo: {SENDER}\nSubject: Raw {n}\n\nraw body {n}"


@pytest.fixture
def ses(aws):
    client = aws.client("ses")
    client.verify_domain_identity(Domain="school.example")
    aws.ses.grant_production_access()
    return client


def _send(ses, n: int) -> None:
    ses.send_email(
        Source=SENDER,
        Destination={"ToAddresses": [SENDER]},
        Message={"Subject": {"Data": f"Note {n}"}, "Body": {"Text": {"Data": f"body {n}"}}},
    )


def test_sent_messages_read_back_in_order_after_leaving_memory(ses):
    core = ses_backends[ACCOUNT][REGION]
    core.sent_messages.keep = core.sent_messages.batch = 2
    for n in range(12):
        _send(ses, n)
    records = core.sent_messages
    assert isinstance(records, SpillList) and records.in_memory <= 4
    assert [m.subject for m in records] == [f"Note {n}" for n in range(12)]
    assert isinstance(records[0], Message) and records[0].body == "body 0"
    assert records[-1].subject == "Note 11" and core.sent_message_count == 12


def test_reading_spilled_records_registers_no_new_instances(ses):
    _send(ses, 0)
    tracked = Message.instances_tracked
    assert isinstance(tracked, Registry)
    tracked.keep = tracked.batch = 1
    for n in range(1, 8):
        _send(ses, n)
    before = len(tracked)
    assert [m.subject for m in ses_backends[ACCOUNT][REGION].sent_messages][:3] == [
        "Note 0",
        "Note 1",
        "Note 2",
    ]
    assert [m.subject for m in tracked][:8] == [f"Note {n}" for n in range(8)]
    assert len(tracked) == before


def test_the_data_api_lists_spilled_records(server_aws):
    ses = server_aws.client("ses")
    ses.verify_domain_identity(Domain="school.example")
    server_aws.ses.grant_production_access()
    ses.send_raw_email(RawMessage={"Data": _raw(0)})
    RawMessage.instances_tracked.keep = RawMessage.instances_tracked.batch = 1
    for n in range(1, 5):
        ses.send_raw_email(RawMessage={"Data": _raw(n)})
    assert RawMessage.instances_tracked.in_memory <= 2
    with urllib.request.urlopen(f"{server_aws.endpoint_url}/moto-api/data.json") as answer:
        data = json.loads(answer.read())
    assert [m["raw_data"] for m in data["ses"]["RawMessage"]] == [_raw(n) for n in range(5)]


def test_direct_texts_stay_in_moto_s_records_after_leaving_memory(aws):
    aws.sms.leave_sandbox()
    sns = aws.client("sns")
    first = sns.publish(PhoneNumber="+12065550100", Message="code 0")["MessageId"]
    backend = sns_backends[ACCOUNT][REGION]
    for records in (backend.sms_messages, backend.sms_message_objects, SMS.instances_tracked):
        assert isinstance(records, SpillDict | SpillList)
        records.keep = records.batch = 1
    for n in range(1, 6):
        sns.publish(PhoneNumber=f"+1206555010{n}", Message=f"code {n}")
    assert backend.sms_messages.in_memory <= 2 and len(backend.sms_messages) == 6
    assert backend.sms_messages[first] == ("+12065550100", "code 0")
    assert backend.sms_message_objects[first].message == "code 0"
    assert [m.message for m in SMS.instances_tracked] == [f"code {n}" for n in range(6)]
