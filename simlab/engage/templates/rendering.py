"""Renders one template part with the sandboxed Handlebars engine and Pinpoint's helpers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import numpy as np

from simlab.engage import handlebars
from simlab.engage.clock import DEFAULT_EPOCH
from simlab.engage.templates.errors import TemplateRenderError, TemplateSyntaxError
from simlab.engage.templates.helpers import HELPERS
from simlab.engage.templates.values import RenderEnv


def _compiled(source: str, part: str) -> handlebars.Template:
    try:
        return handlebars.compile_template(source)
    except handlebars.TemplateSyntaxError as error:
        raise TemplateSyntaxError(f"{part}: {error.message}", part) from None


def check_syntax(source: str, part: str = "Body") -> None:
    """Raises TemplateSyntaxError naming ``part`` unless ``source`` is valid Handlebars."""
    _compiled(source, part)


def render(
    source: str,
    context: Mapping[str, Any],
    *,
    part: str = "Body",
    html: bool = False,
    now: datetime | None = None,
    rng: np.random.Generator | None = None,
) -> str:
    """Renders one template part against a context built by `endpoint_context`.

    ``now`` is the time the ``now`` helper shows (pass the simulated clock's time); ``rng``
    feeds ``uuid``. ``html`` escapes values as Handlebars does for HTML. Raises
    TemplateSyntaxError or TemplateRenderError (an unknown helper, a helper given bad values,
    output, work or nesting past the engine's bounds) naming ``part``.
    """
    template = _compiled(source, part)
    env = RenderEnv(now or DEFAULT_EPOCH, rng if rng is not None else np.random.default_rng(0))
    try:
        return template.render(dict(context), helpers=HELPERS, escape=html, env=env)
    except handlebars.UnknownHelper as error:
        message = f"{error.name!r} is not a helper Pinpoint templates have"
        raise TemplateRenderError(f"{part}: {message}", part) from None
    except handlebars.RenderError as error:
        raise TemplateRenderError(f"{part}: {error.message}", part) from None
