"""The three verbs: `simulate` one scenario, `compare` services on one workload, `sweep` a grid."""

from __future__ import annotations

from collections.abc import Callable

from simlab.sim.aggregate import run_aggregate
from simlab.sim.exact import run_exact
from simlab.sim.presets import COMPARISONS, preset
from simlab.sim.results import Result, build
from simlab.sim.scenario import Scenario, ScenarioError

MODELS: tuple[str, ...] = ("aggregate", "exact")


def simulate(
    scenario: Scenario | str,
    *,
    model: str = "aggregate",
    seed: int = 0,
    messages: int | None = None,
    scale: str | None = None,
    progress: Callable[[float], None] | None = None,
) -> Result:
    """Runs a scenario (or a ready one by name) through a model; returns its `Result`."""
    if isinstance(scenario, str):
        scenario = preset(scenario, scale, messages)
    elif messages is not None:
        scenario = scenario.with_messages(messages)
    if model not in MODELS:
        raise ScenarioError(f"model must be one of {', '.join(MODELS)}; got {model!r}")
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ScenarioError(f"seed must be an integer >= 0; got {seed!r}")
    runner = run_aggregate if model == "aggregate" else run_exact
    return build(runner(scenario, seed, progress=progress))


def compare(
    workload: str, messages: int | None = None, *, model: str = "aggregate", seed: int = 0
) -> list[Result]:
    """Runs one workload (``email``, ``sms`` or ``push``) through every service that carries it."""
    if workload not in COMPARISONS:
        raise ScenarioError(f"workload must be one of {', '.join(COMPARISONS)}; got {workload!r}")
    return [
        simulate(name, model=model, seed=seed, messages=messages) for name in COMPARISONS[workload]
    ]


def table(results: list[Result]) -> str:
    """Results side by side: time to complete, backlog, events, objects and cost."""
    from simlab.sim.results import duration

    head = (
        f"{'scenario':<26}{'services':<16}{'messages':>14}{'done after':>15}"
        f"{'backlog peak':>14}{'events':>15}{'objects':>10}{'cost USD':>14}"
    )
    rows = [head]
    for r in results:
        services = "+".join(sorted({c.service for c in r.channels}))
        events = sum(n for _, n in r.events)
        rows.append(
            f"{r.scenario:<26}{services:<16}{r.messages:>14,}{duration(r.completion_s):>15}"
            f"{r.backlog_peak:>14,}{events:>15,}{r.firehose_objects:>10,}{r.cost_usd:>14,.2f}"
        )
    return "\n".join(rows)
