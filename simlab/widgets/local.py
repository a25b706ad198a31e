"""What a panel needs of the local AWS it reads: to notice when it has gone.

A notebook may stop its local AWS (``aws.stop()``) or start a new one after building a panel.
The panel's data is gone then, and a boto3 client of a stopped in-process AWS would reach for
real AWS. `LocalWatch` remembers the local AWS open when the panel was built; before each call
the panel asks `LocalWatch.problem`, and shows the answer instead of calling.
"""

from __future__ import annotations

import sys
from typing import Any

STOPPED = (
    "The local AWS this panel reads has been stopped (a later cell ran aws.stop()), so its "
    "data is gone; nothing was sent to real AWS. To use the panel again, run the notebook from "
    "the top down to this cell (Run ▸ Run All Above Selected Cell, then this cell), and stop "
    "the local AWS only when you are done with the panels."
)
RESTARTED = (
    "A new local AWS was started after this panel was built, so the project and templates it "
    "read are gone. Run again the cells that create them, then this cell."
)


def local_aws_open() -> bool:
    """Whether a local AWS (moto's mock, in-process or behind `simlab serve`) is open here."""
    models = sys.modules.get("moto.core.models")  # not imported: nothing can be open
    return models is not None and models.MockAWS._nested_count > 0


def _state() -> Any:
    from simlab.aws.state import state

    return state()


class LocalWatch:
    """Remembers the local AWS open now; `problem` says if it has since stopped or been replaced.

    Built while no local AWS is open (a client of real AWS, asked for by name), it watches
    nothing and `problem` is always None.
    """

    def __init__(self) -> None:
        self.backend: Any = _state() if local_aws_open() else None

    def problem(self) -> str | None:
        """None while the local AWS is the one the panel was built on; else what to re-run."""
        if self.backend is None:
            return None
        if not local_aws_open():
            return STOPPED
        if _state() is not self.backend:
            return RESTARTED
        return None
