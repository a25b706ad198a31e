"""The local AWS: moto plus simlab's own services, in-process or over HTTP, on a simulated clock.

`LocalAWS` opens it and hands out boto3 clients; `segment_count` and `segment_counter` answer what
Pinpoint's console shows and no API returns. Helpers that read back through a client you pass in
live in `simlab.toolkit`.
"""

from simlab.aws.console import segment_count, segment_counter
from simlab.aws.local import FAKE_CREDENTIALS, LocalAWS, reset_all
from simlab.aws.state import ACCOUNT_ID, DEFAULT_REGION, state

__all__ = [
    "ACCOUNT_ID",
    "DEFAULT_REGION",
    "FAKE_CREDENTIALS",
    "LocalAWS",
    "reset_all",
    "segment_count",
    "segment_counter",
    "state",
]
