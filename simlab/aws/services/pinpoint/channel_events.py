"""Pinpoint's ``_email.*`` and ``_SMS.*`` stream records of a sent message, and its outbox status.

A message's carrier reports later (SES's delivery, bounce, open; the text's carrier receipt);
``ChannelEvents`` turns each report into the project's stream record and the outbox status, from
a ``SentMessage`` that keeps only what those records need.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from simlab.engage import event_records
from simlab.engage.record_templates import RecordTemplate
from simlab.engage.sends import Outgoing, destination_country
from simlab.engage.sms import Message as Text
from simlab.engage.sms.text_runs import status_of

if TYPE_CHECKING:
    from simlab.aws.services.pinpoint.models import Project

#: Pinpoint's outbox status after each SES event of an email (a complaint follows a delivery).
SES_STATUS = {
    "Delivery": "DELIVERED",
    "Complaint": "DELIVERED",
    "DeliveryDelay": "PENDING",
    "Bounce": "FAILED",
    "Reject": "FAILED",
}
#: The ``_email.*`` record of each SES event of an email.
SES_EVENT = {
    "Delivery": "_email.delivered",
    "Reject": "_email.rejected",
    "Complaint": "_email.complaint",
    "Open": "_email.open",
    "Click": "_email.click",
}
#: The final SMS record statuses that mean the text arrived.
DELIVERED_TEXT = frozenset(("DELIVERED", "SUCCESSFUL"))
#: The holes of the ``_email.send`` and ``_SMS.BUFFERED`` templates (the rest is per request).
_EMAIL_HOLES = ("endpoint_id", "message_id", "destination", "subject")
_EMAIL_NUMBERS = ("send_timestamp", "arrival_timestamp")
_SMS_HOLES = (
    "endpoint_id",
    "message_id",
    "origination_phone_number",
    "destination_phone_number",
    "iso_country_code",
)
#: A text's record happens and arrives at one instant: its two timestamps are one hole.
_SMS_NUMBERS = ("number_of_message_parts", "stamp")
_SMS_PRICE = ("price_in_millicents_usd",)
#: The holes whose value is mostly the very one of the record before (``RecordTemplate``'s
#: ``repeated``): a run's subject, SES's words and send instant, and the instant of a run's
#: records as it sends them; a run's origination number, destination country, parts, send
#: instant and price.
_EMAIL_REPEATED = ("subject", "smtp_response", "reporting_mta", "send_timestamp")
_SENT_REPEATED = (*_EMAIL_REPEATED, "arrival_timestamp")
_SMS_REPEATED = ("origination_phone_number", "iso_country_code", *_SMS_NUMBERS, *_SMS_PRICE)
#: SES's message ids are 60 characters long: ``RecordTemplate``'s ``long`` writes them in fewer
#: steps (a text's 36-character id is cheaper escaped by ``json``).
_EMAIL_LONG = ("message_id",)
#: The SES detail a Pinpoint ``_email.delivered`` record shows, and that record's holes.
_DELIVERY_DETAIL = frozenset(("smtp_response", "reporting_mta"))
_DELIVERED_HOLES = (
    *_EMAIL_HOLES,
    *_EMAIL_NUMBERS,
    "smtp_response",
    "reporting_mta",
    "processing_time_millis",
)
#: A text's final event type -> (its ``_SMS.*`` record type, its record status), each found once.
_FINAL_RECORDS: dict[str, tuple[str, str]] = {}
#: Templates an app keeps before it starts over (each context, e.g. a campaign run, has its own).
_TEMPLATES_KEPT = 256


#: Context keys in use, each kept once: the messages of a campaign run share one.
_CONTEXT_KEYS: dict[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]] = {}
_CONTEXT_KEYS_KEPT = 1024


def _context_key(context: Mapping[str, Any]) -> tuple[tuple[str, str], ...] | None:
    """The context's items, shared with every equal context's, or None if a value is no
    string (its records cannot share a template)."""
    items = tuple(context.items())
    try:
        kept = _CONTEXT_KEYS.get(items)
    except TypeError:  # a value that cannot be hashed is no string
        return None
    if kept is not None:  # kept keys hold strings only, and nothing else equals one
        return kept
    for _, value in items:
        if not isinstance(value, str):
            return None
    if len(_CONTEXT_KEYS) >= _CONTEXT_KEYS_KEPT:
        _CONTEXT_KEYS.clear()
    _CONTEXT_KEYS[items] = items
    return items


class SentMessage:
    """What a message's later events need of it, kept while its carrier may still report.

    The carrier holds on to it (an SES watcher, a text's final-receipt callback) for as long
    as it keeps the message, so it holds no more than the records need: a context of strings
    is kept as its ``context_key``, the items every message with an equal context shares.
    """

    __slots__ = ("endpoint_id", "address", "title", "context_key", "_context", "country")

    def __init__(
        self,
        endpoint_id: str,
        address: str,
        title: str,
        context: Mapping[str, str],
        country: str | None = None,
    ) -> None:
        self.endpoint_id = endpoint_id
        self.address = address
        self.title = title
        #: the key of the message's record templates; None if a context value is no string
        self.context_key = _context_key(context)
        self._context = context if self.context_key is None else None
        #: a text's destination country, if the sender has worked it out (records show it)
        self.country = country

    @property
    def context(self) -> Mapping[str, str]:
        """The message's ``Context``, as it was sent."""
        return dict(self.context_key or ()) if self._context is None else self._context

    @classmethod
    def of(cls, message: Outgoing) -> SentMessage:
        """What the records of ``message`` need of it (``__init__`` in one step)."""
        recipient = message.recipient
        sent = cls.__new__(cls)
        sent.endpoint_id = recipient.endpoint_id or recipient.address
        sent.address = recipient.address
        sent.title = message.title
        context = message.context
        sent.context_key = key = _context_key(context)
        sent._context = context if key is None else None
        sent.country = None
        return sent

    @classmethod
    def keyed(
        cls,
        endpoint_id: str,
        address: str,
        title: str,
        context: Mapping[str, str],
        context_key: tuple[tuple[str, str], ...] | None,
        country: str | None = None,
    ) -> SentMessage:
        """``__init__`` with the context's key at hand (``context_key_of(context)``)."""
        sent = cls.__new__(cls)
        sent.endpoint_id = endpoint_id
        sent.address = address
        sent.title = title
        sent.context_key = context_key
        sent._context = context if context_key is None else None
        sent.country = country
        return sent


#: The template key of a message with a context (``SentMessage.context_key``).
context_key_of = _context_key


def _sms_shape(*, stamp: int, **fields: Any) -> dict[str, Any]:
    """``sms_record`` of a text's event, which happens and arrives at the instant ``stamp``."""
    return event_records.sms_record(**fields, event_timestamp=stamp, arrival_timestamp=stamp)


class ChannelEvents:
    """A project's ``_email.*`` and ``_SMS.*`` records and the outbox statuses they imply.

    One serves one request's messages and their later events: the record templates those
    messages use are kept on it as well as on the project, so a record of a run of messages
    with one context finds its template by identity rather than by a key made and hashed per
    record.
    """

    __slots__ = ("project", "state", "_clock", "_fills", "_price", "_types")

    def __init__(self, project: Project, state: Any) -> None:
        self.project = project
        self.state = state
        #: the local AWS's clock now; a message's later events run on the clock that sent it
        self._clock = state.clock
        #: the last record template of each kind (an email record's type, an SMS record's
        #: status) -> (its key, its ``fill_args``; an SMS one's text message type too)
        self._fills: dict[Any, tuple[Any, ...]] = {}
        #: (a text's price, that price in millicents as records show it), of the last text
        self._price: tuple[float, float] = (0.0, 0.0)
        #: message type -> as records write it (``PROMOTIONAL`` -> ``Promotional``)
        self._types: dict[str, str] = {}

    def ses_event(
        self, kind: str, detail: dict[str, Any], email: dict[str, Any], sent: SentMessage
    ) -> None:
        """One SES event of a Pinpoint email: its ``_email.*`` record. SES writes the outbox
        status that goes with it (``ses_entry``) as it writes its own."""
        event_type = SES_EVENT.get(kind)
        shown: dict[str, Any] = {}
        feedback = None
        if kind == "Bounce":
            permanent = detail.get("bounceType") != "Transient"
            event_type = "_email.hardbounce" if permanent else "_email.softbounce"
            shown = {
                "bounce_type": detail.get("bounceType", ""),
                "bounce_sub_type": detail.get("bounceSubType", ""),
            }
        elif kind == "Delivery":
            smtp, mta = detail.get("smtpResponse", ""), detail.get("reportingMTA", "")
            if isinstance(smtp, str) and isinstance(mta, str) and sent.context_key is not None:
                self.ses_delivered(email, sent, smtp, mta)  # ``email_event`` without the dict
                return
            shown = {
                "smtp_response": detail.get("smtpResponse", ""),
                "reporting_mta": detail.get("reportingMTA", ""),
            }
        elif kind in ("Open", "Click"):
            shown = {"ip_address": detail.get("ipAddress"), "user_agent": detail.get("userAgent")}
            feedback = detail.get("link") if kind == "Click" else None
        if event_type is not None:
            self.email_event(event_type, email, sent, shown, feedback)

    def email_sent(self, email: dict[str, Any], sent: SentMessage) -> None:
        """``email_event`` of the ``_email.send`` record of ``email``."""
        project = self.project
        if project.app.event_stream is None:
            return
        context_key = sent.context_key
        if context_key is None:
            self.email_event("_email.send", email, sent)
            return
        sender = email["sender"]
        kept = self._fills.get("_email.send")  # ``_email_fill``, its kept template written out
        if kept is not None and (key := kept[0])[3] is context_key and key[2] == sender:
            fill = kept[1]
        else:
            fill = self._email_fill("_email.send", sender, context_key, False)
        endpoint_id = sent.endpoint_id
        record = fill(
            endpoint_id,
            email["id"],
            sent.address,
            sent.title,
            email["send_ms"],
            self._clock.timestamp_ms(),
        )
        project.emit_text("_email.send", endpoint_id, record)

    def ses_delivered(self, email: dict[str, Any], sent: SentMessage, smtp: str, mta: str) -> None:
        """``ses_event`` of a Delivery whose SES record shows ``smtp`` as its SMTP response and
        ``mta`` as its reporting MTA (the record itself need not be built): the
        ``_email.delivered`` record, from the template of the message's context."""
        context_key = sent.context_key
        if context_key is None:  # no template: the record is built
            self.ses_event("Delivery", {"smtpResponse": smtp, "reportingMTA": mta}, email, sent)
            return
        project = self.project
        if project.app.event_stream is None:
            return
        sender = email["sender"]
        kept = self._fills.get("_email.delivered")  # ``_email_fill``'s kept template
        if kept is not None and (key := kept[0])[3] is context_key and key[2] == sender:
            fill = kept[1]
        else:
            fill = self._email_fill("_email.delivered", sender, context_key, True)
        now, send_ms = self._clock.timestamp_ms(), email["send_ms"]
        record = fill(
            sent.endpoint_id,
            email["id"],
            sent.address,
            sent.title,
            send_ms,
            now,
            smtp,
            mta,
            now - send_ms,
        )
        project.emit_text("_email.delivered", sent.endpoint_id, record)

    #: ``ses_delivered`` (of a message whose context has a template key, as it was called)
    _delivered = ses_delivered

    def sms_final(self, text: Text, event_type: str, sent: SentMessage) -> None:
        """The carrier's final word on a Pinpoint text: its record. The engine writes the
        outbox status that goes with it (``text_entry``) as it writes its own."""
        final = _FINAL_RECORDS.get(event_type)
        if final is None:
            status = status_of(event_type)
            delivered = status in DELIVERED_TEXT
            final = ("_SMS.SUCCESS" if delivered else "_SMS.FAILURE", status)
            if len(_FINAL_RECORDS) < _CONTEXT_KEYS_KEPT:  # an engine's few event types
                _FINAL_RECORDS[event_type] = final
        self.sms_event(final[0], text, sent, final[1])

    def email_event(
        self,
        event_type: str,
        email: dict[str, Any],
        sent: SentMessage,
        detail: dict[str, Any] | None = None,
        feedback: str | None = None,
    ) -> None:
        """Streams an ``_email.*`` record of ``email`` (``id``, ``sender``, ``send_ms``)."""
        project = self.project
        if project.app.event_stream is None:
            return
        context_key = sent.context_key
        if feedback is None and context_key is not None:
            if detail is None:
                if event_type == "_email.send":
                    fill = self._email_fill(event_type, email["sender"], context_key, False)
                    record = fill(
                        sent.endpoint_id,
                        email["id"],
                        sent.address,
                        sent.title,
                        email["send_ms"],
                        self._clock.timestamp_ms(),
                    )
                    project.emit_text(event_type, sent.endpoint_id, record)
                    return
            elif (
                event_type == "_email.delivered"
                and detail.keys() == _DELIVERY_DETAIL
                and isinstance(smtp := detail["smtp_response"], str)
                and isinstance(mta := detail["reporting_mta"], str)
            ):
                self.ses_delivered(email, sent, smtp, mta)
                return
        project.emit(
            event_records.email_record(
                event_type,
                app_id=project.app_id,
                account_id=project.account_id,
                endpoint_id=sent.endpoint_id,
                message_id=email["id"],
                from_address=email["sender"],
                destination=sent.address,
                subject=sent.title,
                send_timestamp=email["send_ms"],
                arrival_timestamp=self._clock.timestamp_ms(),
                feedback=feedback,
                detail=detail,
                context=sent.context,
            )
        )

    def sms_event(self, event_type: str, text: Text, sent: SentMessage, status: str) -> None:
        """Streams an ``_SMS.*`` record of ``text`` with ``status`` as its record status."""
        project = self.project
        if project.app.event_stream is None:
            return
        now = self._clock.timestamp_ms()
        country = sent.country or destination_country(text.destination)
        kind = text.message_type
        buffered = event_type == "_SMS.BUFFERED"
        if buffered:
            price = None
        else:  # ``_millicents``, its kept price written out
            price = text.price
            kept_price = self._price
            price = kept_price[1] if price == kept_price[0] and price else self._millicents(price)
        context_key = sent.context_key
        parts = text.parts
        if context_key is not None and parts >= 1:
            # ``_sms_fill``, its kept template of the kind written out
            kept = self._fills.get(status)
            if (
                kept is not None
                and kept[2] == kind
                and (key := kept[0])[4] is context_key
                and key[1] == event_type
            ):
                fill = kept[1]
            else:
                fill = self._sms_fill(event_type, status, kind, context_key, buffered)
            endpoint_id, message_id = sent.endpoint_id, text.message_id
            origin, destination = text.origin, text.destination
            if buffered:  # a template without the price's hole
                record = fill(endpoint_id, message_id, origin, destination, country, parts, now)
            else:
                record = fill(
                    endpoint_id, message_id, origin, destination, country, parts, now, price
                )
            project.emit_text(event_type, endpoint_id, record)
            return
        project.emit(
            event_records.sms_record(
                event_type,
                app_id=project.app_id,
                account_id=project.account_id,
                endpoint_id=sent.endpoint_id,
                message_id=text.message_id,
                origination_phone_number=text.origin,
                destination_phone_number=text.destination,
                record_status=status,
                iso_country_code=country,
                number_of_message_parts=text.parts,
                message_type=self._message_type(kind),
                event_timestamp=now,
                arrival_timestamp=now,
                price_in_millicents_usd=price,
                context=sent.context,
            )
        )

    def _message_type(self, kind: str) -> str:
        """A text's message type as records write it (``PROMOTIONAL``: ``Promotional``)."""
        message_type = self._types.get(kind)
        if message_type is None:
            message_type = self._types[kind] = kind.title()
        return message_type

    def _millicents(self, price: float) -> float:
        """A text's price (USD) as its records show it: millicents to three places. The last
        price is kept: the texts of a run mostly cost the same (zero is worked out each time,
        as it has two signs that compare equal)."""
        last, shown = self._price
        if price == last and price:
            return shown
        shown = round(price * 100_000, 3)
        self._price = (price, shown)
        return shown

    def _email_fill(
        self, event_type: str, sender: str, context_key: tuple[Any, ...], delivered: bool
    ) -> Any:
        """The ``fill_args`` of the app's template for ``event_type`` records from ``sender``
        with the context ``context_key``: this object's last one of the kind if it is the
        same, else the project's (made if it has none)."""
        kept = self._fills.get(event_type)
        if kept is not None:
            key = kept[0]
            if key[3] is context_key and key[2] == sender:
                return kept[1]
        key = ("email", event_type, sender, context_key)
        template = self.project.record_templates.get(key)
        if template is None:
            project = self.project
            template = self._keep(
                key,
                RecordTemplate(
                    event_records.email_delivered_record
                    if delivered
                    else event_records.email_record,
                    {
                        "event_type": event_type,
                        "app_id": project.app_id,
                        "account_id": project.account_id,
                        "from_address": sender,
                        "context": dict(context_key),
                    },
                    _DELIVERED_HOLES if delivered else _EMAIL_HOLES + _EMAIL_NUMBERS,
                    (*_EMAIL_NUMBERS, "processing_time_millis"),
                    repeated=_EMAIL_REPEATED if delivered else _SENT_REPEATED,
                    long=_EMAIL_LONG,
                ),
            )
        self._fills[event_type] = (key, template.fill_args)
        return template.fill_args

    def _sms_fill(
        self,
        event_type: str,
        status: str,
        kind: str,
        context_key: tuple[Any, ...],
        buffered: bool,
    ) -> Any:
        """``_email_fill`` of the app's ``_SMS.*`` template for these fixed values (``kind``:
        the texts' message type)."""
        kept = self._fills.get(status)
        if kept is not None:
            key = kept[0]
            if kept[2] == kind and key[4] is context_key and key[1] == event_type:
                return kept[1]
        message_type = self._message_type(kind)
        key = ("sms", event_type, status, message_type, context_key)
        template = self.project.record_templates.get(key)
        if template is None:
            project = self.project
            template = self._keep(
                key,
                RecordTemplate(
                    _sms_shape,
                    {
                        "event_type": event_type,
                        "app_id": project.app_id,
                        "account_id": project.account_id,
                        "record_status": status,
                        "message_type": message_type,
                        "context": dict(context_key),
                    },
                    _SMS_HOLES + _SMS_NUMBERS + (() if buffered else _SMS_PRICE),
                    _SMS_NUMBERS,
                    () if buffered else _SMS_PRICE,
                    _SMS_REPEATED,
                ),
            )
        self._fills[status] = (key, template.fill_args, kind)
        return template.fill_args

    def _keep(self, key: tuple[Any, ...], template: RecordTemplate) -> RecordTemplate:
        """Keeps the app's template for records of ``key`` (a context per request: the kept
        templates start over when there are too many)."""
        templates = self.project.record_templates
        if len(templates) >= _TEMPLATES_KEPT:
            templates.clear()
        templates[key] = template
        return template


def ses_entry(kind: str, status: str, detail: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The outbox status and detail of a Pinpoint email after an SES ``kind`` event that gives
    its entry ``status`` and ``detail``: Pinpoint's status (``SES_STATUS``), SES's event in
    ``carrier_status``; unchanged for an event that changes no Pinpoint status."""
    pinpoint = SES_STATUS.get(kind)
    if pinpoint is None:
        return status, detail
    return pinpoint, {**detail, "carrier_status": kind.upper()}


def text_entry(status: str, detail: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The outbox status and detail of a Pinpoint text whose carrier's final ``status`` gives
    its entry ``detail``: ``DELIVERED`` or ``FAILED``, the carrier's in ``carrier_status``."""
    pinpoint = "DELIVERED" if status in DELIVERED_TEXT else "FAILED"
    return pinpoint, {**detail, "carrier_status": status}
