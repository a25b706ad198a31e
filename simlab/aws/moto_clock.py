"""Makes moto's own timestamps follow the simulated clock while a local AWS is open.

moto reads the time through ``moto.core.utils.utcnow``, which its modules import by name. We
keep that function object and swap its code for a call to ``_simlab_utcnow``, injected into the
same module, so every importer sees simulated time. ``LocalAWS`` installs the hook when the
first local AWS opens and uninstalls it when the last one closes, so plain moto in the same
process reads the wall clock through its own code again.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable

import moto.core.utils as moto_utils

_original_code = moto_utils.utcnow.__code__
_source: Callable[[], _dt.datetime] | None = None


def _simlab_utcnow() -> _dt.datetime:
    now: _dt.datetime = _simlab_now()  # type: ignore[name-defined]  # noqa: F821 - in moto.core.utils
    return now


def _now() -> _dt.datetime:
    source = _source
    if source is None:
        return _dt.datetime.now(_dt.UTC).replace(tzinfo=None)
    return source()


def install() -> None:
    """Routes ``moto.core.utils.utcnow`` through simlab; idempotent."""
    moto_utils._simlab_now = _now  # type: ignore[attr-defined]
    moto_utils.utcnow.__code__ = _simlab_utcnow.__code__


def follow(source: Callable[[], _dt.datetime] | None) -> None:
    """Makes moto's time ``source()`` (a naive UTC datetime), or the wall clock when None."""
    global _source
    _source = source


def uninstall() -> None:
    """Gives ``utcnow`` its own code back and takes simlab's name out of moto's module."""
    moto_utils.utcnow.__code__ = _original_code
    moto_utils.__dict__.pop("_simlab_now", None)
