"""What every operation mixin of ``SimlabSESV2Response`` may use; the response class provides it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simlab.aws.services.sesv2.models import SimlabSESV2Backend


class V2Handlers:
    """The base of the SES v2 operation mixins: the backend and the request's parameters."""

    _params: Callable[[], dict[str, Any]]

    if TYPE_CHECKING:  # provided by the response class

        @property
        def backend(self) -> SimlabSESV2Backend:
            """The account's SES v2 backend in the request's Region."""
