"""SNS → Lambda with a Python function standing in for the Lambda function.

``lambda_event`` builds the event SNS sends (Lambda Developer Guide, "Using Lambda with Amazon
SNS"): one record, ``EventSource`` ``aws:sns``, the notification under ``Sns`` with
``SigningCertUrl`` and ``UnsubscribeUrl`` spelled as Lambda spells them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: The timeout of a new Lambda function, which the context counts down from.
DEFAULT_TIMEOUT_MS = 3_000


@dataclass(frozen=True)
class LambdaContext:
    """The context object a Lambda handler receives, as far as a local function needs it."""

    function_name: str
    invoked_function_arn: str
    aws_request_id: str
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 128

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return f"simlab/{self.aws_request_id}"

    def get_remaining_time_in_millis(self) -> int:
        """Simulated time does not pass while a function runs, so the whole timeout remains."""
        return DEFAULT_TIMEOUT_MS


def lambda_event(envelope: dict[str, Any], subscription_arn: str) -> dict[str, Any]:
    """Returns the SNS → Lambda event for one signed notification ``envelope``."""
    sns = {
        "Type": envelope["Type"],
        "MessageId": envelope["MessageId"],
        "TopicArn": envelope["TopicArn"],
        "Subject": envelope.get("Subject"),
        "Message": envelope["Message"],
        "Timestamp": envelope["Timestamp"],
        "SignatureVersion": envelope["SignatureVersion"],
        "Signature": envelope["Signature"],
        "SigningCertUrl": envelope["SigningCertURL"],
        "UnsubscribeUrl": envelope["UnsubscribeURL"],
        "MessageAttributes": envelope.get("MessageAttributes", {}),
    }
    return {
        "Records": [
            {
                "EventSource": "aws:sns",
                "EventVersion": "1.0",
                "EventSubscriptionArn": subscription_arn,
                "Sns": sns,
            }
        ]
    }
