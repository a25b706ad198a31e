"""Handlers of the v2 protect configuration operations (country rule sets, number overrides)."""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult

from simlab.aws.services.smsvoicev2.handlers import Handlers
from simlab.engage.protect import ProtectConfigurations


class ProtectHandlers(Handlers):
    """Mixed into ``SmsVoiceV2Response``; one method per operation."""

    @property
    def protect(self) -> ProtectConfigurations:
        return self.extras.protect

    def create_protect_configuration(self) -> ActionResult:
        record = self.protect.create(
            bool(self._param("DeletionProtectionEnabled", False)), self._param("Tags")
        )
        return ActionResult({**record.describe(), "Tags": record.tags})

    def describe_protect_configurations(self) -> ActionResult:
        ids = self._param("ProtectConfigurationIds")
        records = [self.protect.get(i) for i in ids] if ids else list(self.protect.records.values())
        for item in self._param("Filters", []):
            records = [
                r for r in records if set(r.filter_values(item["Name"])) & set(item["Values"])
            ]
        return self._paged("ProtectConfigurations", records)

    def update_protect_configuration(self) -> ActionResult:
        record = self.protect.get(self._param("ProtectConfigurationId"))
        if self._param("DeletionProtectionEnabled") is not None:
            record.deletion_protection = bool(self._param("DeletionProtectionEnabled"))
        return ActionResult(record.describe())

    def delete_protect_configuration(self) -> ActionResult:
        return ActionResult(self.protect.delete(self._param("ProtectConfigurationId")).describe())

    def _rule_set(self, record: Any, capability: str) -> ActionResult:
        return ActionResult(
            {
                "ProtectConfigurationArn": record.arn,
                "ProtectConfigurationId": record.protect_id,
                "NumberCapability": capability,
                "CountryRuleSet": record.rule_set(capability),
            }
        )

    def get_protect_configuration_country_rule_set(self) -> ActionResult:
        record = self.protect.get(self._param("ProtectConfigurationId"))
        return self._rule_set(record, self._param("NumberCapability"))

    def update_protect_configuration_country_rule_set(self) -> ActionResult:
        record = self.protect.get(self._param("ProtectConfigurationId"))
        capability = self._param("NumberCapability")
        for country, rule in self._param("CountryRuleSetUpdates").items():
            record.rules[capability][country] = rule["ProtectStatus"]
        return self._rule_set(record, capability)

    def _protect_association(self, record: Any) -> ActionResult:
        config = self.engine.configuration_set(self._param("ConfigurationSetName"))
        return ActionResult(
            {
                "ConfigurationSetArn": config.arn,
                "ConfigurationSetName": config.name,
                "ProtectConfigurationArn": record.arn,
                "ProtectConfigurationId": record.protect_id,
            }
        )

    def associate_protect_configuration(self) -> ActionResult:
        record = self.protect.associate(
            self._param("ProtectConfigurationId"), self._param("ConfigurationSetName")
        )
        return self._protect_association(record)

    def disassociate_protect_configuration(self) -> ActionResult:
        record = self.protect.disassociate(
            self._param("ProtectConfigurationId"), self._param("ConfigurationSetName")
        )
        return self._protect_association(record)

    def set_account_default_protect_configuration(self) -> ActionResult:
        self.protect.set_default(self._param("ProtectConfigurationId"))
        record = self.protect.get(self._param("ProtectConfigurationId"))
        return ActionResult(
            {
                "DefaultProtectConfigurationArn": record.arn,
                "DefaultProtectConfigurationId": record.protect_id,
            }
        )

    def delete_account_default_protect_configuration(self) -> ActionResult:
        from simlab.engage.sms import NotFoundError

        previous = self.protect.set_default(None)
        if previous is None:
            raise NotFoundError("protect-configuration", "account default")
        return ActionResult(
            {
                "DefaultProtectConfigurationArn": previous.arn,
                "DefaultProtectConfigurationId": previous.protect_id,
            }
        )

    def _override(self, record: Any, entry: Any) -> ActionResult:
        return ActionResult(
            {
                "ProtectConfigurationArn": record.arn,
                "ProtectConfigurationId": record.protect_id,
                **entry.describe(),
            }
        )

    def put_protect_configuration_rule_set_number_override(self) -> ActionResult:
        ref = self._param("ProtectConfigurationId")
        entry = self.protect.put_override(
            ref,
            self._param("DestinationPhoneNumber"),
            self._param("Action"),
            self._param("ExpirationTimestamp"),
        )
        return self._override(self.protect.get(ref), entry)

    def delete_protect_configuration_rule_set_number_override(self) -> ActionResult:
        ref = self._param("ProtectConfigurationId")
        entry = self.protect.delete_override(ref, self._param("DestinationPhoneNumber"))
        return self._override(self.protect.get(ref), entry)

    def list_protect_configuration_rule_set_number_overrides(self) -> ActionResult:
        record = self.protect.get(self._param("ProtectConfigurationId"))
        entries = list(record.overrides.values())
        for item in self._param("Filters", []):
            name, values = item["Name"], item["Values"]
            if name == "iso-country-code":
                entries = [e for e in entries if e.iso_country in values]
            elif name == "action":
                entries = [e for e in entries if e.action in values]
            elif name == "destination-phone-number-begins-with":
                entries = [e for e in entries if any(e.number.startswith(v) for v in values)]
        return self._paged(
            "RuleSetNumberOverrides",
            entries,
            ProtectConfigurationArn=record.arn,
            ProtectConfigurationId=record.protect_id,
        )
