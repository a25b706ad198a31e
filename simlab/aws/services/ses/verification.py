"""Custom verification email templates and the emails they send (SES v1 and v2 share them).

``SendCustomVerificationEmail`` adds the address as a *pending* identity and mails it a link;
the identity is verified when the link is followed (``aws.mail.follow(link)``), as when the
recipient clicks it. SES sends these emails only from a verified address and only once the
account has production access (SES API reference, SendCustomVerificationEmail:
https://docs.aws.amazon.com/ses/latest/APIReference/API_SendCustomVerificationEmail.html);
an account holds at most 50 templates, each under 10 MB
(https://docs.aws.amazon.com/ses/latest/dg/creating-identities.html#send-email-verify-address-custom).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlparse

from moto.ses.utils import get_random_message_id

from simlab.aws.services.ses import exceptions as errors
from simlab.aws.services.ses.policy import is_verified
from simlab.aws.state import state
from simlab.engage.outbox_messages import OutboxMessage

if TYPE_CHECKING:
    from simlab.aws.services.ses.models import SimlabSESBackend

MAX_TEMPLATES = 50
MAX_CONTENT_BYTES = 10 * 1024 * 1024
#: Where a verification link points; following it in simlab goes through ``aws.mail.follow``.
VERIFY_BASE = "https://email-verification.{region}.amazonaws.com/"
FIELDS = (
    "TemplateName",
    "FromEmailAddress",
    "TemplateSubject",
    "TemplateContent",
    "SuccessRedirectionURL",
    "FailureRedirectionURL",
)


@dataclass
class VerificationTemplate:
    """One custom verification email template."""

    name: str
    from_address: str
    subject: str
    content: str
    success_url: str
    failure_url: str
    created: datetime

    def describe(self) -> dict[str, Any]:
        return dict(
            zip(
                FIELDS,
                (
                    self.name,
                    self.from_address,
                    self.subject,
                    self.content,
                    self.success_url,
                    self.failure_url,
                ),
                strict=True,
            )
        )

    def summary(self) -> dict[str, Any]:
        full = self.describe()
        del full["TemplateContent"]
        return full


class VerificationTemplates:
    """The account's templates, kept on the SES v1 backend for both APIs."""

    def __init__(self, backend: SimlabSESBackend) -> None:
        self.backend = backend
        self.templates: dict[str, VerificationTemplate] = {}

    def _checked(self, params: dict[str, Any], created: datetime) -> VerificationTemplate:
        for name in FIELDS:
            if not isinstance(params.get(name), str) or not params[name]:
                raise errors.InvalidParameterValue(f"Value for parameter {name} is required.")
        if not is_verified(self.backend, params["FromEmailAddress"]):
            raise errors.FromEmailAddressNotVerified(
                f"FromEmailAddress {params['FromEmailAddress']} is not a verified identity."
            )
        if len(params["TemplateContent"].encode()) >= MAX_CONTENT_BYTES:
            raise errors.CustomVerificationInvalidContent(
                "TemplateContent must be smaller than 10 MB."
            )
        name, sender, subject, content, success, failure = (params[field] for field in FIELDS)
        return VerificationTemplate(name, sender, subject, content, success, failure, created)

    def create(self, params: dict[str, Any]) -> None:
        """Adds a template; raises AlreadyExists, LimitExceeded or a field's error."""
        name = params.get("TemplateName") or ""
        if name in self.templates:
            raise errors.CustomVerificationTemplateAlreadyExists(
                f"Custom verification email template {name} already exists."
            )
        if len(self.templates) >= MAX_TEMPLATES:
            raise errors.LimitExceeded(
                f"An account can have at most {MAX_TEMPLATES} custom verification templates."
            )
        self.templates[name] = self._checked(params, state().clock.now())

    def get(self, name: str) -> VerificationTemplate:
        found = self.templates.get(name)
        if found is None:
            raise errors.CustomVerificationTemplateDoesNotExist(
                f"Custom verification email template {name} does not exist."
            )
        return found

    def update(self, params: dict[str, Any]) -> None:
        """Changes the fields given; the others keep their values."""
        old = self.get(params.get("TemplateName") or "")
        merged = {**old.describe(), **{k: v for k, v in params.items() if v is not None}}
        self.templates[old.name] = self._checked(merged, old.created)

    def delete(self, name: str) -> None:
        """Deletes a template; deleting one that does not exist changes nothing."""
        self.templates.pop(name, None)

    def page(self, token: str | None, size: int | None) -> tuple[list[dict[str, Any]], str | None]:
        """One page (at most 50) of template summaries in name order, and the next token."""
        try:
            start = int(token or 0)
        except ValueError:
            raise errors.InvalidParameterValue("NextToken is not valid.") from None
        size = size if size and 1 <= size <= MAX_TEMPLATES else MAX_TEMPLATES
        names = sorted(self.templates)
        chunk = [self.templates[n].summary() for n in names[start : start + size]]
        return chunk, (str(start + size) if start + size < len(names) else None)

    def send(self, address: str, template_name: str, configuration_set: str | None) -> str:
        """Mails ``address`` a verification link and adds it as a pending identity.

        Raises ``CustomVerificationEmailTemplateDoesNotExist``, ``ConfigurationSetDoesNotExist``,
        ``ProductionAccessNotGranted`` (in the sandbox) or ``MessageRejected`` (no address).
        """
        template = self.get(template_name)
        if configuration_set and configuration_set not in self.backend.config_sets:
            raise errors.ConfigurationSetDoesNotExist(
                f"Configuration set <{configuration_set}> does not exist."
            )
        if not self.backend.account.production_access:
            raise errors.ProductionAccessNotGranted(
                "Custom verification emails can be sent only once the account has production "
                "access."
            )
        if "@" not in address:
            raise errors.MessageRejected(f"Missing final '@domain' in address {address!r}.")
        if address not in self.backend.email_identities:
            identity = self.backend.create_email_identity_v2(address, None, None, None)
            identity.verification_status = "PENDING"
            identity.verified_for_sending_status = False
        message_id = get_random_message_id()
        link = (
            VERIFY_BASE.format(region=self.backend.region_name)
            + "?"
            + urlencode(
                {"address": address, "template": template.name, "region": self.backend.region_name}
            )
        )
        state().outbox.add(
            OutboxMessage(
                channel="EMAIL",
                service="ses",
                origin=template.from_address,
                destination=address,
                body=f"{template.content}\n\n{link}",
                message_id=message_id,
                sent_at=state().clock.now(),
                status="DELIVERED",
                subject=template.subject,
                detail={
                    "operation": "SendCustomVerificationEmail",
                    "verification_link": link,
                    "template": template.name,
                },
            )
        )
        return message_id

    def follow(self, link: str) -> str:
        """Verifies the identity a verification link names; returns the redirection URL.

        Raises ValueError for a link SES did not issue in this Region.
        """
        parsed = urlparse(link)
        query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
        expected = urlparse(VERIFY_BASE.format(region=self.backend.region_name)).netloc
        if parsed.netloc != expected or "address" not in query:
            raise ValueError(f"{link!r} is not a verification link of this Region")
        template = self.templates.get(query.get("template", ""))
        identity = self.backend.email_identities.get(query["address"])
        if identity is None:
            return template.failure_url if template else ""
        identity.verification_status = "SUCCESS"
        identity.verified_for_sending_status = True
        return template.success_url if template else ""
