"""Requests to simlab's own response classes, handed straight to their handler.

For every request moto's in-process stubber walks its list of ~190 URL patterns, looks the
service's backend up through ``BackendDict`` (which, on every look-up, compares the dict with
every other backend dict in use), rebuilds the backend's URL table and compiles its patterns,
all to find a handler that never changes for a given address. ``answer`` remembers, per request
address, the service and handler moto found, and serves a later request to that address the
way moto would: the same handler, the same normalised request, the same recorder, the same
HTTP errors. It does so only where nothing moto's search does would change anything:

* the address's service is served by a simlab module (``simlab.aws.services.*.urls``);
* the default account's backend for the Region moto would pick already exists (moto's search
  builds it on first use; the first request after a reset goes moto's way and builds it);
* moto's passthrough and whitelist settings say the same as when the route was learned (they
  are asked on every request, as moto does).

Anything else (a new address, another service's, any doubt) returns ``MISS``: the caller asks
moto's stubber, which finds the route the long way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import moto.backend_index as backend_index
from moto.core.config import passthrough_service, passthrough_url, service_whitelisted
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.core.utils import get_equivalent_url_in_aws_domain
from werkzeug.exceptions import HTTPException

from simlab.aws import request_environ

#: Returned when moto's stubber must answer the request itself.
MISS: Any = object()

#: clean URL -> (service, backend class, handler); None: moto's way, always.
_routes: dict[str, tuple[str, type, Callable[..., Any]] | None] = {}
_ROUTES_MAX = 4_096
#: The number of URL patterns the routes were learned with (simlab adds to moto's list).
_patterns_seen = -1


def _default_backend(service: str) -> Any:
    """The backend moto's stubber would take ``service``'s URL table from, if it exists now
    (None otherwise: moto's own look-up would build it)."""
    import moto.backends as backends

    backend_dict = backends.get_backend(service)  # type: ignore[call-overload]
    account = dict.get(backend_dict, DEFAULT_ACCOUNT_ID)
    if account is None:
        return None
    # moto takes us-east-1 when the account has it (made or makeable), else the partition
    if dict.get(account, "us-east-1") is not None:
        return dict.__getitem__(account, "us-east-1")
    return None


def _learn(clean_url: str) -> tuple[str, type, Callable[..., Any]] | None:
    """The route moto's stubber takes for ``clean_url``, if it is simlab's; caches the answer.

    Raises nothing: a route that cannot be learned now is not cached (None, moto's way).
    """
    for service, pattern in backend_index.backend_url_patterns:
        if not pattern.match(clean_url):
            continue
        backend = _default_backend(service)
        if backend is None:
            return None  # moto's look-up builds it: learn it next time
        if not backend._url_module.__name__.startswith("simlab."):
            _routes[clean_url] = None
            return None
        for url, handler in backend.urls.items():
            if re.compile(url).match(clean_url):
                found = (service, type(backend), handler)
                _routes[clean_url] = found
                return found
        return None  # moto goes on to the next pattern: leave it to moto
    return None


def answer(request: Any) -> Any:
    """moto's ``(status, headers, body)`` for ``request``, served straight from its handler;
    ``MISS`` if moto's stubber must find the route itself.

    Raises what the handler raises, as moto's stubber would (an ``HTTPException`` becomes its
    answer).
    """
    global _patterns_seen
    parsed, _ = get_equivalent_url_in_aws_domain(request.url)
    clean_url = f"{parsed.scheme}://{parsed.netloc}{parsed.path}"
    patterns = len(backend_index.backend_url_patterns)
    if patterns != _patterns_seen or len(_routes) >= _ROUTES_MAX:
        _routes.clear()
        _patterns_seen = patterns
    found = _routes[clean_url] if clean_url in _routes else _learn(clean_url)
    if found is None or passthrough_url(clean_url):
        return MISS
    service, backend_class, handler = found
    if passthrough_service(service) or not service_whitelisted(service):
        return MISS
    backend = _default_backend(service)
    if type(backend) is not backend_class:  # not built yet, or another class since
        return MISS
    from moto.moto_api import recorder

    normalized = request_environ.normalized(request)
    try:
        recorder._record_request(normalized)
        return handler(normalized, normalized.raw_url, normalized.headers)
    except HTTPException as error:
        return error.code, error.get_headers(), error.get_body()
