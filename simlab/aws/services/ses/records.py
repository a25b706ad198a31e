"""SES event records in the shape SES publishes them (camelCase JSON, one object per event).

Shapes follow "Contents of event data that Amazon SES publishes to Firehose" and its examples
(https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-firehose-contents.html):
a top-level ``eventType`` and ``mail`` object plus one type-specific object.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from moto.moto_api._internal import mock_random

from simlab.aws.services.ses.policy import parseaddr
from simlab.facts import ses as facts
from simlab.primitives.times import iso

#: The type-specific object of each record type.
DETAIL_KEYS = {
    "Send": "send",
    "Delivery": "delivery",
    "Bounce": "bounce",
    "Complaint": "complaint",
    "Reject": "reject",
    "Open": "open",
    "Click": "click",
    "Rendering Failure": "failure",
    "DeliveryDelay": "deliveryDelay",
    "Subscription": "subscription",
}
#: EventBridge ``detail-type`` of each record type, source ``aws.ses``
#: (https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-ses.html).
DETAIL_TYPES = {
    "Send": "Email Sent",
    "Delivery": "Email Delivered",
    "Bounce": "Email Bounced",
    "Complaint": "Email Complaint Received",
    "Reject": "Email Rejected",
    "Open": "Email Opened",
    "Click": "Email Clicked",
    "Rendering Failure": "Email Rendering Failed",
    "DeliveryDelay": "Email Delivery Delayed",
    "Subscription": "Email Subscribed",
}
#: The SES v2 ``EventType`` each record type matches.
EVENT_TYPES = {record: event for event, record in facts.EVENT_TYPE_TO_RECORD_TYPE.value.items()}

REPORTING_MTA = "a8-70.smtp-out.amazonses.com"
#: The receiving server's reply to a delivered message, as Delivery records show it.
SMTP_RESPONSE = "250 2.6.0 Message received"
#: Documentation addresses (RFC 5737) stand in for SES's and recipients' IPs.
SOURCE_IP = "192.0.2.10"
REMOTE_MTA_IP = "198.51.100.25"
READER_IP = "203.0.113.7"
USER_AGENT = "Mozilla/5.0 (simlab mail reader)"


_LETTERS = "abcdefghijklmnopqrstuvwxyz"
#: The lengths of the dash-separated groups of an SES MessageId (as moto draws them).
_GROUPS = (16, 8, 4, 4, 4, 12, 6)
_ID_LETTERS = sum(_GROUPS)
#: The first block of words: one for each letter.
_ID_BITS, _ID_BYTES = 32 * _ID_LETTERS, 4 * _ID_LETTERS
#: The top bytes of the 32-bit words moto rejects: their top 5 bits make 26 or more.
_REJECTED = bytes(range(len(_LETTERS) << 3, 256))
#: A kept word's top byte -> the letter its top 5 bits pick.
_TOP_BYTE_LETTER = bytes(ord(_LETTERS[min(top >> 3, len(_LETTERS) - 1)]) for top in range(256))
#: A word's top 5 bits -> the letter they pick, or nothing for one moto rejects.
_WORD_LETTER = [_LETTERS[top : top + 1].encode() for top in range(32)]
#: Letters still missing that are drawn a word at a time (fewer calls than the block's way).
_ONE_AT_A_TIME = 2
#: The letters of an id cut into its groups.
_ID_PARTS = struct.Struct("".join(f"{length}s" for length in _GROUPS))


def feedback_id() -> str:
    """A seeded feedback id in SES's shape."""
    return random_message_id()


def random_message_id() -> str:
    """A new SES MessageId, drawn from moto's seeded random stream exactly as moto draws it.

    moto picks each of its 54 letters with ``random.choice``: the top 5 bits of the stream's
    next 32-bit word, drawn again while they make 26 or more. Here the words come in blocks of
    as many as letters are still missing (so the stream ends where moto's would), and one
    ``translate`` drops each rejected word's top byte and turns the others into their letters
    (the last letter or two come a word at a time): the same ids from the same seed at a
    fraction of the cost.
    """
    bits = mock_random.getrandbits
    drawn = (
        bits(_ID_BITS).to_bytes(_ID_BYTES, "little")[3::4].translate(_TOP_BYTE_LETTER, _REJECTED)
    )
    while (missing := _ID_LETTERS - len(drawn)) > 0:
        if missing <= _ONE_AT_A_TIME:  # a word or two: its letter (or none) straight away
            drawn += _WORD_LETTER[bits(32) >> 27]
            continue
        words = bits(32 * missing).to_bytes(4 * missing, "little")
        drawn += words[3::4].translate(_TOP_BYTE_LETTER, _REJECTED)
    return b"-".join(_ID_PARTS.unpack(drawn)).decode("ascii")


@dataclass(slots=True)
class SentEmail:
    """What the records of one accepted message say about it.

    Thousands wait on the clock at once, so it keeps its addresses in tuples; ``recipients``
    (To then Cc then Bcc) is worked out when asked for, which the records of a message to one
    address rarely do.
    """

    message_id: str
    source: str
    source_arn: str
    account_id: str
    timestamp: datetime
    to: tuple[str, ...]
    cc: tuple[str, ...]
    bcc: tuple[str, ...]
    subject: str
    text: str
    html: str
    configuration_set: str | None
    tags: Mapping[str, str] = field(default_factory=dict)
    template: str | None = None
    operation: str = "SendEmail"

    @property
    def recipients(self) -> tuple[str, ...]:
        """Every recipient: To, then Cc, then Bcc."""
        if self.cc or self.bcc:
            return (*self.to, *self.cc, *self.bcc)
        return self.to

    def headers(self) -> list[dict[str, str]]:
        """The message's headers as SES lists them."""
        items = [("From", self.source), ("To", ", ".join(self.to))]
        if self.cc:
            items.append(("Cc", ", ".join(self.cc)))
        items += [("Subject", self.subject), ("MIME-Version", "1.0")]
        kind = (
            "multipart/alternative"
            if self.html and self.text
            else ("text/html" if self.html else "text/plain")
        )
        items.append(("Content-Type", f"{kind}; charset=UTF-8"))
        return [{"name": name, "value": value} for name, value in items]

    def mail(self, *, tags: bool = True) -> dict[str, Any]:
        """The ``mail`` object of every record about this message."""
        mail: dict[str, Any] = {
            "timestamp": iso(self.timestamp),
            "source": self.source,
            "sourceArn": self.source_arn,
            "sendingAccountId": self.account_id,
            "messageId": self.message_id,
            "destination": list(self.recipients),
            "headersTruncated": False,
            "headers": self.headers(),
            "commonHeaders": {
                "from": [self.source],
                "to": list(self.to),
                "messageId": self.message_id,
                "subject": self.subject,
            },
        }
        if self.cc:
            mail["commonHeaders"]["cc"] = list(self.cc)
        if tags:
            mail["tags"] = self.tag_lists()
        return mail

    def tag_lists(self) -> dict[str, list[str]]:
        """SES's automatic ``ses:`` tags plus the message tags, each a list of values."""
        domain = parseaddr(self.source)[1].rpartition("@")[2]
        tags = {
            "ses:operation": [self.operation],
            "ses:source-ip": [SOURCE_IP],
            "ses:from-domain": [domain],
            "ses:caller-identity": ["simlab"],
        }
        if self.configuration_set:
            tags["ses:configuration-set"] = [self.configuration_set]
        tags.update({name: [value] for name, value in self.tags.items()})
        return tags


def record(event_type: str, email: SentEmail, detail: dict[str, Any]) -> dict[str, Any]:
    """An event record: ``eventType``, ``mail`` and the type-specific object."""
    return {"eventType": event_type, "mail": email.mail(), DETAIL_KEYS[event_type]: detail}


def notification(kind: str, email: SentEmail, detail: dict[str, Any]) -> dict[str, Any]:
    """An identity feedback notification: ``notificationType`` and no tags."""
    return {"notificationType": kind, "mail": email.mail(tags=False), kind.lower(): detail}


def delivery(email: SentEmail, recipient: str, now: datetime) -> dict[str, Any]:
    millis = int((now - email.timestamp).total_seconds() * 1000)
    return {
        "timestamp": iso(now),
        "processingTimeMillis": millis,
        "recipients": [recipient],
        "smtpResponse": SMTP_RESPONSE,
        "reportingMTA": REPORTING_MTA,
        "remoteMtaIp": REMOTE_MTA_IP,
    }


_BOUNCE_DIAGNOSTICS = {
    "General": ("5.1.1", "smtp; 550 5.1.1 user unknown"),
    "Suppressed": (
        "5.1.1",
        "Amazon SES has suppressed sending to this address because it has a recent history of "
        "bouncing as an invalid address.",
    ),
    "OnAccountSuppressionList": (
        "5.1.1",
        "Amazon SES did not send the message to this address because it is on the suppression "
        "list for your account.",
    ),
}


def bounce(recipient: str, bounce_type: str, subtype: str, now: datetime) -> dict[str, Any]:
    status, diagnostic = _BOUNCE_DIAGNOSTICS.get(subtype, _BOUNCE_DIAGNOSTICS["General"])
    return {
        "bounceType": bounce_type,
        "bounceSubType": subtype,
        "bouncedRecipients": [
            {
                "emailAddress": recipient,
                "action": "failed",
                "status": status,
                "diagnosticCode": diagnostic,
            }
        ],
        "timestamp": iso(now),
        "feedbackId": feedback_id(),
        "reportingMTA": f"dsn; {REPORTING_MTA}",
    }


def complaint(recipient: str, now: datetime, arrival: datetime) -> dict[str, Any]:
    return {
        "complainedRecipients": [{"emailAddress": recipient}],
        "timestamp": iso(now),
        "feedbackId": feedback_id(),
        "userAgent": USER_AGENT,
        "complaintFeedbackType": "abuse",
        "arrivalDate": iso(arrival),
    }


def delivery_delay(recipient: str, now: datetime, expires: datetime) -> dict[str, Any]:
    return {
        "timestamp": iso(now),
        "delayType": "MailboxFull",
        "expirationTime": iso(expires),
        "delayedRecipients": [
            {
                "emailAddress": recipient,
                "status": "4.2.2",
                "diagnosticCode": "smtp; 452 4.2.2 Mailbox full",
            }
        ],
        "reportingMTA": REPORTING_MTA,
    }


def reject() -> dict[str, Any]:
    return {"reason": "Bad content"}


def rendering_failure(template: str, message: str) -> dict[str, Any]:
    return {"templateName": template, "errorMessage": message}


def opened(now: datetime) -> dict[str, Any]:
    return {"ipAddress": READER_IP, "timestamp": iso(now), "userAgent": USER_AGENT}


def clicked(now: datetime, link: str) -> dict[str, Any]:
    return {**opened(now), "link": link, "linkTags": {}}
