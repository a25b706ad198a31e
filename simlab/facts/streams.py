"""Firehose, Kinesis Data Streams and CloudWatch Logs limits that shape event delivery."""

from . import _sources as s
from ._fact import Fact

_KiB = 1024
_MiB = 1024 * _KiB

_FH = f"{s.BOTOCORE} firehose"
_KDS = "AWS-doc Kinesis Data Streams Developer Guide working-with-streams"
_LOGS = f"{s.BOTOCORE} logs PutLogEvents"

# Firehose (4.21) --------------------------------------------------------------------------------
FIREHOSE_BUFFER_SIZE_MB_MIN: Fact[int] = Fact(1, "MiB", f"{_FH} SizeInMBs", s.BASELINE, "4.21")
FIREHOSE_BUFFER_SIZE_MB_MAX: Fact[int] = Fact(128, "MiB", f"{_FH} SizeInMBs", s.BASELINE, "4.21")
FIREHOSE_BUFFER_SIZE_MB_DEFAULT: Fact[int] = Fact(
    5,
    "MiB",
    f"{_FH} SizeInMBs",
    s.BASELINE,
    "4.21",
    note="Set SizeInMBs and IntervalInSeconds together or not at all.",
)
FIREHOSE_BUFFER_INTERVAL_SECONDS_MIN: Fact[int] = Fact(
    0, "s", f"{_FH} IntervalInSeconds", s.BASELINE, "4.21"
)
FIREHOSE_BUFFER_INTERVAL_SECONDS_MAX: Fact[int] = Fact(
    900, "s", f"{_FH} IntervalInSeconds", s.BASELINE, "4.21"
)
FIREHOSE_BUFFER_INTERVAL_SECONDS_DEFAULT: Fact[int] = Fact(
    300, "s", f"{_FH} IntervalInSeconds", s.BASELINE, "4.21"
)
FIREHOSE_MAX_RECORD_BYTES: Fact[int] = Fact(
    1_000 * _KiB, "bytes", f"{_FH} PutRecord", s.BASELINE, "4.21", note="1,000 KiB before base64."
)
FIREHOSE_PUT_RECORD_BATCH_MAX_RECORDS: Fact[int] = Fact(
    500,
    "records",
    f"{_FH} PutRecordBatch",
    s.BASELINE,
    "4.21",
    note="Partial failures are reported through FailedPutCount.",
)
FIREHOSE_PUT_RECORD_BATCH_MAX_BYTES: Fact[int] = Fact(
    4 * _MiB, "bytes", f"{_FH} PutRecordBatch", s.BASELINE, "4.21"
)

# Kinesis Data Streams (4.22) --------------------------------------------------------------------
KINESIS_SHARD_WRITE_BYTES_PER_SECOND: Fact[int] = Fact(
    1 * _MiB,
    "bytes/s per shard",
    _KDS,
    s.BASELINE,
    "4.22",
    note="Both capacity modes. AWS writes '1 MB'; read as 2**20 bytes.",
)
KINESIS_SHARD_WRITE_RECORDS_PER_SECOND: Fact[int] = Fact(
    1_000, "records/s per shard", _KDS, s.BASELINE, "4.22"
)
KINESIS_SHARD_READ_BYTES_PER_SECOND: Fact[int] = Fact(
    2 * _MiB, "bytes/s per shard", _KDS, s.BASELINE, "4.22", note="AWS writes '2 MB'."
)
KINESIS_PUT_RECORDS_MAX_RECORDS: Fact[int] = Fact(
    500, "records", f"{s.BOTOCORE} kinesis PutRecords", s.BASELINE, "4.22"
)
KINESIS_MAX_RECORD_BYTES: Fact[int] = Fact(
    1 * _MiB, "bytes", "AWS-doc Kinesis large-records.html", s.BASELINE, "4.22", note="Default."
)
KINESIS_MAX_RECORD_BYTES_LARGE: Fact[int] = Fact(
    10 * _MiB,
    "bytes",
    "AWS-doc Kinesis large-records.html",
    s.BASELINE,
    "4.22",
    note="Opt-in large records, meant for under 2% of traffic.",
)
KINESIS_MAX_PARTITION_KEY_CHARS: Fact[int] = Fact(
    256, "characters", f"{s.BOTOCORE} kinesis PartitionKey", s.BASELINE, "4.22"
)

# CloudWatch Logs (4.23) -------------------------------------------------------------------------
LOGS_PUT_LOG_EVENTS_MAX_BYTES: Fact[int] = Fact(
    1_048_576,
    "bytes",
    _LOGS,
    s.BASELINE,
    "4.23",
    note="Sum of UTF-8 message bytes plus LOGS_EVENT_OVERHEAD_BYTES per event.",
)
LOGS_EVENT_OVERHEAD_BYTES: Fact[int] = Fact(26, "bytes per event", _LOGS, s.BASELINE, "4.23")
LOGS_PUT_LOG_EVENTS_MAX_EVENTS: Fact[int] = Fact(10_000, "events", _LOGS, s.BASELINE, "4.23")
LOGS_MAX_EVENT_BYTES: Fact[int] = Fact(
    1 * _MiB, "bytes", _LOGS, s.BASELINE, "4.23", note="AWS writes '1 MB'."
)
LOGS_BATCH_MAX_SPAN_HOURS: Fact[int] = Fact(
    24, "hours", _LOGS, s.BASELINE, "4.23", note="Between the oldest and newest event of a batch."
)
LOGS_MAX_EVENT_AGE_DAYS: Fact[int] = Fact(
    14, "days", _LOGS, s.BASELINE, "4.23", note="Older events are rejected."
)
LOGS_MAX_FUTURE_HOURS: Fact[int] = Fact(
    2,
    "hours",
    _LOGS,
    s.BASELINE,
    "4.23",
    note="Events further in the future are rejected. The old 5 requests/s per stream limit "
    "is gone; an account-level TPS quota applies.",
)
