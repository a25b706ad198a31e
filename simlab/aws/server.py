"""Server mode: moto's HTTP dispatcher plus simlab's own ``/simlab/...`` routes, on 127.0.0.1.

Many clients at once: each request's body is read, and its answer written, outside the state
lock; only the processing holds it, and a long poll releases it while it waits. A client that
stalls mid-request delays only itself, and is dropped after ``REQUEST_TIMEOUT`` seconds.
"""

from __future__ import annotations

import io
import json
import math
import socket
import sys
import threading
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask import Flask
from moto.backends import SERVICE_NAMES, list_of_moto_modules
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response
from werkzeug.wsgi import get_current_url, get_input_stream

from simlab.aws import faults
from simlab.aws.locking import LOCK
from simlab.aws.state import current_account, state
from simlab.room.accounts import Instructor
from simlab.room.entry import (
    Admission,
    acting_for,
    admit,
    current_room,
    is_instructor,
    record,
)
from simlab.room.gate import operation

#: Seconds a client may take to send a request before its connection is dropped.
REQUEST_TIMEOUT = 30.0

#: A simlab route answers (HTTP status, JSON body) given the JSON body and the query string.
Handler = Callable[[dict[str, Any], dict[str, str]], tuple[int, Any]]
ROUTES: dict[tuple[str, str], Handler] = {}


class RouteError(Exception):
    """A bad request to a ``/simlab`` route; becomes a 400 answer naming the problem."""


class Forbidden(RouteError):
    """A ``/simlab`` route the caller may not use (in a room, the instructor's); a 403 answer."""


def require_instructor(what: str) -> None:
    """Raises Forbidden unless the caller may act for the whole room (always, outside one)."""
    if not is_instructor():
        raise Forbidden(
            f"{what} is the instructor's in a workshop room; sign with the instructor key"
        )


def route(method: str, path: str) -> Callable[[Handler], Handler]:
    """Registers ``handler`` for ``method`` on ``/simlab/<path>``."""

    def decorate(handler: Handler) -> Handler:
        ROUTES[(method.upper(), f"/simlab/{path.strip('/')}")] = handler
        return handler

    return decorate


@route("GET", "clock")
def _get_clock(body: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
    return 200, state().clock.describe()


@route("POST", "clock")
def _move_clock(body: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
    require_instructor("moving the room's clock")
    clock = state().clock
    if ("advance" in body) == ("advance_to" in body):
        raise RouteError("give exactly one of 'advance' (seconds) or 'advance_to' (ISO 8601 time)")
    if "advance" in body:
        seconds = body["advance"]
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            raise RouteError("'advance' must be a number of seconds")
        if not math.isfinite(seconds) or seconds < 0:
            raise RouteError("'advance' must be a finite, non-negative number of seconds")
    elif not isinstance(body["advance_to"], str):
        raise RouteError("'advance_to' must be an ISO 8601 time such as 2026-01-06T09:00:00Z")
    try:
        if "advance" in body:
            clock.advance(float(body["advance"]))
        else:
            clock.advance_to(body["advance_to"])
    except (TypeError, ValueError, OverflowError) as error:
        raise RouteError(str(error)) from error
    return 200, clock.describe()


@route("GET", "outbox")
def _get_outbox(body: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
    from simlab.engage.outbox_reads import FILTERS

    criteria = {k: v for k, v in query.items() if k not in ("limit", "after")}
    unknown = set(criteria) - set(FILTERS)
    if unknown:
        allowed = sorted({*FILTERS, "limit", "after"})
        raise RouteError(f"unknown filter {sorted(unknown)}; allowed: {allowed}")
    try:
        limit, after = int(query.get("limit", 1000)), int(query.get("after", 0))
    except ValueError as error:
        raise RouteError("limit and after must be whole numbers") from error
    try:
        page = state().outbox.page(limit=limit, after=after, **criteria)
    except ValueError as error:
        raise RouteError(str(error)) from error
    return 200, page.to_json()


@route("GET", "health")
def _health(body: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
    return 200, {"status": "ok"}


@route("POST", "reset")
def _reset(body: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
    """Resets everything outside a room; in one, the caller's account (``{"room": true}``:
    the instructor resets every account and the clock)."""
    from simlab.aws.local import reset_account, reset_all

    if current_room() is None:
        reset_all()
        return 200, {"status": "reset"}
    if body.get("room") is True:
        require_instructor("resetting the whole room")
        reset_all()
        return 200, {"status": "reset", "scope": "room"}
    account = current_account()
    reset_account(account)
    return 200, {"status": "reset", "scope": "account", "account": account}


class Dispatcher(DomainDispatcherApplication):
    """moto's dispatcher, which lists moto's package folder once instead of on every request."""

    modules = frozenset(list_of_moto_modules())

    def get_backend_for_host(self, host: str | None) -> Any:
        """The backend a request's host names, as moto decides it; None if none does."""
        if host is None:
            return None
        if host == "moto_api" or host in self.modules:
            return host
        for backend, pattern in self.backend_url_patterns:
            if pattern.match(f"http://{host}"):
                return backend
        return None


def _propagating_app(service: SERVICE_NAMES) -> Flask:
    """moto's Flask app for ``service``, letting faults reach ``SimlabApplication``.

    Flask would answer them with an HTML page; the local AWS answers as AWS does.
    """
    app = create_backend_app(service)
    app.config["PROPAGATE_EXCEPTIONS"] = True
    return app


class SimlabApplication:
    """WSGI app: ``/simlab/...`` to simlab's routes, everything else to moto.

    The body is read before, and the answer written after, the state lock is taken, so only the
    processing of requests is serialised; ``GET /simlab/health`` takes no lock at all.
    """

    def __init__(self) -> None:
        self.moto = Dispatcher(_propagating_app)

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        body = _buffer_body(environ)
        path = environ.get("PATH_INFO", "")
        if path == "/simlab/health":
            return _json(200, {"status": "ok"})(environ, start_response)
        admission = None
        if current_room() is not None:
            admission = self._admit(environ, body, path)
            if admission.refusal is not None:
                status, headers, reply = admission.refusal
                start_response(f"{status} {HTTPStatus(status).phrase}", list(headers.items()))
                return [reply]
        with acting_for(admission.who if admission else None):
            return self._serve(environ, start_response, body, path)

    def _admit(self, environ: dict[str, Any], body: bytes, path: str) -> Admission:
        """Admits a request to the open room; stamps its account for moto's services."""
        headers = _request_headers(environ)
        control = path.startswith("/simlab/")
        query = environ.get("QUERY_STRING", "")
        admission = admit(headers, body, query, path, control=control)
        if admission.who is None:
            return admission
        if path.startswith("/moto-api") and not isinstance(admission.who, Instructor):
            reply = json.dumps({"message": "moto's own API is the instructor's in a room"})
            return Admission(None, (403, {"Content-Type": "application/json"}, reply.encode()))
        if control and isinstance(admission.who, Instructor) and "account=" in query:
            return self._on_behalf(environ, admission)
        environ["HTTP_X_MOTO_ACCOUNT_ID"] = admission.who.account_id  # moto's services read it
        return admission

    def _on_behalf(self, environ: dict[str, Any], admission: Admission) -> Admission:
        """The instructor reads an attendee's control routes with ``?account=<id or name>``."""
        room = current_room()
        pairs = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        wanted = next(value for key, value in pairs if key == "account")
        environ["QUERY_STRING"] = urlencode([(k, v) for k, v in pairs if k != "account"])
        try:
            attendee = room.attendee(wanted) if room is not None else None
        except KeyError:
            reply = json.dumps({"message": f"no attendee {wanted!r} in this room"}).encode()
            return Admission(None, (400, {"Content-Type": "application/json"}, reply))
        return Admission(attendee)

    def _serve(
        self,
        environ: dict[str, Any],
        start_response: Callable[..., Any],
        body: bytes,
        path: str,
    ) -> Iterable[bytes]:
        seen: dict[str, Any] = {}

        def watching(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)
            return start_response(status, headers, *args)

        with LOCK:
            try:
                if path.startswith("/simlab/"):
                    answer = self._simlab(Request(environ))(environ, watching)
                else:
                    answer = list(self.moto(environ, watching))
            except Exception as error:
                faults.logged(error)
                status, reply_headers, reply = faults.internal_failure(
                    get_current_url(environ), _request_headers(environ), body
                )
                watching(
                    f"{status} Internal Server Error", list(reply_headers.items()), sys.exc_info()
                )
                answer = [reply]
            if current_room() is not None and not path.startswith("/simlab/"):
                headers = _request_headers(environ)
                query = environ.get("QUERY_STRING", "")
                name = operation(headers, body, query, environ.get("REQUEST_METHOD", ""), path)
                status = seen.get("status", 200)
                reply = b"".join(answer) if status >= 400 else b""  # only an error is read
                record(name, status, seen.get("headers", {}), reply)
            state().clock.changed.notify_all()  # a long poll may now find what it waits for
        return answer

    def _simlab(self, request: Request) -> Response:
        handler = ROUTES.get((request.method, request.path))
        if handler is None:
            known = sorted(f"{m} {p}" for m, p in ROUTES)
            return _json(
                404, {"message": f"no route {request.method} {request.path}; known: {known}"}
            )
        try:
            body = json.loads(request.get_data() or b"{}")
            if not isinstance(body, dict):
                raise RouteError("the request body must be a JSON object")
            status, payload = handler(body, dict(request.args))
        except json.JSONDecodeError as error:
            return _json(400, {"message": f"the request body is not JSON: {error}"})
        except UnicodeDecodeError:
            return _json(400, {"message": "the request body is not UTF-8 text"})
        except Forbidden as error:
            return _json(403, {"message": str(error)})
        except (RouteError, LookupError) as error:
            return _json(400, {"message": str(error).strip("'\"")})
        return _json(status, payload)


def _request_headers(environ: dict[str, Any]) -> dict[str, str]:
    """The request's headers from a WSGI environ, named as sent (``X-Amz-Target``)."""
    headers = {
        key[5:].replace("_", "-").title(): value
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    if environ.get("CONTENT_TYPE"):
        headers["Content-Type"] = environ["CONTENT_TYPE"]
    return headers


def _buffer_body(environ: dict[str, Any]) -> bytes:
    """Reads the whole request body now, so nothing reads the socket while holding the lock."""
    body: bytes = get_input_stream(environ).read()
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    environ["wsgi.input_terminated"] = False
    return body


def _json(status: int, payload: Any) -> Response:
    return Response(json.dumps(payload), status=status, mimetype="application/json")


def _check_free(host: str, port: int) -> None:
    """Raises OSError(EADDRINUSE) if ``port`` is taken (werkzeug would exit the process)."""
    if port == 0:
        return
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


class QuietRequestHandler(MotoRequestHandler):
    """moto's request handler without a log line per request; a stalled client times out.

    What the HTTP layer refuses before any service sees it (a request line over 64 KiB, a
    malformed request) is answered in JSON with ``x-amzn-ErrorType``, which botocore parses,
    instead of an HTML page.
    """

    timeout = REQUEST_TIMEOUT

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answers an HTTP-level refusal as an AWS-shaped JSON error."""
        short, long = self.responses.get(code, ("Error", "The request was refused."))
        error_type = "".join(ch for ch in short.title() if ch.isalnum())  # RequestUriTooLong
        body = json.dumps({"__type": error_type, "message": explain or long}).encode()
        self.log_error("code %d, message %s", code, message or short)
        self.send_response(code, message or short)
        self.send_header("Connection", "close")
        self.send_header("Content-Type", "application/json")
        self.send_header("x-amzn-ErrorType", error_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and code >= 200 and code not in (204, 304):
            self.wfile.write(body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class Server:
    """The local AWS over HTTP on ``host:port`` (a free port when ``port`` is 0), in a thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        _check_free(host, port)
        self._server: BaseWSGIServer = make_server(
            host, port, SimlabApplication(), threaded=True, request_handler=QuietRequestHandler
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def endpoint_url(self) -> str:
        """The URL to give boto3 as ``endpoint_url`` and the AWS CLI as ``--endpoint-url``."""
        host, port = self._server.socket.getsockname()[:2]
        return f"http://{host}:{port}"

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> Server:
        """Starts serving in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stops serving and frees the port."""
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()


from simlab.room import routes as _room_routes  # noqa: E402,F401  (registers /simlab/room/...)
