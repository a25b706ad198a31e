"""Fixtures for workshop rooms: a small room, open in process or over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simlab.aws import LocalAWS
from simlab.room import Room


@pytest.fixture
def room() -> Room:
    """Two attendees with seeded keys."""
    return Room.create(2, seed=7)


@pytest.fixture
def room_aws(room: Room) -> Iterator[LocalAWS]:
    """A local AWS in process with ``room`` open."""
    with LocalAWS(room=room) as local:
        yield local


@pytest.fixture
def room_server(room: Room) -> Iterator[LocalAWS]:
    """A local AWS over HTTP on 127.0.0.1 with ``room`` open."""
    with LocalAWS("server", room=room) as local:
        yield local
