import json
import urllib.error
import urllib.request
from datetime import UTC, datetime

import pytest
from botocore.exceptions import ClientError

from simlab.engage.outbox_messages import OutboxMessage


def call(aws, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{aws.endpoint_url}{path}", data=data, method=method)
    try:
        with urllib.request.urlopen(request) as reply:
            return reply.status, json.load(reply)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_clock_is_read_and_moved_over_http(server_aws):
    assert call(server_aws, "GET", "/simlab/clock") == (
        200,
        {"now": "2026-01-05T09:00:00Z", "seconds": 0.0, "mode": "manual", "speed": 1.0},
    )
    assert (
        call(server_aws, "POST", "/simlab/clock", {"advance": 90})[1]["now"]
        == "2026-01-05T09:01:30Z"
    )
    status, body = call(server_aws, "POST", "/simlab/clock", {"advance_to": "2026-01-06T00:00:00Z"})
    assert (status, body["now"]) == (200, "2026-01-06T00:00:00Z")
    assert server_aws.clock.now() == datetime(2026, 1, 6, tzinfo=UTC)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "exactly one of 'advance'"),
        ({"advance": 1, "advance_to": "2026-01-06T00:00:00Z"}, "exactly one of 'advance'"),
        ({"advance": -5}, "finite, non-negative"),
        ({"advance": 1e308}, "cannot go past 9999-12-31"),
        ({"advance": "NaN"}, "must be a number"),
        ({"advance": True}, "must be a number"),
        ({"advance_to": 5}, "ISO 8601"),
        ({"advance_to": "2020-01-01T00:00:00Z"}, "cannot move the clock back"),
        ({"advance_to": "tomorrow"}, "Invalid isoformat"),
    ],
)
def test_bad_clock_requests_get_400_naming_the_problem(server_aws, body, message):
    status, answer = call(server_aws, "POST", "/simlab/clock", body)
    assert status == 400
    assert message in answer["message"]
    assert call(server_aws, "GET", "/simlab/clock")[1]["seconds"] == 0.0  # nothing moved


def test_outbox_is_served_as_json_with_filters(server_aws):
    sent = OutboxMessage("SMS", "sns", "+12065550199", "+12065550100", "code 1234", "m-1",
                         server_aws.clock.now(), "DELIVERED")  # fmt: skip
    server_aws.outbox.add(sent)
    status, body = call(server_aws, "GET", "/simlab/outbox?channel=SMS")
    assert status == 200
    assert body["messages"] == [sent.to_json()]
    assert call(server_aws, "GET", "/simlab/outbox?channel=EMAIL")[1] == {"messages": []}
    status, body = call(server_aws, "GET", "/simlab/outbox?colour=red")
    assert status == 400 and "unknown filter ['colour']" in body["message"]


def test_unknown_routes_and_bad_json_are_answered_not_crashed(server_aws):
    status, body = call(server_aws, "GET", "/simlab/nothing")
    assert status == 404 and "GET /simlab/clock" in body["message"]
    request = urllib.request.Request(
        f"{server_aws.endpoint_url}/simlab/clock", data=b"{", method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request)
    assert error.value.code == 400


def test_reset_over_http_wipes_everything(server_aws):
    server_aws.client("sns").create_topic(Name="alerts")
    server_aws.clock.advance(10)
    assert call(server_aws, "POST", "/simlab/reset", {}) == (200, {"status": "reset"})
    assert server_aws.client("sns").list_topics()["Topics"] == []
    assert server_aws.clock.seconds == 0


def test_a_body_that_is_not_utf8_gets_a_400_and_changes_nothing(server_aws):
    request = urllib.request.Request(
        f"{server_aws.endpoint_url}/simlab/clock", data=b'{"advance": 5\xff}', method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request)
    assert error.value.code == 400
    assert "UTF-8" in json.load(error.value)["message"]
    assert call(server_aws, "GET", "/simlab/clock")[1]["seconds"] == 0.0


def test_a_request_line_too_long_for_http_gets_a_json_error_botocore_can_read(server_aws):
    ses = server_aws.client("sesv2")
    with pytest.raises(ClientError) as error:
        ses.get_blacklist_reports(BlacklistItemNames=["x"] * 9_000)
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 414
    assert error.value.response["Error"]["Code"] == "RequestUriTooLong"
    assert server_aws.client("sns").list_topics()["Topics"] == []  # still serving
