"""Each card's spaced-repetition state in the progress database, scheduled by FSRS.

Every rating is its own short `BEGIN IMMEDIATE` transaction, committed before the next
card is shown: an interrupted session keeps everything already rated, and two dlprep
processes serialise on the write lock instead of overwriting each other.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

SCHEDULER = Scheduler()

_RATING_WORDS = {
    **{str(int(rating)): rating for rating in Rating},
    **{rating.name.lower(): rating for rating in Rating},
    **{rating.name[0].lower(): rating for rating in Rating},
}


def parse_rating(text: str) -> Rating | None:
    """1-4, a/h/g/e or again/hard/good/easy, in any case; None for anything else."""
    return _RATING_WORDS.get(text.strip().lower())


def fsrs_id(card_id: str) -> int:
    # fsrs wants an integer id (and sleeps 1 ms to invent one when given none); ours are
    # strings, so derive a stable integer from them.
    return int.from_bytes(hashlib.blake2b(card_id.encode(), digest_size=6).digest(), "big")


def new_card(card_id: str, now: datetime) -> FsrsCard:
    return FsrsCard(card_id=fsrs_id(card_id), due=now)


def _from_row(row: sqlite3.Row) -> FsrsCard:
    data = dict(row)
    return FsrsCard.from_dict({**data, "card_id": fsrs_id(data["card_id"])})


def _save(conn: sqlite3.Connection, card_id: str, card: FsrsCard) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO card_schedule "
        "(card_id, state, step, stability, difficulty, due, last_review) "
        "VALUES (:card_id, :state, :step, :stability, :difficulty, :due, :last_review)",
        {**card.to_dict(), "card_id": card_id},
    )


def load_states(conn: sqlite3.Connection) -> dict[str, FsrsCard]:
    """The FSRS state of every card ever reviewed, by card id; new cards are absent."""
    return {row["card_id"]: _from_row(row) for row in conn.execute("SELECT * FROM card_schedule")}


def review(
    conn: sqlite3.Connection,
    card_id: str,
    rating: Rating,
    now: datetime,
    *,
    cram: bool = False,
    duration_ms: int | None = None,
) -> FsrsCard | None:
    """Record one rating and reschedule the card; returns its new state (None when cramming)."""
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        # Read under the write lock: another process may have reviewed this card since
        # this session loaded it, and its review must be built upon, not overwritten.
        row = conn.execute("SELECT * FROM card_schedule WHERE card_id = ?", (card_id,)).fetchone()
        before = _from_row(row) if row else None
        after = None
        if not cram:
            after, _ = SCHEDULER.review_card(before or new_card(card_id, now), rating, now, duration_ms)
            _save(conn, card_id, after)
        conn.execute(
            "INSERT INTO card_reviews (card_id, rating, reviewed_at, duration_ms, state_before, cram) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (card_id, int(rating), now.isoformat(), duration_ms, before and int(before.state), int(cram)),
        )
    return after


@dataclass(frozen=True)
class LoggedReview:
    card_id: str
    rating: Rating
    reviewed_at: datetime
    duration_ms: int | None
    state_before: State | None  # None: the card was new
    cram: bool

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> LoggedReview:
        return cls(
            card_id=row["card_id"],
            rating=Rating(row["rating"]),
            reviewed_at=datetime.fromisoformat(row["reviewed_at"]),
            duration_ms=row["duration_ms"],
            state_before=None if row["state_before"] is None else State(row["state_before"]),
            cram=bool(row["cram"]),
        )


def reviews(
    conn: sqlite3.Connection, *, card_id: str | None = None, since: datetime | None = None
) -> list[LoggedReview]:
    """The review log, oldest first, optionally for one card or from a moment on."""
    rows = conn.execute(
        "SELECT * FROM card_reviews WHERE (:card IS NULL OR card_id = :card) "
        "AND (:since IS NULL OR reviewed_at >= :since) ORDER BY reviewed_at, id",
        {"card": card_id, "since": since and since.isoformat()},
    )
    return [LoggedReview.from_row(row) for row in rows]
