"""Email templates rendered as SES renders them: Handlebars, with missing attributes reported.

Templates compile and render with the sandboxed engine `simlab.engage.handlebars` and
Handlebars' built-in helpers (``if``, ``unless``, ``each``, ``with``, ``lookup``, ``log``,
inline partials), as the SES Developer Guide's "Advanced email personalization" describes.
SES does not HTML-escape values, in any part. A ``{{name}}`` whose value TemplateData lacks
makes SES report a rendering failure with the message "Attribute 'name' is not present in
the rendering data." (the wording of SES's Rendering Failure event and of
``MissingRenderingAttributeException``); any other template that cannot be rendered (an
unknown helper or partial, output or nesting past the engine's bounds) raises
`RenderingError`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from simlab.engage import handlebars


class TemplateDataError(ValueError):
    """TemplateData that is not a JSON object."""


class MissingAttribute(LookupError):
    """A template variable that TemplateData does not give."""

    def __init__(self, name: str) -> None:
        super().__init__(f"Attribute '{name}' is not present in the rendering data.")
        self.name = name
        self.message = str(self.args[0])


class RenderingError(ValueError):
    """A template that cannot be rendered; ``message`` says why, in the template's terms."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TemplateSyntaxError(RenderingError):
    """A template part that is not valid Handlebars."""


@dataclass(frozen=True)
class Rendered:
    """A rendered template: subject, text part and HTML part."""

    subject: str
    text: str
    html: str


def _compile(source: str) -> handlebars.Template:
    try:
        return handlebars.compile_template(source)
    except handlebars.TemplateSyntaxError as error:
        message = f"the template is not valid Handlebars: {error.message}"
        raise TemplateSyntaxError(message) from None


def parse_data(template_data: str | None) -> dict[str, Any]:
    """Reads TemplateData: a JSON object (an absent value is the empty object)."""
    if template_data in (None, ""):
        return {}
    try:
        data = json.loads(template_data)
    except (TypeError, ValueError) as error:
        raise TemplateDataError(f"TemplateData is not valid JSON: {error}") from error
    if not isinstance(data, dict):
        raise TemplateDataError("TemplateData must be a JSON object")
    return data


def check_syntax(*sources: str) -> None:
    """Raises TemplateSyntaxError if any part is not valid Handlebars."""
    for source in sources:
        if source:
            _compile(source)


def render_part(source: str, data: dict[str, Any]) -> str:
    """Renders one template part.

    Raises MissingAttribute for the first absent variable, RenderingError (or its
    TemplateSyntaxError) when the part cannot be rendered at all.
    """
    if not source:
        return ""
    missing: list[str] = []
    try:
        output = _compile(source).render(data, escape=False, on_missing=missing.append)
    except handlebars.UnknownHelper as error:
        raise RenderingError(f"the template calls {error.name!r}, which is not a helper") from None
    except handlebars.RenderError as error:
        raise RenderingError(f"the template cannot be rendered: {error.message}") from None
    if missing:
        raise MissingAttribute(missing[0])
    return output


def render(subject: str, text: str, html: str, data: dict[str, Any]) -> Rendered:
    """Renders a template's three parts with ``data``; raises as `render_part` does."""
    return Rendered(render_part(subject, data), render_part(text, data), render_part(html, data))
