"""The template preview panel: pick a template, a version and an endpoint; read what it gets.

`render_preview` reads the template and the endpoint with the boto3 client it is given and fills
the template the way Pinpoint does (`simlab.engage.templates.preview`); `preview_text` prints the
rendered parts as stable text. The panel wires dropdowns to them.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import ipywidgets as widgets

from simlab.engage.templates import TemplateVersion, preview
from simlab.toolkit.read import template_version
from simlab.widgets.local import LocalWatch

ACTIVE = "active"
#: The order parts are shown in (others follow, sorted).
PART_ORDER: tuple[str, ...] = ("Subject", "TextPart", "HtmlPart", "Body")


def render_preview(
    pinpoint: Any,
    app_id: str,
    template: TemplateVersion,
    endpoint_id: str,
    *,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The template's parts as the endpoint ``endpoint_id`` of ``app_id`` would receive them."""
    endpoint = pinpoint.get_endpoint(ApplicationId=app_id, EndpointId=endpoint_id)[
        "EndpointResponse"
    ]
    return preview(template, endpoint, now=now)


def preview_text(parts: Mapping[str, Any]) -> str:
    """One ``Part: text`` line per rendered part, in a fixed order."""
    names = [p for p in PART_ORDER if p in parts] + sorted(set(parts) - set(PART_ORDER))
    return "\n".join(f"{name}: {parts[name]}" for name in names)


class TemplatePreviewPanel(widgets.VBox):
    """Dropdowns for template, version and endpoint; the rendered parts below."""

    def __init__(
        self,
        pinpoint: Any,
        app_id: str,
        templates: Sequence[tuple[str, str]],
        endpoint_ids: Sequence[str],
        *,
        now: datetime | None = None,
    ) -> None:
        if not templates or not endpoint_ids:
            raise ValueError("give at least one (name, type) template and one endpoint id")
        self.pinpoint, self.app_id, self.now = pinpoint, app_id, now
        self.watch = LocalWatch()
        self.template = widgets.Dropdown(
            options=[(f"{name} ({kind})", (name, kind)) for name, kind in templates],
            description="Template",
        )
        self.version = widgets.Dropdown(options=[ACTIVE], description="Version")
        self.endpoint = widgets.Dropdown(options=list(endpoint_ids), description="Endpoint")
        self.output = widgets.HTML()
        self.template.observe(lambda _: self._refresh_versions(), names="value")
        self.version.observe(lambda _: self.update(), names="value")
        self.endpoint.observe(lambda _: self.update(), names="value")
        super().__init__([widgets.HBox([self.template, self.version, self.endpoint]), self.output])
        self._refresh_versions()

    def _refresh_versions(self) -> None:
        if self._stopped():
            return
        name, kind = self.template.value
        listed = self.pinpoint.list_template_versions(TemplateName=name, TemplateType=kind)
        numbers = sorted(int(v["Version"]) for v in listed["TemplateVersionsResponse"]["Item"])
        with self.version.hold_trait_notifications():
            self.version.options = [ACTIVE, *numbers]
            self.version.value = ACTIVE
        self.update()

    def _stopped(self) -> bool:
        problem = self.watch.problem()
        if problem:
            self.output.value = f"<p>⚠ {html.escape(problem)}</p>"
        return problem is not None

    def chosen(self) -> TemplateVersion:
        """The template version the controls name."""
        name, kind = self.template.value
        version = None if self.version.value == ACTIVE else self.version.value
        return template_version(self.pinpoint, name, kind, version)

    def text(self) -> str:
        """The rendered parts for the chosen endpoint, as ``preview_text`` prints them."""
        return preview_text(self._render(self.chosen()))

    def _render(self, template: TemplateVersion) -> dict[str, Any]:
        return render_preview(
            self.pinpoint, self.app_id, template, self.endpoint.value, now=self.now
        )

    def update(self) -> None:
        """Renders again, or shows the error naming what is wrong.

        Once the local AWS the panel reads has stopped, it calls nothing (a stopped in-process
        AWS would leave the client pointing at real AWS) and says what to re-run instead.
        """
        if self._stopped():
            return
        try:
            template = self.chosen()
            text = preview_text(self._render(template))
        except Exception as error:  # a missing endpoint or template, a render error
            self.output.value = f"<p>⚠ {html.escape(str(error))}</p>"
            return
        heading = f"{template.name} version {template.version}"
        self.output.value = f"<p><b>{html.escape(heading)}</b></p><pre>{html.escape(text)}</pre>"


def build_template_preview_panel(
    pinpoint: Any,
    app_id: str,
    templates: Sequence[tuple[str, str]],
    endpoint_ids: Sequence[str],
    *,
    now: datetime | None = None,
) -> TemplatePreviewPanel:
    """Returns the preview panel for ``templates`` ((name, type) pairs) and endpoints."""
    return TemplatePreviewPanel(pinpoint, app_id, templates, endpoint_ids, now=now)
