"""moto's SES v2 backend, completed: templated and bulk sends, account, templates, suppression.

Like moto's, it keeps its state in the SES v1 backend of the same account and Region (SES v1
and v2 share identities, templates, configuration sets and quotas), and it sends through the
rules in ``simlab.aws.services.ses.policy``. Its parts live by topic: `sending`, `templates`,
`suppression`; this module holds the account and configuration sets, and joins them.
"""

from __future__ import annotations

from typing import Any

from moto.sesv2.models import SESV2Backend

from simlab.aws.services.ses import exceptions as errors
from simlab.aws.services.ses.publishing import EventDestination, InvalidDestination
from simlab.aws.services.sesv2.dedicated_ips import DedicatedIps
from simlab.aws.services.sesv2.jobs import Jobs
from simlab.aws.services.sesv2.sending import Sending
from simlab.aws.services.sesv2.suppression import Suppression
from simlab.aws.services.sesv2.templates import EmailTemplates
from simlab.aws.services.sesv2.tenants import ReputationEntity, Tenant


class SimlabSESV2Backend(Sending, EmailTemplates, Suppression, SESV2Backend):
    """SES v2 as a learner meets it, sharing the SES v1 backend's state and rules."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.dedicated_ips = DedicatedIps()
        self.jobs = Jobs(self)
        self.tenants: dict[str, Tenant] = {}
        self.reputation: dict[str, ReputationEntity] = {}
        self.dashboard: dict[str, Any] = {}
        self.test_reports: dict[str, dict[str, Any]] = {}
        self.account_settings: dict[str, Any] = {}
        self.config_set_extras: dict[str, dict[str, Any]] = {}
        self.certificates: dict[str, dict[str, dict[str, Any]]] = {}

    # -- account --------------------------------------------------------------------------

    def get_account(self) -> dict[str, Any]:
        account = self.core.account
        quota = self.core.get_send_quota()
        result: dict[str, Any] = {
            "DedicatedIpAutoWarmupEnabled": self.dedicated_ips.auto_warmup,
            "EnforcementStatus": "HEALTHY",
            "ProductionAccessEnabled": account.production_access,
            "SendQuota": quota,
            "SendingEnabled": account.sending_enabled,
            "SuppressionAttributes": {
                "SuppressedReasons": list(self.core.suppression.suppressed_reasons)
            },
        }
        if account.details:
            result["Details"] = account.details
        if "VdmAttributes" in self.account_settings:
            result["VdmAttributes"] = self.account_settings["VdmAttributes"]
        return result

    def put_account_details(self, params: dict[str, Any]) -> None:
        details = {
            key: params[key]
            for key in (
                "MailType",
                "WebsiteURL",
                "ContactLanguage",
                "UseCaseDescription",
                "AdditionalContactEmailAddresses",
            )
            if params.get(key) is not None
        }
        for key in ("MailType", "WebsiteURL"):
            if not details.get(key):
                raise errors.BadRequestException(f"{key} is required.")
        if details["MailType"] not in ("MARKETING", "TRANSACTIONAL"):
            raise errors.BadRequestException("MailType must be MARKETING or TRANSACTIONAL.")
        enabled = params.get("ProductionAccessEnabled")
        if enabled is not None:
            self.core.set_production_access(bool(enabled))
            status = "GRANTED" if enabled else "DENIED"
            details["ReviewDetails"] = {"Status": status, "CaseId": "simlab-local-review"}
        self.core.account.details = details

    # -- configuration sets and event destinations ---------------------------------------

    def _destination(self, name: str, definition: dict[str, Any]) -> EventDestination:
        try:
            destination = EventDestination.from_v2(name, definition)
            destination.check_targets(self.account_id, self.region_name)
        except (InvalidDestination, ValueError) as error:
            raise errors.BadRequestException(str(error)) from None
        return destination

    def create_configuration_set_event_destination_v2(
        self, config_set: str, name: str, definition: dict[str, Any]
    ) -> None:
        self._config_set(config_set)
        if name in self.core.event_destinations.get(config_set, {}):
            raise errors.AlreadyExistsException(f"Event destination <{name}> already exists.")
        destination = self._destination(name, definition)
        self.core.event_destinations.setdefault(config_set, {})[name] = destination

    def update_configuration_set_event_destination_v2(
        self, config_set: str, name: str, definition: dict[str, Any]
    ) -> None:
        self._config_set(config_set)
        if name not in self.core.event_destinations.get(config_set, {}):
            raise errors.NotFoundException(f"Event destination <{name}> does not exist.")
        self.core.event_destinations[config_set][name] = self._destination(name, definition)

    def delete_configuration_set_event_destination_v2(self, config_set: str, name: str) -> None:
        self._config_set(config_set)
        if self.core.event_destinations.get(config_set, {}).pop(name, None) is None:
            raise errors.NotFoundException(f"Event destination <{name}> does not exist.")

    def get_configuration_set_event_destinations(self, config_set: str) -> list[dict[str, Any]]:
        self._config_set(config_set)
        return [d.to_v2() for d in self.core.event_destinations.get(config_set, {}).values()]

    def delete_configuration_set(self, configuration_set_name: str) -> None:
        self._config_set(configuration_set_name)
        self.core.delete_configuration_set(configuration_set_name)

    def put_email_identity_configuration_set_attributes(
        self, identity: str, config_set: str | None
    ) -> None:
        found = self.core.email_identities.get(identity)
        if found is None:
            raise errors.NotFoundException(f"Email identity <{identity}> does not exist.")
        if config_set:
            self._config_set(config_set)
        found.configuration_set_name = config_set or None
