"""Fidelity and speed against the reference handlebars.js, run in an embedded V8 (mini-racer).

Used by ``benchmarks/templates.py --handlebars-js PATH`` where PATH is ``handlebars.min.js``
from the ``handlebars`` npm package (4.7.8 was measured). Neither mini-racer nor the script is
a simlab dependency: without them this part is skipped.

Fidelity: seeded random templates (variables, raw values, paths, ``if``/``unless``/``each``/
``with`` with ``else`` and ``else if``, inline partials, comments, whitespace control,
standalone lines) over seeded random data, rendered by the engine, handlebars.js and pybars3;
the counts of exact agreements are printed.
"""

from __future__ import annotations

import json
import random
import warnings
from typing import Any

from simlab.engage import handlebars

KEYS = ("a", "b", "c")


def _path(rng: random.Random) -> str:
    return ".".join(rng.choice(KEYS) for _ in range(rng.randint(1, 2)))


def _text(rng: random.Random) -> str:
    return "".join(rng.choice("xy <&\n  ") for _ in range(rng.randint(1, 6)))


def template(rng: random.Random, depth: int = 3) -> str:
    """A random template of the shapes the module docstring lists."""
    pieces = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(["text", "var", "raw", "block", "note"] if depth else ["text", "var"])
        if kind == "text":
            pieces.append(_text(rng))
        elif kind == "var":
            pieces.append(rng.choice(["{{%s}}", "{{~%s}}", "{{%s~}}", "{{this.%s}}"]) % _path(rng))
        elif kind == "raw":
            pieces.append("{{{" + _path(rng) + "}}}")
        elif kind == "note":
            pieces.append(rng.choice(["{{! note }}", "\n{{!-- a {{b}} --}}\n"]))
        else:
            helper = rng.choice(["if", "unless", "each", "with"])
            target = "l" if helper == "each" else _path(rng)
            body = template(rng, depth - 1)
            tail = rng.choice(["", "{{else}}" + template(rng, depth - 1)])
            if helper == "if" and rng.random() < 0.3:
                tail = "{{else if " + _path(rng) + "}}" + template(rng, depth - 1) + tail
            newline = rng.choice(["", "\n"])
            pieces.append(
                f"{newline}{{{{#{helper} {target}}}}}{newline}{body}{tail}{{{{/{helper}}}}}"
            )
    return "".join(pieces)


def data(rng: random.Random, depth: int = 2) -> dict[str, Any]:
    """A random object: keys a, b, c with scalars, objects or lists; l a list of objects."""

    def value(level: int) -> Any:
        choice = rng.random()
        if level == 0 or choice < 0.5:
            return rng.choice([None, True, False, 0, 7, -3, "", "p", "q&<", "z z"])
        if choice < 0.8:
            return data(rng, level - 1)
        return [data(rng, level - 1) for _ in range(rng.randint(0, 2))]

    found = {key: value(depth) for key in KEYS if rng.random() < 0.8}
    found["l"] = [data(rng, depth - 1) for _ in range(rng.randint(0, 3))] if depth else []
    return found


class Reference:
    """handlebars.js in one V8 context."""

    def __init__(self, script: str) -> None:
        from py_mini_racer import MiniRacer

        self.context = MiniRacer()
        self.context.eval(script)

    def close(self) -> None:
        """Stops V8 (its thread would otherwise keep the process alive)."""
        self.context.close()

    def render(self, source: str, values: Any) -> str:
        call = f"Handlebars.compile({json.dumps(source)})({json.dumps(values)})"
        return str(self.context.eval(call))

    def timed_loop(self, source: str, values: Any, repeats: int) -> float:
        """Seconds V8 takes to render ``source`` ``repeats`` times (compiled once, lazily)."""
        script = (
            f"(function(){{var t=Handlebars.compile({json.dumps(source)}),d={json.dumps(values)};"
            f"var s=Date.now();for(var i=0;i<{repeats};i++){{t(d)}};return Date.now()-s}})()"
        )
        return float(self.context.eval(script)) / 1000

    def compile_seconds(self, source: str) -> float:
        """Seconds V8 takes to compile ``source`` and render it once (compiling is lazy)."""
        script = (
            f"(function(){{var s=Date.now();Handlebars.compile({json.dumps(source)})({{}});"
            "return Date.now()-s})()"
        )
        return float(self.context.eval(script)) / 1000


def _outcome(render: Any) -> str:
    try:
        return render()
    except Exception as error:  # each engine's own failure, compared as "error"
        return f"error: {type(error).__name__}"


def fidelity(reference: Reference, samples: int, seed: int) -> None:
    """Prints how often the engine and pybars3 agree with handlebars.js exactly."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            from pybars import Compiler
    except ImportError:
        Compiler = None  # noqa: N806
    rng = random.Random(seed)
    engine_same = pybars_same = 0
    first_difference = ""
    for _ in range(samples):
        source, values = template(rng), data(rng)
        expected = _outcome(lambda: reference.render(source, values))  # noqa: B023
        mine = _outcome(lambda: handlebars.render(source, values))  # noqa: B023
        engine_same += mine == expected
        if mine != expected and not first_difference:
            first_difference = f"{source!r} {values!r}: js {expected!r}, engine {mine!r}"
        if Compiler is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                theirs = _outcome(lambda: str(Compiler().compile(source)(values)))  # noqa: B023
            pybars_same += theirs == expected
    print(f"fidelity to handlebars.js over {samples} random templates (seed {seed}):")
    print(f"  engine  {engine_same}/{samples} identical")
    if Compiler is not None:
        print(f"  pybars3 {pybars_same}/{samples} identical")
    if first_difference:
        print(f"  first engine difference: {first_difference[:300]}")
