"""moto's REST-JSON request parser with each shape's walk worked out once.

moto's parser finds the handler of every node of a request by its shape's type name, and reads
each member's serialised name from the model, node by node: a SendMessages request to 100
endpoints walks the same ``EndpointSendConfiguration`` members a hundred times, for 20 times
the cost of decoding its JSON. ``RestJsonParser`` answers exactly as moto's ``RestJSONParser``
does (the same values, the same dict types, the same exceptions for input that does not match
the model), with each shape turned once into a function that parses a node of it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from botocore.utils import is_json_value_header
from moto.core.parse import UNDEFINED, RestJSONParser

from simlab.aws.services import request_types

#: A node's parser: ``RestJSONParser._parse_shape(shape, node)`` for one shape.
Plan = Callable[[Any], Any]


@functools.cache
def parser(operation_model: Any, map_type: type) -> RestJsonParser:
    """The parser of ``operation_model``'s requests, made once (parsing keeps no request's
    state on the parser)."""
    return RestJsonParser(operation_model, map_type=map_type)


class RestJsonParser(RestJSONParser):
    """moto's ``RestJSONParser``; every shape is parsed through its plan (``_plan``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: id of a shape -> (the shape, kept so that its id stays its own; its plan)
        self._plans: dict[int, tuple[Any, Plan]] = {}

    def _parse_shape(self, shape: Any, node: Any) -> Any:
        return self._plan(shape)(node)

    def _initial_body_parse(self, body_contents: Any) -> Any:
        """The body's document: the one the type check decoded from it, or decoded here."""
        try:
            return request_types.decoded(body_contents)
        except LookupError:
            return super()._initial_body_parse(body_contents)  # type: ignore[no-untyped-call]

    def _plan(self, shape: Any) -> Plan:
        """The function that parses a node of ``shape`` (made on first use, then kept)."""
        kept = self._plans.get(id(shape))
        if kept is not None and kept[0] is shape:
            return kept[1]
        plan = self._make_plan(shape)
        self._plans[id(shape)] = (shape, plan)
        return plan

    def _make_plan(self, shape: Any) -> Plan:
        kind = shape.type_name
        if kind == "structure" and not shape.is_document_type:
            return self._structure_plan(shape)
        if kind == "map":
            return self._map_plan(shape)
        if kind == "list":
            return self._list_plan(shape)
        if kind == "string" and not is_json_value_header(shape):
            return _same
        if kind in ("integer", "byte", "short", "long"):
            return _integer
        if kind in ("float", "double"):
            return _float
        handler = getattr(self, f"_parse_{kind}", self._default_handle)
        return lambda node: handler(shape, node)

    def _structure_plan(self, shape: Any) -> Plan:
        members = [
            (name, member.serialization.get("name", name), member)
            for name, member in shape.members.items()
        ]
        plan_of, make = self._plan, self.MAP_TYPE
        planned: list[tuple[str, str, Plan]] = []

        def parse(value: Any) -> Any:
            if value is None:
                return None
            if len(planned) != len(members):  # the members' plans, found on first use
                planned[:] = [(name, key, plan_of(member)) for name, key, member in members]
            parsed = make()
            for name, json_name, plan in planned:
                raw = value.get(json_name)
                if raw is not None:
                    parsed[name] = plan(raw)
            return parsed

        return parse

    def _map_plan(self, shape: Any) -> Plan:
        key_shape, value_shape = shape.key, shape.value
        plan_of, make = self._plan, self.MAP_TYPE

        def parse(value: Any) -> Any:
            parsed = make()
            key_plan, value_plan = plan_of(key_shape), plan_of(value_shape)
            if key_plan is _same and value_plan is _same:
                for key, item in value.items():
                    parsed[key] = item
                return parsed
            for key, item in value.items():
                parsed[key_plan(key)] = value_plan(item)
            return parsed

        return parse

    def _list_plan(self, shape: Any) -> Plan:
        member, in_header = shape.member, shape.serialization.get("location") == "header"
        plan_of = self._plan

        def parse(node: Any) -> Any:
            if in_header and not isinstance(node, list):
                node = [e.strip() for e in node.split(",")]
            item_plan = plan_of(member)
            parsed = []
            for item in node:
                parsed.append(item_plan(item))
            return parsed

        return parse


def _same(value: Any) -> Any:
    return value


def _integer(value: Any) -> Any:
    return value if value is UNDEFINED else int(value)


def _float(value: Any) -> Any:
    return value if value is UNDEFINED else float(value)
