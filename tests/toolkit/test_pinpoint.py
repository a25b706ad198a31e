"""The Pinpoint readers against the local AWS: what they print is what the API answered."""

import pytest
from botocore.exceptions import ClientError

from simlab import toolkit


@pytest.fixture
def project(aws):
    pinpoint = aws.client("pinpoint")
    app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "toolkit"})[
        "ApplicationResponse"
    ]["Id"]
    return pinpoint, app_id


def test_a_channel_segment_holds_only_its_channel(project):
    pinpoint, app_id = project
    segment_id = toolkit.channel_segment(pinpoint, app_id, "readers", ["EMAIL"])
    segment = pinpoint.get_segment(ApplicationId=app_id, SegmentId=segment_id)["SegmentResponse"]
    channel = segment["Dimensions"]["Demographic"]["Channel"]
    assert (segment["Name"], channel["Values"]) == ("readers", ["EMAIL"])


def test_a_campaign_of_an_unknown_app_answers_not_found(project):
    pinpoint, _ = project
    with pytest.raises(ClientError) as caught:
        toolkit.campaign_status(pinpoint, "no-such-app", "no-such-campaign")
    assert caught.value.response["Error"]["Code"] == "NotFoundException"


RECORDS = [
    {
        "event_type": "_campaign.send",
        "attributes": {"campaign_id": "c", "treatment_id": "0", "campaign_send_status": "SUCCESS"},
    },
    {
        "event_type": "_campaign.send",
        "attributes": {"campaign_id": "c", "treatment_id": "1", "campaign_send_status": "OPT_OUT"},
    },
    {
        "event_type": "_journey.send",
        "attributes": {
            "journey_id": "j",
            "journey_activity_id": "a",
            "journey_send_status": "SUCCESS",
        },
    },
    {
        "event_type": "_email.delivered",
        "attributes": {"campaign_id": "c", "treatment_id": "0"},
        "client": {"client_id": "e1"},
    },
    {
        "event_type": "_email.delivered",
        "attributes": {"campaign_id": "c", "treatment_id": "0"},
        "client": {"client_id": "e2"},
    },
    {
        "event_type": "_email.open",
        "attributes": {"campaign_id": "c", "treatment_id": "0"},
        "client": {"client_id": "e1"},
    },
    {
        "event_type": "_email.open",
        "attributes": {"campaign_id": "c", "treatment_id": "0"},
        "client": {"client_id": "e1"},
    },
]


def test_send_statuses_count_campaign_and_journey_sends():
    assert toolkit.send_statuses(RECORDS) == {"OPT_OUT": 1, "SUCCESS": 2}
    assert toolkit.send_statuses(RECORDS, by="treatment_id") == {
        "0": {"SUCCESS": 1},
        "1": {"OPT_OUT": 1},
        "?": {"SUCCESS": 1},
    }


def test_records_of_keeps_one_campaign_and_the_types_asked_for():
    kept = toolkit.records_of(RECORDS, campaign_id="c", event_types=["_email.open"])
    assert len(kept) == 2 and {r["event_type"] for r in kept} == {"_email.open"}


def test_an_endpoint_that_opens_twice_counts_once():
    [treatment] = toolkit.open_rates(RECORDS)
    assert (treatment.hits, treatment.n) == (1, 2)


def test_holdout_check_counts_the_audience_from_sent_and_held():
    activities = [
        {"TotalEndpointCount": 47, "ExecutionMetrics": {"HOLDOUT": "17", "SUCCESS": "46"}},
        {"TotalEndpointCount": 44, "ExecutionMetrics": {"SUCCESS": "43"}},
    ]
    assert toolkit.holdout_check(activities, percent=10) == (
        "holdout 17 of 108 endpoints (15.7%); a random 10% split of 108 holds out 5 to 17 of "
        "them 95% of the time"
    )
