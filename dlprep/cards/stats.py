"""Progress figures for `dlprep stats`: what is due, how reviews went, what is mastered.

Everything is counted over one deck's cards (the shipped deck, or `--deck`), in study days
of the learner's time zone (`days`). Cram ratings are counted apart, never as reviews.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fsrs import Card as FsrsCard
from fsrs import Rating, State

from dlprep.cards import days, schedule
from dlprep.cards.model import Deck, section_key
from dlprep.cards.session import KIND

HISTORY_DAYS = 30


@dataclass(frozen=True)
class DayCount:
    day: date
    reviews: int
    again: int
    crammed: int


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
    due_today: int  # due before the end of the study day, overdue included
    due_later_today: int  # of those, not due yet
    due_tomorrow: int
    due_week: int  # due within the next seven study days, today included
    new_today: int  # cards introduced this study day
    reviews_ever: int  # reviews of this deck's cards, all time
    days: list[DayCount]  # from the first day with ratings, at most HISTORY_DAYS back, to today
    retention: float | None  # share of reviews of graduated cards not rated Again
    retention_reviews: int
    sections: list[SectionMastery]
    drills: list[DrillTally]


def compute(conn: sqlite3.Connection, deck: Deck, now: datetime, day_starts_at: int) -> Stats:
    keys = {card.key for card in deck.cards}
    states = {key: state for key, state in schedule.load_states(conn, KIND).items() if key in keys}
    start, end = days.bounds(now, day_starts_at)
    dues = [state.due for state in states.values()]

    today = days.study_date(now, day_starts_at)
    first_day = today - timedelta(days=HISTORY_DAYS - 1)
    since = days.start_of(first_day, day_starts_at)
    logged = [review for review in schedule.reviews(conn, KIND, since=since) if review.item in keys]
    crammed = [review for review in schedule.cram_reviews(conn, KIND, since=since) if review.item in keys]

    reviewed = days.per_day((review.reviewed_at for review in logged), day_starts_at)
    again = days.per_day((review.reviewed_at for review in logged if review.rating == Rating.Again), day_starts_at)
    cram_days = days.per_day((review.reviewed_at for review in crammed), day_starts_at)
    active = sorted(set(reviewed) | set(cram_days))
    shown_from = active[0] if active else today
    history = [
        DayCount(day, reviewed[day], again[day], cram_days[day])
        for day in (shown_from + timedelta(days=offset) for offset in range((today - shown_from).days + 1))
    ] if active else []
    graduated = [review for review in logged if review.state_before == State.Review]
    recalled = sum(review.rating != Rating.Again for review in graduated)

    counts = schedule.due_counts(conn, KIND, dues, keys, now=now, start=start, end=end)
    return Stats(
        due_today=counts.due_today,
        due_later_today=counts.due_later_today,
        due_tomorrow=counts.due_tomorrow,
        due_week=sum(due < end + timedelta(days=6) for due in dues),
        new_today=counts.new_today,
        reviews_ever=schedule.review_count(conn, KIND, keys),
        days=history,
        retention=recalled / len(graduated) if graduated else None,
        retention_reviews=len(graduated),
        sections=_mastery(deck, states, now),
        drills=_drills(conn),
    )


def _mastery(deck: Deck, states: dict[str, FsrsCard], now: datetime) -> list[SectionMastery]:
    rows = []
    for section in sorted(deck.sections(), key=section_key):
        cards = [card for card in deck.cards if card.section == section]
        seen = [states[card.key] for card in cards if card.key in states]
        review = sum(state.state == State.Review for state in seen)
        recall = sum(schedule.SCHEDULER.retrievability(state, now) for state in seen)
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
