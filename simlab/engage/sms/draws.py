"""Seeded uniform draws at the cost of the draw alone.

``Generator.random()`` spends most of its time on its arguments (size, dtype, out) rather than
on the draw; a send makes one to three such draws per message. For NumPy's default generator
(``default_rng``: PCG64) the float it returns is the stream's next 64-bit word, its top 53 bits
scaled by 2**-53 (NumPy's ``next_double``): ``uniform_draws`` makes exactly that from the raw
word, so the same seed gives the same floats and leaves the stream where ``random()`` would.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

#: 2**-53, by which ``next_double`` scales the top 53 bits of a word.
_DOUBLE = 1.0 / 9007199254740992.0


def raw_words(rng: Any) -> Callable[[], int] | None:
    """The stream of 64-bit words ``uniform_draws(rng)`` makes its floats from, each float
    ``(word >> 11) * UNIT``; None for a generator that ``uniform_draws`` asks as it is."""
    if type(rng) is not np.random.Generator or type(rng.bit_generator) is not np.random.PCG64:
        return None
    words: Callable[[], int] = rng.bit_generator.random_raw
    return words


#: What ``uniform_draws`` scales the top 53 bits of a word by.
UNIT = _DOUBLE


def uniform_draws(rng: Any) -> Callable[[], float]:
    """``rng.random`` as a function of no arguments: the same floats from the same stream.

    A generator other than NumPy's own on PCG64 (a subclass, another bit generator, a stand-in)
    is asked each time, as it is.
    """
    if type(rng) is not np.random.Generator or type(rng.bit_generator) is not np.random.PCG64:
        random: Callable[[], float] = rng.random
        return random
    raw = rng.bit_generator.random_raw

    def draw() -> float:
        return (raw() >> 11) * _DOUBLE

    return draw
