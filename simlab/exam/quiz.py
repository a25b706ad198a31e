"""The quiz bank: exam-style questions as frozen records, loaded and checked from package data.

Three verbs: `load()` the bank, `filter()` it by service or exam, `score()` a set of answers.
`stats()` counts the questions per service and per exam. Every question rests on fact keys in
`simlab.facts` and/or a notebook folder; `load()` refuses a bank that breaks a rule.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType

from simlab.exam import figures
from simlab.facts import exams as exam_facts

#: Option letters, in order.
LETTERS: tuple[str, ...] = ("A", "B", "C", "D")

#: Services a question may name; the first five follow `facts.exams`.
SERVICES: tuple[str, ...] = (
    "SNS",
    "SES",
    "Pinpoint",
    "End User Messaging",
    "Amazon Connect",
    "SQS",
    "Lambda",
    "S3",
    "Firehose",
    "Kinesis",
    "CloudWatch",
)

#: The notebook folders of the fixed layout a question may point to.
NOTEBOOKS: tuple[str, ...] = (
    "notebooks/00-start-here.ipynb",
    "notebooks/01-channels/",
    "notebooks/02-segments-and-templates/",
    "notebooks/03-campaigns-and-journeys/",
    "notebooks/04-two-way-and-otp/",
    "notebooks/05-event-destinations/",
    "notebooks/06-scale/",
    "notebooks/07-sns-ses-pinpoint/",
    "notebooks/08-exam-drill/",
)

_COUNT_WORDS = {2: "TWO", 3: "THREE"}
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")


class QuestionError(ValueError):
    """A question breaks a rule of the bank; the message names the question and the field."""


@dataclass(frozen=True, slots=True)
class Question:
    """One exam-style question: a scenario stem, four options and why each is right or wrong."""

    id: str
    stem: str
    options: Mapping[str, str]
    answer: frozenset[str]
    why: Mapping[str, str]
    exams: tuple[str, ...]
    services: tuple[str, ...]
    facts: tuple[str, ...] = ()
    notebook: str = ""

    @property
    def multiple(self) -> bool:
        """Return whether the question asks for more than one option."""
        return len(self.answer) > 1

    def text(self) -> str:
        """Return the stem, the options and every explanation, as the number check reads them."""
        parts = [self.stem, *self.options.values(), *self.why.values()]
        return "\n".join(parts)


@dataclass(frozen=True, slots=True)
class Score:
    """How a set of answers fared: totals, wrong ids, and (correct, asked) per service and exam."""

    asked: int
    correct: int
    wrong: tuple[str, ...]
    by_service: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    by_exam: Mapping[str, tuple[int, int]] = field(default_factory=dict)

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
    """How many questions the bank holds, per service and per exam."""

    total: int
    by_service: Mapping[str, int]
    by_exam: Mapping[str, int]
    multiple: int

    def summary(self) -> str:
        """Return the counts as aligned text lines."""
        lines = [f"{self.total} questions ({self.multiple} with more than one answer)"]
        for title, table in (("per service", self.by_service), ("per exam", self.by_exam)):
            lines.append(f"{title}:")
            lines += [f"  {key:<20} {count:>3}" for key, count in table.items()]
        return "\n".join(lines)


# Loading and checking ---------------------------------------------------------------------------


def _fail(qid: str, message: str) -> QuestionError:
    return QuestionError(f"question {qid!r}: {message}")


def _scope_allows(exam: str, services: Iterable[str]) -> bool:
    """Return whether an exam guide lists one of the services, or records its scope as unknown."""
    scopes = exam_facts.EXAM_SERVICES.value.get(exam, {})
    return any(scopes[s].listed in (True, None) for s in services if s in scopes)


def parse(raw: Mapping[str, object]) -> Question:
    """Return a checked `Question` from one JSON object, or raise `QuestionError`."""
    qid = str(raw.get("id", "?"))
    missing = {"id", "stem", "options", "answer", "why", "exams", "services"} - set(raw)
    if missing:
        raise _fail(qid, f"missing fields {sorted(missing)}")
    if not _ID.match(qid):
        raise _fail(qid, "id must be lower-case words joined by '-', e.g. 'sns-fanout-orders'")
    options = dict(raw["options"])  # type: ignore[call-overload]
    if tuple(options) != LETTERS or not all(str(v).strip() for v in options.values()):
        raise _fail(qid, f"options must be non-empty texts under the letters {LETTERS}")
    answer = frozenset(raw["answer"])  # type: ignore[arg-type]
    if not answer or not answer <= set(LETTERS):
        raise _fail(qid, f"answer {sorted(answer)} must be one or more of the options {LETTERS}")
    stem = str(raw["stem"])
    if len(answer) > 1 and f"(Choose {_COUNT_WORDS.get(len(answer), '?')}.)" not in stem:
        raise _fail(qid, f"a {len(answer)}-answer stem must say '(Choose ...)' with that count")
    why = dict(raw["why"])  # type: ignore[call-overload]
    if set(why) != set(LETTERS) or not all(str(v).strip() for v in why.values()):
        raise _fail(qid, f"why must explain every option {LETTERS}")
    services = tuple(raw["services"])  # type: ignore[arg-type]
    unknown = [s for s in services if s not in SERVICES]
    if not services or unknown:
        raise _fail(qid, f"services {unknown or '[]'} not among {SERVICES}")
    exams = tuple(raw["exams"])  # type: ignore[arg-type]
    known = tuple(exam_facts.EXAM_SERVICES.value)
    if not exams or not set(exams) <= set(known):
        raise _fail(qid, f"exams {list(exams)} must be among {known}")
    for exam in exams:
        if not _scope_allows(exam, services):
            raise _fail(qid, f"{exam}'s guide lists none of {list(services)} (facts.exams)")
    fact_keys = tuple(raw.get("facts", ()))  # type: ignore[arg-type]
    for key in fact_keys:
        try:
            figures.resolve(key)
        except KeyError as error:
            raise _fail(qid, f"facts: {error.args[0]}") from None
    notebook = str(raw.get("notebook", ""))
    if notebook and notebook not in NOTEBOOKS:
        raise _fail(qid, f"notebook {notebook!r} is not in the layout {NOTEBOOKS}")
    if not fact_keys and not notebook:
        raise _fail(qid, "must rest on fact keys, a notebook, or both")
    return Question(
        id=qid,
        stem=stem,
        options=MappingProxyType(options),
        answer=answer,
        why=MappingProxyType(why),
        exams=exams,
        services=services,
        facts=fact_keys,
        notebook=notebook,
    )


def parse_bank(data: Mapping[str, object]) -> tuple[Question, ...]:
    """Return the checked questions of a bank document, refusing duplicate ids."""
    questions = tuple(parse(item) for item in data["questions"])  # type: ignore[attr-defined]
    seen = Counter(q.id for q in questions)
    duplicates = sorted(qid for qid, n in seen.items() if n > 1)
    if duplicates:
        raise QuestionError(f"duplicate question ids: {duplicates}")
    return questions


@cache
def _bank() -> tuple[Question, ...]:
    text = resources.files("simlab.exam").joinpath("questions.json").read_text(encoding="utf-8")
    return parse_bank(json.loads(text))


def load() -> list[Question]:
    """Return every question of the bank shipped with simlab, checked."""
    return list(_bank())


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
) -> list[Question]:
    """Return the questions naming a service and/or targeting an exam (case-insensitive)."""
    service = _pick(service, SERVICES, "service")
    exam = _pick(exam, tuple(exam_facts.EXAM_SERVICES.value), "exam")
    pool = load() if questions is None else list(questions)
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
    for qid, answer in answers.items():
        question = pool[qid]
        ok = is_correct(question, answer)
        if not ok:
            wrong.append(qid)
        for table, keys in ((per_service, question.services), (per_exam, question.exams)):
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
    )


def stats(questions: Iterable[Question] | None = None) -> Stats:
    """Count the questions per service and per exam, in the bank's fixed orders."""
    pool = load() if questions is None else list(questions)
    services = Counter(s for q in pool for s in q.services)
    exams = Counter(e for q in pool for e in q.exams)
    return Stats(
        total=len(pool),
        by_service=MappingProxyType({s: services[s] for s in SERVICES if services[s]}),
        by_exam=MappingProxyType({e: exams[e] for e in exam_facts.EXAM_SERVICES.value if exams[e]}),
        multiple=sum(q.multiple for q in pool),
    )
