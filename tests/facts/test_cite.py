"""Citations come from the facts: the notes' footnotes carry each named fact's URL and date."""

import json
import re
from pathlib import Path

import pytest

from simlab.facts import all_facts, cite

ROOT = Path(__file__).resolve().parents[2]
NOTES = sorted((ROOT / "exam_notes").glob("*.md")) + sorted((ROOT / "exam_notes/vi").glob("*.md"))
DEFINITION = re.compile(r"^\[\^(?P<key>[a-z]+\.[A-Z0-9_]+(?::[^\]\s]+)?)\]: (?P<text>.*)$", re.M)


def test_cite_gives_the_url_and_the_date_in_either_language():
    assert cite.cite("ses.SANDBOX_MAX_24_HOUR_SEND") == (
        "<https://docs.aws.amazon.com/ses/latest/dg/quotas.html> (as of 2023-06-15)"
    )
    assert cite.cite("ses.SANDBOX_MAX_24_HOUR_SEND", "vi").endswith("(tính đến 2023-06-15)")
    assert (
        cite.url("sns.PUBLISH_TPS_BY_REGION:us-east-1")
        == all_facts()["sns.PUBLISH_TPS_BY_REGION"].url
    )


def test_cite_refuses_an_unknown_key_or_language():
    with pytest.raises(KeyError, match="no fact named"):
        cite.cite("ses.NO_SUCH_FIGURE")
    with pytest.raises(ValueError, match="lang"):
        cite.cite("ses.SANDBOX_MAX_24_HOUR_SEND", "fr")


def test_the_command_prints_citations_and_fails_on_an_unknown_key(capsys):
    assert cite.main(["sns.MAX_MESSAGE_BYTES"]) == 0
    assert "sns.MAX_MESSAGE_BYTES: <https://github.com/boto/botocore/" in capsys.readouterr().out
    assert cite.main(["sns.NOPE"]) == 1


@pytest.mark.parametrize("path", NOTES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_footnote_in_the_notes_carries_the_url_and_date_of_the_fact_it_names(path):
    text = path.read_text(encoding="utf-8")
    found = DEFINITION.findall(text)
    assert found, f"{path.name} has no footnotes"
    for key, line in found:
        fact = cite.fact_of(key)
        assert line.endswith(f"<{fact.url}>") or f"<{fact.url}> ·" in line, (key, line)
        assert fact.as_of in line, (key, line)
    assert "aws-facts" not in text


NOTEBOOKS = sorted((ROOT / "notebooks").glob("**/*.ipynb"))
FACT_LINK = re.compile(r"\[`(?P<key>[a-z]+\.[A-Z0-9_]+)`\]\((?P<url>[^)\s]+)\)")


def markdown_of(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_notebook_that_links_a_fact_links_its_url_and_cites_no_private_section(path):
    text = markdown_of(path)
    for key, url in FACT_LINK.findall(text):
        assert url == cite.url(key), (path.name, key)
    assert not re.search(r"\bfact \d+\.\d+|aws-facts §", text), path.name


def test_notebook_03_cites_quiet_time_by_its_public_url():
    text = markdown_of(ROOT / "notebooks/03-campaigns-and-journeys/03-campaigns-and-journeys.ipynb")
    assert f"[`pinpoint.QUIET_TIME_NEEDS`]({cite.url('pinpoint.QUIET_TIME_NEEDS')})" in text


CORRECTIONS = [
    ("04-two-way-and-otp", "pinpoint.OTP_REQUIRES", "is enough to build a sign-in flow"),
    ("04-two-way-and-otp", "sms.TOLL_FREE_OPT_OUT_KEYWORDS", "Give OTP numbers their own opt-out"),
    ("04-two-way-and-otp", "lifecycle.NOTIFY_CODE_OPERATIONS", "stay in the sandbox"),
    (
        "05-event-destinations",
        "sms.TOLL_FREE_OPT_OUT_KEYWORDS",
        "so the batch must not reach them: AWS",
    ),
    ("07-sns-ses-pinpoint", "lifecycle.NOTIFY_CODE_OPERATIONS", "The v2 API has no OTP operation"),
]


@pytest.mark.parametrize(("folder", "key", "wrong"), CORRECTIONS)
def test_a_corrected_claim_stands_beside_its_source_and_the_wrong_one_is_gone(folder, key, wrong):
    text = markdown_of(ROOT / "notebooks" / folder / f"{folder}.ipynb")
    assert f"[`{key}`]({cite.url(key)})" in text
    assert wrong not in text


def test_the_notes_state_the_corrected_facts_in_both_languages():
    for lang in ("", "vi"):
        notes = {
            name: (ROOT / "exam_notes" / lang / name).read_text(encoding="utf-8")
            for name in ("sns.md", "pinpoint.md", "glossary.md")
        }
        assert "[^sns.FIFO_SUBSCRIBER_QUEUES]" in notes["sns.md"]
        assert "[^sns.FIFO_SUBSCRIBER_QUEUES]" in notes["glossary.md"]
        assert "[^pinpoint.OTP_REQUIRES]" in notes["pinpoint.md"]
        assert "[^sms.TOLL_FREE_OPT_OUT_KEYWORDS]" in notes["pinpoint.md"]
        assert "[^lifecycle.NOTIFY_CODE_OPERATIONS]" in notes["pinpoint.md"]
        assert "keeps nothing" not in notes["sns.md"]
