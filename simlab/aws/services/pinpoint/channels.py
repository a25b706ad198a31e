"""Where Pinpoint's messages really go: SES for email, the SMS path, push providers, calls, hooks.

``ChannelGateway`` is the engine's ``Gateway`` for one project: each composed message goes out on
its channel, lands in the outbox (service "pinpoint") and, when the project has an event stream,
produces Pinpoint's stream records now and as its seeded fate unfolds on the simulated clock.
``send_sms`` is the one function through which Pinpoint sends a text message.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from moto.backends import get_backend
from moto.moto_api._internal import mock_random

from simlab.aws.state import ACCOUNT_ID, state
from simlab.engage import analytics
from simlab.engage.deliverability import Model
from simlab.engage.outbox import OutboxMessage
from simlab.engage.sends import PUSH_CHANNELS, Outgoing, Result
from simlab.sim.rates import count_parts

if TYPE_CHECKING:
    from simlab.aws.services.pinpoint.models import Project

LOOPBACK_HOSTS = frozenset(("127.0.0.1", "localhost", "::1"))


def send_sms(
    *,
    destination: str,
    body: str,
    origination: str | None = None,
    message_type: str = "TRANSACTIONAL",
    account_id: str = ACCOUNT_ID,
    region: str = "us-east-1",
    backend: Any = None,
) -> str:
    """Sends one text message on the SMS path and returns its message id.

    ``backend`` is the SNS backend to publish with, when the caller has already looked it up.
    """
    backend = backend if backend is not None else _sns(account_id, region)
    kind = "Promotional" if message_type == "PROMOTIONAL" else "Transactional"
    # moto's own form of message attributes (what its responses hand the backend)
    attributes = {"AWS.SNS.SMS.SMSType": {"Type": "String", "Value": kind}}
    if origination and not origination.startswith("+"):
        attributes["AWS.SNS.SMS.SenderID"] = {"Type": "String", "Value": origination}
    return backend.publish(body, arn=None, phone_number=destination, message_attributes=attributes)


def _sns(account_id: str, region: str) -> Any:
    return get_backend("sns")[account_id][region]


def _code(error: Exception) -> str:
    return str(
        getattr(error, "code", "") or getattr(error, "error_type", "") or type(error).__name__
    )


def _reason(code: str, error: Exception) -> str:
    text = str(error)
    return text if text.startswith(code) else f"{code}: {text}"


@dataclass
class ChannelGateway:
    """Delivers one project's messages; ``context`` and ``trace_id`` come from the request."""

    project: Project
    model: Model
    context: dict[str, str] = field(default_factory=dict)
    recorded: set[int] = field(default_factory=set)  # ids of recipients in the outbox

    def __post_init__(self) -> None:
        self.state = state()  # looked up once per request: moto's backend lookups are not free
        self._sns: Any = None

    def _sns_backend(self) -> Any:
        if self._sns is None:
            self._sns = _sns(self.project.account_id, self.project.region)
        return self._sns

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

    # -- channels --------------------------------------------------------------------------

    def _email(self, message: Outgoing) -> Result:
        sender = message.settings.get("FromAddress") or self.project.email_from()
        if not sender:
            return self._failed(
                message,
                "No sender: enable the email channel (UpdateEmailChannel FromAddress) "
                "or give EmailMessage.FromAddress",
            )
        ses = get_backend("ses")[self.project.account_id][self.project.region]
        try:
            if message.raw_content and message.settings.get("RawEmail"):
                sent = ses.send_raw_email(sender, [message.address], message.raw_content)
            else:
                text = message.body or message.html or ""
                sent = ses.send_email(
                    sender, message.title, text, {"ToAddresses": [message.address]}
                )
        except Exception as error:
            code = _code(error)
            if "Throttl" in code or "MaxSendRate" in code or "Quota" in code:
                self._record(message, "", "THROTTLED", sender, {"reason": str(error)})
                return Result(message.recipient, "THROTTLED", 429, str(error))
            return self._failed(message, _reason(code, error), sender)
        message_id = str(sent.id)
        self._record(message, message_id, "PENDING", sender, {"via": "ses"})
        send_ms = self.state.clock.timestamp_ms()
        email = {"sender": sender, "send_ms": send_ms, "message": message}
        self._email_event("_email.send", message_id, email, {})
        fate = self.model.email()
        clock = self.state.clock
        outcome_status = "DELIVERED" if fate.outcome == "_email.delivered" else "FAILED"

        def arrive() -> None:
            detail = {"smtp_response": f"{fate.smtp_code}", "recipients": [message.address]}
            self._email_event(fate.outcome, message_id, email, detail)
            self.state.outbox.update_status(message_id, outcome_status, outcome=fate.outcome)

        clock.call_later(fate.delivered_after, arrive)
        if fate.opened_after is not None:
            clock.call_later(
                fate.opened_after,
                lambda: self._email_event("_email.open", message_id, email, {}, "opened"),
            )
        if fate.clicked_after is not None:
            link = "https://example.com/"
            clock.call_later(
                fate.clicked_after,
                lambda: self._email_event("_email.click", message_id, email, {"link": link}, link),
            )
        return Result(message.recipient, "SUCCESSFUL", 200, "Email accepted by SES", message_id)

    def _sms(self, message: Outgoing) -> Result:
        settings = message.settings
        origination = (
            settings.get("OriginationNumber")
            or settings.get("SenderId")
            or self.project.sms_origination()
        )
        message_type = settings.get("MessageType") or "TRANSACTIONAL"
        try:
            message_id = send_sms(
                destination=message.address,
                body=message.body,
                origination=origination,
                message_type=message_type,
                account_id=self.project.account_id,
                region=self.project.region,
                backend=self._sns_backend(),
            )
        except Exception as error:
            code = _code(error)
            if "OptOut" in code or "OptedOut" in str(error) or "opted out" in str(error):
                self._record(message, "", "OPT_OUT", origination or "", {"reason": str(error)})
                sms = {"origination": origination or "", "parts": 0, "message": message}
                sms["message_type"] = message_type.title()
                self._sms_event("_SMS.OPTOUT", "", sms, "OPTED_OUT")
                return Result(message.recipient, "OPT_OUT", 400, str(error))
            if "Throttl" in code:
                self._record(message, "", "THROTTLED", origination or "", {"reason": str(error)})
                return Result(message.recipient, "THROTTLED", 429, str(error))
            return self._failed(message, _reason(code, error), origination or "")
        parts = count_parts(message.body).parts
        detail = {"parts": parts, "message_type": message_type}
        self._record(message, message_id, "PENDING", origination or "", detail)
        sms = {
            "origination": origination or "",
            "parts": parts,
            "message_type": message_type.title(),
            "message": message,
        }
        self._sms_event("_SMS.BUFFERED", message_id, sms, "PENDING")
        fate = self.model.text("SMS")

        def arrive() -> None:
            event = "_SMS.SUCCESS" if fate.delivered else "_SMS.FAILURE"
            self._sms_event(event, message_id, sms, fate.record_status)
            status = "DELIVERED" if fate.delivered else "FAILED"
            self.state.outbox.update_status(message_id, status, record_status=fate.record_status)

        self.state.clock.call_later(fate.after, arrive)
        return Result(message.recipient, "SUCCESSFUL", 200, "SMS accepted", message_id)

    def _voice(self, message: Outgoing) -> Result:
        origination = message.settings.get("OriginationNumber") or ""
        message_id = str(mock_random.uuid4())
        detail = {
            "voice_id": message.settings.get("VoiceId", ""),
            "language_code": message.settings.get("LanguageCode", ""),
        }
        self._record(message, message_id, "PENDING", origination, detail)
        fate = self.model.text("VOICE")
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
        except (urllib.error.URLError, ValueError) as error:
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

    # -- outbox and stream -----------------------------------------------------------------

    def _failed(self, message: Outgoing, reason: str, origin: str = "") -> Result:
        self._record(message, "", "FAILED", origin, {"reason": reason})
        return Result(message.recipient, "PERMANENT_FAILURE", 400, reason)

    def _record(
        self, message: Outgoing, message_id: str, status: str, origin: str, detail: dict
    ) -> None:
        channel = "PUSH" if message.channel in PUSH_CHANNELS else message.channel
        self.recorded.add(id(message.recipient))
        self.state.outbox.add(
            OutboxMessage(
                channel=channel,
                service="pinpoint",
                origin=origin,
                destination=message.address,
                body=message.body if message.raw_content is None else message.raw_content,
                message_id=message_id or f"rejected-{mock_random.uuid4()}",
                sent_at=self.state.clock.now(),
                status=status,
                subject=message.title,
                detail={
                    "app_id": self.project.app_id,
                    "endpoint_id": message.recipient.endpoint_id,
                    "channel_type": message.channel,
                    "context": dict(message.context),
                    **detail,
                },
            )
        )

    def _email_event(
        self, event_type: str, message_id: str, email: dict, detail: dict, feedback: str = ""
    ) -> None:
        message: Outgoing = email["message"]
        self.project.emit(
            analytics.email_record(
                event_type,
                app_id=self.project.app_id,
                account_id=self.project.account_id,
                client_id=message.recipient.endpoint_id or message.address,
                message_id=message_id,
                from_address=email["sender"],
                destination=message.address,
                subject=message.title,
                send_ms=email["send_ms"],
                arrival_ms=self.state.clock.timestamp_ms(),
                context=message.context,
                feedback=feedback or event_type.split(".", 1)[1],
                detail=detail,
            )
        )

    def _sms_event(self, event_type: str, message_id: str, sms: dict, status: str) -> None:
        message: Outgoing = sms["message"]
        now = self.state.clock.timestamp_ms()
        self.project.emit(
            analytics.sms_record(
                event_type,
                app_id=self.project.app_id,
                account_id=self.project.account_id,
                client_id=message.recipient.endpoint_id or message.address,
                message_id=message_id,
                origination=sms["origination"],
                destination=message.address,
                record_status=status,
                parts=sms["parts"],
                message_type=sms["message_type"],
                event_ms=now,
                arrival_ms=now,
                context=message.context,
            )
        )


def _post(url: str, payload: dict[str, Any]) -> int:
    host = urlparse(url).hostname or ""
    if host not in LOOPBACK_HOSTS:
        raise ValueError(f"simlab calls only loopback URLs (127.0.0.1, localhost), not {host!r}")
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback only
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
