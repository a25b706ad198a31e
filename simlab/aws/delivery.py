"""Delivers event records to where AWS services send them: Firehose, Kinesis, Logs, SNS.

SES and SMS configuration sets and Pinpoint event streams all name a destination by ARN; this
module turns that ARN into a write on the matching moto backend, on the simulated clock.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from moto.backends import get_backend

from simlab.aws.services.firehose.models import PartialWrite
from simlab.aws.state import current_account, state
from simlab.engage.event_records import compact_json


class DeliveryError(ValueError):
    """A destination ARN that names no destination, or one that does not exist.

    ``written`` counts the records of a ``deliver_texts`` call that went before it failed.
    """

    written: int = 0


@dataclass(frozen=True)
class Arn:
    """The parts of an ARN that delivery needs."""

    service: str
    region: str
    account: str
    resource: str

    @classmethod
    def parse(cls, arn: str) -> Arn:
        """The parts of ``arn`` (an ARN without an account names the caller's); raises
        DeliveryError if it is not an ARN."""
        parsed = _parsed(arn)
        return parsed if parsed.account else dataclasses.replace(parsed, account=current_account())


@functools.lru_cache(maxsize=1024)
def _parsed(arn: str) -> Arn:
    """``Arn.parse``, remembered: a stream's ARN is parsed once, not once per record."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        raise DeliveryError(f"not an ARN: {arn!r}")
    return Arn(parts[2], parts[3], parts[4], parts[5])


def _encode(record: dict[str, Any] | str) -> str:
    return record if isinstance(record, str) else compact_json(record)


def deliver(destination_arn: str, record: dict[str, Any] | str, *, partition_key: str = "") -> None:
    """Writes one JSON record to the Firehose stream, Kinesis stream, log group or SNS topic."""
    arn = Arn.parse(destination_arn)
    text = _encode(record)
    try:
        match arn.service:
            case "firehose":
                _to_firehose(arn, text)
            case "kinesis":
                _to_kinesis(arn, destination_arn, text, partition_key or "simlab")
            case "logs":
                _to_logs(arn, text)
            case "sns":
                _to_sns(arn, destination_arn, text)
            case _:
                raise DeliveryError(
                    f"cannot deliver events to a {arn.service} ARN: {destination_arn}"
                )
    except DeliveryError:
        raise
    except Exception as error:  # moto's own not-found errors, worded for the learner
        raise DeliveryError(f"cannot deliver to {destination_arn}: {error}") from error


def deliver_texts(destination_arn: str, records: Sequence[tuple[str, str]]) -> None:
    """Writes JSON texts, each with its partition key, in order: ``deliver`` of each, with the
    destination resolved once (a Firehose stream takes them all in one call). Raises
    DeliveryError as ``deliver`` does at the first record that fails, its ``written``
    counting the records before it.
    """
    arn = _parsed(destination_arn)
    if arn.service == "firehose" and arn.account and "/" in arn.resource:
        try:
            backend = _firehose(arn.account, arn.region)
            backend.deliver_texts(arn.resource.split("/", 1)[1], [text for _, text in records])
        except PartialWrite as stopped:
            error = DeliveryError(f"cannot deliver to {destination_arn}: {stopped.error}")
            error.written = stopped.written
            raise error from stopped.error
        except Exception as failed:  # moto's own not-found errors, worded for the learner
            raise DeliveryError(f"cannot deliver to {destination_arn}: {failed}") from failed
        return
    written = 0
    try:
        write = writer(destination_arn)
        for partition_key, text in records:
            write(text, partition_key)
            written += 1
    except DeliveryError as error:
        error.written = written
        raise


def writer(destination_arn: str) -> Callable[[str, str], None]:
    """A function ``write(text, partition_key)`` that does what ``deliver`` does with a JSON
    text, the ARN read and its Firehose stream's route found once, not once per record (and
    again only when the stream changes or the backend is reset).

    Raises DeliveryError if ``destination_arn`` is not an ARN; ``write`` raises DeliveryError
    as ``deliver`` does.
    """
    arn = _parsed(destination_arn)
    service, account, region, resource = arn.service, arn.account, arn.region, arn.resource
    if service != "firehose" or not account or "/" not in resource:
        # another service, or an account that is the caller's at the time of each write
        return lambda text, partition_key: deliver(
            destination_arn, text, partition_key=partition_key
        )
    return _FirehoseWriter(destination_arn, account, region, resource.split("/", 1)[1]).write


def firehose_route(destination_arn: str) -> Any:
    """The kept route of the Firehose stream ``destination_arn`` names, where a ``writer`` of
    it would put each text on one (its ``put_text(text)`` is that writer's write, but for
    raising what it raises unworded), or None where a writer goes another way: another
    service, an ARN without an account, a stream without one S3 destination, or none.

    The route stands until its ``live`` turns False; look it up again then.
    """
    try:
        arn = _parsed(destination_arn)
        service, account, resource = arn.service, arn.account, arn.resource
        if service != "firehose" or not account or "/" not in resource:
            return None
        return _firehose(account, arn.region).route(resource.split("/", 1)[1])
    except Exception:  # no ARN, or no backend: the writer's way words it for the learner
        return None


class _FirehoseWriter:
    """``writer`` of a Firehose stream: its route kept while it stands."""

    __slots__ = ("arn", "account", "region", "name", "route")

    def __init__(self, arn: str, account: str, region: str, name: str) -> None:
        self.arn, self.account, self.region, self.name = arn, account, region, name
        self.route: Any = None

    def write(self, text: str, partition_key: str) -> None:
        route = self.route
        try:
            if route is None or not route.live:
                route = self.route = _firehose(self.account, self.region).route(self.name)
                if route is None:  # no stream, or not one S3 destination: moto's way
                    _firehose(self.account, self.region).deliver_data(
                        self.name, (text + "\n").encode()
                    )
                    return
            route.put_text(text)
        except Exception as error:  # moto's own not-found errors, worded for the learner
            raise DeliveryError(f"cannot deliver to {self.arn}: {error}") from error


def _firehose(account: str, region: str) -> Any:
    """The Firehose backend of an account and Region, found without moto's per-lookup scan.

    moto's ``BackendDict[account]`` walks every registered service on each lookup; a stream
    written once per message would pay that every time. The dicts are read directly when the
    backend exists, and through moto (which creates it) when it does not.
    """
    backends = _firehose_backends()
    found = dict.get(backends, account)
    backend = None if found is None else dict.get(found, region)
    return backend if backend is not None else backends[account][region]


def _firehose_backends() -> Any:
    """moto's Firehose backends by account and Region (``get_backend`` imports on each call)."""
    module = sys.modules.get("moto.firehose.models")
    backends = getattr(module, "firehose_backends", None)
    return get_backend("firehose") if backends is None else backends


def _to_firehose(arn: Arn, text: str) -> None:
    name = arn.resource.split("/", 1)[1]
    backend = _firehose(arn.account, arn.region)
    route = backend.route(name)
    if route is None:  # no stream, or not one S3 destination: moto's way
        backend.deliver_data(name, (text + "\n").encode())
    else:
        route.put_text(text)


def _to_kinesis(arn: Arn, full_arn: str, text: str, partition_key: str) -> None:
    backend: Any = get_backend("kinesis")[arn.account][arn.region]  # moto types None as str
    data = base64.b64encode(text.encode()).decode()
    backend.put_record(full_arn, None, partition_key, None, data)


def _to_logs(arn: Arn, text: str) -> None:
    # arn:aws:logs:region:account:log-group:NAME[:*]
    group = arn.resource.split(":", 1)[1].removesuffix(":*")
    backend = get_backend("logs")[arn.account][arn.region]
    stream = f"simlab/{state().clock.now():%Y/%m/%d}"
    backend.ensure_log_stream(group, stream)
    backend.put_log_events(
        group, stream, [{"timestamp": state().clock.timestamp_ms(), "message": text}]
    )


def _to_sns(arn: Arn, full_arn: str, text: str) -> None:
    backend = get_backend("sns")[arn.account][arn.region]
    backend.publish(text, arn=full_arn)
