"""A sandboxed Handlebars engine shared by the SES v1, SES v2 and Pinpoint template front ends.

`compile_template` turns text into a `Template` (a tree of plain nodes, cached by text in a
byte-bounded LRU); `Template.render` fills it from data. Lookups reach only mapping keys and
list indexes, values are never called, only helpers in the `Registry` given run, and every
render is bounded in output, steps and depth (`Limits`). Errors are `HandlebarsError`
subclasses whose messages say what is wrong in the template's terms.

    >>> compile_template("Hi {{name}}!").render({"name": "Ann"})
    'Hi Ann!'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from simlab.engage.handlebars.cache import ByteLRU
from simlab.engage.handlebars.errors import (
    HandlebarsError,
    HelperError,
    LimitExceeded,
    MissingPartial,
    RenderError,
    TemplateSyntaxError,
    UnknownHelper,
)
from simlab.engage.handlebars.helpers import BUILTINS, Helper, Registry, each_helper
from simlab.engage.handlebars.parser import Parsed, parse
from simlab.engage.handlebars.runtime import Limits, Options, Render
from simlab.engage.handlebars.values import MISSING, escape_html, is_falsy, to_text

DEFAULT_LIMITS = Limits()
#: Handlebars' built-in helpers alone: if, unless, each, with, lookup, log.
BUILTIN_HELPERS = Registry(BUILTINS)
#: The compiled-template cache's budget, in (estimated) bytes.
CACHE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Template:
    """A compiled template; render it as often as needed, from any thread."""

    parsed: Parsed

    @property
    def weight(self) -> int:
        return self.parsed.weight

    def render(
        self,
        data: Any,
        *,
        helpers: Registry = BUILTIN_HELPERS,
        escape: bool = True,
        limits: Limits = DEFAULT_LIMITS,
        on_missing: Callable[[str], None] | None = None,
        env: Any = None,
    ) -> str:
        """Renders with ``data`` as the context and ``@root``.

        ``escape`` HTML-escapes ``{{value}}`` (never ``{{{value}}}``); ``on_missing`` hears
        each ``{{name}}`` whose name the data lacks (or is null); helpers read ``env`` as
        ``options.env``. Raises RenderError (UnknownHelper,
        MissingPartial, HelperError, LimitExceeded) when the template cannot be rendered.
        """
        render = Render(
            self.parsed.partials, helpers, limits, escape=escape, on_missing=on_missing, env=env
        )
        return render.nodes(self.parsed.nodes, (data, None), {"root": data})


_cache: ByteLRU[Template] = ByteLRU(CACHE_BYTES)


def compile_template(source: str, *, max_depth: int = DEFAULT_LIMITS.max_depth) -> Template:
    """Compiles ``source`` (or returns it from the cache); raises TemplateSyntaxError."""
    return _cache.get_or_build((source, max_depth), lambda: Template(parse(source, max_depth)))


def cache() -> ByteLRU[Template]:
    """The shared compiled-template cache (for sizing, statistics and tests)."""
    return _cache


def render(source: str, data: Mapping[str, Any] | Any, **options: Any) -> str:
    """Compiles and renders in one call; see `Template.render` for the options."""
    return compile_template(source).render(data, **options)


__all__ = [
    "BUILTIN_HELPERS",
    "CACHE_BYTES",
    "DEFAULT_LIMITS",
    "MISSING",
    "HandlebarsError",
    "Helper",
    "HelperError",
    "LimitExceeded",
    "Limits",
    "MissingPartial",
    "Options",
    "Registry",
    "RenderError",
    "Template",
    "TemplateSyntaxError",
    "UnknownHelper",
    "cache",
    "compile_template",
    "each_helper",
    "escape_html",
    "is_falsy",
    "render",
    "to_text",
]
