import matplotlib
import numpy as np
import pytest

from simlab.plotting import (
    backlog_figure,
    cost_figure,
    delivery_rate_figure,
    latency_figure,
    time_unit,
)
from simlab.sim import simulate
from simlab.toolkit import DeliveryCurve

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def runs():
    return [simulate("sms-toll-free", messages=20_000), simulate("sms-short-code", messages=20_000)]


def test_backlog_lines_carry_the_simulated_backlog(runs):
    figure = backlog_figure(runs, channel="sms")
    lines = figure.axes[0].get_lines()
    assert [line.get_label() for line in lines] == ["sms-toll-free · sms · aggregate",
                                                    "sms-short-code · sms · aggregate"]  # fmt: skip
    toll_free = lines[0].get_ydata()
    assert toll_free.max() == runs[0].backlog_peak
    assert toll_free[-1] == 0
    size, unit = time_unit(float(runs[0].series.t[-1]))
    assert figure.axes[0].get_xlabel().endswith(f"({unit})")
    np.testing.assert_allclose(lines[0].get_xdata(), runs[0].series.t / size)


def test_latency_curve_passes_through_the_percentiles(runs):
    figure = latency_figure(runs[0])
    (line,) = figure.axes[0].get_lines()
    x, y = line.get_xdata(), line.get_ydata()
    assert x[list(y).index(0.99)] == pytest.approx(runs[0].latency_p99_s)
    assert figure.axes[0].get_xscale() == "log"


def test_cost_bars_add_up_to_each_runs_cost(runs):
    figure = cost_figure(runs)
    totals = np.zeros(2)
    for bar in figure.axes[0].patches:
        totals[round(bar.get_x() + bar.get_width() / 2)] += bar.get_height()
    np.testing.assert_allclose(totals, [r.cost_usd for r in runs])


def test_a_line_equal_to_another_stays_visible_and_says_so():
    same_workload = [simulate("sms-toll-free", messages=20_000),
                     simulate("sms-sns-toll-free", messages=20_000)]  # fmt: skip
    figure = backlog_figure(same_workload, channel="sms")
    first, second = figure.axes[0].get_lines()
    np.testing.assert_array_equal(first.get_ydata(), second.get_ydata())  # one on the other
    assert first.get_linestyle() != second.get_linestyle()
    assert second.get_label() == (
        "sms-sns-toll-free · sms · aggregate (overlaps sms-toll-free · sms · aggregate)"
    )


def test_count_axes_read_as_people_say_numbers():
    figure = backlog_figure(simulate("billion-day"))
    figure.canvas.draw()
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels() if t.get_text()]
    assert "20 M" in labels and not any("e" in label for label in labels), labels
    names = [line.get_label() for line in figure.axes[0].get_lines()]
    assert "push · aggregate (overlaps email · aggregate)" in names  # neither queues


def test_the_sms_delivery_figure_plots_the_curve_in_percent():
    curve = DeliveryCurve((0.0, 2.0, 5.0), (0.0, 0.25, 0.5), (0.0, 0.0, 0.25), accepted=4)
    figure = delivery_rate_figure(curve, title="Notices")
    [axes] = figure.axes
    delivered, failed, final = axes.lines
    assert list(delivered.get_xdata()) == [0.0, 2.0, 5.0]
    assert list(delivered.get_ydata()) == [0.0, 25.0, 50.0]
    assert list(failed.get_ydata()) == [0.0, 0.0, 25.0]
    assert list(final.get_ydata()) == [50.0, 50.0]
    assert delivered.get_drawstyle() == "steps-post"
    assert axes.get_title() == "Notices (4 messages accepted)"
    assert [t.get_text() for t in axes.get_legend().get_texts()] == [
        "delivered",
        "failed",
        "final delivery rate 50.0%",
    ]
