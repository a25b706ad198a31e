"""Pinpoint's email channel: each message through SES inside the Pinpoint message's outbox entry.

``EmailChannel`` is a part of ``ChannelGateway``: ``_email`` sends one message, ``_email_many``
a run of them in order, exactly as one ``_email`` each would (same draws, same records).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from simlab.aws.services.pinpoint.channel_base import GatewayCore
from simlab.aws.services.pinpoint.channel_events import ChannelEvents, SentMessage, ses_entry
from simlab.engage.sends import Outgoing, Result, deliver_one


def _code(error: Exception) -> str:
    return str(
        getattr(error, "code", "") or getattr(error, "error_type", "") or type(error).__name__
    )


def _reason(code: str, error: Exception) -> str:
    text = str(error)
    return text if text.startswith(code) else f"{code}: {text}"


class _SesWatcher:
    """Tells a Pinpoint email's stream of each later SES event of it (an SES watcher): one small
    object per message in flight rather than a closure and its cells."""

    __slots__ = ("stream", "email", "sent")

    def __init__(self, stream: ChannelEvents, email: dict[str, Any], sent: SentMessage) -> None:
        self.stream, self.email, self.sent = stream, email, sent

    def __call__(self, kind: str, address: str, detail: dict[str, Any]) -> None:
        self.stream.ses_event(kind, detail, self.email, self.sent)

    #: The email's outbox status after each SES event: Pinpoint's (``Mailer.watch``).
    entry = staticmethod(ses_entry)


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
        kept = SentMessage.of(message)
        self.stream.email_event("_email.send", email, kept)
        ses.mailer.watch(message_id, _SesWatcher(self.stream, email, kept))
        return Result(message.recipient, "SUCCESSFUL", 200, "Email accepted by SES", message_id)

    def _email_many(self, messages: Sequence[Outgoing]) -> list[Result]:
        """Sends a run of email messages in order; returns their results."""
        return [deliver_one(self._email, message) for message in messages]
