"""Pinpoint message templates: five types, versions, one active version, Handlebars rendering.

A `TemplateStore` keeps templates by (name, type) the way Pinpoint does (user guide
``message-templates-versioning.md``): version 1 on create; every save either overwrites the
latest version or adds a new one (numbers are never reused); exactly one version is active and
is what messages use unless they name another. Limits come from `simlab.facts.pinpoint`.

`render` and `preview` fill a template's parts from an endpoint (the botocore
``EndpointResponse`` shape) with the sandboxed engine `simlab.engage.handlebars` and Pinpoint's
helpers (`simlab.engage.templates.helpers`), following ``message-templates-personalizing.md``:
message ``Substitutions`` win over the endpoint's values, the template's
``DefaultSubstitutions`` fill what is missing, and a variable with neither renders as
nothing. Only an email's ``HtmlPart`` HTML-escapes values; other parts insert them as they are.

``store`` keeps versions, ``validation`` checks content, ``rendering`` and ``context`` fill a
template for an endpoint, ``helpers``, ``dates`` and ``values`` are Pinpoint's helpers.
"""

from simlab.engage.templates.context import endpoint_context, preview, render_content
from simlab.engage.templates.dates import zone
from simlab.engage.templates.errors import (
    TemplateError,
    TemplateNotFoundError,
    TemplateRenderError,
    TemplateSyntaxError,
)
from simlab.engage.templates.helpers import HELPER_NAMES, HELPERS
from simlab.engage.templates.rendering import check_syntax, render
from simlab.engage.templates.store import Template, TemplateStore, TemplateVersion
from simlab.engage.templates.validation import (
    CONTENT_MEMBERS,
    TEMPLATE_TYPES,
    check_name,
    check_type,
    template_parts,
    validate_content,
)
from simlab.engage.templates.values import Values

__all__ = [
    "CONTENT_MEMBERS",
    "HELPERS",
    "HELPER_NAMES",
    "TEMPLATE_TYPES",
    "Template",
    "TemplateError",
    "TemplateNotFoundError",
    "TemplateRenderError",
    "TemplateStore",
    "TemplateSyntaxError",
    "TemplateVersion",
    "Values",
    "check_name",
    "check_syntax",
    "check_type",
    "endpoint_context",
    "preview",
    "render",
    "render_content",
    "template_parts",
    "validate_content",
    "zone",
]
