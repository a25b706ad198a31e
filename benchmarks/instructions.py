"""Instructions a campaign's messages or a SendMessages call's recipients take, counted by
valgrind's callgrind: a figure that stays the same however busy the machine is.

Wall and CPU times on a shared machine drift by 10-40 % between runs minutes apart; an
instruction count of the same code, inputs and hash seed repeats to within a few tenths of a
percent. This script runs ``campaign.py``'s or ``send_messages.py``'s workload in a child
process under ``valgrind --tool=callgrind`` with counting switched on only inside the section
those benchmarks time (their ``profile`` hook), with ``PYTHONHASHSEED=0`` and simlab's
time-based clean-ups (the rate-limited full collector pass and the C library's trim) switched
off, since under valgrind they fall at other moments than in a normal run. Given
``--baseline DIR`` (an unpacked older ``simlab``), it counts that too and prints the ratio.

Run: ``.venv/bin/python benchmarks/instructions.py [--workload campaign|sms|email]
[--endpoints 4000] [--calls 60] [--baseline DIR]``. Needs valgrind (and its
``callgrind_control``) on the PATH; a 4,000-endpoint campaign takes a few minutes.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


class _Counting:
    """Stands in for the benchmarks' ``cProfile.Profile``: switches callgrind's counting on
    (``enable``) and off (``disable``) for this process."""

    def __init__(self) -> None:
        self.pid = str(os.getpid())

    def _instrument(self, state: str) -> None:
        subprocess.run(
            ["callgrind_control", "-i", state, self.pid], capture_output=True, check=False
        )

    def enable(self) -> None:
        self._instrument("on")

    def disable(self) -> None:
        self._instrument("off")


def _inside(workload: str, endpoints: int, calls: int) -> None:
    """The workload, run in the process valgrind watches."""
    sys.path.insert(0, str(HERE))
    from simlab.engage import batch_gc

    batch_gc.collector._due = float("inf")  # time-based: elsewhere under valgrind
    batch_gc.trimmer._due = float("inf")
    counting = _Counting()
    if workload == "campaign":
        import campaign

        *_, counts = campaign.run(endpoints, counting)  # type: ignore[arg-type]
        print(f"messages {sum(counts.values())} outbox {counts}")
    else:
        import send_messages

        channel = "EMAIL" if workload == "email" else "SMS"
        send_messages.run(calls, channel, counting)  # type: ignore[arg-type]
        print(f"messages {calls * send_messages.BATCH}")


def count(tree: Path, workload: str, endpoints: int, calls: int) -> tuple[int, int]:
    """(instructions counted, messages) of the workload on the ``simlab`` found in ``tree``.

    Raises RuntimeError if valgrind fails or prints no count.
    """
    with tempfile.TemporaryDirectory() as scratch:
        command = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={scratch}/callgrind.out",
            sys.executable,
            __file__,
            "--inside",
            "--workload",
            workload,
            "--endpoints",
            str(endpoints),
            "--calls",
            str(calls),
        ]
        env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": f"{tree}{os.pathsep}{HERE}"}
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    counted = re.search(r"Collected : (\d+)", done.stderr)
    sent = re.search(r"^messages (\d+)", done.stdout, re.MULTILINE)
    if done.returncode or counted is None or sent is None:
        raise RuntimeError(f"valgrind run failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return int(counted.group(1)), int(sent.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workload", choices=("campaign", "sms", "email"), default="campaign")
    parser.add_argument("--endpoints", type=int, default=4_000, help="campaign endpoints")
    parser.add_argument("--calls", type=int, default=60, help="SendMessages calls of 100")
    parser.add_argument("--baseline", type=Path, help="a directory holding an older simlab")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        _inside(args.workload, args.endpoints, args.calls)
        return
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        sys.exit("valgrind and callgrind_control are needed (Debian: apt install valgrind)")
    trees = [("this tree", ROOT)] + ([("baseline", args.baseline)] if args.baseline else [])
    per_message: dict[str, float] = {}
    for name, tree in trees:
        instructions, messages = count(tree, args.workload, args.endpoints, args.calls)
        per_message[name] = instructions / messages
        print(f"{name}: {instructions:,} instructions, {per_message[name]:,.0f} a message")
    if args.baseline:
        ratio = per_message["this tree"] / per_message["baseline"]
        print(f"ratio: this tree takes {ratio:.3f}x the baseline's instructions a message")


if __name__ == "__main__":
    main()
