"""A progress database from the release before namespaced cards upgrades in place, keeping every review."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest
from fsrs import Rating, State

from dlprep import paths, store
from dlprep.cards import schedule
from dlprep.cards.deck import load
from dlprep.cards.session import KIND

from .conftest import T0, write

BEFORE_NAMESPACES = 3  # migrations of that release
DECK = load()
SHIPPED = [card.id for card in DECK.cards[:3]]


def _old_database(user_card: str) -> list[tuple]:
    """A database as that release left it: its migrations, two shipped cards reviewed, one crammed,
    one card of a learner's own deck reviewed. Returns the card_reviews rows written."""
    paths.home().mkdir(parents=True)
    with sqlite3.connect(paths.database()) as conn:
        for script in store.MIGRATIONS[:BEFORE_NAMESPACES]:
            conn.executescript(script)
        conn.execute(f"PRAGMA user_version = {BEFORE_NAMESPACES}")
        rows = [
            # id, card_id, rating, reviewed_at (as that release wrote it), duration_ms, state_before, cram
            (1, SHIPPED[0], 3, T0.isoformat(), 4200, None, 0),
            (2, SHIPPED[0], 3, (T0 + timedelta(minutes=10, microseconds=5)).isoformat(), 1800, 1, 0),
            (3, SHIPPED[1], 1, (T0 + timedelta(hours=1)).isoformat(), None, None, 0),
            (4, SHIPPED[2], 2, (T0 + timedelta(hours=2)).isoformat(), 900, None, 1),
            (5, user_card, 4, (T0 + timedelta(hours=3)).isoformat(), 700, None, 0),
        ]
        conn.executemany("INSERT INTO card_reviews VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        schedules = [
            (SHIPPED[0], 2, None, 2.3065, 2.111214, (T0 + timedelta(days=2, minutes=10)).isoformat(),
             (T0 + timedelta(minutes=10, microseconds=5)).isoformat()),
            (SHIPPED[1], 1, 0, 0.212, 6.4133, (T0 + timedelta(hours=1, minutes=1)).isoformat(),
             (T0 + timedelta(hours=1)).isoformat()),
            (user_card, 2, None, 8.2956, 1.0, (T0 + timedelta(days=8, hours=3)).isoformat(),
             (T0 + timedelta(hours=3)).isoformat()),
        ]
        conn.executemany("INSERT INTO card_schedule VALUES (?, ?, ?, ?, ?, ?, ?)", schedules)
    conn.close()
    return rows


def test_the_upgrade_keeps_every_review_and_cram_rating(run):
    rows = _old_database("notes-0123456789")
    with store.connect() as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(store.MIGRATIONS)
        reviews = schedule.reviews(conn, KIND)
        crammed = schedule.cram_reviews(conn, KIND)
        states = schedule.load_states(conn, KIND)
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"schedule", "reviews", "cram_reviews"} <= tables and not {"card_reviews", "card_schedule"} & tables
    kept = [row for row in rows if not row[6]]
    assert [(r.item, int(r.rating), r.reviewed_at, r.duration_ms) for r in reviews] == [
        (f"dlprep/{card_id}", rating, datetime.fromisoformat(at), duration) for _, card_id, rating, at, duration, _, _ in kept
    ]
    assert [r.state_before for r in reviews] == [None, State.Learning, None, None]
    assert [(r.item, r.rating) for r in crammed] == [(f"dlprep/{SHIPPED[2]}", Rating.Hard)]
    assert states[f"dlprep/{SHIPPED[0]}"].due == T0 + timedelta(days=2, minutes=10)
    assert states[f"dlprep/{SHIPPED[0]}"].last_review == T0 + timedelta(minutes=10, microseconds=5)
    assert len(states) == 3

    # The shipped cards' histories are theirs, as before: shown, counted, scheduled.
    shown = " ".join(run("cards", "show", SHIPPED[0]).output.split())
    assert "reviews 2: 07 Jan Good, 07 Jan Good" in shown and "Review, due in" in shown
    assert "crammed 1: 07 Jan Hard" in " ".join(run("cards", "show", SHIPPED[2]).output.split())
    assert "New today: 2 of 20" in run("stats").output


def test_a_learners_own_card_gets_its_history_back_from_the_upgrade(run, tmp_path):
    notes = write(tmp_path / "notes", {"dl.md": "My own question?::my answer\n"})
    (card,) = load(notes).cards
    _old_database(card.id)  # that release knew the card by its bare id
    with store.connect() as conn:
        assert f"dlprep/{card.id}" in schedule.load_states(conn, KIND)
    result = run("quiz", "--deck", str(notes), input="", at=T0 + timedelta(days=9))
    assert "Kept the history of 1 card reviewed before decks had namespaces." in result.stderr
    with store.connect() as conn:
        states = schedule.load_states(conn, KIND)
        assert card.key in states and f"dlprep/{card.id}" not in states
        assert [r.rating for r in schedule.reviews(conn, KIND, item=card.key)] == [Rating.Easy]
    assert "reviews 1: 07 Jan Easy" in " ".join(run("cards", "show", card.id, "--deck", str(notes)).output.split())


def test_the_upgraded_logs_stay_append_only():
    _old_database("x-0000000000")
    with store.connect() as conn:
        for statement in ("UPDATE reviews SET rating = 4", "DELETE FROM reviews", "DELETE FROM cram_reviews"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute(statement)
