"""The account: its tier (sandbox or production), spend limits, and the sandbox's verified
destination numbers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from simlab.engage.outbox_messages import OutboxMessage
from simlab.engage.sms.common import parse_e164
from simlab.engage.sms.constants import SERVICE, SPEND_KINDS
from simlab.engage.sms.errors import (
    ConflictError,
    NotFoundError,
    ProductionAccessRequired,
    QuotaError,
    ValidationError,
)
from simlab.engage.sms.records import Pool, VerifiedNumber
from simlab.engage.sms.routing import Routing
from simlab.facts import sms


class Account(Routing):
    """The sandbox, production access, spend limits and verified destinations."""

    def leave_sandbox(self, monthly_spend_limit: float | None = None) -> None:
        """Moves the account to production (AWS does it through a support case)."""
        self.tier = "PRODUCTION"
        self._voice_minute.limit = sms.VOICE_PRODUCTION_CALLS_PER_MINUTE.value
        self._voice_day.limit = -1
        if monthly_spend_limit is not None:
            for kind in SPEND_KINDS:
                self.max_spend[kind] = float(monthly_spend_limit)

    def spend_limit(self, kind: str) -> float:
        """The limit enforced on ``kind`` (TEXT, VOICE ...) this month, in USD."""
        return self.spend_overrides.get(kind, self.max_spend[kind])

    def spent_this_month(self, kind: str) -> float:
        return self.spent.get((kind, f"{self.clock.now():%Y-%m}"), 0.0)

    def set_spend_limit_override(self, kind: str, limit: int) -> int:
        if limit > self.max_spend[kind]:
            raise ValidationError(
                f"MonthlyLimit {limit} is above this account's {kind} limit of "
                f"{self.max_spend[kind]:g} USD; ask AWS Support for more",
                reason="REQUESTED_SPEND_LIMIT_HIGHER_THAN_SERVICE_LIMIT",
                field="MonthlyLimit",
            )
        self.spend_overrides[kind] = float(limit)
        return limit

    def delete_spend_limit_override(self, kind: str) -> int:
        return int(self.spend_overrides.pop(kind, self.max_spend[kind]))

    def describe_spend_limits(self) -> list[dict[str, Any]]:
        return [
            {
                "Name": f"{kind}_MESSAGE_MONTHLY_SPEND_LIMIT",
                "EnforcedLimit": int(self.spend_limit(kind)),
                "MaxLimit": int(self.max_spend[kind]),
                "Overridden": kind in self.spend_overrides,
            }
            for kind in SPEND_KINDS
        ]

    def account_limits(self) -> list[dict[str, Any]]:
        used = {
            "PHONE_NUMBERS": (len(self.numbers), sms.MAX_PHONE_NUMBERS.value),
            "POOLS": (len(self.pools), sms.MAX_POOLS.value),
            "CONFIGURATION_SETS": (len(self.configuration_sets), sms.MAX_CONFIGURATION_SETS.value),
            "OPT_OUT_LISTS": (len(self.opt_out_lists), sms.MAX_OPT_OUT_LISTS.value),
            "VERIFIED_DESTINATION_NUMBERS": (
                len(self.verified),
                sms.SANDBOX_MAX_VERIFIED_NUMBERS.value,
            ),
        }
        return [{"Name": k, "Used": u, "Max": m} for k, (u, m) in used.items()]

    def create_verified_destination_number(self, number: str) -> VerifiedNumber:
        number, _ = parse_e164(number, "DestinationPhoneNumber")
        if any(v.number == number for v in self.verified.values()):
            raise ConflictError(
                f"{number} is already a verified destination number",
                reason="RESOURCE_ALREADY_EXISTS",
                resource_type="verified-destination-number",
                resource_id=number,
            )
        if len(self.verified) >= sms.SANDBOX_MAX_VERIFIED_NUMBERS.value:
            raise QuotaError(
                f"the sandbox allows {sms.SANDBOX_MAX_VERIFIED_NUMBERS.value} verified destination "
                "numbers; delete one first",
                reason="VERIFIED_DESTINATION_NUMBERS_PER_ACCOUNT",
            )
        verified_id = self._id("verifieddestinationnumber")
        record = VerifiedNumber(
            verified_id,
            self._arn("verified-destination-number", verified_id),
            number,
            self.clock.now(),
        )
        self.verified[verified_id] = record
        return record

    def _unverified(self, ref: str) -> VerifiedNumber:
        """A verified-destination record still waiting for its code; raises ConflictError when
        it is verified already, NotFoundError when there is none."""
        record = self.verified_number(ref)
        if record.status == "VERIFIED":
            raise ConflictError(
                f"{record.number} is already verified",
                reason="VERIFICATION_ALREADY_COMPLETE",
                resource_type="verified-destination-number",
                resource_id=record.verified_id,
            )
        return record

    def verified_number(self, ref: str) -> VerifiedNumber:
        key = ref.rsplit("/", 1)[-1] if ref.startswith("arn:") else ref
        if key not in self.verified:
            raise NotFoundError("verified-destination-number", ref)
        return self.verified[key]

    def send_verification_code(
        self,
        ref: str,
        channel: str = "TEXT",
        origination_identity: str | None = None,
        configuration_set: str | None = None,
        context: Mapping[str, str] | None = None,
    ) -> str:
        """Sends a fresh code to a verified destination (the code is in the outbox)."""
        record = self._unverified(ref)
        code = "".join(str(d) for d in self.rng("sms.verification").integers(0, 10, 6))
        record.code = code
        body = f"Your AWS End User Messaging verification code is {code}"
        origin = "AWS"
        if origination_identity:
            origin = self._pick_identity(
                self.origination(origination_identity), record.number, "SMS", 1
            )[0].identity
        message_id = self.new_id()
        self.outbox.add(
            OutboxMessage(
                channel="VOICE" if channel == "VOICE" else "SMS",
                service=SERVICE,
                origin=origin,
                destination=record.number,
                body=body,
                message_id=message_id,
                sent_at=self.clock.now(),
                status="DELIVERED",
                detail={"purpose": "verification", "code": code, "context": dict(context or {})},
            )
        )
        return message_id

    def verify_destination_number(self, ref: str, code: str) -> VerifiedNumber:
        record = self._unverified(ref)
        if record.code is None:
            raise ConflictError(
                "no verification code has been sent to this number; call "
                "SendDestinationNumberVerificationCode first",
                reason="VERIFICATION_CODE_EXPIRED",
                resource_type="verified-destination-number",
                resource_id=record.verified_id,
            )
        if code != record.code:
            raise ValidationError(
                "VerificationCode does not match the code sent",
                reason="VERIFICATION_CODE_MISMATCH",
                field="VerificationCode",
            )
        record.status = "VERIFIED"
        return record

    def describe_verified_numbers(
        self,
        ids: Iterable[str] | None = None,
        numbers: Iterable[str] | None = None,
        filters: Iterable[Mapping[str, Any]] | None = None,
    ) -> list[VerifiedNumber]:
        records = [self.verified_number(i) for i in ids] if ids else list(self.verified.values())
        if numbers:
            records = [r for r in records if r.number in set(numbers)]
        for item in filters or ():
            if item["Name"] == "status":
                records = [r for r in records if r.status in item["Values"]]
        return records

    def delete_verified_number(self, ref: str) -> VerifiedNumber:
        record = self.verified_number(ref)
        return self.verified.pop(record.verified_id)

    def check_otp_ready(
        self, operation: str, origination_identity: str | None, destination: str
    ) -> None:
        """Refuses a one-time-password send the account is not ready for.

        AWS requires production access and an active origination identity for OTP
        (https://docs.aws.amazon.com/pinpoint/latest/developerguide/send-validate-otp.html):
        verifying a tester's phone in the sandbox is not enough. Raises
        ``ProductionAccessRequired`` while the account is in the sandbox or when the identity
        named (or, without one, every identity able to reach the destination) is not ACTIVE;
        NotFoundError when the named identity does not exist.
        """
        if self.tier == "SANDBOXED":
            raise ProductionAccessRequired(
                f"{operation} needs production access: this account is in the SMS sandbox, "
                "where one-time passwords are not sent; request production access (AWS Support "
                "case) and an active origination identity first",
                account_id=self.account_id,
            )
        _, country = parse_e164(destination, "DestinationPhoneNumber")
        if origination_identity:
            chosen = self.origination(origination_identity)
            members = chosen.members if isinstance(chosen, Pool) else [chosen]
        else:
            members = [n for n in self.numbers.values() if n.iso_country == country]
        if not any(getattr(m, "status", "ACTIVE") == "ACTIVE" for m in members):
            named = origination_identity or f"any number in {country}"
            raise ProductionAccessRequired(
                f"{operation} needs an active origination identity; {named} is not one "
                "(request a number, and wait for its registration to be approved)",
                account_id=self.account_id,
            )

    def _check_sandbox(self, destination: str) -> None:
        if self.tier != "SANDBOXED":
            return
        if not any(
            v.number == destination and v.status == "VERIFIED" for v in self.verified.values()
        ):
            raise ConflictError(
                f"the account is in the SMS sandbox and {destination} is not a verified "
                "destination number; verify it (CreateVerifiedDestinationNumber, "
                "SendDestinationNumberVerificationCode, VerifyDestinationNumber) or leave the "
                "sandbox",
                reason="DESTINATION_PHONE_NUMBER_NOT_VERIFIED",
                resource_type="verified-destination-number",
                resource_id=destination,
            )
