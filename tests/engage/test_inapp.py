"""In-app messages: live IN_APP campaigns per endpoint, by priority, within their caps."""

from datetime import timedelta

from simlab.engage.inapp import DISPLAYED_EVENT, InAppTracker, in_app_messages
from tests.engage.campaign_world import World

BANNER = {
    "InAppMessage": {
        "Layout": "BOTTOM_BANNER",
        "Content": [{"BodyConfig": {"Body": "Sale!", "Alignment": "CENTER", "TextColor": "#000"}}],
    }
}
IN_APP = {"id": "device1", "Id": "device1", "ChannelType": "IN_APP", "Address": ""}


def in_app_campaign(world, name, priority, limits=None):
    return world.create(
        Name=name,
        MessageConfiguration=BANNER,
        Priority=priority,
        Limits=limits or {},
        Schedule={
            "Frequency": "IN_APP_EVENT",
            "StartTime": "IMMEDIATE",
            "EndTime": "2026-02-01T00:00:00Z",
            "EventFilter": {
                "FilterType": "SYSTEM",
                "Dimensions": {
                    "EventType": {"DimensionType": "INCLUSIVE", "Values": ["_session.start"]}
                },
            },
        },
    )


def shown(tracker, world, campaign, session="s1"):
    tracker.observe(
        "device1",
        {
            "EventType": DISPLAYED_EVENT,
            "Attributes": {"campaign_id": campaign.id},
            "Session": {"Id": session},
        },
        world.clock.seconds,
    )


def messages(world, tracker):
    live = world.engine.in_app_campaigns("app")
    return in_app_messages(live, IN_APP, tracker, world.clock.seconds, world.engine._allocation)[
        "InAppMessageCampaigns"
    ]


def test_campaigns_come_highest_priority_first_with_their_caps():
    world = World([IN_APP])
    low = in_app_campaign(world, "low", 4)
    high = in_app_campaign(world, "high", 1, {"Daily": 2, "Session": 1, "Total": 5})
    found = messages(world, InAppTracker())
    assert [m["CampaignId"] for m in found] == [high.id, low.id]
    assert found[0]["DailyCap"] == 2 and found[0]["SessionCap"] == 1 and found[0]["TotalCap"] == 5
    assert found[0]["InAppMessage"]["Layout"] == "BOTTOM_BANNER"
    assert found[0]["Schedule"]["EndDate"] == "2026-02-01T00:00:00.000Z"
    assert world.sends == []  # in-app messages are fetched by the app, never pushed


def test_caps_leave_out_a_campaign_until_a_new_session_or_day():
    world = World([IN_APP])
    campaign = in_app_campaign(world, "promo", 2, {"Session": 1, "Daily": 2, "Total": 3})
    tracker = InAppTracker()
    shown(tracker, world, campaign, "s1")
    assert messages(world, tracker) == []  # session cap reached
    tracker.observe(
        "device1", {"EventType": "_session.start", "Session": {"Id": "s2"}}, world.clock.seconds
    )
    assert len(messages(world, tracker)) == 1
    shown(tracker, world, campaign, "s2")
    tracker.observe(
        "device1", {"EventType": "_session.start", "Session": {"Id": "s3"}}, world.clock.seconds
    )
    assert messages(world, tracker) == []  # daily cap of 2 reached
    world.clock.advance(timedelta(days=1, seconds=1))
    assert len(messages(world, tracker)) == 1
    shown(tracker, world, campaign, "s3")
    world.clock.advance(timedelta(days=2))
    tracker.observe(
        "device1", {"EventType": "_session.start", "Session": {"Id": "s4"}}, world.clock.seconds
    )
    assert messages(world, tracker) == []  # total cap of 3 reached for good


def test_paused_and_ended_campaigns_are_not_served():
    world = World([IN_APP])
    campaign = in_app_campaign(world, "promo", 2)
    world.engine.update("app", campaign.id, {"IsPaused": True})
    assert messages(world, InAppTracker()) == []
    world.engine.update("app", campaign.id, {"IsPaused": False})
    assert len(messages(world, InAppTracker())) == 1
    world.clock.advance(timedelta(days=30))
    assert messages(world, InAppTracker()) == []
