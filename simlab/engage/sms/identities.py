"""Origination identities: leased phone numbers (and short codes) and sender IDs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import phonenumbers

from simlab.engage.sms.common import matches_filters
from simlab.engage.sms.constants import (
    DEFAULT_OPT_OUT_LIST,
    NO_SENDER_ID_COUNTRIES,
    NUMBER_COUNTRIES,
)
from simlab.engage.sms.errors import ConflictError, QuotaError, ValidationError
from simlab.engage.sms.pools import Pools
from simlab.engage.sms.records import PhoneNumber, Pool, SenderId
from simlab.facts import sms


class Identities(Pools):
    """Requests, describes, updates and releases phone numbers and sender IDs."""

    def request_phone_number(
        self,
        *,
        iso_country: str,
        message_type: str,
        capabilities: Iterable[str],
        number_type: str,
        opt_out_list_name: str | None = None,
        pool_id: str | None = None,
        deletion_protection: bool = False,
        international_sending: bool = False,
        tags: list[dict[str, str]] | None = None,
    ) -> PhoneNumber:
        """Leases a number of ``number_type`` in ``iso_country``, allocated deterministically."""
        offered = NUMBER_COUNTRIES.get(number_type, ())
        if iso_country not in offered:
            raise ValidationError(
                f"{number_type} numbers are offered here in {', '.join(offered)}; "
                f"IsoCountryCode {iso_country!r} is not one of them",
                reason="COUNTRY_NOT_ENABLED" if number_type != "TEN_DLC" else "INVALID_PARAMETER",
                field="IsoCountryCode",
            )
        if len(self.numbers) >= sms.MAX_PHONE_NUMBERS.value:
            raise QuotaError(
                f"the account already has {sms.MAX_PHONE_NUMBERS.value} phone numbers, its quota",
                reason="PHONE_NUMBERS_PER_ACCOUNT",
            )
        opt_list = self.opt_out_list(opt_out_list_name or DEFAULT_OPT_OUT_LIST).name
        pool = self.pool(pool_id) if pool_id else None
        phone_id = self._id("phone")
        record = PhoneNumber(
            phone_number_id=phone_id,
            arn=self._arn("phone-number", phone_id),
            number=self._allocate(number_type, iso_country),
            iso_country=iso_country,
            message_type=message_type,
            capabilities=tuple(dict.fromkeys(capabilities)),
            number_type=number_type,
            created=self.clock.now(),
            opt_out_list_name=opt_list,
            deletion_protection=deletion_protection,
            international_sending=international_sending,
            tags=list(tags or []),
        )
        self.numbers[phone_id] = record
        if pool is not None:
            self.associate(pool.pool_id, record.phone_number_id)
        return record

    def provision_short_code(
        self, iso_country: str = "US", message_type: str = "TRANSACTIONAL"
    ) -> PhoneNumber:
        """Adds a short code (AWS leases them through a support case, not RequestPhoneNumber)."""
        return self.request_phone_number(
            iso_country=iso_country,
            message_type=message_type,
            capabilities=("SMS",),
            number_type="SHORT_CODE",
        )

    def _allocate(self, number_type: str, iso_country: str) -> str:
        rng = self.rng(f"sms.numbers.{number_type}.{iso_country}")
        for _ in range(200):
            candidate = self._candidate(rng, number_type, iso_country)
            if candidate not in self._allocated:
                self._allocated.add(candidate)
                return candidate
        raise QuotaError(
            f"no more {number_type} numbers in {iso_country}", reason="PHONE_NUMBERS_PER_ACCOUNT"
        )

    @staticmethod
    def _candidate(rng: np.random.Generator, number_type: str, iso_country: str) -> str:

        def digits(n: int) -> str:
            return "".join(str(int(d)) for d in rng.integers(0, 10, n))

        if number_type == "SHORT_CODE":
            return str(rng.integers(2, 10)) + digits(4)
        if number_type == "SIMULATOR":  # the 555-01XX block is reserved for fiction
            return "+1206555" + "01" + digits(2)
        kind = {
            "TOLL_FREE": phonenumbers.PhoneNumberType.TOLL_FREE,
            "TEN_DLC": phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        }.get(number_type, phonenumbers.PhoneNumberType.MOBILE)
        example = phonenumbers.example_number_for_type(iso_country, kind)
        if example is None:  # phonenumbers has no example of this type for the country
            raise QuotaError(
                f"no {number_type} numbers in {iso_country}", reason="PHONE_NUMBERS_PER_ACCOUNT"
            )
        national = str(example.national_number)
        keep = max(3, len(national) - 6)
        for _ in range(50):
            parsed = phonenumbers.parse(
                f"+{example.country_code}{national[:keep]}{digits(len(national) - keep)}", None
            )
            if phonenumbers.is_valid_number(parsed):
                return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        return f"+{example.country_code}{national}"

    def describe_phone_numbers(
        self, ids: Iterable[str] | None = None, filters: Iterable[Mapping[str, Any]] | None = None
    ) -> list[PhoneNumber]:
        records = [self.phone_number(i) for i in ids] if ids else list(self.numbers.values())
        return [r for r in records if matches_filters(r, filters)]

    def update_phone_number(self, ref: str, **changes: Any) -> PhoneNumber:
        """Changes two-way, opt-out and protection settings of a number."""
        record = self.phone_number(ref)
        self._update_settings(record, changes)
        if changes.get("international_sending") is not None:
            record.international_sending = bool(changes["international_sending"])
        return record

    def _update_settings(self, record: PhoneNumber | Pool, changes: Mapping[str, Any]) -> None:
        two_way = changes.get("two_way_enabled")
        channel = changes.get("two_way_channel_arn") or record.two_way_channel_arn
        if two_way and not channel:
            raise ValidationError(
                "TwoWayChannelArn is required when TwoWayEnabled is true (the SNS topic ARN, or "
                "'connect.<region>.amazonaws.com' for Amazon Connect)",
                reason="TWO_WAY_CHANNEL_NOT_PRESENT",
                field="TwoWayChannelArn",
            )
        if changes.get("opt_out_list_name"):
            record.opt_out_list_name = self.opt_out_list(changes["opt_out_list_name"]).name
        for key in ("two_way_enabled", "self_managed_opt_outs", "deletion_protection"):
            if changes.get(key) is not None:
                setattr(record, key, bool(changes[key]))
        for key in ("two_way_channel_arn", "two_way_channel_role"):
            if changes.get(key) is not None:
                setattr(record, key, changes[key])
        if isinstance(record, Pool) and changes.get("shared_routes") is not None:
            record.shared_routes = bool(changes["shared_routes"])

    def release_phone_number(self, ref: str) -> PhoneNumber:
        record = self.phone_number(ref)
        if record.deletion_protection:
            raise ConflictError(
                f"{record.number} has deletion protection; turn DeletionProtectionEnabled off "
                "with UpdatePhoneNumber first",
                reason="DELETION_PROTECTION_ENABLED",
                resource_type="phone-number",
                resource_id=record.phone_number_id,
            )
        if record.pool_id is not None:
            raise ConflictError(
                f"{record.number} belongs to pool {record.pool_id}; disassociate it first",
                reason="PHONE_NUMBER_ASSOCIATED_TO_POOL",
                resource_type="phone-number",
                resource_id=record.phone_number_id,
            )
        del self.numbers[record.phone_number_id]
        self.mps.forget(record.arn)
        record.status = "DELETED"
        return record

    def request_sender_id(
        self,
        sender_id: str,
        iso_country: str,
        message_types: Iterable[str] = (),
        deletion_protection: bool = False,
        tags: list[dict[str, str]] | None = None,
    ) -> SenderId:
        if iso_country in NO_SENDER_ID_COUNTRIES:
            raise ValidationError(
                f"sender IDs are not supported in {iso_country}; use a phone number there",
                reason="SENDER_ID_NOT_SUPPORTED",
                field="IsoCountryCode",
            )
        if sender_id.isdigit():
            raise ValidationError(
                "SenderId must contain at least one letter",
                reason="INVALID_PARAMETER",
                field="SenderId",
            )
        key = (sender_id, iso_country)
        if key in self.sender_ids:
            raise ConflictError(
                f"sender ID {sender_id} already exists for {iso_country}",
                reason="RESOURCE_ALREADY_EXISTS",
                resource_type="sender-id",
                resource_id=sender_id,
            )
        record = SenderId(
            sender_id,
            iso_country,
            self._arn("sender-id", f"{sender_id}/{iso_country}"),
            tuple(message_types) or ("TRANSACTIONAL", "PROMOTIONAL"),
            deletion_protection,
            tags=list(tags or []),
        )
        self.sender_ids[key] = record
        return record

    def describe_sender_ids(
        self,
        ids: Iterable[Mapping[str, str]] | None = None,
        filters: Iterable[Mapping[str, Any]] | None = None,
    ) -> list[SenderId]:
        if ids:
            records = [self.sender_id(i["SenderId"], i["IsoCountryCode"]) for i in ids]
        else:
            records = list(self.sender_ids.values())
        return [r for r in records if matches_filters(r, filters)]

    def release_sender_id(self, ref: str, iso_country: str) -> SenderId:
        record = self.sender_id(ref, iso_country)
        if record.pool_id is not None:
            raise ConflictError(
                f"sender ID {record.sender_id} belongs to pool {record.pool_id}; disassociate it",
                reason="SENDER_ID_ASSOCIATED_TO_POOL",
                resource_type="sender-id",
                resource_id=record.sender_id,
            )
        if record.deletion_protection:
            raise ConflictError(
                f"sender ID {record.sender_id} has deletion protection",
                reason="DELETION_PROTECTION_ENABLED",
                resource_type="sender-id",
                resource_id=record.sender_id,
            )
        del self.sender_ids[(record.sender_id, record.iso_country)]
        return record
