"""Text sends: the checks a send passes, the outbox entry, the events, the carrier's outcome."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from types import FunctionType
from typing import TYPE_CHECKING, Any

from simlab.engage.outbox_messages import OutboxMessage
from simlab.engage.sms.account import Account
from simlab.engage.sms.common import checked_request
from simlab.engage.sms.constants import ENCODING_NAMES, SERVICE
from simlab.engage.sms.core import pair
from simlab.engage.sms.errors import (
    ConflictError,
    QuotaError,
    ThrottledError,
    ValidationError,
)
from simlab.engage.sms.events import Events
from simlab.engage.sms.records import Message, PhoneNumber, Pool, SenderId
from simlab.engage.sms.text_runs import (
    _STATUSES,
    TextRun,
    event_of,
    status_of,
    text_parts,
    text_price,
)
from simlab.facts import sms
from simlab.primitives.rates import TokenBucket

#: The last time ``_month`` was asked about, and its answer (the clock hands out one datetime
#: per simulated instant, and a campaign's texts share a few).
_LAST_MONTH: tuple[datetime | None, str] = (None, "")


def _month(moment: datetime) -> str:
    """``f"{moment:%Y-%m}"``, without ``strftime``, worked out once per instant."""
    global _LAST_MONTH
    last = _LAST_MONTH
    if last[0] is not moment:
        last = _LAST_MONTH = (moment, f"{moment.year}-{moment.month:02d}")
    return last[1]


#: ``entry(status, {"event_type": event_type})`` of a plain function ``entry`` (a watcher's
#: static method), by ``(entry, event_type)``: each asked once.
_ENTRIES: dict[tuple[Callable[..., Any], str], tuple[str, dict[str, Any]]] = {}


def _entry_of(entry: Callable[..., Any], event_type: str) -> tuple[str, dict[str, Any]]:
    """The outbox status and detail ``entry`` gives a text's final ``event_type`` (the
    detail is unpacked into ``update_status``'s arguments: nothing writes to it)."""
    key = (entry, event_type)
    found = _ENTRIES.get(key)
    if found is None:
        found = entry(status_of(event_type), {"event_type": event_type})
        if type(entry) is FunctionType:  # not a method bound to one text's watcher
            _ENTRIES[key] = found
    return found


def _sends_to(chosen: PhoneNumber | SenderId | Pool, country: str) -> bool:
    """Whether ``chosen`` is a single identity able to text ``country`` (``_pick_identity``
    would return it as it is)."""
    return (
        not isinstance(chosen, Pool)
        and "SMS" in chosen.capabilities
        and (chosen.iso_country == country or chosen.international_sending)
    )


class Sending(Account, Events):
    """Sends texts and records what becomes of them."""

    if TYPE_CHECKING:  # the engine's opt-out lists (``KeywordsAndOptOuts``) answer this

        def is_opted_out(self, list_name: str, number: str) -> bool: ...

    def _charge(self, kind: str, price: float, month: str) -> None:
        limit = self.spend_limit(kind)
        spent = self.spent.get((kind, month), 0.0)
        if spent + price > limit + 1e-12:
            raise QuotaError(
                f"this message ({price:.5f} USD) would take {kind.lower()} spend this month past "
                f"its limit of {limit:g} USD ({spent:.5f} USD spent); raise it with "
                f"Set{kind.title()}MessageSpendLimitOverride",
                reason=f"MONTHLY_SPEND_LIMIT_REACHED_FOR_{kind}",
            )

    def _refuse(
        self, channel: str, category: str, origin: str, destination: str, body: str
    ) -> None:
        """Counts a send AWS refused (opted out, throttled) so every attempt adds up."""
        self.refused[(channel, category)] = self.refused.get((channel, category), 0) + 1
        self.outbox.add(
            OutboxMessage(
                channel=channel,
                service=SERVICE,
                origin=origin,
                destination=destination,
                body=body,
                message_id="",
                sent_at=self.clock.now(),
                status=category,
                detail={"accepted": False},
            )
        )

    def text_run(
        self, service: str | None = None, behalf: Mapping[str, Any] | None = None
    ) -> TextRun:
        """Texts sent now as one run, each as ``send_text_message`` sends it (see ``TextRun``);
        their outbox entries are written for ``service`` if given, ``behalf`` of its
        ``send_for``."""
        return TextRun(self, service, behalf)

    def send_text_message(
        self,
        destination: str,
        body: str,
        *,
        origination_identity: str | None = None,
        message_type: str | None = None,
        configuration_set: str | None = None,
        max_price: str | None = None,
        ttl: int | None = None,
        context: Mapping[str, str] | None = None,
        dry_run: bool = False,
        keyword: str | None = None,
        route: PhoneNumber | SenderId | Pool | None = None,
        on_final: Callable[[Message, str], None] | None = None,
    ) -> str:
        """Sends a text; returns its MessageId. Raises the error AWS would answer.

        ``route`` is an origination record already chosen by the caller (Pinpoint's own
        choice, or a ``shared_route``); ``on_final(message, event_type)`` is called when the
        carrier's final outcome arrives. An ``on_final`` with an ``entry(status, detail)``
        method decides the outbox status and detail the final outcome gives the message's
        entry (the carrier's ``status`` and ``detail`` in, the ones written out; the same
        answer for the same arguments, so that it is asked once per event type).
        """
        destination, country = checked_request(destination, body)
        config = self.configuration_set(configuration_set) if configuration_set else None
        if route is not None:
            chosen: PhoneNumber | SenderId | Pool = route
        elif origination_identity:
            chosen = self.origination(origination_identity)
        else:
            chosen = self._default_identity(destination, config, "SMS")
        parts = text_parts(body)
        now = self.clock.seconds
        if _sends_to(chosen, country):  # a single identity that can: it is the one
            identity: PhoneNumber | SenderId = chosen  # type: ignore[assignment]
            # brought up to now, as ``_pick_identity`` does, so a send refused below leaves
            # the bucket as it always has
            mps = self.mps.bucket(identity.arn, identity.number_type, identity.iso_country, now=now)
            mps.available(now)
        else:  # a pool picks a member with MPS to spare; anything else raises the error
            identity, _ = self._pick_identity(chosen, destination, "SMS", parts.parts)
        for check in self.send_checks:
            check(identity, destination, "SMS", config)
        message_type = message_type or (config.default_message_type if config else None)
        message_type = message_type or "TRANSACTIONAL"
        price = text_price(parts.parts)
        if max_price is not None and price > float(max_price):
            raise ValidationError(
                f"the message costs {price:.5f} USD ({parts.parts} parts), above MaxPrice "
                f"{max_price}",
                reason="PRICE_OVER_THRESHOLD",
                field="MaxPrice",
            )
        settings = self.settings_of(identity)
        origin = identity.identity
        if self.is_opted_out(settings.opt_out_list_name, destination):
            self._refuse("SMS", "OPTED_OUT", origin, destination, body)
            raise ConflictError(
                f"{destination} has opted out of messages from {origin} (opt-out list "
                f"{settings.opt_out_list_name})",
                reason="DESTINATION_PHONE_NUMBER_OPTED_OUT",
                resource_type="opted-out-number",
                resource_id=destination,
            )
        self._check_sandbox(destination)
        if dry_run:
            bucket = self._dry_runs.setdefault(
                identity.arn, TokenBucket(sms.DRY_RUN_MPS.value, sms.DRY_RUN_MPS.value, now=now)
            )
            if not bucket.try_take(now, min(parts.parts, bucket.burst)):
                raise ThrottledError(
                    f"DryRun sends are limited to {sms.DRY_RUN_MPS.value} message parts per second"
                )
            return self.new_id()
        moment = self.clock.now()
        month = _month(moment)
        self._charge("TEXT", price, month)
        if not self.mps.try_send(
            identity.arn, identity.number_type, identity.iso_country, parts.parts, now
        ):
            self._refuse("SMS", "THROTTLED", origin, destination, body)
            rate = self.mps.rate_of(identity.number_type, identity.iso_country)
            wait = self.mps.wait_time(
                identity.arn, identity.number_type, identity.iso_country, parts.parts, now
            )
            raise ThrottledError(
                f"{origin} ({identity.number_type}) sends {rate:g} message parts per second; "
                f"this {parts.parts}-part message exceeds it — retry after "
                f"{wait:.2f} s"
            )
        self.spent[("TEXT", month)] = self.spent.get(("TEXT", month), 0.0) + price
        message = Message(
            message_id=self.new_id(),
            channel="SMS",
            origin=origin,
            destination=destination,
            body=body,
            message_type=message_type,
            requested_at=moment,
            parts=parts.parts,
            encoding=ENCODING_NAMES[parts.encoding],
            price=price,
            context=dict(context or {}),
            configuration_set=config.name if config else None,
            international=identity.iso_country != country,
            on_final=on_final,
        )
        self._accept(message, keyword=keyword)
        self._emit(message, "TEXT_QUEUED")
        self._emit(message, "TEXT_PENDING")
        self._schedule_text_outcome(message, ttl)
        return message.message_id

    def _accept(self, message: Message, **detail: Any) -> None:
        self.messages[message.message_id] = message
        self._last_outbound[pair(message.origin, message.destination)] = message.message_id
        self.outbox.add(
            OutboxMessage(
                channel=message.channel,
                service=SERVICE,
                origin=message.origin,
                destination=message.destination,
                body=message.body,
                message_id=message.message_id,
                sent_at=message.requested_at,
                status="PENDING",
                detail={
                    "accepted": True,
                    "parts": message.parts,
                    "encoding": message.encoding,
                    "price": message.price,
                    "message_type": message.message_type,
                    "configuration_set": message.configuration_set,
                    "context": message.context,
                    **{k: v for k, v in detail.items() if v is not None},
                },
            )
        )

    def _schedule_text_outcome(self, message: Message, ttl: int | None) -> None:
        outcome, latency = self.carrier.text_outcome(
            self.rng("sms.carrier"), message.destination, ttl
        )
        if (message.origin, message.destination) in self.carrier_opt_outs:
            outcome = "CARRIER_BLOCKED"  # the customer texted STOP to this toll-free number
        self.clock.call_later(latency, self._finish, message, event_of(outcome))

    def _finish(self, message: Message, event_type: str) -> None:
        on_final = message.on_final
        entry = getattr(on_final, "entry", None)
        if entry is None:
            self.outbox.set_status(message.message_id, status_of(event_type), event_type=event_type)
        else:  # the entry stands for another service's message: its status, in one change
            found = _ENTRIES.get((entry, event_type))  # ``_entry_of``'s answer, when it has one
            status, detail = found if found is not None else _entry_of(entry, event_type)
            self.outbox.set_status_to(message.message_id, status, detail)
        if message.configuration_set is None:  # ``_emit``'s work for a text with no records
            message.trail.append((event_type, self.clock.timestamp_ms(), True))
            status = _STATUSES.get(event_type) or status_of(event_type)  # kept: no call
            message.status, message.final = status, True
        else:
            self._emit(message, event_type, final=True)
        if on_final is not None:
            message.on_final = None  # called once; keep nothing alive
            on_final(message, event_type)
