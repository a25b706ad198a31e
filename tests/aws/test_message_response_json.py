"""SendMessages' answer is written straight from its results, exactly as ``json.dumps`` of the
``MessageResponse`` would write it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from simlab.aws.services.pinpoint.messages_api import message_response_json
from simlab.engage.sends import Recipient, Result


def _dumped(addresses: dict[str, Any], endpoints: dict[str, Any], by_key: dict[str, Result]) -> str:
    body: dict[str, Any] = {"ApplicationId": "app-1", "RequestId": "req-1"}
    if addresses:
        body["Result"] = {a: by_key[a].message_result() for a in addresses}
    if endpoints:
        body["EndpointResult"] = {e: by_key[e].endpoint_result() for e in endpoints}
    return json.dumps(body)


def _result(key: str, address: str, *extra: Any) -> Result:
    return Result(Recipient(key, "SMS", address), *extra)


RESULTS = [
    _result("e1", "+12065550100", "SUCCESSFUL", 200, "SMS accepted", "id-1"),
    _result("e2", "+12065550101", "OPT_OUT", 400, 'opted out ("STOP")'),
    _result("e3", "reader@example.com", "SUCCESSFUL", 200, "Ok", "", "token-3"),
    _result("é\u2028\x00", "naïve\tline\n", "PERMANENT_FAILURE", 404, "Endpoint é not found"),
    _result("+12065550199", "+12065550199", "THROTTLED", 429, "Sending rate exceeded", None),
]


@pytest.mark.parametrize(
    ("addresses", "endpoints"),
    [
        ({}, {"e1": {}, "e2": {}, "e3": {}, "é\u2028\x00": {}}),
        ({"+12065550199": {}}, {}),
        ({"+12065550199": {}}, {"e2": {}, "e1": {}}),
    ],
)
def test_the_answer_is_json_dumps_byte_for_byte(
    addresses: dict[str, Any], endpoints: dict[str, Any]
) -> None:
    by_key = {r.recipient.key: r for r in RESULTS}
    written = message_response_json("app-1", "req-1", addresses, endpoints, by_key)
    assert written == _dumped(addresses, endpoints, by_key)
    assert json.loads(written or "")["ApplicationId"] == "app-1"


@pytest.mark.parametrize(
    "odd",
    [
        _result("e1", "+12065550100", "SUCCESSFUL", True, "bool code"),
        _result("e1", "+12065550100", "SUCCESSFUL", 200.0, "float code"),
        _result("e1", "+12065550100", "SUCCESSFUL", 200, "Ok", 12345),
    ],
)
def test_a_value_json_dumps_writes_its_own_way_is_left_to_it(odd: Result) -> None:
    assert message_response_json("app-1", "req-1", {}, {"e1": {}}, {"e1": odd}) is None
