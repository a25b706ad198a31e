"""How many leading digits a regular expression looks at, for strings of ASCII digits.

``decided_by(pattern)`` is the number of leading characters past which the pattern accepts any
digit wherever it is: two digit strings of one length that agree on those characters are both
matched whole, or neither, by every alternative of the pattern. A numbering plan's region
patterns look at an area code and a few digits after it; the rest of a number is any digit,
so a number's region is known from its first few digits and its length.
"""

from __future__ import annotations

import importlib
import math
import re
from collections.abc import Sequence
from typing import Any

#: The standard library's parser of regular expressions, as ``re.compile`` uses it.
_parser: Any = importlib.import_module("re._parser")
_c: Any = importlib.import_module("re._constants")
#: ... and its compiler, which takes a parsed pattern as well as a string.
_compiler: Any = importlib.import_module("re._compiler")

#: Character sets that accept any ASCII digit: ``\d`` and ``[0-9]``.
_ANY_DIGIT = ([(_c.CATEGORY, _c.CATEGORY_DIGIT)], [(_c.RANGE, (48, 57))])


def decided_by(pattern: str) -> int | None:
    """The leading characters of a digit string ``pattern`` may look at; None if it may look
    at any (an unbounded repeat of something narrower than a digit, a construct not read here).
    """
    return _depth(_parser.parse(pattern))


def compiled(pattern: str) -> tuple[re.Pattern[str], int | None]:
    """``re.compile(pattern)`` (uncached, its ``pattern`` attribute None) and
    ``decided_by(pattern)``, the pattern parsed once for both: parsing is most of the cost of
    either, and a numbering plan's patterns are long."""
    tree = _parser.parse(pattern)
    depth = _depth(tree)  # before compiling, which reads the same tree
    return _compiler.compile(tree), depth


def _depth(tree: Any) -> int | None:
    """``decided_by`` of a parsed pattern."""
    try:
        _, high, deepest = _walk(tree, 0, 0)
    except (TypeError, ValueError, AttributeError):  # a parse tree of an unexpected shape
        return None
    return None if math.isinf(deepest) else int(deepest)


def _walk(items: Sequence[Any], low: float, high: float) -> tuple[float, float, float]:
    """The items read from a position in [``low``, ``high``]: (lowest end, highest end, the
    position past the last character a narrower-than-digit item may look at)."""
    deepest = 0.0
    for op, arg in items:
        if op is _c.IN and list(arg) in _ANY_DIGIT:
            low, high = low + 1, high + 1
        elif op in (_c.IN, _c.LITERAL, _c.NOT_LITERAL, _c.ANY):
            deepest = max(deepest, high + 1)
            low, high = low + 1, high + 1
        elif op is _c.SUBPATTERN:
            low, high, inner = _walk(arg[-1], low, high)
            deepest = max(deepest, inner)
        elif op is _c.BRANCH:
            ends = [_walk(branch, low, high) for branch in arg[1]]
            low, high = min(e[0] for e in ends), max(e[1] for e in ends)
            deepest = max(deepest, *(e[2] for e in ends))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            least, most, body = arg
            most = math.inf if most == _c.MAXREPEAT else most
            if not most:  # never read
                continue
            step_low, step_high, inner = _walk(body, 0, 0)
            if not inner:  # digits only: the repeat moves the position and looks at nothing
                low += least * step_low
                high = high + most * step_high if step_high else high
            elif math.isinf(most):
                return low, math.inf, math.inf
            else:
                for count in range(int(most)):
                    after_low, high, inner = _walk(body, low, high)
                    deepest = max(deepest, inner)
                    if count < least:
                        low = after_low
        elif op is _c.ASSERT and arg[0] == 1:  # a lookahead looks on without moving
            deepest = max(deepest, _walk(arg[1], low, high)[2])
        elif op is _c.AT and arg is _c.AT_END_STRING:  # the length: part of what is known
            continue
        else:
            return low, math.inf, math.inf
    return low, high, deepest
