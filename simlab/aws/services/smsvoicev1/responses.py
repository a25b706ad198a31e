"""The ``pinpoint-sms-voice`` (v1) REST-JSON API: each handler turns a request into a backend call.

Errors are the v1 API's own modeled exceptions (``BadRequestException``, ``NotFoundException``,
``AlreadyExistsException``, ``TooManyRequestsException``, ``LimitExceededException``).
"""

from __future__ import annotations

from typing import Any

from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult, BaseResponse, EmptyResult
from moto.core.utils import get_service_model

from simlab.aws.services.smsvoicev1.models import SmsVoiceV1Backend, pinpointsmsvoice_backends
from simlab.engage.sms import (
    ConflictError,
    NotFoundError,
    QuotaError,
    SmsError,
    ThrottledError,
)

SERVICE_NAME = "pinpoint-sms-voice"


class SmsVoiceV1Exception(ServiceException):
    """A v1 error as moto serializes it: code and Message."""


def as_service_exception(error: SmsError) -> ServiceException:
    """The v1 exception for an engine error (v1 has no reasons or fields: they go in Message)."""
    code = "BadRequestException"
    if isinstance(error, NotFoundError):
        code = "NotFoundException"
    elif isinstance(error, ConflictError) and error.reason == "RESOURCE_ALREADY_EXISTS":
        code = "AlreadyExistsException"
    elif isinstance(error, ThrottledError):
        code = "TooManyRequestsException"
    elif isinstance(error, QuotaError):
        code = "LimitExceededException"
    reason = getattr(error, "reason", "")
    text = f"{error.message} ({reason})" if reason else error.message
    exception = SmsVoiceV1Exception(code, text)
    exception.Message = text  # type: ignore[attr-defined]
    return exception


class SmsVoiceV1Response(BaseResponse):
    """Answers the eight v1 operations."""

    def __init__(self) -> None:
        super().__init__(service_name=SERVICE_NAME)
        self.automated_parameter_parsing = True

    @property
    def backend(self) -> SmsVoiceV1Backend:
        return pinpointsmsvoice_backends[self.current_account][self.region]

    def call_action(self) -> Any:
        try:
            return super().call_action()
        except SmsError as error:
            status, headers, body = self.serialized(ActionResult(as_service_exception(error)))
            return status, {**self.response_headers, **headers}, body

    def create_configuration_set(self) -> ActionResult:
        name = self.params.get("ConfigurationSetName")
        if not name:
            from simlab.engage.sms import ValidationError

            raise ValidationError("ConfigurationSetName is required", field="ConfigurationSetName")
        self.backend.create_configuration_set(name)
        return EmptyResult()

    def list_configuration_sets(self) -> ActionResult:
        names = list(self.backend.configuration_sets)
        start = int(self.params.get("NextToken") or 0)
        size = int(self.params.get("PageSize") or 100)
        result: dict[str, Any] = {"ConfigurationSets": names[start : start + size]}
        if start + size < len(names):
            result["NextToken"] = str(start + size)
        return ActionResult(result)

    def delete_configuration_set(self) -> ActionResult:
        self.backend.delete_configuration_set(self.params["ConfigurationSetName"])
        return EmptyResult()

    def create_configuration_set_event_destination(self) -> ActionResult:
        self.backend.put_destination(
            self.params["ConfigurationSetName"],
            self.params.get("EventDestinationName") or "",
            dict(self.params.get("EventDestination") or {}),
            new=True,
        )
        return EmptyResult()

    def update_configuration_set_event_destination(self) -> ActionResult:
        self.backend.put_destination(
            self.params["ConfigurationSetName"],
            self.params["EventDestinationName"],
            dict(self.params.get("EventDestination") or {}),
            new=False,
        )
        return EmptyResult()

    def delete_configuration_set_event_destination(self) -> ActionResult:
        self.backend.delete_destination(
            self.params["ConfigurationSetName"], self.params["EventDestinationName"]
        )
        return EmptyResult()

    def get_configuration_set_event_destinations(self) -> ActionResult:
        destinations = self.backend.configuration_set(self.params["ConfigurationSetName"])
        return ActionResult({"EventDestinations": [d.describe() for d in destinations.values()]})

    def send_voice_message(self) -> ActionResult:
        return ActionResult({"MessageId": self.backend.send_voice_message(dict(self.params))})


def emulated_operations() -> list[str]:
    """The model's operations that have a handler here."""
    from moto.core.utils import camelcase_to_underscores

    model = get_service_model(SERVICE_NAME)
    return [
        name
        for name in model.operation_names
        if hasattr(SmsVoiceV1Response, camelcase_to_underscores(name))
    ]
