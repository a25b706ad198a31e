"""The one lock around the local AWS's state, and how requests take it.

Every request (in-process through botocore, or over HTTP) is processed while holding ``LOCK``;
reading the request and writing the answer happen outside it, and so do outbound deliveries.
Anything that waits (an SQS long poll, a live clock) waits on the clock's condition, which
releases the lock meanwhile, so other clients go on being served.
"""

from __future__ import annotations

import re
import threading
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from botocore.handlers import BUILTIN_HANDLERS

from simlab.aws import direct_routes
from simlab.engage.batch_gc import older_objects_frozen

#: Guards moto's backends and simlab's state; re-entrant, so a handler may call another.
LOCK = threading.RLock()


class LockedStubber:
    """moto's in-process stubber, called while holding ``LOCK``; a request to an address of
    simlab's own services that moto has routed before goes straight to its handler
    (``direct_routes``), answered as moto's stubber would. A request is one batch
    (``older_objects_frozen``): what it leaves behind is collected when it ends.

    A fault inside the local AWS comes back as AWS's ``InternalFailure`` answer, not as a
    Python exception in the caller's code; its traceback goes to the log.
    """

    def __init__(self, stubber: Any) -> None:
        self.stubber = stubber

    def __call__(self, event_name: str, request: Any, **kwargs: Any) -> Any:
        if not self.stubber.enabled:
            return None
        from simlab.room import entry

        if entry.current_room() is None:
            return self._answer(event_name, request, **kwargs)
        return _in_room(self, event_name, request, **kwargs)

    def _answer(self, event_name: str, request: Any, **kwargs: Any) -> Any:
        _bucket_in_path(request)
        with LOCK, older_objects_frozen():
            try:
                found = direct_routes.answer(request)
                if found is direct_routes.MISS:
                    return self.stubber(event_name, request, **kwargs)
                return _response(request, *found)
            except Exception as error:
                return _internal_failure(request, error)


#: A virtual-hosted S3 address: ``https://<bucket>.s3[.<region>].amazonaws.com/<key>``.
_VIRTUAL_HOSTED = re.compile(
    r"^(?P<bucket>[a-z0-9][a-z0-9.-]*)\.(?P<host>s3[.-][a-z0-9.-]*amazonaws\.com)$"
)


def _bucket_in_path(request: Any) -> None:
    """Moves a virtual-hosted S3 bucket into the path when its name would be taken for another
    service's address (moto reads ``events.s3.amazonaws.com`` as EventBridge): a bucket called
    ``events`` or ``logs`` is as good as any other on AWS."""
    from moto import backend_index

    parts = urlsplit(request.url)
    found = _VIRTUAL_HOSTED.match(parts.hostname or "")
    if found is None:
        return
    clean = f"{parts.scheme}://{parts.netloc}{parts.path}"
    first = next((name for name, p in backend_index.backend_url_patterns if p.match(clean)), None)
    if first == "s3":
        return
    netloc = found["host"] if parts.port is None else f"{found['host']}:{parts.port}"
    path = f"/{found['bucket']}{parts.path or '/'}"
    request.url = urlunsplit((parts.scheme, netloc, path, parts.query, parts.fragment))


def _in_room(stubber: LockedStubber, event_name: str, request: Any, **kwargs: Any) -> Any:
    """Serves a request in a workshop room: for its key's account, or AWS's refusal."""
    from botocore.awsrequest import AWSResponse
    from moto.core.botocore_stubber import MockRawResponse

    from simlab.room import entry, gate

    parts = urlsplit(request.url)
    body = _body_bytes(request)
    headers = {key: _text(value) for key, value in request.headers.items()}
    admission = entry.admit(headers, body, parts.query, parts.path)
    if admission.refusal is not None:
        status, reply_headers, reply = admission.refusal
        return AWSResponse(request.url, status, reply_headers, MockRawResponse(reply))
    if admission.who is not None:
        request.headers["x-moto-account-id"] = admission.who.account_id  # the key says which
    with entry.acting_for(admission.who):
        response = stubber._answer(event_name, request, **kwargs)
        if response is not None:
            # only an error's body is read here: a streamed answer (S3 GetObject) stays unread
            failed = response.status_code >= 400
            with LOCK:
                name = gate.operation(headers, body, parts.query, request.method, parts.path)
                reply = response.content if failed else b""
                entry.record(name, response.status_code, response.headers, reply)
    return response


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _body_bytes(request: Any) -> bytes:
    body = request.body or b""
    if isinstance(body, str):
        return body.encode()
    return body if isinstance(body, bytes) else b""


def _response(request: Any, status: int, headers: Any, body: Any) -> Any:
    """The answer botocore reads, as moto's stubber wraps it."""
    from botocore.awsrequest import AWSResponse
    from moto.core.botocore_stubber import MockRawResponse

    return AWSResponse(request.url, status, headers, MockRawResponse(body))


def _internal_failure(request: Any, error: Exception) -> Any:
    from botocore.awsrequest import AWSResponse
    from moto.core.botocore_stubber import MockRawResponse

    from simlab.aws import faults

    faults.logged(error)
    body = _body_bytes(request)
    status, headers, reply = faults.internal_failure(request.url, dict(request.headers), body)
    return AWSResponse(request.url, status, headers, MockRawResponse(reply))


def _moto_stubber() -> Any:
    from moto.core.models import botocore_stubber

    return botocore_stubber


def install() -> None:
    """Makes botocore sessions created from now on serve moto's answers under ``LOCK``."""
    stubber = _moto_stubber()
    for index, entry in enumerate(BUILTIN_HANDLERS):
        if entry[0] == "before-send" and entry[1] is stubber:
            BUILTIN_HANDLERS[index] = ("before-send", LockedStubber(stubber))


def uninstall() -> None:
    """Gives botocore moto's own stubber back (plain moto behaves as plain moto)."""
    for index, entry in enumerate(BUILTIN_HANDLERS):
        if entry[0] == "before-send" and isinstance(entry[1], LockedStubber):
            BUILTIN_HANDLERS[index] = ("before-send", entry[1].stubber)
