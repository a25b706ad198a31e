"""Email templates rendered as SES renders them: Handlebars, with missing attributes reported.

A ``{{name}}`` whose value TemplateData lacks makes SES report a rendering failure with the
message "Attribute 'name' is not present in the rendering data." (the wording of SES's
Rendering Failure event and of ``MissingRenderingAttributeException``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pybars import Compiler, PybarsError


class TemplateDataError(ValueError):
    """TemplateData that is not a JSON object."""


class MissingAttribute(LookupError):
    """A template variable that TemplateData does not give."""

    def __init__(self, name: str) -> None:
        super().__init__(f"Attribute '{name}' is not present in the rendering data.")
        self.name = name
        self.message = str(self.args[0])


class TemplateSyntaxError(ValueError):
    """A template part that is not valid Handlebars."""


@dataclass(frozen=True)
class Rendered:
    """A rendered template: subject, text part and HTML part."""

    subject: str
    text: str
    html: str


_compiler = Compiler()


@lru_cache(maxsize=256)
def _compile(source: str) -> Any:
    try:
        return _compiler.compile(source)
    except PybarsError as error:
        raise TemplateSyntaxError(str(error)) from error
    except Exception as error:  # pybars' parser raises its own bare exceptions
        raise TemplateSyntaxError(f"the template is not valid Handlebars: {error}") from error


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
    """Renders one template part; raises MissingAttribute for the first absent variable."""
    if not source:
        return ""
    missing: list[str] = []

    def helper_missing(scope: Any, name: str, *args: Any) -> Any:
        if args:
            raise PybarsError(f"Could not find helper {name}")
        missing.append(name)
        return None

    output = str(_compile(source)(data, helpers={"helperMissing": helper_missing}))
    if missing:
        raise MissingAttribute(missing[0])
    return output


def render(subject: str, text: str, html: str, data: dict[str, Any]) -> Rendered:
    """Renders a template's three parts with ``data``."""
    return Rendered(render_part(subject, data), render_part(text, data), render_part(html, data))
