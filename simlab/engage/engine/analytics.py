"""KPIs computed from the event stream itself: records counted by app, campaign and journey."""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

#: KPI names served by the Get*DateRangeKpi operations; each is computed from stream records.
KPI_NAMES = (
    "successful-delivery-rate",
    "successful-delivery-rate-grouped-by-date",
    "unique-deliveries",
    "unique-deliveries-grouped-by-date",
    "email-open-rate",
    "email-open-rate-grouped-by-date",
    "endpoint-deliveries",
    "endpoint-deliveries-grouped-by-date",
    "messages-sent",
    "messages-sent-grouped-by-date",
)


#: Record types that count as sends, and the send statuses that mean nothing left.
_SENDS = frozenset(("_campaign.send", "_journey.send"))
_NOT_SENT = frozenset(("QUIET_TIME", "DAILY_CAP", "TOTAL_CAP", "TIMEFRAME_CAP"))


class Analytics:
    """Counts the records it is shown, so every KPI is computed from the event stream itself."""

    #: The record types a KPI counts: sends and email opens.
    COUNTED: ClassVar[frozenset[str]] = _SENDS | {"_email.open"}

    def __init__(self) -> None:
        # (scope id, date, metric) -> count ; scope is "app:<id>", "campaign:<id>", "journey:<id>"
        self.counts: Counter[tuple[str, str, str]] = Counter()
        self._delivered: dict[tuple[str, str], set[str]] = defaultdict(set)

    @staticmethod
    def counted(event_type: str) -> bool:
        """True for the record types a KPI counts (sends and email opens)."""
        return event_type in Analytics.COUNTED

    def observe(self, record: Mapping[str, Any]) -> None:
        """Counts one stream record under its app, campaign and journey.

        Only sends and email opens feed a KPI; every other record is passed over at once.
        """
        kind = record["event_type"]
        if kind in _SENDS:
            attributes = record.get("attributes") or {}
            self.observe_send(
                record["application"]["app_id"],
                attributes.get("campaign_id"),
                attributes.get("journey_id"),
                attributes.get("campaign_send_status") or attributes.get("journey_send_status"),
                attributes.get("delivery_type", attributes.get("journey_activity_type")),
                record["event_timestamp"],
                record["client"]["client_id"],
            )
        elif kind == "_email.open":
            attributes = record.get("attributes") or {}
            self._count(
                record["application"]["app_id"],
                attributes.get("campaign_id"),
                attributes.get("journey_id"),
                record["event_timestamp"],
                ("email_open",),
                (record["client"]["client_id"],),
            )

    def observe_send(
        self,
        app_id: str,
        campaign_id: str | None,
        journey_id: str | None,
        status: str | None,
        delivery_type: str | None,
        event_timestamp: int,
        client_id: str,
    ) -> None:
        """Counts one ``_campaign.send`` or ``_journey.send`` record given by its fields."""
        metrics = _send_metrics(status, delivery_type)
        if metrics:
            self._count(app_id, campaign_id, journey_id, event_timestamp, metrics, (client_id,))

    def observe_sends(
        self,
        app_id: str,
        campaign_id: str | None,
        journey_id: str | None,
        delivery_type: str | None,
        event_timestamp: int,
        sends: Sequence[tuple[str, str]],
    ) -> None:
        """``observe_send`` of each ``(client_id, status)`` of records that share the rest."""
        by_status: dict[str, list[str]] = {}
        for client_id, status in sends:
            by_status.setdefault(status, []).append(client_id)
        for status, clients in by_status.items():
            metrics = _send_metrics(status, delivery_type)
            if metrics:
                self._count(app_id, campaign_id, journey_id, event_timestamp, metrics, clients)

    def _count(
        self,
        app_id: str,
        campaign_id: str | None,
        journey_id: str | None,
        event_timestamp: int,
        metrics: Sequence[str],
        client_ids: Sequence[str],
    ) -> None:
        scopes = [f"app:{app_id}"]
        if campaign_id:
            scopes.append(f"campaign:{campaign_id}")
        if journey_id:
            scopes.append(f"journey:{journey_id}")
        day = _day(event_timestamp)
        counts = self.counts
        delivered = "delivered" in metrics
        for scope in scopes:
            for metric in metrics:
                counts[(scope, day, metric)] += len(client_ids)
            if delivered:
                self._delivered[(scope, day)].update(client_ids)

    def kpi(self, name: str, scope: str, start: datetime, end: datetime) -> list[dict[str, Any]]:
        """Returns ``BaseKpiResult.Rows`` for ``name`` over the days in ``[start, end]``."""
        if name not in KPI_NAMES:
            raise KeyError(name)
        base, grouped = name.removesuffix("-grouped-by-date"), name.endswith("-grouped-by-date")
        days = _days(start, end)
        rows = []
        groups = [[d] for d in days] if grouped else [days]
        for group in groups:
            value = self._value(base, scope, group)
            grouped_by = [{"Key": "Date", "Type": "String", "Value": group[0]}] if grouped else []
            key = "".join(part.title() for part in base.split("-"))
            rows.append(
                {
                    "GroupedBys": grouped_by,
                    "Values": [{"Key": key, "Type": "Double", "Value": _number(value)}],
                }
            )
        return rows

    def _value(self, base: str, scope: str, days: list[str]) -> float:
        def total(metric: str) -> int:
            return sum(self.counts[(scope, day, metric)] for day in days)

        if base == "successful-delivery-rate":
            sent = total("sent")
            return total("delivered") / sent if sent else 0.0
        if base == "unique-deliveries":
            return float(len(set().union(*(self._delivered[(scope, d)] for d in days))))
        if base == "email-open-rate":
            delivered = total("email_delivered")
            return total("email_open") / delivered if delivered else 0.0
        if base == "endpoint-deliveries":
            return float(total("delivered"))
        return float(total("sent"))


def _send_metrics(status: str | None, delivery_type: str | None) -> list[str]:
    """The KPI metrics one send record with ``status`` counts in."""
    metrics: list[str] = []
    if status not in _NOT_SENT:
        metrics.append("sent")
    if status == "SUCCESS":
        metrics.append("delivered")
        if delivery_type == "EMAIL":
            metrics.append("email_delivered")
    return metrics


@functools.lru_cache(maxsize=4096)
def _day_of(day_number: int) -> str:
    return datetime.fromtimestamp(day_number * 86_400, UTC).strftime("%Y-%m-%d")


def _day(timestamp_ms: int) -> str:
    """The UTC date (YYYY-MM-DD) of a Unix time in milliseconds."""
    return _day_of(int(timestamp_ms // 86_400_000))


def _days(start: datetime, end: datetime) -> list[str]:
    day, last = start.astimezone(UTC).date(), end.astimezone(UTC).date()
    days = []
    while day <= last:
        days.append(day.isoformat())
        day += timedelta(days=1)
    return days


def _number(value: float) -> str:
    return str(round(value, 6))
