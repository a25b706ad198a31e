"""Pinpoint apps, settings, channels and event streams through boto3."""

from __future__ import annotations

from typing import Any

import pytest

from simlab.aws import LocalAWS
from tests.aws.errors import error_of

CHANNELS = {
    "adm": ("ADMChannelRequest", {"ClientId": "id", "ClientSecret": "secret"}, "ADM"),
    "apns": ("APNSChannelRequest", {"Certificate": "c", "PrivateKey": "k"}, "APNS"),
    "apns_sandbox": ("APNSSandboxChannelRequest", {"TokenKey": "t", "TeamId": "T"}, "APNS_SANDBOX"),
    "apns_voip": ("APNSVoipChannelRequest", {"Certificate": "c", "PrivateKey": "k"}, "APNS_VOIP"),
    "apns_voip_sandbox": (
        "APNSVoipSandboxChannelRequest",
        {"Certificate": "c", "PrivateKey": "k"},
        "APNS_VOIP_SANDBOX",
    ),
    "baidu": ("BaiduChannelRequest", {"ApiKey": "a", "SecretKey": "s"}, "BAIDU"),
    "gcm": ("GCMChannelRequest", {"ApiKey": "key"}, "GCM"),
    "sms": ("SMSChannelRequest", {"SenderId": "SIMLAB"}, "SMS"),
    "voice": ("VoiceChannelRequest", {"Enabled": True}, "VOICE"),
}


def new_app(pinpoint: Any, name: str = "app") -> str:
    return pinpoint.create_app(CreateApplicationRequest={"Name": name})["ApplicationResponse"]["Id"]


def test_apps_are_dated_by_the_simulated_clock(aws: LocalAWS) -> None:
    pinpoint = aws.client("pinpoint")
    aws.clock.advance(3600)
    app = pinpoint.create_app(CreateApplicationRequest={"Name": "news"})["ApplicationResponse"]
    assert app["CreationDate"] == "2026-01-05T10:00:00.000Z"
    settings = pinpoint.get_application_settings(ApplicationId=app["Id"])
    assert settings["ApplicationSettingsResource"]["LastModifiedDate"] == "2026-01-05T10:00:00.000Z"


def test_settings_are_stored_and_checked(aws: LocalAWS) -> None:
    pinpoint = aws.client("pinpoint")
    app_id = new_app(pinpoint)
    written = pinpoint.update_application_settings(
        ApplicationId=app_id,
        WriteApplicationSettingsRequest={
            "Limits": {"Daily": 10, "MessagesPerSecond": 50},
            "QuietTime": {"Start": "22:00", "End": "07:30"},
            "CloudWatchMetricsEnabled": True,
        },
    )["ApplicationSettingsResource"]
    assert written["Limits"] == {"Daily": 10, "MessagesPerSecond": 50}
    assert written["QuietTime"] == {"Start": "22:00", "End": "07:30"}
    code, message = error_of(
        pinpoint.update_application_settings,
        ApplicationId=app_id,
        WriteApplicationSettingsRequest={"Limits": {"MessagesPerSecond": 50_000}},
    )
    assert code == "BadRequestException" and "Limits.MessagesPerSecond" in message
    code, message = error_of(
        pinpoint.update_application_settings,
        ApplicationId=app_id,
        WriteApplicationSettingsRequest={"QuietTime": {"Start": "10pm"}},
    )
    assert "QuietTime.Start" in message
    stored = pinpoint.get_application_settings(ApplicationId=app_id)["ApplicationSettingsResource"]
    assert stored["Limits"] == {"Daily": 10, "MessagesPerSecond": 50}


@pytest.mark.parametrize("kind", sorted(CHANNELS))
def test_every_channel_updates_reads_and_deletes(aws: LocalAWS, kind: str) -> None:
    pinpoint = aws.client("pinpoint")
    app_id = new_app(pinpoint)
    member, request, platform = CHANNELS[kind]
    update = getattr(pinpoint, f"update_{kind}_channel")
    get = getattr(pinpoint, f"get_{kind}_channel")
    delete = getattr(pinpoint, f"delete_{kind}_channel")
    response_key = member.replace("Request", "Response")
    written = update(ApplicationId=app_id, **{member: request})[response_key]
    assert written["Platform"] == platform
    assert written["ApplicationId"] == app_id
    assert written["Enabled"] is True
    assert written["Version"] == 1
    assert (
        not set(request)
        & {"ClientSecret", "PrivateKey", "SecretKey", "ApiKey", "TokenKey"}
        & set(written)
    )
    assert get(ApplicationId=app_id)[response_key]["Platform"] == platform
    channels = pinpoint.get_channels(ApplicationId=app_id)["ChannelsResponse"]["Channels"]
    assert list(channels) == [platform]
    delete(ApplicationId=app_id)
    code, message = error_of(get, ApplicationId=app_id)
    assert code == "NotFoundException" and platform in message


def test_the_email_channel_needs_an_ses_identity(aws: LocalAWS) -> None:
    pinpoint = aws.client("pinpoint")
    app_id = new_app(pinpoint)
    request = {
        "FromAddress": "news@example.com",
        "Identity": "arn:aws:ses:us-east-1:123456789012:identity/example.com",
    }
    code, message = error_of(
        pinpoint.update_email_channel, ApplicationId=app_id, EmailChannelRequest=request
    )
    assert code == "BadRequestException" and "not an SES identity" in message
    aws.client("ses").verify_domain_identity(Domain="example.com")
    channel = pinpoint.update_email_channel(ApplicationId=app_id, EmailChannelRequest=request)
    assert channel["EmailChannelResponse"]["FromAddress"] == "news@example.com"


def test_event_streams_go_only_to_kinesis_or_firehose(aws: LocalAWS) -> None:
    pinpoint = aws.client("pinpoint")
    app_id = new_app(pinpoint)
    role = "arn:aws:iam::123456789012:role/r"
    code, message = error_of(
        pinpoint.put_event_stream,
        ApplicationId=app_id,
        WriteEventStream={
            "DestinationStreamArn": "arn:aws:sns:us-east-1:123456789012:t",
            "RoleArn": role,
        },
    )
    assert code == "BadRequestException" and "DestinationStreamArn" in message
    arn = "arn:aws:kinesis:us-east-1:123456789012:stream/events"
    stream = pinpoint.put_event_stream(
        ApplicationId=app_id, WriteEventStream={"DestinationStreamArn": arn, "RoleArn": role}
    )["EventStream"]
    assert stream["DestinationStreamArn"] == arn
    assert stream["LastModifiedDate"] == "2026-01-05T09:00:00.000Z"
    assert pinpoint.delete_event_stream(ApplicationId=app_id)["EventStream"]["RoleArn"] == role


def test_unknown_apps_and_unserved_operations_answer_modeled_errors(aws: LocalAWS) -> None:
    pinpoint = aws.client("pinpoint")
    code, message = error_of(pinpoint.get_endpoint, ApplicationId="nope", EndpointId="e")
    assert (code, message) == ("NotFoundException", "Application 'nope' not found")
    code, message = error_of(pinpoint.get_recommender_configurations)
    assert (code, message) == (
        "BadRequestException",
        "simlab does not emulate GetRecommenderConfigurations yet",
    )


def test_channels_work_in_server_mode(server_aws: LocalAWS) -> None:
    pinpoint = server_aws.client("pinpoint")
    app_id = new_app(pinpoint)
    pinpoint.update_sms_channel(ApplicationId=app_id, SMSChannelRequest={"SenderId": "SIMLAB"})
    channel = pinpoint.get_sms_channel(ApplicationId=app_id)["SMSChannelResponse"]
    assert channel["SenderId"] == "SIMLAB" and channel["Platform"] == "SMS"
