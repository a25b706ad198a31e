"""SMS event records become counts that add up and a delivery curve."""

import pytest

from simlab.toolkit import (
    DeliveryTally,
    customer_numbers,
    delivery_curve,
    delivery_report,
    event_type_counts,
    firehose_to_bucket,
    log_group,
    log_messages,
    s3_json_records,
    send_texts,
    side_by_side,
    tally_deliveries,
)

ROLE = "arn:aws:iam::123456789012:role/sms-events"


def record(message_id, event_type, at_s, *, sent_at_s=0.0):
    status = event_type.split("_", 1)[1]
    final = event_type not in ("TEXT_QUEUED", "TEXT_PENDING")
    return {
        "eventType": event_type,
        "messageId": message_id,
        "messageStatus": status,
        "isFinal": final,
        "eventTimestamp": int(1_000_000 + at_s * 1000),
        "messageRequestTimestamp": int(1_000_000 + sent_at_s * 1000),
    }


def lifecycle(message_id, final_type=None, final_at=None, sent_at=0.0):
    records = [
        record(message_id, "TEXT_QUEUED", sent_at, sent_at_s=sent_at),
        record(message_id, "TEXT_PENDING", sent_at, sent_at_s=sent_at),
    ]
    if final_type:
        records.append(record(message_id, final_type, final_at, sent_at_s=sent_at))
    return records


RECORDS = [
    *lifecycle("a", "TEXT_DELIVERED", 2.0),
    *lifecycle("b", "TEXT_DELIVERED", 5.0, sent_at=1.0),
    *lifecycle("c", "TEXT_BLOCKED", 5.0, sent_at=1.0),
    *lifecycle("d", sent_at=2.0),
]


def test_each_message_counts_once_by_its_final_record_plus_the_refusals():
    tally = tally_deliveries(RECORDS, {"opted_out": 2, "throttled": 1})
    assert tally == DeliveryTally(delivered=2, failed=1, opted_out=2, throttled=1, pending=1)
    assert tally.sent == 7
    assert tally.delivery_rate == pytest.approx(2 / 4)
    assert tally.summary() == (
        "sent 7 = delivered 2 + failed 1 + opted-out 2 + throttled 1 + pending 1"
    )


def test_refusals_of_an_unknown_kind_are_an_error_naming_the_allowed_kinds():
    with pytest.raises(ValueError, match="opted_out or throttled; got \\['bounced'\\]"):
        tally_deliveries(RECORDS, {"bounced": 1})


def test_event_types_are_counted_lifecycle_first():
    assert event_type_counts(RECORDS) == {
        "TEXT_QUEUED": 4,
        "TEXT_PENDING": 4,
        "TEXT_BLOCKED": 1,
        "TEXT_DELIVERED": 2,
    }


def test_the_report_lists_event_types_then_the_accounting():
    assert delivery_report(RECORDS, {"throttled": 1}).splitlines() == [
        "records by eventType:",
        "  TEXT_QUEUED                    4",
        "  TEXT_PENDING                   4",
        "  TEXT_BLOCKED                   1",
        "  TEXT_DELIVERED                 2",
        "messages: sent 5 = delivered 2 + failed 1 + opted-out 0 + throttled 1 + pending 1",
        "delivery rate (of accepted): 50.0%",
    ]


def test_side_by_side_puts_destinations_in_columns_and_dashes_where_nothing_arrived():
    finals = [r for r in RECORDS if r["isFinal"]]
    assert side_by_side({"SNS": finals, "Logs": RECORDS}).splitlines() == [
        "eventType           SNS   Logs",
        "TEXT_QUEUED           -      4",
        "TEXT_PENDING          -      4",
        "TEXT_BLOCKED          1      1",
        "TEXT_DELIVERED        2      2",
    ]


def test_the_curve_steps_at_each_final_record_from_the_first_send():
    curve = delivery_curve(RECORDS)
    assert curve.accepted == 4
    assert curve.seconds == (0.0, 2.0, 5.0)
    assert curve.delivered == (0.0, 0.25, 0.5)
    assert curve.failed == (0.0, 0.0, 0.25)
    assert curve.final_delivery_rate == 0.5


def test_no_records_make_an_empty_curve():
    curve = delivery_curve([])
    assert (curve.accepted, curve.seconds, curve.final_delivery_rate) == (0, (0.0,), 0.0)


def configuration_set(aws, sms, *, firehose_name=None):
    """A toll-free number and a set with every text event going to Logs (and Firehose)."""
    number = sms.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
    )["PhoneNumberArn"]
    sms.create_configuration_set(ConfigurationSetName="orders")
    sms.create_event_destination(
        ConfigurationSetName="orders",
        EventDestinationName="to-logs",
        MatchingEventTypes=["TEXT_ALL"],
        CloudWatchLogsDestination={
            "IamRoleArn": ROLE,
            "LogGroupArn": log_group(aws.client("logs"), "/sms/events"),
        },
    )
    if firehose_name:
        stream = firehose_to_bucket(
            aws.client("firehose"), aws.client("s3"), firehose_name, role_arn=ROLE, interval_s=60
        )
        sms.create_event_destination(
            ConfigurationSetName="orders",
            EventDestinationName="to-firehose",
            MatchingEventTypes=["TEXT_ALL"],
            KinesisFirehoseDestination={"IamRoleArn": ROLE, "DeliveryStreamArn": stream},
        )
    aws.sms.leave_sandbox(monthly_spend_limit=100)
    return number


def test_events_read_back_from_logs_add_up_to_the_engines_own_count(aws):
    sms = aws.client("pinpoint-sms-voice-v2")
    number = configuration_set(aws, sms)
    customers = customer_numbers(30)
    aws.sms.reply(customers[0], number.rsplit("/", 1)[-1], "STOP")  # by id resolves too
    aws.sms.carrier.force(customers[1], "UNKNOWN")
    batch = send_texts(
        sms, customers, "Shipped!", origination=number, ConfigurationSetName="orders"
    )
    aws.clock.advance(600)
    tally = tally_deliveries(log_messages(aws.client("logs"), "/sms/events"), batch.refused)
    counts = aws.sms.engine.counts()
    assert tally.sent == counts["sent"] == 30
    assert tally.opted_out == 1 and tally.throttled > 0 and tally.pending == 1
    assert (tally.delivered, tally.failed, tally.pending) == (
        counts["delivered"],
        counts["failed"],
        counts["pending"],
    )
    assert (tally.opted_out, tally.throttled) == (counts["opted_out"], counts["throttled"])


@pytest.mark.server
def test_a_paced_batch_is_charted_from_s3_over_http(server_aws):
    sms = server_aws.client("pinpoint-sms-voice-v2")
    number = configuration_set(server_aws, sms, firehose_name="sms-events")
    batch = send_texts(
        sms,
        customer_numbers(12),
        "Shipped!",
        origination=number,
        ConfigurationSetName="orders",
        per_second=3,
        wait=server_aws.clock.advance,
    )
    assert batch.refused == {} and len(batch.message_ids) == 12
    server_aws.clock.advance(600)
    records = s3_json_records(server_aws.client("s3"), "sms-events")
    curve = delivery_curve(records)
    tally = tally_deliveries(records)
    assert curve.accepted == tally.sent == 12 and tally.pending == 0
    assert curve.final_delivery_rate == pytest.approx(tally.delivered / 12)
    assert curve.seconds == tuple(sorted(curve.seconds)) and curve.seconds[-1] > 11 / 3
