"""Template refusals: ``TemplateError`` (BadRequestException) and ``TemplateNotFoundError``."""

from __future__ import annotations

from simlab.engage.faults import BadRequest, NotFound


class TemplateError(BadRequest):
    """Bad template input (BadRequestException); ``field`` names the member at fault."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class TemplateSyntaxError(TemplateError):
    """A part is not valid Handlebars; ``field`` names the part (``HtmlPart``, ``GCM.Body``)."""


class TemplateRenderError(TemplateError):
    """A part could not be rendered (an unknown helper, a helper given bad values)."""


class TemplateNotFoundError(NotFound):
    """No such template, or no such version of it (NotFoundException)."""

    def __init__(self, name: str, template_type: str, version: int | str | None = None) -> None:
        what = f"Template {name!r} of type {template_type}"
        if version is not None:
            what = f"Version {version} of template {name!r} of type {template_type}"
        super().__init__(f"{what} does not exist")
        self.name, self.template_type, self.version = name, template_type, version
