"""The quiz bank: exam-style questions as frozen records, loaded and checked from package data.

Three verbs: `load()` the bank (English or Vietnamese, options shuffled by a seed), `filter()` it
by service or exam, `score()` a set of answers. `stats()` counts the questions per service, exam
and domain. The rules of the bank live in `simlab.exam.bank`; `load()` refuses a bank that
breaks one.
"""

from __future__ import annotations

import json
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import numpy as np

from simlab.exam.bank import (
    DOMAINS,
    LANGUAGES,
    LETTERS,
    NOTEBOOKS,
    SERVICES,
    Question,
    QuestionError,
    parse,
    parse_bank,
)
from simlab.facts import exams as exam_facts

__all__ = [
    "DOMAINS",
    "LANGUAGES",
    "LETTERS",
    "NOTEBOOKS",
    "SERVICES",
    "Question",
    "QuestionError",
    "Score",
    "Stats",
    "filter",
    "is_correct",
    "load",
    "normalise",
    "parse",
    "parse_bank",
    "score",
    "shuffle",
    "stats",
]


@dataclass(frozen=True, slots=True)
class Score:
    """How answers fared: totals, wrong ids, (correct, asked) per service, exam and domain."""

    asked: int
    correct: int
    wrong: tuple[str, ...]
    by_service: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    by_exam: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    by_domain: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def percent(self) -> float:
        """Return the share of correct answers, 0-100 (0 when nothing was asked)."""
        return 100 * self.correct / self.asked if self.asked else 0.0

    def summary(self) -> str:
        """Return a short stable text report."""
        lines = [f"score: {self.correct}/{self.asked} ({self.percent:.0f}%)"]
        for name, table in (("service", self.by_service), ("exam", self.by_exam)):
            cells = ", ".join(f"{key} {ok}/{n}" for key, (ok, n) in sorted(table.items()))
            if cells:
                lines.append(f"by {name}: {cells}")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Stats:
    """How many questions the bank holds, per service, per exam and per domain."""

    total: int
    by_service: Mapping[str, int]
    by_exam: Mapping[str, int]
    multiple: int
    by_domain: Mapping[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        """Return the counts as aligned text lines."""
        lines = [f"{self.total} questions ({self.multiple} with more than one answer)"]
        tables = (
            ("per service", self.by_service),
            ("per exam", self.by_exam),
            ("per domain", self.by_domain),
        )
        for title, table in tables:
            if table:
                lines.append(f"{title}:")
                lines += [f"  {key:<20} {count:>3}" for key, count in table.items()]
        return "\n".join(lines)


# Loading and shuffling --------------------------------------------------------------------------


@cache
def _raw() -> dict[str, Any]:
    text = resources.files("simlab.exam").joinpath("questions.json").read_text(encoding="utf-8")
    bank: dict[str, Any] = json.loads(text)
    return bank


@cache
def _bank(lang: str) -> tuple[Question, ...]:
    return parse_bank(_raw(), lang)


def shuffle(question: Question, seed: int) -> Question:
    """Return the question with its options in an order drawn from `seed` and its id.

    The same seed gives the same order every time; the answer letters and explanations move
    with their options.
    """
    rng = np.random.default_rng([seed, zlib.crc32(question.id.encode())])
    picked = [LETTERS[i] for i in rng.permutation(len(LETTERS))]
    new = dict(zip(picked, LETTERS, strict=True))  # old letter -> new letter
    return replace(
        question,
        options=MappingProxyType({new[old]: question.options[old] for old in picked}),
        why=MappingProxyType({new[old]: question.why[old] for old in picked}),
        answer=frozenset(new[old] for old in question.answer),
        order=tuple(question.order[LETTERS.index(old)] for old in picked),
    )


def load(lang: str = "en", seed: int | None = None) -> list[Question]:
    """Return every question of the bank in `lang` ('en' or 'vi'), checked.

    With a `seed` each question's options are shuffled (`shuffle`); without one they keep the
    bank's order. Raises ValueError for an unknown language.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang {lang!r} is not one of {', '.join(LANGUAGES)}")
    questions = list(_bank(lang))
    return questions if seed is None else [shuffle(q, seed) for q in questions]


# The three verbs and the counts -----------------------------------------------------------------


def _pick(value: str | None, allowed: Sequence[str], name: str) -> str | None:
    if value is None:
        return None
    for candidate in allowed:
        if candidate.lower() == value.lower():
            return candidate
    raise ValueError(f"{name} {value!r} is not one of {', '.join(allowed)}")


def filter(  # noqa: A001 - the quiz's verb
    questions: Iterable[Question] | None = None,
    *,
    service: str | None = None,
    exam: str | None = None,
    lang: str = "en",
) -> list[Question]:
    """Return the questions naming a service and/or targeting an exam (case-insensitive).

    Without `questions` the bank is read in `lang`. Raises ValueError naming the allowed values.
    """
    service = _pick(service, SERVICES, "service")
    exam = _pick(exam, tuple(exam_facts.EXAM_SERVICES.value), "exam")
    pool = load(lang) if questions is None else list(questions)
    return [
        q
        for q in pool
        if (service is None or service in q.services) and (exam is None or exam in q.exams)
    ]


def normalise(answer: str | Iterable[str]) -> frozenset[str]:
    """Return the set of option letters in an answer such as 'b', 'A,C' or ['a', 'c']."""
    text = answer if isinstance(answer, str) else ",".join(answer)
    letters = frozenset(re.sub(r"[\s,;/]", "", text).upper())
    if not letters <= set(LETTERS):
        raise ValueError(f"answer {text!r}: use the letters {', '.join(LETTERS)}")
    return letters


def is_correct(question: Question, answer: str | Iterable[str]) -> bool:
    """Return whether an answer picks exactly the right options."""
    return normalise(answer) == question.answer


def score(
    answers: Mapping[str, str | Iterable[str]], questions: Iterable[Question] | None = None
) -> Score:
    """Score answers keyed by question id against the bank (or the questions given)."""
    pool = {q.id: q for q in (load() if questions is None else questions)}
    unknown = sorted(set(answers) - set(pool))
    if unknown:
        raise KeyError(f"no questions with ids {unknown}")
    wrong: list[str] = []
    per_service: dict[str, list[int]] = {}
    per_exam: dict[str, list[int]] = {}
    per_domain: dict[str, list[int]] = {}
    for qid, answer in answers.items():
        question = pool[qid]
        ok = is_correct(question, answer)
        if not ok:
            wrong.append(qid)
        tables = (
            (per_service, question.services),
            (per_exam, question.exams),
            (per_domain, (question.domain,)),
        )
        for table, keys in tables:
            for key in keys:
                cell = table.setdefault(key, [0, 0])
                cell[0] += ok
                cell[1] += 1
    return Score(
        asked=len(answers),
        correct=len(answers) - len(wrong),
        wrong=tuple(wrong),
        by_service=MappingProxyType({k: (v[0], v[1]) for k, v in per_service.items()}),
        by_exam=MappingProxyType({k: (v[0], v[1]) for k, v in per_exam.items()}),
        by_domain=MappingProxyType(
            {k: (per_domain[k][0], per_domain[k][1]) for k in DOMAINS if k in per_domain}
        ),
    )


def stats(questions: Iterable[Question] | None = None) -> Stats:
    """Count the questions per service, exam and domain, in the bank's fixed orders."""
    pool = load() if questions is None else list(questions)
    services = Counter(s for q in pool for s in q.services)
    exams = Counter(e for q in pool for e in q.exams)
    domains = Counter(q.domain for q in pool)
    return Stats(
        total=len(pool),
        by_service=MappingProxyType({s: services[s] for s in SERVICES if services[s]}),
        by_exam=MappingProxyType({e: exams[e] for e in exam_facts.EXAM_SERVICES.value if exams[e]}),
        multiple=sum(q.multiple for q in pool),
        by_domain=MappingProxyType({d: domains[d] for d in DOMAINS if domains[d]}),
    )
