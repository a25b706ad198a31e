"""SES tenants and reputation entities.

A tenant groups the identities, configuration sets and templates one of your customers sends
with, so its reputation and suppression stay its own (SES Developer Guide, tenants:
https://docs.aws.amazon.com/ses/latest/dg/tenants.html). Each resource a tenant uses is a
reputation entity with a customer-managed and an SES-managed sending status; sending is
enabled only while both are (the aggregate), and its reputation policy says how strictly SES
acts on its reputation (``none``, ``standard``, ``strict``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from moto.core.responses import ActionResult, EmptyResult

from simlab.aws.services.ses import exceptions as errors
from simlab.aws.services.ses.suppression import REASONS
from simlab.aws.services.sesv2.handlers import V2Handlers
from simlab.aws.state import state

POLICIES = tuple(f"arn:aws:ses:::reputation-policy/{p}" for p in ("none", "standard", "strict"))
STATUSES = ("ENABLED", "REINSTATED", "DISABLED")
_RESOURCE_TYPES = {
    "identity": "EMAIL_IDENTITY",
    "configuration-set": "CONFIGURATION_SET",
    "template": "EMAIL_TEMPLATE",
}


@dataclass
class Tenant:
    name: str
    tenant_id: str
    arn: str
    created: datetime
    tags: list[dict[str, str]]
    suppression: dict[str, Any]
    resources: dict[str, datetime] = field(default_factory=dict)
    sending_status: str = "ENABLED"

    def summary(self) -> dict[str, Any]:
        return {
            "TenantName": self.name,
            "TenantId": self.tenant_id,
            "TenantArn": self.arn,
            "CreatedTimestamp": self.created,
            "SendingStatus": self.sending_status,
        }

    def describe(self) -> dict[str, Any]:
        return {**self.summary(), "Tags": self.tags, "SuppressionAttributes": self.suppression}


@dataclass
class ReputationEntity:
    reference: str
    policy: str = POLICIES[1]
    customer_status: str = "ENABLED"
    customer_updated: datetime | None = None

    def describe(self) -> dict[str, Any]:
        now = state().clock.now()
        aggregate = "DISABLED" if self.customer_status == "DISABLED" else self.customer_status
        return {
            "ReputationEntityReference": self.reference,
            "ReputationEntityType": "RESOURCE",
            "ReputationManagementPolicy": self.policy,
            "CustomerManagedStatus": {
                "Status": self.customer_status,
                "LastUpdatedTimestamp": self.customer_updated or now,
            },
            "AwsSesManagedStatus": {"Status": "ENABLED", "LastUpdatedTimestamp": now},
            "SendingStatusAggregate": aggregate,
            "ReputationImpact": "LOW",
        }


def _suppression(reasons: Any, scope: Any) -> dict[str, Any]:
    reasons = list(reasons if reasons is not None else REASONS)
    if any(r not in REASONS for r in reasons):
        raise errors.BadRequestException(f"SuppressedReasons must be among {', '.join(REASONS)}.")
    scope = scope or "ACCOUNT"
    if scope not in ("ACCOUNT", "TENANT"):
        raise errors.BadRequestException("SuppressionScope must be ACCOUNT or TENANT.")
    return {"SuppressedReasons": reasons, "SuppressionScope": scope}


class TenantHandlers(V2Handlers):
    """Mixed into ``SimlabSESV2Response``."""

    def _tenant(self, name: str) -> Tenant:
        found = self.backend.tenants.get(name)
        if found is None:
            raise errors.NotFoundException(f"Tenant {name} does not exist.")
        return found

    def _paged(self, key: str, items: list[Any]) -> ActionResult:
        from simlab.aws.services.sesv2.shared import page as _page

        params = self._params()
        page, token = _page(items, params.get("NextToken"), params.get("PageSize"))
        return ActionResult({key: page, "NextToken": token})

    def create_tenant(self) -> ActionResult:
        params = self._params()
        name = params["TenantName"]
        if name in self.backend.tenants:
            raise errors.AlreadyExistsException(f"Tenant {name} already exists.")
        attributes = params.get("SuppressionAttributes") or {}
        tenant_id = "tn-" + state().rng("sesv2.tenants").bytes(8).hex()
        tenant = Tenant(
            name,
            tenant_id,
            f"arn:aws:ses:{self.backend.region_name}:{self.backend.account_id}:tenant/{name}/{tenant_id}",
            state().clock.now(),
            list(params.get("Tags") or []),
            _suppression(attributes.get("SuppressedReasons"), attributes.get("SuppressionScope")),
        )
        self.backend.tenants[name] = tenant
        return ActionResult(tenant.describe())

    def get_tenant(self) -> ActionResult:
        return ActionResult({"Tenant": self._tenant(self._params()["TenantName"]).describe()})

    def delete_tenant(self) -> EmptyResult:
        name = self._params()["TenantName"]
        self._tenant(name)
        del self.backend.tenants[name]
        return EmptyResult()

    def list_tenants(self) -> ActionResult:
        tenants = [self.backend.tenants[n].summary() for n in sorted(self.backend.tenants)]
        return self._paged("Tenants", tenants)

    def put_tenant_suppression_attributes(self) -> EmptyResult:
        params = self._params()
        tenant = self._tenant(params["TenantName"])
        tenant.suppression = _suppression(
            params.get("SuppressedReasons"), params.get("SuppressionScope")
        )
        return EmptyResult()

    def _resource_type(self, arn: str) -> str:
        kind = arn.split(":", 5)[-1].split("/", 1)[0] if arn.count(":") >= 5 else ""
        if kind not in _RESOURCE_TYPES:
            raise errors.BadRequestException(
                f"ResourceArn {arn} is not an SES identity, configuration set or template."
            )
        name = arn.split(":", 5)[-1].split("/", 1)[1]
        core = self.backend.core
        exists = {
            "identity": name in core.email_identities,
            "configuration-set": name in core.config_sets,
            "template": name in core.templates,
        }[kind]
        if not exists:
            raise errors.NotFoundException(f"Resource {arn} does not exist.")
        return _RESOURCE_TYPES[kind]

    def create_tenant_resource_association(self) -> EmptyResult:
        params = self._params()
        tenant = self._tenant(params["TenantName"])
        arn = params["ResourceArn"]
        self._resource_type(arn)
        if arn in tenant.resources:
            raise errors.AlreadyExistsException(f"{arn} is already associated with the tenant.")
        tenant.resources[arn] = state().clock.now()
        self.backend.reputation.setdefault(arn, ReputationEntity(arn))
        return EmptyResult()

    def delete_tenant_resource_association(self) -> EmptyResult:
        params = self._params()
        tenant = self._tenant(params["TenantName"])
        if tenant.resources.pop(params["ResourceArn"], None) is None:
            raise errors.NotFoundException(f"{params['ResourceArn']} is not associated.")
        return EmptyResult()

    def list_tenant_resources(self) -> ActionResult:
        tenant = self._tenant(self._params()["TenantName"])
        wanted = (self._params().get("Filter") or {}).get("RESOURCE_TYPE")
        items = [
            {"ResourceType": self._resource_type(arn), "ResourceArn": arn}
            for arn in tenant.resources
        ]
        items = [i for i in items if not wanted or i["ResourceType"] == wanted]
        return self._paged("TenantResources", items)

    def list_resource_tenants(self) -> ActionResult:
        arn = self._params()["ResourceArn"]
        items = [
            {
                "TenantName": t.name,
                "TenantId": t.tenant_id,
                "ResourceArn": arn,
                "AssociatedTimestamp": t.resources[arn],
            }
            for t in self.backend.tenants.values()
            if arn in t.resources
        ]
        return self._paged("ResourceTenants", items)

    # -- reputation entities -------------------------------------------------------------

    def _entity(self, params: dict[str, Any]) -> ReputationEntity:
        if params.get("ReputationEntityType") != "RESOURCE":
            raise errors.BadRequestException("ReputationEntityType must be RESOURCE.")
        reference = params["ReputationEntityReference"]
        found = self.backend.reputation.get(reference)
        if found is None:
            raise errors.NotFoundException(f"Reputation entity {reference} does not exist.")
        return found

    def get_reputation_entity(self) -> ActionResult:
        return ActionResult({"ReputationEntity": self._entity(self._params()).describe()})

    def list_reputation_entities(self) -> ActionResult:
        wanted = (self._params().get("Filter") or {}).get("STATUS")
        items = [e.describe() for _, e in sorted(self.backend.reputation.items())]
        items = [i for i in items if not wanted or i["SendingStatusAggregate"] == wanted]
        return self._paged("ReputationEntities", items)

    def update_reputation_entity_customer_managed_status(self) -> EmptyResult:
        params = self._params()
        entity = self._entity(params)
        if params["SendingStatus"] not in STATUSES:
            raise errors.BadRequestException(f"SendingStatus must be one of {', '.join(STATUSES)}.")
        entity.customer_status = params["SendingStatus"]
        entity.customer_updated = state().clock.now()
        return EmptyResult()

    def update_reputation_entity_policy(self) -> EmptyResult:
        params = self._params()
        entity = self._entity(params)
        if params["ReputationEntityPolicy"] not in POLICIES:
            raise errors.BadRequestException(
                f"ReputationEntityPolicy must be one of {', '.join(POLICIES)}."
            )
        entity.policy = params["ReputationEntityPolicy"]
        return EmptyResult()
