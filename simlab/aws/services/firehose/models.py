"""Firehose → S3 as AWS runs it: records wait in a buffer until it is big enough or old enough.

A buffer flushes when it holds ``SizeInMBs`` or ``IntervalInSeconds`` have passed since its first
record, whichever comes first, as one S3 object named by the simulated time of delivery. The
object's bytes go to disk at once (one file for every object, written once), so a long stream
costs no memory.
HTTP endpoint destinations are called off the request path, on this machine only.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import logging
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from moto.firehose.models import FirehoseBackend
from moto.moto_api._internal import mock_random
from moto.s3.models import s3_backends
from moto.settings import get_s3_default_key_buffer_size

from simlab.aws import outbound
from simlab.aws.services.firehose import spill
from simlab.aws.state import state
from simlab.facts import streams

MIB = 1024 * 1024
#: Bytes of records written to disk together when an object is delivered (``_Buffer.chunks``):
#: small enough that each piece reuses memory freed by the last.
CHUNK = 64 * 1024
#: moto's seeded random stream, drawn from as moto's record ids would draw
_getrandbits = mock_random.getrandbits
log = logging.getLogger(__name__)


#: The ``_Buffer.kinds`` bit of a buffer that holds records as ``bytes`` (without it, a buffer
#: holds texts alone: ``str``, their newlines to add; a text sets no bit, a step less a record).
_BYTES = 2


@dataclass(slots=True)
class _Buffer:
    """The records waiting for one S3 destination of a stream, and their size in bytes.

    An event record's ASCII JSON text waits as it is (``str``, its newline and encoding
    added when the object is written, all records at once); anything else waits as bytes.
    """

    records: list[bytes | str] = field(default_factory=list)
    size: int = 0
    generation: int = 0
    kinds: int = 0

    def chunks(self) -> Iterator[bytes]:
        """The bytes of ``body`` in pieces of about ``CHUNK`` bytes (a longer record alone), so
        that writing them makes no copy the size of the object."""
        records = self.records
        step = max(1, CHUNK * len(records) // max(self.size, 1))  # texts a piece, on average
        runs = [(str, records)] if not self.kinds else itertools.groupby(records, type)
        for kind, run in runs:
            if kind is not str:
                yield from run  # type: ignore[misc]
                continue
            texts: list[str] = list(run)  # type: ignore[arg-type]
            for start in range(0, len(texts), step):
                piece = texts[start : start + step]
                piece.append("")  # the last text's newline
                yield "\n".join(piece).encode()

    def body(self) -> bytes:
        """The records as one object's bytes, each text newline-ended."""
        records = self.records
        if not self.kinds:  # texts alone; the last newline from an empty text: one copy less
            return "\n".join([*records, ""]).encode()  # type: ignore[list-item]
        parts: list[bytes] = []  # a learner's records (among texts): each run joined at once
        for kind, run in itertools.groupby(records, type):
            if kind is str:
                parts.append("\n".join([*run, ""]).encode())  # type: ignore[list-item]
            else:
                parts.extend(run)  # type: ignore[arg-type]
        return b"".join(parts)


class PartialWrite(Exception):
    """Records written in order that stopped at one that failed: ``written`` went before it,
    ``error`` is what that record raised."""

    def __init__(self, written: int, error: Exception) -> None:
        super().__init__(str(error))
        self.written, self.error = written, error


class _Route:
    """Where a stream's event records go while its configuration stands: its one S3
    destination, that destination's buffer, and the buffer's limits (read once).

    ``live`` turns False when the stream is created, updated or deleted, or the backend is
    reset: whoever keeps the route looks it up again then.
    """

    __slots__ = (
        "backend",
        "s3",
        "version_id",
        "key",
        "buffer",
        "limit",
        "interval",
        "full",
        "live",
    )

    def __init__(
        self,
        backend: BufferedFirehoseBackend,
        s3: dict[str, Any],
        version_id: str,
        key: tuple[str, str],
        buffer: _Buffer,
    ) -> None:
        self.backend, self.s3, self.version_id, self.key, self.buffer = (
            backend,
            s3,
            version_id,
            key,
            buffer,
        )
        self.limit, self.interval = buffering_hints(s3)
        #: the size at which a record flushes the buffer at once (any, with a zero interval)
        self.full = 0 if self.interval == 0 else self.limit
        self.live = True

    def put(self, data: bytes) -> None:
        """Buffers one record's bytes: the buffer's age starts with its first record, a full
        buffer (or a zero interval) flushes at once, and moto's random stream moves on by the
        record's id. Raises RuntimeError (``_flush``'s) if the S3 object cannot be written."""
        buffer = self.buffer
        records = buffer.records
        if not records:
            self.backend._schedule(self.key, buffer, self.interval, self.version_id, self.s3)
        records.append(data)
        buffer.size += len(data)
        buffer.kinds |= _BYTES
        if buffer.size >= self.full:
            self.backend._flush(self.key, self.version_id, self.s3)
        _getrandbits(128)  # the state a 128-bit uuid4 leaves behind

    def put_text(self, text: str) -> None:
        """``put`` of ``text`` as one newline-ended record (an ASCII text is encoded with the
        others when the object is written). Raises RuntimeError as ``put`` does."""
        buffer = self.buffer
        records = buffer.records
        if not records:
            self.backend._schedule(self.key, buffer, self.interval, self.version_id, self.s3)
        if text.isascii():
            records.append(text)
            size = buffer.size = buffer.size + len(text) + 1
        else:
            data = (text + "\n").encode()
            records.append(data)
            size = buffer.size = buffer.size + len(data)
            buffer.kinds |= _BYTES
        if size >= self.full:
            self.backend._flush(self.key, self.version_id, self.s3)
        _getrandbits(128)  # the state a 128-bit uuid4 leaves behind

    def put_texts(self, texts: Iterable[str]) -> int:
        """``put`` of each text as one newline-ended record, in one loop: the same objects at
        the same records, and the same random state at every flush and at the end (the
        record ids between two flushes are drawn in one step). Returns the records written;
        raises PartialWrite naming how many went before a flush that failed."""
        buffer, full, interval = self.buffer, self.full, self.interval
        # the buffer's list and size, kept here between flushes (the size written back before
        # anything else reads it); ``drawn``: the records whose ids are drawn
        records, size, written, drawn = buffer.records, buffer.size, 0, 0
        rest = iter(texts)
        for text in rest:
            try:
                if not records:
                    self.backend._schedule(self.key, buffer, interval, self.version_id, self.s3)
                if text.isascii():
                    records.append(text)
                    size += len(text) + 1
                else:
                    data = (text + "\n").encode()
                    records.append(data)
                    size += len(data)
                    buffer.kinds |= _BYTES
            except BaseException:
                buffer.size = size
                raise
            if size >= full:
                buffer.size = size
                if written > drawn:
                    _getrandbits(128 * (written - drawn))  # the ids of the records before this
                    drawn = written
                try:
                    self.backend._flush(self.key, self.version_id, self.s3)
                except Exception as error:
                    raise PartialWrite(written, error) from error
                records, size = buffer.records, buffer.size
                if not self.live:  # what the object's delivery set off changed the stream
                    _getrandbits(128)
                    return written + 1 + self._after(rest, written + 1)
            written += 1
        buffer.size = size
        if written > drawn:
            _getrandbits(128 * (written - drawn))
        return written

    def _after(self, rest: Iterable[str], written: int) -> int:
        """``deliver_texts`` of the texts left once this route no longer stands; raises
        PartialWrite counting the ``written`` before them too."""
        try:
            return int(self.backend.deliver_texts(self.key[0], rest))
        except PartialWrite as stopped:
            raise PartialWrite(written + stopped.written, stopped.error) from stopped.error


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
        #: stream name -> its route, for streams with one S3 destination (``_route``)
        self._routes: dict[str, _Route] = {}
        #: the file the bytes of the objects delivered here are kept in
        self._spill = spill.SpillFile()

    def create_delivery_stream(self, *args: Any, **kwargs: Any) -> Any:
        self._forget_routes()
        return super().create_delivery_stream(*args, **kwargs)

    def delete_delivery_stream(self, delivery_stream_name: str) -> None:
        self._forget_routes()
        super().delete_delivery_stream(delivery_stream_name)

    def update_destination(self, *args: Any, **kwargs: Any) -> None:
        self._forget_routes()
        super().update_destination(*args, **kwargs)

    def reset(self) -> None:
        self._forget_routes()
        super().reset()

    def _forget_routes(self) -> None:
        """Drops the kept routes and tells whoever holds one that it no longer stands."""
        for route in self._routes.values():
            route.live = False
        self._routes.clear()

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
        route = self._routes.get(delivery_stream_name) or self._route(delivery_stream_name)
        if route is None:
            self.put_record_batch(delivery_stream_name, records)
            return
        self._buffer(delivery_stream_name, route.version_id, route.s3, records)
        mock_random.getrandbits(128 * len(records))  # the state 128-bit uuid4s leave behind

    def deliver_data(self, delivery_stream_name: str, data: bytes) -> None:
        """``deliver_records`` of one record's bytes, with the stream's destination and
        buffering hints looked up once per stream, not once per record. Raises
        ResourceNotFoundException (moto's) if the stream does not exist.
        """
        route = self._routes.get(delivery_stream_name) or self._route(delivery_stream_name)
        if route is None:
            self.put_record_batch(delivery_stream_name, [{"Data": data}])
            return
        route.put(data)

    def deliver_texts(self, delivery_stream_name: str, texts: Iterable[str]) -> int:
        """``deliver_data`` of each text as one newline-ended record, in order: the same
        objects, keys and random state as one call each. Returns the records written; raises
        PartialWrite naming how many went before the one that failed (ResourceNotFoundException
        at the first if the stream does not exist).
        """
        route = self._routes.get(delivery_stream_name) or self._route(delivery_stream_name)
        if route is not None:
            return route.put_texts(texts)
        written = 0
        for text in texts:
            try:
                self.put_record_batch(delivery_stream_name, [{"Data": (text + "\n").encode()}])
            except Exception as error:
                raise PartialWrite(written, error) from error
            written += 1
        return written

    def route(self, delivery_stream_name: str) -> _Route | None:
        """The kept route of a stream with one S3 destination (``put`` of a route is
        ``deliver_data``), or None for another stream or none."""
        return self._routes.get(delivery_stream_name) or self._route(delivery_stream_name)

    def _route(self, delivery_stream_name: str) -> _Route | None:
        """The route of a stream with one S3 destination (kept until a stream is created,
        updated or deleted), or None."""
        stream = self.delivery_streams.get(delivery_stream_name)
        destinations = () if stream is None else stream.destinations
        if stream is None or len(destinations) != 1:
            return None
        s3 = destinations[0].get("ExtendedS3") or destinations[0].get("S3")
        if s3 is None:
            return None
        key = (delivery_stream_name, s3["BucketARN"])
        buffer = self._buffers.get(key)
        if buffer is None:
            buffer = self._buffers[key] = _Buffer()
        route = _Route(self, s3, stream.version_id, key, buffer)
        self._routes[delivery_stream_name] = route
        return route

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
            self._schedule(key, buffer, interval, version_id, s3_destination)
        for record in records:
            buffer.records.append(record["Data"])
            buffer.size += len(record["Data"])
            buffer.kinds |= _BYTES
        if buffer.size >= limit or interval == 0:
            self._flush(key, version_id, s3_destination)

    def _schedule(
        self,
        key: tuple[str, str],
        buffer: _Buffer,
        interval: int,
        version_id: str,
        s3: dict[str, Any],
    ) -> None:
        """Flushes the buffer's records on age, ``interval`` seconds after the first of them."""
        generation = buffer.generation
        state().clock.call_later(interval, lambda: self._flush_if(key, generation, version_id, s3))

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
        """Writes the buffer's records to S3 as one object, as moto's ``put_s3_records`` does.

        moto's record ids for the batch are not built, but its seeded random stream moves on
        as if they were. Raises RuntimeError (as moto does) if the object cannot be written.
        """
        buffer = self._buffers.get(key)
        if buffer is None or not buffer.records:
            return 0
        batch = _Buffer(buffer.records, buffer.size, 0, buffer.kinds)
        buffer.records, buffer.size, buffer.kinds = [], 0, 0
        buffer.generation += 1
        bucket = s3["BucketARN"].split(":")[-1]
        path = self._format_s3_object_path(key[0], version_id, s3.get("Prefix", ""))
        s3_backend = s3_backends[self.account_id][self.partition]
        segment = self._spilled(s3_backend, bucket, batch)
        body = b"" if segment is not None else batch.body()
        try:
            found = s3_backend.put_object(bucket, path, body)
        except Exception as exc:
            raise RuntimeError("Firehose PutRecord(Batch to S3 destination failed") from exc
        mock_random.getrandbits(128 * len(batch.records))  # the ids moto returns, unread
        if segment is None:
            self._to_disk(bucket, path, body)
            return 1
        with found.lock:  # the bytes written to disk already become the object's value
            empty, found._value_buffer = found._value_buffer, segment  # type: ignore[assignment]
            found.contentsize = segment.size
        empty.close()
        return 1

    def _spilled(self, s3_backend: Any, bucket: str, batch: _Buffer) -> spill.Segment | None:
        """The batch's bytes written straight to the backend's ``SpillFile``, for an object
        made empty and then given them (one write to disk, no copy of the whole object), or
        None where the object must be made with its bytes: a bucket that is missing or sends
        notifications (they tell the object's size when it is made), a platform without
        ``pread``, or a file that cannot be written. Every request runs under one lock, so no
        one reads the object between the two steps."""
        if not spill.AVAILABLE:
            return None
        try:
            if s3_backend.get_bucket(bucket).notification_configuration is not None:
                return None
            return self._spill.append_chunks(batch.chunks(), get_s3_default_key_buffer_size())
        except Exception:  # a missing bucket, a full disk: moto's way, and its errors
            return None

    def _to_disk(self, bucket: str, path: str, body: bytes) -> None:
        """Moves a delivered object's bytes (``body``) from memory to disk.

        moto keeps an object under 5 MB in memory; a stream delivers thousands of them, so
        memory would grow with every message. The bytes go to the backend's ``SpillFile``
        (where the platform can read a file at an offset; else to moto's own temporary file
        for the object). Reading the object is unchanged.
        """
        found = s3_backends[self.account_id][self.partition].get_object(bucket, path)
        spooled = getattr(found, "_value_buffer", None)
        if found is None or spooled is None:
            return
        if spill.AVAILABLE and isinstance(spooled, tempfile.SpooledTemporaryFile):
            segment = self._spill.append(body, found._max_buffer_size)
            with found.lock:  # moto reads a key's buffer as a file: seek, tell, read
                found._value_buffer = segment  # type: ignore[assignment]
            spooled.close()
        elif hasattr(spooled, "rollover"):
            spooled.rollover()


def _post_quietly(url: str, body: bytes, headers: dict[str, str]) -> None:
    # An unreachable endpoint loses the batch, as a failed delivery without S3 backup does.
    with contextlib.suppress(OSError):
        outbound.post(url, body, headers)
