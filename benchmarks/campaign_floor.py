"""The least a campaign message can cost: its unavoidable work, done column-wise, no emulator.

``campaign.py`` times a campaign through the whole local AWS. This script times only what a
campaign message must leave behind there, done in plain loops over runs of 100 messages (the
short code's pace in ``campaign.py``) with simlab's own record templates and outbox table:

- its endpoint as compact JSON, and its ``_campaign.send`` record;
- a message id, and its ``_email.send`` or ``_SMS.BUFFERED`` record;
- its outbox row, written with its run's rows in one ``executemany``;
- a latency draw and a timer (a heap entry) for its outcome, then, when that falls due, its
  ``_email.delivered`` or ``_SMS.SUCCESS`` record and its outbox row's new status;
- every record on disk as newline-ended JSON in objects of about 5 MB (Firehose -> S3).

Nothing else happens: no quotas, suppression, routing, prices, opt-outs, engagement, analytics
or API. So the figure is a floor for any design of the emulator's campaign path, in this
Python on this machine: the part of a message's cost that a faster design cannot remove. It
is printed beside the goal's budget (Pinpoint's 20,000 messages a second: 50 us a message).

Run: ``.venv/bin/python benchmarks/campaign_floor.py [--messages 100000] [--runs 3]``.
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import random
import sqlite3
import statistics
import tempfile
import time
from typing import Any

import numpy as np

from simlab.engage import event_records
from simlab.engage.outbox_messages import INSERT_AT, SCHEMA, SET_STATUS
from simlab.engage.record_templates import RecordTemplate, campaign_send_template

APP, ACCOUNT, CAMPAIGN, ACTIVITY = "a" * 32, "123456789012", "c" * 32, "d" * 32
CONTEXT = {
    "campaign_id": CAMPAIGN,
    "campaign_activity_id": ACTIVITY,
    "treatment_id": "0",
    "application_id": APP,
}
SENDER, ORIGIN = "news@example.com", "12345"
#: Messages released together (the campaign's pace: a short code's 100 a second).
RUN = 100
#: About the size at which Firehose writes an object (its default buffer, 5 MiB).
OBJECT_BYTES = 5 * 1024 * 1024
#: The goal's budget per message: Pinpoint's ceiling of 20,000 messages a second.
BUDGET_US = 50.0
_EMAIL = ("endpoint_id", "message_id", "destination", "subject")
_SMS = (
    "endpoint_id",
    "message_id",
    "origination_phone_number",
    "destination_phone_number",
    "iso_country_code",
)
_SMS_NUMBERS = ("number_of_message_parts", "event_timestamp", "arrival_timestamp")
_STAMPS = ("send_timestamp", "arrival_timestamp")
_SHOWN = ("smtp_response", "reporting_mta", "processing_time_millis")


def templates() -> dict[str, Any]:
    """The ``fill_row`` of each record a message of this campaign leaves, by name."""
    fixed = {"app_id": APP, "account_id": ACCOUNT, "context": CONTEXT}
    email = {**fixed, "from_address": SENDER}
    sms = {**fixed, "message_type": "Promotional"}
    made = {
        f"campaign {kind}": campaign_send_template(
            app_id=APP,
            account_id=ACCOUNT,
            campaign_id=CAMPAIGN,
            campaign_activity_id=ACTIVITY,
            delivery_type=kind,
        )
        for kind in ("EMAIL", "SMS")
    }
    made["email send"] = RecordTemplate(
        event_records.email_record,
        {**email, "event_type": "_email.send"},
        _EMAIL + _STAMPS,
        _STAMPS,
    )
    made["email delivered"] = RecordTemplate(
        event_records.email_delivered_record,
        {**email, "event_type": "_email.delivered"},
        _EMAIL + _STAMPS + _SHOWN,
        (*_STAMPS, "processing_time_millis"),
    )
    made["sms buffered"] = RecordTemplate(
        event_records.sms_record,
        {**sms, "event_type": "_SMS.BUFFERED", "record_status": "SUCCESSFUL"},
        _SMS + _SMS_NUMBERS,
        _SMS_NUMBERS,
    )
    made["sms success"] = RecordTemplate(
        event_records.sms_record,
        {**sms, "event_type": "_SMS.SUCCESS", "record_status": "DELIVERED"},
        (*_SMS, *_SMS_NUMBERS, "price_in_millicents_usd"),
        _SMS_NUMBERS,
        ("price_in_millicents_usd",),
    )
    return {name: template.fill_row for name, template in made.items()}


class Objects:
    """Records gathered into newline-ended objects of about ``OBJECT_BYTES``, written to disk."""

    def __init__(self, path: str) -> None:
        self.file = open(path, "wb")  # noqa: SIM115 - closed by ``close``
        self.records: list[str] = []
        self.size = 0
        self.objects = 0

    def add(self, text: str) -> None:
        self.records.append(text)
        self.size += len(text) + 1
        if self.size >= OBJECT_BYTES:
            self.flush()

    def flush(self) -> None:
        if self.records:
            self.file.write(("\n".join(self.records) + "\n").encode())
            self.objects += 1
        self.records, self.size = [], 0

    def close(self) -> None:
        self.flush()
        self.file.close()


def campaign(messages: int, folder: str) -> float:
    """Sends ``messages`` (odd ones email, even ones SMS) to their outcomes; returns CPU s."""
    fills = templates()
    began = time.process_time()
    db = sqlite3.connect(os.path.join(folder, "outbox.db"))
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.executescript(SCHEMA)
    objects = Objects(os.path.join(folder, "objects"))
    latency, bits = np.random.default_rng(7), random.Random(7).getrandbits
    endpoint_json = json.JSONEncoder(separators=(",", ":")).encode
    timers: list[tuple[int, int, str, str, str, str, int]] = []
    stamp, row = 1_790_000_000_000, 0
    for start in range(0, messages, RUN):
        stamp += 1000
        for kind in ("EMAIL", "SMS"):
            email = kind == "EMAIL"
            members = [i for i in range(start, min(messages, start + RUN)) if i % 2 == email]
            send = fills[f"campaign {kind}"]
            first = fills["email send" if email else "sms buffered"]
            rows = []
            for i, delay in zip(members, latency.random(len(members)).tolist(), strict=True):
                endpoint_id = f"{'e' if email else 's'}{i}"
                address = f"user{i}@example.com" if email else f"+1206{i:07d}"
                endpoint = {
                    "ChannelType": kind,
                    "Address": address,
                    "EndpointStatus": "ACTIVE",
                    "OptOut": "NONE",
                    "EffectiveDate": "2026-09-24T00:00:00.000Z",
                    "CreationDate": "2026-09-24T00:00:00.000Z",
                }
                objects.add(send((endpoint_id, "SUCCESS", endpoint_json(endpoint), stamp, stamp)))
                message_id = f"{bits(64):016x}-{bits(32):08x}-{bits(64):016x}-000000"
                if email:
                    objects.add(first((endpoint_id, message_id, address, "Hello", stamp, stamp)))
                else:
                    objects.add(
                        first((endpoint_id, message_id, ORIGIN, address, "US", 1, stamp, stamp))
                    )
                row += 1
                detail = f'{{"app_id":"{APP}","endpoint_id":"{endpoint_id}"}}'
                sent_at = "2026-09-24T00:00:00Z"
                origin = SENDER if email else ORIGIN
                rows.append(
                    (row, kind, "pinpoint", origin, address, "News", message_id, sent_at)
                    + ("PENDING", "Hello", detail)
                )
                due = stamp + int(delay * 5000)
                heapq.heappush(timers, (due, row, kind, endpoint_id, message_id, address, stamp))
            db.executemany(INSERT_AT, rows)
        _outcomes(timers, stamp + 1000, fills, objects, db)
    _outcomes(timers, None, fills, objects, db)
    db.commit()
    db.close()
    objects.close()
    return time.process_time() - began


def _outcomes(
    timers: list[tuple[int, int, str, str, str, str, int]],
    until: int | None,
    fills: dict[str, Any],
    objects: Objects,
    db: sqlite3.Connection,
) -> None:
    """Fires the timers due by ``until`` (all if None): each outcome's record and status."""
    delivered, success = fills["email delivered"], fills["sms success"]
    statuses = []
    while timers and (until is None or timers[0][0] <= until):
        due, row, kind, endpoint_id, message_id, address, sent = heapq.heappop(timers)
        if kind == "EMAIL":
            shown = ("250 2.6.0 Message received", "a8-1.smtp-out.amazonses.com", due - sent)
            objects.add(delivered((endpoint_id, message_id, address, "Hello", sent, due, *shown)))
        else:
            holes = (endpoint_id, message_id, ORIGIN, address, "US", 1, due, due, 645.0)
            objects.add(success(holes))
        statuses.append(("DELIVERED", '{"carrier_status":"DELIVERED"}', row))
    db.executemany(SET_STATUS, statuses)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    spent = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            spent.append(campaign(args.messages, folder))
    median = statistics.median(spent)
    per = median / args.messages * 1e6
    print(
        f"{args.messages:,} messages, the unavoidable work alone: median {median:.2f} CPU s "
        f"over {args.runs} runs = {per:.1f} us a message"
    )
    print(
        f"the goal's budget is {BUDGET_US:.0f} us a message: this floor takes "
        f"{per / BUDGET_US:.0%} of it, leaving {max(0.0, BUDGET_US - per):.1f} us for "
        "everything else a message does (quotas, routing, engines, API, clock)"
    )


if __name__ == "__main__":
    main()
