"""The engagement engine: plain Python on a simulated clock, no boto3.

What a learner reaches for directly: the `Clock` and `Outbox` the local AWS runs on,
`population` (a seeded audience of endpoints to load), `local_send_table` (when each endpoint's
09:00 falls) and `journey_graph` (a journey's activities and counts, ready to draw). The rest of
the engine is reached through the local AWS's APIs.
"""

from simlab.engage import population
from simlab.engage.clock import Clock
from simlab.engage.journeys.graph import JourneyGraph, journey_graph
from simlab.engage.outbox import Outbox
from simlab.engage.outbox_messages import OutboxMessage
from simlab.engage.send_times import LocalSend, local_send_table, local_sends

__all__ = [
    "Clock",
    "JourneyGraph",
    "LocalSend",
    "Outbox",
    "OutboxMessage",
    "journey_graph",
    "local_send_table",
    "local_sends",
    "population",
]
