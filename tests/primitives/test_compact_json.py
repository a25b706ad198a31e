"""Compact JSON written by an encoder built once reads as ``json.dumps`` writes it."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from simlab.primitives.compact_json import compact_encoder

VALUES = [
    {"event_type": "_SMS.SUCCESS", "attributes": {"iso_country_code": "US"}, "metrics": {}},
    [1, 2.5, -0.0, 1e300, None, True, False, 'caf\u00e9\n"quoted"'],
    "a string alone",
    {"nested": [{"deep": [[], {}]}], "number": 12345678901234567890},
]


@pytest.mark.parametrize("value", VALUES)
def test_compact_json_is_json_dumps_with_compact_separators(value):
    assert compact_encoder()(value) == json.dumps(value, separators=(",", ":"))


def test_a_default_writes_what_json_cannot_hold():
    detail = {"at": datetime(2026, 12, 6, 15, 30), "ok": [1]}
    written = compact_encoder(default=str)(detail)
    assert written == '{"at":"2026-12-06 15:30:00","ok":[1]}'
    assert written == json.dumps(detail, separators=(",", ":"), default=str)


def test_without_a_default_a_value_json_cannot_hold_raises_type_error():
    with pytest.raises(TypeError):
        compact_encoder()({"at": datetime(2026, 12, 6)})
