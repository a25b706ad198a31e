"""Faster request dispatch inside moto, answer for answer the same, while a local AWS is open.

moto's ``BaseResponse.call_action`` lists every function of the response class
(``inspect.getmembers``, a few hundred attributes walked through the whole class hierarchy)
on every request, only to ask whether the action's method is one of them. ``install`` gives it
a view that answers that question with one attribute lookup: a name is "in" the view exactly
when ``inspect.getmembers(cls, inspect.isfunction)`` would list it. ``uninstall`` puts moto's
own function back, so plain moto in the same process is itself again.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

import moto.core.responses as moto_responses

#: The name moto's ``call_action`` calls, in ``moto.core.responses``.
_NAME = "method_names_from_class"
_original: Callable[[object], list[str]] | None = None


class FunctionNames:
    """The names of a class's functions (its methods and static methods), found on demand.

    ``name in FunctionNames(cls)`` looks the one name up; iterating lists them all, as
    ``moto.core.utils.method_names_from_class`` does.
    """

    __slots__ = ("cls",)

    def __init__(self, cls: object) -> None:
        self.cls = cls

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        try:
            return inspect.isfunction(getattr(self.cls, name))
        except AttributeError:
            return False

    def __iter__(self) -> Iterator[str]:
        return iter([name for name, _ in inspect.getmembers(self.cls, inspect.isfunction)])


def _function_names(cls: object) -> Any:
    return FunctionNames(cls)


def install() -> None:
    """Makes moto's ``call_action`` look its action's method up directly; idempotent."""
    global _original
    if _original is None:
        _original = getattr(moto_responses, _NAME)
        setattr(moto_responses, _NAME, _function_names)


def uninstall() -> None:
    """Gives moto its own ``method_names_from_class`` back."""
    global _original
    if _original is not None:
        setattr(moto_responses, _NAME, _original)
        _original = None
