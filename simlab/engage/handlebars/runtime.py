"""Renders a compiled template: walks its nodes against data, with bounds on everything.

Only helpers in the registry run; paths reach data through `values.child` alone. Every render
counts its output characters, its steps and its nesting depth, and stops with
`LimitExceeded` when one passes its bound, so no template and no data can make a render
produce unbounded text, run unbounded loops or exhaust Python's stack.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from simlab.engage.handlebars.errors import LimitExceeded, MissingPartial, UnknownHelper
from simlab.engage.handlebars.helpers import Helper, Registry
from simlab.engage.handlebars.nodes import (
    Block,
    Call,
    Expr,
    Literal,
    Mustache,
    Node,
    Partial,
    Path,
    SubExpr,
    Text,
)
from simlab.engage.handlebars.values import MISSING, child, escape_html, is_falsy, to_text


@dataclass(frozen=True)
class Limits:
    """The bounds of one render: characters out, steps taken, blocks and partials deep."""

    max_output: int = 10_000_000
    max_steps: int = 1_000_000
    max_depth: int = 64


#: A context chain: (context, parent chain or None); ``../`` walks to the parent.
Frame = tuple[Any, Any]


class Options:
    """What a helper receives first: its hash arguments, the context and its block, if any."""

    __slots__ = ("_render", "name", "hash", "_frame", "data", "_body", "_inverse", "is_block")

    _render: Render

    def __init__(
        self,
        render: Render,
        name: str,
        hash: dict[str, Any],
        frame: Frame,
        data: dict[str, Any],
        block: Block | None,
    ) -> None:
        self._render, self.name, self.hash = render, name, hash
        self._frame, self.data = frame, data
        self.is_block = block is not None
        body = block.body if block else ()
        inverse = block.inverse if block else ()
        if block is not None and block.inverted:
            body, inverse = inverse, body
        self._body, self._inverse = body, inverse

    @property
    def this(self) -> Any:
        """The current context (``this``)."""
        return self._frame[0]

    @property
    def limits(self) -> Limits:
        """The bounds of this render (helpers check size arguments against them)."""
        return self._render.limits

    @property
    def env(self) -> Any:
        """What the front end passed to the render for its helpers (time, random stream)."""
        return self._render.env

    def fn(self, context: Any = MISSING, data: Mapping[str, Any] | None = None) -> str:
        """Renders the block's body with ``context`` (default: the current one)."""
        return self._render.section(self._body, self._frame, self.data, context, data)

    def inverse(self, context: Any = MISSING, data: Mapping[str, Any] | None = None) -> str:
        """Renders the block's ``{{else}}`` part."""
        return self._render.section(self._inverse, self._frame, self.data, context, data)


class Render:
    """One render of one template: the helpers, partials, bounds and counters it uses."""

    def __init__(
        self,
        partials: Mapping[str, tuple[Node, ...]],
        helpers: Registry,
        limits: Limits,
        *,
        escape: bool,
        on_missing: Callable[[str], None] | None,
        env: Any = None,
    ) -> None:
        self.partials, self.helpers, self.limits, self.env = partials, helpers, limits, env
        self.escape, self.on_missing = escape, on_missing
        self.size = self.steps = self.depth = 0

    # -- nodes ----------------------------------------------------------------------------------

    def nodes(self, nodes: tuple[Node, ...], frame: Frame, data: dict[str, Any]) -> str:
        out: list[str] = []
        limits = self.limits
        self.steps += 1  # an empty body costs a step too, so empty loops are bounded
        if self.steps > limits.max_steps:
            raise LimitExceeded(f"the template takes more than {limits.max_steps} steps")
        self.steps += len(nodes)
        if self.steps > limits.max_steps:
            raise LimitExceeded(f"the template takes more than {limits.max_steps} steps")
        for node in nodes:
            kind = type(node)
            if kind is Text:
                self.size += len(node.value)  # type: ignore[union-attr]
                if self.size > limits.max_output:
                    self.count(0)
                out.append(node.value)  # type: ignore[union-attr]
            elif kind is Mustache:
                out.append(self.mustache(node, frame, data))  # type: ignore[arg-type]
            elif kind is Block:
                out.append(self.block(node, frame, data))  # type: ignore[arg-type]
            else:
                out.append(self.partial(node, frame, data))  # type: ignore[arg-type]
        return "".join(out)

    def count(self, size: int) -> None:
        self.size += size
        if self.size > self.limits.max_output:
            raise LimitExceeded(
                f"the rendered text would exceed {self.limits.max_output} characters"
            )

    def section(
        self,
        nodes: tuple[Node, ...],
        frame: Frame,
        data: dict[str, Any],
        context: Any,
        extra: Mapping[str, Any] | None,
    ) -> str:
        if context is not MISSING and context is not frame[0]:
            frame = (context, frame)
        if extra:
            data = {**data, **extra}
        return self.nodes(nodes, frame, data)

    def enter(self) -> None:
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise LimitExceeded(f"blocks and partials nest more than {self.limits.max_depth} deep")

    def mustache(self, node: Mustache, frame: Frame, data: dict[str, Any]) -> str:
        value = self.evaluate_call(node.call, frame, data, None)
        text = to_text(value)
        if node.escape and self.escape:
            text = escape_html(text)
        self.count(len(text))
        return text

    def block(self, node: Block, frame: Frame, data: dict[str, Any]) -> str:
        self.enter()
        try:
            call = node.call
            helper = self.helper_of(call.head)
            if helper is not None:
                before = self.size
                text = to_text(self.invoke(helper, call, frame, data, node))
                self.count(max(0, len(text) - (self.size - before)))
                return text
            if call.params or call.hash:
                raise UnknownHelper(_label(call.head))
            value = self.evaluate(call.head, frame, data)
            return self.implicit_section(node, value, frame, data)
        finally:
            self.depth -= 1

    def implicit_section(self, node: Block, value: Any, frame: Frame, data: dict[str, Any]) -> str:
        """``{{#name}}`` without a helper: Mustache's section over a value."""
        body, inverse = node.body, node.inverse
        if node.inverted:
            body, inverse = inverse, body
        if is_falsy(value):
            return self.nodes(inverse, frame, data)
        if value is True:
            return self.nodes(body, frame, data)
        if isinstance(value, list | tuple):
            parts = []
            for index, item in enumerate(value):
                extra = {"index": index, "first": index == 0, "last": index == len(value) - 1}
                parts.append(self.section(body, frame, data, item, extra))
            return "".join(parts)
        return self.section(body, frame, data, value, None)

    def partial(self, node: Partial, frame: Frame, data: dict[str, Any]) -> str:
        nodes = self.partials.get(node.name)
        if nodes is None:
            raise MissingPartial(node.name)
        context = frame[0] if node.context is None else self.evaluate(node.context, frame, data)
        if node.hash:
            values = {key: self.evaluate(expr, frame, data) for key, expr in node.hash}
            context = {**context, **values} if isinstance(context, Mapping) else values
        self.enter()
        try:
            return self.section(nodes, frame, data, context, None)
        finally:
            self.depth -= 1

    # -- expressions ----------------------------------------------------------------------------

    def helper_of(self, head: Path | Literal) -> Helper | None:
        name = head.name if type(head) is Path else None
        return None if name is None else self.helpers.get(name)

    def evaluate_call(
        self, call: Call, frame: Frame, data: dict[str, Any], block: Block | None
    ) -> Any:
        helper = self.helper_of(call.head)
        if helper is not None:
            return self.invoke(helper, call, frame, data, block)
        if call.params or call.hash:
            raise UnknownHelper(_label(call.head))
        value = self.evaluate(call.head, frame, data)
        if (value is MISSING or value is None) and self.on_missing is not None:
            head = call.head
            if type(head) is Path and len(head.parts) == 1 and not head.data:
                self.on_missing(head.parts[0])
        return value

    def evaluate(self, expr: Expr, frame: Frame, data: dict[str, Any]) -> Any:
        kind = type(expr)
        if kind is Literal:
            return expr.value  # type: ignore[union-attr]
        if kind is SubExpr:
            call = expr.call  # type: ignore[union-attr]
            helper = self.helper_of(call.head)
            if helper is None:
                raise UnknownHelper(_label(call.head))
            return self.invoke(helper, call, frame, data, None)
        return self.lookup(expr, frame, data)  # type: ignore[arg-type]

    def lookup(self, path: Path, frame: Frame, data: dict[str, Any]) -> Any:
        if path.data:
            value = data.get(path.parts[0], MISSING)
            parts = path.parts[1:]
        else:
            for _ in range(path.depth):
                if frame[1] is not None:
                    frame = frame[1]
            value, parts = frame[0], path.parts
        for part in parts:
            value = child(value, part)
            if value is MISSING:
                return MISSING
        return value

    def invoke(
        self, helper: Helper, call: Call, frame: Frame, data: dict[str, Any], block: Block | None
    ) -> Any:
        args = [self.evaluate(param, frame, data) for param in call.params]
        args = [None if arg is MISSING else arg for arg in args]
        pairs = {key: self.evaluate(value, frame, data) for key, value in call.hash}
        hash_values = {k: (None if v is MISSING else v) for k, v in pairs.items()}
        options = Options(self, helper.name, hash_values, frame, data, block)
        result = helper(options, args)
        if isinstance(result, str) and len(result) > self.limits.max_output:
            raise LimitExceeded(
                f"{helper.name} would return more than {self.limits.max_output} characters"
            )
        return result


def _label(head: Path | Literal) -> str:
    return head.original if isinstance(head, Path) else to_text(head.value)
