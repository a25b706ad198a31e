"""The quiz bank: enough questions, every rule checked on load, every number a fact."""

import copy
import json
from importlib import resources

import pytest

from simlab.exam import figures, quiz
from simlab.exam.quiz import Question, QuestionError
from simlab.facts import exams as exam_facts

BANK = quiz.load()
RAW = json.loads(resources.files("simlab.exam").joinpath("questions.json").read_text("utf-8"))


def valid_raw() -> dict:
    return copy.deepcopy(RAW["questions"][0])


# The bank ----------------------------------------------------------------------------------------


def test_the_bank_holds_at_least_sixty_questions_with_unique_ids():
    assert len(BANK) >= 60
    assert len({q.id for q in BANK}) == len(BANK)


def test_questions_cover_every_service_of_the_comparison_and_the_lifecycle():
    per_service = quiz.stats().by_service
    for service in ("SNS", "SES", "Pinpoint", "End User Messaging", "Amazon Connect"):
        assert per_service.get(service, 0) >= 4, service
    assert len([q for q in BANK if q.id.startswith("life-")]) >= 6
    assert any(q.multiple for q in BANK)


@pytest.mark.parametrize(
    ("qid", "right"),
    [
        ("sns-fanout-orders", "SNS topic and subscribe one Amazon SQS queue"),
        ("ses-transactional", "Amazon SES"),
        ("pp-segmented-campaign", "Amazon Pinpoint"),
        ("eum-two-way-sms", "End User Messaging SMS phone number with two-way SMS"),
        ("life-new-account", "Amazon Connect outbound campaigns"),
    ],
)
def test_the_classic_cues_have_the_expected_answers(qid, right):
    question = next(q for q in BANK if q.id == qid)
    (letter,) = question.answer
    assert right in question.options[letter]


@pytest.mark.parametrize("question", BANK, ids=[q.id for q in BANK])
def test_every_number_in_a_question_is_a_value_of_the_facts_it_rests_on(question):
    values = [v for key in question.facts for v in figures.leaves(figures.resolve(key)[1])]
    for number in figures.numbers(question.text(), dates=True):
        backing = [
            key
            for key in question.facts
            for v in figures.leaves(figures.resolve(key)[1])
            if figures.agrees(number, v)
        ]
        assert backing, f"{question.id}: {number} is not a value of {question.facts}"
        if all(figures.unconfirmed(key) for key in backing):
            assert "UNCONFIRMED" in question.text(), f"{question.id}: {number} is unconfirmed"
    assert values or question.notebook


@pytest.mark.parametrize("question", BANK, ids=[q.id for q in BANK])
def test_every_targeted_exam_lists_one_of_the_questions_services(question):
    scopes = exam_facts.EXAM_SERVICES.value
    for exam in question.exams:
        assert any(
            scopes[exam][s].listed is not False for s in question.services if s in scopes[exam]
        )


# Rules enforced on load -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"answer": ["E"]}, "answer ['E'] must be one or more of the options"),
        ({"answer": []}, "answer [] must be one or more"),
        ({"answer": ["A", "B"]}, "must say '(Choose ...)'"),
        ({"options": {"A": "x", "B": "y", "C": "z"}}, "options must be non-empty texts"),
        ({"why": {"A": "x", "B": "y", "C": "z", "D": ""}}, "why must explain every option"),
        ({"facts": ["ses.NO_SUCH_FACT"]}, "facts: no fact named 'ses.NO_SUCH_FACT'"),
        ({"facts": ["sns.PUBLISH_TPS_BY_REGION:mars-1"]}, "'mars-1' is not an entry"),
        ({"exams": ["AWS-C99"]}, "exams ['AWS-C99'] must be among"),
        ({"exams": ["DVA-C02"], "services": ["Pinpoint"]}, "DVA-C02's guide lists none of"),
        ({"services": ["Amazon Chime"]}, "services ['Amazon Chime'] not among"),
        ({"notebook": "notebooks/99-nowhere/"}, "is not in the layout"),
        ({"id": "Bad Id"}, "id must be lower-case words"),
    ],
)
def test_a_broken_question_is_refused_naming_the_field(change, message):
    raw = valid_raw() | change
    with pytest.raises(QuestionError, match=f"question '{raw['id']}'.*") as caught:
        quiz.parse(raw)
    assert message in str(caught.value)


def test_duplicate_ids_are_refused():
    raw = valid_raw()
    with pytest.raises(QuestionError, match="duplicate question ids: \\['sns-fanout-orders'\\]"):
        quiz.parse_bank({"questions": [raw, raw]})


def test_a_valid_question_loads_as_a_frozen_record():
    question = quiz.parse(valid_raw())
    assert isinstance(question, Question)
    assert question.answer == frozenset({"A"})
    with pytest.raises(AttributeError):
        question.stem = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        question.options["A"] = "changed"  # type: ignore[index]


# filter, score, stats ---------------------------------------------------------------------------


def test_filter_by_service_and_exam_is_case_insensitive():
    ses = quiz.filter(service="ses")
    assert ses and all("SES" in q.services for q in ses)
    both = quiz.filter(service="Pinpoint", exam="saa-c03")
    assert both and all("Pinpoint" in q.services and "SAA-C03" in q.exams for q in both)
    assert quiz.filter(exam="DVA-C02", service="Amazon Connect") == []


def test_filter_names_the_allowed_values_for_an_unknown_one():
    with pytest.raises(ValueError, match="service 'Chime' is not one of SNS, SES, Pinpoint"):
        quiz.filter(service="Chime")
    with pytest.raises(ValueError, match="exam 'XYZ-C01' is not one of SAP-C02"):
        quiz.filter(exam="XYZ-C01")


def test_score_counts_right_wrong_and_per_service_and_exam():
    result = quiz.score(
        {"sns-fanout-orders": "a", "ses-event-destinations": "B, A", "ses-transactional": "C"}
    )
    assert (result.asked, result.correct, result.wrong) == (3, 2, ("ses-transactional",))
    assert result.by_service["SES"] == (1, 2)
    assert result.by_service["SNS"] == (2, 2)
    assert result.by_exam["SAP-C02"] == (2, 3)
    assert round(result.percent) == 67
    assert result.summary().splitlines()[0] == "score: 2/3 (67%)"


def test_a_multiple_answer_question_needs_exactly_the_right_set():
    question = next(q for q in BANK if q.id == "life-continuing")
    assert quiz.is_correct(question, "AB") and quiz.is_correct(question, ["b", "a"])
    assert not quiz.is_correct(question, "A")
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
    assert list(stats.by_exam) == [e for e in exam_facts.EXAM_SERVICES.value if e in stats.by_exam]
    assert stats.summary().startswith(f"{len(BANK)} questions")
