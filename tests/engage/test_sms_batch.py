"""``send_text_messages``: many texts in one call, each exactly as if sent alone, in order.

Two engines from the same seed get the same texts, one text per ``send_text_message`` call and
all at once; everything a learner can observe must come out the same: each text's MessageId or
error, the outbox, the event records streamed, and every final outcome once the clock moves on.
"""

from __future__ import annotations

import hashlib
import itertools
from typing import Any

import numpy as np
import pytest

from simlab.engage.clock import Clock
from simlab.engage.outbox import Outbox
from simlab.engage.sms import SmsError, SmsVoiceEngine, ValidationError

BODY = "Your order has shipped"
LOG_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:/sms"


def _engine() -> tuple[SmsVoiceEngine, list[Any]]:
    """A seeded engine out of the sandbox with a short code, a pool, a configuration set that
    streams every event, and one opted-out number; returns it and the records it delivers."""
    delivered: list[tuple[str, dict[str, Any]]] = []
    counter = itertools.count()
    streams: dict[str, np.random.Generator] = {}

    def rng(name: str) -> np.random.Generator:
        if name not in streams:
            key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")
            streams[name] = np.random.default_rng([3, key])
        return streams[name]

    engine = SmsVoiceEngine(
        clock=Clock(),
        outbox=Outbox(),
        rng=rng,
        new_id=lambda: f"00000000-0000-0000-0000-{next(counter):012d}",
        deliver=lambda arn, record: delivered.append((arn, record)),
    )
    engine.leave_sandbox(monthly_spend_limit=0.5)  # about 85 parts
    engine.request_phone_number(
        iso_country="US", message_type="PROMOTIONAL", capabilities=["SMS"], number_type="SHORT_CODE"
    )
    toll_free = engine.request_phone_number(
        iso_country="US",
        message_type="TRANSACTIONAL",
        capabilities=["SMS"],
        number_type="TOLL_FREE",
    )
    engine.create_pool(toll_free.phone_number_id, "TRANSACTIONAL")
    engine.create_configuration_set("alerts")
    engine.create_event_destination(
        "alerts", "logs", ["ALL"], cloudwatch_logs={"IamRoleArn": "r", "LogGroupArn": LOG_ARN}
    )
    engine.put_opted_out_number("Default", "+12065550007")
    return engine, delivered


def _texts(engine: SmsVoiceEngine) -> list[dict[str, Any]]:
    """Good texts, bad ones and refused ones, from a route, a pool, a name and the default."""
    short_code = next(n for n in engine.numbers.values() if n.number_type == "SHORT_CODE")
    pool = next(iter(engine.pools.values()))
    texts: list[dict[str, Any]] = []
    for i in range(240):
        text: dict[str, Any] = {"destination": f"+1206555{i:04d}", "body": BODY}
        if i % 4 == 0:
            text["route"] = short_code
        elif i % 4 == 1:
            text["origination_identity"] = pool.pool_id
        elif i % 4 == 2:
            text["origination_identity"] = short_code.number
            text["body"] = "Ünïcode and a longer body " * 4  # UCS-2, several parts
        texts.append(text)
    texts[10]["destination"] = "not a number"
    texts[11]["body"] = "   "
    texts[12]["configuration_set"] = "missing"
    texts[13]["origination_identity"] = "+19999999999"
    texts[14]["destination"] = "+447700900123"  # no identity for the United Kingdom
    texts[15]["max_price"] = "0.001"
    return texts


def _observed(engine: SmsVoiceEngine, delivered: list[Any], results: list[Any]) -> dict[str, Any]:
    engine.clock.advance(3 * 86_400)
    return {
        "results": [r if isinstance(r, str) else (type(r).__name__, r.message) for r in results],
        "outbox": [m.to_json() for m in engine.outbox],
        "records": delivered,
        "statuses": {mid: (m.status, m.trail) for mid, m in engine.messages.items()},
        "spent": dict(engine.spent),
    }


def test_a_batch_leaves_what_the_same_texts_sent_one_by_one_leave():
    alone, alone_delivered = _engine()
    results: list[str | SmsError] = []
    for text in _texts(alone):
        try:
            results.append(alone.send_text_message(**{"configuration_set": "alerts", **text}))
        except SmsError as error:
            results.append(error)
    expected = _observed(alone, alone_delivered, results)

    batched, batched_delivered = _engine()
    outcome = batched.send_text_messages(_texts(batched), configuration_set="alerts")
    observed = _observed(batched, batched_delivered, outcome)

    refused = [r for r in expected["results"] if not isinstance(r, str)]
    assert {name for name, _ in refused} >= {
        "ValidationError",
        "NotFoundError",
        "ConflictError",
        "ThrottledError",
        "QuotaError",
    }
    assert len(expected["results"]) - len(refused) > 40
    assert observed == expected


def test_each_text_s_own_arguments_win_over_the_shared_ones():
    engine, _ = _engine()
    results = engine.send_text_messages(
        [
            {"destination": "+12065550100", "body": BODY},
            {"destination": "+12065550101", "body": BODY, "message_type": "TRANSACTIONAL"},
        ],
        message_type="PROMOTIONAL",
    )
    assert [engine.messages[str(r)].message_type for r in results] == [
        "PROMOTIONAL",
        "TRANSACTIONAL",
    ]


def test_a_refused_text_comes_back_as_its_error_and_the_others_go():
    engine, _ = _engine()
    first, second = engine.send_text_messages(
        [
            {"destination": "12065550100", "body": BODY},
            {"destination": "+12065550101", "body": BODY},
        ]
    )
    assert isinstance(first, ValidationError) and first.field == "DestinationPhoneNumber"
    assert isinstance(second, str) and engine.messages[second].destination == "+12065550101"


def test_an_argument_send_text_message_does_not_take_is_a_type_error():
    engine, _ = _engine()
    with pytest.raises(TypeError):
        engine.send_text_messages([{"destination": "+12065550100", "body": BODY, "colour": 1}])
