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
from moto.core.responses import ActionResult, EmptyResult

from simlab.aws.services.endusermessaging import brand_jobs
from simlab.aws.services.endusermessaging.models import (
    EndUserMessagingBackend,
    endusermessaging_backends,
)
from simlab.aws.services.smsvoicev2.json_api import EngineException, EngineResponse
from simlab.engage.sms import (
    ConflictError,
    NotFoundError,
    QuotaError,
    SmsError,
    ValidationError,
)

SERVICE_NAME = "endusermessaging"


def as_service_exception(error: SmsError) -> ServiceException:
    """The modeled exception of this API for an engine error (camelCase members)."""
    exception = EngineException(error.code, error.message)
    if isinstance(error, ValidationError):
        exception.fieldList = (  # type: ignore[attr-defined]
            [{"path": error.field, "message": error.message}] if error.field else []
        )
    elif isinstance(error, NotFoundError | ConflictError):
        exception.resourceId = error.resource_id  # type: ignore[attr-defined]
        exception.resourceType = error.resource_type  # type: ignore[attr-defined]
    exception.message = error.message
    return exception


class EndUserMessagingResponse(brand_jobs.BrandJobHandlers, EngineResponse):
    """Answers every ``endusermessaging`` operation."""

    SERVICE_NAME = SERVICE_NAME
    TOKEN = "nextToken"
    SIZE = "maxResults"

    @property
    def backend(self) -> EndUserMessagingBackend:
        return endusermessaging_backends[self.current_account][self.region]

    def render(self, error: SmsError) -> ServiceException:
        return as_service_exception(error)

    def _paged(self, key: str, items: Sequence[Any], **describe: Any) -> ActionResult:
        return self.listed(key, items, lambda i: i.describe(**describe))

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
    return EndUserMessagingResponse.emulated_operations()
