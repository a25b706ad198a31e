import json

from simlab.aws.read import log_messages, queue_messages, s3_json_records, s3_object_count, tally


def test_s3_records_are_read_line_by_line_in_key_order(aws):
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="simlab-archive")
    s3.put_object(Bucket="simlab-archive", Key="b", Body=b'{"n": 3}\n')
    s3.put_object(Bucket="simlab-archive", Key="a", Body=b'{"n": 1}\n\n{"n": 2}\n')
    assert s3_json_records(s3, "simlab-archive") == [{"n": 1}, {"n": 2}, {"n": 3}]
    assert s3_object_count(s3, "simlab-archive") == 2


def test_queue_messages_are_received_parsed_and_deleted(aws):
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName="inbox")["QueueUrl"]
    for n in range(12):
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"n": n}))
    assert sorted(m["n"] for m in queue_messages(sqs, url)) == list(range(12))
    assert queue_messages(sqs, url) == []


def test_log_messages_come_back_oldest_first(aws):
    logs = aws.client("logs")
    logs.create_log_group(logGroupName="g")
    logs.create_log_stream(logGroupName="g", logStreamName="s")
    t = aws.clock.timestamp_ms()
    logs.put_log_events(
        logGroupName="g",
        logStreamName="s",
        logEvents=[
            {"timestamp": t, "message": '{"a": 1}'},
            {"timestamp": t + 5, "message": '{"a": 2}'},
        ],
    )
    assert log_messages(logs, "g") == [{"a": 1}, {"a": 2}]


def test_tally_counts_by_a_dotted_key():
    records = [
        {"mail": {"type": "Bounce"}},
        {"mail": {"type": "Send"}},
        {"mail": {"type": "Send"}},
        {},
    ]
    assert tally(records, "mail.type") == {"Bounce": 1, "None": 1, "Send": 2}
