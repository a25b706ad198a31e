"""The learner code of an approach: its listing and its lines of code."""

from __future__ import annotations

import ast
import inspect
import io
import textwrap
import tokenize
from collections.abc import Iterable
from typing import Any

from simlab.compare.running import module_of


def _unique(objects: Iterable[Any]) -> list[Any]:
    seen: list[Any] = []
    for obj in objects:
        if obj not in seen:
            seen.append(obj)
    return seen


def source(approach: str) -> str:
    """The learner code of an approach, as one listing (helpers it shares included)."""
    code = module_of(approach).CODE
    return "\n\n".join(textwrap.dedent(inspect.getsource(obj)).rstrip() for obj in _unique(code))


def lines_of_code(objects: Iterable[Any]) -> int:
    """Non-blank lines of ``objects``' source that are neither comments nor docstrings."""
    total = 0
    for obj in _unique(objects):
        text = textwrap.dedent(inspect.getsource(obj))
        docstrings: set[int] = set()
        for node in ast.walk(ast.parse(text)):
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and _is_docstring(body[0]):
                docstrings.update(range(body[0].lineno, body[0].end_lineno + 1))
        code: set[int] = set()
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type not in _NOT_CODE:
                code.update(range(token.start[0], token.end[0] + 1))
        total += len(code - docstrings)
    return total


_NOT_CODE = {
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENDMARKER,
}


def _is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )
