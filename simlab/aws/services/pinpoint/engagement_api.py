"""What the campaign and journey handlers share: request data, KPI windows and pages."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from simlab.aws.services.pinpoint.segments_api import page
from simlab.aws.state import state
from simlab.engage.engine import KPI_NAMES, Analytics
from simlab.engage.engine.schedule import iso
from simlab.engage.faults import BadRequest


def plain(value: Any) -> Any:
    """Returns request data with datetimes as ISO 8601 strings, ready for the engines."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return iso(moment)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def kpi_window(params: Mapping[str, Any]) -> tuple[datetime, datetime]:
    """The KPI query's StartTime and EndTime (default: the last 7 days up to now)."""
    now = state().clock.now()

    def read(key: str, default: datetime) -> datetime:
        value = params.get(key)
        if value in (None, ""):
            return default
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        try:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise BadRequest(f"{key} must be an ISO 8601 time, got {value!r}") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    end = read("EndTime", now)
    start = read("StartTime", end - timedelta(days=7))
    if start > end:
        raise BadRequest("StartTime must not be later than EndTime")
    if (end - start).days > 31:
        raise BadRequest("StartTime and EndTime may be at most 31 days apart")
    return start, end


def kpi_rows(analytics: Analytics, name: str, scope: str, params: Mapping[str, Any]) -> Any:
    """Returns (start, end, ``BaseKpiResult``) of KPI ``name``; BadRequest if it is unknown."""
    start, end = kpi_window(params)
    if name not in KPI_NAMES:
        raise BadRequest(f"KpiName {name!r} is not one of {', '.join(KPI_NAMES)}")
    return start, end, {"Rows": analytics.kpi(name, scope, start, end)}


def listing(items: list[Any], params: Mapping[str, Any]) -> dict[str, Any]:
    """One page of ``items`` as ``{"Item": [...], "NextToken": ...}`` (PageSize, Token)."""
    chunk, following = page(items, params.get("PageSize"), params.get("Token"))
    data: dict[str, Any] = {"Item": chunk}
    if following:
        data["NextToken"] = following
    return data
