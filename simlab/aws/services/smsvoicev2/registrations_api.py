"""Handlers of the v2 registration operations: forms, versions, review, associations, attachments.

The lifecycle lives in ``simlab.engage.registrations``; a number associated with a
registration cannot send until the registration is ``COMPLETE`` (``extras.Extras.check_send``).
"""

from __future__ import annotations

import base64
from typing import Any

from moto.core.responses import ActionResult

from simlab.aws.services.smsvoicev2.handlers import Handlers
from simlab.engage import registrations as forms
from simlab.engage.registrations import Registration, Version
from simlab.engage.sms import ValidationError


class RegistrationHandlers(Handlers):
    """Mixed into ``SmsVoiceV2Response``; one method per operation."""

    def _version(self, record: Registration, version: Version) -> ActionResult:
        return ActionResult(self._version_fields(record, version))

    def _version_fields(self, record: Registration, version: Version) -> dict[str, Any]:
        return {
            "RegistrationArn": record.arn,
            "RegistrationId": record.registration_id,
            **version.describe(),
        }

    def create_registration(self) -> ActionResult:
        record = self.extras.registrations.create(
            self._param("RegistrationType"), self._param("Tags")
        )
        return ActionResult({**record.describe(), "Tags": record.tags})

    def describe_registrations(self) -> ActionResult:
        records = self.extras.registrations.describe(
            self._param("RegistrationIds"), self._param("Filters")
        )
        return self._paged("Registrations", records)

    def delete_registration(self) -> ActionResult:
        return ActionResult(
            self.extras.registrations.delete(self._param("RegistrationId")).describe()
        )

    def describe_registration_type_definitions(self) -> ActionResult:
        kinds = self._param("RegistrationTypes") or list(forms.REVIEW_DAYS)
        for index, kind in enumerate(kinds):
            forms.check_type(kind, f"RegistrationTypes[{index}]")
        rows = [forms.type_definition(k) for k in kinds]
        for item in self._param("Filters", []):
            key = {"supported-association-resource-type": "ResourceType"}.get(
                item["Name"], "IsoCountryCode"
            )
            rows = [
                r
                for r in rows
                if any(a[key] in item["Values"] for a in r.get("SupportedAssociations", []))
            ]
        return self._rows("RegistrationTypeDefinitions", rows)

    def describe_registration_field_definitions(self) -> ActionResult:
        kind = self._param("RegistrationType")
        forms.check_type(kind)
        rows = forms.field_definitions(kind)
        if self._param("SectionPath"):
            rows = [r for r in rows if r["SectionPath"] == self._param("SectionPath")]
        if self._param("FieldPaths"):
            rows = [r for r in rows if r["FieldPath"] in self._param("FieldPaths")]
        return self._rows("RegistrationFieldDefinitions", rows, RegistrationType=kind)

    def describe_registration_section_definitions(self) -> ActionResult:
        kind = self._param("RegistrationType")
        forms.check_type(kind)
        sections = dict.fromkeys(r["SectionPath"] for r in forms.field_definitions(kind))
        wanted = self._param("SectionPaths")
        rows = [
            {"SectionPath": s, "DisplayHints": {"Title": s, "ShortDescription": f"The {s} section"}}
            for s in sections
            if not wanted or s in wanted
        ]
        return self._rows("RegistrationSectionDefinitions", rows, RegistrationType=kind)

    def _field_result(self, record: Registration, value: dict[str, Any]) -> ActionResult:
        return ActionResult(
            {
                "RegistrationArn": record.arn,
                "RegistrationId": record.registration_id,
                "VersionNumber": record.current.number,
                **value,
            }
        )

    def put_registration_field_value(self) -> ActionResult:
        record, value = self.extras.registrations.put_value(
            self._param("RegistrationId"),
            self._param("FieldPath"),
            {
                "TextValue": self._param("TextValue"),
                "SelectChoices": self._param("SelectChoices"),
                "RegistrationAttachmentId": self._param("RegistrationAttachmentId"),
            },
        )
        return self._field_result(record, value)

    def delete_registration_field_value(self) -> ActionResult:
        record, value = self.extras.registrations.delete_value(
            self._param("RegistrationId"), self._param("FieldPath")
        )
        return self._field_result(record, value)

    def describe_registration_field_values(self) -> ActionResult:
        record = self.extras.registrations.get(self._param("RegistrationId"))
        wanted = self._param("VersionNumber")
        version = (
            next((v for v in record.versions if v.number == wanted), None)
            if wanted
            else record.current
        )
        if version is None:
            raise ValidationError(
                f"registration {record.registration_id} has no version {wanted}",
                reason="UNKNOWN_REGISTRATION_VERSION",
                field="VersionNumber",
            )
        rows = list(version.values.values())
        if self._param("SectionPath"):
            rows = [r for r in rows if r["FieldPath"].startswith(self._param("SectionPath") + ".")]
        if self._param("FieldPaths"):
            rows = [r for r in rows if r["FieldPath"] in self._param("FieldPaths")]
        return self._rows(
            "RegistrationFieldValues",
            rows,
            RegistrationArn=record.arn,
            RegistrationId=record.registration_id,
            VersionNumber=version.number,
        )

    def create_registration_version(self) -> ActionResult:
        registrations = self.extras.registrations
        version = registrations.new_version(self._param("RegistrationId"))
        return self._version(registrations.get(self._param("RegistrationId")), version)

    def submit_registration_version(self) -> ActionResult:
        registrations = self.extras.registrations
        version = registrations.submit(self._param("RegistrationId"))
        fields = self._version_fields(registrations.get(self._param("RegistrationId")), version)
        fields["AwsReview"] = bool(self._param("AwsReview", False))
        return ActionResult(fields)

    def discard_registration_version(self) -> ActionResult:
        registrations = self.extras.registrations
        version = registrations.discard(self._param("RegistrationId"))
        return self._version(registrations.get(self._param("RegistrationId")), version)

    def describe_registration_versions(self) -> ActionResult:
        record = self.extras.registrations.get(self._param("RegistrationId"))
        versions = list(reversed(record.versions))
        if self._param("VersionNumbers"):
            versions = [v for v in versions if v.number in self._param("VersionNumbers")]
        for item in self._param("Filters", []):
            versions = [v for v in versions if v.status in item["Values"]]
        return self._paged(
            "RegistrationVersions",
            versions,
            RegistrationArn=record.arn,
            RegistrationId=record.registration_id,
        )

    @staticmethod
    def _registration_association(number: Any) -> dict[str, Any]:
        return {
            "ResourceArn": number.arn,
            "ResourceId": number.phone_number_id,
            "ResourceType": "phone-number",
            "IsoCountryCode": number.iso_country,
            "PhoneNumber": number.number,
        }

    def create_registration_association(self) -> ActionResult:
        number = self.engine.phone_number(self._param("ResourceId"), "ResourceId")
        record = self.extras.registrations.associate(self._param("RegistrationId"), number)
        if record.status != "COMPLETE":
            number.status = "PENDING"
        return ActionResult(
            {
                "RegistrationArn": record.arn,
                "RegistrationId": record.registration_id,
                "RegistrationType": record.kind,
                **self._registration_association(number),
            }
        )

    def list_registration_associations(self) -> ActionResult:
        record = self.extras.registrations.get(self._param("RegistrationId"))
        rows = [self._registration_association(n) for n in record.associations]
        for item in self._param("Filters", []):
            key = {"resource-type": "ResourceType", "iso-country-code": "IsoCountryCode"}[
                item["Name"]
            ]
            rows = [r for r in rows if r[key] in item["Values"]]
        return self._rows(
            "RegistrationAssociations",
            rows,
            RegistrationArn=record.arn,
            RegistrationId=record.registration_id,
            RegistrationType=record.kind,
        )

    def create_registration_attachment(self) -> ActionResult:
        body, url = self._param("AttachmentBody"), self._param("AttachmentUrl")
        if (body is None) == (url is None):
            raise ValidationError(
                "give exactly one of AttachmentBody and AttachmentUrl",
                reason="PARAMETERS_CANNOT_BE_USED_TOGETHER"
                if body is not None
                else "MISSING_PARAMETER",
                field="AttachmentBody",
            )
        if isinstance(body, str):
            body = base64.b64decode(body)
        record = self.extras.registrations.add_attachment(body or b"", url, self._param("Tags"))
        return ActionResult({**record.describe(), "Tags": record.tags})

    def describe_registration_attachments(self) -> ActionResult:
        registrations = self.extras.registrations
        ids = self._param("RegistrationAttachmentIds")
        records = (
            [registrations.attachment(i) for i in ids]
            if ids
            else list(registrations.attachments.values())
        )
        for item in self._param("Filters", []):
            records = [r for r in records if r.status in item["Values"]]
        return self._paged("RegistrationAttachments", records)

    def delete_registration_attachment(self) -> ActionResult:
        record = self.extras.registrations.delete_attachment(
            self._param("RegistrationAttachmentId")
        )
        return ActionResult(record.describe())
