"""The quiz bank: enough questions in two languages, every rule checked on load, every number a
fact, every link followed, and no tell in where or how long the right answer is."""

import copy
import json
import re
import statistics
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from simlab.exam import figures, quiz
from simlab.exam.quiz import Question, QuestionError
from simlab.facts import exams as exam_facts

ROOT = Path(__file__).resolve().parents[2]
BANK = quiz.load()
VI = quiz.load("vi")
RAW = json.loads(resources.files("simlab.exam").joinpath("questions.json").read_text("utf-8"))
BY_ID = {q.id: q for q in BANK}
SINGLE = [q for q in BANK if not q.multiple]


def raw_entry(qid: str = "sns-fanout-orders") -> dict:
    return copy.deepcopy(next(q for q in RAW["questions"] if q["id"] == qid))


# The bank ----------------------------------------------------------------------------------------


def test_the_bank_holds_at_least_250_questions_with_unique_ids_in_both_languages():
    assert len(BANK) >= 250
    assert len({q.id for q in BANK}) == len(BANK)
    assert [q.id for q in VI] == [q.id for q in BANK]
    assert {q.lang for q in BANK} == {"en"} and {q.lang for q in VI} == {"vi"}


def test_every_question_has_a_vietnamese_text_of_its_own_with_the_same_answer():
    for english, vietnamese in zip(BANK, VI, strict=True):
        assert vietnamese.answer == english.answer, english.id
        assert vietnamese.stem != english.stem, english.id
        if english.kind == "scenario":
            assert list(vietnamese.why.values()) != list(english.why.values()), english.id


def test_questions_cover_every_service_of_the_comparison_every_domain_and_the_lifecycle():
    per_service = quiz.stats().by_service
    for service in ("SNS", "SES", "Pinpoint", "End User Messaging", "Amazon Connect"):
        assert per_service.get(service, 0) >= 8, service
    for service in ("SQS", "Lambda", "Firehose", "Kinesis", "CloudWatch"):
        assert per_service.get(service, 0) >= 3, service
    assert set(quiz.stats().by_domain) == set(quiz.DOMAINS)
    assert len([q for q in BANK if q.id.startswith("life-")]) >= 6
    assert any(q.multiple for q in BANK)


@pytest.mark.parametrize(
    ("qid", "right"),
    [
        ("sns-fanout-orders", "SNS topic and subscribe one Amazon SQS queue"),
        ("ses-transactional", "Amazon SES"),
        ("pp-segmented-campaign", "Amazon Pinpoint"),
        ("eum-two-way-sms", "End User Messaging SMS phone number"),
        ("life-new-account", "Connect outbound campaigns"),
        ("eum-otp-production", "Production SMS access and an active origination identity"),
        ("eum-toll-free-stop", "The carrier handles toll-free opt-out"),
        ("eum-notify", "SendNotifyCodeVerification and ValidateNotifyCodeVerification"),
        ("sns-fifo-standard-queue", "An SQS standard queue"),
    ],
)
def test_the_classic_cues_and_the_corrected_facts_have_the_expected_answers(qid, right):
    question = BY_ID[qid]
    (letter,) = question.answer
    assert right in question.options[letter]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_number_in_a_question_is_a_value_of_the_facts_it_rests_on(lang):
    for question in quiz.load(lang):
        dates = {figures.resolve(key)[0].as_of for key in question.facts}
        texts = [question.stem, *question.why.values()]
        if question.kind == "scenario":  # a figure question's wrong options are wrong on purpose
            texts += question.options.values()
        for number in figures.numbers("\n".join(texts), dates=True):
            if number in dates:
                continue
            backing = [
                key
                for key in question.facts
                for v in figures.leaves(figures.resolve(key)[1])
                if figures.agrees(number, v)
            ]
            assert backing, f"{lang} {question.id}: {number} is not a value of {question.facts}"
            if all(figures.unconfirmed(key) for key in backing):
                assert "UNCONFIRMED" in question.text(), f"{question.id}: {number} unconfirmed"


def test_a_figure_question_is_answered_by_its_fact():
    for question in (q for q in BANK if q.kind == "figure"):
        (key,) = question.facts
        value = figures.resolve(key)[1]
        right = [question.options[letter] for letter in question.answer]
        assert [figures.agrees(text, value) for text in right] == [True], question.id
        others = [t for letter, t in question.options.items() if letter not in question.answer]
        assert not any(figures.agrees(text, value) for text in others), question.id


@pytest.mark.parametrize("question", BANK, ids=[q.id for q in BANK])
def test_every_targeted_exam_lists_one_of_the_questions_services(question):
    scopes = exam_facts.EXAM_SERVICES.value
    for exam in question.exams:
        assert any(
            scopes[exam][s].listed is not False for s in question.services if s in scopes[exam]
        )


# Sources and notebook links ---------------------------------------------------------------------


def test_every_question_cites_a_public_source_and_a_fact_backed_one_cites_its_facts_url():
    for question in BANK:
        assert re.fullmatch(r"https://[\w.-]+\.(com|cn|aws)/\S*", question.source), question.id
        own = next(q for q in RAW["questions"] if q["id"] == question.id).get("source")
        if question.facts and not own:
            assert question.source == figures.resolve(question.facts[0])[0].url


def _headings(notebook: str) -> set[str]:
    cells = json.loads((ROOT / notebook).read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return set(re.findall(r"^#+ (.+)$", text, flags=re.MULTILINE))


def test_every_run_it_link_reaches_an_existing_notebook_and_heading():
    headings = {nb: _headings(nb) for nb in quiz.NOTEBOOKS}
    for question in BANK:
        assert question.section in headings[question.notebook], (question.id, question.section)
        path, _, anchor = question.link.partition("#")
        assert (ROOT / path).is_file()
        assert anchor == question.section.replace(" ", "-")


def test_sns_and_ses_questions_point_at_notebooks_that_run_sns_or_ses():
    for question in BANK:
        if set(question.services) & {"SNS", "SES"} and "Pinpoint" not in question.services:
            assert "01-channels" not in question.notebook, question.id


# No tell: position and length -------------------------------------------------------------------


def test_shuffled_answer_keys_spread_evenly_over_the_four_letters():
    counts = Counter(
        letter
        for seed in range(20)
        for q in quiz.load(seed=seed)
        if not q.multiple
        for letter in q.answer
    )
    total = sum(counts.values())
    assert set(counts) == set(quiz.LETTERS)
    assert all(0.22 < counts[letter] / total < 0.28 for letter in quiz.LETTERS), counts


def test_the_stored_answer_key_has_no_favourite_letter_either():
    counts = Counter(letter for q in SINGLE for letter in q.answer)
    assert max(counts.values()) / len(SINGLE) < 0.3, counts


def test_shuffling_is_seeded_and_moves_explanations_with_their_options():
    once, again, other = quiz.load(seed=3), quiz.load(seed=3), quiz.load(seed=4)
    assert once == again
    assert [q.options for q in once] != [q.options for q in other]
    for shown in once[:30]:
        original = BY_ID[shown.id]
        for letter, text in shown.options.items():
            old = next(k for k, v in original.options.items() if v == text)
            assert shown.why[letter] == original.why[old]
            assert (letter in shown.answer) == (old in original.answer)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_right_option_is_not_systematically_the_longest(lang):
    single = [q for q in quiz.load(lang) if not q.multiple]
    longest = ratios = 0
    ratios = []
    for question in single:
        (right,) = question.answer
        lengths = {letter: len(text) for letter, text in question.options.items()}
        others = [n for letter, n in lengths.items() if letter != right]
        longest += lengths[right] > max(others)
        ratios.append(lengths[right] / statistics.mean(others))
    assert longest / len(single) < 0.33, f"{longest} of {len(single)} right options are longest"
    assert statistics.median(ratios) < 1.1


# Rules enforced on load -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"answer": [4]}, "answer [4] must list distinct option indexes 0-3"),
        ({"answer": []}, "answer [] must list distinct option indexes"),
        ({"answer": [0, 1]}, "must say '(Choose TWO.)'"),
        ({"facts": ["ses.NO_SUCH_FACT"]}, "facts: no fact named 'ses.NO_SUCH_FACT'"),
        ({"facts": ["sns.PUBLISH_TPS_BY_REGION:mars-1"]}, "'mars-1' is not an entry"),
        ({"exams": ["AWS-C99"]}, "exams ['AWS-C99'] must be among"),
        ({"exams": ["DVA-C02"], "services": ["Pinpoint"]}, "DVA-C02's guide lists none of"),
        ({"services": ["Amazon Chime"]}, "services ['Amazon Chime'] not among"),
        ({"notebook": "notebooks/99-nowhere/"}, "is not in the layout"),
        ({"section": " "}, "section must name a heading"),
        ({"domain": "vibes"}, "domain 'vibes' must be one of"),
        ({"id": "Bad Id"}, "id must be lower-case words"),
        ({"source": "http://example.com/x"}, "source must be an https URL"),
        ({"facts": [], "source": ""}, "source must be an https URL"),
        ({"vi": {"stem": ""}}, "vi.stem must be a non-empty text"),
        ({"kind": "essay"}, "kind 'essay' must be 'scenario' or 'figure'"),
    ],
)
def test_a_broken_question_is_refused_naming_the_field(change, message):
    raw = raw_entry() | change
    with pytest.raises(QuestionError, match=f"question '{re.escape(raw['id'])}'") as caught:
        quiz.parse(raw)
    assert message in str(caught.value)


def test_a_missing_translation_or_option_is_refused():
    raw = raw_entry()
    del raw["vi"]
    with pytest.raises(QuestionError, match=r"missing fields \['vi'\]"):
        quiz.parse(raw)
    raw = raw_entry()
    raw["vi"]["options"] = raw["vi"]["options"][:3]
    with pytest.raises(QuestionError, match="vi.options must be a list of 4 texts"):
        quiz.parse(raw)


def test_a_figure_question_whose_figure_is_not_its_fact_is_refused():
    raw = raw_entry("fig-ses-sandbox-max-24-hour-send")
    with pytest.raises(QuestionError, match="figure '300' is not the value of"):
        quiz.parse(raw | {"figure": "300"})
    with pytest.raises(QuestionError, match="distractors"):
        quiz.parse(raw | {"distractors": ["200.0", "50", "1,000"]})


def test_duplicate_ids_are_refused():
    raw = raw_entry()
    with pytest.raises(QuestionError, match="duplicate question ids: \\['sns-fanout-orders'\\]"):
        quiz.parse_bank({"questions": [raw, raw]})


def test_a_valid_question_loads_as_a_frozen_record():
    question = quiz.parse(raw_entry())
    assert isinstance(question, Question)
    assert question == BY_ID["sns-fanout-orders"]
    with pytest.raises(AttributeError):
        question.stem = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        question.options["A"] = "changed"  # type: ignore[index]


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="lang 'fr' is not one of en, vi"):
        quiz.load("fr")


# filter, score, stats ---------------------------------------------------------------------------


def test_filter_by_service_and_exam_is_case_insensitive():
    ses = quiz.filter(service="ses")
    assert ses and all("SES" in q.services for q in ses)
    both = quiz.filter(service="Pinpoint", exam="saa-c03")
    assert both and all("Pinpoint" in q.services and "SAA-C03" in q.exams for q in both)
    assert quiz.filter(exam="DVA-C02", service="Amazon Connect") == []
    assert [q.lang for q in quiz.filter(service="SES", lang="vi")] == ["vi"] * len(ses)


def test_filter_names_the_allowed_values_for_an_unknown_one():
    with pytest.raises(ValueError, match="service 'Chime' is not one of SNS, SES, Pinpoint"):
        quiz.filter(service="Chime")
    with pytest.raises(ValueError, match="exam 'XYZ-C01' is not one of SAP-C02"):
        quiz.filter(exam="XYZ-C01")


def _right(qid: str) -> str:
    return ",".join(sorted(BY_ID[qid].answer))


def _wrong(qid: str) -> str:
    return next(letter for letter in quiz.LETTERS if letter not in BY_ID[qid].answer)


def test_score_counts_right_wrong_and_per_service_exam_and_domain():
    result = quiz.score(
        {
            "sns-fanout-orders": _right("sns-fanout-orders").lower(),
            "ses-event-destinations": _right("ses-event-destinations"),
            "ses-transactional": _wrong("ses-transactional"),
        }
    )
    assert (result.asked, result.correct, result.wrong) == (3, 2, ("ses-transactional",))
    assert result.by_service["SES"] == (1, 2)
    assert result.by_service["SNS"] == (2, 2)
    assert result.by_exam["SAP-C02"] == (2, 3)
    assert result.by_domain == {"choose": (1, 2), "observe": (1, 1)}
    assert round(result.percent) == 67
    assert result.summary().splitlines()[0] == "score: 2/3 (67%)"


def test_a_multiple_answer_question_needs_exactly_the_right_set():
    question = BY_ID["life-continuing"]
    letters = sorted(question.answer)
    assert quiz.is_correct(question, "".join(letters))
    assert quiz.is_correct(question, [letter.lower() for letter in reversed(letters)])
    assert not quiz.is_correct(question, letters[0])
    assert not quiz.is_correct(question, "ABC")


def test_score_refuses_unknown_ids_and_letters():
    with pytest.raises(KeyError, match="no-such-question"):
        quiz.score({"no-such-question": "A"})
    with pytest.raises(ValueError, match="use the letters A, B, C, D"):
        quiz.score({"sns-fanout-orders": "E"})


def test_stats_add_up_to_the_bank():
    stats = quiz.stats()
    assert stats.total == len(BANK)
    assert sum(stats.by_exam.values()) == sum(len(q.exams) for q in BANK)
    assert sum(stats.by_service.values()) == sum(len(q.services) for q in BANK)
    assert sum(stats.by_domain.values()) == len(BANK)
    assert list(stats.by_exam) == [e for e in exam_facts.EXAM_SERVICES.value if e in stats.by_exam]
    assert stats.summary().startswith(f"{len(BANK)} questions")
