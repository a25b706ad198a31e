"""Checks a request against its botocore input shape as AWS does: required, enums, sizes, patterns.

botocore checks only some of this on the client (and not at all with parameter validation off),
so the local AWS answers the rest the way AWS does: ``ValidationException`` naming the field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from simlab.engage.sms import ValidationError


@cache
def _pattern(text: str) -> re.Pattern[str] | None:
    try:
        return re.compile(text)
    except re.error:
        return None


def validate(shape: StructureShape | None, params: dict[str, Any]) -> None:
    """Raises ``ValidationError`` for the first member of ``params`` that breaks ``shape``."""
    if shape is not None:
        _check_structure(shape, params, "")


def _check_structure(shape: StructureShape, value: Any, path: str) -> None:
    if not isinstance(value, dict):
        raise ValidationError(f"{path or 'the request'} must be a structure", field=path)
    for name in shape.required_members:
        if value.get(name) is None:
            raise ValidationError(
                f"{path}{name} is required", reason="MISSING_PARAMETER", field=f"{path}{name}"
            )
    for name, item in value.items():
        member = shape.members.get(name)
        if member is not None and item is not None:
            _check(member, item, f"{path}{name}")


#: The JSON types each model type accepts.
_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "long": (int,),
    "boolean": (bool,),
    "float": (int, float),
    "double": (int, float),
    "list": (list,),
    "map": (dict,),
    "structure": (dict,),
    "blob": (str, bytes),
    "timestamp": (str, int, float),
}
_WORDS = {"list": "a list", "map": "a map", "structure": "a structure", "integer": "an integer"}


def type_test(shape: Shape) -> Callable[[Any], bool]:
    """A test of a value that says what ``check_type`` says of it: True where it passes."""
    wanted = _TYPES.get(shape.type_name)
    if wanted is None:
        return _any
    takes_bool = bool in wanted

    def fits(value: Any) -> bool:
        if not isinstance(value, wanted) or (not takes_bool and isinstance(value, bool)):
            return False
        return not isinstance(value, float) or math.isfinite(value)

    return fits


def _any(value: Any) -> bool:
    return True


def check_type(shape: Shape, value: Any, path: str) -> None:
    """Raises ``ValidationError`` if ``value`` has a JSON type the shape does not take."""
    wanted = _TYPES.get(shape.type_name)
    if wanted is None:
        return
    wrong_bool = isinstance(value, bool) and bool not in wanted
    if wrong_bool or not isinstance(value, wanted):
        kind = _WORDS.get(shape.type_name, f"a {shape.type_name}")
        raise ValidationError(f"{path or 'the request'} must be {kind}", field=path)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError(f"{path} must be a finite number", field=path)


def _check(shape: Shape, value: Any, path: str) -> None:
    meta = shape.metadata
    check_type(shape, value, path)
    if isinstance(shape, StructureShape):
        _check_structure(shape, value, f"{path}.")
        return
    if isinstance(shape, ListShape):
        _size(meta, len(value), path, "items")
        for index, item in enumerate(value):
            _check(shape.member, item, f"{path}[{index}]")
        return
    if isinstance(shape, MapShape):
        _size(meta, len(value), path, "entries")
        for key, item in value.items():
            _check(shape.key, key, f"{path}.{key}")
            _check(shape.value, item, f"{path}.{key}")
        return
    if shape.type_name == "string":
        enum = shape.enum
        if enum and value not in enum:
            raise ValidationError(
                f"{path} must be one of {', '.join(enum)}; got {value!r}", field=path
            )
        _size(meta, len(value), path, "characters")
        pattern = _pattern(meta["pattern"]) if "pattern" in meta else None
        if pattern is not None and not pattern.fullmatch(value):
            raise ValidationError(
                f"{path} must match the pattern {meta['pattern']}; got {value!r}", field=path
            )
    elif shape.type_name in ("integer", "long") and not isinstance(value, bool):
        low, high = meta.get("min", -math.inf), meta.get("max", math.inf)
        if not low <= value <= high:
            raise ValidationError(
                f"{path} must be from {meta.get('min', '-inf')} to {meta.get('max', 'inf')}; "
                f"got {value}",
                field=path,
            )


def _size(meta: dict[str, Any], size: int, path: str, unit: str) -> None:
    if "min" in meta and size < meta["min"]:
        raise ValidationError(f"{path} needs at least {meta['min']} {unit}; got {size}", field=path)
    if "max" in meta and size > meta["max"]:
        raise ValidationError(
            f"{path} allows at most {meta['max']} {unit}; got {size}",
            reason="MAXIMUM_SIZE_EXCEEDED" if unit == "characters" else "FIELD_VALIDATION_FAILED",
            field=path,
        )
