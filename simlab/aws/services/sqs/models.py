"""SQS on the simulated clock: a long poll waits on it, and a zero visibility timeout is zero.

moto polls the wall clock while it long-polls, so on a clock that stands still a receive on an
empty queue never returns, and it makes a message visible only once the clock has moved past
its visibility deadline, so ``VisibilityTimeout=0`` hides it until time passes. Here a long poll
asks the clock to wait (at once in manual mode, on the wall clock in live mode, without holding
the state lock), and a zero timeout makes the message visible again at once, as AWS documents
(https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html).
"""

from __future__ import annotations

from typing import Any

from moto.core.utils import unix_time_millis
from moto.sqs.models import Message, SQSBackend

from simlab.aws.state import state


class ClockedSQSBackend(SQSBackend):
    """moto's SQS whose waits and visibility follow ``state().clock``."""

    def receive_message(
        self,
        queue_name: str,
        count: int,
        wait_seconds_timeout: int,
        visibility_timeout: int,
        message_attribute_names: list[str] | None = None,
    ) -> list[Message]:
        """Receives up to ``count`` messages, waiting up to ``wait_seconds_timeout`` for one."""

        def receive() -> list[Message]:
            return super(ClockedSQSBackend, self).receive_message(
                queue_name, count, 0, visibility_timeout, message_attribute_names
            )

        def wake_in() -> float | None:
            """Seconds until the next message of the queue becomes visible or ready."""
            now = unix_time_millis()
            later = [
                moment
                for m in self.get_queue(queue_name)._messages
                for moment in (m.visible_at, m.delayed_until)
                if moment > now
            ]
            return (min(later) - now + 1) / 1000 if later else None  # visible once past it

        received = receive()
        if not received and wait_seconds_timeout:
            received = state().clock.wait_until(receive, float(wait_seconds_timeout), wake_in)
        if received and not visibility_timeout:
            self._show_again(queue_name, {m.receipt_handle for m in received})
        return received

    def change_message_visibility(
        self, queue_name: str, receipt_handle: str, visibility_timeout: int
    ) -> None:
        """Changes a message's visibility; a timeout of 0 makes it visible at once."""
        super().change_message_visibility(queue_name, receipt_handle, visibility_timeout)
        if not int(visibility_timeout):
            self._show_again(queue_name, {receipt_handle})

    def _show_again(self, queue_name: str, receipt_handles: set[Any]) -> None:
        """Makes the messages with these receipt handles visible now."""
        queue = self.get_queue(queue_name)
        now = unix_time_millis()
        for message in queue._messages:
            if any(message.had_receipt_handle(h) for h in receipt_handles):
                message.visible_at = now - 1
                queue.pending_messages.discard(message)
