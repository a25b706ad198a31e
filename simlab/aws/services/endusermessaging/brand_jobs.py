"""Brand profile operations that read or write SMS registrations; each runs as a job.

``CreateBrandProfileFromRegistration`` and ``UpdateBrandProfileFromRegistration`` copy a
registration's field values into TEXT attributes named by field path with ``_`` for ``.``
(attribute names allow no dots: ``companyInfo.companyName`` -> ``companyInfo_companyName``);
``CreateRegistrationsFromBrandProfile`` and ``UpdateRegistrationsFromBrandProfile`` fill
registrations (``pinpoint-sms-voice-v2``) from attributes with the same names (with
``smartMatch``, also from attributes named by the field's last part, any case). The work is
done when the job finishes on the simulated clock; ``GetJob`` reports it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from moto.core.responses import ActionResult

from simlab.aws.services.smsvoicev2.extras import extras
from simlab.engage.registrations import Registration, check_type
from simlab.engage.sms import ValidationError


def attribute_name(path: str) -> str:
    """The brand profile attribute that holds a registration field."""
    return path.replace(".", "_")


def _text(value: dict[str, Any]) -> str | None:
    if value.get("TextValue") is not None:
        return str(value["TextValue"])
    if value.get("SelectChoices"):
        return ",".join(value["SelectChoices"])
    return None


class BrandJobHandlers:
    """Mixed into the response class; one method per operation."""

    params: Any
    backend: Any

    if TYPE_CHECKING:  # provided by the response class

        def _param(self, name: str, default: Any = None) -> Any: ...

        def listed(
            self,
            key: str,
            items: Sequence[Any],
            row: Callable[[Any], Any] = ...,
            **extra: Any,
        ) -> ActionResult: ...

    @property
    def _registrations(self) -> Any:
        return extras(self.backend.sms).registrations

    def _fill_profile(self, profile: Any, registration: Registration, replace: bool) -> None:
        now = self.backend.clock.now()
        from simlab.aws.services.endusermessaging.models import Attribute

        for path, value in registration.current.values.items():
            text = _text(value)
            if text is None:
                continue
            name = attribute_name(path)
            existing = profile.attributes.get(name)
            if existing is not None and not replace:
                continue
            profile.attributes[name] = Attribute(
                name, "TEXT", now, now, text, category="registration"
            )
        profile.updated = now
        profile.registrations[registration.registration_id] = {
            "registrationId": registration.registration_id,
            "registrationType": registration.kind,
            "createdAt": now,
            "smartMatchUsed": bool(self._param("smartMatch", False)),
        }

    def _fill_registration(self, profile: Any, registration: Registration, replace: bool) -> None:
        from simlab.engage.registrations import field_definitions

        smart = bool(self._param("smartMatch", False))
        by_tail = {name.split("_")[-1].lower(): a for name, a in profile.attributes.items()}
        for definition in field_definitions(registration.kind):
            path = definition["FieldPath"]
            attribute = profile.attributes.get(attribute_name(path))
            if attribute is None and smart:
                attribute = by_tail.get(path.split(".")[-1].lower())
            if (
                attribute is None
                or attribute.value is None
                or definition["FieldType"] == "ATTACHMENT"
            ):
                continue
            if path in registration.current.values and not replace:
                continue
            if definition["FieldType"] == "SELECT":
                value = {"SelectChoices": attribute.value.split(",")}
            else:
                value = {"TextValue": attribute.value}
            try:
                self._registrations.put_value(registration.registration_id, path, value)
            except ValidationError:
                continue  # an attribute that does not fit the field is left out
        profile.registrations[registration.registration_id] = {
            "registrationId": registration.registration_id,
            "registrationType": registration.kind,
            "createdAt": self.backend.clock.now(),
            "smartMatchUsed": smart,
        }

    def _results(self, pairs: list[tuple[Any, str]]) -> ActionResult:
        return ActionResult(
            {
                "results": [
                    {"jobId": job.job_id, "resourceIdentifier": ident} for job, ident in pairs
                ]
            }
        )

    def create_brand_profile_from_registration(self) -> ActionResult:
        registration = self._registrations.get(self._param("registrationId"))
        profile = self.backend.create_profile(
            self._param("brandProfileName"), False, self._param("tags")
        )

        def work(job: Any) -> None:
            self._fill_profile(profile, registration, replace=True)
            job.resources.append(
                self.backend.resource("BRAND_PROFILE", profile.profile_id, profile.arn)
            )

        job = self.backend.start_job("CREATE_BRAND_PROFILE_FROM_REGISTRATION", profile, work)
        return self._results([(job, profile.profile_id)])

    def update_brand_profile_from_registration(self) -> ActionResult:
        profile = self.backend.profile(self._param("brandProfileId"))
        registration = self._registrations.get(self._param("registrationId"))
        replace = self._param("onAttributeConflict", "PRESERVE") == "REPLACE"

        def work(job: Any) -> None:
            self._fill_profile(profile, registration, replace)
            job.resources.append(
                self.backend.resource("BRAND_PROFILE", profile.profile_id, profile.arn)
            )

        job = self.backend.start_job("UPDATE_BRAND_PROFILE_FROM_REGISTRATION", profile, work)
        return self._results([(job, profile.profile_id)])

    def create_registrations_from_brand_profile(self) -> ActionResult:
        profile = self.backend.profile(self._param("brandProfileId"))
        kinds = list(self._param("registrationTypes"))
        for index, kind in enumerate(kinds):
            check_type(kind, f"registrationTypes[{index}]")
        pairs = []
        for kind in kinds:
            registration = self._registrations.create(kind)

            def work(job: Any, registration: Registration = registration) -> None:
                self._fill_registration(profile, registration, replace=True)
                job.resources.append(
                    self.backend.resource(
                        "REGISTRATION", registration.registration_id, registration.arn
                    )
                )

            job = self.backend.start_job("CREATE_REGISTRATIONS_FROM_BRAND_PROFILE", profile, work)
            pairs.append((job, registration.registration_id))
        return self._results(pairs)

    def update_registrations_from_brand_profile(self) -> ActionResult:
        profile = self.backend.profile(self._param("brandProfileId"))
        registrations = [self._registrations.get(r) for r in self._param("registrationIds")]
        replace = self._param("onAttributeConflict", "PRESERVE") == "REPLACE"
        pairs = []
        for registration in registrations:

            def work(job: Any, registration: Registration = registration) -> None:
                self._fill_registration(profile, registration, replace)
                job.resources.append(
                    self.backend.resource(
                        "REGISTRATION", registration.registration_id, registration.arn
                    )
                )

            job = self.backend.start_job("UPDATE_REGISTRATIONS_FROM_BRAND_PROFILE", profile, work)
            pairs.append((job, registration.registration_id))
        return self._results(pairs)

    def list_registrations_from_brand_profile(self) -> ActionResult:
        profile = self.backend.profile(self._param("brandProfileId"))
        return self.listed("registrationAssociations", list(profile.registrations.values()))
