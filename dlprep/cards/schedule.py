"""Spaced-repetition state of study items, scheduled by FSRS, in the progress database.

An item is named by a kind ("card", "kata") and an id within it ("dlprep/sigmoid-formula",
"lstm"), so the scheduler and its tables serve any kind of item. Every rating is
its own short `BEGIN IMMEDIATE` transaction, committed before the next item is shown: an
interrupted session keeps everything already rated, and two dlprep processes serialise on
the write lock instead of overwriting each other.

Cram ratings go to a log of their own: they never change a schedule, and never count as
reviews in a card's history, reviews per day or retention.
"""

from __future__ import annotations

import hashlib
import math
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Iterable

from fsrs import Card as FsrsCard
from fsrs import Rating, State
from fsrs import Scheduler as FsrsScheduler
from fsrs.scheduler import FUZZ_RANGES

_RATING_WORDS = {
    **{str(int(rating)): rating for rating in Rating},
    **{rating.name.lower(): rating for rating in Rating},
    **{rating.name[0].lower(): rating for rating in Rating},
}


def parse_rating(text: str) -> Rating | None:
    """1-4, a/h/g/e or again/hard/good/easy, in any case; None for anything else."""
    return _RATING_WORDS.get(text.strip().lower())


def stamp(moment: datetime) -> str:
    """How times are stored: UTC, to the microsecond, so text order is time order."""
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def fsrs_id(item: str) -> int:
    # fsrs wants an integer id (and sleeps 1 ms to invent one when given none); ours are
    # strings, so derive a stable integer from them.
    return int.from_bytes(hashlib.blake2b(item.encode(), digest_size=6).digest(), "big")


def _draw(item: str, state: FsrsCard | None) -> float:
    """A number in [0, 1) fixed by the item and its last review: the same for every rating."""
    last = state.last_review.isoformat() if state and state.last_review else "new"
    digest = hashlib.blake2b(f"{item}\n{last}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


class Scheduler:
    """FSRS with its default parameters and Anki's learning steps (1 min, 10 min; relearning 10 min).

    fsrs fuzzes review intervals with the global random generator, so an interval shown on
    a rating key would differ from the one the rating then gives. Here fsrs schedules
    without fuzz, and the fuzz (Anki's ranges, as fsrs applies them) takes its draw from
    the item and its last review: previews and ratings agree, and tests can turn it off.

    `steps=False` schedules without learning steps: a first rating, and a lapse, go straight to
    an interval in days (a kata is re-implemented on another day, never minutes later).
    """

    def __init__(self, *, fuzz: bool = True, steps: bool = True) -> None:
        self.fsrs = (
            FsrsScheduler(enable_fuzzing=False)
            if steps
            else FsrsScheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
        )
        self.fuzz = fuzz

    def next(self, item: str, state: FsrsCard | None, rating: Rating, now: datetime) -> FsrsCard:
        before = state or FsrsCard(card_id=fsrs_id(item), due=now)
        after, _ = self.fsrs.review_card(before, rating, now)
        if self.fuzz and after.state == State.Review:
            days = round((after.due - now) / timedelta(days=1))
            after.due = now + timedelta(days=self._fuzzed(days, _draw(item, state)))
        return after

    def preview(self, item: str, state: FsrsCard | None, now: datetime) -> dict[Rating, FsrsCard]:
        return {rating: self.next(item, state, rating, now) for rating in Rating}

    def retrievability(self, state: FsrsCard, now: datetime) -> float:
        return self.fsrs.get_card_retrievability(state, now)

    def _fuzzed(self, days: int, draw: float) -> int:
        if days < 2.5:
            return days
        delta = 1.0 + sum(
            span["factor"] * max(min(float(days), span["end"]) - span["start"], 0.0) for span in FUZZ_RANGES
        )
        longest = min(round(days + delta), self.fsrs.maximum_interval)
        shortest = min(max(2, round(days - delta)), longest)
        return shortest + math.floor(draw * (longest - shortest + 1))


SCHEDULER = Scheduler()


def _state(row: sqlite3.Row) -> FsrsCard:
    return FsrsCard.from_dict(
        {
            "card_id": fsrs_id(row["item"]),
            "state": row["state"],
            "step": row["step"],
            "stability": row["stability"],
            "difficulty": row["difficulty"],
            "due": row["due"],
            "last_review": row["last_review"],
        }
    )


def _save(conn: sqlite3.Connection, kind: str, item: str, state: FsrsCard) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO schedule (kind, item, state, step, stability, difficulty, due, last_review) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            kind, item, int(state.state), state.step, state.stability, state.difficulty,
            stamp(state.due), state.last_review and stamp(state.last_review),
        ),
    )


def load_states(conn: sqlite3.Connection, kind: str) -> dict[str, FsrsCard]:
    """The FSRS state of every item of this kind ever reviewed, by id; new items are absent."""
    rows = conn.execute("SELECT * FROM schedule WHERE kind = ?", (kind,))
    return {row["item"]: _state(row) for row in rows}


def state_of(conn: sqlite3.Connection, kind: str, item: str) -> FsrsCard | None:
    """One item's FSRS state; None for a new item."""
    row = conn.execute("SELECT * FROM schedule WHERE kind = ? AND item = ?", (kind, item)).fetchone()
    return _state(row) if row else None


def review(
    conn: sqlite3.Connection,
    kind: str,
    item: str,
    rating: Rating,
    now: datetime,
    *,
    duration_ms: int | None = None,
    scheduler: Scheduler = SCHEDULER,
) -> FsrsCard:
    """Record one rating and reschedule the item, in a transaction of its own; returns its new state."""
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        return review_within(conn, kind, item, rating, now, duration_ms=duration_ms, scheduler=scheduler)


def review_within(
    conn: sqlite3.Connection,
    kind: str,
    item: str,
    rating: Rating,
    now: datetime,
    *,
    duration_ms: int | None = None,
    scheduler: Scheduler = SCHEDULER,
) -> FsrsCard:
    """`review`, inside the caller's `BEGIN IMMEDIATE` transaction (with what caused the rating)."""
    # Read under the write lock: another process may have reviewed this item since
    # this session loaded it, and its review must be built upon, not overwritten.
    before = state_of(conn, kind, item)
    after = scheduler.next(item, before, rating, now)
    _save(conn, kind, item, after)
    conn.execute(
        "INSERT INTO reviews (kind, item, rating, reviewed_at, duration_ms, state_before) VALUES (?, ?, ?, ?, ?, ?)",
        (kind, item, int(rating), stamp(now), duration_ms, before and int(before.state)),
    )
    return after


def cram(
    conn: sqlite3.Connection, kind: str, item: str, rating: Rating, now: datetime, *, duration_ms: int | None = None
) -> None:
    """Log a cram rating: the schedule and the review log are left alone."""
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO cram_reviews (kind, item, rating, reviewed_at, duration_ms) VALUES (?, ?, ?, ?, ?)",
            (kind, item, int(rating), stamp(now), duration_ms),
        )


def adopt(conn: sqlite3.Connection, kind: str, state: FsrsCard, item: str) -> bool:
    """Give an item a schedule taken from elsewhere, unless it has one; whether it was given."""
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        if state_of(conn, kind, item) is not None:
            return False
        _save(conn, kind, item, state)
    return True


@dataclass(frozen=True)
class LoggedReview:
    item: str
    rating: Rating
    reviewed_at: datetime
    duration_ms: int | None
    state_before: State | None  # None: the item was new; None too for cram ratings


    def to_dict(self) -> dict:
        return {"at": self.reviewed_at.isoformat(), "rating": self.rating.name, "duration_ms": self.duration_ms}


def describe(state: FsrsCard | None) -> dict | None:
    """A schedule as data (for `--json`): state, step, stability, difficulty, due, last review."""
    if state is None:
        return None
    return {
        "state": state.state.name,
        "step": state.step,
        "stability": state.stability,
        "difficulty": state.difficulty,
        "due": state.due.isoformat(),
        "last_review": state.last_review and state.last_review.isoformat(),
    }


def _logged(row: sqlite3.Row) -> LoggedReview:
    before = row["state_before"] if "state_before" in row.keys() else None
    return LoggedReview(
        item=row["item"],
        rating=Rating(row["rating"]),
        reviewed_at=datetime.fromisoformat(row["reviewed_at"]),
        duration_ms=row["duration_ms"],
        state_before=None if before is None else State(before),
    )


def _log(conn: sqlite3.Connection, table: str, kind: str, item: str | None, since: datetime | None) -> list[LoggedReview]:
    rows = conn.execute(
        f"SELECT * FROM {table} WHERE kind = :kind AND (:item IS NULL OR item = :item) "
        "AND (:since IS NULL OR reviewed_at >= :since) ORDER BY reviewed_at, id",
        {"kind": kind, "item": item, "since": since and stamp(since)},
    )
    return [_logged(row) for row in rows]


def reviews(
    conn: sqlite3.Connection, kind: str, *, item: str | None = None, since: datetime | None = None
) -> list[LoggedReview]:
    """The review log, oldest first, optionally for one item or from a moment on."""
    return _log(conn, "reviews", kind, item, since)


def cram_reviews(
    conn: sqlite3.Connection, kind: str, *, item: str | None = None, since: datetime | None = None
) -> list[LoggedReview]:
    """The cram log, oldest first, as `reviews` filters it."""
    return _log(conn, "cram_reviews", kind, item, since)


def review_count(conn: sqlite3.Connection, kind: str, items: set[str]) -> int:
    """How many reviews of these items the log holds (cram ratings are not reviews)."""
    # SQLite counts per item from its covering (kind, item) index: no review row reaches Python.
    rows = conn.execute("SELECT item, COUNT(*) AS n FROM reviews WHERE kind = ? GROUP BY item", (kind,))
    return sum(row["n"] for row in rows if row["item"] in items)


def introduced(conn: sqlite3.Connection, kind: str, since: datetime, until: datetime) -> set[str]:
    """Items first reviewed (new until then) in [since, until)."""
    rows = conn.execute(
        "SELECT DISTINCT item FROM reviews WHERE kind = ? AND state_before IS NULL "
        "AND reviewed_at >= ? AND reviewed_at < ?",
        (kind, stamp(since), stamp(until)),
    )
    return {row["item"] for row in rows}


@dataclass(frozen=True)
class DueCounts:
    """A study day's load, as a quiz's summary, `stats` and the day's plan all count it."""

    due_today: int  # due before the end of the study day, overdue included
    due_later_today: int  # of those, not due yet
    due_tomorrow: int
    new_today: int  # items introduced this study day


def due_counts(
    conn: sqlite3.Connection,
    kind: str,
    dues: Iterable[datetime],
    items: set[str],
    *,
    now: datetime,
    start: datetime,
    end: datetime,
) -> DueCounts:
    """What falls due in the study day [start, end) and the next, and how many of `items` were introduced in it."""
    dues = list(dues)
    return DueCounts(
        due_today=sum(due < end for due in dues),
        due_later_today=sum(now < due < end for due in dues),
        due_tomorrow=sum(end <= due < end + timedelta(days=1) for due in dues),
        new_today=len(introduced(conn, kind, start, end) & items),
    )


def histories(conn: sqlite3.Connection, kind: str) -> dict[str, int]:
    """Every item with a schedule or logged ratings, and how many ratings (reviews and cram) it has."""
    rows = conn.execute(
        "SELECT item, SUM(n) AS n FROM ("
        " SELECT item, 0 AS n FROM schedule WHERE kind = :kind"
        " UNION ALL SELECT item, COUNT(*) FROM reviews WHERE kind = :kind GROUP BY item"
        " UNION ALL SELECT item, COUNT(*) FROM cram_reviews WHERE kind = :kind GROUP BY item"
        ") GROUP BY item ORDER BY item",
        {"kind": kind},
    )
    return {row["item"]: row["n"] for row in rows}


def rename(conn: sqlite3.Connection, kind: str, renames: dict[str, str]) -> None:
    """Move schedules and logs to new ids (values never change; only the name does)."""
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        for old, new in renames.items():
            for table in ("schedule", "reviews", "cram_reviews"):
                conn.execute(f"UPDATE {table} SET item = ? WHERE kind = ? AND item = ?", (new, kind, old))


def forget(conn: sqlite3.Connection, kind: str, items: Iterable[str], now: datetime) -> int:
    """Delete the schedule and every logged rating of these items; returns how many ratings went.

    The logs refuse deletion except of items recorded in `pruned`, which is what this does first.
    """
    removed = 0
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        for item in items:
            count = sum(
                conn.execute(f"SELECT COUNT(*) FROM {table} WHERE kind = ? AND item = ?", (kind, item)).fetchone()[0]
                for table in ("reviews", "cram_reviews")
            )
            conn.execute(
                "INSERT OR REPLACE INTO pruned (kind, item, pruned_at, ratings) VALUES (?, ?, ?, ?)",
                (kind, item, stamp(now), count),
            )
            for table in ("schedule", "reviews", "cram_reviews"):
                conn.execute(f"DELETE FROM {table} WHERE kind = ? AND item = ?", (kind, item))
            removed += count
    return removed
