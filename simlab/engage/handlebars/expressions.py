"""Reads the inside of one ``{{...}}``: paths, literals, subexpressions and hash arguments.

The grammar is Handlebars' (``handlebars.yy``) without block parameters and decorators other
than ``*inline``: a head, positional parameters, then ``key=value`` pairs. Subexpressions nest
at most ``max_depth`` deep, and the reader keeps no recursion beyond that.
"""

from __future__ import annotations

import re

from simlab.engage.handlebars.errors import TemplateSyntaxError
from simlab.engage.handlebars.nodes import Call, Expr, Literal, Path, SubExpr

_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<open>\()
    | (?P<close>\))
    | (?P<key>[^\s()=\[\]"'`|]+)=
    | "(?P<dq>(?:[^"\\]|\\.)*)"
    | '(?P<sq>(?:[^'\\]|\\.)*)'
    | (?P<num>-?\d+(?:\.\d+)?)(?=[\s)]|$)
    | (?P<word>(?:\[[^\]]*\]|[^\s()\[\]"'=|`])+)
    | (?P<bad>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_PIECE = re.compile(r"\[([^\]]*)\]|([^./\[\]]+)|([./])")
_PLAIN = re.compile(r"[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*)*")
_KEYWORDS = {"true": True, "false": False, "null": None, "undefined": None}

#: Hash keys whose bare-word values are text, as Pinpoint reads ``tz=America/Los_Angeles``.
TEXT_KEYS = frozenset({"tz"})

Token = tuple[str, str]


def tokens(body: str) -> list[Token]:
    """Splits an expression into (kind, text) tokens; raises TemplateSyntaxError on a stray mark."""
    if _PLAIN.fullmatch(body) and body not in _KEYWORDS:
        return [("word", body)]
    found: list[Token] = []
    for match in _TOKEN.finditer(body):
        kind = match.lastgroup or "bad"
        if kind == "ws":
            continue
        if kind == "bad":
            mark = match.group(0)
            if mark == "|":
                raise TemplateSyntaxError("block parameters (as |x|) are not supported")
            raise TemplateSyntaxError(f"unexpected {mark!r} in {{{{{body.strip()}}}}}")
        text = match.group(kind)
        if kind in ("dq", "sq"):
            text = re.sub(r"\\(.)", r"\1", text)
            kind = "str"
        found.append((kind, text))
    return found


def path(word: str) -> Path:
    """Reads ``a.b.[c]``, ``../x``, ``this.y``, ``./z`` or ``@index`` into a Path."""
    if _PLAIN.fullmatch(word) and word != "this" and not word.startswith("this."):
        return Path(tuple(word.split(".")), original=word)
    original, data = word, word.startswith("@")
    if data:
        word = word[1:]
    depth, scoped = 0, False
    while word.startswith("../"):
        depth, word = depth + 1, word[3:]
    if word == "..":
        depth, word = depth + 1, ""
    if word.startswith("./"):
        scoped, word = True, word[2:]
    if word in (".", "this"):
        return Path((), depth, data, True, original)
    if word.startswith(("this.", "this/")):
        scoped, word = True, word[5:]
    parts: list[str] = []
    expect_part, consumed = True, 0
    for match in _PIECE.finditer(word):
        if match.start() != consumed:
            break
        consumed = match.end()
        bracketed, plain, separator = match.groups()
        if separator is not None:
            if expect_part:
                raise TemplateSyntaxError(f"{original!r} is not a valid path")
            expect_part = True
            continue
        if not expect_part:
            raise TemplateSyntaxError(f"{original!r} is not a valid path")
        parts.append(bracketed if bracketed is not None else plain)
        expect_part = False
    if consumed != len(word) or (word and expect_part) or (data and not parts):
        raise TemplateSyntaxError(f"{original!r} is not a valid path")
    return Path(tuple(parts), depth, data, scoped, original)


def _operand(kind: str, text: str) -> Expr:
    if kind == "str":
        return Literal(text)
    if kind == "num":
        return Literal(float(text) if "." in text else int(text))
    if text in _KEYWORDS:
        return Literal(_KEYWORDS[text])
    return path(text)


_SIMPLE_CALL = re.compile(f"({_PLAIN.pattern})(?:[ \\t]+({_PLAIN.pattern}))?")


def _plain(word: str) -> Path | Literal:
    if word in _KEYWORDS:
        return Literal(_KEYWORDS[word])
    return path(word)


def parse_call(body: str, max_depth: int) -> Call:
    """Parses ``head params... key=value...`` into a Call; raises TemplateSyntaxError."""
    simple = _SIMPLE_CALL.fullmatch(body)
    if simple is not None:  # the common ``name`` and ``helper name``, read without tokens
        head, argument = simple.groups()
        params = () if argument is None else (_plain(argument),)
        return Call(_plain(head), params)
    found = tokens(body)
    if not found:
        raise TemplateSyntaxError("an empty {{}} has nothing to show")
    call, position = _call(found, 0, 0, max_depth)
    if position != len(found):
        raise TemplateSyntaxError(f"unexpected ')' in {{{{{body.strip()}}}}}")
    return call


def _call(found: list[Token], position: int, depth: int, max_depth: int) -> tuple[Call, int]:
    head, position = _argument(found, position, depth, max_depth)
    if isinstance(head, SubExpr):
        raise TemplateSyntaxError("a helper name must come before its arguments")
    params: list[Expr] = []
    pairs: list[tuple[str, Expr]] = []
    while position < len(found) and found[position][0] != "close":
        kind, text = found[position]
        if kind == "key":
            if position + 1 >= len(found) or found[position + 1][0] in ("close", "key"):
                raise TemplateSyntaxError(f"{text}= needs a value")
            value, position = _argument(found, position + 1, depth, max_depth)
            if text in TEXT_KEYS and isinstance(value, Path) and not value.data:
                value = Literal(value.original)
            pairs.append((text, value))
            continue
        if pairs:
            raise TemplateSyntaxError("positional arguments must come before key=value pairs")
        value, position = _argument(found, position, depth, max_depth)
        params.append(value)
    return Call(head, tuple(params), tuple(pairs)), position


def _argument(found: list[Token], position: int, depth: int, max_depth: int) -> tuple[Expr, int]:
    kind, text = found[position]
    if kind == "open":
        if depth + 1 > max_depth:
            raise TemplateSyntaxError(f"subexpressions nest more than {max_depth} deep")
        if position + 1 >= len(found) or found[position + 1][0] == "close":
            raise TemplateSyntaxError("an empty () has no helper to call")
        call, position = _call(found, position + 1, depth + 1, max_depth)
        if position >= len(found):
            raise TemplateSyntaxError("a '(' is never closed with ')'")
        return SubExpr(call), position + 1
    if kind in ("close", "key"):
        raise TemplateSyntaxError(f"unexpected {text or ')'!r}")
    return _operand(kind, text), position + 1
