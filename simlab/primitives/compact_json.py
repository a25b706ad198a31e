"""Compact JSON (``separators=(",", ":")``) written by an encoder built once, not per call."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

#: A string written as a JSON string (ASCII, as ``json.dumps`` writes it).
string_json: Callable[[str], str] = json.encoder.encode_basestring_ascii


def compact_encoder(default: Callable[[Any], Any] | None = None) -> Callable[[Any], str]:
    """``json.JSONEncoder(separators=(",", ":"), default=default).encode`` as a function that
    writes the same text without building the C encoder on every call.

    ``JSONEncoder.encode`` builds that encoder each time; the one here is built once and skips
    the check for circular references (a record is a tree: a cycle raises RecursionError rather
    than ValueError). Where this Python has no C encoder, or it writes other text than
    ``encode``, the plain ``encode`` is returned. The function raises TypeError for a value
    JSON cannot hold and ``default`` does not turn into one.
    """
    plain = json.JSONEncoder(separators=(",", ":"), default=default)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return plain.encode
    try:
        direct = make(None, plain.default, string_json, None, ":", ",", False, False, True)
        probe = {"a": [1, 2.5, None, True, "\u00e9\n"], "b": {}}
        if "".join(direct(probe, 0)) != plain.encode(probe):
            return plain.encode
    except TypeError:  # another signature in another Python
        return plain.encode

    def encode(value: Any) -> str:
        if type(value) is str:
            return string_json(value)
        return "".join(direct(value, 0))

    return encode
