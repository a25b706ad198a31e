"""Rate rules and SMS part counting, as `simlab.sim` names them.

They live in `simlab.primitives` (the bottom layer, so engage and aws need not import sim);
these names stay for code and notebooks written against ``simlab.sim.rates``.
"""

from simlab.primitives.rates import MpsLimiter, RollingWindow, TokenBucket
from simlab.primitives.sms_parts import GSM7, UCS2, Parts, count_parts, encoding_of

__all__ = [
    "GSM7",
    "UCS2",
    "MpsLimiter",
    "Parts",
    "RollingWindow",
    "TokenBucket",
    "count_parts",
    "encoding_of",
]
