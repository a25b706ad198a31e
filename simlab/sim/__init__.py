"""SimPy models of message flows, from one message at a time to billions a day.

Three verbs: `simulate` a scenario, `compare` services on one workload, `sweep` a grid of
scenarios over seeds. `Scenario` describes the workload; `preset` builds a ready one.

>>> from simlab import sim
>>> result = sim.simulate("sms-toll-free", messages=1_000)
>>> result.channel("sms").sent + result.channel("sms").opted_out
1000
"""

from simlab.sim.presets import COMPARISONS, SMS_PARTS, SMS_TEXT, names, preset
from simlab.sim.results import ChannelResult, Result, duration
from simlab.sim.run import MODELS, compare, simulate, table
from simlab.sim.scenario import (
    CHANNELS,
    PATTERNS,
    SCALES,
    Arrival,
    Channel,
    Latency,
    Outcomes,
    Pipeline,
    RateChange,
    ScaleError,
    Scenario,
    ScenarioError,
    default_scale,
)
from simlab.sim.sweep import sweep

__all__ = [
    "CHANNELS",
    "COMPARISONS",
    "MODELS",
    "PATTERNS",
    "SCALES",
    "SMS_PARTS",
    "SMS_TEXT",
    "Arrival",
    "Channel",
    "ChannelResult",
    "Latency",
    "Outcomes",
    "Pipeline",
    "RateChange",
    "Result",
    "ScaleError",
    "Scenario",
    "ScenarioError",
    "compare",
    "default_scale",
    "duration",
    "names",
    "preset",
    "simulate",
    "sweep",
    "table",
]
