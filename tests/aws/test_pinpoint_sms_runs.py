"""A SendMessages call's texts, sent as one run, leave exactly what one text at a time leaves.

Each scenario runs twice on a fresh local AWS with the same seed: once as Pinpoint sends (the
call's texts as one run, ``SmsChannel._sms_many``), once with every text of the run sent on its
own (``SmsChannel._sms``). The SendMessages results, the outbox, the engine's messages, spend
and refusals, and every record streamed to S3 must be equal, refusals in the middle of a run
included: an opted-out number, a throttled long code, the monthly spend limit, an unverified
destination in the sandbox, a number whose registration is not complete, a blocked country.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import fields
from typing import Any

import pytest
from moto.moto_api._internal import mock_random

from simlab.aws import LocalAWS
from simlab.aws.services.pinpoint.channel_sms import SmsChannel
from simlab.aws.services.smsvoicev2.models import _new_id
from simlab.engage.sends import deliver_one
from simlab.engage.sms.text_runs import TextRun
from tests.aws.pinpoint_project import stream_objects, stream_to_s3

BUCKET = "sms-runs"
US = [f"+1206555{i:04d}" for i in range(200)]
GB = [f"+4477009001{i:02d}" for i in range(14)]
DE = [f"+49151123456{i:02d}" for i in range(5)]
FR = [f"+3361234567{i}" for i in range(3)]
SHORT = {"Body": "Your order has shipped", "MessageType": "TRANSACTIONAL"}
#: Cyrillic: UCS-2, two parts (and twice the price) per text.
LONG = {
    "Body": "Ваш заказ отправлен, спасибо за покупку! " * 2,
    "MessageType": "PROMOTIONAL",
    "Keyword": "JOIN",
}

Scenario = Callable[[LocalAWS, Callable[..., dict[str, Any]]], list[dict[str, Any]]]


def _counting(send: Callable[..., Any], taken: list[Any]) -> Callable[..., Any]:
    """``send`` (a ``TextRun`` method) that adds each text it takes to ``taken``."""

    def counting(self: TextRun, *args: Any) -> Any:
        text = send(self, *args)
        taken.extend([text] if text is not None else [])
        return text

    return counting


def _one_at_a_time(self: SmsChannel, messages: Any) -> list[Any]:
    return [deliver_one(self._sms, message) for message in messages]


@pytest.fixture
def observe(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Scenario, bool], dict]]:
    """``observe(scenario, batch)``: what a scenario leaves, its texts sent as runs (``batch``)
    or one at a time; a batch observation counts the texts the run took itself (``taken``)."""

    def run(scenario: Scenario, batch: bool) -> dict[str, Any]:
        taken = []
        with monkeypatch.context() as patch:
            if batch:
                for name in ("send", "send_for"):  # Pinpoint's runs send with ``send_for``
                    patch.setattr(TextRun, name, _counting(getattr(TextRun, name), taken))
            else:
                patch.setattr(SmsChannel, "_sms_many", _one_at_a_time)
            with LocalAWS() as aws:
                app_id = _sms_project(aws)

                def send_to(addresses: list[str], message: dict[str, Any]) -> dict[str, Any]:
                    return _send(aws, app_id, addresses, message)

                results = scenario(aws, send_to)
                aws.clock.advance(3 * 86_400)
                observed = _observed(aws, results)
        return {**observed, "taken": len(taken)}

    yield run


def _sms_project(aws: LocalAWS) -> str:
    """An app with its SMS channel on and its event stream to S3 through Firehose."""
    pinpoint = aws.client("pinpoint")
    app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "runs"})["ApplicationResponse"][
        "Id"
    ]
    pinpoint.update_sms_channel(ApplicationId=app_id, SMSChannelRequest={"Enabled": True})
    stream_to_s3(aws, app_id, bucket=BUCKET)
    return str(app_id)


def _send(aws: LocalAWS, app_id: str, addresses: list[str], sms: dict[str, Any]) -> dict:
    response = aws.client("pinpoint").send_messages(
        ApplicationId=app_id,
        MessageRequest={
            "Addresses": {address: {"ChannelType": "SMS"} for address in addresses},
            "Context": {"batch": "yes"},
            "MessageConfiguration": {"SMSMessage": sms},
        },
    )["MessageResponse"]
    return {k: v for k, v in response.items() if k != "RequestId"}


def _observed(aws: LocalAWS, results: list[dict[str, Any]]) -> dict[str, Any]:
    engine = aws.sms.engine
    return {
        "results": results,
        # as text, so that the order of a detail's fields counts too
        "outbox": [json.dumps(m.to_json(), default=str) for m in aws.outbox],
        "texts": [
            repr([(f.name, getattr(m, f.name)) for f in fields(m) if f.name != "on_final"])
            for m in engine.messages.values()
        ],
        "spent": dict(engine.spent),
        "refused": dict(engine.refused),
        "stream": stream_objects(aws, BUCKET),
    }


def _statuses(observed: dict[str, Any]) -> list[str]:
    return [
        r["DeliveryStatus"] for response in observed["results"] for r in response["Result"].values()
    ]


def _reasons(observed: dict[str, Any]) -> str:
    return " ".join(
        r["StatusMessage"] for response in observed["results"] for r in response["Result"].values()
    )


def _mixed_production(aws: LocalAWS, send_to: Callable[..., dict]) -> list[dict[str, Any]]:
    """Four routes in one run (US short code, GB long code, DE sender ID, FR shared route), an
    opted-out number and a throttled long code in its middle; the spend limit mid-run next."""
    sms = aws.sms.engine
    sms.leave_sandbox(monthly_spend_limit=1)
    sms.provision_short_code("US")
    sms.request_phone_number(
        iso_country="GB",
        message_type="TRANSACTIONAL",
        capabilities=["SMS"],
        number_type="LONG_CODE",
    )
    sms.request_sender_id("SHOP", "DE", ["TRANSACTIONAL"])
    sms.put_opted_out_number("Default", US[7])
    first = US[:40] + GB[:6] + DE + US[40:60] + GB[6:] + FR + US[60:78]
    results = [send_to(first, SHORT)]
    aws.clock.advance(1)
    results.append(send_to(US[100:160], LONG))  # the month's spend runs out in this run
    return results


def _sandbox(aws: LocalAWS, send_to: Callable[..., dict]) -> list[dict[str, Any]]:
    """In the sandbox, unverified destinations between verified ones."""
    sms = aws.sms.engine
    sms.provision_short_code("US")
    for number in US[0:12:3]:
        record = sms.create_verified_destination_number(number)
        sms.send_verification_code(record.verified_id)
        sms.verify_destination_number(record.verified_id, aws.sms.last_code(number))
    return [send_to(US[:12], SHORT)]


def _send_checks(aws: LocalAWS, send_to: Callable[..., dict]) -> list[dict[str, Any]]:
    """The engine's send checks in a run: a 10DLC number waiting for its registration (US
    refused), a protect configuration blocking DE (its refusal writes entries and records),
    a GB long code that sends."""
    aws.sms.leave_sandbox(monthly_spend_limit=100)
    aws.sms.require_registration()
    v2 = aws.client("pinpoint-sms-voice-v2")
    for country, kind in (("US", "TEN_DLC"), ("GB", "LONG_CODE")):
        v2.request_phone_number(
            IsoCountryCode=country,
            MessageType="TRANSACTIONAL",
            NumberCapabilities=["SMS"],
            NumberType=kind,
        )
    aws.sms.engine.request_sender_id("SHOP", "DE", ["TRANSACTIONAL"])
    protect = v2.create_protect_configuration()["ProtectConfigurationId"]
    v2.update_protect_configuration_country_rule_set(
        ProtectConfigurationId=protect,
        NumberCapability="SMS",
        CountryRuleSetUpdates={"DE": {"ProtectStatus": "BLOCK"}},
    )
    v2.set_account_default_protect_configuration(ProtectConfigurationId=protect)
    return [send_to(GB[:3] + US[:3] + DE[:2] + GB[3:8], SHORT)]


def test_a_mixed_run_with_refusals_leaves_what_one_text_at_a_time_leaves(observe):
    batch, single = observe(_mixed_production, True), observe(_mixed_production, False)
    statuses = _statuses(batch)
    assert statuses.count("OPT_OUT") == 1
    assert statuses.count("THROTTLED") == 4  # GB's long code sends 10 parts a second
    assert "MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT" in _reasons(batch)
    countries = {r["attributes"]["iso_country_code"] for r in _stream_records(batch)}
    assert countries == {"US", "GB", "DE", "FR"}
    assert 0 < batch["taken"] < len(statuses)  # the run took most texts itself, not all
    assert _without_taken(batch) == _without_taken(single)


def test_a_sandbox_run_refuses_unverified_numbers_as_one_text_at_a_time_does(observe):
    batch, single = observe(_sandbox, True), observe(_sandbox, False)
    assert _statuses(batch).count("SUCCESSFUL") == 4
    assert "DESTINATION_PHONE_NUMBER_NOT_VERIFIED" in _reasons(batch)
    assert batch["taken"] == 4
    assert _without_taken(batch) == _without_taken(single)


def test_send_checks_refuse_texts_of_a_run_as_one_text_at_a_time_does(observe):
    batch, single = observe(_send_checks, True), observe(_send_checks, False)
    assert _statuses(batch).count("SUCCESSFUL") == 8
    assert "REGISTRATION_NOT_COMPLETE" in _reasons(batch)
    assert "DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION" in _reasons(batch)
    assert batch["taken"] == 8
    assert _without_taken(batch) == _without_taken(single)


def _rewritten(aws: LocalAWS, send_to: Callable[..., dict]) -> list[dict[str, Any]]:
    """A GB number written with its trunk zero (the parser drops it: the text goes to the
    number without it) between numbers already in E.164 form."""
    aws.sms.leave_sandbox(monthly_spend_limit=100)
    aws.sms.engine.provision_short_code("US")
    aws.sms.engine.request_phone_number(
        iso_country="GB",
        message_type="TRANSACTIONAL",
        capabilities=["SMS"],
        number_type="LONG_CODE",
    )
    return [send_to([*US[:2], "+4407700900123", GB[0], US[2]], SHORT)]


def test_a_number_the_parser_rewrites_is_recorded_as_one_text_at_a_time_records_it(observe):
    batch, single = observe(_rewritten, True), observe(_rewritten, False)
    assert _statuses(batch) == ["SUCCESSFUL"] * 5
    records = _stream_records(batch)
    rewritten = [
        r for r in records if r["attributes"]["destination_phone_number"] == "+447700900123"
    ]
    assert {r["attributes"]["iso_country_code"] for r in rewritten} == {"GB"}
    assert len(rewritten) == 2  # buffered, then the carrier's final word
    assert batch["taken"] == 5
    assert _without_taken(batch) == _without_taken(single)


def _stream_records(observed: dict[str, Any]) -> list[dict[str, Any]]:
    return [json.loads(line) for _, body in observed["stream"] for line in body.splitlines()]


def test_a_text_s_id_is_the_uuid4_moto_would_draw():
    mock_random.seed(11)
    expected = [str(mock_random.uuid4()) for _ in range(2_000)]
    mock_random.seed(11)
    assert [_new_id() for _ in range(2_000)] == expected


def _without_taken(observed: dict[str, Any]) -> dict[str, Any]:
    """What a scenario left, apart from how many texts the run took itself."""
    return {k: v for k, v in observed.items() if k != "taken"}
