"""The moto backend of ``endusermessaging``: brand profiles, jobs, tags, Notify code verification.

Brand profiles hold a business's registration data once (attributes) and fill SMS
registrations from it, or are filled from one; those operations run as jobs that finish on the
simulated clock (``GetJob``). Notify codes are issued by ``simlab.engage.notify`` and delivered
by the SMS and voice engine of ``pinpoint-sms-voice-v2``, so a code obeys origination identities,
the sandbox, opt-outs and spend, and lands in the outbox (service ``endusermessaging``).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import boto3
from moto.core.base_backend import BackendDict, BaseBackend
from moto.moto_api._internal import mock_random

from simlab.aws.services.endusermessaging.notify_codes import NotifyCodes
from simlab.aws.services.smsvoicev2.models import backend as sms_backend
from simlab.aws.state import DEFAULT_REGION, current_account, state
from simlab.engage.notify import (
    CodeConfiguration,
    CodeVerifier,
)
from simlab.engage.sms import ConflictError, NotFoundError, QuotaError, ValidationError

SERVICE = "endusermessaging"
#: Seconds a brand profile job takes on the simulated clock (a simulation assumption).
JOB_SECONDS = 30.0
MAX_BRAND_PROFILES = 100  # a simulation bound, not an AWS quota


def _id(prefix: str) -> str:
    return f"{prefix}-{mock_random.uuid4().hex}"


@dataclass
class Attribute:
    """One attribute of a brand profile: text, or an image or document."""

    name: str
    kind: str
    created: datetime
    updated: datetime
    value: str | None = None
    description: str | None = None
    category: str | None = None
    media: bytes | None = None

    def describe(self, summary: bool = False) -> dict[str, Any]:
        result: dict[str, Any] = {
            "attributeName": self.name,
            "attributeType": self.kind,
            "createdAt": self.created,
            "updatedAt": self.updated,
        }
        for key, value in (("description", self.description), ("category", self.category)):
            if value is not None:
                result[key] = value
        if summary:
            return result
        if self.value is not None:
            result["attributeValue"] = self.value
        if self.media is not None:
            result["mediaContentType"] = "image/png" if self.kind == "IMAGE" else "application/pdf"
            result["mediaSizeBytes"] = len(self.media)
        return result


@dataclass
class BrandProfile:
    profile_id: str
    arn: str
    name: str
    deletion_protection: bool
    created: datetime
    updated: datetime
    status: str = "ACTIVE"
    attributes: dict[str, Attribute] = field(default_factory=dict)
    registrations: dict[str, dict[str, Any]] = field(default_factory=dict)
    tags: list[dict[str, str]] = field(default_factory=list)

    def describe(self) -> dict[str, Any]:
        return {
            "brandProfileId": self.profile_id,
            "brandProfileArn": self.arn,
            "brandProfileName": self.name,
            "status": self.status,
            "deletionProtectionEnabled": self.deletion_protection,
            "createdAt": self.created,
            "updatedAt": self.updated,
        }


@dataclass
class Job:
    job_id: str
    operation: str
    created: datetime
    updated: datetime
    brand_profile_id: str | None = None
    status: str = "PROCESSING"
    error_code: str | None = None
    error_message: str | None = None
    resources: list[dict[str, str]] = field(default_factory=list)

    def describe(self, summary: bool = False) -> dict[str, Any]:
        result: dict[str, Any] = {
            "jobId": self.job_id,
            "status": self.status,
            "operationType": self.operation,
            "createdAt": self.created,
            "updatedAt": self.updated,
        }
        optional = {
            "brandProfileId": self.brand_profile_id,
            "errorCode": self.error_code,
            "errorMessage": self.error_message,
        }
        result.update({k: v for k, v in optional.items() if v is not None})
        if self.resources and not summary:
            result["resources"] = list(self.resources)
        return result


class EndUserMessagingBackend(NotifyCodes, BaseBackend):
    """One account's brand profiles, jobs, code configurations and verifications in a Region."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        shared = state(account_id)
        self.clock, self.outbox = shared.clock, shared.outbox
        self.profiles: dict[str, BrandProfile] = {}
        self.jobs: dict[str, Job] = {}
        self.code_configurations: dict[str, CodeConfiguration] = {}
        self.verifier = CodeVerifier(shared.clock, shared.rng)

    def arn(self, kind: str, name: str) -> str:
        return f"arn:aws:end-user-messaging:{self.region_name}:{self.account_id}:{kind}/{name}"

    @property
    def sms(self) -> Any:
        return sms_backend(self.region_name, self.account_id)

    # -- brand profiles ----------------------------------------------------------------------

    def profile(self, ref: str) -> BrandProfile:
        key = ref.rsplit("/", 1)[-1]
        if key not in self.profiles:
            raise NotFoundError("brand-profile", ref)
        return self.profiles[key]

    def create_profile(
        self, name: str, deletion_protection: bool, tags: list[dict[str, str]] | None
    ) -> BrandProfile:
        if len(self.profiles) >= MAX_BRAND_PROFILES:
            raise QuotaError(
                f"an account holds at most {MAX_BRAND_PROFILES} brand profiles", reason=""
            )
        profile_id = _id("bp")
        now = self.clock.now()
        record = BrandProfile(
            profile_id, self.arn("brand-profile", profile_id), name, deletion_protection, now, now
        )
        record.tags = list(tags or [])
        self.profiles[profile_id] = record
        return record

    def update_profile(
        self, ref: str, name: str | None, deletion_protection: bool | None
    ) -> BrandProfile:
        record = self.profile(ref)
        if name is not None:
            record.name = name
        if deletion_protection is not None:
            record.deletion_protection = deletion_protection
        record.updated = self.clock.now()
        return record

    def delete_profile(self, ref: str) -> BrandProfile:
        record = self.profile(ref)
        if record.deletion_protection:
            raise ConflictError(
                f"brand profile {record.profile_id} has deletion protection; turn "
                "deletionProtectionEnabled off with UpdateBrandProfile first",
                reason="DELETION_PROTECTION_ENABLED",
                resource_type="brand-profile",
                resource_id=record.profile_id,
            )
        return self.profiles.pop(record.profile_id)

    def add_attributes(self, ref: str, items: list[dict[str, Any]]) -> list[Attribute]:
        record = self.profile(ref)
        names = [item["attributeName"] for item in items]
        taken = [n for n in names if n in record.attributes] or [
            n for n in set(names) if names.count(n) > 1
        ]
        if taken:
            raise ConflictError(
                f"brand profile {record.profile_id} already has attribute {taken[0]!r}; change it "
                "with UpdateBrandProfileAttribute",
                reason="RESOURCE_ALREADY_EXISTS",
                resource_type="brand-profile-attribute",
                resource_id=taken[0],
            )
        created = []
        for index, item in enumerate(items):
            kind = item["attributeType"]
            media = _media(item.get("attachmentBody"))
            where = f"attributes[{index}]"
            if kind == "TEXT" and item.get("attributeValue") is None:
                raise ValidationError(
                    f"{where}.attributeValue is required for a TEXT attribute",
                    field=f"{where}.attributeValue",
                )
            if kind != "TEXT" and media is None:
                raise ValidationError(
                    f"{where}.attachmentBody is required for an {kind} attribute",
                    field=f"{where}.attachmentBody",
                )
            now = self.clock.now()
            created.append(
                Attribute(
                    item["attributeName"],
                    kind,
                    now,
                    now,
                    item.get("attributeValue") if kind == "TEXT" else None,
                    item.get("description"),
                    item.get("category"),
                    media,
                )
            )
        for attribute in created:
            record.attributes[attribute.name] = attribute
        record.updated = self.clock.now()
        return created

    def attribute(self, ref: str, name: str) -> Attribute:
        record = self.profile(ref)
        if name not in record.attributes:
            raise NotFoundError("brand-profile-attribute", name)
        return record.attributes[name]

    def update_attribute(self, ref: str, name: str, changes: dict[str, Any]) -> Attribute:
        attribute = self.attribute(ref, name)
        if attribute.kind == "TEXT" and changes.get("attachmentBody") is not None:
            raise ValidationError(
                "attachmentBody applies to IMAGE and DOCUMENT attributes; give attributeValue",
                field="attachmentBody",
            )
        if attribute.kind == "TEXT" and changes.get("attributeValue") is not None:
            attribute.value = changes["attributeValue"]
        if attribute.kind != "TEXT" and changes.get("attachmentBody") is not None:
            attribute.media = _media(changes["attachmentBody"])
        for key, attr in (("description", "description"), ("category", "category")):
            if changes.get(key) is not None:
                setattr(attribute, attr, changes[key])
        attribute.updated = self.clock.now()
        return attribute

    def delete_attribute(self, ref: str, name: str) -> Attribute:
        attribute = self.attribute(ref, name)
        return self.profile(ref).attributes.pop(attribute.name)

    # -- jobs ------------------------------------------------------------------------------

    def job(self, job_id: str) -> Job:
        if job_id not in self.jobs:
            raise NotFoundError("job", job_id)
        return self.jobs[job_id]

    def start_job(self, operation: str, profile: BrandProfile | None, work: Any) -> Job:
        """Queues ``work(job)`` to run after ``JOB_SECONDS`` of simulated time."""
        now = self.clock.now()
        record = Job(_id("job"), operation, now, now, profile.profile_id if profile else None)
        self.jobs[record.job_id] = record

        def run() -> None:
            try:
                work(record)
                record.status = "SUCCESS"
            except Exception as error:  # the job records the failure, as GetJob shows it
                record.status = "FAILED"
                record.error_code = getattr(error, "code", "InternalFailure")
                record.error_message = getattr(error, "message", str(error))
            record.updated = self.clock.now()

        self.clock.call_later(JOB_SECONDS, run)
        return record

    def resource(self, kind: str, resource_id: str, arn: str) -> dict[str, str]:
        return {"resourceType": kind, "resourceId": resource_id, "resourceArn": arn}

    # -- tags ------------------------------------------------------------------------------

    def tagged(self, arn: str) -> BrandProfile | CodeConfiguration:
        """The brand profile or code configuration with ``arn``; raises NotFoundError."""
        records: list[BrandProfile | CodeConfiguration] = [
            *self.profiles.values(),
            *self.code_configurations.values(),
        ]
        for record in records:
            if record.arn == arn:
                return record
        raise NotFoundError("resource", arn)


def _media(body: Any) -> bytes | None:
    if body is None:
        return None
    if isinstance(body, bytes):
        return body
    return base64.b64decode(body)


#: The Regions served: those of End User Messaging SMS (the model lists none of its own yet).
REGIONS = boto3.session.Session().get_available_regions("pinpoint-sms-voice-v2")
endusermessaging_backends = BackendDict(
    EndUserMessagingBackend, "endusermessaging", additional_regions=REGIONS
)


def backend(region: str = DEFAULT_REGION, account_id: str | None = None) -> EndUserMessagingBackend:
    """The End User Messaging backend of an account (the caller's by default) and Region."""
    return endusermessaging_backends[account_id or current_account()][region]
