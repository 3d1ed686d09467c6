"""Failing pulls concepts forward: a diagnosed mistake brings the cards behind it to today's review.

The cards linked to a failing grade are those of the guide's deck that name the kata (`kata:
lstm`), and, for each mistake the diagnosis names, those tagged with its topic (`topics.toml`:
`gate-order` takes the cards tagged both `lstm` and `gates`). Each becomes due now: a card
already scheduled keeps its memory state and only its due date moves; a card never studied
joins today's review in learning, as a card just seen.
"""

from __future__ import annotations

import sqlite3
import sys
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Iterable

from fsrs import State

from dlprep.cards import schedule
from dlprep.cards.model import Card, Deck
from dlprep.cards.session import KIND as CARD

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

TOPICS = Path(__file__).with_name("topics.toml")


@dataclass(frozen=True)
class Pulled:
    kata: str
    mistakes: tuple[str, ...]
    moved: tuple[str, ...]  # card keys now due, which were not
    already: tuple[str, ...]  # card keys linked and due already


@cache
def topics() -> dict[str, dict[str, tuple[str, ...]]]:
    """kata -> mistake id -> the tags a card must all carry."""
    data = tomllib.loads(TOPICS.read_text(encoding="utf-8"))
    return {kata: {mistake: tuple(tags) for mistake, tags in table.items()} for kata, table in data.items()}


def linked(deck: Deck, kata: str, mistakes: Iterable[str]) -> list[Card]:
    known = topics().get(kata, {})
    wanted = [known[mistake] for mistake in mistakes if mistake in known]
    return [
        card
        for card in deck.cards
        if card.kata == kata or any(all(card.has_tag(tag) for tag in topic) for topic in wanted)
    ]


def pull_forward(conn: sqlite3.Connection, deck: Deck, kata: str, mistakes: Iterable[str], now: datetime) -> Pulled:
    """Make every card linked to these mistakes due now, in one transaction."""
    mistakes = tuple(mistakes)
    moved, already = [], []
    due = schedule.stamp(now)
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        for card in linked(deck, kata, mistakes):
            row = conn.execute("SELECT due FROM schedule WHERE kind = ? AND item = ?", (CARD, card.key)).fetchone()
            if row is not None and datetime.fromisoformat(row["due"]) <= now:
                already.append(card.key)
                continue
            if row is None:
                conn.execute(
                    "INSERT INTO schedule (kind, item, state, step, due) VALUES (?, ?, ?, 0, ?)",
                    (CARD, card.key, int(State.Learning), due),
                )
            else:
                conn.execute("UPDATE schedule SET due = ? WHERE kind = ? AND item = ?", (due, CARD, card.key))
            moved.append(card.key)
    return Pulled(kata, mistakes, tuple(moved), tuple(already))
