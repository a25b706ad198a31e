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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from moto.backends import get_backend
from moto.moto_api._internal import mock_random

from simlab.aws import outbound
from simlab.aws.services.pinpoint.channel_events import (
    ChannelEvents,
    SentMessage,
    ses_entry,
    text_entry,
)
from simlab.aws.services.smsvoicev2.models import engine
from simlab.aws.state import state
from simlab.engage.deliverability import Model
from simlab.engage.outbox import Acting
from simlab.engage.outbox_messages import OutboxMessage
from simlab.engage.sends import PUSH_CHANNELS, Outgoing, Result, destination_country
from simlab.engage.sms import Message as Text
from simlab.engage.sms import (
    PhoneNumber,
    Pool,
    SenderId,
    SmsError,
    SmsVoiceEngine,
    ThrottledError,
)

if TYPE_CHECKING:
    from simlab.aws.services.pinpoint.models import Project

#: Dedicated numbers in the order Pinpoint tries them; long codes and toll-free tie.
_NUMBER_RANK = {"SHORT_CODE": 0, "TEN_DLC": 1, "LONG_CODE": 2, "TOLL_FREE": 2, "SIMULATOR": 2}


def choose_origination(
    sms: SmsVoiceEngine,
    destination: str,
    *,
    number: str | None = None,
    sender_id: str | None = None,
) -> PhoneNumber | SenderId | Pool:
    """The identity Pinpoint sends a text from, in the documented order.

    An ``OriginationNumber`` (or the SMS channel's ``ShortCode``) must be one of the account's
    identities: there is no fallback, and the error names it. Otherwise Pinpoint takes the
    requested sender ID if the account has it for the destination's country, then a dedicated
    number (short code, 10DLC, then long code or toll-free; domestic first, transactional
    first), then a sender ID of the account for that country, then a shared route. The United
    States has no shared routes, so an account with no identity cannot text the US: the send
    fails with ``NO_ORIGINATION_IDENTITIES_FOUND``.
    Sources: Pinpoint User Guide "Message fallback" (channels-sms-limitations-fallback.html) and
    End User Messaging "shared routes" (phone-pool-shared-routes.html), as
    ``facts.sms.PINPOINT_ORIGINATION_ORDER`` and ``facts.sms.SHARED_ROUTES_UNAVAILABLE``.
    """
    if number:
        return sms.origination(number)
    country = destination_country(destination)
    sender_ids = [record for (_, c), record in sms.sender_ids.items() if c == country]
    for record in sender_ids:
        if record.sender_id == sender_id:
            return record
    numbers = [
        n
        for n in sms.numbers.values()
        if "SMS" in n.capabilities and (n.iso_country == country or n.international_sending)
    ]
    if numbers:
        return min(
            numbers,
            key=lambda n: (
                n.iso_country != country,
                _NUMBER_RANK.get(n.number_type, len(_NUMBER_RANK)),
                n.message_type != "TRANSACTIONAL",
            ),
        )
    if sender_ids:
        return sender_ids[0]
    return sms.shared_route(destination, sender_id)


def _code(error: Exception) -> str:
    return str(
        getattr(error, "code", "") or getattr(error, "error_type", "") or type(error).__name__
    )


def _reason(code: str, error: Exception) -> str:
    text = str(error)
    return text if text.startswith(code) else f"{code}: {text}"


def _sms_reason(error: SmsError) -> str:
    why = getattr(error, "reason", "")
    return f"{error.code} ({why}): {error.message}" if why else f"{error.code}: {error.message}"


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


class _TextWatcher:
    """Tells a Pinpoint text's stream of the carrier's final outcome (a text's ``on_final``),
    and gives its outbox entry Pinpoint's final status (``entry``)."""

    __slots__ = ("stream", "sent")

    def __init__(self, stream: ChannelEvents, sent: SentMessage) -> None:
        self.stream, self.sent = stream, sent

    def __call__(self, text: Text, event_type: str) -> None:
        self.stream.sms_final(text, event_type, self.sent)

    #: The text's outbox status after the carrier's final outcome: Pinpoint's.
    entry = staticmethod(text_entry)


@dataclass
class ChannelGateway:
    """Delivers one project's messages; ``context`` and ``trace_id`` come from the request."""

    project: Project
    model: Model
    context: dict[str, str] = field(default_factory=dict)
    recorded: set[int] = field(default_factory=set)  # ids of recipients in the outbox

    def __post_init__(self) -> None:
        self.state = state()  # looked up once per request: moto's backend lookups are not free
        self.stream = ChannelEvents(self.project, self.state)
        self._sms_engine: SmsVoiceEngine | None = None
        self._ses: Any = None
        self._origins: dict[tuple[str, str | None, str | None], Any] = {}

    @property
    def sms(self) -> SmsVoiceEngine:
        """The End User Messaging engine of the project's account and Region."""
        if self._sms_engine is None:
            self._sms_engine = engine(self.project.region, self.project.account_id)
        return self._sms_engine

    @property
    def ses(self) -> Any:
        """The SES backend of the project's account and Region."""
        if self._ses is None:
            self._ses = get_backend("ses")[self.project.account_id][self.project.region]
        return self._ses

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

    # -- email through SES -----------------------------------------------------------------

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

    # -- text messages through End User Messaging ------------------------------------------

    def _sms(self, message: Outgoing) -> Result:
        settings = message.settings
        channel = self.project.channels.get("SMS") or {}
        number = settings.get("OriginationNumber") or channel.get("ShortCode")
        sender_id = settings.get("SenderId") or channel.get("SenderId")
        sms = self.sms
        stream, kept = self.stream, SentMessage.of(message)
        with self._acting(message) as acting:
            try:
                # the choice depends on the destination's country alone (or on the number
                # named), and the account's identities do not change while a request is sent
                where = number or destination_country(message.address)
                key = (where, number, sender_id)
                route = self._origins.get(key)
                if route is None:
                    route = choose_origination(
                        sms, message.address, number=number, sender_id=sender_id
                    )
                    self._origins[key] = route
                message_id = sms.send_text_message(
                    message.address,
                    message.body,
                    route=route,
                    message_type=settings.get("MessageType") or "TRANSACTIONAL",
                    context=message.context,
                    keyword=settings.get("Keyword"),
                    on_final=_TextWatcher(stream, kept),
                )
            except SmsError as error:
                return self._sms_refused(acting, message, error)
        # the engine's entry is PENDING already: it stands for this message as it is
        text = sms.messages[message_id]
        self.project.sms_sent[text.destination] = (message_id, message.recipient.endpoint_id)
        stream.sms_event("_SMS.BUFFERED", text, kept, "PENDING")
        return Result(message.recipient, "SUCCESSFUL", 200, "SMS accepted", message_id)

    def _sms_refused(self, acting: Acting, message: Outgoing, error: SmsError) -> Result:
        reason = _sms_reason(error)
        if getattr(error, "reason", "") == "DESTINATION_PHONE_NUMBER_OPTED_OUT":
            self._refused(acting, message, "OPT_OUT", "", reason, "sms-voice")
            return Result(message.recipient, "OPT_OUT", 400, reason)
        if isinstance(error, ThrottledError):
            self._refused(acting, message, "THROTTLED", "", reason, "sms-voice")
            return Result(message.recipient, "THROTTLED", 429, reason)
        self._refused(acting, message, "FAILED", "", reason, "sms-voice")
        return Result(message.recipient, "PERMANENT_FAILURE", 400, reason)

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

    # -- outbox and stream -----------------------------------------------------------------

    def _detail(self, message: Outgoing) -> dict[str, Any]:
        return {
            "app_id": self.project.app_id,
            "endpoint_id": message.recipient.endpoint_id,
            "channel_type": message.channel,
            "context": dict(message.context),
        }

    def _acting(self, message: Outgoing) -> Any:
        """Lets the carrier's outbox entry stand for this Pinpoint message."""
        self.recorded.add(id(message.recipient))
        return self.state.outbox.acting_for("pinpoint", **self._detail(message))

    def _refused(
        self, acting: Acting, message: Outgoing, status: str, origin: str, reason: str, carrier: str
    ) -> None:
        """Records a message its carrier refused: the carrier's entry if it wrote one."""
        if acting.messages:
            old = acting.messages[0]
            acting.update(
                status=status,
                message_id=f"rejected-{mock_random.uuid4()}",
                detail={**old.detail, "carrier_status": old.status, "reason": reason},
            )
        else:
            self._record(message, "", status, origin, {"reason": reason, "carrier": carrier})

    def _failed(
        self, message: Outgoing, reason: str, origin: str = "", carrier: str = ""
    ) -> Result:
        detail = {"reason": reason, **({"carrier": carrier} if carrier else {})}
        self._record(message, "", "FAILED", origin, detail)
        return Result(message.recipient, "PERMANENT_FAILURE", 400, reason)

    def _record(
        self,
        message: Outgoing,
        message_id: str,
        status: str,
        origin: str,
        detail: dict[str, Any],
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
                detail={"carrier": "pinpoint", **self._detail(message), **detail},
            )
        )


def _post(url: str, payload: dict[str, Any]) -> int:
    """Calls a CUSTOM channel's webhook on this machine (2 s at most); returns its HTTP status.

    Raises ValueError for a URL off this machine or a control route, OSError if unreachable.
    """
    body = json.dumps(payload).encode()
    return outbound.post(url, body, {"Content-Type": "application/json"}, timeout=2.0)
