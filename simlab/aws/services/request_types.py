"""Finds the member of a request whose value its model's type cannot take.

moto's request parsers convert values with ``int()``/``float()`` and fail with Python errors
on a wrong-typed value; the services answer instead with their modeled error naming the member
this module finds.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape
from werkzeug.datastructures import Headers

from simlab.aws.services.smsvoicev2.validation import check_type, type_test
from simlab.engage.sms import ValidationError

#: Exceptions moto's parsers raise on a value of the wrong type.
PARSE_ERRORS = (ValueError, TypeError, AttributeError, KeyError, IndexError, OverflowError)


#: The body ``rest_member`` decoded last on this thread and its document, kept for the request
#: parser that decodes the same body next (``decoded``): one decoding a request, not two.
_last = threading.local()


def decoded(body: object) -> Any:
    """The document ``rest_member`` decoded from this very ``body`` object, handed over once
    (what moto's JSON parsers make of a UTF-8 body). Raises LookupError if it decoded no
    such body, or one moto's parsers would read otherwise."""
    kept = getattr(_last, "body", None)
    if kept is None or kept[0] is not body:
        raise LookupError("no document decoded from this body")
    _last.body = None
    return kept[1]


def _keep(body: bytes | str | None, document: Any) -> None:
    """Keeps ``document`` for ``decoded`` if moto's parsers would decode ``body`` to it: UTF-8
    bytes without a byte order mark (they decode to text first, then read the JSON)."""
    plain = isinstance(body, bytes) and body and not body.startswith(b"\xef\xbb\xbf")
    utf8 = plain and json.detect_encoding(cast(bytes, body)) == "utf-8"
    _last.body = (body, document) if utf8 else None


def mime_text(raw: bytes) -> str:
    """A raw message as text: UTF-8, or byte for byte (Latin-1) when it carries 8-bit bytes."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _scalar_fits(type_name: str, text: str) -> bool:
    try:
        if type_name in ("integer", "long"):
            int(text)
        elif type_name in ("float", "double"):
            return math.isfinite(float(text))
        elif type_name == "boolean":
            return text.lower() in ("true", "false")
    except (ValueError, OverflowError):
        return False
    return True


def query_member(operation: OperationModel, values: Mapping[str, Any]) -> str:
    """The first top-level member of a query-protocol request with a wrong-typed value, or ''."""
    shape = operation.input_shape
    if shape is None:
        return ""
    for name, member in shape.members.items():
        raw = values.get(name)
        text = raw[0] if isinstance(raw, list) and raw else raw
        if isinstance(text, str) and not _scalar_fits(member.type_name, text):
            return str(name)
    for key in values:
        top = key.split(".", 1)[0]
        if top in shape.members:
            return top
    return ""


def rest_member(
    operation: OperationModel,
    body: bytes | str | None,
    query: Mapping[str, Any],
    headers: Headers | Mapping[str, str],
) -> str:
    """The first member of a REST/JSON request with a wrong-typed value, or ''."""
    shape = operation.input_shape
    if shape is None:
        return ""
    body_members: dict[str, Any] = {}
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        wire = member.serialization.get("name", name)
        if location == "querystring":
            raw = query.get(wire)
            text = raw[0] if isinstance(raw, list) and raw else raw
            if isinstance(text, str) and not _scalar_fits(member.type_name, text):
                return str(name)
        elif location == "header":
            text = headers.get(wire)
            if text is not None and not _scalar_fits(member.type_name, text):
                return str(name)
        elif location is None:
            body_members[name] = member
    try:
        document = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return "the request body"
    _keep(body, document)
    payload = shape.serialization.get("payload")
    target: StructureShape | None = shape
    if payload and payload in shape.members:
        target = shape.members[payload]
        if target.type_name != "structure":
            return ""
    try:
        _check_body(target, document, payload)
    except ValidationError as error:
        return error.field or (payload or "the request body")
    return ""


def _check_body(shape: StructureShape | None, document: Any, payload: str | None) -> None:
    if shape is not None and not _fits(shape, document):  # then find and name the value
        _types(shape, document, payload or "")


def _fits(shape: Shape, value: Any) -> bool:
    """Whether ``_types`` passes ``value``: the same walk, without naming where it is."""
    return value is None or _fitter(shape)(value)


#: shape -> its ``_fits`` test of a value that is not None, made on first use
_FITTERS: dict[Shape, Callable[[Any], bool]] = {}


def _fitter(shape: Shape) -> Callable[[Any], bool]:
    """``_fits(shape, value)`` for a value that is not None, as one function made per shape
    (the model's shapes live as long as the process): the walk asks each shape's kind once,
    not at every value."""
    found = _FITTERS.get(shape)
    if found is None:
        found = _FITTERS[shape] = _make_fitter(shape)
    return found


def _make_fitter(shape: Shape) -> Callable[[Any], bool]:
    # ``type_test`` of a structure, map or list is one isinstance test: written out below
    if isinstance(shape, StructureShape):
        members = shape.members

        def structure(value: Any) -> bool:
            if not isinstance(value, dict):
                return False
            for name, item in value.items():
                member = members.get(name)
                if member is not None and item is not None and not _fitter(member)(item):
                    return False
            return True

        return structure
    if isinstance(shape, (ListShape, MapShape)):
        listed = isinstance(shape, ListShape)
        inner = shape.member if isinstance(shape, ListShape) else shape.value
        kind: type = list if listed else dict
        items_of: Callable[[Any], Iterable[Any]] = iter if listed else dict.values

        def collection(value: Any) -> bool:
            if not isinstance(value, kind):
                return False
            fits = _fitter(inner)  # here, not above: a shape may hold itself
            for item in items_of(value):  # noqa: SIM110 - a loop: twice as fast as all()
                if item is not None and not fits(item):
                    return False
            return True

        return collection
    return type_test(shape)


def _types(shape: Shape, value: Any, path: str) -> None:
    """Raises ``ValidationError`` naming the first value whose JSON type the model refuses."""
    if value is None:
        return
    check_type(shape, value, path)
    if isinstance(shape, StructureShape):
        for name, item in value.items():
            member = shape.members.get(name)
            if member is not None:
                _types(member, item, f"{path}.{name}" if path else name)
    elif isinstance(shape, ListShape):
        for index, item in enumerate(value):
            _types(shape.member, item, f"{path}[{index}]")
    elif isinstance(shape, MapShape):
        for key, item in value.items():
            _types(shape.value, item, f"{path}.{key}")
