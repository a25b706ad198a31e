"""``LocalAWS``: a local AWS in-process (moto's ``mock_aws``) or over HTTP, on a simulated clock."""

from __future__ import annotations

import os
from datetime import datetime
from types import TracebackType
from typing import Any, Literal

import boto3
from botocore.config import Config
from moto import mock_aws
from moto.core.base_backend import BackendDict
from moto.core.model_instances import reset_model_data
from moto.moto_api._internal import mock_random

from simlab.aws import moto_clock, registry
from simlab.aws.state import DEFAULT_REGION, SimlabBackend, settings, simlab_backends, state
from simlab.engage import outbox as outbox_store
from simlab.engage.clock import DEFAULT_EPOCH, Clock
from simlab.engage.outbox import Outbox

#: Local clients fail fast on throttling instead of backing off against a clock that stands still.
NO_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 1})

Mode = Literal["inprocess", "server", "aws"]
MODES: tuple[str, ...] = ("inprocess", "server", "aws")

#: Credentials the local AWS accepts; they never leave this machine.
FAKE_CREDENTIALS = {
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
    "aws_session_token": "testing",
}


def reset_all() -> None:
    """Wipes every moto backend, simlab's included, and reseeds moto's ids."""
    state().outbox.clear()  # a kept outbox (state_dir) outlives its backend: empty it too
    BackendDict.reset()
    reset_model_data()
    _fresh_state()


def _fresh_state() -> None:
    # moto re-runs every backend's __init__ while it resets; one that touches state() then can
    # rebuild simlab's backend mid-reset, untracked by the next reset. Drop it here, after.
    simlab_backends.clear()
    mock_random.seed(settings.seed)


class LocalAWS:
    """A local AWS: ``with LocalAWS() as aws: aws.client("sesv2").send_email(...)``.

    ``mode="inprocess"`` patches boto3 in this process, so plain ``boto3.client(...)`` works too;
    ``mode="server"`` serves HTTP on 127.0.0.1 (``endpoint_url``) for the AWS CLI and other
    processes; ``mode="aws"`` is real AWS and is used only when asked for by name.
    """

    def __init__(
        self,
        mode: Mode = "inprocess",
        *,
        region: str = DEFAULT_REGION,
        port: int = 0,
        seed: int = 0,
        epoch: datetime = DEFAULT_EPOCH,
        state_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        self.mode = mode
        self.region = region
        self.port = port
        self.seed = seed
        self.epoch = epoch
        self._mock: Any = None
        self._server: Any = None
        self._saved_env: dict[str, str | None] = {}
        self.state_dir = state_dir  # where the outbox is kept across restarts (None: nowhere)

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> LocalAWS:
        """Opens the local AWS with fresh state."""
        if self.mode == "aws":
            return self
        registry.install()
        moto_clock.install()
        settings.epoch, settings.seed = self.epoch, self.seed
        outbox_store.use_directory(self.state_dir)
        self._set_env()
        # Both local modes patch boto3 in this process, so nothing here can reach real AWS.
        self._mock = mock_aws()
        self._mock.start()
        _fresh_state()
        moto_clock.follow(lambda: state().clock.naive_utc())
        if self.mode == "server":
            from simlab.aws.server import Server

            try:
                self._server = Server(port=self.port).start()
            except BaseException:
                self.stop()
                raise
        return self

    def stop(self) -> None:
        """Closes the local AWS; in-process state is dropped."""
        moto_clock.follow(None)
        if self._mock is not None:
            self._mock.stop()
            self._mock = None
        if self._server is not None:
            self._server.stop()
            self._server = None
        self._restore_env()

    def reset(self) -> None:
        """Wipes all state (messages, identities, topics, the clock) but stays open."""
        self._require_local("reset")
        reset_all()

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

        Locally, the client does not retry throttled calls: simulated time stands still while
        botocore backs off, so a retry could never succeed. Pass ``config=`` to choose otherwise.
        """
        if self.mode != "aws":
            kwargs.setdefault("config", NO_RETRIES)
        return boto3.session.Session().client(service, **self._client_kwargs(kwargs))

    def resource(self, service: str, **kwargs: Any) -> Any:
        """Returns a boto3 resource for ``service`` that talks to this local AWS."""
        return boto3.session.Session().resource(service, **self._client_kwargs(kwargs))

    def _client_kwargs(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        options = {"region_name": self.region, **kwargs}
        if self.mode != "aws":
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

    def _restore_env(self) -> None:
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._saved_env.clear()

    def __repr__(self) -> str:
        where = f" at {self.endpoint_url}" if self.endpoint_url else ""
        return f"LocalAWS(mode={self.mode!r}, region={self.region!r}{where})"
