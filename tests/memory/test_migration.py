"""A database of the release before katas were scheduled upgrades in place: every review, grade, hint
count and drill result is kept, and the katas passed then are scheduled from their first pass."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import timedelta

import pytest
from fsrs import Rating

from dlprep import paths, store
from dlprep.cards import schedule
from dlprep.katas import memory

from .conftest import DAY, T0, grade, kata_state

RELEASED = 4  # migrations of the release before this one
OLD_TABLES = ("grades", "hints_shown", "schedule", "reviews", "cram_reviews", "drill_results", "pruned")


def _old_database() -> dict[str, list[tuple]]:
    """A database as that release leaves it, with some of everything; returns its tables' rows."""
    paths.home().mkdir(parents=True)
    with closing(sqlite3.connect(paths.database(), isolation_level=None)) as conn:
        for number in range(RELEASED):
            store.apply(conn, number)
        conn.execute(f"PRAGMA user_version = {RELEASED}")
        grades = [
            ("softmax", 1, T0),  # passed at once: Good (when its stub was written was not recorded)
            ("backprop", 0, T0 + timedelta(hours=1)),
            ("backprop", 1, T0 + timedelta(hours=2)),  # passed after a failure: Hard
            ("attention", 1, T0 + timedelta(hours=3)),  # passed with a hint: Hard
            ("attention", 1, T0 + timedelta(days=1)),
            ("lstm", 0, T0 + timedelta(hours=4)),  # never passed
        ]
        conn.executemany(
            "INSERT INTO grades (kata, passed, devices, duration_s, graded_at, file, error_kind) VALUES (?, ?, '[\"cpu\"]', 1.5, ?, 'f.py', ?)",
            [(kata, passed, at.isoformat(), None if passed else "crash") for kata, passed, at in grades],
        )
        conn.executemany("INSERT INTO hints_shown VALUES (?, ?)", [("attention", 2), ("lstm", 1)])
        for number, key in enumerate(("dlprep/sigmoid-formula", "dlprep/relu-formula")):
            at = T0 + timedelta(minutes=number)
            conn.execute(
                "INSERT INTO schedule VALUES ('card', ?, 2, NULL, 2.3065, 2.1181, ?, ?)",
                (key, schedule.stamp(at + 2 * DAY), schedule.stamp(at)),
            )
            conn.execute("INSERT INTO reviews (kind, item, rating, reviewed_at, duration_ms, state_before) VALUES ('card', ?, 3, ?, 4000, NULL)", (key, schedule.stamp(at)))
        conn.execute("INSERT INTO cram_reviews (kind, item, rating, reviewed_at, duration_ms) VALUES ('card', 'dlprep/tanh-formula', 1, ?, 900)", (schedule.stamp(T0),))
        conn.execute("INSERT INTO drill_results (topic, question, expected, given, correct, answered_at) VALUES ('conv-output', 'q', 14, '14', 1, ?)", (T0.isoformat(),))
        conn.execute("INSERT INTO pruned VALUES ('card', 'dlprep/gone', ?, 3)", (T0.isoformat(),))
        return {table: conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall() for table in OLD_TABLES}


def test_the_upgrade_keeps_every_row_and_backs_up_first():
    before = _old_database()
    with store.connect() as conn:
        assert store.version(conn) == len(store.MIGRATIONS)
        for table, rows in before.items():
            assert [tuple(row) for row in conn.execute(f"SELECT * FROM {table} ORDER BY rowid")] == rows, table
        hints = conn.execute("SELECT kata, COUNT(*), COUNT(at) FROM kata_events WHERE event = 'hint' GROUP BY kata ORDER BY kata")
        assert [tuple(row) for row in hints] == [("attention", 2, 0), ("lstm", 1, 0)]  # kept, at a time unknown
    backup = paths.home() / f"dlprep.db.schema-{RELEASED}.bak"
    with closing(sqlite3.connect(backup)) as copy:
        assert store.version(copy) == RELEASED
        assert copy.execute("SELECT COUNT(*) FROM grades").fetchone()[0] == len(before["grades"])


def test_katas_passed_before_the_upgrade_are_scheduled_from_their_first_pass(run, no_fuzz):
    _old_database()
    expected = {"softmax": (Rating.Good, T0, 2), "backprop": (Rating.Hard, T0 + timedelta(hours=2), 1), "attention": (Rating.Hard, T0 + timedelta(hours=3), 1)}
    with store.connect(write=False) as conn:  # reading: computed, nothing written
        computed = memory.states(conn)
        assert conn.execute("SELECT COUNT(*) FROM schedule WHERE kind = 'kata'").fetchone()[0] == 0
    assert set(computed) == set(expected)
    for kata, (rating, first, interval) in expected.items():
        assert computed[kata].due == first + interval * DAY, kata
    listed = {row["id"]: row for row in json.loads(run("list", "--json", at=T0 + 10 * DAY).output)}
    assert listed["softmax"]["due"] == (T0 + 2 * DAY).isoformat() and listed["lstm"]["due"] is None

    grade("lstm", False)  # the first recording command schedules them as they were computed
    with store.connect(write=False) as conn:
        stored = schedule.load_states(conn, memory.KIND)
        logged = {row["item"]: (row["rating"], row["reviewed_at"]) for row in conn.execute("SELECT * FROM reviews WHERE kind = 'kata'")}
    assert stored == computed
    for kata, (rating, first, _) in expected.items():
        assert logged[kata] == (int(rating), schedule.stamp(first))


@pytest.mark.parametrize("write", [True, False])
def test_a_database_of_this_release_opens_as_it_is(write):
    grade("softmax", True)
    with store.connect(write=write) as conn:
        assert store.version(conn) == len(store.MIGRATIONS)
    assert not list(paths.home().glob("*.bak"))
    assert kata_state("softmax") is not None
