"""A Pinpoint app's records reach its event stream in order, written as text or as dicts."""

from __future__ import annotations

import json

from moto.backends import get_backend

from simlab.aws.services.pinpoint.channel_events import SentMessage
from simlab.aws.services.pinpoint.engagement import engines_for
from simlab.aws.services.pinpoint.models import Project
from simlab.toolkit import s3_json_records
from tests.aws.pinpoint_project import BUCKET, email_project, stream_to_s3


def _project(app_id: str) -> Project:
    return get_backend("pinpoint")["123456789012"]["us-east-1"].project(app_id)


def test_texts_and_dicts_reach_the_stream_in_the_order_they_were_written(aws):
    pinpoint, app_id = email_project(aws, "stream", stream=False)
    stream_to_s3(aws, app_id)
    project = _project(app_id)
    project.stream_texts([("e1", json.dumps({"n": 1})), ("e2", json.dumps({"n": 2}))])
    project.stream({"n": 3, "client": {"client_id": "e3"}})
    project.stream_text(json.dumps({"n": 4}), "e4")
    aws.clock.advance(60)  # one buffer, one object
    assert [r["n"] for r in s3_json_records(aws.client("s3"), BUCKET)] == [1, 2, 3, 4]


def test_each_record_a_gone_stream_could_not_take_is_counted(aws):
    _, app_id = email_project(aws, "stream")
    aws.client("firehose").delete_delivery_stream(DeliveryStreamName="events")
    project = _project(app_id)
    project.stream_texts([("e1", "{}"), ("e2", "{}"), ("e3", "{}")])
    project.stream({"client": {"client_id": "e4"}})
    assert project.stream_failures == 4


def test_records_nobody_reads_are_not_decoded_for_the_engines(aws):
    _, app_id = email_project(aws, "stream")
    engines = engines_for(app_id)
    assert not engines.observes("_email.send")  # no journey waits for channel events
    assert engines.observes("_campaign.send") and engines.observes("_email.open")


def test_messages_with_equal_contexts_share_one_template_key_and_keep_their_context():
    first = SentMessage("e1", "a@example.com", "Hi", {"campaign_id": "c-1", "run": "2"})
    second = SentMessage("e2", "b@example.com", "Hi", {"campaign_id": "c-1", "run": "2"})
    assert first.context_key is second.context_key
    assert second.context == {"campaign_id": "c-1", "run": "2"}
    assert list(second.context) == ["campaign_id", "run"]


def test_a_context_with_a_value_that_is_no_string_is_kept_as_sent_without_a_key():
    context = {"campaign_id": "c-1", "count": 3}
    sent = SentMessage("e1", "a@example.com", "Hi", context)  # type: ignore[dict-item]
    assert sent.context_key is None
    assert sent.context is context
