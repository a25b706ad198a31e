"""A run of SendEmail messages from one sender, each to one recipient, sent at one instant.

``Mailer.send_recorded`` works out everything afresh for every message. A run works out once
what is the same for all of its messages (the sender's checks, identity ARN and configuration
set, the sandbox, the suppression reasons, the instant) and per message only what varies, in
the same order and with the same random draws as ``send_recorded`` would make for it. The
records are those ``send_recorded`` writes: moto's ``sent_messages`` record, one outbox entry,
the DeliveryAttempts statistic and the outcome events on the clock.

A message the run cannot take the quick way (a refusal of any kind, the sandbox turning down an
unverified recipient, an event destination to publish to, a clock in live mode) is left to
``send_recorded``: ``send`` then returns None having changed nothing that ``send_recorded``
would see differently.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping
from types import MappingProxyType, TracebackType
from typing import TYPE_CHECKING, Any, cast

from moto.ses.models import Message

from simlab.aws.services.ses import outcomes, records
from simlab.aws.services.ses.draws import uniforms
from simlab.aws.services.ses.exceptions import Refusal
from simlab.aws.services.ses.filing import UNFILED as _UNFILED
from simlab.aws.services.ses.mail_outcomes import MailOutcomes
from simlab.aws.services.ses.moto_records import spill_tracked
from simlab.aws.services.ses.outcomes import Fate
from simlab.aws.services.ses.policy import (
    BARE_ADDRESS,
    Email,
    check_request,
    default_configuration_set,
    is_verified,
    parseaddr,
)
from simlab.aws.state import state
from simlab.facts import ses as facts

if TYPE_CHECKING:
    from simlab.aws.services.ses.mailer import Mailer

#: The fate of a message to an address on the suppression list (``MailOutcomes._fate``).
_SUPPRESSED = Fate(outcomes.SUPPRESSED, "Permanent", "OnAccountSuppressionList")
_random_message_id = records.random_message_id
_DRAWN_BOUNCE, _DRAWN_COMPLAINT = outcomes._DRAWN_BOUNCE, outcomes._DRAWN_COMPLAINT
_DRAWN_DELAYED, _DRAWN_REJECT = outcomes._DRAWN_DELAYED, outcomes._DRAWN_REJECT
_DRAWN_DELIVERY = outcomes._DRAWN_DELIVERY
_millis = outcomes.millis
_DELIVERY = outcomes.DELIVERY
_is_bare = BARE_ADDRESS.fullmatch
_new_record = object.__new__
_run, _deliver = MailOutcomes._run, MailOutcomes._deliver
_delivered = MailOutcomes._delivered
#: The tags of a message that has none (shared, read-only).
_NO_TAGS: Mapping[str, str] = MappingProxyType({})


class SendRun:
    """Sends single-recipient SendEmail messages from ``source`` one after another.

    With ``service`` other than ``"ses"`` each outbox entry is written as ``outbox.acting_for``
    would write it for that service (``service``, the caller's detail after SES's, ``carrier``
    ``"ses"``) and with ``status`` in place of SES's ``SENT``: the entry a caller standing for
    another service would leave after setting its own status; ``behalf``, that caller's detail
    with every key in its place, saves making it for each message (``send``). Use it as a
    context manager: the statistics of the run's messages are counted when it closes.
    """

    def __init__(
        self,
        mailer: Mailer,
        source: str,
        *,
        service: str = "ses",
        status: str = "SENT",
        behalf: Mapping[str, Any] | None = None,
    ):
        self.mailer = mailer
        self.source = source
        self.service = service
        self.status = status
        self.attempts = 0
        shared = state()
        clock = shared.clock
        backend = mailer.backend
        self.backend = backend
        #: False when every message must go through ``send_recorded``
        self.ready = clock.mode == "manual" and facts.MAX_RECIPIENTS_PER_MESSAGE.value >= 1
        email = Email(source)
        self.configuration_set = default_configuration_set(backend, email)
        email.configuration_set = self.configuration_set
        if self.ready:
            self.ready = _sender_passes(backend, email) and not backend.event_destinations.get(
                self.configuration_set or ""
            )
        #: floats the next block draws at the least (``expect``)
        self.ahead = 3
        if not self.ready:
            return
        self.seconds = clock.seconds
        self.timestamp = clock.now()
        #: the instant as the stream's records show it (milliseconds since the Unix epoch)
        self.timestamp_ms = clock.timestamp_ms()
        self.source_arn = mailer._identity_arn(email)
        self.account = backend.account
        self.sandbox = not backend.account.production_access
        self.outbox = shared.outbox
        #: the deliverability stream's floats, drawn ahead a block at a time (``close`` gives
        #: back what is left): ``take`` the next once ``floats`` holds enough
        self.uniforms = uniforms(shared.rng("ses.deliverability"))
        self.floats, self.take = self.uniforms.floats, self.uniforms.take
        self.call_later = clock.call_later
        #: the suppression list's entry of a lower-case address, or None
        self.suppressed = backend.suppression._entries.get
        #: nothing joins the list during a run (bounces come later), so an empty one stays so
        self.suppressing = len(backend.suppression) > 0
        self.model = backend.deliverability
        #: the chances ``outcomes.drawn_fate`` weighs a draw against, in its order (the model
        #: is frozen)
        self.chances = (
            self.model.bounce,
            self.model.complaint,
            self.model.delivery_delay,
            self.model.reject,
        )
        self.suppressed_reasons = mailer._suppression_reasons(self.configuration_set)
        self.for_ses = service == "ses"
        #: the whole entry detail of a message sent on another service's ``behalf``, its own
        #: values (message id, endpoint id, context) yet to be set
        self.behalf: dict[str, Any] | None = None
        if behalf is not None and not self.for_ses:
            self.behalf = {
                "ses_message_id": None,
                "configuration_set": self.configuration_set,
                "template": None,
                "operation": "SendEmail",
                **behalf,
                "carrier": "ses",
            }
        self.account_id = backend.account_id
        #: what every message of the run shares in SES's record of it (``MailOutcomes.head``)
        self.head = (
            source,
            self.source_arn,
            self.account_id,
            self.timestamp,
            self.configuration_set,
        )
        self.pending = mailer._pending
        self.watchers = mailer.watchers
        #: each latency's low end and span (``outcomes.between``); None if one is not finite
        self.latencies: tuple[float, float, float, float] | None = None
        delivery, feedback = self.model.delivery_latency, self.model.feedback_latency
        spans = (delivery[1] - delivery[0], feedback[1] - feedback[0])
        if spans[0] < math.inf and spans[1] < math.inf:
            self.latencies = (delivery[0], spans[0], feedback[0], spans[1])
        spill_tracked()
        self.simulator_domain = facts.MAILBOX_SIMULATOR_DOMAIN.value.lower()
        #: ``fullmatch`` of a bare address (``BARE_ADDRESS``) that does not end in the
        #: simulator's domain (any case): its own bare form, and no simulator's
        self.plain = _plain(self.simulator_domain)

    def __enter__(self) -> SendRun:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def expect(self, messages: int) -> None:
        """Has the run's next block of floats drawn for ``messages`` messages at once (three
        each: a text message's fate, latency and feedback), so a long run draws one block
        rather than several; ``close`` gives back any left."""
        self.ahead = 3 * messages

    def close(self) -> None:
        """Counts the run's messages in the account's statistics (DeliveryAttempts) and gives
        the floats it drew ahead back to the deliverability stream, and files moto's records
        of them."""
        _UNFILED.file()
        if self.ready:
            self.uniforms.sync()
        if self.attempts:
            self.account.count(self.timestamp, "DeliveryAttempts", self.attempts)
            self.attempts = 0

    def send(
        self,
        address: str,
        subject: str,
        text: str,
        html: str,
        detail: Mapping[str, Any] | None = None,
        watcher: Any = None,
        endpoint_id: str | None = None,
        context: Mapping[str, str] | None = None,
    ) -> str | None:
        """Sends one message to ``address``; returns its message id, or None (nothing sent,
        nothing changed) for a message ``Mailer.send_recorded`` must send or refuse.

        ``detail`` is the caller's detail of the outbox entry (for another ``service``); a run
        made with a ``behalf`` detail that has ``endpoint_id`` and ``context`` keys takes this
        message's values of those two instead (the entry keeps ``context`` itself: a dict of
        the caller's that nothing writes to). ``watcher``, if given, watches the message as
        ``Mailer.watch`` would have it. A message whose one event is its Delivery keeps its
        watcher with that event, not in ``watchers``.
        """
        if not self.ready:
            return None
        if self.plain(address) is not None:  # bare, and not ending in the simulator's domain
            bare, label = address, None
        else:
            # a bare address is its own (``parseaddr``'s answer without its cache's upkeep)
            bare = address if _is_bare(address) else parseaddr(address)[1]
            if bare.find("@") < 1 or bare[-1] == "@":
                return None
            # only an address ending in the simulator's domain can be the simulator's
            simulator = self.simulator_domain
            label = (
                outcomes.simulator_label(bare)
                if bare[-len(simulator) :].lower() == simulator
                else None
            )
        if self.sandbox and label is None and not is_verified(self.backend, address):
            return None
        # a refused admission changes nothing the same admission at this instant would see
        if self.account.admit_one(self.seconds, not label) is not None:
            return None
        message_id = _random_message_id()
        source, timestamp = self.source, self.timestamp
        # moto's record, made as ``Message(...)`` makes it; registered and listed when filed
        # (``filing``), after any other backend's records waiting
        record = _new_record(Message)
        backend, unfiled = self.backend, _UNFILED
        if unfiled.backend is not backend:
            unfiled.of(backend)
        unfiled.records.append(record)
        record.id = message_id
        record.source = source
        record.subject = subject
        record.body = html or text
        record.destinations = {"ToAddresses": [address], "CcAddresses": [], "BccAddresses": []}
        # SES's detail of the entry, as ``send_recorded`` writes it for a run's messages
        configuration_set = self.configuration_set
        behalf = self.behalf
        entry: dict[str, Any]
        if self.for_ses:
            entry = {
                "ses_message_id": message_id,
                "configuration_set": configuration_set,
                "template": None,
                "operation": "SendEmail",
            }
        elif detail is None and behalf is not None:
            entry = behalf.copy()
            entry["ses_message_id"] = message_id
            entry["endpoint_id"] = endpoint_id
            entry["context"] = context
        else:
            entry = {
                "ses_message_id": message_id,
                "configuration_set": configuration_set,
                "template": None,
                "operation": "SendEmail",
                **(detail or {}),
                "carrier": "ses",
            }
        self.outbox.add_row(
            "EMAIL",
            self.service,
            source,
            bare,
            text or html,
            message_id,
            timestamp,
            self.status,
            subject,
            entry,
        )
        self.attempts += 1
        # the fate and its events, as ``MailOutcomes._fate`` and ``_schedule`` draw them
        rng = self.uniforms  # the stream's floats in order, as ``rng.random()`` gives them
        if len(self.floats) < 3:  # the most the common case takes
            rng.fill(self.ahead)
            self.ahead = 3
        listed = self.suppressed(bare.lower()) if self.suppressing else None
        take = self.take
        if listed is not None and listed.reason in self.suppressed_reasons:
            fate = _SUPPRESSED
        elif label is None:  # ``outcomes.drawn_fate(self.model, take())``, its very sums
            draw = take()
            bounce, complaint, delay, reject = self.chances
            if draw < bounce:
                fate = _DRAWN_BOUNCE
            elif (draw := draw - bounce) < complaint:
                fate = _DRAWN_COMPLAINT
            elif (draw := draw - complaint) < delay:
                fate = _DRAWN_DELAYED
            elif draw - delay < reject:
                fate = _DRAWN_REJECT
            else:
                fate = _DRAWN_DELIVERY
        else:
            fate = outcomes.fate_of(label, self.model, cast(Any, rng))
        delivered = fate.kind == _DELIVERY and self.latencies is not None
        if delivered:
            low, span, feedback_low, feedback_span = self.latencies  # type: ignore[misc]
            seconds = low + span * take()  # ``outcomes.between``, the same sum
            # ``outcomes.millis(seconds)``, inline: the common case, else ``round`` itself
            scaled = seconds * 1000.0
            if 0.5 < scaled < 1e12 and -0.4998 < scaled - (whole := round(scaled)) < 0.4998:
                latency = whole / 1000
            else:
                latency = round(seconds, 3)
            feedback_draw = take()  # drawn whether or not an Open needs it
            if not html and watcher is not None:  # the Delivery is all there is to tell:
                # SES's record of the message is made then, if anyone but the watcher hears
                self.call_later(
                    latency,
                    _delivered,
                    self.mailer,
                    self.outbox,
                    self.head,
                    message_id,
                    address,
                    subject,
                    text,
                    bare,
                    watcher,
                )
                return message_id
        sent = records.SentEmail(
            message_id,
            source,
            self.source_arn,
            self.account_id,
            timestamp,
            (address,),
            (),
            (),
            subject,
            text,
            html,
            self.configuration_set,
            _NO_TAGS,
            None,
            "SendEmail",
        )
        if not delivered:
            self.mailer._schedule(self.call_later, sent, bare, fate, rng)
        else:
            feedback = _millis(feedback_low + feedback_span * feedback_draw)
            pending = self.pending
            pending[message_id] = pending.get(message_id, 0) + 1
            self.call_later(latency, _run, self.mailer, _deliver, sent, bare, fate)
            if html:
                self.mailer._engagement(self.call_later, sent, bare, fate, latency + feedback, rng)
        if watcher is not None:  # every fate has an event to come
            self.watchers[message_id] = watcher
        return message_id


@functools.lru_cache(maxsize=8)
def _plain(simulator_domain: str) -> Callable[[str], re.Match[str] | None]:
    """``fullmatch`` of a bare address (``BARE_ADDRESS``) that does not end in
    ``simulator_domain`` (lower case; any case matches)."""
    return re.compile(
        f"{BARE_ADDRESS.pattern}(?<!(?i:{re.escape(simulator_domain)}))", re.ASCII
    ).fullmatch


def _sender_passes(backend: Any, email: Email) -> bool:
    """True if a message from ``email.source`` meets every rule of the whole request (sending
    enabled, configuration set, verified sender, a well-formed address); checked without
    counting a rejection."""
    rejected = backend.rejected_messages_count
    try:
        check_request(backend, email)
    except Refusal:
        return False
    finally:
        backend.rejected_messages_count = rejected
    bare = email.address
    return bare.find("@") >= 1 and bare[-1] != "@"
