"""A batch of details is written as ``detail_json`` writes each one, whatever changes between
them: a value that equals the last one but prints otherwise, a dict changed in place or
reordered, a list, keys that are not strings, more shapes than are kept."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from simlab.engage import outbox_details
from simlab.engage.outbox_details import DetailTexts, detail_json

CONTEXT = {"campaign_id": "c-1", "treatment_id": "0"}


def campaign_details(n: int) -> list[dict[str, Any]]:
    """Details as a campaign's run gives them: one shape, one context, one id each."""
    head = {"accepted": True, "parts": 1, "price": 0.00645, "configuration_set": None}
    return [{**head, "context": CONTEXT, "endpoint_id": f"e{i}"} for i in range(n)]


def test_a_run_of_one_shape_is_written_as_each_alone() -> None:
    details = campaign_details(5)
    details += [{**d, "event_type": "TEXT_DELIVERED"} for d in details]
    assert DetailTexts().texts(details) == [detail_json(d) for d in details]


def test_equal_values_that_print_otherwise_are_written_anew() -> None:
    details = [{"v": 1}, {"v": 1.0}, {"v": True}, {"v": 0.0}, {"v": -0.0}, {"v": float("nan")}]
    values = ["1", "1.0", "true", "0.0", "-0.0", "NaN"]
    assert DetailTexts().texts(details) == [f'{{"v":{v}}}' for v in values]


def test_a_dict_or_list_changed_in_place_is_written_as_it_is_now() -> None:
    texts = DetailTexts()
    context = {"campaign_id": "c-1"}
    tags = ["a"]
    first = texts.texts([{"context": context, "tags": tags}])
    context["campaign_id"] = "c-2"
    tags.append("b")
    second = texts.texts([{"context": context, "tags": tags}])
    assert first == ['{"context":{"campaign_id":"c-1"},"tags":["a"]}']
    assert second == ['{"context":{"campaign_id":"c-2"},"tags":["a","b"]}']


def test_a_context_with_its_keys_in_another_order_is_written_in_that_order() -> None:
    details = [{"context": {"a": "1", "b": "2"}}, {"context": {"b": "2", "a": "1"}}]
    assert DetailTexts().texts(details) == [detail_json(d) for d in details]


def test_odd_details_are_written_whole() -> None:
    when = datetime(2026, 1, 5, 9, tzinfo=UTC)
    details: list[dict[Any, Any]] = [
        {},
        {1: "one", None: "none"},
        {1: "one", None: "none"},
        {"when": when, "nested": {"n": 1, "list": [1, {"x": None}]}, "text": "é\n"},
        {"when": when, "nested": {"n": 1, "list": [1, {"x": None}]}, "text": "é\n"},
    ]
    assert DetailTexts().texts(details) == [detail_json(d) for d in details]


def test_more_shapes_than_are_kept_start_the_table_again(monkeypatch) -> None:
    monkeypatch.setattr(outbox_details, "SHAPES", 3)
    texts = DetailTexts()
    details = [{f"k{i % 5}": i, "context": CONTEXT} for i in range(20)]
    assert texts.texts(details) == [detail_json(d) for d in details]
    assert len(texts._shapes) <= 3
