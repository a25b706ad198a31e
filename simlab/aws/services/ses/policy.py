"""The sending rules both SES APIs share: what a send must satisfy before SES accepts it.

In order: sending enabled, the configuration set exists and may send, the template exists and
its data is JSON, at most 50 recipients with well-formed addresses, a verified sender, in the
sandbox only verified (or mailbox simulator) recipients, then the daily quota and the sending
rate. A refused send raises ``Refusal`` and changes nothing; each API words it its own way.
"""

from __future__ import annotations

import email.utils
import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simlab.aws.services.ses import exceptions as errors
from simlab.aws.services.ses.exceptions import Refusal
from simlab.aws.services.ses.outcomes import is_simulator
from simlab.aws.services.ses.rendering import TemplateDataError, parse_data
from simlab.facts import ses as facts

if TYPE_CHECKING:
    from simlab.aws.services.ses.models import SimlabSESBackend


#: A bare dot-atom address (``first.last+tag@mail.example.com``), which ``parseaddr`` returns as is.
#: Its runs and repeats are possessive: none can end earlier and still match the whole address
#: (each part stops only at a character it cannot take, a dot or the ``@``, which its next part
#: needs), so a ``fullmatch`` answers as the greedy pattern's would, with no backtracking to
#: keep ready.
BARE_ADDRESS = re.compile(
    r"[\w+-]++(?:\.[\w+-]++)*+@[A-Za-z0-9-]++(?:\.[A-Za-z0-9-]++)*+", re.ASCII
)


@functools.lru_cache(maxsize=4_096)
def parseaddr(address: str) -> tuple[str, str]:
    """``email.utils.parseaddr``, remembered: one send parses the same addresses many times.

    A bare address, the usual case, is its own answer and skips the parser. The cache is small
    (a send's addresses, not every address ever seen) so memory stays flat.
    """
    if BARE_ADDRESS.fullmatch(address):
        return "", address
    return email.utils.parseaddr(address)


@dataclass
class Email:
    """One message as either API submits it, before SES accepts it."""

    source: str
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    bcc: list[str] = field(default_factory=list)
    subject: str = ""
    text: str = ""
    html: str = ""
    raw: str = ""
    configuration_set: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    template: str | None = None
    template_data: str | None = None
    template_content: dict[str, str] | None = None
    operation: str = "SendEmail"
    attachments: list[dict[str, Any]] = field(default_factory=list)

    @property
    def recipients(self) -> list[str]:
        return [*self.to, *self.cc, *self.bcc]

    @property
    def address(self) -> str:
        """The sender's bare address."""
        return parseaddr(self.source)[1]


def _domain(address: str) -> str:
    return address.rpartition("@")[2].lower()


def is_verified(backend: SimlabSESBackend, address: str) -> bool:
    """True if ``address`` or its domain is a verified identity."""
    bare = parseaddr(address)[1]
    identities = backend.email_identities
    identity = identities.get(bare)
    if identity is not None and identity.verification_status == "SUCCESS":
        return True
    identity = identities.get(_domain(bare))
    return identity is not None and identity.verification_status == "SUCCESS"


def default_configuration_set(backend: SimlabSESBackend, email: Email) -> str | None:
    """The configuration set a message uses: its own, else its identity's default (v2)."""
    if email.configuration_set:
        return email.configuration_set
    identities = backend.email_identities
    address = email.address
    identity = identities.get(address)
    if identity is None or not identity.configuration_set_name:
        identity = identities.get(_domain(address))
        if identity is None or not identity.configuration_set_name:
            return None
    return str(identity.configuration_set_name)


def template_of(backend: SimlabSESBackend, name: str) -> dict[str, Any]:
    """The stored template ``name``; refuses if there is none."""
    template = backend.templates.get(name)
    if not template:
        raise Refusal(errors.TEMPLATE, f"Template {name} does not exist.")
    return template


def check_request(backend: SimlabSESBackend, email: Email) -> None:
    """The rules a whole request must meet (for bulk sends, before any destination):
    sending enabled, configuration set, template and its data, a verified sender."""
    account = backend.account
    if not account.sending_enabled:
        raise Refusal(errors.PAUSED, "Sending is paused for this account.")
    name = email.configuration_set
    if name:
        config_set = backend.config_sets.get(name)
        if config_set is None:
            raise Refusal(errors.CONFIGURATION_SET, f"Configuration set <{name}> does not exist.")
        sending = config_set.enabled
        if isinstance(sending, dict) and sending.get("SendingEnabled") is False:
            raise Refusal(
                errors.CONFIGURATION_SET_PAUSED,
                f"Sending is paused for configuration set <{name}>.",
            )
    if email.template is not None and email.template_content is None:
        template_of(backend, email.template)
        try:
            parse_data(email.template_data)
        except TemplateDataError as error:
            raise Refusal(errors.INVALID, str(error)) from error
    if not is_verified(backend, email.source):
        backend.rejected_messages_count += 1
        raise Refusal(errors.NOT_VERIFIED, _not_verified(backend, [email.address]))


def _not_verified(backend: SimlabSESBackend, addresses: list[str]) -> str:
    return (
        "Email address is not verified. The following identities failed the check in region "
        f"{backend.region_name.upper()}: {', '.join(dict.fromkeys(addresses))}"
    )


def admit(backend: SimlabSESBackend, email: Email, now: float) -> list[str]:
    """Applies every sending rule to ``email``; raises Refusal, or counts it against quotas
    and returns its recipients' bare addresses (To, Cc, then Bcc)."""
    check_request(backend, email)
    account = backend.account
    recipients = email.recipients
    if not recipients:
        raise Refusal(errors.INVALID, "Destination must name at least one recipient.")
    limit = facts.MAX_RECIPIENTS_PER_MESSAGE.value
    if len(recipients) > limit:
        raise Refusal(errors.REJECTED, f"Recipient count exceeds {limit}.")
    _check_address(email.source, email.address)
    bare = [parseaddr(address)[1] for address in recipients]
    for address, found in zip(recipients, bare, strict=True):
        _check_address(address, found)
    simulated = [is_simulator(address) for address in bare]
    if not account.production_access:
        unverified = [
            found
            for address, found, simulator in zip(recipients, bare, simulated, strict=True)
            if not simulator and not is_verified(backend, address)
        ]
        if unverified:
            backend.rejected_messages_count += 1
            raise Refusal(errors.NOT_VERIFIED, _not_verified(backend, unverified))
    refused = account.admit(now, len(recipients), len(recipients) - sum(simulated))
    if refused == "daily":
        raise Refusal(errors.DAILY_QUOTA, "Daily message quota exceeded.")
    if refused == "rate":
        raise Refusal(errors.THROTTLED, "Maximum sending rate exceeded.")
    return bare


def _check_address(address: str, bare: str) -> None:
    """Refuses an address with no local part or no domain (``bare`` is its bare form): no
    ``@``, or one first or last."""
    if bare.find("@") < 1 or bare[-1] == "@":
        raise Refusal(errors.INVALID, f"Missing final '@domain' in address {address!r}.")
