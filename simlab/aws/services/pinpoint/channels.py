"""Where Pinpoint's messages go: SES for email, End User Messaging for SMS, push, calls, hooks.

``ChannelGateway`` is the engine's ``Gateway`` for one project. Email goes through SES and text
messages through the End User Messaging engine (origination identities, MPS, opt-out lists,
sandbox, spend), each inside ``outbox.acting_for("pinpoint")``: the carrier's outbox entry is
the message's one entry, ``service="pinpoint"`` with ``detail["carrier"]`` naming the carrier,
and its status follows the carrier's outcome. When the project has an event stream, Pinpoint's
``_email.*`` and ``_SMS.*`` records (``simlab.engage.event_records``) follow the same outcome.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from moto.moto_api._internal import mock_random

from simlab.aws import outbound
from simlab.aws.services.pinpoint.channel_email import EmailChannel
from simlab.aws.services.pinpoint.channel_sms import SmsChannel, choose_origination
from simlab.engage.sends import PUSH_CHANNELS, Outgoing, Result, deliver_one

if TYPE_CHECKING:
    pass

__all__ = ["ChannelGateway", "choose_origination"]


class ChannelGateway(EmailChannel, SmsChannel):
    """Delivers one project's messages; ``context`` and ``trace_id`` come from the request."""

    # -- dispatch --------------------------------------------------------------------------

    def deliver(self, message: Outgoing) -> Result:
        disabled = self.project.disabled_channel(message.channel)
        if disabled:
            return Result(message.recipient, "PERMANENT_FAILURE", 400, disabled)
        if message.channel == "EMAIL":
            return self._email(message)
        if message.channel == "SMS":
            return self._sms(message)
        if message.channel == "VOICE":
            return self._voice(message)
        if message.channel == "CUSTOM":
            return self._custom(message)
        if message.channel in PUSH_CHANNELS:
            return self._push(message)
        return Result(message.recipient, "PERMANENT_FAILURE", 400, f"no {message.channel} channel")

    def deliver_many(self, messages: Sequence[Outgoing]) -> list[Result]:
        """Delivers messages in order, each run of one channel's messages at once; returns
        their results in the same order (a message's own failure is its UNKNOWN_FAILURE)."""
        results: list[Result] = []
        start = 0
        while start < len(messages):
            channel = messages[start].channel
            end = start + 1
            while end < len(messages) and messages[end].channel == channel:
                end += 1
            run = messages[start:end]
            if channel == "EMAIL" and not self.project.disabled_channel(channel):
                results.extend(self._email_many(run))
            elif channel == "SMS" and not self.project.disabled_channel(channel):
                results.extend(self._sms_many(run))
            else:
                results.extend(deliver_one(self.deliver, message) for message in run)
            start = end
        return results

    # -- other channels -----------------------------------------------------------------------

    def _voice(self, message: Outgoing) -> Result:
        origination = message.settings.get("OriginationNumber") or ""
        message_id = str(mock_random.uuid4())
        detail = {
            "voice_id": message.settings.get("VoiceId", ""),
            "language_code": message.settings.get("LanguageCode", ""),
        }
        self._record(message, message_id, "PENDING", origination, detail)
        fate = self.model.call()
        self.state.clock.call_later(
            fate.after,
            lambda: self.state.outbox.update_status(
                message_id, "DELIVERED" if fate.delivered else "FAILED", call=fate.record_status
            ),
        )
        return Result(message.recipient, "SUCCESSFUL", 200, "Voice call placed", message_id)

    def _push(self, message: Outgoing) -> Result:
        outcome = self.model.push()
        message_id = str(mock_random.uuid4()) if outcome.status == "SUCCESSFUL" else ""
        payload = {"title": message.title, "body": message.body, **dict(message.settings)}
        payload.pop("Substitutions", None)
        if message.raw_content:
            payload = {"raw": message.raw_content}
        status = {"SUCCESSFUL": "DELIVERED", "TEMPORARY_FAILURE": "FAILED"}.get(
            outcome.status, "FAILED"
        )
        self._record(
            message,
            message_id or str(mock_random.uuid4()),
            status,
            message.channel,
            {"platform": message.channel, "payload": payload, "provider": outcome.message},
        )
        if outcome.status == "PERMANENT_FAILURE" and message.recipient.endpoint_id:
            self.project.deactivate(message.recipient.endpoint_id)
        return Result(
            message.recipient, outcome.status, outcome.code, outcome.message, message_id or None
        )

    def _custom(self, message: Outgoing) -> Result:
        payload = {
            "ApplicationId": self.project.app_id,
            "Message": {"title": message.title, "body": message.body},
            "Endpoint": dict(message.recipient.endpoint or {}),
            "Address": message.address,
            "Context": dict(message.context),
        }
        message_id = str(mock_random.uuid4())
        target = message.address
        try:
            if target.startswith(("http://", "https://")):
                code = _post(target, payload)
            else:
                self.state.functions.resolve(target)(payload)
                code = 200
        except KeyError as error:
            return self._failed(message, str(error).strip("'\""), target)
        except (OSError, ValueError) as error:
            return self._failed(message, f"{target}: {error}", target)
        except Exception as error:
            self._record(message, message_id, "FAILED", target, {"error": str(error)})
            return Result(
                message.recipient, "UNKNOWN_FAILURE", 500, f"{type(error).__name__}: {error}"
            )
        if code >= 400:
            status = "TEMPORARY_FAILURE" if code >= 500 else "PERMANENT_FAILURE"
            self._record(message, message_id, "FAILED", target, {"http_status": code})
            return Result(message.recipient, status, code, f"{target} answered HTTP {code}")
        self._record(message, message_id, "DELIVERED", target, {})
        return Result(
            message.recipient, "SUCCESSFUL", 200, "Delivered to the custom channel", message_id
        )


def _post(url: str, payload: dict[str, Any]) -> int:
    """Calls a CUSTOM channel's webhook on this machine (2 s at most); returns its HTTP status.

    Raises ValueError for a URL off this machine or a control route, OSError if unreachable.
    """
    body = json.dumps(payload).encode()
    return outbound.post(url, body, {"Content-Type": "application/json"}, timeout=2.0)
