"""The engagement model: seeded reactions, in order, at the rates asked for."""

import numpy as np
import pytest

from simlab.engage.engine.engagement import CONVERSION_EVENT, EngagementModel, Rates


def test_the_same_seed_gives_the_same_reactions():
    first = [EngagementModel(np.random.default_rng(3)).reactions("EMAIL") for _ in range(1)]
    again = [EngagementModel(np.random.default_rng(3)).reactions("EMAIL") for _ in range(1)]
    assert first == again


def test_reactions_come_in_time_order_open_click_convert():
    model = EngagementModel(
        np.random.default_rng(1),
        {"EMAIL": Rates(1.0, 1.0, 1.0, open_event="_email.open", click_event="_email.click")},
    )
    reactions = model.reactions("EMAIL")
    assert [r.event_type for r in reactions] == ["_email.open", "_email.click", CONVERSION_EVENT]
    assert reactions[0].delay <= reactions[1].delay <= reactions[2].delay


def test_rates_hold_over_many_messages():
    model = EngagementModel(np.random.default_rng(9))
    draws = [model.reactions("EMAIL") for _ in range(20_000)]
    opens = sum(any(r.event_type == "_email.open" for r in d) for d in draws)
    clicks = sum(any(r.event_type == "_email.click" for r in d) for d in draws)
    assert opens / 20_000 == pytest.approx(0.30, abs=0.01)
    assert clicks / opens == pytest.approx(0.25, abs=0.02)


def test_sms_reports_no_open_and_unknown_channels_nothing():
    model = EngagementModel(np.random.default_rng(2))
    kinds = {r.event_type for _ in range(2000) for r in model.reactions("SMS")}
    assert kinds == {CONVERSION_EVENT}
    assert model.reactions("VOICE") == []
