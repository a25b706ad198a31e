"""The learner's handle on the local SES: ``aws.ses`` in Python, ``/simlab/ses/...`` over HTTP."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import TYPE_CHECKING, Any, cast

from moto.backends import get_backend

from simlab.aws.server import RouteError, route
from simlab.aws.services.ses.account import Quota
from simlab.aws.services.ses.models import SimlabSESBackend
from simlab.aws.services.ses.outcomes import Deliverability
from simlab.aws.state import DEFAULT_REGION, current_account

if TYPE_CHECKING:
    from simlab.aws.services.sesv2.models import SimlabSESV2Backend


class SesControl:
    """What AWS support or the world outside would change: quotas, deliverability.

    ``aws.ses.set_production_quota(max_24_hour_send=100_000, max_send_rate=50)`` sets what
    production access grants (defaults facts.ses.PRODUCTION_*, unconfirmed figures);
    ``PutAccountDetails(ProductionAccessEnabled=True)`` (SES v2) leaves the sandbox.
    """

    def __init__(self, region: str = DEFAULT_REGION) -> None:
        self.region = region

    @property
    def backend(self) -> SimlabSESBackend:
        # the registry installs simlab's subclass under moto's name
        return cast(SimlabSESBackend, get_backend("ses")[current_account()][self.region])

    def set_production_quota(
        self, max_24_hour_send: float | None = None, max_send_rate: float | None = None
    ) -> dict[str, Any]:
        """Sets the production quota (-1 = no daily cap); returns the quota report."""
        current = self.backend.account.production_quota
        quota = Quota(
            current.max_24_hour_send if max_24_hour_send is None else max_24_hour_send,
            current.max_send_rate if max_send_rate is None else max_send_rate,
        )
        self.backend.set_production_quota(quota)
        return self.quota()

    def grant_production_access(self, enabled: bool = True) -> dict[str, Any]:
        """Leaves the sandbox, as an approved production-access request does."""
        self.backend.set_production_access(enabled)
        return self.quota()

    def quota(self) -> dict[str, Any]:
        """The account's state: sandbox or production, quota in force, used in 24 hours."""
        send = self.backend.get_send_quota()
        return {
            "production_access": self.backend.account.production_access,
            "max_24_hour_send": send["Max24HourSend"],
            "max_send_rate": send["MaxSendRate"],
            "sent_last_24_hours": send["SentLast24Hours"],
        }

    def set_deliverability(self, **changes: Any) -> Deliverability:
        """Changes the outcome model of non-simulator recipients (fields of Deliverability)."""
        unknown = set(changes) - set(asdict(self.backend.deliverability))
        if unknown:
            allowed = ", ".join(asdict(self.backend.deliverability))
            raise ValueError(
                f"unknown deliverability field(s) {sorted(unknown)}; allowed: {allowed}"
            )
        self.backend.deliverability = replace(self.backend.deliverability, **changes)
        return self.backend.deliverability

    def lease_dedicated_ips(self, count: int = 1, pool: str | None = None) -> list[str]:
        """Leases standard dedicated IPs, as AWS grants them on request; returns the addresses.

        They start their warm-up at 0% now. Raises ValueError for a count below 1 or a pool
        that does not exist.
        """
        if count < 1:
            raise ValueError("count must be at least 1")
        if pool is not None and pool not in self.backend.dedicated_ip_pools:
            raise ValueError(f"no dedicated IP pool {pool!r}; create it with CreateDedicatedIpPool")
        v2 = cast("SimlabSESV2Backend", get_backend("sesv2")[current_account()][self.region])
        return v2.dedicated_ips.lease(count, pool)

    @property
    def suppressed(self) -> list[str]:
        """Addresses on the account-level suppression list."""
        return [entry.email_address for entry in self.backend.suppression.entries()]

    @property
    def publish_failures(self) -> list[str]:
        """Event records that could not reach their destination (a deleted topic, say)."""
        return list(self.backend.publish_failures)

    def __repr__(self) -> str:
        return f"SesControl(region={self.region!r}, {self.quota()})"


@route("GET", "ses/quota")
def _get_quota(body: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
    return 200, SesControl(query.get("region", DEFAULT_REGION)).quota()


@route("POST", "ses/quota")
def _set_quota(body: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
    allowed = {"max_24_hour_send", "max_send_rate", "production_access", "region"}
    unknown = set(body) - allowed
    if unknown:
        raise RouteError(f"unknown field(s) {sorted(unknown)}; allowed: {sorted(allowed)}")
    if "production_access" in body and not isinstance(body["production_access"], bool):
        raise RouteError("'production_access' must be true or false")
    for key in ("max_24_hour_send", "max_send_rate"):
        value = body.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            raise RouteError(f"{key!r} must be a number")
    control = SesControl(str(body.get("region", DEFAULT_REGION)))
    try:
        numbers = {
            key: float(body[key]) for key in ("max_24_hour_send", "max_send_rate") if key in body
        }
        result = control.set_production_quota(**numbers)
        if "production_access" in body:
            result = control.grant_production_access(bool(body["production_access"]))
    except (TypeError, ValueError) as error:
        raise RouteError(str(error)) from error
    return 200, result
