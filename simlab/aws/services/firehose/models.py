"""Firehose → S3 as AWS runs it: records wait in a buffer until it is big enough or old enough.

A buffer flushes when it holds ``SizeInMBs`` or ``IntervalInSeconds`` have passed since its first
record, whichever comes first, as one S3 object named by the simulated time of delivery. The
object's bytes go to moto's temporary file on disk at once, so a long stream costs no memory.
HTTP endpoint destinations are called off the request path, on this machine only.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from moto.firehose.models import FirehoseBackend
from moto.moto_api._internal import mock_random

from simlab.aws import outbound
from simlab.aws.state import state
from simlab.facts import streams

MIB = 1024 * 1024
log = logging.getLogger(__name__)


@dataclass
class _Buffer:
    records: list[dict[str, bytes]] = field(default_factory=list)
    size: int = 0
    generation: int = 0


def buffering_hints(s3_destination: dict[str, Any]) -> tuple[int, int]:
    """Returns (size in bytes, interval in seconds) of a destination, defaults filled in."""
    hints = s3_destination.get("BufferingHints") or {}
    size_mb = int(hints.get("SizeInMBs", streams.FIREHOSE_BUFFER_SIZE_MB_DEFAULT.value))
    interval = int(
        hints.get("IntervalInSeconds", streams.FIREHOSE_BUFFER_INTERVAL_SECONDS_DEFAULT.value)
    )
    return size_mb * MIB, interval


class BufferedFirehoseBackend(FirehoseBackend):
    """moto's Firehose with buffered, clock-driven S3 delivery."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self._buffers: dict[tuple[str, str], _Buffer] = {}
        self._written: str | None = None

    @staticmethod
    def put_http_records(
        http_destination: dict[str, Any], records: list[dict[str, bytes]]
    ) -> list[dict[str, str]]:
        """Sends records to an HTTP endpoint on this machine from a worker; answers at once.

        An endpoint off this machine is never called (the local AWS has no network): its
        records are accepted and dropped, and a warning says so in the server's log.
        """
        url = http_destination["EndpointConfiguration"]["Url"]
        try:
            outbound.check_target(url)
        except outbound.OutboundRefused as refusal:
            log.warning("Firehose HTTP endpoint not called: %s", refusal)
            return [{"RecordId": str(mock_random.uuid4())} for _ in records]
        body = json.dumps(
            {
                "requestId": str(mock_random.uuid4()),
                "timestamp": state().clock.timestamp_ms(),
                "records": [{"data": base64.b64encode(r["Data"]).decode()} for r in records],
            }
        ).encode()
        headers = {"Content-Type": "application/json"}
        outbound.dispatcher().submit(lambda: _post_quietly(url, body, headers))
        return [{"RecordId": str(mock_random.uuid4())} for _ in records]

    def put_s3_records(
        self,
        delivery_stream_name: str,
        version_id: str,
        s3_destination: dict[str, Any],
        records: list[dict[str, bytes]],
    ) -> list[dict[str, str]]:
        """Buffers records for S3; flushes on size now, or on age when the clock gets there."""
        from moto.moto_api._internal import mock_random

        self._buffer(delivery_stream_name, version_id, s3_destination, records)
        return [{"RecordId": str(mock_random.uuid4())} for _ in records]

    def deliver_records(self, delivery_stream_name: str, records: list[dict[str, bytes]]) -> None:
        """Writes records for a service's event stream, as PutRecordBatch does, no response.

        The record ids nobody reads are not built, but moto's seeded random stream moves on as
        if they were, so every later id is what it would have been. Raises
        ResourceNotFoundException (moto's) if the stream does not exist.
        """
        stream = self.delivery_streams.get(delivery_stream_name)
        destinations = () if stream is None else stream.destinations
        s3 = None
        if len(destinations) == 1:
            s3 = destinations[0].get("ExtendedS3") or destinations[0].get("S3")
        if stream is None or s3 is None:
            self.put_record_batch(delivery_stream_name, records)
            return
        self._buffer(delivery_stream_name, stream.version_id, s3, records)
        mock_random.getrandbits(128 * len(records))  # the state 128-bit uuid4s leave behind

    def _buffer(
        self,
        delivery_stream_name: str,
        version_id: str,
        s3_destination: dict[str, Any],
        records: list[dict[str, bytes]],
    ) -> None:
        key = (delivery_stream_name, s3_destination["BucketARN"])
        buffer = self._buffers.get(key)
        if buffer is None:
            buffer = self._buffers[key] = _Buffer()
        limit, interval = buffering_hints(s3_destination)
        if not buffer.records:
            generation = buffer.generation
            state().clock.call_later(
                interval,
                lambda: self._flush_if(key, generation, version_id, s3_destination),
            )
        buffer.records.extend(records)
        if len(records) == 1:
            buffer.size += len(records[0]["Data"])
        else:
            buffer.size += sum(len(record["Data"]) for record in records)
        if buffer.size >= limit or interval == 0:
            self._flush(key, version_id, s3_destination)

    def flush_all(self) -> int:
        """Delivers every buffer now (as at stream deletion); returns objects written."""
        written = 0
        for (name, _), buffer in list(self._buffers.items()):
            stream = self.delivery_streams.get(name)
            if stream is None or not buffer.records:
                continue
            for destination in stream.destinations:
                s3 = destination.get("ExtendedS3") or destination.get("S3")
                if s3 is not None:
                    written += self._flush((name, s3["BucketARN"]), stream.version_id, s3)
        return written

    def _flush_if(
        self, key: tuple[str, str], generation: int, version_id: str, s3: dict[str, Any]
    ) -> None:
        buffer = self._buffers.get(key)
        if buffer is not None and buffer.generation == generation and buffer.records:
            self._flush(key, version_id, s3)

    def _flush(self, key: tuple[str, str], version_id: str, s3: dict[str, Any]) -> int:
        buffer = self._buffers.get(key)
        if buffer is None or not buffer.records:
            return 0
        records = buffer.records
        self._buffers[key] = _Buffer(generation=buffer.generation + 1)
        self._written = None
        super().put_s3_records(key[0], version_id, s3, records)
        self._to_disk(s3["BucketARN"].split(":")[-1], self._written)
        return 1

    def _format_s3_object_path(  # type: ignore[override]  # moto's is static; this one notes
        self, delivery_stream_name: str, version_id: str, prefix: str
    ) -> str:
        path = super()._format_s3_object_path(delivery_stream_name, version_id, prefix)
        self._written = path  # the object ``_flush`` is writing, kept for ``_to_disk``
        return path

    def _to_disk(self, bucket: str, path: str | None) -> None:
        """Moves a delivered object's bytes from memory to moto's temporary file on disk.

        moto keeps an object under 5 MB in memory; a stream delivers thousands of them, so
        memory would grow with every message. Reading the object is unchanged.
        """
        if path is None:
            return
        from moto.s3.models import s3_backends

        found = s3_backends[self.account_id][self.partition].get_object(bucket, path)
        spooled = getattr(found, "_value_buffer", None)
        if spooled is not None and hasattr(spooled, "rollover"):
            spooled.rollover()


def _post_quietly(url: str, body: bytes, headers: dict[str, str]) -> None:
    # An unreachable endpoint loses the batch, as a failed delivery without S3 backup does.
    with contextlib.suppress(OSError):
        outbound.post(url, body, headers)
