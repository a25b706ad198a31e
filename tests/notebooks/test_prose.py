"""Numbers the notebooks' prose states agree with the committed outputs of the cells they describe.

Each check reads a notebook as committed (executed under SIMLAB_SCALE=ci), finds the sentence and
the output it is about, and fails when a re-run moves the output away from what the text says.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def texts(name: str) -> tuple[str, str]:
    """The notebook's markdown and its printed outputs, each as one string."""
    [path] = NOTEBOOKS.glob(f"{name}*/{name}*.ipynb") or NOTEBOOKS.glob(f"{name}*.ipynb")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    prose = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    printed = "\n".join(
        "".join(o.get("text", ""))
        for c in cells
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
    )
    return prose, printed


def test_06_says_how_many_times_pinpoint_costs_what_its_output_shows():
    prose, printed = texts("06")
    ratio = float(re.search(r"SES production USD [\d,.]+: ([\d.]+) times", printed).group(1))
    words = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14}
    said = re.search(r"costs about (\w+) times what SES production does", prose).group(1)
    assert round(ratio) == words[said]


def test_06_says_how_many_addresses_the_holdout_leaves_as_the_table_does():
    prose, printed = texts("06")
    said = re.search(r"sends to ([\d,]+) of the million", prose).group(1)
    assert re.search(rf"email-pinpoint-campaign\s+pinpoint\s+{said}\s", printed)


def test_02_recency_segment_shrinks_as_the_text_says():
    prose, printed = texts("02")
    assert "has dropped out" in prose
    before, after = re.search(
        r"active this week: ([\d,]+) now, ([\d,]+) three days", printed
    ).groups()
    assert int(after.replace(",", "")) < int(before.replace(",", ""))


def test_03_holdout_and_ab_results_carry_their_uncertainty():
    _, printed = texts("03")
    found = re.search(r"holdout (\d+) of \d+ endpoints .* holds out (\d+) to (\d+)", printed)
    held, low, high = (int(n) for n in found.groups())
    assert low <= held <= high
    assert re.search(r"treatment 0 opened: .*95% interval", printed)
    assert re.search(r"difference [+-]\d+%, p = [\d.]+", printed)


@pytest.mark.parametrize("name", ["07"])
def test_a_cost_line_at_zero_says_the_free_tier_covered_it(name):
    _, printed = texts(name)
    for line in printed.splitlines():
        if re.search(r"\b[1-9][\d,]* x [\d.]+\s+=\s+0\.0000\b", line):
            assert "free tier" in line, line
