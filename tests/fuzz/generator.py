"""Requests generated from botocore's service models: valid ones, and wrong-typed or boundary
values sent raw (the client's own validation switched off).

The generator knows nothing of simlab: it reads an operation's input shape and a seeded
``random.Random``, and reuses string values harvested from earlier answers under the same member
name, so generated requests reach existing resources as often as missing ones.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import string
from collections import defaultdict
from typing import Any

from botocore.model import OperationModel, Shape

#: Values that tend to fit a member named like the key (matched on the lower-cased name).
_HINTS: dict[str, tuple[str, ...]] = {
    "email": (
        "sender@example.com",
        "success@simulator.amazonses.com",
        "bounce@simulator.amazonses.com",
    ),
    "phone": ("+12065550100", "+447700900123", "+14255550199"),
    "arn": (
        "arn:aws:sns:us-east-1:123456789012:fuzz",
        "arn:aws:iam::123456789012:role/fuzz",
        "arn:aws:sms-voice:us-east-1:123456789012:pool/pool-1",
    ),
    "domain": ("example.com", "mail.example.com"),
    "country": ("US", "GB", "DE"),
    "url": ("http://127.0.0.1:9/hook", "https://127.0.0.1:9/hook"),
    "data": ('{"name": "Ada"}', "{}"),
    "policy": ('{"Version": "2012-10-17", "Statement": []}',),
    "json": ("{}",),
}

#: Raw values of the wrong type or at a boundary, sent where the model wants something else.
_WRONG: tuple[Any, ...] = (
    None,
    "",
    " ",
    "\x00\x01",
    "é\u2028😀",
    "x" * 5000,
    -1,
    0,
    2**63,
    1.5e308,
    True,
    [],
    [1, "a"],
    {},
    {"unexpected": 1},
    "not-an-arn",
    "arn:aws:sns:us-east-1:123456789012:",
    "2026-13-45",
)

_ALNUM = string.ascii_letters + string.digits


class Generator:
    """Builds inputs for operations of one service model from a seeded random source."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seen: dict[str, list[str]] = defaultdict(list)

    # -- harvesting -----------------------------------------------------------------------

    def harvest(self, value: Any, name: str = "") -> None:
        """Remembers string values of an answer under their member names (at most 20 each)."""
        if isinstance(value, dict):
            for key, item in value.items():
                if key != "ResponseMetadata":
                    self.harvest(item, str(key))
        elif isinstance(value, list):
            for item in value:
                self.harvest(item, name)
        elif isinstance(value, str) and name and 0 < len(value) <= 256:
            pool = self.seen[name]
            if value not in pool:
                pool.append(value)
                del pool[:-20]

    # -- valid values ---------------------------------------------------------------------

    def valid(self, operation: OperationModel) -> dict[str, Any]:
        """A request botocore's validation accepts (patterns honoured loosely)."""
        shape = operation.input_shape
        return self._structure(shape, 0) if shape is not None else {}

    def _value(self, shape: Shape, name: str, depth: int) -> Any:
        kind = shape.type_name
        if kind == "structure":
            return self._structure(shape, depth + 1)
        if kind == "list":
            low = int(shape.metadata.get("min", 0))
            high = min(int(shape.metadata.get("max", 3)), low + 2, 3 if depth < 3 else low)
            count = self.rng.randint(low, max(low, high))
            return [self._value(shape.member, name, depth + 1) for _ in range(count)]
        if kind == "map":
            count = self.rng.randint(0, 1 if depth < 3 else 0)
            return {
                self._string(shape.key, "Key"): self._value(shape.value, name, depth + 1)
                for _ in range(count)
            }
        if kind == "string":
            return self._string(shape, name)
        if kind in ("integer", "long"):
            low = int(shape.metadata.get("min", 0))
            high = int(shape.metadata.get("max", max(low, 100)))
            return self.rng.choice((low, high, self.rng.randint(low, high)))
        if kind in ("float", "double"):
            low = float(shape.metadata.get("min", 0))
            return round(low + self.rng.random() * 10, 3)
        if kind == "boolean":
            return self.rng.random() < 0.5
        if kind == "timestamp":
            return dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
                hours=self.rng.randint(-48, 48)
            )
        if kind == "blob":
            return self.rng.choice((b"hello", b"From: a@example.com\r\n\r\nhi", b"\xff\xfe"))
        return None

    def _structure(self, shape: Shape, depth: int) -> dict[str, Any]:
        required = set(shape.required_members)
        members = shape.members
        if shape.metadata.get("union") and members:
            pick = self.rng.choice(sorted(members))
            return {pick: self._value(members[pick], pick, depth)}
        chance = 0.6 if depth < 2 else 0.25 if depth < 4 else 0.0
        out: dict[str, Any] = {}
        for name, member in members.items():
            if name in required or self.rng.random() < chance:
                if depth > 6 and name not in required:
                    continue
                out[name] = self._value(member, name, depth)
        return out

    def _string(self, shape: Shape, name: str) -> str:
        enum = shape.enum
        if enum:
            return self.rng.choice(enum)
        low = int(shape.metadata.get("min", 0))
        high = int(shape.metadata.get("max", 64))
        pattern = shape.metadata.get("pattern")
        candidates: list[str] = []
        pool = self.seen.get(name) or (self.seen.get("Id") if name.endswith("Id") else None)
        if pool and self.rng.random() < 0.7:
            candidates.append(self.rng.choice(pool))
        lowered = name.lower()
        for key, values in _HINTS.items():
            if key in lowered:
                candidates.append(self.rng.choice(values))
        size = self.rng.randint(max(low, 1), max(low, min(high, 16)))
        candidates.append("fz" + "".join(self.rng.choice(_ALNUM) for _ in range(max(size - 2, 0))))
        for candidate in candidates:
            if low <= len(candidate) <= high and _fits(pattern, candidate):
                return candidate
        return candidates[-1][:high] if high else ""

    # -- raw values -----------------------------------------------------------------------

    def mutated(self, operation: OperationModel) -> dict[str, Any]:
        """A valid request with one member (at any depth) replaced by a wrong or boundary value."""
        params = self.valid(operation)
        paths = list(_paths(params))
        shape = operation.input_shape
        if shape is not None and shape.members:
            paths.extend((name,) for name in shape.members if (name,) not in paths)
        if not paths:
            return params
        path = self.rng.choice(paths)
        wrong = self.rng.choice(_WRONG)
        if self.rng.random() < 0.1 and len(path) == 1:
            params.pop(path[0], None)  # drop a member, maybe a required one
            return params
        _assign(params, path, wrong)
        return params


def _fits(pattern: str | None, value: str) -> bool:
    if not pattern:
        return True
    try:
        return re.fullmatch(pattern, value) is not None
    except (re.error, RecursionError):
        return True


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.append((*prefix, key))
            found.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.append((*prefix, index))
            found.extend(_paths(item, (*prefix, index)))
    return found


def _assign(params: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    target: Any = params
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
