"""A room over HTTP: control routes answer for the caller's account; the instructor sees all."""

import boto3
import botocore.exceptions
import pytest

from simlab.room import RoomClient, RoomError
from simlab.room.checkpoints import CHECKPOINTS

pytestmark = pytest.mark.server


def client(server, who, service):
    return boto3.session.Session(
        aws_access_key_id=who.access_key_id,
        aws_secret_access_key=who.secret_access_key,
        region_name="us-east-1",
    ).client(service, endpoint_url=server.endpoint_url)


def text(server, who, message):
    client(server, who, "sns").publish(PhoneNumber="+12065550100", Message=message)


def test_the_outbox_route_answers_for_the_callers_account(room_server, room):
    first, second = room.attendees
    text(room_server, first, "for the first")
    text(room_server, second, "for the second")
    for attendee in room:
        bodies = [
            m["body"] for m in RoomClient(room_server.endpoint_url, attendee.access_key_id).outbox()
        ]
        assert bodies == [f"for the {'first' if attendee is first else 'second'}"]


def test_reset_starts_over_only_the_callers_account(room_server, room):
    first, second = room.attendees
    for attendee in room:
        text(room_server, attendee, "hello")
        client(room_server, attendee, "sns").create_topic(Name="orders")
    answer = RoomClient(room_server.endpoint_url, first.access_key_id).reset()
    assert answer == {"status": "reset", "scope": "account", "account": first.account_id}
    assert client(room_server, first, "sns").list_topics()["Topics"] == []
    assert len(client(room_server, second, "sns").list_topics()["Topics"]) == 1
    assert RoomClient(room_server.endpoint_url, first.access_key_id).outbox() == []
    assert len(RoomClient(room_server.endpoint_url, second.access_key_id).outbox()) == 1


def test_the_clock_is_the_instructors_to_move_and_everyones_to_read(room_server, room):
    attendee = RoomClient(room_server.endpoint_url, room.attendees[0].access_key_id)
    with pytest.raises(RoomError) as refused:
        attendee.call("POST", "clock", {"advance": 60})
    assert refused.value.status == 403 and "instructor" in str(refused.value)
    instructor = RoomClient(room_server.endpoint_url, room.instructor.access_key_id)
    before = attendee.call("GET", "clock")["seconds"]
    after = instructor.advance(3600)["seconds"]
    assert after - before >= 3600
    assert attendee.call("GET", "clock")["seconds"] >= after


def test_a_stranger_gets_no_control_route_and_no_aws_call(room_server, room):
    stranger = RoomClient(room_server.endpoint_url, "AKIASTRANGER00000000")
    with pytest.raises(RoomError) as refused:
        stranger.outbox()
    assert refused.value.status == 403
    sns = boto3.client(
        "sns",
        endpoint_url=room_server.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="AKIASTRANGER00000000",
        aws_secret_access_key="x",
    )
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        sns.list_topics()
    assert caught.value.response["Error"]["Code"] == "InvalidClientTokenId"


def test_the_instructor_sees_messages_errors_and_checkpoints_per_attendee(room_server, room):
    first, second = room.attendees
    text(room_server, first, "one")
    text(room_server, first, "two")
    with pytest.raises(botocore.exceptions.ClientError):
        client(room_server, second, "sns").get_topic_attributes(
            TopicArn=f"arn:aws:sns:us-east-1:{second.account_id}:missing"
        )
    RoomClient(room_server.endpoint_url, second.access_key_id).mark("00-push")
    with pytest.raises(RoomError) as refused:
        RoomClient(room_server.endpoint_url, first.access_key_id).status()
    assert refused.value.status == 403

    clock, statuses = RoomClient(room_server.endpoint_url, room.instructor.access_key_id).status()
    by_name = {s.name: s for s in statuses}
    assert list(by_name) == ["attendee-01", "attendee-02"]
    assert sum(by_name["attendee-01"].messages["SMS"].values()) == 2
    assert by_name["attendee-02"].messages == {}
    assert by_name["attendee-01"].checkpoints["00-sms"] is True
    assert by_name["attendee-02"].checkpoints["00-sms"] is False
    assert by_name["attendee-02"].checkpoints["00-push"] is True  # marked by the attendee
    assert [e["code"] for e in by_name["attendee-02"].errors] == ["NotFound"]
    assert by_name["attendee-02"].errors[0]["operation"] == "GetTopicAttributes"
    assert by_name["attendee-01"].errors == []
    assert set(by_name["attendee-01"].checkpoints) == {c.name for c in CHECKPOINTS}
    assert clock["mode"] == "manual"


def test_the_instructor_reads_an_attendees_outbox_on_their_behalf(room_server, room):
    first = room.attendees[0]
    text(room_server, first, "mine")
    instructor = RoomClient(room_server.endpoint_url, room.instructor.access_key_id)
    assert [m["body"] for m in instructor.outbox(account="attendee-01")] == ["mine"]
    assert instructor.outbox(account=room.attendees[1].account_id) == []
    with pytest.raises(RoomError, match="attendee-99"):
        instructor.outbox(account="attendee-99")


def test_a_broadcast_reaches_every_attendees_number(room_server, room):
    numbers = {}
    for attendee in room:
        sms = client(room_server, attendee, "pinpoint-sms-voice-v2")
        numbers[attendee.name] = sms.request_phone_number(
            IsoCountryCode="US",
            MessageType="TRANSACTIONAL",
            NumberCapabilities=["SMS"],
            NumberType="TOLL_FREE",
        )["PhoneNumber"]
    instructor = RoomClient(room_server.endpoint_url, room.instructor.access_key_id)
    results = instructor.broadcast_sms("+12065550199", "STOP")
    assert results == [
        {"attendee": name, "delivered_to": [number], "errors": []}
        for name, number in numbers.items()
    ]
    for attendee in room:
        listed = client(room_server, attendee, "pinpoint-sms-voice-v2").describe_opted_out_numbers(
            OptOutListName="Default"
        )["OptedOutNumbers"]
        assert [n["OptedOutNumber"] for n in listed] == ["+12065550199"]
    _, statuses = instructor.status()
    assert all(s.checkpoints["04-number"] and s.checkpoints["04-reply"] for s in statuses)


def test_a_bad_checkpoint_name_is_refused_naming_the_field(room_server, room):
    attendee = RoomClient(room_server.endpoint_url, room.attendees[0].access_key_id)
    with pytest.raises(RoomError) as refused:
        attendee.mark("no spaces allowed")
    assert refused.value.status == 400 and "'checkpoint'" in str(refused.value)
    assert attendee.me().name == "attendee-01"


def test_an_email_broadcast_reaches_every_attendee_who_receives_mail(room_server, room):
    first, second = list(room)[:2]
    ses = client(room_server, first, "ses")
    ses.verify_domain_identity(Domain="first.example")
    s3 = client(room_server, first, "s3")
    s3.create_bucket(Bucket="first-inbox")
    ses.create_receipt_rule_set(RuleSetName="inbound")
    ses.create_receipt_rule(
        RuleSetName="inbound",
        Rule={
            "Name": "keep",
            "Enabled": True,
            "Recipients": ["first.example"],
            "Actions": [{"S3Action": {"BucketName": "first-inbox"}}],
        },
    )
    ses.set_active_receipt_rule_set(RuleSetName="inbound")
    instructor = RoomClient(room_server.endpoint_url, room.instructor.access_key_id)

    results = instructor.broadcast_email("customer@example.net", "Refund?", "Where is my refund?")

    by_name = {r["attendee"]: r for r in results}
    assert by_name[first.name] == {
        "attendee": first.name,
        "delivered_to": ["support@first.example"],
        "errors": [],
    }
    assert by_name[second.name] == {"attendee": second.name, "delivered_to": [], "errors": []}
    stored = s3.list_objects_v2(Bucket="first-inbox")["Contents"]
    body = s3.get_object(Bucket="first-inbox", Key=stored[0]["Key"])["Body"].read().decode()
    assert "Where is my refund?" in body and "customer@example.net" in body


def test_an_email_broadcast_needs_a_sender_address(room_server, room):
    instructor = RoomClient(room_server.endpoint_url, room.instructor.access_key_id)
    with pytest.raises(RoomError, match="customer's email address"):
        instructor.broadcast_email("not-an-address", "hi", "hello")
