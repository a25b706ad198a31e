"""Protect configurations: which destination countries (and numbers) an account may reach.

A protect configuration holds a country rule set per capability (SMS, VOICE, MMS, RCS) with a
``ProtectStatus`` of ALLOW, BLOCK, MONITOR or FILTER per country, and number overrides (ALLOW
or BLOCK, optionally expiring) that win over the country rule. The configuration that applies
to a send is the one the request names, else the configuration set's, else the account
default. A BLOCK refuses the send with ``ConflictException``
(``DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION`` or
``DESTINATION_PHONE_NUMBER_BLOCKED_BY_PROTECT_NUMBER_OVERRIDE``) and emits a
``TEXT_PROTECT_BLOCKED`` record to the configuration set's event destinations; MONITOR lets it
through and keeps a record. FILTER blocks artificially inflated traffic, which the local
carrier model never produces, so it lets sends through here. API reference:
https://docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_UpdateProtectConfigurationCountryRuleSet.html
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from simlab.engage.sms import ConflictError, Message, NotFoundError, SmsVoiceEngine, parse_e164

CAPABILITIES = ("SMS", "VOICE", "MMS", "RCS")
#: The protect configuration a request names (``ProtectConfigurationId``), set per request.
REQUESTED: ContextVar[str | None] = ContextVar("simlab_protect_requested", default=None)


@dataclass
class NumberOverride:
    number: str
    action: str
    created: datetime
    iso_country: str
    expires: datetime | None = None

    def describe(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "DestinationPhoneNumber": self.number,
            "CreatedTimestamp": self.created,
            "Action": self.action,
            "IsoCountryCode": self.iso_country,
        }
        if self.expires is not None:
            result["ExpirationTimestamp"] = self.expires
        return result


@dataclass
class ProtectConfiguration:
    protect_id: str
    arn: str
    created: datetime
    deletion_protection: bool = False
    account_default: bool = False
    rules: dict[str, dict[str, str]] = field(default_factory=lambda: {c: {} for c in CAPABILITIES})
    overrides: dict[str, NumberOverride] = field(default_factory=dict)
    configuration_sets: set[str] = field(default_factory=set)
    tags: list[dict[str, str]] = field(default_factory=list)

    def describe(self) -> dict[str, Any]:
        return {
            "ProtectConfigurationArn": self.arn,
            "ProtectConfigurationId": self.protect_id,
            "CreatedTimestamp": self.created,
            "AccountDefault": self.account_default,
            "DeletionProtectionEnabled": self.deletion_protection,
        }

    def filter_values(self, name: str) -> list[str]:
        flags = {"account-default": self.account_default}
        flags["deletion-protection-enabled"] = self.deletion_protection
        return ["true" if flags[name] else "false"]

    def rule_set(self, capability: str) -> dict[str, dict[str, str]]:
        """The country rule set of a capability; countries not set are ALLOW."""
        return {c: {"ProtectStatus": s} for c, s in sorted(self.rules[capability].items())}


class ProtectConfigurations:
    """One account's protect configurations, checked before every send of the engine."""

    def __init__(self, engine: SmsVoiceEngine) -> None:
        self.engine = engine
        self.records: dict[str, ProtectConfiguration] = {}
        self.default_id: str | None = None
        #: One entry per send a configuration blocked or monitored, oldest first.
        self.log: list[dict[str, Any]] = []

    def create(
        self, deletion_protection: bool, tags: list[dict[str, str]] | None
    ) -> ProtectConfiguration:
        protect_id = self.engine._id("protect")
        record = ProtectConfiguration(
            protect_id,
            self.engine._arn("protect-configuration", protect_id),
            self.engine.clock.now(),
            deletion_protection,
            tags=list(tags or []),
        )
        self.records[protect_id] = record
        return record

    def get(self, ref: str) -> ProtectConfiguration:
        key = ref.rsplit("/", 1)[-1]
        if key not in self.records:
            raise NotFoundError("protect-configuration", ref)
        return self.records[key]

    def delete(self, ref: str) -> ProtectConfiguration:
        record = self.get(ref)
        reason = None
        if record.deletion_protection:
            reason = "DELETION_PROTECTION_ENABLED"
        elif record.account_default:
            reason = "PROTECT_CONFIGURATION_IS_ACCOUNT_DEFAULT"
        elif record.configuration_sets:
            reason = "PROTECT_CONFIGURATION_ASSOCIATED_WITH_CONFIGURATION_SET"
        if reason:
            raise ConflictError(
                f"protect configuration {record.protect_id} cannot be deleted ({reason})",
                reason=reason,
                resource_type="protect-configuration",
                resource_id=record.protect_id,
            )
        return self.records.pop(record.protect_id)

    def set_default(self, ref: str | None) -> ProtectConfiguration | None:
        """Makes ``ref`` the account default (None clears it); returns the previous default."""
        previous = self.records.get(self.default_id or "")
        if previous is not None:
            previous.account_default = False
        self.default_id = None
        if ref is not None:
            record = self.get(ref)
            record.account_default = True
            self.default_id = record.protect_id
        return previous

    def associate(self, ref: str, configuration_set: str) -> ProtectConfiguration:
        record = self.get(ref)
        config = self.engine.configuration_set(configuration_set)
        for other in self.records.values():
            if config.name in other.configuration_sets and other is not record:
                raise ConflictError(
                    f"configuration set {config.name} already uses {other.protect_id}",
                    reason="RESOURCE_ALREADY_ASSOCIATED",
                    resource_type="configuration-set",
                    resource_id=config.name,
                )
        record.configuration_sets.add(config.name)
        return record

    def disassociate(self, ref: str, configuration_set: str) -> ProtectConfiguration:
        record = self.get(ref)
        config = self.engine.configuration_set(configuration_set)
        if config.name not in record.configuration_sets:
            raise ConflictError(
                f"configuration set {config.name} does not use {record.protect_id}",
                reason="PROTECT_CONFIGURATION_NOT_ASSOCIATED_WITH_CONFIGURATION_SET",
                resource_type="configuration-set",
                resource_id=config.name,
            )
        record.configuration_sets.discard(config.name)
        return record

    def put_override(
        self, ref: str, number: str, action: str, expires: datetime | None
    ) -> NumberOverride:
        record = self.get(ref)
        number, country = parse_e164(number, "DestinationPhoneNumber")
        entry = NumberOverride(number, action, self.engine.clock.now(), country, expires)
        record.overrides[number] = entry
        return entry

    def delete_override(self, ref: str, number: str) -> NumberOverride:
        record = self.get(ref)
        if number not in record.overrides:
            raise NotFoundError("protect-configuration-rule-set-number-override", number)
        return record.overrides.pop(number)

    def applying(self, config: Any) -> ProtectConfiguration | None:
        """The configuration a send uses: the request's, the configuration set's, the default."""
        requested = REQUESTED.get()
        if requested:
            return self.get(requested)
        if config is not None:
            for record in self.records.values():
                if config.name in record.configuration_sets:
                    return record
        return self.records.get(self.default_id or "")

    def check_send(self, identity: Any, destination: str, channel: str, config: Any) -> None:
        """Raises ConflictError when the applying configuration blocks ``destination``."""
        record = self.applying(config)
        if record is None:
            return
        _, country = parse_e164(destination, "DestinationPhoneNumber")
        now = self.engine.clock.now()
        override = record.overrides.get(destination)
        if override is not None and (override.expires is None or override.expires > now):
            if override.action == "ALLOW":
                return
            self._blocked(record, identity, destination, channel, config, country, "number")
        status = record.rules["SMS" if channel == "SMS" else channel].get(country, "ALLOW")
        if status == "BLOCK":
            self._blocked(record, identity, destination, channel, config, country, "country")
        if status in ("MONITOR", "FILTER"):
            self.log.append(self._entry(record, destination, channel, country, status))

    def _entry(
        self,
        record: ProtectConfiguration,
        destination: str,
        channel: str,
        country: str,
        status: str,
    ) -> dict[str, Any]:
        return {
            "protectConfigurationId": record.protect_id,
            "destinationPhoneNumber": destination,
            "isoCountryCode": country,
            "channel": channel,
            "protectStatus": status,
            "timestamp": self.engine.clock.timestamp_ms(),
        }

    def _blocked(
        self,
        record: ProtectConfiguration,
        identity: Any,
        destination: str,
        channel: str,
        config: Any,
        country: str,
        by: str,
    ) -> None:
        entry = self._entry(record, destination, channel, country, "BLOCK")
        self.log.append(entry)
        outbox_channel = "VOICE" if channel == "VOICE" else "SMS"
        self.engine._refuse(outbox_channel, "PROTECT_BLOCKED", identity.identity, destination, "")
        if channel != "VOICE":  # the event types name TEXT, MEDIA and RCS blocks, not calls
            family = {"MMS": "MEDIA", "RCS": "RCS"}.get(channel, "TEXT")
            self._deliver(
                config, self._event(record, identity, destination, f"{family}_PROTECT_BLOCKED")
            )
        if by == "number":
            raise ConflictError(
                f"{destination} is blocked by a number override of protect configuration "
                f"{record.protect_id}",
                reason="DESTINATION_PHONE_NUMBER_BLOCKED_BY_PROTECT_NUMBER_OVERRIDE",
                resource_type="protect-configuration",
                resource_id=record.protect_id,
            )
        raise ConflictError(
            f"protect configuration {record.protect_id} blocks {channel} to {country}; allow it "
            "with UpdateProtectConfigurationCountryRuleSet or a number override",
            reason="DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION",
            resource_type="protect-configuration",
            resource_id=record.protect_id,
        )

    def _event(
        self, record: ProtectConfiguration, identity: Any, destination: str, event_type: str
    ) -> dict[str, Any]:
        """The v2 event record of a blocked send (no message was accepted, so no parts or price)."""
        now = self.engine.clock.now()
        blocked = Message(
            message_id=self.engine.new_id(),
            channel="SMS",
            origin=identity.identity,
            destination=destination,
            body="",
            message_type="TRANSACTIONAL",
            requested_at=now,
            parts=0,
        )
        event = self.engine.event_record(blocked, event_type, final=True)
        event["messageStatusDescription"] = f"Blocked by protect configuration {record.protect_id}"
        event["protectConfigurationId"] = record.protect_id
        return event

    def _deliver(self, config: Any, event: dict[str, Any]) -> None:
        if config is None or self.engine.deliver is None:
            return
        event_type = event["eventType"]
        for destination in config.destinations.values():
            if destination.matches(event_type):
                try:
                    self.engine.deliver(destination.target_arn, event)
                except Exception as error:  # a missing destination loses the record, as at AWS
                    self.engine.delivery_errors.append(f"{destination.name}: {error}")
