"""SES v2 email templates, kept with SES v1's (the two APIs share them) and checked and rendered
by ``simlab.aws.services.ses.rendering``."""

from __future__ import annotations

from typing import Any

from simlab.aws.services.ses import exceptions as errors
from simlab.aws.services.ses.models import mime
from simlab.aws.services.ses.rendering import (
    MissingAttribute,
    RenderingError,
    TemplateDataError,
    TemplateSyntaxError,
    check_syntax,
    parse_data,
    render,
)
from simlab.aws.services.sesv2.shared import V1State, page
from simlab.aws.state import state


class EmailTemplates(V1State):
    """Create, read, update, delete, list and test-render email templates."""

    def _template(self, name: str) -> dict[str, Any]:
        template = self.core.templates.get(name)
        if not template:
            raise errors.NotFoundException(f"Email template <{name}> does not exist.")
        return template

    @staticmethod
    def _stored(name: str, content: dict[str, Any], tags: list[dict[str, str]]) -> dict[str, Any]:
        parts = (content.get("Subject") or "", content.get("Text") or "", content.get("Html") or "")
        try:
            check_syntax(*parts)
        except TemplateSyntaxError as error:
            raise errors.BadRequestException(f"TemplateContent is not valid: {error}") from None
        return {
            "template_name": name,
            "subject_part": parts[0],
            "text_part": parts[1],
            "html_part": parts[2],
            "Timestamp": state().clock.now(),
            "tags": tags,
        }

    def create_email_template(
        self, name: str, content: dict[str, Any], tags: list[dict[str, str]]
    ) -> None:
        if name in self.core.templates:
            raise errors.AlreadyExistsException(f"Email template <{name}> already exists.")
        self.core.templates[name] = self._stored(name, content, tags)

    def update_email_template(self, name: str, content: dict[str, Any]) -> None:
        old = self._template(name)
        self.core.templates[name] = {
            **self._stored(name, content, old.get("tags", [])),
            "Timestamp": old["Timestamp"],
        }

    def get_email_template(self, name: str) -> dict[str, Any]:
        template = self._template(name)
        content = {
            "Subject": template.get("subject_part") or "",
            "Text": template.get("text_part") or "",
            "Html": template.get("html_part") or "",
        }
        return {
            "TemplateName": name,
            "TemplateContent": {k: v for k, v in content.items() if v},
            "Tags": template.get("tags", []),
        }

    def delete_email_template(self, name: str) -> None:
        self._template(name)
        del self.core.templates[name]

    def list_email_templates(
        self, token: str | None, size: int | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        items = [
            {"TemplateName": name, "CreatedTimestamp": t["Timestamp"]}
            for name, t in sorted(self.core.templates.items())
        ]
        return page(items, token, size)

    def test_render_email_template(self, name: str, data: str) -> str:
        template = self._template(name)
        try:
            rendered = render(
                str(template.get("subject_part") or ""),
                str(template.get("text_part") or ""),
                str(template.get("html_part") or ""),
                parse_data(data),
            )
        except (TemplateDataError, MissingAttribute, RenderingError) as error:
            raise errors.BadRequestException(str(error)) from None
        return mime(rendered.subject, rendered.text, rendered.html, state().clock.now())
