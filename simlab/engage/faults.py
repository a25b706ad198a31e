"""Errors the engagement engine raises, each carrying the AWS error it becomes.

Every refusal derives from ``EngageError``, whose class names its modeled exception (``code``)
and HTTP status (``status``), the way moto's ``exceptions.py`` classes do. The engine raises them;
the local AWS renders them once, where a response class meets moto (``PinpointResponse``), so
handlers never translate by hand. ``EngageError(message)`` is the whole constructor; a subclass
may take the request member at fault first (``CampaignError(field, message)``) and keeps it as
``field``, with ``detail`` the message without the field.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class EngageError(ValueError):
    """A request the engine refuses; ``code`` names the AWS exception it becomes."""

    code = "BadRequestException"
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = ""
        self.detail = message


class BadRequest(EngageError):
    """A malformed or disallowed request; the message names the field and what is allowed."""


class NotFound(EngageError, LookupError):
    """A request naming something (an app, endpoint, segment, job ...) that does not exist."""

    code = "NotFoundException"
    status = 404


class FieldError(BadRequest):
    """A bad value of one member: ``FieldError(field, message)`` reads ``field: message``."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.detail = message


@contextmanager
def reported_as(kind: type[FieldError]) -> Iterator[None]:
    """Re-raises a ``FieldError`` of another kind met inside the block as ``kind``, same field.

    A campaign's schedule is checked by ``schedule``; its refusal reaches the caller as a
    ``CampaignError`` naming the same member.
    """
    try:
        yield
    except FieldError as error:
        if isinstance(error, kind):
            raise
        raise kind(error.field, error.detail) from None
