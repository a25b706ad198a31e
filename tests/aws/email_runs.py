"""Pinpoint email sent as a run (``EmailChannel._email_many``) or one message at a time.

``observe(setup, send)`` builds a fresh seeded local AWS with an email project streaming to S3,
lets ``setup(aws)`` shape the SES account, runs ``send(aws, app_id)`` and then the clock for a
day, and returns everything a learner can see of it: each call's results, the outbox, moto's
record of sent emails, SES's quota and statistics, the suppression list, every streamed
record, each SQS queue's messages, and (``sent_alone``) the addresses of the messages that
went through ``_email`` alone.
With ``one_by_one`` the channel sends every message that way: what a run must match.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from simlab.aws import LocalAWS
from simlab.aws.services.pinpoint.channel_email import EmailChannel
from simlab.engage.sends import deliver_one
from tests.aws.pinpoint_project import email_project, stream_objects

Setup = Callable[[LocalAWS], None]
Send = Callable[[LocalAWS, str], list[dict[str, Any]]]


def one_message_at_a_time(channel: EmailChannel, messages: Any) -> list[Any]:
    """The one-message path for a whole run: ``_email`` for each message, in order."""
    return [deliver_one(channel._email, message) for message in messages]


def observe(setup: Setup, send: Send, *, one_by_one: bool = False) -> dict[str, Any]:
    """What a learner sees of ``send`` after ``setup``, sent as runs or (``one_by_one``) one
    message at a time, then a day of outcomes."""
    single: list[str] = []
    one = EmailChannel._email

    def counted(channel: EmailChannel, message: Any) -> Any:
        single.append(message.address)
        return one(channel, message)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(EmailChannel, "_email", counted)
        if one_by_one:
            patch.setattr(EmailChannel, "_email_many", one_message_at_a_time)
        with LocalAWS() as aws:
            setup(aws)
            _, app_id = email_project(aws, "runs")
            responses = send(aws, app_id)
            sent_at_once = _ses_view(aws)
            aws.clock.advance(86_400)
            return {
                "responses": responses,
                "sent": sent_at_once,
                "after_a_day": _ses_view(aws),
                "outbox": [message.to_json() for message in aws.outbox],
                "stream": stream_objects(aws),
                "queued": _queued(aws),
                "sent_alone": single,
            }


def _queued(aws: LocalAWS) -> dict[str, list[Any]]:
    """Each SQS queue's messages (their JSON bodies, in order), by queue URL."""
    sqs = aws.client("sqs")
    queued: dict[str, list[Any]] = {}
    for url in sqs.list_queues().get("QueueUrls", []):
        bodies = queued[url] = []
        while found := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
            bodies += [json.loads(message["Body"]) for message in found]
    return queued


def _ses_view(aws: LocalAWS) -> dict[str, Any]:
    backend = aws.ses.backend
    ses, sesv2 = aws.client("ses"), aws.client("sesv2")
    quota = ses.get_send_quota()
    quota.pop("ResponseMetadata")
    return {
        "quota": quota,
        "statistics": ses.get_send_statistics()["SendDataPoints"],
        "sent_messages": [
            (type(m).__name__, sorted(vars(m).items())) for m in backend.sent_messages
        ],
        "sent_message_count": backend.sent_message_count,
        "rejected_messages_count": backend.rejected_messages_count,
        "suppressed": sesv2.list_suppressed_destinations()["SuppressedDestinationSummaries"],
    }


def send_messages(
    addresses: list[str],
    *,
    sender: str = "news@example.com",
    endpoints: bool = False,
    **email: Any,
) -> Send:
    """A SendMessages call to ``addresses`` (one run of email, a Context with it) with
    ``email`` as its EmailMessage (a text and HTML body by default); with ``endpoints`` each
    address is first an endpoint (``e0``, ``e1`` ...) and the call names the endpoints."""
    message = {
        "FromAddress": sender,
        "SimpleEmail": {
            "Subject": {"Data": "Receipt"},
            "TextPart": {"Data": "Thank you"},
            "HtmlPart": {"Data": '<p>Thanks, <a href="https://example.com/r">read</a></p>'},
        },
        **email,
    }

    def send(aws: LocalAWS, app_id: str) -> list[dict[str, Any]]:
        pinpoint = aws.client("pinpoint")
        request: dict[str, Any] = {
            "Context": {"purpose": "receipts"},
            "MessageConfiguration": {"EmailMessage": message},
        }
        if endpoints:
            items = [
                {"Id": f"e{i}", "ChannelType": "EMAIL", "Address": address}
                for i, address in enumerate(addresses)
            ]
            pinpoint.update_endpoints_batch(
                ApplicationId=app_id, EndpointBatchRequest={"Item": items}
            )
            request["Endpoints"] = {item["Id"]: {} for item in items}
        else:
            request["Addresses"] = {address: {"ChannelType": "EMAIL"} for address in addresses}
        response = pinpoint.send_messages(ApplicationId=app_id, MessageRequest=request)[
            "MessageResponse"
        ]
        response.pop("RequestId")
        return [response]

    return send
