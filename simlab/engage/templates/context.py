"""The data a template sees, and a whole template rendered for one endpoint.

Following ``message-templates-personalizing.md``: message ``Substitutions`` win over the
endpoint's values, the template's ``DefaultSubstitutions`` fill what is missing, and a variable
with neither renders as nothing. Only an email's ``HtmlPart`` HTML-escapes values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from copy import deepcopy
from datetime import datetime
from typing import Any

import numpy as np

from simlab.engage.templates.rendering import render
from simlab.engage.templates.store import TemplateVersion
from simlab.engage.templates.validation import CONTENT_MEMBERS, check_type, template_parts
from simlab.engage.templates.values import Values

_SEGMENT = re.compile(r"\[([^\]]+)\]|([^.\[\]]+)")
_LIST_MAPS = (("Attributes",), ("User", "UserAttributes"))


def _segments(path: str) -> list[str]:
    return [a or b for a, b in _SEGMENT.findall(path)]


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict) and len(value) == 0)


def _lookup(context: Mapping[str, Any], segments: list[str]) -> Any:
    value: Any = context
    for segment in segments:
        if not isinstance(value, Mapping):
            return None
        value = value.get(segment)
    return value


def _assign(context: dict[str, Any], segments: list[str], value: Any) -> None:
    here = context
    for segment in segments[:-1]:
        child = here.get(segment)
        if not isinstance(child, dict):
            child = here[segment] = {}
        here = child
    here[segments[-1]] = value


def _as_values(segments: list[str], value: Any) -> Any:
    listed = any(tuple(segments[: len(m)]) == m and len(segments) > len(m) for m in _LIST_MAPS)
    if isinstance(value, list):
        return Values(value)
    return Values([value]) if listed else value


def endpoint_context(
    endpoint: Mapping[str, Any] | None = None,
    default_substitutions: Mapping[str, Any] | str | None = None,
    substitutions: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, Any]:
    """Builds the data a template sees: the endpoint, then defaults, then substitutions.

    ``endpoint`` is an ``EndpointResponse``-shaped dict (``Address``, ``Attributes``,
    ``ChannelType``, ``Demographic``, ``Id``, ``Location``, ``Metrics``, ``User`` ...). Keys of
    ``default_substitutions`` (a dict or its JSON string) and ``substitutions`` (name -> list
    of strings) are variable paths such as ``User.UserAttributes.FirstName``.
    """
    context: dict[str, Any] = deepcopy(dict(endpoint or {}))
    for list_map in _LIST_MAPS:
        values = _lookup(context, list(list_map))
        if isinstance(values, Mapping):
            _assign(context, list(list_map), {k: Values(v) for k, v in values.items()})
    metrics = context.get("Metrics")
    if isinstance(metrics, Mapping):
        context["Metrics"] = {
            k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in metrics.items()
        }
    if isinstance(default_substitutions, str):
        default_substitutions = json.loads(default_substitutions) if default_substitutions else {}
    for path, value in (default_substitutions or {}).items():
        segments = _segments(path)
        if segments and _is_empty(_lookup(context, segments)):
            _assign(context, segments, _as_values(segments, value))
    for path, values in (substitutions or {}).items():
        segments = _segments(path)
        if segments:
            _assign(context, segments, Values(list(values)))
    return context


def render_content(
    template_type: str,
    content: Mapping[str, Any],
    context: Mapping[str, Any],
    *,
    now: datetime | None = None,
    rng: np.random.Generator | None = None,
) -> dict[str, Any]:
    """Returns ``content`` with every renderable part rendered (same shape as stored)."""
    template_type = check_type(template_type)
    rendered: dict[str, Any] = deepcopy(
        {k: v for k, v in content.items() if k in CONTENT_MEMBERS[template_type]}
    )
    rendered.pop("DefaultSubstitutions", None)
    for where, source in template_parts(template_type, content).items():
        html = where == "HtmlPart"
        value = render(source, context, part=where, html=html, now=now, rng=rng)
        if where.startswith("Headers["):
            rendered["Headers"][int(where[8 : where.index("]")])]["Value"] = value
        elif "." in where:
            service, key = where.split(".", 1)
            rendered[service][key] = value
        else:
            rendered[where] = value
    return rendered


def preview(
    template: TemplateVersion,
    endpoint: Mapping[str, Any] | None = None,
    substitutions: Mapping[str, Iterable[str]] | None = None,
    *,
    now: datetime | None = None,
    rng: np.random.Generator | None = None,
) -> dict[str, Any]:
    """Renders a template version for one endpoint: the parts a recipient would get."""
    context = endpoint_context(endpoint, template.default_substitutions, substitutions)
    return render_content(template.type, template.content, context, now=now, rng=rng)
