"""What every operation mixin of ``SmsVoiceV2Response`` may use; the response class provides it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from moto.core.responses import ActionResult

if TYPE_CHECKING:
    from simlab.aws.services.smsvoicev2.extras import Extras
    from simlab.engage.sms import SmsVoiceEngine


class Handlers:
    """The base of the operation mixins: the request's parameters and paged answers."""

    current_account: str

    if TYPE_CHECKING:  # provided by the response class

        @property
        def engine(self) -> SmsVoiceEngine:
            """The account's SMS and voice engine in the request's Region."""

        @property
        def extras(self) -> Extras:
            """The state the v2 API keeps beside the engine."""

        def _param(self, name: str, default: Any = None) -> Any:
            """A request parameter, or ``default`` when absent."""

        def _paged(self, key: str, items: Sequence[Any], **extra: Any) -> ActionResult:
            """One page of objects (described) under ``key``, with NextToken when more follow."""

        def _rows(self, key: str, rows: list[dict[str, Any]], **extra: Any) -> ActionResult:
            """One page of ready rows under ``key``, with NextToken when more follow."""

        def page(self, items: Sequence[Any]) -> tuple[list[Any], str]:
            """The page of ``items`` the request asks for, and the next token."""
