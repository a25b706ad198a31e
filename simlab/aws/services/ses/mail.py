"""The world's side of email: ``aws.mail`` in Python, ``/simlab/mail/...`` over HTTP.

``aws.mail.receive(sender, to, subject, text)`` delivers an email to the account as a mail
server on the internet would, through its IP filters and active receipt rule set;
``aws.mail.follow(link)`` follows a custom verification link or an unsubscribe link from an
email in the outbox, as its recipient clicking it would.
"""

from __future__ import annotations

from typing import Any, cast

from moto.backends import get_backend

from simlab.aws.server import RouteError, route
from simlab.aws.services.ses import list_management
from simlab.aws.services.ses.inbound import DEFAULT_SOURCE_IP, InboundEmail, compose
from simlab.aws.services.ses.models import SimlabSESBackend
from simlab.aws.state import DEFAULT_REGION, current_account


class MailControl:
    """Inbound mail and link clicks for one Region of the local AWS."""

    def __init__(self, region: str = DEFAULT_REGION) -> None:
        self.region = region

    @property
    def backend(self) -> SimlabSESBackend:
        # the registry installs simlab's subclass under moto's name
        return cast(SimlabSESBackend, get_backend("ses")[current_account()][self.region])

    def receive(
        self,
        sender: str = "",
        to: str | list[str] = "",
        subject: str = "",
        text: str = "",
        *,
        raw: str | None = None,
        source_ip: str = DEFAULT_SOURCE_IP,
    ) -> InboundEmail:
        """Delivers one email to the account; returns what the rules did with it.

        Give ``sender``, ``to``, ``subject`` and ``text``, or a whole MIME message as ``raw``
        (then ``to``, if given, overrides its recipients). Raises ValueError for a message
        with no sender or recipients, or a ``source_ip`` that is not an IP address.
        """
        recipients = [to] if isinstance(to, str) and to else list(to or [])
        if raw is None:
            if not sender or not recipients:
                raise ValueError("give sender and to (or a raw MIME message)")
            raw = compose(sender, recipients, subject, text)
        return self.backend.receiver.receive(raw, recipients or None, source_ip)

    @property
    def inbound(self) -> list[InboundEmail]:
        """Every email received so far, accepted or not."""
        return list(self.backend.inbound)

    def follow(self, link: str) -> str:
        """Follows a verification or unsubscribe link; returns what the click did.

        Raises ValueError for a link SES did not put in an email of this Region.
        """
        if list_management.is_unsubscribe_link(link):
            return list_management.unsubscribe(self.backend, link)
        return self.backend.verification_templates.follow(link)

    def __repr__(self) -> str:
        return f"MailControl(region={self.region!r}, received={len(self.backend.inbound)})"


def _text(body: dict[str, Any], key: str) -> str:
    value = body.get(key, "")
    if not isinstance(value, str):
        raise RouteError(f"{key!r} must be a string")
    return value


@route("POST", "mail/inbound")
def _inbound(body: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
    allowed = {"from", "to", "subject", "text", "raw", "source_ip", "region"}
    unknown = set(body) - allowed
    if unknown:
        raise RouteError(f"unknown field(s) {sorted(unknown)}; allowed: {sorted(allowed)}")
    to = body.get("to", [])
    if isinstance(to, str):
        to = [to]
    if not isinstance(to, list) or not all(isinstance(t, str) for t in to):
        raise RouteError("'to' must be an address or a list of addresses")
    control = MailControl(_text(body, "region") or DEFAULT_REGION)
    try:
        received = control.receive(
            _text(body, "from"),
            to,
            _text(body, "subject"),
            _text(body, "text"),
            raw=body.get("raw") if isinstance(body.get("raw"), str) else None,
            source_ip=_text(body, "source_ip") or DEFAULT_SOURCE_IP,
        )
    except (ValueError, KeyError) as error:
        raise RouteError(str(error)) from error
    return 200, received.summary()


@route("POST", "mail/follow")
def _follow(body: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
    link = _text(body, "link")
    try:
        outcome = MailControl(_text(body, "region") or DEFAULT_REGION).follow(link)
    except ValueError as error:
        raise RouteError(str(error)) from error
    return 200, {"link": link, "result": outcome}
