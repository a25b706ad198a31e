"""The timed mock exam: a balanced seeded draw, a clock that ends it, a score per domain."""

import io
from collections import Counter

import pytest

from simlab.exam import mock, quiz
from simlab.exam.drill import run_mock

BANK = quiz.load()


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_draw_is_seeded_and_takes_questions_from_every_domain_in_turn():
    drawn = mock.draw(BANK, 20, seed=5)
    assert drawn == mock.draw(BANK, 20, seed=5)
    assert [q.id for q in drawn] != [q.id for q in mock.draw(BANK, 20, seed=6)]
    assert len({q.id for q in drawn}) == 20
    assert Counter(q.domain for q in drawn) == dict.fromkeys(quiz.DOMAINS, 4)


def test_a_draw_refuses_a_count_below_one():
    with pytest.raises(ValueError, match="count must be 1 or more, got 0"):
        mock.draw(BANK, 0, seed=1)


def test_answers_after_the_time_limit_are_not_recorded_and_count_wrong():
    clock = FakeClock()
    questions = mock.draw(BANK, 3, seed=2)
    exam = mock.MockExam(questions, minutes=1, clock=clock)
    exam.start()
    first, second, third = questions
    assert exam.answer(first, sorted(first.answer)) is True
    clock.now += 30
    wrong = next(letter for letter in quiz.LETTERS if letter not in second.answer)
    assert exam.answer(second, [wrong]) is True
    clock.now += 31
    assert exam.over
    assert exam.answer(third, sorted(third.answer)) is False
    result = exam.result()
    assert (result.asked, result.correct) == (3, 1)
    assert result.unanswered == (third.id,)
    assert result.wrong == (second.id, third.id)
    assert sum(asked for _, asked in result.by_domain.values()) == 3
    assert sum(ok for ok, _ in result.by_domain.values()) == 1
    assert result.summary().splitlines()[:2] == [
        "mock exam: 1/3 (33%) in 1:00",
        "unanswered (counted wrong): 1",
    ]


def test_the_terminal_mock_exam_stops_at_the_time_limit_and_scores_each_domain():
    clock = FakeClock()
    questions = mock.draw(quiz.load("vi"), 5, seed=9)

    class SlowInput(io.StringIO):
        def readline(self, *args):  # every answer takes 35 seconds
            clock.now += 35
            return super().readline(*args)

    answers = "".join(",".join(sorted(q.answer)) + "\n" for q in questions)
    out = io.StringIO()
    result = run_mock(mock.MockExam(questions, 2, clock), SlowInput(answers), out, "vi")
    text = out.getvalue()
    # the fourth answer comes after the 2 minutes are up, and the fifth question is never shown
    assert [f"Câu {n}/5 · " in text for n in range(1, 6)] == [True] * 4 + [False]
    assert (result.correct, len(result.unanswered)) == (3, 2)
    assert "thi thử: 3/5 (60%) trong 2:00" in text
    assert "theo lĩnh vực:" in text
    assert "Right." not in text and "Đúng." not in text  # no feedback during the exam
    for qid in result.unanswered:
        assert text.count(f"{qid}: ") == 1
