"""Handlers of direct sends (SendMessages, SendUsersMessages) and of PutEvents."""

from __future__ import annotations

from collections.abc import Mapping
from json.encoder import encode_basestring_ascii as _quoted
from typing import Any

from moto.moto_api._internal import mock_random

from simlab.aws.services.pinpoint.channels import ChannelGateway
from simlab.aws.services.pinpoint.models import PinpointEngineBackend, Project
from simlab.aws.state import state
from simlab.engage import sends
from simlab.engage.deliverability import Model
from simlab.engage.faults import BadRequest, NotFound
from simlab.engage.outbox import CHANNELS
from simlab.engage.outbox_messages import OutboxMessage
from simlab.facts import pinpoint as facts

#: A result's status, code and message as its JSON writes them, by their values.
_STATUSES: dict[tuple[str, int, str], str] = {}
#: Statuses kept at most (a refusal's message may name its recipient).
_STATUSES_KEPT = 256
#: Outbox status of a result that never reached a channel.
_REFUSED_STATUS = {"OPT_OUT": "OPT_OUT", "THROTTLED": "THROTTLED"}


def deliver_all(
    project: Project,
    recipients: list[sends.Recipient],
    request: Mapping[str, Any],
    templates: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[sends.Result]:
    """Sends one message to every recipient of a project and accounts for each in the outbox."""
    context = dict(request.get("Context") or {})
    if request.get("TraceId"):
        context.setdefault("trace_id", str(request["TraceId"]))
    model = Model(state().rng("pinpoint.deliverability"))
    gateway = ChannelGateway(project, model, context)
    clock = state().clock

    def admit(message: sends.Outgoing) -> bool:
        return project.limiter is None or project.limiter.try_take(clock.seconds)

    results = sends.send(
        recipients,
        request.get("MessageConfiguration") or {},
        gateway,
        templates=templates,
        context=context,
        admit=None if project.limiter is None else admit,  # no limiter: each is admitted
        render=handlebars,
    )
    for result in results:
        if id(result.recipient) not in gateway.recorded:
            _record_refusal(project, result)
    return results


def _record_refusal(project: Project, result: sends.Result) -> None:
    recipient = result.recipient
    channel = "PUSH" if recipient.channel in sends.PUSH_CHANNELS else recipient.channel
    if channel not in CHANNELS:
        channel = "CUSTOM"
    state().outbox.add(
        OutboxMessage(
            channel=channel,
            service="pinpoint",
            origin="",
            destination=recipient.address,
            body="",
            message_id=f"rejected-{mock_random.uuid4()}",
            sent_at=state().clock.now(),
            status=_REFUSED_STATUS.get(result.delivery_status, "FAILED"),
            detail={
                "carrier": "pinpoint",  # refused by Pinpoint's own rules: nothing carried it
                "app_id": project.app_id,
                "endpoint_id": recipient.endpoint_id,
                "channel_type": recipient.channel,
                "delivery_status": result.delivery_status,
                "reason": result.status_message,
            },
        )
    )


class MessageHandlers:
    """Mixed into ``PinpointResponse``; one method per operation (snake_case name)."""

    params: Any
    pinpoint_backend: PinpointEngineBackend
    reply: Any
    reply_json: Any

    def _project(self) -> Project:
        return self.pinpoint_backend.project(self.params["ApplicationId"])

    def send_messages(self) -> Any:
        project = self._project()
        request = self.params.get("MessageRequest") or {}
        addresses = request.get("Addresses") or {}
        endpoints = request.get("Endpoints") or {}
        total = len(addresses) + len(endpoints)
        limit = facts.SEND_MESSAGES_MAX_RECIPIENTS.value
        if total > limit:
            raise BadRequest(
                f"MessageRequest has {total} recipients (Addresses and Endpoints together); "
                f"at most {limit} are allowed"
            )
        if not total:
            raise BadRequest("MessageRequest needs Addresses or Endpoints")
        recipients = [
            sends.Recipient(address, str(config.get("ChannelType") or ""), address, None, config)
            for address, config in addresses.items()
        ]
        for recipient in recipients:
            if not recipient.channel:
                raise BadRequest(f"Addresses[{recipient.key!r}].ChannelType is required")
        sends.check_addresses(recipients)
        store = project.audience.endpoints
        present = [e for e in endpoints if e in store]
        known = store.to_json_many([store.index[e] for e in present])
        found = dict(zip(present, known, strict=True))  # each endpoint's ``Id`` is its key
        # each endpoint's ``Recipient``, its own instance dict filled as ``__init__`` fills it
        blank, new = sends.RECIPIENT_FIELDS, object.__new__
        for endpoint_id, config in endpoints.items():
            endpoint = found.get(endpoint_id)
            if endpoint is None:
                recipients.append(sends.Recipient(endpoint_id, "", "", None, {}, missing=True))
                continue
            recipient = new(sends.Recipient)
            fields = recipient.__dict__  # empty: given ``__init__``'s keys in its order
            fields.update(blank)
            fields["key"] = endpoint_id
            fields["channel"] = str(endpoint.get("ChannelType", ""))
            fields["address"] = str(endpoint.get("Address", ""))
            fields["endpoint"] = endpoint
            fields["config"] = config or {}
            fields["endpoint_id"] = str(endpoint.get("Id"))
            recipients.append(recipient)
        templates = self._message_templates(request)
        results = deliver_all(project, recipients, request, templates)
        by_key = {r.recipient.key: r for r in results}
        request_id = str(mock_random.uuid4())
        text = message_response_json(project.app_id, request_id, addresses, endpoints, by_key)
        if text is not None:
            return self.reply_json(text)
        body: dict[str, Any] = {"ApplicationId": project.app_id, "RequestId": request_id}
        if addresses:
            body["Result"] = {a: by_key[a].message_result() for a in addresses}
        if endpoints:
            body["EndpointResult"] = {e: by_key[e].endpoint_result() for e in endpoints}
        return self.reply(body)

    def send_users_messages(self) -> Any:
        project = self._project()
        request = self.params.get("SendUsersMessageRequest") or {}
        users = request.get("Users") or {}
        limit = facts.SEND_USERS_MESSAGES_MAX_USERS.value
        if len(users) > limit:
            raise BadRequest(
                f"SendUsersMessageRequest.Users has {len(users)} users; at most {limit} allowed"
            )
        if not users:
            raise BadRequest("SendUsersMessageRequest.Users needs at least one user")
        store = project.audience.endpoints
        recipients: list[sends.Recipient] = []
        owners: dict[str, list[str]] = {}
        for user_id, config in users.items():
            try:
                ids = store.user_endpoint_ids(user_id)
            except Exception:
                ids = []
            owners[user_id] = ids
            for endpoint_id in ids:
                endpoint = store.get(endpoint_id)
                recipients.append(
                    sends.Recipient(
                        f"{user_id}\x00{endpoint_id}",
                        str(endpoint.get("ChannelType", "")),
                        str(endpoint.get("Address", "")),
                        endpoint,
                        config or {},
                    )
                )
        templates = self._message_templates(request)
        results = {r.recipient.key: r for r in deliver_all(project, recipients, request, templates)}
        body = {
            "ApplicationId": project.app_id,
            "RequestId": str(mock_random.uuid4()),
            "Result": {
                user: {e: results[f"{user}\x00{e}"].endpoint_result() for e in ids}
                for user, ids in owners.items()
            },
        }
        return self.reply(body)

    def _message_templates(self, request: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
        """The message parts of each template a TemplateConfiguration names."""
        configuration = request.get("TemplateConfiguration") or {}
        found: dict[str, dict[str, Any]] = {}
        for key, reference in configuration.items():
            if not reference or not reference.get("Name"):
                continue
            found[key] = self._message_template(key, reference)
        return found

    def _message_template(self, key: str, reference: Mapping[str, Any]) -> dict[str, Any]:
        store = getattr(self.pinpoint_backend, "templates", None)
        kind = {
            "EmailTemplate": "EMAIL",
            "SMSTemplate": "SMS",
            "VoiceTemplate": "VOICE",
            "PushTemplate": "PUSH",
            "InAppTemplate": "INAPP",
        }.get(key, key)
        if kind == "INAPP":
            raise BadRequest("TemplateConfiguration.InAppTemplate is not supported by direct sends")
        if store is None:
            raise BadRequest(
                f"TemplateConfiguration.{key}: message templates are not available yet"
            )
        try:
            template = store.get(reference["Name"], kind, reference.get("Version"))
        except LookupError as error:
            raise NotFound(f"TemplateConfiguration.{key}: {error}") from None
        return _parts(template)

    def put_events(self) -> Any:
        project = self._project()
        batch = (self.params.get("EventsRequest") or {}).get("BatchItem") or {}
        results = project.audience.put_events(batch, state().clock.timestamp())
        return self.reply({"Results": results})


def message_response_json(
    app_id: str,
    request_id: str,
    addresses: Mapping[str, Any],
    endpoints: Mapping[str, Any],
    by_key: Mapping[str, sends.Result],
) -> str | None:
    """SendMessages' ``MessageResponse`` as ``json.dumps`` writes it, built straight from the
    results; None when a value is not a plain string or number (``json.dumps`` decides)."""
    parts = [f'{{"ApplicationId": {_quoted(app_id)}, "RequestId": {_quoted(request_id)}']
    members = (("Result", addresses, False), ("EndpointResult", endpoints, True))
    for member, keys, address in members:
        if not keys:
            continue
        entries = []
        for key in keys:
            entry = _entry_json(key, by_key[key], address)
            if entry is None:
                return None
            entries.append(entry)
        parts.append(f'"{member}": {{{", ".join(entries)}}}')
    return ", ".join(parts) + "}"


def _entry_json(key: str, result: sends.Result, address: bool) -> str | None:
    """``key`` and ``json.dumps`` of ``result.endpoint_result()`` (``address``) or
    ``message_result()``, as one member of a JSON object; None when a value is not of the
    type those write plainly."""
    status, code, message = result.delivery_status, result.status_code, result.status_message
    if type(status) is not str or type(code) is not int or type(message) is not str:
        return None
    if type(key) is not str:
        return None
    text = _STATUSES.get((status, code, message))
    if text is None:  # a request's results mostly share theirs
        if len(_STATUSES) >= _STATUSES_KEPT:
            _STATUSES.clear()
        text = _STATUSES[(status, code, message)] = (
            f'"DeliveryStatus": {_quoted(status)}, "StatusCode": {code}, '
            f'"StatusMessage": {_quoted(message)}'
        )
    message_id, token = result.message_id, result.updated_token
    if address:
        shown = result.recipient.address
        if type(shown) is not str:
            return None
        if message_id and not token and type(message_id) is str:  # most results: in one go
            return (
                f'{_quoted(key)}: {{"Address": {_quoted(shown)}, {text}, '
                f'"MessageId": {_quoted(message_id)}}}'
            )
        text = f'"Address": {_quoted(shown)}, {text}'
    if message_id:
        if type(message_id) is not str:
            return None
        text = f'{text}, "MessageId": {_quoted(message_id)}'
    if token:
        if type(token) is not str:
            return None
        text = f'{text}, "UpdatedToken": {_quoted(token)}'
    return f"{_quoted(key)}: {{{text}}}"


def _parts(template: Any) -> dict[str, Any]:
    """A stored template version's content (``TemplateVersion.content``)."""
    return dict(getattr(template, "content", template))


def handlebars(
    text: str,
    endpoint: Mapping[str, Any] | None,
    substitutions: Mapping[str, Any],
    defaults: Mapping[str, Any],
) -> str:
    """Renders message text as Pinpoint does: Handlebars over the endpoint's variables.

    Raises BadRequest (BadRequestException) naming the part when the text cannot be rendered.
    """
    if "{{" not in text:
        return text
    from simlab.engage import templates

    context = templates.endpoint_context(endpoint, defaults, substitutions)
    try:
        return templates.render(text, context, now=state().clock.now())
    except templates.TemplateError as error:
        raise BadRequest(f"the message template cannot be rendered: {error}") from None
