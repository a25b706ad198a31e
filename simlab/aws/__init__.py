"""The local AWS: moto plus simlab's own services, in-process or over HTTP, on a simulated clock."""

from simlab.aws.local import FAKE_CREDENTIALS, LocalAWS, reset_all
from simlab.aws.state import ACCOUNT_ID, DEFAULT_REGION, state

__all__ = ["ACCOUNT_ID", "DEFAULT_REGION", "FAKE_CREDENTIALS", "LocalAWS", "reset_all", "state"]
