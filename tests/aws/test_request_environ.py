"""An in-process request reaches simlab's handlers as the very request moto would have made:
the same WSGI environ, key for key and in the same order, built without werkzeug's
``EnvironBuilder`` on every call."""

from __future__ import annotations

import io
import sys
from typing import Any

import pytest
from botocore.awsrequest import AWSPreparedRequest
from moto.core.request import normalize_request

from simlab.aws import request_environ

PINPOINT = "https://pinpoint.us-east-1.amazonaws.com/v1/apps/shop/messages"
JSON = {"Content-Type": "application/json", "X-Amz-Date": "20260105T090000Z"}

REQUESTS: dict[str, tuple[str, str, dict[str, Any], Any]] = {
    "a REST/JSON call": ("POST", PINPOINT, {**JSON, "Authorization": "AWS4-HMAC-SHA256 x"}, b"{}"),
    "a query-protocol call, text body": (
        "POST",
        "https://email.us-east-1.amazonaws.com/",
        {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
        "Action=SendEmail&Source=caf%C3%A9%40example.com",
    ),
    "header values given as bytes": ("POST", PINPOINT, {"User-Agent": b"Boto3/1.40"}, b"{}"),
    "a stated length that is not the body's": (
        "POST",
        PINPOINT,
        {**JSON, "Content-Length": "99"},
        b'{"a": 1}',
    ),
    "no content type": ("PUT", PINPOINT, {"X-Amz-Target": "x"}, b"raw"),
    "an encoded path and a query string": (
        "PUT",
        "https://bucket.s3.amazonaws.com/a%2Fb/caf%C3%A9%20x?tagging=&versionId=%2B1",
        {"Content-Type": "text/plain"},
        b"body",
    ),
    "a Host header of its own": ("POST", PINPOINT, {"Host": "localhost:4566"}, b"{}"),
    "metadata whose name keeps its underscore": (
        "PUT",
        "https://bucket.s3.amazonaws.com/key",
        {"x-amz-meta-my_key": "v", "X-Amz-Meta-Other": "w"},
        b"body",
    ),
    "a chunked body, read whole": (
        "POST",
        "http://localhost:5000/v1/apps",
        {"Transfer-Encoding": "chunked", "content-type": "application/json"},
        b"{}",
    ),
    "no body at all": ("GET", PINPOINT + "?page-size=5", {"X-Amz-Date": "x"}, None),
}


def _environ(request: Any) -> list[tuple[str, Any]]:
    """The environ's items in order, the body as its bytes and the request itself left out."""
    return [
        (key, value.getvalue() if key == "wsgi.input" else value)
        for key, value in request.environ.items()
        if key != "werkzeug.request"
    ]


@pytest.mark.parametrize("name", list(REQUESTS))
def test_the_environ_is_the_one_moto_builds(name: str) -> None:
    method, url, headers, body = REQUESTS[name]
    built = request_environ.normalized(AWSPreparedRequest(method, url, headers, body, None))
    moto = normalize_request(AWSPreparedRequest(method, url, headers, body, None))
    assert _environ(built) == _environ(moto)
    assert built.environ["werkzeug.request"] is built
    assert list(built.headers) == list(moto.headers)
    assert (built.data, built.path, built.url, built.args) == (
        moto.data,
        moto.path,
        moto.url,
        moto.args,
    )


def test_a_second_call_to_the_same_address_carries_its_own_headers_and_body() -> None:
    first = request_environ.normalized(
        AWSPreparedRequest("POST", PINPOINT, {**JSON, "X-Amz-Date": "one"}, b'{"n": 1}', None)
    )
    second = request_environ.normalized(
        AWSPreparedRequest("POST", PINPOINT, {"X-Amz-Date": "two"}, b'{"n": 22}', None)
    )
    assert (first.headers["X-Amz-Date"], first.data) == ("one", b'{"n": 1}')
    assert (second.headers["X-Amz-Date"], second.data) == ("two", b'{"n": 22}')
    assert "CONTENT_TYPE" not in second.environ
    assert second.environ["CONTENT_LENGTH"] == "9"


def test_a_header_with_a_line_break_is_refused_as_moto_refuses_it() -> None:
    headers = {"X-Amz-Date": "one\r\nInjected: yes"}
    with pytest.raises(ValueError, match="newline"):
        normalize_request(AWSPreparedRequest("POST", PINPOINT, headers, b"{}", None))
    with pytest.raises(ValueError, match="newline"):
        request_environ.normalized(AWSPreparedRequest("POST", PINPOINT, headers, b"{}", None))


def test_a_request_writes_its_errors_to_the_stream_of_the_moment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    request_environ.normalized(AWSPreparedRequest("POST", PINPOINT, JSON, b"{}", None))
    elsewhere = io.StringIO()
    monkeypatch.setattr(sys, "stderr", elsewhere)
    later = request_environ.normalized(AWSPreparedRequest("POST", PINPOINT, JSON, b"{}", None))
    assert later.environ["wsgi.errors"] is elsewhere
