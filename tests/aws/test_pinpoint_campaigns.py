"""Pinpoint campaigns through boto3: lifecycle, activities, KPIs and in-app messages."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from botocore.exceptions import ClientError

from examples import campaign_and_journey as example
from simlab.toolkit import s3_json_records

EMAIL_SMS = {
    "EmailMessage": {"Title": "Hello", "Body": "News of the week", "FromAddress": example.SENDER},
    "SMSMessage": {"Body": "News!", "MessageType": "PROMOTIONAL"},
}


def create(shop: dict[str, Any], **request: Any) -> dict[str, Any]:
    request.setdefault("Name", "launch")
    request.setdefault("SegmentId", shop["segment"])
    request.setdefault("MessageConfiguration", EMAIL_SMS)
    request.setdefault("Limits", {"MessagesPerSecond": example.SMS_RATE})
    return shop["pinpoint"].create_campaign(
        ApplicationId=shop["app"], WriteCampaignRequest=request
    )["CampaignResponse"]


def test_the_example_runs_in_process(aws):
    observed = example.run()
    assert observed["campaign_states"] == ["SCHEDULED", "COMPLETED"]
    # Daily 1, Total 2 over three daily runs: the third run sends nothing, all TOTAL_CAP.
    assert [a[2:] for a in observed["activities"]] == [(30, 30), (30, 30), (0, 0)]
    assert observed["campaign_send_records"] == {"SUCCESS": 60, "TOTAL_CAP": 30}
    assert observed["unique_deliveries"] == "30.0"
    assert observed["journey_state"] == "COMPLETED"
    split = observed["split"]
    assert int(split.get("TRUE", 0)) + int(split.get("FALSE", 0)) == 30
    assert observed["journey_send_records"]["welcome:SUCCESS"] == 20  # 20 gold email readers


@pytest.mark.server
def test_the_example_runs_unchanged_against_the_server(server_aws):
    observed = example.run(server_aws.endpoint_url)
    assert observed["campaign_states"] == ["SCHEDULED", "COMPLETED"]
    assert observed["campaign_send_records"] == {"SUCCESS": 60, "TOTAL_CAP": 30}
    assert observed["journey_metrics"]["ENDPOINT_LEFT"] == "30"


def test_a_campaign_response_has_the_documented_shape(shop):
    campaign = create(shop, Schedule={"Frequency": "ONCE", "StartTime": "2026-01-06T09:00:00Z"})
    assert campaign["State"] == {"CampaignStatus": "SCHEDULED"}
    assert campaign["SegmentId"] == shop["segment"] and campaign["SegmentVersion"] == 1
    assert campaign["Version"] == 1 and campaign["Arn"].endswith(f"/campaigns/{campaign['Id']}")
    assert campaign["Schedule"]["StartTime"] == "2026-01-06T09:00:00.000Z"
    listed = shop["pinpoint"].get_campaigns(ApplicationId=shop["app"])["CampaignsResponse"]
    assert [c["Id"] for c in listed["Item"]] == [campaign["Id"]]


def test_sends_go_through_the_real_channels_with_campaign_attributes(shop):
    campaign = create(shop, Schedule={"Frequency": "ONCE", "StartTime": "IMMEDIATE"})
    shop["aws"].clock.advance(60)
    outbox = shop["aws"].outbox.filter(service="pinpoint")
    contexts = Counter(m.detail["context"]["campaign_id"] for m in outbox)
    assert contexts == {campaign["Id"]: 30}  # 20 gold emails + 10 phones, one each
    records = s3_json_records(shop["s3"], example.BUCKET)
    channel_records = [r for r in records if r["event_type"] in ("_email.send", "_SMS.BUFFERED")]
    assert len(channel_records) == 30
    for record in channel_records:
        assert record["attributes"]["campaign_id"] == campaign["Id"]
        assert record["attributes"]["treatment_id"] == "0"
        assert record["attributes"]["campaign_activity_id"]


def test_kpis_reconcile_with_the_stream_records(shop):
    pinpoint = shop["pinpoint"]
    campaign = create(shop, Schedule={"Frequency": "ONCE", "StartTime": "IMMEDIATE"})
    shop["aws"].clock.advance(2 * 86_400)
    records = s3_json_records(shop["s3"], example.BUCKET)
    mine = [r for r in records if r["attributes"].get("campaign_id") == campaign["Id"]]
    sends = [r for r in mine if r["event_type"] == "_campaign.send"]
    delivered = [r for r in sends if r["attributes"]["campaign_send_status"] == "SUCCESS"]
    email_delivered = [r for r in delivered if r["attributes"]["delivery_type"] == "EMAIL"]
    opens = [r for r in mine if r["event_type"] == "_email.open"]

    def kpi(name: str) -> list[dict[str, Any]]:
        return pinpoint.get_campaign_date_range_kpi(
            ApplicationId=shop["app"],
            CampaignId=campaign["Id"],
            KpiName=name,
            StartTime="2026-01-05T00:00:00Z",
            EndTime="2026-01-08T00:00:00Z",
        )["CampaignDateRangeKpiResponse"]["KpiResult"]["Rows"]

    assert kpi("messages-sent")[0]["Values"][0]["Value"] == str(float(len(sends)))
    assert kpi("unique-deliveries")[0]["Values"][0]["Value"] == str(
        float(len({r["client"]["client_id"] for r in delivered}))
    )
    rate = float(kpi("email-open-rate")[0]["Values"][0]["Value"])
    assert rate == pytest.approx(len(opens) / len(email_delivered), abs=1e-6)
    activity = pinpoint.get_campaign_activities(
        ApplicationId=shop["app"], CampaignId=campaign["Id"]
    )["ActivitiesResponse"]["Item"][0]
    assert activity["TotalEndpointCount"] == len(sends)
    assert activity["SuccessfulEndpointCount"] == len(delivered)
    app_kpi = pinpoint.get_application_date_range_kpi(
        ApplicationId=shop["app"], KpiName="messages-sent"
    )["ApplicationDateRangeKpiResponse"]
    assert app_kpi["KpiResult"]["Rows"][0]["Values"][0]["Value"] == str(float(len(sends)))


def test_updates_make_versions_and_delete_forgets(shop):
    pinpoint = shop["pinpoint"]
    campaign = create(shop, Schedule={"Frequency": "ONCE", "StartTime": "2026-01-06T09:00:00Z"})
    updated = pinpoint.update_campaign(
        ApplicationId=shop["app"],
        CampaignId=campaign["Id"],
        WriteCampaignRequest={"Name": "renamed", "IsPaused": True},
    )["CampaignResponse"]
    assert updated["Version"] == 2 and updated["State"]["CampaignStatus"] == "PAUSED"
    first = pinpoint.get_campaign_version(
        ApplicationId=shop["app"], CampaignId=campaign["Id"], Version="1"
    )["CampaignResponse"]
    assert first["Name"] == "launch"
    versions = pinpoint.get_campaign_versions(ApplicationId=shop["app"], CampaignId=campaign["Id"])
    assert [v["Version"] for v in versions["CampaignsResponse"]["Item"]] == [2, 1]
    deleted = pinpoint.delete_campaign(ApplicationId=shop["app"], CampaignId=campaign["Id"])
    assert deleted["CampaignResponse"]["State"]["CampaignStatus"] == "DELETED"
    with pytest.raises(ClientError) as error:
        pinpoint.get_campaign(ApplicationId=shop["app"], CampaignId=campaign["Id"])
    assert error.value.response["Error"]["Code"] == "NotFoundException"


@pytest.mark.parametrize(
    ("request_fields", "words"),
    [
        ({"SegmentId": "no-such-segment"}, "SegmentId: segment no-such-segment not found"),
        (
            {
                "HoldoutPercent": 50,
                "AdditionalTreatments": [{"SizePercent": 60, "MessageConfiguration": EMAIL_SMS}],
            },
            "AdditionalTreatments: HoldoutPercent (50) plus the treatments' SizePercent (60)",
        ),
        (
            {"TemplateConfiguration": {"EmailTemplate": {"Name": "Ghost"}}},
            "TemplateConfiguration.EmailTemplate.Name: no EMAIL template 'Ghost'",
        ),
        (
            {"Schedule": {"Frequency": "DAILY", "StartTime": "IMMEDIATE"}},
            "Schedule.EndTime: is required for a DAILY campaign",
        ),
    ],
)
def test_invalid_campaigns_answer_bad_request_naming_the_field(shop, request_fields, words):
    with pytest.raises(ClientError) as error:
        create(shop, **request_fields)
    assert error.value.response["Error"]["Code"] == "BadRequestException"
    assert words in error.value.response["Error"]["Message"]
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    campaigns = shop["pinpoint"].get_campaigns(ApplicationId=shop["app"])["CampaignsResponse"]
    assert campaigns["Item"] == []


def test_an_event_campaign_answers_put_events(shop):
    pinpoint = shop["pinpoint"]
    campaign = create(
        shop,
        MessageConfiguration={"EmailMessage": EMAIL_SMS["EmailMessage"]},
        Schedule={
            "Frequency": "EVENT",
            "StartTime": "IMMEDIATE",
            "EndTime": "2026-02-01T00:00:00Z",
            "EventFilter": {
                "FilterType": "ENDPOINT",
                "Dimensions": {
                    "EventType": {"DimensionType": "INCLUSIVE", "Values": ["cart.abandoned"]}
                },
            },
        },
    )
    shop["aws"].clock.advance(1)
    pinpoint.put_events(
        ApplicationId=shop["app"],
        EventsRequest={
            "BatchItem": {
                "reader-1": {
                    "Endpoint": {},
                    "Events": {
                        "e1": {"EventType": "cart.abandoned", "Timestamp": "2026-01-05T09:00:01Z"}
                    },
                }
            }
        },
    )
    sent = shop["aws"].outbox.filter(service="pinpoint", channel="EMAIL")
    assert [m.destination for m in sent] == ["reader1@example.com"]
    assert sent[0].detail["context"]["campaign_id"] == campaign["Id"]


def test_in_app_messages_come_by_priority(shop):
    pinpoint = shop["pinpoint"]
    pinpoint.update_endpoint(
        ApplicationId=shop["app"],
        EndpointId="device-1",
        EndpointRequest={"ChannelType": "IN_APP", "Attributes": {"plan": ["gold"]}},
    )
    banner = {
        "InAppMessage": {
            "Layout": "TOP_BANNER",
            "Content": [{"BodyConfig": {"Body": "Sale", "Alignment": "LEFT", "TextColor": "#000"}}],
        }
    }
    schedule = {
        "Frequency": "IN_APP_EVENT",
        "StartTime": "IMMEDIATE",
        "EndTime": "2026-02-01T00:00:00Z",
        "EventFilter": {
            "FilterType": "SYSTEM",
            "Dimensions": {
                "EventType": {"DimensionType": "INCLUSIVE", "Values": ["_session.start"]}
            },
        },
    }
    low = create(shop, Name="low", MessageConfiguration=banner, Schedule=schedule, Priority=5)
    high = create(
        shop,
        Name="high",
        MessageConfiguration=banner,
        Schedule=schedule,
        Priority=1,
        Limits={"Daily": 1, "Session": 1, "Total": 2},
    )
    answer = pinpoint.get_in_app_messages(ApplicationId=shop["app"], EndpointId="device-1")[
        "InAppMessagesResponse"
    ]["InAppMessageCampaigns"]
    assert [m["CampaignId"] for m in answer] == [high["Id"], low["Id"]]
    assert answer[0]["InAppMessage"]["Layout"] == "TOP_BANNER"
    assert (answer[0]["DailyCap"], answer[0]["SessionCap"], answer[0]["TotalCap"]) == (1, 1, 2)
    pinpoint.put_events(
        ApplicationId=shop["app"],
        EventsRequest={
            "BatchItem": {
                "device-1": {
                    "Endpoint": {},
                    "Events": {
                        "shown": {
                            "EventType": "_inapp.message_displayed",
                            "Timestamp": "2026-01-05T09:00:00Z",
                            "Attributes": {"campaign_id": high["Id"]},
                            "Session": {"Id": "s1", "StartTimestamp": "2026-01-05T09:00:00Z"},
                        }
                    },
                }
            }
        },
    )
    answer = pinpoint.get_in_app_messages(ApplicationId=shop["app"], EndpointId="device-1")[
        "InAppMessagesResponse"
    ]["InAppMessageCampaigns"]
    assert [m["CampaignId"] for m in answer] == [low["Id"]]
    with pytest.raises(ClientError) as error:
        pinpoint.get_in_app_messages(ApplicationId=shop["app"], EndpointId="nobody")
    assert error.value.response["Error"]["Code"] == "NotFoundException"


def test_an_unknown_kpi_is_refused_with_the_allowed_names(shop):
    campaign = create(shop, Schedule={"Frequency": "ONCE", "StartTime": "IMMEDIATE"})
    with pytest.raises(ClientError) as error:
        shop["pinpoint"].get_campaign_date_range_kpi(
            ApplicationId=shop["app"], CampaignId=campaign["Id"], KpiName="happiness"
        )
    assert error.value.response["Error"]["Code"] == "BadRequestException"
    assert "unique-deliveries" in error.value.response["Error"]["Message"]


def test_a_notebook_can_print_the_campaign_summary(shop):
    from simlab.aws.services.pinpoint import engines_for

    campaign = create(shop, Name="digest", Schedule={"Frequency": "ONCE", "StartTime": "IMMEDIATE"})
    shop["aws"].clock.advance(60)
    text = engines_for(shop["app"]).campaigns.summary(shop["app"], campaign["Id"])
    assert text.splitlines()[0] == "campaign digest: COMPLETED, version 1"
    assert text.splitlines()[-1].startswith("  total: sent 30 = delivered 30")
