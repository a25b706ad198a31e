"""``simlab quiz`` and the drill behind it, driven through stdin as a learner would."""

import contextlib
import io
import json
import subprocess
import sys
from unittest import mock

import pytest

from simlab import cli
from simlab.exam import mock as mock_exam
from simlab.exam import quiz
from simlab.exam.drill import Drill, pick, render_feedback, render_question

BANK = quiz.load()
BY_ID = {q.id: q for q in BANK}


def simlab(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run ``simlab`` in this process with the given stdin; return what it printed."""
    out, err = io.StringIO(), io.StringIO()
    with (
        mock.patch("sys.stdin", io.StringIO(stdin)),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        code = cli.main(list(args))
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def simlab_process(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simlab.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def answers_for(questions: list, right: bool = True) -> str:
    """Return stdin lines answering each question as asked rightly (or with wrong letters)."""
    lines = []
    for question in questions:
        answer = question.answer
        if right:
            lines.append(",".join(sorted(answer)))
        else:
            wrong = [letter for letter in quiz.LETTERS if letter not in answer][: len(answer)]
            lines.append(",".join(wrong))
    return "\n".join(lines) + "\n"


def asked(stdout: str) -> list[str]:
    return [line.split(" · ")[1] for line in stdout.splitlines() if line.startswith("Question ")]


# The command ------------------------------------------------------------------------------------


def test_a_seeded_session_asks_the_same_questions_every_time():
    first = simlab_process("quiz", "--service", "SES", "--count", "4", "--seed", "7", stdin="q\n")
    ids = pick(quiz.filter(service="SES"), 4, 7)
    assert first.returncode == 0
    assert first.stdout.splitlines()[0] == "4 questions, seed 7 (replay with --seed 7)"
    assert asked(first.stdout) == [ids[0].id]  # 'q' stops after the first question


def test_right_answers_score_full_marks_with_explanations():
    chosen = pick(quiz.filter(exam="CLF-C02"), 5, 3)
    result = simlab(
        "quiz", "--exam", "clf-c02", "--count", "5", "--seed", "3", stdin=answers_for(chosen)
    )
    assert result.returncode == 0, result.stderr
    assert asked(result.stdout) == [q.id for q in chosen]
    assert result.stdout.count("Right.") == 5
    assert "Rests on: " in result.stdout and "Run it: notebooks/" in result.stdout
    assert "Source: https://" in result.stdout
    assert "score: 5/5 (100%)" in result.stdout
    assert "by exam: " in result.stdout and "CLF-C02 5/5" in result.stdout


def test_wrong_answers_show_the_right_one_and_the_review_list():
    chosen = pick(quiz.filter(service="Pinpoint"), 3, 11)
    ids = [q.id for q in chosen]
    result = simlab(
        "quiz",
        "--service",
        "pinpoint",
        "--count",
        "3",
        "--seed",
        "11",
        stdin=answers_for(chosen, right=False),
    )
    first = chosen[0]
    assert f"Wrong: the answer is {', '.join(sorted(first.answer))}." in result.stdout
    assert "score: 0/3 (0%)" in result.stdout
    assert f"review: {', '.join(ids)}" in result.stdout


def test_bad_input_is_asked_again_and_end_of_input_scores_what_was_answered():
    chosen = pick(quiz.load(), 2, 5)
    result = simlab(
        "quiz", "--count", "2", "--seed", "5", stdin="maybe\n" + answers_for(chosen[:1])
    )
    assert "answer 'maybe': use the letters A, B, C, D" in result.stdout
    assert "score: 1/1 (100%)" in result.stdout


def test_a_multiple_answer_question_asks_for_its_count():
    question = BY_ID["life-continuing"]
    drill = Drill([question])
    with pytest.raises(ValueError, match="asks for TWO answers, got 1: A"):
        drill.answer("A")
    assert drill.answer(" ".join(sorted(question.answer, reverse=True)).lower()) is True
    assert drill.next() is None
    assert drill.score().correct == 1


def test_stats_count_per_service_and_exam_and_ask_nothing():
    result = simlab("quiz", "--stats")
    stats = quiz.stats()
    lines = result.stdout.splitlines()
    assert result.returncode == 0
    assert lines[0] == f"{stats.total} questions ({stats.multiple} with more than one answer)"
    assert f"  SNS                  {stats.by_service['SNS']:>3}" in lines
    assert f"  SAA-C03              {stats.by_exam['SAA-C03']:>3}" in lines
    assert "Question" not in result.stdout


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--service", "Chime"], "service 'Chime' is not one of SNS, SES, Pinpoint"),
        (["--exam", "ABC-C01"], "exam 'ABC-C01' is not one of SAP-C02"),
        (["--count", "0"], "--count must be 1 or more, got 0"),
        (["--mock", "--minutes", "0"], "--minutes must be more than 0, got 0"),
    ],
)
def test_bad_options_get_one_line_and_exit_2(args, error):
    result = simlab("quiz", *args)
    assert result.returncode == 2
    assert result.stderr.startswith(f"simlab quiz: error: {error}")
    assert len(result.stderr.splitlines()) == 1


# Rendering --------------------------------------------------------------------------------------


def test_a_question_renders_with_its_options_and_how_many_to_choose():
    question = BY_ID["sns-a2p"]
    text = render_question(question, 2, 9)
    assert text.splitlines()[0] == "Question 2/9 · sns-a2p · SNS · CLF-C02, SAA-C03"
    assert all(f"  {letter}) {option}" in text for letter, option in question.options.items())
    assert text.endswith("(Choose TWO.)")


def test_a_vietnamese_question_renders_in_vietnamese():
    question = next(q for q in quiz.load("vi") if q.id == "sns-a2p")
    text = render_question(question, 1, 1)
    assert text.splitlines()[0].startswith("Câu 1/1 · sns-a2p")
    assert text.endswith("(Chọn HAI.)")
    assert render_feedback(question, question.answer).startswith("Đúng.")


def test_feedback_marks_the_answer_and_names_its_facts_source_and_notebook_section():
    question = BY_ID["ses-sandbox-quota"]
    (right,) = question.answer
    wrong = next(letter for letter in quiz.LETTERS if letter != right)
    text = render_feedback(question, wrong)
    assert text.splitlines()[0] == f"Wrong: the answer is {right}."
    assert f" *{right} Correct: the sandbox quota is 200 per 24 hours" in text
    assert "UNCONFIRMED" in text
    assert "ses.SANDBOX_MAX_24_HOUR_SEND" in text
    assert "Source: https://docs.aws.amazon.com/ses/latest/dg/quotas.html" in text
    assert text.splitlines()[-1] == (
        "Run it: notebooks/00-start-here.ipynb § 3. Verify identities with SES"
    )


def test_pick_is_deterministic_per_seed_and_keeps_bank_order_without_one():
    assert pick(BANK, 5, 1) == pick(BANK, 5, 1)
    assert pick(BANK, 5, 1) != pick(BANK, 5, 2)
    assert pick(BANK, None, None) == BANK


def test_pick_shuffles_the_options_of_each_question_with_its_answer():
    for shown in pick(BANK, 20, 4):
        original = BY_ID[shown.id]
        assert sorted(shown.options.values()) == sorted(original.options.values())
        right = {shown.options[letter] for letter in shown.answer}
        assert right == {original.options[letter] for letter in original.answer}


def test_run_works_on_in_memory_streams():
    from simlab.exam.drill import run

    question = BY_ID["ses-transactional"]
    out = io.StringIO()
    (letter,) = question.answer
    score = run(Drill([question]), io.StringIO(f"{letter}\n"), out)
    assert (score.asked, score.correct) == (1, 1)
    assert out.getvalue().splitlines()[-1] == "by exam: CLF-C02 1/1, SAP-C02 1/1"


# Languages, progress and the mock exam through the command ---------------------------------------


def test_lang_vi_asks_in_vietnamese_with_the_same_shuffle():
    english = pick(quiz.filter(service="SES"), 1, 21)
    vietnamese = pick(quiz.filter(service="SES", lang="vi"), 1, 21)
    assert [q.id for q in english] == [q.id for q in vietnamese]
    assert english[0].answer == vietnamese[0].answer
    result = simlab(
        "quiz",
        "--service",
        "SES",
        "--lang",
        "vi",
        "--count",
        "1",
        "--seed",
        "21",
        stdin=answers_for(vietnamese),
    )
    assert result.returncode == 0, result.stderr
    assert f"Câu 1/1 · {vietnamese[0].id}" in result.stdout
    assert "Đúng." in result.stdout and "Nguồn: https://" in result.stdout


def test_answers_are_saved_to_the_progress_file_and_review_asks_the_missed_one_first(
    progress_file,
):
    chosen = pick(quiz.filter(service="SNS"), 3, 8)
    first = simlab(
        "quiz",
        "--service",
        "SNS",
        "--count",
        "3",
        "--seed",
        "8",
        stdin=answers_for(chosen[:1], right=False) + answers_for(chosen[1:]),
    )
    assert f"progress saved to {progress_file}" in first.stdout
    saved = json.loads(progress_file.read_text())
    assert saved["session"] == 1
    assert saved["cards"][chosen[0].id]["box"] == 1
    assert saved["cards"][chosen[1].id]["box"] == 2
    again = simlab("quiz", "--service", "SNS", "--review", "--seed", "99", stdin="q\n")
    assert "1 due for review" in again.stdout
    assert asked(again.stdout) == [chosen[0].id]


def test_an_explicit_progress_path_wins_and_no_progress_writes_nothing(tmp_path, progress_file):
    mine = tmp_path / "mine.json"
    simlab("quiz", "--count", "1", "--seed", "1", "--progress", str(mine), stdin="q\n")
    assert mine.exists() and not progress_file.exists()
    simlab("quiz", "--count", "1", "--seed", "1", "--no-progress", stdin="q\n")
    assert not progress_file.exists()


def test_a_mock_exam_from_the_command_line_scores_each_domain():
    chosen = mock_exam.draw(quiz.load(), 5, 4)
    result = simlab("quiz", "--mock", "--count", "5", "--seed", "4", stdin=answers_for(chosen))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "5 questions, 130 minutes, seed 4"
    assert "mock exam: 5/5 (100%)" in result.stdout
    assert "by domain:" in result.stdout
    assert "Right." not in result.stdout


def test_a_progress_path_that_cannot_be_read_or_saved_gets_one_line(tmp_path):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    unreadable = simlab("quiz", "--count", "1", "--progress", str(folder), stdin="q\n")
    assert unreadable.returncode == 2
    assert unreadable.stderr.startswith(f"simlab quiz: error: {folder}: cannot read")
    blocked = tmp_path / "file"
    blocked.write_text("")
    unsaved = simlab("quiz", "--count", "1", "--progress", str(blocked / "p.json"), stdin="q\n")
    assert unsaved.returncode == 1
    assert unsaved.stderr.startswith(f"simlab quiz: could not save {blocked / 'p.json'}")
    assert len(unsaved.stderr.splitlines()) == 1
