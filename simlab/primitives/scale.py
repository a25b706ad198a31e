"""Scale presets: how big a run is, named once for notebooks, simulations and the engine.

``SIMLAB_SCALE`` picks one: ``ci`` (seconds, under tests), ``workshop`` (a laptop) or ``full``.
Each layer keeps its own table of sizes keyed by these names.
"""

from __future__ import annotations

import os

#: The scale names, smallest first.
SCALES: tuple[str, ...] = ("ci", "workshop", "full")
#: The environment variable that picks the scale.
ENV = "SIMLAB_SCALE"


class ScaleError(ValueError):
    """A scale name is not one of `SCALES`; the message names the setting and the allowed ones."""


def check_scale(scale: str, field: str = "scale") -> str:
    """Returns ``scale`` if it is one of `SCALES`; raises `ScaleError` naming ``field`` if not."""
    if scale not in SCALES:
        raise ScaleError(f"{field} must be one of {', '.join(SCALES)}; got {scale!r}")
    return scale


def default_scale() -> str:
    """The scale named by ``SIMLAB_SCALE`` (``ci`` under pytest, else ``workshop``).

    Raises `ScaleError` if ``SIMLAB_SCALE`` names no scale.
    """
    scale = os.environ.get(ENV) or ("ci" if "PYTEST_CURRENT_TEST" in os.environ else "workshop")
    return check_scale(scale, ENV)
