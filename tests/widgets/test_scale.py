"""The scale panel, driven headlessly: move a control, read the new run."""

import matplotlib
import pytest

from simlab.facts import sms
from simlab.sim import ScenarioError
from simlab.widgets.scale import build_scale_panel, origination_mps, scale_scenario

matplotlib.use("Agg")


def test_the_scenario_follows_the_controls():
    scenario = scale_scenario(1_000_000, sms_share=0.2, email_share=0.5, origination="SHORT_CODE")
    assert scenario.counts() == {"email": 500_000, "sms": 200_000, "push": 300_000}
    assert scenario.channels["sms"].rate == sms.SHORT_CODE_MPS.value  # one part per message
    only_sms = scale_scenario(1_000, sms_share=1.0, email_share=0.5)
    assert list(only_sms.channels) == ["sms"]
    with pytest.raises(ValueError, match="origination must be one of TEN_DLC"):
        scale_scenario(1_000, 0.5, 0.5, origination="PIGEON")


def test_picking_an_origination_type_resets_mps_and_reruns():
    panel = build_scale_panel(50_000_000, plots=False)
    panel.sms_share.value = 1.0
    toll_free = panel.result.completion_s
    panel.origination.value = "SHORT_CODE"
    assert panel.mps.value == pytest.approx(origination_mps("SHORT_CODE"))
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


def test_the_audience_slider_feeds_the_scenario():
    panel = build_scale_panel(1_000, plots=False)
    panel.audience.value = 1e7
    assert panel.result.messages == 10_000_000
    with pytest.raises(ScenarioError):
        scale_scenario(-5, 0.5, 0.5)


def test_the_figures_are_shown_as_png_images_one_per_figure():
    panel = build_scale_panel(100_000)
    images = panel.figures.children
    assert len(images) == len(panel.shown) == 2
    for image in images:
        assert image.format == "png" and bytes(image.value).startswith(b"\x89PNG")
