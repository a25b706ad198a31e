"""An endpoint in a record reads the same whether it is written alone or with its run's others."""

from __future__ import annotations

import json
import math

import pytest

from simlab.engage import event_records
from simlab.engage.event_records import endpoint_json, endpoint_json_many, endpoint_strings_many

SMS = {"Id": "s-1", "ChannelType": "SMS", "Address": "+12065550100", "EndpointStatus": "ACTIVE"}
RICH = {
    "Id": "e-2",
    "ChannelType": "EMAIL",
    "Address": "ana@example.com",
    "Demographic": {"Timezone": "Europe/Lisbon", "Platform": "ios"},
    "Location": {"City": "Lisbon", "Latitude": 38.72, "Longitude": -9.14},
    "Attributes": {"interests": ["surf", "jazz"]},
    "Metrics": {"visits": 3.0},
    "User": {"UserId": "u-9", "UserAttributes": {"plan": ["pro"]}},
}


@pytest.mark.parametrize(
    "endpoints",
    [
        [SMS, RICH],
        [SMS, RICH, {"Id": "alone"}],
        [SMS, {**RICH, "Address": "zoë@example.com"}],  # written with \\u escapes
        [{**SMS, "Id": 'quote"and\\\\slash'}],  # an id that JSON escapes
        [{**SMS, "Id": "back\\\\slash\nand\ttab"}, RICH],  # escaped, but no quote in it
        [SMS, {**RICH, "Metrics": {"tiny": 1e-07}}],  # a float with an exponent
        [SMS, {**RICH, "Metrics": {"broken": math.nan}}],
        [{"ChannelType": "SMS", "Id": "id-second"}],  # its Id not first
        [{"ChannelType": "SMS"}],  # no Id at all
        [{"Id": 7, "ChannelType": "SMS"}],  # an id that is not text
        [{**SMS, "Id": "tab\there"}, RICH],  # an id JSON escapes without a quote: no cut
        [SMS, {**RICH, "Attributes": {"l": [{"Id": "a"}, {"Id": "b"}]}}, SMS],  # a cut of its own
        [{"ChannelType": "SMS", "Nested": [{"Id": "x"}]}, SMS],  # ... in place of an Id
        [{**SMS, "Address": ',{"Id":"x"'}, RICH],  # the cut as text, escaped
        [SMS, {}, RICH],  # an empty one among them
        [SMS, {"Id": "only"}, RICH],  # one with nothing but its id
        [{**SMS, "Id": "back\\slash"}, RICH],  # an id with a backslash (escaped twice)
        [{**SMS, "Address": 'ends",'}, RICH],  # a value that ends as an item of a list would
        [{**SMS, "Address": '\\",{\\"Id\\":\\"x'}, RICH],  # the written cut as text
        [],
    ],
    ids=[
        "plain",
        "with-one-alone",
        "non-ascii",
        "escaped-id",
        "escaped-id-without-a-quote",
        "exponent",
        "nan",
        "id-second",
        "no-id",
        "int-id",
        "tab-in-id",
        "inner-cut",
        "inner-cut-no-id",
        "cut-as-text",
        "empty-one",
        "id-alone",
        "backslash-in-id",
        "item-end-as-text",
        "written-cut-as-text",
        "none",
    ],
)
def test_many_endpoints_are_written_as_each_alone(endpoints):
    assert endpoint_json_many(endpoints) == [endpoint_json(e) for e in endpoints]
    # and as JSON strings, as a record holds each text
    written = [json.dumps(endpoint_json(e)) for e in endpoints]
    assert endpoint_strings_many(endpoints) == written


def test_the_endpoint_text_leaves_out_its_id():
    [text] = endpoint_json_many([SMS])
    assert text == '{"ChannelType":"SMS","Address":"+12065550100","EndpointStatus":"ACTIVE"}'


def test_a_run_of_endpoints_is_cut_from_one_text_as_each_would_be_written():
    run = [{**SMS, "Id": f"s-{n}", "Address": f"+1206555{n:04d}"} for n in range(300)]
    run[150] = {**RICH, "Id": "e-150"}
    texts = endpoint_json_many(run)
    assert texts == [endpoint_json(e) for e in run]
    assert texts[0] == '{"ChannelType":"SMS","Address":"+12065550000","EndpointStatus":"ACTIVE"}'


def test_a_run_of_endpoints_written_as_strings_is_cut_from_one_escaped_text():
    run = [{**SMS, "Id": f"s-{n}", "Address": f"+1206555{n:04d}"} for n in range(300)]
    run[150] = {**RICH, "Id": "e-150", "Attributes": {"quote": ['say "hi"\\ \n']}}
    strings = endpoint_strings_many(run)
    assert strings == [json.dumps(endpoint_json(e)) for e in run]
    assert strings[0] == (
        '"{\\"ChannelType\\":\\"SMS\\",\\"Address\\":\\"+12065550000\\",'
        '\\"EndpointStatus\\":\\"ACTIVE\\"}"'
    )
    assert [json.loads(string) for string in strings] == endpoint_json_many(run)
    assert event_records._after_ids(run, written=True) == strings  # cut, not escaped each alone
