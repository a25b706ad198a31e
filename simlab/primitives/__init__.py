"""Shared primitives at the bottom of simlab: engage, aws and sim all build on these.

* `rates` — ``TokenBucket``, ``RollingWindow`` and the SMS ``MpsLimiter``.
* `sms_parts` — GSM-7 / UCS-2 detection and SMS part counting.
* `scale` — the ``SIMLAB_SCALE`` presets (``ci``, ``workshop``, ``full``).
* `times` — AWS-style ISO 8601 formatting and parsing.
* `paging` — offset ``NextToken`` pages.
* `channels` — the Pinpoint channel -> message-member tables.

Nothing here imports anything of simlab but `simlab.facts`.
"""

from simlab.primitives.channels import DIRECT_MESSAGE_KEYS, message_key
from simlab.primitives.paging import PageTokenError, page
from simlab.primitives.rates import MpsLimiter, RollingWindow, TokenBucket
from simlab.primitives.scale import SCALES, ScaleError, default_scale
from simlab.primitives.sms_parts import GSM7, UCS2, Parts, count_parts, encoding_of
from simlab.primitives.times import iso, iso_seconds, parse_instant

__all__ = [
    "DIRECT_MESSAGE_KEYS",
    "GSM7",
    "SCALES",
    "UCS2",
    "MpsLimiter",
    "PageTokenError",
    "Parts",
    "RollingWindow",
    "ScaleError",
    "TokenBucket",
    "count_parts",
    "default_scale",
    "encoding_of",
    "iso",
    "iso_seconds",
    "message_key",
    "page",
    "parse_instant",
]
