"""Thin ipywidgets panels; each `build_*_panel()` wires controls to logic that lives below.

The functions beside them (`channel_report`, `segment_request`, `render_preview`,
`landing_text` ...) are that logic's text, so a notebook prints what a panel shows and a test
checks it without a browser.
"""

from simlab.widgets.advisor import build_advisor_panel
from simlab.widgets.channels import build_channel_panel, channel_report
from simlab.widgets.destinations import build_destinations_panel, landing_text
from simlab.widgets.instructor import build_instructor_panel
from simlab.widgets.progress import progress
from simlab.widgets.quiz import build_quiz_panel
from simlab.widgets.scale import build_scale_panel
from simlab.widgets.segments import (
    WORKSHOP_AUDIENCE,
    build_segment_panel,
    generated_audience,
    segment_request,
)
from simlab.widgets.templates import build_template_preview_panel, preview_text, render_preview

__all__ = [
    "WORKSHOP_AUDIENCE",
    "build_advisor_panel",
    "build_channel_panel",
    "build_destinations_panel",
    "build_instructor_panel",
    "build_quiz_panel",
    "build_scale_panel",
    "build_segment_panel",
    "build_template_preview_panel",
    "channel_report",
    "generated_audience",
    "landing_text",
    "preview_text",
    "progress",
    "render_preview",
    "segment_request",
]
