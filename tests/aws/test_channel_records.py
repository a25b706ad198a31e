"""A message's ``_email.*`` and ``_SMS.*`` records filled into templates read exactly as the
records built as dicts and written as JSON, whatever mix of senders, contexts, prices and
message types one request's messages have.

The reference is a new ``ChannelEvents`` for each record given a message without a template
key: it builds each record with ``event_records`` and encodes it, as every record was written
before records had templates, and keeps nothing from one record to the next.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from moto.backends import get_backend

from simlab.aws.services.pinpoint.channel_events import ChannelEvents, SentMessage
from simlab.aws.state import state
from simlab.engage.event_records import compact_json
from simlab.engage.sms import Message as Text
from tests.aws.pinpoint_project import email_project

CONTEXTS = ({"campaign_id": "c-1", "treatment_id": "0"}, {"journey_id": "j-9"}, {})
SENDERS = ("news@example.com", "Shop <shop@example.com>")
#: Prices in USD: repeats (kept from the last text), zero of both signs, a long fraction.
PRICES = (0.00581, 0.00581, 0.0, -0.0, 0.0, 0.00645, 1 / 3, 0.00645)


def _written(aws: Any, *, stream: bool = True) -> tuple[ChannelEvents, list[str]]:
    """A project's ``ChannelEvents`` and the list of record texts the project writes."""
    _, app_id = email_project(aws, "records", stream=stream)
    project = get_backend("pinpoint")["123456789012"]["us-east-1"].project(app_id)
    texts: list[str] = []
    project.emit_text = lambda event_type, client_id, text: texts.append(text)  # type: ignore[method-assign]
    project.emit = lambda record: texts.append(compact_json(record))  # type: ignore[method-assign]
    return ChannelEvents(project, state()), texts


def _sent(number: int, *, templated: bool) -> SentMessage:
    sent = SentMessage(
        f"endpoint-{number}",
        f"user{number}@example.com",
        f"Offer \u00e9 {number}",
        dict(CONTEXTS[number // 4 % len(CONTEXTS)]),  # runs of four with one context
    )
    if not templated:  # the dict-then-JSON path, with the same context
        sent._context, sent.context_key = sent.context, None
    return sent


def _emails(events: Any, aws: Any, *, templated: bool) -> None:
    sent = [(_sent(n, templated=templated), n) for n in range(12)]
    mails = [
        {
            "id": f"0100-{n:04d}",
            "sender": SENDERS[n // 2 % 2],
            "send_ms": state().clock.timestamp_ms(),
        }
        for _, n in sent
    ]
    for (message, _), email in zip(sent, mails, strict=True):
        events().email_event("_email.send", email, message)
    aws.clock.advance(2.5)
    for (message, n), email in zip(sent, mails, strict=True):
        if n % 3 == 0:
            detail = {"smtpResponse": "250 2.0.0 OK", "reportingMTA": "a8-1.smtp-out.simlab"}
            events().ses_event("Delivery", detail, email, message)
        elif n % 3 == 1:
            shown = {"smtp_response": "250 OK", "reporting_mta": "b.simlab"}
            events().email_event("_email.delivered", email, message, shown)
        else:
            events().ses_event("Open", {"ipAddress": "192.0.2.1", "userAgent": "x"}, email, message)
        aws.clock.advance(0.25)


def _texts(events: Any, aws: Any, *, templated: bool) -> None:
    texts = [
        Text(
            f"sms-{n:04d}",
            "SMS",
            "+18005550100",
            f"+1206555{n:04d}",
            "News",
            ("PROMOTIONAL", "TRANSACTIONAL")[n % 2],
            datetime(2026, 1, 5, tzinfo=UTC),
            parts=1 + n % 3,
            price=price,
        )
        for n, price in enumerate(PRICES)
    ]
    sent = [_sent(n, templated=templated) for n in range(len(texts))]
    for text, message in zip(texts, sent, strict=True):
        events().sms_event("_SMS.BUFFERED", text, message, "PENDING")
    aws.clock.advance(3)
    for n, (text, message) in enumerate(zip(texts, sent, strict=True)):
        events().sms_final(text, ("TEXT_DELIVERED", "TEXT_CARRIER_UNREACHABLE")[n % 2], message)


@pytest.mark.parametrize("workload", [_emails, _texts], ids=["email", "sms"])
def test_templated_records_read_as_records_built_and_encoded(workload: Any) -> None:
    from simlab.aws import LocalAWS

    written = []
    for templated in (False, True):
        with LocalAWS() as aws:
            kept, texts = _written(aws)
            project = kept.project
            if templated:  # one ChannelEvents for the request, as a send has
                workload(lambda kept=kept: kept, aws, templated=True)
                assert project.record_templates  # the records did go through templates
            else:
                workload(lambda p=project: ChannelEvents(p, state()), aws, templated=False)
            written.append(texts)
    built, filled = written
    assert len(built) == len(filled) >= 16
    assert filled == built


def test_a_project_without_a_stream_builds_no_record(aws: Any) -> None:
    events, texts = _written(aws, stream=False)
    _emails(lambda: events, aws, templated=True)
    _texts(lambda: events, aws, templated=True)
    assert texts == []
    assert events.project.record_templates == {}


def test_a_kept_price_reads_as_the_price_worked_out_each_time(aws: Any) -> None:
    events, _ = _written(aws)
    shown = [events._millicents(price) for price in (*PRICES, -0.0, 0.0, -0.0)]
    assert [compact_json(p) for p in shown] == [
        compact_json(round(price * 100_000, 3)) for price in (*PRICES, -0.0, 0.0, -0.0)
    ]
