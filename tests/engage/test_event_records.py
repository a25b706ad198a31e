"""Pinpoint event-stream records have the documented envelope and per-channel fields."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simlab.engage.event_records import (
    app_record,
    campaign_send_record,
    compact_json,
    email_record,
    endpoint_strings_many,
    journey_send_record,
    sms_record,
)
from simlab.engage.record_templates import RecordTemplate, campaign_send_template
from simlab.facts import events

IDS = {"app_id": "a1b2c3", "account_id": "123456789012"}
SENT, ARRIVED = 1_767_603_600_000, 1_767_603_601_310
ENDPOINT = {"ChannelType": "EMAIL", "EndpointStatus": "ACTIVE", "OptOut": "NONE"}


def email(event_type: str, **kw):
    return email_record(
        event_type,
        **IDS,
        endpoint_id="ep-1",
        message_id="m-1",
        from_address="sender@example.com",
        destination="jane@example.com",
        subject="Welcome",
        send_timestamp=SENT,
        arrival_timestamp=ARRIVED,
        **kw,
    )


def sms(event_type: str, **kw):
    options = {
        "record_status": "DELIVERED",
        "price_in_millicents_usd": 645.0,
        **kw,
    }
    return sms_record(
        event_type,
        **IDS,
        endpoint_id="ep-2",
        message_id="sms-1",
        origination_phone_number="+12065550142",
        destination_phone_number="+14255550199",
        iso_country_code="US",
        number_of_message_parts=1,
        message_type="Transactional",
        event_timestamp=SENT,
        arrival_timestamp=ARRIVED,
        **options,
    )


def every_record():
    return [
        email("_email.send"),
        sms("_SMS.SUCCESS"),
        app_record(
            "_session.start",
            **IDS,
            client_id="c-1",
            event_timestamp=SENT,
            arrival_timestamp=ARRIVED,
        ),
        campaign_send_record(
            **IDS,
            endpoint_id="ep-1",
            campaign_id="c1",
            campaign_activity_id="act1",
            delivery_type="GCM",
            campaign_send_status="SUCCESS",
            event_timestamp=SENT,
            arrival_timestamp=ARRIVED,
        ),
        journey_send_record(
            **IDS,
            endpoint_id="ep-1",
            journey_id="j1",
            journey_run_id="run1",
            journey_activity_id="a1",
            journey_activity_type="EMAIL",
            journey_send_status="SUCCESS",
            event_timestamp=SENT,
            arrival_timestamp=ARRIVED,
        ),
    ]


@pytest.mark.parametrize("record", every_record(), ids=lambda r: r["event_type"])
def test_every_record_has_the_envelope(record):
    assert set(events.ENVELOPE_FIELDS.value) <= set(record)
    assert record["event_version"] == events.EVENT_VERSION.value == "3.1"
    assert record["application"]["app_id"] == "a1b2c3"
    assert record["awsAccountId"] == "123456789012"
    assert all(isinstance(v, str) for v in record["attributes"].values())
    json.dumps(record)  # a stream record is JSON


def test_an_email_send_record_matches_the_guide():
    record = email("_email.send")
    assert record["event_timestamp"] == SENT
    assert record["client"] == {"client_id": "ep-1"}
    assert record["attributes"] == {"feedback": "received"}
    mail_event = record["facets"]["email_channel"]["mail_event"]
    assert mail_event["send"] == {}
    assert mail_event["mail"]["message_id"] == "m-1"
    assert mail_event["mail"]["destination"] == ["jane@example.com"]
    assert mail_event["mail"]["common_headers"] == {
        "from": "sender@example.com",
        "to": ["jane@example.com"],
        "subject": "Welcome",
    }
    assert record["client_context"] == {"custom": {"legacy_identifier": "a1b2c3"}}


def test_every_event_of_a_message_keeps_the_send_time():
    delivered = email("_email.delivered")
    assert (delivered["event_timestamp"], delivered["arrival_timestamp"]) == (SENT, ARRIVED)
    delivery = delivered["facets"]["email_channel"]["mail_event"]["delivery"]
    assert delivery["recipients"] == ["jane@example.com"]
    assert delivery["processing_time_millis"] == ARRIVED - SENT
    assert delivered["attributes"]["feedback"] == "delivered"


def test_a_click_carries_the_link_as_feedback():
    record = email(
        "_email.click", feedback="https://example.com/a", detail={"ip_address": "192.0.2.1"}
    )
    assert record["attributes"]["feedback"] == "https://example.com/a"
    click = record["facets"]["email_channel"]["mail_event"]["click"]
    assert click == {"link": "https://example.com/a", "ip_address": "192.0.2.1"}


@pytest.mark.parametrize(
    "event_type, key",
    [
        ("_email.hardbounce", "bounce"),
        ("_email.softbounce", "bounce"),
        ("_email.complaint", "complaint"),
        ("_email.rejected", "reject"),
        ("_email.open", "open"),
        ("_email.unsubscribe", "unsubscribe"),
        ("_email.rendering_failure", "rendering_failure"),
    ],
)
def test_each_email_type_has_its_own_mail_event_object(event_type, key):
    assert key in email(event_type)["facets"]["email_channel"]["mail_event"]


def test_campaign_journey_and_context_attributes_join_an_email_record():
    record = email(
        "_email.open",
        campaign={"campaign_id": "c1", "campaign_activity_id": "act1"},
        journey={"journey_id": "j1", "journey_run_id": "r1", "journey_activity_id": "a1"},
        context={"order": "42"},
        endpoint=ENDPOINT,
    )
    assert record["attributes"] == {
        "order": "42",
        "campaign_id": "c1",
        "campaign_activity_id": "act1",
        "treatment_id": "0",
        "journey_id": "j1",
        "journey_run_id": "r1",
        "journey_activity_id": "a1",
        "feedback": "opened",
    }
    assert json.loads(record["client_context"]["custom"]["endpoint"]) == ENDPOINT


def test_an_sms_record_matches_the_guide():
    record = sms("_SMS.SUCCESS", context={"ref": "abc"})
    assert record["attributes"] == {
        "ref": "abc",
        "sender_request_id": "sms-1",
        "origination_phone_number": "+12065550142",
        "destination_phone_number": "+14255550199",
        "record_status": "DELIVERED",
        "iso_country_code": "US",
        "treatment_id": "0",
        "number_of_message_parts": "1",
        "message_id": "sms-1",
        "message_type": "Transactional",
    }
    assert record["metrics"] == {"price_in_millicents_usd": 645.0}
    assert (record["device"], record["session"]) == ({"platform": {}}, {})


def test_a_buffered_sms_has_no_price():
    record = sms("_SMS.BUFFERED", record_status="PENDING", price_in_millicents_usd=None)
    assert record["metrics"] == {}


@pytest.mark.parametrize(
    "event_type, options, message",
    [
        ("_SMS.BUFFERED", {"record_status": "PENDING"}, "has no price_in_millicents_usd"),
        ("_SMS.FAILURE", {"price_in_millicents_usd": None}, "needs price_in_millicents_usd"),
        ("_SMS.SUCCESS", {"record_status": "ARRIVED"}, "record_status 'ARRIVED'"),
        ("_sms.success", {}, "SMS event_type"),
    ],
)
def test_bad_sms_records_are_refused(event_type, options, message):
    with pytest.raises(ValueError, match=message):
        sms(event_type, **options)


def test_an_app_record_carries_session_device_and_app():
    record = app_record(
        "_session.stop",
        **IDS,
        client_id="c-1",
        event_timestamp=SENT,
        arrival_timestamp=ARRIVED,
        session_id="s-1",
        session_start=SENT - 600_000,
        session_stop=SENT,
        attributes={"screen": "home"},
        metrics={"taps": 3},
        demographic={
            "Platform": "android",
            "PlatformVersion": "14",
            "Locale": "en_US",
            "Make": "acme",
        },
        app_package_name="com.example.app",
        sdk_name="aws-amplify",
        sdk_version="6.0",
    )
    assert record["session"] == {
        "session_id": "s-1",
        "start_timestamp": SENT - 600_000,
        "stop_timestamp": SENT,
    }
    assert record["device"]["platform"] == {"name": "android", "version": "14"}
    assert record["device"]["locale"] == {"code": "en_US", "country": "US", "language": "en"}
    assert record["application"]["sdk"] == {"name": "aws-amplify", "version": "6.0"}
    assert record["application"]["package_name"] == "com.example.app"
    assert (record["attributes"], record["metrics"]) == ({"screen": "home"}, {"taps": 3.0})


def test_a_campaign_send_record_matches_the_guide():
    record = every_record()[3]
    assert record["event_type"] == "_campaign.send"
    assert record["attributes"] == {
        "treatment_id": "0",
        "campaign_activity_id": "act1",
        "delivery_type": "GCM",
        "campaign_id": "c1",
        "campaign_send_status": "SUCCESS",
    }
    assert "endpoint" in record["client_context"]["custom"]


def test_a_journey_record_is_always_journey_send():
    record = every_record()[4]
    assert record["event_type"] == events.JOURNEY_EVENT_TYPE.value == "_journey.send"
    assert set(record["attributes"]) == set(events.JOURNEY_SEND_ATTRIBUTES.value)


def test_voice_is_not_a_journey_activity():
    with pytest.raises(ValueError, match="journey_activity_type 'VOICE'"):
        journey_send_record(
            **IDS,
            endpoint_id="e",
            journey_id="j",
            journey_run_id="r",
            journey_activity_id="a",
            journey_activity_type="VOICE",
            journey_send_status="SUCCESS",
            event_timestamp=SENT,
            arrival_timestamp=ARRIVED,
        )


def test_timestamps_must_be_milliseconds_as_ints():
    with pytest.raises(ValueError, match="event_timestamp must be Unix milliseconds"):
        app_record(
            "custom", **IDS, client_id="c", event_timestamp=1.5e12, arrival_timestamp=ARRIVED
        )


def test_the_endpoint_json_is_compact_and_leaves_the_id_to_the_client():
    record = campaign_send_record(
        **IDS,
        endpoint_id="ep-1",
        campaign_id="c1",
        campaign_activity_id="act1",
        delivery_type="EMAIL",
        campaign_send_status="SUCCESS",
        event_timestamp=SENT,
        arrival_timestamp=ARRIVED,
        endpoint={"Id": "ep-1", **ENDPOINT},
    )
    assert record["client_context"]["custom"]["endpoint"] == (
        '{"ChannelType":"EMAIL","EndpointStatus":"ACTIVE","OptOut":"NONE"}'
    )
    assert record["client"]["client_id"] == "ep-1"


def test_a_campaign_texts_treatment_comes_from_its_context():
    context = {"campaign_id": "c1", "campaign_activity_id": "act1", "treatment_id": "2"}
    attributes = sms("_SMS.SUCCESS", context=context)["attributes"]
    assert (attributes["campaign_id"], attributes["treatment_id"]) == ("c1", "2")
    assert sms("_SMS.SUCCESS")["attributes"]["treatment_id"] == "0"


def test_a_campaign_send_template_fills_to_the_text_its_record_encodes_to():
    fields = {
        **IDS,
        "campaign_id": "c-1",
        "campaign_activity_id": "a-1",
        "delivery_type": "EMAIL",
        "treatment_id": "0",
    }
    template = campaign_send_template(**fields)
    stamps = {"event_timestamp": SENT, "arrival_timestamp": SENT}
    endpoint = {**ENDPOINT, "Id": "ep-9", "Attributes": {"name": ['Zoë "Z" <z>']}}
    for status in ("SUCCESS", "QUIET_TIME"):
        text = template.fill(
            {
                "endpoint_id": "ep-9",
                "campaign_send_status": status,
                "endpoint_text": json.dumps(
                    {k: v for k, v in endpoint.items() if k != "Id"}, separators=(",", ":")
                ),
                **stamps,
            }
        )
        record = campaign_send_record(
            **fields, **stamps, endpoint_id="ep-9", campaign_send_status=status, endpoint=endpoint
        )
        assert text == json.dumps(record, separators=(",", ":"))


def test_a_campaign_send_template_takes_the_endpoint_text_written_as_a_record_writes_it():
    fields = {**IDS, "campaign_id": "c-1", "campaign_activity_id": "a-1", "delivery_type": "SMS"}
    template = campaign_send_template(**fields, endpoint_written=True)
    endpoints = [
        {**ENDPOINT, "Id": "ep-1", "Attributes": {"name": ['Zoë "Z" \\ <z>']}},
        {**ENDPOINT, "Id": "ep-2", "Address": "+12065550100"},
    ]
    strings = endpoint_strings_many(endpoints)
    for endpoint, string in zip(endpoints, strings, strict=True):
        text = template.fill_args(endpoint["Id"], "SUCCESS", string, SENT, SENT)
        record = campaign_send_record(
            **fields,
            endpoint_id=endpoint["Id"],
            campaign_send_status="SUCCESS",
            event_timestamp=SENT,
            arrival_timestamp=SENT,
            endpoint=endpoint,
        )
        assert text == json.dumps(record, separators=(",", ":"))
    with pytest.raises(TypeError, match="JSON text"):  # written text is a str, nothing else
        template.fill_args("ep-1", "SUCCESS", {"ChannelType": "SMS"}, SENT, SENT)


def test_an_sms_template_fills_numbers_and_strings_in_every_place_they_appear():
    fixed = {
        "event_type": "_SMS.BUFFERED",
        **IDS,
        "record_status": "PENDING",
        "message_type": "Transactional",
        "context": {"campaign_id": "c-1"},
    }
    numbers = ("number_of_message_parts", "event_timestamp", "arrival_timestamp")
    holes = ("endpoint_id", "message_id", "origination_phone_number")
    holes += ("destination_phone_number", "iso_country_code", *numbers)
    template = RecordTemplate(sms_record, fixed, holes, numbers)
    values = {
        "endpoint_id": "s-2",
        "message_id": "m-7",
        "origination_phone_number": "+12065550199",
        "destination_phone_number": "+12065550100",
        "iso_country_code": "US",
        "number_of_message_parts": 3,
        "event_timestamp": SENT,
        "arrival_timestamp": ARRIVED,
    }
    assert template.fill(values) == compact_json(sms_record(**fixed, **values))
    assert json.loads(template.fill(values))["attributes"]["number_of_message_parts"] == "3"


def test_a_row_in_the_order_of_the_holes_fills_as_the_named_values_do():
    fixed = {"event_type": "_SMS.BUFFERED", **IDS, "record_status": "PENDING"}
    fixed |= {"message_type": "Promotional", "context": {"campaign_id": "c-1"}}
    numbers = ("number_of_message_parts", "event_timestamp", "arrival_timestamp")
    holes = ("endpoint_id", "message_id", "origination_phone_number")
    holes += ("destination_phone_number", "iso_country_code", *numbers)
    template = RecordTemplate(sms_record, fixed, holes, numbers)
    row = ("s-2", 'm-"7"', "+12065550199", "+12065550100", "VN", 2, SENT, ARRIVED)
    values = dict(zip(holes, row, strict=True))
    assert template.fill_row(row) == template.fill(values)
    assert template.fill_row(row) == compact_json(sms_record(**fixed, **values))
    assert template.fill_args(*row) == template.fill_row(row)


def test_templates_of_one_shape_each_fill_their_own_fixed_text():
    numbers = ("number_of_message_parts", "event_timestamp", "arrival_timestamp")
    holes = ("endpoint_id", "message_id", "origination_phone_number")
    holes += ("destination_phone_number", "iso_country_code", *numbers)
    row = ("s-2", "m-7", "+12065550199", "+12065550100", "US", 1, SENT, ARRIVED)
    values = dict(zip(holes, row, strict=True))
    for campaign in ("c-1", "c-2", 'c-"3"'):
        fixed = {"event_type": "_SMS.BUFFERED", **IDS, "record_status": "PENDING"}
        fixed |= {"message_type": "Promotional", "context": {"campaign_id": campaign}}
        template = RecordTemplate(sms_record, fixed, holes, numbers)
        expected = compact_json(sms_record(**fixed, **values))
        assert template.fill_args(*row) == template.fill_row(row) == expected
        assert template.fill(values) == expected


def test_a_repeated_hole_writes_each_value_as_a_plain_hole_does():
    class Name(str):
        pass

    def shape(*, a: object, b: object) -> dict:
        return {"a": a, "b": b}

    plain = RecordTemplate(shape, {}, ("a", "b"))
    kept = RecordTemplate(shape, {}, ("a", "b"), repeated=("a",))
    same = "+12065550199"
    for a in (same, same, None, 'Zoë "Z"', 7, True, Name("x"), same, ["l"], same):
        expected = compact_json(shape(a=a, b="b"))
        assert kept.fill_args(a, "b") == kept.fill_row((a, "b")) == expected
        assert kept.fill({"a": a, "b": "b"}) == plain.fill_args(a, "b") == expected


def test_a_repeated_number_or_price_writes_each_value_as_a_plain_hole_does():
    class Count(int):
        pass

    def shape(*, n: object, p: object, s: object) -> dict:
        return {"n": n, "p": p, "s": s, "again": [n, p]}

    holes = ("n", "p", "s")
    plain = RecordTemplate(shape, {}, holes, ("n",), ("p",))
    kept = RecordTemplate(shape, {}, holes, ("n",), ("p",), repeated=holes)
    stamp, price, nan = 1_767_571_200_123, 581.0, float("nan")
    rows = [
        (stamp, price, "x"),
        (stamp, price, "x"),  # the very values before: their kept texts
        (True, 0, None),
        (Count(3), -0.0, 7),
        (stamp, nan, "x"),
        (stamp, nan, "x"),
        (2.5, price, ["l"]),
        (stamp, price, 'Zoë "Z"'),
        (stamp + 1, 581, "x"),
    ]
    for row in rows:
        values = dict(zip(holes, row, strict=True))
        expected = plain.fill(values)
        assert kept.fill_args(*row) == kept.fill_row(row) == kept.fill(values) == expected
    assert kept.fill_args(stamp, price, "x") == compact_json(shape(n=stamp, p=price, s="x"))


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.characters(max_codepoint=0x1FF)) | st.text(max_size=40))
def test_a_long_hole_writes_any_text_as_the_record_does(text):
    class Text(str):
        pass

    def shape(*, t: object, n: int) -> dict:
        return {"t": t, "n": n}

    template = RecordTemplate(shape, {}, ("t", "n"), ("n",), long=("t",))
    ascii_text = "".join(chr(c) for c in range(128)) + text.encode("ascii", "ignore").decode()
    for value in (text, ascii_text, Text(ascii_text), '{"a":"b"}', 7, None):
        assert template.fill_args(value, 1) == compact_json(shape(t=value, n=1))


def test_a_row_of_another_length_is_read_by_place():
    def shape(*, a: object, n: object) -> dict:
        return {"a": a, "n": n}

    template = RecordTemplate(shape, {}, ("a", "n"), ("n",))
    assert template.fill_row(["x", 3, "more"]) == template.fill_args("x", 3) == '{"a":"x","n":3}'
    with pytest.raises(IndexError):
        template.fill_row(("x",))


def test_a_span_of_repeated_holes_is_written_again_only_while_each_value_stays():
    def shape(*, a: object, s: object, t: object, b: object, p: object) -> dict:
        return {"a": a, "s": s, "t": t, "b": b, "again": [s, a, t, p], "p": p}

    holes = ("a", "s", "t", "b", "p")
    plain = RecordTemplate(shape, {}, holes, ("t",), ("p",))
    kept = RecordTemplate(shape, {}, holes, ("t",), ("p",), repeated=("s", "t", "p"))
    subject, stamp, price = "Hello", 1_767_571_200_123, 581.0
    rows = [
        ("x", subject, stamp, "y", price),
        ("x2", subject, stamp, "y2", price),  # every kept value the very one before
        ("x", "Hi", stamp, "y", price),  # one value of a span changes, then another
        ("x", "Hi", stamp + 1, "y", price),
        ("x", "Hi", stamp + 1, "y", 581),  # an int in a float's hole: never kept
        ("x", "Hi", stamp + 1, "y", 581),
        ("x", 'Zoë "Z"', 7, "y", -0.0),
        ("x", subject, stamp, "y", price),  # back to the first values
        ('"', subject, stamp, None, price),  # a plain hole of another kind
        ("x", subject, stamp, "y", price),
    ]
    for row in rows:
        values = dict(zip(holes, row, strict=True))
        expected = plain.fill_args(*row)  # a price hole writes its value as a float
        assert kept.fill_args(*row) == kept.fill_row(row) == kept.fill(values) == expected
        if type(values["p"]) is float:
            assert expected == compact_json(shape(**values))


def test_a_template_refuses_what_the_record_cannot_hold_as_the_record_does():
    def shape(*, n: object, p: object, s: object) -> dict:
        return {"n": n, "p": p, "s": s}

    template = RecordTemplate(shape, {}, ("n", "p", "s"), ("n",), ("p",), repeated=("s",))
    with pytest.raises(TypeError):
        template.fill_args(1, 2.0, object())
    with pytest.raises(TypeError) as raised:
        template.fill_row((1, 2.0, {1j}))
    assert raised.value.__context__ is None  # raised as the record's own, not while handled


@pytest.mark.parametrize(("a", "n"), [('Zoë "Z"', 3), (None, True), ({"k": [1]}, 2.5), ("x", -7)])
def test_a_hole_of_any_json_value_is_written_as_the_record_writes_it(a, n):
    def shape(*, a: object, n: object) -> dict:
        return {"a": a, "n": n, "again": [n, a, {"a": a}]}

    template = RecordTemplate(shape, {}, ("a", "n"), ("n",))
    assert template.fill({"a": a, "n": n}) == compact_json(shape(a=a, n=n))
    assert template.fill_row((a, n)) == compact_json(shape(a=a, n=n))
    assert template.fill_args(a, n) == compact_json(shape(a=a, n=n))


def _regex_cut(text: str, markers: dict[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """How a template cuts its text, read with a regular expression: each marker where it
    shows, a number's only where no word character or point touches it."""
    pattern = re.compile(
        "|".join(
            rf"(?<![\w.]){re.escape(m)}(?![\w.])" if m[0].isdigit() else re.escape(m)
            for m in markers
        )
    )
    order = tuple(markers[found.group(0)] for found in pattern.finditer(text))
    return tuple(pattern.split(text)), order


@settings(max_examples=200, deadline=None)
@given(
    before=st.text(alphabet='7919.0e+_a"\x00~ ', max_size=12),
    between=st.text(alphabet='7919.0e+_a"\x00~ ', max_size=12),
    twice=st.booleans(),
    variant=st.integers(0, 1),
)
def test_a_template_cuts_its_text_where_a_regular_expression_finds_the_markers(
    before, between, twice, variant
):
    def shape(*, s: str, n: int, f: float) -> dict:
        record = {"x": before, "s": s, "y": between, "n": n, "f": f, "z": f"{before}{n}{between}"}
        return {**record, "again": [s, n]} if twice else record

    markers = {compact_json("\x00" + str(variant) + "~0" + "~" * variant * 9 + "\x00"): "s"}
    markers[compact_json((7_919_000_000_000_000 + 10) * 1000**variant)] = "n"
    markers[compact_json(float((7_919_000_000_000_000 + 17) * 1000**variant))] = "f"
    values = {"s": "\x00" + str(variant) + "~0" + "~" * variant * 9 + "\x00"}
    values |= {"n": (7_919_000_000_000_000 + 10) * 1000**variant}
    values |= {"f": float((7_919_000_000_000_000 + 17) * 1000**variant)}
    cut = RecordTemplate._cut(shape, {}, ("s", "n", "f"), frozenset("nf"), frozenset("f"), variant)
    assert cut == _regex_cut(compact_json(shape(**values)), markers)


def test_a_template_refuses_a_hole_it_cannot_tell_from_the_fixed_text():
    def shape(*, a: str, b: str) -> dict:
        return {"a": a, "sum": len(a) + len(b)}  # ``b`` never appears as itself

    with pytest.raises(ValueError, match="told apart"):
        RecordTemplate(shape, {}, ("a", "b"))


def test_a_template_refuses_a_number_the_record_writes_as_something_else():
    def shape(*, price: int) -> dict:
        return {"metrics": {"price": float(price)}}  # 3 would be written 3.0

    with pytest.raises(ValueError, match="told apart"):
        RecordTemplate(shape, {}, ("price",), ("price",))


def test_a_price_hole_is_written_as_the_record_writes_its_float_metric():
    fixed = {
        "event_type": "_SMS.SUCCESS",
        **IDS,
        "record_status": "DELIVERED",
        "message_type": "Promotional",
    }
    holes = ("endpoint_id", "message_id", "origination_phone_number")
    holes += ("destination_phone_number", "iso_country_code", "number_of_message_parts")
    holes += ("event_timestamp", "arrival_timestamp", "price_in_millicents_usd")
    numbers = ("number_of_message_parts", "event_timestamp", "arrival_timestamp")
    template = RecordTemplate(sms_record, fixed, holes, numbers, ("price_in_millicents_usd",))
    for price in (645.0, 0.581, 0, 1290.5):
        values = {
            "endpoint_id": "s-2",
            "message_id": "m-7",
            "origination_phone_number": "+12065550199",
            "destination_phone_number": "+12065550100",
            "iso_country_code": "US",
            "number_of_message_parts": 1,
            "event_timestamp": SENT,
            "arrival_timestamp": ARRIVED,
            "price_in_millicents_usd": price,
        }
        assert template.fill(values) == compact_json(sms_record(**fixed, **values))
        assert template.fill_args(*values.values()) == template.fill(values)
