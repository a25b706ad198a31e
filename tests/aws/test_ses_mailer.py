"""The mailer keeps what a message still needs and no more, draws moto's MessageIds and reads
addresses as the standard library does."""

from __future__ import annotations

import email.utils
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from moto.backends import get_backend
from moto.moto_api._internal import mock_random
from moto.ses.utils import get_random_message_id

from simlab.aws.services.ses.mailer import _message_id
from simlab.aws.services.ses.policy import BARE_ADDRESS, parseaddr

SENDER = "news@example.com"


@pytest.fixture
def mailer(aws) -> Any:
    """The mailer of the default account's SES in us-east-1."""
    return get_backend("ses")["123456789012"]["us-east-1"].mailer


def test_message_ids_are_moto_s_own_from_the_same_seed():
    mock_random.seed(7)
    moto_ids = [get_random_message_id() for _ in range(500)]
    after_moto = mock_random.getrandbits(64)
    mock_random.seed(7)
    assert [_message_id() for _ in range(500)] == moto_ids
    assert mock_random.getrandbits(64) == after_moto  # the stream is left where moto leaves it


def test_a_watcher_hears_every_event_and_goes_when_the_message_is_done(aws, mailer):
    ses = aws.client("ses")
    ses.verify_email_identity(EmailAddress=SENDER)
    heard: list[tuple[str, str]] = []
    message_id = ses.send_email(
        Source=SENDER,
        Destination={"ToAddresses": ["success@simulator.amazonses.com"]},
        Message={"Subject": {"Data": "Hi"}, "Body": {"Text": {"Data": "News"}}},
    )["MessageId"]
    mailer.watch(message_id, lambda kind, address, detail: heard.append((kind, address)))
    assert message_id in mailer.watchers
    aws.clock.advance(86_400)
    assert heard == [("Delivery", "success@simulator.amazonses.com")]
    assert mailer.watchers == {}
    assert mailer._pending == {}


class _Relay:
    """A watcher of a message sent for another service, which names its own statuses."""

    def __init__(self) -> None:
        self.heard: list[str] = []

    def __call__(self, kind: str, address: str, detail: dict[str, Any]) -> None:
        self.heard.append(kind)

    @staticmethod
    def entry(kind: str, status: str, detail: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        return f"RELAYED_{status}", {**detail, "relayed": kind}


@pytest.mark.parametrize(
    ("address", "status", "kind"),
    [
        ("success@simulator.amazonses.com", "RELAYED_DELIVERED", "Delivery"),
        ("bounce@simulator.amazonses.com", "RELAYED_BOUNCED", "Bounce"),
    ],
)
def test_a_watcher_with_an_entry_method_names_the_outbox_status(aws, mailer, address, status, kind):
    ses = aws.client("ses")
    ses.verify_email_identity(EmailAddress=SENDER)
    message_id = ses.send_email(
        Source=SENDER,
        Destination={"ToAddresses": [address]},
        Message={"Subject": {"Data": "Hi"}, "Body": {"Text": {"Data": "News"}}},
    )["MessageId"]
    relay = _Relay()
    mailer.watch(message_id, relay)
    aws.clock.advance(86_400)
    entry = aws.outbox.last(to=address)
    assert (entry.message_id, entry.status, entry.detail["relayed"]) == (message_id, status, kind)
    assert relay.heard == [kind]


def test_watching_a_message_with_nothing_to_come_keeps_nothing(mailer):
    mailer.watch("no-such-message", lambda kind, address, detail: None)
    assert mailer.watchers == {}


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet="aZ9._+-@ <>\"'(),:;[]\\", min_size=1, max_size=24)
    | st.from_regex(r"[\w.+-]{1,12}@[\w.-]{1,12}", fullmatch=True)
)
def test_address_parsing_answers_what_the_standard_library_does(address):
    assert parseaddr.__wrapped__(address) == email.utils.parseaddr(address)


#: ``BARE_ADDRESS`` with greedy runs and repeats (its own are possessive).
_GREEDY_BARE = re.compile(r"[\w+-]+(?:\.[\w+-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*", re.ASCII)


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet="aZ9_.+-@ xé", min_size=1, max_size=24)
    | st.from_regex(r"[\w.+-]{1,12}@[\w.-]{1,12}", fullmatch=True)
)
def test_a_bare_address_is_one_the_greedy_pattern_takes_whole(address):
    assert bool(BARE_ADDRESS.fullmatch(address)) == bool(_GREEDY_BARE.fullmatch(address))
