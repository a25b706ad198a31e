"""The quiz panel: filter by service and exam, answer, check, read why, watch the score.

All logic lives in `simlab.exam.quiz` and `simlab.exam.drill`; this module only wires controls
to it. `build_quiz_panel()` returns a `QuizPanel` (a VBox) whose controls are attributes, so a
test can set `.value` and call `.click()` without a browser.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets

from simlab.exam import quiz
from simlab.exam.drill import Drill, pick
from simlab.exam.quiz import Question

ALL = "all"


def question_html(question: Question, number: int, total: int) -> str:
    """Return a question as HTML: header, stem and how many options to choose."""
    count = {1: "one", 2: "TWO", 3: "THREE"}[len(question.answer)]
    return (
        f"<p><b>Question {number}/{total}</b> · {html.escape(question.id)} · "
        f"{html.escape(', '.join(question.services))} · {html.escape(', '.join(question.exams))}"
        f"</p><p>{html.escape(question.stem)}</p><p><i>Choose {count}.</i></p>"
    )


def feedback_html(question: Question, chosen: frozenset[str]) -> str:
    """Return the verdict and why each option is right or wrong, as HTML."""
    right = ", ".join(sorted(question.answer))
    verdict = "Right." if chosen == question.answer else f"Wrong: the answer is {right}."
    items = "".join(
        f"<li>{'<b>' if letter in question.answer else ''}{letter}: {html.escape(why)}"
        f"{'</b>' if letter in question.answer else ''}</li>"
        for letter, why in question.why.items()
    )
    rests = html.escape("; ".join(question.facts)) or "—"
    run = f" · run it: {html.escape(question.notebook)}" if question.notebook else ""
    return f"<p><b>{verdict}</b></p><ul>{items}</ul><p><small>rests on: {rests}{run}</small></p>"


class QuizPanel(widgets.VBox):
    """The quiz as widgets: filters, question, one checkbox per option, Check, Next, score."""

    def __init__(self, questions: Sequence[Question], seed: int = 0) -> None:
        self.bank = list(questions)
        self.seed = seed
        services = sorted({s for q in self.bank for s in q.services}, key=quiz.SERVICES.index)
        exams = [e for e in quiz.stats(self.bank).by_exam]
        self.service = widgets.Dropdown(options=[ALL, *services], value=ALL, description="Service")
        self.exam = widgets.Dropdown(options=[ALL, *exams], value=ALL, description="Exam")
        self.start = widgets.Button(description="Start", button_style="primary")
        self.question = widgets.HTML()
        self.choices = [widgets.Checkbox(value=False, indent=False) for _ in quiz.LETTERS]
        self.check = widgets.Button(description="Check")
        self.next_button = widgets.Button(description="Next")
        self.feedback = widgets.HTML()
        self.score = widgets.HTML()
        self.start.on_click(lambda _: self.restart())
        self.check.on_click(lambda _: self.check_answer())
        self.next_button.on_click(lambda _: self.advance())
        super().__init__(
            [
                widgets.HBox([self.service, self.exam, self.start]),
                self.question,
                widgets.VBox(self.choices),
                widgets.HBox([self.check, self.next_button]),
                self.feedback,
                self.score,
            ]
        )
        self.restart()

    def restart(self) -> None:
        """Start a new drill over the questions the filters select."""
        chosen = quiz.filter(
            self.bank,
            service=None if self.service.value == ALL else self.service.value,
            exam=None if self.exam.value == ALL else self.exam.value,
        )
        self.drill = Drill(pick(chosen, None, self.seed))
        self.show()

    def show(self) -> None:
        """Show the current question (or the end), clear the choices and the feedback."""
        question = self.drill.current
        total = len(self.drill.questions)
        self.feedback.value = ""
        for box in self.choices:
            box.value = False
        if question is None:
            self.question.value = f"<p><b>Done:</b> {total} question(s).</p>"
            for box in self.choices:
                box.description = ""
                box.disabled = True
        else:
            self.question.value = question_html(question, self.drill.position + 1, total)
            for letter, box in zip(quiz.LETTERS, self.choices, strict=True):
                box.description = f"{letter}) {question.options[letter]}"
                box.disabled = False
        self.check.disabled = question is None
        self.score.value = self.score_text()

    def selected(self) -> frozenset[str]:
        """Return the letters ticked now."""
        return frozenset(
            letter for letter, box in zip(quiz.LETTERS, self.choices, strict=True) if box.value
        )

    def check_answer(self) -> None:
        """Record the ticked letters for the current question and show why."""
        question = self.drill.current
        if question is None:
            return
        try:
            self.drill.answer(self.selected())
        except ValueError as error:
            self.feedback.value = f"<p>{html.escape(str(error))}</p>"
            return
        self.feedback.value = feedback_html(question, self.drill.answers[question.id])
        self.check.disabled = True
        self.score.value = self.score_text()

    def advance(self) -> None:
        """Go to the next question."""
        self.drill.next()
        self.show()

    def score_text(self) -> str:
        """Return the running score as HTML."""
        score = self.drill.score()
        return f"<p>score: {score.correct}/{score.asked} · {len(self.drill.questions)} in drill</p>"


def build_quiz_panel(questions: Sequence[Question] | None = None, seed: int = 0) -> QuizPanel:
    """Return the quiz panel over the given questions (the whole bank when None)."""
    return QuizPanel(quiz.load() if questions is None else questions, seed)
