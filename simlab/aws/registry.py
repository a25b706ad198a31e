"""How simlab adds to moto: the two extension points, registered the way moto registers services.

* ``extend(service, backend_cls)``: moto builds our subclass of its own backend for a service it
  has (SES, SNS, Pinpoint ...). The subclass lives in ``<package>.models`` next to a
  ``<package>.urls`` module whose ``url_bases``/``url_paths`` moto then routes, in-process and in
  server mode alike, so our response class answers every request for that service.
* ``add_service(name, module, url_bases)``: a service moto lacks (``pinpoint-sms-voice-v2``).
  ``moto.backends.get_backend(name)`` resolves to ``module.<name without dashes>_backends`` and
  requests whose URL matches ``url_bases`` reach it.

Either way the backend is a moto ``BackendDict``, so ``mock_aws`` and ``LocalAWS.reset`` wipe it.
Every extension point has a contract test in ``tests/aws/test_registry.py``.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
import threading
from collections.abc import Callable
from types import ModuleType
from typing import Any

import moto.backend_index as backend_index
import moto.backends as moto_backends
from moto.core.base_backend import BackendDict, BaseBackend

#: The class moto itself builds for each service we extend, kept for contract tests.
ORIGINAL_BACKENDS: dict[str, type[BaseBackend]] = {}
#: The services we add, with the URL bases that reach them.
ADDED_SERVICES: dict[str, list[str]] = {}
#: Learner-facing helpers reachable as ``aws.<name>`` on an open ``LocalAWS``.
FACADES: dict[str, Callable[[Any], Any]] = {}

_installed = False
_lock = threading.Lock()


def extend(service: str, backend_cls: type[BaseBackend]) -> None:
    """Makes moto build ``backend_cls`` for ``service``; it must subclass moto's own backend."""
    backends = moto_backends.get_backend(service)  # type: ignore[call-overload]
    original = ORIGINAL_BACKENDS.setdefault(service, backends.backend)
    if not issubclass(backend_cls, original):
        raise TypeError(f"{backend_cls.__name__} must subclass moto's {original.__name__}")
    if backends.backend is not backend_cls:
        backends.backend = backend_cls
        backends.clear()  # instances built from the old class are dropped


def add_service(name: str, module: ModuleType, url_bases: list[str]) -> None:
    """Registers ``module`` as the moto backend of ``name``, reached by ``url_bases``."""
    attribute = f"{name.replace('-', '')}_backends"
    if not isinstance(getattr(module, attribute, None), BackendDict):
        raise TypeError(f"{module.__name__} must define a BackendDict named {attribute}")
    sys.modules[f"moto.{name.replace('-', '')}"] = module
    if name not in ADDED_SERVICES:
        patterns = [(name, re.compile(base)) for base in url_bases]
        backend_index.backend_url_patterns[:0] = patterns
        ADDED_SERVICES[name] = list(url_bases)


def facade(name: str, factory: Callable[[Any], Any]) -> None:
    """Makes ``factory(local_aws)`` reachable as ``aws.<name>`` (e.g. ``aws.sms.reply(...)``)."""
    FACADES[name] = factory


def install() -> None:
    """Calls ``register()`` of every package under ``simlab.aws.services``; idempotent."""
    global _installed
    with _lock:
        if _installed:
            return
        import simlab.aws.services as services

        for info in sorted(pkgutil.iter_modules(services.__path__), key=lambda i: i.name):
            module = importlib.import_module(f"{services.__name__}.{info.name}")
            register = getattr(module, "register", None)
            if callable(register):
                register()
        _installed = True
