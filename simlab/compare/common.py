"""Code the do-it-yourself and successor approaches both write: what Pinpoint would do for them.

Each function here is learner code, counted in both approaches' lines: finding each customer's
09:00, pacing sends under a rate, drawing and checking one-time codes, leasing a number whose
replies reach a queue, and reading STOP from that queue.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from simlab import facts
from simlab.compare.need import Customer

CODE_LENGTH = facts.pinpoint.OTP_DEFAULTS.value["CodeLength"]
CODE_VALIDITY = timedelta(minutes=facts.pinpoint.OTP_DEFAULTS.value["ValidityPeriod"])
CODE_ATTEMPTS = facts.pinpoint.OTP_DEFAULTS.value["AllowedAttempts"]
STOP_WORDS = frozenset(facts.sms.OPT_OUT_KEYWORDS.value)


def nine_local(day: date, zone: str) -> datetime:
    """09:00 on ``day`` in the time zone ``zone``, as a UTC time."""
    return datetime.combine(day, time(9), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def offer_plan(
    customers: Iterable[Customer], day: date, per_second: dict[str, int]
) -> list[tuple[datetime, Customer]]:
    """When each customer gets the offer: 09:00 local, later if their channel is at its rate."""
    due = sorted(((nine_local(day, c.timezone), c) for c in customers), key=lambda p: p[0])
    slots: dict[str, tuple[datetime, int]] = {}
    plan = []
    for moment, customer in due:
        channel = customer.offer_channel
        slot, used = slots.get(channel, (moment, 0))
        if moment > slot:
            slot, used = moment, 0
        elif used == per_second[channel]:
            slot, used = slot + timedelta(seconds=1), 0
        slots[channel] = (slot, used + 1)
        plan.append((slot, customer))
    return sorted(plan, key=lambda p: p[0])


@dataclass
class Codes:
    """One-time codes: drawn from ``rng``, valid for a while, a few wrong guesses allowed."""

    rng: Any
    now: Callable[[], datetime]
    issued: dict[str, tuple[str, datetime, int]] = field(default_factory=dict)

    def new(self, phone: str) -> str:
        """Draws a code for ``phone``, replacing any earlier one."""
        code = str(int(self.rng.integers(0, 10**CODE_LENGTH))).zfill(CODE_LENGTH)
        self.issued[phone] = (code, self.now() + CODE_VALIDITY, CODE_ATTEMPTS)
        return code

    def check(self, phone: str, code: str) -> bool:
        """Whether ``code`` is the live code of ``phone``; a right code works once."""
        expected, expires, left = self.issued.pop(phone, ("", self.now(), 0))
        if left < 1 or self.now() > expires:
            return False
        if hmac.compare_digest(code, expected):
            return True
        self.issued[phone] = (expected, expires, left - 1)
        return False


def two_way_number(sms: Any, sns: Any, sqs: Any, name: str) -> tuple[str, str]:
    """Leases a US toll-free number whose replies land in an SQS queue: (number, queue URL).

    At AWS the topic's policy must also let sms-voice.amazonaws.com publish, and the queue's
    let the topic send; the local AWS does not check policies.
    """
    leased = sms.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
    )
    topic = sns.create_topic(Name=name)["TopicArn"]
    # Keep replies 14 days, not the default 4: the code reads them once a week at least.
    queue = sqs.create_queue(QueueName=name, Attributes={"MessageRetentionPeriod": "1209600"})
    queue = queue["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
    sns.subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=queue_arn["Attributes"]["QueueArn"],
        Attributes={"RawMessageDelivery": "true"},
    )
    sms.update_phone_number(
        PhoneNumberId=leased["PhoneNumberId"], TwoWayEnabled=True, TwoWayChannelArn=topic
    )
    return leased["PhoneNumber"], queue


def read_stops(sqs: Any, queue: str) -> set[str]:
    """Empties the replies queue; returns the numbers that texted an opt-out word."""
    stops = set()
    while batch := sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages"):
        for message in batch:
            reply = json.loads(message["Body"])
            words = reply["messageBody"].strip().upper().split()
            if words and words[0] in STOP_WORDS:
                stops.add(reply["originationNumber"])
        handles = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)]
        sqs.delete_message_batch(QueueUrl=queue, Entries=handles)
    return stops


#: The helpers, as counted in each approach that uses them.
CODE = (nine_local, offer_plan, Codes, two_way_number, read_stops)
