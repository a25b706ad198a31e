"""Citations of facts for notes, quiz answers and notebooks, generated so they cannot drift.

`cite("ses.SANDBOX_MAX_24_HOUR_SEND")` returns the public URL and as-of date of a fact as
markdown; `python -m simlab.facts.cite KEY ...` prints the same for the keys given.
"""

from __future__ import annotations

import sys
from typing import Any

from . import lookup
from ._fact import Fact

_AS_OF = {"en": "as of", "vi": "tính đến"}


def fact_of(key_or_fact: str | Fact[Any]) -> Fact[Any]:
    """Return the fact a key names (a ``:entry`` suffix is ignored); raise KeyError if none."""
    if isinstance(key_or_fact, Fact):
        return key_or_fact
    return lookup(key_or_fact.partition(":")[0])


def url(key_or_fact: str | Fact[Any]) -> str:
    """Return the public URL of a fact; raise KeyError for an unknown key."""
    return fact_of(key_or_fact).url


def cite(key_or_fact: str | Fact[Any], lang: str = "en") -> str:
    """Return a markdown citation such as '<https://...> (as of 2023-06-15)'.

    Raises KeyError for an unknown key and ValueError for a language other than 'en' or 'vi'.
    """
    if lang not in _AS_OF:
        raise ValueError(f"lang must be one of {sorted(_AS_OF)}, got {lang!r}")
    fact = fact_of(key_or_fact)
    return f"<{fact.url}> ({_AS_OF[lang]} {fact.as_of})"


def main(argv: list[str] | None = None) -> int:
    """Print the citation of each fact key given; return 1 if a key is unknown."""
    status = 0
    for key in argv if argv is not None else sys.argv[1:]:
        try:
            print(f"{key}: {cite(key)}")
        except KeyError as error:
            print(f"{key}: {error.args[0]}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
