"""``uniform_draws`` gives the floats ``Generator.random`` would, and leaves the stream alike."""

from __future__ import annotations

import numpy as np

from simlab.engage.sms.draws import UNIT, raw_words, uniform_draws


def test_draws_are_generator_random_s_and_the_streams_stay_together():
    ours, numpy_s = np.random.default_rng([7, 11]), np.random.default_rng([7, 11])
    draw = uniform_draws(ours)
    for step in range(5_000):
        assert draw() == numpy_s.random()
        if step % 7 == 0:  # other draws in between keep both streams in step
            assert ours.standard_normal() == numpy_s.standard_normal()
            assert ours.integers(0, 2**40) == numpy_s.integers(0, 2**40)
    assert ours.random() == numpy_s.random()


def test_another_generator_is_asked_as_it_is():
    class Loaded(np.random.Generator):
        def random(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return 0.25

    loaded = Loaded(np.random.PCG64(1))
    assert uniform_draws(loaded)() == 0.25
    philox = np.random.Generator(np.random.Philox(3))
    assert uniform_draws(philox)() == np.random.Generator(np.random.Philox(3)).random()


def test_raw_words_scaled_are_the_uniform_draws_and_other_generators_have_none():
    ours, numpy_s = np.random.default_rng([7, 11]), np.random.default_rng([7, 11])
    words = raw_words(ours)
    assert words is not None
    for _ in range(1_000):
        assert (words() >> 11) * UNIT == numpy_s.random()
    assert raw_words(np.random.Generator(np.random.Philox(3))) is None
