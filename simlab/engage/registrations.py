"""Registrations of US toll-free and 10DLC numbers, and the review that gates sending.

A registration is created (``CREATED``, version 1 ``DRAFT``), filled field by field, submitted
(``SUBMITTED``), reviewed (``REVIEWING``) and approved (``COMPLETE``, the version ``APPROVED``),
each step on the simulated clock; statuses as the API reference lists them
(https://docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_RegistrationInformation.html).
A number associated with a registration that is not ``COMPLETE`` cannot send: the send is
refused with ``REGISTRATION_NOT_COMPLETE``. AWS says a toll-free registration can take up to
15 business days (https://docs.aws.amazon.com/sms-voice/latest/userguide/registrations-tfn.html);
``REVIEW_DAYS`` holds the review times simulated here, which a learner may change.

The field definitions are a subset of AWS's forms, enough to teach what a reviewer checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from simlab.engage.clock import Clock
from simlab.engage.registration_forms import (
    ASSOCIATIONS,
    FIELDS,
    OPTIONS,
    TEN_DLC_BRAND,
    TEN_DLC_CAMPAIGN,
    TOLL_FREE,
    review,
)

# The forms' look-ups, re-exported: the API handlers read them through this module.
from simlab.engage.registration_forms import DOCS as DOCS
from simlab.engage.registration_forms import check_type as check_type
from simlab.engage.registration_forms import field_definitions as field_definitions
from simlab.engage.registration_forms import type_definition as type_definition
from simlab.engage.sms import ConflictError, NotFoundError, ValidationError

#: Simulated review time in days per registration type (toll-free: AWS's "up to 15 business
#: days"; 10DLC brand and campaign: simulation assumptions).
REVIEW_DAYS = {TOLL_FREE: 15.0, TEN_DLC_BRAND: 1.0, TEN_DLC_CAMPAIGN: 7.0}
#: Simulated wait between submission and the start of the review (an assumption).
QUEUE_SECONDS = 3600.0
_HISTORY_KEYS = {
    "DRAFT": "DraftTimestamp",
    "SUBMITTED": "SubmittedTimestamp",
    "REVIEWING": "ReviewingTimestamp",
    "APPROVED": "ApprovedTimestamp",
    "DISCARDED": "DiscardedTimestamp",
    "DENIED": "DeniedTimestamp",
    "ARCHIVED": "ArchivedTimestamp",
}


@dataclass
class Version:
    number: int
    status: str
    history: dict[str, datetime]
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    denied_reasons: list[dict[str, str]] = field(default_factory=list)

    def describe(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "VersionNumber": self.number,
            "RegistrationVersionStatus": self.status,
            "RegistrationVersionStatusHistory": dict(self.history),
        }
        if self.denied_reasons:
            result["DeniedReasons"] = list(self.denied_reasons)
        return result


@dataclass
class Registration:
    registration_id: str
    arn: str
    kind: str
    created: datetime
    status: str = "CREATED"
    versions: list[Version] = field(default_factory=list)
    associations: list[Any] = field(default_factory=list)
    tags: list[dict[str, str]] = field(default_factory=list)

    @property
    def current(self) -> Version:
        return self.versions[-1]

    @property
    def approved(self) -> Version | None:
        return next((v for v in reversed(self.versions) if v.status == "APPROVED"), None)

    def describe(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "RegistrationArn": self.arn,
            "RegistrationId": self.registration_id,
            "RegistrationType": self.kind,
            "RegistrationStatus": self.status,
            "CurrentVersionNumber": self.current.number,
            "CreatedTimestamp": self.created,
        }
        if self.approved is not None:
            result["ApprovedVersionNumber"] = self.approved.number
        denied = [v.number for v in self.versions if v.status == "DENIED"]
        if denied:
            result["LatestDeniedVersionNumber"] = denied[-1]
        return result


@dataclass
class Attachment:
    attachment_id: str
    arn: str
    body: bytes
    created: datetime
    url: str | None = None
    status: str = "UPLOAD_COMPLETE"
    tags: list[dict[str, str]] = field(default_factory=list)

    def describe(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "RegistrationAttachmentArn": self.arn,
            "RegistrationAttachmentId": self.attachment_id,
            "AttachmentStatus": self.status,
            "CreatedTimestamp": self.created,
        }
        if self.url:
            result["AttachmentUrl"] = self.url
        return result


class Registrations:
    """One account's registrations and attachments in one Region, on a simulated clock.

    ``arn(kind, name)`` builds ARNs and ``new_id(prefix)`` ids; ``on_complete(registration)``
    runs when a registration is approved (numbers it registers become active).
    """

    def __init__(
        self,
        clock: Clock,
        arn: Callable[[str, str], str],
        new_id: Callable[[str], str],
    ) -> None:
        self.clock, self.arn, self.new_id = clock, arn, new_id
        self.records: dict[str, Registration] = {}
        self.attachments: dict[str, Attachment] = {}
        self.review_days = dict(REVIEW_DAYS)
        self.on_complete: list[Callable[[Registration], None]] = []

    def create(self, kind: str, tags: list[dict[str, str]] | None = None) -> Registration:
        check_type(kind)
        registration_id = self.new_id("registration")
        now = self.clock.now()
        record = Registration(
            registration_id,
            self.arn("registration", registration_id),
            kind,
            now,
            tags=list(tags or []),
        )
        record.versions.append(Version(1, "DRAFT", {"DraftTimestamp": now}))
        self.records[registration_id] = record
        return record

    def get(self, ref: str) -> Registration:
        key = ref.rsplit("/", 1)[-1]
        if key not in self.records:
            raise NotFoundError("registration", ref)
        return self.records[key]

    def describe(
        self, ids: Iterable[str] | None, filters: Iterable[Mapping[str, Any]] | None
    ) -> list[Registration]:
        records = [self.get(i) for i in ids] if ids else list(self.records.values())
        for item in filters or ():
            attribute = {"registration-type": "kind", "registration-status": "status"}[item["Name"]]
            records = [r for r in records if getattr(r, attribute) in item["Values"]]
        return records

    def delete(self, ref: str) -> Registration:
        record = self.get(ref)
        if record.status in ("SUBMITTED", "REVIEWING"):
            raise ConflictError(
                f"registration {record.registration_id} is {record.status}; it cannot be deleted "
                "while under review",
                reason="RESOURCE_DELETION_NOT_ALLOWED",
                resource_type="registration",
                resource_id=record.registration_id,
            )
        del self.records[record.registration_id]
        record.status = "DELETED"
        return record

    def _draft(self, record: Registration) -> Version:
        if record.current.status != "DRAFT":
            raise ConflictError(
                f"version {record.current.number} of {record.registration_id} is "
                f"{record.current.status}; create a new version (CreateRegistrationVersion) "
                "to edit",
                reason="EDIT_REGISTRATION_FIELD_VALUES_NOT_ALLOWED",
                resource_type="registration",
                resource_id=record.registration_id,
            )
        return record.current

    def _definition(self, record: Registration, path: str) -> tuple[str, str, str, bool, str]:
        for entry in FIELDS[record.kind]:
            if f"{entry[0]}.{entry[1]}" == path:
                return entry
        raise ValidationError(
            f"FieldPath {path!r} is not a field of {record.kind}; see "
            "DescribeRegistrationFieldDefinitions",
            reason="UNKNOWN_REGISTRATION_FIELD",
            field="FieldPath",
        )

    def put_value(
        self, ref: str, path: str, value: dict[str, Any]
    ) -> tuple[Registration, dict[str, Any]]:
        record = self.get(ref)
        _, name, field_type, _, _ = self._definition(record, path)
        given = {k: v for k, v in value.items() if v is not None}
        wanted = {
            "TEXT": "TextValue",
            "SELECT": "SelectChoices",
            "ATTACHMENT": "RegistrationAttachmentId",
        }
        key = wanted[field_type]
        if set(given) != {key}:
            raise ValidationError(f"{path} is a {field_type} field: give {key} only", field=key)
        if field_type == "SELECT" and not set(given[key]) <= set(OPTIONS[name]):
            raise ValidationError(
                f"SelectChoices for {path} must be among {', '.join(OPTIONS[name])}",
                field="SelectChoices",
            )
        if field_type == "ATTACHMENT":
            self.attachment(given[key])
        version = self._draft(record)
        version.values[path] = {"FieldPath": path, **given}
        return record, version.values[path]

    def delete_value(self, ref: str, path: str) -> tuple[Registration, dict[str, Any]]:
        record = self.get(ref)
        self._definition(record, path)
        version = self._draft(record)
        if path not in version.values:
            raise NotFoundError("registration-field-value", path)
        return record, version.values.pop(path)

    def new_version(self, ref: str) -> Version:
        record = self.get(ref)
        if record.current.status in ("DRAFT", "SUBMITTED", "REVIEWING"):
            raise ConflictError(
                f"version {record.current.number} is {record.current.status}; finish or discard it "
                "first",
                reason="CREATE_REGISTRATION_VERSION_NOT_ALLOWED",
                resource_type="registration",
                resource_id=record.registration_id,
            )
        base = record.approved or record.current
        version = Version(
            record.current.number + 1,
            "DRAFT",
            {"DraftTimestamp": self.clock.now()},
            {k: dict(v) for k, v in base.values.items()},
        )
        record.versions.append(version)
        return version

    def discard(self, ref: str) -> Version:
        record = self.get(ref)
        if record.current.status != "DRAFT" or len(record.versions) == 1:
            raise ConflictError(
                "only a DRAFT version after the first can be discarded",
                reason="DISCARD_REGISTRATION_VERSION_NOT_ALLOWED",
                resource_type="registration",
                resource_id=record.registration_id,
            )
        self._set(record.current, "DISCARDED")
        return record.current

    def _set(self, version: Version, status: str) -> None:
        version.status = status
        key = _HISTORY_KEYS.get(status)
        if key:
            version.history[key] = self.clock.now()

    def submit(self, ref: str) -> Version:
        """Submits the draft; raises ConflictError or ValidationError naming what is missing."""
        record = self.get(ref)
        version = record.current
        if version.status != "DRAFT":
            raise ConflictError(
                f"version {version.number} is already {version.status}",
                reason="REGISTRATION_ALREADY_SUBMITTED",
                resource_type="registration",
                resource_id=record.registration_id,
            )
        missing = [
            f"{s}.{n}"
            for s, n, _, required, _ in FIELDS[record.kind]
            if required and f"{s}.{n}" not in version.values
        ]
        if missing:
            raise ValidationError(
                f"required fields have no value: {', '.join(missing)}",
                reason="MISSING_PARAMETER",
                field=missing[0],
            )
        if record.kind == TOLL_FREE and not record.associations:
            raise ConflictError(
                "a toll-free registration is submitted with its number (ASSOCIATE_BEFORE_SUBMIT): "
                "request the number with this RegistrationId or call CreateRegistrationAssociation",
                reason="SUBMIT_REGISTRATION_VERSION_NOT_ALLOWED",
                resource_type="registration",
                resource_id=record.registration_id,
            )
        if record.kind == TEN_DLC_CAMPAIGN:
            brand_id = version.values["campaignInfo.brandRegistrationId"]["TextValue"]
            brand = self.records.get(brand_id.rsplit("/", 1)[-1])
            if brand is None or brand.kind != TEN_DLC_BRAND or brand.status != "COMPLETE":
                raise ConflictError(
                    f"a 10DLC campaign needs an approved (COMPLETE) brand registration; "
                    f"{brand_id} is {brand.status if brand else 'not a registration here'}",
                    reason="REGISTRATION_NOT_COMPLETE",
                    resource_type="registration",
                    resource_id=brand_id,
                )
        self._set(version, "SUBMITTED")
        record.status = "SUBMITTED"
        self.clock.call_later(QUEUE_SECONDS, lambda: self._review(record, version))
        return version

    def _review(self, record: Registration, version: Version) -> None:
        if version.status != "SUBMITTED":
            return
        self._set(version, "REVIEWING")
        record.status = "REVIEWING"
        days = self.review_days.get(record.kind, 1.0)
        self.clock.call_later(days * 86_400, lambda: self._approve(record, version))

    def _approve(self, record: Registration, version: Version) -> None:
        if version.status != "REVIEWING":
            return
        denied = review(version.values)
        if denied:
            version.denied_reasons = denied
            self._set(version, "DENIED")
            record.status = "REQUIRES_UPDATES"
            return
        for earlier in record.versions:
            if earlier.status == "APPROVED":
                self._set(earlier, "ARCHIVED")
        self._set(version, "APPROVED")
        record.status = "COMPLETE"
        for hook in list(self.on_complete):
            hook(record)

    # -- associations ----------------------------------------------------------------------

    def associate(self, ref: str, resource: Any) -> Registration:
        """Binds a phone number to a registration; raises ConflictError if it cannot be."""
        record = self.get(ref)
        if record.kind not in ASSOCIATIONS:
            raise ValidationError(
                f"{record.kind} registrations take no resources",
                reason="INVALID_REGISTRATION_ASSOCIATION",
                field="ResourceId",
            )
        _, number_type, _ = ASSOCIATIONS[record.kind]
        if getattr(resource, "number_type", None) != number_type or resource.iso_country != "US":
            raise ValidationError(
                f"{record.kind} registers US {number_type} numbers; {resource.identity} is a "
                f"{resource.iso_country} {getattr(resource, 'number_type', 'sender ID')}",
                reason="INVALID_REGISTRATION_ASSOCIATION",
                field="ResourceId",
            )
        holder = self.holder(resource)
        if holder is not None:
            raise ConflictError(
                f"{resource.identity} already belongs to registration {holder.registration_id}",
                reason="RESOURCE_ALREADY_ASSOCIATED",
                resource_type="phone-number",
                resource_id=resource.phone_number_id,
            )
        record.associations.append(resource)
        return record

    def holder(self, resource: Any) -> Registration | None:
        """The registration a resource is associated with, if any."""
        for record in self.records.values():
            if any(r is resource for r in record.associations):
                return record
        return None

    # -- attachments -----------------------------------------------------------------------

    def add_attachment(
        self, body: bytes, url: str | None, tags: list[dict[str, str]] | None
    ) -> Attachment:
        attachment_id = self.new_id("attachment")
        record = Attachment(
            attachment_id,
            self.arn("registration-attachment", attachment_id),
            body,
            self.clock.now(),
            url,
            tags=list(tags or []),
        )
        self.attachments[attachment_id] = record
        return record

    def attachment(self, ref: str) -> Attachment:
        key = ref.rsplit("/", 1)[-1]
        if key not in self.attachments:
            raise NotFoundError("registration-attachment", ref)
        return self.attachments[key]

    def delete_attachment(self, ref: str) -> Attachment:
        record = self.attachment(ref)
        del self.attachments[record.attachment_id]
        record.status = "DELETED"
        return record
