"""The question bank as data: its JSON schema, its rules, and the `Question` record it yields.

Each entry of ``questions.json`` holds one question in English (``en``) and Vietnamese
(``vi``). A *scenario* entry gives its stem, four options and why each is right or wrong in both
languages; a *figure* entry (``"kind": "figure"``) names one fact, the figure that answers it and
three wrong figures, and its options and explanations are built from the fact, so the right
answer cannot drift from `simlab.facts`. Every entry cites a public source URL (its own
``source`` or its first fact's) and a notebook section that runs what it asks about.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from simlab.exam import figures
from simlab.facts import exams as exam_facts

#: Option letters, in order.
LETTERS: tuple[str, ...] = ("A", "B", "C", "D")

#: Languages every question is written in.
LANGUAGES: tuple[str, ...] = ("en", "vi")

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

#: Exam-style domains a mock exam scores separately, with their names per language.
DOMAINS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "choose": {"en": "Choosing a service", "vi": "Chọn dịch vụ"},
        "deliver": {"en": "Sending and deliverability", "vi": "Gửi tin và khả năng gửi tới"},
        "quota": {"en": "Quotas and throughput", "vi": "Hạn mức và thông lượng"},
        "observe": {"en": "Events and monitoring", "vi": "Sự kiện và giám sát"},
        "cost": {"en": "Cost and lifecycle", "vi": "Chi phí và vòng đời"},
    }
)

#: The notebooks of the fixed layout a question may point to.
NOTEBOOKS: tuple[str, ...] = (
    "notebooks/00-start-here.ipynb",
    "notebooks/01-channels/01-channels.ipynb",
    "notebooks/02-segments-and-templates/02-segments-and-templates.ipynb",
    "notebooks/03-campaigns-and-journeys/03-campaigns-and-journeys.ipynb",
    "notebooks/04-two-way-and-otp/04-two-way-and-otp.ipynb",
    "notebooks/05-event-destinations/05-event-destinations.ipynb",
    "notebooks/06-scale/06-scale.ipynb",
    "notebooks/07-sns-ses-pinpoint/07-sns-ses-pinpoint.ipynb",
    "notebooks/08-exam-drill/08-exam-drill.ipynb",
    "notebooks/09-sns-ses-in-depth/09-sns-ses-in-depth.ipynb",
)

_CHOOSE = {
    "en": {2: "(Choose TWO.)", 3: "(Choose THREE.)"},
    "vi": {2: "(Chọn HAI.)", 3: "(Chọn BA.)"},
}
_FIGURE_WHY = {
    "en": {
        "right": "Correct: `{key}` = {shown} ({tag}, as of {as_of}).",
        "wrong": "Not the documented figure; AWS gives {figure} (`{key}`).",
        "unconfirmed": " UNCONFIRMED: do not bet an exam answer on the exact value.",
    },
    "vi": {
        "right": "Đúng: `{key}` = {shown} ({tag}, tính đến {as_of}).",
        "wrong": "Không phải con số AWS ghi; AWS ghi {figure} (`{key}`).",
        "unconfirmed": " UNCONFIRMED (chưa xác nhận): đừng đặt cược đáp án vào giá trị chính xác.",
    },
}
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")
_COMMON = {"id", "domain", "services", "exams", "notebook", "section", "en", "vi"}


class QuestionError(ValueError):
    """A question breaks a rule of the bank; the message names the question and the field."""


@dataclass(frozen=True, slots=True)
class Question:
    """One question as asked: a stem, four lettered options and why each is right or wrong.

    `order` maps each letter to the option's index in the bank entry, so a shuffled copy still
    knows where its options came from.
    """

    id: str
    stem: str
    options: Mapping[str, str]
    answer: frozenset[str]
    why: Mapping[str, str]
    exams: tuple[str, ...]
    services: tuple[str, ...]
    facts: tuple[str, ...] = ()
    notebook: str = ""
    section: str = ""
    source: str = ""
    domain: str = "choose"
    lang: str = "en"
    kind: str = "scenario"
    order: tuple[int, ...] = (0, 1, 2, 3)

    @property
    def multiple(self) -> bool:
        """Return whether the question asks for more than one option."""
        return len(self.answer) > 1

    @property
    def link(self) -> str:
        """Return the notebook section as a path with the anchor Jupyter gives its heading."""
        return f"{self.notebook}#{self.section.replace(' ', '-')}" if self.section else ""

    def text(self) -> str:
        """Return the stem, the options and every explanation, as the number check reads them."""
        parts = [self.stem, *self.options.values(), *self.why.values()]
        return "\n".join(parts)


def _fail(qid: str, message: str) -> QuestionError:
    return QuestionError(f"question {qid!r}: {message}")


def _scope_allows(exam: str, services: Iterable[str]) -> bool:
    """Return whether an exam guide lists one of the services, or records its scope as unknown."""
    scopes = exam_facts.EXAM_SERVICES.value.get(exam, {})
    return any(scopes[s].listed in (True, None) for s in services if s in scopes)


def _texts(qid: str, value: Any, name: str, count: int) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) != count:
        raise _fail(qid, f"{name} must be a list of {count} texts")
    if not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(qid, f"{name} must be non-empty texts")
    return tuple(value)


def _common(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Check the fields every entry has; return them typed."""
    qid = str(raw.get("id", "?"))
    missing = sorted(_COMMON - set(raw))
    if missing:
        raise _fail(qid, f"missing fields {missing}")
    if not _ID.match(qid):
        raise _fail(qid, "id must be lower-case words joined by '-', e.g. 'sns-fanout-orders'")
    if raw["domain"] not in DOMAINS:
        raise _fail(qid, f"domain {raw['domain']!r} must be one of {list(DOMAINS)}")
    services = tuple(raw["services"])
    unknown = [s for s in services if s not in SERVICES]
    if not services or unknown:
        raise _fail(qid, f"services {unknown or '[]'} not among {SERVICES}")
    exams = tuple(raw["exams"])
    known = tuple(exam_facts.EXAM_SERVICES.value)
    if not exams or not set(exams) <= set(known):
        raise _fail(qid, f"exams {list(exams)} must be among {known}")
    for exam in exams:
        if not _scope_allows(exam, services):
            raise _fail(qid, f"{exam}'s guide lists none of {list(services)} (facts.exams)")
    if raw["notebook"] not in NOTEBOOKS:
        raise _fail(qid, f"notebook {raw['notebook']!r} is not in the layout {NOTEBOOKS}")
    if not str(raw["section"]).strip():
        raise _fail(qid, "section must name a heading of the notebook")
    for lang in LANGUAGES:
        if not isinstance(raw[lang], Mapping) or not str(raw[lang].get("stem", "")).strip():
            raise _fail(qid, f"{lang}.stem must be a non-empty text")
    return {
        "id": qid,
        "domain": raw["domain"],
        "services": services,
        "exams": exams,
        "notebook": raw["notebook"],
        "section": str(raw["section"]),
    }


def _facts(qid: str, keys: Iterable[str]) -> tuple[str, ...]:
    keys = tuple(keys)
    for key in keys:
        try:
            figures.resolve(key)
        except KeyError as error:
            raise _fail(qid, f"facts: {error.args[0]}") from None
    return keys


def _source(qid: str, raw: Mapping[str, Any], keys: tuple[str, ...]) -> str:
    source = str(raw.get("source", "")) or (figures.resolve(keys[0])[0].url if keys else "")
    if not source.startswith("https://") or " " in source:
        raise _fail(qid, "source must be an https URL (or the question must rest on a fact)")
    return source


def _scenario(raw: Mapping[str, Any], lang: str, common: dict[str, Any]) -> Question:
    qid = common["id"]
    keys = _facts(qid, raw.get("facts", ()))
    answer = raw["answer"]
    if (
        not isinstance(answer, list)
        or not answer
        or len(set(answer)) != len(answer)
        or not all(isinstance(i, int) and 0 <= i < len(LETTERS) for i in answer)
    ):
        raise _fail(qid, f"answer {answer} must list distinct option indexes 0-3")
    texts = raw[lang]
    stem = str(texts["stem"])
    options = _texts(qid, texts.get("options"), f"{lang}.options", len(LETTERS))
    why = _texts(qid, texts.get("why"), f"{lang}.why", len(LETTERS))
    if len(answer) > 1 and _CHOOSE[lang].get(len(answer), "?") not in stem:
        wanted = _CHOOSE[lang].get(len(answer), "?")
        raise _fail(qid, f"a {len(answer)}-answer {lang}.stem must say {wanted!r}")
    return Question(
        stem=stem,
        options=MappingProxyType(dict(zip(LETTERS, options, strict=True))),
        answer=frozenset(LETTERS[i] for i in answer),
        why=MappingProxyType(dict(zip(LETTERS, why, strict=True))),
        facts=keys,
        source=_source(qid, raw, keys),
        lang=lang,
        **common,
    )


def figure_position(qid: str) -> int:
    """Return where a figure entry's right option stands before any shuffle (0-3, by its id)."""
    return zlib.crc32(qid.encode()) % len(LETTERS)


def _figure(raw: Mapping[str, Any], lang: str, common: dict[str, Any]) -> Question:
    qid = common["id"]
    (key,) = _facts(qid, [raw.get("fact", "")])
    fact, value = figures.resolve(key)
    right = str(raw.get("figure", ""))
    wrong = _texts(qid, raw.get("distractors"), "distractors", len(LETTERS) - 1)
    try:
        if not figures.agrees(right, value):
            raise _fail(qid, f"figure {right!r} is not the value of {key}")
        agreeing = [w for w in wrong if figures.agrees(w, value)]
    except ValueError as error:
        raise _fail(qid, f"figures must be numbers or dates: {error}") from None
    if agreeing or len({right, *wrong}) != len(LETTERS):
        raise _fail(qid, f"distractors {agreeing or list(wrong)} must differ from {right!r}")
    words = _FIGURE_WHY[lang]
    shown = figures._show(value, fact.unit)
    note = words["unconfirmed"] if figures.unconfirmed(key) else ""
    at = figure_position(qid)
    options = [*wrong[:at], right, *wrong[at:]]
    why = [
        words["right"].format(key=key, shown=shown, tag=fact.tag, as_of=fact.as_of) + note
        if i == at
        else words["wrong"].format(figure=right, key=key)
        for i in range(len(LETTERS))
    ]
    return Question(
        stem=str(raw[lang]["stem"]),
        options=MappingProxyType(dict(zip(LETTERS, options, strict=True))),
        answer=frozenset({LETTERS[at]}),
        why=MappingProxyType(dict(zip(LETTERS, why, strict=True))),
        facts=(key,),
        source=_source(qid, raw, (key,)),
        lang=lang,
        kind="figure",
        **common,
    )


def parse(raw: Mapping[str, Any], lang: str = "en") -> Question:
    """Return a checked `Question` in one language from a JSON entry, or raise `QuestionError`.

    Both languages are checked whichever is returned; an unknown `lang` raises ValueError.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, got {lang!r}")
    common = _common(raw)
    kind = raw.get("kind", "scenario")
    if kind not in ("scenario", "figure"):
        raise _fail(common["id"], f"kind {kind!r} must be 'scenario' or 'figure'")
    build = _figure if kind == "figure" else _scenario
    versions = {code: build(raw, code, common) for code in LANGUAGES}
    english = versions["en"]
    for code, version in versions.items():
        if version.answer != english.answer:
            raise _fail(common["id"], f"{code} answers {sorted(version.answer)}, en otherwise")
    return versions[lang]


def parse_bank(data: Mapping[str, Any], lang: str = "en") -> tuple[Question, ...]:
    """Return the checked questions of a bank document in one language, refusing duplicate ids."""
    questions = tuple(parse(item, lang) for item in data["questions"])
    seen = Counter(q.id for q in questions)
    duplicates = sorted(qid for qid, n in seen.items() if n > 1)
    if duplicates:
        raise QuestionError(f"duplicate question ids: {duplicates}")
    return questions
