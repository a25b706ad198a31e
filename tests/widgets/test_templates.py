"""The template preview panel, driven headlessly: pick template, version and endpoint."""

from __future__ import annotations

import pytest

from simlab.toolkit import template_version
from simlab.widgets.templates import build_template_preview_panel, preview_text, render_preview
from tests.widgets.welcome_app import setup


def test_the_panel_shows_the_active_version_for_the_first_endpoint(aws):
    pinpoint, app_id = setup(aws)
    panel = build_template_preview_panel(
        pinpoint, app_id, [("welcome", "EMAIL"), ("welcome", "SMS")], ["ana", "guest"]
    )
    assert panel.version.options == ("active", 1, 2)
    assert panel.text() == (
        "Subject: Welcome, Ana & Co!\n"
        "TextPart: Your plus plan starts today.\n"
        "HtmlPart: <p>Hi Ana &amp; Co</p>"  # only HtmlPart escapes values
    )
    assert panel.output.value.startswith("<p><b>welcome version 1</b></p><pre>Subject: Welcome")


def test_choosing_endpoint_version_and_template_renders_again(aws):
    pinpoint, app_id = setup(aws)
    panel = build_template_preview_panel(
        pinpoint, app_id, [("welcome", "EMAIL"), ("welcome", "SMS")], ["ana", "guest"]
    )
    panel.endpoint.value = "guest"  # no FirstName, no plan: the default fills one, not the other
    assert panel.text().splitlines()[:2] == [
        "Subject: Welcome, friend!",
        "TextPart: Your  plan starts today.",
    ]
    panel.version.value = 2
    assert panel.text().splitlines()[0] == "Subject: friend, hello"
    assert "welcome version 2" in panel.output.value
    panel.template.value = ("welcome", "SMS")
    assert panel.version.options == ("active", 1) and panel.version.value == "active"
    assert panel.text() == "Body: Hi "


def test_the_active_version_follows_update_template_active_version(aws):
    pinpoint, app_id = setup(aws)
    pinpoint.update_template_active_version(
        TemplateName="welcome",
        TemplateType="EMAIL",
        TemplateActiveVersionRequest={"Version": "2"},
    )
    panel = build_template_preview_panel(pinpoint, app_id, [("welcome", "EMAIL")], ["ana"])
    assert panel.text().startswith("Subject: Ana & Co, hello")


def test_a_missing_endpoint_shows_the_not_found_error(aws):
    pinpoint, app_id = setup(aws)
    panel = build_template_preview_panel(pinpoint, app_id, [("welcome", "EMAIL")], ["nobody"])
    assert panel.output.value.startswith("<p>⚠ An error occurred (NotFoundException)")


def test_preview_text_orders_parts_and_the_panel_needs_choices(aws):
    assert preview_text({"TextPart": "b", "Subject": "a", "Headers": []}) == (
        "Subject: a\nTextPart: b\nHeaders: []"
    )
    with pytest.raises(ValueError, match="at least one"):
        build_template_preview_panel(None, "app", [], ["ana"])


@pytest.mark.server
def test_the_preview_works_over_http(server_aws):
    pinpoint, app_id = setup(server_aws)
    template = template_version(pinpoint, "welcome", "EMAIL", 2)
    parts = render_preview(pinpoint, app_id, template, "ana")
    assert parts["Subject"] == "Ana & Co, hello"
    panel = build_template_preview_panel(pinpoint, app_id, [("welcome", "EMAIL")], ["guest"])
    assert panel.text().startswith("Subject: Welcome, friend!")
