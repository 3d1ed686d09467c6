"""A quiz session, as Anki runs one: which card comes next, and what a rating does to it.

- Due means due before the end of the study day (`days`), overdue cards first.
- New cards are limited per study day across sessions (`new_per_day`, counted per deck).
- A card rated into learning (Again, or a learning step) stays in the session and comes back
  when its step is due; when nothing else is left, learning cards due within the learn-ahead
  window (Anki's 20 minutes) come back early, so a session ends with its cards learnt.
- `limit` caps the cards taken into the session, not the repeats of learning cards.
- Cramming goes through the selected cards in deck order, a card rated Again comes back at
  the end, and no schedule changes.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from fsrs import Card as FsrsCard
from fsrs import Rating, State

from dlprep import clock
from dlprep.cards import days, schedule
from dlprep.cards.model import Card

KIND = "card"
LEARN_AHEAD = timedelta(minutes=20)
LEARNING = (State.Learning, State.Relearning)


@dataclass(frozen=True)
class Counts:
    """What is left in the session, as Anki's counts show it."""

    learning: int
    due: int
    new: int


@dataclass(frozen=True)
class Summary:
    shown: int
    reviewed: int
    again: int
    due_today: int  # due before the end of the study day, overdue included
    due_later_today: int  # of those, not due yet
    due_tomorrow: int
    next_due: datetime | None  # the first moment a card not due now becomes due
    new_today: int  # cards of the deck introduced this study day
    new_per_day: int
    unseen: int  # selected cards never reviewed

    @property
    def again_rate(self) -> float | None:
        return self.again / self.reviewed if self.reviewed else None


class Session:
    def __init__(
        self,
        conn: sqlite3.Connection,
        cards: list[Card],
        *,
        deck_keys: set[str],
        new_per_day: int,
        day_starts_at: int,
        limit: int | None = None,
        cram: bool = False,
        scheduler: schedule.Scheduler = schedule.SCHEDULER,
    ) -> None:
        self.conn = conn
        self.cards = cards
        self.deck_keys = deck_keys
        self.new_per_day = new_per_day
        self.day_starts_at = day_starts_at
        self.cram = cram
        self.scheduler = scheduler
        self.states = schedule.load_states(conn, KIND)
        self.shown = self.reviewed = self.again = 0
        self._last: Card | None = None  # the card shown last
        self._showing: Card | None = None  # the card shown and not rated yet
        now = clock.now()
        self.day_start, self.day_end = days.bounds(now, day_starts_at)
        if cram:
            self.learning: dict[str, Card] = {}
            queue = list(cards)
        else:
            due = sorted(
                (card for card in cards if self._due_today(card) and self.states[card.key].state == State.Review),
                key=lambda card: self.states[card.key].due,
            )
            self.learning = {
                card.key: card
                for card in cards
                if self._due_today(card) and self.states[card.key].state in LEARNING
            }
            allowance = max(0, new_per_day - len(self._introduced()))
            queue = due + [card for card in cards if card.key not in self.states][:allowance]
        self.queue = queue[:limit] if limit is not None else queue

    def _due_today(self, card: Card) -> bool:
        state = self.states.get(card.key)
        return state is not None and state.due < self.day_end

    def _introduced(self) -> set[str]:
        return schedule.introduced(self.conn, KIND, self.day_start, self.day_end) & self.deck_keys

    def counts(self) -> Counts:
        """The cards left, the one on screen included (as Anki counts it)."""
        waiting = list(self.queue)
        if self._showing is not None and self._showing.key not in self.learning:
            waiting.append(self._showing)
        new = sum(card.key not in self.states for card in waiting)
        return Counts(learning=len(self.learning), due=len(waiting) - new, new=new)

    def next_card(self) -> Card | None:
        card = self._next()
        self.shown += card is not None
        self._last = self._showing = card
        return card

    def _next(self) -> Card | None:
        now = clock.now()
        learning = sorted(self.learning.values(), key=lambda card: self.states[card.key].due)
        due = [card for card in learning if self.states[card.key].due <= now]
        if due:
            return due[0]
        if self.queue:
            return self.queue.pop(0)
        ahead = [card for card in learning if self.states[card.key].due <= now + LEARN_AHEAD]
        # Anki's learn-ahead: nothing else is left, so a card in learning comes back early;
        # the one just answered waits while another one can be shown.
        others = [card for card in ahead if card is not self._last]
        return (others or ahead or [None])[0]

    def preview(self, card: Card) -> dict[Rating, FsrsCard]:
        """What each rating would do to the card's schedule if given now."""
        return self.scheduler.preview(card.key, self.states.get(card.key), clock.now())

    def rate(self, card: Card, rating: Rating, duration_ms: int | None = None) -> FsrsCard | None:
        """Save the rating at once; returns the card's new schedule (None when cramming)."""
        self.reviewed += 1
        self.again += rating == Rating.Again
        self._showing = None
        if self.cram:
            schedule.cram(self.conn, KIND, card.key, rating, clock.now(), duration_ms=duration_ms)
            if rating == Rating.Again:
                self.queue.append(card)
            return None
        after = schedule.review(
            self.conn, KIND, card.key, rating, clock.now(), duration_ms=duration_ms, scheduler=self.scheduler
        )
        self.states[card.key] = after
        if after.state in LEARNING and after.due < self.day_end:
            self.learning[card.key] = card
        else:
            self.learning.pop(card.key, None)
        return after

    def summary(self) -> Summary:
        now = clock.now()
        dues = [self.states[card.key].due for card in self.cards if card.key in self.states]
        counts = schedule.due_counts(
            self.conn, KIND, dues, self.deck_keys, now=now, start=self.day_start, end=self.day_end
        )
        return Summary(
            shown=self.shown,
            reviewed=self.reviewed,
            again=self.again,
            due_today=counts.due_today,
            due_later_today=counts.due_later_today,
            due_tomorrow=counts.due_tomorrow,
            next_due=min((due for due in dues if due > now), default=None),
            new_today=counts.new_today,
            new_per_day=self.new_per_day,
            unseen=sum(card.key not in self.states for card in self.cards),
        )


class QuizScreen(Protocol):
    """What a quiz needs from the terminal; the command line provides it."""

    def question(self, card: Card, counts: Counts) -> None: ...

    def reveal(self) -> bool: ...  # False: the learner quit

    def answer(self, card: Card, outcomes: dict[Rating, FsrsCard] | None) -> None: ...

    def rating(self) -> Rating | None: ...  # None: the learner quit

    def rated(self, card: Card, rating: Rating, after: FsrsCard | None) -> None: ...


def run(session: Session, screen: QuizScreen) -> bool:
    """Show cards until none is left (True) or the learner quits (False); each rating is saved as it is given."""
    while (card := session.next_card()) is not None:
        screen.question(card, session.counts())
        shown = time.monotonic()
        if not screen.reveal():
            return False
        screen.answer(card, None if session.cram else session.preview(card))
        rating = screen.rating()
        if rating is None:
            return False
        after = session.rate(card, rating, round((time.monotonic() - shown) * 1000))
        screen.rated(card, rating, after)
    return True
