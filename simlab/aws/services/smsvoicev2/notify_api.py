"""Handlers of v2 Notify: managed, templated code-verification messages.

A notify configuration (use case ``CODE_VERIFICATION``) names the channels and countries it
may send to and optionally a pool of the account's own numbers; without a pool, texts go out
from a managed identity, as AWS-owned numbers would. Sends render a template with the
caller's ``TemplateVariables`` (a required variable missing, or one the template does not
know, is refused naming it). The template catalog here is simlab's: its ids and wording are
not AWS's, which AWS keeps in its own account (API reference:
https://docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_SendNotifyTextMessage.html).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from moto.core.responses import ActionResult

from simlab.aws.services.smsvoicev2.handlers import Handlers
from simlab.engage.sms import (
    ConflictError,
    NotFoundError,
    SenderId,
    ValidationError,
    parse_e164,
)

_CODE = {"Type": "STRING", "Required": True, "Pattern": "[A-Za-z0-9]{4,10}", "Source": "CUSTOMER"}
_BRAND = {
    "Type": "STRING",
    "Required": False,
    "MaxLength": 20,
    "DefaultValue": "",
    "Source": "CUSTOMER",
}
_MINUTES = {
    "Type": "INTEGER",
    "Required": False,
    "MinValue": 1,
    "MaxValue": 60,
    "DefaultValue": "10",
}
#: simlab's template catalog: id -> (channels, language, content, variables).
TEMPLATES: dict[str, tuple[tuple[str, ...], str, str, dict[str, dict[str, Any]]]] = {
    "simlab-otp-basic-en": (
        ("SMS", "VOICE"),
        "en-US",
        "Your verification code is {{code}}.",
        {"code": _CODE},
    ),
    "simlab-otp-brand-en": (
        ("SMS",),
        "en-US",
        "{{brand}}: your verification code is {{code}}. It expires in {{minutes}} minutes.",
        {"code": _CODE, "brand": _BRAND, "minutes": _MINUTES},
    ),
}
DEFAULT_TEMPLATE = "simlab-otp-basic-en"
#: Countries Notify serves here, and whether they need the account's own numbers (simlab's).
COUNTRIES = {
    "US": ("United States", False),
    "CA": ("Canada", False),
    "GB": ("United Kingdom", False),
    "DE": ("Germany", False),
    "IN": ("India", True),
    "VN": ("Viet Nam", True),
}
_EPOCH = datetime(2026, 1, 1)


@dataclass
class NotifyConfiguration:
    notify_id: str
    arn: str
    name: str
    use_case: str
    channels: list[str]
    countries: list[str]
    created: datetime
    default_template: str | None = None
    pool_id: str | None = None
    deletion_protection: bool = False
    status: str = "ACTIVE"
    tags: list[dict[str, str]] = field(default_factory=list)

    def describe(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "NotifyConfigurationArn": self.arn,
            "NotifyConfigurationId": self.notify_id,
            "DisplayName": self.name,
            "UseCase": self.use_case,
            "EnabledCountries": list(self.countries),
            "EnabledChannels": list(self.channels),
            "Tier": "BASIC",
            "TierUpgradeStatus": "BASIC",
            "Status": self.status,
            "DeletionProtectionEnabled": self.deletion_protection,
            "CreatedTimestamp": self.created,
        }
        if self.default_template:
            result["DefaultTemplateId"] = self.default_template
        if self.pool_id:
            result["PoolId"] = self.pool_id
        return result

    def filter_values(self, name: str) -> list[str]:
        return {
            "display-name": [self.name],
            "enabled-countries": self.countries,
            "enabled-channels": self.channels,
            "default-template": [self.default_template or ""],
            "default-pool": [self.pool_id or ""],
            "use-case": [self.use_case],
            "status": [self.status],
            "deletion-protection-enabled": ["true" if self.deletion_protection else "false"],
            "tier-upgrade-status": ["BASIC"],
        }[name]


def describe_template(template_id: str) -> dict[str, Any]:
    channels, language, content, variables = TEMPLATES[template_id]
    return {
        "TemplateId": template_id,
        "Version": 1,
        "TemplateType": "OTP_VERIFICATION",
        "Channels": list(channels),
        "TierAccess": ["BASIC", "ADVANCED"],
        "Status": "ACTIVE",
        "SupportedCountries": sorted(COUNTRIES),
        "LanguageCode": language,
        "Content": content,
        "Variables": variables,
        "CreatedTimestamp": _EPOCH,
    }


def render(template_id: str, values: dict[str, str]) -> str:
    """The template's content with ``values``; raises ValidationError naming a bad variable."""
    _, _, content, variables = TEMPLATES[template_id]
    unknown = sorted(set(values) - set(variables))
    if unknown:
        raise ValidationError(
            f"TemplateVariables.{unknown[0]} is not a variable of {template_id} "
            f"({', '.join(variables)})",
            field=f"TemplateVariables.{unknown[0]}",
        )
    filled = {}
    for name, meta in variables.items():
        value = values.get(name, meta.get("DefaultValue"))
        where = f"TemplateVariables.{name}"
        if value is None and meta.get("Required"):
            raise ValidationError(f"{where} is required by {template_id}", field=where)
        value = str(value or "")
        if meta.get("Pattern") and not re.fullmatch(meta["Pattern"], value):
            raise ValidationError(f"{where} must match {meta['Pattern']}", field=where)
        integer = meta["Type"] == "INTEGER" and value
        if integer and (
            not value.isdigit() or not meta["MinValue"] <= int(value) <= meta["MaxValue"]
        ):
            raise ValidationError(
                f"{where} must be {meta['MinValue']}..{meta['MaxValue']}", field=where
            )
        if len(value) > meta.get("MaxLength", 4096):
            raise ValidationError(
                f"{where} holds at most {meta['MaxLength']} characters", field=where
            )
        filled[name] = value
    return re.sub(r"\{\{(\w+)\}\}", lambda m: filled.get(m.group(1), ""), content).strip()


class NotifyHandlers(Handlers):
    """Mixed into ``SmsVoiceV2Response``; one method per operation."""

    def _notify(self, ref: str) -> NotifyConfiguration:
        key = ref.rsplit("/", 1)[-1]
        if key not in self.extras.notify_configurations:
            raise NotFoundError("notify-configuration", ref)
        return self.extras.notify_configurations[key]

    def _check_settings(
        self, template: str | None, pool_id: str | None, countries: list[str]
    ) -> None:
        if template and template not in TEMPLATES:
            raise NotFoundError("notify-template", template)
        if pool_id:
            self.engine.pool(pool_id)
        for index, country in enumerate(countries):
            if country not in COUNTRIES:
                raise ValidationError(
                    f"EnabledCountries[{index}] {country!r} is not a Notify country here "
                    f"({', '.join(COUNTRIES)})",
                    reason="COUNTRY_NOT_ENABLED",
                    field=f"EnabledCountries[{index}]",
                )

    def create_notify_configuration(self) -> ActionResult:
        countries = list(self._param("EnabledCountries") or [])
        self._check_settings(self._param("DefaultTemplateId"), self._param("PoolId"), countries)
        notify_id = self.engine._id("notify")
        record = NotifyConfiguration(
            notify_id,
            self.engine._arn("notify-configuration", notify_id),
            self._param("DisplayName"),
            self._param("UseCase"),
            list(self._param("EnabledChannels")),
            countries,
            self.engine.clock.now(),
            self._param("DefaultTemplateId"),
            self._param("PoolId"),
            bool(self._param("DeletionProtectionEnabled", False)),
            tags=list(self._param("Tags") or []),
        )
        self.extras.notify_configurations[notify_id] = record
        return ActionResult({**record.describe(), "Tags": record.tags})

    def describe_notify_configurations(self) -> ActionResult:
        ids = self._param("NotifyConfigurationIds")
        records = (
            [self._notify(i) for i in ids]
            if ids
            else list(self.extras.notify_configurations.values())
        )
        for item in self._param("Filters", []):
            records = [
                r for r in records if set(r.filter_values(item["Name"])) & set(item["Values"])
            ]
        return self._paged("NotifyConfigurations", records)

    def update_notify_configuration(self) -> ActionResult:
        record = self._notify(self._param("NotifyConfigurationId"))
        countries = self._param("EnabledCountries")
        template = self._param("DefaultTemplateId")
        if template == "UNSET_DEFAULT_TEMPLATE":
            record.default_template, template = None, None
        self._check_settings(template, self._param("PoolId"), list(countries or []))
        if template:
            record.default_template = template
        if self._param("PoolId"):
            record.pool_id = self._param("PoolId")
        if countries is not None:
            record.countries = list(countries)
        if self._param("EnabledChannels") is not None:
            record.channels = list(self._param("EnabledChannels"))
        if self._param("DeletionProtectionEnabled") is not None:
            record.deletion_protection = bool(self._param("DeletionProtectionEnabled"))
        return ActionResult(record.describe())

    def delete_notify_configuration(self) -> ActionResult:
        record = self._notify(self._param("NotifyConfigurationId"))
        if record.deletion_protection:
            raise ConflictError(
                f"notify configuration {record.notify_id} has deletion protection",
                reason="DELETION_PROTECTION_ENABLED",
                resource_type="notify-configuration",
                resource_id=record.notify_id,
            )
        del self.extras.notify_configurations[record.notify_id]
        return ActionResult(record.describe())

    def describe_notify_templates(self) -> ActionResult:
        ids = self._param("TemplateIds") or list(TEMPLATES)
        for template in ids:
            if template not in TEMPLATES:
                raise NotFoundError("notify-template", template)
        rows = [describe_template(t) for t in ids]
        keys = {"channels": "Channels", "supported-countries": "SupportedCountries"}
        for item in self._param("Filters", []):
            key = keys.get(item["Name"])
            if item["Name"] == "language-code":
                rows = [r for r in rows if r["LanguageCode"] in item["Values"]]
            elif key:
                rows = [r for r in rows if set(r[key]) & set(item["Values"])]
        return self._rows("NotifyTemplates", rows)

    def list_notify_countries(self) -> ActionResult:
        channels = set(self._param("Channels") or ["SMS", "VOICE"])
        rows = [
            {
                "IsoCountryCode": code,
                "CountryName": name,
                "SupportedChannels": sorted({"SMS", "VOICE"} & channels),
                "SupportedUseCases": ["CODE_VERIFICATION"],
                "SupportedTiers": ["BASIC", "ADVANCED"],
                "CustomerOwnedIdentityRequired": own,
            }
            for code, (name, own) in sorted(COUNTRIES.items())
            if {"SMS", "VOICE"} & channels
        ]
        return self._rows("NotifyCountries", rows)

    def _notify_send(self, channel: str) -> tuple[NotifyConfiguration, str, str, str]:
        record = self._notify(self._param("NotifyConfigurationId"))
        if record.status != "ACTIVE":
            raise ConflictError(
                f"notify configuration {record.notify_id} is {record.status}",
                reason="NOTIFY_CONFIGURATION_NOT_ACTIVE",
                resource_type="notify-configuration",
                resource_id=record.notify_id,
            )
        if channel not in record.channels:
            raise ValidationError(
                f"notify configuration {record.notify_id} does not enable {channel}",
                reason="CHANNEL_NOT_ENABLED",
                field="NotifyConfigurationId",
            )
        destination, country = parse_e164(
            self._param("DestinationPhoneNumber"), "DestinationPhoneNumber"
        )
        if record.countries and country not in record.countries:
            raise ValidationError(
                f"{country} is not among the configuration's EnabledCountries",
                reason="DESTINATION_COUNTRY_BLOCKED",
                field="DestinationPhoneNumber",
            )
        template = self._param("TemplateId") or record.default_template or DEFAULT_TEMPLATE
        if template not in TEMPLATES:
            raise NotFoundError("notify-template", template)
        if channel not in TEMPLATES[template][0]:
            raise ValidationError(
                f"template {template} has no {channel} version", field="TemplateId"
            )
        body = render(template, dict(self._param("TemplateVariables") or {}))
        return record, destination, template, body

    def send_notify_text_message(self) -> ActionResult:
        record, destination, template, body = self._notify_send("SMS")
        _, country = parse_e164(destination, "DestinationPhoneNumber")
        if record.pool_id:
            route: Any = self.engine.pool(record.pool_id)
        elif COUNTRIES[country][1]:
            raise ValidationError(
                f"Notify needs the account's own numbers in {country}; set PoolId",
                reason="INVALID_REQUEST",
                field="NotifyConfigurationId",
            )
        else:
            route = SenderId(
                "Notify", country, self.engine._arn("notify-identity", country), ("TRANSACTIONAL",)
            )
        message_id = self.engine.send_text_message(
            destination,
            body,
            route=route,
            message_type="TRANSACTIONAL",
            configuration_set=self._param("ConfigurationSetName"),
            ttl=self._param("TimeToLive"),
            context=self._param("Context"),
            dry_run=bool(self._param("DryRun", False)),
        )
        return ActionResult(
            {"MessageId": message_id, "TemplateId": template, "ResolvedMessageBody": body}
        )

    def send_notify_voice_message(self) -> ActionResult:
        record, destination, template, body = self._notify_send("VOICE")
        if not record.pool_id:
            raise ValidationError(
                "the local AWS places Notify calls from the configuration's pool; set PoolId to a "
                "pool with a VOICE number",
                reason="INVALID_REQUEST",
                field="NotifyConfigurationId",
            )
        message_id = self.engine.send_voice_message(
            destination,
            record.pool_id,
            body,
            voice_id=self._param("VoiceId"),
            configuration_set=self._param("ConfigurationSetName"),
            ttl=self._param("TimeToLive"),
            context=self._param("Context"),
            dry_run=bool(self._param("DryRun", False)),
        )
        return ActionResult(
            {"MessageId": message_id, "TemplateId": template, "ResolvedMessageBody": body}
        )
