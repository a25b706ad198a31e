"""Words drawn ahead give the floats ``random`` and ``standard_normal`` would, and leave the
stream where one call per draw would have left it."""

from __future__ import annotations

import numpy as np

from simlab.engage.sms import ziggurat
from simlab.engage.sms.ziggurat import Words


def test_numpy_s_tables_are_read_on_this_numpy():
    tables = ziggurat.ziggurat()
    assert tables is not None
    w, k = tables
    assert len(w) == len(k) == 256
    assert sum(bound == 0 for bound in k) <= 2  # a layer or two always left to NumPy


def test_draws_are_numpy_s_and_the_stream_ends_where_numpy_s_does():
    ours, numpys = np.random.default_rng([5, 9]), np.random.default_rng([5, 9])
    settled: list[object] = []
    words = Words(ours, ziggurat.ziggurat(), settled.append)  # type: ignore[arg-type]
    left_to_numpy = 0
    for step in range(30_000):
        if step % 3:
            assert words.uniform() == numpys.random()
        else:
            at, block = words.at, words.words
            assert words.normal() == numpys.standard_normal()
            left_to_numpy += not block or words.words is not block or words.at != at + 1
    words.settle()
    assert ours.bit_generator.state == numpys.bit_generator.state
    assert left_to_numpy > 20  # the rare path was taken, and agreed
    assert settled[-1] is None  # the last word given back: nothing is left ahead


def test_a_stream_settled_mid_block_goes_on_as_numpy_s():
    ours, numpys = np.random.default_rng(3), np.random.default_rng(3)
    words = Words(ours, ziggurat.ziggurat())  # type: ignore[arg-type]
    for _ in range(7):
        assert words.uniform() == numpys.random()
    words.settle()  # words drawn ahead are given back: anyone may draw next
    assert ours.integers(0, 2**40) == numpys.integers(0, 2**40)
    assert words.normal() == numpys.standard_normal()
    words.settle()
    assert ours.bit_generator.state == numpys.bit_generator.state


def test_another_generator_has_no_tables():
    assert ziggurat.tables_for(np.random.Generator(np.random.Philox(1))) is None
    assert ziggurat.tables_for(np.random.default_rng(1)) is ziggurat.ziggurat()
