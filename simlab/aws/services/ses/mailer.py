"""What SES does with a message it accepted: the outbox, event records, and each recipient's fate.

A Send record goes out at once; Delivery, Bounce, Complaint, DeliveryDelay, Open and Click follow
after seeded latencies on the simulated clock, so they appear as the clock advances. The outbox
gets one entry per recipient (its ``message_id`` is the SES MessageId, suffixed ``/<address>``
when the message has several recipients) whose status follows the outcome:
SENT → DELIVERED / BOUNCED / COMPLAINED / DELAYED, or REJECTED, SUPPRESSED, RENDERING_FAILED.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from moto.ses.models import Message

from simlab.aws.services.ses import records
from simlab.aws.services.ses.exceptions import REFUSED_STATUS, Refusal
from simlab.aws.services.ses.mail_outcomes import MailOutcomes
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


class Mailer(MailOutcomes):
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


#: A new SES MessageId from moto's seeded stream (``records.random_message_id``).
_message_id = records.random_message_id
