"""Errors the engagement engine raises; the local AWS turns them into Pinpoint's modeled errors."""

from __future__ import annotations


class EngageError(ValueError):
    """A request the engine refuses; ``code`` names the Pinpoint exception it becomes."""

    code = "BadRequestException"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(EngageError):
    """A malformed or disallowed request; the message names the field and what is allowed."""


class NotFound(EngageError):
    """A request naming something (an app, endpoint, segment, job ...) that does not exist."""

    code = "NotFoundException"


class TooManyRequests(EngageError):
    """A request over a rate quota."""

    code = "TooManyRequestsException"
