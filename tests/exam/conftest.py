"""Fixtures for the exam tests: no test reads or writes the learner's own progress file."""

import pytest

from simlab.exam.progress import ENV


@pytest.fixture(autouse=True)
def progress_file(tmp_path, monkeypatch):
    """Point the default progress file into the test's temporary folder."""
    path = tmp_path / "quiz-progress.json"
    monkeypatch.setenv(ENV, str(path))
    return path
