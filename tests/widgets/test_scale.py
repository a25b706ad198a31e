"""The scale panel, driven headlessly: move a control, read the new run."""

import re

import matplotlib
import pytest

from simlab.facts import sms
from simlab.sim import ScenarioError
from simlab.widgets.scale import (
    PIXEL_RATIO,
    build_scale_panel,
    mps_choices,
    origination_mps,
    png_size,
    scale_scenario,
)

matplotlib.use("Agg")


def test_the_scenario_follows_the_controls():
    scenario = scale_scenario(1_000_000, sms_share=0.2, email_share=0.5, origination="SHORT_CODE")
    assert scenario.counts() == {"email": 500_000, "sms": 200_000, "push": 300_000}
    assert scenario.channels["sms"].rate == sms.SHORT_CODE_MPS.value  # one part per message
    only_sms = scale_scenario(1_000, sms_share=1.0, email_share=0.0)
    assert list(only_sms.channels) == ["sms"]
    with pytest.raises(ScenarioError, match="origination must be one of TEN_DLC"):
        scale_scenario(1_000, 0.5, 0.5, origination="PIGEON")


def test_shares_over_one_are_refused_naming_both_fields():
    with pytest.raises(ScenarioError, match=r"sms_share \+ email_share must be at most 1"):
        scale_scenario(1_000, sms_share=0.6, email_share=0.5)
    with pytest.raises(ScenarioError, match=r"email_share must be in \[0, 1\]"):
        scale_scenario(1_000, sms_share=0.0, email_share=1.5)


def test_the_panel_says_plainly_when_shares_add_up_to_more_than_one():
    panel = build_scale_panel(1_000_000, plots=False)
    panel.sms_share.value = 0.6  # email stays at 0.50
    assert panel.result is None  # nothing runs, nothing stale is shown
    assert "SMS 0.60 + email 0.50 = 1.10" in panel.summary.value
    assert "Lower SMS or email" in panel.summary.value
    assert "done after" not in panel.summary.value
    panel.email_share.value = 0.4
    assert panel.error is None
    assert panel.result.channel("email").arrivals == 400_000  # email is not dropped
    assert panel.result.channel("sms").arrivals == 600_000
    assert "push" not in panel.result.channel_names()


def test_the_mps_slider_lands_on_every_origination_types_exact_rate():
    panel = build_scale_panel(1_000_000, plots=False)
    assert panel.mps.value == 3.0 and panel.mps.label == "3 msg/s"  # toll-free: exactly 3
    for origination in ("TEN_DLC", "TOLL_FREE", "LONG_CODE", "SENDER_ID", "SHORT_CODE"):
        assert origination_mps(origination) in mps_choices()
    panel.mps.value = 1.0
    assert panel.result.scenario == "scale-panel"
    assert "1 msg/s" in panel.summary.value


def test_picking_an_origination_type_resets_mps_and_reruns():
    panel = build_scale_panel(50_000_000, plots=False)
    panel.email_share.value = 0.0
    panel.sms_share.value = 1.0
    toll_free = panel.result.completion_s
    panel.origination.value = "SHORT_CODE"
    assert panel.mps.value == origination_mps("SHORT_CODE")
    assert panel.result.completion_s == pytest.approx(toll_free * 3 / 100, rel=0.01)
    assert "sms" in panel.summary.value and "eum" in panel.summary.value


def test_more_mps_shortens_the_campaign_and_figures_are_drawn():
    panel = build_scale_panel(1_000_000)
    before = panel.result.completion_s
    panel.mps.value = 300.0
    assert panel.result.completion_s < before / 10
    backlog, cost = panel.shown
    assert backlog.axes[0].get_ylabel() == "messages waiting"
    assert sum(bar.get_height() for bar in cost.axes[0].patches) == pytest.approx(
        panel.result.cost_usd
    )


def test_the_audience_slider_stops_on_round_sizes_up_to_ten_billion():
    panel = build_scale_panel(1_000, plots=False)
    assert panel.audience.label == "1 K"
    panel.audience.value = 10**7
    assert panel.result.messages == 10_000_000 and panel.audience.label == "10 M"
    assert panel.audience.options[-1] == ("10 B", 10**10)
    with pytest.raises(ScenarioError):
        scale_scenario(-5, 0.5, 0.5)


def table_cells(html: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", html)
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in rows]


def test_at_ten_billion_the_table_reads_as_people_say_numbers():
    panel = build_scale_panel(10**10, plots=False)
    head, *rows = table_cells(panel.summary.value)
    assert head[:5] == ["channel", "service", "rate", "messages", "sent"]
    assert all(len(row) == len(head) for row in rows)  # one cell per column, never run together
    by_channel = {row[0]: dict(zip(head, row, strict=True)) for row in rows}
    assert by_channel["email"]["messages"] == "5 B"
    assert by_channel["sms"]["messages"] == "2 B"
    assert by_channel["sms"]["rate"] == "3 msg/s"
    sms_result = panel.result.channel("sms")
    assert f'title="{sms_result.arrivals:,}"' in panel.summary.value  # the exact count on hover
    assert "<b>10 B messages</b>" in panel.summary.value


def test_figures_are_sharp_images_never_stretched_past_their_size():
    panel = build_scale_panel(100_000)
    images = panel.figures.children
    assert len(images) == len(panel.shown) == 2
    for image, figure in zip(images, panel.shown, strict=True):
        assert image.format == "png" and bytes(image.value).startswith(b"\x89PNG")
        width, _ = png_size(bytes(image.value))
        # drawn at 2 image pixels per CSS pixel (a tight bounding box trims the margins a little)
        assert width >= PIXEL_RATIO * 0.8 * figure.get_figwidth() * 96
        assert image.layout.width == f"{width // PIXEL_RATIO}px"
        assert image.layout.max_width == "100%"


def test_axes_read_as_people_say_numbers():
    panel = build_scale_panel(10**9)
    backlog = panel.shown[0].axes[0]
    backlog.figure.canvas.draw()
    labels = [t.get_text() for t in backlog.get_yticklabels() if t.get_text()]
    assert any(label.endswith((" M", " B")) for label in labels), labels
    assert not any("e" in label for label in labels), labels
