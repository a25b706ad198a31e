"""What SES does with a message it accepted: the outbox, event records, and each recipient's fate.

A Send record goes out at once; Delivery, Bounce, Complaint, DeliveryDelay, Open and Click follow
after seeded latencies on the simulated clock, so they appear as the clock advances. The outbox
gets one entry per recipient (its ``message_id`` is the SES MessageId, suffixed ``/<address>``
when the message has several recipients) whose status follows the outcome:
SENT → DELIVERED / BOUNCED / COMPLAINED / DELAYED, or REJECTED, SUPPRESSED, RENDERING_FAILED.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from moto.ses.models import Message

from simlab.aws.services.ses import draws, filing, records
from simlab.aws.services.ses.exceptions import REFUSED_STATUS, Refusal
from simlab.aws.services.ses.mail_outcomes import MailOutcomes
from simlab.aws.services.ses.mail_runs import SendRun
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
from simlab.aws.state import state
from simlab.engage.outbox_messages import OutboxMessage

if TYPE_CHECKING:
    from simlab.aws.services.ses.models import SimlabSESBackend
    from simlab.engage.outbox import Outbox


class Mailer(MailOutcomes):
    """Sends accepted messages for one SES backend (one account, one Region)."""

    def __init__(self, backend: SimlabSESBackend) -> None:
        self.backend = backend
        #: message id -> ``watcher(kind, address, detail)``, told of each event of that message;
        #: a message's watcher goes when its last scheduled event has happened
        self.watchers: dict[str, Callable[[str, str, dict[str, Any]], None]] = {}
        #: message id -> how many of its events are still scheduled
        self._pending: dict[str, int] = {}
        #: identity -> its ARN
        self._arns: dict[str, str] = {}

    def watch(self, message_id: str, watcher: Callable[[str, str, dict[str, Any]], None]) -> None:
        """Tells ``watcher`` of every later event of one message (Delivery, Bounce, Open ...).

        A watcher with an ``entry(kind, status, detail)`` method also decides the outbox
        status and detail of the message's entry after each event that changes it (SES's
        ``status`` and ``detail`` in, the ones written out): the entry of a message sent for
        another service (Pinpoint) changes once per event, not once for each service; one
        may keep what it answers for a Delivery (``"Delivery", "DELIVERED", {}``) as its
        ``delivery_entry``, which a run's Delivery then reads instead. A watcher with a
        ``delivered(smtp_response, reporting_mta)`` method hears of a Delivery that only it
        hears of through that method, as SES's record would show the two.
        A message with no event still to come has nothing to tell, so nothing is kept.
        """
        if self._pending.get(message_id):
            self.watchers[message_id] = watcher

    # -- sending ------------------------------------------------------------------------------

    def send_run(
        self,
        source: str,
        *,
        service: str = "ses",
        status: str = "SENT",
        behalf: Mapping[str, Any] | None = None,
    ) -> SendRun:
        """A run of single-recipient SendEmail messages from ``source``, each sent as
        ``send_recorded`` would send it (``mail_runs.SendRun``; use it in a ``with`` block)."""
        return SendRun(self, source, service=service, status=status, behalf=behalf)

    def send(self, email: Email) -> str:
        """Admits and sends ``email``; returns its MessageId or raises Refusal."""
        return str(self.send_recorded(email).id)

    def send_recorded(self, email: Email) -> Message:
        """Admits and sends ``email``; returns moto's record of it (in ``sent_messages``) or
        raises Refusal."""
        shared = state()  # one lookup per send: moto's backend lookups are not free
        clock = shared.clock
        backend = self.backend
        email.configuration_set = default_configuration_set(backend, email)
        try:
            bare = admit(backend, email, clock.seconds)
        except Refusal as refusal:
            self._record_refusal(email, refusal)
            raise
        failure = self._render(email)
        message_id = _message_id()
        sent = records.SentEmail(
            message_id,
            email.source,
            self._identity_arn(email),
            backend.account_id,
            clock.now(),
            tuple(email.to),
            tuple(email.cc),
            tuple(email.bcc),
            email.subject,
            email.text,
            email.html,
            email.configuration_set,
            dict(email.tags) if email.tags else _NO_TAGS,
            email.template,
            email.operation,
        )
        record = self._remember(email, message_id)
        self._add_to_outbox(shared.outbox, email, sent, bare, failure)
        backend.account.count(sent.timestamp, "DeliveryAttempts", len(bare))
        if failure:
            detail = records.rendering_failure(email.template or "", failure)
            self._publish(sent, "Rendering Failure", detail)
            return record
        self._publish(sent, "Send", {})
        rng = shared.rng("ses.deliverability")
        draws.sync(rng)  # a run's floats drawn ahead go back first
        call_later = clock.call_later
        for address in bare:
            fate = self._fate(sent, address, rng)
            self._schedule(call_later, sent, address, fate, rng)
        return record

    def _add_to_outbox(
        self,
        outbox: Outbox,
        email: Email,
        sent: records.SentEmail,
        bare: list[str],
        failure: str | None,
    ) -> None:
        """One outbox entry per recipient (``bare`` addresses, in order), SENT or
        RENDERING_FAILED."""
        detail: dict[str, Any] = {
            "ses_message_id": sent.message_id,
            "configuration_set": email.configuration_set,
            "template": email.template,
            "operation": email.operation,
        }
        if failure:
            detail["error"] = failure
        if email.attachments:
            detail["attachments"] = email.attachments
        body = email.text or email.html or email.raw
        status = "RENDERING_FAILED" if failure else "SENT"
        single = len(bare) == 1
        for address in bare:
            outbox.add(
                OutboxMessage(
                    "EMAIL",
                    "ses",
                    email.source,
                    address,
                    body,
                    sent.message_id if single else f"{sent.message_id}/{address}",
                    sent.timestamp,
                    status,
                    email.subject,
                    detail if single else dict(detail),
                )
            )

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

    def _remember(self, email: Email, message_id: str) -> Message:
        """Keeps moto's own record of sent messages (``sent_messages``) up to date; returns
        the record (filed after those of any run, ``filing``)."""
        filing.file()
        destinations = {"ToAddresses": email.to, "CcAddresses": email.cc, "BccAddresses": email.bcc}
        body = email.html or email.text or email.raw
        record = Message(message_id, email.source, email.subject, body, destinations)
        self.backend.sent_messages.append(record)
        self.backend.sent_message_count += len(email.to) + len(email.cc) + len(email.bcc)
        return record

    def _identity_arn(self, email: Email) -> str:
        """The ARN of the identity that sends ``email``: its address if that is an identity,
        else its domain (ARNs are made once per identity)."""
        identity = email.address
        if identity not in self.backend.email_identities:
            identity = identity.rpartition("@")[2].lower()
        arn = self._arns.get(identity)
        if arn is None:
            backend = self.backend
            arn = self._arns[identity] = (
                f"arn:{backend.partition}:ses:{backend.region_name}:"
                f"{backend.account_id}:identity/{identity}"
            )
        return arn


#: A new SES MessageId from moto's seeded stream (``records.random_message_id``).
_message_id = records.random_message_id
#: The tags of a message that has none (shared, read-only).
_NO_TAGS: Mapping[str, str] = MappingProxyType({})
