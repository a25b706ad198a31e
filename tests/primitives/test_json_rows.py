"""Rows written through orjson read exactly as ``json`` writes them, or go to the fallback."""

from __future__ import annotations

import enum
import json
import math
import uuid
from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simlab.primitives import json_rows
from simlab.primitives.json_rows import encode_rows, plain_column, plain_dicts

pytestmark = pytest.mark.skipif(not json_rows.AVAILABLE, reason="orjson is not installed")


def compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), default=str)


class Colour(enum.Enum):
    RED = 1


class Text(str):
    pass


#: Values the two encoders write differently, or that orjson refuses.
AWKWARD = [
    1e-05,
    -2.5e-300,
    1e16,
    1.7976931348623157e308,
    math.nan,
    math.inf,
    -math.inf,
    Colour.RED,
    uuid.UUID(int=7),
    datetime(2026, 1, 5, tzinfo=UTC),
    Text("a subclass"),
    2**64,
    -(2**63) - 1,
    "café",
    "line\u2028break",
    "\x7f",
    {1: "a key that is not text"},
    {"nested": [1e-07]},
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.sampled_from(AWKWARD),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=5), inner, max_size=4),
    ),
    max_leaves=12,
)
rows = st.lists(st.dictionaries(st.text(max_size=6), values, max_size=6), max_size=8)


@settings(max_examples=200, deadline=None)
@given(rows)
def test_rows_that_pass_the_check_are_written_as_json_writes_them(found):
    assert plain_dicts(found) == plain_dicts(found, scalars_first=True)
    if plain_dicts(found):
        assert encode_rows(found, compact) == [compact(row) for row in found]


@pytest.mark.parametrize("awkward", AWKWARD, ids=repr)
def test_an_awkward_value_fails_the_check_or_is_written_as_json_writes_it(awkward):
    found = [{"id": "r-1", "value": awkward, "list": [awkward]}, {"id": "r-2"}]
    if plain_dicts(found):  # text orjson writes raw, an integer or key it refuses
        assert encode_rows(found, compact) == [compact(row) for row in found]
    else:  # a float written otherwise, an enum, a UUID, a datetime, a subclass
        assert isinstance(awkward, float | enum.Enum | uuid.UUID | datetime | Text | dict)


def test_plain_ascii_rows_never_reach_the_fallback():
    found = [
        {"id": f"r-{n}", "price": 0.00645, "ok": True, "n": n, "tags": ["a"]} for n in range(50)
    ]
    assert plain_dicts(found)
    written = encode_rows(found, lambda row: pytest.fail(f"fell back for {row!r}"))
    assert written == [compact(row) for row in found]


def test_plain_columns_are_scalars_and_floats_written_without_an_exponent():
    assert plain_column(["a", 1, None, True, 0.5, -0.0, 1e-4, 9.9e15, {"a": [1, 2.5]}, (1,)])
    assert plain_column([])
    for odd in (1e-05, 1e16, math.nan, math.inf, Colour.RED, uuid.UUID(int=1), {"a": 1e-9}):
        assert not plain_column(["a", odd]), odd


def test_a_shared_container_is_looked_at_once_and_any_float_inside_counts():
    context = {"campaign_id": "c-1", "score": 0.25}
    assert plain_dicts([{"context": context}] * 1000)
    assert not plain_dicts([{"context": context}, {"context": {"score": 1e-06}}])
    assert not plain_dicts(["not a dict"])


def test_a_long_batch_is_written_a_chunk_at_a_time_and_only_odd_rows_fall_back():
    found = [{"n": n, "name": "zoë" if n == json_rows.CHUNK + 3 else f"r{n}"} for n in range(700)]
    fell_back = []

    def fallback(row):
        fell_back.append(row["n"])
        return compact(row)

    assert encode_rows(found, fallback) == [compact(row) for row in found]
    assert json_rows.CHUNK + 3 in fell_back  # within its chunk; the other chunks went whole
    assert all(json_rows.CHUNK <= n < 2 * json_rows.CHUNK for n in fell_back)


def test_rows_of_one_size_are_looked_at_column_by_column():
    prices = [{"id": f"r-{n}", "price": 0.00645 * (1 + n % 3), "ok": True} for n in range(30)]
    assert plain_dicts(prices)
    assert plain_dicts([*prices, {"id": "free", "price": 0.0, "ok": True}])  # zero: alike
    for odd in (1e-05, 1e16, math.nan, -math.inf):
        assert not plain_dicts([*prices, {"id": "odd", "price": odd, "ok": True}]), odd
    assert not plain_dicts([{"colour": Colour.RED}] * 3)  # one shared value, looked at once


@pytest.mark.parametrize(
    "column",
    [[1, True, 1.0], ["a", Text("a")], [2.5, np.float64(2.5)], [uuid.UUID(int=3)] * 2],
    ids=["numbers", "a text subclass", "a numpy float", "uuids"],
)
def test_values_equal_to_a_column_s_first_are_still_written_as_json_writes_them(column):
    found = [{"id": "r", "value": value} for value in column]
    if plain_dicts(found):  # orjson refuses the odd ones: they fall back
        assert encode_rows(found, compact) == [compact(row) for row in found]
