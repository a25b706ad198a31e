"""Column storage of endpoint fields, and the date form Pinpoint writes them in."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from simlab.engage.faults import BadRequest
from simlab.primitives import times

#: Rows a new column holds before it first grows.
GROWTH = 1024

#: Unix seconds as Pinpoint writes dates: ``2026-01-05T09:00:00.000Z``.
iso = times.iso_seconds


def parse_instant(value: str, field: str) -> float:
    """Returns Unix seconds of an ISO 8601 time; BadRequest naming ``field`` if it is not one."""
    try:
        return times.parse_instant(str(value)).timestamp()
    except ValueError:
        raise BadRequest(f"{field} must be an ISO 8601 date and time, got {value!r}") from None


class TextColumn:
    """A string column stored as integer codes into a vocabulary; -1 means absent.

    A column no row has a value in (most of an app's Demographic and Location fields) holds
    no codes at all: its array is made when the first value is set.
    """

    def __init__(self) -> None:
        self.codes = _EMPTY_CODES
        self.capacity = GROWTH
        self.vocab: dict[str, int] = {}
        self.labels: list[str] = []

    def code(self, value: str) -> int:
        found = self.vocab.get(value)
        if found is None:
            found = self.vocab[value] = len(self.labels)
            self.labels.append(value)
        return found

    def grow(self, size: int) -> None:
        if size > self.capacity:
            self.capacity = max(size, 2 * self.capacity)
            if len(self.codes):
                bigger = np.full(self.capacity, -1, dtype=np.int32)
                bigger[: len(self.codes)] = self.codes
                self.codes = bigger

    def _allocate(self) -> None:
        if not len(self.codes):
            self.codes = np.full(self.capacity, -1, dtype=np.int32)

    def set(self, row: int, value: str | None) -> None:
        codes = self.codes
        if value is None:
            if len(codes):
                codes[row] = -1
            return
        if not len(codes):
            codes = self.codes = np.full(self.capacity, -1, dtype=np.int32)
        found = self.vocab.get(value)
        if found is None:  # ``code``
            found = self.vocab[value] = len(self.labels)
            self.labels.append(value)
        codes[row] = found

    def get(self, row: int) -> str | None:
        if not len(self.codes):
            return None
        code = int(self.codes[row])
        return None if code < 0 else self.labels[code]

    def upto(self, size: int) -> np.ndarray:
        """The codes of rows ``0..size`` (all -1 in a column nothing was set in)."""
        if not len(self.codes):
            return np.full(size, -1, dtype=np.int32)
        return self.codes[:size]

    def extend(self, start: int, values: Sequence[str | None]) -> None:
        """Sets rows ``start..start+len(values)`` at once."""
        array = np.asarray(values, dtype=object)
        present = np.array([v is not None for v in array], dtype=bool)
        if not present.any() and not len(self.codes):
            return
        self._allocate()
        codes = np.full(len(array), -1, dtype=np.int32)
        if present.any():
            uniques, inverse = np.unique(array[present].astype(str), return_inverse=True)
            mapping = np.array([self.code(str(u)) for u in uniques], dtype=np.int32)
            codes[present] = mapping[inverse]
        self.codes[start : start + len(array)] = codes

    def matches(self, size: int, values: Iterable[str]) -> np.ndarray:
        """True where the row's value is one of ``values``."""
        wanted = [self.vocab[v] for v in values if v in self.vocab]
        if not wanted:
            return np.zeros(size, dtype=bool)
        return np.isin(self.codes[:size], np.array(wanted, dtype=np.int32))


#: The codes of a column nothing was set in yet.
_EMPTY_CODES = np.full(0, -1, dtype=np.int32)


class ListColumn:
    """A multi-valued string attribute: row -> tuple of values, with a vectorised view."""

    def __init__(self) -> None:
        self.values: dict[int, tuple[str, ...]] = {}
        self._view: tuple[np.ndarray, np.ndarray, list[str]] | None = None

    def set(self, row: int, values: Sequence[str] | None) -> None:
        if values:
            self.values[row] = tuple(values)
        else:
            self.values.pop(row, None)
        self._view = None

    def view(self) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Returns (rows, codes, labels): one (row, value) pair per stored value."""
        if self._view is None:
            vocab: dict[str, int] = {}
            rows: list[int] = []
            codes: list[int] = []
            for row, values in self.values.items():
                for value in values:
                    rows.append(row)
                    codes.append(vocab.setdefault(value, len(vocab)))
            self._view = (
                np.array(rows, dtype=np.int64),
                np.array(codes, dtype=np.int64),
                list(vocab),
            )
        return self._view

    def rows_where(self, size: int, label_test: np.ndarray | None = None) -> np.ndarray:
        """True for rows with at least one value whose label passes ``label_test``."""
        rows, codes, labels = self.view()
        out = np.zeros(size, dtype=bool)
        if label_test is None:
            out[rows] = True
        elif len(labels):
            out[rows[label_test[codes]]] = True
        return out


def pad(column: np.ndarray, capacity: int) -> np.ndarray:
    """The number column extended with NaN to ``capacity`` rows."""
    return np.concatenate([column, np.full(capacity - len(column), np.nan)])
