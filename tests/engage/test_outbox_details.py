"""A batch of details is written as ``detail_json`` writes each one, whatever its details hold:
shapes mixed, values that are equal but print otherwise, dicts alike or not, odd keys."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from simlab.engage.outbox_details import detail_json, details_json

CONTEXT = {"campaign_id": "c-1", "treatment_id": "0"}


def campaign_details(n: int) -> list[dict[str, Any]]:
    """Details as a campaign's run gives them: one shape, one context, one id each."""
    head = {"accepted": True, "parts": 1, "price": 0.00645, "configuration_set": None}
    return [{**head, "context": dict(CONTEXT), "endpoint_id": f"e{i}"} for i in range(n)]


def test_a_run_of_mixed_shapes_is_written_as_each_alone() -> None:
    details = campaign_details(6)
    details[1::2] = [{**d, "event_type": "TEXT_DELIVERED"} for d in details[1::2]]
    details.append({"ses_message_id": "s-1", "context": CONTEXT})
    assert details_json(details) == [detail_json(d) for d in details]
    assert details_json([]) == []


def test_details_all_alike_are_written_once() -> None:
    details = [{"context": CONTEXT, "status": "DELIVERED"}] * 3
    assert details_json(details) == ['{"context":{"campaign_id":"c-1","treatment_id":"0"},'
                                     '"status":"DELIVERED"}'] * 3  # fmt: skip


def test_equal_values_that_print_otherwise_are_written_each_as_it_prints() -> None:
    values = [1, 1.0, True, 0.0, -0.0, float("nan"), 2.5, 2.5, "a", "a"]
    details = [{"v": v} for v in values]
    texts = ["1", "1.0", "true", "0.0", "-0.0", "NaN", "2.5", "2.5", '"a"', '"a"']
    assert details_json(details) == [f'{{"v":{t}}}' for t in texts]
    for pair in ([0.0, -0.0], [-0.0, 0.0], [1, True], [2, 2.0], [float("inf"), float("inf")]):
        column = [{"v": v} for v in pair]
        assert details_json(column) == [detail_json(d) for d in column]


def test_dicts_are_shared_only_when_they_hold_the_same_strings_in_order() -> None:
    reordered = {"treatment_id": "0", "campaign_id": "c-1"}
    renamed = dict(zip(("campaign", "treatment"), CONTEXT.values(), strict=True))
    numbered = {"campaign_id": "c-1", "treatment_id": 0}
    for other in (dict(CONTEXT), reordered, renamed, numbered, {}):
        details = [{"context": CONTEXT}, {"context": other}]
        assert details_json(details) == [detail_json(d) for d in details]


def test_odd_details_are_written_whole() -> None:
    when = datetime(2026, 1, 5, 9, tzinfo=UTC)
    details: list[dict[Any, Any]] = [
        {},
        {1: "one", None: "none"},
        {1: "one", None: "none"},
        {"when": when, "nested": {"n": 1, "list": [1, {"x": None}]}, "text": "é\n"},
        {"when": when, "nested": {"n": 1, "list": [1, {"x": None}]}, "text": "ü"},
        {"big": 10**30, "tags": ["a"]},
        {"big": 10**30 + 1, "tags": ["a", "b"]},
    ]
    assert details_json(details) == [detail_json(d) for d in details]


def test_a_few_dicts_shared_by_many_details_are_each_looked_at_once() -> None:
    runs = [dict(CONTEXT) for _ in range(3)]  # one context a run, as a text run gives
    odd = {"campaign_id": "c-2", "treatment_id": "0"}
    details = [{"context": runs[i % 3], "endpoint_id": f"e{i}"} for i in range(30)]
    assert details_json(details) == [detail_json(d) for d in details]
    details[7] = {"context": odd, "endpoint_id": "e7"}  # one run's context says otherwise
    assert details_json(details) == [detail_json(d) for d in details]
    assert '"campaign_id":"c-2"' in details_json(details)[7]
