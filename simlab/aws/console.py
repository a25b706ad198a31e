"""What Pinpoint's console shows and no API returns, read from the local engine.

Pinpoint's console estimates how many endpoints a segment holds while you build it; the API has
no such call, so no boto3 client can ask it. ``segment_count`` asks the local engine the same
question, for a saved segment (by id) or a ``WriteSegmentRequest`` not yet saved, at the
simulated time. It works on the open local AWS only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from moto.backends import get_backend

from simlab.aws.state import DEFAULT_REGION, current_account, state
from simlab.engage.audience import Audience

#: A saved segment's id, or a ``WriteSegmentRequest`` (``Dimensions`` or ``SegmentGroups``).
SegmentRef = str | Mapping[str, Any]


def audience(
    app_id: str, *, region: str = DEFAULT_REGION, account_id: str | None = None
) -> Audience:
    """The endpoints, segments and events of a local Pinpoint project (NotFound if none)."""
    backend: Any = get_backend("pinpoint")[account_id or current_account()][region]
    found: Audience = backend.project(app_id).audience
    return found


def segment_count(
    app_id: str, segment: SegmentRef, *, region: str = DEFAULT_REGION, account_id: str | None = None
) -> int:
    """How many endpoints of the project a segment holds now (on the simulated clock)."""
    return audience(app_id, region=region, account_id=account_id).count(
        segment, state().clock.timestamp()
    )


def segment_counter(
    app_id: str, *, region: str = DEFAULT_REGION, account_id: str | None = None
) -> Callable[[SegmentRef], int]:
    """A function that counts a segment of this project, for a live widget."""

    def count(segment: SegmentRef) -> int:
        return segment_count(app_id, segment, region=region, account_id=account_id)

    return count
