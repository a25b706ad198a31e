"""A drill session over quiz questions, its text rendering, and the ``simlab quiz`` command.

``simlab quiz`` drills questions in English or Vietnamese (``--lang vi``), options shuffled by a
seed; it records each answer in a local progress file for spaced repetition (``--review`` asks
the due questions first) and runs a timed mock exam with a score per domain (``--mock``).
"""

from __future__ import annotations

import argparse
import functools
import secrets
import sys
import textwrap
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO, TypedDict

import numpy as np

from simlab.exam import mock, quiz
from simlab.exam.progress import Progress
from simlab.exam.quiz import Question, Score

WIDTH = 100
_COUNT_WORDS = {1: "one", 2: "TWO", 3: "THREE"}


class _Words(TypedDict):
    """The drill's words in one language (``wrong`` and ``left`` are format strings)."""

    question: str
    choose: dict[int, str]
    right: str
    wrong: str
    rests: str
    source: str
    run: str
    prompt: str
    left: str


_WORDS: dict[str, _Words] = {
    "en": {
        "question": "Question",
        "choose": {1: "(Choose one.)", 2: "(Choose TWO.)", 3: "(Choose THREE.)"},
        "right": "Right.",
        "wrong": "Wrong: the answer is {right}.",
        "rests": "Rests on: ",
        "source": "Source: ",
        "run": "Run it: ",
        "prompt": "Your answer (letters, or q to stop): ",
        "left": "time left {m}:{s:02d}",
    },
    "vi": {
        "question": "Câu",
        "choose": {1: "(Chọn một.)", 2: "(Chọn HAI.)", 3: "(Chọn BA.)"},
        "right": "Đúng.",
        "wrong": "Sai: đáp án là {right}.",
        "rests": "Dựa trên: ",
        "source": "Nguồn: ",
        "run": "Chạy thử: ",
        "prompt": "Câu trả lời (chữ cái, hoặc q để dừng): ",
        "left": "còn {m}:{s:02d}",
    },
}


def pick(questions: Sequence[Question], count: int | None, seed: int | None) -> list[Question]:
    """Return `count` questions (all when None) in an order and with options shuffled by `seed`.

    Without a seed the bank's order and option order are kept.
    """
    chosen = list(questions)
    if seed is not None:
        order = np.random.default_rng(seed).permutation(len(chosen))
        chosen = [quiz.shuffle(chosen[i], seed) for i in order]
    return chosen if count is None else chosen[:count]


@dataclass
class Drill:
    """A run through a list of questions: answer the current one, move on, read the score."""

    questions: list[Question]
    position: int = 0
    answers: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def current(self) -> Question | None:
        """Return the question to answer now, or None when the drill is over."""
        return self.questions[self.position] if self.position < len(self.questions) else None

    def answer(self, letters: str | Iterable[str]) -> bool:
        """Record an answer to the current question and return whether it is right."""
        question = self.current
        if question is None:
            raise IndexError("the drill is over; there is no current question")
        chosen = quiz.normalise(letters)
        if len(chosen) != len(question.answer):
            wanted = len(question.answer)
            noun = "answer" if wanted == 1 else "answers"
            raise ValueError(
                f"question {question.id!r} asks for {_COUNT_WORDS[wanted]} {noun}, "
                f"got {len(chosen)}: {', '.join(sorted(chosen))}"
            )
        self.answers[question.id] = chosen
        return chosen == question.answer

    def next(self) -> Question | None:
        """Move to the next question and return it (None at the end)."""
        self.position = min(self.position + 1, len(self.questions))
        return self.current

    def score(self) -> Score:
        """Return the score of the answers given so far."""
        return quiz.score(self.answers, self.questions)


# Text --------------------------------------------------------------------------------------------


def _wrap(text: str, indent: str = "", hang: str = "") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent + hang)


def render_question(question: Question, number: int, total: int) -> str:
    """Return a question as terminal text: header, stem, options and how many to choose."""
    words = _WORDS[question.lang]
    header = (
        f"{words['question']} {number}/{total} · {question.id} · {', '.join(question.services)} · "
        f"{', '.join(question.exams)}"
    )
    lines = [header, _wrap(question.stem), ""]
    lines += [_wrap(f"{letter}) {text}", "  ", "   ") for letter, text in question.options.items()]
    lines.append(words["choose"][len(question.answer)])
    return "\n".join(lines)


def render_feedback(question: Question, chosen: Iterable[str]) -> str:
    """Return the verdict, why each option is right or wrong, the source and the notebook."""
    words = _WORDS[question.lang]
    picked = quiz.normalise(chosen)
    right = ", ".join(sorted(question.answer))
    verdict = words["right"] if picked == question.answer else words["wrong"].format(right=right)
    lines = [verdict]
    for letter, why in question.why.items():
        mark = "*" if letter in question.answer else " "
        lines.append(_wrap(f"{mark}{letter} {why}", " ", "   "))
    if question.facts:
        lines.append(_wrap(words["rests"] + "; ".join(question.facts), "", "  "))
    lines.append(words["source"] + question.source)
    lines.append(f"{words['run']}{question.notebook} § {question.section}")
    return "\n".join(lines)


def run(
    drill: Drill,
    stdin: TextIO,
    stdout: TextIO,
    on_answer: Callable[[Question, bool], object] | None = None,
) -> Score:
    """Ask every question of a drill on stdout, read answers from stdin, print the score.

    `on_answer` is called with each question and whether it was answered rightly.
    """
    total = len(drill.questions)
    while (question := drill.current) is not None:
        print(render_question(question, drill.position + 1, total), file=stdout)
        reply = _ask(question, stdin, stdout, drill.answer)
        if reply is None:
            print("", file=stdout)
            return _finish(drill, stdout)
        print(render_feedback(question, drill.answers[question.id]), file=stdout)
        print("", file=stdout)
        if on_answer is not None:
            on_answer(question, drill.answers[question.id] == question.answer)
        drill.next()
    return _finish(drill, stdout)


def _ask(
    question: Question, stdin: TextIO, stdout: TextIO, record: Callable[[str], object]
) -> str | None:
    """Read lines until `record` accepts one; return it, or None at 'q' or end of input."""
    while True:
        print(_WORDS[question.lang]["prompt"], end="", file=stdout, flush=True)
        line = stdin.readline()
        reply = line.strip()
        if not stdin.isatty():
            print(reply, file=stdout)  # echo piped answers so the transcript reads well
        if not line or reply.lower() in {"q", "quit"}:
            return None
        try:
            record(reply)
        except ValueError as error:
            print(f"  {error}", file=stdout)
            continue
        return reply


def _finish(drill: Drill, stdout: TextIO) -> Score:
    score = drill.score()
    print(score.summary(), file=stdout)
    if score.wrong:
        print(_wrap("review: " + ", ".join(score.wrong)), file=stdout)
    return score


def run_mock(
    exam: mock.MockExam, stdin: TextIO, stdout: TextIO, lang: str = "en"
) -> mock.MockResult:
    """Ask a mock exam's questions without feedback until they are done or time is up; print
    the score per domain and the right answers of the questions missed."""
    words = _WORDS[lang]
    total = len(exam.questions)
    exam.start()
    for number, question in enumerate(exam.questions, start=1):
        if exam.over:
            break
        minutes, seconds = divmod(int(exam.remaining()), 60)
        print(f"[{words['left'].format(m=minutes, s=seconds)}]", file=stdout)
        print(render_question(question, number, total), file=stdout)
        if _ask(question, stdin, stdout, functools.partial(exam.answer, question)) is None:
            break
        print("", file=stdout)
    result = exam.result()
    print("", file=stdout)
    print(result.summary(lang), file=stdout)
    by_id = {q.id: q for q in exam.questions}
    for qid in result.wrong:
        question = by_id[qid]
        print(f"{qid}: {', '.join(sorted(question.answer))} · {question.source}", file=stdout)
    return result


# The command -------------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``simlab quiz`` options and set its runner."""
    parser.add_argument("--service", help="only questions naming this service, e.g. SES")
    parser.add_argument("--exam", help="only questions for this exam, e.g. SAA-C03")
    parser.add_argument("--count", type=int, help="ask at most N questions")
    parser.add_argument("--seed", type=int, help="shuffle with this seed (printed when omitted)")
    parser.add_argument("--stats", action="store_true", help="count questions; ask nothing")
    parser.add_argument("--lang", choices=quiz.LANGUAGES, default="en", help="en or vi")
    parser.add_argument(
        "--progress",
        type=Path,
        help="progress file for spaced repetition (default $SIMLAB_QUIZ_PROGRESS, else "
        "~/.simlab/quiz-progress.json)",
    )
    parser.add_argument("--no-progress", action="store_true", help="do not read or write it")
    parser.add_argument("--review", action="store_true", help="ask the questions due first")
    parser.add_argument("--mock", action="store_true", help="a timed mock exam, no feedback")
    parser.add_argument(
        "--minutes", type=float, default=mock.DEFAULT_MINUTES, help="time of the mock exam"
    )
    parser.set_defaults(run=command)


def _error(message: str) -> int:
    print(f"simlab quiz: error: {message}", file=sys.stderr)
    return 2


def command(
    args: argparse.Namespace,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Run ``simlab quiz``: print stats, drill the filtered questions, or run a mock exam."""
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    lang = getattr(args, "lang", "en")
    try:
        questions = quiz.filter(service=args.service, exam=args.exam, lang=lang)
    except ValueError as error:
        return _error(str(error))
    if args.count is not None and args.count < 1:
        return _error(f"--count must be 1 or more, got {args.count}")
    minutes = getattr(args, "minutes", mock.DEFAULT_MINUTES)
    if minutes <= 0:
        return _error(f"--minutes must be more than 0, got {minutes:g}")
    if args.stats:
        print(quiz.stats(questions).summary(), file=stdout)
        return 0
    if not questions:
        print("simlab quiz: no questions match these filters", file=sys.stderr)
        return 1
    seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
    if getattr(args, "mock", False):
        chosen = mock.draw(questions, args.count or mock.DEFAULT_COUNT, seed)
        print(f"{len(chosen)} questions, {minutes:g} minutes, seed {seed}\n", file=stdout)
        run_mock(mock.MockExam(chosen, minutes, clock), stdin, stdout, lang)
        return 0
    progress = None
    if not getattr(args, "no_progress", False):
        try:
            progress = Progress.load(getattr(args, "progress", None))
        except ValueError as error:
            return _error(str(error))
        progress.start_session()
    chosen = pick(questions, None, seed)
    if getattr(args, "review", False) and progress is not None:
        due = progress.due_count(chosen)
        chosen = progress.order(chosen)
        print(f"{due} due for review", file=stdout)
    chosen = chosen if args.count is None else chosen[: args.count]
    print(f"{len(chosen)} questions, seed {seed} (replay with --seed {seed})\n", file=stdout)
    record = None if progress is None else (lambda q, ok: progress.record(q.id, ok))
    run(Drill(chosen), stdin, stdout, record)
    if progress is not None:
        try:
            print(f"progress saved to {progress.save()}", file=stdout)
        except OSError as error:
            print(f"simlab quiz: could not save {progress.path}: {error.strerror}", file=sys.stderr)
            return 1
    return 0
