"""The figures `dlprep stats` draws, as data: reviews per day (a heatmap of the last months) and the
load of the next days (a forecast), for a deck's cards and the katas together.

Both count in study days (`cards.days`); the terminal and the HTML page draw the same numbers.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import math

from dlprep.cards import days, schedule
from dlprep.cards.session import KIND as CARD
from dlprep.katas import memory

HEATMAP_WEEKS = 26
FORECAST_DAYS = 30


def level(count: int, most: int) -> int:
    """A heatmap's shade: 0 for no review, else 1-4 by quarters of the busiest day."""
    return 0 if count == 0 else min(4, math.ceil(4 * count / most))


@dataclass(frozen=True)
class Day:
    day: date
    cards: int
    katas: int

    @property
    def total(self) -> int:
        return self.cards + self.katas


def heatmap(conn: sqlite3.Connection, card_keys: set[str], now: datetime, day_starts_at: int, weeks: int = HEATMAP_WEEKS) -> list[Day]:
    """Reviews per study day, from the Monday `weeks` - 1 weeks before this one to today."""
    today = days.study_date(now, day_starts_at)
    first = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    since = days.start_of(first, day_starts_at)

    def per_day(kind: str, keep) -> Counter[date]:
        return days.per_day((r.reviewed_at for r in schedule.reviews(conn, kind, since=since) if keep(r.item)), day_starts_at)

    cards, katas = per_day(CARD, card_keys.__contains__), per_day(memory.KIND, lambda item: True)
    return [Day(day, cards[day], katas[day]) for day in (first + timedelta(days=n) for n in range((today - first).days + 1))]


def forecast(conn: sqlite3.Connection, card_keys: set[str], now: datetime, day_starts_at: int, length: int = FORECAST_DAYS) -> list[Day]:
    """Items falling due on each of the next `length` study days; what is overdue counts today."""
    today = days.study_date(now, day_starts_at)

    def per_day(dues) -> Counter[date]:
        return Counter(max(today, days.study_date(due, day_starts_at)) for due in dues)

    cards = per_day(state.due for key, state in schedule.load_states(conn, CARD).items() if key in card_keys)
    katas = per_day(state.due for state in memory.states(conn).values())
    return [Day(day, cards[day], katas[day]) for day in (today + timedelta(days=n) for n in range(length))]
