"""Journeys: participants walk a graph of activities on the simulated clock.

A journey is Pinpoint's ``WriteJourneyRequest`` (facts 1.21-1.26): activities keyed by id
(EMAIL, SMS, PUSH, CUSTOM, ContactCenter, Wait, ConditionalSplit, MultiCondition, RandomSplit,
Holdout), a ``StartActivity``, a ``StartCondition`` (a segment, refreshed every
``RefreshFrequency``, or an event), ``Limits``, ``QuietTime`` (with ``WaitForQuietTime``) and,
with ``SendingSchedule``, ``OpenHours`` and ``ClosedDays`` per channel. Each participant is a
SimPy process, so a week of waits plays out in one ``clock.advance``.

``model`` holds what a journey is, ``validation`` checks a write request, ``runner`` walks the
participants, ``delivery`` sends each message, ``analytics`` reports metrics, and
``engine.JourneyEngine`` is the face the local AWS and tests use.

States follow fact 1.25: DRAFT -> ACTIVE (publish) -> CLOSED (no new entries) -> COMPLETED
(nobody left inside); ACTIVE <-> PAUSED; any live state -> CANCELLED. Counts reconcile with the
``_journey.send`` records (fact 2.8) one for one.

Execution-metric names follow the Pinpoint Developer Guide's journey execution metrics
(``ENDPOINT_ENTERED``, ``ENDPOINT_ACTIVE``, ``ENDPOINT_LEFT``, ``CANCELLED``,
``REENTRY_CAP_EXCEEDED``, ``ACTIVE_ENDPOINT_REJECTED``); per-activity metrics use the send
statuses for messages and simlab's own path names for splits (``TRUE``/``FALSE``, ``Branch_<n>``,
``DEFAULT``, ``HOLDOUT``/``PASSED``, ``WAIT_STARTED``/``WAIT_COMPLETED``).
"""

from simlab.engage.journeys.engine import JourneyEngine
from simlab.engage.journeys.graph import JourneyGraph, journey_graph
from simlab.engage.journeys.model import (
    ACTIVITY_TYPES,
    STATES,
    Journey,
    JourneyError,
    JourneyNotFound,
    JourneyRun,
    OpeningRules,
    activity_type,
    paths,
)

__all__ = [
    "ACTIVITY_TYPES",
    "STATES",
    "Journey",
    "JourneyEngine",
    "JourneyError",
    "JourneyGraph",
    "JourneyNotFound",
    "JourneyRun",
    "OpeningRules",
    "activity_type",
    "journey_graph",
    "paths",
]
