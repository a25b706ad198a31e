"""A campaign run's plan worked out column-wise from a store's rows: who gets a message, when.

``plan_rows`` gives what the runner's endpoint-by-endpoint loop gives for an ``EndpointRows``
audience (the same positions at the same moments, the same time zones, the same metrics), but
reads the store's columns once for the whole audience instead of writing a dict per endpoint:
allocation, status, address and channel are array comparisons; a send time is worked out once
per time zone and a channel check once per channel type.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

import numpy as np

from simlab.engage.campaigns.model import Activity, Campaign, Treatment, bucket
from simlab.engage.endpoint_views import EndpointRows

#: Positions into the audience by send time, and the time zones each send time reaches.
Plan = tuple[dict[datetime, "array[int]"], dict[datetime, set[str]]]


def _column(endpoints: EndpointRows, name: str) -> tuple[np.ndarray, Sequence[str]]:
    """The codes of ``name`` for the audience's rows (-1: no value) and the column's labels."""
    column = endpoints.store.text[name]
    if not column.labels or not len(column.codes):
        return np.full(len(endpoints.rows), -1, dtype=np.int32), ()
    return column.codes[endpoints.rows], column.labels


def _allocated(campaign: Campaign, treatment: Treatment, ids: list[str]) -> np.ndarray:
    """Each endpoint's share as an index: 0 holdout, ``i`` treatment ``i`` (``i`` >= 1), and
    ``len(treatments)`` the default treatment, as ``CampaignRunner._allocation`` decides it."""
    others = campaign.treatments[1:]
    if campaign.holdout_percent * 100 <= 0 and all(t.size_percent * 100 <= 0 for t in others):
        return np.full(len(ids), len(campaign.treatments), dtype=np.intp)  # all default
    edges = [campaign.holdout_percent * 100]
    for other in others:
        edges.append(edges[-1] + other.size_percent * 100)
    salt = campaign.salt
    points = np.fromiter((bucket(salt, i) for i in ids), dtype=np.int64, count=len(ids))
    return np.searchsorted(np.asarray(edges, dtype=np.float64), points, side="right")


def plan_rows(
    campaign: Campaign,
    treatment: Treatment,
    activity: Activity,
    endpoints: EndpointRows,
    fits: Callable[[Mapping[str, Any]], bool],
    send_time: Callable[[Mapping[str, Any]], datetime],
) -> Plan | None:
    """The run's plan for ``endpoints``, its counts added to the activity's metrics; None
    (nothing counted) when an endpoint id repeats, which the endpoint-by-endpoint loop handles.

    ``fits(endpoint)`` says whether the treatment reaches an endpoint's channel type and
    ``send_time(endpoint)`` when it gets its message; each is asked with a brief endpoint
    holding only the field it reads.
    """
    ids_of = endpoints.store.ids
    ids = [ids_of[row] for row in endpoints.rows.tolist()]
    if len(set(ids)) != len(ids):
        return None
    metrics = activity.metrics
    allocated = _allocated(campaign, treatment, ids)
    place = campaign.treatments.index(treatment)
    mine = allocated == (place or len(campaign.treatments))
    if treatment.id == "0":
        _count(metrics, "HOLDOUT", allocated == 0)
    kinds, kind_labels = _column(endpoints, "ChannelType")
    statuses, status_labels = _column(endpoints, "EndpointStatus")
    addresses, address_labels = _column(endpoints, "Address")
    inactive = _matching(statuses, status_labels, "INACTIVE")
    _count(metrics, "ENDPOINT_INACTIVE", mine & inactive)
    mine &= ~inactive
    blank = [code for code, label in enumerate(address_labels) if not label]
    no_address = (addresses < 0) | np.isin(addresses, blank)
    missing = no_address & ~_matching(kinds, kind_labels, "IN_APP")
    _count(metrics, "ENDPOINT_MISSING_ADDRESS", mine & missing)
    mine &= ~missing
    reached = np.zeros(len(ids), dtype=bool)
    for code in np.unique(kinds[mine]).tolist():
        brief = {} if code < 0 else {"ChannelType": kind_labels[code]}
        if fits(brief):
            reached |= kinds == code
        else:
            _count(metrics, "ENDPOINT_CHANNEL_MISMATCH", mine & (kinds == code))
    mine &= reached
    zones, zone_labels = _column(endpoints, "Demographic.Timezone")
    by_time: dict[datetime, list[np.ndarray]] = {}
    reached_zones: dict[datetime, set[str]] = {}
    for code in np.unique(zones[mine]).tolist():
        label = None if code < 0 else zone_labels[code]
        moment = send_time({} if label is None else {"Demographic": {"Timezone": label}})
        by_time.setdefault(moment, []).append(np.flatnonzero(mine & (zones == code)))
        reached_zones.setdefault(moment, set()).add(label or "UTC")
    plan: dict[datetime, array[int]] = {}
    for moment, parts in by_time.items():
        positions = np.sort(np.concatenate(parts)) if len(parts) > 1 else parts[0]
        plan[moment] = array("q", positions.astype(np.int64).tobytes())
    return plan, reached_zones


def _matching(codes: np.ndarray, labels: Sequence[str], value: str) -> np.ndarray:
    """Where a column holds ``value``."""
    if value not in labels:
        return np.zeros(len(codes), dtype=bool)
    found: np.ndarray = codes == list(labels).index(value)
    return found


def _count(metrics: Any, name: str, where: np.ndarray) -> None:
    """Adds the endpoints ``where`` holds to ``metrics[name]`` (no key for none)."""
    found = int(np.count_nonzero(where))
    if found:
        metrics[name] += found
