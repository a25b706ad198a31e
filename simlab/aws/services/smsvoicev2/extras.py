"""State the v2 API keeps beside the SMS engine: registrations, protect configurations, policies.

Built on first use for a backend and kept on it (so ``mock_aws`` and ``LocalAWS.reset`` wipe it
with the backend). Building it installs the engine's send checks: a number bound to a
registration that is not ``COMPLETE`` cannot send, and protect configurations block countries.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from simlab.engage.protect import ProtectConfigurations
from simlab.engage.registrations import Registration, Registrations
from simlab.engage.sms import ConflictError, PhoneNumber, SmsVoiceEngine

if TYPE_CHECKING:
    from simlab.aws.services.smsvoicev2.notify_api import NotifyConfiguration
    from simlab.aws.services.smsvoicev2.rcs_api import RcsAgent

_lock = threading.Lock()
#: US number types that need a registration before they send (AWS End User Messaging guide).
REGISTERED_TYPES = ("TOLL_FREE", "TEN_DLC")


@dataclass
class Extras:
    """Registrations, protect configurations, resource policies, feedback and more."""

    engine: SmsVoiceEngine
    registrations: Registrations
    protect: ProtectConfigurations
    #: Resource policies by resource ARN: the policy document and when it was put.
    policies: dict[str, tuple[str, datetime]] = field(default_factory=dict)
    feedback_enabled: dict[str, bool] = field(default_factory=dict)
    feedback: dict[str, str] = field(default_factory=dict)
    #: When true, every new US toll-free or 10DLC number must be registered before it sends.
    require_registration: bool = False
    unregistered: set[str] = field(default_factory=set)
    rcs_agents: dict[str, RcsAgent] = field(default_factory=dict)
    notify_configurations: dict[str, NotifyConfiguration] = field(default_factory=dict)

    def check_send(self, identity: Any, destination: str, channel: str, config: Any) -> None:
        """Refuses a send from a number whose registration is not complete."""
        if not isinstance(identity, PhoneNumber) or identity.iso_country != "US":
            return
        if identity.number_type not in REGISTERED_TYPES:
            return
        holder = self.registrations.holder(identity)
        if holder is not None and holder.status == "COMPLETE":
            return
        if holder is None and identity.phone_number_id not in self.unregistered:
            return
        state = (
            f"registration {holder.registration_id} is {holder.status}"
            if holder
            else ("it has no registration")
        )
        raise ConflictError(
            f"{identity.number} ({identity.number_type}) cannot send until its registration is "
            f"approved; {state}. Create, fill and submit a registration (CreateRegistration, "
            "PutRegistrationFieldValue, CreateRegistrationAssociation, SubmitRegistrationVersion) "
            "and let the review finish",
            reason="REGISTRATION_NOT_COMPLETE",
            resource_type="phone-number",
            resource_id=identity.phone_number_id,
        )

    def bind(self, number: PhoneNumber, registration_id: str | None) -> None:
        """Marks a new number as needing registration, or binds it to ``registration_id``."""
        needs = number.iso_country == "US" and number.number_type in REGISTERED_TYPES
        if registration_id:
            try:
                record = self.registrations.associate(registration_id, number)
            except Exception:
                self.engine.numbers.pop(number.phone_number_id, None)  # the request fails whole
                raise
            if record.status != "COMPLETE":
                number.status = "PENDING"
        elif needs and self.require_registration:
            self.unregistered.add(number.phone_number_id)
            number.status = "PENDING"

    def completed(self, record: Registration) -> None:
        for resource in record.associations:
            if isinstance(resource, PhoneNumber):
                resource.status = "ACTIVE"
                self.unregistered.discard(resource.phone_number_id)


def extras(backend: Any) -> Extras:
    """The extras of a v2 backend, built (and its send checks installed) on first use."""
    found: Extras | None = getattr(backend, "simlab_extras", None)
    if found is not None:
        return found
    with _lock:
        found = getattr(backend, "simlab_extras", None)
        if found is None:
            engine: SmsVoiceEngine = backend.engine
            registrations = Registrations(engine.clock, engine._arn, engine._id)
            found = Extras(engine, registrations, ProtectConfigurations(engine))
            registrations.on_complete.append(found.completed)
            engine.send_checks.append(found.check_send)
            engine.send_checks.append(found.protect.check_send)
            backend.simlab_extras = found
    return found
