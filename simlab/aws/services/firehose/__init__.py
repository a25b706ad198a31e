"""Firehose whose S3 deliveries honour BufferingHints on the simulated clock."""

from simlab.aws import registry
from simlab.aws.services.firehose.models import BufferedFirehoseBackend


def register() -> None:
    registry.extend("firehose", BufferedFirehoseBackend)
