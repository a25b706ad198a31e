"""Notebook checkpoints, known from what an account has done rather than from anyone's word.

Each checkpoint looks at the account's own state (its outbox, topics, buckets, numbers), so the
instructor sees progress without asking; ``POST /simlab/room/checkpoint`` (``simlab.room.mark``
from a notebook) adds named marks for steps the state cannot show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from moto.backends import get_backend

from simlab.aws.state import DEFAULT_REGION, state


@dataclass(frozen=True)
class Checkpoint:
    """A step of a notebook, done when ``test(account_id)`` is true."""

    name: str
    notebook: str
    description: str
    test: Callable[[str], bool]


def _sent(channel: str) -> Callable[[str], bool]:
    def test(account_id: str) -> bool:
        return any(c == channel for c, _ in state(account_id).outbox.counts())

    return test


def _archived_events(account_id: str) -> bool:
    s3: Any = get_backend("s3")[account_id]["aws"]
    return any(bucket.keys for bucket in list(s3.buckets.values()))


def _fanned_out(account_id: str) -> bool:
    sns: Any = get_backend("sns")[account_id][DEFAULT_REGION]
    return any(s.protocol == "sqs" for s in list(sns.subscriptions.values()))


def _sms_engine(account_id: str) -> Any:
    from simlab.aws.services.smsvoicev2.models import engine

    return engine(DEFAULT_REGION, account_id)


def _has_number(account_id: str) -> bool:
    return bool(_sms_engine(account_id).numbers)


def _got_reply(account_id: str) -> bool:
    return bool(_sms_engine(account_id).inbound)


#: The checkpoints the instructor's view shows, in teaching order.
CHECKPOINTS: tuple[Checkpoint, ...] = (
    Checkpoint("00-email", "00", "sent an email through SES", _sent("EMAIL")),
    Checkpoint("00-sms", "00", "sent a text through SNS", _sent("SMS")),
    Checkpoint("00-events", "00", "archived email events in S3 through Firehose", _archived_events),
    Checkpoint("00-fanout", "00", "fanned an SNS topic out to an SQS queue", _fanned_out),
    Checkpoint("00-push", "00", "sent a mobile push", _sent("PUSH")),
    Checkpoint("04-number", "04", "requested an origination number", _has_number),
    Checkpoint("04-reply", "04", "received a customer's SMS reply", _got_reply),
)

BY_NAME = {checkpoint.name: checkpoint for checkpoint in CHECKPOINTS}


def progress(account_id: str) -> dict[str, bool]:
    """Every checkpoint's state for an account, then any further marks it reported.

    Call it acting as that account (``acting_as``): services made on first use take the state
    of the account they are made for.
    """
    marks = state(account_id).activity.marks
    done = {c.name: c.name in marks or c.test(account_id) for c in CHECKPOINTS}
    done.update({name: True for name in marks if name not in done})
    return done


def notebooks_done(done: dict[str, bool]) -> list[str]:
    """The notebooks all of whose checkpoints are done."""
    notebooks = sorted({c.notebook for c in CHECKPOINTS})
    return [n for n in notebooks if all(done[c.name] for c in CHECKPOINTS if c.notebook == n)]
