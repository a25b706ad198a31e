"""Which exam guides list which messaging services, as a table for the notes and the drill."""

from __future__ import annotations

from simlab.facts import exams

#: Services shown in the exam table, in column order.
SERVICES: tuple[str, ...] = ("SNS", "SES", "Pinpoint", "Amazon Connect")

_WORDS = {
    "en": {
        "exam": "Exam",
        "yes": "listed",
        "no": "not listed",
        "unknown": "unknown",
        "unconfirmed": "UNCONFIRMED",
        "blank": "—",
        "caption": "Source: {source}, as of {as_of} (<{url}>). "
        "— = not recorded in `facts.exams`; **UNCONFIRMED** = not checked against the "
        "official guide.",
    },
    "vi": {
        "exam": "Kỳ thi",
        "yes": "có",
        "no": "không có",
        "unknown": "chưa rõ",
        "unconfirmed": "UNCONFIRMED",
        "blank": "—",
        "caption": "Nguồn: {source}, tính đến {as_of} (<{url}>). "
        "— = `facts.exams` không ghi; **UNCONFIRMED** = chưa đối chiếu với hướng dẫn "
        "thi chính thức.",
    },
}


def exam_codes() -> tuple[str, ...]:
    """Return the exam codes simlab knows, in the order of `facts.exams.EXAM_SERVICES`."""
    return tuple(exams.EXAM_SERVICES.value)


def listed(exam: str, service: str) -> bool | None:
    """Return whether an exam guide lists a service: True, False, or None when unknown."""
    scope = exams.EXAM_SERVICES.value.get(exam, {}).get(service)
    return None if scope is None else scope.listed


def exam_table(lang: str = "en") -> str:
    """Return a markdown table of exams × services from `facts.exams`, flags included."""
    words = _WORDS[lang]
    head = f"| {words['exam']} | " + " | ".join(SERVICES) + " |"
    rows = [head, "|" + "---|" * (len(SERVICES) + 1)]
    for exam, scopes in exams.EXAM_SERVICES.value.items():
        cells = []
        for service in SERVICES:
            scope = scopes.get(service)
            if scope is None:
                cells.append(words["blank"])
                continue
            if scope.listed is None:
                cell = words["unknown"]
            elif scope.listed:
                cell = f"{words['yes']} ({scope.domain})" if scope.domain else words["yes"]
            else:
                cell = words["no"]
            if not scope.confirmed:
                cell += f" **{words['unconfirmed']}**"
            cells.append(cell)
        rows.append(f"| {exam} | " + " | ".join(cells) + " |")
    fact = exams.EXAM_SERVICES
    caption = words["caption"].format(source=fact.source, as_of=fact.as_of, url=fact.url)
    return "\n".join([*rows, "", caption])
