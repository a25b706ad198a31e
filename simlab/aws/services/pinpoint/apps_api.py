"""Handlers of application settings, the ten channels and GetChannels, and event streams."""

from __future__ import annotations

from typing import Any

from simlab.aws.services.pinpoint.models import CHANNELS, PinpointEngineBackend, settings_json


class AppHandlers:
    """Mixed into ``PinpointResponse``; one method per operation (snake_case name)."""

    params: Any
    pinpoint_backend: PinpointEngineBackend
    reply: Any

    def update_application_settings(self) -> Any:
        app_id = self.params["ApplicationId"]
        request = self.params.get("WriteApplicationSettingsRequest") or {}
        settings = self.pinpoint_backend.update_application_settings(app_id, request)
        return self.reply(settings_json(app_id, settings))

    def get_application_settings(self) -> Any:
        app_id = self.params["ApplicationId"]
        settings = self.pinpoint_backend.get_application_settings(app_id)
        return self.reply(settings_json(app_id, settings))

    def get_channels(self) -> Any:
        project = self.pinpoint_backend.project(self.params["ApplicationId"])
        generic = (
            "ApplicationId",
            "CreationDate",
            "Enabled",
            "HasCredential",
            "Id",
            "IsArchived",
            "LastModifiedBy",
            "LastModifiedDate",
            "Version",
        )
        channels = {
            platform: {k: v for k, v in channel.items() if k in generic}
            for platform, channel in project.channels.items()
        }
        return self.reply({"Channels": channels})

    def put_event_stream(self) -> Any:
        app_id = self.params["ApplicationId"]
        request = self.params.get("WriteEventStream") or {}
        stream = self.pinpoint_backend.put_event_stream(
            app_id, request.get("DestinationStreamArn", ""), request.get("RoleArn", "")
        )
        return self.reply({**stream.to_json(), "ApplicationId": app_id})

    def get_event_stream(self) -> Any:
        app_id = self.params["ApplicationId"]
        stream = self.pinpoint_backend.get_event_stream(app_id)
        return self.reply({**stream.to_json(), "ApplicationId": app_id})

    def delete_event_stream(self) -> Any:
        app_id = self.params["ApplicationId"]
        stream = self.pinpoint_backend.get_event_stream(app_id)
        self.pinpoint_backend.delete_event_stream(app_id)
        return self.reply({**stream.to_json(), "ApplicationId": app_id})


def _channel_handlers(kind: str) -> dict[str, Any]:
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in kind).lstrip("_")
    platform = CHANNELS[kind][0]
    request_key = f"{_shape_prefix(platform)}ChannelRequest"

    def update(self: Any) -> Any:
        request = self.params.get(request_key) or {}
        channel = self.pinpoint_backend.update_channel(self.params["ApplicationId"], kind, request)
        return self.reply(channel)

    def get(self: Any) -> Any:
        return self.reply(self.pinpoint_backend.get_channel(self.params["ApplicationId"], kind))

    def delete(self: Any) -> Any:
        return self.reply(self.pinpoint_backend.delete_channel(self.params["ApplicationId"], kind))

    return {
        f"update_{snake}_channel": update,
        f"get_{snake}_channel": get,
        f"delete_{snake}_channel": delete,
    }


def _shape_prefix(platform: str) -> str:
    return {
        "ADM": "ADM",
        "APNS": "APNS",
        "APNS_SANDBOX": "APNSSandbox",
        "APNS_VOIP": "APNSVoip",
        "APNS_VOIP_SANDBOX": "APNSVoipSandbox",
        "BAIDU": "Baidu",
        "EMAIL": "Email",
        "GCM": "GCM",
        "SMS": "SMS",
        "VOICE": "Voice",
    }[platform]


for _kind in CHANNELS:
    for _name, _method in _channel_handlers(_kind).items():
        _method.__name__ = _name
        setattr(AppHandlers, _name, _method)
