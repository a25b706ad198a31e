"""Outbound HTTP from the local AWS: loopback only, no redirects, no proxies, short timeouts.

Deliveries that leave the emulator (SNS HTTP/S subscriptions, Firehose HTTP endpoints) run on
worker threads, off the request path and without the state lock, so a slow or stalled endpoint
delays only itself. A failed attempt is retried on the simulated clock, as the service's delivery
policy says. ``simlab`` control routes (``/simlab/...``) are never a delivery target.
"""

from __future__ import annotations

import contextvars
import http.client
import ipaddress
import logging
import ssl
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

#: Seconds a delivery may take to connect and to answer before it counts as failed.
TIMEOUT = 5.0
#: Worker threads for outbound deliveries.
WORKERS = 8


class OutboundRefused(ValueError):
    """A delivery target simlab will not call: not loopback, not http(s), or a control route."""


def check_target(url: str) -> None:
    """Raises OutboundRefused unless ``url`` is an http(s) URL on this machine, off ``/simlab``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise OutboundRefused(f"simlab delivers only to http:// or https:// URLs, not {url!r}")
    host = parts.hostname or ""
    if not _is_loopback(host):
        raise OutboundRefused(
            f"simlab delivers only to this machine (127.0.0.1, localhost, ::1), not {host!r}"
        )
    if parts.path.rstrip("/") == "/simlab" or parts.path.startswith("/simlab/"):
        raise OutboundRefused("simlab's control routes (/simlab/...) are not a delivery target")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float = TIMEOUT) -> int:
    """POSTs ``body`` to ``url`` and returns the HTTP status; a redirect is an answer, not followed.

    Raises OutboundRefused for a target off this machine, OSError (timeouts included) when the
    endpoint cannot be reached or does not answer in time.
    """
    check_target(url)
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        # A learner's local HTTPS endpoint has a self-signed certificate; it is on loopback.
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection = http.client.HTTPSConnection(
            parts.hostname or "", parts.port, timeout=timeout, context=context
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return int(response.status)
    except (http.client.HTTPException, ssl.SSLError) as error:
        raise OSError(f"{url} gave no valid HTTP answer: {error}") from error
    finally:
        connection.close()


@dataclass(frozen=True)
class RetryPolicy:
    """How many times a failed delivery is retried, and how long apart (simulated seconds)."""

    retries: int = 3
    min_delay: float = 20.0
    max_delay: float = 20.0

    def delay(self, retry: int) -> float:
        """The wait before retry number ``retry`` (1-based), rising linearly from min to max."""
        if self.retries <= 1:
            return self.min_delay
        share = (retry - 1) / (self.retries - 1)
        return self.min_delay + (self.max_delay - self.min_delay) * share


class Dispatcher:
    """Runs outbound deliveries on worker threads and knows when none is under way."""

    def __init__(self, workers: int = WORKERS) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="simlab-outbound")
        self._pending = 0
        self._idle = threading.Condition()

    def submit(self, job: Callable[[], None]) -> None:
        """Runs ``job`` on a worker, acting for the caller's account; its exceptions are logged,
        never raised to the caller."""
        context = contextvars.copy_context()
        with self._idle:
            self._pending += 1
        self._pool.submit(self._run, lambda: context.run(job))

    def _run(self, job: Callable[[], None]) -> None:
        try:
            job()
        except Exception:
            log.exception("an outbound delivery failed unexpectedly")
        finally:
            with self._idle:
                self._pending -= 1
                self._idle.notify_all()

    def settle(self, timeout: float = 10.0) -> bool:
        """Waits until no delivery is under way, at most ``timeout`` real seconds; True if none."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)


_dispatcher: Dispatcher | None = None
_dispatcher_lock = threading.Lock()


def dispatcher() -> Dispatcher:
    """The process's one dispatcher, made on first use."""
    global _dispatcher
    with _dispatcher_lock:
        if _dispatcher is None:
            _dispatcher = Dispatcher()
        return _dispatcher
