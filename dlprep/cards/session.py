"""A quiz session: which card comes next, and what a rating does to it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from fsrs import Card as FsrsCard
from fsrs import Rating

from dlprep import clock
from dlprep.cards import schedule
from dlprep.cards.model import Card


@dataclass(frozen=True)
class Summary:
    shown: int
    reviewed: int
    again: int
    due_now: int
    due_day: int  # due within the next 24 hours, those due now included
    next_due: datetime | None  # the first moment a card not due now becomes due
    new_left: int

    @property
    def again_rate(self) -> float | None:
        return self.again / self.reviewed if self.reviewed else None


class Session:
    """Due cards first (most overdue first), then up to `new` unseen ones, at most `limit` in all.

    Cards rated in this session come back once their learning step has passed, as long
    as the limit allows. `cram` goes through the selected cards in deck order and leaves
    their schedule alone.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        cards: list[Card],
        *,
        new: int = 10,
        limit: int | None = None,
        cram: bool = False,
    ) -> None:
        self.conn = conn
        self.cards = cards
        self.cram = cram
        self.limit = limit
        self.states = schedule.load_states(conn)
        self.shown = 0
        self.reviewed = 0
        self.again = 0
        self._rated: dict[str, Card] = {}
        now = clock.now()
        if cram:
            queue = list(cards)
        else:
            due = sorted(
                (card for card in cards if card.id in self.states and self.states[card.id].due <= now),
                key=lambda card: self.states[card.id].due,
            )
            queue = due + [card for card in cards if card.id not in self.states][:new]
        self.queue = queue[:limit] if limit is not None else queue

    @property
    def remaining(self) -> int:
        return len(self.queue)

    def next_card(self) -> Card | None:
        card = self._next()
        self.shown += card is not None
        return card

    def _next(self) -> Card | None:
        if self.limit is not None and self.reviewed >= self.limit:
            return None
        if self.queue:
            return self.queue.pop(0)
        if self.cram:
            return None
        now = clock.now()
        again = [card for card in self._rated.values() if self.states[card.id].due <= now]
        return min(again, key=lambda card: self.states[card.id].due, default=None)

    def rate(self, card: Card, rating: Rating, duration_ms: int | None = None) -> FsrsCard | None:
        """Save the rating at once; returns the card's new schedule (None when cramming)."""
        after = schedule.review(
            self.conn, card.id, rating, clock.now(), cram=self.cram, duration_ms=duration_ms
        )
        self.reviewed += 1
        self.again += rating == Rating.Again
        if after is not None:
            self.states[card.id] = after
            self._rated[card.id] = card
        return after

    def summary(self) -> Summary:
        now = clock.now()
        dues = [self.states[card.id].due for card in self.cards if card.id in self.states]
        later = [due for due in dues if due > now]
        return Summary(
            shown=self.shown,
            reviewed=self.reviewed,
            again=self.again,
            due_now=sum(due <= now for due in dues),
            due_day=sum(due <= now + timedelta(days=1) for due in dues),
            next_due=min(later, default=None),
            new_left=sum(card.id not in self.states for card in self.cards),
        )
