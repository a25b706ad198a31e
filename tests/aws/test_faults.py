"""A fault inside the local AWS reaches the caller as AWS's InternalFailure, in the protocol's
own format: botocore parses it, and no Python exception text or HTML page leaks out."""

import pytest
from botocore.exceptions import ClientError
from moto.backends import get_backend

from simlab.aws import LocalAWS
from simlab.aws.state import ACCOUNT_ID


@pytest.fixture(params=["inprocess", "server"])
def local(request):
    with LocalAWS(request.param) as aws:
        yield aws


def broken(*args, **kwargs):
    raise RuntimeError("secret internal detail /home/learner/.aws")


@pytest.mark.parametrize(
    ("service", "backend_method", "call"),
    [
        ("sns", "list_topics", lambda c: c.list_topics()),  # query protocol, XML
        ("sqs", "list_queues", lambda c: c.list_queues()),  # JSON protocol
        ("sesv2", "list_email_identities", lambda c: c.list_email_identities()),  # REST-JSON
    ],
)
def test_an_internal_fault_is_an_aws_shaped_internal_failure(
    local, monkeypatch, caplog, service, backend_method, call
):
    backend = get_backend(service)[ACCOUNT_ID][local.region]
    monkeypatch.setattr(backend, backend_method, broken)
    with pytest.raises(ClientError) as raised:
        call(local.client(service))
    error = raised.value.response
    assert error["Error"]["Code"] == "InternalFailure"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert "secret" not in str(error) and "Traceback" not in str(error)
    if local.mode == "inprocess":  # the server logs in its own threads
        assert "secret internal detail" in caplog.text


def test_the_local_aws_keeps_serving_after_a_fault(local, monkeypatch):
    sns = local.client("sns")
    backend = get_backend("sns")[ACCOUNT_ID][local.region]
    with monkeypatch.context() as patch:
        patch.setattr(backend, "list_topics", broken)
        with pytest.raises(ClientError):
            sns.list_topics()
    sns.create_topic(Name="after")
    assert len(sns.list_topics()["Topics"]) == 1
