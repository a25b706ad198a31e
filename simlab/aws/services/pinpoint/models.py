"""The Pinpoint backend: moto's apps and settings, plus simlab's engine for everything else."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from moto.backends import get_backend
from moto.moto_api._internal import mock_random
from moto.pinpoint.models import App, AppSettings, EventStream, PinpointBackend

from simlab.aws.delivery import DeliveryError, deliver, deliver_texts, firehose_route, writer
from simlab.aws.services.smsvoicev2.models import engine as sms_engine
from simlab.aws.state import state
from simlab.engage import event_records
from simlab.engage.audience import Audience
from simlab.engage.endpoint_columns import iso
from simlab.engage.faults import BadRequest, NotFound
from simlab.engage.jobs import Job
from simlab.engage.sms import parse_e164
from simlab.engage.templates import TemplateStore
from simlab.facts import events as event_facts
from simlab.facts import pinpoint as facts
from simlab.facts import ses as ses_facts
from simlab.primitives.rates import TokenBucket
from simlab.primitives.spill import SpillDict


class RecordObserver(Protocol):
    """What reads an app's channel and app records before they are streamed (its engines)."""

    def observe(self, record: dict[str, Any]) -> None: ...

    def observes(self, event_type: str) -> bool:
        """False when a record of ``event_type`` would be passed over unread."""
        ...


#: Channel name in operation names -> (Platform / GetChannels key, secret request fields).
CHANNELS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Adm": ("ADM", ("ClientId", "ClientSecret")),
    "Apns": ("APNS", ("Certificate", "PrivateKey", "TokenKey", "TokenKeyId")),
    "ApnsSandbox": ("APNS_SANDBOX", ("Certificate", "PrivateKey", "TokenKey", "TokenKeyId")),
    "ApnsVoip": ("APNS_VOIP", ("Certificate", "PrivateKey", "TokenKey", "TokenKeyId")),
    "ApnsVoipSandbox": (
        "APNS_VOIP_SANDBOX",
        ("Certificate", "PrivateKey", "TokenKey", "TokenKeyId"),
    ),
    "Baidu": ("BAIDU", ("ApiKey", "SecretKey")),
    "Email": ("EMAIL", ()),
    "Gcm": ("GCM", ("ApiKey", "ServiceJson")),
    "Sms": ("SMS", ()),
    "Voice": ("VOICE", ()),
}
_PLATFORM_OF_CHANNEL_TYPE = {
    "APNS": "APNS",
    "APNS_SANDBOX": "APNS_SANDBOX",
    "APNS_VOIP": "APNS_VOIP",
    "APNS_VOIP_SANDBOX": "APNS_VOIP_SANDBOX",
    "GCM": "GCM",
    "ADM": "ADM",
    "BAIDU": "BAIDU",
    "EMAIL": "EMAIL",
    "SMS": "SMS",
    "VOICE": "VOICE",
}


#: Statuses an SMS record can carry (an opt-out reports the replied-to message's, if final).
_RECORD_STATUSES = frozenset(event_facts.SMS_RECORD_STATUSES.value)


def _now() -> float:
    return state().clock.timestamp()


@dataclass
class Project:
    """simlab's state of one Pinpoint app: audience, channels, jobs, limits, event stream."""

    app: App
    account_id: str
    region: str
    audience: Audience
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    jobs: dict[str, Job] = field(default_factory=dict)
    limiter: TokenBucket | None = None
    stream_failures: int = 0
    #: phone number -> (MessageId, endpoint id) of the last text Pinpoint sent it
    sms_sent: SpillDict[str, tuple[str, str | None]] = field(default_factory=SpillDict)
    #: the app's campaign and journey engines (``pinpoint.engagement.engagement``), once built
    engagement: RecordObserver | None = None
    #: record templates of the app's channel events (``channel_events.ChannelEvents``)
    record_templates: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    #: (stream ARN, its ``delivery.writer``) of the event stream records last went to
    _writer: tuple[str, Callable[[str, str], None]] | None = field(
        default=None, repr=False, compare=False
    )
    #: (event stream, its Firehose ``delivery.firehose_route``) records last went straight to
    _route: tuple[EventStream, Any] | None = field(default=None, repr=False, compare=False)

    @property
    def app_id(self) -> str:
        return self.app.application_id

    def disabled_channel(self, channel_type: str) -> str:
        """Why ``channel_type`` cannot send (its channel is disabled), or ""."""
        platform = _PLATFORM_OF_CHANNEL_TYPE.get(channel_type)
        channel = self.channels.get(platform or "")
        if channel is not None and not channel.get("Enabled", True):
            return f"The {platform} channel of application {self.app_id} is disabled"
        return ""

    def email_from(self) -> str:
        return str((self.channels.get("EMAIL") or {}).get("FromAddress") or "")

    def deactivate(self, endpoint_id: str) -> None:
        """Marks an endpoint INACTIVE (its push token was refused for good)."""
        store = self.audience.endpoints
        if endpoint_id in store:
            store.text["EndpointStatus"].set(store.index[endpoint_id], "INACTIVE")

    def emit(self, record: dict[str, Any]) -> None:
        """Streams a channel or app record, counted first by the app's campaigns and journeys."""
        if self.engagement is not None:
            self.engagement.observe(record)
        self.stream(record)

    def emit_text(self, event_type: str, client_id: str, text: str) -> None:
        """``emit`` of a record given as compact JSON text, decoded only for an engine that
        reads records of its type."""
        engagement = self.engagement
        if engagement is not None and engagement.observes(event_type):
            engagement.observe(json.loads(text))
        stream = self.app.event_stream  # ``stream_text``, written out: a call less a record
        if stream is None:
            return
        kept = self._route
        if kept is None or kept[0] is not stream or not kept[1].live:
            route = firehose_route(stream.stream_arn)
            if route is None:  # no Firehose route to keep: the writer's way
                self._stream_by_writer(stream.stream_arn, text, client_id)
                return
            kept = self._route = (stream, route)
        try:
            kept[1].put_text(text)
        except Exception:  # what the writer words as a DeliveryError
            self.stream_failures += 1

    def stream(self, record: dict[str, Any]) -> None:
        """Writes one record to the app's event stream, if it has one."""
        stream = self.app.event_stream
        if stream is None:
            return
        try:
            deliver(stream.stream_arn, record, partition_key=record["client"]["client_id"])
        except DeliveryError:
            self.stream_failures += 1

    def opt_out_sms(self, phone_number: str) -> list[str]:
        """Marks the SMS endpoints addressed to ``phone_number`` OptOut=ALL (after a customer's
        STOP) and streams ``_SMS.OPTOUT``; returns their ids."""
        self.report_opt_out(phone_number)
        store = self.audience.endpoints
        address, channel = store.text["Address"], store.text["ChannelType"]
        code, sms = address.vocab.get(phone_number), channel.vocab.get("SMS")
        if code is None or sms is None:
            return []
        size = store.size  # the live SMS rows at this address, found column-wise
        changed = [
            store.ids[row]
            for row in store.rows((address.upto(size) == code) & (channel.upto(size) == sms))
        ]
        for endpoint_id in changed:
            store.upsert(endpoint_id, {"OptOut": "ALL"}, state().clock.timestamp())
        return changed

    def report_opt_out(self, phone_number: str) -> bool:
        """Streams ``_SMS.OPTOUT`` for the last text the project sent ``phone_number``, if any.

        Pinpoint reports it when the customer replied to that message with an opt-out keyword
        (developer guide, event-streams-data-sms); the record describes the replied-to message.
        """
        last = self.sms_sent.get(phone_number)
        if last is None or self.app.event_stream is None:
            return False
        message_id, endpoint_id = last
        text = sms_engine(self.region, self.account_id).messages.get(message_id)
        if text is None:
            return False
        _, country = parse_e164(text.destination, "DestinationPhoneNumber")
        now = state().clock.timestamp_ms()
        status = text.status if text.final and text.status in _RECORD_STATUSES else "SUCCESSFUL"
        self.emit(
            event_records.sms_record(
                "_SMS.OPTOUT",
                app_id=self.app_id,
                account_id=self.account_id,
                endpoint_id=endpoint_id or text.destination,
                message_id=message_id,
                origination_phone_number=text.origin,
                destination_phone_number=text.destination,
                record_status=status,
                iso_country_code=country,
                number_of_message_parts=text.parts,
                message_type=text.message_type.title(),
                event_timestamp=now,
                arrival_timestamp=now,
                price_in_millicents_usd=round(text.price * 100_000, 3),
                context=text.context,
            )
        )
        return True

    def stream_texts(self, records: Sequence[tuple[str, str]]) -> None:
        """Writes records given as ``(client_id, compact JSON text)`` to the app's event stream,
        in order, as ``stream`` would write each; each record that did not go is counted in
        ``stream_failures``."""
        stream = self.app.event_stream
        if stream is None or not records:
            return
        try:
            deliver_texts(stream.stream_arn, records)
        except DeliveryError as error:
            self.stream_failures += 1
            for client_id, text in records[error.written + 1 :]:
                self.stream_text(text, client_id)

    def stream_text(self, text: str, client_id: str) -> None:
        """``stream`` of one record given as compact JSON text."""
        stream = self.app.event_stream
        if stream is None:
            return
        self._stream_by_writer(stream.stream_arn, text, client_id)

    def _stream_by_writer(self, arn: str, text: str, client_id: str) -> None:
        """``stream_text`` to the stream ``arn`` through its ``delivery.writer`` (kept)."""
        kept = self._writer
        try:
            if kept is None or kept[0] != arn:
                kept = self._writer = (arn, writer(arn))
            kept[1](text, client_id)
        except DeliveryError:
            self.stream_failures += 1

    def on_app_event(
        self, endpoint_id: str, event: Mapping[str, Any], endpoint: Mapping[str, Any] | None
    ) -> None:
        """Streams an app event from PutEvents."""
        if self.app.event_stream is None:
            return
        session = event.get("Session") or {}
        self.emit(
            event_records.app_record(
                str(event["EventType"]),
                app_id=self.app_id,
                account_id=self.account_id,
                client_id=endpoint_id,
                event_timestamp=_instant_ms(event["Timestamp"]),
                arrival_timestamp=state().clock.timestamp_ms(),
                session_id=session.get("Id"),
                session_start=_optional_ms(session.get("StartTimestamp")),
                session_stop=_optional_ms(session.get("StopTimestamp")),
                attributes=event.get("Attributes"),
                metrics=event.get("Metrics"),
                demographic=(endpoint or {}).get("Demographic"),
                app_package_name=event.get("AppPackageName"),
                app_title=event.get("AppTitle"),
                app_version_code=event.get("AppVersionCode"),
                sdk_name=event.get("SdkName"),
                sdk_version=event.get("ClientSdkVersion"),
            )
        )


def _instant_ms(text: str) -> int:
    from simlab.engage.endpoint_columns import parse_instant

    return round(parse_instant(text, "Timestamp") * 1000)


def _optional_ms(text: str | None) -> int | None:
    try:
        return None if not text else _instant_ms(text)
    except BadRequest:  # a session time that is no ISO 8601 time is left out of the record
        return None


class PinpointEngineBackend(PinpointBackend):
    """moto's Pinpoint backend extended with endpoints, segments, templates and sends."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.templates = TemplateStore()
        self.projects: dict[str, Project] = {}

    # -- apps (moto's, on the simulated clock) --------------------------------------------

    def create_app(self, name: str, tags: dict[str, str]) -> App:
        if not name:
            raise BadRequest("CreateApplicationRequest.Name is required")
        if len(self.apps) >= facts.PROJECTS_PER_REGION.value:
            raise BadRequest(
                f"this Region already has {facts.PROJECTS_PER_REGION.value} projects, the quota"
            )
        app = super().create_app(name, tags)
        app.created = iso(_now())  # type: ignore[assignment]
        app.settings.last_modified = iso(_now())
        self.projects[app.application_id] = Project(
            app, self.account_id, self.region_name, Audience(lambda: mock_random.uuid4().hex)
        )
        self.projects[app.application_id].audience.on_event(
            self.projects[app.application_id].on_app_event
        )
        return app

    def get_app(self, application_id: str) -> App:
        if application_id not in self.apps:
            raise NotFound(f"Application {application_id!r} not found")
        return self.apps[application_id]

    def delete_app(self, application_id: str) -> App:
        app = super().delete_app(self.get_app(application_id).application_id)
        self.projects.pop(application_id, None)
        return app

    def sms_opted_out(self, phone_number: str) -> list[str]:
        """End User Messaging's word of a keyword STOP from ``phone_number``: its SMS endpoints in
        every project here turn OptOut=ALL (and ``_SMS.OPTOUT`` streams); returns their ids."""
        return [e for project in self.projects.values() for e in project.opt_out_sms(phone_number)]

    def project(self, application_id: str) -> Project:
        """The engine state of an app; NotFound naming the id if there is no such app."""
        self.get_app(application_id)
        return self.projects[application_id]

    def update_application_settings(
        self, application_id: str, settings: dict[str, Any]
    ) -> AppSettings:
        _check_settings(settings)
        project = self.project(application_id)
        merged = {**project.app.settings.settings, **{k: v for k, v in settings.items()}}
        project.app.settings.settings = merged
        project.app.settings.last_modified = iso(_now())
        rate = (merged.get("Limits") or {}).get("MessagesPerSecond")
        project.limiter = (
            TokenBucket(float(rate), float(rate), now=state().clock.seconds) if rate else None
        )
        return project.app.settings

    def put_event_stream(self, application_id: str, stream_arn: str, role_arn: str) -> EventStream:
        service = stream_arn.split(":")[2] if stream_arn.count(":") >= 5 else ""
        if service not in facts.EVENT_STREAM_DESTINATIONS.value:
            raise BadRequest(
                "WriteEventStream.DestinationStreamArn must be a Kinesis data stream or Firehose "
                f"delivery stream ARN, got {stream_arn!r}"
            )
        if not role_arn:
            raise BadRequest("WriteEventStream.RoleArn is required")
        stream = super().put_event_stream(
            self.get_app(application_id).application_id, stream_arn, role_arn
        )
        stream.last_modified = iso(_now())
        return stream

    # -- channels --------------------------------------------------------------------------

    def update_channel(
        self, application_id: str, kind: str, request: dict[str, Any]
    ) -> dict[str, Any]:
        """Stores a channel's settings and returns its response (secrets left out)."""
        project = self.project(application_id)
        platform, secrets = CHANNELS[kind]
        request = dict(request or {})
        if platform == "EMAIL":
            self._check_identity(request)
        old = project.channels.get(platform)
        now = iso(_now())
        channel = {
            **(old or {}),
            **{k: v for k, v in request.items() if k not in secrets},
            "ApplicationId": application_id,
            "Platform": platform,
            "Enabled": request.get("Enabled", (old or {}).get("Enabled", True)),
            "HasCredential": bool(any(request.get(s) for s in secrets))
            or bool((old or {}).get("HasCredential")),
            "IsArchived": False,
            "CreationDate": (old or {}).get("CreationDate", now),
            "LastModifiedDate": now,
            "LastModifiedBy": "",
            "Id": platform.lower(),
            "Version": (old or {}).get("Version", 0) + 1,
        }
        if "TokenKey" in secrets:
            channel["HasTokenKey"] = bool(request.get("TokenKey")) or bool(
                (old or {}).get("HasTokenKey")
            )
        if platform == "EMAIL":
            channel["MessagesPerSecond"] = ses_facts.SANDBOX_MAX_SEND_RATE.value
        if platform == "GCM":
            channel["HasFcmServiceCredentials"] = bool(request.get("ServiceJson"))
        project.channels[platform] = channel
        return dict(channel)

    def get_channel(self, application_id: str, kind: str) -> dict[str, Any]:
        project = self.project(application_id)
        platform = CHANNELS[kind][0]
        if platform not in project.channels:
            raise NotFound(f"The {platform} channel of application {application_id} is not set")
        return dict(project.channels[platform])

    def delete_channel(self, application_id: str, kind: str) -> dict[str, Any]:
        channel = self.get_channel(application_id, kind)
        del self.projects[application_id].channels[channel["Platform"]]
        return channel

    def _check_identity(self, request: dict[str, Any]) -> None:
        sender, identity = request.get("FromAddress"), request.get("Identity")
        if not sender or not identity:
            raise BadRequest(
                "EmailChannelRequest needs FromAddress and Identity (an SES identity ARN)"
            )
        name = str(identity).rsplit("/", 1)[-1] if ":identity/" in str(identity) else str(identity)
        ses = get_backend("ses")[self.account_id][self.region_name]
        if name not in ses.email_identities:
            raise BadRequest(
                f"EmailChannelRequest.Identity {identity!r} is not an SES identity of this account "
                "and Region; verify it first (ses verify-email-identity or sesv2 "
                "create-email-identity)"
            )
        domain = str(sender).rsplit("@", 1)[-1]
        if name not in (sender, domain):
            raise BadRequest(
                f"EmailChannelRequest.FromAddress {sender!r} does not belong to the identity "
                f"{name!r}"
            )


def _check_settings(settings: dict[str, Any]) -> None:
    limits = settings.get("Limits") or {}
    bounds = {
        "Daily": (0, facts.CAMPAIGN_DAILY_CAP_MAX.value),
        "Total": (0, facts.CAMPAIGN_TOTAL_CAP_MAX.value),
        "MessagesPerSecond": (facts.CAMPAIGN_MPS_MIN.value, facts.CAMPAIGN_MPS_MAX.value),
        "MaximumDuration": (facts.CAMPAIGN_MAXIMUM_DURATION_MIN_SECONDS.value, None),
    }
    for key, (low, high) in bounds.items():
        value = limits.get(key)
        if value is None:
            continue
        if value < low or (high is not None and value > high):
            allowed = f"{low}..{high}" if high is not None else f"at least {low}"
            raise BadRequest(f"Limits.{key} must be {allowed}, got {value}")
    quiet = settings.get("QuietTime") or {}
    for key in ("Start", "End"):
        value = quiet.get(key)
        if value is not None and not _is_hh_mm(str(value)):
            raise BadRequest(f"QuietTime.{key} must be HH:mm (24-hour), got {value!r}")
    hook = settings.get("CampaignHook") or {}
    if hook.get("Mode") is not None and hook["Mode"] not in facts.HOOK_MODES.value:
        raise BadRequest(
            f"CampaignHook.Mode must be one of {', '.join(facts.HOOK_MODES.value)}, "
            f"got {hook['Mode']!r}"
        )
    if hook.get("LambdaFunctionName") and hook["LambdaFunctionName"] not in state().functions:
        raise BadRequest(
            f"CampaignHook.LambdaFunctionName {hook['LambdaFunctionName']!r} is no registered "
            "function (register one with state().functions.register)"
        )


def _is_hh_mm(text: str) -> bool:
    parts = text.split(":")
    return (
        len(parts) == 2
        and all(p.isdigit() and len(p) == 2 for p in parts)
        and int(parts[0]) < 24
        and int(parts[1]) < 60
    )


def settings_json(application_id: str, settings: AppSettings) -> dict[str, Any]:
    """An ``ApplicationSettingsResource``."""
    data: dict[str, Any] = {
        "ApplicationId": application_id,
        "LastModifiedDate": settings.last_modified,
    }
    for key in ("CampaignHook", "Limits", "QuietTime", "JourneyLimits"):
        data[key] = settings.settings.get(key) or {}
    copied: dict[str, Any] = json.loads(json.dumps(data))
    return copied
