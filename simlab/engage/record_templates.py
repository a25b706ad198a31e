"""Record templates: a record's compact JSON text with holes, filled per message.

A template gives the same text ``compact_json`` writes for the record its builder returns,
without building or encoding a dict for each message.
"""

from __future__ import annotations

import functools
import json
import math
import types
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from simlab.engage.event_records import campaign_send_record, compact_json

try:
    import orjson
except ImportError:  # pragma: no cover - installed with simlab; ``json`` writes every text
    orjson = None  # type: ignore[assignment]

#: How ``compact_json`` writes a string (ASCII, escaped).
_string_json = json.encoder.encode_basestring_ascii
#: What a ``repeated`` hole's kept text stands for before the first fill: no hole's value.
_NOTHING = object()


class RecordTemplate:
    """A record's compact JSON text with holes for the values that change from message to message.

    ``build(**fixed, **holes)`` is a record builder; the template is its text with each hole's
    value cut out, so ``fill`` writes a record for new hole values without building or encoding
    a dict, and gives the same text ``compact_json(build(**fixed, **values))`` would. A hole is a
    string unless named in ``numbers`` (an int) or ``floats`` (written as a float); a hole
    named in ``repeated`` mostly holds the very value of the record before (a run's sender,
    subject, country, instant, price), whose text a fill keeps and writes again; one named in
    ``long`` holds a long string (a JSON text), written through orjson where it writes what
    ``json`` writes (an ASCII string without DEL: ``json`` escapes DEL, orjson keeps it); one
    named in ``written`` takes its string already written as JSON (quotes included: say, a
    run's texts escaped in one step) and writes it as it is, and a value of another kind than
    a str is a TypeError. A value of another kind than its hole's is written as the record
    would write it. Raises ValueError (the builder's) if the fixed values are not valid, or if
    a hole cannot be told apart from the text around it.
    """

    def __init__(
        self,
        build: Callable[..., dict[str, Any]],
        fixed: Mapping[str, Any],
        holes: Sequence[str],
        numbers: Iterable[str] = (),
        floats: Iterable[str] = (),
        repeated: Iterable[str] = (),
        long: Iterable[str] = (),
        written: Iterable[str] = (),
    ) -> None:
        self._floats = frozenset(floats)
        self._repeated = frozenset(repeated)
        self._long = frozenset(long) if orjson is not None else frozenset()
        self._written = frozenset(written)
        self._numeric = numeric = frozenset(numbers) | self._floats
        first = self._cut(build, fixed, holes, numeric, self._floats, 0)
        # markers of another length must cut the text the same way, and every hole must show
        second = self._cut(build, fixed, holes, numeric, self._floats, 1)
        if first != second or set(first[1]) != set(holes):
            raise ValueError("the record's holes cannot be told apart from its fixed text")
        self.pieces, self.order = first
        self.holes = tuple(holes)

    # Each form is made when first asked for: a template is mostly filled one way.

    @functools.cached_property
    def fill(self) -> Callable[[Mapping[str, Any]], str]:
        """``fill(values)``: the record's text with ``values`` (one per hole, by name) in its
        holes."""
        return self._filler("fill")

    @functools.cached_property
    def fill_row(self) -> Callable[[Sequence[Any]], str]:
        """``fill_row(row)``: ``fill`` with the values given in the order of ``holes``."""
        return self._filler("fill_row")

    @functools.cached_property
    def fill_args(self) -> Callable[..., str]:
        """``fill_args(*row)``: ``fill_row`` with the values given as arguments (no row made)."""
        return self._filler("fill_args")

    def _filler(self, form: str) -> Callable[..., str]:
        kinds = (self._numeric, self._floats, self._repeated, self._long, self._written)
        return _filler(self.pieces, self.order, self.holes, *kinds, form)

    @staticmethod
    def _cut(
        build: Callable[..., dict[str, Any]],
        fixed: Mapping[str, Any],
        holes: Sequence[str],
        numeric: frozenset[str],
        floats: frozenset[str],
        variant: int,
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        values: dict[str, Any] = {}
        markers: dict[str, str] = {}
        for index, name in enumerate(holes):
            if name in numeric:
                value: Any = (7_919_000_000_000_000 + index * 7 + 3) * 1000**variant
                if name in floats:
                    value = float(value)
            else:
                value = f"\x00{variant}~{index}{'~' * variant * 9}\x00"
            values[name] = value
            markers[compact_json(value)] = name
        text = compact_json(build(**fixed, **values))
        # where each marker shows, leftmost first; a number's marker stands alone: not a part
        # of a longer number (say, as a float), as ``(?<![\w.])marker(?![\w.])`` would read
        found: list[tuple[int, int, str]] = []
        for marker, name in markers.items():
            alone = marker[0].isdigit()
            start = text.find(marker)
            while start >= 0:
                end = start + len(marker)
                if not alone or (_apart(text, start - 1) and _apart(text, end)):
                    found.append((start, end, name))
                start = text.find(marker, start + 1)
        found.sort()
        pieces: list[str] = []
        order: list[str] = []
        at = 0
        for start, end, name in found:
            if start >= at:  # not inside the marker before it
                pieces.append(text[at:start])
                order.append(name)
                at = end
        pieces.append(text[at:])
        return tuple(pieces), tuple(order)


def _apart(text: str, index: int) -> bool:
    """Whether ``text[index]`` (none, outside the text) cannot continue a number: no word
    character (a regular expression's ``\\w``) and no point."""
    if index < 0 or index >= len(text):
        return True
    char = text[index]
    return not (char.isalnum() or char == "_" or char == ".")


def _filler(
    pieces: Sequence[str],
    order: Sequence[str],
    holes: Sequence[str],
    numeric: frozenset[str],
    floats: frozenset[str],
    repeated: frozenset[str],
    long: frozenset[str],
    written: frozenset[str],
    form: str,
) -> Callable[..., str]:
    """A template's ``fill`` (values by hole name), ``fill_row`` (a row of values in the order
    of ``holes``) or ``fill_args`` (those values as arguments), compiled for its text.

    The function encodes each hole once (a float hole with ``compact_json(float(v))``, which
    is its repr when finite, a str as JSON writes it, an int with its repr, anything else with
    ``compact_json``; a ``repeated`` hole's str, int or float that is the very one before is
    written as its kept text; a ``long`` hole's ASCII str without DEL through orjson; a
    ``written`` hole's str as it is) and
    writes the pieces and encoded values as one string. It takes each value to be of its
    hole's kind (a string hole's a str, a number hole's an int), asking no more than that of
    it (``fill_row`` unpacks its row), and hands values of any other kind (or a row of another
    length) to a second function that asks each value what it is (``_any``). Its source
    holds only local names and indexes: the pieces and hole names are constants of its
    namespace, so no text of a record is ever compiled.
    """
    namespace: dict[str, Any] = {
        "_string": _string_json,
        "_json": compact_json,
        "_inf": math.inf,
        "str": str,
        "int": int,
        "float": float,
        "type": type,
        "repr": repr,  # an int's or a float's text: the repr the encoder writes
        "TypeError": TypeError,
        "ValueError": ValueError,
        "_ascii": str.isascii,  # raises TypeError for anything but a str
        "_dumps": None if orjson is None else orjson.dumps,
    }
    parameters = ", ".join(f"a{index}" for index in range(len(holes)))
    signature = parameters if form == "fill_args" else "values"
    kept = [f"K{index}" for index, name in enumerate(holes) if name in repeated]
    if kept:  # (the last value, its text): one pair, read and written whole
        namespace.update(dict.fromkeys(kept, (_NOTHING, "")))
    position = {name: index for index, name in enumerate(holes)}
    gaps = [position[name] for name in order]  # the hole written at each gap of the pieces
    for index, piece in enumerate(pieces):
        namespace[f"P{index}"] = piece
    whole = _joined(gaps)  # every part a str: joined as it is
    for index, name in enumerate(holes):
        namespace[f"N{index}"] = name
    reads = []
    if form != "fill_args":  # the values, read once (by name, or by place in the row)
        for index in range(len(holes)):
            read = f"values[N{index}]" if form == "fill" else f"values[{index}]"
            reads.append(f"a{index} = {read}")
    kinds = (holes, numeric, floats, repeated)
    typed, spans = _typed_body(*kinds, long, written, gaps)
    for name, kept_span in spans.items():  # (each hole's last value, ..., the span's text)
        namespace[name] = (_NOTHING,) * kept_span + ("",)
    kept += list(spans)
    globals_line = [f"    global {', '.join(kept)}"] if kept else []
    fallback = [f"def _any({signature}):", *globals_line]
    fallback += [f"    {line}" for line in reads + _any_body(*kinds, written)]
    fallback.append(f"    return {whole}")
    lines = [f"def {form}({signature}):", *globals_line, "    try:"]
    if form == "fill_row" and holes:  # a row of the holes' values: unpacked in one step
        reads = [f"{parameters}, = values"]
    lines += [f"        {line}" for line in reads + typed]
    # a value of another kind, or a row of another length: asked what it is, or read by place
    lines.append("    except (TypeError, ValueError):")
    lines.append("        pass")
    lines.append(f"    return _any({signature})")
    namespace["_any"] = _later(namespace, "\n".join(fallback), "_any")
    return _function(namespace, "\n".join(lines), form)


def _function(namespace: dict[str, Any], source: str, name: str) -> Callable[..., str]:
    """The function ``name`` that ``source`` defines, with ``namespace`` as its globals (its
    code compiled once for every template whose source it is)."""
    code = _CODE.get(source)
    if code is None:  # its source holds names and indexes only
        if len(_CODE) >= _CODE_KEPT:
            _CODE.clear()
        compiled: dict[str, Any] = {}
        exec(source, compiled)
        code = _CODE[source] = compiled[name].__code__
    function: Callable[..., str] = types.FunctionType(code, namespace, name)
    return function


def _later(namespace: dict[str, Any], source: str, name: str) -> Callable[..., str]:
    """``_function``, compiled when first called (most templates never need their
    ``_any``): it then stands in ``namespace`` in place of this stand-in."""

    def first(*values: Any) -> str:
        function = namespace[name] = _function(namespace, source, name)
        return function(*values)

    return first


def _any_body(
    holes: Sequence[str],
    numeric: frozenset[str],
    floats: frozenset[str],
    repeated: frozenset[str],
    written: frozenset[str],
) -> list[str]:
    """Lines that encode each hole's value ``a<i>`` as ``h<i>``, whatever it is: a number
    hole's value is asked first whether it is an int, another's whether it is a str; a
    ``repeated`` string hole keeps its last str and text; a ``written`` hole's value must be
    a str (TypeError)."""
    lines = []
    for index, name in enumerate(holes):
        value = f"a{index}"
        if name in written:  # JSON text already: nothing else can stand for it
            lines.append(f"if type({value}) is not str:")
            lines.append(f"    raise TypeError('the hole {index} takes JSON text, a str')")
            lines.append(f"h{index} = {value}")
            continue
        if name in floats:  # a finite float is its repr (as the encoder writes it)
            lines.append(f"f = float({value})")
            lines.append(f"h{index} = repr(f) if -_inf < f < _inf else _json(f)")
            continue
        if name in repeated and name not in numeric:  # a string's kept text, or kept now
            lines.append(f"k = K{index}")
            lines.append(f"if {value} is k[0]:")
            lines.append(f"    h{index} = k[1]")
            lines.append(f"elif type({value}) is str:")
            lines.append(f"    h{index} = _string({value})")
            lines.append(f"    K{index} = ({value}, h{index})")
            lines.append("else:")
            lines.append(
                f"    h{index} = repr({value}) if type({value}) is int else _json({value})"
            )
            continue
        first, then = ("int", "str") if name in numeric else ("str", "int")
        encode = {"str": "_string", "int": "repr"}
        lines.append(
            f"h{index} = {encode[first]}({value}) if type({value}) is {first} else "
            f"{encode[then]}({value}) if type({value}) is {then} else _json({value})"
        )
    return lines


def _typed_body(
    holes: Sequence[str],
    numeric: frozenset[str],
    floats: frozenset[str],
    repeated: frozenset[str],
    long: frozenset[str],
    written: frozenset[str],
    gaps: Sequence[int],
) -> tuple[list[str], dict[str, int]]:
    """``_any_body`` for values of their holes' kinds, raising TypeError at any other, and the
    line that returns the text: a string hole's value goes straight to the string encoder
    (which takes a str alone), a number hole's is asked whether it is an int; a ``repeated``
    hole's str, int or float that is the very one before is written as its kept text (a
    float is kept only as itself); a ``long`` hole's ASCII str without DEL goes to orjson,
    which writes it as ``json`` does, in a fraction of the steps; a ``written`` hole's str is
    written as it is.

    The text between two holes that are not ``repeated`` (a span: ``repeated`` holes and the
    fixed text around them) is kept whole, with the values it was written from, and written
    again as one part while each of those values is the very one before. Returns the lines
    and the names of the kept spans (each with the number of values it is kept with)."""
    encodes: dict[int, list[str]] = {}
    keeps: dict[int, tuple[str, ...]] = {}
    lines = []
    for index, name in enumerate(holes):
        value, out = f"a{index}", f"h{index}"
        if name in floats:
            encode = [
                f"f = float({value})",
                f"{out} = repr(f) if -_inf < f < _inf else _json(f)",
            ]
            keeps[index] = f"if type({value}) is float:", f"    K{index} = ({value}, {out})"
        elif name in numeric:
            encode = [f"if type({value}) is not int:", "    raise TypeError"]
            encode.append(f"{out} = repr({value})")
            keeps[index] = (f"K{index} = ({value}, {out})",)
        elif name in written:  # JSON text already, written as it is
            encode = [f"if type({value}) is not str:", "    raise TypeError"]
            encode.append(f"{out} = {value}")
            keeps[index] = (f"K{index} = ({value}, {out})",)
        elif name in long:  # orjson writes an ASCII string as ``json`` does, but for DEL
            encode = [f"if _ascii({value}) and '\\x7f' not in {value}:"]
            encode.append(f"    {out} = _dumps({value}).decode()")
            encode += ["else:", f"    {out} = _string({value})"]
            keeps[index] = (f"K{index} = ({value}, {out})",)
        else:
            encode = [f"{out} = _string({value})"]
            keeps[index] = (f"K{index} = ({value}, {out})",)
        encodes[index] = encode
        if name not in repeated:
            lines += encode
    runs = _runs([holes[hole] in repeated for hole in gaps])
    memberships = [sorted(set(gaps[first : last + 1])) for first, last in runs]
    spans_of = Counter(hole for members in memberships for hole in members)
    spans: dict[str, int] = {}
    for number, ((first, last), members) in enumerate(zip(runs, memberships, strict=True)):
        span = f"G{number}"
        spans[span] = len(members)
        same = " and ".join(f"a{hole} is g[{at}]" for at, hole in enumerate(members))
        lines += ["g = " + span, f"if {same}:", f"    s{number} = g[{len(members)}]", "else:"]
        if len(members) == 1 and spans_of[members[0]] == 1:  # the span keeps what K would
            lines += [f"    {line}" for line in encodes[members[0]]]
        for hole in members if len(members) > 1 or spans_of[members[0]] > 1 else ():
            # the hole's kept text, or encoded (and kept) now
            slow = [f"k = K{hole}", f"if a{hole} is k[0]:", f"    h{hole} = k[1]", "else:"]
            slow += [f"    {line}" for line in (*encodes[hole], *keeps[hole])]
            lines += [f"    {line}" for line in slow]
        text = _joined(gaps[first : last + 1], first=first)
        lines.append(f"    s{number} = {text}")
        kept = f"{span} = ({''.join(f'a{hole}, ' for hole in members)}s{number})"
        floating = [f"type(a{hole}) is float" for hole in members if holes[hole] in floats]
        if floating:  # a float is kept only as itself
            lines += [f"    if {' and '.join(floating)}:", f"        {kept}"]
        else:
            lines.append(f"    {kept}")
    lines.append(f"return {_joined(gaps, runs)}")
    return lines, spans


def _runs(kept: Sequence[bool]) -> list[tuple[int, int]]:
    """The (first, last) gap of each run of gaps whose holes are kept (``kept[gap]``)."""
    runs: list[tuple[int, int]] = []
    for gap, keep in enumerate(kept):
        if not keep:
            continue
        if runs and runs[-1][1] == gap - 1:
            runs[-1] = (runs[-1][0], gap)
        else:
            runs.append((gap, gap))
    return runs


def _joined(gaps: Sequence[int], runs: Sequence[tuple[int, int]] = (), first: int = 0) -> str:
    """The f-string that writes the pieces ``P<first>`` to ``P<first + len(gaps)>`` with the
    hole ``h<gaps[i]>`` after the i-th of them, but for each run of ``runs``: from its first
    gap's piece to the piece after its last gap, the kept span ``s<run>``."""
    starts = {start: (number, last) for number, (start, last) in enumerate(runs)}
    parts = []
    at = 0
    while True:
        run = starts.get(at)
        if run is None:
            parts.append(f"{{P{first + at}}}")
        else:
            parts.append(f"{{s{run[0]}}}")
            at = run[1] + 1
        if at >= len(gaps):
            break
        parts.append(f"{{h{gaps[at]}}}")
        at += 1
    return f'f"{"".join(parts)}"'


#: The code of each fill function's source (and of its ``_any``'s), compiled once: templates
#: of one shape (holes of the same kinds in the same order) differ only in the pieces their
#: namespaces hold.
_CODE: dict[str, types.CodeType] = {}
_CODE_KEPT = 256


def _campaign_send_shape(*, endpoint_text: str, **fields: Any) -> dict[str, Any]:
    record = campaign_send_record(**fields, endpoint={})
    record["client_context"]["custom"]["endpoint"] = endpoint_text
    return record


def campaign_send_template(
    *,
    app_id: str,
    account_id: str,
    campaign_id: str,
    campaign_activity_id: str,
    delivery_type: str,
    treatment_id: str = "0",
    endpoint_written: bool = False,
) -> RecordTemplate:
    """``campaign_send_record`` of one campaign run's channel as a template.

    Its holes are ``endpoint_id``, ``campaign_send_status``, ``endpoint_text`` (the
    endpoint's ``endpoint_json``; with ``endpoint_written``, that text written as a JSON
    string, as ``endpoint_strings_many`` gives it) and the ints ``event_timestamp`` and
    ``arrival_timestamp``. Raises ValueError as ``campaign_send_record`` does.
    """
    endpoint = ("endpoint_text",)
    return RecordTemplate(
        _campaign_send_shape,
        {
            "app_id": app_id,
            "account_id": account_id,
            "campaign_id": campaign_id,
            "campaign_activity_id": campaign_activity_id,
            "delivery_type": delivery_type,
            "treatment_id": treatment_id,
        },
        _CAMPAIGN_HOLES,
        _STAMPS,
        repeated=_REPEATED,
        long=() if endpoint_written else endpoint,
        written=endpoint if endpoint_written else (),
    )


_STAMPS = ("event_timestamp", "arrival_timestamp")
_CAMPAIGN_HOLES = ("endpoint_id", "campaign_send_status", "endpoint_text", *_STAMPS)
#: A channel group's records share their status (mostly) and their instant.
_REPEATED = ("campaign_send_status", *_STAMPS)


__all__ = ["RecordTemplate", "campaign_send_template"]
