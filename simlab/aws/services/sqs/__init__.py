"""SQS whose long polls and visibility timeouts follow the simulated clock."""

from simlab.aws import registry
from simlab.aws.services.sqs.models import ClockedSQSBackend


def register() -> None:
    registry.extend("sqs", ClockedSQSBackend)
