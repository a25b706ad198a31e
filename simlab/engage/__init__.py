"""The engagement engine: plain Python on a simulated clock, no boto3."""

from simlab.engage.clock import Clock
from simlab.engage.outbox import Outbox, OutboxMessage

__all__ = ["Clock", "Outbox", "OutboxMessage"]
