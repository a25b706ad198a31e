"""A run's carrier draws from words drawn a block at a time, the floats NumPy would give.

A text's carrier outcome takes a uniform draw (``Generator.random``) and a standard normal one
(``Generator.standard_normal``), each a call that costs far more than the draw. For NumPy's
default generator (PCG64) both come from the stream's 64-bit words: the uniform is a word's top
53 bits scaled by 2**-53; the normal is NumPy's ziggurat, which takes one word and, for all but
about one draw in a hundred, returns ``rabs * w[idx]`` (``idx`` the word's low byte, then a
sign bit, then 52 bits ``rabs``) when ``rabs < k[idx]``. ``Words`` hands out a block of words
drawn in one call and works the common case out itself; a normal it cannot be sure of it leaves
to NumPy, after putting the stream back to that word.

The tables ``w`` and ``k`` are NumPy's own, read off a private generator once per process
(``ziggurat``): a word whose ``rabs`` is 1 gives ``w[idx]`` exactly, and a normal that took one
word alone took the common path, so a word just under a bound shows that bound holds. The
tables are checked against NumPy's draws before they are used; if they do not match (another
NumPy), there are none and callers draw as before.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

#: PCG64's multiplier (the 128-bit LCG under NumPy's PCG64), and the word masks.
_MULTIPLIER = 0x2360ED051FC65DA44385DF649FCCF645
_M64, _M128 = (1 << 64) - 1, (1 << 128) - 1
#: 52 bits of a word: ``rabs``.
RABS = (1 << 52) - 1
#: 2**-53, by which a uniform draw scales a word's top 53 bits.
DOUBLE = 1.0 / 9007199254740992.0
#: One step back on a PCG64 stream (``advance`` takes the step count modulo 2**128).
_BACK = 1 << 128
#: Normals drawn both ways before the tables are trusted (some twenty of them NumPy's to draw).
_CHECKS = 2_000
#: The most words drawn ahead at once: a normal left to NumPy (about one in a hundred) puts
#: back the words drawn after it.
_BLOCK = 256


class _Probe:
    """A private generator whose next word is set at will."""

    def __init__(self) -> None:
        self.rng = np.random.Generator(np.random.PCG64(0))
        self.state: dict[str, Any] = dict(self.rng.bit_generator.state)
        self.increment: int = self.state["state"]["inc"]
        self.inverse = pow(_MULTIPLIER, -1, 1 << 128)

    def normal(self, word: int) -> tuple[float, bool]:
        """``standard_normal()`` of a stream whose next word is ``word``, and whether it took
        that word alone. PCG64 steps its state, then gives the state's high half xor its low
        half rotated right by the state's top 6 bits: the state after the step is chosen to
        give ``word``, and the state before it is that one stepped back."""
        rotation = 0x2A  # any: the high half of the state, its top 6 bits the rotation
        high = (rotation << 58) | 0x0123456789ABCDE
        folded = ((word << rotation) | (word >> (64 - rotation))) & _M64
        after = (high << 64) | (folded ^ high)
        before = ((after - self.increment) * self.inverse) & _M128
        generator = self.rng.bit_generator
        generator.state = {**self.state, "state": {"state": before, "inc": self.increment}}
        value = float(self.rng.standard_normal())
        return value, generator.state["state"]["state"] == after


def _bound(probe: _Probe, idx: int, guess: int | None) -> int:
    """A bound ``b`` with every ``rabs < b`` of word ``idx`` on the common path: ``guess`` if a
    word just under it shows so, else the largest found by halving (0: none)."""
    if guess is not None and 1 < guess <= RABS and probe.normal(((guess - 1) << 9) | idx)[1]:
        return guess
    low, high = 1, RABS + 1  # common at ``low``; not known to be at ``high``
    if not probe.normal((low << 9) | idx)[1]:
        return 0
    while high - low > 1:
        middle = (low + high) // 2
        if probe.normal((middle << 9) | idx)[1]:
            low = middle
        else:
            high = middle
    return high


@functools.cache
def ziggurat() -> tuple[tuple[float, ...], tuple[int, ...]] | None:
    """NumPy's ziggurat tables ``(w, k)`` as ``Words`` uses them (``k[idx]`` 0: that word is
    always left to NumPy), or None if NumPy's normals are not drawn that way."""
    probe = _Probe()
    w: list[float] = []
    for idx in range(256):
        value, alone = probe.normal((1 << 9) | idx)  # rabs 1, sign 0
        w.append(value if alone else 0.0)
    k = []
    for idx in range(256):
        if not w[idx]:
            k.append(0)
            continue
        # a layer's bound is the ratio of its neighbour's width to its own, in 2**-52 steps
        guess = math.floor(w[idx - 1] / w[idx] * (RABS + 1)) if idx > 1 and w[idx - 1] else None
        k.append(_bound(probe, idx, guess))
    tables = (tuple(w), tuple(k))
    ours, numpys = np.random.default_rng(20261207), np.random.default_rng(20261207)
    words = Words(ours, tables)
    drawn = [words.normal() for _ in range(_CHECKS)]
    words.settle()
    if drawn != numpys.standard_normal(_CHECKS).tolist():
        return None
    if ours.bit_generator.state != numpys.bit_generator.state:
        return None
    return tables


def tables_for(rng: Any) -> tuple[tuple[float, ...], tuple[int, ...]] | None:
    """``ziggurat()`` for NumPy's own generator on PCG64; None for any other."""
    if type(rng) is not np.random.Generator or type(rng.bit_generator) is not np.random.PCG64:
        return None
    return ziggurat()


class Words:
    """The words of ``rng`` (PCG64) drawn ahead, a block at a time: ``words[at:]`` are drawn
    but not yet used. ``settle`` puts the stream back to the first unused word, so that it
    stands where one call per draw would have left it; ``on_ahead``, if given, is called with
    ``settle`` whenever words are drawn ahead (to settle before anyone else draws).
    ``uniform`` and ``normal`` are the plain forms of what a caller may inline."""

    __slots__ = ("words", "at", "_rng", "_raw", "_advance", "_next", "_ahead", "w", "k")

    def __init__(
        self,
        rng: Any,
        tables: tuple[tuple[float, ...], tuple[int, ...]],
        on_ahead: Callable[[Callable[[], None] | None], None] | None = None,
    ) -> None:
        self.words: list[int] = []
        self.at = 0
        self._rng = rng
        self._raw = rng.bit_generator.random_raw
        self._advance = rng.bit_generator.advance
        self._next = 16  # words in the next block: doubled each time, up to ``_BLOCK``
        self._ahead = on_ahead
        self.w, self.k = tables

    def more(self, needed: int) -> list[int]:
        """The words from ``at`` on, at least ``needed`` of them (``at`` is then 0)."""
        count = max(needed, self._next)
        self._next = min(self._next * 2, _BLOCK)
        words: list[int] = self.words[self.at :] + self._raw(count).tolist()
        self.words, self.at = words, 0
        if self._ahead is not None:
            self._ahead(self.settle)
        return words

    def settle(self) -> None:
        """Puts the stream back to the first unused word and forgets the rest."""
        unused = len(self.words) - self.at
        if unused:
            self._advance(_BACK - unused)
        self.words, self.at = [], 0
        if self._ahead is not None:
            self._ahead(None)

    def numpy_normal(self) -> float:
        """NumPy's normal from the word at ``at`` on (the stream put back there first); no
        words are left ahead after it."""
        self.settle()
        return float(self._rng.standard_normal())

    def uniform(self) -> float:
        """``rng.random()``."""
        if self.at >= len(self.words):
            self.more(1)
        word = self.words[self.at]
        self.at += 1
        return (word >> 11) * DOUBLE

    def normal(self) -> float:
        """``rng.standard_normal()``."""
        if self.at >= len(self.words):
            self.more(1)
        word = self.words[self.at]
        idx, rabs = word & 0xFF, (word >> 9) & RABS
        if rabs < self.k[idx]:
            self.at += 1
            value = rabs * self.w[idx]
            return -value if word & 0x100 else value
        return self.numpy_normal()
