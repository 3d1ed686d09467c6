"""The learner's progress database: SQLite in `paths.home()`, changed only by migrations.

Migrations are append-only: a released one is never edited, a schema change is a new
entry at the end. `PRAGMA user_version` records how many have been applied.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from dlprep import paths

MIGRATIONS: list[str] = [
    # 1: kata grades and hint progress
    """
    CREATE TABLE grades (
        id INTEGER PRIMARY KEY,
        kata TEXT NOT NULL,
        passed INTEGER NOT NULL,
        devices TEXT NOT NULL,
        duration_s REAL NOT NULL,
        graded_at TEXT NOT NULL,
        file TEXT NOT NULL,
        error_kind TEXT
    );
    CREATE INDEX grades_kata ON grades (kata, graded_at);
    CREATE TABLE hints_shown (
        kata TEXT PRIMARY KEY,
        count INTEGER NOT NULL
    );
    """,
    # 2: flashcards: each card's FSRS state (columns as fsrs.Card.to_dict names them),
    # the review log (append-only: only ever INSERTed), and drill answers
    """
    CREATE TABLE card_schedule (
        card_id TEXT PRIMARY KEY,
        state INTEGER NOT NULL,
        step INTEGER,
        stability REAL,
        difficulty REAL,
        due TEXT NOT NULL,
        last_review TEXT
    );
    CREATE TABLE card_reviews (
        id INTEGER PRIMARY KEY,
        card_id TEXT NOT NULL,
        rating INTEGER NOT NULL,
        reviewed_at TEXT NOT NULL,
        duration_ms INTEGER,
        state_before INTEGER,
        cram INTEGER NOT NULL
    );
    CREATE INDEX card_reviews_time ON card_reviews (reviewed_at);
    CREATE INDEX card_reviews_card ON card_reviews (card_id, reviewed_at);
    CREATE TABLE drill_results (
        id INTEGER PRIMARY KEY,
        topic TEXT NOT NULL,
        question TEXT NOT NULL,
        expected REAL NOT NULL,
        given TEXT NOT NULL,
        correct INTEGER NOT NULL,
        answered_at TEXT NOT NULL
    );
    CREATE INDEX drill_results_topic ON drill_results (topic, answered_at);
    """,
    # 3: logs are append-only, enforced by the database itself
    """
    CREATE TRIGGER card_reviews_append_only_update BEFORE UPDATE ON card_reviews
    BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
    CREATE TRIGGER card_reviews_append_only_delete BEFORE DELETE ON card_reviews
    BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
    CREATE TRIGGER grades_append_only_update BEFORE UPDATE ON grades
    BEGIN SELECT RAISE(ABORT, 'the grade log is append-only'); END;
    CREATE TRIGGER grades_append_only_delete BEFORE DELETE ON grades
    BEGIN SELECT RAISE(ABORT, 'the grade log is append-only'); END;
    """,
]


class StoreError(Exception):
    """The database cannot be used; the message says why and what to do."""


def _statements(script: str) -> list[str]:
    """Split a migration into statements; trigger bodies hold semicolons of their own."""
    statements, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    assert not pending.strip(), f"incomplete SQL in a migration: {pending!r}"
    return statements


def _refuse_newer(conn: sqlite3.Connection, location: Path) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        raise StoreError(
            f"{location} was written by a newer dlprep (schema {version}, this one knows "
            f"{len(MIGRATIONS)}). Upgrade dlprep; the database was left untouched."
        )


def _migrate(conn: sqlite3.Connection, location: Path) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    for number in range(version, len(MIGRATIONS)):
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            # Another process may have migrated while this one waited for the lock.
            if conn.execute("PRAGMA user_version").fetchone()[0] > number:
                continue
            for statement in _statements(MIGRATIONS[number]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number + 1}")


@contextmanager
def connect(location: Path | None = None) -> Iterator[sqlite3.Connection]:
    """Open (creating and migrating as needed) the progress database."""
    location = location or paths.database()
    location.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(location, timeout=10, isolation_level=None)
    conn.row_factory = sqlite3.Row
    try:
        try:
            _refuse_newer(conn, location)  # before WAL: a newer dlprep's file is not touched at all
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            _migrate(conn, location)
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{location} is not a readable dlprep database ({exc}). It was left untouched; "
                f"move it aside (or set {paths.HOME_ENV} to another folder) to start afresh."
            ) from exc
        yield conn
    finally:
        conn.close()
