"""The learner's progress database: SQLite in `paths.home()`, changed only by migrations.

Migrations are append-only: a released one is never edited, a schema change is a new
entry at the end. `PRAGMA user_version` records how many have been applied. `connect` holds
the one policy every command follows: what it does with a read-only, missing, damaged or newer database.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing, contextmanager
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
    # 4: scheduled items of any kind (flashcards now), named by kind and id; card ids take
    # their deck's namespace (every card reviewed so far came from the shipped deck, `dlprep/`);
    # cram ratings move to a log of their own. Times were all stored in UTC already; their
    # precision is made uniform, so that text order is time order. A log row's values never
    # change; its item may be renamed, and deleted once `pruned` records it.
    """
    CREATE TABLE schedule (
        kind TEXT NOT NULL,
        item TEXT NOT NULL,
        state INTEGER NOT NULL,
        step INTEGER,
        stability REAL,
        difficulty REAL,
        due TEXT NOT NULL,
        last_review TEXT,
        PRIMARY KEY (kind, item)
    );
    INSERT INTO schedule (kind, item, state, step, stability, difficulty, due, last_review)
    SELECT 'card', 'dlprep/' || card_id, state, step, stability, difficulty,
        CASE WHEN instr(due, '.') THEN due ELSE substr(due, 1, 19) || '.000000' || substr(due, 20) END,
        CASE WHEN instr(last_review, '.') THEN last_review
            ELSE substr(last_review, 1, 19) || '.000000' || substr(last_review, 20) END
    FROM card_schedule;
    CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        item TEXT NOT NULL,
        rating INTEGER NOT NULL,
        reviewed_at TEXT NOT NULL,
        duration_ms INTEGER,
        state_before INTEGER
    );
    INSERT INTO reviews (id, kind, item, rating, reviewed_at, duration_ms, state_before)
    SELECT id, 'card', 'dlprep/' || card_id, rating,
        CASE WHEN instr(reviewed_at, '.') THEN reviewed_at
            ELSE substr(reviewed_at, 1, 19) || '.000000' || substr(reviewed_at, 20) END,
        duration_ms, state_before
    FROM card_reviews WHERE cram = 0;
    CREATE TABLE cram_reviews (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        item TEXT NOT NULL,
        rating INTEGER NOT NULL,
        reviewed_at TEXT NOT NULL,
        duration_ms INTEGER
    );
    INSERT INTO cram_reviews (id, kind, item, rating, reviewed_at, duration_ms)
    SELECT id, 'card', 'dlprep/' || card_id, rating,
        CASE WHEN instr(reviewed_at, '.') THEN reviewed_at
            ELSE substr(reviewed_at, 1, 19) || '.000000' || substr(reviewed_at, 20) END,
        duration_ms
    FROM card_reviews WHERE cram = 1;
    CREATE INDEX reviews_time ON reviews (kind, reviewed_at);
    CREATE INDEX reviews_item ON reviews (kind, item, reviewed_at);
    CREATE INDEX cram_reviews_time ON cram_reviews (kind, reviewed_at);
    CREATE INDEX cram_reviews_item ON cram_reviews (kind, item, reviewed_at);
    DROP TABLE card_reviews;
    DROP TABLE card_schedule;
    CREATE TABLE pruned (
        kind TEXT NOT NULL,
        item TEXT NOT NULL,
        pruned_at TEXT NOT NULL,
        ratings INTEGER NOT NULL,
        PRIMARY KEY (kind, item)
    );
    CREATE TRIGGER reviews_values_fixed BEFORE UPDATE OF id, kind, rating, reviewed_at, duration_ms, state_before
    ON reviews
    BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
    CREATE TRIGGER reviews_append_only_delete BEFORE DELETE ON reviews
    WHEN NOT EXISTS (SELECT 1 FROM pruned WHERE pruned.kind = OLD.kind AND pruned.item = OLD.item)
    BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
    CREATE TRIGGER cram_reviews_values_fixed BEFORE UPDATE OF id, kind, rating, reviewed_at, duration_ms
    ON cram_reviews
    BEGIN SELECT RAISE(ABORT, 'the cram log is append-only'); END;
    CREATE TRIGGER cram_reviews_append_only_delete BEFORE DELETE ON cram_reviews
    WHEN NOT EXISTS (SELECT 1 FROM pruned WHERE pruned.kind = OLD.kind AND pruned.item = OLD.item)
    BEGIN SELECT RAISE(ABORT, 'the cram log is append-only'); END;
    """,
    # 5: katas join the schedule (kind 'kata'), rated from how each pass happened, so what an
    # attempt involved is logged: its stub written ('started'), each hint, each look at the
    # solution, each failing grade seen in watch mode (which records passing grades only).
    # Hints shown before this release keep their count, at a time unknown (NULL). Days whose
    # plan was completed are kept for the streak.
    """
    CREATE TABLE kata_events (
        id INTEGER PRIMARY KEY,
        kata TEXT NOT NULL,
        event TEXT NOT NULL CHECK (event IN ('started', 'hint', 'solution', 'failed')),
        at TEXT
    );
    CREATE INDEX kata_events_kata ON kata_events (kata, event, at);
    INSERT INTO kata_events (kata, event, at)
    WITH RECURSIVE shown (kata, remaining) AS (
        SELECT kata, count FROM hints_shown WHERE count > 0
        UNION ALL SELECT kata, remaining - 1 FROM shown WHERE remaining > 1
    )
    SELECT kata, 'hint', NULL FROM shown;
    CREATE TRIGGER kata_events_append_only_update BEFORE UPDATE ON kata_events
    BEGIN SELECT RAISE(ABORT, 'the kata log is append-only'); END;
    CREATE TRIGGER kata_events_append_only_delete BEFORE DELETE ON kata_events
    BEGIN SELECT RAISE(ABORT, 'the kata log is append-only'); END;
    CREATE TABLE plan_days (
        day TEXT PRIMARY KEY,
        completed_at TEXT NOT NULL
    );
    """,
]


class StoreError(Exception):
    """The database cannot be used as asked; the message says why and what to do."""


DOCTOR_ADVICE = "`dlprep doctor --backup` copies it aside and rebuilds what can still be read"
BACKUPS_KEPT = 3
"""Migration backups kept beside the database (`dlprep.db.schema-N.bak`), the newest ones."""


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


def apply(conn: sqlite3.Connection, number: int) -> None:
    """Run migration `number` (0-based) in the caller's transaction; user_version is the caller's."""
    for statement in _statements(MIGRATIONS[number]):
        conn.execute(statement)


def version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def problems(conn: sqlite3.Connection) -> list[str]:
    """What `PRAGMA quick_check` finds wrong (empty when the database is sound); a few ms here."""
    try:
        found = [row[0] for row in conn.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as exc:  # too damaged to even walk
        return [str(exc)]
    if found == ["ok"]:
        return []
    # The first row opens with a "*** in database main ***" line; then one problem per line.
    return [line for row in found for line in row.splitlines() if not line.startswith("***")]


def backups(location: Path) -> list[Path]:
    """The migration backups of `location`, newest first."""
    found = location.parent.glob(f"{location.name}.schema-*.bak")
    return sorted(found, key=lambda path: path.stat().st_mtime, reverse=True)


def copy(conn: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of an open database, with SQLite's online backup (safe while others write)."""
    with closing(sqlite3.connect(target)) as destination:
        conn.backup(destination)


def _backup_before_migrating(conn: sqlite3.Connection, location: Path, schema: int) -> None:
    copy(conn, location.with_name(f"{location.name}.schema-{schema}.bak"))
    for stale in backups(location)[BACKUPS_KEPT:]:
        stale.unlink(missing_ok=True)


def _refuse_newer(conn: sqlite3.Connection, location: Path) -> None:
    if version(conn) > len(MIGRATIONS):
        raise StoreError(
            f"{location} was written by a newer dlprep (schema {version(conn)}, this one knows "
            f"{len(MIGRATIONS)}). Upgrade dlprep; the database was left untouched."
        )


def _refuse_damaged(conn: sqlite3.Connection, location: Path) -> None:
    found = problems(conn)
    if found:
        more = f", and {len(found) - 1} more problems" if len(found) > 1 else ""
        raise StoreError(f"{location} is damaged ({found[0]}{more}). It was left untouched; {DOCTOR_ADVICE}.")


def _migrate(conn: sqlite3.Connection, location: Path) -> None:
    """Apply the missing migrations; a database holding data is backed up first."""
    if 0 < version(conn) < len(MIGRATIONS):
        _backup_before_migrating(conn, location, version(conn))
    for number in range(version(conn), len(MIGRATIONS)):
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            # Another process may have migrated while this one waited for the lock.
            if version(conn) > number:
                continue
            apply(conn, number)
            conn.execute(f"PRAGMA user_version = {number + 1}")


def migrate_unshared(conn: sqlite3.Connection, schema: int = len(MIGRATIONS)) -> None:
    """Bring a database no other process sees (in memory, or being rebuilt) to `schema`.

    One transaction: with nobody to wait for, `_migrate`'s lock and recheck per step are not needed.
    """
    with conn:
        conn.execute("BEGIN")
        for number in range(version(conn), schema):
            apply(conn, number)
        conn.execute(f"PRAGMA user_version = {schema}")


def _migrated_copy(conn: sqlite3.Connection) -> sqlite3.Connection:
    """An in-memory copy at the latest schema, for reading a database too old to read as it is."""
    memory = sqlite3.connect(":memory:", isolation_level=None)
    conn.backup(memory)
    conn.close()
    migrate_unshared(memory)
    return memory


def _empty() -> sqlite3.Connection:
    """Nothing recorded yet: an in-memory database at the latest schema, so reading creates no file."""
    memory = sqlite3.connect(":memory:", isolation_level=None)
    migrate_unshared(memory)
    return memory


def _exists(location: Path) -> bool:
    try:
        return location.exists()
    except PermissionError:
        raise StoreError(
            f"cannot read {location}: permission denied on its folder. Give yourself access "
            f"(chmod u+rwx {location.parent}) or set {paths.HOME_ENV} to another folder."
        ) from None


def _create_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        what = "a file is in the way" if isinstance(exc, (FileExistsError, NotADirectoryError)) else exc.strerror.lower()
        raise StoreError(
            f"cannot create the data folder {folder}: {what}. Set {paths.HOME_ENV} to a folder you can write."
        ) from None


def _check_header(location: Path) -> None:
    try:
        with location.open("rb") as file:
            header = file.read(16)
    except OSError as exc:
        raise StoreError(
            f"cannot read {location}: {exc.strerror.lower()}. Give yourself read access "
            f"(chmod u+rw {location}) or set {paths.HOME_ENV} to another folder."
        ) from None
    if header and header != b"SQLite format 3\x00":
        raise StoreError(
            f"{location} is not a readable dlprep database (not an SQLite file). It was left untouched; "
            f"move it aside (or set {paths.HOME_ENV} to another folder) to start afresh."
        )


def read_only_reason(location: Path) -> str | None:
    """Why the database cannot be written, or None when it can."""
    if not os.access(location.parent, os.W_OK):
        return f"its folder {location.parent} is not writable"
    if location.exists() and not os.access(location, os.W_OK):
        return "the file is not writable"
    return None


def open_read_only(location: Path, *, immutable: bool = False) -> sqlite3.Connection:
    """Open without writing anything, not even WAL's shared-memory file where the folder forbids it.

    `immutable`: nothing else will change the file (a copy), so SQLite takes no locks and makes no -shm.
    """
    mode = "mode=ro"
    if immutable or (not os.access(location.parent, os.W_OK) and not location.with_name(location.name + "-wal").exists()):
        mode = "immutable=1"  # no -shm can be made, and nothing can change the file meanwhile
    conn = sqlite3.connect(f"{location.absolute().as_uri()}?{mode}", uri=True, timeout=10, isolation_level=None)
    conn.row_factory = sqlite3.Row
    return conn


def _open(location: Path, write: bool) -> sqlite3.Connection:
    if not _exists(location):
        if not write:
            return _empty()
        _create_folder(location.parent)
    else:
        _check_header(location)
    read_only = read_only_reason(location)
    if write and read_only:
        raise StoreError(
            f"{location} is read-only ({read_only}), and this command records progress. Make it writable "
            f"or set {paths.HOME_ENV} to a folder you can write; commands that only read still work."
        )
    if read_only:
        conn = open_read_only(location)
    else:
        conn = sqlite3.connect(location, timeout=10, isolation_level=None)
    try:
        _refuse_newer(conn, location)  # first: a newer dlprep's file is not touched at all
        _refuse_damaged(conn, location)
        if read_only:
            return conn if version(conn) == len(MIGRATIONS) else _migrated_copy(conn)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        _migrate(conn, location)
        return conn
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(
            f"{location} is not a readable dlprep database ({exc}). It was left untouched; {DOCTOR_ADVICE}."
        ) from exc
    except BaseException:
        conn.close()
        raise


@contextmanager
def connect(location: Path | None = None, *, write: bool = True) -> Iterator[sqlite3.Connection]:
    """The progress database, under one policy for every command.

    `write=False` is for commands that only read: they run on a read-only database, and on a missing
    one see nothing recorded (no file is created). Writing commands refuse a read-only database with
    a clear message. Both refuse one that is unreadable, damaged (`PRAGMA quick_check`) or from a
    newer dlprep, and leave it untouched. A database holding data is backed up before each migration.
    """
    conn = _open(location or paths.database(), write)
    conn.row_factory = sqlite3.Row
    try:
        yield conn
    finally:
        conn.close()


def check(*, write: bool) -> None:
    """Apply the policy now, before long work whose result would otherwise be lost (a grade)."""
    with connect(write=write):
        pass
