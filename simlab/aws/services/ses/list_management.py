"""SES v2 list management: who on a contact list may receive a topic, and unsubscribe links.

A send with ``ListManagementOptions`` goes only to contacts still subscribed to the topic (their
own preference, else the topic's default) and not unsubscribed from everything; SES fills
``{{amazonSESUnsubscribeUrl}}`` with a link that unsubscribes the recipient (SES Developer
Guide, list management: https://docs.aws.amazon.com/ses/latest/dg/sending-email-list-management.html).
The link carries a keyed digest, so one for another address or list does not work.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlparse

from simlab.aws.services.ses import exceptions as errors
from simlab.aws.services.ses.policy import parseaddr
from simlab.aws.state import state

if TYPE_CHECKING:
    from simlab.aws.services.ses.models import SimlabSESBackend

PLACEHOLDER = "{{amazonSESUnsubscribeUrl}}"
_HOST = "unsubscribe.{region}.amazonses.com"


def _digest(region: str, contact_list: str, topic: str, address: str) -> str:
    text = "\x1f".join((str(state().seed), region, contact_list, topic, address.lower()))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def unsubscribe_url(region: str, contact_list: str, topic: str, address: str) -> str:
    """The link that unsubscribes ``address`` from ``topic`` (or the whole list if no topic)."""
    query = {"list": contact_list, "topic": topic, "address": address}
    query["token"] = _digest(region, contact_list, topic, address)
    return f"https://{_HOST.format(region=region)}/?{urlencode(query)}"


def is_unsubscribe_link(link: str) -> bool:
    return urlparse(link).netloc.startswith("unsubscribe.")


def check(backend: SimlabSESBackend, options: dict[str, Any]) -> tuple[str, str]:
    """(list, topic) of ``ListManagementOptions``; raises NotFoundException or BadRequest."""
    name = str(options.get("ContactListName") or "")
    topic = str(options.get("TopicName") or "")
    contact_list = backend.contacts_lists.get(name)
    if contact_list is None:
        raise errors.NotFoundException(f"List with name {name} does not exist.")
    if topic and topic not in {t["TopicName"] for t in contact_list.topics or []}:
        raise errors.BadRequestException(f"Topic {topic} does not exist in list {name}.")
    return name, topic


def subscribed(backend: SimlabSESBackend, name: str, topic: str, address: str) -> bool:
    """Whether ``address`` still receives ``topic`` mail of list ``name``."""
    contact_list = backend.contacts_lists[name]
    contact = contact_list.contacts.get(address)
    if contact is None:
        return True  # SES sends to addresses that are not contacts of the list
    if contact.unsubscribe_all:
        return False
    if not topic:
        return True
    for preference in contact.topic_preferences or []:
        if preference.get("TopicName") == topic:
            return preference.get("SubscriptionStatus") == "OPT_IN"
    defaults = {t["TopicName"]: t.get("DefaultSubscriptionStatus") for t in contact_list.topics}
    return defaults.get(topic) == "OPT_IN"


def fill(text: str, url: str) -> str:
    return text.replace(PLACEHOLDER, url)


def with_url(template_data: str | None, url: str) -> str:
    """Template data with ``amazonSESUnsubscribeUrl`` set (a template refers to it by name)."""
    try:
        data = json.loads(template_data or "{}")
    except ValueError:
        return template_data or ""  # the send path answers the bad JSON
    if isinstance(data, dict):
        data.setdefault("amazonSESUnsubscribeUrl", url)
        return json.dumps(data)
    return template_data or ""


def unsubscribe(backend: SimlabSESBackend, link: str) -> str:
    """Unsubscribes the address a link names; returns what changed.

    Raises ValueError for a link whose token does not match, or a list that is gone.
    """
    query = {k: v[0] for k, v in parse_qs(urlparse(link).query, keep_blank_values=True).items()}
    name, topic, address = query.get("list", ""), query.get("topic", ""), query.get("address", "")
    if query.get("token") != _digest(backend.region_name, name, topic, address):
        raise ValueError(f"{link!r} is not an unsubscribe link SES issued in this Region")
    contact_list = backend.contacts_lists.get(name)
    if contact_list is None:
        raise ValueError(f"contact list {name} no longer exists")
    bare = parseaddr(address)[1]
    if bare not in contact_list.contacts:
        contact_list.create_contact(name, {"EmailAddress": bare})
    contact = contact_list.contacts[bare]
    if not topic:
        contact.unsubscribe_all = True
        return f"{bare} unsubscribed from every topic of {name}"
    preferences = [p for p in contact.topic_preferences or [] if p.get("TopicName") != topic]
    contact.topic_preferences = [
        *preferences,
        {"TopicName": topic, "SubscriptionStatus": "OPT_OUT"},
    ]
    return f"{bare} unsubscribed from {topic} of {name}"
