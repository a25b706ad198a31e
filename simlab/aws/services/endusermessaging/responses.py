"""The ``endusermessaging`` REST-JSON API: each handler turns a request into a backend call.

moto routes a request by method and path from botocore's model, parses it and serializes the
answer; every request is first checked against its input shape. Engine errors (``SmsError``)
become the modeled exceptions of this API, whose members are camelCase (``fieldList``,
``resourceId``); an operation of the model without a handler answers ``ValidationException``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult, BaseResponse, EmptyResult
from moto.core.utils import camelcase_to_underscores, get_service_model

from simlab.aws.services.endusermessaging import brand_jobs
from simlab.aws.services.endusermessaging.models import (
    EndUserMessagingBackend,
    endusermessaging_backends,
)
from simlab.aws.services.smsvoicev2.validation import validate
from simlab.engage.sms import (
    ConflictError,
    NotFoundError,
    QuotaError,
    SmsError,
    ThrottledError,
    ValidationError,
)

SERVICE_NAME = "endusermessaging"
DEFAULT_PAGE = 100


class EndUserMessagingException(ServiceException):
    """An error as moto serializes it: code, message and the modeled members."""


def as_service_exception(error: SmsError) -> ServiceException:
    """The modeled exception of this API for an engine error."""
    if isinstance(error, ValidationError):
        exception = EndUserMessagingException("ValidationException", error.message)
        exception.fieldList = (  # type: ignore[attr-defined]
            [{"path": error.field, "message": error.message}] if error.field else []
        )
    elif isinstance(error, NotFoundError | ConflictError):
        exception = EndUserMessagingException(error.code, error.message)
        exception.resourceId = error.resource_id  # type: ignore[attr-defined]
        exception.resourceType = error.resource_type  # type: ignore[attr-defined]
    elif isinstance(error, QuotaError):
        exception = EndUserMessagingException("ServiceQuotaExceededException", error.message)
    elif isinstance(error, ThrottledError):
        exception = EndUserMessagingException("ThrottlingException", error.message)
    else:
        exception = EndUserMessagingException("ValidationException", error.message)
    exception.message = error.message  # type: ignore[attr-defined]
    return exception


def page(items: Sequence[Any], token: str | None, size: int | None) -> tuple[list[Any], str]:
    """A page of ``items`` and the token of the next (``""`` at the end)."""
    start = 0
    if token:
        if not token.isdigit() or int(token) > len(items):
            raise ValidationError("nextToken is not one this API returned", field="nextToken")
        start = int(token)
    end = start + (size or DEFAULT_PAGE)
    return list(items[start:end]), (str(end) if end < len(items) else "")


class EndUserMessagingResponse(brand_jobs.BrandJobHandlers, BaseResponse):
    """Answers every ``endusermessaging`` operation."""

    def __init__(self) -> None:
        super().__init__(service_name=SERVICE_NAME)
        self.automated_parameter_parsing = True

    @property
    def backend(self) -> EndUserMessagingBackend:
        return endusermessaging_backends[self.current_account][self.region]

    def call_action(self) -> Any:
        action = self._get_action() or ""
        model = get_service_model(SERVICE_NAME)
        try:
            if action in model.operation_names:
                if not hasattr(self, camelcase_to_underscores(action)):
                    raise ValidationError(f"{action} is not emulated by simlab's local AWS yet")
                validate(model.operation_model(action).input_shape, dict(self.params))
            return super().call_action()
        except SmsError as error:
            status, headers, body = self.serialized(ActionResult(as_service_exception(error)))
            return status, {**self.response_headers, **headers}, body

    def _param(self, name: str, default: Any = None) -> Any:
        value = self.params.get(name)
        return default if value is None else value

    def _paged(self, key: str, items: Sequence[Any], **describe: Any) -> ActionResult:
        chosen, token = page(items, self._param("nextToken"), self._param("maxResults"))
        result: dict[str, Any] = {key: [i.describe(**describe) for i in chosen]}
        if token:
            result["nextToken"] = token
        return ActionResult(result)

    # -- brand profiles ----------------------------------------------------------------------

    def create_brand_profile(self) -> ActionResult:
        record = self.backend.create_profile(
            self._param("brandProfileName"),
            bool(self._param("deletionProtectionEnabled", False)),
            self._param("tags"),
        )
        return ActionResult({**record.describe(), "attributesCreated": len(record.attributes)})

    def get_brand_profile(self) -> ActionResult:
        return ActionResult(self.backend.profile(self._param("brandProfileId")).describe())

    def list_brand_profiles(self) -> ActionResult:
        return self._paged("brandProfiles", list(self.backend.profiles.values()))

    def update_brand_profile(self) -> ActionResult:
        record = self.backend.update_profile(
            self._param("brandProfileId"),
            self._param("brandProfileName"),
            self._param("deletionProtectionEnabled"),
        )
        return ActionResult(record.describe())

    def delete_brand_profile(self) -> ActionResult:
        record = self.backend.delete_profile(self._param("brandProfileId"))
        return ActionResult({"brandProfileId": record.profile_id, "brandProfileArn": record.arn})

    def create_brand_profile_attributes(self) -> ActionResult:
        created = self.backend.add_attributes(
            self._param("brandProfileId"), self._param("attributes")
        )
        return ActionResult(
            {"attributes": [{"attributeName": a.name, "attributeType": a.kind} for a in created]}
        )

    def get_brand_profile_attribute(self) -> ActionResult:
        attribute = self.backend.attribute(
            self._param("brandProfileId"), self._param("attributeName")
        )
        return ActionResult(attribute.describe())

    def list_brand_profile_attributes(self) -> ActionResult:
        record = self.backend.profile(self._param("brandProfileId"))
        return self._paged("brandProfileAttributes", list(record.attributes.values()), summary=True)

    def update_brand_profile_attribute(self) -> ActionResult:
        attribute = self.backend.update_attribute(
            self._param("brandProfileId"), self._param("attributeName"), dict(self.params)
        )
        return ActionResult(attribute.describe())

    def delete_brand_profile_attribute(self) -> ActionResult:
        attribute = self.backend.delete_attribute(
            self._param("brandProfileId"), self._param("attributeName")
        )
        profile = self.backend.profile(self._param("brandProfileId"))
        return ActionResult({"brandProfileId": profile.profile_id, "attributeName": attribute.name})

    # -- jobs ------------------------------------------------------------------------------

    def get_job(self) -> ActionResult:
        return ActionResult(self.backend.job(self._param("jobId")).describe())

    def list_jobs(self) -> ActionResult:
        jobs = list(self.backend.jobs.values())
        for key, attribute in (
            ("status", "status"),
            ("operationType", "operation"),
            ("brandProfileId", "brand_profile_id"),
        ):
            wanted = self._param(key)
            if wanted is not None:
                if key == "brandProfileId":
                    wanted = self.backend.profile(wanted).profile_id
                jobs = [j for j in jobs if getattr(j, attribute) == wanted]
        return self._paged("jobs", jobs, summary=True)

    # -- notify code configurations --------------------------------------------------------

    def create_notify_code_configuration(self) -> ActionResult:
        record = self.backend.create_code_configuration(dict(self.params))
        return ActionResult({"notifyCodeConfiguration": record.describe()})

    def get_notify_code_configuration(self) -> ActionResult:
        record = self.backend.code_configuration(self._param("notifyCodeConfigurationId"))
        return ActionResult({"notifyCodeConfiguration": record.describe()})

    def list_notify_code_configurations(self) -> ActionResult:
        return self._paged(
            "notifyCodeConfigurations", list(self.backend.code_configurations.values())
        )

    def update_notify_code_configuration(self) -> ActionResult:
        record = self.backend.update_code_configuration(
            self._param("notifyCodeConfigurationId"), dict(self.params)
        )
        return ActionResult({"notifyCodeConfiguration": record.describe()})

    def delete_notify_code_configuration(self) -> ActionResult:
        self.backend.delete_code_configuration(self._param("notifyCodeConfigurationId"))
        return EmptyResult()

    # -- verification ----------------------------------------------------------------------

    def send_notify_code_verification(self) -> ActionResult:
        verification_id, message_id = self.backend.send_code(dict(self.params))
        return ActionResult({"verificationId": verification_id, "messageId": message_id})

    def validate_notify_code_verification(self) -> ActionResult:
        status = self.backend.verifier.validate(
            self._param("destinationIdentity"), self._param("referenceId"), self._param("code")
        )
        return ActionResult({"status": status})

    # -- tags ------------------------------------------------------------------------------

    def list_tags_for_resource(self) -> ActionResult:
        return ActionResult({"tags": list(self.backend.tagged(self._param("resourceArn")).tags)})

    def tag_resource(self) -> ActionResult:
        record = self.backend.tagged(self._param("resourceArn"))
        merged = {t["key"]: t["value"] for t in record.tags}
        merged.update({t["key"]: t["value"] for t in self._param("tags")})
        if len(merged) > 50:
            raise QuotaError("a resource holds at most 50 tags", reason="")
        record.tags = [{"key": k, "value": v} for k, v in merged.items()]
        return EmptyResult()

    def untag_resource(self) -> ActionResult:
        record = self.backend.tagged(self._param("resourceArn"))
        keys = set(self._param("tagKeys"))
        record.tags = [t for t in record.tags if t["key"] not in keys]
        return EmptyResult()


def emulated_operations() -> list[str]:
    """The model's operations that have a handler here."""
    model = get_service_model(SERVICE_NAME)
    return [
        name
        for name in model.operation_names
        if hasattr(EndUserMessagingResponse, camelcase_to_underscores(name))
    ]
