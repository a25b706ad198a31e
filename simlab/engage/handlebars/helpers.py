"""The helper registry and Handlebars' built-in helpers (if, unless, each, with, lookup, log).

A helper is a plain function ``f(options, *args)``: ``options`` is the render's
`simlab.engage.handlebars.runtime.Options` (hash arguments, ``this``, ``fn``/``inverse``
for blocks) and ``args`` are the positional values. The registry checks the number of
arguments before a call, so a template cannot make a helper fail with a Python error.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simlab.engage.handlebars.errors import HelperError
from simlab.engage.handlebars.values import MISSING, child, is_falsy, to_text

if TYPE_CHECKING:
    from simlab.engage.handlebars.runtime import Options

HelperFunction = Callable[..., Any]


@dataclass(frozen=True)
class Helper:
    """A registered helper: its name, function and how many positional values it takes."""

    name: str
    function: HelperFunction
    minimum: int
    maximum: int | None

    @classmethod
    def of(cls, name: str, function: HelperFunction) -> Helper:
        """Reads the arity from ``function``'s signature (its first parameter is the options)."""
        parameters = list(inspect.signature(function).parameters.values())[1:]
        minimum, maximum = 0, 0
        for parameter in parameters:
            if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
                return cls(name, function, minimum, None)
            if parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD):
                maximum += 1
                if parameter.default is inspect.Parameter.empty:
                    minimum += 1
        return cls(name, function, minimum, maximum)

    def __call__(self, options: Options, args: list[Any]) -> Any:
        count = len(args)
        if count < self.minimum or (self.maximum is not None and count > self.maximum):
            if self.maximum is None:
                wanted = f"at least {self.minimum}"
            elif self.minimum == self.maximum:
                wanted = str(self.minimum)
            else:
                wanted = f"{self.minimum} to {self.maximum}"
            raise HelperError(f"{self.name} takes {wanted} values, got {count}")
        return self.function(options, *args)


class Registry(Mapping[str, Helper]):
    """An immutable name -> Helper table; `with_helpers` returns an extended copy."""

    def __init__(self, functions: Mapping[str, HelperFunction] | None = None) -> None:
        self._helpers = {name: Helper.of(name, f) for name, f in (functions or {}).items()}

    def __getitem__(self, name: str) -> Helper:
        return self._helpers[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._helpers)

    def __len__(self) -> int:
        return len(self._helpers)

    def get(self, name: str, default: Any = None) -> Any:  # faster than Mapping.get
        return self._helpers.get(name, default)

    def with_helpers(self, functions: Mapping[str, HelperFunction]) -> Registry:
        """Returns a registry with ``functions`` added (replacing helpers of the same name)."""
        extended = Registry()
        extended._helpers = {**self._helpers, **Registry(functions)._helpers}
        return extended


# Built-ins --------------------------------------------------------------------------------------


def builtin_if(options: Options, condition: Any) -> Any:
    """``{{#if x}}``: the body unless ``x`` is falsy (``includeZero=true`` keeps 0)."""
    if is_falsy(condition) and not (
        options.hash.get("includeZero") is True and condition == 0 and condition is not False
    ):
        return options.inverse()
    return options.fn()


def builtin_unless(options: Options, condition: Any) -> Any:
    """``{{#unless x}}``: the body when ``x`` is falsy."""
    return options.fn() if is_falsy(condition) else options.inverse()


def builtin_with(options: Options, context: Any) -> Any:
    """``{{#with x}}``: the body with ``x`` as the context, or the else part when it is falsy."""
    return options.inverse() if is_falsy(context) else options.fn(context)


def builtin_lookup(options: Options, value: Any, key: Any) -> Any:
    """``{{lookup obj key}}``: a key or index of a value, found like any path segment."""
    found = child(value, to_text(key))
    return None if found is MISSING else found


def builtin_log(options: Options, *values: Any) -> str:
    """``{{log ...}}``: writes nothing anywhere (a server has no template console)."""
    return ""


def each_helper(max_items: int | None = None) -> HelperFunction:
    """Returns ``each``: a list's items or a mapping's values, at most ``max_items`` of them."""

    def builtin_each(options: Options, items: Any) -> Any:
        if not options.is_block:
            raise HelperError("each is a block helper: {{#each list}}...{{/each}}")
        pairs: Iterable[tuple[Any, Any]]
        if isinstance(items, list | tuple):
            pairs = enumerate(items[:max_items] if max_items is not None else items)
        elif isinstance(items, Mapping):
            keys = list(items)[:max_items] if max_items is not None else list(items)
            pairs = ((key, items[key]) for key in keys)
        else:
            return options.inverse()
        pairs = list(pairs)
        if not pairs:
            return options.inverse()
        keyed = isinstance(items, Mapping)
        last = len(pairs) - 1
        parts = []
        for index, (key, item) in enumerate(pairs):
            data = {"index": index, "first": index == 0, "last": index == last}
            if keyed:
                data["key"] = key
            parts.append(options.fn(item, data))
        return "".join(parts)

    return builtin_each


BUILTINS: Mapping[str, HelperFunction] = {
    "if": builtin_if,
    "unless": builtin_unless,
    "each": each_helper(),
    "with": builtin_with,
    "lookup": builtin_lookup,
    "log": builtin_log,
}
