"""The exam notes agree with `simlab.facts`, link what they promise, and match in both languages."""

import re
from collections import Counter
from pathlib import Path

import pytest

from simlab.exam import figures
from simlab.exam.scope import exam_table
from simlab.facts import lifecycle

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT / "exam_notes"
NAMES = ("README.md", "sns.md", "ses.md", "pinpoint.md", "comparison.md", "glossary.md")
FILES = [NOTES / name for name in NAMES] + [NOTES / "vi" / name for name in NAMES]
IDS = [str(path.relative_to(NOTES)) for path in FILES]
NOTEBOOK_FOLDERS = {
    "00-start-here.ipynb",
    "01-channels",
    "02-segments-and-templates",
    "03-campaigns-and-journeys",
    "04-two-way-and-otp",
    "05-event-destinations",
    "06-scale",
    "07-sns-ses-pinpoint",
    "08-exam-drill",
    "09-sns-ses-in-depth",
}
ANCHORS = {
    "pinpoint.md": {
        "segments",
        "templates",
        "campaigns",
        "journeys",
        "event-streams",
        "two-way-sms",
        "otp",
        "migration",
    },
    "ses.md": {"sandbox", "mailbox-simulator", "configuration-sets", "suppression-list"},
    "sns.md": {"fan-out", "sms", "mobile-push", "filter-policies"},
}
LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")
ANCHOR = re.compile(r'<a id="(?P<id>[^"]+)"></a>')


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def anchors(path: Path) -> list[str]:
    return ANCHOR.findall(read(path))


def headings(path: Path) -> list[int]:
    return [len(m) for m in re.findall(r"^(#+) ", read(path), flags=re.MULTILINE)]


def sections(path: Path) -> dict[str, str]:
    """Map each anchor to the text up to the next anchor."""
    parts = ANCHOR.split(read(path).split(figures.FOOTNOTES_MARK)[0])
    return dict(zip(parts[1::2], parts[2::2], strict=True))


# Every number is a fact -------------------------------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_every_figure_equals_its_fact_and_every_number_cites_one(path):
    assert figures.problems(read(path)) == []


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_footnotes_give_tag_date_and_section_of_each_cited_fact(path):
    text = read(path)
    assert figures.FOOTNOTES_MARK in text
    block = text[text.index(figures.FOOTNOTES_MARK) :]
    assert block == figures.footnotes(text, figures.language(path))


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_unconfirmed_figures_say_so_where_they_stand(path):
    body = read(path).split(figures.FOOTNOTES_MARK)[0]
    for paragraph in re.split(r"\n\s*\n|\n(?=\|)", body):
        for figure in figures.scan(paragraph).figures:
            if figures.unconfirmed(figure.key):
                assert "UNCONFIRMED" in paragraph, f"{figure.text} ({figure.key}) in {paragraph!r}"


def test_the_checker_catches_a_changed_number_and_a_number_without_a_fact():
    text = read(NOTES / "ses.md")
    good = "200[^ses.SANDBOX_MAX_24_HOUR_SEND]"
    assert good in text
    changed = text.replace(good, "300[^ses.SANDBOX_MAX_24_HOUR_SEND]", 1)
    assert figures.problems(changed) == [
        f"line {text[: text.index(good)].count(chr(10)) + 1}: "
        "300 != ses.SANDBOX_MAX_24_HOUR_SEND = 200"
    ]
    added = text.replace("\n", "\nThe sandbox allows 42 recipients.\n", 1)
    assert figures.problems(added) == ["line 2: 42 cites no fact"]
    assert figures.problems("5 MiB[^sns.MAX_MESSAGE_BYTES_RAISED]") == [
        "line 1: 5 MiB != sns.MAX_MESSAGE_BYTES_RAISED = 1048576"
    ]


def test_units_dates_and_names_read_as_their_facts():
    assert (
        figures.problems(
            "256 KiB[^sns.MAX_MESSAGE_BYTES], 5%[^ses.BOUNCE_RATE_REVIEW], "
            "$0.10[^prices.SES_PER_1000_RECIPIENTS], 12.5 million[^sns.SUBSCRIPTIONS_PER_TOPIC], "
            "2026-10-30[^lifecycle.PINPOINT_END_OF_SUPPORT], "
            "30,000[^sns.PUBLISH_TPS_BY_REGION:us-east-1]"
            " — SAA-C03, §4.12, us-east-1, 08-exam-drill, 10DLC, A2P, E.164, 2025-05-20, per 1,000"
        )
        == []
    )
    assert figures.problems("1[^no.SUCH_FACT]")[0].startswith("line 1: 1 cites an unknown fact")


# Sections and links -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ANCHORS))
@pytest.mark.parametrize("lang", ["", "vi"])
def test_design_anchors_exist_and_each_links_its_notebook(name, lang):
    found = sections(NOTES / lang / name)
    assert ANCHORS[name] <= set(found)
    for anchor in ANCHORS[name]:
        assert "notebooks/" in found[anchor], f"{name}#{anchor} links no notebook"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_links_reach_a_note_anchor_or_a_notebook_of_the_layout(path):
    for target in LINK.findall(read(path)):
        file_part, _, anchor = target.partition("#")
        resolved = (path.parent / file_part).resolve() if file_part else path
        if "notebooks" in resolved.parts:
            rest = resolved.parts[resolved.parts.index("notebooks") + 1 :]
            assert rest[0] in NOTEBOOK_FOLDERS, target
            assert resolved.exists(), f"{path.name}: {target} does not exist yet"
            continue
        assert resolved.is_file(), f"{path.name}: {target} does not exist"
        if anchor:
            assert anchor in anchors(resolved), f"{path.name}: {target} has no such anchor"


# English and Vietnamese -------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_vietnamese_note_has_the_same_sections_and_numbers(name):
    english, vietnamese = NOTES / name, NOTES / "vi" / name
    assert anchors(vietnamese) == anchors(english)
    assert headings(vietnamese) == headings(english)

    def numbers(path: Path) -> Counter:
        found = figures.scan(read(path))
        return Counter(
            [(f.key, figures.readings(f.text)[0]) for f in found.figures]
            + [figures.readings(f.text)[0] for f in found.loose]
        )

    assert numbers(vietnamese) == numbers(english)


# Exams and lifecycle ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_readme_shows_the_exam_table_from_the_facts_with_its_flags(lang):
    readme = read(NOTES / ("vi" if lang == "vi" else "") / "README.md")
    assert exam_table(lang) in readme
    assert "UNCONFIRMED" in exam_table(lang)


def test_pinpoint_note_is_marked_legacy_with_its_dates_and_migration_map():
    text = read(NOTES / "pinpoint.md").replace("`", "")
    assert text.splitlines()[0].endswith("(legacy)")
    assert "2026-10-30[^lifecycle.PINPOINT_END_OF_SUPPORT]" in text
    assert "2025-05-20[^lifecycle.PINPOINT_NO_NEW_CUSTOMERS]" in text
    for successor in lifecycle.MIGRATION_MAP.value.values():
        assert successor.split(" (")[0] in sections(NOTES / "pinpoint.md")["migration"]


ENGLISH_UNIT_WORDS = re.compile(
    r"(?<!\w)(per|messages?|requests?|entries|bytes|account|deliveries|recipients|AWS-doc|2nd)"
    r"(?!\w)"
)


@pytest.mark.parametrize("name", NAMES)
def test_vietnamese_footnotes_say_value_unit_and_source_in_vietnamese(name):
    text = read(NOTES / "vi" / name)
    block = text[text.index(figures.FOOTNOTES_MARK) :]
    for line in block.splitlines():
        if line.startswith("[^"):
            shown = line.split("` = ", 1)[1].split(" · tính đến")[0]
            assert not ENGLISH_UNIT_WORDS.search(shown), line
