"""Study material for the certification exams: figures tied to facts, the quiz bank and drill.

`quiz` loads, scores and counts the question bank; `render_question` and `render_feedback` print
one question and its answer as the drill does; `exam_table` shows which exam covers which
service.
"""

from simlab.exam import quiz
from simlab.exam.bank import Question
from simlab.exam.drill import render_feedback, render_question
from simlab.exam.scope import exam_table

__all__ = ["Question", "exam_table", "quiz", "render_feedback", "render_question"]
