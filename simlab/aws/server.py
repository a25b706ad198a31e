"""Server mode: moto's HTTP dispatcher plus simlab's own ``/simlab/...`` routes, on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from simlab.aws.state import state

#: A simlab route answers (HTTP status, JSON body) given the JSON body and the query string.
Handler = Callable[[dict[str, Any], dict[str, str]], tuple[int, Any]]
ROUTES: dict[tuple[str, str], Handler] = {}


class RouteError(Exception):
    """A bad request to a ``/simlab`` route; becomes a 400 answer naming the problem."""


def route(method: str, path: str) -> Callable[[Handler], Handler]:
    """Registers ``handler`` for ``method`` on ``/simlab/<path>``."""

    def decorate(handler: Handler) -> Handler:
        ROUTES[(method.upper(), f"/simlab/{path.strip('/')}")] = handler
        return handler

    return decorate


def _clock_json() -> dict[str, Any]:
    clock = state().clock
    return {"now": clock.now().isoformat().replace("+00:00", "Z"), "seconds": clock.seconds}


@route("GET", "clock")
def _get_clock(body: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
    return 200, _clock_json()


@route("POST", "clock")
def _move_clock(body: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
    clock = state().clock
    if ("advance" in body) == ("advance_to" in body):
        raise RouteError("give exactly one of 'advance' (seconds) or 'advance_to' (ISO 8601 time)")
    try:
        if "advance" in body:
            clock.advance(float(body["advance"]))
        else:
            clock.advance_to(str(body["advance_to"]))
    except (TypeError, ValueError) as error:
        raise RouteError(str(error)) from error
    return 200, _clock_json()


@route("GET", "outbox")
def _get_outbox(body: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
    from simlab.engage.outbox import FILTERS

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
    from simlab.aws.local import reset_all

    reset_all()
    return 200, {"status": "reset"}


class SimlabApplication:
    """WSGI app: ``/simlab/...`` to simlab's routes, everything else to moto, one request at a time.

    Requests are served one at a time (a lock) so shared state never sees two writers.
    """

    def __init__(self) -> None:
        self.moto = DomainDispatcherApplication(create_backend_app)
        self.lock = threading.RLock()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        with self.lock:
            if path.startswith("/simlab/"):
                return self._simlab(Request(environ))(environ, start_response)
            return list(self.moto(environ, start_response))

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
        except (RouteError, LookupError) as error:
            return _json(400, {"message": str(error).strip("'\"")})
        return _json(status, payload)


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
    """moto's request handler without a log line per request."""

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
        host, port = self._server.server_address[:2]
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
