"""Two attendees doing the same steps each see only their own resources and messages."""

import json
import os

import botocore.exceptions
import pytest

from simlab.aws.state import acting_as, current_account, state


def same_steps(session, tag):
    """Creates a topic, a queue, an email identity, a Pinpoint app and a number; sends two."""
    sns, sqs = session.client("sns"), session.client("sqs")
    topic = sns.create_topic(Name="orders")["TopicArn"]
    queue = sqs.create_queue(QueueName="all-orders")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn["QueueArn"])
    sns.publish(TopicArn=topic, Message=f"order from {tag}")
    sns.publish(PhoneNumber="+12065550100", Message=f"code for {tag}")
    ses = session.client("sesv2")
    for address in ("news@example.com", "ana@example.com"):
        ses.create_email_identity(EmailIdentity=address)
    ses.send_email(
        FromEmailAddress="news@example.com",
        Destination={"ToAddresses": ["ana@example.com"]},
        Content={"Simple": {"Subject": {"Data": tag}, "Body": {"Text": {"Data": "hi"}}}},
    )
    app = session.client("pinpoint").create_app(CreateApplicationRequest={"Name": "shop"})
    number = session.client("pinpoint-sms-voice-v2").request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
    )
    return {
        "topic": topic,
        "queue": queue,
        "app": app["ApplicationResponse"]["Id"],
        "number": number["PhoneNumber"],
    }


def test_two_attendees_doing_the_same_steps_see_only_their_own(room_aws, room):
    first, second = room.attendees
    sessions = {a.name: room_aws.session(a) for a in room}
    made = {a.name: same_steps(sessions[a.name], a.name) for a in room}

    for attendee, other in ((first, second), (second, first)):
        session, mine = sessions[attendee.name], made[attendee.name]
        topics = [t["TopicArn"] for t in session.client("sns").list_topics()["Topics"]]
        assert topics == [f"arn:aws:sns:us-east-1:{attendee.account_id}:orders"]
        assert session.client("sqs").list_queues()["QueueUrls"] == [mine["queue"]]
        apps = session.client("pinpoint").get_apps()["ApplicationsResponse"]["Item"]
        assert [a["Id"] for a in apps] == [mine["app"]]
        numbers = session.client("pinpoint-sms-voice-v2").describe_phone_numbers()["PhoneNumbers"]
        assert [n["PhoneNumber"] for n in numbers] == [mine["number"]]
        body = session.client("sqs").receive_message(QueueUrl=mine["queue"])["Messages"][0]["Body"]
        assert json.loads(body)["Message"] == f"order from {attendee.name}"

        outbox = list(state(attendee.account_id).outbox)
        assert {m.channel for m in outbox} == {"SMS", "EMAIL"}
        assert all(other.name not in (m.body + m.subject) for m in outbox)
        assert [m.body for m in outbox if m.channel == "SMS"] == [f"code for {attendee.name}"]
    assert len(state().outbox) == 0  # the default account sent nothing


def test_an_opt_out_and_a_sandbox_exit_stay_in_their_account(room_aws, room):
    first, second = room.attendees
    with acting_as(first.account_id):
        room_aws.sms.leave_sandbox()
    sms = {a.name: room_aws.session(a).client("pinpoint-sms-voice-v2") for a in room}
    sms[first.name].put_opted_out_number(OptOutListName="Default", OptedOutNumber="+12065550123")
    assert sms[first.name].describe_opted_out_numbers(OptOutListName="Default")["OptedOutNumbers"]
    listed = sms[second.name].describe_opted_out_numbers(OptOutListName="Default")
    assert listed["OptedOutNumbers"] == []
    tiers = {
        name: {
            a["Name"]: a["Value"] for a in client.describe_account_attributes()["AccountAttributes"]
        }["ACCOUNT_TIER"]
        for name, client in sms.items()
    }
    assert tiers == {first.name: "PRODUCTION", second.name: "SANDBOXED"}


@pytest.mark.parametrize(
    ("service", "call", "status", "code"),
    [
        ("sns", lambda c: c.list_topics(), 403, "InvalidClientTokenId"),
        ("ses", lambda c: c.list_identities(), 403, "InvalidClientTokenId"),
        ("sqs", lambda c: c.list_queues(), 400, "UnrecognizedClientException"),
        ("firehose", lambda c: c.list_delivery_streams(), 400, "UnrecognizedClientException"),
        (
            "pinpoint-sms-voice-v2",
            lambda c: c.describe_phone_numbers(),
            400,
            "UnrecognizedClientException",
        ),
        ("pinpoint", lambda c: c.get_apps(), 403, "UnrecognizedClientException"),
        ("sesv2", lambda c: c.list_email_identities(), 403, "UnrecognizedClientException"),
        ("s3", lambda c: c.list_buckets(), 403, "InvalidAccessKeyId"),
    ],
)
def test_a_key_the_room_does_not_know_gets_aws_own_refusal(room_aws, service, call, status, code):
    client = room_aws.client(service)  # signed with the default "testing" key
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        call(client)
    error = caught.value.response
    assert (error["ResponseMetadata"]["HTTPStatusCode"], error["Error"]["Code"]) == (status, code)
    assert error["Error"]["Message"]


def test_resetting_one_account_leaves_the_other_and_the_clock(room_aws, room):
    first, second = room.attendees
    for attendee in room:
        room_aws.session(attendee).client("sns").create_topic(Name="orders")
        room_aws.session(attendee).client("sns").publish(PhoneNumber="+12065550100", Message="x")
    room_aws.clock.advance(600)
    before = room_aws.clock.now()
    room_aws.reset(first.account_id)
    assert room_aws.session(first).client("sns").list_topics()["Topics"] == []
    assert len(room_aws.session(second).client("sns").list_topics()["Topics"]) == 1
    assert len(state(first.account_id).outbox) == 0
    assert len(state(second.account_id).outbox) == 1
    assert room_aws.clock.now() == before


def test_scheduled_work_acts_for_the_account_that_scheduled_it(room_aws, room):
    first, second = room.attendees
    ran = []
    for attendee in room:
        with acting_as(attendee.account_id):
            room_aws.clock.call_later(60, lambda: ran.append(current_account()))
    room_aws.clock.advance(60)  # moved by the default account
    assert sorted(ran) == sorted([first.account_id, second.account_id])


def test_without_a_room_any_credentials_act_for_the_default_account(aws):
    from simlab.aws.state import ACCOUNT_ID

    identity = aws.client("sts", aws_access_key_id="AKIAANYTHING", aws_secret_access_key="x")
    assert identity.get_caller_identity()["Account"] == ACCOUNT_ID


def test_a_kept_outbox_keeps_each_account_in_its_own_folder(tmp_path, room):
    from simlab.aws import LocalAWS

    first, second = room.attendees
    with LocalAWS(room=room, state_dir=tmp_path) as local:
        local.session(first).client("sns").publish(PhoneNumber="+12065550100", Message="one")
    with LocalAWS(room=room, state_dir=tmp_path) as local:
        assert [m.body for m in state(first.account_id).outbox] == ["one"]
        assert len(state(second.account_id).outbox) == 0
        assert len(state().outbox) == 0
    assert (tmp_path / "accounts" / first.account_id / "outbox.sqlite3").exists()


def test_the_instructors_view_of_an_account_builds_its_services_in_that_account(room_aws, room):
    from simlab.room.status import member_status

    first = room.attendees[0]
    assert member_status(first).checkpoints["04-number"] is False  # builds the SMS engine
    with acting_as(first.account_id):
        room_aws.sms.leave_sandbox()
    sms = room_aws.session(first).client("pinpoint-sms-voice-v2")
    number = sms.request_phone_number(
        IsoCountryCode="US", MessageType="TRANSACTIONAL", NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
    )["PhoneNumber"]  # fmt: skip
    sms.send_text_message(DestinationPhoneNumber="+12065550100", OriginationIdentity=number,
                          MessageBody="hi")  # fmt: skip
    assert [m.body for m in state(first.account_id).outbox] == ["hi"]
    assert len(state().outbox) == 0


def test_an_attendee_reads_back_an_s3_object_whole_in_a_room(room_aws, room):
    first = room.attendees[0]
    s3 = room_aws.session(first).client("s3")
    s3.create_bucket(Bucket=f"notes-{first.account_id}")
    s3.put_object(Bucket=f"notes-{first.account_id}", Key="a.txt", Body=b"x" * 10_000)
    body = s3.get_object(Bucket=f"notes-{first.account_id}", Key="a.txt")["Body"].read()
    assert body == b"x" * 10_000


def test_resetting_an_account_ends_the_work_it_had_scheduled_and_spares_the_others(room_aws, room):
    first, second = room.attendees
    ran = []
    for attendee in room:
        with acting_as(attendee.account_id):
            room_aws.clock.call_later(60, lambda: ran.append(current_account()))
    room_aws.reset(first.account_id)
    with acting_as(first.account_id):
        room_aws.clock.call_later(60, lambda: ran.append(f"{current_account()} anew"))
    room_aws.clock.advance(60)
    assert sorted(ran) == sorted([second.account_id, f"{first.account_id} anew"])


def test_a_room_ignores_motos_one_account_setting(room, monkeypatch):
    from simlab.aws import LocalAWS

    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111122223333")
    with LocalAWS(room=room) as local:
        for attendee in room:
            sts = local.session(attendee).client("sts")
            assert sts.get_caller_identity()["Account"] == attendee.account_id
    assert os.environ["MOTO_ACCOUNT_ID"] == "111122223333"  # given back
