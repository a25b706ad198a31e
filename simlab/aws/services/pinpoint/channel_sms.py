"""Pinpoint's SMS channel: origination as Pinpoint chooses it, each text through End User
Messaging inside the Pinpoint message's outbox entry.

``SmsChannel`` is a part of ``ChannelGateway``: ``_sms`` sends one text, ``_sms_many`` a run of
them in order, exactly as one ``_sms`` each would (same draws, same records): the run shares one
``TextRun`` of the engine, works out each route once, writes each text's entry in Pinpoint's
name at once, and hands a text it cannot take the common way (a refusal, a pool) to ``_sms``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from simlab.aws.services.pinpoint.channel_base import GatewayCore
from simlab.aws.services.pinpoint.channel_events import (
    ChannelEvents,
    SentMessage,
    context_key_of,
    text_entry,
)
from simlab.engage.outbox import Acting
from simlab.engage.sends import Outgoing, Result, deliver_one, destination_country
from simlab.engage.sms import Message as Text
from simlab.engage.sms import (
    PhoneNumber,
    Pool,
    SenderId,
    SmsError,
    SmsVoiceEngine,
    ThrottledError,
    parse_new_e164,
    parse_new_e164_many,
)

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


#: The instance dict of a text's accepted ``Result`` but for its recipient and message id:
#: ``_sms_many`` fills each text's ``Result`` with it, without ``Result.__init__``.
_ACCEPTED: dict[str, Any] = vars(
    Result(None, "SUCCESSFUL", 200, "SMS accepted", "")  # type: ignore[arg-type]
).copy()


def _sms_reason(error: SmsError) -> str:
    why = getattr(error, "reason", "")
    return f"{error.code} ({why}): {error.message}" if why else f"{error.code}: {error.message}"


class _TextWatcher(SentMessage):
    """What a Pinpoint text's records need of it (a ``SentMessage``), and the text's
    ``on_final``: tells the text's stream of the carrier's final outcome, and gives its outbox
    entry Pinpoint's final status (``entry``). One object per text in flight, not two."""

    __slots__ = ("stream",)

    stream: ChannelEvents

    @classmethod
    def watching(cls, stream: ChannelEvents, message: Outgoing) -> _TextWatcher:
        """The watcher of ``message``'s text (``SentMessage.of``) for ``stream``."""
        watcher: _TextWatcher = cls.of(message)  # type: ignore[assignment]  # ``cls``'s own
        watcher.stream = stream
        return watcher

    def __call__(self, text: Text, event_type: str) -> None:
        self.stream.sms_final(text, event_type, self)

    #: The text's outbox status after the carrier's final outcome: Pinpoint's.
    entry = staticmethod(text_entry)


class SmsChannel(GatewayCore):
    """Sends a project's texts through the End User Messaging engine of its account and Region."""

    def _sms(self, message: Outgoing) -> Result:
        settings = message.settings
        channel = self.project.channels.get("SMS") or {}
        number = settings.get("OriginationNumber") or channel.get("ShortCode")
        sender_id = settings.get("SenderId") or channel.get("SenderId")
        sms = self.sms
        stream = self.stream
        kept = _TextWatcher.watching(stream, message)
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
                    on_final=kept,
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

    def _sms_many(self, messages: Sequence[Outgoing]) -> list[Result]:
        """Sends a run of text messages in order; returns their results.

        The run shares one ``TextRun`` (one instant: on a live clock each text is sent on its
        own). Its addresses are read as one column; what its messages share (their settings,
        route, context) is worked out once for each run of messages that share it. A text the
        run cannot take as it is (an address or route to work out the long way, a keyword, a
        pool, a refusal of any kind) goes through ``_sms``, in its place in the run.
        """
        sms = self.sms
        if sms.clock.mode != "manual":
            return [deliver_one(self._sms, message) for message in messages]
        app_id = self.project.app_id
        behalf = {"app_id": app_id, "endpoint_id": None, "channel_type": "SMS", "context": None}
        run = sms.text_run("pinpoint", behalf)
        send, checked = run.send_for, bool(run.checks)
        channel = self.project.channels.get("SMS") or {}
        short_code, channel_sender = channel.get("ShortCode"), channel.get("SenderId")
        stream, origins = self.stream, self._origins
        recorded, sms_sent = self.recorded, self.project.sms_sent
        # the project's ``sms_sent`` entries of the run's texts, entered with the run's own
        sent_to: list[str] = []
        sent_as: list[tuple[str, str | None]] = []
        to_append, as_append = sent_to.append, sent_as.append

        def flush() -> None:
            run.flush()
            if sent_to:
                sms_sent.set_many(sent_to, sent_as)
                sent_to.clear()
                sent_as.clear()

        def one(message: Outgoing) -> Result:
            """``message`` through ``_sms``, after the entries of the texts before it."""
            flush()
            return deliver_one(self._sms, message)

        buffered = stream.sms_event
        accepted, new = _ACCEPTED, object.__new__
        read = parse_new_e164_many(
            [message.recipient.address for message in messages], "DestinationPhoneNumber"
        )
        results: list[Result] = []
        # what the last message had: its context and template key, settings and route
        last_context: object = None
        context_key: tuple[tuple[str, str], ...] | None = None
        kept_context: dict[str, str] = {}
        last_settings: object = None
        number = sender_id = keyword = None
        message_type = "TRANSACTIONAL"
        last_country, route = "", cast(Any, None)  # set with ``last_country``
        try:
            for message, parsed in zip(messages, read, strict=True):
                settings, recipient = message.settings, message.recipient
                if settings is not last_settings:
                    last_settings, last_country = settings, ""
                    number = settings.get("OriginationNumber") or short_code
                    sender_id = settings.get("SenderId") or channel_sender
                    message_type = settings.get("MessageType") or "TRANSACTIONAL"
                    keyword = settings.get("Keyword")
                address = recipient.address
                if parsed is None:  # the parser's reading, or its error through ``_sms``
                    try:
                        parsed = parse_new_e164(address, "DestinationPhoneNumber")
                    except Exception:
                        parsed = None
                if parsed is None or keyword is not None or recipient.channel != "SMS":
                    results.append(one(message))  # the one-message path decides
                    continue
                destination, country = parsed
                if country != last_country:
                    key = (number or country, number, sender_id)
                    route = origins.get(key)
                    if route is None:
                        try:
                            route = choose_origination(
                                sms, recipient.address, number=number, sender_id=sender_id
                            )
                        except Exception:  # the one-message path gives the error its result
                            results.append(one(message))
                            continue
                        origins[key] = route
                    last_country = country
                endpoint_id, context = recipient.endpoint_id, message.context
                if context is not last_context:  # a request's messages mostly share theirs
                    last_context, context_key = context, context_key_of(context)
                    # the texts' own: a plain dict (``send_for`` keeps it as it is)
                    kept_context = context if type(context) is dict else dict(context)
                # ``_TextWatcher``'s own; the country of an address written as E.164 already
                kept: _TextWatcher = _TextWatcher.keyed(  # type: ignore[assignment]
                    endpoint_id or address,
                    address,
                    message.title,
                    context,
                    context_key,
                    country if destination == address else None,
                )
                kept.stream = stream
                try:
                    if checked:  # a check may write entries: inside the hand-off, as in ``_sms``
                        with self._acting(message) as acting:
                            try:
                                text = send(
                                    endpoint_id,
                                    destination,
                                    country,
                                    message.body,
                                    route,
                                    message_type,
                                    kept_context,
                                    kept,
                                )
                            except SmsError as error:
                                results.append(self._sms_refused(acting, message, error))
                                continue
                    else:
                        text = send(
                            endpoint_id,
                            destination,
                            country,
                            message.body,
                            route,
                            message_type,
                            kept_context,
                            kept,
                        )
                    if text is None:  # refused, or a pool: the one-message path decides
                        results.append(one(message))
                        continue
                    recorded.add(id(recipient))
                    message_id = text.message_id
                    to_append(destination)
                    as_append((message_id, endpoint_id))
                    buffered("_SMS.BUFFERED", text, kept, "PENDING")
                except Exception as error:  # a channel's own failure, reported per recipient
                    results.append(Result(recipient, "UNKNOWN_FAILURE", 500, str(error)))
                    continue
                result: Result = new(Result)  # ``Result(recipient, "SUCCESSFUL", ..., message_id)``
                fields = result.__dict__  # its own (empty) dict, filled in ``__init__``'s order
                fields.update(accepted)
                fields["recipient"], fields["message_id"] = recipient, message_id
                results.append(result)
        finally:  # the run's entries so far, whatever happened
            flush()
        return results
