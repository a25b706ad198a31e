"""The text progress bar of long notebook cells."""

import io

import pytest

from simlab.widgets.progress import bar, progress


def final_line(text: str) -> str:
    """What a notebook or terminal shows once the carriage returns have done their work."""
    return text.rstrip("\n").split("\r")[-1]


def test_the_bar_yields_every_item_and_ends_full():
    out = io.StringIO()
    assert list(progress(range(250), label="loading", stream=out, every_s=0)) == list(range(250))
    assert out.getvalue().endswith("\n")
    assert final_line(out.getvalue()) == "loading [" + "#" * 30 + "] 100% (250 of 250)"
    assert len(out.getvalue().split("\r")) <= 102  # redrawn only when the percentage moves


def test_a_bar_shows_how_far_it_has_come():
    assert bar("put_events", 350, 1_000) == (
        "put_events [##########....................]  35% (350 of 1,000)"
    )


def test_a_generator_needs_its_total():
    with pytest.raises(TypeError):
        list(progress(iter([1, 2]), stream=io.StringIO()))
    out = io.StringIO()
    assert list(progress(iter([1, 2]), 2, "two", stream=out)) == [1, 2]
    assert final_line(out.getvalue()).endswith("(2 of 2)")
