"""Spaced repetition for the quiz: a Leitner box per question, kept in a local JSON file.

A right answer moves a question up one box, a wrong one sends it back to box 1. Box ``n`` is
due again ``2 ** (n - 1)`` sessions later, so a question you keep missing comes back at once
and one you know well returns rarely. Sessions, not dates, measure the spacing: the schedule
depends only on what you answered, never on the clock.

The file lives at ``~/.simlab/quiz-progress.json`` unless ``SIMLAB_QUIZ_PROGRESS`` or an
explicit path says otherwise.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from simlab.exam.bank import Question

#: The highest Leitner box; a question there comes back every ``2 ** (TOP_BOX - 1)`` sessions.
TOP_BOX = 5

#: Environment variable naming the progress file.
ENV = "SIMLAB_QUIZ_PROGRESS"

_VERSION = 1


def default_path() -> Path:
    """Return the progress file: ``$SIMLAB_QUIZ_PROGRESS`` or ``~/.simlab/quiz-progress.json``."""
    configured = os.environ.get(ENV)
    return Path(configured) if configured else Path.home() / ".simlab" / "quiz-progress.json"


@dataclass
class Card:
    """What the learner has shown on one question: its box, when it is due, and the tallies."""

    box: int = 1
    due: int = 0
    seen: int = 0
    right: int = 0


@dataclass
class Progress:
    """The learner's cards and the number of the current session, read from and saved to `path`."""

    path: Path
    session: int = 0
    cards: dict[str, Card] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | str | None = None) -> Progress:
        """Return the progress stored at `path` (a fresh one if the file does not exist).

        Raises ValueError naming the file when it cannot be read or is not a progress file.
        """
        where = Path(path) if path is not None else default_path()
        if not where.exists():
            return cls(where)
        try:
            data = json.loads(where.read_text(encoding="utf-8"))
            cards = {
                qid: Card(int(c["box"]), int(c["due"]), int(c["seen"]), int(c["right"]))
                for qid, c in data["cards"].items()
            }
            return cls(where, int(data["session"]), cards)
        except OSError as error:
            raise ValueError(
                f"{where}: cannot read the quiz progress file ({error.strerror})"
            ) from None
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"{where}: not a quiz progress file ({error})") from None

    def start_session(self) -> int:
        """Begin a new session and return its number."""
        self.session += 1
        return self.session

    def record(self, qid: str, correct: bool) -> Card:
        """Record an answer in the current session and return the question's updated card."""
        card = self.cards.setdefault(qid, Card())
        card.seen += 1
        if correct:
            card.right += 1
            card.box = min(card.box + 1, TOP_BOX)
        else:
            card.box = 1
        card.due = self.session + 2 ** (card.box - 1)
        return card

    def is_due(self, qid: str) -> bool:
        """Return whether a question is due in the current session (unseen ones are not)."""
        card = self.cards.get(qid)
        return card is not None and card.due <= self.session

    def order(self, questions: Iterable[Question]) -> list[Question]:
        """Return the questions to ask first to last: due ones (lowest box first), then unseen
        ones in the order given, then the rest by when they fall due."""
        pool = list(questions)
        due = [q for q in pool if self.is_due(q.id)]
        due.sort(key=lambda q: (self.cards[q.id].box, self.cards[q.id].due))
        unseen = [q for q in pool if q.id not in self.cards]
        later = [q for q in pool if q.id in self.cards and not self.is_due(q.id)]
        later.sort(key=lambda q: (self.cards[q.id].due, self.cards[q.id].box))
        return due + unseen + later

    def due_count(self, questions: Sequence[Question]) -> int:
        """Return how many of the questions are due now."""
        return sum(self.is_due(q.id) for q in questions)

    def save(self) -> Path:
        """Write the progress file (creating its folder) and return its path."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "version": _VERSION,
            "session": self.session,
            "cards": {qid: vars(card) for qid, card in sorted(self.cards.items())},
        }
        partial = self.path.with_name(self.path.name + ".tmp")
        partial.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        partial.replace(self.path)
        return self.path
