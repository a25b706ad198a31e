"""The send path decides each recipient's fate by rule, then hands the rest to the channel."""

from __future__ import annotations

import gc

import numpy as np
import pytest

from simlab.engage import sends
from simlab.engage.deliverability import Deliverability, Model
from simlab.engage.faults import BadRequest
from simlab.engage.sends import Outgoing, Recipient, Result
from simlab.engage.sms import ValidationError

CONFIG = {
    "DefaultMessage": {"Body": "Hello {{name}}", "Substitutions": {"name": ["friend"]}},
    "SMSMessage": {"Body": "SMS for {{User.UserAttributes.FirstName}}"},
}


class Recorder:
    """A gateway that accepts everything and remembers what it got."""

    def __init__(self) -> None:
        self.sent: list[Outgoing] = []

    def deliver(self, message: Outgoing) -> Result:
        self.sent.append(message)
        return Result(message.recipient, "SUCCESSFUL", 200, "ok", f"id-{len(self.sent)}")


def endpoint(endpoint_id: str, channel: str, address: str, **extra: object) -> Recipient:
    data = {"Id": endpoint_id, "ChannelType": channel, "Address": address, **extra}
    return Recipient(endpoint_id, channel, address, data)


def test_each_rule_gives_its_delivery_status() -> None:
    gateway = Recorder()
    recipients = [
        Recipient("+12065550100", "SMS", "+12065550100"),
        Recipient("dup", "SMS", "+12065550100"),
        endpoint("out", "EMAIL", "o@example.com", OptOut="ALL"),
        endpoint("off", "EMAIL", "f@example.com", EndpointStatus="INACTIVE"),
        endpoint("bad", "EMAIL", "not-an-address"),
        endpoint("inapp", "IN_APP", "device"),
        Recipient("ghost", "", "", missing=True),
    ]
    results = sends.send(recipients, CONFIG, gateway)
    assert [(r.recipient.key, r.delivery_status) for r in results] == [
        ("+12065550100", "SUCCESSFUL"),
        ("dup", "DUPLICATE"),
        ("out", "OPT_OUT"),
        ("off", "PERMANENT_FAILURE"),
        ("bad", "PERMANENT_FAILURE"),
        ("inapp", "PERMANENT_FAILURE"),
        ("ghost", "PERMANENT_FAILURE"),
    ]
    assert len(gateway.sent) == 1
    assert sum(sends.tally(results).values()) == len(recipients)


def test_recipients_of_endpoints_are_the_recipients_their_constructor_makes() -> None:
    endpoints = [
        {"Id": "e1", "ChannelType": "SMS", "Address": "+12065550100", "OptOut": "NONE"},
        {"Id": 7, "Address": "user@example.com"},  # an id that is not text, no channel
        {"Id": "e3"},
    ]
    made = sends.recipients_of(endpoints)
    built = [
        Recipient(str(e["Id"]), str(e.get("ChannelType", "")), str(e.get("Address", "")), e, {})
        for e in endpoints
    ]
    assert made == built
    assert [vars(r) for r in made] == [vars(r) for r in built]  # endpoint_id too
    assert made[0].config is not made[1].config  # each its own overrides
    with pytest.raises(KeyError):
        sends.recipients_of([{"ChannelType": "SMS"}])


def test_the_quota_throttles_what_it_does_not_admit() -> None:
    allowed = iter([True, False, True])
    results = sends.send(
        [Recipient(f"+1206555010{i}", "SMS", f"+1206555010{i}") for i in range(3)],
        CONFIG,
        Recorder(),
        admit=lambda message: next(allowed),
    )
    assert [r.delivery_status for r in results] == ["SUCCESSFUL", "THROTTLED", "SUCCESSFUL"]
    assert results[1].status_code == 429


def test_a_channel_failure_becomes_unknown_failure() -> None:
    class Broken:
        def deliver(self, message: Outgoing) -> Result:
            raise RuntimeError("provider exploded")

    [result] = sends.send([Recipient("+12065550100", "SMS", "+12065550100")], CONFIG, Broken())
    assert (result.delivery_status, result.status_code) == ("UNKNOWN_FAILURE", 500)
    assert "exploded" in result.status_message


def test_content_comes_from_overrides_then_channel_then_default() -> None:
    ana = endpoint("ana", "SMS", "+12065550100", User={"UserAttributes": {"FirstName": ["Ana"]}})
    custom = Recipient("c", "CUSTOM", "fn", config={"Substitutions": {"name": ["Bao"]}})
    override = Recipient("+12065550101", "SMS", "+12065550101", config={"BodyOverride": "Short"})
    gateway = Recorder()
    sends.send([ana, custom, override], CONFIG, gateway)
    assert [m.body for m in gateway.sent] == ["SMS for Ana", "Hello Bao", "Short"]


def test_only_text_with_variables_goes_to_the_renderer_and_contexts_stay_apart() -> None:
    rendered: list[str] = []

    def render(text, endpoint, substitutions, defaults):  # type: ignore[no-untyped-def]
        rendered.append(text)
        return sends.fill(text, endpoint, substitutions, defaults)

    config = {
        "EmailMessage": {
            "SimpleEmail": {
                "Subject": {"Data": "News"},
                "HtmlPart": {"Data": "<p>Hi {{Address}}</p>"},
                "TextPart": {"Data": "Plain words"},
            }
        }
    }
    plain = endpoint("a", "EMAIL", "a@example.com")
    traced = Recipient("b@example.com", "EMAIL", "b@example.com", config={"Context": {"t": "1"}})
    gateway = Recorder()
    sends.send([plain, traced], config, gateway, context={"run": "r1"}, render=render)
    assert rendered == ["<p>Hi {{Address}}</p>"] * 2  # subject and text part have no variable
    first, second = gateway.sent
    assert (first.title, first.body, first.html) == (
        "News",
        "Plain words",
        "<p>Hi a@example.com</p>",
    )
    assert second.html == "<p>Hi </p>"  # an address recipient has no endpoint to read
    assert first.context == {"run": "r1"} and second.context == {"run": "r1", "t": "1"}
    first.context["changed"] = "x"  # type: ignore[index]  # each message has its own
    assert "changed" not in second.context


def test_messages_without_overrides_are_the_ones_compose_makes_for_each() -> None:
    config = {
        "EmailMessage": {"SimpleEmail": {"Subject": {"Data": "News"}, "TextPart": {"Data": "Hi"}}},
        "SMSMessage": {"Body": "Code {{Address}}", "OriginationNumber": "+12065550199"},
        "VoiceMessage": {"Body": "Plain call"},
    }
    recipients = [
        endpoint("a", "EMAIL", "a@example.com"),
        endpoint("b", "SMS", "+12065550100"),
        endpoint("c", "EMAIL", "c@example.com"),
        endpoint("d", "VOICE", "+12065550101"),
        endpoint("e", "SMS", "+12065550102"),
        Recipient("f@example.com", "EMAIL", "f@example.com", config={"TitleOverride": "Own"}),
    ]
    gateway = Recorder()
    sends.send(recipients, config, gateway, context={"run": "r1"})
    expected = [sends.compose(r, config, context={"run": "r1"}) for r in recipients]
    assert gateway.sent == expected
    assert [(m.channel, m.address) for m in gateway.sent] == [
        (r.channel, r.address) for r in recipients
    ]
    assert [gateway.sent[i].body for i in (1, 3)] == ["Code +12065550100", "Plain call"]
    assert gateway.sent[-1].title == "Own"


def test_a_channel_with_no_message_fails_naming_what_to_give() -> None:
    [result] = sends.send(
        [Recipient("a@example.com", "EMAIL", "a@example.com")],
        {"SMSMessage": {"Body": "x"}},
        Recorder(),
    )
    assert result.delivery_status == "PERMANENT_FAILURE"
    assert "EmailMessage" in result.status_message


def test_malformed_phone_numbers_in_addresses_refuse_the_request() -> None:
    with pytest.raises(BadRequest, match=r"Addresses\['555-0100'\].*E.164"):
        sends.check_addresses([Recipient("555-0100", "SMS", "555-0100")])


def test_the_deliverability_model_replays_with_its_seed() -> None:
    def story(seed: int) -> list[str]:
        model = Model(np.random.default_rng(seed), Deliverability(push_permanent_failure=0.3))
        return [model.push().status for _ in range(50)]

    assert story(7) == story(7)
    outcomes = story(7)
    assert {"SUCCESSFUL", "PERMANENT_FAILURE"} <= set(outcomes)


def test_deliverability_probabilities_are_checked() -> None:
    with pytest.raises(ValueError, match="voice_failure"):
        Deliverability(voice_failure=1.5)


def test_a_batch_keeps_older_objects_out_of_the_collector_and_gives_them_back() -> None:
    seen: list[int] = []

    class Watching(Recorder):
        def deliver(self, message: Outgoing) -> Result:
            seen.append(gc.get_freeze_count())
            return super().deliver(message)

    before = gc.get_freeze_count()
    sends.send([Recipient("+12065550100", "SMS", "+12065550100")], CONFIG, Watching())
    assert seen[0] > before
    assert gc.get_freeze_count() == before


def test_a_destination_s_country_is_parsed_once_and_bad_numbers_still_refused() -> None:
    sends.destination_country.cache_clear()
    assert sends.destination_country("+447700900123") == "GB"
    assert sends.destination_country("+447700900123") == "GB"
    assert sends.destination_country.cache_info().hits == 1
    with pytest.raises(ValidationError, match="DestinationPhoneNumber"):
        sends.destination_country("12065550100")
