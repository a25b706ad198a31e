"""Pinpoint's requests are parsed with each shape's walk planned once, answer for answer as
moto's REST-JSON parser parses them: the same values and dict types, the same refusals."""

from __future__ import annotations

import base64
import json
import math
import random
from typing import Any

import pytest
from moto.core.parse import RestJSONParser
from werkzeug.datastructures import MultiDict

from simlab.aws.services.pinpoint.request_parse import RestJsonParser, parser
from simlab.aws.services.pinpoint.responses import service_model
from simlab.aws.services.request_types import _fits, _types, rest_member
from simlab.engage.sms import ValidationError

MODEL = service_model()
OPERATIONS = sorted(MODEL.operation_names)
#: Values of the wrong JSON type, put in now and then where the model wants another.
ODD = [None, 7, -1.5, True, "text", "12", [], {}, ["a"], {"k": "v"}]


def _value(shape: Any, rng: random.Random, depth: int = 0) -> Any:
    """A value for ``shape`` as a client might send it (now and then of the wrong type)."""
    if rng.random() < 0.08:
        return rng.choice(ODD)
    kind = shape.type_name
    if kind == "structure":
        if depth > 4:
            return {}
        members = list(shape.members.items())
        chosen = rng.sample(members, min(len(members), rng.randint(0, 6)))
        return {
            member.serialization.get("name", name): _value(member, rng, depth + 1)
            for name, member in chosen
        }
    if kind == "map":
        return {f"key{i}": _value(shape.value, rng, depth + 1) for i in range(rng.randint(0, 3))}
    if kind == "list":
        return [_value(shape.member, rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if kind in ("integer", "long"):
        return rng.choice([0, 42, -3, "17"])
    if kind in ("double", "float"):
        return rng.choice([0.5, 3, "2.25"])
    if kind == "boolean":
        return rng.choice([True, False, "true", "False", 1])
    if kind == "timestamp":
        return rng.choice(["2026-01-05T09:00:00Z", 1767603600, "1767603600"])
    if kind == "blob":
        return base64.b64encode(b"bytes").decode()
    return rng.choice(["plain", "ünïcode", ""])


def _request(operation: Any, rng: random.Random) -> dict[str, Any]:
    """A request of ``operation`` as moto hands it to a parser."""
    shape = operation.input_shape
    uri, query, headers, body = {}, MultiDict(), {}, b""
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        where = member.serialization.get("name", name)
        if location == "uri":
            uri[where] = f"value-{rng.randint(0, 9)}"
        elif location == "querystring" and rng.random() < 0.7:
            query.add(where, str(rng.choice([1, 25, "next", "true"])))
        elif location == "header" and rng.random() < 0.5:
            headers[where] = "header-value"
    payload = shape.serialization.get("payload")
    if payload is not None:
        body = json.dumps(_value(shape.members[payload], rng)).encode()
    return {
        "method": operation.http["method"],
        "values": query,
        "headers": headers,
        "body": body,
        "url_path": operation.http["requestUri"],
        "url_params": uri,
    }


def _outcome(parse: Any, request: dict[str, Any]) -> tuple[str, Any]:
    try:
        parsed = parse(request)
    except Exception as error:  # the refusal's kind is what the caller sees
        return "raised", type(error)
    return "parsed", (parsed, json.dumps(parsed, default=repr))


def _checked_then_parsed(operation: Any, request: dict[str, Any]) -> Any:
    """What Pinpoint's responses do: the type check first (it decodes the body and hands the
    document on), then the planned parser."""
    rest_member(operation, request["body"], request["values"], request["headers"])
    return parser(operation, dict).parse(request)


@pytest.mark.parametrize("name", OPERATIONS)
def test_every_operation_parses_as_moto_parses_it(name: str) -> None:
    operation = MODEL.operation_model(name)
    planned, moto_own = parser(operation, dict), RestJSONParser(operation, map_type=dict)
    rng = random.Random(name)
    for _ in range(40):
        request = _request(operation, rng)
        expected = _outcome(moto_own.parse, request)
        assert _outcome(planned.parse, request) == expected, request
        checked = _outcome(lambda r: _checked_then_parsed(operation, r), request)
        assert checked == expected, request


@pytest.mark.parametrize(
    "body",
    [
        '{"Name": "caf\u00e9 \u65e5\u672c"}'.encode(),  # UTF-8 beyond ASCII
        '\ufeff{"Name": "bom"}'.encode(),  # a byte order mark: moto reads it as a message
        '{"Name": "wide"}'.encode("utf-16"),
        '{"Name": "wide"}'.encode("utf-16-le"),
        b'{"Name": "\xff"}',  # not UTF-8 at all
    ],
)
def test_a_body_in_any_encoding_parses_as_moto_parses_it(body: bytes) -> None:
    operation = MODEL.operation_model("CreateApp")
    request = _request(operation, random.Random(0)) | {"body": body}
    expected = _outcome(RestJSONParser(operation, map_type=dict).parse, request)
    checked = _outcome(lambda r: _checked_then_parsed(operation, r), request)
    assert checked == expected


def test_a_send_messages_request_parses_to_the_same_dict() -> None:
    operation = MODEL.operation_model("SendMessages")
    body = {
        "Endpoints": {f"e{i}": {"Context": {"n": str(i)}} for i in range(100)},
        "MessageConfiguration": {"SMSMessage": {"Body": "Hi", "MessageType": "TRANSACTIONAL"}},
    }
    request = {
        "method": "POST",
        "values": MultiDict(),
        "headers": {},
        "body": json.dumps(body).encode(),
        "url_path": "/v1/apps/app-1/messages",
        "url_params": {"application-id": "app-1"},
    }
    parsed = RestJsonParser(operation, map_type=dict).parse(request)
    assert parsed == RestJSONParser(operation, map_type=dict).parse(request)
    assert parsed["ApplicationId"] == "app-1"
    assert parsed["MessageRequest"]["Endpoints"]["e7"] == {"Context": {"n": "7"}}


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (
            {"Endpoints": {"e1": {}, "e2": {"Context": {"k": 5}}}},
            "MessageRequest.Endpoints.e2.Context.k",
        ),
        ({"Endpoints": {"e1": []}}, "MessageRequest.Endpoints.e1"),
        (
            {"Addresses": {"+12065550100": {"ChannelType": 3}}},
            "MessageRequest.Addresses.+12065550100.ChannelType",
        ),
        (
            {"Endpoints": {"e1": {"Substitutions": {"n": ["a", 2]}}}},
            "MessageRequest.Endpoints.e1.Substitutions.n[1]",
        ),
        ({"Endpoints": {f"e{i}": {"Context": {"k": "v"}} for i in range(100)}}, ""),
    ],
)
def test_a_wrong_typed_value_is_named_wherever_it_is(body: dict[str, Any], named: str) -> None:
    operation = MODEL.operation_model("SendMessages")
    assert rest_member(operation, json.dumps(body).encode(), {}, {}) == named


def _named(shape: Any, document: Any) -> bool:
    """Whether the walk that names a wrong-typed value passes ``document``."""
    try:
        _types(shape, document, "")
    except ValidationError:
        return False
    return True


#: The operations whose input has a body, and its shape.
BODIES = {
    name: shape.members[shape.serialization["payload"]]
    for name in OPERATIONS
    if (shape := MODEL.operation_model(name).input_shape) is not None
    and "payload" in shape.serialization
}


@pytest.mark.parametrize("name", sorted(BODIES))
def test_the_quick_type_test_agrees_with_the_walk_that_names_the_value(name: str) -> None:
    body = BODIES[name]
    rng = random.Random(name)
    documents = [_value(body, rng) for _ in range(40)]
    documents += [{"Endpoints": {"e1": {"Context": {"k": math.inf}}}}, math.nan, [], None]
    for document in documents:
        assert _fits(body, document) is _named(body, document), document
