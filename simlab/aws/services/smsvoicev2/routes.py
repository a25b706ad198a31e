"""Server-mode routes: a customer's reply arrives with ``POST /simlab/sms/inbound``."""

from __future__ import annotations

from typing import Any

from simlab.aws.services.smsvoicev2.models import engine
from simlab.aws.state import DEFAULT_REGION
from simlab.engage.sms import SmsError

_installed = False


def install() -> None:
    """Registers the routes with the server (idempotent)."""
    global _installed
    if _installed:
        return
    from simlab.aws.server import RouteError, route

    @route("POST", "sms/inbound")
    def inbound(body: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
        """``{"from": customer, "to": your number, "body": text[, "region"]}`` -> the payload."""
        missing = [k for k in ("from", "to", "body") if not isinstance(body.get(k), str)]
        if missing:
            raise RouteError(
                f"give {', '.join(missing)} as strings: the customer's number "
                "(from), your number (to) and the text (body)"
            )
        try:
            payload = engine(body.get("region", DEFAULT_REGION)).receive(
                body["from"], body["to"], body["body"]
            )
        except SmsError as error:
            raise RouteError(error.message) from error
        return 200, payload

    @route("GET", "sms/summary")
    def summary(body: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
        """The engine's summary and event lines, as text lists."""
        sms = engine(query.get("region", DEFAULT_REGION))
        return 200, {
            "summary": sms.summary().splitlines(),
            "events": sms.events_summary().splitlines(),
        }

    _installed = True
