"""Faster request dispatch inside moto, answer for answer the same, while a local AWS is open.

moto's ``BaseResponse.call_action`` lists every function of the response class
(``inspect.getmembers``, a few hundred attributes walked through the whole class hierarchy)
on every request, only to ask whether the action's method is one of them. ``install`` gives it
a view that answers that question with one attribute lookup: a name is "in" the view exactly
when ``inspect.getmembers(cls, inspect.isfunction)`` would list it. ``uninstall`` puts moto's
own function back, so plain moto in the same process is itself again.

moto also writes each answer's request id into its body wherever ``<RequestId>...</RequestId>``
appears, with a regular expression that tries every position of the body; a JSON answer of a
hundred results (Pinpoint's SendMessages) has no such tag and pays for the search all the same.
While installed, the search runs only on a text body that holds the opening tag: the same
answers, the same request id drawn from moto's seeded stream, in the same order.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from typing import Any

import moto.core.responses as moto_responses
from moto.utilities.aws_headers import gen_amzn_requestid_long

#: The name moto's ``call_action`` calls, in ``moto.core.responses``.
_NAME = "method_names_from_class"
_original: Callable[[object], list[str]] | None = None
#: moto's answer finisher, a static method of ``BaseResponse``.
_ENRICH = "_enrich_response"
_original_enrich: Any = None
#: Where moto puts the request id in an XML answer (its own expression).
_REQUEST_ID = re.compile(r"(?<=<RequestId>).*(?=<\/RequestId>)")


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


def enrich_response(headers: dict[str, Any], body: Any) -> tuple[dict[str, Any], Any]:
    """moto's ``BaseResponse._enrich_response``: the status as text, a new request id in the
    headers and in an XML body's ``<RequestId>``; the body is searched only if it has the tag."""
    if "status" in headers:
        headers["status"] = str(headers["status"])
    request_id = gen_amzn_requestid_long(headers)
    if isinstance(body, str) and "<RequestId>" in body:
        body = _REQUEST_ID.sub(request_id, body)
    return headers, body


def install() -> None:
    """Makes moto's ``call_action`` look its action's method up directly and search only XML
    answers for their request id; idempotent."""
    global _original, _original_enrich
    if _original is None:
        _original = getattr(moto_responses, _NAME)
        setattr(moto_responses, _NAME, _function_names)
    if _original_enrich is None:
        base = moto_responses.BaseResponse
        _original_enrich = base.__dict__[_ENRICH]
        setattr(base, _ENRICH, staticmethod(enrich_response))


def uninstall() -> None:
    """Gives moto its own ``method_names_from_class`` and ``_enrich_response`` back."""
    global _original, _original_enrich
    if _original is not None:
        setattr(moto_responses, _NAME, _original)
        _original = None
    if _original_enrich is not None:
        setattr(moto_responses.BaseResponse, _ENRICH, _original_enrich)
        _original_enrich = None
