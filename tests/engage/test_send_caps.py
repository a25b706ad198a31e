"""Send caps remember each endpoint's sends, one or many, for the daily and total caps."""

from __future__ import annotations

from simlab.engage.engine.accounting import SendCaps


def test_an_endpoint_sent_once_and_one_sent_twice_read_back_their_send_times() -> None:
    caps = SendCaps()
    caps.record("once", 10.0)
    caps.record("twice", 10.0)
    caps.record("twice", 20.0)
    assert list(caps.times("once")) == [10.0]
    assert list(caps.times("twice")) == [10.0, 20.0]
    assert list(caps.times("never")) == []
    assert (caps.count("once"), caps.count("twice"), caps.count("never")) == (1, 2, 0)


def test_the_caps_refuse_only_past_their_limits() -> None:
    caps = SendCaps()
    caps.record("e1", 0.0)
    assert caps.refusal("e1", 60.0, daily=0, total=0) is None
    assert caps.refusal("e1", 60.0, daily=2, total=0) is None
    assert caps.refusal("e1", 60.0, daily=1, total=0) == "DAILY_CAP"
    assert caps.refusal("e1", 86_400.0, daily=1, total=0) is None  # a rolling 24 hours
    caps.record("e1", 86_400.0)
    assert caps.refusal("e1", 90_000.0, daily=0, total=2) == "TOTAL_CAP"


def test_recording_many_sends_at_once_keeps_what_one_record_each_keeps():
    one, many = SendCaps(), SendCaps()
    ids = ["a", "b", "a", "c", "a"]
    for moment in (10.0, 20.0):
        for endpoint_id in ids:
            one.record(endpoint_id, moment)
        many.record_many(ids, moment)
    for endpoint_id in ("a", "b", "c", "none"):
        assert many.times(endpoint_id) == one.times(endpoint_id)
    assert many.times("a") == [10.0, 10.0, 10.0, 20.0, 20.0, 20.0]
    assert many.refusal("b", 30.0, daily=2, total=0) == "DAILY_CAP"


def test_a_first_send_to_distinct_endpoints_is_recorded_as_one_record_each_would():
    one, many = SendCaps(), SendCaps()
    for ids, moment in ((["a", "b"], 10.0), (["c", "d"], 15.0), (["b", "e"], 20.0)):
        for endpoint_id in ids:
            one.record(endpoint_id, moment)
        many.record_many(iter(ids), moment)  # any iterable, read once
    for endpoint_id in "abcde":
        assert many.times(endpoint_id) == one.times(endpoint_id)
    assert many.times("b") == [10.0, 20.0] and many.times("e") == (20.0,)
