"""Every AWS number simlab uses, as typed `Fact` records with source, date and confidence.

Each submodule covers one area and exposes UPPER_CASE `Fact` constants; read the figure from
`.value`, e.g. ``facts.ses.SANDBOX_MAX_SEND_RATE.value``. `all_facts()` lists them all under
keys like ``"ses.SANDBOX_MAX_24_HOUR_SEND"`` and `lookup()` fetches one by that key.
"""

import difflib
from types import ModuleType
from typing import Any

from . import api, events, exams, lifecycle, pinpoint, prices, ses, sms, sns, streams
from ._fact import SOURCE_TAGS, Fact

MODULES: tuple[ModuleType, ...] = (
    ses,
    sns,
    pinpoint,
    sms,
    streams,
    events,
    prices,
    lifecycle,
    exams,
    api,
)

__all__ = [
    "MODULES",
    "SOURCE_TAGS",
    "Fact",
    "all_facts",
    "api",
    "events",
    "exams",
    "lifecycle",
    "lookup",
    "pinpoint",
    "prices",
    "ses",
    "sms",
    "sns",
    "streams",
]


def all_facts() -> dict[str, Fact[Any]]:
    """Return every fact keyed "module.NAME", in module order then definition order."""
    found: dict[str, Fact[Any]] = {}
    for module in MODULES:
        short = module.__name__.rpartition(".")[2]
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, Fact):
                found[f"{short}.{name}"] = value
    return found


def lookup(key: str) -> Fact[Any]:
    """Return the fact stored under "module.NAME", or raise KeyError naming close matches."""
    facts = all_facts()
    try:
        return facts[key]
    except KeyError:
        close = difflib.get_close_matches(key, facts, n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise KeyError(
            f"no fact named {key!r}; keys look like 'ses.SANDBOX_MAX_24_HOUR_SEND'.{hint}"
        ) from None
