"""Objects a Firehose stream delivers read back from disk exactly as written, through S3."""

from __future__ import annotations

import hashlib
import json
import tempfile
from urllib.parse import unquote_plus

import pytest
from moto.s3.models import s3_backends

from simlab.aws import LocalAWS
from simlab.aws.delivery import deliver_texts
from simlab.aws.services.firehose import models
from simlab.aws.services.firehose.spill import SpillFile
from tests.aws.sqs_delivery import drain, make_queue

BUCKET = "spill-archive"


def _stream(aws: LocalAWS, size_mb: int = 1, interval: int = 0) -> str:
    aws.client("s3").create_bucket(Bucket=BUCKET)
    return aws.client("firehose").create_delivery_stream(
        DeliveryStreamName="events",
        ExtendedS3DestinationConfiguration={
            "RoleARN": "arn:aws:iam::123456789012:role/firehose",
            "BucketARN": f"arn:aws:s3:::{BUCKET}",
            "BufferingHints": {"SizeInMBs": size_mb, "IntervalInSeconds": interval},
        },
    )["DeliveryStreamARN"]


def _keys(aws: LocalAWS) -> list[str]:
    listed = aws.client("s3").list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return sorted(o["Key"] for o in listed)


def _by_body(aws: LocalAWS) -> dict[bytes, str]:
    s3 = aws.client("s3")
    return {s3.get_object(Bucket=BUCKET, Key=k)["Body"].read(): k for k in _keys(aws)}


def test_delivered_objects_read_back_whole_in_ranges_and_with_their_md5_etag(aws):
    arn = _stream(aws)
    texts = [f'{{"n":{n},"pad":"{"y" * n}"}}' for n in range(5)]
    deliver_texts(arn, [(f"e{n}", text) for n, text in enumerate(texts)])
    s3 = aws.client("s3")
    bodies = []
    for key in _keys(aws):  # a zero interval: one object per record (keys end in a uuid)
        got = s3.get_object(Bucket=BUCKET, Key=key)
        body = got["Body"].read()
        assert got["ETag"] == f'"{hashlib.md5(body).hexdigest()}"'
        part = s3.get_object(Bucket=BUCKET, Key=key, Range="bytes=2-5")["Body"].read()
        assert part == body[2:6]
        bodies.append(body)
    assert sorted(bodies) == sorted((text + "\n").encode() for text in texts)


def test_a_deleted_or_replaced_object_leaves_the_others_as_they_were(aws):
    arn = _stream(aws)
    deliver_texts(arn, [("e1", '{"n":1}'), ("e2", '{"n":2}'), ("e3", '{"n":3}')])
    s3 = aws.client("s3")
    first, second, third = (_by_body(aws)[f'{{"n":{n}}}\n'.encode()] for n in (1, 2, 3))
    s3.delete_object(Bucket=BUCKET, Key=first)
    s3.put_object(Bucket=BUCKET, Key=second, Body=b"replaced")
    s3.copy_object(Bucket=BUCKET, Key="copy", CopySource={"Bucket": BUCKET, "Key": third})
    assert _keys(aws) == sorted(["copy", second, third])
    assert s3.get_object(Bucket=BUCKET, Key=second)["Body"].read() == b"replaced"
    assert s3.get_object(Bucket=BUCKET, Key=third)["Body"].read() == b'{"n":3}\n'
    assert s3.get_object(Bucket=BUCKET, Key="copy")["Body"].read() == b'{"n":3}\n'


def test_a_delivered_key_whose_value_is_set_again_keeps_the_new_value(aws):
    arn = _stream(aws)
    deliver_texts(arn, [("e1", '{"n":1}'), ("e2", '{"n":2}')])
    first, second = (_by_body(aws)[f'{{"n":{n}}}\n'.encode()] for n in (1, 2))
    backend = s3_backends["123456789012"]["aws"]
    key = backend.get_object(BUCKET, first)
    key.value = b"rewritten"
    assert key.value == b"rewritten"
    assert backend.get_object(BUCKET, second).value == b'{"n":2}\n'


def test_a_segment_reads_like_a_file_and_refuses_reads_once_closed():
    spill = SpillFile()
    spill.append(b"before", 1024)
    segment = spill.append(b"0123456789", 1024)
    assert segment.read(4) == b"0123" and segment.tell() == 4
    assert segment.read() == b"456789" and segment.read() == b""
    assert segment.seek(-3, 2) == 7 and segment.read(None) == b"789"
    segment.seek(0)
    with tempfile.SpooledTemporaryFile(1024) as plain:
        plain.write(b"0123456789")
        plain.seek(0)
        assert [segment.read(3) for _ in range(5)] == [plain.read(3) for _ in range(5)]
    segment.close()
    with pytest.raises(ValueError, match="closed"):
        segment.read()


def test_an_object_larger_than_moto_keeps_in_memory_goes_to_disk_once_and_reads_back_whole(
    aws, monkeypatch
):
    rollovers = []  # moto's own temporary file for a large object: a second write to disk
    plain = tempfile.SpooledTemporaryFile.rollover
    monkeypatch.setattr(
        tempfile.SpooledTemporaryFile,
        "rollover",
        lambda self: (rollovers.append(self), plain(self))[1],
    )
    arn = _stream(aws, size_mb=5, interval=900)
    texts = [f'{{"n":{n},"pad":"{"y" * (1000 + n % 700)}"}}' for n in range(4000)]
    deliver_texts(arn, [(f"e{n}", text) for n, text in enumerate(texts)])
    aws.clock.advance(900)
    s3 = aws.client("s3")
    bodies = [s3.get_object(Bucket=BUCKET, Key=key) for key in _keys(aws)]
    assert [b["ContentLength"] for b in bodies][0] >= 5 * 1024 * 1024  # full, then the rest
    whole = b"".join(got["Body"].read() for got in bodies)
    assert whole == "".join(f"{text}\n" for text in texts).encode()
    assert rollovers == []


def test_a_bucket_that_sends_notifications_is_told_the_size_and_etag_of_each_object(aws):
    url, queue = make_queue(aws, "objects")
    arn = _stream(aws)
    aws.client("s3").put_bucket_notification_configuration(
        Bucket=BUCKET,
        NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": queue, "Events": ["s3:ObjectCreated:*"]}]
        },
    )
    deliver_texts(arn, [("e1", '{"n":1}'), ("e2", '{"n":22}')])
    told = [json.loads(m["Body"]) for m in drain(aws, url)]
    objects = [r["s3"]["object"] for m in told for r in m.get("Records", [])]
    s3 = aws.client("s3")
    keys = [unquote_plus(o["key"]) for o in objects]
    bodies = [s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() for key in keys]
    assert sorted(bodies) == [b'{"n":1}\n', b'{"n":22}\n']
    assert [o["size"] for o in objects] == [len(b) for b in bodies]
    assert [o["eTag"] for o in objects] == [hashlib.md5(b).hexdigest() for b in bodies]


@pytest.mark.parametrize(
    "records",
    [
        ["a", "bb", "ccc", "dddd", "e" * 40, "f"],
        [b"raw\n", "text", "more", b"", b"bytes\n", "last"],
        [b"only\n", b"bytes\n"],
    ],
)
def test_an_objects_pieces_written_one_after_another_are_its_bytes(records, monkeypatch):
    monkeypatch.setattr(models, "CHUNK", 8)
    buffer = models._Buffer()
    for record in records:
        buffer.records.append(record)
        data = record.encode() + b"\n" if isinstance(record, str) else record
        buffer.size += len(data)
        buffer.kinds |= 0 if isinstance(record, str) else models._BYTES  # a text sets no bit
    pieces = list(buffer.chunks())
    assert b"".join(pieces) == buffer.body()
    assert len(pieces) > 1
