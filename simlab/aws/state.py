"""Shared state of the local AWS: the simulated clock, the outbox, seeded randomness, functions.

It lives in a moto backend so that ``mock_aws`` (and ``LocalAWS.reset``) wipes it with the rest.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.base_backend import BackendDict, BaseBackend

from simlab.aws.locking import LOCK
from simlab.engage.clock import DEFAULT_EPOCH, Clock, ClockMode
from simlab.engage.outbox import Outbox

#: The account and region the local AWS answers as unless told otherwise.
ACCOUNT_ID = DEFAULT_ACCOUNT_ID
DEFAULT_REGION = "us-east-1"


@dataclass
class Settings:
    """What a fresh state starts from; ``LocalAWS`` sets it before it resets moto."""

    epoch: datetime = DEFAULT_EPOCH
    seed: int = 0
    clock: ClockMode = "manual"
    speed: float = 1.0


settings = Settings()


class Functions:
    """Python callables standing in for Lambda functions, addressed by name or ARN."""

    def __init__(self, region: str = DEFAULT_REGION) -> None:
        self._functions: dict[str, Callable[..., Any]] = {}
        self._region = region
        self._lock = threading.Lock()

    def arn(self, name: str) -> str:
        """Returns the Lambda-style ARN under which ``name`` is reachable."""
        return f"arn:aws:lambda:{self._region}:{ACCOUNT_ID}:function:{name}"

    def register(self, name: str, function: Callable[..., Any]) -> str:
        """Registers ``function`` under ``name`` and returns its ARN."""
        with self._lock:
            self._functions[name] = function
        return self.arn(name)

    def resolve(self, name_or_arn: str) -> Callable[..., Any]:
        """Returns the callable for a name or ARN; raises KeyError naming it if unknown."""
        name = name_or_arn.rsplit(":function:", 1)[-1].split(":")[0]
        with self._lock:
            if name not in self._functions:
                raise KeyError(f"no function registered as {name!r}")
            return self._functions[name]

    def __contains__(self, name_or_arn: str) -> bool:
        try:
            self.resolve(name_or_arn)
        except KeyError:
            return False
        return True


class SimlabBackend(BaseBackend):
    """Holds the clock, outbox, functions and random streams of one local AWS."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.clock = Clock(settings.epoch, mode=settings.clock, speed=settings.speed, lock=LOCK)
        self.outbox = Outbox()
        self.functions = Functions()
        self.seed = settings.seed
        self._streams: dict[str, np.random.Generator] = {}
        self._lock = threading.Lock()

    def rng(self, name: str) -> np.random.Generator:
        """Returns the seeded random stream called ``name``; each name is independent."""
        with self._lock:
            if name not in self._streams:
                key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")
                self._streams[name] = np.random.default_rng([self.seed, key])
            return self._streams[name]


simlab_backends = BackendDict(
    SimlabBackend, "simlab", use_boto3_regions=False, additional_regions=["aws"]
)


def state() -> SimlabBackend:
    """Returns the current shared state (created fresh after every reset)."""
    # The plain dict look-ups skip BackendDict's checks: moto reads the clock through here
    # hundreds of thousands of times in a long SQS session. The first call creates it.
    account = dict.get(simlab_backends, ACCOUNT_ID)
    backend = dict.get(account, "aws") if account is not None else None
    return backend if backend is not None else simlab_backends[ACCOUNT_ID]["aws"]
