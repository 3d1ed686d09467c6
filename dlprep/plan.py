"""The day's plan: what `dlprep today` runs, and what `dlprep` alone shows once the learner has started.

In order: the flashcards due today and the day's new ones (one quiz session, taking what
`dlprep quiz` would), the katas due for a re-implementation (most overdue first), then new
katas, `NEW_KATAS_PER_DAY` a day (an unfinished one before one not started; none once that
many were passed for the first time today). The time it takes is estimated from the learner's
own durations: seconds per card review and reviews per new card, minutes per star of
difficulty from stub to pass, seconds per grade; the defaults stand in until there are some.

A day whose plan is found done is recorded (`record_if_done`), for the streak `stats` shows.
"""

from __future__ import annotations

import sqlite3
import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from dlprep.cards import days, schedule
from dlprep.cards.model import Deck
from dlprep.cards.session import KIND as CARD
from dlprep.katas import memory, progress
from dlprep.katas.catalog import load

if TYPE_CHECKING:
    from dlprep.cards.config import Settings

NEW_KATAS_PER_DAY = 1
DEFAULT_REVIEW_S = 10.0
DEFAULT_REVIEWS_PER_NEW_CARD = 2.0  # Good at each of Anki's two learning steps
DEFAULT_MINUTES_PER_STAR = 15.0
DEFAULT_GRADE_S = 2.0
LONGEST_REVIEW_S = 60.0  # a review left on screen longer was a pause, not work
LONGEST_ATTEMPT = timedelta(hours=2)  # likewise for a kata: the stub written, then a day away
HISTORY = timedelta(days=90)


@dataclass(frozen=True)
class KataStep:
    kata: str
    again: bool  # due for a re-implementation; False: a new kata
    due: datetime | None
    minutes: float


@dataclass(frozen=True)
class Plan:
    day: date
    cards_due: int  # due before the end of the study day, in learning or review
    cards_new: int
    card_minutes: float
    katas: tuple[KataStep, ...]
    started: bool  # anything recorded yet: a review, a grade, a stub
    next_due: datetime | None  # the first card or kata due after today

    @property
    def empty(self) -> bool:
        return not (self.cards_due or self.cards_new or self.katas)

    @property
    def minutes(self) -> float:
        return self.card_minutes + sum(step.minutes for step in self.katas)


@dataclass(frozen=True)
class Pace:
    """The learner's own speed, from what is recorded (defaults until there is some)."""

    review_s: float
    reviews_per_new_card: float
    minutes_per_star: float
    grade_s: float


def _median(values: list[float], default: float) -> float:
    return statistics.median(values) if values else default


def pace(conn: sqlite3.Connection, now: datetime, day_starts_at: int) -> Pace:
    since = now - HISTORY
    logged = schedule.reviews(conn, CARD, since=since)
    durations = [min(r.duration_ms / 1000, LONGEST_REVIEW_S) for r in logged if r.duration_ms is not None]
    introduced = {r.item: days.study_date(r.reviewed_at, day_starts_at) for r in logged if r.state_before is None}
    first_day = [r for r in logged if introduced.get(r.item) == days.study_date(r.reviewed_at, day_starts_at)]
    per_new = len(first_day) / len(introduced) if introduced else DEFAULT_REVIEWS_PER_NEW_CARD
    grades = [row["duration_s"] for row in conn.execute("SELECT duration_s FROM grades ORDER BY id DESC LIMIT 200")]
    return Pace(
        review_s=_median(durations, DEFAULT_REVIEW_S),
        reviews_per_new_card=per_new,
        minutes_per_star=_median(_minutes_per_star(conn, since), DEFAULT_MINUTES_PER_STAR),
        grade_s=_median(grades, DEFAULT_GRADE_S),
    )


def _minutes_per_star(conn: sqlite3.Connection, since: datetime) -> list[float]:
    """For each rated pass whose stub was timed: minutes from the stub to the pass, per star."""
    catalog = load()
    found = []
    previous: dict[str, datetime] = {}
    for review in schedule.reviews(conn, memory.KIND):
        began = (
            memory.fresh_stub(conn, review.item, previous[review.item])
            if review.item in previous
            else memory.attempt(conn, review.item, None, review.reviewed_at).began
        )
        previous[review.item] = review.reviewed_at
        taken = review.reviewed_at - began if began is not None else None
        if review.reviewed_at >= since and taken is not None and taken <= LONGEST_ATTEMPT and review.item in catalog.ids():
            found.append(taken / timedelta(minutes=1) / catalog.get(review.item).difficulty)
    return found


def has_started(conn: sqlite3.Connection) -> bool:
    return any(
        conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() for table in ("reviews", "grades", "kata_events")
    )


def _new_katas(conn: sqlite3.Connection, workspace_dir: Path | None, start: datetime, end: datetime, limit: int) -> list[str]:
    catalog = load()
    status = progress.statuses(catalog.ids(), workspace_dir, conn)
    passed_today = sum(s.passed_at is not None and start <= s.passed_at < end for s in status.values())
    unpassed = [kata for kata in catalog.ids() if status[kata].state is not progress.State.PASSED]
    unfinished = [kata for kata in unpassed if status[kata].state is progress.State.IN_PROGRESS]
    ordered = unfinished + [kata for kata in unpassed if kata not in unfinished]
    return ordered[: max(0, limit - passed_today)]


def compute(
    conn: sqlite3.Connection,
    deck: Deck,
    now: datetime,
    *,
    new_per_day: int,
    day_starts_at: int,
    new_katas: int = NEW_KATAS_PER_DAY,
    workspace_dir: Path | None = None,
) -> Plan:
    start, end = days.bounds(now, day_starts_at)
    keys = {card.key for card in deck.cards}
    cards = {key: state for key, state in schedule.load_states(conn, CARD).items() if key in keys}
    counts = schedule.due_counts(conn, CARD, (state.due for state in cards.values()), keys, now=now, start=start, end=end)
    cards_due = counts.due_today
    cards_new = min(max(0, new_per_day - counts.new_today), len(keys - set(cards)))
    speed = pace(conn, now, day_starts_at)
    catalog = load()

    def minutes(kata: str) -> float:
        return speed.minutes_per_star * catalog.get(kata).difficulty + speed.grade_s / 60

    states = memory.states(conn)
    due = sorted((kata for kata, state in states.items() if memory.is_due(state, end)), key=lambda kata: states[kata].due)
    steps = [KataStep(kata, True, states[kata].due, minutes(kata)) for kata in due if kata in catalog.ids()]
    steps += [KataStep(kata, False, None, minutes(kata)) for kata in _new_katas(conn, workspace_dir, start, end, new_katas)]
    return Plan(
        day=days.study_date(now, day_starts_at),
        cards_due=cards_due,
        cards_new=cards_new,
        card_minutes=(cards_due + cards_new * speed.reviews_per_new_card) * speed.review_s / 60,
        katas=tuple(steps),
        started=has_started(conn),
        next_due=min((state.due for state in [*cards.values(), *states.values()] if state.due >= end), default=None),
    )


def record_if_done(conn: sqlite3.Connection, day_plan: Plan, now: datetime) -> bool:
    """Record the day as completed when its plan is empty (once anything was ever done); whether it is."""
    if not (day_plan.empty and day_plan.started):
        return False
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT OR IGNORE INTO plan_days (day, completed_at) VALUES (?, ?)",
            (day_plan.day.isoformat(), schedule.stamp(now)),
        )
    return True


@dataclass(frozen=True)
class Streak:
    current: int  # consecutive completed days up to today (or yesterday, while today is not done yet)
    best: int
    completed: int  # days completed, all time


def streak(conn: sqlite3.Connection, today: date) -> Streak:
    done = sorted(date.fromisoformat(row["day"]) for row in conn.execute("SELECT day FROM plan_days"))
    best = run = 0
    for number, day in enumerate(done):
        run = run + 1 if number and day - done[number - 1] == timedelta(days=1) else 1
        best = max(best, run)
    completed = set(done)
    current, day = 0, today if today in completed else today - timedelta(days=1)
    while day in completed:
        current, day = current + 1, day - timedelta(days=1)
    return Streak(current, best, len(done))


def mark_if_done(
    workspace_dir: Path | None = None,
    *,
    settings: Settings | None = None,
    deck: Deck | None = None,
    conn: sqlite3.Connection | None = None,
) -> bool:
    """After a quiz of the guide's deck or a passing grade: record the day if that finished its plan
    (at the day's default limits). The caller's settings, guide deck and writable connection are
    used where it has them, so that none is read twice; settings that cannot be read leave the day
    unrecorded."""
    from dlprep import clock, store
    from dlprep.cards import config
    from dlprep.cards.deck import load as load_deck

    if settings is None:
        try:
            settings = config.load()
        except config.ConfigError:
            return False
    if conn is None:
        with store.connect(write=True) as own:
            return mark_if_done(workspace_dir, settings=settings, deck=deck, conn=own)
    now = clock.now()
    found = compute(
        conn, deck if deck is not None else load_deck(), now, new_per_day=settings.new_per_day, day_starts_at=settings.day_starts_at,
        workspace_dir=workspace_dir,
    )
    return record_if_done(conn, found, now)
