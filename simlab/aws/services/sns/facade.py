"""``aws.sns``: what a learner does to SNS that is not an API call (a customer replies STOP)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from moto.sns.models import sns_backends

from simlab.aws.services.sns.fanout import Delivery
from simlab.aws.services.sns.models import SimlabSNSBackend
from simlab.aws.state import current_account


class SnsFacade:
    """Helpers for the SNS of one open ``LocalAWS`` (its Region unless told otherwise)."""

    def __init__(self, local_aws: Any) -> None:
        self._region = local_aws.region

    def backend(self, region: str | None = None) -> SimlabSNSBackend:
        """The SNS backend of ``region``."""
        # the registry installs simlab's subclass under moto's name
        return cast(SimlabSNSBackend, sns_backends[current_account()][region or self._region])

    def opt_out(self, number: str, region: str | None = None) -> None:
        """Simulates the holder of ``number`` replying STOP: SNS stops texting it."""
        self.backend(region).opt_out(number)

    def confirm(self, endpoint: str, region: str | None = None) -> list[str]:
        """Simulates ``endpoint`` clicking its confirmation links; returns the ARNs confirmed."""
        backend = self.backend(region)
        pending = [
            s
            for s in list(backend.subscriptions.values())
            if s.endpoint == endpoint and not s.confirmed
        ]
        return [
            backend.confirm_subscription(s.topic.arn, s.confirmation_token).arn  # type: ignore[attr-defined]
            for s in pending
        ]

    def spend_this_month(self, region: str | None = None) -> float:
        """SMS spend in USD in the current simulated calendar month."""
        return float(self.backend(region).spend_this_month())

    def raise_spend_quota(self, usd: float, region: str | None = None) -> None:
        """Simulates AWS Support granting a higher SMS spend quota (MonthlySpendLimit's cap)."""
        if usd < 0:
            raise ValueError(f"a spend quota must be 0 USD or more, got {usd}")
        self.backend(region).sms_settings.quota_usd = Decimal(str(usd))

    def set_delivery_probability(self, region: str | None = None, **by_type: float) -> None:
        """Sets how often carriers deliver each SMS type, e.g. ``Promotional=0.9``."""
        self.backend(region).delivery_model.set(**by_type)

    def deliveries(
        self, protocol: str | None = None, status: str | None = None, region: str | None = None
    ) -> list[Delivery]:
        """Every delivery to a subscription, oldest first, filtered by protocol and status."""
        return [
            d
            for d in list(self.backend(region).deliveries)
            if (protocol is None or d.protocol == protocol)
            and (status is None or d.status == status)
        ]
