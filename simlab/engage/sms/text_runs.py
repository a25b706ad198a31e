"""A run of texts sent at one simulated instant (one Pinpoint request, one campaign chunk).

``TextRun`` works out once what every text of the run shares (the clock's instant, its month,
the spend limit, the sandbox's verified numbers, the carrier's odds) and, per origination
identity and body, what every text from that identity or with that body shares (the MPS
bucket, the opt-out list, parts and price, the outbox detail that does not vary). Each text
then costs only what differs: its own checks, its id, its entries and its carrier outcome,
drawn in the order ``Sending.send_text_message`` draws them.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from simlab.engage.sms.carrier import CarrierModel
from simlab.engage.sms.constants import ENCODING_NAMES, SERVICE
from simlab.engage.sms.core import pairs
from simlab.engage.sms.draws import UNIT, raw_words, uniform_draws
from simlab.engage.sms.records import Message, PhoneNumber, Pool, SenderId
from simlab.facts import prices, sms
from simlab.primitives.rates import TokenBucket
from simlab.primitives.sms_parts import Parts, count_parts

if TYPE_CHECKING:
    from simlab.engage.sms.sending import Sending

#: Bodies whose parts are remembered: a campaign sends one text (or a few) many times.
_PARTS_KEPT = 1024
#: The event type of each carrier outcome (``DELIVERED``: ``TEXT_DELIVERED`` ...).
_EVENTS: dict[str, str] = {}
#: The status each event type gives a message (``TEXT_DELIVERED``: ``DELIVERED``).
_STATUSES: dict[str, str] = {}
#: The event of a text the carrier blocks after its customer's STOP.
_BLOCKED = "TEXT_CARRIER_BLOCKED"


@functools.lru_cache(maxsize=_PARTS_KEPT)
def text_parts(body: str) -> Parts:
    """The parts and encoding of a text with ``body``."""
    return count_parts(body)


@functools.cache
def text_price(parts: int) -> float:
    """What a text of ``parts`` parts costs, in USD (rounded as AWS reports it)."""
    return round(parts * prices.SMS_EXAMPLE_PRICE_US_2019.value, 5)


def status_of(event_type: str) -> str:
    """``event_type.split("_", 1)[1]`` (``TEXT_DELIVERED``: ``DELIVERED``), each found once."""
    status = _STATUSES.get(event_type)
    if status is None:
        status = _STATUSES[event_type] = event_type.split("_", 1)[1]
    return status


def event_of(outcome: str) -> str:
    """``f"TEXT_{outcome}"``, each made once."""
    event = _EVENTS.get(outcome)
    if event is None:
        event = _EVENTS[outcome] = f"TEXT_{outcome}"
    return event


class _Lane:
    """What the texts of a run sent from one identity to one country share."""

    __slots__ = ("origin", "bucket", "opted_out", "international")

    def __init__(
        self,
        route: PhoneNumber | SenderId,
        bucket: TokenBucket,
        opted_out: Mapping[str, Any],
        international: bool,
    ) -> None:
        self.origin, self.bucket = route.identity, bucket
        self.opted_out, self.international = opted_out, international


class _Body:
    """What the texts of a run with one body and message type share."""

    __slots__ = ("parts", "amount", "price", "encoding", "head", "detail", "_behalf_heads")

    def __init__(self, parts: Parts, message_type: str) -> None:
        self.parts = parts.parts
        self.amount = max(parts.parts, 1)  # the MPS tokens the text takes
        self.price = text_price(parts.parts)
        self.encoding = ENCODING_NAMES[parts.encoding]
        #: the outbox detail's leading fields, as ``Sending._accept`` orders them
        self.head = {
            "accepted": True,
            "parts": self.parts,
            "encoding": self.encoding,
            "price": self.price,
            "message_type": message_type,
            "configuration_set": None,
        }
        #: by the keys of a ``behalf`` detail: the whole detail, every value yet to be set
        self._behalf_heads: dict[tuple[str, ...], dict[str, Any]] = {}
        #: the run's ``behalf_detail``, the text's own values yet to be set (``send_for``)
        self.detail: dict[str, Any] | None = None

    def behalf_detail(self, context: Any, behalf: Mapping[str, Any]) -> dict[str, Any]:
        """``{**head, "context": context, **behalf, "carrier": SERVICE}``, from a copy of a
        dict with those keys in that order (made once for each order of ``behalf``'s keys)."""
        keys = tuple(behalf)
        shaped = self._behalf_heads.get(keys)
        if shaped is None:
            shaped = {**self.head, "context": None, **dict.fromkeys(keys), "carrier": SERVICE}
            self._behalf_heads[keys] = shaped
        detail = shaped.copy()
        detail["context"] = context
        detail.update(behalf)
        detail["carrier"] = SERVICE  # last, whatever ``behalf`` says
        return detail


class TextRun:
    """Sends texts of one run, each exactly as ``Sending.send_text_message`` would.

    Made for one simulated instant: nothing may move the clock between its sends. ``send``
    takes a text from a single identity with no configuration set, TTL, MaxPrice or dry run;
    it returns None, having changed nothing, for a text the one-message path must decide
    (a pool, a blank body, opted out, sandbox, spend limit, MPS), so that the caller sends
    that one with ``send_text_message`` and gets its answer and error. The engine's send
    checks (registrations, protect configurations) run once the others have passed, where a
    one-message send runs them; the error one raises is the text's.
    ``service``, if given, is the service the text's outbox entry is written for, with
    ``behalf`` detail per text, as inside ``Outbox.acting_for(service, **behalf)``.
    ``send_for`` is ``send`` of a text with no keyword whose ``behalf`` detail is the run's
    ``behalf`` with the text's own ``endpoint_id`` and ``context``. The run's texts enter
    the engine's ``messages`` (and its last outbound ids) together, at ``flush``.
    """

    def __init__(
        self, engine: Sending, service: str | None = None, behalf: Mapping[str, Any] | None = None
    ) -> None:
        clock = engine.clock
        self.engine, self.service, self.behalf = engine, service, behalf
        self.now = clock.seconds
        self.moment = clock.now()
        self.timestamp = clock.timestamp_ms()
        self.spend_key = ("TEXT", f"{self.moment.year}-{self.moment.month:02d}")
        self.limit = engine.spend_limit("TEXT") + 1e-12
        self.verified = (
            None
            if engine.tier != "SANDBOXED"
            else {v.number for v in engine.verified.values() if v.status == "VERIFIED"}
        )
        self.checks = tuple(engine.send_checks)
        #: the events every text of the run has had when it is sent (tuples: shared)
        self._queued = ("TEXT_QUEUED", self.timestamp, False)
        self._pending = ("TEXT_PENDING", self.timestamp, False)
        self._lanes: dict[tuple[int, str], _Lane | None] = {}
        self._routes: list[object] = []  # the routes ``_lanes`` knows by id, kept alive
        self._bodies: dict[tuple[str, str], _Body | None] = {}
        self._last: tuple[Any, ...] = (None, "", "", "", None, None)  # see ``send_for``
        self._draw = self._drawer(engine.carrier, engine.rng("sms.carrier"))
        # what each text touches, looked up once
        self._spent, self._new_id = engine.spent, engine.new_id
        self._blocked = engine.carrier_opt_outs
        #: the texts made since the last ``flush``, in order: the engine's entries to come
        self._made: list[Message] = []
        self._keep = self._made.append
        self._add, self._later = engine.outbox.add_row, clock.call_later
        self._finish = engine._finish

    def __enter__(self) -> TextRun:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.flush()

    def flush(self) -> None:
        """Enters the texts made since the last flush in the engine's ``messages`` and its last
        outbound ids, in the order they were made, as a one-message send enters each.

        The engine knows a text of the run only once it is flushed: flush before anything
        else sends a text (``send_text_message``) or reads those entries, and when the run is
        done (leaving ``with`` does)."""
        made = self._made
        if not made:
            return
        ids = [message.message_id for message in made]
        engine = self.engine
        engine.messages.set_many(ids, made, new=True)  # ids made by this run
        engine._last_outbound.set_many(pairs(made), ids)
        made.clear()

    @staticmethod
    def _drawer(carrier: CarrierModel, rng: Any) -> Callable[[str], tuple[str, float]]:
        """``carrier.text_outcome(rng, destination, None)`` as ``(event_of(outcome), latency)``,
        its constants looked up once."""
        if type(carrier) is not CarrierModel:  # a model of one's own: ask it each time

            def asked(destination: str) -> tuple[str, float]:
                outcome, latency = carrier.text_outcome(rng, destination, None)
                return event_of(outcome), latency

            return asked
        # each outcome's weight and its event type
        odds = tuple((weight, event_of(name)) for name, weight in carrier.outcomes.items())
        total = sum(carrier.outcomes.values())
        last = odds[-1][1] if odds else event_of("")
        forced = carrier.forced
        mean, sigma = math.log(carrier.median_latency_s), carrier.latency_sigma
        timeout = sms.CARRIER_RECEIPT_TIMEOUT_HOURS.value * 3600
        random, normal, exp = uniform_draws(rng), rng.standard_normal, math.exp
        raw, unit = raw_words(rng), UNIT  # ``random()`` is ``(raw() >> 11) * unit`` if any
        unknown = event_of("UNKNOWN")
        first_weight, first = odds[0] if odds else (-math.inf, "")

        def draw(destination: str) -> tuple[str, float]:
            outcome = forced.get(destination) if forced else None
            if outcome:
                event = event_of(outcome)
            else:  # ``choose``: the event of the name the point falls on
                point = ((raw() >> 11) * unit if raw is not None else random()) * total
                if point < first_weight:  # ``point - first_weight < 0``, exactly
                    event = first
                else:
                    for weight, named in odds:
                        point -= weight
                        if point < 0:
                            event = named
                            break
                    else:
                        event = last
            latency = exp(mean + sigma * normal())  # ``carrier.lognormal``
            if event == unknown or latency >= timeout:
                return unknown, timeout
            return event, latency

        return draw

    def _lane(self, route: PhoneNumber | SenderId | Pool, country: str) -> _Lane | None:
        """The lane of texts from ``route`` to ``country``; None where one message decides."""
        key = (id(route), country)
        if key in self._lanes:
            return self._lanes[key]
        lane = None
        engine = self.engine
        if (
            not isinstance(route, Pool)
            and "SMS" in route.capabilities
            and (route.iso_country == country or route.international_sending)
        ):
            bucket = engine.mps.bucket(
                route.arn, route.number_type, route.iso_country, now=self.now
            )
            bucket.available(self.now)  # brought up to now, as a one-message send does
            opt_outs = engine.opt_out_lists.get(engine.settings_of(route).opt_out_list_name)
            opted_out = {} if opt_outs is None else opt_outs.numbers
            lane = _Lane(route, bucket, opted_out, route.iso_country != country)
        self._lanes[key] = lane
        self._routes.append(route)
        return lane

    def _body(self, body: str, message_type: str) -> _Body | None:
        key = (body, message_type)
        if key in self._bodies:
            return self._bodies[key]
        shape = _Body(text_parts(body), message_type) if body and body.strip() else None
        if shape is not None and self.behalf is not None:
            shape.detail = shape.behalf_detail(None, self.behalf)
        self._bodies[key] = shape
        return shape

    def send(
        self,
        destination: str,
        country: str,
        body: str,
        route: PhoneNumber | SenderId | Pool,
        message_type: str,
        keyword: str | None = None,
        context: Mapping[str, str] | None = None,
        on_final: Callable[[Message, str], None] | None = None,
        behalf: Mapping[str, Any] | None = None,
    ) -> Message | None:
        """Sends a text to ``destination`` (E.164, in ``country``) from ``route``; returns the
        message, or None (nothing changed) if ``send_text_message`` must decide it.

        Raises the SmsError of a send check that refuses the text (``send_text_message``
        would raise the same, with the same effects).
        """

        def detail_of(shape: _Body, kept: dict[str, str]) -> dict[str, Any]:
            if self.service is not None and keyword is None and behalf:
                return shape.behalf_detail(kept, behalf)  # the keys in the order below
            detail = {**shape.head, "context": kept}
            if keyword is not None:
                detail["keyword"] = keyword
            if self.service is not None:
                if behalf:
                    detail.update(behalf)
                detail["carrier"] = SERVICE
            return detail

        return self._text(
            None,
            destination,
            country,
            body,
            route,
            message_type,
            dict(context or {}),
            on_final,
            detail_of,
        )

    def send_for(
        self,
        endpoint_id: str | None,
        destination: str,
        country: str,
        body: str,
        route: PhoneNumber | SenderId | Pool,
        message_type: str,
        context: dict[str, str],
        on_final: Callable[[Message, str], None] | None,
        detail_of: Callable[[_Body, dict[str, str]], dict[str, Any]] | None = None,
    ) -> Message | None:
        """``send(destination, country, body, route, message_type, None, context, on_final,
        behalf)`` where ``behalf`` is the run's with ``endpoint_id`` and ``context`` as this
        text's; the run has a ``service`` and a ``behalf`` with those two keys. Raises
        SmsError as ``send`` does.

        The text's detail is a copy of one made per body with every key in its place. The
        message and its entry keep ``context`` itself, a plain dict of the caller's that
        nothing writes to (a request's texts share one), where ``send`` keeps a copy.
        ``detail_of`` is ``send``'s own: the text's detail is ``detail_of(shape, context)``.

        The text is admitted (its checks passed, its parts taken from its lane's bucket, its
        price spent), made (kept for ``flush``) and dispatched (its outbox entry written, its
        carrier's outcome drawn for the clock to deliver) in one frame: a run's texts mostly
        come this way, and each call and attribute lookup saved is saved per text.
        """
        last = self._last  # the last text's route, country, body and type, lane and body
        if route is last[0] and country == last[1] and body == last[2] and message_type == last[3]:
            lane, shape = last[4], last[5]
        else:
            lane = self._lanes.get((id(route), country)) or self._lane(route, country)
            shape = self._bodies.get((body, message_type)) or self._body(body, message_type)
            self._last = (route, country, body, message_type, lane, shape)
        if lane is None or shape is None or destination in lane.opted_out:
            return None
        verified = self.verified
        if verified is not None and destination not in verified:
            return None
        spent_by, spend_key = self._spent, self.spend_key
        spent = spent_by.get(spend_key, 0.0)
        price = shape.price
        if spent + price > self.limit:
            return None
        bucket, now, amount = lane.bucket, self.now, shape.amount
        checks = self.checks
        if not checks and amount <= bucket.burst:  # the test and the taking below, in one call
            if bucket._at >= now:  # refilled up to the run's instant: ``try_take``'s own steps
                if bucket._tokens + 1e-9 < amount:
                    return None
                bucket._tokens -= amount
            elif not bucket.try_take(now, amount):
                return None
        else:
            if bucket.available(now) + 1e-9 < min(amount, bucket.burst):
                return None
            for check in checks:
                check(route, destination, "SMS", None)
            bucket.take(now, amount)
        spent_by[spend_key] = spent + price
        message_id = self._new_id()
        origin, moment = lane.origin, self.moment
        message = Message(
            message_id,
            "SMS",
            origin,
            destination,
            body,
            message_type,
            moment,
            shape.parts,
            shape.encoding,
            price,
            context,
            None,
            lane.international,
            "PENDING",
            False,
            [self._queued, self._pending],
            on_final,
        )
        self._keep(message)  # the engine's two entries of it, at ``flush``
        if detail_of is None:  # ``send_for``'s: the run has a ``behalf``, so a detail
            detail = shape.detail.copy()
            detail["context"] = context
            detail["endpoint_id"] = endpoint_id
        else:
            detail = detail_of(shape, context)
        service = self.service
        self._add(
            "SMS",
            SERVICE if service is None else service,
            origin,
            destination,
            body,
            message_id,
            moment,
            "PENDING",
            "",
            detail,
        )
        event, latency = self._draw(destination)
        blocked = self._blocked
        if blocked and (origin, destination) in blocked:
            event = _BLOCKED  # the customer texted STOP to this toll-free number
        self._later(latency, self._finish, message, event)
        return message

    #: ``send_for`` itself, as ``send`` calls it
    _text = send_for
