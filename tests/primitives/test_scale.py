import pytest

from simlab.primitives import SCALES, ScaleError, default_scale
from simlab.primitives.scale import check_scale


def test_the_scale_is_ci_under_pytest_and_follows_simlab_scale(monkeypatch):
    assert default_scale() == "ci"
    monkeypatch.setenv("SIMLAB_SCALE", "full")
    assert default_scale() == "full"


def test_outside_pytest_the_default_is_the_workshop(monkeypatch):
    monkeypatch.delenv("SIMLAB_SCALE", raising=False)
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    assert default_scale() == "workshop"


def test_an_unknown_scale_names_the_setting_and_the_choices(monkeypatch):
    monkeypatch.setenv("SIMLAB_SCALE", "huge")
    with pytest.raises(ScaleError, match="SIMLAB_SCALE must be one of ci, workshop, full"):
        default_scale()
    with pytest.raises(ValueError, match="scale must be one of ci, workshop, full; got 'x'"):
        check_scale("x")


def test_sim_and_primitives_share_one_table():
    from simlab import sim

    assert sim.SCALES is SCALES and sim.default_scale is default_scale
