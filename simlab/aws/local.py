"""``LocalAWS``: a local AWS in-process (moto's ``mock_aws``) or over HTTP, on a simulated clock."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

import boto3
from botocore.config import Config
from moto import mock_aws
from moto.core.base_backend import BackendDict
from moto.core.model_instances import reset_model_data
from moto.moto_api._internal import mock_random

from simlab.aws import locking, moto_clock, outbound, registry, routing, waiting
from simlab.aws.state import (
    DEFAULT_REGION,
    SimlabBackend,
    drop_clock,
    forget_account_work,
    settings,
    simlab_backends,
    state,
)
from simlab.engage import outbox as outbox_store
from simlab.engage.clock import CLOCK_MODES, DEFAULT_EPOCH, Clock, ClockMode
from simlab.engage.outbox import Outbox

if TYPE_CHECKING:
    from simlab.room.accounts import Attendee, Instructor, Room

#: ``aws.client`` shows every throttle as it happens (lessons count them); plain boto3 clients,
#: and ``aws.client(..., config=...)``, retry as botocore does, and their back-off lets
#: simulated time pass.
NO_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 1})

Mode = Literal["inprocess", "server", "aws"]
MODES: tuple[str, ...] = ("inprocess", "server", "aws")

#: Credentials the local AWS accepts; they never leave this machine.
FAKE_CREDENTIALS = {
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
    "aws_session_token": "testing",
}


#: How many local AWSes are open; the hooks into moto and botocore stay while any is.
_open = 0


def _hook() -> None:
    global _open
    if _open == 0:
        locking.install()
        moto_clock.install()
        routing.install()
    _open += 1


def _unhook() -> None:
    global _open
    _open = max(0, _open - 1)
    if _open == 0:
        moto_clock.follow(None)  # an outer local AWS still open keeps its clock
        moto_clock.uninstall()
        locking.uninstall()
        routing.uninstall()


def reset_all() -> None:
    """Wipes every moto backend, simlab's included, in every account; restarts the clock and
    reseeds moto's ids."""
    with locking.LOCK:
        for account_id in list(simlab_backends):
            # a kept outbox (state_dir) outlives its backend: empty it too
            state(account_id).outbox.clear()
        BackendDict.reset()
        reset_model_data()
        _fresh_state()


def reset_account(account_id: str) -> None:
    """Wipes one account's resources in every service, simlab's included; the clock goes on.

    Other accounts keep everything they have, as a workshop room needs when one attendee
    starts over.
    """
    with locking.LOCK:
        state(account_id).outbox.clear()
        forget_account_work(account_id)
        # moto's registry of every BackendDict, a class attribute it declares without ClassVar
        for backends in list(BackendDict._instances):  # type: ignore[misc]
            account = dict.get(backends, account_id)
            if account is not None:
                account.reset()
                dict.pop(backends, account_id, None)


def _fresh_state() -> None:
    # moto re-runs every backend's __init__ while it resets; one that touches state() then can
    # rebuild simlab's backend mid-reset, untracked by the next reset. Drop it here, after.
    simlab_backends.clear()
    drop_clock()
    mock_random.seed(settings.seed)


class LocalAWS:
    """A local AWS: ``with LocalAWS() as aws: aws.client("sesv2").send_email(...)``.

    ``mode="inprocess"`` patches boto3 in this process, so plain ``boto3.client(...)`` works too;
    ``mode="server"`` serves HTTP on 127.0.0.1 (``endpoint_url``) for the AWS CLI and other
    processes; ``mode="aws"`` is real AWS and is used only when asked for by name.

    ``clock="manual"`` (the default) moves simulated time only when told, and anything that
    waits (an SQS long poll, a back-off before a retry, ``time.sleep`` in the thread that opened
    the local AWS) lets simulated time pass at once. ``clock="live"`` follows the wall clock
    times ``speed``, and scheduled work runs as it falls due.
    """

    def __init__(
        self,
        mode: Mode = "inprocess",
        *,
        region: str = DEFAULT_REGION,
        port: int = 0,
        seed: int = 0,
        epoch: datetime = DEFAULT_EPOCH,
        clock: ClockMode = "manual",
        speed: float = 1.0,
        state_dir: str | os.PathLike[str] | None = None,
        room: Room | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        if clock not in CLOCK_MODES:
            raise ValueError(f"clock must be one of {', '.join(CLOCK_MODES)}, got {clock!r}")
        if not (isinstance(speed, int | float) and 0 < speed < float("inf")):
            raise ValueError(f"speed must be a positive number, got {speed!r}")
        self.mode = mode
        self.region = region
        self.port = port
        self.seed = seed
        self.epoch = epoch
        self.clock_mode: ClockMode = clock
        self.speed = float(speed)
        self._mock: Any = None
        self._server: Any = None
        self._pump: waiting.Pump | None = None
        self._sleeper: int | None = None
        self._saved_env: dict[str, str | None] = {}
        self.state_dir = state_dir  # where the outbox is kept across restarts (None: nowhere)
        self.room = room  # a workshop room: requests act for their key's account
        self.host = host

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> LocalAWS:
        """Opens the local AWS with fresh state."""
        if self.mode == "aws":
            return self
        registry.install()
        _hook()
        settings.epoch, settings.seed = self.epoch, self.seed
        settings.clock, settings.speed = self.clock_mode, self.speed
        state_dir = None if self.state_dir is None else Path(self.state_dir)
        outbox_store.use_directory(state_dir)
        settings.state_dir = state_dir
        from simlab.room.entry import open_room

        open_room(self.room)
        self._set_env()
        # Both local modes patch boto3 in this process, so nothing here can reach real AWS.
        self._mock = mock_aws()
        self._mock.start()
        _fresh_state()
        moto_clock.follow(lambda: state().clock.naive_utc())
        self._sleeper = waiting.hold_sleep()
        if self.clock_mode == "live":
            self._pump = waiting.Pump().start()
        if self.mode == "server":
            from simlab.aws.server import Server

            try:
                self._server = Server(host=self.host, port=self.port).start()
            except BaseException:
                self.stop()
                raise
        return self

    def stop(self) -> None:
        """Closes the local AWS; in-process state is dropped and plain moto is itself again."""
        if self._server is not None:
            self._server.stop()
            self._server = None
        if self._pump is not None:
            self._pump.stop()
            self._pump = None
        outbound.dispatcher().settle(timeout=outbound.TIMEOUT)
        if self._sleeper is not None:
            waiting.release_sleep(self._sleeper)
            self._sleeper = None
        if self.room is not None:
            from simlab.room.entry import current_room, open_room

            if current_room() is self.room:
                open_room(None)
        if self._mock is not None:
            self._mock.stop()
            self._mock = None
            _unhook()
        self._restore_env()

    def reset(self, account_id: str | None = None) -> None:
        """Wipes all state (messages, identities, topics, the clock) but stays open.

        Given ``account_id``, wipes only that account's resources and messages; the clock and
        every other account stay as they are.
        """
        self._require_local("reset")
        if account_id is None:
            reset_all()
        else:
            reset_account(account_id)

    def __enter__(self) -> LocalAWS:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- clients ---------------------------------------------------------------------------

    @property
    def endpoint_url(self) -> str | None:
        """The HTTP endpoint in server mode; None otherwise."""
        return self._server.endpoint_url if self._server is not None else None

    def client(self, service: str, **kwargs: Any) -> Any:
        """Returns a boto3 client for ``service`` that talks to this local AWS.

        It does not retry, so each throttled call shows; pass ``config=`` for botocore's retries
        (as a plain ``boto3.client`` has), whose back-off lets simulated time pass.
        """
        if self.mode != "aws":
            kwargs.setdefault("config", NO_RETRIES)
        return boto3.session.Session().client(service, **self._client_kwargs(kwargs))

    def settle(self, timeout: float = 10.0) -> bool:
        """Waits (real time) until outbound deliveries under way have finished; True if they have.

        HTTP/S subscriptions and other outbound deliveries leave the request path, as on AWS;
        call this before reading what a local HTTP endpoint received.
        """
        self._require_local("settle")
        return outbound.dispatcher().settle(timeout=timeout)

    def session(self, who: Attendee | Instructor) -> boto3.session.Session:
        """A boto3 session signed with a room member's keys, in this local AWS's Region."""
        return boto3.session.Session(
            aws_access_key_id=who.access_key_id,
            aws_secret_access_key=who.secret_access_key,
            region_name=self.region,
        )

    def resource(self, service: str, **kwargs: Any) -> Any:
        """Returns a boto3 resource for ``service`` that talks to this local AWS."""
        return boto3.session.Session().resource(service, **self._client_kwargs(kwargs))

    def _client_kwargs(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        options = {"region_name": self.region, **kwargs}
        if self.mode != "aws" and "aws_access_key_id" not in options:
            options = {**FAKE_CREDENTIALS, **options}
        if self.endpoint_url is not None:
            options.setdefault("endpoint_url", self.endpoint_url)
        return options

    # -- simlab state ----------------------------------------------------------------------

    @property
    def state(self) -> SimlabBackend:
        self._require_local("state")
        return state()

    @property
    def clock(self) -> Clock:
        """The simulated clock every timestamp of the local AWS follows."""
        return self.state.clock

    @property
    def outbox(self) -> Outbox:
        """Every message sent through any channel."""
        return self.state.outbox

    def __getattr__(self, name: str) -> Any:
        """Reaches the helpers services register (``aws.sms``, ``aws.ses`` ...)."""
        factory = registry.FACADES.get(name)
        if factory is None or name.startswith("_"):
            raise AttributeError(f"LocalAWS has no attribute {name!r}")
        self._require_local(name)
        return factory(self)

    def _require_local(self, what: str) -> None:
        if self.mode == "aws":
            raise RuntimeError(f"{what} exists only for a local AWS, not mode='aws'")
        if self._mock is None and self._server is None:
            raise RuntimeError(
                f"open the local AWS first (with LocalAWS() as aws: ...) to use {what}"
            )

    # -- environment -----------------------------------------------------------------------

    def _set_env(self) -> None:
        values = {
            "AWS_ACCESS_KEY_ID": FAKE_CREDENTIALS["aws_access_key_id"],
            "AWS_SECRET_ACCESS_KEY": FAKE_CREDENTIALS["aws_secret_access_key"],
            "AWS_SESSION_TOKEN": FAKE_CREDENTIALS["aws_session_token"],
            "AWS_DEFAULT_REGION": self.region,
        }
        for key, value in values.items():
            self._saved_env[key] = os.environ.get(key)
            os.environ[key] = value
        if self.room is not None:  # moto would put every request in this one account
            self._saved_env["MOTO_ACCOUNT_ID"] = os.environ.pop("MOTO_ACCOUNT_ID", None)

    def _restore_env(self) -> None:
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._saved_env.clear()

    def __repr__(self) -> str:
        where = f" at {self.endpoint_url}" if self.endpoint_url else ""
        return (
            f"LocalAWS(mode={self.mode!r}, region={self.region!r}, clock={self.clock_mode!r}"
            f"{where})"
        )
