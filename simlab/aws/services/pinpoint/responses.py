"""The Pinpoint REST API: moto's handlers for apps and settings, simlab's for the rest."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any, cast

from botocore.model import OperationModel, ServiceModel
from moto.core.common_types import TYPE_RESPONSE
from moto.core.parse import PROTOCOL_PARSERS
from moto.core.request import Request, determine_request_protocol
from moto.core.utils import camelcase_to_underscores, get_service_model
from moto.moto_api._internal import mock_random
from moto.pinpoint.responses import PinpointResponse as MotoPinpointResponse

from simlab.aws.services.pinpoint import request_parse
from simlab.aws.services.pinpoint.apps_api import AppHandlers
from simlab.aws.services.pinpoint.campaigns_api import CampaignHandlers
from simlab.aws.services.pinpoint.endpoints_api import EndpointHandlers
from simlab.aws.services.pinpoint.journeys_api import JourneyHandlers
from simlab.aws.services.pinpoint.messages_api import MessageHandlers
from simlab.aws.services.pinpoint.otp_api import OtpHandlers
from simlab.aws.services.pinpoint.segments_api import SegmentHandlers
from simlab.aws.services.pinpoint.templates_api import TemplateHandlers
from simlab.aws.services.request_types import PARSE_ERRORS, rest_member
from simlab.engage.faults import EngageError

#: The operation and path parameters of each request line seen, as moto's router found them:
#: ``(method, raw path, content type, host) -> (operation name or None, uri params)``. Every
#: Pinpoint operation has its own method and path and none has a host prefix, so the line alone
#: decides; emptied when full.
_ROUTES: dict[tuple[str, str, str | None, str], tuple[str | None, dict[str, Any]]] = {}
_ROUTES_MAX = 4096

_STATUS = {
    "BadRequestException": 400,
    "NotFoundException": 404,
    "TooManyRequestsException": 429,
    "PayloadTooLargeException": 413,
}


class PinpointResponse(
    TemplateHandlers,
    OtpHandlers,
    AppHandlers,
    EndpointHandlers,
    SegmentHandlers,
    MessageHandlers,
    CampaignHandlers,
    JourneyHandlers,
    MotoPinpointResponse,
):
    """Answers every ``/v1/...`` request; the operation comes from botocore's model.

    An operation with no handler answers BadRequestException naming it; a member of the wrong
    type answers BadRequestException naming it; the handlers raise ``EngageError`` for bad
    input, answered as the modeled exception. Anything else is an internal fault, answered by
    the local AWS as ``InternalFailure``.
    """

    params: Any
    #: The operation this request asks for, found once (moto's router) and kept for the request.
    _action: str | None

    def _get_action(self) -> str:
        try:
            return self._action  # type: ignore[return-value]  # None: no operation answers
        except AttributeError:
            pass
        self._action = super()._get_action()
        return self._action

    def _get_action_from_method_and_request_uri(self, request: Request) -> str:
        key = (request.method, request.raw_path, request.content_type, request.host)
        found = _ROUTES.get(key)
        if found is None:
            action = super()._get_action_from_method_and_request_uri(request)
            if len(_ROUTES) >= _ROUTES_MAX:
                _ROUTES.clear()
            found = _ROUTES[key] = (action, dict(self.uri_match))
        self.uri_match = dict(found[1])
        return found[0]  # type: ignore[return-value]  # None: no operation answers

    def call_action(self) -> TYPE_RESPONSE:
        action = self._get_action()
        if not action:
            return self.error(
                "NotFoundException", f"no Pinpoint operation answers {self.method} {self.path}"
            )
        if not hasattr(self, camelcase_to_underscores(action)):
            return self.error("BadRequestException", f"simlab does not emulate {action} yet")
        request = self.normalized_request
        headers = cast("Mapping[str, str]", request.headers)  # werkzeug's Headers reads alike
        wrong = rest_member(self.operation(), request.data, request.args, headers)
        if wrong:
            return self.error(
                "BadRequestException", f"{wrong} does not have the type {action} expects"
            )
        try:
            self.parse_parameters(request)
        except PARSE_ERRORS:
            return self.error(
                "BadRequestException", f"the {action} request does not match its model"
            )
        try:
            return super().call_action()
        except EngageError as error:  # the one place engine refusals become modeled errors
            return self.error(error.code, error.message, error.status)

    def parse_parameters(self, request: Request) -> None:
        """Parses the request per botocore's model (moto's parser, the model loaded once)."""
        model = service_model()
        operation_model = model.operation_model(self._get_action())
        protocol = determine_request_protocol(model, request.content_type)
        map_type = self.PROTOCOL_PARSER_MAP_TYPE
        if protocol == "rest-json":  # Pinpoint's own: the same parser, each shape planned once
            parser: Any = request_parse.parser(operation_model, map_type)
        else:
            parser = PROTOCOL_PARSERS[protocol](operation_model, map_type=map_type)
        self.params = parser.parse(
            {
                "method": request.method,
                "values": request.values,
                "headers": request.headers,
                "body": request.data,
                "url_path": request.path,
                "url_params": self.uri_match,
            }
        )

    # -- answers ---------------------------------------------------------------------------

    def operation(self) -> OperationModel:
        """The botocore model of the operation being answered."""
        return service_model().operation_model(self._get_action())

    def reply(self, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """Answers ``body`` with the operation's modeled success code."""
        return self.reply_json(json.dumps(body))

    def reply_json(self, text: str) -> tuple[str, dict[str, Any]]:
        """Answers a body already written as JSON ``text``, as ``reply`` answers its body."""
        status = int(self.operation().http.get("responseCode", 200))
        return text, {"status": status, "Content-Type": "application/json"}

    def error(self, code: str, message: str, status: int | None = None) -> TYPE_RESPONSE:
        """Answers a modeled Pinpoint error: ``{Message, RequestID}`` and the error type."""
        body = json.dumps({"Message": message, "RequestID": str(mock_random.uuid4())})
        headers = {
            **self.response_headers,
            "Content-Type": "application/json",
            "x-amzn-ErrorType": code,
        }
        return status or _STATUS.get(code, 400), headers, body


@functools.cache
def service_model() -> ServiceModel:
    """botocore's model of Pinpoint (2016-12-01), loaded once (moto reloads it per request)."""
    return get_service_model("pinpoint")
