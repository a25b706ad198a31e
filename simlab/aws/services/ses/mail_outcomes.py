"""What becomes of each recipient of a sent message: its fate and the events that follow."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from simlab.aws.services.ses import outcomes, records
from simlab.aws.services.ses.mail_events import MailEvents
from simlab.aws.services.ses.outcomes import Fate
from simlab.aws.services.ses.policy import parseaddr
from simlab.aws.services.ses.suppression import SuppressedDestination
from simlab.aws.state import state

if TYPE_CHECKING:
    from simlab.engage.outbox import Outbox

_LINK = re.compile(r"""href\s*=\s*["'](https?://[^"']+)["']""", re.IGNORECASE)
#: How long SES keeps retrying a delayed message before it gives up.
RETRY_WINDOW = timedelta(hours=14)
#: What the messages of a run share in SES's record of each (``SentEmail``): source, source
#: ARN, sending account, timestamp and configuration set.
Head = tuple[str, str, str, datetime, str | None]


class MailOutcomes(MailEvents):
    """Draws each recipient's fate and schedules its events on the simulated clock."""

    #: message id -> how many of its events are still scheduled
    _pending: dict[str, int]

    def _suppression_reasons(self, configuration_set: str | None) -> list[str]:
        config_set = self.backend.config_sets.get(configuration_set or "")
        options = getattr(config_set, "suppression_options", None) or {}
        if "SuppressedReasons" in options:
            return list(options["SuppressedReasons"])
        return list(self.backend.suppression.suppressed_reasons)

    def _fate(self, sent: records.SentEmail, address: str, rng: Any) -> Fate:
        listed = self.backend.suppression.get(address)
        if listed is not None and listed.reason in self._suppression_reasons(
            sent.configuration_set
        ):
            return Fate(outcomes.SUPPRESSED, "Permanent", "OnAccountSuppressionList")
        return outcomes.decide(address, self.backend.deliverability, rng)

    def _later(
        self,
        call_later: Callable[..., None],
        delay: float,
        event: Callable[..., None],
        sent: records.SentEmail,
        *args: Any,
    ) -> None:
        """Runs ``event(self, sent, *args)`` ``delay`` seconds from now, counted so the
        message's watcher can go once its last event has run.

        ``event`` is a plain function of the class and ``call_later`` takes the arguments, so a
        pending event holds one flat tuple rather than closures (thousands wait at once).
        """
        message_id = sent.message_id
        pending = self._pending
        pending[message_id] = pending.get(message_id, 0) + 1
        call_later(delay, MailOutcomes._run, self, event, sent, *args)

    def _run(self, event: Callable[..., None], sent: records.SentEmail, *args: Any) -> None:
        try:
            event(self, sent, *args)
        finally:
            message_id = sent.message_id
            left = self._pending[message_id] - 1
            if left:
                self._pending[message_id] = left
            else:
                del self._pending[message_id]
                self.watchers.pop(message_id, None)

    def _schedule(
        self,
        call_later: Callable[..., None],
        sent: records.SentEmail,
        address: str,
        fate: Fate,
        rng: Any,
    ) -> None:
        """Draws the latencies of ``fate`` and puts its events on the clock (``call_later``)."""
        model = self.backend.deliverability
        latency = outcomes.between(model.delivery_latency, rng)
        feedback = outcomes.between(model.feedback_latency, rng)
        if fate.kind in (outcomes.BOUNCE, outcomes.SUPPRESSED):
            self._later(call_later, latency, MailOutcomes._bounce, sent, address, fate)
        elif fate.kind == outcomes.REJECT:
            self._later(call_later, latency, MailOutcomes._reject, sent, address)
        elif fate.kind == outcomes.DELAYED:
            delay = outcomes.between(model.delay_latency, rng)
            self._later(call_later, latency, MailOutcomes._delay, sent, address)
            self._later(call_later, latency + delay, MailOutcomes._deliver, sent, address, fate)
        else:
            self._later(call_later, latency, MailOutcomes._deliver, sent, address, fate)
            if fate.kind == outcomes.COMPLAINT:
                self._later(
                    call_later, latency + feedback, MailOutcomes._complain, sent, address, fate
                )
        self._engagement(call_later, sent, address, fate, latency + feedback, rng)

    def _engagement(
        self,
        call_later: Callable[..., None],
        sent: records.SentEmail,
        address: str,
        fate: Fate,
        at: float,
        rng: Any,
    ) -> None:
        """Schedules an Open (and maybe a Click) for a delivered HTML message, seeded."""
        if fate.kind not in (outcomes.DELIVERY, outcomes.AUTO_RESPONSE) or not sent.html:
            return
        if fate.simulator or rng.random() >= self.backend.deliverability.open:
            return
        self._later(call_later, at, MailOutcomes._open, sent, address)
        links = _LINK.findall(sent.html)
        if links and rng.random() < self.backend.deliverability.click:
            self._later(call_later, at + 5.0, MailOutcomes._click, sent, address, links[0])

    def _open(self, sent: records.SentEmail, address: str) -> None:
        if self._heard(sent, "Open"):
            self._event(sent, address, "Open", records.opened(state().clock.now()))

    def _click(self, sent: records.SentEmail, address: str, link: str) -> None:
        if self._heard(sent, "Click"):
            self._event(sent, address, "Click", records.clicked(state().clock.now(), link))

    def _deliver(self, sent: records.SentEmail, address: str, fate: Fate) -> None:
        """The Delivery of ``sent`` to ``address``: its outbox status and its event.

        A watcher with a ``delivered`` method that alone hears of it (no event destination
        of the message's configuration set, no identity topic) is told through that method,
        and SES's record of the event, which nobody would read, is not built.
        """
        shared = state()
        watcher = self.watchers.get(sent.message_id)
        detail = {"auto_response": True} if fate.kind == outcomes.AUTO_RESPONSE else {}
        self._set_status(shared.outbox, watcher, sent, address, "DELIVERED", "Delivery", detail)
        if watcher is not None and self._told_alone(watcher, sent.configuration_set):
            return
        if watcher is not None or self._heard(sent, "Delivery"):
            shown = records.delivery(sent, address, shared.clock.now())
            self._event(sent, address, "Delivery", shown)

    def _told_alone(self, watcher: Any, configuration_set: str | None) -> bool:
        """Tells ``watcher`` of a message's Delivery through its ``delivered`` method if it
        has one and alone hears of it (no event destination of the message's
        ``configuration_set``, no identity topic); returns whether it did."""
        told = getattr(watcher, "delivered", None)
        backend = self.backend
        if (
            told is None
            or backend.sns_topics
            or backend.event_destinations.get(configuration_set or "")
        ):
            return False
        told(records.SMTP_RESPONSE, records.REPORTING_MTA)
        return True

    def _delivered(
        self,
        outbox: Outbox,
        head: Head,
        message_id: str,
        to: str,
        subject: str,
        text: str,
        address: str,
        watcher: Any,
    ) -> None:
        """``_deliver`` of a Delivery (not an auto response) that is the only event of a text
        message to ``to`` (bare: ``address``) sent by a run, with the message's watcher and
        the ``outbox`` it was written to at hand rather than looked up.

        What it writes and tells is what ``_run`` of ``_deliver`` would: the outbox status,
        then the watcher's ``delivered`` alone, or SES's record to every destination, topic and
        the watcher. The record of the message (a ``SentEmail`` from what the run's messages
        share, ``head``) is made only for the latter.
        """
        status: str
        detail: dict[str, Any]
        kept = getattr(watcher, "delivery_entry", None)
        if kept is not None:  # what its ``entry`` would answer, at hand
            status, detail = kept
        else:
            entry = getattr(watcher, "entry", None)
            status, detail = "DELIVERED", {}
            if entry is not None:
                status, detail = entry("Delivery", status, detail)
        outbox.set_status_to(message_id, status, detail)
        configuration_set = head[4]
        # ``_told_alone``, inline: most messages end here
        told = getattr(watcher, "delivered", None)
        backend = self.backend
        if (
            told is not None
            and not backend.sns_topics
            and not backend.event_destinations.get(configuration_set or "")
        ):
            told(records.SMTP_RESPONSE, records.REPORTING_MTA)
            return
        source, source_arn, account_id, timestamp, _ = head
        sent = records.SentEmail(
            message_id,
            source,
            source_arn,
            account_id,
            timestamp,
            (to,),
            (),
            (),
            subject,
            text,
            "",
            configuration_set,
        )
        shown = records.delivery(sent, address, state().clock.now())
        self._publish(sent, "Delivery", shown)
        self._notify_identity(sent, "Delivery", shown)
        watcher("Delivery", address, shown)

    def _bounce(self, sent: records.SentEmail, address: str, fate: Fate) -> None:
        now = state().clock.now()
        detail = records.bounce(address, fate.bounce_type, fate.bounce_subtype, now)
        status = "SUPPRESSED" if fate.kind == outcomes.SUPPRESSED else "BOUNCED"
        self._status(sent, address, status, "Bounce", bounce_sub_type=fate.bounce_subtype)
        if not fate.simulator and fate.bounce_subtype == "General":
            self.backend.account.count(now, "Bounces")
            self._auto_suppress(sent, address, "BOUNCE", detail["feedbackId"])
        self._event(sent, address, "Bounce", detail)

    def _complain(self, sent: records.SentEmail, address: str, fate: Fate) -> None:
        now = state().clock.now()
        detail = records.complaint(address, now, sent.timestamp)
        self._status(sent, address, "COMPLAINED", "Complaint")
        if not fate.simulator:
            self.backend.account.count(now, "Complaints")
            self._auto_suppress(sent, address, "COMPLAINT", detail["feedbackId"])
        self._event(sent, address, "Complaint", detail)

    def _delay(self, sent: records.SentEmail, address: str) -> None:
        now = state().clock.now()
        self._status(sent, address, "DELAYED", "DeliveryDelay")
        self._event(
            sent, address, "DeliveryDelay", records.delivery_delay(address, now, now + RETRY_WINDOW)
        )

    def _reject(self, sent: records.SentEmail, address: str) -> None:
        self._status(sent, address, "REJECTED", "Reject")
        self.backend.account.count(state().clock.now(), "Rejects")
        self._event(sent, address, "Reject", records.reject())

    def _auto_suppress(
        self, sent: records.SentEmail, address: str, reason: str, feedback: str
    ) -> None:
        """Adds ``address`` to the account's list if the reason is one it collects."""
        if reason not in self._suppression_reasons(sent.configuration_set):
            return
        self.backend.suppression.put(
            SuppressedDestination(address, reason, state().clock.now(), sent.message_id, feedback)
        )

    def _status(
        self, sent: records.SentEmail, address: str, status: str, kind: str, **detail: Any
    ) -> None:
        """Sets the outbox status of ``address``'s entry after a ``kind`` event: SES's, or
        what the message's watcher makes of it (``watch``) when it stands for another
        service's message."""
        watcher = self.watchers.get(sent.message_id)
        self._set_status(state().outbox, watcher, sent, address, status, kind, detail)

    def _set_status(
        self,
        outbox: Outbox,
        watcher: Any,
        sent: records.SentEmail,
        address: str,
        status: str,
        kind: str,
        detail: dict[str, Any],
    ) -> None:
        """``_status`` with the outbox and the message's watcher (or None) at hand."""
        entry = getattr(watcher, "entry", None)
        if entry is not None:
            status, detail = entry(kind, status, detail)
        message_id = sent.message_id
        if len(sent.recipients) != 1:
            message_id = f"{message_id}/{parseaddr(address)[1]}"
        outbox.set_status_to(message_id, status, detail)
