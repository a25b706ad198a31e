"""A scheduled campaign and a journey with a wait and a yes/no split, on the simulated clock.

Only documented boto3 calls, plus moving the local AWS's clock (``POST /simlab/clock`` over
HTTP). Run it in-process (``python examples/campaign_and_journey.py``) or against ``simlab
serve`` (``--endpoint-url http://127.0.0.1:5000``); the output is the same.
"""

from __future__ import annotations

import argparse
import json
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable
from typing import Any

import boto3

SENDER = "news@example.com"
BUCKET = "engagement-events"
ROLE = "arn:aws:iam::123456789012:role/pinpoint-events"
READERS = 40
PHONES = 10
#: A toll-free number sends 3 message parts a second; campaigns pace themselves to match.
SMS_RATE = 3


def phone(i: int) -> str:
    """The i-th test phone number."""
    return f"+1206555{i:04d}"


def clients(endpoint_url: str | None) -> dict[str, Any]:
    """boto3 clients for the services the example uses."""
    options: dict[str, Any] = {"region_name": "us-east-1"}
    if endpoint_url:
        options.update(
            endpoint_url=endpoint_url, aws_access_key_id="testing", aws_secret_access_key="testing"
        )
    names = ("pinpoint", "ses", "sesv2", "s3", "firehose", "pinpoint-sms-voice-v2")
    return {name: boto3.client(name, **options) for name in names}


def clock_mover(endpoint_url: str | None) -> Callable[[float], None]:
    """Moves the local AWS's simulated clock forward: over HTTP, or in this process."""
    if endpoint_url:

        def advance(seconds: float) -> None:
            request = urllib.request.Request(
                f"{endpoint_url}/simlab/clock",
                data=json.dumps({"advance": seconds}).encode(),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            with urllib.request.urlopen(request) as answer:
                answer.read()

        return advance
    from simlab.aws.state import state

    return lambda seconds: state().clock.advance(seconds)


def texted_code(endpoint_url: str | None, phone: str) -> str:
    """The verification code the phone received (read from the local AWS's outbox)."""
    if endpoint_url:
        query = urllib.parse.urlencode({"to": phone})
        with urllib.request.urlopen(f"{endpoint_url}/simlab/outbox?{query}") as answer:
            messages = json.loads(answer.read())["messages"]
    else:
        from simlab.aws.state import state

        messages = [m.to_json() for m in state().outbox.filter(to=phone)]
    return str(messages[-1]["body"]).rsplit(" ", 1)[-1]


def verify_phones(aws: dict[str, Any], endpoint_url: str | None, phones: list[str]) -> None:
    """In the SMS sandbox only verified destinations get texts: verify each test phone."""
    sms = aws["pinpoint-sms-voice-v2"]
    sms.request_phone_number(  # texts to the US need an origination number
        IsoCountryCode="US",
        MessageType="PROMOTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
    )
    for phone in phones:
        number = sms.create_verified_destination_number(DestinationPhoneNumber=phone)
        number_id = number["VerifiedDestinationNumberId"]
        sms.send_destination_number_verification_code(
            VerifiedDestinationNumberId=number_id, VerificationChannel="TEXT"
        )
        sms.verify_destination_number(
            VerifiedDestinationNumberId=number_id,
            VerificationCode=texted_code(endpoint_url, phone),
        )


def setup(aws: dict[str, Any], endpoint_url: str | None = None) -> tuple[str, str]:
    """An app with email and SMS channels, an event stream to S3, endpoints and a segment."""
    pinpoint, ses, sesv2, s3, firehose = (
        aws[n] for n in ("pinpoint", "ses", "sesv2", "s3", "firehose")
    )
    ses.verify_email_identity(EmailAddress=SENDER)
    sesv2.put_account_details(  # leave the SES sandbox, as an approved request does
        MailType="MARKETING",
        WebsiteURL="https://example.com",
        UseCaseDescription="Weekly newsletter to subscribers",
        ProductionAccessEnabled=True,
    )
    app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "shop"})["ApplicationResponse"][
        "Id"
    ]
    pinpoint.update_email_channel(
        ApplicationId=app_id,
        EmailChannelRequest={
            "FromAddress": SENDER,
            "Identity": f"arn:aws:ses:us-east-1:123456789012:identity/{SENDER}",
            "Enabled": True,
        },
    )
    verify_phones(aws, endpoint_url, [phone(i) for i in range(PHONES)])
    pinpoint.update_sms_channel(ApplicationId=app_id, SMSChannelRequest={"Enabled": True})
    s3.create_bucket(Bucket=BUCKET)
    stream = firehose.create_delivery_stream(
        DeliveryStreamName="engagement-events",
        ExtendedS3DestinationConfiguration={
            "RoleARN": ROLE,
            "BucketARN": f"arn:aws:s3:::{BUCKET}",
            "BufferingHints": {"IntervalInSeconds": 0, "SizeInMBs": 1},
        },
    )["DeliveryStreamARN"]
    pinpoint.put_event_stream(
        ApplicationId=app_id, WriteEventStream={"DestinationStreamArn": stream, "RoleArn": ROLE}
    )
    zones = ["America/New_York", "Europe/Paris", "Asia/Tokyo", "Asia/Kolkata"]
    items = [
        {
            "Id": f"reader-{i}",
            "ChannelType": "EMAIL",
            "Address": f"reader{i}@example.com",
            "Attributes": {"plan": ["gold" if i % 2 else "free"]},
            "Demographic": {"Timezone": zones[i % len(zones)]},
        }
        for i in range(READERS)
    ] + [
        {
            "Id": f"phone-{i}",
            "ChannelType": "SMS",
            "Address": phone(i),
            "Attributes": {"plan": ["gold"]},
        }
        for i in range(PHONES)
    ]
    for start in range(0, len(items), 100):
        pinpoint.update_endpoints_batch(
            ApplicationId=app_id, EndpointBatchRequest={"Item": items[start : start + 100]}
        )
    segment_id = pinpoint.create_segment(
        ApplicationId=app_id,
        WriteSegmentRequest={
            "Name": "gold",
            "Dimensions": {
                "Attributes": {"plan": {"AttributeType": "INCLUSIVE", "Values": ["gold"]}}
            },
        },
    )["SegmentResponse"]["Id"]
    pinpoint.create_email_template(
        TemplateName="Weekly",
        EmailTemplateRequest={"Subject": "This week at the shop", "TextPart": "New arrivals."},
    )
    pinpoint.create_email_template(
        TemplateName="Nudge",
        EmailTemplateRequest={"Subject": "Did you see this?", "TextPart": "Still new."},
    )
    pinpoint.create_sms_template(
        TemplateName="Flash", SMSTemplateRequest={"Body": "Flash sale today only!"}
    )
    return app_id, segment_id


def run(endpoint_url: str | None = None) -> dict[str, Any]:
    """Runs a campaign and a journey; returns what the API and the event stream report."""
    aws = clients(endpoint_url)
    pinpoint, s3 = aws["pinpoint"], aws["s3"]
    advance = clock_mover(endpoint_url)
    app_id, segment_id = setup(aws, endpoint_url)

    # 1. A daily campaign at 09:00 in each reader's own time zone, three days running.
    campaign = pinpoint.create_campaign(
        ApplicationId=app_id,
        WriteCampaignRequest={
            "Name": "weekly-digest",
            "SegmentId": segment_id,
            "TemplateConfiguration": {
                "EmailTemplate": {"Name": "Weekly"},
                "SMSTemplate": {"Name": "Flash"},
            },
            "Schedule": {
                "Frequency": "DAILY",
                "StartTime": "2026-01-06T09:00:00",
                "EndTime": "2026-01-09T00:00:00Z",
                "IsLocalTime": True,
                "Timezone": "UTC",
                "QuietTime": {"Start": "22:00", "End": "07:00"},
            },
            "Limits": {"Daily": 1, "Total": 2, "MessagesPerSecond": SMS_RATE},
        },
    )["CampaignResponse"]
    states = [campaign["State"]["CampaignStatus"]]
    advance(4 * 86_400)
    campaign_id = campaign["Id"]
    states.append(
        pinpoint.get_campaign(ApplicationId=app_id, CampaignId=campaign_id)["CampaignResponse"][
            "State"
        ]["CampaignStatus"]
    )
    activities = pinpoint.get_campaign_activities(ApplicationId=app_id, CampaignId=campaign_id)[
        "ActivitiesResponse"
    ]["Item"]
    kpi = pinpoint.get_campaign_date_range_kpi(
        ApplicationId=app_id,
        CampaignId=campaign_id,
        KpiName="unique-deliveries",
        StartTime="2026-01-05T00:00:00Z",
        EndTime="2026-01-09T00:00:00Z",
    )["CampaignDateRangeKpiResponse"]["KpiResult"]["Rows"][0]["Values"][0]["Value"]

    # 2. A journey: email, wait a day, then split on whether the email was opened.
    journey = pinpoint.create_journey(
        ApplicationId=app_id,
        WriteJourneyRequest={
            "Name": "welcome-series",
            "State": "ACTIVE",
            "StartActivity": "welcome",
            "StartCondition": {"SegmentStartCondition": {"SegmentId": segment_id}},
            "Activities": {
                "welcome": {"EMAIL": {"TemplateName": "Weekly", "NextActivity": "pause"}},
                "pause": {"Wait": {"WaitTime": {"WaitFor": "P1D"}, "NextActivity": "opened"}},
                "opened": {
                    "ConditionalSplit": {
                        "Condition": {
                            "Conditions": [
                                {
                                    "EventCondition": {
                                        "Dimensions": {
                                            "EventType": {
                                                "DimensionType": "INCLUSIVE",
                                                "Values": ["_email.open"],
                                            }
                                        },
                                        "MessageActivity": "welcome",
                                    }
                                }
                            ]
                        },
                        "EvaluationWaitTime": {"WaitFor": "PT1H"},
                        "TrueActivity": "thanks",
                        "FalseActivity": "nudge",
                    }
                },
                "thanks": {"Holdout": {"Percentage": 0}},
                "nudge": {"EMAIL": {"TemplateName": "Nudge"}},
            },
            "Limits": {"MessagesPerSecond": SMS_RATE},
        },
    )["JourneyResponse"]
    advance(3 * 86_400)
    journey_id = journey["Id"]
    state = pinpoint.get_journey(ApplicationId=app_id, JourneyId=journey_id)["JourneyResponse"][
        "State"
    ]
    metrics = pinpoint.get_journey_execution_metrics(ApplicationId=app_id, JourneyId=journey_id)[
        "JourneyExecutionMetricsResponse"
    ]["Metrics"]
    split = pinpoint.get_journey_execution_activity_metrics(
        ApplicationId=app_id, JourneyId=journey_id, JourneyActivityId="opened"
    )["JourneyExecutionActivityMetricsResponse"]["Metrics"]

    # 3. The event stream, read back from S3.
    records = []
    for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        body = s3.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read().decode()
        records += [json.loads(line) for line in body.splitlines() if line.strip()]
    campaign_sends = Counter(
        r["attributes"]["campaign_send_status"]
        for r in records
        if r["event_type"] == "_campaign.send"
    )
    journey_sends = Counter(
        (r["attributes"]["journey_activity_id"], r["attributes"]["journey_send_status"])
        for r in records
        if r["event_type"] == "_journey.send"
    )
    return {
        "campaign_states": states,
        "activities": [
            (a["ScheduledStart"], a["State"], a["TotalEndpointCount"], a["SuccessfulEndpointCount"])
            for a in sorted(activities, key=lambda a: a["ScheduledStart"])
        ],
        "unique_deliveries": kpi,
        "campaign_send_records": dict(campaign_sends),
        "journey_state": state,
        "journey_metrics": metrics,
        "split": split,
        "journey_send_records": {f"{a}:{s}": n for (a, s), n in sorted(journey_sends.items())},
        "event_types": dict(sorted(Counter(r["event_type"] for r in records).items())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--endpoint-url", help="a simlab serve endpoint (default: in-process)")
    args = parser.parse_args()
    if args.endpoint_url:
        observed = run(args.endpoint_url)
    else:
        from simlab.aws import LocalAWS

        with LocalAWS():
            observed = run()
    print(json.dumps(observed, indent=2))


if __name__ == "__main__":
    main()
