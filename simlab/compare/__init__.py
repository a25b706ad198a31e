"""SNS + SES vs Pinpoint vs End User Messaging + SES, measured on one business need.

A shop welcomes each new customer by email, texts a one-time code at sign-in, sends a weekly
offer at 09:00 in each subscriber's time zone, and stops texting whoever replies STOP. Three
modules meet that need as a learner would write it, with injected boto3 clients: `diy` (SNS and
SES, your code manages the rest), `pinpoint` (the service manages audience, content and
schedule) and `successors` (what AWS recommends after Pinpoint's end of support), over `need`
and the helpers they share in `common`; they are exported as modules, for reading. `measure`
measures each on a fresh local AWS: `running` plays the week, `tallies` counts and prices the
outbox, `code` counts the learner's lines.

>>> from simlab import compare
>>> results = compare.compare()
>>> print(compare.table(results))  # doctest: +SKIP
"""

from simlab.compare import common, diy, need, pinpoint, successors
from simlab.compare.code import lines_of_code, source
from simlab.compare.gaps import CheckedGap, Gap
from simlab.compare.measure import Measurement, compare, measure_run, table
from simlab.compare.need import Customer, audience_size, customers
from simlab.compare.running import APPROACHES, Run, run
from simlab.compare.tallies import ChannelTally

__all__ = [
    "APPROACHES",
    "ChannelTally",
    "CheckedGap",
    "Customer",
    "Gap",
    "Measurement",
    "Run",
    "audience_size",
    "common",
    "compare",
    "customers",
    "diy",
    "lines_of_code",
    "measure_run",
    "need",
    "pinpoint",
    "run",
    "source",
    "successors",
    "table",
]
