"""A run of texts (``TextRun``) sends each text exactly as ``send_text_message`` sends it.

``TextRun.send`` takes the common case itself and hands back (None, having changed nothing)
any text whose send the one-message path must decide; sent through it, a run leaves the same
ids, outbox entries, messages, events, spend and refusals as one ``send_text_message`` each.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable
from dataclasses import fields
from typing import Any

import numpy as np
import pytest

from simlab.engage.clock import Clock
from simlab.engage.outbox import Outbox
from simlab.engage.sms import SmsError, SmsVoiceEngine, parse_e164, text_runs
from simlab.engage.sms.carrier import lognormal
from simlab.engage.sms.constants import SERVICE
from simlab.engage.sms.core import pair, pairs
from simlab.engage.sms.records import PhoneNumber

US = [f"+1206555{i:04d}" for i in range(40)]
GB = [f"+4477009001{i:02d}" for i in range(12)]
BEHALF = {"app_id": "app", "endpoint_id": "e1", "channel_type": "SMS", "context": {"k": "v"}}

#: (destination, body) of each text, in order: short and two-part bodies, US and GB, a blank
#: body, an opted-out number, GB's long code past its 10 parts a second, the spend limit.
TEXTS = (
    [(n, "Your order has shipped") for n in US[:10]]
    + [(n, "Ваш заказ отправлен, спасибо за покупку! " * 2) for n in GB]
    + [(US[10], "   "), (US[11], "Opted out"), (US[12], "Welcome")]
    + [(n, "Your order has shipped") for n in US[13:40]]
)


def _seeded_engine(seed: int) -> SmsVoiceEngine:
    """An engine on its own clock and outbox: seeded random streams, ids counted from 0."""
    counter, streams = itertools.count(), {}

    def rng(name: str) -> np.random.Generator:
        if name not in streams:
            key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")
            streams[name] = np.random.default_rng([seed, key])
        return streams[name]

    return SmsVoiceEngine(
        clock=Clock(),
        outbox=Outbox(),
        rng=rng,
        new_id=lambda: f"00000000-0000-0000-0000-{next(counter):012d}",
    )


def _engine() -> tuple[SmsVoiceEngine, dict[str, PhoneNumber]]:
    """Out of the sandbox with a 0.25 USD month (the spend runs out mid-run), a US
    short code and a GB long code; US[11] has opted out."""
    engine = _seeded_engine(seed=3)
    engine.leave_sandbox(monthly_spend_limit=1)
    engine.spend_overrides["TEXT"] = 0.25
    routes = {
        "US": engine.provision_short_code("US"),
        "GB": engine.request_phone_number(
            iso_country="GB",
            message_type="TRANSACTIONAL",
            capabilities=["SMS"],
            number_type="LONG_CODE",
        ),
    }
    engine.put_opted_out_number("Default", US[11])
    return engine, routes


def _one_by_one(engine: SmsVoiceEngine, routes: dict[str, PhoneNumber], service: str | None):
    answers = []
    for destination, body in TEXTS:
        route = routes[parse_e164(destination, "DestinationPhoneNumber")[1]]
        answers.extend(_one_text(engine, route, destination, body, service))
    return answers


def _as_a_run(engine: SmsVoiceEngine, routes: dict[str, PhoneNumber], service: str | None):
    run, answers, taken = engine.text_run(service), [], 0
    for destination, body in TEXTS:
        _, country = parse_e164(destination, "DestinationPhoneNumber")
        text = run.send(
            destination,
            country,
            body,
            routes[country],
            "TRANSACTIONAL",
            behalf=None if service is None else BEHALF,
        )
        if text is not None:
            answers.append(text.message_id)
            taken += 1
            continue
        run.flush()  # the run's texts so far are the engine's before it sends one itself
        answers.extend(_one_text(engine, routes[country], destination, body, service))
    run.flush()
    assert 0 < taken < len(TEXTS)
    return answers


def _one_text(
    engine: SmsVoiceEngine, route: PhoneNumber, destination: str, body: str, service: str | None
) -> list[str]:
    """``send_text_message``'s answer: the message id, or the error's code and reason."""
    try:
        if service is None:
            return [engine.send_text_message(destination, body, route=route)]
        with engine.outbox.acting_for(service, **BEHALF):
            return [engine.send_text_message(destination, body, route=route)]
    except SmsError as error:
        return [f"{error.code} {getattr(error, 'reason', '')}"]


def _left(engine: SmsVoiceEngine, answers: list[str]) -> dict[str, Any]:
    engine.clock.advance(3 * 86_400)
    return {
        "answers": answers,
        "outbox": [json.dumps(m.to_json(), default=str) for m in engine.outbox],
        "messages": [
            repr([(f.name, getattr(m, f.name)) for f in fields(m) if f.name != "on_final"])
            for m in engine.messages.values()
        ],
        "last_outbound": list(engine._last_outbound.items()),
        "spent": engine.spent,
        "refused": engine.refused,
    }


@pytest.mark.parametrize("service", [None, "pinpoint"])
def test_a_run_leaves_what_one_send_text_message_each_leaves(service):
    single, routes = _engine()
    expected = _left(single, _one_by_one(single, routes, service))
    batch, routes = _engine()
    observed = _left(batch, _as_a_run(batch, routes, service))
    answers = " ".join(expected["answers"])
    for reason in (
        "MISSING_PARAMETER",
        "DESTINATION_PHONE_NUMBER_OPTED_OUT",
        "ThrottlingException",
        "MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT",
    ):
        assert reason in answers
    assert observed == expected


def _state(engine: SmsVoiceEngine, route: PhoneNumber) -> tuple[Any, ...]:
    now = engine.clock.seconds
    bucket = engine.mps.bucket(route.arn, route.number_type, route.iso_country, now=now)
    return (len(engine.outbox), len(engine.messages), dict(engine.spent), bucket.available(now))


@pytest.mark.parametrize(
    ("refusal", "prepare"),
    [
        ("opted out", lambda engine, route: engine.put_opted_out_number("Default", US[0])),
        ("spend limit", lambda engine, route: engine.spend_overrides.update(TEXT=0.0)),
        ("sandbox", lambda engine, route: setattr(engine, "tier", "SANDBOXED")),
        (
            "MPS",
            lambda engine, route: engine.mps.bucket(
                route.arn, route.number_type, route.iso_country, now=engine.clock.seconds
            ).take(engine.clock.seconds, 100),
        ),
    ],
)
def test_a_text_the_run_cannot_take_changes_nothing(
    refusal: str, prepare: Callable[[SmsVoiceEngine, PhoneNumber], None]
):
    engine, routes = _engine()
    prepare(engine, routes["US"])
    before = _state(engine, routes["US"])
    run = engine.text_run()
    assert run.send(US[0], "US", "Hello", routes["US"], "TRANSACTIONAL") is None, refusal
    assert _state(engine, routes["US"]) == before


@pytest.mark.parametrize(("median", "sigma"), [(4.0, 1.0), (0.5, 1.3), (150.0, 2.0), (1.0, 0.01)])
def test_a_receipt_latency_is_numpys_lognormal_draw(median: float, sigma: float) -> None:
    ours, numpys = np.random.default_rng(21), np.random.default_rng(21)
    mean = float(np.log(median))
    drawn = [lognormal(ours, mean, sigma) for _ in range(20_000)]
    assert drawn == [float(numpys.lognormal(mean, sigma)) for _ in range(20_000)]


@pytest.mark.parametrize(
    "behalf",
    [
        {"app_id": "a", "endpoint_id": "e", "channel_type": "SMS", "context": {"k": "v"}},
        {"endpoint_id": "e", "app_id": "a"},  # no context of its own, another order
        {"carrier": "pinpoint", "parts": 9, "app_id": "a"},  # keys the detail has already
    ],
)
def test_a_behalf_detail_has_the_keys_and_values_of_the_merge_it_stands_for(behalf):
    shape = text_runs._Body(text_runs.text_parts("Hello"), "TRANSACTIONAL")
    context = {"campaign_id": "c"}
    merged = {**shape.head, "context": context, **behalf, "carrier": SERVICE}
    for _ in range(2):  # made, then copied from what was kept
        detail = shape.behalf_detail(context, behalf)
        assert list(detail.items()) == list(merged.items())


def test_send_for_leaves_what_send_with_the_run_s_behalf_leaves():
    left = []
    for own_detail in (False, True):
        engine, routes = _engine()
        answers = []
        with engine.text_run("pinpoint", {**BEHALF, "endpoint_id": None, "context": None}) as run:
            for destination, body in TEXTS:
                _, country = parse_e164(destination, "DestinationPhoneNumber")
                route = routes[country]
                if own_detail:
                    text = run.send_for(
                        "e1", destination, country, body, route, "TRANSACTIONAL", {"k": "v"}, None
                    )
                else:
                    text = run.send(
                        destination,
                        country,
                        body,
                        route,
                        "TRANSACTIONAL",
                        context={"k": "v"},
                        behalf=BEHALF,
                    )
                answers.append("" if text is None else text.message_id)
        left.append(_left(engine, answers))
    assert left[0] == left[1]
    # texts taken, and texts left to the one-message path (blank, opted out, MPS, spend)
    assert 0 < left[1]["answers"].count("") < len(TEXTS)


def test_a_run_s_texts_are_the_engine_s_once_flushed_in_the_order_they_were_sent():
    engine, routes = _engine()
    with engine.text_run() as run:
        sent = [run.send(n, "US", "Hi", routes["US"], "TRANSACTIONAL") for n in US[:3]]
        assert len(engine.messages) == 0
        run.flush()
        assert list(engine.messages.values()) == sent
        fourth = run.send(US[3], "US", "Hi", routes["US"], "TRANSACTIONAL")
    assert list(engine.messages.values()) == [*sent, fourth]
    assert [engine._last_outbound[pair(routes["US"].identity, n)] for n in US[:4]] == [
        text.message_id for text in [*sent, fourth] if text is not None
    ]


def test_pairs_are_the_pair_of_each_message():
    engine, routes = _engine()
    with engine.text_run() as run:
        texts = [run.send(n, "US", "Hi", routes["US"], "TRANSACTIONAL") for n in US[:3]]
    made = [text for text in texts if text is not None]
    assert pairs(made) == [pair(text.origin, text.destination) for text in made]
    assert pairs(made)[0] == f"{routes['US'].identity}\n{US[0]}"


def test_a_final_outcome_s_entry_is_asked_once_per_event_type():
    asked: list[tuple[str, dict[str, Any]]] = []

    class Watcher:
        def __call__(self, text: Any, event_type: str) -> None:
            pass

        @staticmethod
        def entry(status: str, detail: dict[str, Any]) -> tuple[str, dict[str, Any]]:
            asked.append((status, detail))
            return "SETTLED", {**detail, "carrier_status": status}

    engine, routes = _engine()
    sent = [
        engine.send_text_message(n, "Hello", route=routes["US"], on_final=Watcher())
        for n in US[13:40]
    ]
    engine.clock.advance(3 * 86_400)
    finals = {engine.messages[i].trail[-1][0] for i in sent}
    assert sorted(detail["event_type"] for _, detail in asked) == sorted(finals)
    entries = [m for m in engine.outbox if m.message_id in sent]
    assert {m.status for m in entries} == {"SETTLED"}
    assert all(m.detail["carrier_status"] == engine.messages[m.message_id].status for m in entries)
