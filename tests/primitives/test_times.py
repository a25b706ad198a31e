from datetime import UTC, datetime, timedelta, timezone

import pytest

from simlab.primitives import iso, iso_seconds, parse_instant

NINE = datetime(2026, 1, 5, 9, 0, 0, 123456, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (NINE, "2026-01-05T09:00:00.123Z"),
        (NINE.replace(tzinfo=None), "2026-01-05T09:00:00.123Z"),  # naive means UTC
        (NINE.astimezone(timezone(timedelta(hours=7))), "2026-01-05T09:00:00.123Z"),
        (datetime(2026, 1, 5, tzinfo=UTC), "2026-01-05T00:00:00.000Z"),
    ],
)
def test_iso_writes_utc_with_milliseconds_and_z(moment, text):
    assert iso(moment) == text


def test_iso_seconds_reads_unix_seconds():
    assert iso_seconds(NINE.timestamp()) == "2026-01-05T09:00:00.123Z"


@pytest.mark.parametrize(
    "text",
    ["2026-01-05T09:00:00.123Z", "2026-01-05T09:00:00.123+00:00", "2026-01-05T16:00:00.123+07:00"],
)
def test_parse_instant_reads_what_aws_writes(text):
    assert parse_instant(text) == NINE.replace(microsecond=123000)


def test_parse_instant_takes_naive_text_as_utc_and_round_trips():
    moment = parse_instant("2026-01-05T09:00:00")
    assert moment.tzinfo is UTC
    assert parse_instant(iso(moment)) == moment


@pytest.mark.parametrize("bad", ["tomorrow", "", "2026-13-01T00:00:00Z", 5, None])
def test_parse_instant_refuses_what_is_not_iso_8601(bad):
    with pytest.raises(ValueError):
        parse_instant(bad)
