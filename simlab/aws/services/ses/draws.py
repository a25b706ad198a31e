"""SES's deliverability draws, taken a block at a time; the stream left where single draws leave it.

A run of sends takes one to three uniform floats a message from the deliverability generator
(NumPy's ``default_rng``: PCG64). ``Uniforms`` draws a block of floats in one ``random(n)``
call (each one word of the generator's, as a single ``random()`` takes it) and hands them out
in order. ``sync`` gives back the floats not handed out: the generator steps back by as many
words, so it stands exactly where one ``random()`` per float taken would have left it. A
generator has at most one block (``uniforms``), which every run drawing from it shares while
any holds it; code that draws from the generator itself syncs first.
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

#: Words drawn at a time (a run of 50 messages takes about 150).
BLOCK = 128
#: id of a generator -> its block while a run holds it (the block holds the generator, so the
#: id stays the generator's own)
_OPEN: weakref.WeakValueDictionary[int, Uniforms] = weakref.WeakValueDictionary()


class Uniforms:
    """The next uniform floats of ``rng``, drawn ahead a block at a time.

    ``take()`` hands out the next float (``floats.pop``: call ``ready(n)`` first to be sure
    of ``n`` of them); ``random()`` and ``uniform()`` stand in for the generator's own for
    code that takes a generator. ``sync()`` puts back what is left.
    """

    __slots__ = ("rng", "floats", "take", "_random", "_advance", "__weakref__")

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        bits: Any = rng.bit_generator  # PCG64 (``uniforms`` sees to it)
        self._random = rng.random
        self._advance = bits.advance
        #: the floats drawn ahead, the next one last
        self.floats: list[float] = []
        self.take = self.floats.pop

    def ready(self, count: int) -> None:
        """Makes sure at least ``count`` floats are drawn ahead."""
        if len(self.floats) < count:
            self.fill(count)

    def fill(self, count: int = 0) -> None:
        """Draws at least ``count`` more floats (a block) after those in hand."""
        # popped from the end: the block goes in reversed, before those in hand
        self.floats[:0] = self._random(max(count, BLOCK))[::-1].tolist()

    def random(self) -> float:
        """``rng.random()``: the next float."""
        if not self.floats:
            self.fill()
        return self.take()

    def uniform(self, low: float, high: float) -> float:
        """``rng.uniform(low, high)``, drawn by the generator itself (errors and all)."""
        self.sync()
        return float(self.rng.uniform(low, high))

    def sync(self) -> None:
        """Gives the floats not handed out back to the generator."""
        floats = self.floats
        if floats:
            self._advance(-len(floats))
            floats.clear()


class _Direct:
    """``Uniforms`` of a generator that cannot step back: each float drawn when taken."""

    __slots__ = ("rng", "take", "random", "uniform", "floats")

    def __init__(self, rng: Any) -> None:
        self.rng = rng
        self.take = self.random = rng.random
        self.uniform = rng.uniform
        self.floats = _ENOUGH

    def ready(self, count: int) -> None:
        """Nothing to draw ahead."""

    def fill(self, count: int = 0) -> None:
        """Nothing to draw ahead."""

    def sync(self) -> None:
        """Nothing to give back."""


class _Enough(list[float]):
    """Counts as many floats as any caller asks for (``_Direct`` draws each when taken)."""

    def __len__(self) -> int:
        return 1 << 30


_ENOUGH = _Enough()


def uniforms(rng: Any) -> Uniforms:
    """The block of ``rng`` that a run holds, else a new one (``_Direct`` for a generator
    other than NumPy's own on PCG64, or one holding half a 64-bit word for a 32-bit draw).
    Whoever holds it syncs it when done."""
    kept = _OPEN.get(id(rng))
    if kept is not None and kept.rng is rng:
        return kept
    bits = getattr(rng, "bit_generator", None)
    if (
        type(rng) is not np.random.Generator
        or type(bits) is not np.random.PCG64
        or bits.state["has_uint32"]
    ):
        return _Direct(rng)  # type: ignore[return-value]
    block = _OPEN[id(rng)] = Uniforms(rng)
    return block


def sync(rng: Any) -> None:
    """Gives back the floats drawn ahead from ``rng``, if any: before drawing from it directly."""
    kept = _OPEN.get(id(rng))
    if kept is not None and kept.rng is rng:
        kept.sync()
