"""A fault inside the local AWS answered as AWS answers one: ``InternalFailure`` in the protocol's
own format, never an HTML page or Python exception text. The traceback goes to the log.

The protocol is read off the request as botocore sends it: an ``X-Amz-Target`` header is the JSON
protocol, an ``Action=`` parameter the query protocol (XML answers), anything else REST (JSON
answers with ``x-amzn-ErrorType``, except S3's XML).
"""

from __future__ import annotations

import json
import logging
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from moto.moto_api._internal import mock_random

log = logging.getLogger("simlab.aws")

MESSAGE = "The local AWS met an internal error; the server log has the details."

Answer = tuple[int, dict[str, str], bytes]


def _is_query(url: str, body: bytes) -> bool:
    query = urlsplit(url).query
    if "Action" in parse_qs(query):
        return True
    try:
        return "Action" in parse_qs(body.decode("utf-8", "replace")[:4096])
    except ValueError:
        return False


def internal_failure(url: str, headers: dict[str, str], body: bytes) -> Answer:
    """The 500 answer AWS gives for an internal error, in the request's own protocol."""
    request_id = str(mock_random.uuid4())
    lower = {k.lower(): v for k, v in headers.items()}
    if "x-amz-target" in lower:
        payload = json.dumps({"__type": "InternalFailure", "message": MESSAGE}).encode()
        kind = "application/x-amz-json-1.1"
        return 500, {"Content-Type": kind, "x-amzn-RequestId": request_id}, payload
    if _is_query(url, body):
        xml = (
            "<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code>"
            f"<Message>{escape(MESSAGE)}</Message></Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>"
        )
        return 500, {"Content-Type": "text/xml", "x-amzn-RequestId": request_id}, xml.encode()
    host = urlsplit(url).hostname or lower.get("host", "")
    if ".s3." in f".{host}" or host.startswith("s3"):
        xml = (
            "<Error><Code>InternalError</Code>"
            f"<Message>{escape(MESSAGE)}</Message><RequestId>{request_id}</RequestId></Error>"
        )
        return 500, {"Content-Type": "application/xml"}, xml.encode()
    payload = json.dumps({"message": MESSAGE}).encode()
    return (
        500,
        {
            "Content-Type": "application/json",
            "x-amzn-ErrorType": "InternalFailure",
            "x-amzn-RequestId": request_id,
        },
        payload,
    )


def logged(error: BaseException) -> None:
    """Logs an internal fault with its traceback."""
    log.error("internal error in the local AWS", exc_info=error)
