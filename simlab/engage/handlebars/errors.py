"""The errors of the template engine: one base class, three kinds.

Front ends catch `HandlebarsError` and answer with their API's own error (SES v1
``InvalidRenderingParameter``, SES v2 and Pinpoint ``BadRequestException``, a send's
Rendering Failure event). Messages name what is wrong and never carry Python exception text.
"""

from __future__ import annotations


class HandlebarsError(ValueError):
    """A template that cannot be compiled or rendered; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TemplateSyntaxError(HandlebarsError):
    """A template that is not valid Handlebars (or nests deeper than allowed)."""


class RenderError(HandlebarsError):
    """A template that compiles but cannot be rendered with the data given."""


class UnknownHelper(RenderError):
    """A call to a helper that is not registered; ``name`` is the helper's name."""

    def __init__(self, name: str) -> None:
        super().__init__(f"{name!r} is not a helper these templates have")
        self.name = name


class MissingPartial(RenderError):
    """A ``{{> name}}`` whose partial is not defined."""

    def __init__(self, name: str) -> None:
        super().__init__(f"the partial {name!r} is not defined")
        self.name = name


class LimitExceeded(RenderError):
    """A render that would exceed a bound: output size, nesting depth or work."""


class HelperError(RenderError):
    """A helper was given values it cannot use; the message names the helper."""
