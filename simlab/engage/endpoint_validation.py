"""Checks of an ``EndpointRequest`` against Pinpoint's values and limits."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np

from simlab.engage.endpoint_columns import ListColumn, parse_instant
from simlab.engage.faults import BadRequest
from simlab.facts import pinpoint as facts

#: The fields with a fixed set of values, and those values (in the order errors list them).
_CHOICES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ChannelType", facts.CHANNEL_TYPES.value),
    ("OptOut", facts.OPT_OUT_VALUES.value),
    ("EndpointStatus", facts.ENDPOINT_STATUSES.value),
)
#: Writes a request as compact JSON, to measure it (``json.dumps`` with compact separators).
_COMPACT = json.JSONEncoder(separators=(",", ":"))


class EndpointValidation:
    """Refuses an ``EndpointStore`` request that breaks a rule, with BadRequest naming the field."""

    index: dict[str, int]
    attributes: dict[str, ListColumn]
    user_attributes: dict[str, ListColumn]
    metrics: dict[str, np.ndarray]

    def attribute_names(self) -> set[str]:
        """Every custom attribute, metric and user attribute name in use."""
        return set(self.attributes) | set(self.metrics) | set(self.user_attributes)

    def _validate(self, endpoint_id: str, request: dict[str, Any]) -> None:
        """Checks one ``EndpointRequest`` before it is stored.

        Raises BadRequest naming the first field that breaks a rule.
        """
        get = request.get
        for field, allowed in _CHOICES:
            value = get(field)
            if value is not None and value not in allowed:
                _one_of(value, allowed, field, f"endpoint {endpoint_id!r}")
        if not get("ChannelType") and endpoint_id not in self.index:
            raise BadRequest(f"ChannelType is required to create endpoint {endpoint_id!r}")
        if get("EffectiveDate"):
            parse_instant(request["EffectiveDate"], "EffectiveDate")
        location = get("Location")
        if location:
            for key, bound in (("Latitude", 90.0), ("Longitude", 180.0)):
                value = location.get(key)
                if value is not None and not -bound <= float(value) <= bound:
                    raise BadRequest(f"Location.{key} must be within ±{bound:g}, got {value}")
        user = get("User") or {}
        for label, attributes in (
            ("Attributes", get("Attributes")),
            ("User.UserAttributes", user.get("UserAttributes")),
        ):
            for name, values in (attributes or {}).items():
                _check_attribute(label, name, values)
        for name in get("Metrics") or ():
            _check_name("Metrics", name)
        self._check_name_count(request)
        limit = facts.MAX_ENDPOINT_BYTES.value
        if _surely_within(request, limit):
            return
        size = len(_COMPACT.encode(request).encode())
        if size > limit:
            raise BadRequest(
                f"endpoint {endpoint_id!r} is {size} bytes; an endpoint can be at most "
                f"{facts.MAX_ENDPOINT_BYTES.value} bytes"
            )

    def _check_name_count(self, request: dict[str, Any]) -> None:
        """Refuses a request that would take the app past its custom attribute names.

        The one check of ``_validate`` whose answer depends on the endpoints stored before
        (a batch's earlier items), so a batch makes it again as it stores each item.
        """
        attributes, metrics = request.get("Attributes"), request.get("Metrics")
        user_attributes = (request.get("User") or {}).get("UserAttributes")
        if not (attributes or metrics or user_attributes):
            return  # the names in use never exceed the limit on their own
        new_names = {*(attributes or {}), *(user_attributes or {}), *(metrics or {})}
        if not new_names:
            return
        total = len(self.attribute_names() | new_names)
        limit = facts.MAX_CUSTOM_ATTRIBUTES.value
        if total > limit:
            raise BadRequest(
                f"an app can have at most {limit} Attributes, Metrics and UserAttributes names "
                f"together; this request would make {total}"
            )


def _surely_within(request: dict[str, Any], limit: int) -> bool:
    """True when a request of string fields cannot take more than ``limit`` bytes as compact
    JSON, told without writing it: a character takes at most 12 bytes (one outside the Basic
    Multilingual Plane is two ``\\uXXXX`` escapes), a field 6 more (quotes, colon, comma) and
    the braces 2. False for any other request, whose size is then measured."""
    chars = 0
    for key, value in request.items():
        if type(key) is not str or type(value) is not str:
            return False
        chars += len(key) + len(value)
    return 12 * chars + 6 * len(request) + 2 <= limit


def _one_of(value: Any, allowed: Sequence[str], field: str, where: str) -> None:
    if value is not None and value not in allowed:
        raise BadRequest(f"{field} of {where} must be one of {', '.join(allowed)}, got {value!r}")


def _check_name(label: str, name: str) -> None:
    limit = facts.MAX_ATTRIBUTE_NAME_CHARS.value
    if not name or len(name) > limit:
        raise BadRequest(f"{label} name {name!r} must be 1 to {limit} characters")


def _check_attribute(label: str, name: str, values: Sequence[str]) -> None:
    _check_name(label, name)
    if len(values) > facts.MAX_VALUES_PER_ATTRIBUTE.value:
        raise BadRequest(
            f"{label}.{name} has {len(values)} values; at most "
            f"{facts.MAX_VALUES_PER_ATTRIBUTE.value} are allowed"
        )
    limit = facts.MAX_ATTRIBUTE_VALUE_CHARS.value
    for value in values:
        if len(value) > limit:
            raise BadRequest(f"{label}.{name} value {value[:20]!r}... exceeds {limit} characters")
