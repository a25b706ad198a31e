"""State of the local AWS: per account an outbox, seeded randomness and functions; one clock.

It lives in a moto backend so that ``mock_aws`` (and ``LocalAWS.reset``) wipes it with the rest.
Each account has its own backend, as moto keeps each account's services apart; which account a
piece of code acts for is a context variable (``current_account``), set where a request enters
the local AWS and carried into the clock's scheduled work, so ``state()`` is the caller's state.
The simulated clock is one for all accounts: a workshop room shares one time.
"""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.models import DEFAULT_ACCOUNT_ID

from simlab.aws.locking import LOCK
from simlab.engage import outbox as outbox_store
from simlab.engage.clock import DEFAULT_EPOCH, Clock, ClockMode
from simlab.engage.outbox import Outbox

#: The account and region the local AWS answers as unless told otherwise.
ACCOUNT_ID = DEFAULT_ACCOUNT_ID
DEFAULT_REGION = "us-east-1"

_ACCOUNT: ContextVar[str] = ContextVar("simlab_account", default=ACCOUNT_ID)


def current_account() -> str:
    """The 12-digit account the running code acts for (``ACCOUNT_ID`` unless a request set one)."""
    return _ACCOUNT.get()


@contextmanager
def acting_as(account_id: str) -> Iterator[str]:
    """Runs the block as ``account_id``: ``state()`` and account-less look-ups answer for it."""
    token = _ACCOUNT.set(account_id)
    try:
        yield account_id
    finally:
        _ACCOUNT.reset(token)


@dataclass
class Settings:
    """What a fresh state starts from; ``LocalAWS`` sets it before it resets moto."""

    epoch: datetime = DEFAULT_EPOCH
    seed: int = 0
    clock: ClockMode = "manual"
    speed: float = 1.0
    state_dir: Path | None = None


settings = Settings()


class Functions:
    """Python callables standing in for Lambda functions, addressed by name or ARN."""

    def __init__(self, region: str = DEFAULT_REGION, account_id: str = ACCOUNT_ID) -> None:
        self._functions: dict[str, Callable[..., Any]] = {}
        self._region = region
        self._account = account_id
        self._lock = threading.Lock()

    def arn(self, name: str) -> str:
        """Returns the Lambda-style ARN under which ``name`` is reachable."""
        return f"arn:aws:lambda:{self._region}:{self._account}:function:{name}"

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


@dataclass
class Activity:
    """What an account has been doing, as a workshop's instructor sees it.

    ``errors`` keeps the latest few AWS errors the account's requests got (time, operation,
    code, message); ``marks`` the checkpoints it reported, with the simulated time of each.
    """

    requests: int = 0
    last_seen: str = ""
    errors: deque[dict[str, str]] = field(default_factory=lambda: deque(maxlen=ERRORS_KEPT))
    marks: dict[str, str] = field(default_factory=dict)


#: How many of an account's latest errors ``Activity`` keeps.
ERRORS_KEPT = 10

_clock: Clock | None = None
_clock_lock = threading.Lock()


def shared_clock() -> Clock:
    """The one simulated clock of the local AWS, made from ``settings`` on first use."""
    global _clock
    clock = _clock
    if clock is not None:
        return clock
    with _clock_lock:
        if _clock is None:
            _clock = Clock(settings.epoch, mode=settings.clock, speed=settings.speed, lock=LOCK)
            _clock.env.guard = _unreset
        return _clock


class Standing:
    """Whether the work an account scheduled still stands: true until the account is next
    reset on its own (``forget_account_work``). The clock reads ``standing`` before it runs
    such work, without a call."""

    __slots__ = ("standing",)

    def __init__(self) -> None:
        self.standing = True


#: account -> the ``Standing`` its work scheduled since its last reset shares
_standings: dict[str, Standing] = {}


def forget_account_work(account_id: str) -> None:
    """Ends the scheduled work of ``account_id`` (its campaigns, flushes) as its state is reset."""
    standing = _standings.pop(account_id, None)
    if standing is not None:  # work scheduled before keeps its own reference, now false
        standing.standing = False


def _unreset() -> Standing:
    """The ``Standing`` of the current account's work: one per account and reset, not per call."""
    account = _ACCOUNT.get()
    standing = _standings.get(account)
    if standing is None:
        standing = _standings[account] = Standing()
    return standing


def drop_clock() -> None:
    """Forgets the clock, so the next ``shared_clock()`` starts a fresh one (a full reset)."""
    global _clock
    with _clock_lock:
        _clock = None


def _outbox_path(account_id: str) -> Path | None:
    """Where an account's outbox is kept: the default account's where it always was."""
    if settings.state_dir is None or account_id == ACCOUNT_ID:
        return None  # the outbox module's own choice: the kept directory or a temporary file
    return settings.state_dir / "accounts" / account_id / outbox_store.FILE_NAME


class SimlabBackend(BaseBackend):
    """Holds one account's outbox, functions and random streams, and the shared clock."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        path = _outbox_path(account_id)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.outbox = Outbox(path)
        self.functions = Functions(account_id=account_id)
        self.activity = Activity()
        self.seed = settings.seed
        self._streams: dict[str, np.random.Generator] = {}
        self._lock = threading.Lock()

    @property
    def clock(self) -> Clock:
        """The simulated clock, one for every account."""
        return shared_clock()

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


def state(account_id: str | None = None) -> SimlabBackend:
    """Returns the state of ``account_id``, by default the current account's (made on first use)."""
    # The plain dict look-ups skip BackendDict's checks: moto reads the clock through here
    # hundreds of thousands of times in a long SQS session. The first call creates it.
    account_id = account_id or _ACCOUNT.get()
    account = dict.get(simlab_backends, account_id)
    backend = dict.get(account, "aws") if account is not None else None
    return backend if backend is not None else simlab_backends[account_id]["aws"]
