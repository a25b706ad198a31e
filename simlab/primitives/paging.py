"""Offset pages: a ``NextToken`` is the index of the next item, as the emulated list APIs use."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


class PageTokenError(ValueError):
    """A ``NextToken`` is not one a list call returned."""


def page(items: Sequence[T], token: str | None, size: int | None) -> tuple[list[T], str | None]:
    """Returns the page of ``items`` that ``token`` starts (the first if empty) and the next token.

    ``size`` None means every remaining item. The next token is None after the last page.
    Raises `PageTokenError` if ``token`` is not a whole number no greater than ``len(items)``.
    """
    start = 0
    if token:
        if not token.isdigit() or int(token) > len(items):
            raise PageTokenError(f"NextToken {token!r} is not one this API returned")
        start = int(token)
    end = len(items) if size is None else start + size
    return list(items[start:end]), (str(end) if end < len(items) else None)
