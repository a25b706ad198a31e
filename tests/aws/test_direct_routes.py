"""Requests to simlab's own services skip moto's URL search once moto has routed their address,
and are answered byte for byte as moto's stubber answers them."""

from __future__ import annotations

from typing import Any

import pytest

from simlab.aws import LocalAWS, direct_routes

SMS = {"SMSMessage": {"Body": "Your order has shipped", "MessageType": "TRANSACTIONAL"}}


def _moto_only(request: Any) -> Any:
    return direct_routes.MISS


def _answers(aws: LocalAWS) -> list[tuple[int, dict[str, str], bytes]]:
    """A Pinpoint session's raw answers (status, headers, body), errors included."""
    answers: list[tuple[int, dict[str, str], bytes]] = []

    def keep(http_response: Any, **_: Any) -> None:
        answers.append(
            (http_response.status_code, dict(http_response.headers), http_response.content)
        )

    aws.sms.provision_short_code()
    pinpoint = aws.client("pinpoint")
    pinpoint.meta.events.register("after-call.pinpoint", keep)
    pinpoint.meta.events.register("after-call-error.pinpoint", keep)
    app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "shop"})["ApplicationResponse"][
        "Id"
    ]
    items = [{"Id": f"e{i}", "ChannelType": "SMS", "Address": f"+1206555{i:04d}"} for i in range(5)]
    pinpoint.update_endpoints_batch(ApplicationId=app_id, EndpointBatchRequest={"Item": items})
    for _ in range(2):
        pinpoint.send_messages(
            ApplicationId=app_id,
            MessageRequest={
                "Endpoints": {f"e{i}": {} for i in range(5)},
                "Addresses": {"+12065550199": {"ChannelType": "SMS"}},
                "MessageConfiguration": SMS,
            },
        )
        pinpoint.get_app(ApplicationId=app_id)
        with pytest.raises(pinpoint.exceptions.NotFoundException):
            pinpoint.get_app(ApplicationId="no-such-app")
        with pytest.raises(pinpoint.exceptions.BadRequestException):
            pinpoint.send_messages(
                ApplicationId=app_id, MessageRequest={"MessageConfiguration": SMS}
            )
    return answers


def test_pinpoint_answers_are_moto_stubbers_byte_for_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    with LocalAWS(seed=7) as aws:
        direct = _answers(aws)
    monkeypatch.setattr(direct_routes, "answer", _moto_only)
    with LocalAWS(seed=7) as aws:
        through_moto = _answers(aws)
    assert len(direct) == 10  # errors included
    assert direct == through_moto


def test_an_address_moto_has_routed_is_served_directly(aws: LocalAWS, app_id: str) -> None:
    pinpoint = aws.client("pinpoint")
    served = []
    original = direct_routes.answer

    def counting(request: Any) -> Any:
        found = original(request)
        served.append(found is not direct_routes.MISS)
        return found

    direct_routes.answer = counting
    try:
        pinpoint.get_app(ApplicationId=app_id)
        pinpoint.get_app(ApplicationId=app_id)
    finally:
        direct_routes.answer = original
    assert served == [True, True]  # creating the app routed the service once already


def test_services_simlab_does_not_serve_keep_moto_search(aws: LocalAWS) -> None:
    logs = aws.client("logs")
    logs.create_log_group(logGroupName="learner")
    logs.create_log_group(logGroupName="teacher")
    assert len(logs.describe_log_groups()["logGroups"]) == 2
    learned = {url: route for url, route in direct_routes._routes.items() if "logs." in url}
    assert learned and all(route is None for route in learned.values())


def test_after_a_reset_moto_routes_the_first_request_again(aws: LocalAWS, app_id: str) -> None:
    pinpoint = aws.client("pinpoint")
    aws.reset()
    assert direct_routes._default_backend("pinpoint") is None  # moto builds it on first use
    created = pinpoint.create_app(CreateApplicationRequest={"Name": "again"})
    assert created["ApplicationResponse"]["Name"] == "again"
    assert direct_routes._default_backend("pinpoint") is not None
    names = [app["Name"] for app in pinpoint.get_apps()["ApplicationsResponse"]["Item"]]
    assert names == ["again"]  # the old app went with the reset
