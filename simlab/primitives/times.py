"""Time as AWS writes it: ISO 8601 in UTC with milliseconds and a ``Z``."""

from __future__ import annotations

from datetime import UTC, datetime


def iso(moment: datetime) -> str:
    """Returns ``2026-01-05T09:00:00.000Z`` for ``moment`` (a naive datetime is taken as UTC)."""
    if moment.tzinfo is not None and moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    if moment.year >= 1000:  # ``isoformat`` pads a year to four digits; ``strftime`` does not
        return f"{moment.isoformat(timespec='milliseconds')[:23]}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def iso_seconds(seconds: float) -> str:
    """Returns Unix ``seconds`` in the form of `iso`."""
    return iso(datetime.fromtimestamp(seconds, UTC))


def parse_instant(text: str) -> datetime:
    """Returns an aware UTC datetime from ISO 8601 text (``Z`` or an offset; naive means UTC).

    Raises ``ValueError`` if ``text`` is not an ISO 8601 string; callers turn it into their
    service's error naming the field.
    """
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not an ISO 8601 time")
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
