"""The SES v2 suppression list of the account, and which reasons it and a configuration set
suppress."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from simlab.aws.services.ses import exceptions as errors
from simlab.aws.services.ses.suppression import REASONS, SuppressedDestination
from simlab.aws.services.sesv2.shared import V1State, page
from simlab.aws.state import state


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


class Suppression(V1State):
    """Put, get, delete and list suppressed destinations; set the reasons that suppress."""

    def put_suppressed_destination(self, address: str, reason: str) -> None:
        if reason not in REASONS:
            raise errors.BadRequestException(f"Reason must be one of {', '.join(REASONS)}.")
        if "@" not in address:
            raise errors.BadRequestException(f"EmailAddress {address!r} is not an email address.")
        entry = SuppressedDestination(address, reason, state().clock.now())
        self.core.suppression.put(entry)

    def get_suppressed_destination(self, address: str) -> dict[str, Any]:
        entry = self.core.suppression.get(address)
        if entry is None:
            raise errors.NotFoundException(
                f"Email address {address} does not exist on your suppression list."
            )
        return entry.full()

    def delete_suppressed_destination(self, address: str) -> None:
        if not self.core.suppression.delete(address):
            raise errors.NotFoundException(
                f"Email address {address} does not exist on your suppression list."
            )

    def list_suppressed_destinations(
        self,
        reasons: list[str] | None,
        start: datetime | None,
        end: datetime | None,
        token: str | None,
        size: int | None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        entries = self.core.suppression.entries(reasons, _aware(start), _aware(end))
        return page([entry.summary() for entry in entries], token, size)

    def put_account_suppression_attributes(self, reasons: list[str]) -> None:
        unknown = [r for r in reasons if r not in REASONS]
        if unknown:
            raise errors.BadRequestException(
                f"SuppressedReasons has {unknown}; allowed: {', '.join(REASONS)}"
            )
        self.core.suppression.suppressed_reasons = list(dict.fromkeys(reasons))

    def put_configuration_set_suppression_options(self, name: str, reasons: list[str]) -> None:
        config_set = self._config_set(name)
        unknown = [r for r in reasons if r not in REASONS]
        if unknown:
            raise errors.BadRequestException(
                f"SuppressedReasons has {unknown}; allowed: {', '.join(REASONS)}"
            )
        config_set.suppression_options = {"SuppressedReasons": list(reasons)}
