"""Handlers of v2 RCS agents: the agent records and their launch status per country.

An agent is created ``CREATED``; launching it in a country takes a registration and carrier
approval, which the local AWS does not simulate, so every country reports ``CREATED`` with no
carriers and sending RCS (``SendRcsMessage``) is not emulated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from moto.core.responses import ActionResult

from simlab.aws.services.smsvoicev2.handlers import Handlers
from simlab.engage.sms import ConflictError, NotFoundError


def _flag(value: bool) -> str:
    """A boolean as the API's filter values spell it."""
    return "true" if value else "false"


@dataclass
class RcsAgent:
    agent_id: str
    arn: str
    created: datetime
    deletion_protection: bool = False
    opt_out_list_name: str = "Default"
    self_managed_opt_outs: bool = False
    two_way_enabled: bool = False
    two_way_channel_arn: str | None = None
    two_way_channel_role: str | None = None
    status: str = "CREATED"
    tags: list[dict[str, str]] = field(default_factory=list)

    def describe(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "RcsAgentArn": self.arn,
            "RcsAgentId": self.agent_id,
            "Status": self.status,
            "CreatedTimestamp": self.created,
            "DeletionProtectionEnabled": self.deletion_protection,
            "OptOutListName": self.opt_out_list_name,
            "SelfManagedOptOutsEnabled": self.self_managed_opt_outs,
            "TwoWayEnabled": self.two_way_enabled,
        }
        for key, value in (
            ("TwoWayChannelArn", self.two_way_channel_arn),
            ("TwoWayChannelRole", self.two_way_channel_role),
        ):
            if value:
                result[key] = value
        return result

    def filter_values(self, name: str) -> list[str]:
        return {
            "status": [self.status],
            "two-way-enabled": [_flag(self.two_way_enabled)],
            "self-managed-opt-outs-enabled": [_flag(self.self_managed_opt_outs)],
            "opt-out-list-name": [self.opt_out_list_name],
            "deletion-protection-enabled": [_flag(self.deletion_protection)],
            "two-way-channel-arn": [self.two_way_channel_arn or ""],
        }[name]


class RcsHandlers(Handlers):
    """Mixed into ``SmsVoiceV2Response``; one method per operation."""

    def _agent(self, ref: str) -> RcsAgent:
        key = ref.rsplit("/", 1)[-1]
        if key not in self.extras.rcs_agents:
            raise NotFoundError("rcs-agent", ref)
        return self.extras.rcs_agents[key]

    def create_rcs_agent(self) -> ActionResult:
        agent_id = self.engine._id("rcs")
        opt_list = self.engine.opt_out_list(self._param("OptOutListName", "Default")).name
        record = RcsAgent(
            agent_id,
            self.engine._arn("rcs-agent", agent_id),
            self.engine.clock.now(),
            bool(self._param("DeletionProtectionEnabled", False)),
            opt_list,
            tags=list(self._param("Tags") or []),
        )
        self.extras.rcs_agents[agent_id] = record
        return ActionResult({**record.describe(), "Tags": record.tags})

    def describe_rcs_agents(self) -> ActionResult:
        ids = self._param("RcsAgentIds")
        records = [self._agent(i) for i in ids] if ids else list(self.extras.rcs_agents.values())
        if self._param("Owner") == "SHARED":
            records = []
        for item in self._param("Filters", []):
            records = [
                r for r in records if set(r.filter_values(item["Name"])) & set(item["Values"])
            ]
        return self._paged("RcsAgents", records)

    def update_rcs_agent(self) -> ActionResult:
        record = self._agent(self._param("RcsAgentId"))
        if self._param("TwoWayEnabled") and not (
            self._param("TwoWayChannelArn") or record.two_way_channel_arn
        ):
            from simlab.engage.sms import ValidationError

            raise ValidationError(
                "TwoWayChannelArn is required when TwoWayEnabled is true",
                reason="TWO_WAY_CHANNEL_NOT_PRESENT",
                field="TwoWayChannelArn",
            )
        if self._param("OptOutListName"):
            record.opt_out_list_name = self.engine.opt_out_list(self._param("OptOutListName")).name
        for key, attribute in (
            ("DeletionProtectionEnabled", "deletion_protection"),
            ("SelfManagedOptOutsEnabled", "self_managed_opt_outs"),
            ("TwoWayEnabled", "two_way_enabled"),
            ("TwoWayChannelArn", "two_way_channel_arn"),
            ("TwoWayChannelRole", "two_way_channel_role"),
        ):
            if self._param(key) is not None:
                setattr(record, attribute, self._param(key))
        return ActionResult(record.describe())

    def delete_rcs_agent(self) -> ActionResult:
        record = self._agent(self._param("RcsAgentId"))
        if record.deletion_protection:
            raise ConflictError(
                f"RCS agent {record.agent_id} has deletion protection",
                reason="DELETION_PROTECTION_ENABLED",
                resource_type="rcs-agent",
                resource_id=record.agent_id,
            )
        del self.extras.rcs_agents[record.agent_id]
        record.status = "DELETED"
        return ActionResult(record.describe())

    def describe_rcs_agent_country_launch_status(self) -> ActionResult:
        record = self._agent(self._param("RcsAgentId"))
        rows = [
            {"IsoCountryCode": c, "Status": "CREATED", "RegistrationId": "", "CarrierStatus": []}
            for c in self._param("IsoCountryCodes") or []
        ]
        for item in self._param("Filters", []):
            rows = [r for r in rows if r["Status"] in item["Values"]]
        return self._rows(
            "CountryLaunchStatus", rows, RcsAgentId=record.agent_id, RcsAgentArn=record.arn
        )
