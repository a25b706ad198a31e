"""A timed mock exam: a seeded draw balanced across domains, no feedback until the end, a score
per domain, and unanswered questions counted wrong when time runs out."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from simlab.exam import quiz
from simlab.exam.bank import DOMAINS, Question
from simlab.exam.quiz import Score

#: Default length and time of a mock exam, as in an AWS associate exam (65 items, 130 minutes).
DEFAULT_COUNT = 65
DEFAULT_MINUTES = 130


def draw(questions: Sequence[Question], count: int, seed: int) -> list[Question]:
    """Return `count` questions taken in turn from each domain, order and options shuffled.

    Raises ValueError when `count` is not positive.
    """
    if count < 1:
        raise ValueError(f"count must be 1 or more, got {count}")
    rng = np.random.default_rng(seed)
    by_domain = {d: [q for q in questions if q.domain == d] for d in DOMAINS}
    for pool in by_domain.values():
        rng.shuffle(pool)
    chosen: list[Question] = []
    while len(chosen) < count and any(by_domain.values()):
        for pool in by_domain.values():
            if pool and len(chosen) < count:
                chosen.append(pool.pop())
    order = rng.permutation(len(chosen))
    return [quiz.shuffle(chosen[i], seed) for i in order]


@dataclass
class MockExam:
    """Questions, a time limit and a clock; answers are kept until `result()` is asked for."""

    questions: list[Question]
    minutes: float = DEFAULT_MINUTES
    clock: Callable[[], float] = time.monotonic
    answers: dict[str, frozenset[str]] = field(default_factory=dict)
    started: float | None = None

    def start(self) -> None:
        """Start the clock."""
        self.started = self.clock()

    def remaining(self) -> float:
        """Return the seconds left (the whole time before `start()`, never below 0)."""
        limit = self.minutes * 60
        if self.started is None:
            return limit
        return max(0.0, limit - (self.clock() - self.started))

    @property
    def over(self) -> bool:
        """Return whether the time is up."""
        return self.started is not None and self.remaining() <= 0

    def answer(self, question: Question, letters: str | Iterable[str]) -> bool:
        """Record an answer unless time is up; return whether it was recorded.

        Raises ValueError for letters outside A-D or the wrong number of them.
        """
        chosen = quiz.normalise(letters)
        if len(chosen) != len(question.answer):
            raise ValueError(
                f"question {question.id!r} asks for {len(question.answer)} answer(s), "
                f"got {len(chosen)}"
            )
        if self.over:
            return False
        self.answers[question.id] = chosen
        return True

    def result(self) -> MockResult:
        """Score every question: unanswered ones count as asked and wrong."""
        marked = {q.id: self.answers.get(q.id, frozenset()) for q in self.questions}
        score = quiz.score({qid: sorted(a) for qid, a in marked.items() if a}, self.questions)
        unanswered = tuple(q.id for q in self.questions if q.id not in self.answers)
        by_domain: dict[str, tuple[int, int]] = {}
        for question in self.questions:
            ok, asked = by_domain.get(question.domain, (0, 0))
            right = marked[question.id] == question.answer
            by_domain[question.domain] = (ok + right, asked + 1)
        elapsed = self.minutes * 60 - self.remaining()
        return MockResult(
            asked=len(self.questions),
            correct=score.correct,
            unanswered=unanswered,
            wrong=tuple(q.id for q in self.questions if marked[q.id] != q.answer),
            by_domain={d: by_domain[d] for d in DOMAINS if d in by_domain},
            elapsed_seconds=elapsed,
            score=score,
        )


@dataclass(frozen=True)
class MockResult:
    """The outcome of a mock exam: totals, unanswered and wrong ids, (right, asked) per domain."""

    asked: int
    correct: int
    unanswered: tuple[str, ...]
    wrong: tuple[str, ...]
    by_domain: dict[str, tuple[int, int]]
    elapsed_seconds: float
    score: Score

    @property
    def percent(self) -> float:
        """Return the share of all questions answered rightly, 0-100."""
        return 100 * self.correct / self.asked if self.asked else 0.0

    def summary(self, lang: str = "en") -> str:
        """Return the score, the time used and one line per domain, in English or Vietnamese."""
        words = _WORDS[lang]
        minutes, seconds = divmod(round(self.elapsed_seconds), 60)
        lines = [
            words["total"].format(
                correct=self.correct, asked=self.asked, percent=self.percent, m=minutes, s=seconds
            ),
            words["unanswered"].format(count=len(self.unanswered)),
            words["by_domain"],
        ]
        for domain, (ok, asked) in self.by_domain.items():
            name = DOMAINS[domain][lang]
            lines.append(f"  {name:<32} {ok:>3}/{asked:<3} ({100 * ok / asked:.0f}%)")
        return "\n".join(lines)


_WORDS = {
    "en": {
        "total": "mock exam: {correct}/{asked} ({percent:.0f}%) in {m}:{s:02d}",
        "unanswered": "unanswered (counted wrong): {count}",
        "by_domain": "by domain:",
    },
    "vi": {
        "total": "thi thử: {correct}/{asked} ({percent:.0f}%) trong {m}:{s:02d}",
        "unanswered": "chưa trả lời (tính là sai): {count}",
        "by_domain": "theo lĩnh vực:",
    },
}
