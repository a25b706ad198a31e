"""Spaced repetition: boxes move with answers, due questions come first, the file round-trips."""

import io
import json

import pytest

from simlab.exam import quiz
from simlab.exam.drill import Drill, run
from simlab.exam.progress import TOP_BOX, Progress, default_path

BANK = quiz.load()
BY_ID = {q.id: q for q in BANK}


def test_a_right_answer_moves_a_question_up_and_spaces_it_out_a_wrong_one_starts_over():
    progress = Progress.load()
    progress.start_session()
    assert [progress.record("q-a", True).due for _ in range(3)] == [3, 5, 9]
    card = progress.record("q-a", False)
    assert (card.box, card.due, card.seen, card.right) == (1, 2, 4, 3)


def test_the_box_stops_at_the_top():
    progress = Progress.load()
    for _ in range(TOP_BOX + 3):
        progress.start_session()
        card = progress.record("q-a", True)
    assert card.box == TOP_BOX
    assert card.due == progress.session + 2 ** (TOP_BOX - 1)


def test_due_questions_come_first_lowest_box_first_then_unseen_then_the_rest():
    missed, known, fresh, later = BANK[:4]
    progress = Progress.load()
    progress.start_session()
    progress.record(missed.id, False)  # box 1, due in session 2
    progress.record(known.id, True)  # box 2, due in session 3
    progress.record(later.id, True)
    progress.record(later.id, True)  # box 3, due in session 5
    progress.start_session()
    progress.start_session()  # session 3: missed and known are due
    assert progress.due_count(BANK[:4]) == 2
    assert [q.id for q in progress.order([later, fresh, known, missed])] == [
        missed.id,
        known.id,
        fresh.id,
        later.id,
    ]


def test_progress_is_saved_and_read_back(tmp_path):
    path = tmp_path / "deep" / "progress.json"
    progress = Progress.load(path)
    progress.start_session()
    progress.record("sns-dlq", True)
    assert progress.save() == path
    again = Progress.load(path)
    assert again.session == 1
    assert again.cards == progress.cards
    assert json.loads(path.read_text())["version"] == 1


def test_the_default_file_follows_the_environment(progress_file):
    assert default_path() == progress_file
    assert Progress.load().path == progress_file


def test_a_file_that_is_not_progress_is_refused_naming_it(tmp_path):
    path = tmp_path / "notes.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(ValueError, match=f"{path}: not a quiz progress file"):
        Progress.load(path)


def test_a_drill_records_every_answer_through_its_callback():
    question = BY_ID["ses-transactional"]
    (right,) = question.answer
    progress = Progress.load()
    progress.start_session()
    run(
        Drill([question]),
        io.StringIO(f"{right}\n"),
        io.StringIO(),
        lambda q, ok: progress.record(q.id, ok),
    )
    assert progress.cards[question.id].right == 1
