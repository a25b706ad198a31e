import numpy as np

from simlab.facts import events, streams
from simlab.sim.pipeline import EVENTS, FirehoseBuffer, PeakMeter, event_counts

MiB = 1024 * 1024


def test_every_event_name_is_a_documented_one():
    documented = {*events.EMAIL_EVENT_TYPES.value, *events.SMS_EVENT_TYPES.value,
                  *events.CAMPAIGN_EVENT_TYPES.value}  # fmt: skip
    for channel, spec in EVENTS.items():
        for name in [spec.send, spec.opted_out, *spec.outcome.values()]:
            assert name is None or name in documented or name.startswith("VOICE_"), channel


def test_event_counts_follow_the_outcomes():
    counts = event_counts(
        "sms", 10, {"delivered": 7, "bounced": 1, "complained": 0, "failed": 2}, 3
    )
    assert counts == {"_SMS.BUFFERED": 10, "_SMS.SUCCESS": 7, "_SMS.FAILURE": 3, "_SMS.OPTOUT": 3}


def test_firehose_flushes_on_size_or_interval_whichever_first():
    buffer = FirehoseBuffer(size_mb=1, interval_s=60)
    # 3 records of 512 KiB at once: the second fills 1 MiB -> one object, one record left over
    buffer.add(np.array([0.0, 0.0, 0.0]), np.array([MiB // 2] * 3))
    assert buffer.objects == 1
    # a small record 59 s later joins the buffer; one at 61 s finds it past its interval
    buffer.add(np.array([59.0, 61.0]), np.array([10, 10]))
    assert buffer.objects == 2
    buffer.close()
    assert (buffer.objects, buffer.records) == (3, 5)


def test_firehose_per_tick_counting_agrees_with_per_record():
    rng = np.random.default_rng(0)
    times = np.sort(rng.uniform(0, 3_600, 50_000))
    exact = FirehoseBuffer(streams.FIREHOSE_BUFFER_SIZE_MB_DEFAULT.value, 300)
    exact.add(times, np.full(len(times), 1_000))
    exact.close()
    per_tick = np.bincount(np.ceil(times).astype(int), minlength=3_601).astype(float)
    ticked = FirehoseBuffer(streams.FIREHOSE_BUFFER_SIZE_MB_DEFAULT.value, 300)
    ticked.add_ticks(np.arange(3_601.0), 1.0, per_tick, per_tick * 1_000)
    ticked.close()
    assert abs(ticked.objects - exact.objects) <= 1
    assert ticked.records == exact.records == 50_000


def test_the_peak_second_sizes_kinesis():
    meter = PeakMeter()
    meter.add(np.array([0.5, 0.6, 1.0, 1.5]), np.array([10, 10, 10, 10]))  # 3 in (0, 1]
    meter.add(np.array([1.7, 2.5]), np.array([10, 10]))
    meter.close()
    assert (meter.peak_records, meter.peak_bytes) == (3, 30)
    meter.peak_records = 2_500
    assert meter.shards() == 3  # 1,000 records/s per shard
