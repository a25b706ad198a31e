"""The abstract syntax tree of a compiled template: plain immutable records, no code.

A template compiles to a tuple of nodes; rendering walks them. Nothing in the tree refers to
Python objects other than strings, numbers and other nodes, so a compiled template is data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Path:
    """A data lookup: ``parts`` below the context ``depth`` levels up (``../``).

    ``data`` marks ``@index``-style private variables; ``scoped`` marks an explicit
    ``this``/``./`` prefix, which never names a helper.
    """

    parts: tuple[str, ...]
    depth: int = 0
    data: bool = False
    scoped: bool = False
    original: str = ""
    #: The single name a helper could have (``upper``), or None for any other path.
    name: str | None = field(init=False, default=None, compare=False)

    def __post_init__(self) -> None:
        simple = len(self.parts) == 1 and not (self.data or self.scoped or self.depth)
        object.__setattr__(self, "name", self.parts[0] if simple else None)


@dataclass(frozen=True, slots=True)
class Literal:
    """A string, number, boolean or null written in the template."""

    value: Any


@dataclass(frozen=True, slots=True)
class Call:
    """A head (path or literal) with positional ``params`` and ``hash`` arguments."""

    head: Path | Literal
    params: tuple[Expr, ...] = ()
    hash: tuple[tuple[str, Expr], ...] = ()


@dataclass(frozen=True, slots=True)
class SubExpr:
    """A parenthesised helper call used as an argument."""

    call: Call


Expr = Path | Literal | SubExpr


@dataclass(frozen=True, slots=True)
class Text:
    """Literal template text."""

    value: str


@dataclass(frozen=True, slots=True)
class Mustache:
    """``{{expr}}`` (escaped when the render escapes) or ``{{{expr}}}`` / ``{{& expr}}``."""

    call: Call
    escape: bool


@dataclass(frozen=True, slots=True)
class Block:
    """``{{#name ...}}body{{else}}inverse{{/name}}``; ``inverted`` for ``{{^name}}``."""

    call: Call
    body: tuple[Node, ...]
    inverse: tuple[Node, ...]
    inverted: bool = False


@dataclass(frozen=True, slots=True)
class Partial:
    """``{{> name context key=value}}``: renders a partial defined in the template."""

    name: str
    context: Expr | None
    hash: tuple[tuple[str, Expr], ...] = ()


Node = Text | Mustache | Block | Partial
