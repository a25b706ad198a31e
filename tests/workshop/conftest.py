"""Shared set-up of the browser tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.workshop.browser import RENDER


@pytest.fixture(autouse=True)
def patient_assertions() -> Iterator[None]:
    """Gives Playwright's ``expect`` the same patience as page actions (RENDER seconds).

    ``expect(...)`` has its own default of 5 s, separate from the context's timeout: on a
    loaded machine a panel that re-renders after a click can take longer than that.
    """
    pytest.importorskip("playwright")
    from playwright.sync_api import expect

    expect.set_options(timeout=RENDER * 1000)
    yield
    expect.set_options(timeout=5000)
