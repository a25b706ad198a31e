"""What the JSON APIs of End User Messaging share: model checks, engine errors, paging.

``pinpoint-sms-voice-v2`` and ``endusermessaging`` answer the same way: a request is checked
against its input shape before its handler runs, an operation of the model without a handler
answers ``ValidationException`` (``UNKNOWN_OPERATION``), and an engine error (``SmsError``, an
``EngageError`` carrying its AWS code) is rendered by the service's ``render`` in its own member
names. Handlers never catch engine errors themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult, BaseResponse
from moto.core.utils import camelcase_to_underscores, get_service_model

from simlab.aws.services.smsvoicev2.validation import validate
from simlab.engage.sms import SmsError, ValidationError

DEFAULT_PAGE = 100


def _same(item: Any) -> Any:
    return item


class EngineException(ServiceException):
    """An engine error as moto serializes it: the code, the message and the modeled members."""


class EngineResponse(BaseResponse):
    """A moto response class whose handlers call the SMS engine or a backend built on it."""

    SERVICE_NAME: ClassVar[str]
    #: The request members that carry the paging token and page size.
    TOKEN: ClassVar[str] = "NextToken"
    SIZE: ClassVar[str] = "MaxResults"

    def __init__(self) -> None:
        super().__init__(service_name=self.SERVICE_NAME)
        self.automated_parameter_parsing = True

    def render(self, error: SmsError) -> ServiceException:
        """The modeled exception of this service for ``error``."""
        raise NotImplementedError

    def run_action(self) -> Any:
        """Runs the handler (a service may wrap it, e.g. in a context)."""
        return super().call_action()

    def call_action(self) -> Any:
        action = self._get_action() or ""
        model = get_service_model(self.SERVICE_NAME)
        try:
            if action in model.operation_names:
                if not hasattr(self, camelcase_to_underscores(action)):
                    raise ValidationError(
                        f"{action} is not emulated by simlab's local AWS yet; the emulated "
                        f"operations are {', '.join(self.emulated_operations())}",
                        reason="UNKNOWN_OPERATION",
                    )
                validate(model.operation_model(action).input_shape, dict(self.params))
            return self.run_action()
        except SmsError as error:
            status, headers, body = self.serialized(ActionResult(self.render(error)))
            return status, {**self.response_headers, **headers}, body

    @classmethod
    def emulated_operations(cls) -> list[str]:
        """The model's operations that have a handler here."""
        model = get_service_model(cls.SERVICE_NAME)
        return [n for n in model.operation_names if hasattr(cls, camelcase_to_underscores(n))]

    def _param(self, name: str, default: Any = None) -> Any:
        value = self.params.get(name)
        return default if value is None else value

    def page(self, items: Sequence[Any]) -> tuple[list[Any], str]:
        """The page of ``items`` the request asks for, and the next token (``""`` at the end).

        Raises ValidationError naming the token member when the token is not one we returned.
        """
        token, start = self._param(self.TOKEN), 0
        if token:
            if not str(token).isdigit() or int(token) > len(items):
                raise ValidationError(
                    f"{self.TOKEN} is not one this API returned",
                    reason="INVALID_NEXT_TOKEN",
                    field=self.TOKEN,
                )
            start = int(token)
        end = start + (self._param(self.SIZE) or DEFAULT_PAGE)
        return list(items[start:end]), (str(end) if end < len(items) else "")

    def listed(
        self, key: str, items: Sequence[Any], row: Callable[[Any], Any] = _same, **extra: Any
    ) -> ActionResult:
        """One page of ``items`` (each turned into ``row(item)``) under ``key``, beside
        ``extra``, with the next token when more follow."""
        page, token = self.page(items)
        result: dict[str, Any] = {**extra, key: [row(i) for i in page]}
        if token:
            result[self.TOKEN] = token
        return ActionResult(result)
