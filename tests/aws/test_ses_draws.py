"""SES's deliverability floats drawn a block at a time are the generator's own, in order, and the
stream ends where one ``random()`` per float taken leaves it."""

from __future__ import annotations

import numpy as np

from simlab.aws.services.ses import draws


def test_floats_taken_are_random_s_and_sync_leaves_the_stream_where_random_would():
    alone = np.random.default_rng(11)
    expected = [alone.random() for _ in range(300)]
    after = alone.random(5).tolist()

    rng = np.random.default_rng(11)
    block = draws.uniforms(rng)
    taken = []
    for _ in range(100):
        block.ready(3)
        taken += [block.take(), block.take(), block.take()]
    block.sync()
    assert taken == expected
    assert rng.random(5).tolist() == after


def test_random_stands_in_for_the_generator_and_a_sync_before_a_direct_draw_keeps_order():
    alone = np.random.default_rng(3)
    expected = [alone.random() for _ in range(6)]

    rng = np.random.default_rng(3)
    block = draws.uniforms(rng)
    first = [block.random(), block.random()]
    draws.sync(rng)  # what code drawing from the generator itself does first
    middle = [rng.random(), rng.random()]
    last = [block.random(), block.random()]
    block.sync()
    assert first + middle + last == expected


def test_holders_of_one_generator_share_its_block():
    rng = np.random.default_rng(5)
    one, two = draws.uniforms(rng), draws.uniforms(rng)
    assert one is two
    assert draws.uniforms(np.random.default_rng(5)) is not one


def test_a_generator_that_cannot_step_back_is_drawn_from_as_taken():
    rng = np.random.Generator(np.random.MT19937(2))
    alone = np.random.Generator(np.random.MT19937(2))
    block = draws.uniforms(rng)
    block.ready(3)
    assert [block.take(), block.random()] == [alone.random(), alone.random()]
    block.sync()
    assert rng.random() == alone.random()
