"""Runs generated requests against a local AWS and judges each answer.

A failure is a 5xx, an answer botocore cannot parse, a call that outlives its timeout, a 4xx
whose message carries Python exception text, or a read (a ``List*``/``Get*``/``Describe*`` that
takes no required input) that breaks after a write.
"""

from __future__ import annotations

import concurrent.futures
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import (
    ClientError,
    ReadTimeoutError,
)
from botocore.exceptions import (
    ConnectionError as BotoConnectionError,
)
from botocore.model import OperationModel, ServiceModel
from botocore.parsers import ResponseParserError

from tests.fuzz.generator import Generator

#: Fragments of Python exception text that must never reach a client.
PYTHON_TEXT = re.compile(
    r"Traceback|object has no attribute|KeyError|NoneType|unexpected keyword|TypeError|"
    r"ValueError|AttributeError|IndexError|not enough values to unpack|invalid literal for|"
    r"unsupported operand|object is not (subscriptable|iterable|callable)|codec can't|"
    r"<class '|positional argument"
)

#: Raw clients: no client-side validation, no retries, bounded waits.
RAW = Config(
    parameter_validation=False,
    retries={"total_max_attempts": 1, "mode": "standard"},
    connect_timeout=5,
    read_timeout=15,
)

TIMEOUT = 15.0
#: The services fuzzed, by botocore client name.
SERVICES = ("pinpoint", "pinpoint-sms-voice-v2", "sesv2", "ses", "sns")


@dataclass
class Tally:
    """Counts of one service's run and the failures it found (first few of each class)."""

    requests: int = 0
    server_errors: int = 0
    unparseable: int = 0
    hangs: int = 0
    python_text: int = 0
    broken_reads: int = 0
    unsent: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return (
            self.server_errors
            + self.unparseable
            + self.hangs
            + self.python_text
            + self.broken_reads
        )

    def fail(self, kind: str, what: str) -> None:
        self.outcomes[kind] += 1
        if len(self.failures) < 200:
            self.failures.append(f"{kind}: {what}")


def no_input_reads(model: ServiceModel) -> list[str]:
    """The service's reads that take no required input, in model order."""
    reads = []
    for name in model.operation_names:
        if not name.startswith(("List", "Get", "Describe")):
            continue
        shape = model.operation_model(name).input_shape
        if shape is None or not shape.required_members:
            reads.append(name)
    return reads


class Fuzzer:
    """Sends generated requests for one service through one raw client and tallies answers."""

    def __init__(self, client: Any, seed: int, *, in_thread: bool) -> None:
        self.client = client
        self.model: ServiceModel = client.meta.service_model
        self.gen = Generator(seed)
        self.tally = Tally()
        self.reads = no_input_reads(self.model)
        self.in_thread = in_thread
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        self._sent = False
        client.meta.events.register("request-created", self._mark_sent)

    def _mark_sent(self, **_: Any) -> None:
        self._sent = True

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def run(self, operations: list[str], count: int, raw_share: float = 0.5) -> Tally:
        """Sends ``count`` requests over ``operations`` (a seeded mix of valid and raw)."""
        rng = self.gen.rng
        for index in range(count):
            name = (
                operations[index % len(operations)]
                if index < len(operations)
                else rng.choice(operations)
            )
            operation = self.model.operation_model(name)
            raw = rng.random() < raw_share
            params = self.gen.mutated(operation) if raw else self.gen.valid(operation)
            status = self.send(operation, params, "raw" if raw else "valid")
            if status is not None and name not in self.reads:
                self.check_reads(name)
        return self.tally

    def check_reads(self, after: str) -> None:
        """Calls every no-input read; each must still answer something botocore parses."""
        for read in self.reads:
            status = self.send(self.model.operation_model(read), {}, f"read after {after}")
            if status is not None and status >= 500:
                self.tally.broken_reads += 1

    def send(self, operation: OperationModel, params: dict[str, Any], kind: str) -> int | None:
        """Sends one request; returns the HTTP status, or ``None`` if it was never sent."""
        method = getattr(self.client, xform_name(operation.name))
        what = f"{operation.name} [{kind}] {_short(params)}"
        self.tally.requests += 1
        self._sent = False
        try:
            if self.in_thread:
                future = self._pool.submit(method, **params)
                try:
                    result = future.result(timeout=TIMEOUT)
                except concurrent.futures.TimeoutError:
                    self.tally.hangs += 1
                    self.tally.fail("hang", what)
                    self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
                    return None
            else:
                result = method(**params)
        except ClientError as error:
            return self._judge_error(error, what)
        except ResponseParserError as error:
            self.tally.unparseable += 1
            self.tally.fail("unparseable", f"{what}: {str(error)[:160]}")
            return 200
        except ReadTimeoutError:
            self.tally.hangs += 1
            self.tally.fail("hang", what)
            return None
        except BotoConnectionError as error:
            self.tally.server_errors += 1
            self.tally.fail("connection", f"{what}: {error}")
            return None
        except Exception:
            if self._sent:
                raise
            # botocore could not serialize the raw value: the request never left the client
            self.tally.requests -= 1
            self.tally.unsent += 1
            return None
        self.tally.outcomes["2xx"] += 1
        self.gen.harvest(result)
        return 200

    def _judge_error(self, error: ClientError, what: str) -> int:
        meta = error.response.get("ResponseMetadata", {})
        status = int(meta.get("HTTPStatusCode") or 0)
        detail = error.response.get("Error", {})
        code = str(detail.get("Code") or "")
        message = str(detail.get("Message") or "")
        if status >= 500:
            self.tally.server_errors += 1
            self.tally.fail("5xx", f"{what}: {status} {code} {message[:120]}")
        elif not code or code.isdigit():
            self.tally.unparseable += 1
            self.tally.fail("no error code", f"{what}: {status} {message[:120]}")
        elif PYTHON_TEXT.search(message):
            self.tally.python_text += 1
            self.tally.fail("python text", f"{what}: {code} {message[:160]}")
        else:
            self.tally.outcomes[f"4xx {code}"] += 1
        return status


def _short(params: dict[str, Any]) -> str:
    text = repr(params)
    return text if len(text) < 200 else text[:200] + "…"
