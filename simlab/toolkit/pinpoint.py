"""Reading Pinpoint campaigns, journeys and in-app messages back through the API you call.

Each function takes a boto3 ``pinpoint`` client (or event records already read from the stream)
and returns plain data or stable text: no request ids, no dates that change from run to run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from simlab.toolkit.stats import Rate, holdout_range, rate

Record = Mapping[str, Any]

#: ExecutionMetrics keys for endpoints a run chose not to send to (everything else is a status).
HELD_BACK = ("QUIET_TIME", "DAILY_CAP", "TOTAL_CAP", "HOLDOUT", "FILTERED_OUT_BY_HOOK")


def channel_segment(pinpoint: Any, app_id: str, name: str, channels: Sequence[str]) -> str:
    """Creates a dimensional segment of the endpoints on ``channels``; returns its id.

    Raises the client's ``BadRequestException`` for an unknown channel type.
    """
    request = {
        "Name": name,
        "Dimensions": {
            "Demographic": {"Channel": {"DimensionType": "INCLUSIVE", "Values": list(channels)}}
        },
    }
    answer = pinpoint.create_segment(ApplicationId=app_id, WriteSegmentRequest=request)
    return str(answer["SegmentResponse"]["Id"])


def campaign_status(pinpoint: Any, app_id: str, campaign_id: str) -> str:
    """Returns the campaign's ``CampaignStatus`` (SCHEDULED, EXECUTING, COMPLETED, ...)."""
    campaign = pinpoint.get_campaign(ApplicationId=app_id, CampaignId=campaign_id)
    return str(campaign["CampaignResponse"]["State"]["CampaignStatus"])


def _activities(pinpoint: Any, app_id: str, campaign_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    token = None
    while True:
        kwargs = {"ApplicationId": app_id, "CampaignId": campaign_id, "PageSize": "100"}
        if token:
            kwargs["Token"] = token
        page = pinpoint.get_campaign_activities(**kwargs)["ActivitiesResponse"]
        items.extend(page.get("Item", []))
        token = page.get("NextToken")
        if not token:
            return sorted(items, key=lambda a: (a.get("ScheduledStart", ""), a["TreatmentId"]))


def activity_table(pinpoint: Any, app_id: str, campaign_id: str) -> str:
    """Returns ``GetCampaignActivities`` as a text table: one row per run and treatment.

    ``segment`` is the endpoints the run resolved (``ENDPOINT_PRODUCED``), ``sent`` its
    ``TotalEndpointCount`` and ``successful`` its ``SuccessfulEndpointCount``; ``other`` lists
    the rest of its ``ExecutionMetrics`` and ``held back`` what it chose not to send.
    """
    campaign = pinpoint.get_campaign(ApplicationId=app_id, CampaignId=campaign_id)
    campaign = campaign["CampaignResponse"]
    lines = [
        f"campaign {campaign.get('Name', '(unnamed)')}: "
        f"{campaign['State']['CampaignStatus']}, version {campaign.get('Version', 1)}",
        f"  {'run':>3} {'treatment':<9} {'state':<10} {'segment':>7} {'sent':>5} "
        f"{'successful':>10}  other / held back",
    ]
    runs: Counter[str] = Counter()
    total = successful = 0
    held_total: Counter[str] = Counter()
    shown = ("ENDPOINT_PRODUCED", "SUCCESS")
    for activity in _activities(pinpoint, app_id, campaign_id):
        runs[activity["TreatmentId"]] += 1
        metrics = {k: int(v) for k, v in sorted(activity.get("ExecutionMetrics", {}).items())}
        other = ", ".join(
            f"{k} {v}" for k, v in metrics.items() if k not in HELD_BACK + shown and v
        )
        held = ", ".join(f"{k} {v}" for k, v in metrics.items() if k in HELD_BACK and v)
        held_total.update({k: v for k, v in metrics.items() if k in HELD_BACK})
        total += activity["TotalEndpointCount"]
        successful += activity["SuccessfulEndpointCount"]
        lines.append(
            f"  {runs[activity['TreatmentId']]:>3} {activity['TreatmentId']:<9} "
            f"{activity['State']:<10} {metrics.get('ENDPOINT_PRODUCED', 0):>7} "
            f"{activity['TotalEndpointCount']:>5} {activity['SuccessfulEndpointCount']:>10}  "
            f"{other or '-'} / {held or '-'}"
        )
    held_text = ", ".join(f"{k} {v}" for k, v in sorted(held_total.items()) if v) or "none"
    lines.append(f"  total: sent {total}, successful {successful}; held back: {held_text}")
    return "\n".join(lines)


def campaign_kpi(
    pinpoint: Any, app_id: str, campaign_id: str, kpi_name: str, start: str, end: str
) -> float:
    """Returns the first value of ``GetCampaignDateRangeKpi`` for ``kpi_name`` (0 if no rows)."""
    answer = pinpoint.get_campaign_date_range_kpi(
        ApplicationId=app_id,
        CampaignId=campaign_id,
        KpiName=kpi_name,
        StartTime=start,
        EndTime=end,
    )
    rows = answer["CampaignDateRangeKpiResponse"]["KpiResult"]["Rows"]
    return float(rows[0]["Values"][0]["Value"]) if rows else 0.0


def records_of(
    records: Iterable[Record],
    *,
    campaign_id: str | None = None,
    journey_id: str | None = None,
    event_types: Sequence[str] = (),
) -> list[Record]:
    """Returns the stream records of one campaign or journey, optionally of some event types."""
    kept = []
    for record in records:
        attributes = record.get("attributes", {})
        if campaign_id is not None and attributes.get("campaign_id") != campaign_id:
            continue
        if journey_id is not None and attributes.get("journey_id") != journey_id:
            continue
        if event_types and record.get("event_type") not in event_types:
            continue
        kept.append(record)
    return kept


def send_statuses(records: Iterable[Record], *, by: str | None = None) -> dict[str, Any]:
    """Counts ``_campaign.send`` and ``_journey.send`` records by their send status.

    With ``by`` (an attribute such as ``journey_activity_id`` or ``treatment_id``) returns one
    such count per value of that attribute instead, sorted by value.
    """
    groups: dict[str, Counter[str]] = {}
    for record in records:
        attributes = record.get("attributes", {})
        if record.get("event_type") == "_campaign.send":
            status = attributes.get("campaign_send_status", "?")
        elif record.get("event_type") == "_journey.send":
            status = attributes.get("journey_send_status", "?")
        else:
            continue
        group = "" if by is None else str(attributes.get(by, "?"))
        groups.setdefault(group, Counter())[status] += 1
    tables = {g: dict(sorted(c.items())) for g, c in sorted(groups.items())}
    return tables.get("", {}) if by is None else tables


def holdout_check(activities: Sequence[Mapping[str, Any]], *, percent: float) -> str:
    """Returns how many endpoints the activities held out, against the range chance allows.

    ``activities`` are the ``Item`` of ``GetCampaignActivities``; the audience is every endpoint
    sent to plus those held out. The range is where a random ``percent`` split of that audience
    falls 95 % of the time.
    """
    held = sum(int(a.get("ExecutionMetrics", {}).get("HOLDOUT", 0)) for a in activities)
    audience = held + sum(int(a["TotalEndpointCount"]) for a in activities)
    low, high = holdout_range(audience, percent / 100)
    share = held / audience if audience else 0.0
    return (
        f"holdout {held} of {audience} endpoints ({share:.1%}); a random {percent:g}% split of "
        f"{audience} holds out {low} to {high} of them 95% of the time"
    )


def open_rates(records: Iterable[Record]) -> list[Rate]:
    """Returns, per treatment, endpoints that opened out of emails delivered (from the records).

    An endpoint that opens twice counts once.
    """
    delivered: Counter[str] = Counter()
    opened: dict[str, set[str]] = {}
    for record in records:
        treatment = record.get("attributes", {}).get("treatment_id")
        if treatment is None:
            continue
        if record.get("event_type") == "_email.delivered":
            delivered[treatment] += 1
        elif record.get("event_type") == "_email.open":
            opened.setdefault(treatment, set()).add(record["client"]["client_id"])
    return [
        rate(f"treatment {t} opened", min(len(opened.get(t, ())), n), n)
        for t, n in sorted(delivered.items())
    ]


def journey_activity_metrics(
    pinpoint: Any, app_id: str, journey: Mapping[str, Any]
) -> dict[str, dict[str, str]]:
    """Returns each activity's ``GetJourneyExecutionActivityMetrics`` metrics, by its id."""
    return {
        activity_id: pinpoint.get_journey_execution_activity_metrics(
            ApplicationId=app_id, JourneyId=journey["Id"], JourneyActivityId=activity_id
        )["JourneyExecutionActivityMetricsResponse"]["Metrics"]
        for activity_id in journey["Activities"]
    }


def journey_activity_table(pinpoint: Any, app_id: str, journey: Mapping[str, Any]) -> str:
    """Returns one line per activity: its id, ``ActivityType`` and counts, in definition order."""
    lines = []
    for activity_id in journey["Activities"]:
        answer = pinpoint.get_journey_execution_activity_metrics(
            ApplicationId=app_id, JourneyId=journey["Id"], JourneyActivityId=activity_id
        )["JourneyExecutionActivityMetricsResponse"]
        counts = ", ".join(f"{k} {v}" for k, v in sorted(answer["Metrics"].items()))
        lines.append(f"{activity_id:<8} {answer['ActivityType']:<18} {counts}")
    return "\n".join(lines)


def in_app_offers(pinpoint: Any, app_id: str, endpoint_id: str) -> list[str]:
    """Returns one line per in-app message offered to the endpoint now: layout, body, caps."""
    answer = pinpoint.get_in_app_messages(ApplicationId=app_id, EndpointId=endpoint_id)
    lines = []
    for message in answer["InAppMessagesResponse"].get("InAppMessageCampaigns", []):
        content = message["InAppMessage"]["Content"][0]
        body = content.get("BodyConfig", {}).get("Body", "")
        lines.append(
            f"{message['InAppMessage']['Layout']}: {body!r}, priority {message.get('Priority')}, "
            f"caps: session {message.get('SessionCap')}, daily {message.get('DailyCap')}, "
            f"total {message.get('TotalCap')}"
        )
    return lines
