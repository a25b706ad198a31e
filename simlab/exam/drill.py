"""A drill session over quiz questions, its text rendering, and the ``simlab quiz`` command."""

from __future__ import annotations

import argparse
import secrets
import sys
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TextIO

import numpy as np

from simlab.exam import quiz
from simlab.exam.quiz import Question, Score

WIDTH = 100
_COUNT_WORDS = {1: "one", 2: "TWO", 3: "THREE"}


def pick(questions: Sequence[Question], count: int | None, seed: int | None) -> list[Question]:
    """Return `count` questions (all when None), shuffled by `seed` (bank order when None)."""
    chosen = list(questions)
    if seed is not None:
        order = np.random.default_rng(seed).permutation(len(chosen))
        chosen = [chosen[i] for i in order]
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
    header = (
        f"Question {number}/{total} · {question.id} · {', '.join(question.services)} · "
        f"{', '.join(question.exams)}"
    )
    lines = [header, _wrap(question.stem), ""]
    lines += [_wrap(f"{letter}) {text}", "  ", "   ") for letter, text in question.options.items()]
    lines.append(f"(Choose {_COUNT_WORDS[len(question.answer)]}.)")
    return "\n".join(lines)


def render_feedback(question: Question, chosen: Iterable[str]) -> str:
    """Return the verdict, why each option is right or wrong, and what the question rests on."""
    picked = quiz.normalise(chosen)
    right = ", ".join(sorted(question.answer))
    verdict = "Right." if picked == question.answer else f"Wrong: the answer is {right}."
    lines = [verdict]
    for letter, why in question.why.items():
        mark = "*" if letter in question.answer else " "
        lines.append(_wrap(f"{mark}{letter} {why}", " ", "   "))
    if question.facts:
        lines.append(_wrap("Rests on: " + "; ".join(question.facts), "", "  "))
    if question.notebook:
        lines.append(f"Run it: {question.notebook}")
    return "\n".join(lines)


def run(drill: Drill, stdin: TextIO, stdout: TextIO) -> Score:
    """Ask every question of a drill on stdout, read answers from stdin, print the score."""
    total = len(drill.questions)
    while (question := drill.current) is not None:
        print(render_question(question, drill.position + 1, total), file=stdout)
        while True:
            print("Your answer (letters, or q to stop): ", end="", file=stdout, flush=True)
            line = stdin.readline()
            reply = line.strip()
            if not stdin.isatty():
                print(reply, file=stdout)  # echo piped answers so the transcript reads well
            if not line or reply.lower() in {"q", "quit"}:
                print("", file=stdout)
                return _finish(drill, stdout)
            try:
                drill.answer(reply)
            except ValueError as error:
                print(f"  {error}", file=stdout)
                continue
            break
        print(render_feedback(question, drill.answers[question.id]), file=stdout)
        print("", file=stdout)
        drill.next()
    return _finish(drill, stdout)


def _finish(drill: Drill, stdout: TextIO) -> Score:
    score = drill.score()
    print(score.summary(), file=stdout)
    if score.wrong:
        print(_wrap("review: " + ", ".join(score.wrong)), file=stdout)
    return score


# The command -------------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``simlab quiz`` options and set its runner."""
    parser.add_argument("--service", help="only questions naming this service, e.g. SES")
    parser.add_argument("--exam", help="only questions for this exam, e.g. SAA-C03")
    parser.add_argument("--count", type=int, help="ask at most N questions")
    parser.add_argument("--seed", type=int, help="shuffle with this seed (printed when omitted)")
    parser.add_argument("--stats", action="store_true", help="count questions; ask nothing")
    parser.set_defaults(run=command)


def command(
    args: argparse.Namespace, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    """Run ``simlab quiz``: print stats, or drill the filtered questions interactively."""
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    try:
        questions = quiz.filter(service=args.service, exam=args.exam)
    except ValueError as error:
        print(f"simlab quiz: error: {error}", file=sys.stderr)
        return 2
    if args.count is not None and args.count < 1:
        print(f"simlab quiz: error: --count must be 1 or more, got {args.count}", file=sys.stderr)
        return 2
    if args.stats:
        print(quiz.stats(questions).summary(), file=stdout)
        return 0
    if not questions:
        print("simlab quiz: no questions match these filters", file=sys.stderr)
        return 1
    seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
    chosen = pick(questions, args.count, seed)
    print(f"{len(chosen)} questions, seed {seed} (replay with --seed {seed})\n", file=stdout)
    run(Drill(chosen), stdin, stdout)
    return 0
