"""The quiz panel, driven headlessly: pick filters, tick boxes, click, read the feedback."""

from simlab.exam import quiz
from simlab.widgets.quiz import ALL, build_quiz_panel


def tick(panel, letters):
    for letter, box in zip(quiz.LETTERS, panel.choices, strict=True):
        box.value = letter in letters


def test_the_panel_starts_on_the_whole_bank_and_shows_the_first_question():
    panel = build_quiz_panel()
    total = len(quiz.load())
    assert f"Question 1/{total}" in panel.question.value
    assert [box.description[:3] for box in panel.choices] == ["A) ", "B) ", "C) ", "D) "]
    assert panel.score.value == f"<p>score: 0/0 · {total} in drill</p>"


def test_filters_restart_the_drill_on_matching_questions():
    panel = build_quiz_panel()
    panel.service.value = "End User Messaging"
    panel.exam.value = "SAA-C03"
    panel.start.click()
    expected = quiz.filter(service="End User Messaging", exam="SAA-C03")
    assert len(panel.drill.questions) == len(expected) > 0
    assert all("End User Messaging" in q.services for q in panel.drill.questions)
    panel.service.value = ALL
    panel.exam.value = ALL
    panel.start.click()
    assert len(panel.drill.questions) == len(quiz.load())


def test_a_right_answer_scores_and_explains_every_option():
    panel = build_quiz_panel()
    question = panel.drill.current
    tick(panel, question.answer)
    panel.check.click()
    assert panel.feedback.value.startswith("<p><b>Right.</b></p>")
    assert panel.feedback.value.count("<li>") == 4
    assert "rests on:" in panel.feedback.value
    assert panel.score.value.startswith("<p>score: 1/1")
    assert panel.check.disabled


def test_a_wrong_answer_names_the_right_one_and_next_moves_on():
    panel = build_quiz_panel(quiz.filter(service="SES"))
    question = panel.drill.current
    wrong = [letter for letter in quiz.LETTERS if letter not in question.answer][
        : len(question.answer)
    ]
    tick(panel, wrong)
    panel.check.click()
    assert f"Wrong: the answer is {', '.join(sorted(question.answer))}." in panel.feedback.value
    assert panel.score.value.startswith("<p>score: 0/1")
    panel.next_button.click()
    assert "Question 2/" in panel.question.value
    assert not any(box.value for box in panel.choices)
    assert panel.feedback.value == ""


def test_ticking_the_wrong_number_of_boxes_asks_again_without_scoring():
    two = [q for q in quiz.load() if q.multiple][:1]
    panel = build_quiz_panel(two)
    tick(panel, "A")
    panel.check.click()
    assert "asks for TWO answers, got 1" in panel.feedback.value
    assert panel.drill.answers == {}


def test_the_end_of_the_drill_disables_the_choices():
    panel = build_quiz_panel(quiz.load()[:1])
    panel.next_button.click()
    assert "Done" in panel.question.value
    assert all(box.disabled for box in panel.choices)
    assert panel.check.disabled
