"""S3 whose bucket creation dates follow the simulated clock."""

from simlab.aws import registry
from simlab.aws.services.s3.models import ClockedS3Backend


def register() -> None:
    registry.extend("s3", ClockedS3Backend)
