"""Records handed to Firehose together land exactly as records handed over one at a time.

``deliver_texts`` (a campaign's records of one instant) and the kept route of ``writer`` (a
channel's records, one by one) must give the same S3 objects, split at the same records, under
the same keys, and leave moto's seeded random stream (shared with SES and SMS message ids) in
the same state after every call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from moto.moto_api._internal import mock_random

from simlab.aws import LocalAWS
from simlab.aws.delivery import DeliveryError, deliver, deliver_texts, writer

ACCOUNT = "123456789012"
BUCKET = "simlab-batches"
#: Records of about 300 kB: four fill a 1 MB buffer, so boundaries fall inside a batch.
BIG = 300_000


def _stream(aws: LocalAWS, size_mb: int = 1, interval: int = 60) -> str:
    aws.client("s3").create_bucket(Bucket=BUCKET)
    return aws.client("firehose").create_delivery_stream(
        DeliveryStreamName="events",
        ExtendedS3DestinationConfiguration={
            "RoleARN": f"arn:aws:iam::{ACCOUNT}:role/firehose",
            "BucketARN": f"arn:aws:s3:::{BUCKET}",
            "BufferingHints": {"SizeInMBs": size_mb, "IntervalInSeconds": interval},
        },
    )["DeliveryStreamARN"]


def _landed(aws: LocalAWS) -> list[tuple[str, bytes]]:
    s3 = aws.client("s3")
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []))
    return [(k, s3.get_object(Bucket=BUCKET, Key=k)["Body"].read()) for k in keys]


def _texts(count: int, pad: int) -> list[tuple[str, str]]:
    return [(f"e{n}", f'{{"n":{n},"pad":"{"x" * (pad + n)}"}}') for n in range(count)]


def _one_by_one(arn: str, records: list[tuple[str, str]]) -> None:
    for partition_key, text in records:
        deliver(arn, text, partition_key=partition_key)


def _run(
    hand_over: Callable[[str, list[tuple[str, str]]], None], **stream: Any
) -> tuple[list[tuple[str, bytes]], list[int]]:
    """Three rounds of records a minute apart, each followed by a draw of moto's stream (as
    the next message id would draw); returns the S3 objects and those draws."""
    draws = []
    with LocalAWS() as aws:
        arn = _stream(aws, **stream)
        for round_ in range(3):
            hand_over(arn, _texts(9, BIG if stream.get("size_mb") == 1 else 10))
            draws.append(mock_random.getrandbits(64))
            aws.clock.advance(30 + round_ * 20)
        aws.clock.advance(900)
        return _landed(aws), draws


@pytest.mark.parametrize(
    "stream",
    [
        {"size_mb": 1, "interval": 900},
        {"size_mb": 5, "interval": 60},
        {"size_mb": 1, "interval": 0},
    ],
    ids=["full-buffers-mid-batch", "by-age", "zero-interval"],
)
def test_texts_handed_over_together_land_as_one_by_one(stream: dict[str, int]) -> None:
    alone, alone_draws = _run(_one_by_one, **stream)
    together, together_draws = _run(deliver_texts, **stream)
    assert len(alone) > 1  # the workload does cross object boundaries
    assert together == alone
    assert together_draws == alone_draws


def test_a_kept_writer_lands_as_deliver_does() -> None:
    def kept(arn: str, records: list[tuple[str, str]]) -> None:
        write = writer(arn)
        for partition_key, text in records:
            write(text, partition_key)

    for stream in ({"size_mb": 1, "interval": 900}, {"size_mb": 1, "interval": 0}):
        assert _run(kept, **stream) == _run(_one_by_one, **stream)


def _broken_bucket_run(together: bool) -> tuple[int, list[tuple[str, bytes]], int]:
    """Records whose buffer fills after the stream's bucket is gone and back: the flush
    fails at the fourth record; returns (records written before it, objects, next draw)."""
    with LocalAWS() as aws:
        arn = _stream(aws, size_mb=1, interval=900)
        records = _texts(8, BIG)
        s3 = aws.client("s3")
        s3.delete_bucket(Bucket=BUCKET)
        written = 0
        try:
            if together:
                deliver_texts(arn, records)
            else:
                for partition_key, text in records:
                    deliver(arn, text, partition_key=partition_key)
                    written += 1
        except DeliveryError as error:
            written = error.written if together else written
        s3.create_bucket(Bucket=BUCKET)
        deliver_texts(arn, records[written + 1 :])  # the rest, as ``stream_texts`` goes on
        aws.clock.advance(900)
        return written, _landed(aws), mock_random.getrandbits(64)


def test_a_flush_that_fails_mid_batch_stops_where_one_by_one_stops() -> None:
    alone = _broken_bucket_run(together=False)
    together = _broken_bucket_run(together=True)
    assert alone[0] == 3  # the fourth record filled the buffer; its object could not be written
    assert together == alone


def test_a_kept_writer_sees_a_reset_backend_has_no_stream(aws: LocalAWS) -> None:
    arn = _stream(aws)
    write = writer(arn)
    write('{"n":1}', "e1")
    aws.reset()
    with pytest.raises(DeliveryError, match="cannot deliver to"):
        write('{"n":2}', "e2")


def test_a_stream_changed_by_an_object_delivery_takes_the_rest_as_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Whatever an object's delivery sets off (here: the stream turned to zero buffering after
    its first object) applies to the records after it in the same batch."""
    from simlab.aws.services.firehose.models import BufferedFirehoseBackend

    plain = BufferedFirehoseBackend._flush

    def then_unbuffered(self: Any, key: tuple[str, str], version_id: str, s3: Any) -> int:
        written = plain(self, key, version_id, s3)
        stream = self.delivery_streams["events"]
        s3 = stream.destinations[0]["ExtendedS3"]
        if s3["BufferingHints"]["IntervalInSeconds"]:
            self.update_destination(
                delivery_stream_name="events",
                current_delivery_stream_version_id=stream.version_id,
                destination_id=stream.destinations[0]["destination_id"],
                s3_destination_update={},
                extended_s3_destination_update={
                    "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 0}
                },
                s3_backup_mode=None,
                redshift_destination_update=None,
                elasticsearch_destination_update=None,
                splunk_destination_update=None,
                http_endpoint_destination_update=None,
                snowflake_destination_configuration=None,
                iceberg_destination_update=None,
            )
        return written

    monkeypatch.setattr(BufferedFirehoseBackend, "_flush", then_unbuffered)
    alone = _run(_one_by_one, size_mb=1, interval=900)
    together = _run(deliver_texts, size_mb=1, interval=900)
    assert len(alone[0]) > 10  # after the first object, every record is one
    assert together == alone


def test_texts_and_learner_records_in_one_buffer_land_in_order_byte_for_byte(
    aws: LocalAWS,
) -> None:
    """Event texts (ASCII or not) and a learner's PutRecordBatch bytes share one object, in
    the order they came; a non-ASCII text counts its UTF-8 bytes toward the buffer's size."""
    arn = _stream(aws, size_mb=1, interval=60)
    write = writer(arn)
    write('{"n":1}', "e1")
    aws.client("firehose").put_record_batch(
        DeliveryStreamName="events", Records=[{"Data": b"raw,bytes\n"}, {"Data": b"\x00\xff"}]
    )
    write('{"name":"Zoë"}', "e2")
    deliver_texts(arn, [("e3", '{"n":3}'), ("e4", '{"city":"Zürich"}')])
    aws.clock.advance(60)
    expected = '{"n":1}\nraw,bytes\n\x00\xff{"name":"Zoë"}\n{"n":3}\n{"city":"Zürich"}\n'
    assert [body for _, body in _landed(aws)] == [
        b'{"n":1}\nraw,bytes\n\x00\xff' + '{"name":"Zoë"}\n{"n":3}\n{"city":"Zürich"}\n'.encode()
    ]
    assert len(expected) < len(_landed(aws)[0][1])  # ë and ü are two bytes each


def test_a_full_buffer_counts_the_bytes_of_texts_that_are_not_ascii(aws: LocalAWS) -> None:
    arn = _stream(aws, size_mb=1, interval=900)
    write = writer(arn)
    half = 1024 * 1024 // 2
    first = "é" * (half // 2 - 1) + "a"  # with its newline half a MiB in UTF-8, not in chars
    write(first, "e1")
    write("x" * (half - 1), "e2")  # the buffer reaches 1 MiB: written at once
    landed = _landed(aws)
    assert len(landed) == 1 and len(landed[0][1]) == 1024 * 1024
    assert landed[0][1] == (first + "\n" + "x" * (half - 1) + "\n").encode()
