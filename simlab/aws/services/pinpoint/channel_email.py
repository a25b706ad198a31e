"""Pinpoint's email channel: each message through SES inside the Pinpoint message's outbox entry.

``EmailChannel`` is a part of ``ChannelGateway``: ``_email`` sends one message, ``_email_many``
a run of them in order, exactly as one ``_email`` each would (same draws, same records).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from simlab.aws.services.pinpoint.channel_base import GatewayCore
from simlab.aws.services.pinpoint.channel_events import (
    ChannelEvents,
    SentMessage,
    context_key_of,
    ses_entry,
)
from simlab.engage.sends import Outgoing, Result, deliver_one

if TYPE_CHECKING:
    from simlab.aws.services.ses.mail_runs import SendRun

#: The fields of an email's result once SES has accepted it, but its recipient and message id.
_ACCEPTED = Result(cast(Any, None), "SUCCESSFUL", 200, "Email accepted by SES").__dict__
_new = object.__new__
#: ``ses_entry`` of an SES event with no detail, by (event, SES's status)
_ENTRIES: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}


def _code(error: Exception) -> str:
    return str(
        getattr(error, "code", "") or getattr(error, "error_type", "") or type(error).__name__
    )


def _reason(code: str, error: Exception) -> str:
    text = str(error)
    return text if text.startswith(code) else f"{code}: {text}"


class _SesWatcher(SentMessage):
    """What a Pinpoint email's records need of it (a ``SentMessage``) that also tells its
    stream of each later SES event of it (an SES watcher): one small object per message in
    flight. Build it with ``of`` or ``keyed``, then give it its ``stream`` and ``email``."""

    __slots__ = ("stream", "email")

    stream: ChannelEvents
    #: the email as its records show it: ``id``, ``sender``, ``send_ms``
    email: dict[str, Any]
    #: ``entry("Delivery", "DELIVERED", {})``, kept (callers only read it)
    delivery_entry = ses_entry("Delivery", "DELIVERED", {})

    def __call__(self, kind: str, address: str, detail: dict[str, Any]) -> None:
        self.stream.ses_event(kind, detail, self.email, self)

    def delivered(self, smtp_response: str, reporting_mta: str) -> None:
        """The email's Delivery, as SES's record would show its response and reporting MTA."""
        self.stream.ses_delivered(self.email, self, smtp_response, reporting_mta)

    @staticmethod
    def entry(kind: str, status: str, detail: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """The email's outbox status after each SES event: Pinpoint's (``ses_entry``), the
        answer for an event with no detail of its own kept (callers only read it)."""
        if detail:
            return ses_entry(kind, status, detail)
        kept = _ENTRIES.get((kind, status))
        if kept is None:
            kept = _ENTRIES[kind, status] = ses_entry(kind, status, {})
        return kept


class EmailChannel(GatewayCore):
    """Sends a project's email through the SES backend of its account and Region."""

    def _email(self, message: Outgoing) -> Result:
        sender = message.settings.get("FromAddress") or self.project.email_from()
        if not sender:
            return self._failed(
                message,
                "No sender: enable the email channel (UpdateEmailChannel FromAddress) "
                "or give EmailMessage.FromAddress",
                carrier="ses",
            )
        ses = self.ses
        with self._acting(message) as acting:
            try:
                if message.raw_content and message.settings.get("RawEmail"):
                    sent = ses.send_raw_email(sender, [message.address], message.raw_content)
                else:
                    sent = ses.send_email(
                        sender,
                        message.title,
                        message.body,
                        {"ToAddresses": [message.address]},
                        html=message.html or "",
                    )
            except Exception as error:
                code = _code(error)
                if "Throttl" in code or "MaxSendRate" in code or "Quota" in code:
                    self._refused(acting, message, "THROTTLED", sender, str(error), "ses")
                    return Result(message.recipient, "THROTTLED", 429, str(error))
                reason = _reason(code, error)
                self._refused(acting, message, "FAILED", sender, reason, "ses")
                return Result(message.recipient, "PERMANENT_FAILURE", 400, reason)
        message_id = str(sent.id)
        acting.update(status="PENDING")
        email = {"id": message_id, "sender": sender, "send_ms": self.state.clock.timestamp_ms()}
        watcher: Any = _SesWatcher.of(message)
        watcher.stream, watcher.email = self.stream, email
        self.stream.email_event("_email.send", email, watcher)
        ses.mailer.watch(message_id, watcher)
        return Result(message.recipient, "SUCCESSFUL", 200, "Email accepted by SES", message_id)

    def _email_many(self, messages: Sequence[Outgoing]) -> list[Result]:
        """Sends a run of email messages in order; returns their results.

        Each sender's messages go through one SES ``send_run``, which works out once what they
        share (the entry detail too: each entry keeps the request's context dict itself, as a
        text's does); a message it cannot take that way (raw content, no sender, any refusal)
        goes through ``_email``, so every message gets exactly the result, outbox entry,
        records and draws ``_email`` would give it.
        """
        results: list[Result] = []
        append = results.append
        runs: dict[str, SendRun] = {}
        project = self.project
        default_sender = project.email_from()
        behalf = {
            "app_id": project.app_id,
            "endpoint_id": None,
            "channel_type": "EMAIL",
            "context": None,
        }
        stream = self.stream
        email_sent = stream.email_sent
        watching = _SesWatcher.keyed
        recorded = self.recorded
        mailer = self.ses.mailer
        # what the last message had: its settings (sender, run), context and template key
        last_settings: object = None
        sender, raw_email, run = "", None, cast("SendRun | None", None)
        context: Any = None
        context_key: tuple[tuple[str, str], ...] | None = None
        kept_context: dict[str, str] = {}
        try:
            for message in messages:
                settings = message.settings
                if settings is not last_settings:
                    last_settings = settings
                    sender = settings.get("FromAddress") or default_sender
                    raw_email = settings.get("RawEmail")
                    run = runs.get(sender) if sender else None
                if not sender or (message.raw_content and raw_email):
                    append(deliver_one(self._email, message))
                    continue
                if run is None:
                    run = runs[sender] = mailer.send_run(
                        sender, service="pinpoint", status="PENDING", behalf=behalf
                    )
                    run.expect(len(messages))  # its floats drawn at once, any left given back
                if not run.ready:
                    append(deliver_one(self._email, message))
                    continue
                recipient = message.recipient
                recorded.add(id(recipient))
                try:
                    address = recipient.address
                    if message.context is not context:
                        context = message.context
                        context_key = context_key_of(context)
                        kept_context = context if type(context) is dict else dict(context)
                    endpoint_id = recipient.endpoint_id
                    # the watcher goes with the message; its email once it has an id
                    watcher: Any = watching(
                        endpoint_id or address, address, message.title, context, context_key
                    )
                    watcher.stream = stream
                    message_id = run.send(
                        address,
                        message.title,
                        message.body,
                        message.html or "",
                        None,
                        watcher,
                        endpoint_id,
                        kept_context,
                    )
                    if message_id is None:  # refused, or unusual: the one-message way says how
                        append(deliver_one(self._email, message))
                        continue
                    email = {"id": message_id, "sender": sender, "send_ms": run.timestamp_ms}
                    watcher.email = email
                    email_sent(email, watcher)
                    # ``Result(recipient, "SUCCESSFUL", 200, ..., message_id)``, its fields
                    # copied from one made so
                    result = _new(Result)
                    fields = result.__dict__
                    fields.update(_ACCEPTED)
                    fields["recipient"] = recipient
                    fields["message_id"] = message_id
                    append(result)
                except Exception as error:  # a channel's own failure, as ``deliver_one`` has it
                    append(Result(recipient, "UNKNOWN_FAILURE", 500, str(error)))
        finally:
            for each in runs.values():
                each.close()
        return results
