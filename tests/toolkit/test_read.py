import json

import pytest
from botocore.exceptions import ClientError

from simlab.engage.templates import preview
from simlab.toolkit import (
    deliveries,
    delivery_table,
    log_messages,
    queue_messages,
    s3_json_records,
    s3_object_count,
    tally,
    template_version,
)


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


# -- Pinpoint sends and templates ------------------------------------------------------------------


def pinpoint_app(aws) -> tuple:
    """A Pinpoint project, and a toll-free number out of the SMS sandbox to text from."""
    aws.client("pinpoint-sms-voice-v2").request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
    )
    aws.sms.leave_sandbox()
    pinpoint = aws.client("pinpoint")
    app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "read"})["ApplicationResponse"][
        "Id"
    ]
    return pinpoint, app_id


def test_delivery_table_shows_each_recipient_of_send_messages(aws):
    pinpoint, app_id = pinpoint_app(aws)
    pinpoint.update_endpoint(
        ApplicationId=app_id,
        EndpointId="quiet",
        EndpointRequest={"ChannelType": "SMS", "Address": "+12065550111", "OptOut": "ALL"},
    )
    response = pinpoint.send_messages(
        ApplicationId=app_id,
        MessageRequest={
            "Addresses": {"+12065550100": {"ChannelType": "SMS"}},
            "Endpoints": {"quiet": {}, "nobody": {}},
            "MessageConfiguration": {"SMSMessage": {"Body": "Hi"}},
        },
    )
    rows = deliveries(response)
    assert [(r.recipient, r.kind, r.status, r.code) for r in rows] == [
        ("+12065550100", "address", "SUCCESSFUL", 200),
        ("quiet", "endpoint", "OPT_OUT", 400),
        ("nobody", "endpoint", "PERMANENT_FAILURE", 404),
    ]
    assert rows[0].message_id and rows[1].message_id is None
    assert delivery_table(response).splitlines() == [
        "recipient     kind      DeliveryStatus     code  StatusMessage",
        "+12065550100  address   SUCCESSFUL          200  SMS accepted",
        "quiet         endpoint  OPT_OUT             400  "
        "The endpoint has opted out (OptOut is ALL)",
        "nobody        endpoint  PERMANENT_FAILURE   404  Endpoint nobody not found",
    ]


def test_deliveries_of_send_users_messages_name_user_and_endpoint(aws):
    pinpoint, app_id = pinpoint_app(aws)
    pinpoint.update_endpoints_batch(
        ApplicationId=app_id,
        EndpointBatchRequest={
            "Item": [
                {
                    "Id": "p1",
                    "ChannelType": "SMS",
                    "Address": "+12065550120",
                    "User": {"UserId": "u"},
                },
                {
                    "Id": "p2",
                    "ChannelType": "SMS",
                    "Address": "+12065550121",
                    "User": {"UserId": "u"},
                },
            ]
        },
    )
    response = pinpoint.send_users_messages(
        ApplicationId=app_id,
        SendUsersMessageRequest={
            "Users": {"u": {}},
            "MessageConfiguration": {"SMSMessage": {"Body": "Hi"}},
        },
    )
    rows = deliveries(response["SendUsersMessageResponse"])
    assert sorted((r.recipient, r.kind, r.status) for r in rows) == [
        ("u/p1", "user", "SUCCESSFUL"),
        ("u/p2", "user", "SUCCESSFUL"),
    ]


def test_long_status_messages_are_cut_to_the_width():
    response = {
        "Result": {
            "a@example.com": {
                "DeliveryStatus": "PERMANENT_FAILURE",
                "StatusCode": 400,
                "StatusMessage": "x" * 80,
            }
        }
    }
    assert delivery_table(response, width=20).splitlines()[1].endswith("x" * 17 + "...")


SMS_TEMPLATE = {
    "Body": "Hi {{User.UserAttributes.FirstName}}, your {{Attributes.plan}} plan renews soon.",
    "DefaultSubstitutions": json.dumps(
        {"User.UserAttributes.FirstName": "there", "Attributes.plan": "basic"}
    ),
}


def test_template_version_reads_the_active_version_and_previews_what_a_send_renders(aws):
    pinpoint, app_id = pinpoint_app(aws)
    pinpoint.create_sms_template(TemplateName="renewal", SMSTemplateRequest=SMS_TEMPLATE)
    pinpoint.update_sms_template(
        TemplateName="renewal",
        CreateNewVersion=True,
        SMSTemplateRequest={**SMS_TEMPLATE, "Body": "{{User.UserAttributes.FirstName}}: renew now"},
    )
    assert template_version(pinpoint, "renewal", "SMS").version == 1  # still the active one
    latest = template_version(pinpoint, "renewal", "sms", version=2)
    assert latest.content["Body"].endswith("renew now") and latest.version == 2

    active = template_version(pinpoint, "renewal", "SMS")
    endpoint = {"ChannelType": "SMS", "Address": "+12065550130", "Attributes": {"plan": ["gold"]}}
    pinpoint.update_endpoint(ApplicationId=app_id, EndpointId="e1", EndpointRequest=endpoint)
    stored = pinpoint.get_endpoint(ApplicationId=app_id, EndpointId="e1")["EndpointResponse"]
    expected = preview(active, stored)["Body"]
    assert expected == "Hi there, your gold plan renews soon."
    pinpoint.send_messages(
        ApplicationId=app_id,
        MessageRequest={
            "Endpoints": {"e1": {}},
            "MessageConfiguration": {"SMSMessage": {"MessageType": "TRANSACTIONAL"}},
            "TemplateConfiguration": {"SMSTemplate": {"Name": "renewal"}},
        },
    )
    assert aws.outbox.last(service="pinpoint", channel="SMS").body == expected


def test_template_version_of_a_missing_template_is_a_not_found(aws):
    pinpoint, _ = pinpoint_app(aws)
    with pytest.raises(ClientError) as caught:
        template_version(pinpoint, "nothing", "EMAIL")
    assert caught.value.response["Error"]["Code"] == "NotFoundException"
    with pytest.raises(ValueError, match="TemplateType 'LETTER' is not valid"):
        template_version(pinpoint, "nothing", "LETTER")


@pytest.mark.server
def test_template_version_reads_over_http(server_aws):
    pinpoint = server_aws.client("pinpoint")
    pinpoint.create_email_template(
        TemplateName="hello",
        EmailTemplateRequest={"Subject": "Hello {{User.UserId}}", "TextPart": "Hi"},
    )
    version = template_version(pinpoint, "hello", "EMAIL")
    assert version.content == {"Subject": "Hello {{User.UserId}}", "TextPart": "Hi"}
    assert preview(version, {"User": {"UserId": "ana"}})["Subject"] == "Hello ana"
