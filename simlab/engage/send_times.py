"""Who got a campaign when, in their own time: ``_campaign.send`` records grouped by local time.

Each record carries the endpoint as it was when sent (``client_context.custom.endpoint``), so its
``Demographic.Timezone`` says what the local time was. An endpoint without a valid time zone is
shown in UTC: quiet time never holds it back (fact 1.15).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from simlab.engage.engine.schedule import endpoint_zone
from simlab.primitives.times import parse_instant

#: How an endpoint without a valid ``Demographic.Timezone`` is listed.
NO_ZONE = "(no valid time zone)"


@dataclass(frozen=True, order=True)
class LocalSend:
    """How many ``_campaign.send`` records share a UTC moment, a zone and a send status."""

    sent_at: datetime
    zone: str
    local_time: str
    status: str
    count: int


def endpoint_of(record: Mapping[str, Any]) -> dict[str, Any]:
    """Returns the endpoint a stream record carries (empty if none)."""
    custom = (record.get("client_context") or {}).get("custom") or {}
    text = custom.get("endpoint")
    return json.loads(text) if isinstance(text, str) and text else {}


def local_sends(
    records: Iterable[Mapping[str, Any]], since: datetime | None = None
) -> list[LocalSend]:
    """Groups the ``_campaign.send`` records (from ``since`` on) by minute, zone and status."""
    counts: Counter[tuple[datetime, str, str, str]] = Counter()
    for record in records:
        if record.get("event_type") != "_campaign.send":
            continue
        moment = datetime.fromtimestamp(record["event_timestamp"] / 1000, UTC)
        moment = moment.replace(second=0, microsecond=0)
        if since is not None and moment < since:
            continue
        endpoint = endpoint_of(record)
        zone = endpoint_zone(endpoint)
        if zone is None:
            name, local = NO_ZONE, f"{moment:%a %H:%M} UTC"
        else:
            name = str((endpoint.get("Demographic") or {}).get("Timezone"))
            local = f"{moment.astimezone(zone):%a %H:%M} local"
        status = str((record.get("attributes") or {}).get("campaign_send_status", ""))
        counts[(moment, name, local, status)] += 1
    return sorted(LocalSend(*key, count) for key, count in counts.items())


def local_send_table(
    records: Iterable[Mapping[str, Any]], since: datetime | str | None = None
) -> str:
    """Returns the grouped sends as stable text: UTC time, zone, local time, status, count."""
    if isinstance(since, str):
        since = parse_instant(since)
    rows = local_sends(records, since)
    lines = [f"{'UTC':<16} {'time zone':<22} {'their time':<16} {'status':<12} {'count':>6}"]
    for row in rows:
        lines.append(
            f"{row.sent_at:%a %d %H:%M} UTC  {row.zone:<22} {row.local_time:<16} "
            f"{row.status:<12} {row.count:>6,}"
        )
    return "\n".join(lines)
