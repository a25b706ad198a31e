"""S3 on the simulated clock: moto dates a new bucket by the wall clock; here by the clock."""

from __future__ import annotations

from typing import Any

from moto.s3.models import FakeBucket, S3Backend

from simlab.aws.state import state


class ClockedS3Backend(S3Backend):
    """moto's S3 whose ``CreationDate`` comes from ``state().clock``."""

    def create_bucket(
        self, bucket_name: str, region_name: str, *args: Any, **kwargs: Any
    ) -> FakeBucket:
        """Creates a bucket as moto does, dated by the simulated clock."""
        bucket = super().create_bucket(bucket_name, region_name, *args, **kwargs)
        bucket.creation_date = state().clock.now()
        return bucket
