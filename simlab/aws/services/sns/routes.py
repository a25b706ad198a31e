"""``GET /simlab/sns/certificate``: the PEM behind a notification's ``SigningCertURL``.

In-process, moto answers the ``SigningCertURL`` itself; over HTTP the server cannot tell an
unsigned GET for SNS from one for S3, so the certificate is served here, by file name.
"""

from __future__ import annotations

from typing import Any

from moto.sns.models import sns_backends

from simlab.aws.server import RouteError, route
from simlab.aws.state import ACCOUNT_ID, DEFAULT_REGION


@route("GET", "sns/certificate")
def _certificate(body: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
    url = query.get("url", "")
    name = url.rsplit("/", 1)[-1]
    region = query.get("region") or DEFAULT_REGION
    if url.startswith("https://sns."):
        region = url.removeprefix("https://sns.").split(".", 1)[0]
    pem = sns_backends[ACCOUNT_ID][region]._message_public_keys.get(name)
    if pem is None:
        raise RouteError(
            f"no SNS signing certificate {name!r} in {region}; pass ?url=SigningCertURL"
        )
    return 200, {"url": url, "pem": pem.decode()}
