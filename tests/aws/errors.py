"""What a refused boto3 call answered: the one helper the AWS tests read errors with."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError


def refusal(call: Callable[..., Any], /, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Calls ``call`` expecting a ClientError; returns what botocore parsed from the answer.

    The result holds ``Status`` (the HTTP status), ``Code``, ``Message`` and every other
    top-level member the error shape models (``Reason``, ``Fields``, ...). Fails the test if the
    call succeeds or answers outside 4xx: a refused request is the client's fault, never a 5xx.
    """
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    response = caught.value.response
    status = response["ResponseMetadata"]["HTTPStatusCode"]
    assert 400 <= status < 500, f"a refusal answers 4xx, got {status}: {response['Error']}"
    members = {key: value for key, value in response.items() if key[:1].isupper()}
    return {
        "Status": status,
        "Code": response["Error"]["Code"],
        "Message": response["Error"].get("Message", ""),
        **{k: v for k, v in members.items() if k not in ("Error", "ResponseMetadata")},
    }


def error_of(call: Callable[..., Any], /, *args: Any, **kwargs: Any) -> tuple[str, str]:
    """Calls ``call`` expecting a 4xx ClientError; returns its ``(code, message)``."""
    error = refusal(call, *args, **kwargs)
    return error["Code"], error["Message"]
