"""The engine's record of sent texts stays small in memory: finished texts wait in SQLite and
answer as before, by id, in order, with their events."""

from __future__ import annotations

import itertools
import json
import pickle
from enum import StrEnum

import numpy as np
import pytest

from simlab.engage.clock import Clock
from simlab.engage.outbox import Outbox
from simlab.engage.sms import SmsVoiceEngine

CUSTOMER = "+12065550142"


class Kind(StrEnum):
    """A message type of one's own: a ``str`` subclass, which marshal does not write."""

    TRANSACTIONAL = "TRANSACTIONAL"


LOG_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:/sms"
TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:replies"


@pytest.fixture
def short():
    """An engine out of the sandbox with a short code (100 texts a second) and a configuration
    set whose events go to a log group; returns (engine, short code, delivered, published)."""
    delivered: list[tuple[str, dict]] = []
    published: list[tuple[str, dict]] = []
    counter = itertools.count()
    engine = SmsVoiceEngine(
        clock=Clock(),
        outbox=Outbox(),
        rng=lambda name: np.random.default_rng([7, len(name)]),
        new_id=lambda: f"00000000-0000-0000-0000-{next(counter):012d}",
        deliver=lambda arn, record: delivered.append((arn, record)),
        publish=lambda arn, text: published.append((arn, json.loads(text))),
    )
    engine.leave_sandbox()
    engine.create_configuration_set("alerts")
    engine.create_event_destination(
        "alerts", "logs", ["ALL"], cloudwatch_logs={"IamRoleArn": "r", "LogGroupArn": LOG_ARN}
    )
    return engine, engine.provision_short_code("US"), delivered, published


def _send(engine, number, n: int) -> str:
    return engine.send_text_message(
        f"+1206555{n:04d}",
        f"Your code is {n:04d}",
        origination_identity=number.number,
        configuration_set="alerts",
        context={"n": str(n)},
    )


def test_texts_in_flight_stay_in_memory_and_finished_ones_leave(short):
    engine, number, _, _ = short
    engine.messages.keep, engine.messages.batch = 5, 5
    in_flight = [_send(engine, number, n) for n in range(40)]
    assert engine.messages.in_memory == 40  # none finished: none may leave
    engine.clock.advance(3600)
    # finished, they leave at the next look for entries to spill: within a batch of sends
    newest = [_send(engine, number, n) for n in range(40, 45)]
    assert engine.messages.in_memory <= 10
    assert len(engine.messages) == 45 and list(engine.messages) == [*in_flight, *newest]
    assert engine.messages[newest[-1]].status == "PENDING"


def test_a_spilled_text_answers_with_its_status_and_events(short):
    engine, number, delivered, _ = short
    engine.messages.keep, engine.messages.batch = 2, 2
    sent = [_send(engine, number, n) for n in range(30)]
    engine.clock.advance(3600)
    _send(engine, number, 30)
    first = engine.messages[sent[0]]
    assert first.status == engine.outbox.last(to="+12065550000").status != "PENDING"
    assert first.context == {"n": "0"} and first.final
    records = [record for _, record in delivered]
    assert len(engine.events) == len(records)
    by_value = sorted(json.dumps(r, sort_keys=True) for r in engine.events)
    assert by_value == sorted(json.dumps(r, sort_keys=True) for r in records)


def test_a_reply_names_the_last_text_sent_to_the_customer_after_it_left_memory(short):
    engine, number, _, published = short
    engine.update_phone_number(
        number.phone_number_id, two_way_enabled=True, two_way_channel_arn=TOPIC_ARN
    )
    engine.messages.keep = engine.messages.batch = 1
    engine._last_outbound.keep = engine._last_outbound.batch = 1
    message_id = engine.send_text_message(
        CUSTOMER, "Reply YES", origination_identity=number.number, configuration_set="alerts"
    )
    for n in range(20):
        _send(engine, number, n)
    engine.clock.advance(3600)
    assert engine._last_outbound.in_memory < 5
    payload = engine.receive(CUSTOMER, number.number, "yes")
    assert published == [(TOPIC_ARN, payload)]
    assert payload["previousPublishedMessageId"] == message_id


def test_a_spilled_text_comes_back_equal_field_for_field(short):
    engine, number, _, _ = short
    engine.messages.keep, engine.messages.batch = 1, 1
    sent = [_send(engine, number, n) for n in range(3)]
    engine.clock.advance(3600)
    kept = {message_id: engine.messages[message_id] for message_id in sent}
    for n in range(3, 6):
        _send(engine, number, n)
    engine.clock.advance(3600)
    _send(engine, number, 6)
    assert engine.messages.in_memory < 4
    for message_id, before in kept.items():
        after = engine.messages[message_id]
        assert after == before and after is not before
        assert after.requested_at.tzinfo is before.requested_at.tzinfo
        assert after.trail[-1][2] is True and after.on_final is None


def test_a_text_sent_at_a_time_that_is_not_utc_spills_as_it_is():
    from datetime import datetime, timedelta, timezone

    from simlab.engage.sms.records import Message, message_from_state, message_state

    at = datetime(2026, 3, 1, 12, 0, 0, 250, tzinfo=timezone(timedelta(hours=2)))
    message = Message("id-1", "SMS", "+12065550100", CUSTOMER, "Hi", "TRANSACTIONAL", at)
    again = message_from_state(pickle.loads(pickle.dumps(message_state(message))))
    assert again == message and again.requested_at.utcoffset() == timedelta(hours=2)


def test_a_row_of_texts_is_written_field_for_field_and_read_back_equal():
    from dataclasses import astuple, fields
    from datetime import UTC, datetime, timedelta, timezone

    from simlab.engage.sms.records import Message, message_states, messages_from_states

    moment = datetime(2026, 3, 1, 12, 0, 0, 250, tzinfo=UTC)
    elsewhere = datetime(2026, 3, 1, 12, 0, 0, 250, fold=1, tzinfo=timezone(timedelta(hours=2)))
    texts = [
        Message(f"id-{n}", "SMS", "+12065550100", f"+1206555{n:04d}", "Hi", "TRANSACTIONAL", at)
        for n, at in enumerate([moment, moment, elsewhere])
    ]
    texts[1].trail.append(("TEXT_DELIVERED", 1_772_366_400_000, True))
    states = message_states(texts)  # a time that is not plain UTC: each text's fields as such
    assert [len(state) for state in states] == [len(fields(Message))] * 3
    assert states[1][:-2] == astuple(texts[1])[:-2]  # every field, in order
    again = messages_from_states(pickle.loads(pickle.dumps(states)))
    assert again == texts and again[0] is not texts[0]
    assert again[2].requested_at.utcoffset() == timedelta(hours=2) and again[2].requested_at.fold
    assert again[0].requested_at.tzinfo is UTC


def test_a_row_of_plain_texts_is_marshalled_and_read_back_equal_sharing_what_they_shared():
    from datetime import UTC, datetime

    from simlab.engage.sms.records import Message, message_states, messages_from_states

    moment, later = (datetime(2026, 3, 1, 12, 0, 0, us, tzinfo=UTC) for us in (250, 251))
    context = {"campaign": "spring"}
    texts = [
        Message(f"id-{n}", "SMS", "+12065550100", f"+1206555{n:04d}", "Hi", "PROMOTIONAL", at)
        for n, at in enumerate([moment, moment, later])
    ]
    for text in texts:
        text.context, text.price, text.international = context, 0.00645, True
    texts[1].trail.append(("TEXT_DELIVERED", 1_772_366_400_000, True))
    states = message_states(texts)
    assert isinstance(states, bytes)  # the row in one marshal call
    again = messages_from_states(pickle.loads(pickle.dumps(states)))
    assert again == texts and again[0] is not texts[0]
    assert [text.requested_at for text in again] == [moment, moment, later]
    assert all(text.requested_at.tzinfo is UTC for text in again)
    assert again[0].context is again[2].context  # one dict, as the texts had
    assert type(again[1].trail[0]) is tuple and type(again[1].trail) is list


def test_a_row_with_a_value_marshal_does_not_write_is_pickled_as_it_is():
    from datetime import UTC, datetime

    from simlab.engage.sms.records import Message, message_states, messages_from_states

    at = datetime(2026, 3, 1, 12, tzinfo=UTC)
    texts = [Message("id-1", "SMS", "+12065550100", CUSTOMER, "Hi", Kind.TRANSACTIONAL, at)]
    states = message_states(texts)
    assert not isinstance(states, bytes)
    again = messages_from_states(pickle.loads(pickle.dumps(states)))
    assert again == texts and type(again[0].message_type) is Kind
