"""Campaign sends grouped by each endpoint's local time, from ``_campaign.send`` records."""

import json
from datetime import UTC, datetime

from simlab.engage.send_times import NO_ZONE, local_send_table, local_sends


def record(at: str, zone: str | None, status: str) -> dict:
    endpoint = {"ChannelType": "EMAIL"}
    if zone is not None:
        endpoint["Demographic"] = {"Timezone": zone}
    moment = datetime.fromisoformat(at).replace(tzinfo=UTC)
    return {
        "event_type": "_campaign.send",
        "event_timestamp": int(moment.timestamp() * 1000),
        "attributes": {"campaign_send_status": status},
        "client_context": {"custom": {"endpoint": json.dumps(endpoint)}},
    }


RECORDS = [
    record("2026-01-05T22:00:00", "Asia/Tokyo", "QUIET_TIME"),
    record("2026-01-05T22:00:07", "Asia/Tokyo", "QUIET_TIME"),
    record("2026-01-06T07:00:00", None, "SUCCESS"),
    record("2026-01-06T07:00:00", "Mars/Olympus_Mons", "SUCCESS"),
    record("2026-01-06T15:00:00", "America/Los_Angeles", "SUCCESS"),
    {"event_type": "_email.send", "event_timestamp": 0},
]


def test_sends_are_counted_per_minute_zone_and_status_in_local_time():
    rows = local_sends(RECORDS)
    assert [(r.zone, r.local_time, r.status, r.count) for r in rows] == [
        ("Asia/Tokyo", "Tue 07:00 local", "QUIET_TIME", 2),
        (NO_ZONE, "Tue 07:00 UTC", "SUCCESS", 2),
        ("America/Los_Angeles", "Tue 07:00 local", "SUCCESS", 1),
    ]


def test_since_leaves_out_earlier_sends():
    rows = local_sends(RECORDS, since=datetime(2026, 1, 6, 12, tzinfo=UTC))
    assert [r.zone for r in rows] == ["America/Los_Angeles"]
    table = local_send_table(RECORDS, since="2026-01-06T12:00:00Z")
    assert table.splitlines()[1].split() == [
        "Tue",
        "06",
        "15:00",
        "UTC",
        "America/Los_Angeles",
        "Tue",
        "07:00",
        "local",
        "SUCCESS",
        "1",
    ]
