"""What SES does with a message it accepted: the outbox, event records, and each recipient's fate.

A Send record goes out at once; Delivery, Bounce, Complaint, DeliveryDelay, Open and Click follow
after seeded latencies on the simulated clock, so they appear as the clock advances. The outbox
gets one entry per recipient (its ``message_id`` is the SES MessageId, suffixed ``/<address>``
when the message has several recipients) whose status follows the outcome:
SENT → DELIVERED / BOUNCED / COMPLAINED / DELAYED, or REJECTED, SUPPRESSED, RENDERING_FAILED.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from moto.ses.models import Message

from simlab.aws.delivery import DeliveryError, deliver
from simlab.aws.services.ses import outcomes, publishing, records
from simlab.aws.services.ses.exceptions import REFUSED_STATUS, Refusal
from simlab.aws.services.ses.outcomes import Fate
from simlab.aws.services.ses.policy import (
    Email,
    admit,
    default_configuration_set,
    parseaddr,
    template_of,
)
from simlab.aws.services.ses.rendering import (
    MissingAttribute,
    RenderingError,
    parse_data,
    render,
)
from simlab.aws.services.ses.suppression import SuppressedDestination
from simlab.aws.state import state
from simlab.engage.outbox_messages import OutboxMessage

if TYPE_CHECKING:
    from simlab.aws.services.ses.models import SimlabSESBackend

_LINK = re.compile(r"""href\s*=\s*["'](https?://[^"']+)["']""", re.IGNORECASE)
#: How long SES keeps retrying a delayed message before it gives up.
RETRY_WINDOW = timedelta(hours=14)


class Mailer:
    """Sends accepted messages for one SES backend (one account, one Region)."""

    def __init__(self, backend: SimlabSESBackend) -> None:
        self.backend = backend
        #: message id -> ``watcher(kind, address, detail)``, told of each event of that message;
        #: a message's watcher goes when its last scheduled event has happened
        self.watchers: dict[str, Callable[[str, str, dict[str, Any]], None]] = {}
        #: message id -> how many of its events are still scheduled
        self._pending: dict[str, int] = {}

    def watch(self, message_id: str, watcher: Callable[[str, str, dict[str, Any]], None]) -> None:
        """Tells ``watcher`` of every later event of one message (Delivery, Bounce, Open ...).

        A message with no event still to come has nothing to tell, so nothing is kept.
        """
        if self._pending.get(message_id):
            self.watchers[message_id] = watcher

    # -- sending ------------------------------------------------------------------------------

    def send(self, email: Email) -> str:
        """Admits and sends ``email``; returns its MessageId or raises Refusal."""
        shared = state()  # one lookup per send: moto's backend lookups are not free
        clock = shared.clock
        email.configuration_set = default_configuration_set(self.backend, email)
        try:
            admit(self.backend, email, clock.seconds)
        except Refusal as refusal:
            self._record_refusal(email, refusal)
            raise
        failure = self._render(email)
        message_id = _message_id()
        sent = records.SentEmail(
            message_id=message_id,
            source=email.source,
            source_arn=self._identity_arn(email),
            account_id=self.backend.account_id,
            timestamp=clock.now(),
            to=list(email.to),
            cc=list(email.cc),
            bcc=list(email.bcc),
            subject=email.subject,
            text=email.text,
            html=email.html,
            configuration_set=email.configuration_set,
            tags=dict(email.tags),
            template=email.template,
            operation=email.operation,
        )
        self._remember(email, message_id)
        for address in sent.recipients:
            shared.outbox.add(
                OutboxMessage(
                    channel="EMAIL",
                    service="ses",
                    origin=email.source,
                    destination=parseaddr(address)[1],
                    body=email.text or email.html or email.raw,
                    message_id=self._outbox_id(sent, address),
                    sent_at=sent.timestamp,
                    status="RENDERING_FAILED" if failure else "SENT",
                    subject=email.subject,
                    detail={
                        "ses_message_id": message_id,
                        "configuration_set": email.configuration_set,
                        "template": email.template,
                        "operation": email.operation,
                        **({"error": failure} if failure else {}),
                        **({"attachments": email.attachments} if email.attachments else {}),
                    },
                )
            )
        self.backend.account.count(sent.timestamp, "DeliveryAttempts", len(sent.recipients))
        if failure:
            detail = records.rendering_failure(email.template or "", failure)
            self._publish(sent, "Rendering Failure", detail)
            return message_id
        self._publish(sent, "Send", {})
        rng = shared.rng("ses.deliverability")
        for address in sent.recipients:
            bare = parseaddr(address)[1]
            fate = self._fate(sent, bare, rng)
            self._schedule(sent, bare, fate, rng)
        return message_id

    def _render(self, email: Email) -> str | None:
        """Fills subject and parts from the template; returns a rendering failure, if any."""
        if email.template is None:
            return None
        template = email.template_content or template_of(self.backend, email.template)
        data = parse_data(email.template_data)
        try:
            rendered = render(
                str(template.get("subject_part") or ""),
                str(template.get("text_part") or ""),
                str(template.get("html_part") or ""),
                data,
            )
        except (MissingAttribute, RenderingError) as failure:
            email.subject = str(template.get("subject_part") or "")
            return failure.message
        email.subject, email.text, email.html = rendered.subject, rendered.text, rendered.html
        return None

    def _record_refusal(self, email: Email, refusal: Refusal) -> None:
        status = REFUSED_STATUS.get(refusal.reason)
        if status is None:
            return
        now = state().clock.now()
        for address in email.recipients:
            state().outbox.add(
                OutboxMessage(
                    channel="EMAIL",
                    service="ses",
                    origin=email.source,
                    destination=parseaddr(address)[1],
                    body=email.text or email.html or email.raw,
                    message_id="",
                    sent_at=now,
                    status=status,
                    subject=email.subject,
                    detail={"error": refusal.message, "operation": email.operation},
                )
            )

    def _remember(self, email: Email, message_id: str) -> None:
        """Keeps moto's own record of sent messages (``sent_messages``) up to date."""
        destinations = {"ToAddresses": email.to, "CcAddresses": email.cc, "BccAddresses": email.bcc}
        body = email.html or email.text or email.raw
        self.backend.sent_messages.append(
            Message(message_id, email.source, email.subject, body, destinations)
        )
        self.backend.sent_message_count += len(email.recipients)

    def _identity_arn(self, email: Email) -> str:
        identity = email.address
        if identity not in self.backend.email_identities:
            identity = identity.rpartition("@")[2].lower()
        return (
            f"arn:{self.backend.partition}:ses:{self.backend.region_name}:"
            f"{self.backend.account_id}:identity/{identity}"
        )

    @staticmethod
    def _outbox_id(sent: records.SentEmail, address: str) -> str:
        if len(sent.recipients) == 1:
            return sent.message_id
        return f"{sent.message_id}/{parseaddr(address)[1]}"

    # -- outcomes -----------------------------------------------------------------------------

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
        pending event holds one tuple rather than closures (thousands wait at once).
        """
        message_id = sent.message_id
        self._pending[message_id] = self._pending.get(message_id, 0) + 1
        call_later(delay, Mailer._run, self, event, sent, args)

    def _run(
        self, event: Callable[..., None], sent: records.SentEmail, args: tuple[Any, ...]
    ) -> None:
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

    def _schedule(self, sent: records.SentEmail, address: str, fate: Fate, rng: Any) -> None:
        model = self.backend.deliverability
        call_later = state().clock.call_later
        latency = outcomes.between(model.delivery_latency, rng)
        feedback = outcomes.between(model.feedback_latency, rng)
        if fate.kind in (outcomes.BOUNCE, outcomes.SUPPRESSED):
            self._later(call_later, latency, Mailer._bounce, sent, address, fate)
        elif fate.kind == outcomes.REJECT:
            self._later(call_later, latency, Mailer._reject, sent, address)
        elif fate.kind == outcomes.DELAYED:
            delay = outcomes.between(model.delay_latency, rng)
            self._later(call_later, latency, Mailer._delay, sent, address)
            self._later(call_later, latency + delay, Mailer._deliver, sent, address, fate)
        else:
            self._later(call_later, latency, Mailer._deliver, sent, address, fate)
            if fate.kind == outcomes.COMPLAINT:
                self._later(call_later, latency + feedback, Mailer._complain, sent, address, fate)
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
        self._later(call_later, at, Mailer._open, sent, address)
        links = _LINK.findall(sent.html)
        if links and rng.random() < self.backend.deliverability.click:
            self._later(call_later, at + 5.0, Mailer._click, sent, address, links[0])

    def _open(self, sent: records.SentEmail, address: str) -> None:
        self._event(sent, address, "Open", records.opened(state().clock.now()))

    def _click(self, sent: records.SentEmail, address: str, link: str) -> None:
        self._event(sent, address, "Click", records.clicked(state().clock.now(), link))

    def _deliver(self, sent: records.SentEmail, address: str, fate: Fate) -> None:
        detail = records.delivery(sent, address, state().clock.now())
        auto = {"auto_response": True} if fate.kind == outcomes.AUTO_RESPONSE else {}
        self._status(sent, address, "DELIVERED", **auto)
        self._event(sent, address, "Delivery", detail)

    def _bounce(self, sent: records.SentEmail, address: str, fate: Fate) -> None:
        now = state().clock.now()
        detail = records.bounce(address, fate.bounce_type, fate.bounce_subtype, now)
        status = "SUPPRESSED" if fate.kind == outcomes.SUPPRESSED else "BOUNCED"
        self._status(sent, address, status, bounce_sub_type=fate.bounce_subtype)
        if not fate.simulator and fate.bounce_subtype == "General":
            self.backend.account.count(now, "Bounces")
            self._auto_suppress(sent, address, "BOUNCE", detail["feedbackId"])
        self._event(sent, address, "Bounce", detail)

    def _complain(self, sent: records.SentEmail, address: str, fate: Fate) -> None:
        now = state().clock.now()
        detail = records.complaint(address, now, sent.timestamp)
        self._status(sent, address, "COMPLAINED")
        if not fate.simulator:
            self.backend.account.count(now, "Complaints")
            self._auto_suppress(sent, address, "COMPLAINT", detail["feedbackId"])
        self._event(sent, address, "Complaint", detail)

    def _delay(self, sent: records.SentEmail, address: str) -> None:
        now = state().clock.now()
        self._status(sent, address, "DELAYED")
        self._event(
            sent, address, "DeliveryDelay", records.delivery_delay(address, now, now + RETRY_WINDOW)
        )

    def _reject(self, sent: records.SentEmail, address: str) -> None:
        self._status(sent, address, "REJECTED")
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

    def _status(self, sent: records.SentEmail, address: str, status: str, **detail: Any) -> None:
        state().outbox.update_status(self._outbox_id(sent, address), status, **detail)

    # -- publishing -----------------------------------------------------------------------------

    def _event(
        self, sent: records.SentEmail, address: str, kind: str, detail: dict[str, Any]
    ) -> None:
        self._publish(sent, kind, detail)
        if kind in ("Bounce", "Complaint", "Delivery"):
            self._notify_identity(sent, kind, detail)
        watcher = self.watchers.get(sent.message_id)
        if watcher is not None:
            watcher(kind, address, detail)

    def _publish(self, sent: records.SentEmail, kind: str, detail: dict[str, Any]) -> None:
        """Sends the ``kind`` record to every enabled destination of the message's configuration
        set that matches its type; a destination that is gone is noted in ``publish_failures``.

        The record is built only when some destination takes it.
        """
        destinations = self.backend.event_destinations.get(sent.configuration_set or "", {})
        record: dict[str, Any] | None = None
        for destination in destinations.values():
            if destination.matches(kind):
                if record is None:
                    record = records.record(kind, sent, detail)
                self._safely(
                    functools.partial(
                        publishing.publish,
                        destination,
                        record,
                        sent,
                        self.backend.account_id,
                        self.backend.region_name,
                        state().clock.now(),
                    ),
                    destination.name,
                )

    def _notify_identity(self, sent: records.SentEmail, kind: str, detail: dict[str, Any]) -> None:
        """Feedback notifications set with SetIdentityNotificationTopic (``notificationType``)."""
        address = parseaddr(sent.source)[1]
        for identity in (address, address.rpartition("@")[2].lower()):
            topic = self.backend.sns_topics.get(identity, {}).get(kind)
            if topic:
                record = records.notification(kind, sent, detail)
                self._safely(functools.partial(deliver, topic, record), f"identity {identity}")
                return

    def _safely(self, publish: Callable[[], None], where: str) -> None:
        try:
            publish()
        except DeliveryError as error:
            self.backend.publish_failures.append(f"{where}: {error}")


#: A new SES MessageId from moto's seeded stream (``records.random_message_id``).
_message_id = records.random_message_id
