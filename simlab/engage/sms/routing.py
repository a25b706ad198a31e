"""Which identity a message leaves from: the one named, a pool member, a default, a shared route."""

from __future__ import annotations

from simlab.engage.sms.common import parse_e164
from simlab.engage.sms.constants import NO_SENDER_ID_COUNTRIES, SHARED_ROUTE_SENDER_ID
from simlab.engage.sms.core import EngineCore
from simlab.engage.sms.errors import ConflictError, ValidationError
from simlab.engage.sms.records import ConfigurationSet, PhoneNumber, Pool, SenderId
from simlab.facts import sms


class Routing(EngineCore):
    """Chooses the origination identity of a send."""

    def _pick_identity(
        self,
        chosen: PhoneNumber | SenderId | Pool,
        destination: str,
        capability: str,
        parts: int,
        *,
        field_name: str = "OriginationIdentity",
    ) -> tuple[PhoneNumber | SenderId, str]:
        """Returns (identity, its country) to send from; for a pool, one with MPS to spare."""
        _, country = parse_e164(destination, "DestinationPhoneNumber")
        members = chosen.members if isinstance(chosen, Pool) else [chosen]
        usable = [m for m in members if capability in m.capabilities]
        if not usable:
            if capability == "VOICE":
                raise ValidationError(
                    f"{field_name} cannot place voice calls (no VOICE capability)",
                    reason="VOICE_CAPABILITY_NOT_AVAILABLE",
                    field=field_name,
                )
            raise ConflictError(
                f"{field_name} has no {capability} capability",
                reason="NUMBER_CAPABILITIES_MISMATCH",
                resource_type="phone-number",
                resource_id=getattr(chosen, "identity", getattr(chosen, "pool_id", "")),
            )
        local = [m for m in usable if m.iso_country == country or m.international_sending]
        if not local:
            raise ValidationError(
                f"{field_name} ({usable[0].iso_country}) cannot send to {destination} ({country}); "
                "use an identity of that country or enable international sending",
                reason="INVALID_IDENTITY_FOR_DESTINATION_COUNTRY",
                field=field_name,
            )
        now = self.clock.seconds
        for member in local:
            bucket = self.mps.bucket(member.arn, member.number_type, member.iso_country, now=now)
            if bucket.available(now) + 1e-9 >= min(parts, bucket.burst):
                return member, country
        return local[0], country

    def _default_identity(
        self, destination: str, config: ConfigurationSet | None, capability: str
    ) -> PhoneNumber | SenderId | Pool:
        _, country = parse_e164(destination, "DestinationPhoneNumber")
        if config is not None and config.default_sender_id and capability == "SMS":
            for (name, c), record in self.sender_ids.items():
                if name == config.default_sender_id and c == country:
                    return record
        for number in self.numbers.values():
            if number.iso_country == country and capability in number.capabilities:
                return number
        raise ConflictError(
            f"no origination identity in this account can send {capability} to {country}; "
            "request a phone number or give OriginationIdentity",
            reason="NO_ORIGINATION_IDENTITIES_FOUND",
            resource_type="phone-number",
            resource_id=destination,
        )

    def shared_route(self, destination: str, sender_id: str | None = None) -> SenderId:
        """The shared origination identity AWS sends from when the account has none.

        Shared routes exist only in some countries, not in the United States
        (``facts.sms.SHARED_ROUTES_UNAVAILABLE``); the
        route shows ``sender_id`` where the country allows sender IDs, else a generic one.
        It belongs to no account list (DescribeSenderIds does not show it).
        """
        _, country = parse_e164(destination, "DestinationPhoneNumber")
        if country in sms.SHARED_ROUTES_UNAVAILABLE.value:
            raise ConflictError(
                f"no origination identity in this account can send SMS to {country}, and "
                f"{country} has no shared routes; request a phone number there (RequestPhoneNumber)"
                " or give an OriginationNumber",
                reason="NO_ORIGINATION_IDENTITIES_FOUND",
                resource_type="phone-number",
                resource_id=destination,
            )
        allowed = sender_id and country not in NO_SENDER_ID_COUNTRIES
        name = sender_id if allowed and sender_id else SHARED_ROUTE_SENDER_ID
        key = (name, country)
        if key not in self._shared_routes:
            arn = self._arn("shared-route", f"{name}/{country}")
            self._shared_routes[key] = SenderId(
                name, country, arn, ("TRANSACTIONAL", "PROMOTIONAL")
            )
        return self._shared_routes[key]
