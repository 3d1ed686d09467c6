"""Progress figures for `dlprep stats`: what is due, how reviews went, what is mastered."""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fsrs import Card as FsrsCard
from fsrs import Rating, State

from dlprep.cards import schedule
from dlprep.cards.model import Deck, section_key

HISTORY_DAYS = 30


@dataclass(frozen=True)
class DayCount:
    day: date
    reviews: int
    again: int


@dataclass(frozen=True)
class SectionMastery:
    section: str
    title: str
    cards: int
    new: int
    learning: int  # in learning or relearning steps
    review: int
    # The mean predicted probability of recalling a card of the section now (0 for unseen cards).
    mastery: float


@dataclass(frozen=True)
class DrillTally:
    topic: str
    attempts: int
    correct: int
    last: datetime


@dataclass(frozen=True)
class Stats:
    due_today: int  # due before local midnight, overdue included
    due_week: int  # due within the next seven local days, today included
    days: list[DayCount]  # the last HISTORY_DAYS local days, oldest first
    retention: float | None  # share of reviews of graduated cards not rated Again
    retention_reviews: int
    sections: list[SectionMastery]
    drills: list[DrillTally]


def _local_midnight(moment: datetime) -> datetime:
    local = moment.astimezone()
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def compute(conn: sqlite3.Connection, deck: Deck, now: datetime) -> Stats:
    states = schedule.load_states(conn)
    tomorrow = _local_midnight(now) + timedelta(days=1)
    dues = [states[card.id].due for card in deck.cards if card.id in states]

    first_day = _local_midnight(now) - timedelta(days=HISTORY_DAYS - 1)
    logged = schedule.reviews(conn, since=first_day)
    per_day = Counter(review.reviewed_at.astimezone().date() for review in logged)
    again_per_day = Counter(
        review.reviewed_at.astimezone().date() for review in logged if review.rating == Rating.Again
    )
    days = [
        DayCount(day, per_day[day], again_per_day[day])
        for day in ((first_day + timedelta(days=offset)).date() for offset in range(HISTORY_DAYS))
    ]
    graduated = [r for r in logged if not r.cram and r.state_before == State.Review]
    recalled = sum(review.rating != Rating.Again for review in graduated)

    return Stats(
        due_today=sum(due < tomorrow for due in dues),
        due_week=sum(due < tomorrow + timedelta(days=6) for due in dues),
        days=days,
        retention=recalled / len(graduated) if graduated else None,
        retention_reviews=len(graduated),
        sections=_mastery(deck, states, now),
        drills=_drills(conn),
    )


def _mastery(deck: Deck, states: dict[str, FsrsCard], now: datetime) -> list[SectionMastery]:
    rows = []
    for section in sorted(deck.sections(), key=section_key):
        cards = [card for card in deck.cards if card.section == section]
        seen = [states[card.id] for card in cards if card.id in states]
        review = sum(state.state == State.Review for state in seen)
        recall = sum(schedule.SCHEDULER.get_card_retrievability(state, now) for state in seen)
        rows.append(
            SectionMastery(
                section=section,
                title=deck.titles.get(section, ""),
                cards=len(cards),
                new=len(cards) - len(seen),
                learning=len(seen) - review,
                review=review,
                mastery=recall / len(cards),
            )
        )
    return rows


def _drills(conn: sqlite3.Connection) -> list[DrillTally]:
    rows = conn.execute(
        "SELECT topic, COUNT(*) AS attempts, SUM(correct) AS correct, MAX(answered_at) AS last "
        "FROM drill_results GROUP BY topic ORDER BY topic"
    )
    return [
        DrillTally(row["topic"], row["attempts"], row["correct"], datetime.fromisoformat(row["last"]))
        for row in rows
    ]
