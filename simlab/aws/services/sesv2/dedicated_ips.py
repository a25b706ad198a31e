"""Dedicated IP addresses and their warm-up on the simulated clock.

A standard dedicated IP starts its warm-up at 0% when leased (``aws.ses.lease_dedicated_ips``,
as AWS Support grants them) and, while automatic warm-up is on, climbs to 100% over
``WARMUP_DAYS`` of simulated time; ``PutDedicatedIpWarmupAttributes`` sets the percentage
from which it continues. IPs of a managed pool report ``-1`` and ``NOT_APPLICABLE``
(API reference, DedicatedIp:
https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_DedicatedIp.html).
``WARMUP_DAYS`` is simlab's plan, not a figure AWS publishes for every account.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from moto.core.responses import ActionResult, EmptyResult

from simlab.aws.services.ses import exceptions as errors
from simlab.aws.services.sesv2.handlers import V2Handlers
from simlab.aws.state import state

WARMUP_DAYS = 45
#: Leased addresses come from TEST-NET-2 (RFC 5737), in order.
_FIRST = ipaddress.ip_address("198.51.100.10")


@dataclass
class DedicatedIp:
    ip: str
    pool: str | None
    start_percent: float
    start_seconds: float
    managed: bool = False


class DedicatedIps:
    """The account's dedicated IPs in one Region."""

    def __init__(self) -> None:
        self.ips: dict[str, DedicatedIp] = {}
        self.auto_warmup = True

    def lease(self, count: int, pool: str | None, managed: bool = False) -> list[str]:
        now = state().clock.seconds
        leased = []
        for _ in range(count):
            ip = str(_FIRST + len(self.ips))
            self.ips[ip] = DedicatedIp(ip, pool, 0.0, now, managed)
            leased.append(ip)
        return leased

    def percent(self, record: DedicatedIp) -> int:
        if record.managed:
            return -1
        if not self.auto_warmup:
            return int(record.start_percent)
        days = (state().clock.seconds - record.start_seconds) / 86_400
        return int(min(100.0, record.start_percent + days * 100.0 / WARMUP_DAYS))

    def describe(self, record: DedicatedIp) -> dict[str, Any]:
        percent = self.percent(record)
        status = "NOT_APPLICABLE" if percent < 0 else "DONE" if percent >= 100 else "IN_PROGRESS"
        result: dict[str, Any] = {
            "Ip": record.ip,
            "WarmupStatus": status,
            "WarmupPercentage": percent,
        }
        if record.pool:
            result["PoolName"] = record.pool
        return result

    def get(self, ip: str) -> DedicatedIp:
        found = self.ips.get(ip)
        if found is None:
            raise errors.NotFoundException(f"Dedicated IP {ip} is not leased by this account.")
        return found


class DedicatedIpHandlers(V2Handlers):
    """Mixed into ``SimlabSESV2Response``."""

    def _pool(self, name: str) -> Any:
        pool = self.backend.core.dedicated_ip_pools.get(name)
        if pool is None:
            raise errors.NotFoundException(f"Dedicated IP pool {name} does not exist.")
        return pool

    def get_dedicated_ip(self) -> ActionResult:
        ips = self.backend.dedicated_ips
        return ActionResult({"DedicatedIp": ips.describe(ips.get(self._params()["Ip"]))})

    def get_dedicated_ips(self) -> ActionResult:
        from simlab.aws.services.sesv2.shared import page as _page

        params = self._params()
        ips = self.backend.dedicated_ips
        pool = params.get("PoolName")
        if pool:
            self._pool(pool)
        records = [ips.describe(r) for r in ips.ips.values() if not pool or r.pool == pool]
        page, token = _page(records, params.get("NextToken"), params.get("PageSize"))
        return ActionResult({"DedicatedIps": page, "NextToken": token})

    def put_dedicated_ip_in_pool(self) -> EmptyResult:
        params = self._params()
        record = self.backend.dedicated_ips.get(params["Ip"])
        pool = self._pool(params["DestinationPoolName"])
        record.pool = params["DestinationPoolName"]
        record.managed = getattr(pool, "scaling_mode", "STANDARD") == "MANAGED"
        return EmptyResult()

    def put_dedicated_ip_warmup_attributes(self) -> EmptyResult:
        params = self._params()
        ips = self.backend.dedicated_ips
        record = ips.get(params["Ip"])
        percent = params.get("WarmupPercentage")
        if not isinstance(percent, int) or not 0 <= percent <= 100:
            raise errors.BadRequestException("WarmupPercentage must be a whole number 0 to 100.")
        record.start_percent = float(percent)
        record.start_seconds = state().clock.seconds
        return EmptyResult()

    def put_dedicated_ip_pool_scaling_attributes(self) -> EmptyResult:
        """Turns a STANDARD pool MANAGED (SES then warms its IPs); MANAGED cannot go back."""
        params = self._params()
        pool = self._pool(params["PoolName"])
        mode = params["ScalingMode"]
        if mode not in ("STANDARD", "MANAGED"):
            raise errors.BadRequestException("ScalingMode must be STANDARD or MANAGED.")
        if pool.scaling_mode == "MANAGED" and mode == "STANDARD":
            raise errors.BadRequestException("A MANAGED pool cannot be changed to STANDARD.")
        pool.scaling_mode = mode
        for record in self.backend.dedicated_ips.ips.values():
            if record.pool == params["PoolName"]:
                record.managed = mode == "MANAGED"
        return EmptyResult()
