"""moto's request for an in-process botocore request, its WSGI environ built once per address.

moto turns each in-process request into a werkzeug request through werkzeug's
``EnvironBuilder``: it parses the URL, quotes it, builds a header object, copies and searches it,
about 150 us a call whatever the request carries. Everything in the environ but the headers and
the body depends on the method and the URL alone, so ``normalized`` has moto's own code build
that part once per (method, URL) and fills in the headers and the body as ``EnvironBuilder``
does: the same keys in the same order, the same values. A request it cannot copy that way (no
body, a body that is not bytes or text, a header value that is not text or has a line break)
goes moto's way.
"""

from __future__ import annotations

import sys
from io import BytesIO
from typing import Any

from botocore.awsrequest import AWSPreparedRequest
from moto.core.request import (
    PRESERVED_HEADER_NAMES_ENVIRON_KEY,
    Request,
    environ_key_for_header,
    normalize_request,
    should_preserve_original_header_name,
)

#: (method, URL) -> the environ moto builds for it with no headers and no body.
_bases: dict[tuple[str, str], dict[str, Any]] = {}
_BASES_MAX = 1_024


def normalized(request: Any) -> Request:
    """``moto.core.request.normalize_request(request)``: an equal request, made faster for a
    botocore request with a body. Raises what moto raises."""
    body = request.body
    if type(request) is not AWSPreparedRequest or not body:
        return normalize_request(request)
    if type(body) is str:
        body = body.encode()  # as ``EnvironBuilder`` encodes text data
    elif type(body) is not bytes:
        return normalize_request(request)
    items: list[tuple[str, str]] = []
    for key, value in request.headers.items():
        if type(value) is bytes:
            value = value.decode("utf-8")
        elif type(value) is not str:
            return normalize_request(request)
        if "\n" in value or "\r" in value:  # werkzeug refuses it: let moto's way say so
            return normalize_request(request)
        if key.lower() != "transfer-encoding":  # moto drops it: the body is whole
            items.append((key, value))
    environ = dict(_base(request.method, request.url))
    environ["wsgi.input"] = BytesIO(body)
    environ["wsgi.errors"] = sys.stderr  # the stream of now, as ``EnvironBuilder`` takes it
    content_type = None
    headers: dict[str, list[str]] = {}
    for key, value in items:
        lowered = key.lower()
        if lowered == "content-type":  # an environ key of its own, the first one given
            if content_type is None:
                content_type = value
        elif lowered != "content-length":  # the body's length is counted instead
            headers.setdefault(f"HTTP_{key.upper().replace('-', '_')}", []).append(value)
    if content_type is not None:
        environ["CONTENT_TYPE"] = content_type
    environ["CONTENT_LENGTH"] = str(len(body))
    for name, values in headers.items():
        environ[name] = ", ".join(values)
    found = Request(environ)
    environ[PRESERVED_HEADER_NAMES_ENVIRON_KEY] = {
        environ_key_for_header(key): key
        for key, _ in items
        if should_preserve_original_header_name(key)
    }
    return found


def _base(method: str, url: str) -> dict[str, Any]:
    """The environ moto builds for ``method`` and ``url`` with no headers and no body."""
    key = (method, url)
    base = _bases.get(key)
    if base is None:
        if len(_bases) >= _BASES_MAX:
            _bases.clear()
        environ = Request.from_primitives(method, url, {}, b"").environ
        # what the request and moto added: ``normalized`` adds its own, in the same order
        for name in ("werkzeug.request", PRESERVED_HEADER_NAMES_ENVIRON_KEY, "CONTENT_LENGTH"):
            environ.pop(name, None)
        base = _bases[key] = environ
    return base
