"""Who a request comes from, and AWS's own answer when a room does not know its key.

Requests enter the local AWS in two places (the HTTP server and the in-process stubber); both ask
``identify`` for the access key's owner, then act for that account. A key the room does not know
is refused the way AWS refuses it in that protocol, so botocore raises the usual ClientError:

* query APIs (SNS, SES v1, STS ...): HTTP 403, ``InvalidClientTokenId`` in an ``ErrorResponse``;
* JSON APIs (``X-Amz-Target``: SQS, Firehose, End User Messaging SMS ...): HTTP 400,
  ``UnrecognizedClientException``;
* REST-JSON APIs (Pinpoint, SES v2 ...): HTTP 403, ``UnrecognizedClientException`` in
  ``x-amzn-ErrorType``;
* S3: HTTP 403, ``InvalidAccessKeyId``.

A request with no credentials at all gets ``MissingAuthenticationToken`` (S3: ``AccessDenied``).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

#: The access key id in a SigV4 ``Authorization`` header (or the SigV2 ``AWS key:signature``).
_CREDENTIAL = re.compile(r"Credential=([^/\s,]+)/[^/]*/[^/]*/([^/\s,]+)/")
_SIGV2 = re.compile(r"^AWS ([^:\s]+):")

INVALID_TOKEN = "The security token included in the request is invalid."
MISSING_TOKEN = "Request is missing Authentication Token"
S3_UNKNOWN_KEY = "The AWS Access Key Id you provided does not exist in our records."


@dataclass(frozen=True)
class Caller:
    """What a request says about its sender: the access key id and the signing service."""

    access_key_id: str | None
    service: str | None


def caller(headers: Mapping[str, str], query: str = "") -> Caller:
    """Reads the access key id and signing service from the headers or a presigned query."""
    authorization = _header(headers, "Authorization")
    if authorization:
        match = _CREDENTIAL.search(authorization)
        if match:
            return Caller(match.group(1), match.group(2))
        match = _SIGV2.match(authorization)
        if match:
            return Caller(match.group(1), "s3")
    if query:
        params = parse_qs(query)
        credential = (params.get("X-Amz-Credential") or [""])[0]
        if credential:
            parts = credential.split("/")
            return Caller(parts[0], parts[3] if len(parts) > 3 else None)
        if params.get("AWSAccessKeyId"):
            return Caller(params["AWSAccessKeyId"][0], "s3")
    return Caller(None, None)


def protocol(headers: Mapping[str, str], body: bytes, query: str, service: str | None) -> str:
    """The protocol a request speaks: ``json``, ``query``, ``s3`` or ``rest-json``."""
    if _header(headers, "X-Amz-Target"):
        return "json"
    if service == "s3":
        return "s3"
    content_type = _header(headers, "Content-Type") or ""
    if "x-www-form-urlencoded" in content_type or "Action=" in query:
        return "query"
    return "rest-json"


def refusal(
    headers: Mapping[str, str], body: bytes, query: str = ""
) -> tuple[int, dict[str, str], bytes]:
    """AWS's answer to a request whose key is unknown (or missing): status, headers, body."""
    who = caller(headers, query)
    kind = protocol(headers, body, query, who.service)
    request_id = str(uuid.uuid4())
    missing = who.access_key_id is None
    if kind == "s3":
        code, message = (
            ("AccessDenied", "Access Denied")
            if missing
            else (
                "InvalidAccessKeyId",
                S3_UNKNOWN_KEY,
            )
        )
        key = (
            "" if missing else f"<AWSAccessKeyId>{escape(who.access_key_id or '')}</AWSAccessKeyId>"
        )
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{code}</Code><Message>{message}</Message>{key}"
            f"<RequestId>{request_id}</RequestId></Error>"
        )
        return 403, _headers("application/xml", request_id), xml.encode()
    token_code = "MissingAuthenticationToken" if missing else None
    message = MISSING_TOKEN if missing else INVALID_TOKEN
    if kind == "query":
        xml = (
            "<ErrorResponse><Error><Type>Sender</Type>"
            f"<Code>{token_code or 'InvalidClientTokenId'}</Code><Message>{message}</Message>"
            f"</Error><RequestId>{request_id}</RequestId></ErrorResponse>"
        )
        return 403, _headers("text/xml", request_id), xml.encode()
    error_type = token_code or "UnrecognizedClientException"
    reply = {"__type": error_type, "message": message}
    reply_headers = _headers("application/x-amz-json-1.1", request_id)
    reply_headers["x-amzn-ErrorType"] = error_type
    status = 400 if kind == "json" and not missing else 403
    if kind == "rest-json":
        reply_headers["Content-Type"] = "application/json"
    return status, reply_headers, json.dumps(reply).encode()


def error_code(status: int, headers: Mapping[str, str], body: bytes) -> tuple[str, str] | None:
    """The AWS error code and message of an answer, or None if it is not an error."""
    if status < 400:
        return None
    code = (_header(headers, "x-amzn-ErrorType") or "").split(":")[0]
    message = ""
    text = body[:4096].decode("utf-8", "replace")
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            data = {}
        if isinstance(data, dict):
            code = code or str(data.get("__type") or data.get("code") or "").split("#")[-1]
            message = str(data.get("message") or data.get("Message") or "")
    else:
        found = re.search(r"<Code>([^<]+)</Code>", text)
        code = code or (found.group(1) if found else "")
        said = re.search(r"<Message>([^<]*)</Message>", text)
        message = said.group(1) if said else ""
    return (code or f"HTTP{status}", message[:300])


def operation(headers: Mapping[str, str], body: bytes, query: str, method: str, path: str) -> str:
    """A short name of the operation a request calls (for the instructor's error list)."""
    target = _header(headers, "X-Amz-Target")
    if target:
        return target.rsplit(".", 1)[-1]
    for source in (query, body[:2048].decode("utf-8", "replace")):
        action = parse_qs(source).get("Action")
        if action:
            return action[0]
    return f"{method} {path}"


#: SNS's signing certificate, which subscribers fetch without credentials.
_CERTIFICATE = re.compile(r"SimpleNotificationService-[0-9a-f]+\.pem")


def is_certificate(path: str) -> bool:
    """True for SNS's signing certificate, which AWS serves without credentials."""
    return bool(_CERTIFICATE.fullmatch(path.lstrip("/")))


def confirming_account(body: bytes, query: str) -> str | None:
    """The topic's account of an SNS ``ConfirmSubscription`` (which needs no credentials)."""
    for source in (query, body[:4096].decode("utf-8", "replace")):
        params = parse_qs(source)
        if (params.get("Action") or [""])[0] == "ConfirmSubscription":
            parts = (params.get("TopicArn") or [""])[0].split(":")
            return parts[4] if len(parts) > 5 and parts[2] == "sns" else None
    return None


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value: object = headers.get(name)
    if value is None:
        lowered = name.lower()
        for key, item in headers.items():
            if key.lower() == lowered:
                return str(item)
        return None
    return value.decode() if isinstance(value, bytes) else str(value)


def _headers(content_type: str, request_id: str) -> dict[str, str]:
    return {"Content-Type": content_type, "x-amzn-RequestId": request_id}
